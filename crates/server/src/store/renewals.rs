//! Renewal orders and their `renewal_lines` (one per app renewed, from the expiry the order
//! was priced on to the new one; applied once paid).

use bazaar_core::catalog::BillingMode;
use bazaar_core::ids::{AccountId, OrderId, ProductId};
use bazaar_core::money::Money;
use bazaar_core::orders::{OrderKind, OrderStatus};

use crate::infra::db::{self, Connection, Database};
use crate::store::orders::ProvisioningKind;

/// A renewal order to write; its product fields describe the first app it renews.
pub struct NewRenewalOrder<'a> {
    pub account_id: AccountId,
    pub reseller_id: Option<i64>,
    pub product_id: ProductId,
    pub seller_id: i64,
    pub product_name: &'a str,
    pub seller_name: &'a str,
    /// As stored (the app's `delivery_method` text).
    pub delivery_method: &'a str,
    pub sku_id: i64,
    pub sku_name: &'a str,
    pub quantity: u32,
    pub region: &'a str,
    pub total: Money,
    pub price_json: &'a str,
    pub now: i64,
}

pub async fn insert_order(connection: &mut Connection, order: NewRenewalOrder<'_>) -> Result<OrderId, sqlx::Error> {
    db::query_scalar(
        "INSERT INTO orders (account_id, product_id, seller_id, product_name, seller_name, delivery_method, supervised,
                             sku_id, sku_name, billing_mode, quantity, region, currency, total_minor, due_now_minor,
                             price_json, status, reseller_id, provisioning_kind, created_at, kind)
         VALUES ($1, $2, $3, $4, $5, $6, FALSE, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20)
         RETURNING id",
    )
    .bind(order.account_id)
    .bind(order.product_id)
    .bind(order.seller_id)
    .bind(order.product_name)
    .bind(order.seller_name)
    .bind(order.delivery_method)
    .bind(order.sku_id)
    .bind(order.sku_name)
    .bind(BillingMode::YearlyMonthly)
    .bind(i64::from(order.quantity))
    .bind(order.region)
    .bind(order.total.currency)
    .bind(order.total.amount_minor)
    .bind(order.total.amount_minor)
    .bind(order.price_json)
    .bind(OrderStatus::PendingPayment)
    .bind(order.reseller_id)
    .bind(ProvisioningKind::None)
    .bind(order.now)
    .bind(OrderKind::Renewal)
    .fetch_one(connection)
    .await
}

/// One app a renewal order renews.
pub struct NewLine {
    pub order_id: OrderId,
    pub app_id: OrderId,
    pub months: u32,
    pub amount_minor: i64,
    pub from_expires_at: i64,
    pub until_expires_at: i64,
    /// A trial bought with another quantity than its own.
    pub quantity: Option<u32>,
}

pub async fn insert_line(connection: &mut Connection, line: NewLine) -> Result<(), sqlx::Error> {
    db::query(
        "INSERT INTO renewal_lines (order_id, app_id, months, amount_minor, from_expires_at, until_expires_at, quantity)
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(line.order_id)
    .bind(line.app_id)
    .bind(i64::from(line.months))
    .bind(line.amount_minor)
    .bind(line.from_expires_at)
    .bind(line.until_expires_at)
    .bind(line.quantity.map(i64::from))
    .execute(connection)
    .await?;
    Ok(())
}

/// A line of a renewal order not applied yet.
#[derive(Debug, sqlx::FromRow)]
pub struct UnappliedLine {
    pub app_id: OrderId,
    pub months: i64,
    pub from_expires_at: i64,
    pub until_expires_at: i64,
    /// A trial bought with another quantity than its own.
    pub quantity: Option<i64>,
}

pub async fn unapplied_lines(
    connection: &mut Connection,
    order_id: OrderId,
) -> Result<Vec<UnappliedLine>, sqlx::Error> {
    db::query_as(
        "SELECT app_id, months, from_expires_at, until_expires_at, quantity FROM renewal_lines
         WHERE order_id = $1 AND applied_at IS NULL",
    )
    .bind(order_id)
    .fetch_all(connection)
    .await
}

/// A bought trial's quantity, as the buyer chose when buying it.
pub async fn set_quantity(connection: &mut Connection, app_id: OrderId, quantity: i64) -> Result<(), sqlx::Error> {
    db::query("UPDATE orders SET quantity = $1 WHERE id = $2").bind(quantity).bind(app_id).execute(connection).await?;
    Ok(())
}

/// Moves the app's expiry from `from` to `until`; `false` when it no longer ends at `from`.
pub async fn extend(connection: &mut Connection, app_id: OrderId, from: i64, until: i64) -> Result<bool, sqlx::Error> {
    let extended = db::query("UPDATE orders SET expires_at = $1 WHERE id = $2 AND expires_at = $3")
        .bind(until)
        .bind(app_id)
        .bind(from)
        .execute(connection)
        .await?;
    Ok(extended.rows_affected() == 1)
}

/// The line was applied at `now`, the app's term now ending at `until` (a bought trial's
/// term is known only at the payment).
pub async fn mark_applied(
    connection: &mut Connection,
    order_id: OrderId,
    app_id: OrderId,
    until: i64,
    now: i64,
) -> Result<(), sqlx::Error> {
    db::query("UPDATE renewal_lines SET applied_at = $1, until_expires_at = $2 WHERE order_id = $3 AND app_id = $4")
        .bind(now)
        .bind(until)
        .bind(order_id)
        .bind(app_id)
        .execute(connection)
        .await?;
    Ok(())
}

/// Whether `order_id` is one of the account's completed purchases.
pub async fn is_completed_purchase(
    db: &Database,
    account_id: AccountId,
    order_id: OrderId,
) -> Result<bool, sqlx::Error> {
    let found: i64 = db::query_scalar(
        "SELECT COUNT(*) FROM orders WHERE id = $1 AND account_id = $2 AND kind = 'purchase' AND status = 'completed'",
    )
    .bind(order_id)
    .bind(account_id)
    .fetch_one(db)
    .await?;
    Ok(found > 0)
}
