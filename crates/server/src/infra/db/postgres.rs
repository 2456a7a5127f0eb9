//! Opening a PostgreSQL database shared by several instances, running its migrations, and
//! its write transactions.

use std::str::FromStr;
use std::time::Duration;

use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::{PgPool, Postgres};

/// The advisory lock every write transaction holds until it ends (any number will do, as
/// long as nothing else in the database uses it).
const WRITER_LOCK: i64 = 0x6261_7a61_6172; // "bazaar"

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

pub(super) async fn begin_write(pool: &PgPool) -> Result<sqlx::Transaction<'static, Postgres>, sqlx::Error> {
    let mut transaction = pool.begin().await?;
    sqlx::query("SELECT pg_advisory_xact_lock($1)").bind(WRITER_LOCK).execute(&mut *transaction).await?;
    Ok(transaction)
}
