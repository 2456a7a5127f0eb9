//! The database: SQLite (one file, the default) or PostgreSQL (several instances), chosen
//! by the URL's scheme. Queries are written once in SQL both understand (`$N` parameters)
//! and run through [`query`], [`query_as`] and [`query_scalar`]; what differs between the
//! two (opening, write transactions, full-text search, change notices) lives in `sqlite`
//! and `postgres`.

mod postgres;
mod query;
mod sqlite;

use std::ops::{Deref, DerefMut};

use bazaar_core::ids::AccountId;
use sqlx::pool::PoolConnection;
use sqlx::{PgPool, Postgres, Sqlite, SqlitePool};

pub use query::{Done, Executor, Query, QueryAs, QueryScalar, Target, query, query_as, query_scalar};

/// Which database engine a pool talks to, for the few places whose SQL differs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// A pool of connections to one of the two databases.
#[derive(Clone, Debug)]
pub enum Database {
    Sqlite(SqlitePool),
    Postgres(PgPool),
}

/// Opens the database `database_url` names (`sqlite://…` or `postgres://…`) and brings
/// its schema up to date with that engine's migrations.
/// `pool_size` is PostgreSQL's connections per instance (SQLite sizes its own pool).
pub async fn connect(database_url: &str, pool_size: u32) -> Result<Database, sqlx::Error> {
    if database_url.starts_with("postgres://") || database_url.starts_with("postgresql://") {
        Ok(Database::Postgres(postgres::connect(database_url, pool_size).await?))
    } else {
        Ok(Database::Sqlite(sqlite::connect(database_url).await?))
    }
}

impl Database {
    pub fn backend(&self) -> Backend {
        match self {
            Database::Sqlite(_) => Backend::Sqlite,
            Database::Postgres(_) => Backend::Postgres,
        }
    }

    /// One connection, for several reads that need no transaction; `&mut *connection` is
    /// its [`Connection`].
    pub async fn acquire(&self) -> Result<PooledConnection, sqlx::Error> {
        Ok(PooledConnection(match self {
            Database::Sqlite(pool) => Connection::SqlitePooled(pool.acquire().await?),
            Database::Postgres(pool) => Connection::PostgresPooled(pool.acquire().await?),
        }))
    }

    /// A read-only transaction in which every read sees one snapshot of the database.
    pub async fn begin_snapshot(&self) -> Result<Transaction, sqlx::Error> {
        Ok(Transaction(
            match self {
                // SQLite's deferred transaction reads one snapshot (WAL) from its first read.
                Database::Sqlite(pool) => Connection::SqliteTransaction(pool.begin().await?),
                Database::Postgres(pool) => Connection::PostgresTransaction(
                    pool.begin_with("BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY").await?,
                ),
            },
            None,
        ))
    }

    /// A plain transaction, for writes that need no serialising with other writers
    /// (seeding an empty database, sealing secrets); see [`begin_write`] for the others.
    pub async fn begin(&self) -> Result<Transaction, sqlx::Error> {
        Ok(Transaction(
            match self {
                Database::Sqlite(pool) => Connection::SqliteTransaction(pool.begin().await?),
                Database::Postgres(pool) => Connection::PostgresTransaction(pool.begin().await?),
            },
            None,
        ))
    }
}

/// What a write transaction holds, on PostgreSQL, before its first statement, so that
/// what it reads stays true until it commits. Every write names its scope: forgetting a
/// lock is a compile error, not a race found in production.
///
/// On SQLite every write transaction is `BEGIN IMMEDIATE`: one writer at a time in the
/// whole file, whatever the scope. On PostgreSQL (READ COMMITTED) writers of different
/// buyers run side by side and those of one buyer queue on the buyer's row.
///
/// Lock order, so that two writers never wait for each other in a circle: the buyer's
/// account first (taken here), then only the rows the statements themselves update (an
/// order's status, a product's sales count, a kept count), each held briefly, and
/// inserts, which the unique indexes make "once" (one payment per order, one key per
/// checkout attempt) whatever the locks. A reseller's bill is a ledger insert with no
/// limit to check, so resellers need no lock of their own.
#[derive(Debug, Clone, Copy)]
pub enum WriteScope<'a> {
    /// One buyer's orders, apps, payments, balance, credit, VPCs, sessions, credential
    /// reveals and messages: the account's row is locked with `FOR NO KEY UPDATE`, which
    /// queues the account's other writers but not the foreign-key checks of rows that
    /// merely point at the account (`FOR UPDATE` would block those too).
    Account(AccountId),
    /// Several buyers' accounts at once, locked in id order (the hourly usage charges of
    /// many buyers in one transaction).
    Accounts(&'a [AccountId]),
    /// Keys with no row of their own to lock (login-throttle counters, which exist only
    /// after a first failure): a transaction-scoped advisory lock on each key's hash,
    /// taken in sorted order so that two writers of overlapping keys cannot deadlock.
    Keys(&'a [String]),
    /// Statements whose own `WHERE` guards make each change happen once however many run
    /// side by side (a seller notice's `state = 'queued'` moves): nothing more is locked.
    Guarded,
    /// Whole-database work (resealing every secret, generating benchmark data): one at a
    /// time across instances, on a global advisory lock.
    Maintenance,
}

/// Begins a write transaction holding what `scope` says (see [`WriteScope`]).
pub async fn begin_write(database: &Database, scope: WriteScope<'_>) -> Result<Transaction, sqlx::Error> {
    Ok(match database {
        // A plain `BEGIN` defers SQLite's lock to the first write, and two such
        // transactions that both read first can deadlock into `SQLITE_BUSY`; `BEGIN
        // IMMEDIATE` makes writers queue instead — here first, in arrival order.
        Database::Sqlite(pool) => {
            let turn = sqlite::writers_turn(pool).await;
            Transaction(Connection::SqliteTransaction(pool.begin_with("BEGIN IMMEDIATE").await?), turn)
        }
        Database::Postgres(pool) => {
            Transaction(Connection::PostgresTransaction(postgres::begin_write(pool, scope).await?), None)
        }
    })
}

/// A background task that runs on one instance at a time: `Some` while this instance
/// leads it, `None` when another does (PostgreSQL's `pg_try_advisory_xact_lock`, held by
/// an open transaction; a killed instance's connection closes and the lock with it, so
/// another instance takes over at its next pass). One SQLite file has one server.
pub struct Leadership(#[allow(dead_code)] Option<sqlx::Transaction<'static, Postgres>>);

impl Database {
    /// Tries to lead `task` (a name unique among background tasks) until the returned
    /// [`Leadership`] is dropped.
    pub async fn try_lead(&self, task: &str) -> Result<Option<Leadership>, sqlx::Error> {
        match self {
            Database::Sqlite(_) => Ok(Some(Leadership(None))),
            Database::Postgres(pool) => Ok(postgres::try_lead(pool, task).await?.map(|held| Leadership(Some(held)))),
        }
    }

    /// Holds every other instance's start-up (seeding an empty database, resealing
    /// secrets) until the returned [`Leadership`] is dropped, so two instances started
    /// together on an empty database do not both seed it.
    pub async fn lead_start_up(&self) -> Result<Leadership, sqlx::Error> {
        match self {
            Database::Sqlite(_) => Ok(Leadership(None)),
            Database::Postgres(pool) => Ok(Leadership(Some(postgres::lead_start_up(pool).await?))),
        }
    }
}

/// A connection to either database: pooled, or inside a transaction. Functions that run
/// several statements take `&mut Connection`, as sqlx's take `&mut SqliteConnection`.
pub enum Connection {
    SqlitePooled(PoolConnection<Sqlite>),
    PostgresPooled(PoolConnection<Postgres>),
    SqliteTransaction(sqlx::Transaction<'static, Sqlite>),
    PostgresTransaction(sqlx::Transaction<'static, Postgres>),
}

impl Connection {
    pub fn backend(&self) -> Backend {
        match self {
            Connection::SqlitePooled(_) | Connection::SqliteTransaction(_) => Backend::Sqlite,
            Connection::PostgresPooled(_) | Connection::PostgresTransaction(_) => Backend::Postgres,
        }
    }

    pub(crate) fn target(&mut self) -> Target<'_> {
        match self {
            Connection::SqlitePooled(connection) => Target::Sqlite(connection),
            Connection::PostgresPooled(connection) => Target::Postgres(connection),
            Connection::SqliteTransaction(transaction) => Target::Sqlite(transaction),
            Connection::PostgresTransaction(transaction) => Target::Postgres(transaction),
        }
    }
}

/// A transaction on either database; `&mut *transaction` is its [`Connection`]. Dropped
/// without [`Transaction::commit`], it rolls back. A SQLite write transaction also holds
/// its writers' turn (dropped after the connection, so after the commit or rollback).
pub struct Transaction(Connection, Option<sqlite::WritersTurn>);

impl Transaction {
    pub async fn commit(self) -> Result<(), sqlx::Error> {
        let Transaction(connection, turn) = self;
        let committed = match connection {
            Connection::SqliteTransaction(transaction) => transaction.commit().await,
            Connection::PostgresTransaction(transaction) => transaction.commit().await,
            // Never: a Transaction is only ever made around a transaction.
            Connection::SqlitePooled(_) | Connection::PostgresPooled(_) => Ok(()),
        };
        // The next writer's turn comes once this one has ended.
        drop(turn);
        committed
    }

    pub async fn rollback(self) -> Result<(), sqlx::Error> {
        let Transaction(connection, turn) = self;
        let rolled_back = match connection {
            Connection::SqliteTransaction(transaction) => transaction.rollback().await,
            Connection::PostgresTransaction(transaction) => transaction.rollback().await,
            Connection::SqlitePooled(_) | Connection::PostgresPooled(_) => Ok(()),
        };
        drop(turn);
        rolled_back
    }
}

impl Deref for Transaction {
    type Target = Connection;
    fn deref(&self) -> &Connection {
        &self.0
    }
}

impl DerefMut for Transaction {
    fn deref_mut(&mut self) -> &mut Connection {
        &mut self.0
    }
}

/// A connection taken from the pool, returned to it when dropped.
pub struct PooledConnection(Connection);

impl Deref for PooledConnection {
    type Target = Connection;
    fn deref(&self) -> &Connection {
        &self.0
    }
}

impl DerefMut for PooledConnection {
    fn deref_mut(&mut self) -> &mut Connection {
        &mut self.0
    }
}

/// A nullable count or month number read into `Option<u32>`: PostgreSQL has no unsigned
/// types, so such columns are BIGINT on both databases and row fields say
/// `#[sqlx(try_from = "NullableBigint")]` (plain `u32` fields say `try_from = "i64"`).
#[derive(sqlx::Type)]
#[sqlx(transparent)]
pub struct NullableBigint(Option<i64>);

impl TryFrom<NullableBigint> for Option<u32> {
    type Error = std::num::TryFromIntError;
    fn try_from(value: NullableBigint) -> Result<Self, Self::Error> {
        value.0.map(u32::try_from).transpose()
    }
}
