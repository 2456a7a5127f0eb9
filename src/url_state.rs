//! The catalog's filters as URL query parameters. The SPA's `/products` URL uses exactly the
//! API's parameter names, so a bookmarked or shared results URL *is* the search: the page
//! turns it into the API query unchanged, and every filter change is a navigation.

use std::collections::BTreeMap;

/// Parameters the results page understands (besides the category's own `a_<key>` fields).
pub(crate) const KNOWN: [&str; 12] = [
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

    /// Removes every filter but the text query.
    pub fn cleared(&self) -> SearchState {
        let mut next = SearchState::default();
        if let Some(query) = self.get("q") {
            next.0.insert("q".to_owned(), query.to_owned());
        }
        next
    }

    pub fn has_filters(&self) -> bool {
        self.0.keys().any(|key| !matches!(key.as_str(), "q" | "sort" | "page"))
    }

    /// `key=value&…`, percent-encoded, in a stable order.
    pub fn query_string(&self) -> String {
        self.0
            .iter()
            .map(|(key, value)| format!("{}={}", encode(key), encode(value).replace("%2C", ",")))
            .collect::<Vec<_>>()
            .join("&")
    }

    /// The results page's URL for this state.
    pub fn href(&self) -> String {
        let query = self.query_string();
        if query.is_empty() { "/products".to_owned() } else { format!("/products?{query}") }
    }
}

pub(crate) fn encode(text: &str) -> String {
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
    fn values_are_percent_encoded_but_list_commas_stay_readable() {
        let state = state(&[("q", "C++ & 数据"), ("delivery", "saas,image")]);
        assert_eq!(state.href(), "/products?delivery=saas,image&q=C%2B%2B%20%26%20%E6%95%B0%E6%8D%AE");
    }
}
