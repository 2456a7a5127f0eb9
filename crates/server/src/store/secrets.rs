//! Secrets at rest as stored: the sellers' provisioning keys (`sellers`) and the apps'
//! sealed credentials (`instances`).

use bazaar_core::ids::OrderId;

use crate::infra::db::{self, Connection, Database};

/// The seller's sealed key (none: no such seller, or none issued yet).
pub async fn sealed_seller_key(db: &Database, seller_id: i64) -> Result<Option<Option<Vec<u8>>>, sqlx::Error> {
    db::query_scalar("SELECT provisioning_key_sealed FROM sellers WHERE id = $1")
        .bind(seller_id)
        .fetch_optional(db)
        .await
}

/// A seller's key as stored: plain (an older database) or sealed.
#[derive(Debug, sqlx::FromRow)]
pub struct SellerKeyRow {
    pub id: i64,
    pub provisioning_key: String,
    pub provisioning_key_sealed: Option<Vec<u8>>,
}

pub async fn seller_keys(connection: &mut Connection) -> Result<Vec<SellerKeyRow>, sqlx::Error> {
    db::query_as("SELECT id, provisioning_key, provisioning_key_sealed FROM sellers").fetch_all(connection).await
}

/// Keeps the seller's key sealed only (the plain column emptied).
pub async fn put_sealed_seller_key(
    connection: &mut Connection,
    seller_id: i64,
    sealed: &[u8],
) -> Result<(), sqlx::Error> {
    db::query("UPDATE sellers SET provisioning_key_sealed = $1, provisioning_key = '' WHERE id = $2")
        .bind(sealed)
        .bind(seller_id)
        .execute(connection)
        .await?;
    Ok(())
}

/// An instance's sealed credentials.
#[derive(Debug, sqlx::FromRow)]
pub struct InstanceSecrets {
    pub order_id: OrderId,
    pub username_ciphertext: Option<Vec<u8>>,
    pub password_ciphertext: Option<Vec<u8>>,
}

pub async fn instance_secrets(connection: &mut Connection) -> Result<Vec<InstanceSecrets>, sqlx::Error> {
    db::query_as(
        "SELECT order_id, username_ciphertext, password_ciphertext FROM instances
         WHERE username_ciphertext IS NOT NULL OR password_ciphertext IS NOT NULL",
    )
    .fetch_all(connection)
    .await
}

/// The `instances` columns that hold an app's sealed user name and initial password.
pub const APP_USERNAME: &str = "username_ciphertext";
pub const APP_PASSWORD: &str = "password_ciphertext";
pub const CREDENTIAL_COLUMNS: [&str; 2] = [APP_USERNAME, APP_PASSWORD];

/// Replaces one sealed credential of the instance; `column` must be one of
/// [`CREDENTIAL_COLUMNS`] (a constant of the caller's, never request text).
pub async fn put_instance_secret(
    connection: &mut Connection,
    order_id: OrderId,
    column: &'static str,
    sealed: &[u8],
) -> Result<(), sqlx::Error> {
    debug_assert!(CREDENTIAL_COLUMNS.contains(&column));
    db::query(&format!("UPDATE instances SET {column} = $1 WHERE order_id = $2"))
        .bind(sealed)
        .bind(order_id)
        .execute(connection)
        .await?;
    Ok(())
}
