//! The tables the app shell's scripts (`shell/src/*.js`) read before the wasm has arrived,
//! written from the app's own sources: its words in both languages, the catalog's URL keys,
//! the remembered-language and remembered-account keys, currency symbols and region names.
//!
//! The shell needs them as JavaScript, so a word with values to fill in becomes a function:
//! the Rust closure is called with marker characters for its values and the text around the
//! markers becomes a template literal (a count is called with 1 and a large number, and the
//! two are compared for a plural). The test below fails when `shell/src/tables.js` or `words.js`, or the
//! examples the shell's own tests check against (`shell/test/vectors.json`), are stale;
//! `UPDATE_SHELL=1 cargo test -p bazaar-web --lib shell_tables` writes both again.

use bazaar_core::catalog::{BillingMode, DeliveryMethod};
use bazaar_core::money::Currency;

use crate::i18n::Locale;

/// Stand-ins for a word's text values (`a`, `b`) and its count (`n`): private-use
/// characters no translation contains.
const TEXT_MARKERS: [(char, &str); 2] = [('\u{E000}', "a"), ('\u{E001}', "b")];
const COUNT_MARKER: (char, &str) = ('\u{E00F}', "n");
/// A count no translation spells out, found again in the text to mark where the count goes.
const LARGE_COUNT: u64 = 7_654_321;

fn marker(index: usize) -> String {
    TEXT_MARKERS[index].0.to_string()
}

/// A JavaScript template literal of `text`, its markers turned into `${a}`, `${b}`, `${n}`.
fn template(text: &str) -> String {
    let mut out = String::from("`");
    for character in text.chars() {
        let parameter =
            TEXT_MARKERS.iter().chain([&COUNT_MARKER]).find(|(marker, _)| *marker == character).map(|(_, name)| *name);
        match (parameter, character) {
            (Some(name), _) => out.push_str(&format!("${{{name}}}")),
            (None, '\\' | '`' | '$') => {
                out.push('\\');
                out.push(character);
            }
            (None, '\n') => out.push_str("\\n"),
            (None, _) => out.push(character),
        }
    }
    out.push('`');
    out
}

fn text(words: &str) -> String {
    serde_json::to_string(words).expect("a string serialises")
}

fn fill1(word: fn(&str) -> String) -> String {
    format!("(a) => {}", template(&word(&marker(0))))
}

fn fill2(word: fn(&str, &str) -> String) -> String {
    format!("(a, b) => {}", template(&word(&marker(0), &marker(1))))
}

/// A word with a count (and optionally one text value `a`), as a function of `n`: one text
/// for all counts, or a singular for 1 and the rest. Any other shape (a special text for 0,
/// say) is refused here rather than written wrong.
fn counted(word: impl Fn(&str, u64) -> String, with_text: bool) -> String {
    let value = marker(0);
    let many = word(&value, LARGE_COUNT).replace(&LARGE_COUNT.to_string(), &COUNT_MARKER.0.to_string());
    let spelled = |count: u64| many.replace(COUNT_MARKER.0, &count.to_string());
    for count in [0, 2, 3, 11, 21, 100, 1001] {
        assert_eq!(word(&value, count), spelled(count), "a count word the shell's tables cannot write");
    }
    let head = if with_text { "(a, n)" } else { "(n)" };
    let one = word(&value, 1);
    if one == spelled(1) {
        format!("{head} => {}", template(&many))
    } else {
        format!("{head} => (n === 1 ? {} : {})", template(&one), template(&many))
    }
}

fn object(entries: impl IntoIterator<Item = (String, String)>) -> String {
    let inner: Vec<String> = entries.into_iter().map(|(key, value)| format!("{key}: {value}")).collect();
    format!("{{ {} }}", inner.join(", "))
}

pub(crate) fn wire_name(value: impl serde::Serialize) -> String {
    serde_json::to_value(value).expect("serialises").as_str().expect("a unit variant").to_owned()
}

/// Every word the shell shows, as `key: JavaScript value` in `locale`.
fn words(locale: Locale) -> Vec<(&'static str, String)> {
    let mut words = frame_words(locale);
    words.extend(page_words(locale));
    words.extend(named_words(locale));
    words
}

/// The frame's words (header, navigation, footer) and the headings the shell draws early.
fn frame_words(locale: Locale) -> Vec<(&'static str, String)> {
    let m = locale.messages();
    let orders = locale.order_messages();
    vec![
        ("skip_to_content", text(m.skip_to_content)),
        ("app_name", text(m.app_name)),
        ("search_label", text(m.search_label)),
        ("search_placeholder", text(m.search_placeholder)),
        ("search_button", text(m.search_button)),
        ("language_label", text(m.language_label)),
        ("language_switch_to", text(m.language_switch_to)),
        ("nav_label", text(m.nav_label)),
        ("nav_catalog", text(m.nav_catalog)),
        ("nav_favorites", text(m.nav_favorites)),
        ("nav_orders", text(m.nav_orders)),
        ("nav_purchased_apps", text(m.nav_purchased_apps)),
        ("nav_renewals", text(m.nav_renewals)),
        ("nav_billing", text(locale.billing_messages().nav_billing)),
        ("nav_invoices", text(locale.invoice_messages().nav)),
        ("nav_support", text(locale.support_messages().nav)),
        ("nav_supervision", text(m.nav_supervision)),
        ("loading", text(m.loading)),
        ("log_out", text(m.log_out)),
        ("log_in", text(m.log_in)),
        ("title_checkout", text(orders.checkout_title)),
        ("title_orders", text(orders.orders_title)),
        ("title_apps", text(orders.apps_title)),
        ("title_renewals", text(locale.lifecycle_messages().renewals_title)),
        ("title_favorites", text(locale.product_messages().favorites_title)),
        ("title_login", text(locale.account_messages().login_title)),
        ("footer_text", text(m.footer_text)),
    ]
}

/// The words of the home page, the catalog results and the product page.
fn page_words(locale: Locale) -> Vec<(&'static str, String)> {
    let m = locale.messages();
    let product = locale.product_messages();
    vec![
        ("catalog_title", text(m.catalog_title)),
        ("results_for", fill1(m.results_for)),
        ("results_count", counted(|_, count| (m.results_count)(count), false)),
        ("filter_more_sellers", fill1(m.filter_more_sellers)),
        ("filter_fewer_sellers", text(m.filter_fewer_sellers)),
        ("card_rating", counted(|average, count| (m.card_rating)(average, count as u32), true)),
        ("pagination_page", fill2(m.pagination_page)),
        ("home_title", text(m.home_title)),
        ("category_products", counted(|_, count| (m.category_products)(count), false)),
        ("product_trial_days", fill1(product.product_trial_days)),
        ("supervision_text", fill1(product.supervision_text)),
    ]
}

/// The words named by a value of the API (a sort order, a delivery method, a region …).
fn named_words(locale: Locale) -> Vec<(&'static str, String)> {
    let m = locale.messages();
    let chinese = locale == Locale::ZhCn;
    let mut words = Vec::new();
    let ranges = [m.price_range_0, m.price_range_1, m.price_range_2, m.price_range_3].map(text);
    words.push(("price_ranges", format!("[{}]", ranges.join(", "))));
    let deliveries = DeliveryMethod::ALL.map(|method| (wire_name(method), text(m.delivery(method))));
    words.push(("deliveries", object(deliveries)));
    let billings = BillingMode::ALL.map(|mode| (wire_name(mode), text(m.billing(mode))));
    words.push(("billings", object(billings)));
    let regions =
        bazaar_core::regions::REGIONS.map(|(code, _, _)| (text(code), text(bazaar_core::regions::name(code, chinese))));
    words.push(("region_names", object(regions)));
    words
}

/// The route table's paths (`app::ROUTE_PATHS`, made by the macro that makes the router's
/// routes), each with the wasm chunk group its page is split into (`app::CHUNK_GROUPS`, made
/// by the macro that splits the pages), so the loader fetches the chunks of exactly the
/// pages the app has. Panics when a path's page is in no group.
fn route_groups() -> Vec<(String, String)> {
    let group_of_route: std::collections::BTreeMap<&str, &str> = crate::app::CHUNK_GROUPS.iter().copied().collect();
    crate::app::ROUTE_PATHS
        .iter()
        .map(|(path, route)| {
            let group = group_of_route.get(route).unwrap_or_else(|| panic!("{route} ({path}) is in no chunk group"));
            ((*path).to_owned(), (*group).to_owned())
        })
        .collect()
}

const GENERATED_HEADER: &str = "// Generated from the app's Rust sources by src/shell_tables.rs: do not edit. A test fails\n\
     // when it is stale; `UPDATE_SHELL=1 cargo test -p bazaar-web --lib shell_tables` rewrites it.\n";

/// `shell/src/tables.js`: what the scripts in `<head>` read (the storage keys, the catalog's
/// URL keys, the route table), as the global the later scripts add to. Kept small: it is
/// parsed before the loader starts the page's requests.
pub fn tables_js() -> String {
    let keys: Vec<String> = bazaar_core::search_state::KNOWN.iter().map(|key| text(key)).collect();
    let routes: Vec<String> =
        route_groups().iter().map(|(path, group)| format!("[{}, {}]", text(path), text(group))).collect();
    format!(
        "{GENERATED_HEADER}\
         window.__bazaarShell = {{\n  \
           localeKey: {},\n  \
           accountKey: {},\n  \
           searchKeys: [{}],\n  \
           routeGroups: [{}],\n\
         }};\n",
        text(crate::i18n::STORAGE_KEY),
        text(crate::session::REMEMBERED_ACCOUNT_KEY),
        keys.join(", "),
        routes.join(", "),
    )
}

/// `shell/src/words.js`: what the scripts in `<body>` need to draw (the words in both
/// languages, currency symbols, the money format, a rating's stars and average), added to
/// the global. In the body, after
/// the shell's markup, so that the head's scripts start the page's requests without waiting
/// for the words to be parsed.
pub fn words_js() -> String {
    let languages: Vec<(String, String)> = [Locale::En, Locale::ZhCn]
        .into_iter()
        .map(|locale| {
            let entries: Vec<String> =
                words(locale).into_iter().map(|(key, value)| format!("    {key}: {value},")).collect();
            (text(locale.tag()), format!("{{\n{}\n  }}", entries.join("\n")))
        })
        .collect();
    let languages: Vec<String> = languages.into_iter().map(|(tag, table)| format!("  {tag}: {table},")).collect();
    let symbols = object(Currency::ALL.map(|currency| (wire_name(currency), text(currency.symbol()))));
    let format = bazaar_core::money::DISPLAY_FORMAT;
    let money_format = format!(
        "{{ minus: {}, thousandsSeparator: {}, groupDigits: {}, decimalPoint: {} }}",
        text(format.minus),
        text(&format.thousands_separator.to_string()),
        format.group_digits,
        text(&format.decimal_point.to_string()),
    );
    // A card's stars and average for every average a rating can have (0.0 to 5.0 stars),
    // as the app computes them: tables, not the rules written again.
    let tenths = 0..=50;
    let half_stars: Vec<String> =
        tenths.clone().map(|tenths| crate::components::rating_stars::half_stars(tenths).to_string()).collect();
    let averages: Vec<String> = tenths
        .map(|average_tenths| text(&bazaar_core::catalog::Rating { average_tenths, count: 0 }.average_text()))
        .collect();
    format!(
        "{GENERATED_HEADER}\
         window.__bazaarShell.currencySymbols = {symbols};\n\
         window.__bazaarShell.moneyFormat = {money_format};\n\
         window.__bazaarShell.ratings = {{ halfStars: [{}], averages: [{}] }};\n\
         window.__bazaarShell.words = {{\n{}\n}};\n",
        half_stars.join(", "),
        averages.join(", "),
        languages.join("\n"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Compares a generated file with what the sources make of it now; rewrites it instead
    /// when `UPDATE_SHELL` is set.
    fn check(relative: &str, fresh: &str) {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(relative);
        if std::env::var_os("UPDATE_SHELL").is_some() {
            std::fs::write(&path, fresh).expect("writing the shell's generated file");
            return;
        }
        let current = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            current == fresh,
            "{relative} is stale: run `UPDATE_SHELL=1 cargo test -p bazaar-web --lib shell_tables`"
        );
    }

    #[test]
    fn the_shell_s_tables_are_those_of_the_app() {
        check("shell/src/tables.js", &tables_js());
        check("shell/src/words.js", &words_js());
        check("shell/src/templates.js", &crate::shell_templates::templates_js());
        check("shell/test/vectors.json", &crate::shell_vectors::vectors_json());
    }

    #[test]
    fn every_route_of_the_app_has_its_chunk_group() {
        let routes = route_groups();
        assert!(routes.len() >= 25, "{routes:?}");
        let group = |path: &str| routes.iter().find(|(known, _)| known == path).map(|(_, group)| group.as_str());
        assert_eq!(group("/"), Some("home_pages"));
        assert_eq!(group("/products/:id"), Some("product_pages"));
        assert_eq!(group("/orders/:id/pay"), Some("buying_pages"));
        assert_eq!(group("/seller/invoices"), Some("app_pages"));
    }

    #[test]
    fn words_with_values_become_template_functions() {
        assert_eq!(template("Results for “\u{E000}”"), "`Results for “${a}”`");
        assert_eq!(template("a `b` $c \\ d"), "`a \\`b\\` \\$c \\\\ d`");
        assert_eq!(counted(|_, count| format!("共 {count} 个商品"), false), "(n) => `共 ${n} 个商品`");
        assert_eq!(
            counted(|_, count| if count == 1 { "1 product".into() } else { format!("{count} products") }, false),
            "(n) => (n === 1 ? `1 product` : `${n} products`)"
        );
    }

    #[test]
    #[should_panic(expected = "cannot write")]
    fn a_count_word_with_a_special_zero_is_refused() {
        counted(|_, count| if count == 0 { "none".into() } else { format!("{count} products") }, false);
    }
}
