//! `sessions`: signed-in browsers, found by the hash of their cookie's token.

use bazaar_core::account::Role;
use bazaar_core::ids::AccountId;

use crate::infra::db::{self, Connection, Database};

/// A live session with what the request needs of its account.
#[derive(Debug, sqlx::FromRow)]
pub struct LiveSession {
    pub session_id: i64,
    pub account_id: AccountId,
    pub username: String,
    pub role: Role,
    pub seller_id: Option<i64>,
    pub reseller_id: Option<i64>,
    pub authenticated_at: i64,
    pub last_seen_at: i64,
}

/// The session whose token hashes to `token_hash`, unless it ended (at `now`, or idle
/// since `idle_since` or before).
pub async fn live(
    db: &Database,
    token_hash: &[u8],
    now: i64,
    idle_since: i64,
) -> Result<Option<LiveSession>, sqlx::Error> {
    db::query_as(
        "SELECT s.id AS session_id, s.account_id, a.username, a.role, a.seller_id, a.reseller_id,
                s.authenticated_at, s.last_seen_at
         FROM sessions s JOIN accounts a ON a.id = s.account_id
         WHERE s.token_hash = $1 AND s.expires_at > $2 AND s.last_seen_at > $3",
    )
    .bind(token_hash)
    .bind(now)
    .bind(idle_since)
    .fetch_optional(db)
    .await
}

/// Notes that the session was used at `now`, from `address` when known.
pub async fn touch(db: &Database, session_id: i64, now: i64, address: Option<String>) -> Result<(), sqlx::Error> {
    db::query("UPDATE sessions SET last_seen_at = $1, client_address = COALESCE($2, client_address) WHERE id = $3")
        .bind(now)
        .bind(address)
        .bind(session_id)
        .execute(db)
        .await?;
    Ok(())
}

/// A session to create.
pub struct NewSession<'a> {
    pub token_hash: &'a [u8],
    pub account_id: AccountId,
    pub now: i64,
    pub expires_at: i64,
    pub authenticated_at: i64,
    pub user_agent: Option<&'a str>,
    pub client_address: Option<&'a str>,
}

pub async fn insert(connection: &mut Connection, session: NewSession<'_>) -> Result<(), sqlx::Error> {
    db::query(
        "INSERT INTO sessions (token_hash, account_id, created_at, last_seen_at, expires_at, authenticated_at,
                               user_agent, client_address)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(session.token_hash)
    .bind(session.account_id)
    .bind(session.now)
    .bind(session.now)
    .bind(session.expires_at)
    .bind(session.authenticated_at)
    .bind(session.user_agent)
    .bind(session.client_address)
    .execute(connection)
    .await?;
    Ok(())
}

/// Ends all but the `keep` most recently used sessions of the account.
pub async fn keep_newest(connection: &mut Connection, account_id: AccountId, keep: i64) -> Result<(), sqlx::Error> {
    db::query(
        "DELETE FROM sessions WHERE account_id = $1 AND id NOT IN
           (SELECT id FROM sessions WHERE account_id = $1 ORDER BY last_seen_at DESC, id DESC LIMIT $2)",
    )
    .bind(account_id)
    .bind(keep)
    .execute(connection)
    .await?;
    Ok(())
}

/// Removes every session that has ended (at `now`, or idle since `idle_since`), anyone's.
pub async fn delete_ended(connection: &mut Connection, now: i64, idle_since: i64) -> Result<(), sqlx::Error> {
    db::query("DELETE FROM sessions WHERE expires_at <= $1 OR last_seen_at <= $2")
        .bind(now)
        .bind(idle_since)
        .execute(connection)
        .await?;
    Ok(())
}

/// Ends one session of the account; `false` when it was not theirs or already gone.
pub async fn end(db: &Database, account_id: AccountId, session_id: i64) -> Result<bool, sqlx::Error> {
    let deleted = db::query("DELETE FROM sessions WHERE id = $1 AND account_id = $2")
        .bind(session_id)
        .bind(account_id)
        .execute(db)
        .await?;
    Ok(deleted.rows_affected() > 0)
}

/// Ends the session a token belongs to, if any.
pub async fn end_by_token(db: &Database, token_hash: &[u8]) -> Result<(), sqlx::Error> {
    db::query("DELETE FROM sessions WHERE token_hash = $1").bind(token_hash).execute(db).await?;
    Ok(())
}

/// Ends every session of the account; how many there were.
pub async fn end_all(db: &Database, account_id: AccountId) -> Result<u64, sqlx::Error> {
    let ended = db::query("DELETE FROM sessions WHERE account_id = $1").bind(account_id).execute(db).await?;
    Ok(ended.rows_affected())
}

/// One of an account's sessions, as My Account lists them.
#[derive(Debug, sqlx::FromRow)]
pub struct SessionListed {
    pub id: i64,
    pub created_at: i64,
    pub last_seen_at: i64,
    pub expires_at: i64,
    pub user_agent: Option<String>,
    pub client_address: Option<String>,
}

/// The account's live sessions, the most recently used first.
pub async fn of_account(
    db: &Database,
    account_id: AccountId,
    now: i64,
    idle_since: i64,
) -> Result<Vec<SessionListed>, sqlx::Error> {
    db::query_as(
        "SELECT id, created_at, last_seen_at, expires_at, user_agent, client_address FROM sessions
         WHERE account_id = $1 AND expires_at > $2 AND last_seen_at > $3
         ORDER BY last_seen_at DESC, id DESC",
    )
    .bind(account_id)
    .bind(now)
    .bind(idle_since)
    .fetch_all(db)
    .await
}
