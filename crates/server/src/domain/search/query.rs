//! Answering a search: filters and text matches intersected as bitsets, disjunctive facet
//! counts, then sorting only the page that is shown.

use bazaar_core::catalog::{
    AttributeFacet, FOUR_STARS_AND_UP, FacetCount, FacetCountPair, Facets, LocalizedText, PRICE_RANGES, ProductSummary,
    Rating, SortOrder,
};

use std::borrow::Cow;

use super::{Bitset, CatalogIndex, CategoryEntry, SearchRequest, SearchResult, localized};

#[derive(Debug, Clone, PartialEq, Eq)]
enum Facet {
    Category,
    Delivery,
    Billing,
    Seller,
    Price,
    Supervised,
    Trial,
    Rating,
    Attribute(String),
}

impl CatalogIndex {
    fn price_mask(&self, min: Option<i64>, max: Option<i64>) -> Bitset {
        let mut mask = Bitset::empty(self.products.len());
        for (position, ranking) in self.ranking.iter().enumerate() {
            if min.is_none_or(|min| ranking.price_minor >= min) && max.is_none_or(|max| ranking.price_minor <= max) {
                mask.insert(position);
            }
        }
        mask
    }

    /// The products rated at least `min_stars` on average. Ratings change in place when a
    /// review is written, so this is read from the ranking rather than kept as a bitset
    /// (a pass over 8 bytes per product).
    fn rating_mask(&self, min_stars: u32) -> Bitset {
        let mut mask = Bitset::empty(self.products.len());
        for position in 0..self.ranking.len() {
            if Rating::at_least(self.rating(position), min_stars) {
                mask.insert(position);
            }
        }
        mask
    }

    pub fn search(&self, request: &SearchRequest) -> SearchResult {
        let category = request
            .category
            .as_deref()
            .and_then(|slug| self.categories.iter().find(|entry| entry.category.slug == slug));
        let filters = self.filters(request, category);
        SearchResult {
            items: self.page_of(&filters.results, request),
            total: filters.results.count(),
            facets: self.facets(request, category, &filters),
        }
    }

    /// The request's filters, each as the set of products it lets through, and the
    /// results: the text matches (or everything) with every filter applied.
    fn filters(&self, request: &SearchRequest, category: Option<&CategoryEntry>) -> Filters {
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
        if let Some(min_stars) = request.rating_min {
            masks.push((Facet::Rating, self.rating_mask(min_stars)));
        }
        if let Some(entry) = category {
            for (key, values) in &request.attributes {
                if let Some(value_sets) = entry.attributes.get(key) {
                    let mask = union_of(values.iter().map(|value| value_sets.get(value)).collect());
                    masks.push((Facet::Attribute(key.clone()), mask));
                }
            }
        }
        let mut filters = Filters { results: Bitset::empty(len), base, masks };
        filters.results = filters.matching(None);
        filters
    }

    /// Every facet's counts: each over the results with every filter but its own
    /// (disjunctive facets: choosing a second delivery method shows what it adds).
    fn facets(&self, request: &SearchRequest, category: Option<&CategoryEntry>, filters: &Filters) -> Facets {
        let categories = counts(
            &filters.all_but(&Facet::Category),
            self.categories.iter().map(|entry| {
                let selected = request.category.as_deref() == Some(entry.category.slug.as_str());
                (entry.category.slug.clone(), Some(entry.category.name.clone()), &entry.members, selected)
            }),
        );
        let delivery_methods = counts(
            &filters.all_but(&Facet::Delivery),
            self.by_delivery
                .iter()
                .map(|(method, set)| (method.as_str().to_owned(), None, set, request.delivery.contains(method))),
        );
        let billing_modes = counts(
            &filters.all_but(&Facet::Billing),
            self.by_billing
                .iter()
                .map(|(mode, set)| (mode.as_str().to_owned(), None, set, request.billing.contains(mode))),
        );
        let mut sellers: Vec<FacetCount> = counts(
            &filters.all_but(&Facet::Seller),
            self.by_seller.iter().map(|(id, set)| {
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
        let price_ranges = counts(
            &filters.all_but(&Facet::Price),
            PRICE_RANGES.iter().zip(&self.by_price_range).map(|((value, min, max), set)| {
                let selected = request.price_min == Some(*min) && request.price_max == *max;
                ((*value).to_owned(), None, set, selected)
            }),
        );
        let supervised = FacetCountPair {
            count: filters.all_but(&Facet::Supervised).count_intersection(&self.supervised),
            selected: request.supervised,
            // What choosing it leads to: `SearchState::link_facets`, which knows the query.
            query: String::new(),
        };
        let free_trial = FacetCountPair {
            count: filters.all_but(&Facet::Trial).count_intersection(&self.trial),
            selected: request.trial,
            // What choosing it leads to: `SearchState::link_facets`, which knows the query.
            query: String::new(),
        };
        let four_stars_and_up = FacetCountPair {
            count: filters.all_but(&Facet::Rating).count_intersection(&self.rating_mask(FOUR_STARS_AND_UP)),
            selected: request.rating_min == Some(FOUR_STARS_AND_UP),
            // What choosing it leads to: `SearchState::link_facets`, which knows the query.
            query: String::new(),
        };
        let attributes = category.map(|entry| attribute_facets(request, entry, filters)).unwrap_or_default();
        Facets {
            categories,
            delivery_methods,
            billing_modes,
            sellers,
            price_ranges,
            supervised,
            free_trial,
            four_stars_and_up,
            attributes,
        }
    }

    /// The requested page of `results` in the requested order.
    ///
    /// Each result's sort key is read once, before selecting: a broad text query has tens
    /// of thousands of results, and reading scores from the match map inside the
    /// comparison cost most of such a search's time.
    fn page_of(&self, results: &Bitset, request: &SearchRequest) -> Vec<ProductSummary> {
        let offset = (request.page.saturating_sub(1) as usize).saturating_mul(request.page_size as usize);
        let wanted = offset + request.page_size as usize;
        let ranking = |position: usize| &self.ranking[position];
        let mut keys: Vec<SortKey> = match (&request.sort, &request.text_matches) {
            // Lower scores are better matches; ties go to the better seller.
            (SortOrder::Relevance, Some(scores)) => scores
                .iter()
                .filter(|(position, _)| results.contains(**position))
                .map(|(&position, &score)| SortKey { score, number: -self.sales(position), position })
                .collect(),
            (sort, _) => results
                .positions()
                .map(|position| {
                    let number = match sort {
                        SortOrder::Relevance | SortOrder::Popularity => -self.sales(position),
                        SortOrder::PriceAsc => ranking(position).price_minor,
                        SortOrder::PriceDesc => -ranking(position).price_minor,
                        SortOrder::Newest => -ranking(position).listed_at,
                        // Ranks fit in 63 bits: averages are at most 50 tenths.
                        SortOrder::Rating => -(self.rating_rank(position) as i64),
                    };
                    SortKey { score: 0.0, number, position }
                })
                .collect(),
        };
        if offset >= keys.len() {
            return Vec::new();
        }
        top_k(&mut keys, wanted, SortKey::compare);
        keys.truncate(wanted);
        keys[offset..].iter().map(|key| self.summary(key.position)).collect()
    }
}

/// What one result is ordered by: `score`, then `number`, then position, all ascending.
/// Positions follow product ids, so every order ends with the id and equal keys never
/// shuffle between pages.
struct SortKey {
    score: f64,
    number: i64,
    position: usize,
}

impl SortKey {
    fn compare(&self, other: &SortKey) -> std::cmp::Ordering {
        self.score.total_cmp(&other.score).then(self.number.cmp(&other.number)).then(self.position.cmp(&other.position))
    }
}

/// Puts the `k` smallest items (by `compare`) first, sorted; the rest stay after them in
/// any order. Linear time plus `k log k`, instead of sorting everything.
pub(super) fn top_k<T>(items: &mut [T], k: usize, mut compare: impl FnMut(&T, &T) -> std::cmp::Ordering) {
    if k == 0 || items.is_empty() {
        return;
    }
    if k < items.len() {
        items.select_nth_unstable_by(k - 1, &mut compare);
    }
    let end = k.min(items.len());
    items[..end].sort_unstable_by(compare);
}

/// A search's filters: the products it starts from (text matches, or all), the set each
/// active filter lets through, and the results (all of them applied).
struct Filters {
    base: Bitset,
    masks: Vec<(Facet, Bitset)>,
    results: Bitset,
}

impl Filters {
    /// Everything but `excluded`'s own filter: the population that facet's counts describe
    /// (with `None`, every filter applies: the results).
    fn matching(&self, excluded: Option<&Facet>) -> Bitset {
        let mut set = self.base.clone();
        for (facet, mask) in &self.masks {
            if Some(facet) != excluded {
                set.intersect_with(mask);
            }
        }
        set
    }

    /// A facet without a filter of its own is counted over the results themselves; only
    /// facets being filtered on need a population of their own.
    fn all_but(&self, facet: &Facet) -> Cow<'_, Bitset> {
        if self.masks.iter().any(|(active, _)| active == facet) {
            Cow::Owned(self.matching(Some(facet)))
        } else {
            Cow::Borrowed(&self.results)
        }
    }
}

/// Each value's count within `population`: (value, label, its products, chosen).
fn counts<'a>(
    population: &Bitset,
    sets: impl Iterator<Item = (String, Option<LocalizedText>, &'a Bitset, bool)>,
) -> Vec<FacetCount> {
    sets.map(|(value, label, set, selected)| FacetCount {
        value,
        label,
        count: population.count_intersection(set),
        selected,
        query: String::new(),
    })
    .collect()
}

/// The chosen category's own fields, each value counted over the results with every
/// filter but that field's.
fn attribute_facets(request: &SearchRequest, entry: &CategoryEntry, filters: &Filters) -> Vec<AttributeFacet> {
    entry
        .category
        .attributes
        .iter()
        .map(|definition| {
            let population = filters.all_but(&Facet::Attribute(definition.key.clone()));
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
                    query: String::new(),
                })
                .collect();
            AttributeFacet { key: definition.key.clone(), name: definition.name.clone(), values }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn top_k_sorts_only_what_is_needed() {
        let mut items = vec![9, 3, 7, 1, 8, 2];
        top_k(&mut items, 3, |a, b| a.cmp(b));
        assert_eq!(&items[..3], &[1, 2, 3]);
        let mut few = vec![2, 1];
        top_k(&mut few, 5, |a, b| a.cmp(b));
        assert_eq!(few, vec![1, 2]);
    }

    #[test]
    fn sort_keys_order_by_score_then_number_then_position() {
        let key = |score: f64, number: i64, position: usize| SortKey { score, number, position };
        let mut keys = vec![key(-1.0, 5, 9), key(-2.0, 7, 4), key(-1.0, -3, 8), key(-1.0, 5, 2), key(0.0, -9, 1)];
        top_k(&mut keys, 4, SortKey::compare);
        let order: Vec<usize> = keys[..4].iter().map(|key| key.position).collect();
        // The best score first; among equal scores the smaller number, then the smaller id.
        assert_eq!(order, vec![4, 8, 2, 9]);
    }
}
