//! `login_throttles`: failed password checks counted per account and per client address.

use crate::infra::db::{self, Connection};

/// One key's count: failures, the last one, and the lock if any.
#[derive(Debug, sqlx::FromRow)]
pub struct ThrottleRow {
    pub failures: i64,
    pub last_failure_at: i64,
    pub locked_until: Option<i64>,
}

pub async fn get(connection: &mut Connection, scope: &str, key: &str) -> Result<Option<ThrottleRow>, sqlx::Error> {
    db::query_as("SELECT failures, last_failure_at, locked_until FROM login_throttles WHERE scope = $1 AND key = $2")
        .bind(scope)
        .bind(key)
        .fetch_optional(connection)
        .await
}

pub async fn put(connection: &mut Connection, scope: &str, key: &str, row: &ThrottleRow) -> Result<(), sqlx::Error> {
    db::query(
        "INSERT INTO login_throttles (scope, key, failures, last_failure_at, locked_until) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (scope, key) DO UPDATE SET failures = excluded.failures,
             last_failure_at = excluded.last_failure_at, locked_until = excluded.locked_until",
    )
    .bind(scope)
    .bind(key)
    .bind(row.failures)
    .bind(row.last_failure_at)
    .bind(row.locked_until)
    .execute(connection)
    .await?;
    Ok(())
}

/// Forgets counts whose last failure is before `before` and that hold no lock at `now`.
pub async fn forget_old(connection: &mut Connection, before: i64, now: i64) -> Result<(), sqlx::Error> {
    db::query(
        "DELETE FROM login_throttles WHERE last_failure_at < $1 AND (locked_until IS NULL OR locked_until <= $2)",
    )
    .bind(before)
    .bind(now)
    .execute(connection)
    .await?;
    Ok(())
}

/// Moves the key's last failure to `now` (never back).
pub async fn failed_at(connection: &mut Connection, scope: &str, key: &str, now: i64) -> Result<(), sqlx::Error> {
    db::query(
        "UPDATE login_throttles SET last_failure_at = CASE WHEN last_failure_at > $1 THEN last_failure_at ELSE $1 END
         WHERE scope = $2 AND key = $3",
    )
    .bind(now)
    .bind(scope)
    .bind(key)
    .execute(connection)
    .await?;
    Ok(())
}

/// The account's count starts again.
pub async fn clear_account(connection: &mut Connection, account_key: &str) -> Result<(), sqlx::Error> {
    db::query("DELETE FROM login_throttles WHERE scope = 'account' AND key = $1")
        .bind(account_key)
        .execute(connection)
        .await?;
    Ok(())
}

/// The address gets back one failure, unless it is locked.
pub async fn forgive_one(connection: &mut Connection, address_key: &str) -> Result<(), sqlx::Error> {
    db::query(
        "UPDATE login_throttles SET failures = failures - 1
         WHERE scope = 'address' AND key = $1 AND failures > 0 AND locked_until IS NULL",
    )
    .bind(address_key)
    .execute(connection)
    .await?;
    Ok(())
}
