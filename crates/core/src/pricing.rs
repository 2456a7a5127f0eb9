//! The price of a product configuration: one pure function, used by the SPA for the live
//! price on the product and checkout pages and by the backend as the authority at checkout.

use crate::error::FieldErrorCode;
use serde::{Deserialize, Serialize};

use crate::catalog::{BillingMode, Sku, SkuPrice};
use crate::error::FieldErrors;
use crate::money::Money;

/// Durations offered for yearly/monthly billing, in months.
pub const DURATION_CHOICES_MONTHS: [u32; 12] = [1, 2, 3, 4, 5, 6, 7, 8, 9, 12, 24, 36];
/// Each full year is billed as this many months (two months free).
pub const BILLED_MONTHS_PER_YEAR: u32 = 10;
pub const MAX_QUANTITY: u32 = 100;

/// What the buyer chose on the product page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Configuration {
    pub sku_id: i64,
    pub billing_mode: BillingMode,
    /// Months, for yearly/monthly billing only.
    pub duration_months: Option<u32>,
    pub quantity: u32,
    /// A region code from the product's regions.
    pub region: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum PriceLineKind {
    /// The software itself (for image products: the image fee).
    Software,
    /// Image products: the cloud server the image runs on.
    Server,
    /// Yearly billing: two months of every year are free.
    YearlyDiscount,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PriceLine {
    pub kind: PriceLineKind,
    /// Price of one unit (month, hour or once) for one item.
    pub unit_price: Money,
    /// Months, hours (1 for an hourly rate) or 1 for one-off.
    pub units: u32,
    pub quantity: u32,
    /// `unit_price × units × quantity`, negative for discounts.
    pub amount: Money,
}

/// How the total is charged.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Charge {
    /// The total is paid now.
    Upfront,
    /// The total is an hourly rate, billed after use; nothing is due now.
    Hourly,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PriceBreakdown {
    pub lines: Vec<PriceLine>,
    pub total: Money,
    pub charge: Charge,
    /// What the buyer pays at checkout: the total when upfront, zero when hourly.
    pub due_now: Money,
}

/// Prices `configuration` for a product with `skus` deployable in `regions`; every invalid
/// choice is reported against its field (`sku_id`, `billing_mode`, `duration_months`,
/// `quantity`, `region`).
pub fn price_configuration(
    skus: &[Sku],
    regions: &[String],
    configuration: &Configuration,
) -> Result<PriceBreakdown, FieldErrors> {
    let mut errors = FieldErrors::default();
    if configuration.quantity == 0 || configuration.quantity > MAX_QUANTITY {
        errors.push("quantity", FieldErrorCode::OutOfRange, format!("Choose a quantity from 1 to {MAX_QUANTITY}."));
    }
    if !regions.contains(&configuration.region) {
        errors.push("region", FieldErrorCode::UnknownValue, "This product is not offered in that region.");
    }
    let sku = skus.iter().find(|sku| sku.id == configuration.sku_id);
    let price = match sku {
        None => {
            errors.push("sku_id", FieldErrorCode::UnknownValue, "Choose one of the product's specifications.");
            None
        }
        Some(sku) => {
            let price = sku.prices.iter().find(|price| price.billing_mode == configuration.billing_mode);
            if price.is_none() {
                errors.push(
                    "billing_mode",
                    FieldErrorCode::UnknownValue,
                    "This specification is not sold with that billing mode.",
                );
            }
            price
        }
    };
    let duration_ok = match (configuration.billing_mode, configuration.duration_months) {
        (BillingMode::YearlyMonthly, Some(months)) => DURATION_CHOICES_MONTHS.contains(&months),
        (BillingMode::YearlyMonthly, None) => false,
        (_, None) => true,
        (_, Some(_)) => false,
    };
    if !duration_ok {
        let message = if configuration.billing_mode == BillingMode::YearlyMonthly {
            "Choose 1–9 months or 1–3 years."
        } else {
            "A duration applies to yearly/monthly billing only."
        };
        errors.push("duration_months", FieldErrorCode::Invalid, message);
    }
    let Some(price) = price.filter(|_| errors.is_empty()) else {
        return Err(errors);
    };
    price_units(price, configuration.duration_months.unwrap_or(1), configuration.quantity)
}

/// Months of a term of `months` that are paid for: each full year has
/// `12 - BILLED_MONTHS_PER_YEAR` months free.
pub fn billed_months(months: u32) -> u32 {
    months - (months / 12) * (12 - BILLED_MONTHS_PER_YEAR)
}

/// The price of `months` (yearly/monthly billing; ignored otherwise) of `quantity` items
/// at `price`, without the checks of a checkout: renewals use it for the periods they
/// allow (which include 10 and 11 months, not sold at checkout).
pub fn price_units(price: &SkuPrice, months: u32, quantity: u32) -> Result<PriceBreakdown, FieldErrors> {
    let (units, free_units, charge) = match price.billing_mode {
        BillingMode::YearlyMonthly => (months, months - billed_months(months), Charge::Upfront),
        BillingMode::PayPerUse => (1, 0, Charge::Hourly),
        BillingMode::OneOff => (1, 0, Charge::Upfront),
    };
    let overflow = || {
        let mut errors = FieldErrors::default();
        errors.push("quantity", FieldErrorCode::TooLarge, "The total is too large.");
        errors
    };
    let line = |kind, unit_price: Money, units: u32, sign: i64| -> Result<PriceLine, FieldErrors> {
        let amount = unit_price
            .checked_mul(i64::from(units))
            .and_then(|amount| amount.checked_mul(i64::from(quantity)))
            .and_then(|amount| amount.checked_mul(sign))
            .ok_or_else(overflow)?;
        Ok(PriceLine { kind, unit_price, units, quantity, amount })
    };
    let mut lines = vec![line(PriceLineKind::Software, price.price, units, 1)?];
    if let Some(server_fee) = price.server_fee {
        lines.push(line(PriceLineKind::Server, server_fee, units, 1)?);
    }
    if free_units > 0 {
        let per_unit =
            price.server_fee.map_or(Some(price.price), |fee| price.price.checked_add(fee)).ok_or_else(overflow)?;
        lines.push(line(PriceLineKind::YearlyDiscount, per_unit, free_units, -1)?);
    }
    let total = lines
        .iter()
        .try_fold(Money::zero(price.price.currency), |sum, line| sum.checked_add(line.amount))
        .ok_or_else(overflow)?;
    let due_now = if charge == Charge::Upfront { total } else { Money::zero(total.currency) };
    Ok(PriceBreakdown { lines, total, charge, due_now })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::money::Currency;
    use proptest::prelude::*;

    fn yuan(minor: i64) -> Money {
        Money::new(minor, Currency::CNY)
    }

    fn skus() -> Vec<Sku> {
        vec![
            Sku {
                id: 1,
                name: "Standard".into(),
                description: String::new(),
                prices: vec![
                    SkuPrice {
                        billing_mode: BillingMode::YearlyMonthly,
                        price: yuan(10_000),
                        server_fee: Some(yuan(5_000)),
                    },
                    SkuPrice { billing_mode: BillingMode::PayPerUse, price: yuan(30), server_fee: Some(yuan(20)) },
                ],
            },
            Sku {
                id: 2,
                name: "Perpetual".into(),
                description: String::new(),
                prices: vec![SkuPrice { billing_mode: BillingMode::OneOff, price: yuan(99_900), server_fee: None }],
            },
        ]
    }

    fn regions() -> Vec<String> {
        vec!["cn-north-4".into(), "ap-southeast-3".into()]
    }

    fn config(sku_id: i64, billing_mode: BillingMode, duration_months: Option<u32>, quantity: u32) -> Configuration {
        Configuration { sku_id, billing_mode, duration_months, quantity, region: "cn-north-4".into() }
    }

    #[test]
    fn monthly_image_price_is_image_fee_plus_server_fee() {
        let breakdown =
            price_configuration(&skus(), &regions(), &config(1, BillingMode::YearlyMonthly, Some(3), 2)).unwrap();
        assert_eq!(breakdown.lines.len(), 2);
        assert_eq!(breakdown.lines[0].amount, yuan(10_000 * 3 * 2));
        assert_eq!(breakdown.lines[1].kind, PriceLineKind::Server);
        assert_eq!(breakdown.lines[1].amount, yuan(5_000 * 3 * 2));
        assert_eq!(breakdown.total, yuan(90_000));
        assert_eq!(breakdown.due_now, breakdown.total);
    }

    #[test]
    fn a_year_costs_ten_months() {
        let year =
            price_configuration(&skus(), &regions(), &config(1, BillingMode::YearlyMonthly, Some(12), 1)).unwrap();
        assert_eq!(year.total, yuan(15_000 * 10));
        assert_eq!(year.lines.last().unwrap().kind, PriceLineKind::YearlyDiscount);
        assert_eq!(year.lines.last().unwrap().amount, yuan(-15_000 * 2));
        let three_years =
            price_configuration(&skus(), &regions(), &config(1, BillingMode::YearlyMonthly, Some(36), 1)).unwrap();
        assert_eq!(three_years.total, yuan(15_000 * 30));
    }

    #[test]
    fn pay_per_use_is_an_hourly_rate_with_nothing_due_now() {
        let hourly = price_configuration(&skus(), &regions(), &config(1, BillingMode::PayPerUse, None, 1)).unwrap();
        assert_eq!(hourly.total, yuan(50));
        assert_eq!(hourly.charge, Charge::Hourly);
        assert_eq!(hourly.due_now, yuan(0));
    }

    #[test]
    fn one_off_multiplies_by_quantity() {
        let breakdown = price_configuration(&skus(), &regions(), &config(2, BillingMode::OneOff, None, 3)).unwrap();
        assert_eq!(breakdown.total, yuan(299_700));
    }

    #[test]
    fn every_bad_choice_is_reported_against_its_field() {
        let bad = Configuration {
            sku_id: 2,
            billing_mode: BillingMode::YearlyMonthly,
            duration_months: Some(10),
            quantity: 0,
            region: "mars-1".into(),
        };
        let errors = price_configuration(&skus(), &regions(), &bad).unwrap_err();
        let fields: Vec<&str> = errors.0.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, vec!["quantity", "region", "billing_mode", "duration_months"]);
        let unknown_sku =
            price_configuration(&skus(), &regions(), &config(9, BillingMode::OneOff, None, 1)).unwrap_err();
        assert_eq!(unknown_sku.0[0].field, "sku_id");
        let missing_duration =
            price_configuration(&skus(), &regions(), &config(1, BillingMode::YearlyMonthly, None, 1)).unwrap_err();
        assert_eq!(missing_duration.0[0].field, "duration_months");
        let stray_duration =
            price_configuration(&skus(), &regions(), &config(2, BillingMode::OneOff, Some(1), 1)).unwrap_err();
        assert_eq!(stray_duration.0[0].field, "duration_months");
    }

    #[test]
    fn absurd_prices_are_an_error_not_an_overflow() {
        let skus = vec![Sku {
            id: 1,
            name: String::new(),
            description: String::new(),
            prices: vec![SkuPrice { billing_mode: BillingMode::OneOff, price: yuan(i64::MAX / 2), server_fee: None }],
        }];
        assert!(price_configuration(&skus, &regions(), &config(1, BillingMode::OneOff, None, 100)).is_err());
    }

    proptest! {
        #[test]
        fn total_is_the_sum_of_the_lines_and_never_negative(
            price in 0i64..10_000_000,
            fee in proptest::option::of(0i64..1_000_000),
            duration_index in 0usize..DURATION_CHOICES_MONTHS.len(),
            quantity in 1u32..=MAX_QUANTITY,
        ) {
            let skus = vec![Sku { id: 1, name: String::new(), description: String::new(), prices: vec![
                SkuPrice { billing_mode: BillingMode::YearlyMonthly, price: yuan(price), server_fee: fee.map(yuan) },
            ]}];
            let duration = DURATION_CHOICES_MONTHS[duration_index];
            let breakdown = price_configuration(&skus, &regions(), &config(1, BillingMode::YearlyMonthly, Some(duration), quantity)).unwrap();
            let sum: i64 = breakdown.lines.iter().map(|line| line.amount.amount_minor).sum();
            prop_assert_eq!(breakdown.total.amount_minor, sum);
            prop_assert!(breakdown.total.amount_minor >= 0);
            // Billed months: full years count ten months.
            let billed = (duration / 12) * BILLED_MONTHS_PER_YEAR + if duration < 12 { duration } else { 0 };
            prop_assert_eq!(breakdown.total.amount_minor, (price + fee.unwrap_or(0)) * i64::from(billed) * i64::from(quantity));
        }

        #[test]
        fn more_items_never_cost_less(price in 0i64..10_000_000, quantity in 1u32..MAX_QUANTITY) {
            let skus = vec![Sku { id: 1, name: String::new(), description: String::new(), prices: vec![
                SkuPrice { billing_mode: BillingMode::OneOff, price: yuan(price), server_fee: None },
            ]}];
            let fewer = price_configuration(&skus, &regions(), &config(1, BillingMode::OneOff, None, quantity)).unwrap();
            let more = price_configuration(&skus, &regions(), &config(1, BillingMode::OneOff, None, quantity + 1)).unwrap();
            prop_assert!(more.total.amount_minor >= fewer.total.amount_minor);
        }

        #[test]
        fn a_year_is_never_dearer_than_twelve_single_months(price in 0i64..10_000_000, fee in 0i64..1_000_000) {
            let skus = vec![Sku { id: 1, name: String::new(), description: String::new(), prices: vec![
                SkuPrice { billing_mode: BillingMode::YearlyMonthly, price: yuan(price), server_fee: Some(yuan(fee)) },
            ]}];
            let month = price_configuration(&skus, &regions(), &config(1, BillingMode::YearlyMonthly, Some(1), 1)).unwrap();
            let year = price_configuration(&skus, &regions(), &config(1, BillingMode::YearlyMonthly, Some(12), 1)).unwrap();
            prop_assert!(year.total.amount_minor <= 12 * month.total.amount_minor);
        }
    }

    #[test]
    fn every_renewal_period_costs_its_billed_months_of_the_monthly_price() {
        let price =
            SkuPrice { billing_mode: BillingMode::YearlyMonthly, price: yuan(19_900), server_fee: Some(yuan(5_000)) };
        for months in crate::lifecycle::RENEWAL_PERIODS_MONTHS {
            let breakdown = price_units(&price, months, 3).unwrap();
            assert_eq!(
                breakdown.total,
                yuan((19_900 + 5_000) * 3 * i64::from(billed_months(months))),
                "{months} months"
            );
            assert_eq!(breakdown.due_now, breakdown.total);
        }
        assert_eq!((billed_months(11), billed_months(12), billed_months(24), billed_months(36)), (11, 10, 20, 30));
    }
}
