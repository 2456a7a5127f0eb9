//! Loading the whole catalog into the index: listings, categories with their own fields,
//! and one bitset per filter value.

use std::collections::{BTreeMap, HashMap};
use std::num::NonZeroUsize;
use std::sync::Mutex;
use std::sync::atomic::{AtomicI64, AtomicU64};

use bazaar_core::catalog::{
    AttributeDefinition, AttributeValue, BillingMode, Category, DeliveryMethod, PRICE_RANGES, ProductSummary, Rating,
    SellerRef,
};
use bazaar_core::ids::ProductId;
use bazaar_core::money::Money;

use super::{Bitset, CatalogIndex, CategoryEntry, Ranking, TEXT_CACHE_ENTRIES, localized};
use crate::infra::clock::from_unix;
use crate::infra::db::Database;

use crate::store::catalog::{AttributeRow, CatalogRows, CategoryRow, ProductRow};

impl CatalogIndex {
    /// Loads the whole catalog from the database.
    pub async fn load(db: &Database) -> Result<CatalogIndex, sqlx::Error> {
        let CatalogRows {
            categories: category_rows,
            attributes: attribute_rows,
            products: product_rows,
            billing: billing_rows,
            values: value_rows,
        } = crate::store::catalog::load(db).await?;
        let len = product_rows.len();
        let mut billing_by_product: HashMap<ProductId, Vec<BillingMode>> = HashMap::new();
        for row in billing_rows {
            billing_by_product.entry(row.product_id).or_default().push(row.billing_mode);
        }
        let mut categories: Vec<CategoryEntry> =
            category_rows.iter().map(|category| category_entry(category, &attribute_rows, len)).collect();
        let mut index = CatalogIndex::empty(len);
        for (position, row) in product_rows.into_iter().enumerate() {
            let billing_modes = billing_by_product.remove(&row.id).unwrap_or_default();
            index.add_product(position, row, billing_modes, &mut categories, len);
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

    /// Lists product `row` at `position` of `len`: its summary, ranking figures, and its
    /// place in its category and in every filter's bitset.
    fn add_product(
        &mut self,
        position: usize,
        row: ProductRow,
        mut billing_modes: Vec<BillingMode>,
        categories: &mut [CategoryEntry],
        len: usize,
    ) {
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
            stars_1,
            stars_2,
            stars_3,
            stars_4,
            stars_5,
        } = row;
        let rating = Rating::from_distribution(
            [stars_1, stars_2, stars_3, stars_4, stars_5].map(|count| u32::try_from(count).unwrap_or(0)),
        );
        billing_modes.sort();
        self.position_by_id.insert(id.0, position);
        if let Some(entry) = categories.iter_mut().find(|entry| entry.category.slug == category_slug) {
            entry.members.insert(position);
        }
        if let Some(set) = self.by_delivery.get_mut(&delivery_method) {
            set.insert(position);
        }
        for mode in &billing_modes {
            if let Some(set) = self.by_billing.get_mut(mode) {
                set.insert(position);
            }
        }
        self.by_seller.entry(seller_id).or_insert_with(|| Bitset::empty(len)).insert(position);
        self.seller_names.insert(seller_id, seller_name.clone());
        if supervised {
            self.supervised.insert(position);
        }
        if trial {
            self.trial.insert(position);
        }
        for ((_, min, max), set) in PRICE_RANGES.iter().zip(self.by_price_range.iter_mut()) {
            if price >= *min && max.is_none_or(|max| price <= max) {
                set.insert(position);
            }
        }
        self.ranking.push(Ranking {
            recent_sales: AtomicI64::new(sales),
            rating_rank: AtomicU64::new(Rating::rank(rating)),
            price_minor: price,
            listed_at,
        });
        self.products.push(ProductSummary {
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
            rating,
            listed_at: from_unix(listed_at),
        });
    }
}

/// A category with its own fields (their values in order) and an empty bitset for each
/// value and for its members, for an index of `len` products.
fn category_entry(category: &CategoryRow, attribute_rows: &[AttributeRow], len: usize) -> CategoryEntry {
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
            let values = definition.values.iter().map(|value| (value.value.clone(), Bitset::empty(len))).collect();
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
