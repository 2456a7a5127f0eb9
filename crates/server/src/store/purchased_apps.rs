//! Purchased apps (completed purchase orders), their instances, their sellers' contact
//! details, and the audit of credential reveals (`orders`, `instances`, `sellers`,
//! `credential_reveals`).

use bazaar_core::catalog::{BillingMode, DeliveryMethod};
use bazaar_core::ids::{AccountId, OrderId, ProductId};

use crate::infra::db::{self, Connection, Database};

const APP_COLUMNS: &str = "o.id, o.product_id, o.product_name, o.sku_name, o.seller_name, o.delivery_method,
    o.billing_mode, o.region, COALESCE(o.paid_at, o.created_at) AS purchased_at, o.expires_at, o.unsubscribed_at,
    m.arrears_since AS usage_arrears_since, m.released_at AS usage_released_at, t.app_id IS NOT NULL AS trial";

/// Apps with their pay-per-use billing state, if they have one, and their free trial while
/// it is not bought.
const APPS: &str = "orders o LEFT JOIN metered_apps m ON m.app_id = o.id
    LEFT JOIN trials t ON t.app_id = o.id AND t.converted_at IS NULL";

/// A purchased app as Purchased Apps and Resource Details read it.
#[derive(Debug, sqlx::FromRow)]
pub struct AppRow {
    pub id: OrderId,
    pub product_id: ProductId,
    pub product_name: String,
    pub sku_name: String,
    pub seller_name: String,
    pub delivery_method: DeliveryMethod,
    pub billing_mode: BillingMode,
    pub region: String,
    pub purchased_at: i64,
    pub expires_at: Option<i64>,
    pub unsubscribed_at: Option<i64>,
    /// Pay-per-use: since when a charge has been failing, and when it was released for it.
    pub usage_arrears_since: Option<i64>,
    pub usage_released_at: Option<i64>,
    /// A free trial not bought: `expires_at` is its end, and it has no grace.
    pub trial: bool,
}

/// Which of an account's apps a Purchased Apps page shows.
pub struct AppFilter<'a> {
    pub account_id: AccountId,
    /// A `LIKE` pattern over product, specification, seller and order number.
    pub pattern: Option<&'a str>,
    pub delivery: Option<&'a str>,
    /// `active` or `expired`.
    pub status: Option<&'a str>,
    pub now: i64,
    /// Apps whose term ended this long ago are released: not listed.
    pub released_after: i64,
    /// Trials that ended unbought this long ago are released: not listed.
    pub trial_released_after: i64,
    /// Pay-per-use apps in arrears this long are released: not listed.
    pub usage_released_after: i64,
}

// `LIKE` is fine here: it scans one customer's purchases, not the catalog.
const APP_FILTER: &str = "o.account_id = $1 AND o.kind = 'purchase' AND o.status = 'completed'
    AND ($2 IS NULL OR lower(o.product_name || ' ' || o.sku_name || ' ' || o.seller_name || ' ' || 'BZ' || substr(CAST(100000000 + o.id AS TEXT), 2)) LIKE $2 ESCAPE '\\')
    AND ($3 IS NULL OR o.delivery_method = $3)
    AND ($4 IS NULL OR ($4 = 'expired') = (o.expires_at IS NOT NULL AND o.expires_at <= $5))
    AND (o.expires_at IS NULL OR o.expires_at > $5 - CASE WHEN t.app_id IS NULL THEN $8 ELSE $10 END)
    AND o.unsubscribed_at IS NULL
    AND m.released_at IS NULL AND (m.arrears_since IS NULL OR m.arrears_since > $5 - $9)";

/// How many apps the filter admits.
pub async fn count(db: &Database, filter: &AppFilter<'_>) -> Result<i64, sqlx::Error> {
    db::query_scalar(&format!("SELECT COUNT(*) FROM {APPS} WHERE {APP_FILTER}"))
        .bind(filter.account_id)
        .bind(filter.pattern)
        .bind(filter.delivery)
        .bind(filter.status)
        .bind(filter.now)
        .bind(None::<i64>)
        .bind(None::<i64>)
        .bind(filter.released_after)
        .bind(filter.usage_released_after)
        .bind(filter.trial_released_after)
        .fetch_one(db)
        .await
}

/// One page of the apps the filter admits, newest first.
pub async fn page(db: &Database, filter: &AppFilter<'_>, limit: i64, offset: i64) -> Result<Vec<AppRow>, sqlx::Error> {
    db::query_as(&format!(
        "SELECT {APP_COLUMNS} FROM {APPS} WHERE {APP_FILTER}
         ORDER BY purchased_at DESC, o.id DESC LIMIT $6 OFFSET $7"
    ))
    .bind(filter.account_id)
    .bind(filter.pattern)
    .bind(filter.delivery)
    .bind(filter.status)
    .bind(filter.now)
    .bind(limit)
    .bind(offset)
    .bind(filter.released_after)
    .bind(filter.usage_released_after)
    .bind(filter.trial_released_after)
    .fetch_all(db)
    .await
}

/// The account's purchase `order_id`: completed, or (with `in_supervision`) a supervised
/// one still in its flow.
pub async fn owned(
    db: &Database,
    account_id: AccountId,
    order_id: OrderId,
    in_supervision: bool,
) -> Result<Option<AppRow>, sqlx::Error> {
    db::query_as(&format!(
        "SELECT {APP_COLUMNS} FROM {APPS} WHERE o.id = $1 AND o.account_id = $2 AND o.kind = 'purchase'
           AND (o.status = 'completed' OR ($3 AND o.status = 'processing' AND o.supervised = TRUE))"
    ))
    .bind(order_id)
    .bind(account_id)
    .bind(in_supervision)
    .fetch_optional(db)
    .await
}

/// When the app's term ends (none: it has no term), and since when its usage charges
/// have been failing (pay-per-use in arrears), and whether it is an unbought trial.
pub async fn expiry_and_arrears(
    db: &Database,
    order_id: OrderId,
) -> Result<(Option<i64>, Option<i64>, bool), sqlx::Error> {
    db::query_as(&format!("SELECT o.expires_at, m.arrears_since, t.app_id IS NOT NULL FROM {APPS} WHERE o.id = $1"))
        .bind(order_id)
        .fetch_one(db)
        .await
}

/// The instance the seller set up for an app.
#[derive(Debug, sqlx::FromRow)]
pub struct InstanceRow {
    pub instance_id: String,
    pub frontend_url: Option<String>,
    pub management_url: Option<String>,
    pub username_ciphertext: Option<Vec<u8>>,
    pub password_ciphertext: Option<Vec<u8>>,
    pub server_address: Option<String>,
    pub login_user: Option<String>,
}

pub async fn instance(db: &Database, order_id: OrderId) -> Result<Option<InstanceRow>, sqlx::Error> {
    db::query_as(
        "SELECT instance_id, frontend_url, management_url, username_ciphertext, password_ciphertext,
                server_address, login_user FROM instances WHERE order_id = $1",
    )
    .bind(order_id)
    .fetch_optional(db)
    .await
}

/// How to reach the seller of an app.
#[derive(Debug, sqlx::FromRow)]
pub struct SellerContactRow {
    pub name: String,
    pub email: String,
    pub phone: String,
    pub support_hours: String,
}

pub async fn seller_contact(db: &Database, order_id: OrderId) -> Result<SellerContactRow, sqlx::Error> {
    db::query_as(
        "SELECT s.name, s.email, s.phone, s.support_hours FROM orders o JOIN sellers s ON s.id = o.seller_id WHERE o.id = $1",
    )
    .bind(order_id)
    .fetch_one(db)
    .await
}

/// When the account revealed credentials after `since`, oldest first.
pub async fn reveals_since(
    connection: &mut Connection,
    account_id: AccountId,
    since: i64,
) -> Result<Vec<i64>, sqlx::Error> {
    db::query_scalar(
        "SELECT revealed_at FROM credential_reveals WHERE account_id = $1 AND revealed_at > $2 ORDER BY revealed_at",
    )
    .bind(account_id)
    .bind(since)
    .fetch_all(connection)
    .await
}

/// One reveal, for the audit: who, which app and instance, when, from where.
pub struct Reveal<'a> {
    pub account_id: AccountId,
    pub order_id: OrderId,
    pub instance_id: &'a str,
    pub at: i64,
    pub client_address: Option<&'a str>,
    pub user_agent: Option<&'a str>,
}

pub async fn record_reveal(connection: &mut Connection, reveal: Reveal<'_>) -> Result<(), sqlx::Error> {
    db::query(
        "INSERT INTO credential_reveals (account_id, order_id, instance_id, revealed_at, client_address, user_agent)
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(reveal.account_id)
    .bind(reveal.order_id)
    .bind(reveal.instance_id)
    .bind(reveal.at)
    .bind(reveal.client_address)
    .bind(reveal.user_agent)
    .execute(connection)
    .await?;
    Ok(())
}
