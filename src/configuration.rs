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

#[cfg(test)]
mod tests {
    use bazaar_core::catalog::{
        DeliveryMethod, LocalizedText, ProductSummary, SellerContact, SellerRef, Sku, SkuPrice,
    };
    use bazaar_core::ids::ProductId;
    use bazaar_core::money::{Currency, Money};
    use bazaar_core::pricing::MAX_QUANTITY;

    use super::*;

    fn price(billing_mode: BillingMode) -> SkuPrice {
        SkuPrice { billing_mode, price: Money::new(100, Currency::CNY), server_fee: None }
    }

    /// Two SKUs: 7 sold monthly/yearly or pay-per-use, 8 only once; two regions.
    fn product() -> ProductDetail {
        let sku = |id, prices| Sku { id, name: format!("SKU {id}"), description: String::new(), prices };
        ProductDetail {
            summary: ProductSummary {
                id: ProductId(42),
                name: "Example".to_owned(),
                summary: String::new(),
                seller: SellerRef { id: 1, name: "Seller".to_owned() },
                category: "database".to_owned(),
                delivery_method: DeliveryMethod::Saas,
                billing_modes: vec![BillingMode::YearlyMonthly, BillingMode::PayPerUse, BillingMode::OneOff],
                price_from: Money::new(100, Currency::CNY),
                price_from_mode: BillingMode::YearlyMonthly,
                supervised: false,
                free_trial: false,
                tags: Vec::new(),
                recent_sales: 0,
                rating: None,
                listed_at: time::OffsetDateTime::UNIX_EPOCH,
            },
            description: String::new(),
            usage_guide: String::new(),
            seller_contact: SellerContact {
                id: 1,
                name: "Seller".to_owned(),
                email: String::new(),
                phone: String::new(),
                support_hours: String::new(),
                masked: false,
            },
            category_name: LocalizedText { en: "Databases".to_owned(), zh: "数据库".to_owned() },
            attributes: Vec::new(),
            regions: vec!["cn-north".to_owned(), "cn-east".to_owned()],
            skus: vec![
                sku(7, vec![price(BillingMode::YearlyMonthly), price(BillingMode::PayPerUse)]),
                sku(8, vec![price(BillingMode::OneOff)]),
            ],
            service_period_days: None,
            trial_days: None,
            seller_creates_account: false,
            favorite: false,
        }
    }

    fn from(pairs: &[(&str, &str)]) -> Configuration {
        configuration_from_query(&product(), |key| {
            pairs.iter().find(|(name, _)| *name == key).map(|(_, value)| (*value).to_owned())
        })
    }

    #[test]
    fn an_empty_query_gives_the_first_choice_of_everything() {
        let configuration = from(&[]);
        assert_eq!(configuration, default_configuration(&product()));
        assert_eq!(configuration.sku_id, 7);
        assert_eq!(configuration.billing_mode, BillingMode::YearlyMonthly);
        assert_eq!(configuration.duration_months, Some(1));
        assert_eq!((configuration.quantity, configuration.region.as_str()), (1, "cn-north"));
    }

    #[test]
    fn a_purchase_link_reads_back_as_the_configuration_it_was_made_from() {
        let configuration = from(&[
            ("sku", "7"),
            ("billing", "yearly_monthly"),
            ("duration", "12"),
            ("quantity", "3"),
            ("region", "cn-east"),
        ]);
        let href = purchase_href(ProductId(42), &configuration);
        assert_eq!(href, "/purchase/42?sku=7&billing=yearly_monthly&duration=12&quantity=3&region=cn-east");
        let query = href.split_once('?').unwrap().1;
        let pairs: Vec<(&str, &str)> = query.split('&').map(|pair| pair.split_once('=').unwrap()).collect();
        assert_eq!(from(&pairs), configuration);
    }

    #[test]
    fn choosing_another_sku_takes_its_first_billing_mode_and_drops_the_duration() {
        let configuration = from(&[("sku", "8"), ("duration", "12")]);
        assert_eq!((configuration.sku_id, configuration.billing_mode), (8, BillingMode::OneOff));
        assert_eq!(configuration.duration_months, None);
    }

    #[test]
    fn unusable_parts_fall_back_one_by_one() {
        // A billing mode the SKU does not sell, a duration not offered, an unknown region
        // and SKU: each falls back alone, the rest of the link still counts.
        let configuration =
            from(&[("sku", "99"), ("billing", "one_off"), ("duration", "11"), ("quantity", "2"), ("region", "mars")]);
        assert_eq!(configuration.sku_id, 7);
        assert_eq!(configuration.billing_mode, BillingMode::YearlyMonthly);
        assert_eq!(configuration.duration_months, Some(1));
        assert_eq!(configuration.quantity, 2);
        assert_eq!(configuration.region, "cn-north");
        assert_eq!(from(&[("billing", "pay_per_use"), ("duration", "12")]).duration_months, None);
    }

    #[test]
    fn quantities_are_clamped_to_what_can_be_bought() {
        assert_eq!(from(&[("quantity", "0")]).quantity, 1);
        assert_eq!(from(&[("quantity", "100000")]).quantity, MAX_QUANTITY);
        assert_eq!(from(&[("quantity", "-3")]).quantity, 1);
    }
}
