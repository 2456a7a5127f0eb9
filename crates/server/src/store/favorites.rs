//! `favorites`: each account's saved products, with the configuration kept with each.

use bazaar_core::catalog::BillingMode;
use bazaar_core::ids::{AccountId, ProductId};
use bazaar_core::pricing::Configuration;

use crate::infra::db::{self, Database};

/// A saved product as stored.
#[derive(Debug, sqlx::FromRow)]
pub struct SavedRow {
    pub product_id: ProductId,
    pub saved_at: i64,
    sku_id: Option<i64>,
    billing_mode: Option<BillingMode>,
    #[sqlx(try_from = "crate::infra::db::NullableBigint")]
    duration_months: Option<u32>,
    #[sqlx(try_from = "crate::infra::db::NullableBigint")]
    quantity: Option<u32>,
    region: Option<String>,
}

impl SavedRow {
    /// The kept configuration, when the product was saved with one. It was valid when saved;
    /// checkout falls back to defaults for any part the seller has since withdrawn.
    pub fn configuration(&self) -> Option<Configuration> {
        Some(Configuration {
            sku_id: self.sku_id?,
            billing_mode: self.billing_mode?,
            duration_months: self.duration_months,
            quantity: self.quantity?,
            region: self.region.clone()?,
        })
    }
}

/// The account's saved products, most recently saved first.
pub async fn of_account(db: &Database, account_id: AccountId) -> Result<Vec<SavedRow>, sqlx::Error> {
    db::query_as(
        "SELECT product_id, saved_at, sku_id, billing_mode, duration_months, quantity, region
         FROM favorites WHERE account_id = $1 ORDER BY saved_at DESC, product_id DESC",
    )
    .bind(account_id)
    .fetch_all(db)
    .await
}

/// How many products the account has saved besides `except`.
pub async fn count_besides(db: &Database, account_id: AccountId, except: ProductId) -> Result<i64, sqlx::Error> {
    db::query_scalar("SELECT COUNT(*) FROM favorites WHERE account_id = $1 AND product_id <> $2")
        .bind(account_id)
        .bind(except)
        .fetch_one(db)
        .await
}

/// Saves the product (again: it keeps its place) with `kept`, or without a configuration:
/// saving again without one leaves a kept one alone; with one, replaces it.
pub async fn save(
    db: &Database,
    account_id: AccountId,
    product_id: ProductId,
    now: i64,
    kept: Option<&Configuration>,
) -> Result<SavedRow, sqlx::Error> {
    db::query_as(
        "INSERT INTO favorites (account_id, product_id, saved_at, sku_id, billing_mode, duration_months, quantity, region)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
         ON CONFLICT (account_id, product_id) DO UPDATE SET
             sku_id = COALESCE(excluded.sku_id, favorites.sku_id),
             billing_mode = CASE WHEN excluded.sku_id IS NULL THEN favorites.billing_mode ELSE excluded.billing_mode END,
             duration_months = CASE WHEN excluded.sku_id IS NULL THEN favorites.duration_months
                                    ELSE excluded.duration_months END,
             quantity = CASE WHEN excluded.sku_id IS NULL THEN favorites.quantity ELSE excluded.quantity END,
             region = CASE WHEN excluded.sku_id IS NULL THEN favorites.region ELSE excluded.region END
         RETURNING product_id, saved_at, sku_id, billing_mode, duration_months, quantity, region",
    )
    .bind(account_id)
    .bind(product_id)
    .bind(now)
    .bind(kept.map(|configuration| configuration.sku_id))
    .bind(kept.map(|configuration| configuration.billing_mode))
    .bind(kept.and_then(|configuration| configuration.duration_months).map(i64::from))
    .bind(kept.map(|configuration| i64::from(configuration.quantity)))
    .bind(kept.map(|configuration| configuration.region.as_str()))
    .fetch_one(db)
    .await
}

/// Removes the product from the list (nothing happens when it is not there).
pub async fn remove(db: &Database, account_id: AccountId, product_id: ProductId) -> Result<(), sqlx::Error> {
    db::query("DELETE FROM favorites WHERE account_id = $1 AND product_id = $2")
        .bind(account_id)
        .bind(product_id)
        .execute(db)
        .await?;
    Ok(())
}

/// Whether the account saved the product to its favourites.
pub async fn is_saved(db: &Database, account_id: AccountId, product_id: ProductId) -> Result<bool, sqlx::Error> {
    let found = db::query_scalar::<i32>("SELECT 1 FROM favorites WHERE account_id = $1 AND product_id = $2")
        .bind(account_id)
        .bind(product_id)
        .fetch_optional(db)
        .await?;
    Ok(found.is_some())
}
