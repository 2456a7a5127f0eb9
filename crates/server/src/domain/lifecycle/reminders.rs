//! The messages time brings: a term's reminders (7, 3 and 1 days before expiry — or "will
//! renew automatically" —, at expiry, at freeze, 2 days before release, at release) and
//! the warning a day before an unpaid order is cancelled.
//!
//! Each is sent exactly once, in order, even after the sweeper was down: a sweep sends
//! every reminder that fell due since the last one sent for the term (the app remembers
//! it as `<expires_at>:<kind>`), each with its own due time, and the message's occasion
//! key is unique, so a second sweep at the same time sends nothing more. The seller's
//! `suspended` and `released` notices are queued in the same transaction as the buyer's
//! message, with the time they fell due.

use bazaar_core::ids::AppId;
use bazaar_core::lifecycle::{
    ReminderKind, UNPAID_ORDER_LIFETIME, UNPAID_REMINDER_BEFORE, grace_ends_at, released_at, reminders_due,
    unpaid_cancel_at,
};
use bazaar_core::messages::{MessageLink, MessageTopic};
use bazaar_core::notices::NoticeKind;
use time::{Duration, OffsetDateTime};

use crate::domain::messages::{Outgoing, send};
use crate::domain::notices;
use crate::error::ApiResult;
use crate::infra::clock::from_unix;
use crate::infra::db::{Connection, WriteScope, begin_write};
use crate::state::AppState;
use crate::store;

pub use crate::store::reminders::TermRow;

/// The last reminder sent for the term that ends at `expires_at` now (one sent for an
/// earlier expiry, before a renewal, does not count).
fn last_sent(term: &TermRow) -> Option<ReminderKind> {
    let prefix = format!("{}:", term.expires_at);
    term.reminded.as_deref()?.strip_prefix(&prefix)?.parse().ok()
}

/// Sends every term reminder due at `now` that was not sent yet, in the order they fell
/// due; returns how many messages were sent.
pub async fn send_due(state: &AppState, now: OffsetDateTime) -> ApiResult<usize> {
    // The first reminder falls due 7 days before expiry: later expiries have none due.
    let latest = now + Duration::days(bazaar_core::lifecycle::REMINDER_DAYS_BEFORE[0]);
    let terms = store::reminders::terms_to_remind(&state.db, latest.unix_timestamp()).await?;
    let mut sent = 0;
    for term in terms {
        let due: Vec<ReminderKind> = reminders_due(from_unix(term.expires_at), last_sent(&term), now).collect();
        let Some(last) = due.last().copied() else { continue };
        let mut transaction = begin_write(&state.db, WriteScope::Account(term.account_id)).await?;
        for kind in due {
            if remind(&mut transaction, &term, kind, now).await? {
                sent += 1;
            }
        }
        mark_reminded(&mut transaction, &term, last).await?;
        transaction.commit().await?;
    }
    Ok(sent)
}

/// Records that the term's reminders up to `last` were sent (only while the term still
/// ends where it did: a renewal meanwhile starts a new term with reminders of its own).
pub async fn mark_reminded(connection: &mut Connection, term: &TermRow, last: ReminderKind) -> ApiResult<()> {
    let reminded = format!("{}:{}", term.expires_at, last.as_str());
    Ok(store::reminders::mark_reminded(connection, term.id, term.expires_at, &reminded).await?)
}

/// Sends reminder `kind` of `term` at `sent_at`, with its own due time, and queues the
/// seller notice it brings (frozen: suspend; released: release), in the caller's
/// transaction. `true` when the message was sent now (not before).
pub async fn remind(
    connection: &mut Connection,
    term: &TermRow,
    kind: ReminderKind,
    sent_at: OffsetDateTime,
) -> ApiResult<bool> {
    let expires_at = from_unix(term.expires_at);
    let app = MessageLink::App { app_id: AppId::of_order(term.id) };
    let (at, link) = match kind {
        ReminderKind::ExpiresIn7Days | ReminderKind::ExpiresIn3Days | ReminderKind::ExpiresIn1Day => {
            (Some(expires_at), app)
        }
        ReminderKind::Expired => (Some(grace_ends_at(expires_at)), app),
        ReminderKind::Frozen | ReminderKind::ReleasesIn2Days => (Some(released_at(expires_at)), app),
        // Resource Details are gone; the order remains.
        ReminderKind::Released => (None, MessageLink::Order { order_id: term.id }),
    };
    let due_at = kind.due_at(expires_at);
    let message = Outgoing {
        account_id: term.account_id,
        topic: MessageTopic::for_reminder(kind, term.auto_renew_months.is_some()),
        subject: &term.product_name,
        order_id: term.id,
        link,
        at,
        due_at: Some(due_at),
        dedupe_key: format!("term:{}:{}:{}", term.id, term.expires_at, kind.as_str()),
    };
    let sent = send(connection, message, sent_at.unix_timestamp()).await?;
    // The seller suspends a frozen app and may delete a released one.
    let notice = match kind {
        ReminderKind::Frozen => Some(NoticeKind::Suspended),
        ReminderKind::Released => Some(NoticeKind::Released),
        _ => None,
    };
    if let Some(notice) = notice {
        let (expires, occurred, queued) = (Some(term.expires_at), due_at.unix_timestamp(), sent_at.unix_timestamp());
        notices::queue(connection, term.id, notice, term.expires_at, expires, occurred, queued).await?;
    }
    Ok(sent)
}

/// "Pay by …, or it is cancelled": a day before an unpaid order's deadline. Runs before
/// the sweep cancels overdue orders, so that after an outage an order still gets its
/// warning (late, with its due time) before it is cancelled, never after.
pub async fn warn_unpaid(state: &AppState, now: OffsetDateTime) -> ApiResult<usize> {
    let placed_before = now - (UNPAID_ORDER_LIFETIME - UNPAID_REMINDER_BEFORE);
    let orders = store::reminders::unpaid_placed_by(&state.db, placed_before.unix_timestamp()).await?;
    let mut sent = 0;
    for (order_id, account_id, product_name, created_at) in orders {
        let cancel_at = unpaid_cancel_at(from_unix(created_at));
        let message = Outgoing {
            account_id,
            topic: MessageTopic::UnpaidOrderCancelsSoon,
            subject: &product_name,
            order_id,
            link: MessageLink::Order { order_id },
            at: Some(cancel_at),
            due_at: Some(cancel_at - UNPAID_REMINDER_BEFORE),
            dedupe_key: format!("unpaid:{order_id}"),
        };
        // One statement: the message is the whole change, so it needs no transaction.
        let mut connection = state.db.acquire().await?;
        if send(&mut connection, message, now.unix_timestamp()).await? {
            sent += 1;
        }
    }
    Ok(sent)
}
