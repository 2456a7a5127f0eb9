//! A product configuration in the URL (`/purchase/42?sku=7&billing=yearly_monthly&…`), so
//! "Continue to Submit" and a favourite's "Buy" open checkout with the choice intact.

use bazaar_core::catalog::{BillingMode, ProductDetail};
use bazaar_core::pricing::Configuration;

/// The first SKU, its first billing mode, one month (when monthly), one item, first region.
pub fn default_configuration(product: &ProductDetail) -> Configuration {
    let sku = product.skus.first();
    let billing_mode =
        sku.and_then(|sku| sku.prices.first()).map(|price| price.billing_mode).unwrap_or(BillingMode::OneOff);
    Configuration {
        sku_id: sku.map(|sku| sku.id).unwrap_or_default(),
        billing_mode,
        duration_months: (billing_mode == BillingMode::YearlyMonthly).then_some(1),
        quantity: 1,
        region: product.regions.first().cloned().unwrap_or_default(),
    }
}

/// The configuration a URL describes; missing or unusable parts fall back to the defaults
/// (the server validates the final choice anyway).
pub fn configuration_from_query(product: &ProductDetail, get: impl Fn(&str) -> Option<String>) -> Configuration {
    let mut configuration = default_configuration(product);
    if let Some(sku) =
        get("sku").and_then(|v| v.parse::<i64>().ok()).and_then(|id| product.skus.iter().find(|s| s.id == id))
    {
        configuration.sku_id = sku.id;
        if let Some(price) = sku.prices.first() {
            configuration.billing_mode = price.billing_mode;
        }
    }
    let sku = product.skus.iter().find(|sku| sku.id == configuration.sku_id);
    if let Some(mode) = get("billing").as_deref().and_then(|text: &str| text.parse::<BillingMode>().ok())
        && sku.is_some_and(|sku| sku.prices.iter().any(|price| price.billing_mode == mode))
    {
        configuration.billing_mode = mode;
    }
    configuration.duration_months = if configuration.billing_mode == BillingMode::YearlyMonthly {
        Some(
            get("duration")
                .and_then(|v| v.parse::<u32>().ok())
                .filter(|months| bazaar_core::pricing::DURATION_CHOICES_MONTHS.contains(months))
                .unwrap_or(1),
        )
    } else {
        None
    };
    if let Some(quantity) = get("quantity").and_then(|v| v.parse::<u32>().ok()) {
        configuration.quantity = quantity.clamp(1, bazaar_core::pricing::MAX_QUANTITY);
    }
    if let Some(region) = get("region").filter(|region| product.regions.contains(region)) {
        configuration.region = region;
    }
    configuration
}

/// `/purchase/<id>?sku=…&billing=…[&duration=…]&quantity=…&region=…`
pub fn purchase_href(product_id: bazaar_core::ids::ProductId, configuration: &Configuration) -> String {
    let mut href =
        format!("/purchase/{product_id}?sku={}&billing={}", configuration.sku_id, configuration.billing_mode.as_str());
    if let Some(months) = configuration.duration_months {
        href.push_str(&format!("&duration={months}"));
    }
    href.push_str(&format!("&quantity={}&region={}", configuration.quantity, configuration.region));
    href
}
