//! The messages time brings: a term's reminders (7, 3 and 1 days before expiry — or "will
//! renew automatically" —, at expiry, at freeze, 2 days before release, at release) and
//! the warning a day before an unpaid order is cancelled. Each is sent once: the
//! message's occasion key is unique, and the app remembers its last reminder so a sweep
//! skips apps already told without looking for their message.

use bazaar_core::ids::{AccountId, AppId, OrderId};
use bazaar_core::lifecycle::{
    GRACE, RETENTION, ReminderKind, UNPAID_ORDER_LIFETIME, UNPAID_REMINDER_BEFORE, grace_ends_at, released_at,
    reminder_due, unpaid_cancel_at,
};
use bazaar_core::messages::{MessageLink, MessageTopic};
use bazaar_core::orders::OrderStatus;
use time::{Duration, OffsetDateTime};

use bazaar_core::notices::NoticeKind;

use crate::domain::messages::{Outgoing, send};
use crate::domain::notices;
use crate::error::ApiResult;
use crate::infra::clock::from_unix;
use crate::infra::db::{self, WriteScope, begin_write};
use crate::state::AppState;

/// How long after its release an app is still told it was released (a sweeper that was
/// down longer does not send news that old).
const RELEASED_NEWS_FOR: Duration = Duration::days(1);

#[derive(sqlx::FromRow)]
struct TermRow {
    id: OrderId,
    account_id: AccountId,
    product_name: String,
    expires_at: i64,
    #[sqlx(try_from = "crate::infra::db::NullableBigint")]
    auto_renew_months: Option<u32>,
    reminded: Option<String>,
}

/// Sends every reminder due at `now`; returns how many were sent.
pub async fn send_due(state: &AppState, now: OffsetDateTime) -> ApiResult<usize> {
    let earliest = now - (GRACE + RETENTION + RELEASED_NEWS_FOR);
    let latest = now + Duration::days(bazaar_core::lifecycle::REMINDER_DAYS_BEFORE[0]);
    let terms: Vec<TermRow> = db::query_as(
        "SELECT id, account_id, product_name, expires_at, auto_renew_months, reminded FROM orders
         WHERE kind = 'purchase' AND status = 'completed' AND expires_at > $1 AND expires_at <= $2
           AND unsubscribed_at IS NULL",
    )
    .bind(earliest.unix_timestamp())
    .bind(latest.unix_timestamp())
    .fetch_all(&state.db)
    .await?;
    let mut sent = 0;
    for term in terms {
        let expires_at = from_unix(term.expires_at);
        let Some(kind) = reminder_due(expires_at, now) else { continue };
        let occasion = format!("{}:{}", term.expires_at, kind.as_str());
        if term.reminded.as_deref() == Some(occasion.as_str()) {
            continue;
        }
        let (at, link) = match kind {
            ReminderKind::ExpiresIn7Days | ReminderKind::ExpiresIn3Days | ReminderKind::ExpiresIn1Day => {
                (Some(expires_at), MessageLink::App { app_id: AppId::of_order(term.id) })
            }
            ReminderKind::Expired => {
                (Some(grace_ends_at(expires_at)), MessageLink::App { app_id: AppId::of_order(term.id) })
            }
            ReminderKind::Frozen | ReminderKind::ReleasesIn2Days => {
                (Some(released_at(expires_at)), MessageLink::App { app_id: AppId::of_order(term.id) })
            }
            // Resource Details are gone; the order remains.
            ReminderKind::Released => (None, MessageLink::Order { order_id: term.id }),
        };
        let mut transaction = begin_write(&state.db, WriteScope::Account(term.account_id)).await?;
        let message = Outgoing {
            account_id: term.account_id,
            topic: MessageTopic::for_reminder(kind, term.auto_renew_months.is_some()),
            subject: &term.product_name,
            order_id: term.id,
            link,
            at,
            dedupe_key: format!("term:{}:{occasion}", term.id),
        };
        if send(&mut transaction, message, now.unix_timestamp()).await? {
            sent += 1;
        }
        // The seller suspends a frozen app and may delete a released one.
        let notice = match kind {
            ReminderKind::Frozen => Some(NoticeKind::Suspended),
            ReminderKind::Released => Some(NoticeKind::Released),
            _ => None,
        };
        if let Some(notice) = notice {
            let expires = Some(term.expires_at);
            notices::queue(&mut transaction, term.id, notice, term.expires_at, expires, now.unix_timestamp()).await?;
        }
        db::query("UPDATE orders SET reminded = $1 WHERE id = $2 AND expires_at = $3")
            .bind(&occasion)
            .bind(term.id)
            .bind(term.expires_at)
            .execute(&mut *transaction)
            .await?;
        transaction.commit().await?;
    }
    sent += unpaid_warnings(state, now).await?;
    Ok(sent)
}

/// "Pay by …, or it is cancelled": a day before an unpaid order's deadline.
async fn unpaid_warnings(state: &AppState, now: OffsetDateTime) -> ApiResult<usize> {
    let placed_before = now - (UNPAID_ORDER_LIFETIME - UNPAID_REMINDER_BEFORE);
    let placed_after = now - UNPAID_ORDER_LIFETIME;
    let orders: Vec<(OrderId, AccountId, String, i64)> = db::query_as(
        "SELECT id, account_id, product_name, created_at FROM orders
         WHERE status = $1 AND created_at <= $2 AND created_at > $3",
    )
    .bind(OrderStatus::PendingPayment)
    .bind(placed_before.unix_timestamp())
    .bind(placed_after.unix_timestamp())
    .fetch_all(&state.db)
    .await?;
    let mut sent = 0;
    for (order_id, account_id, product_name, created_at) in orders {
        let mut connection = state.db.acquire().await?;
        let message = Outgoing {
            account_id,
            topic: MessageTopic::UnpaidOrderCancelsSoon,
            subject: &product_name,
            order_id,
            link: MessageLink::Order { order_id },
            at: Some(unpaid_cancel_at(from_unix(created_at))),
            dedupe_key: format!("unpaid:{order_id}"),
        };
        if send(&mut connection, message, now.unix_timestamp()).await? {
            sent += 1;
        }
    }
    Ok(sent)
}
