//! Monthly usage bills: live figures of an open month from `usage_month_sums`, and the
//! closed ones kept as they were on the 3rd (`usage_bills`, `usage_bill_lines`).

use bazaar_core::ids::{AccountId, OrderId};
use bazaar_core::money::Currency;

use crate::infra::db::{self, Connection, Database};

/// A month (and currency) in which the account has usage, and whether its bill is closed.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct BillMonthRow {
    pub month: i64,
    pub currency: Currency,
    pub quantity: i64,
    pub rated_minor: i64,
    pub charged_minor: i64,
    pub outstanding_minor: i64,
    pub waived_minor: i64,
    /// When closed: its figures as they were then.
    pub closed_at: Option<i64>,
}

/// Every month with usage, newest first: closed bills as kept, open ones live.
pub async fn months(db: &Database, account_id: AccountId) -> Result<Vec<BillMonthRow>, sqlx::Error> {
    db::query_as(
        "SELECT month, currency, CAST(0 AS BIGINT) AS quantity, rated_minor, charged_minor, outstanding_minor, waived_minor, closed_at
         FROM usage_bills WHERE account_id = $1
         UNION ALL
         SELECT live.* FROM (
             SELECT s.month, s.currency, CAST(SUM(s.quantity) AS BIGINT) AS quantity,
                    CAST(SUM(s.rated_minor) AS BIGINT) AS rated_minor,
                    CAST(SUM(s.charged_minor) AS BIGINT) AS charged_minor,
                    CAST(SUM(s.rated_minor - s.settled_minor) AS BIGINT) AS outstanding_minor,
                    CAST(SUM(s.settled_minor - s.charged_minor) AS BIGINT) AS waived_minor,
                    CAST(NULL AS BIGINT) AS closed_at
             FROM usage_month_sums s
             -- Only months after the last closed one are open; older ones are never summed.
             WHERE s.account_id = $1
               AND s.month > COALESCE((SELECT MAX(b.month) FROM usage_bills b WHERE b.account_id = $1), -1)
             GROUP BY s.month, s.currency) AS live
         WHERE NOT EXISTS (SELECT 1 FROM usage_bills b
                 WHERE b.account_id = $1 AND b.month = live.month AND b.currency = live.currency)
         ORDER BY 1 DESC, 2",
    )
    .bind(account_id)
    .fetch_all(db)
    .await
}

/// The closed bill of (account, month, currency), if it is closed.
pub async fn closed(
    connection: &mut Connection,
    account_id: AccountId,
    month: i64,
    currency: Currency,
) -> Result<Option<BillMonthRow>, sqlx::Error> {
    db::query_as(
        "SELECT month, currency, CAST(0 AS BIGINT) AS quantity, rated_minor, charged_minor, outstanding_minor, waived_minor, closed_at
         FROM usage_bills WHERE account_id = $1 AND month = $2 AND currency = $3",
    )
    .bind(account_id)
    .bind(month)
    .bind(currency)
    .fetch_optional(connection)
    .await
}

/// One app and dimension of a bill.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct LineRow {
    pub app_id: OrderId,
    pub product_name: String,
    pub dimension: String,
    pub quantity: i64,
    pub rated_minor: i64,
    pub charged_minor: i64,
    pub outstanding_minor: i64,
    pub waived_minor: i64,
}

/// The lines of a month still open, from the sums as they are now.
pub async fn live_lines(
    connection: &mut Connection,
    account_id: AccountId,
    month: i64,
    currency: Currency,
) -> Result<Vec<LineRow>, sqlx::Error> {
    db::query_as(
        "SELECT s.app_id, o.product_name, s.dimension, s.quantity, s.rated_minor, s.charged_minor,
                s.rated_minor - s.settled_minor AS outstanding_minor, s.settled_minor - s.charged_minor AS waived_minor
         FROM usage_month_sums s JOIN orders o ON o.id = s.app_id
         WHERE s.account_id = $1 AND s.month = $2 AND s.currency = $3
         ORDER BY s.app_id, s.dimension",
    )
    .bind(account_id)
    .bind(month)
    .bind(currency)
    .fetch_all(connection)
    .await
}

/// The lines of a closed bill, as kept.
pub async fn closed_lines(
    connection: &mut Connection,
    account_id: AccountId,
    month: i64,
    currency: Currency,
) -> Result<Vec<LineRow>, sqlx::Error> {
    db::query_as(
        "SELECT l.app_id, o.product_name, l.dimension, l.quantity, l.rated_minor, l.charged_minor,
                l.outstanding_minor, l.waived_minor
         FROM usage_bill_lines l JOIN orders o ON o.id = l.app_id
         WHERE l.account_id = $1 AND l.month = $2 AND l.currency = $3 ORDER BY l.app_id, l.dimension",
    )
    .bind(account_id)
    .bind(month)
    .bind(currency)
    .fetch_all(connection)
    .await
}

/// A bill due to close: (account, month, currency) with usage and no closed bill.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ToClose {
    pub account_id: AccountId,
    pub month: i64,
    pub currency: Currency,
}

/// Bills of months before `month` not closed yet, oldest month first (a buyer's months
/// close in order, so the open ones are always those after the last closed one).
pub async fn to_close(db: &Database, month: i64) -> Result<Vec<ToClose>, sqlx::Error> {
    db::query_as(
        "SELECT DISTINCT s.account_id, s.month, s.currency FROM usage_month_sums s
         WHERE s.month < $1 AND NOT EXISTS (SELECT 1 FROM usage_bills b
                 WHERE b.account_id = s.account_id AND b.month = s.month AND b.currency = s.currency)
         ORDER BY s.month, s.account_id, s.currency",
    )
    .bind(month)
    .fetch_all(db)
    .await
}

/// Keeps a bill as it is at `now`; `false` when another run closed it first.
pub async fn insert_closed(
    connection: &mut Connection,
    bill: &ToClose,
    lines: &[LineRow],
    now: i64,
) -> Result<bool, sqlx::Error> {
    let sum = |pick: fn(&LineRow) -> i64| lines.iter().map(pick).sum::<i64>();
    let inserted = db::query(
        "INSERT INTO usage_bills (account_id, month, currency, rated_minor, charged_minor, outstanding_minor,
                                  waived_minor, closed_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT DO NOTHING",
    )
    .bind(bill.account_id)
    .bind(bill.month)
    .bind(bill.currency)
    .bind(sum(|line| line.rated_minor))
    .bind(sum(|line| line.charged_minor))
    .bind(sum(|line| line.outstanding_minor))
    .bind(sum(|line| line.waived_minor))
    .bind(now)
    .execute(&mut *connection)
    .await?;
    if inserted.rows_affected() == 0 {
        return Ok(false);
    }
    for line in lines {
        db::query(
            "INSERT INTO usage_bill_lines (account_id, month, currency, app_id, dimension, quantity, rated_minor,
                                           charged_minor, outstanding_minor, waived_minor)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
        )
        .bind(bill.account_id)
        .bind(bill.month)
        .bind(bill.currency)
        .bind(line.app_id)
        .bind(&line.dimension)
        .bind(line.quantity)
        .bind(line.rated_minor)
        .bind(line.charged_minor)
        .bind(line.outstanding_minor)
        .bind(line.waived_minor)
        .execute(&mut *connection)
        .await?;
    }
    Ok(true)
}
