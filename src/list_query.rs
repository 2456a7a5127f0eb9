//! The filters of a list page (My Orders, Purchased Apps, Service Supervision, Messages) as
//! its URL keeps them: each page names its keys and what values they take, and reads,
//! changes and writes its state through this one type, so reload, Back and a shared link
//! restore the list. Any change but the page's goes back to page 1.

/// One filter of a list page: its URL key and the values it takes (others are ignored, as
/// if the key were absent).
#[derive(Debug, Clone, Copy)]
pub struct ListKey {
    pub name: &'static str,
    accepts: fn(&str) -> bool,
    /// For a yes/no filter, its one value.
    on: Option<&'static str>,
}

fn anything(_: &str) -> bool {
    true
}

fn parses<T: std::str::FromStr>(value: &str) -> bool {
    value.parse::<T>().is_ok()
}

impl ListKey {
    /// Free text or a date (the date input only ever gives `YYYY-MM-DD`).
    pub const fn text(name: &'static str) -> ListKey {
        ListKey { name, accepts: anything, on: None }
    }

    /// A yes/no filter: `name=on`, or absent.
    pub const fn flag(name: &'static str, on: &'static str) -> ListKey {
        ListKey { name, accepts: anything, on: Some(on) }
    }

    /// One value of `T` (a status, a step …), by its wire name.
    pub const fn of<T: std::str::FromStr>(name: &'static str) -> ListKey {
        ListKey { name, accepts: parses::<T>, on: None }
    }
}

/// A list page's state: its filters' values (one per key, in the keys' order) and the
/// page number.
#[derive(Debug, Clone)]
pub struct ListQuery {
    path: &'static str,
    keys: &'static [ListKey],
    values: Vec<Option<String>>,
    page: u32,
}

impl PartialEq for ListQuery {
    fn eq(&self, other: &ListQuery) -> bool {
        self.path == other.path && self.values == other.values && self.page == other.page
    }
}

impl Eq for ListQuery {}

impl ListQuery {
    /// Reads `keys` (and `page`) of the page at `path` from the URL's parameters through
    /// `get`; blank values and values a key does not take are left out.
    pub fn read(path: &'static str, keys: &'static [ListKey], get: impl Fn(&str) -> Option<String>) -> ListQuery {
        let values = keys.iter().map(|key| accepted(key, get(key.name).as_deref())).collect();
        let page = get("page").and_then(|page| page.trim().parse().ok()).filter(|page| *page >= 1).unwrap_or(1);
        ListQuery { path, keys, values, page }
    }

    pub fn get(&self, key: &str) -> Option<&str> {
        let at = self.keys.iter().position(|known| known.name == key)?;
        self.values[at].as_deref()
    }

    /// The value of `key` as a `T`, if set.
    pub fn parsed<T: std::str::FromStr>(&self, key: &str) -> Option<T> {
        self.get(key).and_then(|value| value.parse().ok())
    }

    pub fn page(&self) -> u32 {
        self.page
    }

    /// Whether any filter is set (the page number is not a filter).
    pub fn is_filtered(&self) -> bool {
        self.values.iter().any(Option::is_some)
    }

    /// A copy with `key` set to `value` (removed when `None`, blank or not a value the key
    /// takes), on page 1. A key the page does not have changes nothing but the page.
    pub fn with(&self, key: &str, value: Option<&str>) -> ListQuery {
        let mut next = ListQuery { page: 1, ..self.clone() };
        if let Some(at) = self.keys.iter().position(|known| known.name == key) {
            next.values[at] = accepted(&self.keys[at], value);
        }
        next
    }

    /// A copy on page `page`, filters unchanged.
    pub fn on_page(&self, page: u32) -> ListQuery {
        ListQuery { page: page.max(1), ..self.clone() }
    }

    /// The first page with no filter.
    pub fn cleared(&self) -> ListQuery {
        ListQuery { values: vec![None; self.keys.len()], page: 1, ..self.clone() }
    }

    /// `key=value&…` of the filters in the keys' order, values percent-encoded, then the
    /// page when it is not the first.
    pub fn query_string(&self) -> String {
        let mut pairs: Vec<String> = self
            .keys
            .iter()
            .zip(&self.values)
            .filter_map(|(key, value)| {
                Some(format!("{}={}", key.name, bazaar_core::search_state::encode(value.as_deref()?)))
            })
            .collect();
        if self.page > 1 {
            pairs.push(format!("page={}", self.page));
        }
        pairs.join("&")
    }

    /// The page's URL for this state.
    pub fn href(&self) -> String {
        let query = self.query_string();
        if query.is_empty() { self.path.to_owned() } else { format!("{}?{query}", self.path) }
    }
}

/// A list endpoint's query string, built from a list page's state: the filters the API
/// takes under the URL's own names pass as they are (each value was checked against its key
/// when read), a day range becomes the UTC instants the API filters on, then the page.
pub struct ApiQuery<'a> {
    state: &'a ListQuery,
    pairs: Vec<String>,
}

impl ListQuery {
    pub fn api_query(&self) -> ApiQuery<'_> {
        ApiQuery { state: self, pairs: Vec::new() }
    }
}

impl ApiQuery<'_> {
    /// Each of `keys` that is set, under the same name.
    pub fn filters(mut self, keys: &[&str]) -> Self {
        for key in keys {
            if let Some(value) = self.state.get(key) {
                self.pairs.push(format!("{key}={}", bazaar_core::search_state::encode(value)));
            }
        }
        self
    }

    /// The local days `from_key` to `to_key`, both included, as the API's `created_from`
    /// and `created_before` (the start of the day after the last).
    pub fn created_between(mut self, from_key: &str, to_key: &str) -> Self {
        let bounds = [("created_from", from_key, 0), ("created_before", to_key, 1)];
        for (name, key, add_days) in bounds {
            if let Some(instant) = self.state.get(key).and_then(|day| crate::format::local_day_start_utc(day, add_days))
            {
                self.pairs.push(format!("{name}={}", bazaar_core::search_state::encode(&instant)));
            }
        }
        self
    }

    /// The query string, ending with the page (and the page size, when the list has one).
    pub fn page(mut self, page_size: Option<u32>) -> String {
        self.pairs.push(format!("page={}", self.state.page()));
        if let Some(size) = page_size {
            self.pairs.push(format!("page_size={size}"));
        }
        self.pairs.join("&")
    }
}

/// `value` trimmed, if it is one `key` takes.
fn accepted(key: &ListKey, value: Option<&str>) -> Option<String> {
    let value = value?.trim();
    let takes = (key.accepts)(value) && key.on.is_none_or(|on| on == value);
    (!value.is_empty() && takes).then(|| value.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use bazaar_core::orders::OrderStatus;

    static KEYS: [ListKey; 4] = [
        ListKey::of::<OrderStatus>("status"),
        ListKey::text("from"),
        ListKey::text("q"),
        ListKey::flag("appeal", "open"),
    ];

    fn read(pairs: &[(&str, &str)]) -> ListQuery {
        ListQuery::read("/orders", &KEYS, |key| {
            pairs.iter().find(|(name, _)| *name == key).map(|(_, value)| (*value).to_owned())
        })
    }

    #[test]
    fn only_the_page_s_keys_and_values_they_take_are_read() {
        let query = read(&[("status", "completed"), ("utm", "x"), ("q", "  "), ("page", "3")]);
        assert_eq!(query.href(), "/orders?status=completed&page=3");
        assert_eq!(query.parsed::<OrderStatus>("status"), Some(OrderStatus::Completed));
        assert!(query.is_filtered());
        assert_eq!(read(&[("appeal", "open")]).href(), "/orders?appeal=open");
        let wrong = read(&[("status", "lost"), ("appeal", "yes"), ("page", "0")]);
        assert_eq!((wrong.href(), wrong.page(), wrong.is_filtered()), ("/orders".to_owned(), 1, false));
    }

    #[test]
    fn a_change_goes_back_to_page_one_and_keeps_the_keys_order() {
        let query = read(&[("q", "crm"), ("page", "4")]);
        assert_eq!(query.with("status", Some("completed")).href(), "/orders?status=completed&q=crm");
        assert_eq!(query.with("q", None).href(), "/orders");
        assert_eq!(query.with("status", Some("lost")).href(), "/orders?q=crm");
        assert_eq!(query.with("unknown", Some("x")).href(), "/orders?q=crm");
        assert_eq!(query.on_page(5).href(), "/orders?q=crm&page=5");
        assert_eq!(query.cleared().href(), "/orders");
    }

    #[test]
    fn the_api_query_passes_the_named_filters_and_the_page() {
        let query = read(&[("status", "completed"), ("q", "a&b c"), ("appeal", "open"), ("page", "2")]);
        assert_eq!(
            query.api_query().filters(&["q", "status"]).page(Some(10)),
            "q=a%26b%20c&status=completed&page=2&page_size=10"
        );
        assert_eq!(query.api_query().filters(&["appeal", "from"]).page(None), "appeal=open&page=2");
        assert_eq!(read(&[]).api_query().filters(&["q"]).page(None), "page=1");
    }

    #[test]
    fn values_are_trimmed_and_percent_encoded() {
        let query = read(&[("q", " 数据 & co ")]);
        assert_eq!(query.get("q"), Some("数据 & co"));
        assert_eq!(query.href(), "/orders?q=%E6%95%B0%E6%8D%AE%20%26%20co");
        assert_eq!(read(&[("from", "2026-12-01")]).href(), "/orders?from=2026-12-01");
    }
}
