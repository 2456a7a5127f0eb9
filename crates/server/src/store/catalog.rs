//! The catalog as the in-memory search index loads it (`categories` with their fields,
//! listed `products` with their sellers, billing modes and field values), its sales
//! counts, and the announcements that tell other instances the catalog changed
//! (PostgreSQL's `NOTIFY`; one SQLite file has one server).

use bazaar_core::catalog::{BillingMode, DeliveryMethod};
use bazaar_core::ids::ProductId;
use bazaar_core::money::Currency;

use crate::infra::db::{self, Backend, Connection, Database};

#[derive(Debug, sqlx::FromRow)]
pub struct CategoryRow {
    pub id: i64,
    pub slug: String,
    pub name_en: String,
    pub name_zh: String,
    pub description_en: String,
    pub description_zh: String,
}

#[derive(Debug, sqlx::FromRow)]
pub struct AttributeRow {
    pub category_id: i64,
    pub key: String,
    pub name_en: String,
    pub name_zh: String,
    pub value: String,
    pub label_en: String,
    pub label_zh: String,
}

#[derive(Debug, sqlx::FromRow)]
pub struct ProductRow {
    pub id: ProductId,
    pub name: String,
    pub summary: String,
    pub seller_id: i64,
    pub seller_name: String,
    pub category_slug: String,
    pub delivery_method: DeliveryMethod,
    pub supervised: bool,
    pub trial: bool,
    pub tags: String,
    pub recent_sales: i64,
    pub listed_at: i64,
    pub price_from_minor: i64,
    pub price_from_mode: BillingMode,
    pub currency: Currency,
    /// Visible reviews per star (`product_ratings`; 0 without any).
    pub stars_1: i64,
    pub stars_2: i64,
    pub stars_3: i64,
    pub stars_4: i64,
    pub stars_5: i64,
}

/// One product's visible reviews per star.
#[derive(Debug, sqlx::FromRow)]
pub struct RatingRow {
    pub product_id: ProductId,
    pub stars_1: i64,
    pub stars_2: i64,
    pub stars_3: i64,
    pub stars_4: i64,
    pub stars_5: i64,
}

impl RatingRow {
    /// The counts of 1..=5 stars.
    pub fn distribution(&self) -> [u32; 5] {
        [self.stars_1, self.stars_2, self.stars_3, self.stars_4, self.stars_5]
            .map(|count| u32::try_from(count).unwrap_or(0))
    }
}

#[derive(Debug, sqlx::FromRow)]
pub struct BillingRow {
    pub product_id: ProductId,
    pub billing_mode: BillingMode,
}

#[derive(Debug, sqlx::FromRow)]
pub struct ValueRow {
    pub product_id: ProductId,
    pub slug: String,
    pub key: String,
    pub value: String,
}

/// Everything the index is built from.
pub struct CatalogRows {
    pub categories: Vec<CategoryRow>,
    pub attributes: Vec<AttributeRow>,
    pub products: Vec<ProductRow>,
    pub billing: Vec<BillingRow>,
    pub values: Vec<ValueRow>,
}

/// The whole catalog: categories in order, their fields and values, every listed product
/// (not withdrawn) by id, the billing modes each sells, and each product's field values.
pub async fn load(db: &Database) -> Result<CatalogRows, sqlx::Error> {
    let categories = db::query_as(
        "SELECT id, slug, name_en, name_zh, description_en, description_zh FROM categories ORDER BY position",
    )
    .fetch_all(db)
    .await?;
    let attributes = db::query_as(
        "SELECT a.category_id, a.key, a.name_en, a.name_zh, v.value, v.label_en, v.label_zh
         FROM category_attributes a JOIN category_attribute_values v ON v.attribute_id = a.id
         ORDER BY a.category_id, a.position, v.position",
    )
    .fetch_all(db)
    .await?;
    let products = db::query_as(
        "SELECT p.id, p.name, p.summary, p.seller_id, s.name AS seller_name, c.slug AS category_slug,
                p.delivery_method, p.supervised, p.trial_days IS NOT NULL AS trial, p.tags, p.recent_sales,
                p.listed_at, p.price_from_minor, p.price_from_mode, p.currency,
                COALESCE(r.stars_1, 0) AS stars_1, COALESCE(r.stars_2, 0) AS stars_2,
                COALESCE(r.stars_3, 0) AS stars_3, COALESCE(r.stars_4, 0) AS stars_4,
                COALESCE(r.stars_5, 0) AS stars_5
         FROM products p JOIN sellers s ON s.id = p.seller_id JOIN categories c ON c.id = p.category_id
         LEFT JOIN product_ratings r ON r.product_id = p.id
         WHERE p.withdrawn_at IS NULL
         ORDER BY p.id",
    )
    .fetch_all(db)
    .await?;
    let billing = db::query_as(
        "SELECT DISTINCT s.product_id, sp.billing_mode FROM skus s JOIN sku_prices sp ON sp.sku_id = s.id",
    )
    .fetch_all(db)
    .await?;
    let values = db::query_as(
        "SELECT pav.product_id, c.slug, a.key, pav.value
         FROM product_attribute_values pav
         JOIN category_attributes a ON a.id = pav.attribute_id
         JOIN categories c ON c.id = a.category_id",
    )
    .fetch_all(db)
    .await?;
    Ok(CatalogRows { categories, attributes, products, billing, values })
}

/// Every product's sales count.
pub async fn recent_sales(db: &Database) -> Result<Vec<(ProductId, i64)>, sqlx::Error> {
    db::query_as("SELECT id, recent_sales FROM products").fetch_all(db).await
}

/// Every rated product's visible reviews per star.
pub async fn ratings(db: &Database) -> Result<Vec<RatingRow>, sqlx::Error> {
    db::query_as("SELECT product_id, stars_1, stars_2, stars_3, stars_4, stars_5 FROM product_ratings")
        .fetch_all(db)
        .await
}

/// Tells the other instances (PostgreSQL) of a product's new rating (its
/// [`bazaar_core::catalog::Rating::rank`]), in the review's transaction.
pub async fn announce_rating(
    connection: &mut Connection,
    channel: &str,
    product_id: ProductId,
    rank: u64,
) -> Result<(), sqlx::Error> {
    if connection.backend() == Backend::Postgres {
        db::query("/* PostgreSQL */ SELECT pg_notify($1, 'rating ' || CAST($2 AS TEXT) || ' ' || $3)")
            .bind(channel)
            .bind(product_id)
            .bind(rank.to_string())
            .execute(connection)
            .await?;
    }
    Ok(())
}

/// Tells the other instances (PostgreSQL) of a sale of `product_id`, in the payment's
/// transaction: the notice goes out when it commits, and not at all if it rolls back.
pub async fn announce_sale(
    connection: &mut Connection,
    channel: &str,
    product_id: ProductId,
) -> Result<(), sqlx::Error> {
    if connection.backend() == Backend::Postgres {
        db::query("/* PostgreSQL */ SELECT pg_notify($1, 'sale ' || CAST($2 AS TEXT))")
            .bind(channel)
            .bind(product_id)
            .execute(connection)
            .await?;
    }
    Ok(())
}

/// Tells the other instances (PostgreSQL) that products were added or changed.
pub async fn announce_change(db: &Database, channel: &str) -> Result<(), sqlx::Error> {
    if db.backend() == Backend::Postgres {
        db::query("/* PostgreSQL */ SELECT pg_notify($1, 'changed')").bind(channel).execute(db).await?;
    }
    Ok(())
}
