//! Loading the whole catalog into the index: listings, categories with their own fields,
//! and one bitset per filter value.

use std::collections::{BTreeMap, HashMap};
use std::num::NonZeroUsize;
use std::sync::Mutex;
use std::sync::atomic::AtomicI64;

use bazaar_core::catalog::{
    AttributeDefinition, AttributeValue, BillingMode, Category, DeliveryMethod, PRICE_RANGES, ProductSummary, SellerRef,
};
use bazaar_core::ids::ProductId;
use bazaar_core::money::{Currency, Money};

use super::{Bitset, CatalogIndex, CategoryEntry, Ranking, TEXT_CACHE_ENTRIES, localized};
use crate::infra::clock::from_unix;
use crate::infra::db::{self, Database};

#[derive(sqlx::FromRow)]
struct CategoryRow {
    id: i64,
    slug: String,
    name_en: String,
    name_zh: String,
    description_en: String,
    description_zh: String,
}

#[derive(sqlx::FromRow)]
struct AttributeRow {
    category_id: i64,
    key: String,
    name_en: String,
    name_zh: String,
    value: String,
    label_en: String,
    label_zh: String,
}

#[derive(sqlx::FromRow)]
struct ProductRow {
    id: ProductId,
    name: String,
    summary: String,
    seller_id: i64,
    seller_name: String,
    category_slug: String,
    delivery_method: DeliveryMethod,
    supervised: bool,
    trial: bool,
    tags: String,
    recent_sales: i64,
    listed_at: i64,
    price_from_minor: i64,
    price_from_mode: BillingMode,
    currency: Currency,
}

#[derive(sqlx::FromRow)]
struct BillingRow {
    product_id: ProductId,
    billing_mode: BillingMode,
}

#[derive(sqlx::FromRow)]
struct ValueRow {
    product_id: ProductId,
    slug: String,
    key: String,
    value: String,
}

impl CatalogIndex {
    /// Loads the whole catalog from the database.
    pub async fn load(db: &Database) -> Result<CatalogIndex, sqlx::Error> {
        let category_rows: Vec<CategoryRow> = db::query_as(
            "SELECT id, slug, name_en, name_zh, description_en, description_zh FROM categories ORDER BY position",
        )
        .fetch_all(db)
        .await?;
        let attribute_rows: Vec<AttributeRow> = db::query_as(
            "SELECT a.category_id, a.key, a.name_en, a.name_zh, v.value, v.label_en, v.label_zh
             FROM category_attributes a JOIN category_attribute_values v ON v.attribute_id = a.id
             ORDER BY a.category_id, a.position, v.position",
        )
        .fetch_all(db)
        .await?;
        let product_rows: Vec<ProductRow> = db::query_as(
            "SELECT p.id, p.name, p.summary, p.seller_id, s.name AS seller_name, c.slug AS category_slug,
                        p.delivery_method, p.supervised, p.trial_days IS NOT NULL AS trial, p.tags, p.recent_sales,
                        p.listed_at, p.price_from_minor, p.price_from_mode, p.currency
                 FROM products p JOIN sellers s ON s.id = p.seller_id JOIN categories c ON c.id = p.category_id
                 WHERE p.withdrawn_at IS NULL
                 ORDER BY p.id",
        )
        .fetch_all(db)
        .await?;
        let billing_rows: Vec<BillingRow> = db::query_as(
            "SELECT DISTINCT s.product_id, sp.billing_mode FROM skus s JOIN sku_prices sp ON sp.sku_id = s.id",
        )
        .fetch_all(db)
        .await?;
        let value_rows: Vec<ValueRow> = db::query_as(
            "SELECT pav.product_id, c.slug, a.key, pav.value
             FROM product_attribute_values pav
             JOIN category_attributes a ON a.id = pav.attribute_id
             JOIN categories c ON c.id = a.category_id",
        )
        .fetch_all(db)
        .await?;

        let len = product_rows.len();
        let mut billing_by_product: HashMap<ProductId, Vec<BillingMode>> = HashMap::new();
        for row in billing_rows {
            billing_by_product.entry(row.product_id).or_default().push(row.billing_mode);
        }

        let mut categories: Vec<CategoryEntry> = category_rows
            .iter()
            .map(|category| {
                let mut definitions: Vec<AttributeDefinition> = Vec::new();
                for attribute in attribute_rows.iter().filter(|attribute| attribute.category_id == category.id) {
                    if definitions.last().is_none_or(|definition| definition.key != attribute.key) {
                        definitions.push(AttributeDefinition {
                            key: attribute.key.clone(),
                            name: localized(attribute.name_en.clone(), attribute.name_zh.clone()),
                            values: Vec::new(),
                        });
                    }
                    if let Some(definition) = definitions.last_mut() {
                        definition.values.push(AttributeValue {
                            value: attribute.value.clone(),
                            label: localized(attribute.label_en.clone(), attribute.label_zh.clone()),
                        });
                    }
                }
                let attributes = definitions
                    .iter()
                    .map(|definition| {
                        let values =
                            definition.values.iter().map(|value| (value.value.clone(), Bitset::empty(len))).collect();
                        (definition.key.clone(), values)
                    })
                    .collect();
                CategoryEntry {
                    category: Category {
                        slug: category.slug.clone(),
                        name: localized(category.name_en.clone(), category.name_zh.clone()),
                        description: localized(category.description_en.clone(), category.description_zh.clone()),
                        attributes: definitions,
                        product_count: 0,
                    },
                    members: Bitset::empty(len),
                    attributes,
                }
            })
            .collect();

        let mut index = CatalogIndex::empty(len);
        for (position, row) in product_rows.into_iter().enumerate() {
            let ProductRow {
                id,
                name,
                summary,
                seller_id,
                seller_name,
                category_slug,
                delivery_method,
                supervised,
                trial,
                tags,
                recent_sales: sales,
                listed_at,
                price_from_minor: price,
                price_from_mode,
                currency,
            } = row;
            let mut billing_modes = billing_by_product.remove(&id).unwrap_or_default();
            billing_modes.sort();
            index.position_by_id.insert(id.0, position);
            if let Some(entry) = categories.iter_mut().find(|entry| entry.category.slug == category_slug) {
                entry.members.insert(position);
            }
            if let Some(set) = index.by_delivery.get_mut(&delivery_method) {
                set.insert(position);
            }
            for mode in &billing_modes {
                if let Some(set) = index.by_billing.get_mut(mode) {
                    set.insert(position);
                }
            }
            index.by_seller.entry(seller_id).or_insert_with(|| Bitset::empty(len)).insert(position);
            index.seller_names.insert(seller_id, seller_name.clone());
            if supervised {
                index.supervised.insert(position);
            }
            if trial {
                index.trial.insert(position);
            }
            for ((_, min, max), set) in PRICE_RANGES.iter().zip(index.by_price_range.iter_mut()) {
                if price >= *min && max.is_none_or(|max| price <= max) {
                    set.insert(position);
                }
            }
            index.ranking.push(Ranking { recent_sales: AtomicI64::new(sales), price_minor: price, listed_at });
            index.products.push(ProductSummary {
                id,
                name,
                summary,
                seller: SellerRef { id: seller_id, name: seller_name },
                category: category_slug,
                delivery_method,
                billing_modes,
                price_from: Money::new(price, currency),
                price_from_mode,
                supervised,
                free_trial: trial,
                tags: tags.split_whitespace().map(str::to_owned).collect(),
                recent_sales: sales,
                listed_at: from_unix(listed_at),
            });
        }
        for row in value_rows {
            let Some(position) = index.position(row.product_id) else { continue };
            if let Some(set) = categories
                .iter_mut()
                .find(|entry| entry.category.slug == row.slug)
                .and_then(|entry| entry.attributes.get_mut(&row.key))
                .and_then(|values| values.get_mut(&row.value))
            {
                set.insert(position);
            }
        }
        index.categories = categories;
        Ok(index)
    }
}

impl CatalogIndex {
    /// An index of `len` products with no listings yet and nothing in any filter.
    pub(super) fn empty(len: usize) -> CatalogIndex {
        CatalogIndex {
            text_cache: Mutex::new(lru::LruCache::new(NonZeroUsize::new(TEXT_CACHE_ENTRIES).expect("non-zero"))),
            products: Vec::with_capacity(len),
            ranking: Vec::with_capacity(len),
            position_by_id: HashMap::with_capacity(len),
            categories: Vec::new(),
            all: Bitset::full(len),
            by_delivery: DeliveryMethod::ALL.iter().map(|method| (*method, Bitset::empty(len))).collect(),
            by_billing: BillingMode::ALL.iter().map(|mode| (*mode, Bitset::empty(len))).collect(),
            by_seller: BTreeMap::new(),
            seller_names: HashMap::new(),
            supervised: Bitset::empty(len),
            trial: Bitset::empty(len),
            by_price_range: PRICE_RANGES.iter().map(|_| Bitset::empty(len)).collect(),
        }
    }
}
