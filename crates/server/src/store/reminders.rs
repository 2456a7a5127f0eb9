//! What the lifecycle sweeper reads and marks on `orders` for the messages time brings:
//! terms still to hear from us (and the last reminder each was sent), unpaid orders near
//! or past their deadline.

use bazaar_core::ids::{AccountId, OrderId};
use bazaar_core::orders::OrderStatus;

use crate::infra::db::{self, Connection, Database};

/// A term whose reminders are not all sent yet.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct TermRow {
    pub id: OrderId,
    pub account_id: AccountId,
    pub product_name: String,
    pub expires_at: i64,
    #[sqlx(try_from = "crate::infra::db::NullableBigint")]
    pub auto_renew_months: Option<u32>,
    /// The last reminder sent, as `<expires_at>:<kind>`.
    pub reminded: Option<String>,
}

const TERM_COLUMNS: &str = "id, account_id, product_name, expires_at, auto_renew_months, reminded";

/// The apps with a term that is still to hear from us, expiring by `latest`: a completed
/// purchase, not unsubscribed, not a trial still unbought (those have their own messages), whose last reminder (release) has not been sent. Not
/// bounded in the past, so that no outage, however long, makes a reminder disappear.
pub async fn terms_to_remind(db: &Database, latest: i64) -> Result<Vec<TermRow>, sqlx::Error> {
    db::query_as(&format!(
        "SELECT {TERM_COLUMNS} FROM orders
         WHERE kind = 'purchase' AND status = 'completed' AND expires_at IS NOT NULL AND unsubscribed_at IS NULL
           AND (reminded IS NULL OR reminded <> CAST(expires_at AS TEXT) || ':released')
           AND expires_at <= $1
           AND NOT EXISTS (SELECT 1 FROM trials t WHERE t.app_id = orders.id AND t.converted_at IS NULL)"
    ))
    .bind(latest)
    .fetch_all(db)
    .await
}

/// The term of app `order_id`, whatever its reminders.
pub async fn term(db: &Database, order_id: OrderId) -> Result<TermRow, sqlx::Error> {
    db::query_as(&format!("SELECT {TERM_COLUMNS} FROM orders WHERE id = $1")).bind(order_id).fetch_one(db).await
}

/// Records `reminded` as the term's last reminder, while it still ends at `expires_at`.
pub async fn mark_reminded(
    connection: &mut Connection,
    order_id: OrderId,
    expires_at: i64,
    reminded: &str,
) -> Result<(), sqlx::Error> {
    db::query("UPDATE orders SET reminded = $1 WHERE id = $2 AND expires_at = $3")
        .bind(reminded)
        .bind(order_id)
        .bind(expires_at)
        .execute(connection)
        .await?;
    Ok(())
}

/// Unpaid orders placed at or before `placed_by`: (order, buyer, product, placed at).
pub async fn unpaid_placed_by(
    db: &Database,
    placed_by: i64,
) -> Result<Vec<(OrderId, AccountId, String, i64)>, sqlx::Error> {
    db::query_as("SELECT id, account_id, product_name, created_at FROM orders WHERE status = $1 AND created_at <= $2")
        .bind(OrderStatus::PendingPayment)
        .bind(placed_by)
        .fetch_all(db)
        .await
}

/// Unpaid orders placed at or before `placed_by`, with their buyers, oldest first.
pub async fn overdue(db: &Database, placed_by: i64) -> Result<Vec<(OrderId, AccountId)>, sqlx::Error> {
    db::query_as("SELECT id, account_id FROM orders WHERE status = $1 AND created_at <= $2 ORDER BY id")
        .bind(OrderStatus::PendingPayment)
        .bind(placed_by)
        .fetch_all(db)
        .await
}
