//! Opening the SQLite database (WAL, foreign keys, busy timeout) and running its migrations.

use std::str::FromStr;
use std::time::Duration;

use sqlx::SqlitePool;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};

pub(super) async fn connect(database_url: &str) -> Result<SqlitePool, sqlx::Error> {
    let options = SqliteConnectOptions::from_str(database_url)?
        .create_if_missing(true)
        .journal_mode(SqliteJournalMode::Wal)
        // WAL + NORMAL keeps every committed transaction across a process crash (only an
        // OS crash can lose the last ones), which is the guarantee the order tests check.
        .synchronous(SqliteSynchronous::Normal)
        .foreign_keys(true)
        // Writers queue on SQLite's lock (one at a time); under load a burst of them can
        // wait a while, which must not turn into errors.
        .busy_timeout(Duration::from_secs(30));
    // Each waiting writer holds a connection, so the pool is sized for bursts of writers
    // with readers still served alongside (SQLite connections are cheap).
    let pool = SqlitePoolOptions::new()
        .max_connections(32)
        .acquire_timeout(Duration::from_secs(60))
        .connect_with(options)
        .await?;
    sqlx::migrate!("./migrations/sqlite").run(&pool).await?;
    Ok(pool)
}
