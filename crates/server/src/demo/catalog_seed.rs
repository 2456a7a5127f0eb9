//! Builds the demo catalog from `catalog_content`: categories, sellers, a few hand-written
//! products that demos and end-to-end tests rely on, and generated products. Generation is
//! deterministic (a fixed-seed SplitMix64), so every fresh database has the same catalog.

use std::collections::{HashMap, HashSet};

use crate::demo::catalog_content::{CATEGORIES, SELLERS};
use crate::demo::catalog_featured::featured_products;
use crate::demo::catalog_generator::{SplitMix, generated_product};
use crate::demo::catalog_spec::ProductSpec;
use crate::demo::seed::ensure_seller;
use crate::domain::search::across_instances;
use crate::domain::search::full_text::{self, Searchable};
use crate::error::ApiResult;
use crate::infra::db::{self, Database, Transaction};
use bazaar_core::ids::ProductId;

/// How many generated products a demo database gets (besides the hand-written ones).
pub const DEMO_GENERATED_PRODUCTS: usize = 320;

struct Ids {
    category: HashMap<&'static str, i64>,
    /// (category slug, attribute key) → attribute id
    attribute: HashMap<(&'static str, &'static str), i64>,
    seller: HashMap<&'static str, i64>,
}

/// Seeds categories, sellers and the demo products when the catalog is empty.
pub async fn seed_catalog_if_empty(db: &Database, now: i64) -> ApiResult<bool> {
    let products: i64 = db::query_scalar("SELECT COUNT(*) FROM products").fetch_one(db).await?;
    if products > 0 {
        return Ok(false);
    }
    let mut transaction = db.begin().await?;
    let ids = insert_taxonomy(&mut transaction, now).await?;
    // Generated names must not repeat a hand-written product's name either.
    let mut names: HashSet<String> = HashSet::new();
    for product in featured_products(now) {
        insert_product(&mut transaction, &ids, &product).await?;
        names.insert(product.name);
    }
    let mut random = SplitMix::new(2026);
    for index in 0..DEMO_GENERATED_PRODUCTS {
        let product = generated_product(&mut random, index, now, &mut names);
        insert_product(&mut transaction, &ids, &product).await?;
    }
    // Invoices: Bazaar operates (and invoices) every third product, Northwind CRM Cloud
    // among them; sellers invoice the others themselves.
    db::query("UPDATE products SET invoice_issuer = 'bazaar' WHERE id % 3 = 1").execute(&mut *transaction).await?;
    transaction.commit().await?;
    tracing::info!(products = DEMO_GENERATED_PRODUCTS + featured_products(now).len(), "seeded demo catalog");
    Ok(true)
}

/// Adds `count` generated products (for benchmarks), in batches of 5,000 per transaction.
pub async fn generate_products(db: &Database, count: usize, now: i64) -> ApiResult<()> {
    let mut transaction = db.begin().await?;
    let ids = insert_taxonomy(&mut transaction, now).await?;
    transaction.commit().await?;
    let mut names: HashSet<String> = HashSet::new();
    let mut random = SplitMix::new(0xB16_CA7A);
    let mut done = 0;
    while done < count {
        let batch = (count - done).min(5_000);
        let mut transaction = db.begin().await?;
        for index in done..done + batch {
            let product = generated_product(&mut random, index, now, &mut names);
            insert_product(&mut transaction, &ids, &product).await?;
        }
        transaction.commit().await?;
        done += batch;
        tracing::info!(done, count, "generated products");
    }
    across_instances::announce_catalog_change(db).await?;
    Ok(())
}

/// Categories, their filter fields and values, and the seller organisations; returns ids.
/// Idempotent: existing rows are reused.
async fn insert_taxonomy(transaction: &mut Transaction, now: i64) -> ApiResult<Ids> {
    let mut ids = Ids { category: HashMap::new(), attribute: HashMap::new(), seller: HashMap::new() };
    for (position, category) in CATEGORIES.iter().enumerate() {
        db::query(
            "INSERT INTO categories (slug, name_en, name_zh, description_en, description_zh, position)
             VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (slug) DO NOTHING",
        )
        .bind(category.slug)
        .bind(category.name.0)
        .bind(category.name.1)
        .bind(category.description.0)
        .bind(category.description.1)
        .bind(position as i64)
        .execute(&mut **transaction)
        .await?;
        let category_id: i64 = db::query_scalar("SELECT id FROM categories WHERE slug = $1")
            .bind(category.slug)
            .fetch_one(&mut **transaction)
            .await?;
        ids.category.insert(category.slug, category_id);
        for (attribute_position, (key, name_en, name_zh, values)) in category.attributes.iter().enumerate() {
            db::query(
                "INSERT INTO category_attributes (category_id, key, name_en, name_zh, position)
                 VALUES ($1, $2, $3, $4, $5) ON CONFLICT (category_id, key) DO NOTHING",
            )
            .bind(category_id)
            .bind(key)
            .bind(name_en)
            .bind(name_zh)
            .bind(attribute_position as i64)
            .execute(&mut **transaction)
            .await?;
            let attribute_id: i64 =
                db::query_scalar("SELECT id FROM category_attributes WHERE category_id = $1 AND key = $2")
                    .bind(category_id)
                    .bind(key)
                    .fetch_one(&mut **transaction)
                    .await?;
            ids.attribute.insert((category.slug, key), attribute_id);
            for (value_position, (value, label_en, label_zh)) in values.iter().enumerate() {
                db::query(
                    "INSERT INTO category_attribute_values (attribute_id, value, label_en, label_zh, position)
                     VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING",
                )
                .bind(attribute_id)
                .bind(value)
                .bind(label_en)
                .bind(label_zh)
                .bind(value_position as i64)
                .execute(&mut **transaction)
                .await?;
            }
        }
    }
    for (name, _, phone) in SELLERS {
        let id = ensure_seller(transaction, name, now).await?;
        db::query("UPDATE sellers SET phone = $1 WHERE id = $2")
            .bind(phone)
            .bind(id)
            .execute(&mut **transaction)
            .await?;
        ids.seller.insert(name, id);
    }
    Ok(ids)
}

async fn insert_product(transaction: &mut Transaction, ids: &Ids, product: &ProductSpec) -> ApiResult<i64> {
    let (price_from, price_from_mode) = product
        .skus
        .iter()
        .flat_map(|sku| sku.prices.iter())
        .map(|(mode, price, fee)| (price + fee.unwrap_or(0), *mode))
        .min_by_key(|(price, _)| *price)
        .expect("every product has a price");
    let seller_id = ids.seller[product.seller];
    let product_id: i64 = db::query_scalar(
        "INSERT INTO products (seller_id, category_id, name, summary, description, usage_guide, delivery_method,
                               tags, regions, supervised, service_period_days, trial_days, seller_creates_account,
                               provisioning_behavior, currency, price_from_minor, price_from_mode, recent_sales, listed_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, 'CNY', $15, $16, $17, $18) RETURNING id",
    )
    .bind(seller_id)
    .bind(ids.category[product.category])
    .bind(&product.name)
    .bind(&product.summary)
    .bind(&product.description)
    .bind(&product.usage_guide)
    .bind(product.delivery)
    .bind(&product.tags)
    .bind(product.regions.join(","))
    .bind(product.supervised_days.is_some())
    .bind(product.supervised_days)
    .bind(product.trial_days)
    .bind(product.seller_creates_account)
    .bind(product.provisioning_behavior)
    .bind(price_from)
    .bind(price_from_mode)
    .bind(product.recent_sales)
    .bind(product.listed_at)
    .fetch_one(&mut **transaction)
    .await?;
    for (position, sku) in product.skus.iter().enumerate() {
        let sku_id: i64 = db::query_scalar(
            "INSERT INTO skus (product_id, name, description, position) VALUES ($1, $2, $3, $4) RETURNING id",
        )
        .bind(product_id)
        .bind(&sku.name)
        .bind(&sku.description)
        .bind(position as i64)
        .fetch_one(&mut **transaction)
        .await?;
        for (mode, price, fee) in &sku.prices {
            db::query(
                "INSERT INTO sku_prices (sku_id, billing_mode, price_minor, server_fee_minor) VALUES ($1, $2, $3, $4)",
            )
            .bind(sku_id)
            .bind(mode)
            .bind(price)
            .bind(fee)
            .execute(&mut **transaction)
            .await?;
        }
    }
    for (key, value) in &product.attributes {
        db::query(
            "INSERT INTO product_attribute_values (product_id, attribute_id, value) VALUES ($1, $2, $3)
             ON CONFLICT DO NOTHING",
        )
        .bind(product_id)
        .bind(ids.attribute[&(product.category, *key)])
        .bind(value)
        .execute(&mut **transaction)
        .await?;
    }
    let searchable =
        Searchable { name: &product.name, summary: &product.summary, seller: product.seller, tags: &product.tags };
    full_text::index_product(transaction, ProductId(product_id), searchable).await?;
    Ok(product_id)
}
