//! Opening the SQLite database (WAL, foreign keys, busy timeout), running its migrations,
//! and the queue its write transactions take turns in.

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

/// A write transaction's turn on its SQLite file, held until it ends.
pub type WritersTurn = tokio::sync::OwnedMutexGuard<()>;

/// The queue of each open SQLite file's write transactions, by file name. SQLite itself
/// lets one writer in at a time and makes the others retry in growing sleeps (up to 100 ms
/// each), so under a burst of writers some wait far longer than the work ahead of them;
/// waiting here instead, in arrival order, each waits just for the writers before it.
static WRITERS: std::sync::LazyLock<
    std::sync::Mutex<std::collections::HashMap<String, std::sync::Arc<tokio::sync::Mutex<()>>>>,
> = std::sync::LazyLock::new(Default::default);

/// How long a writer waits for its turn before it goes ahead on SQLite's own lock (a
/// writer that waited that long has a problem the queue must not turn into a hang).
const TURN_TIMEOUT: Duration = Duration::from_secs(30);

/// Waits for a write transaction's turn on `pool`'s file.
pub(super) async fn writers_turn(pool: &SqlitePool) -> Option<WritersTurn> {
    let file = pool.connect_options().get_filename().to_string_lossy().into_owned();
    let queue = {
        let mut queues = WRITERS.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        queues.entry(file).or_default().clone()
    };
    tokio::time::timeout(TURN_TIMEOUT, queue.lock_owned()).await.ok()
}
