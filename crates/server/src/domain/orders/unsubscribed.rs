//! The record of an unsubscription, as the purchase's order page and `POST …/unsubscribe`
//! show it: when, under which rule, and each refund with the channel it went back to; and
//! settling a negotiated unsubscription, which a supervised flow agrees on.

use bazaar_core::ids::{AppId, OrderId};
use bazaar_core::lifecycle::{RefundMade, Unsubscription, UnsubscriptionRule};
use bazaar_core::messages::{MessageLink, MessageTopic};
use bazaar_core::money::{Currency, Money};
use bazaar_core::notices::NoticeKind;
use bazaar_core::orders::{CancelReasonCode, OrderStatus, PaymentChannel, order_number};

use crate::domain::messages::{self, Outgoing};
use crate::domain::notices;
use crate::domain::payments::LedgerKind;
use crate::error::{ApiError, ApiResult};
use crate::infra::clock::from_unix;
use crate::infra::db::{self, Connection};

#[derive(sqlx::FromRow)]
struct UnsubscriptionRow {
    rule: UnsubscriptionRule,
    refund_minor: i64,
    currency: Currency,
    unsubscribed_at: i64,
}

#[derive(sqlx::FromRow)]
struct RefundRow {
    order_id: OrderId,
    channel: PaymentChannel,
    card_label: Option<String>,
    amount_minor: i64,
    currency: Currency,
}

/// The unsubscription of app `app_id`, if the buyer left it.
pub async fn load(connection: &mut Connection, app_id: AppId) -> ApiResult<Option<Unsubscription>> {
    let row: Option<UnsubscriptionRow> =
        db::query_as("SELECT rule, refund_minor, currency, unsubscribed_at FROM unsubscriptions WHERE app_id = $1")
            .bind(app_id.order())
            .fetch_optional(&mut *connection)
            .await?;
    let Some(row) = row else { return Ok(None) };
    let refunds: Vec<RefundRow> = db::query_as(
        "SELECT l.order_id, l.channel, p.card_label, l.amount_minor, l.currency
         FROM ledger_entries l LEFT JOIN payments p ON p.order_id = l.order_id
         WHERE l.app_id = $1 AND l.kind = $2 ORDER BY l.id",
    )
    .bind(app_id.order())
    .bind(LedgerKind::Refund)
    .fetch_all(connection)
    .await?;
    Ok(Some(Unsubscription {
        app_id,
        rule: row.rule,
        refund: Money::new(row.refund_minor, row.currency),
        refunds: refunds
            .into_iter()
            .map(|refund| RefundMade {
                order_id: refund.order_id,
                order_number: order_number(refund.order_id),
                channel: refund.channel,
                card_label: refund.card_label,
                amount: Money::new(refund.amount_minor, refund.currency),
            })
            .collect(),
        unsubscribed_at: from_unix(row.unsubscribed_at),
    }))
}

/// Settles a supervised purchase the buyer leaves before completion with `refund`, agreed
/// on its flow: the order is cancelled, the refund goes back to the channel that paid, and
/// the unsubscription is recorded (one per purchase), the seller told and the buyer messaged
/// — in the caller's transaction, with the flow's event.
pub async fn settle_by_agreement(
    connection: &mut Connection,
    order_id: OrderId,
    flow_key: &str,
    refund: Money,
    now: i64,
) -> ApiResult<()> {
    let detail =
        format!("You left before completion; the refund of {} was agreed on the service flow.", refund.display());
    let cancelled = db::query(
        "UPDATE orders SET status = $1, cancel_reason_code = $2, cancel_reason_detail = $3, cancelled_at = $4,
                           unsubscribed_at = $5, auto_renew_months = NULL
         WHERE id = $6 AND status = $7",
    )
    .bind(OrderStatus::Cancelled)
    .bind(CancelReasonCode::UnsubscribedByAgreement)
    .bind(&detail)
    .bind(now)
    .bind(now)
    .bind(order_id)
    .bind(OrderStatus::Processing)
    .execute(&mut *connection)
    .await?;
    if cancelled.rows_affected() != 1 {
        return Err(ApiError::Conflict("Only a purchase still in its service flow can be left this way.".to_owned()));
    }
    let (account_id, product_name): (bazaar_core::ids::AccountId, String) =
        db::query_as("SELECT account_id, product_name FROM orders WHERE id = $1")
            .bind(order_id)
            .fetch_one(&mut *connection)
            .await?;
    // For a negotiated unsubscription the "quote" kept is the agreed refund itself.
    db::query(
        "INSERT INTO unsubscriptions (app_id, account_id, rule, refund_minor, currency, quote_json, idempotency_key,
                                      unsubscribed_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(order_id)
    .bind(account_id)
    .bind(UnsubscriptionRule::Negotiated)
    .bind(refund.amount_minor)
    .bind(refund.currency)
    .bind(serde_json::to_string(&refund).map_err(ApiError::internal)?)
    .bind(flow_key)
    .bind(now)
    .execute(&mut *connection)
    .await?;
    if refund.amount_minor > 0 {
        let inserted = db::query(
            "INSERT INTO ledger_entries (account_id, reseller_id, order_id, app_id, channel, kind, amount_minor, currency,
                                         note, created_at)
             SELECT account_id, reseller_id, order_id, order_id, channel, $1, $2, currency, $3, $4
             FROM ledger_entries WHERE order_id = $5 AND kind = $6",
        )
        .bind(LedgerKind::Refund)
        .bind(refund.amount_minor)
        .bind(format!("Agreed unsubscription refund of order {}", order_number(order_id)))
        .bind(now)
        .bind(order_id)
        .bind(LedgerKind::Payment)
        .execute(&mut *connection)
        .await?;
        if inserted.rows_affected() != 1 {
            return Err(ApiError::internal(format!("order {order_id} has no single ledger payment to refund")));
        }
    }
    notices::queue(&mut *connection, order_id, NoticeKind::Unsubscribed, now, None, now, now).await?;
    let message = Outgoing {
        account_id,
        topic: MessageTopic::Unsubscribed,
        subject: &product_name,
        order_id,
        link: MessageLink::Order { order_id },
        at: None,
        due_at: None,
        dedupe_key: format!("unsubscribed:{order_id}"),
    };
    messages::send(connection, message, now).await?;
    tracing::info!(%order_id, refund = refund.amount_minor, "unsubscribed by agreement");
    Ok(())
}

/// What the buyer paid for the flow's order (a reseller customer's reference amount): the
/// most a negotiated unsubscription can refund.
pub async fn paid_for(connection: &mut Connection, order_id: OrderId) -> ApiResult<Money> {
    let (amount, currency): (i64, Currency) = db::query_as(
        "SELECT COALESCE(p.amount_minor, 0), o.currency FROM orders o
         LEFT JOIN payments p ON p.order_id = o.id AND p.refunded_at IS NULL WHERE o.id = $1",
    )
    .bind(order_id)
    .fetch_one(connection)
    .await?;
    Ok(Money::new(amount, currency))
}
