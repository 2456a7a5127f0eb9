//! Secrets at rest: the sellers' provisioning keys and the apps' credentials, sealed with the
//! master keys and bound to their row and column ([`crate::infra::crypto::SealedAt`]).
//!
//! [`seal_everything`] runs at every start-up and by `bazaar-server rotate-keys`: it gives
//! sellers without a key a new one, seals keys an older database holds in plain text, and
//! seals again whatever an older format or an older master key sealed. After it, the
//! database file holds no secret in plain text and nothing sealed with a retired key.

use bazaar_core::ids::OrderId;

use crate::error::{ApiError, ApiResult};
use crate::infra::crypto::{MasterKeys, SealedAt, SecretKey};
use crate::infra::db::Database;
use crate::store;

pub const SELLER_KEY: &str = "provisioning_key_sealed";
pub use crate::store::secrets::{APP_PASSWORD, APP_USERNAME};

pub fn seller_key_at(seller_id: i64) -> SealedAt<'static> {
    SealedAt { table: "sellers", column: SELLER_KEY, row: seller_id }
}

pub fn app_secret_at(column: &'static str, order_id: OrderId) -> SealedAt<'static> {
    SealedAt { table: "instances", column, row: order_id.0 }
}

/// The seller's provisioning key (HMAC signatures and credential sealing in transit).
pub async fn seller_key(db: &Database, keys: &MasterKeys, seller_id: i64) -> ApiResult<Option<SecretKey>> {
    let sealed = store::secrets::sealed_seller_key(db, seller_id).await?;
    let Some(Some(sealed)) = sealed else { return Ok(None) };
    let hex = keys.open_string(seller_key_at(seller_id), &sealed).map_err(ApiError::internal)?;
    SecretKey::from_hex(&hex).map(Some).map_err(ApiError::internal)
}

/// What [`seal_everything`] changed.
#[derive(Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct Resealed {
    pub seller_keys_issued: u64,
    pub seller_keys_sealed: u64,
    pub app_secrets_sealed: u64,
}

/// Brings every secret at rest to the current master key (see the module comment).
pub async fn seal_everything(db: &Database, keys: &MasterKeys) -> ApiResult<Resealed> {
    let mut changed = Resealed::default();
    let mut transaction = crate::infra::db::begin_write(db, crate::infra::db::WriteScope::Maintenance).await?;
    let sellers = store::secrets::seller_keys(&mut transaction).await?;
    for seller in sellers {
        let plain_hex = match (&seller.provisioning_key_sealed, seller.provisioning_key.is_empty()) {
            (Some(sealed), _) if !keys.needs_resealing(sealed) => continue,
            (Some(sealed), _) => {
                changed.seller_keys_sealed += 1;
                keys.open_string(seller_key_at(seller.id), sealed).map_err(ApiError::internal)?
            }
            // An older database kept the key in plain text.
            (None, false) => {
                changed.seller_keys_sealed += 1;
                seller.provisioning_key.clone()
            }
            (None, true) => {
                changed.seller_keys_issued += 1;
                hex::encode(rand::random::<[u8; 32]>())
            }
        };
        let sealed = keys.seal_string(seller_key_at(seller.id), &plain_hex);
        store::secrets::put_sealed_seller_key(&mut transaction, seller.id, &sealed).await?;
    }
    let instances = store::secrets::instance_secrets(&mut transaction).await?;
    for instance in instances {
        for (column, sealed) in
            [(APP_USERNAME, &instance.username_ciphertext), (APP_PASSWORD, &instance.password_ciphertext)]
        {
            let Some(sealed) = sealed.as_deref().filter(|sealed| keys.needs_resealing(sealed)) else { continue };
            let at = app_secret_at(column, instance.order_id);
            let plaintext = keys.open_any(at, sealed).map_err(ApiError::internal)?;
            let sealed = keys.seal(at, &plaintext);
            store::secrets::put_instance_secret(&mut transaction, instance.order_id, column, &sealed).await?;
            changed.app_secrets_sealed += 1;
        }
    }
    transaction.commit().await?;
    if changed != Resealed::default() {
        tracing::info!(?changed, key_version = keys.current_version(), "secrets at rest sealed with the current key");
    }
    Ok(changed)
}
