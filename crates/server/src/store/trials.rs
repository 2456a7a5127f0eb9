//! Free trials (`trials`): the one trial a buyer may have of a product, the reminders
//! around its end, and its conversion by a paid renewal order.

use bazaar_core::ids::{AccountId, OrderId, ProductId};
use bazaar_core::orders::OrderStatus;

use crate::infra::db::{self, Connection, Database};

/// Records that app `app_id` is a trial of `product_id` for `account_id`; `false` when the
/// buyer already had one of this product (the unique key decides, also under races).
pub async fn insert(
    connection: &mut Connection,
    app_id: OrderId,
    account_id: AccountId,
    product_id: ProductId,
    started_at: i64,
    ends_at: i64,
) -> Result<bool, sqlx::Error> {
    let inserted = db::query(
        "INSERT INTO trials (app_id, account_id, product_id, started_at, ends_at) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (account_id, product_id) DO NOTHING",
    )
    .bind(app_id)
    .bind(account_id)
    .bind(product_id)
    .bind(started_at)
    .bind(ends_at)
    .execute(connection)
    .await?;
    Ok(inserted.rows_affected() == 1)
}

/// When the buyer's trial of the product started, if they had one.
pub async fn started_at(
    connection: &mut Connection,
    account_id: AccountId,
    product_id: ProductId,
) -> Result<Option<i64>, sqlx::Error> {
    db::query_scalar("SELECT started_at FROM trials WHERE account_id = $1 AND product_id = $2")
        .bind(account_id)
        .bind(product_id)
        .fetch_optional(connection)
        .await
}

/// A trial not bought (yet), with what its messages and notices need.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct OpenTrial {
    pub app_id: OrderId,
    pub account_id: AccountId,
    pub product_name: String,
    pub started_at: i64,
    pub ends_at: i64,
    /// The last `bazaar_core::trials::TrialReminder` sent.
    pub last_reminder: Option<String>,
}

const OPEN_TRIAL: &str = "SELECT t.app_id, t.account_id, o.product_name, t.started_at, t.ends_at, t.last_reminder
     FROM trials t JOIN orders o ON o.id = t.app_id";

/// The unbought trials with a reminder due by `latest` (the first is due 7 days before the
/// end) and not all sent: apps that are set up and not unsubscribed. Not bounded in the
/// past, so that a sweeper back from an outage sends what it missed.
pub async fn to_remind(db: &Database, first_due_by: i64) -> Result<Vec<OpenTrial>, sqlx::Error> {
    db::query_as(&format!(
        "{OPEN_TRIAL}
         WHERE t.converted_at IS NULL AND (t.last_reminder IS NULL OR t.last_reminder <> 'released')
           AND t.ends_at <= $1 AND o.status = $2 AND o.unsubscribed_at IS NULL
         ORDER BY t.ends_at, t.app_id"
    ))
    .bind(first_due_by)
    .bind(OrderStatus::Completed)
    .fetch_all(db)
    .await
}

/// App `app_id`'s trial while it is not bought.
pub async fn open_trial(connection: &mut Connection, app_id: OrderId) -> Result<Option<OpenTrial>, sqlx::Error> {
    db::query_as(&format!("{OPEN_TRIAL} WHERE t.app_id = $1 AND t.converted_at IS NULL"))
        .bind(app_id)
        .fetch_optional(connection)
        .await
}

/// Records `last` as the trial's last reminder, unless it was bought meanwhile or a later
/// one was recorded (`previous` is what the sweeper read); `false` then.
pub async fn mark_reminded(
    connection: &mut Connection,
    app_id: OrderId,
    previous: Option<&str>,
    last: &str,
) -> Result<bool, sqlx::Error> {
    let updated = db::query(
        "UPDATE trials SET last_reminder = $1
         WHERE app_id = $2 AND converted_at IS NULL AND COALESCE(last_reminder, '') = COALESCE($3, '')",
    )
    .bind(last)
    .bind(app_id)
    .bind(previous)
    .execute(connection)
    .await?;
    Ok(updated.rows_affected() == 1)
}

/// The trial of `app_id` was bought by renewal order `order_id`, paid at `now`; `false`
/// when it was bought already.
pub async fn mark_converted(
    connection: &mut Connection,
    app_id: OrderId,
    order_id: OrderId,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let updated =
        db::query("UPDATE trials SET converted_by = $1, converted_at = $2 WHERE app_id = $3 AND converted_at IS NULL")
            .bind(order_id)
            .bind(now)
            .bind(app_id)
            .execute(connection)
            .await?;
    Ok(updated.rows_affected() == 1)
}
