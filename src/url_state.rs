//! The catalog's filters as URL query parameters. The SPA's `/products` URL uses exactly the
//! API's parameter names, so a bookmarked or shared results URL *is* the search: the page
//! turns it into the API query unchanged, and every filter change is a navigation.

use std::collections::BTreeMap;

/// Parameters the results page understands (besides the category's own `a_<key>` fields).
const KNOWN: [&str; 11] =
    ["q", "category", "delivery", "billing", "seller", "supervised", "trial", "price_min", "price_max", "sort", "page"];

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

fn encode(text: &str) -> String {
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
