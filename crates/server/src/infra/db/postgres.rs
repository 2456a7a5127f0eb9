//! Opening a PostgreSQL database shared by several instances, running its migrations, and
//! its write transactions.

use std::str::FromStr;
use std::time::Duration;

use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::{PgPool, Postgres};

use super::WriteScope;

// Advisory locks come in two-number form here, (family, key): the families keep keyed
// locks, task leaderships and the global ones apart (any numbers nothing else uses).
/// (KEY_LOCKS, hash of a key): [`WriteScope::Keys`].
const KEY_LOCKS: i32 = 0x6261_7a01;
/// (TASK_LOCKS, hash of the task's name): who leads a background task.
const TASK_LOCKS: i32 = 0x6261_7a02;
/// (MAINTENANCE_LOCK, 0): [`WriteScope::Maintenance`].
const MAINTENANCE_LOCK: i32 = 0x6261_7a03;
/// (START_UP_LOCK, 0): one instance's start-up at a time.
const START_UP_LOCK: i32 = 0x6261_7a04;

pub(super) async fn connect(database_url: &str, pool_size: u32) -> Result<PgPool, sqlx::Error> {
    let options = PgConnectOptions::from_str(database_url)?;
    // PostgreSQL connections are processes: each instance keeps a modest pool, and
    // instances × pool size must stay under the server's max_connections (100 by default).
    let pool = PgPoolOptions::new()
        .max_connections(pool_size.max(2))
        .acquire_timeout(Duration::from_secs(60))
        .connect_with(options)
        .await?;
    // Instances starting together take turns: sqlx's migrator holds an advisory lock.
    sqlx::migrate!("./migrations/postgres").run(&pool).await?;
    Ok(pool)
}

pub(super) async fn begin_write(
    pool: &PgPool,
    scope: WriteScope<'_>,
) -> Result<sqlx::Transaction<'static, Postgres>, sqlx::Error> {
    let mut transaction = pool.begin().await?;
    match scope {
        WriteScope::Account(account_id) => {
            sqlx::query("SELECT id FROM accounts WHERE id = $1 FOR NO KEY UPDATE")
                .bind(account_id.0)
                .execute(&mut *transaction)
                .await?;
        }
        WriteScope::Accounts(account_ids) => {
            // Locked in id order (the lock is taken above the sort), so that two such
            // writers cannot wait for each other in a circle; every other writer holds
            // one account at most.
            let ids: Vec<i64> = account_ids.iter().map(|id| id.0).collect();
            sqlx::query("SELECT id FROM accounts WHERE id = ANY($1) ORDER BY id FOR NO KEY UPDATE")
                .bind(&ids)
                .execute(&mut *transaction)
                .await?;
        }
        WriteScope::Keys(keys) => {
            let mut keys: Vec<&str> = keys.iter().map(String::as_str).collect();
            keys.sort_unstable();
            keys.dedup();
            for key in keys {
                sqlx::query("SELECT pg_advisory_xact_lock($1, hashtext($2))")
                    .bind(KEY_LOCKS)
                    .bind(key)
                    .execute(&mut *transaction)
                    .await?;
            }
        }
        WriteScope::Guarded => {}
        WriteScope::Maintenance => {
            sqlx::query("SELECT pg_advisory_xact_lock($1, 0)")
                .bind(MAINTENANCE_LOCK)
                .execute(&mut *transaction)
                .await?;
        }
    }
    Ok(transaction)
}

/// `Some(open transaction holding the task's lock)`, or `None` when another session holds it.
pub(super) async fn try_lead(
    pool: &PgPool,
    task: &str,
) -> Result<Option<sqlx::Transaction<'static, Postgres>>, sqlx::Error> {
    let mut transaction = pool.begin().await?;
    let led: bool = sqlx::query_scalar("SELECT pg_try_advisory_xact_lock($1, hashtext($2))")
        .bind(TASK_LOCKS)
        .bind(task)
        .fetch_one(&mut *transaction)
        .await?;
    Ok(led.then_some(transaction))
}

pub(super) async fn lead_start_up(pool: &PgPool) -> Result<sqlx::Transaction<'static, Postgres>, sqlx::Error> {
    let mut transaction = pool.begin().await?;
    sqlx::query("SELECT pg_advisory_xact_lock($1, 0)").bind(START_UP_LOCK).execute(&mut *transaction).await?;
    Ok(transaction)
}
