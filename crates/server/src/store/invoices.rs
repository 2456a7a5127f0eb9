//! Invoice Management's tables (profiles: `invoice_profiles`): what a buyer's paid orders
//! can still be invoiced for (`payments`, refunds in `ledger_entries`, `invoice_items`),
//! `invoices` and their items, and `invoice_counters`, which numbers them without gaps.

use bazaar_core::ids::{AccountId, OrderId};
use bazaar_core::invoices::{InvoiceKind, InvoiceState, IssuerKind};
use bazaar_core::money::Currency;
use bazaar_core::orders::OrderKind;

use crate::infra::db::{self, Connection, Database};

/// What order `o` has had refunded so far, in minor units (SUM is NUMERIC on PostgreSQL:
/// cast back).
pub const REFUNDED: &str = "CAST(COALESCE((SELECT SUM(l.amount_minor) FROM ledger_entries l
        WHERE l.order_id = o.id AND l.kind = 'refund'), 0) AS BIGINT)";

/// A paid order of the buyer's with what was paid, refunded and invoiced for it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct PaidOrderRow {
    pub order_id: OrderId,
    pub kind: OrderKind,
    pub product_name: String,
    pub sku_name: String,
    pub paid_at: i64,
    pub currency: Currency,
    pub paid_minor: i64,
    pub refunded_minor: i64,
    pub invoiced_minor: i64,
    pub issuer_kind: IssuerKind,
    pub seller_id: i64,
    pub seller_name: String,
    /// 0 for an order; a closed bill's month (its first second) for a bill's item.
    pub usage_month: i64,
}

/// The buyer's paid orders (not through a reseller), newest payment first; with
/// `order_ids`, only those.
pub async fn paid_orders(
    connection: &mut Connection,
    account_id: AccountId,
    order_ids: Option<&[OrderId]>,
) -> Result<Vec<PaidOrderRow>, sqlx::Error> {
    let only = match order_ids {
        Some(ids) if !ids.is_empty() => {
            let list: Vec<String> = ids.iter().map(|id| id.0.to_string()).collect();
            format!("AND o.id IN ({})", list.join(", "))
        }
        Some(_) => "AND FALSE".to_owned(),
        None => String::new(),
    };
    db::query_as(&format!(
        "SELECT o.id AS order_id, o.kind, o.product_name, o.sku_name, p.paid_at, p.currency, p.amount_minor AS paid_minor,
                {REFUNDED} AS refunded_minor,
                CAST(COALESCE((SELECT SUM(i.amount_minor) FROM invoice_items i JOIN invoices v ON v.id = i.invoice_id
                               WHERE i.order_id = o.id AND i.usage_month = 0 AND v.state <> 'rejected'), 0) AS BIGINT)
                    AS invoiced_minor,
                pr.invoice_issuer AS issuer_kind, o.seller_id, o.seller_name, CAST(0 AS BIGINT) AS usage_month
         FROM orders o JOIN payments p ON p.order_id = o.id JOIN products pr ON pr.id = o.product_id
         WHERE o.account_id = $1 AND p.channel <> 'reseller' AND p.amount_minor > 0
           AND o.status IN ('processing', 'completed') {only}
         ORDER BY p.paid_at DESC, o.id DESC"
    ))
    .bind(account_id)
    .fetch_all(connection)
    .await
}

/// The buyer's pay-per-use charges in closed monthly bills, one row per app and month,
/// with what the app's charges in that month came to (payments of arrears included) and
/// what invoices cover of them; newest month first.
pub async fn closed_bill_items(
    connection: &mut Connection,
    account_id: AccountId,
) -> Result<Vec<PaidOrderRow>, sqlx::Error> {
    db::query_as(
        "SELECT o.id AS order_id, o.kind, o.product_name, o.sku_name, b.closed_at AS paid_at, s.currency,
                CAST(SUM(s.charged_minor) AS BIGINT) AS paid_minor, CAST(0 AS BIGINT) AS refunded_minor,
                CAST(COALESCE((SELECT SUM(i.amount_minor) FROM invoice_items i JOIN invoices v ON v.id = i.invoice_id
                               WHERE i.order_id = o.id AND i.usage_month = s.month AND v.state <> 'rejected'), 0) AS BIGINT)
                    AS invoiced_minor,
                pr.invoice_issuer AS issuer_kind, o.seller_id, o.seller_name, s.month AS usage_month
         FROM usage_month_sums s
           JOIN usage_bills b ON b.account_id = s.account_id AND b.month = s.month AND b.currency = s.currency
           JOIN orders o ON o.id = s.app_id JOIN products pr ON pr.id = o.product_id
         WHERE s.account_id = $1
         GROUP BY o.id, o.kind, o.product_name, o.sku_name, b.closed_at, s.currency, pr.invoice_issuer, o.seller_id,
                  o.seller_name, s.month
         HAVING SUM(s.charged_minor) > 0
         ORDER BY s.month DESC, o.id DESC",
    )
    .bind(account_id)
    .fetch_all(connection)
    .await
}

/// A new invoice or credit note, before its items.
pub struct NewInvoice<'a> {
    pub account_id: AccountId,
    pub issuer: &'a str,
    pub seller_id: Option<i64>,
    pub kind: InvoiceKind,
    pub original_id: Option<i64>,
    pub profile_json: &'a str,
    pub currency: Currency,
    pub tax_rate_bp: u32,
    pub net_minor: i64,
    pub tax_minor: i64,
    pub total_minor: i64,
    pub requested_at: i64,
    pub deadline_at: Option<i64>,
}

/// Writes the invoice as requested; its id.
pub async fn insert_invoice(connection: &mut Connection, invoice: NewInvoice<'_>) -> Result<i64, sqlx::Error> {
    db::query_scalar(
        "INSERT INTO invoices (account_id, issuer, seller_id, kind, original_id, state, profile_json, currency,
                               tax_rate_bp, net_minor, tax_minor, total_minor, requested_at, deadline_at)
         VALUES ($1, $2, $3, $4, $5, 'requested', $6, $7, $8, $9, $10, $11, $12, $13) RETURNING id",
    )
    .bind(invoice.account_id)
    .bind(invoice.issuer)
    .bind(invoice.seller_id)
    .bind(invoice.kind)
    .bind(invoice.original_id)
    .bind(invoice.profile_json)
    .bind(invoice.currency)
    .bind(i64::from(invoice.tax_rate_bp))
    .bind(invoice.net_minor)
    .bind(invoice.tax_minor)
    .bind(invoice.total_minor)
    .bind(invoice.requested_at)
    .bind(invoice.deadline_at)
    .fetch_one(connection)
    .await
}

pub async fn insert_item(
    connection: &mut Connection,
    invoice_id: i64,
    (order_id, usage_month): (OrderId, i64),
    description: &str,
    (amount_minor, net_minor, tax_minor): (i64, i64, i64),
) -> Result<(), sqlx::Error> {
    db::query(
        "INSERT INTO invoice_items (invoice_id, order_id, usage_month, description, amount_minor, net_minor, tax_minor)
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(invoice_id)
    .bind(order_id)
    .bind(usage_month)
    .bind(description)
    .bind(amount_minor)
    .bind(net_minor)
    .bind(tax_minor)
    .execute(connection)
    .await?;
    Ok(())
}

/// The next number of `issuer` in `year`, from 1: the counter row is locked until the
/// transaction ends, so numbers are taken one after another and a rolled-back transaction
/// gives its number back.
pub async fn next_sequence(connection: &mut Connection, issuer: &str, year: i32) -> Result<i64, sqlx::Error> {
    db::query_scalar(
        "INSERT INTO invoice_counters (issuer, year, last) VALUES ($1, $2, 1)
         ON CONFLICT (issuer, year) DO UPDATE SET last = invoice_counters.last + 1
         RETURNING last",
    )
    .bind(issuer)
    .bind(i64::from(year))
    .fetch_one(connection)
    .await
}

/// Requested → issued with its number; `false` when it was not waiting.
pub async fn mark_issued(
    connection: &mut Connection,
    invoice_id: i64,
    (year, sequence, number): (i32, i64, &str),
    now: i64,
) -> Result<bool, sqlx::Error> {
    let updated = db::query(
        "UPDATE invoices SET state = 'issued', year = $1, sequence = $2, number = $3, issued_at = $4
         WHERE id = $5 AND state = 'requested'",
    )
    .bind(i64::from(year))
    .bind(sequence)
    .bind(number)
    .bind(now)
    .bind(invoice_id)
    .execute(connection)
    .await?;
    Ok(updated.rows_affected() == 1)
}

/// An invoice as stored.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct InvoiceRow {
    pub id: i64,
    pub issuer: String,
    pub seller_name: Option<String>,
    pub kind: InvoiceKind,
    pub state: InvoiceState,
    pub number: Option<String>,
    pub profile_json: String,
    pub currency: Currency,
    pub tax_rate_bp: i64,
    pub net_minor: i64,
    pub tax_minor: i64,
    pub total_minor: i64,
    pub requested_at: i64,
    pub deadline_at: Option<i64>,
    pub issued_at: Option<i64>,
    pub reject_reason: Option<String>,
    pub original_number: Option<String>,
}

/// The account's invoices and credit notes, newest first.
pub async fn invoices_of(db: &Database, account_id: AccountId) -> Result<Vec<InvoiceRow>, sqlx::Error> {
    db::query_as(&format!(
        "SELECT {INVOICE_COLUMNS} FROM invoices v LEFT JOIN sellers s ON s.id = v.seller_id
           LEFT JOIN invoices o ON o.id = v.original_id
         WHERE v.account_id = $1 ORDER BY v.requested_at DESC, v.id DESC"
    ))
    .bind(account_id)
    .fetch_all(db)
    .await
}

/// An invoice's item as stored.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ItemRow {
    pub invoice_id: i64,
    pub order_id: OrderId,
    pub usage_month: i64,
    pub description: String,
    pub amount_minor: i64,
    pub net_minor: i64,
    pub tax_minor: i64,
}

/// The items of the account's invoices.
pub async fn items_of(db: &Database, account_id: AccountId) -> Result<Vec<ItemRow>, sqlx::Error> {
    db::query_as(
        "SELECT i.invoice_id, i.order_id, i.usage_month, i.description, i.amount_minor, i.net_minor, i.tax_minor
         FROM invoice_items i JOIN invoices v ON v.id = i.invoice_id
         WHERE v.account_id = $1 ORDER BY i.invoice_id, i.order_id, i.usage_month",
    )
    .bind(account_id)
    .fetch_all(db)
    .await
}

/// Every issued number of `issuer` in `year`, in order (for the gapless check).
pub async fn sequences(db: &Database, issuer: &str, year: i32) -> Result<Vec<i64>, sqlx::Error> {
    db::query_scalar("SELECT sequence FROM invoices WHERE issuer = $1 AND year = $2 ORDER BY sequence")
        .bind(issuer)
        .bind(i64::from(year))
        .fetch_all(db)
        .await
}

pub const INVOICE_COLUMNS: &str = "v.id, v.issuer, s.name AS seller_name, v.kind, v.state, v.number, v.profile_json,
    v.currency, v.tax_rate_bp, v.net_minor, v.tax_minor, v.total_minor, v.requested_at, v.deadline_at, v.issued_at,
    v.reject_reason, o.number AS original_number";

/// Seller `seller_id`'s invoices: those waiting first, soonest deadline first, then the
/// latest decided.
pub async fn seller_queue(db: &Database, seller_id: i64) -> Result<Vec<InvoiceRow>, sqlx::Error> {
    db::query_as(&format!(
        "SELECT {INVOICE_COLUMNS} FROM invoices v LEFT JOIN sellers s ON s.id = v.seller_id
           LEFT JOIN invoices o ON o.id = v.original_id
         WHERE v.seller_id = $1
         ORDER BY CASE WHEN v.state = 'requested' THEN 0 ELSE 1 END, v.deadline_at, v.id DESC LIMIT 200"
    ))
    .bind(seller_id)
    .fetch_all(db)
    .await
}

/// The items of seller `seller_id`'s invoices.
pub async fn items_of_seller(db: &Database, seller_id: i64) -> Result<Vec<ItemRow>, sqlx::Error> {
    db::query_as(
        "SELECT i.invoice_id, i.order_id, i.usage_month, i.description, i.amount_minor, i.net_minor, i.tax_minor
         FROM invoice_items i JOIN invoices v ON v.id = i.invoice_id
         WHERE v.seller_id = $1 ORDER BY i.invoice_id, i.order_id, i.usage_month",
    )
    .bind(seller_id)
    .fetch_all(db)
    .await
}

/// A waiting invoice as deciding it needs it: its buyer, issuer and first item's order.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct WaitingRow {
    pub id: i64,
    pub account_id: AccountId,
    pub issuer: String,
    pub seller_name: String,
    pub order_id: OrderId,
    pub requested_at: i64,
    pub deadline_at: Option<i64>,
}

const WAITING: &str = "SELECT v.id, v.account_id, v.issuer, s.name AS seller_name,
        (SELECT MIN(i.order_id) FROM invoice_items i WHERE i.invoice_id = v.id) AS order_id,
        v.requested_at, v.deadline_at
     FROM invoices v JOIN sellers s ON s.id = v.seller_id";

/// Seller `seller_id`'s invoice `id` while it waits.
pub async fn waiting_for_seller(
    connection: &mut Connection,
    seller_id: i64,
    id: i64,
) -> Result<Option<WaitingRow>, sqlx::Error> {
    db::query_as(&format!("{WAITING} WHERE v.id = $1 AND v.seller_id = $2 AND v.state = 'requested'"))
        .bind(id)
        .bind(seller_id)
        .fetch_optional(connection)
        .await
}

/// Waiting invoices past their deadline at `now` that operations were not told about.
pub async fn overdue(db: &Database, now: i64) -> Result<Vec<WaitingRow>, sqlx::Error> {
    db::query_as(&format!(
        "{WAITING} WHERE v.state = 'requested' AND v.deadline_at <= $1 AND v.escalated_at IS NULL ORDER BY v.deadline_at"
    ))
    .bind(now)
    .fetch_all(db)
    .await
}

/// Operations were told at `now`; `false` when another sweep told them first.
pub async fn mark_escalated(connection: &mut Connection, id: i64, now: i64) -> Result<bool, sqlx::Error> {
    let updated = db::query("UPDATE invoices SET escalated_at = $1 WHERE id = $2 AND escalated_at IS NULL")
        .bind(now)
        .bind(id)
        .execute(connection)
        .await?;
    Ok(updated.rows_affected() == 1)
}

/// Requested → rejected with `reason`; `false` when it was not waiting.
pub async fn mark_rejected(connection: &mut Connection, id: i64, reason: &str, now: i64) -> Result<bool, sqlx::Error> {
    let updated = db::query(
        "UPDATE invoices SET state = 'rejected', rejected_at = $1, reject_reason = $2 WHERE id = $3 AND state = 'requested'",
    )
    .bind(now)
    .bind(reason)
    .bind(id)
    .execute(connection)
    .await?;
    Ok(updated.rows_affected() == 1)
}
