//! The components the app shell draws before the wasm (a product card, a product's
//! information), rendered natively to HTML for sample products in both languages: what the
//! shell's `render.js` must write for the same API answers. `shell/test/render.test.js`
//! compares the two (attribute order aside), so the shell's markup cannot drift from the
//! components'. Written into `shell/test/vectors.json` by `shell_tables`.

use bazaar_core::catalog::{ProductDetail, ProductSummary};
use leptos::prelude::*;
use serde_json::{Value, json};

use crate::components::product_card::ProductCard;
use crate::i18n::{I18n, Locale};
use crate::pages::product::information::ProductInformation;

/// `view`'s HTML in `locale`, without the empty-node markers the app leaves for its own
/// updates.
fn rendered<V: RenderHtml>(locale: Locale, view: impl FnOnce() -> V) -> String {
    let owner = Owner::new();
    owner.with(|| {
        provide_context(I18n(RwSignal::new(locale)));
        view().to_html().replace("<!>", "")
    })
}

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
fn detail_samples() -> Vec<Value> {
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

/// Each sample in each language, with the component's HTML.
pub fn samples() -> Value {
    let mut cards = Vec::new();
    let mut information = Vec::new();
    for locale in [Locale::En, Locale::ZhCn] {
        for product in card_samples() {
            let parsed: ProductSummary = serde_json::from_value(product.clone()).expect("a product summary");
            let html = rendered(locale, move || view! { <ProductCard product=parsed /> });
            cards.push(json!({ "language": locale.tag(), "product": product, "html": html }));
        }
        for detail in detail_samples() {
            let parsed: ProductDetail = serde_json::from_value(detail.clone()).expect("a product detail");
            let html = rendered(locale, move || view! { <ProductInformation detail=parsed /> });
            information.push(json!({ "language": locale.tag(), "product": detail, "html": html }));
        }
    }
    json!({ "product_card": cards, "product_information": information })
}
