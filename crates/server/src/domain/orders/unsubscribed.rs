//! The record of an unsubscription, as the purchase's order page and `POST …/unsubscribe`
//! show it: when, under which rule, and each refund with the channel it went back to.

use bazaar_core::ids::{AppId, OrderId};
use bazaar_core::lifecycle::{RefundMade, Unsubscription, UnsubscriptionRule};
use bazaar_core::money::{Currency, Money};
use bazaar_core::orders::{PaymentChannel, order_number};
use sqlx::SqliteConnection;

use crate::domain::payments::LedgerKind;
use crate::error::ApiResult;
use crate::infra::clock::from_unix;

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
pub async fn load(connection: &mut SqliteConnection, app_id: AppId) -> ApiResult<Option<Unsubscription>> {
    let row: Option<UnsubscriptionRow> =
        sqlx::query_as("SELECT rule, refund_minor, currency, unsubscribed_at FROM unsubscriptions WHERE app_id = ?")
            .bind(app_id.order())
            .fetch_optional(&mut *connection)
            .await?;
    let Some(row) = row else { return Ok(None) };
    let refunds: Vec<RefundRow> = sqlx::query_as(
        "SELECT l.order_id, l.channel, p.card_label, l.amount_minor, l.currency
         FROM ledger_entries l LEFT JOIN payments p ON p.order_id = l.order_id
         WHERE l.app_id = ? AND l.kind = ? ORDER BY l.id",
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
