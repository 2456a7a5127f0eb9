//! What the app itself makes of sample inputs, written into `shell/test/vectors.json` for
//! the shell's tests to compare with (`shell_tables`' test keeps the file fresh): money as
//! `Money::display` writes it, search states and their changes as `SearchState` does, stars
//! as `half_stars`, every word with values; and the components the shell draws before the
//! wasm (a product card, a product's information) rendered natively to HTML for sample
//! products in both languages — what `render.js` must write for the same API answers
//! (`render.test.js` compares them, attribute order aside).

use bazaar_core::catalog::{Category, ProductDetail, ProductSummary};
use bazaar_core::money::{Currency, Money};
use bazaar_core::search_state::SearchState;
use leptos::prelude::*;
use serde_json::{Value, json};

use crate::components::product_card::ProductCard;
use crate::i18n::Locale;
use crate::pages::home::{CategoryTiles, HomeLayout, PopularProducts};
use crate::pages::product::information::{ProductHeader, ProductInformation};
use crate::pages::product::{OptionsWaiting, PhoneBuyBar, ProductLayout};
use crate::shell_templates::{rendered, rendered_in_router};

fn summary(changes: Value) -> Value {
    let mut product = json!({
        "id": 7, "name": "Vault <Pro> & Co", "summary": "Secrets, keys & certificates in one place.",
        "seller": { "id": 3, "name": "BluePeak <Labs>" }, "category": "security", "delivery_method": "saas",
        "billing_modes": ["yearly_monthly"], "price_from": { "amount_minor": 29_900, "currency": "CNY" },
        "price_from_mode": "yearly_monthly", "supervised": false, "free_trial": false, "tags": [],
        "recent_sales": 3, "rating": null, "listed_at": "2026-01-01T00:00:00Z",
    });
    merge(&mut product, changes);
    product
}

fn merge(into: &mut Value, changes: Value) {
    if let (Some(into), Value::Object(changes)) = (into.as_object_mut(), changes) {
        into.extend(changes);
    }
}

/// Cards: rated and not, each badge, each billing mode's price, other delivery methods.
fn card_samples() -> Vec<Value> {
    [
        json!({}),
        json!({ "rating": { "average_tenths": 43, "count": 12 }, "supervised": true }),
        json!({ "rating": { "average_tenths": 10, "count": 1 }, "free_trial": true, "delivery_method": "image",
                "price_from_mode": "pay_per_use", "price_from": { "amount_minor": 35, "currency": "CNY" } }),
        json!({ "delivery_method": "professional_service", "price_from_mode": "one_off", "supervised": true,
                "free_trial": true, "price_from": { "amount_minor": 123_456_789, "currency": "USD" } }),
    ]
    .into_iter()
    .map(summary)
    .collect()
}

/// Product pages: supervised with a masked contact, attributes and an unknown region; and
/// plain, with the contact shown and an empty usage guide.
pub(crate) fn detail_samples() -> Vec<Value> {
    let supervised = json!({
        "supervised": true, "description": "Keeps <secrets> & keys.",
        "usage_guide": "Sign in.\r\n\r\nOpen Vault > Keys.\n", "category_name": { "en": "Security", "zh": "安全" },
        "seller_contact": { "id": 3, "name": "BluePeak", "email": "o***@bluepeak.example", "phone": "138****0000",
                            "support_hours": "9:00–18:00", "masked": true },
        "attributes": [{ "key": "deploy", "name": { "en": "Deployment", "zh": "部署" }, "value": "cloud",
                         "label": { "en": "Cloud & on-premises", "zh": "云端与本地" } }],
        "regions": ["cn-north-4", "eu-west-101", "xx-unknown-1"], "skus": [], "service_period_days": 30,
        "trial_days": 14, "seller_creates_account": false, "favorite": false,
    });
    let plain = json!({
        "description": "", "usage_guide": "", "category_name": { "en": "Databases", "zh": "数据库" },
        "seller_contact": { "id": 4, "name": "Jade", "email": "ops@jade.example", "phone": "+86 10 1234 5678",
                            "support_hours": "24/7", "masked": false },
        "attributes": [], "regions": [], "skus": [], "service_period_days": null, "trial_days": null,
        "seller_creates_account": true, "favorite": true,
    });
    [supervised, plain]
        .into_iter()
        .map(|changes| {
            let mut detail = summary(json!({}));
            merge(&mut detail, changes);
            detail
        })
        .collect()
}

/// The home page with the sample cards and two categories (one holding a single product),
/// in `locale`: the app's answers and the page's HTML.
fn home_sample(locale: Locale) -> Value {
    let categories = json!([
        { "slug": "databases", "name": { "en": "Databases & <stores>", "zh": "数据库" },
          "description": { "en": "Keep data.", "zh": "存数据。" }, "attributes": [], "product_count": 12 },
        { "slug": "security", "name": { "en": "Security", "zh": "安全" },
          "description": { "en": "Keep it safe.", "zh": "保安全。" }, "attributes": [], "product_count": 1 },
    ]);
    let popular = json!(card_samples());
    let (products, tiles): (Vec<ProductSummary>, Vec<Category>) = (
        serde_json::from_value(popular.clone()).expect("product summaries"),
        serde_json::from_value(categories.clone()).expect("categories"),
    );
    let html = rendered_in_router(locale, "/", move || {
        view! {
            <HomeLayout
                popular=view! { <PopularProducts products /> }.into_any()
                categories=view! { <CategoryTiles categories=tiles /> }.into_any()
            />
        }
    });
    json!({ "language": locale.tag(), "popular": popular, "categories": categories, "html": html })
}

/// Each sample in each language, with the component's HTML.
/// A product page as the app shell shows it: the options waiting for the app.
fn waiting_product_page(detail: ProductDetail) -> impl IntoView {
    view! {
        <ProductLayout
            header=view! { <ProductHeader detail=detail.clone() /> }.into_any()
            information=view! { <ProductInformation detail=detail.clone() /> }.into_any()
            options=view! { <OptionsWaiting /> }.into_any()
            buy_bar=view! { <PhoneBuyBar summary=detail.summary waiting=true /> }.into_any()
            waiting=true
        />
    }
}

fn markup_samples() -> Value {
    let mut cards = Vec::new();
    let mut information = Vec::new();
    let mut headers = Vec::new();
    let mut buy_bars = Vec::new();
    let mut pages = Vec::new();
    for locale in [Locale::En, Locale::ZhCn] {
        for product in card_samples() {
            let parsed: ProductSummary = serde_json::from_value(product.clone()).expect("a product summary");
            let summary = parsed.clone();
            let html = rendered(locale, move || view! { <ProductCard product=parsed /> });
            cards.push(json!({ "language": locale.tag(), "product": product.clone(), "html": html }));
            let html = rendered(locale, move || view! { <PhoneBuyBar summary waiting=true /> });
            buy_bars.push(json!({ "language": locale.tag(), "product": product, "html": html }));
        }
        for detail in detail_samples() {
            let parsed: ProductDetail = serde_json::from_value(detail.clone()).expect("a product detail");
            let html = rendered(locale, move || view! { <ProductInformation detail=parsed /> });
            information.push(json!({ "language": locale.tag(), "product": detail.clone(), "html": html }));
            let parsed: ProductDetail = serde_json::from_value(detail.clone()).expect("a product detail");
            let html = rendered_in_router(locale, "/products/7", move || view! { <ProductHeader detail=parsed /> });
            headers.push(json!({ "language": locale.tag(), "product": detail.clone(), "html": html }));
            let parsed: ProductDetail = serde_json::from_value(detail.clone()).expect("a product detail");
            let html = rendered_in_router(locale, "/products/7", move || waiting_product_page(parsed));
            pages.push(json!({ "language": locale.tag(), "product": detail, "html": html }));
        }
    }
    let home: Vec<Value> = [Locale::En, Locale::ZhCn].into_iter().map(home_sample).collect();
    let results: Vec<Value> = [Locale::En, Locale::ZhCn].into_iter().flat_map(results_samples).collect();
    json!({ "product_card": cards, "product_header": headers, "product_information": information, "phone_buy_bar": buy_bars,
           "product_page": pages,
           "home": home, "results": results })
}

/// What the app itself makes of sample inputs, for the shell's tests to compare with.
pub fn vectors_json() -> String {
    let money: Vec<_> = [0, 5, 99, 100, 123_456, 100_000_000, -300, -123_456_789, 987_654_321_012]
        .into_iter()
        .flat_map(|minor| Currency::ALL.map(|currency| (minor, currency)))
        .map(|(minor, currency)| {
            json!([minor, crate::shell_tables::wire_name(currency), Money::new(minor, currency).display()])
        })
        .collect();
    let words: serde_json::Map<String, serde_json::Value> =
        [Locale::En, Locale::ZhCn].into_iter().map(|locale| (locale.tag().to_owned(), word_samples(locale))).collect();
    let half_stars =
        [10, 12, 42, 43, 47, 48, 50].map(|tenths| json!([tenths, crate::components::rating_stars::half_stars(tenths)]));
    let typed_prices = ["120", " 7 ", "0.5", "0.125", "-1", "abc", "", "1e3", "99999999"]
        .map(|typed| json!([typed, bazaar_core::search_state::typed_price_to_minor(typed)]));
    let price_bounds = ["12099", "0", "5", "-250", "x", ""]
        .map(|minor| json!([minor, bazaar_core::search_state::minor_to_typed_price(minor)]));
    let vectors = json!({
        "money": money,
        "search": search_samples(),
        "typed_prices": typed_prices,
        "price_bounds": price_bounds,
        "half_stars": half_stars,
        "words": words,
        "markup": markup_samples(),
    });
    serde_json::to_string_pretty(&vectors).expect("serialises") + "\n"
}

/// Search states from sample parameters, and what the app makes of them and of changes.
fn search_samples() -> serde_json::Value {
    let cases: [&[(&str, &str)]; 4] = [
        &[],
        &[("q", "crm"), ("utm_source", "mail"), ("page", "2"), ("seller", " ")],
        &[("q", "  数据 库 "), ("category", "databases"), ("a_engine", "mysql,postgres"), ("sort", "price_asc")],
        &[
            ("delivery", "saas,image"),
            ("billing", "pay_per_use"),
            ("price_min", "10000"),
            ("trial", "true"),
            ("q", "a&b=c,d~é"),
        ],
    ];
    let samples: Vec<_> = cases
        .into_iter()
        .map(|pairs| {
            let state = SearchState::from_pairs(pairs.iter().copied());
            json!({ "pairs": pairs, "query": state.query_string() })
        })
        .collect();
    json!(samples)
}

/// Each function word called with sample values, and what the app says for them.
fn word_samples(locale: Locale) -> serde_json::Value {
    let m = locale.messages();
    let product = locale.product_messages();
    let mut samples = Vec::new();
    for count in [0u64, 1, 2, 12] {
        samples.push(json!(["results_count", [count], (m.results_count)(count)]));
        samples.push(json!(["category_products", [count], (m.category_products)(count)]));
        samples.push(json!(["card_rating", ["4.3", count], (m.card_rating)("4.3", count as u32)]));
    }
    samples.push(json!(["results_for", ["crm `$x`"], (m.results_for)("crm `$x`")]));
    samples.push(json!(["filter_more_sellers", ["12"], (m.filter_more_sellers)("12")]));
    samples.push(json!(["pagination_page", ["2", "5"], (m.pagination_page)("2", "5")]));
    samples.push(json!(["product_trial_days", ["14"], (product.product_trial_days)("14")]));
    samples.push(json!(["supervision_text", ["30"], (product.supervision_text)("30")]));
    json!(samples)
}

/// A search answer from the server's rules for `query` over a small made-up catalog: the
/// facets' and links' queries as `SearchState` names them.
fn search_answer(query: &[(&str, &str)], total: u64, items: Vec<Value>, facets: Value) -> Value {
    use bazaar_core::catalog::{Facets, ProductSearchResponse};
    let state = SearchState::from_pairs(query.iter().copied());
    let mut facets: Facets = serde_json::from_value(facets).expect("facets");
    state.link_facets(&mut facets);
    let page: u32 = state.get("page").and_then(|page| page.parse().ok()).unwrap_or(1);
    let page_size = 2;
    let pages = total.div_ceil(page_size).max(1) as u32;
    let answer = ProductSearchResponse {
        items: serde_json::from_value(json!(items)).expect("product summaries"),
        total,
        page,
        page_size: page_size as u32,
        facets,
        links: state.links(page, pages),
    };
    serde_json::to_value(answer).expect("serialises")
}

/// The results page for sample searches, as `Results` renders them in `locale`: a category
/// with its field, every kind of option (chosen, empty, folded sellers), a second page; and a
/// search that found nothing.
fn results_samples(locale: Locale) -> Vec<Value> {
    use crate::pages::products::Results;
    let facet = |value: &str, label: Option<(&str, &str)>, count: u64, selected: bool| {
        json!({ "value": value, "label": label.map(|(en, zh)| json!({ "en": en, "zh": zh })), "count": count,
                "selected": selected, "query": "" })
    };
    let flag = |count: u64, selected: bool| json!({ "count": count, "selected": selected, "query": "" });
    let sellers: Vec<Value> = (1..=10)
        .map(|id| facet(&id.to_string(), Some((&format!("Seller <{id}>"), "卖家")), 10 - id, id == 10))
        .collect();
    let full = json!({
        "categories": [facet("databases", Some(("Databases & <stores>", "数据库")), 3, true), facet("security", None, 0, false)],
        "attributes": [{ "key": "engine", "name": { "en": "Engine", "zh": "引擎" },
                         "values": [facet("mysql", Some(("MySQL", "MySQL")), 2, true), facet("pg", None, 0, false),
                                    facet("maria", None, 0, true)] }],
        "delivery_methods": [facet("saas", None, 40, false), facet("image", None, 0, true)],
        "billing_modes": [facet("one_off", None, 0, true), facet("pay_per_use", None, 7, false)],
        "price_ranges": [facet("0-9999", None, 0, true), facet("10000-99999", None, 0, false),
                         facet("100000-999999", None, 1, false), facet("1000000-", None, 2, false)],
        "sellers": sellers,
        "supervised": flag(2, false), "free_trial": flag(0, true), "four_stars_and_up": flag(1, true),
    });
    let query: &[(&str, &str)] = &[
        ("category", "databases"),
        ("a_engine", "mysql,maria"),
        ("billing", "one_off"),
        ("delivery", "image"),
        ("price_min", "0"),
        ("price_max", "9999"),
        ("trial", "true"),
        ("rating_min", "4"),
        ("seller", "10"),
        ("sort", "price_desc"),
        ("page", "2"),
        ("q", "a&b <c>"),
    ];
    let cards: Vec<Value> = card_samples();
    let empty_facets = json!({ "categories": [], "attributes": [], "delivery_methods": [], "billing_modes": [],
        "price_ranges": [], "sellers": [], "supervised": flag(0, false), "free_trial": flag(0, false),
        "four_stars_and_up": flag(0, false) });
    let cases = [
        (query.to_vec(), search_answer(query, 5, cards, full), true),
        (
            vec![("q", "nothing"), ("delivery", "saas")],
            search_answer(&[("q", "nothing"), ("delivery", "saas")], 0, Vec::new(), empty_facets.clone()),
            false,
        ),
        (vec![], search_answer(&[], 0, Vec::new(), empty_facets), false),
    ];
    cases
        .into_iter()
        .map(|(pairs, answer, wide)| {
            let response = serde_json::from_value(answer.clone()).expect("a search answer");
            let search = SearchState::from_pairs(pairs.iter().copied());
            let html = rendered_in_router(locale, "/products", move || {
                view! { <Results response search wide go=Callback::new(|_: String| {}) /> }
            });
            json!({ "language": locale.tag(), "query": search_query(&pairs), "answer": answer, "wide": wide, "html": html })
        })
        .collect()
}

/// `pairs` as a query string for the shell's parser.
fn search_query(pairs: &[(&str, &str)]) -> String {
    pairs
        .iter()
        .map(|(key, value)| format!("{key}={}", bazaar_core::search_state::encode(value)))
        .collect::<Vec<_>>()
        .join("&")
}
