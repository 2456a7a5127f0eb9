//! `idempotency_keys`: each checkout attempt's key, the hash of its request and the order it
//! made, so a retry gives the first answer and a reused key with another request is refused.

use bazaar_core::ids::{AccountId, OrderId};

use crate::infra::db::{self, Connection};

#[derive(Debug, sqlx::FromRow)]
pub struct KeyRow {
    pub request_hash: Vec<u8>,
    pub order_id: OrderId,
}

/// What the account's `key` made before, if anything.
pub async fn find(
    connection: &mut Connection,
    account_id: AccountId,
    key: &str,
) -> Result<Option<KeyRow>, sqlx::Error> {
    db::query_as("SELECT request_hash, order_id FROM idempotency_keys WHERE account_id = $1 AND key = $2")
        .bind(account_id)
        .bind(key)
        .fetch_optional(connection)
        .await
}

/// Records that the account's `key`, with this request, made `order_id`.
pub async fn record(
    connection: &mut Connection,
    account_id: AccountId,
    key: &str,
    request_hash: &[u8],
    order_id: OrderId,
    now: i64,
) -> Result<(), sqlx::Error> {
    db::query("INSERT INTO idempotency_keys (account_id, key, request_hash, order_id, created_at) VALUES ($1, $2, $3, $4, $5)")
        .bind(account_id)
        .bind(key)
        .bind(request_hash)
        .bind(order_id)
        .bind(now)
        .execute(connection)
        .await?;
    Ok(())
}
