//! What a refund of an invoiced order reads and changes of its invoices: what issued
//! invoices cover, the requests still waiting (rejected), the invoice a credit note is
//! against.

use bazaar_core::ids::{AccountId, OrderId};
use bazaar_core::money::Currency;

use crate::infra::db::{self, Connection};
use crate::store::invoices::REFUNDED;

/// What a refund of order `order_id` needs to know of its invoices: its buyer, what was
/// paid and refunded, what issued invoices (less credit notes) cover, and the latest issued
/// invoice covering it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct RefundedOrderRow {
    pub account_id: AccountId,
    pub currency: Currency,
    pub paid_minor: i64,
    pub refunded_minor: i64,
    pub issued_minor: i64,
    pub latest_invoice_id: Option<i64>,
}

pub async fn refunded_order(
    connection: &mut Connection,
    order_id: OrderId,
) -> Result<Option<RefundedOrderRow>, sqlx::Error> {
    db::query_as(&format!(
        "SELECT o.account_id, p.currency, p.amount_minor AS paid_minor,
                {REFUNDED} AS refunded_minor,
                CAST(COALESCE((SELECT SUM(i.amount_minor) FROM invoice_items i JOIN invoices v ON v.id = i.invoice_id
                               WHERE i.order_id = o.id AND i.usage_month = 0 AND v.state = 'issued'), 0) AS BIGINT) AS issued_minor,
                (SELECT MAX(v.id) FROM invoice_items i JOIN invoices v ON v.id = i.invoice_id
                  WHERE i.order_id = o.id AND i.usage_month = 0 AND v.state = 'issued' AND v.kind = 'invoice') AS latest_invoice_id
         FROM orders o JOIN payments p ON p.order_id = o.id WHERE o.id = $1"
    ))
    .bind(order_id)
    .fetch_optional(connection)
    .await
}

/// Rejects every invoice still waiting for its seller that covers order `order_id`, with
/// `reason`; how many.
pub async fn reject_requested_covering(
    connection: &mut Connection,
    order_id: OrderId,
    reason: &str,
    now: i64,
) -> Result<u64, sqlx::Error> {
    let rejected = db::query(
        "UPDATE invoices SET state = 'rejected', rejected_at = $1, reject_reason = $2
         WHERE state = 'requested' AND id IN (SELECT invoice_id FROM invoice_items WHERE order_id = $3 AND usage_month = 0)",
    )
    .bind(now)
    .bind(reason)
    .bind(order_id)
    .execute(connection)
    .await?;
    Ok(rejected.rows_affected())
}

/// The parts of an issued invoice a credit note against it repeats.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct OriginalRow {
    pub issuer: String,
    pub seller_id: Option<i64>,
    pub profile_json: String,
    pub tax_rate_bp: i64,
}

pub async fn original(connection: &mut Connection, invoice_id: i64) -> Result<OriginalRow, sqlx::Error> {
    db::query_as("SELECT issuer, seller_id, profile_json, tax_rate_bp FROM invoices WHERE id = $1")
        .bind(invoice_id)
        .fetch_one(connection)
        .await
}

/// The description of order `order_id`'s line on invoice `invoice_id`.
pub async fn item_description(
    connection: &mut Connection,
    invoice_id: i64,
    order_id: OrderId,
) -> Result<String, sqlx::Error> {
    db::query_scalar(
        "SELECT description FROM invoice_items WHERE invoice_id = $1 AND order_id = $2 AND usage_month = 0",
    )
    .bind(invoice_id)
    .bind(order_id)
    .fetch_one(connection)
    .await
}
