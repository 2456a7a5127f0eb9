//! The markup of the components the shell draws before the wasm, as JavaScript template
//! functions made from the Leptos components themselves (written into
//! `shell/src/templates.js`), so that a change to a component's elements, classes or words
//! reaches the shell without anyone writing it twice.
//!
//! How: the component is rendered natively (leptos' `ssr` feature, native tests only) for a
//! sample input whose texts are stand-ins — private-use characters around a field's name,
//! numbers no page shows otherwise — and the stand-ins in the HTML become the JavaScript
//! expressions that put the real values in. What changes the markup rather than a text is
//! found by rendering again with that input changed and comparing: an optional part (a
//! badge, the stars) is what the second rendering inserts, an enum's text (the delivery
//! method, the price's unit) is what differs between the renderings of each value. The
//! shell's tests (`shell/test/render.test.js`) compare the templates' HTML with the
//! components' for sample products in both languages.

mod maker;
mod results;

use bazaar_core::catalog::{
    BillingMode, Category, DeliveryMethod, LocalizedText, ProductAttribute, ProductDetail, ProductSummary, Rating,
    SellerContact, SellerRef,
};
use bazaar_core::ids::ProductId;
use bazaar_core::money::{Currency, Money};
use leptos::prelude::*;

use crate::components::product_card::ProductCard;
use crate::i18n::{I18n, Locale};
use crate::pages::home::{CategoryTiles, HomeLayout, PopularProducts};
use crate::pages::product::information::{ProductHeader, ProductInformation};
use crate::pages::product::{OptionsWaiting, PhoneBuyBar, ProductLayout};
use leptos_router::components::Router;
use maker::{StandIn, TemplateMaker, field, html_text};

/// The executor of a native rendering: it drops what effects spawn, as a server does (the
/// page heading's focus and title effects need a browser).
struct NoEffects;

impl any_spawner::CustomExecutor for NoEffects {
    fn spawn(&self, _: any_spawner::PinnedFuture<()>) {}
    fn spawn_local(&self, _: any_spawner::PinnedLocalFuture<()>) {}
    fn poll_local(&self) {}
}

/// `view`'s HTML in `locale`, without the empty-node markers the app leaves for its own
/// updates.
pub(crate) fn rendered<V: RenderHtml>(locale: Locale, view: impl FnOnce() -> V) -> String {
    static EXECUTOR: std::sync::Once = std::sync::Once::new();
    EXECUTOR.call_once(|| {
        any_spawner::Executor::init_custom_executor(NoEffects).expect("no other executor in the SPA's native tests");
    });
    let owner = Owner::new();
    owner.with(|| {
        provide_context(I18n(RwSignal::new(locale)));
        view().to_html().replace("<!>", "")
    })
}

/// Numbers no card shows otherwise, standing in for a product's id, price and rating.
const ID: i64 = 918_273_645;
const PRICE_MINOR: i64 = 13_579_135;
const AVERAGE_TENTHS: u32 = 37;
const RATINGS: u32 = 8_642_097;
const SERVICE_DAYS: i64 = 8_765;
const TRIAL_DAYS: i64 = 5_432;
const CATEGORY_PRODUCTS: u64 = 7_531_246;

/// A product summary whose texts are stand-ins, with no optional part.
fn stand_in_summary() -> ProductSummary {
    ProductSummary {
        id: ProductId(ID),
        name: field("name"),
        summary: field("summary"),
        seller: SellerRef { id: 1, name: field("seller") },
        category: "stand-in".to_owned(),
        delivery_method: DeliveryMethod::ALL[0],
        billing_modes: vec![BillingMode::ALL[0]],
        price_from: Money::new(PRICE_MINOR, Currency::CNY),
        price_from_mode: BillingMode::ALL[0],
        supervised: false,
        free_trial: false,
        tags: Vec::new(),
        recent_sales: 0,
        rating: None,
        listed_at: time::OffsetDateTime::UNIX_EPOCH,
    }
}

/// `ProductCard` (src/components/product_card.rs) as `(p, t, h) => html`: `p` a product
/// summary as the API sends it, `t` the words of the language, `h` the shell's helpers
/// (`escape`, `money`, `average`, `halfStars`, in render.js).
fn product_card(locale: Locale) -> String {
    let product = stand_in_summary();
    let m = locale.messages();
    let rating = Rating { average_tenths: AVERAGE_TENTHS, count: RATINGS };
    let average = rating.average_text();
    let stand_ins = vec![
        StandIn::code(field("name"), "h.escape(p.name)"),
        StandIn::code(field("summary"), "h.escape(p.summary)"),
        StandIn::code(field("seller"), "h.escape(p.seller.name)"),
        StandIn::around(format!("/products/{ID}"), "/products/", "Number(p.id)", ""),
        StandIn::code(Money::new(PRICE_MINOR, Currency::CNY).display(), "h.money(p.price_from)"),
        StandIn::code(
            html_text(&(m.card_rating)(&average, RATINGS)),
            "h.escape(t.card_rating(h.average(p.rating), p.rating.count))",
        ),
        StandIn::around(
            format!("rating-stars__icons--{}", crate::components::rating_stars::half_stars(AVERAGE_TENTHS)),
            "rating-stars__icons--",
            "h.halfStars(p.rating.average_tenths)",
            "",
        ),
        StandIn::around(format!(">{average}<"), ">", "h.average(p.rating)", "<"),
        StandIn::around(format!("({RATINGS})"), "(", "Number(p.rating.count)", ")"),
    ];
    let mut maker = TemplateMaker::new(product, stand_ins, move |product: &ProductSummary| {
        let product = product.clone();
        rendered(locale, move || view! { <ProductCard product /> })
    });
    maker.optional("p.rating", |product| product.rating = Some(rating));
    maker.optional("p.supervised", |product| product.supervised = true);
    maker.optional("p.free_trial", |product| product.free_trial = true);
    maker.by_value("p.delivery_method", &DeliveryMethod::ALL, |product, method| product.delivery_method = method);
    maker.by_value("p.price_from_mode", &BillingMode::ALL, |product, mode| product.price_from_mode = mode);
    function(&["p", "t", "h"], &maker.literal())
}

/// A product whose texts are stand-ins, with no optional part and empty lists.
fn stand_in_detail() -> ProductDetail {
    let sample = crate::shell_vectors::detail_samples().remove(1);
    let mut detail: ProductDetail = serde_json::from_value(sample).expect("a product detail");
    detail.summary.name = field("name");
    detail.summary.summary = field("summary");
    detail.summary.category = field("category");
    detail.summary.delivery_method = DeliveryMethod::ALL[0];
    detail.summary.supervised = false;
    detail.category_name = LocalizedText { en: field("category_name"), zh: field("category_name") };
    detail.description = field("description");
    detail.usage_guide = String::new();
    detail.attributes = Vec::new();
    detail.regions = vec![field("regions")];
    detail.service_period_days = None;
    detail.trial_days = None;
    detail.seller_contact = SellerContact {
        id: 1,
        name: field("seller"),
        email: field("email"),
        phone: field("phone"),
        support_hours: field("hours"),
        masked: false,
    };
    detail
}

/// A JavaScript arrow function of `parameters` returning `body`, without the parameters
/// after the last one it uses (ESLint's unused-arguments rule).
fn function(parameters: &[&str], body: &str) -> String {
    let uses = |name: &str| {
        body.match_indices(&format!("{name}.")).any(|(at, _)| {
            !body[..at].chars().next_back().is_some_and(|before| before.is_alphanumeric() || "_$.".contains(before))
        })
    };
    let used = parameters.iter().rposition(|name| uses(name)).map_or(0, |last| last + 1);
    format!("({}) => {body}", parameters[..used].join(", "))
}

/// The language's field of a `LocalizedText` in JavaScript (`Locale::pick`).
fn picked(locale: Locale) -> &'static str {
    match locale {
        Locale::En => "en",
        Locale::ZhCn => "zh",
    }
}

/// `view` rendered inside a router at `path`, with the frame's page focus: the product
/// page's header needs both (its category link, its heading).
pub(crate) fn rendered_in_router<V: IntoView + 'static>(
    locale: Locale,
    path: &'static str,
    view: impl FnOnce() -> V + Send + 'static,
) -> String {
    rendered(locale, move || {
        provide_context(leptos_router::location::RequestUrl::new(path));
        crate::components::page_heading::PageFocus::provide();
        view! { <Router>{view()}</Router> }
    })
}

/// `ProductHeader` (src/pages/product/information.rs) as `(p, t, h) => html`.
fn product_header(locale: Locale) -> String {
    let language = picked(locale);
    let product = locale.product_messages();
    let stand_ins = vec![
        StandIn::code(field("category"), "h.escape(p.category)"),
        StandIn::code(field("category_name"), &format!("h.escape(p.category_name.{language})")),
        StandIn::code(field("name"), "h.escape(p.name)"),
        StandIn::code(field("summary"), "h.escape(p.summary)"),
        StandIn::code(field("seller"), "h.escape(p.seller_contact.name)"),
        StandIn::code(
            html_text(&(product.product_trial_days)(&TRIAL_DAYS.to_string())),
            "h.escape(t.product_trial_days(p.trial_days))",
        ),
    ];
    let mut maker = TemplateMaker::new(stand_in_detail(), stand_ins, move |detail: &ProductDetail| {
        let detail = detail.clone();
        rendered_in_router(locale, "/products/1", move || view! { <ProductHeader detail /> })
    });
    maker.by_value("p.delivery_method", &DeliveryMethod::ALL, |detail, method| detail.summary.delivery_method = method);
    maker.optional("p.supervised", |detail| detail.summary.supervised = true);
    maker.optional("p.trial_days != null", |detail| detail.trial_days = Some(TRIAL_DAYS));
    function(&["p", "t", "h"], &maker.literal())
}

/// `ProductInformation` (src/pages/product/information.rs) as `(p, t, h) => html`: `p` a
/// product as the API sends it; `h.lines` splits a text as Rust's `str::lines`.
fn product_information(locale: Locale) -> String {
    let detail = stand_in_detail();
    let language = picked(locale);
    let product = locale.product_messages();
    let stand_ins = vec![
        StandIn::code(field("description"), "h.escape(p.description)"),
        StandIn::code(field("regions"), "h.escape(p.regions.map((code) => t.region_names[code] || code).join(', '))"),
        StandIn::code(field("seller"), "h.escape(p.seller_contact.name)"),
        StandIn::code(field("email"), "h.escape(p.seller_contact.email)"),
        StandIn::code(field("phone"), "h.escape(p.seller_contact.phone)"),
        StandIn::code(field("hours"), "h.escape(p.seller_contact.support_hours)"),
        StandIn::code(field("line"), "h.escape(line)"),
        StandIn::code(field("attribute.name"), &format!("h.escape(attribute.name.{language})")),
        StandIn::code(field("attribute.label"), &format!("h.escape(attribute.label.{language})")),
        StandIn::code(
            html_text(&(product.supervision_text)(&SERVICE_DAYS.to_string())),
            "h.escape(t.supervision_text(p.service_period_days))",
        ),
    ];
    let mut maker = TemplateMaker::new(detail, stand_ins, move |detail: &ProductDetail| {
        let detail = detail.clone();
        rendered(locale, move || view! { <ProductInformation detail /> })
    });
    maker.optional("p.service_period_days != null", |detail| detail.service_period_days = Some(SERVICE_DAYS));
    maker.by_value("p.delivery_method", &DeliveryMethod::ALL, |detail, method| detail.summary.delivery_method = method);
    maker.repeated("p.attributes.map((attribute) =>", |detail| {
        let text = |name: &str| LocalizedText { en: field(name), zh: field(name) };
        detail.attributes.push(ProductAttribute {
            key: "stand-in".to_owned(),
            name: text("attribute.name"),
            value: "stand-in".to_owned(),
            label: text("attribute.label"),
        });
    });
    maker.repeated("h.lines(p.usage_guide).map((line) =>", |detail| {
        detail.usage_guide.push_str(&field("line"));
        detail.usage_guide.push('\n');
    });
    maker.either("p.seller_contact.masked", |detail| detail.seller_contact.masked = true);
    function(&["p", "t", "h"], &maker.literal())
}

/// `PhoneBuyBar` (src/pages/product/mod.rs) as `(p, t, h) => html`, its button waiting for
/// the app.
fn phone_buy_bar(locale: Locale) -> String {
    let stand_ins = vec![StandIn::code(Money::new(PRICE_MINOR, Currency::CNY).display(), "h.money(p.price_from)")];
    let mut maker = TemplateMaker::new(stand_in_summary(), stand_ins, move |summary: &ProductSummary| {
        let summary = summary.clone();
        rendered(locale, move || view! { <PhoneBuyBar summary waiting=true /> })
    });
    maker.by_value("p.price_from_mode", &BillingMode::ALL, |summary, mode| summary.price_from_mode = mode);
    function(&["p", "t", "h"], &maker.literal())
}

/// `ProductLayout` (src/pages/product/mod.rs) as `(parts, t, h) => html`, waiting: the
/// parts' markup in `parts.header`, `parts.information` and `parts.buyBar`, the options as
/// `OptionsWaiting`.
fn product_layout(locale: Locale) -> String {
    let stand_ins = vec![
        StandIn::code(field("header"), "parts.header"),
        StandIn::code(field("information"), "parts.information"),
        StandIn::code(field("buy_bar"), "parts.buyBar"),
    ];
    let maker = TemplateMaker::new((), stand_ins, move |_: &()| {
        rendered(locale, || {
            view! {
                <ProductLayout header=field("header").into_any() information=field("information").into_any()
                    options=view! { <OptionsWaiting /> }.into_any() buy_bar=field("buy_bar").into_any() waiting=true />
            }
        })
    });
    function(&["parts", "t", "h"], &maker.literal())
}

/// `HomeLayout` (src/pages/home.rs) as `(parts, t, h) => html`, with the markup of its two
/// lists in `parts.popular` and `parts.categories`.
fn home_layout(locale: Locale) -> String {
    let stand_ins =
        vec![StandIn::code(field("popular"), "parts.popular"), StandIn::code(field("categories"), "parts.categories")];
    let maker = TemplateMaker::new((), stand_ins, move |_: &()| {
        rendered_in_router(locale, "/", || {
            view! { <HomeLayout popular=field("popular").into_any() categories=field("categories").into_any() /> }
        })
    });
    function(&["parts", "t", "h"], &maker.literal())
}

/// `PopularProducts` (src/pages/home.rs) as `(products, t, h) => html`, each card by
/// `h.productCard`.
fn popular_products(locale: Locale) -> String {
    let card = rendered(locale, || view! { <ProductCard product=stand_in_summary() /> });
    let stand_ins = vec![StandIn::code(card, &format!("h.productCard(product, {})", serde_json::json!(locale.tag())))];
    let mut maker = TemplateMaker::new(Vec::new(), stand_ins, move |products: &Vec<ProductSummary>| {
        let products = products.clone();
        rendered(locale, move || view! { <PopularProducts products /> })
    });
    maker.repeated("products.map((product) =>", |products| products.push(stand_in_summary()));
    function(&["products", "t", "h"], &maker.literal())
}

/// `CategoryTiles` (src/pages/home.rs) as `(categories, t, h) => html`.
fn category_tiles(locale: Locale) -> String {
    let language = picked(locale);
    let stand_ins = vec![
        StandIn::code(field("slug"), "h.escape(category.slug)"),
        StandIn::code(field("category.name"), &format!("h.escape(category.name.{language})")),
        StandIn::code(field("category.description"), &format!("h.escape(category.description.{language})")),
        StandIn::code(
            html_text(&(locale.messages().category_products)(CATEGORY_PRODUCTS)),
            "h.escape(t.category_products(category.product_count))",
        ),
    ];
    let mut maker = TemplateMaker::new(Vec::new(), stand_ins, move |categories: &Vec<Category>| {
        let categories = categories.clone();
        rendered_in_router(locale, "/", move || view! { <CategoryTiles categories /> })
    });
    maker.repeated("categories.map((category) =>", |categories| {
        let text = |name: &str| LocalizedText { en: field(name), zh: field(name) };
        categories.push(Category {
            slug: field("slug"),
            name: text("category.name"),
            description: text("category.description"),
            attributes: Vec::new(),
            product_count: CATEGORY_PRODUCTS,
        });
    });
    function(&["categories", "t", "h"], &maker.literal())
}

/// `shell/src/templates.js`: each template in each language, added to the shell's global.
pub fn templates_js() -> String {
    let languages: Vec<String> = [Locale::En, Locale::ZhCn]
        .into_iter()
        .map(|locale| {
            let mut templates = vec![
                ("homeLayout", home_layout(locale)),
                ("popularProducts", popular_products(locale)),
                ("categoryTiles", category_tiles(locale)),
                ("productCard", product_card(locale)),
                ("productHeader", product_header(locale)),
                ("productInformation", product_information(locale)),
                ("phoneBuyBar", phone_buy_bar(locale)),
                ("productLayout", product_layout(locale)),
            ];
            templates.extend(results::templates(locale));
            let entries: Vec<String> =
                templates.iter().map(|(name, template)| format!("    {name}: {template},")).collect();
            format!(
                "  {}: {{\n{}\n  }},",
                serde_json::to_string(locale.tag()).expect("a string serialises"),
                entries.join("\n")
            )
        })
        .collect();
    format!(
        "// Generated from the app's Leptos components by src/shell_templates/: do not edit. A test\n\
         // fails when it is stale; `UPDATE_SHELL=1 cargo test -p bazaar-web --lib shell_tables` rewrites it.\n\
         window.__bazaarShell.templates = {{\n{}\n}};\n",
        languages.join("\n")
    )
}
