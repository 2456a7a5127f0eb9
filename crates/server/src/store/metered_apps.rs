//! A pay-per-use app's billing state (`metered_apps`): when its hourly run is due, its
//! monthly cap and the cap's suspension, its arrears and its release for unpaid usage.

use bazaar_core::ids::{AccountId, OrderId};
use bazaar_core::money::Currency;

use crate::infra::db::{self, Connection, Database};

/// Makes sure the app has its billing row; its first charge runs at `next_charge_at`.
pub async fn ensure_metered(
    connection: &mut Connection,
    app_id: OrderId,
    account_id: AccountId,
    next_charge_at: i64,
) -> Result<(), sqlx::Error> {
    db::query(
        "INSERT INTO metered_apps (app_id, account_id, next_charge_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
    )
    .bind(app_id)
    .bind(account_id)
    .bind(next_charge_at)
    .execute(connection)
    .await?;
    Ok(())
}

/// Starts billing every app of `apps` (app, account) not billed yet, in one statement
/// per hundred apps.
pub async fn ensure_all_metered(
    connection: &mut Connection,
    apps: &[(OrderId, AccountId)],
    next_charge_at: i64,
) -> Result<(), sqlx::Error> {
    for chunk in apps.chunks(100) {
        let rows: Vec<String> =
            (0..chunk.len()).map(|row| format!("(${}, ${}, $1)", row * 2 + 2, row * 2 + 3)).collect();
        let sql = format!(
            "INSERT INTO metered_apps (app_id, account_id, next_charge_at) VALUES {} ON CONFLICT DO NOTHING",
            rows.join(", ")
        );
        let mut query = db::query(&sql).bind(next_charge_at);
        for (app_id, account_id) in chunk {
            query = query.bind(*app_id).bind(*account_id);
        }
        query.execute(&mut *connection).await?;
    }
    Ok(())
}

/// A metered app's billing state.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct MeteredRow {
    pub app_id: OrderId,
    pub account_id: AccountId,
    pub seller_id: i64,
    pub product_name: String,
    pub currency: Currency,
    pub cap_minor: Option<i64>,
    pub arrears_since: Option<i64>,
    pub released_at: Option<i64>,
    pub cap_suspended_month: Option<i64>,
    pub unsubscribed_at: Option<i64>,
}

const METERED_COLUMNS: &str = "m.app_id, m.account_id, o.seller_id, o.product_name, o.currency, m.cap_minor,
    m.arrears_since, m.released_at, m.cap_suspended_month, o.unsubscribed_at";

pub async fn metered(connection: &mut Connection, app_id: OrderId) -> Result<Option<MeteredRow>, sqlx::Error> {
    db::query_as(&format!(
        "SELECT {METERED_COLUMNS} FROM metered_apps m JOIN orders o ON o.id = m.app_id WHERE m.app_id = $1"
    ))
    .bind(app_id)
    .fetch_optional(connection)
    .await
}

/// Apps whose hourly run is due at `now` and that have something to settle.
pub async fn due_for_charging(db: &Database, now: i64, limit: i64) -> Result<Vec<MeteredRow>, sqlx::Error> {
    db::query_as(&format!(
        "SELECT {METERED_COLUMNS} FROM metered_apps m JOIN orders o ON o.id = m.app_id
         WHERE m.next_charge_at <= $1 AND m.released_at IS NULL
           AND EXISTS (SELECT 1 FROM usage_records r WHERE r.app_id = m.app_id AND r.charge_id IS NULL)
         ORDER BY m.next_charge_at LIMIT $2"
    ))
    .bind(now)
    .bind(limit)
    .fetch_all(db)
    .await
}

/// Puts the app in arrears since `since`, unless it already is.
pub async fn enter_arrears(connection: &mut Connection, app_id: OrderId, since: i64) -> Result<bool, sqlx::Error> {
    let changed = db::query("UPDATE metered_apps SET arrears_since = $1 WHERE app_id = $2 AND arrears_since IS NULL")
        .bind(since)
        .bind(app_id)
        .execute(connection)
        .await?;
    Ok(changed.rows_affected() == 1)
}

/// Takes the app out of arrears; the arrears start it had, if any. (`RETURNING` would
/// give the new value, so the old one is read first, under the caller's account lock.)
pub async fn leave_arrears(connection: &mut Connection, app_id: OrderId) -> Result<Option<i64>, sqlx::Error> {
    let since: Option<Option<i64>> = db::query_scalar("SELECT arrears_since FROM metered_apps WHERE app_id = $1")
        .bind(app_id)
        .fetch_optional(&mut *connection)
        .await?;
    let Some(since) = since.flatten() else { return Ok(None) };
    db::query("UPDATE metered_apps SET arrears_since = NULL WHERE app_id = $1 AND arrears_since = $2")
        .bind(app_id)
        .bind(since)
        .execute(connection)
        .await?;
    Ok(Some(since))
}

/// Apps in arrears (not released yet).
pub async fn in_arrears(db: &Database) -> Result<Vec<MeteredRow>, sqlx::Error> {
    db::query_as(&format!(
        "SELECT {METERED_COLUMNS} FROM metered_apps m JOIN orders o ON o.id = m.app_id
         WHERE m.arrears_since IS NOT NULL AND m.released_at IS NULL"
    ))
    .fetch_all(db)
    .await
}

/// Marks the app released for unpaid usage at `at`; `false` when it already was.
pub async fn mark_released(connection: &mut Connection, app_id: OrderId, at: i64) -> Result<bool, sqlx::Error> {
    let changed = db::query("UPDATE metered_apps SET released_at = $1 WHERE app_id = $2 AND released_at IS NULL")
        .bind(at)
        .bind(app_id)
        .execute(connection)
        .await?;
    Ok(changed.rows_affected() == 1)
}

/// Sets the app's monthly cap (none: no cap), creating its billing row if needed.
pub async fn set_cap(
    connection: &mut Connection,
    app_id: OrderId,
    account_id: AccountId,
    cap_minor: Option<i64>,
    next_charge_at: i64,
) -> Result<(), sqlx::Error> {
    db::query(
        "INSERT INTO metered_apps (app_id, account_id, cap_minor, next_charge_at) VALUES ($1, $2, $3, $4)
         ON CONFLICT (app_id) DO UPDATE SET cap_minor = excluded.cap_minor",
    )
    .bind(app_id)
    .bind(account_id)
    .bind(cap_minor)
    .bind(next_charge_at)
    .execute(connection)
    .await?;
    Ok(())
}

/// Marks the app suspended by its cap in `month`; `false` when it already was.
pub async fn suspend_by_cap(connection: &mut Connection, app_id: OrderId, month: i64) -> Result<bool, sqlx::Error> {
    let changed = db::query(
        "UPDATE metered_apps SET cap_suspended_month = $1
         WHERE app_id = $2 AND (cap_suspended_month IS NULL OR cap_suspended_month <> $1)",
    )
    .bind(month)
    .bind(app_id)
    .execute(connection)
    .await?;
    Ok(changed.rows_affected() == 1)
}

/// Lifts the cap's suspension; the month it was for, if it was suspended (read first,
/// under the caller's account lock).
pub async fn lift_cap_suspension(connection: &mut Connection, app_id: OrderId) -> Result<Option<i64>, sqlx::Error> {
    let month: Option<Option<i64>> = db::query_scalar("SELECT cap_suspended_month FROM metered_apps WHERE app_id = $1")
        .bind(app_id)
        .fetch_optional(&mut *connection)
        .await?;
    let Some(month) = month.flatten() else { return Ok(None) };
    let lifted =
        db::query("UPDATE metered_apps SET cap_suspended_month = NULL WHERE app_id = $1 AND cap_suspended_month = $2")
            .bind(app_id)
            .bind(month)
            .execute(connection)
            .await?;
    Ok((lifted.rows_affected() == 1).then_some(month))
}

/// Apps suspended by the cap of a month before `month`: the month is over.
pub async fn suspended_before(db: &Database, month: i64) -> Result<Vec<MeteredRow>, sqlx::Error> {
    db::query_as(&format!(
        "SELECT {METERED_COLUMNS} FROM metered_apps m JOIN orders o ON o.id = m.app_id
         WHERE m.cap_suspended_month < $1"
    ))
    .bind(month)
    .fetch_all(db)
    .await
}

/// Claims the runs of the account's apps due at `now` (moving each app's next run to
/// `next`); the apps claimed. A second run finds them moved and claims nothing.
pub async fn claim_due_of_account(
    connection: &mut Connection,
    account_id: AccountId,
    now: i64,
    next: i64,
) -> Result<Vec<OrderId>, sqlx::Error> {
    db::query_scalar(
        "UPDATE metered_apps SET next_charge_at = $1
         WHERE account_id = $2 AND next_charge_at <= $3 AND released_at IS NULL RETURNING app_id",
    )
    .bind(next)
    .bind(account_id)
    .bind(now)
    .fetch_all(connection)
    .await
}

/// Every metered app of the account's.
pub async fn of_account(connection: &mut Connection, account_id: AccountId) -> Result<Vec<MeteredRow>, sqlx::Error> {
    db::query_as(&format!(
        "SELECT {METERED_COLUMNS} FROM metered_apps m JOIN orders o ON o.id = m.app_id WHERE m.account_id = $1"
    ))
    .bind(account_id)
    .fetch_all(connection)
    .await
}
