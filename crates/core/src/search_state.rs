//! A catalog search as its query string, and the searches one step away from it. The SPA's
//! `/products` address uses exactly the API's parameter names, so a bookmarked or shared
//! results address *is* the search; the API's answer names, for every filter option, the
//! sort orders, the pages and the "clear" button, the query it leads to
//! ([`SearchState::link_facets`], [`SearchState::links`]), which the app and the shell
//! both follow as they are.

use std::collections::BTreeMap;

use crate::catalog::{Facets, SearchLinks, SortLink, SortOrder, attribute_parameter};

/// Parameters a search understands (besides the category's own `a_<key>` fields).
pub const KNOWN: [&str; 13] = [
    "q",
    "category",
    "delivery",
    "billing",
    "seller",
    "supervised",
    "trial",
    "rating_min",
    "price_min",
    "price_max",
    "sort",
    "page",
    "page_size",
];

/// A canonical, ordered view of the search parameters: key → comma-joined values.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SearchState(pub BTreeMap<String, String>);

impl SearchState {
    /// Keeps only the parameters a search understands, so stray ones (tracking tags in a
    /// shared link, say) never turn into API errors.
    pub fn from_pairs<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> SearchState {
        let mut state = BTreeMap::new();
        for (key, value) in pairs {
            let value = value.trim();
            if value.is_empty() || !(KNOWN.contains(&key) || key.starts_with("a_")) {
                continue;
            }
            state.insert(key.to_owned(), value.to_owned());
        }
        SearchState(state)
    }

    pub fn get(&self, key: &str) -> Option<&str> {
        self.0.get(key).map(String::as_str)
    }

    /// The values of a multi-valued parameter.
    pub fn values(&self, key: &str) -> Vec<&str> {
        self.get(key).map(|value| value.split(',').filter(|v| !v.is_empty()).collect()).unwrap_or_default()
    }

    pub fn has(&self, key: &str, value: &str) -> bool {
        self.values(key).contains(&value)
    }

    /// A copy with `key` set (or removed with `None`); any filter change goes back to page 1.
    pub fn with(&self, key: &str, value: Option<&str>) -> SearchState {
        let mut next = self.clone();
        match value.filter(|v| !v.is_empty()) {
            Some(value) => {
                next.0.insert(key.to_owned(), value.to_owned());
            }
            None => {
                next.0.remove(key);
            }
        }
        if key != "page" {
            next.0.remove("page");
        }
        if key == "category" {
            // Another category has other fields: its predecessor's no longer apply.
            next.0.retain(|key, _| !key.starts_with("a_"));
        }
        next
    }

    /// A copy with `value` added to or removed from the multi-valued `key`.
    pub fn toggled(&self, key: &str, value: &str) -> SearchState {
        let mut values: Vec<&str> = self.values(key);
        if let Some(position) = values.iter().position(|v| *v == value) {
            values.remove(position);
        } else {
            values.push(value);
        }
        let joined = values.join(",");
        self.with(key, Some(&joined))
    }

    /// Removes every filter (and the sort order and page) but the text query; a page size
    /// asked for stays.
    pub fn cleared(&self) -> SearchState {
        let kept = self.0.iter().filter(|(key, _)| matches!(key.as_str(), "q" | "page_size"));
        SearchState(kept.map(|(key, value)| (key.clone(), value.clone())).collect())
    }

    pub fn has_filters(&self) -> bool {
        self.0.keys().any(|key| !matches!(key.as_str(), "q" | "sort" | "page" | "page_size"))
    }

    /// `key=value&…`, percent-encoded, in a stable order.
    pub fn query_string(&self) -> String {
        self.0
            .iter()
            .map(|(key, value)| format!("{}={}", encode(key), encode(value).replace("%2C", ",")))
            .collect::<Vec<_>>()
            .join("&")
    }

    /// The results page's address for this state.
    pub fn href(&self) -> String {
        results_address(&self.query_string())
    }

    /// Fills in each facet value's `query`: the search with that value chosen, or no longer
    /// chosen when it is. Categories are a choice of one, the yes/no filters and the price
    /// ranges set or clear their parameters, the rest add or remove one of several values.
    pub fn link_facets(&self, facets: &mut Facets) {
        for facet in &mut facets.categories {
            facet.query = self.with("category", Some(&facet.value)).query_string();
        }
        for attribute in &mut facets.attributes {
            let key = attribute_parameter(&attribute.key);
            for facet in &mut attribute.values {
                facet.query = self.toggled(&key, &facet.value).query_string();
            }
        }
        for (key, list) in [
            ("delivery", &mut facets.delivery_methods),
            ("billing", &mut facets.billing_modes),
            ("seller", &mut facets.sellers),
        ] {
            for facet in list.iter_mut() {
                facet.query = self.toggled(key, &facet.value).query_string();
            }
        }
        for facet in &mut facets.price_ranges {
            let (min, max) = facet.value.split_once('-').unwrap_or_default();
            let (min, max) = if facet.selected { (None, None) } else { (Some(min), Some(max)) };
            facet.query = self.with("price_min", min).with("price_max", max).query_string();
        }
        for (key, on, flag) in [
            ("supervised", "true", &mut facets.supervised),
            ("trial", "true", &mut facets.free_trial),
            ("rating_min", "4", &mut facets.four_stars_and_up),
        ] {
            flag.query = self.with(key, (!flag.selected).then_some(on)).query_string();
        }
    }

    /// The searches around this one on its `page` of `pages`: every filter cleared, any
    /// category, each sort order, the pages before and after, and the search without its
    /// price bounds (the price form adds the typed ones).
    pub fn links(&self, page: u32, pages: u32) -> SearchLinks {
        let page_query = |page: u32| self.with("page", Some(&page.to_string())).query_string();
        SearchLinks {
            cleared: self.has_filters().then(|| self.cleared().query_string()),
            all_categories: self.with("category", None).query_string(),
            sorts: SortOrder::ALL
                .into_iter()
                .map(|order| SortLink {
                    order,
                    query: self.with("sort", (order != SortOrder::default()).then_some(order.as_str())).query_string(),
                })
                .collect(),
            previous_page: (page > 1).then(|| page_query(page - 1)),
            next_page: (page < pages).then(|| page_query(page + 1)),
            without_price: self.with("price_min", None).with("price_max", None).query_string(),
        }
    }
}

/// The results page's address for a search's query string.
pub fn results_address(query: &str) -> String {
    if query.is_empty() { "/products".to_owned() } else { format!("/products?{query}") }
}

/// A whole number of yuan (or another currency's major unit) as typed into the price form,
/// in minor units; `None` for nothing typed, or something that is no amount.
pub fn typed_price_to_minor(typed: &str) -> Option<String> {
    let typed = typed.trim();
    if typed.is_empty() {
        return None;
    }
    typed.parse::<f64>().ok().filter(|v| v.is_finite() && *v >= 0.0).map(|v| ((v * 100.0).round() as i64).to_string())
}

/// A price bound of the search (minor units) as the price form shows it, in whole major units.
pub fn minor_to_typed_price(minor: &str) -> String {
    minor.parse::<i64>().map(|minor| (minor / 100).to_string()).unwrap_or_default()
}

pub fn encode(text: &str) -> String {
    let mut encoded = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'_' | b'.' | b'~') {
            encoded.push(byte as char);
        } else {
            encoded.push_str(&format!("%{byte:02X}"));
        }
    }
    encoded
}

#[cfg(test)]
mod tests {
    use super::*;

    fn state(pairs: &[(&str, &str)]) -> SearchState {
        SearchState::from_pairs(pairs.iter().copied())
    }

    #[test]
    fn only_search_parameters_are_kept_and_blank_ones_are_dropped() {
        let state = state(&[("q", " mysql "), ("utm_source", "mail"), ("a_engine", "pg"), ("sort", ""), ("page", "2")]);
        assert_eq!(state.query_string(), "a_engine=pg&page=2&q=mysql");
    }

    #[test]
    fn any_filter_change_goes_back_to_page_one_but_paging_does_not() {
        let on_page_three = state(&[("q", "db"), ("page", "3")]);
        assert_eq!(on_page_three.with("trial", Some("true")).get("page"), None);
        assert_eq!(on_page_three.with("page", Some("4")).get("page"), Some("4"));
        assert_eq!(on_page_three.with("q", None).href(), "/products");
    }

    #[test]
    fn another_category_forgets_the_previous_categorys_own_fields() {
        let state = state(&[("category", "database"), ("a_engine", "mysql"), ("delivery", "saas")]);
        let next = state.with("category", Some("security"));
        assert_eq!(next.get("a_engine"), None);
        assert_eq!(next.get("delivery"), Some("saas"));
    }

    #[test]
    fn toggling_a_value_twice_leaves_the_state_as_it_was() {
        let start = state(&[("delivery", "saas")]);
        let added = start.toggled("delivery", "image");
        assert_eq!(added.values("delivery"), ["saas", "image"]);
        assert!(added.has("delivery", "image"));
        assert_eq!(added.toggled("delivery", "image"), start);
        assert_eq!(start.toggled("delivery", "saas").get("delivery"), None);
    }

    #[test]
    fn clearing_keeps_only_the_text_query() {
        let state = state(&[("q", "redis"), ("billing", "one_off"), ("sort", "newest")]);
        assert!(state.has_filters());
        let cleared = state.cleared();
        assert_eq!(cleared.href(), "/products?q=redis");
        assert!(!cleared.has_filters());
        assert!(!SearchState::default().with("sort", Some("newest")).has_filters());
    }

    #[test]
    fn each_facet_value_names_the_search_it_leads_to() {
        use crate::catalog::{FacetCount, FacetCountPair};
        let facet = |value: &str, selected: bool| FacetCount {
            value: value.to_owned(),
            label: None,
            count: 1,
            selected,
            query: String::new(),
        };
        let mut facets = Facets {
            categories: vec![facet("security", false)],
            delivery_methods: vec![facet("saas", true), facet("image", false)],
            price_ranges: vec![facet("10000-99999", true), facet("1000000-", false)],
            supervised: FacetCountPair { count: 2, selected: true, query: String::new() },
            free_trial: FacetCountPair::default(),
            ..Facets::default()
        };
        let state = state(&[("category", "database"), ("a_engine", "mysql"), ("delivery", "saas"), ("page", "2")]);
        let state =
            state.with("supervised", Some("true")).with("price_min", Some("10000")).with("price_max", Some("99999"));
        state.link_facets(&mut facets);
        assert_eq!(
            facets.categories[0].query,
            "category=security&delivery=saas&price_max=99999&price_min=10000&supervised=true"
        );
        assert_eq!(
            facets.delivery_methods[0].query,
            "a_engine=mysql&category=database&price_max=99999&price_min=10000&supervised=true"
        );
        assert_eq!(
            facets.delivery_methods[1].query,
            "a_engine=mysql&category=database&delivery=saas,image&price_max=99999&price_min=10000&supervised=true"
        );
        assert_eq!(facets.price_ranges[0].query, "a_engine=mysql&category=database&delivery=saas&supervised=true");
        assert_eq!(
            facets.price_ranges[1].query,
            "a_engine=mysql&category=database&delivery=saas&price_min=1000000&supervised=true"
        );
        assert_eq!(
            facets.supervised.query,
            "a_engine=mysql&category=database&delivery=saas&price_max=99999&price_min=10000"
        );
        assert_eq!(
            facets.free_trial.query,
            "a_engine=mysql&category=database&delivery=saas&price_max=99999&price_min=10000&supervised=true&trial=true"
        );
    }

    #[test]
    fn the_links_name_the_pages_sorts_and_the_cleared_search() {
        let state =
            state(&[("q", "db"), ("delivery", "saas"), ("sort", "newest"), ("page", "2"), ("price_min", "100")]);
        let links = state.links(2, 3);
        assert_eq!(links.cleared.as_deref(), Some("q=db"));
        assert_eq!(links.all_categories, "delivery=saas&price_min=100&q=db&sort=newest");
        assert_eq!(links.previous_page.as_deref(), Some("delivery=saas&page=1&price_min=100&q=db&sort=newest"));
        assert_eq!(links.next_page.as_deref(), Some("delivery=saas&page=3&price_min=100&q=db&sort=newest"));
        assert_eq!(
            links.sorts[0],
            SortLink { order: SortOrder::Relevance, query: "delivery=saas&price_min=100&q=db".to_owned() }
        );
        assert_eq!(links.sorts.len(), SortOrder::ALL.len());
        assert_eq!(links.without_price, "delivery=saas&q=db&sort=newest");
        let first_and_only = self::state(&[("q", "db")]).links(1, 1);
        assert_eq!(
            (first_and_only.cleared, first_and_only.previous_page, first_and_only.next_page),
            (None, None, None)
        );
    }

    #[test]
    fn typed_prices_are_whole_units_and_the_address_keeps_hundredths() {
        assert_eq!(typed_price_to_minor(" 120 ").as_deref(), Some("12000"));
        assert_eq!(typed_price_to_minor("0.5").as_deref(), Some("50"));
        assert_eq!(typed_price_to_minor("-1"), None);
        assert_eq!(typed_price_to_minor("abc"), None);
        assert_eq!(typed_price_to_minor(""), None);
        assert_eq!(minor_to_typed_price("12099"), "120");
        assert_eq!(minor_to_typed_price("x"), "");
    }

    #[test]
    fn values_are_percent_encoded_but_list_commas_stay_readable() {
        let state = state(&[("q", "C++ & 数据"), ("delivery", "saas,image")]);
        assert_eq!(state.href(), "/products?delivery=saas,image&q=C%2B%2B%20%26%20%E6%95%B0%E6%8D%AE");
    }
}
