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

use bazaar_core::catalog::{
    BillingMode, DeliveryMethod, LocalizedText, ProductAttribute, ProductDetail, ProductSummary, Rating, SellerContact,
    SellerRef,
};
use bazaar_core::ids::ProductId;
use bazaar_core::money::{Currency, Money};
use leptos::prelude::*;

use crate::components::product_card::ProductCard;
use crate::i18n::{I18n, Locale};
use crate::pages::product::information::ProductInformation;
use maker::{StandIn, TemplateMaker, field, html_text};

/// `view`'s HTML in `locale`, without the empty-node markers the app leaves for its own
/// updates.
pub(crate) fn rendered<V: RenderHtml>(locale: Locale, view: impl FnOnce() -> V) -> String {
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

/// `ProductCard` (src/components/product_card.rs) as `(p, t, h) => html`: `p` a product
/// summary as the API sends it, `t` the words of the language, `h` the shell's helpers
/// (`escape`, `money`, `average`, `halfStars`, in render.js).
fn product_card(locale: Locale) -> String {
    let product = ProductSummary {
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
    };
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
    format!("(p, t, h) => {}", maker.literal())
}

/// `ProductInformation` (src/pages/product/information.rs) as `(p, t, h) => html`: `p` a
/// product as the API sends it; `h.lines` splits a text as Rust's `str::lines`.
fn product_information(locale: Locale) -> String {
    let sample = crate::shell_vectors::detail_samples().remove(1);
    let mut detail: ProductDetail = serde_json::from_value(sample).expect("a product detail");
    detail.summary.delivery_method = DeliveryMethod::ALL[0];
    detail.description = field("description");
    detail.usage_guide = String::new();
    detail.attributes = Vec::new();
    detail.regions = vec![field("regions")];
    detail.service_period_days = None;
    detail.seller_contact = SellerContact {
        id: 1,
        name: field("seller"),
        email: field("email"),
        phone: field("phone"),
        support_hours: field("hours"),
        masked: false,
    };
    let language = match locale {
        Locale::En => "en",
        Locale::ZhCn => "zh",
    };
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
    format!("(p, t, h) => {}", maker.literal())
}

/// `shell/src/templates.js`: each template in each language, added to the shell's global.
pub fn templates_js() -> String {
    let languages: Vec<String> = [Locale::En, Locale::ZhCn]
        .into_iter()
        .map(|locale| {
            format!(
                "  {}: {{\n    productCard: {},\n    productInformation: {},\n  }},",
                serde_json::to_string(locale.tag()).expect("a string serialises"),
                product_card(locale),
                product_information(locale),
            )
        })
        .collect();
    format!(
        "// Generated from the app's Leptos components by src/shell_templates.rs: do not edit. A test\n\
         // fails when it is stale; `UPDATE_SHELL=1 cargo test -p bazaar-web --lib shell_tables` rewrites it.\n\
         window.__bazaarShell.templates = {{\n{}\n}};\n",
        languages.join("\n")
    )
}
