//! Keeping every instance's in-memory catalog index current on PostgreSQL, where other
//! instances sell products and change the catalog too. Changes are announced with
//! `NOTIFY` on one channel — a sale inside the payment's transaction, a catalog change once
//! it committed, so only committed ones are heard — and every instance, the announcing one
//! included, applies what it hears: `sale <product id>` counts a sale in the popularity
//! ranking, `rating <product id> <rank>` sets a product's rating after a review,
//! `changed` reloads the whole index. Notifications can be missed while a listener reconnects, so after
//! every (re)connection the sales counts and ratings are read again from the database.
//!
//! On SQLite one process serves the file and counts its own sales directly; nothing here
//! runs.

use std::time::Duration;

use bazaar_core::ids::ProductId;
use sqlx::postgres::PgListener;

use super::CatalogHandle;
use crate::error::ApiResult;
use crate::infra::db::{Connection, Database};

const CHANNEL: &str = "bazaar_catalog";

/// Announces a sale of `product_id`, in the transaction that records it (PostgreSQL).
pub async fn announce_sale(connection: &mut Connection, product_id: ProductId) -> ApiResult<()> {
    Ok(crate::store::catalog::announce_sale(connection, CHANNEL, product_id).await?)
}

/// Announces product `product_id`'s new rating, in the transaction of the review that
/// changed it (PostgreSQL).
pub async fn announce_rating(
    connection: &mut Connection,
    product_id: ProductId,
    rating: Option<bazaar_core::catalog::Rating>,
) -> ApiResult<()> {
    let rank = bazaar_core::catalog::Rating::rank(rating);
    Ok(crate::store::catalog::announce_rating(connection, CHANNEL, product_id, rank).await?)
}

/// Announces that products were added or changed, after the change committed (PostgreSQL).
pub async fn announce_catalog_change(db: &Database) -> ApiResult<()> {
    Ok(crate::store::catalog::announce_change(db, CHANNEL).await?)
}

/// Follows the announcements until the process ends (returns at once on SQLite).
pub async fn follow(db: Database, catalog: CatalogHandle) {
    let Database::Postgres(pool) = &db else { return };
    loop {
        let mut listener = match PgListener::connect_with(pool).await {
            Ok(listener) => listener,
            Err(error) => {
                tracing::error!(%error, "could not listen for catalog changes; retrying");
                tokio::time::sleep(Duration::from_secs(1)).await;
                continue;
            }
        };
        if let Err(error) = listener.listen(CHANNEL).await {
            tracing::error!(%error, "could not listen for catalog changes; retrying");
            tokio::time::sleep(Duration::from_secs(1)).await;
            continue;
        }
        loop {
            // Listening from here on: what was sold before is in the database.
            if let Err(error) = catalog.current().refresh_sales(&db).await {
                tracing::error!(%error, "could not read the sales counts");
            }
            // `None`: the connection dropped (and reconnects on the next call); whatever
            // was announced meanwhile is lost, so the counts are read again above.
            while let Ok(Some(notification)) = listener.try_recv().await {
                apply(&db, &catalog, notification.payload()).await;
            }
            tracing::warn!("the catalog listener reconnects");
        }
    }
}

async fn apply(db: &Database, catalog: &CatalogHandle, payload: &str) {
    match payload.split_once(' ') {
        Some(("sale", id)) => {
            if let Ok(id) = id.parse() {
                catalog.current().record_sale(ProductId(id));
            }
        }
        Some(("rating", rest)) => {
            let parsed = rest.split_once(' ').and_then(|(id, rank)| Some((id.parse().ok()?, rank.parse().ok()?)));
            if let Some((id, rank)) = parsed {
                catalog.current().record_rating(ProductId(id), bazaar_core::catalog::Rating::from_rank(rank));
            }
        }
        _ if payload == "changed" => {
            if let Err(error) = catalog.reload(db).await {
                tracing::error!(%error, "could not reload the catalog");
            }
        }
        _ => tracing::warn!(payload, "unknown catalog announcement"),
    }
}
