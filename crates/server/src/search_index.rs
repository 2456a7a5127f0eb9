//! The catalog's search index: every product's listing data in memory, plus a bitset per
//! filter value. Text matching stays in SQLite's FTS5 index; everything else — filters,
//! facet counts, sorting, paging — is bitset arithmetic here, which keeps a search over
//! 100,000 products with a dozen facet counts to about a millisecond of CPU.
//!
//! Facets are disjunctive: the counts of one facet apply every filter except that facet's
//! own, so each count says how many results choosing that value would give.

use std::collections::{BTreeMap, HashMap};
use std::num::NonZeroUsize;
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};

use bazaar_core::catalog::{
    AttributeDefinition, AttributeFacet, AttributeValue, BillingMode, Category, DeliveryMethod, FacetCount,
    FacetCountPair, Facets, LocalizedText, PRICE_RANGES, ProductSummary, SellerRef, SortOrder,
};
use bazaar_core::money::{Currency, Money};
use sqlx::SqlitePool;

use crate::clock::from_unix;

/// A fixed-size set of product positions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bitset {
    words: Vec<u64>,
}

impl Bitset {
    pub fn empty(len: usize) -> Bitset {
        Bitset { words: vec![0; len.div_ceil(64)] }
    }

    pub fn full(len: usize) -> Bitset {
        let mut set = Bitset::empty(len);
        for position in 0..len {
            set.insert(position);
        }
        set
    }

    pub fn insert(&mut self, position: usize) {
        self.words[position / 64] |= 1 << (position % 64);
    }

    pub fn contains(&self, position: usize) -> bool {
        self.words[position / 64] & (1 << (position % 64)) != 0
    }

    pub fn intersect_with(&mut self, other: &Bitset) {
        for (word, other) in self.words.iter_mut().zip(&other.words) {
            *word &= other;
        }
    }

    pub fn union_with(&mut self, other: &Bitset) {
        for (word, other) in self.words.iter_mut().zip(&other.words) {
            *word |= other;
        }
    }

    pub fn count(&self) -> u64 {
        self.words.iter().map(|word| u64::from(word.count_ones())).sum()
    }

    /// `|self ∩ other|` without allocating.
    pub fn count_intersection(&self, other: &Bitset) -> u64 {
        self.words.iter().zip(&other.words).map(|(a, b)| u64::from((a & b).count_ones())).sum()
    }

    pub fn positions(&self) -> impl Iterator<Item = usize> + '_ {
        self.words.iter().enumerate().flat_map(|(index, word)| {
            let mut word = *word;
            std::iter::from_fn(move || {
                if word == 0 {
                    return None;
                }
                let bit = word.trailing_zeros() as usize;
                word &= word - 1;
                Some(index * 64 + bit)
            })
        })
    }
}

pub struct IndexedProduct {
    /// The listing; its `recent_sales` is refreshed from the counter when read.
    summary: ProductSummary,
    recent_sales: AtomicI64,
    price_minor: i64,
    listed_at: i64,
}

impl IndexedProduct {
    pub fn summary(&self) -> ProductSummary {
        let mut summary = self.summary.clone();
        summary.recent_sales = self.recent_sales.load(Ordering::Relaxed);
        summary
    }
}

struct CategoryEntry {
    category: Category,
    members: Bitset,
    /// attribute key → value → members
    attributes: BTreeMap<String, BTreeMap<String, Bitset>>,
}

/// FTS matches of one text query: product position → bm25 score (lower is better).
pub type TextMatches = HashMap<usize, f64>;

/// How many distinct text queries and single words keep their matches in memory.
const TEXT_CACHE_ENTRIES: usize = 256;

pub struct CatalogIndex {
    /// Matches of recent text queries and of their single words. Ranking a broad query
    /// (tens of thousands of matches) costs SQLite tens of milliseconds of CPU, and the
    /// same words come back again and again; the cache lives and dies with this index, so
    /// a catalog change empties it.
    text_cache: Mutex<lru::LruCache<String, Arc<TextMatches>>>,
    products: Vec<IndexedProduct>,
    position_by_id: HashMap<i64, usize>,
    categories: Vec<CategoryEntry>,
    all: Bitset,
    by_delivery: BTreeMap<DeliveryMethod, Bitset>,
    by_billing: BTreeMap<BillingMode, Bitset>,
    by_seller: BTreeMap<i64, Bitset>,
    seller_names: HashMap<i64, String>,
    supervised: Bitset,
    trial: Bitset,
    by_price_range: Vec<Bitset>,
}

/// A validated search request.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SearchRequest {
    /// FTS matches; `None` without a text query.
    pub text_matches: Option<Arc<TextMatches>>,
    pub category: Option<String>,
    pub delivery: Vec<DeliveryMethod>,
    pub billing: Vec<BillingMode>,
    pub sellers: Vec<i64>,
    pub supervised: bool,
    pub trial: bool,
    pub price_min: Option<i64>,
    pub price_max: Option<i64>,
    /// (attribute key, accepted values) of the chosen category.
    pub attributes: Vec<(String, Vec<String>)>,
    pub sort: SortOrder,
    pub page: u32,
    pub page_size: u32,
}

pub struct SearchResult {
    pub items: Vec<ProductSummary>,
    pub total: u64,
    pub facets: Facets,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Facet {
    Category,
    Delivery,
    Billing,
    Seller,
    Price,
    Supervised,
    Trial,
    Attribute(String),
}

fn localized(en: String, zh: String) -> LocalizedText {
    LocalizedText { en, zh }
}

impl CatalogIndex {
    pub fn len(&self) -> usize {
        self.products.len()
    }

    pub fn is_empty(&self) -> bool {
        self.products.is_empty()
    }

    /// Cached matches of an FTS query, if it ran recently.
    pub fn cached_text_matches(&self, fts_query: &str) -> Option<Arc<TextMatches>> {
        self.text_cache.lock().unwrap_or_else(PoisonError::into_inner).get(fts_query).cloned()
    }

    pub fn cache_text_matches(&self, fts_query: String, matches: Arc<TextMatches>) {
        self.text_cache.lock().unwrap_or_else(PoisonError::into_inner).put(fts_query, matches);
    }

    pub fn position(&self, product_id: i64) -> Option<usize> {
        self.position_by_id.get(&product_id).copied()
    }

    pub fn product(&self, product_id: i64) -> Option<ProductSummary> {
        self.position(product_id).map(|position| self.products[position].summary())
    }

    /// Counts a sale towards the popularity ranking.
    pub fn record_sale(&self, product_id: i64) {
        if let Some(position) = self.position(product_id) {
            self.products[position].recent_sales.fetch_add(1, Ordering::Relaxed);
        }
    }

    pub fn categories(&self) -> Vec<Category> {
        self.categories
            .iter()
            .map(|entry| Category { product_count: entry.members.count(), ..entry.category.clone() })
            .collect()
    }

    pub fn category(&self, slug: &str) -> Option<&Category> {
        self.categories.iter().find(|entry| entry.category.slug == slug).map(|entry| &entry.category)
    }

    pub fn seller_exists(&self, seller_id: i64) -> bool {
        self.seller_names.contains_key(&seller_id)
    }

    /// The most popular products.
    pub fn popular(&self, limit: usize) -> Vec<ProductSummary> {
        let mut positions: Vec<usize> = (0..self.products.len()).collect();
        let key = |position: &usize| {
            std::cmp::Reverse((self.products[*position].recent_sales.load(Ordering::Relaxed), -(*position as i64)))
        };
        top_k(&mut positions, limit, |a, b| key(a).cmp(&key(b)));
        positions.truncate(limit);
        positions.into_iter().map(|position| self.products[position].summary()).collect()
    }

    fn price_mask(&self, min: Option<i64>, max: Option<i64>) -> Bitset {
        let mut mask = Bitset::empty(self.products.len());
        for (position, product) in self.products.iter().enumerate() {
            if min.is_none_or(|min| product.price_minor >= min) && max.is_none_or(|max| product.price_minor <= max) {
                mask.insert(position);
            }
        }
        mask
    }

    pub fn search(&self, request: &SearchRequest) -> SearchResult {
        let len = self.products.len();
        let base = match &request.text_matches {
            Some(matches) => {
                let mut set = Bitset::empty(len);
                for position in matches.keys() {
                    set.insert(*position);
                }
                set
            }
            None => self.all.clone(),
        };
        let category = request
            .category
            .as_deref()
            .and_then(|slug| self.categories.iter().find(|entry| entry.category.slug == slug));

        let union_of = |sets: Vec<Option<&Bitset>>| {
            let mut mask = Bitset::empty(len);
            for set in sets.into_iter().flatten() {
                mask.union_with(set);
            }
            mask
        };
        let mut masks: Vec<(Facet, Bitset)> = Vec::new();
        if let Some(entry) = category {
            masks.push((Facet::Category, entry.members.clone()));
        }
        if !request.delivery.is_empty() {
            masks.push((Facet::Delivery, union_of(request.delivery.iter().map(|d| self.by_delivery.get(d)).collect())));
        }
        if !request.billing.is_empty() {
            masks.push((Facet::Billing, union_of(request.billing.iter().map(|b| self.by_billing.get(b)).collect())));
        }
        if !request.sellers.is_empty() {
            masks.push((Facet::Seller, union_of(request.sellers.iter().map(|s| self.by_seller.get(s)).collect())));
        }
        if request.price_min.is_some() || request.price_max.is_some() {
            masks.push((Facet::Price, self.price_mask(request.price_min, request.price_max)));
        }
        if request.supervised {
            masks.push((Facet::Supervised, self.supervised.clone()));
        }
        if request.trial {
            masks.push((Facet::Trial, self.trial.clone()));
        }
        if let Some(entry) = category {
            for (key, values) in &request.attributes {
                if let Some(value_sets) = entry.attributes.get(key) {
                    let mask = union_of(values.iter().map(|value| value_sets.get(value)).collect());
                    masks.push((Facet::Attribute(key.clone()), mask));
                }
            }
        }

        // Everything but `excluded`'s own filter: the population that facet's counts describe
        // (with `None`, every filter applies: the results).
        let matching = |excluded: Option<&Facet>| {
            let mut set = base.clone();
            for (facet, mask) in &masks {
                if Some(facet) != excluded {
                    set.intersect_with(mask);
                }
            }
            set
        };
        let results = matching(None);
        // A facet without a filter of its own is counted over the results themselves; only
        // facets being filtered on need a population of their own.
        let all_but = |facet: &Facet| -> std::borrow::Cow<'_, Bitset> {
            if masks.iter().any(|(active, _)| active == facet) {
                std::borrow::Cow::Owned(matching(Some(facet)))
            } else {
                std::borrow::Cow::Borrowed(&results)
            }
        };
        let total = results.count();

        let counts =
            |population: &Bitset, sets: &mut dyn Iterator<Item = (String, Option<LocalizedText>, &Bitset, bool)>| {
                sets.map(|(value, label, set, selected)| FacetCount {
                    value,
                    label,
                    count: population.count_intersection(set),
                    selected,
                })
                .collect::<Vec<_>>()
            };

        let population = all_but(&Facet::Category);
        let categories = counts(
            &population,
            &mut self.categories.iter().map(|entry| {
                let selected = request.category.as_deref() == Some(entry.category.slug.as_str());
                (entry.category.slug.clone(), Some(entry.category.name.clone()), &entry.members, selected)
            }),
        );
        let population = all_but(&Facet::Delivery);
        let delivery_methods = counts(
            &population,
            &mut self
                .by_delivery
                .iter()
                .map(|(method, set)| (method.as_str().to_owned(), None, set, request.delivery.contains(method))),
        );
        let population = all_but(&Facet::Billing);
        let billing_modes = counts(
            &population,
            &mut self
                .by_billing
                .iter()
                .map(|(mode, set)| (mode.as_str().to_owned(), None, set, request.billing.contains(mode))),
        );
        let population = all_but(&Facet::Seller);
        let mut sellers: Vec<FacetCount> = counts(
            &population,
            &mut self.by_seller.iter().map(|(id, set)| {
                let name = self.seller_names.get(id).cloned().unwrap_or_default();
                (id.to_string(), Some(localized(name.clone(), name)), set, request.sellers.contains(id))
            }),
        )
        .into_iter()
        .filter(|facet| facet.count > 0 || facet.selected)
        .collect();
        sellers.sort_by(|a, b| {
            b.count.cmp(&a.count).then_with(|| a.label.as_ref().map(|l| &l.en).cmp(&b.label.as_ref().map(|l| &l.en)))
        });
        let population = all_but(&Facet::Price);
        let price_ranges = counts(
            &population,
            &mut PRICE_RANGES.iter().zip(&self.by_price_range).map(|((value, min, max), set)| {
                let selected = request.price_min == Some(*min) && request.price_max == *max;
                ((*value).to_owned(), None, set, selected)
            }),
        );
        let supervised = FacetCountPair {
            count: all_but(&Facet::Supervised).count_intersection(&self.supervised),
            selected: request.supervised,
        };
        let free_trial =
            FacetCountPair { count: all_but(&Facet::Trial).count_intersection(&self.trial), selected: request.trial };
        let attributes = category
            .map(|entry| {
                entry
                    .category
                    .attributes
                    .iter()
                    .map(|definition| {
                        let facet = Facet::Attribute(definition.key.clone());
                        let population = all_but(&facet);
                        let chosen: &[String] = request
                            .attributes
                            .iter()
                            .find(|(key, _)| *key == definition.key)
                            .map(|(_, values)| values.as_slice())
                            .unwrap_or(&[]);
                        let value_sets = entry.attributes.get(&definition.key);
                        let values = definition
                            .values
                            .iter()
                            .map(|value| FacetCount {
                                value: value.value.clone(),
                                label: Some(value.label.clone()),
                                count: value_sets
                                    .and_then(|sets| sets.get(&value.value))
                                    .map_or(0, |set| population.count_intersection(set)),
                                selected: chosen.contains(&value.value),
                            })
                            .collect();
                        AttributeFacet { key: definition.key.clone(), name: definition.name.clone(), values }
                    })
                    .collect()
            })
            .unwrap_or_default();

        let items = self.page_of(&results, request);
        SearchResult {
            items,
            total,
            facets: Facets {
                categories,
                delivery_methods,
                billing_modes,
                sellers,
                price_ranges,
                supervised,
                free_trial,
                attributes,
            },
        }
    }

    /// The requested page of `results` in the requested order.
    fn page_of(&self, results: &Bitset, request: &SearchRequest) -> Vec<ProductSummary> {
        let mut positions: Vec<usize> = results.positions().collect();
        let offset = (request.page.saturating_sub(1) as usize).saturating_mul(request.page_size as usize);
        if offset >= positions.len() {
            return Vec::new();
        }
        let wanted = offset + request.page_size as usize;
        let sales = |position: usize| self.products[position].recent_sales.load(Ordering::Relaxed);
        let product = |position: usize| &self.products[position];
        // Every order ends with the id, so equal keys never shuffle between pages.
        let compare = |a: &usize, b: &usize| -> std::cmp::Ordering {
            let (a, b) = (*a, *b);
            let primary = match request.sort {
                SortOrder::Relevance => match &request.text_matches {
                    Some(scores) => scores[&a].total_cmp(&scores[&b]).then_with(|| sales(b).cmp(&sales(a))),
                    None => sales(b).cmp(&sales(a)),
                },
                SortOrder::Popularity => sales(b).cmp(&sales(a)),
                SortOrder::PriceAsc => product(a).price_minor.cmp(&product(b).price_minor),
                SortOrder::PriceDesc => product(b).price_minor.cmp(&product(a).price_minor),
                SortOrder::Newest => product(b).listed_at.cmp(&product(a).listed_at),
            };
            primary.then_with(|| product(a).summary.id.cmp(&product(b).summary.id))
        };
        top_k(&mut positions, wanted, compare);
        positions.truncate(wanted);
        positions[offset..].iter().map(|position| self.products[*position].summary()).collect()
    }

    /// Loads the whole catalog from the database.
    pub async fn load(db: &SqlitePool) -> Result<CatalogIndex, sqlx::Error> {
        let category_rows: Vec<(i64, String, String, String, String, String)> = sqlx::query_as(
            "SELECT id, slug, name_en, name_zh, description_en, description_zh FROM categories ORDER BY position",
        )
        .fetch_all(db)
        .await?;
        let attribute_rows: Vec<(i64, String, String, String, String, String, String)> = sqlx::query_as(
            "SELECT a.category_id, a.key, a.name_en, a.name_zh, v.value, v.label_en, v.label_zh
             FROM category_attributes a JOIN category_attribute_values v ON v.attribute_id = a.id
             ORDER BY a.category_id, a.position, v.position",
        )
        .fetch_all(db)
        .await?;
        #[allow(clippy::type_complexity)]
        let product_rows: Vec<(
            i64,
            String,
            String,
            i64,
            String,
            String,
            String,
            bool,
            bool,
            String,
            i64,
            i64,
            i64,
            String,
            String,
        )> = sqlx::query_as(
            "SELECT p.id, p.name, p.summary, p.seller_id, s.name, c.slug, p.delivery_method, p.supervised,
                        p.trial_days IS NOT NULL, p.tags, p.recent_sales, p.listed_at, p.price_from_minor,
                        p.price_from_mode, p.currency
                 FROM products p JOIN sellers s ON s.id = p.seller_id JOIN categories c ON c.id = p.category_id
                 ORDER BY p.id",
        )
        .fetch_all(db)
        .await?;
        let billing_rows: Vec<(i64, String)> = sqlx::query_as(
            "SELECT DISTINCT s.product_id, sp.billing_mode FROM skus s JOIN sku_prices sp ON sp.sku_id = s.id",
        )
        .fetch_all(db)
        .await?;
        let value_rows: Vec<(i64, String, String, String)> = sqlx::query_as(
            "SELECT pav.product_id, c.slug, a.key, pav.value
             FROM product_attribute_values pav
             JOIN category_attributes a ON a.id = pav.attribute_id
             JOIN categories c ON c.id = a.category_id",
        )
        .fetch_all(db)
        .await?;

        let len = product_rows.len();
        let mut billing_by_product: HashMap<i64, Vec<BillingMode>> = HashMap::new();
        for (product_id, mode) in billing_rows {
            if let Some(mode) = BillingMode::parse(&mode) {
                billing_by_product.entry(product_id).or_default().push(mode);
            }
        }

        let mut categories: Vec<CategoryEntry> = category_rows
            .iter()
            .map(|(id, slug, name_en, name_zh, description_en, description_zh)| {
                let mut definitions: Vec<AttributeDefinition> = Vec::new();
                for (category_id, key, attribute_en, attribute_zh, value, label_en, label_zh) in &attribute_rows {
                    if category_id != id {
                        continue;
                    }
                    if definitions.last().is_none_or(|definition| &definition.key != key) {
                        definitions.push(AttributeDefinition {
                            key: key.clone(),
                            name: localized(attribute_en.clone(), attribute_zh.clone()),
                            values: Vec::new(),
                        });
                    }
                    if let Some(definition) = definitions.last_mut() {
                        definition.values.push(AttributeValue {
                            value: value.clone(),
                            label: localized(label_en.clone(), label_zh.clone()),
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
                        slug: slug.clone(),
                        name: localized(name_en.clone(), name_zh.clone()),
                        description: localized(description_en.clone(), description_zh.clone()),
                        attributes: definitions,
                        product_count: 0,
                    },
                    members: Bitset::empty(len),
                    attributes,
                }
            })
            .collect();

        let mut index = CatalogIndex {
            text_cache: Mutex::new(lru::LruCache::new(NonZeroUsize::new(TEXT_CACHE_ENTRIES).expect("non-zero"))),
            products: Vec::with_capacity(len),
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
        };
        for (position, row) in product_rows.into_iter().enumerate() {
            let (
                id,
                name,
                summary,
                seller_id,
                seller_name,
                category_slug,
                delivery,
                supervised,
                trial,
                tags,
                sales,
                listed_at,
                price,
                price_mode,
                currency,
            ) = row;
            let delivery_method = DeliveryMethod::parse(&delivery).unwrap_or(DeliveryMethod::Saas);
            let mut billing_modes = billing_by_product.remove(&id).unwrap_or_default();
            billing_modes.sort();
            index.position_by_id.insert(id, position);
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
            let currency = Currency::parse(&currency).unwrap_or(Currency::CNY);
            index.products.push(IndexedProduct {
                summary: ProductSummary {
                    id,
                    name,
                    summary,
                    seller: SellerRef { id: seller_id, name: seller_name },
                    category: category_slug,
                    delivery_method,
                    billing_modes,
                    price_from: Money::new(price, currency),
                    price_from_mode: BillingMode::parse(&price_mode).unwrap_or(BillingMode::OneOff),
                    supervised,
                    free_trial: trial,
                    tags: tags.split_whitespace().map(str::to_owned).collect(),
                    recent_sales: sales,
                    listed_at: from_unix(listed_at),
                },
                recent_sales: AtomicI64::new(sales),
                price_minor: price,
                listed_at,
            });
        }
        for (product_id, slug, key, value) in value_rows {
            let Some(position) = index.position(product_id) else { continue };
            if let Some(set) = categories
                .iter_mut()
                .find(|entry| entry.category.slug == slug)
                .and_then(|entry| entry.attributes.get_mut(&key))
                .and_then(|values| values.get_mut(&value))
            {
                set.insert(position);
            }
        }
        index.categories = categories;
        Ok(index)
    }
}

/// Puts the `k` smallest items (by `compare`) first, sorted; the rest stay after them in
/// any order. Linear time plus `k log k`, instead of sorting everything.
fn top_k<T>(items: &mut [T], k: usize, mut compare: impl FnMut(&T, &T) -> std::cmp::Ordering) {
    if k == 0 || items.is_empty() {
        return;
    }
    if k < items.len() {
        items.select_nth_unstable_by(k - 1, &mut compare);
    }
    let end = k.min(items.len());
    items[..end].sort_unstable_by(compare);
}

/// Turns what a person typed into FTS5 phrases, one per word, each matching as a prefix.
/// Only letters and digits survive, so quotes, operators and SQL in the input are plain
/// text and can never be a syntax error.
pub fn fts_phrases(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|word| !word.is_empty())
        .take(12)
        .map(|word| format!("\"{}\"*", word.to_lowercase()))
        .collect()
}

/// The matches of a query of several phrases, from the matches of each phrase alone: the
/// products that match every phrase, scored by the sum of their per-phrase scores.
///
/// FTS5's bm25 is exactly that sum — each phrase's idf and term-frequency part depend on
/// that phrase alone — and the sum is taken in phrase order as SQLite does, so the scores
/// are bit-for-bit the ones SQLite gives the whole query (a server test checks this). This
/// lets the search cache words rather than whole queries: a new combination of words that
/// were searched before costs no SQLite work.
pub fn intersect_text_matches(per_phrase: &[Arc<TextMatches>]) -> TextMatches {
    let Some(smallest) = per_phrase.iter().min_by_key(|matches| matches.len()) else {
        return TextMatches::new();
    };
    smallest
        .keys()
        .filter_map(|position| {
            let mut score = 0.0;
            for matches in per_phrase {
                score += matches.get(position)?;
            }
            Some((*position, score))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bitset_operations() {
        let mut a = Bitset::empty(130);
        a.insert(0);
        a.insert(64);
        a.insert(129);
        let mut b = Bitset::full(130);
        assert_eq!(b.count(), 130);
        assert_eq!(a.count_intersection(&b), 3);
        b.intersect_with(&a);
        assert_eq!(b.positions().collect::<Vec<_>>(), vec![0, 64, 129]);
        assert!(b.contains(64) && !b.contains(65));
    }

    #[test]
    fn several_phrases_match_where_all_do_with_summed_scores() {
        let first: Arc<TextMatches> = Arc::new([(1, -2.0), (2, -1.0), (3, -0.5)].into());
        let second: Arc<TextMatches> = Arc::new([(2, -4.0), (3, -0.25), (9, -7.0)].into());
        let combined = intersect_text_matches(&[first.clone(), second]);
        assert_eq!(combined, [(2, -5.0), (3, -0.75)].into());
        assert_eq!(intersect_text_matches(std::slice::from_ref(&first)), *first);
        assert!(intersect_text_matches(&[]).is_empty());
    }

    /// The whole FTS5 query of `text`, as SQLite would be asked it in one go.
    fn fts_query(text: &str) -> Option<String> {
        let phrases = fts_phrases(text);
        (!phrases.is_empty()).then(|| phrases.join(" "))
    }

    #[test]
    fn fts_queries_are_sanitised() {
        assert_eq!(fts_query("PostgreSQL backup").as_deref(), Some("\"postgresql\"* \"backup\"*"));
        assert_eq!(fts_query("\"; DROP TABLE products; --").as_deref(), Some("\"drop\"* \"table\"* \"products\"*"));
        assert_eq!(fts_query("NEAR(a b) OR c*").as_deref(), Some("\"near\"* \"a\"* \"b\"* \"or\"* \"c\"*"));
        assert_eq!(fts_query("  !!! ''"), None);
    }

    #[test]
    fn top_k_sorts_only_what_is_needed() {
        let mut items = vec![9, 3, 7, 1, 8, 2];
        top_k(&mut items, 3, |a, b| a.cmp(b));
        assert_eq!(&items[..3], &[1, 2, 3]);
        let mut few = vec![2, 1];
        top_k(&mut few, 5, |a, b| a.cmp(b));
        assert_eq!(few, vec![1, 2]);
    }
}

/// The current index, swapped whole when the catalog changes; readers never wait for a
/// reload and never see half of one.
#[derive(Clone)]
pub struct CatalogHandle(std::sync::Arc<std::sync::RwLock<std::sync::Arc<CatalogIndex>>>);

impl CatalogHandle {
    pub async fn load(db: &SqlitePool) -> Result<CatalogHandle, sqlx::Error> {
        let index = CatalogIndex::load(db).await?;
        Ok(CatalogHandle(std::sync::Arc::new(std::sync::RwLock::new(std::sync::Arc::new(index)))))
    }

    pub fn current(&self) -> std::sync::Arc<CatalogIndex> {
        self.0.read().unwrap_or_else(std::sync::PoisonError::into_inner).clone()
    }

    pub async fn reload(&self, db: &SqlitePool) -> Result<(), sqlx::Error> {
        let index = std::sync::Arc::new(CatalogIndex::load(db).await?);
        *self.0.write().unwrap_or_else(std::sync::PoisonError::into_inner) = index;
        Ok(())
    }
}
