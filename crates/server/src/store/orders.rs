//! `orders`: the status moves (each guarded by the statuses it may come from, which core's
//! `OrderStatus::comes_from` names) and the plain reads other modules share.

use bazaar_core::catalog::BillingMode;
use bazaar_core::ids::{AccountId, OrderId, ProductId};
use bazaar_core::money::Currency;
use bazaar_core::orders::{CancelReasonCode, OrderKind, OrderStatus};

use crate::infra::db::{self, Connection, Database};

/// How an order is set up after payment (stored with the order).
#[derive(Debug, Clone, Copy, PartialEq, Eq, sqlx::Type)]
#[sqlx(type_name = "text", rename_all = "snake_case")]
pub enum ProvisioningKind {
    /// Nothing to set up automatically (licences, services, consulting).
    None,
    /// An HTTP call to the seller's provisioning endpoint (SaaS).
    Seller,
    /// A cloud server created from the image, in the buyer's VPC.
    Cloud,
}

impl ProvisioningKind {
    pub fn for_delivery(method: bazaar_core::catalog::DeliveryMethod) -> ProvisioningKind {
        use bazaar_core::catalog::DeliveryMethod;
        match method {
            DeliveryMethod::Saas => ProvisioningKind::Seller,
            DeliveryMethod::Image => ProvisioningKind::Cloud,
            _ => ProvisioningKind::None,
        }
    }
}

/// Where an order's provisioning job stands (`provisioning_jobs.state`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, sqlx::Type)]
#[sqlx(type_name = "text", rename_all = "snake_case")]
pub enum JobState {
    Queued,
    Succeeded,
    Failed,
}

/// `status IN (…)` for the statuses an order may move to `to` from. The names are the
/// enum's own, never text from a request.
fn from_clause(to: OrderStatus) -> String {
    let names: Vec<String> = to.comes_from().iter().map(|status| format!("'{}'", status.as_str())).collect();
    format!("status IN ({})", names.join(", "))
}

/// The account that placed the order.
pub async fn account_of(db: &Database, order_id: OrderId) -> Result<Option<AccountId>, sqlx::Error> {
    db::query_scalar("SELECT account_id FROM orders WHERE id = $1").bind(order_id).fetch_optional(db).await
}

/// The order's billing mode and term length in months, if it has one.
pub async fn term_of(
    connection: &mut Connection,
    order_id: OrderId,
) -> Result<Option<(BillingMode, Option<i64>)>, sqlx::Error> {
    db::query_as("SELECT billing_mode, duration_months FROM orders WHERE id = $1")
        .bind(order_id)
        .fetch_optional(connection)
        .await
}

/// Pending payment → Processing, paid at `now`, its term ending at `expires_at`; `false`
/// when the order was not waiting for payment.
pub async fn mark_paid(
    connection: &mut Connection,
    order_id: OrderId,
    now: i64,
    expires_at: Option<i64>,
) -> Result<bool, sqlx::Error> {
    let updated = db::query(&format!(
        "UPDATE orders SET status = $1, paid_at = $2, expires_at = $3 WHERE id = $4 AND {}",
        from_clause(OrderStatus::Processing)
    ))
    .bind(OrderStatus::Processing)
    .bind(now)
    .bind(expires_at)
    .bind(order_id)
    .execute(connection)
    .await?;
    Ok(updated.rows_affected() == 1)
}

/// What paying an order needs to know of it.
#[derive(Debug, sqlx::FromRow)]
pub struct Payable {
    pub status: OrderStatus,
    pub created_at: i64,
    pub due_now_minor: i64,
    pub currency: Currency,
    pub product_id: ProductId,
    pub provisioning_kind: ProvisioningKind,
    pub supervised: bool,
    pub kind: OrderKind,
}

/// The account's order `order_id`, as paying it needs it.
pub async fn payable(
    connection: &mut Connection,
    account_id: AccountId,
    order_id: OrderId,
) -> Result<Option<Payable>, sqlx::Error> {
    db::query_as(
        "SELECT status, created_at, due_now_minor, currency, product_id, provisioning_kind, supervised, kind
         FROM orders WHERE id = $1 AND account_id = $2",
    )
    .bind(order_id)
    .bind(account_id)
    .fetch_optional(connection)
    .await
}

/// The status of the account's order `order_id`.
pub async fn status_of(
    connection: &mut Connection,
    account_id: AccountId,
    order_id: OrderId,
) -> Result<Option<OrderStatus>, sqlx::Error> {
    db::query_scalar("SELECT status FROM orders WHERE id = $1 AND account_id = $2")
        .bind(order_id)
        .bind(account_id)
        .fetch_optional(connection)
        .await
}

/// Counts a sale of the product (the catalog's "best selling").
pub async fn count_sale(connection: &mut Connection, product_id: ProductId) -> Result<(), sqlx::Error> {
    db::query("UPDATE products SET recent_sales = recent_sales + 1 WHERE id = $1")
        .bind(product_id)
        .execute(connection)
        .await?;
    Ok(())
}

/// Processing → Completed at `at` (with `unsupervised_only`, not a supervised order);
/// `false` when the order could not make that move.
pub async fn complete(
    connection: &mut Connection,
    order_id: OrderId,
    at: i64,
    unsupervised_only: bool,
) -> Result<bool, sqlx::Error> {
    let supervised_only = if unsupervised_only { " AND supervised = FALSE" } else { "" };
    let updated = db::query(&format!(
        "UPDATE orders SET status = $1, completed_at = $2 WHERE id = $3 AND {}{supervised_only}",
        from_clause(OrderStatus::Completed)
    ))
    .bind(OrderStatus::Completed)
    .bind(at)
    .bind(order_id)
    .execute(connection)
    .await?;
    Ok(updated.rows_affected() > 0)
}

/// → Cancelled with its reason; `false` when the order could not make that move.
pub async fn cancel(
    connection: &mut Connection,
    order_id: OrderId,
    code: CancelReasonCode,
    detail: &str,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let updated = db::query(&format!(
        "UPDATE orders SET status = $1, cancel_reason_code = $2, cancel_reason_detail = $3, cancelled_at = $4
         WHERE id = $5 AND {}",
        from_clause(OrderStatus::Cancelled)
    ))
    .bind(OrderStatus::Cancelled)
    .bind(code)
    .bind(detail)
    .bind(now)
    .bind(order_id)
    .execute(connection)
    .await?;
    Ok(updated.rows_affected() > 0)
}

/// A purchase order to write, waiting for payment.
pub struct NewPurchase<'a> {
    pub account_id: AccountId,
    pub product_id: ProductId,
    pub seller_id: i64,
    pub product_name: &'a str,
    pub seller_name: &'a str,
    pub delivery_method: bazaar_core::catalog::DeliveryMethod,
    pub supervised: bool,
    pub sku_id: i64,
    pub sku_name: &'a str,
    pub billing_mode: BillingMode,
    pub duration_months: Option<u32>,
    pub quantity: u32,
    pub region: &'a str,
    pub currency: Currency,
    pub total_minor: i64,
    pub due_now_minor: i64,
    pub price_json: &'a str,
    pub reseller_id: Option<i64>,
    pub vpc_id: Option<i64>,
    pub server_password_hash: Option<&'a str>,
    pub provisioning_kind: ProvisioningKind,
    pub now: i64,
}

pub async fn insert_purchase(connection: &mut Connection, order: NewPurchase<'_>) -> Result<OrderId, sqlx::Error> {
    db::query_scalar(
        "INSERT INTO orders (account_id, product_id, seller_id, product_name, seller_name, delivery_method, supervised,
                             sku_id, sku_name, billing_mode, duration_months, quantity, region, currency, total_minor,
                             due_now_minor, price_json, status, reseller_id, vpc_id, server_password_hash,
                             provisioning_kind, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23)
         RETURNING id",
    )
    .bind(order.account_id)
    .bind(order.product_id)
    .bind(order.seller_id)
    .bind(order.product_name)
    .bind(order.seller_name)
    .bind(order.delivery_method)
    .bind(order.supervised)
    .bind(order.sku_id)
    .bind(order.sku_name)
    .bind(order.billing_mode)
    .bind(order.duration_months.map(i64::from))
    .bind(i64::from(order.quantity))
    .bind(order.region)
    .bind(order.currency)
    .bind(order.total_minor)
    .bind(order.due_now_minor)
    .bind(order.price_json)
    .bind(OrderStatus::PendingPayment)
    .bind(order.reseller_id)
    .bind(order.vpc_id)
    .bind(order.server_password_hash)
    .bind(order.provisioning_kind)
    .bind(order.now)
    .fetch_one(connection)
    .await
}

/// The buyer's consent to share contact details with the seller, with what was shared
/// (masked, as JSON).
pub async fn record_consent(
    connection: &mut Connection,
    order_id: OrderId,
    seller_id: i64,
    seller_name: &str,
    shared_json: &str,
    now: i64,
) -> Result<(), sqlx::Error> {
    db::query(
        "INSERT INTO order_consents (order_id, seller_id, seller_name, shared_json, consented_at)
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(order_id)
    .bind(seller_id)
    .bind(seller_name)
    .bind(shared_json)
    .bind(now)
    .execute(connection)
    .await?;
    Ok(())
}

/// How many of the account's orders wait for payment.
pub async fn unpaid_count(connection: &mut Connection, account_id: AccountId) -> Result<i64, sqlx::Error> {
    db::query_scalar("SELECT COUNT(*) FROM orders WHERE account_id = $1 AND status = $2")
        .bind(account_id)
        .bind(OrderStatus::PendingPayment)
        .fetch_one(connection)
        .await
}

/// When the account placed its `nth` newest order (0 = the newest) after `since`, if it
/// placed that many.
pub async fn nth_newest_since(
    connection: &mut Connection,
    account_id: AccountId,
    since: i64,
    nth: i64,
) -> Result<Option<i64>, sqlx::Error> {
    db::query_scalar(
        "SELECT created_at FROM orders WHERE account_id = $1 AND created_at > $2
         ORDER BY created_at DESC LIMIT 1 OFFSET $3",
    )
    .bind(account_id)
    .bind(since)
    .bind(nth)
    .fetch_optional(connection)
    .await
}

/// The buyer and product of an order.
pub async fn buyer_and_product(
    connection: &mut Connection,
    order_id: OrderId,
) -> Result<(AccountId, String), sqlx::Error> {
    db::query_as("SELECT account_id, product_name FROM orders WHERE id = $1").bind(order_id).fetch_one(connection).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_sql_names_the_allowed_sources() {
        assert_eq!(from_clause(OrderStatus::Cancelled), "status IN ('pending_payment', 'processing')");
        assert_eq!(from_clause(OrderStatus::Completed), "status IN ('processing')");
    }
}
