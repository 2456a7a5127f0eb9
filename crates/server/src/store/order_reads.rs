//! My Orders' reads: a page of an account's orders, one order, and what its page shows
//! besides (`payments`, `order_consents`, `provisioning_jobs`, `renewal_lines`, the reseller).

use bazaar_core::catalog::{BillingMode, DeliveryMethod};
use bazaar_core::ids::{AccountId, OrderId, ProductId};
use bazaar_core::money::Currency;
use bazaar_core::orders::{CancelReasonCode, OrderKind, OrderStatus, PaymentChannel};

use crate::infra::db::{self, Connection, Database};
use crate::store::orders::{JobState, ProvisioningKind};

const ORDER_COLUMNS: &str = "id, product_id, product_name, seller_name, delivery_method, supervised, sku_id, sku_name,
    billing_mode, duration_months, quantity, region, currency, total_minor, due_now_minor, price_json, status,
    cancel_reason_code, cancel_reason_detail, reseller_id, vpc_id, provisioning_kind, created_at, completed_at,
    cancelled_at, expires_at, unsubscribed_at,
    CASE WHEN EXISTS (SELECT 1 FROM trials t WHERE t.app_id = orders.id) THEN 'trial' ELSE kind END AS kind";

#[derive(Debug, sqlx::FromRow)]
pub struct OrderRow {
    pub id: OrderId,
    pub product_id: ProductId,
    pub product_name: String,
    pub seller_name: String,
    pub delivery_method: DeliveryMethod,
    pub supervised: bool,
    pub sku_id: i64,
    pub sku_name: String,
    pub billing_mode: BillingMode,
    #[sqlx(try_from = "crate::infra::db::NullableBigint")]
    pub duration_months: Option<u32>,
    #[sqlx(try_from = "i64")]
    pub quantity: u32,
    pub region: String,
    pub currency: Currency,
    pub total_minor: i64,
    pub due_now_minor: i64,
    pub price_json: String,
    pub status: OrderStatus,
    pub cancel_reason_code: Option<CancelReasonCode>,
    pub cancel_reason_detail: Option<String>,
    pub reseller_id: Option<i64>,
    pub vpc_id: Option<i64>,
    pub provisioning_kind: ProvisioningKind,
    pub created_at: i64,
    pub completed_at: Option<i64>,
    pub cancelled_at: Option<i64>,
    pub expires_at: Option<i64>,
    pub kind: OrderKind,
    pub unsubscribed_at: Option<i64>,
}

/// Which of an account's orders My Orders shows.
#[derive(Debug, Clone, Copy, Default)]
pub struct OrderFilter {
    pub status: Option<OrderStatus>,
    pub created_from: Option<i64>,
    pub created_before: Option<i64>,
}

const ORDER_FILTER: &str = "account_id = $1 AND ($2 IS NULL OR status = $2) AND ($3 IS NULL OR created_at >= $3)
    AND ($4 IS NULL OR created_at < $4)";

pub async fn count(db: &Database, account_id: AccountId, filter: OrderFilter) -> Result<i64, sqlx::Error> {
    db::query_scalar(&format!("SELECT COUNT(*) FROM orders WHERE {ORDER_FILTER}"))
        .bind(account_id)
        .bind(filter.status)
        .bind(filter.created_from)
        .bind(filter.created_before)
        .fetch_one(db)
        .await
}

/// A page of the account's orders, newest first.
pub async fn page(
    db: &Database,
    account_id: AccountId,
    filter: OrderFilter,
    limit: i64,
    offset: i64,
) -> Result<Vec<OrderRow>, sqlx::Error> {
    db::query_as(&format!(
        "SELECT {ORDER_COLUMNS} FROM orders WHERE {ORDER_FILTER} ORDER BY created_at DESC, id DESC LIMIT $5 OFFSET $6"
    ))
    .bind(account_id)
    .bind(filter.status)
    .bind(filter.created_from)
    .bind(filter.created_before)
    .bind(limit)
    .bind(offset)
    .fetch_all(db)
    .await
}

/// The account's order `order_id` (none when it is not theirs).
pub async fn one(
    connection: &mut Connection,
    account_id: AccountId,
    order_id: OrderId,
) -> Result<Option<OrderRow>, sqlx::Error> {
    db::query_as(&format!("SELECT {ORDER_COLUMNS} FROM orders WHERE id = $1 AND account_id = $2"))
        .bind(order_id)
        .bind(account_id)
        .fetch_optional(connection)
        .await
}

#[derive(Debug, sqlx::FromRow)]
pub struct PaymentRow {
    pub channel: PaymentChannel,
    pub amount_minor: i64,
    pub currency: Currency,
    pub card_label: Option<String>,
    pub paid_at: i64,
    pub refunded_at: Option<i64>,
}

pub async fn payment_of(connection: &mut Connection, order_id: OrderId) -> Result<Option<PaymentRow>, sqlx::Error> {
    db::query_as(
        "SELECT channel, amount_minor, currency, card_label, paid_at, refunded_at FROM payments WHERE order_id = $1",
    )
    .bind(order_id)
    .fetch_optional(connection)
    .await
}

#[derive(Debug, sqlx::FromRow)]
pub struct ConsentRow {
    pub seller_name: String,
    pub shared_json: String,
    pub consented_at: i64,
}

pub async fn consent_of(connection: &mut Connection, order_id: OrderId) -> Result<Option<ConsentRow>, sqlx::Error> {
    db::query_as("SELECT seller_name, shared_json, consented_at FROM order_consents WHERE order_id = $1")
        .bind(order_id)
        .fetch_optional(connection)
        .await
}

#[derive(Debug, sqlx::FromRow)]
pub struct JobRow {
    pub state: JobState,
    pub attempts: i64,
    pub last_error: Option<String>,
}

pub async fn job_of(connection: &mut Connection, order_id: OrderId) -> Result<Option<JobRow>, sqlx::Error> {
    db::query_as("SELECT state, attempts, last_error FROM provisioning_jobs WHERE order_id = $1")
        .bind(order_id)
        .fetch_optional(connection)
        .await
}

#[derive(Debug, sqlx::FromRow)]
pub struct LineRow {
    pub app_id: OrderId,
    pub product_name: String,
    pub sku_name: String,
    #[sqlx(try_from = "i64")]
    pub months: u32,
    pub amount_minor: i64,
    pub currency: Currency,
    pub from_expires_at: i64,
    pub until_expires_at: i64,
}

/// The lines of renewal order `order_id`, in the order they were written.
pub async fn renewal_lines_of(connection: &mut Connection, order_id: OrderId) -> Result<Vec<LineRow>, sqlx::Error> {
    db::query_as(
        "SELECT l.app_id, a.product_name, a.sku_name, l.months, l.amount_minor, a.currency, l.from_expires_at,
                l.until_expires_at
         FROM renewal_lines l JOIN orders a ON a.id = l.app_id WHERE l.order_id = $1 ORDER BY l.rowid",
    )
    .bind(order_id)
    .fetch_all(connection)
    .await
}
