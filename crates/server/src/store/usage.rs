//! Pay-per-use at rest: `usage_records` (what sellers reported, rated, and the sums the
//! pages show) and the nonces of sellers' signed calls (`seller_request_nonces`). Billing
//! state is in `metered_apps`, settling in `usage_charges`.

use bazaar_core::catalog::BillingMode;
use bazaar_core::ids::{AccountId, OrderId};
use bazaar_core::money::Currency;

use crate::infra::db::{self, Connection, Database};
use crate::store::usage_sums;

/// Records the nonce of a seller's signed call; `false` when it was seen before.
pub async fn claim_nonce(
    connection: &mut Connection,
    seller_id: i64,
    nonce: &str,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let inserted = db::query(
        "INSERT INTO seller_request_nonces (seller_id, nonce, seen_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
    )
    .bind(seller_id)
    .bind(nonce)
    .bind(now)
    .execute(connection)
    .await?;
    Ok(inserted.rows_affected() == 1)
}

/// Forgets nonces seen before `before` (their timestamps are refused anyway by then).
pub async fn forget_nonces_before(db: &Database, before: i64) -> Result<u64, sqlx::Error> {
    Ok(db::query("DELETE FROM seller_request_nonces WHERE seen_at < $1")
        .bind(before)
        .execute(db)
        .await?
        .rows_affected())
}

/// A seller's completed purchase, as the usage checks and rating need it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct SellerAppRow {
    pub id: OrderId,
    pub account_id: AccountId,
    pub billing_mode: BillingMode,
    pub quantity: i64,
    pub currency: Currency,
    /// The price breakdown the buyer agreed to (JSON of `PriceBreakdown`).
    pub price_json: String,
    pub completed_at: Option<i64>,
    pub unsubscribed_at: Option<i64>,
    pub released_at: Option<i64>,
}

/// Those of `app_ids` that are the seller's completed purchases (the others are not).
pub async fn seller_apps(
    connection: &mut Connection,
    seller_id: i64,
    app_ids: &[i64],
) -> Result<Vec<SellerAppRow>, sqlx::Error> {
    let mut rows = Vec::with_capacity(app_ids.len());
    for chunk in app_ids.chunks(500) {
        let ids: Vec<String> = (0..chunk.len()).map(|n| format!("${}", n + 2)).collect();
        let sql = format!(
            "SELECT o.id, o.account_id, o.billing_mode, o.quantity, o.currency, o.price_json,
                    COALESCE(o.completed_at, o.paid_at, o.created_at) AS completed_at, o.unsubscribed_at, m.released_at
             FROM orders o LEFT JOIN metered_apps m ON m.app_id = o.id
             WHERE o.seller_id = $1 AND o.kind = 'purchase' AND o.status = 'completed' AND o.id IN ({})",
            ids.join(", ")
        );
        let mut query = db::query_as(&sql).bind(seller_id);
        for id in chunk {
            query = query.bind(*id);
        }
        rows.extend(query.fetch_all(&mut *connection).await?);
    }
    Ok(rows)
}

/// The quantity recorded for (app, dimension, hour), if any.
pub async fn recorded_quantity(
    connection: &mut Connection,
    app_id: OrderId,
    dimension: &str,
    hour: i64,
) -> Result<Option<i64>, sqlx::Error> {
    db::query_scalar("SELECT quantity FROM usage_records WHERE app_id = $1 AND dimension = $2 AND hour = $3")
        .bind(app_id)
        .bind(dimension)
        .bind(hour)
        .fetch_optional(connection)
        .await
}

/// A rated record to store.
pub struct NewRecord<'a> {
    pub app_id: OrderId,
    pub account_id: AccountId,
    pub dimension: &'a str,
    pub month: i64,
    pub hour: i64,
    pub quantity: i64,
    pub amount_minor: i64,
    pub currency: Currency,
    pub now: i64,
}

/// Stores the record; `false` when (app, dimension, hour) is already there.
pub async fn insert_record(connection: &mut Connection, record: NewRecord<'_>) -> Result<bool, sqlx::Error> {
    Ok(!insert_records(connection, std::slice::from_ref(&record)).await?.is_empty())
}

/// Rows a multi-row insert carries: a whole report (10 parameters each, 10,000 in all,
/// under both engines' limits: SQLite 32,766, PostgreSQL 65,535); one statement a report
/// keeps the write short.
const ROWS_PER_INSERT: usize = 1_000;

/// Binds each record's ten values, in the insert's column order.
macro_rules! bind_records {
    ($query:expr, $chunk:expr) => {{
        let mut query = $query;
        for record in $chunk {
            query = query
                .bind(record.app_id)
                .bind(record.dimension)
                .bind(record.month)
                .bind(record.hour)
                .bind(record.quantity)
                .bind(record.amount_minor)
                .bind(record.currency)
                .bind(record.account_id)
                .bind(record.now)
                .bind(None::<i64>);
        }
        query
    }};
}

/// Stores the records that are not there yet, a report to a statement, and adds them to
/// their months' sums; the (app, dimension, hour) of those it stored.
///
/// Usually every record is new: the insert then says only how many it stored, and all of
/// them were. When some were there already, it is undone and made again saying which rows
/// it stored (a thousand rows handed back one by one cost more than the insert itself).
pub async fn insert_records(
    connection: &mut Connection,
    records: &[NewRecord<'_>],
) -> Result<std::collections::HashSet<(OrderId, String, i64)>, sqlx::Error> {
    let mut stored = std::collections::HashSet::new();
    for chunk in records.chunks(ROWS_PER_INSERT) {
        let rows: Vec<String> = (0..chunk.len())
            .map(|row| {
                let first = row * 10;
                let places: Vec<String> = (1..=10).map(|column| format!("${}", first + column)).collect();
                format!("({})", places.join(", "))
            })
            .collect();
        let sql = format!(
            "INSERT INTO usage_records (app_id, dimension, month, hour, quantity, amount_minor, currency, account_id,
                                        recorded_at, charged_minor)
             VALUES {} ON CONFLICT DO NOTHING",
            rows.join(", ")
        );
        super::savepoint(connection, "usage_insert").await?;
        let inserted = bind_records!(db::query(&sql), chunk).execute(&mut *connection).await?;
        if inserted.rows_affected() == chunk.len() as u64 {
            super::release(connection, "usage_insert").await?;
            stored.extend(chunk.iter().map(|record| (record.app_id, record.dimension.to_owned(), record.hour)));
            continue;
        }
        super::rollback_to(connection, "usage_insert").await?;
        super::release(connection, "usage_insert").await?;
        let returning = format!("{sql} RETURNING app_id, dimension, hour");
        let query = bind_records!(db::query_as::<(OrderId, String, i64)>(&returning), chunk);
        stored.extend(query.fetch_all(&mut *connection).await?);
    }
    let mut additions = usage_sums::Additions::default();
    for record in records {
        if stored.contains(&(record.app_id, record.dimension.to_owned(), record.hour)) {
            let added = usage_sums::Added {
                quantity: record.quantity,
                rated_minor: record.amount_minor,
                ..usage_sums::Added::default()
            };
            let key = (record.app_id, record.dimension, record.month);
            additions.add(key, record.account_id, record.currency, added);
        }
    }
    usage_sums::add(connection, &additions).await?;
    Ok(stored)
}

/// One hour of an app's usage, every dimension together.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct HourRow {
    pub hour: i64,
    pub quantity: i64,
    pub amount_minor: i64,
}

/// The app's usage per hour from `since`, oldest first.
pub async fn hours(db: &Database, app_id: OrderId, since: i64) -> Result<Vec<HourRow>, sqlx::Error> {
    db::query_as(
        "SELECT hour, CAST(SUM(quantity) AS BIGINT) AS quantity, CAST(SUM(amount_minor) AS BIGINT) AS amount_minor
         FROM usage_records WHERE app_id = $1 AND hour >= $2 GROUP BY hour ORDER BY hour",
    )
    .bind(app_id)
    .bind(since)
    .fetch_all(db)
    .await
}

/// Rated, charged, outstanding and waived sums.
#[derive(Debug, Clone, Copy, Default, sqlx::FromRow)]
pub struct Sums {
    pub quantity: i64,
    pub rated_minor: i64,
    pub charged_minor: i64,
    pub outstanding_minor: i64,
    pub waived_minor: i64,
}

/// The app's sums in `month`.
pub async fn app_month(db: &Database, app_id: OrderId, month: i64) -> Result<Sums, sqlx::Error> {
    db::query_as(
        "SELECT CAST(COALESCE(SUM(quantity), 0) AS BIGINT) AS quantity,
                CAST(COALESCE(SUM(rated_minor), 0) AS BIGINT) AS rated_minor,
                CAST(COALESCE(SUM(charged_minor), 0) AS BIGINT) AS charged_minor,
                CAST(COALESCE(SUM(rated_minor - settled_minor), 0) AS BIGINT) AS outstanding_minor,
                CAST(COALESCE(SUM(settled_minor - charged_minor), 0) AS BIGINT) AS waived_minor
         FROM usage_month_sums WHERE app_id = $1 AND month = $2",
    )
    .bind(app_id)
    .bind(month)
    .fetch_one(db)
    .await
}

/// Everything of the app not settled yet.
pub async fn app_outstanding(db: &Database, app_id: OrderId) -> Result<i64, sqlx::Error> {
    db::query_scalar(
        "SELECT CAST(COALESCE(SUM(rated_minor - settled_minor), 0) AS BIGINT) FROM usage_month_sums WHERE app_id = $1",
    )
    .bind(app_id)
    .fetch_one(db)
    .await
}

/// Everything of the account not settled yet, per currency (those with anything).
pub async fn account_outstanding(db: &Database, account_id: AccountId) -> Result<Vec<(Currency, i64)>, sqlx::Error> {
    db::query_as(
        "SELECT currency, CAST(SUM(rated_minor - settled_minor) AS BIGINT) FROM usage_month_sums
         WHERE account_id = $1 AND settled_minor < rated_minor GROUP BY currency ORDER BY currency",
    )
    .bind(account_id)
    .fetch_all(db)
    .await
}

/// What an app's usage is rated at: the order's price breakdown, quantity and currency.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct PricingRow {
    pub price_json: String,
    pub quantity: i64,
    pub currency: Currency,
}

pub async fn pricing(db: &Database, app_id: OrderId) -> Result<PricingRow, sqlx::Error> {
    db::query_as("SELECT price_json, quantity, currency FROM orders WHERE id = $1").bind(app_id).fetch_one(db).await
}
