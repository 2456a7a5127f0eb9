//! The catalog's search index: every product's listing data in memory, plus a bitset per
//! filter value. Text matching stays in the database's full-text index ([`full_text`]);
//! everything else — filters,
//! facet counts, sorting, paging — is bitset arithmetic here, which keeps a search over
//! 100,000 products with a dozen facet counts to about a millisecond of CPU.
//!
//! Facets are disjunctive: the counts of one facet apply every filter except that facet's
//! own, so each count says how many results choosing that value would give.
//!
//! Several instances on PostgreSQL keep their indexes current through
//! [`across_instances`].

use std::collections::{BTreeMap, HashMap};
use std::sync::atomic::{AtomicI64, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};

use bazaar_core::catalog::{
    BillingMode, Category, DeliveryMethod, Facets, LocalizedText, ProductSummary, Rating, SearchLinks, SortOrder,
};
use bazaar_core::ids::ProductId;
use bazaar_core::search_state::SearchState;

use crate::infra::db::Database;

pub mod across_instances;
mod bitset;
/// The full-text adapters of the two engines live in the store room.
pub use crate::store::full_text;
mod load;
mod query;

pub use bitset::Bitset;
use query::top_k;

/// What results are ordered by, kept apart from the listings: sorting a broad query reads
/// these for tens of thousands of products, and 32 bytes each stay in the CPU's caches
/// where whole listings would not.
pub struct Ranking {
    recent_sales: AtomicI64,
    /// [`Rating::rank`] of the visible reviews, changed in place when a review is written
    /// or hidden (like the sales count), so a review never reloads the catalog.
    rating_rank: AtomicU64,
    price_minor: i64,
    listed_at: i64,
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
pub(super) const TEXT_CACHE_ENTRIES: usize = 256;

pub struct CatalogIndex {
    /// Matches of recent text queries and of their single words. Ranking a broad query
    /// (tens of thousands of matches) costs the database tens of milliseconds of CPU, and
    /// the same words come back again and again; the cache lives and dies with this index,
    /// so a catalog change empties it. Each entry is filled once: requests that want a word
    /// while it is being fetched wait for that fetch instead of asking the database again.
    text_cache: Mutex<lru::LruCache<String, Arc<tokio::sync::OnceCell<Arc<TextMatches>>>>>,
    /// Listings by position; positions follow product ids, so comparing positions compares
    /// ids. Their `recent_sales` is refreshed from `ranking` when read.
    products: Vec<ProductSummary>,
    ranking: Vec<Ranking>,
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
    /// Only products whose average rating is at least this many stars.
    pub rating_min: Option<u32>,
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

pub(super) fn localized(en: String, zh: String) -> LocalizedText {
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
        let cell = self.text_cache.lock().unwrap_or_else(PoisonError::into_inner).get(fts_query).cloned();
        cell.and_then(|cell| cell.get().cloned())
    }

    /// The matches of `fts_query` from the cache, or from `fetch` run once however many
    /// requests want them at the same time (a failed fetch is tried again by the next).
    pub async fn text_matches_once<E, F>(&self, fts_query: &str, fetch: F) -> Result<Arc<TextMatches>, E>
    where
        F: Future<Output = Result<Arc<TextMatches>, E>>,
    {
        let cell = self
            .text_cache
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .get_or_insert_ref(fts_query, || Arc::new(tokio::sync::OnceCell::new()))
            .clone();
        cell.get_or_try_init(|| fetch).await.cloned()
    }

    pub fn position(&self, product_id: ProductId) -> Option<usize> {
        self.position_by_id.get(&product_id.0).copied()
    }

    pub fn product(&self, product_id: ProductId) -> Option<ProductSummary> {
        self.position(product_id).map(|position| self.summary(position))
    }

    /// The listing at `position`, with its current sales count and rating.
    fn summary(&self, position: usize) -> ProductSummary {
        let mut summary = self.products[position].clone();
        summary.recent_sales = self.sales(position);
        summary.rating = self.rating(position);
        summary
    }

    fn rating_rank(&self, position: usize) -> u64 {
        self.ranking[position].rating_rank.load(Ordering::Relaxed)
    }

    fn rating(&self, position: usize) -> Option<Rating> {
        Rating::from_rank(self.rating_rank(position))
    }

    /// Sets a product's rating after a review of it was written, edited or hidden.
    pub fn record_rating(&self, product_id: ProductId, rating: Option<Rating>) {
        if let Some(position) = self.position(product_id) {
            self.ranking[position].rating_rank.store(Rating::rank(rating), Ordering::Relaxed);
        }
    }

    fn sales(&self, position: usize) -> i64 {
        self.ranking[position].recent_sales.load(Ordering::Relaxed)
    }

    /// Sets every product's sales count and rating to the database's (which counts every
    /// instance's sales and reviews).
    pub async fn refresh_sales(&self, db: &Database) -> Result<(), sqlx::Error> {
        let counts = crate::store::catalog::recent_sales(db).await?;
        for (product_id, sales) in counts {
            if let Some(position) = self.position(product_id) {
                self.ranking[position].recent_sales.store(sales, Ordering::Relaxed);
            }
        }
        for row in crate::store::catalog::ratings(db).await? {
            self.record_rating(row.product_id, Rating::from_distribution(row.distribution()));
        }
        Ok(())
    }

    /// Counts a sale towards the popularity ranking.
    pub fn record_sale(&self, product_id: ProductId) {
        if let Some(position) = self.position(product_id) {
            self.ranking[position].recent_sales.fetch_add(1, Ordering::Relaxed);
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
        let key = |position: &usize| std::cmp::Reverse((self.sales(*position), -(*position as i64)));
        top_k(&mut positions, limit, |a, b| key(a).cmp(&key(b)));
        positions.truncate(limit);
        positions.into_iter().map(|position| self.summary(position)).collect()
    }
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

/// The current index, swapped whole when the catalog changes; readers never wait for a
/// reload and never see half of one.
#[derive(Clone)]
pub struct CatalogHandle(std::sync::Arc<std::sync::RwLock<std::sync::Arc<CatalogIndex>>>);

impl CatalogHandle {
    pub async fn load(db: &Database) -> Result<CatalogHandle, sqlx::Error> {
        let index = CatalogIndex::load(db).await?;
        Ok(CatalogHandle(std::sync::Arc::new(std::sync::RwLock::new(std::sync::Arc::new(index)))))
    }

    pub fn current(&self) -> std::sync::Arc<CatalogIndex> {
        self.0.read().unwrap_or_else(std::sync::PoisonError::into_inner).clone()
    }

    pub async fn reload(&self, db: &Database) -> Result<(), sqlx::Error> {
        let index = std::sync::Arc::new(CatalogIndex::load(db).await?);
        *self.0.write().unwrap_or_else(std::sync::PoisonError::into_inner) = index;
        Ok(())
    }
}

/// The searches one step away from the search `raw` (its query string, valid by now) on
/// `page` of its `total` results: each facet value's `query`, and the answer's links.
pub fn link_searches(raw: &str, facets: &mut Facets, total: u64, page: u32, page_size: u32) -> SearchLinks {
    let pairs: Vec<(String, String)> = form_urlencoded::parse(raw.as_bytes()).into_owned().collect();
    let search = SearchState::from_pairs(pairs.iter().map(|(key, value)| (key.as_str(), value.as_str())));
    search.link_facets(facets);
    let pages = total.div_ceil(u64::from(page_size)).max(1);
    search.links(page, u32::try_from(pages).unwrap_or(u32::MAX))
}

#[cfg(test)]
mod tests {
    use super::*;

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

    #[tokio::test]
    async fn concurrent_requests_for_one_word_fetch_it_once() {
        let index = Arc::new(CatalogIndex::empty(3));
        let fetches = Arc::new(std::sync::atomic::AtomicUsize::new(0));
        let mut requests = tokio::task::JoinSet::new();
        for _ in 0..8 {
            let (index, fetches) = (index.clone(), fetches.clone());
            requests.spawn(async move {
                let fetch = async {
                    fetches.fetch_add(1, Ordering::SeqCst);
                    // Still fetching when the other requests arrive.
                    tokio::time::sleep(std::time::Duration::from_millis(20)).await;
                    Ok::<_, ()>(Arc::new(TextMatches::from([(1, -2.0)])))
                };
                index.text_matches_once("\"word\"*", fetch).await
            });
        }
        let answers = requests.join_all().await;
        assert_eq!(fetches.load(Ordering::SeqCst), 1);
        assert!(answers.iter().all(|answer| answer.as_deref() == Ok(&TextMatches::from([(1, -2.0)]))));
        assert!(index.cached_text_matches("\"word\"*").is_some());
    }

    #[tokio::test]
    async fn a_failed_fetch_is_tried_again_by_the_next_request() {
        let index = CatalogIndex::empty(3);
        let failed = index.text_matches_once("\"word\"*", async { Err::<Arc<TextMatches>, _>("database gone") }).await;
        assert_eq!(failed, Err("database gone"));
        assert!(index.cached_text_matches("\"word\"*").is_none());
        let answer = index.text_matches_once("\"word\"*", async { Ok::<_, &str>(Arc::new(TextMatches::new())) }).await;
        assert!(answer.is_ok_and(|matches| matches.is_empty()));
    }
}
