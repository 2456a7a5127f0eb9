//! The generated part of the demo catalog: plausible products from `catalog_content`'s
//! templates, drawn from a fixed-seed SplitMix64 so every fresh database is the same.

use std::collections::HashSet;

use bazaar_core::catalog::{BillingMode, DeliveryMethod};

use crate::demo::catalog_content::{
    CATEGORIES, CategoryContent, EDITIONS, ProductTemplate, SELLERS, SERVICE_TIERS, SOFTWARE_TIERS,
};
use crate::demo::catalog_spec::{DAY, DemoBehavior, ProductSpec, REGION_CODES, SkuSpec};

/// A small, fast, deterministic random number generator (SplitMix64).
pub struct SplitMix(u64);

impl SplitMix {
    pub fn new(seed: u64) -> SplitMix {
        SplitMix(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..bound`.
    pub fn below(&mut self, bound: u64) -> u64 {
        if bound == 0 { 0 } else { self.next_u64() % bound }
    }

    pub fn between(&mut self, low: i64, high: i64) -> i64 {
        low + self.below((high - low + 1).max(1) as u64) as i64
    }

    /// True with `percent` % probability.
    pub fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }

    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }
}

pub(super) fn usage_guide(delivery: DeliveryMethod, name: &str, seller: &str) -> String {
    match delivery {
        DeliveryMethod::Saas => format!(
            "1. After payment, open Purchased Apps (or Service Supervision for supervised orders) and choose View Resource Details.\n\
             2. Reveal the initial password with the eye icon and sign in at the Management URL with the user name shown.\n\
             3. Change the initial password, then invite your colleagues from the {name} admin console.\n\
             4. If signing in fails or a step is unclear, contact {seller} using the details in Seller Information."
        ),
        DeliveryMethod::Image => format!(
            "1. At checkout, choose the VPC the server joins and set the server's login password; keep it safe.\n\
             2. When the order is ready, find the server address in Resource Details and connect over SSH or Remote Desktop.\n\
             3. Follow the welcome message on first login; {name} is already installed and running.\n\
             4. Questions about the image go to {seller}; the server itself is billed as part of the fee."
        ),
        DeliveryMethod::License => format!(
            "1. After payment, {seller} prepares your licence; follow its progress in Service Supervision.\n\
             2. Download the installer from the link in the delivery note and activate it with the licence key.\n\
             3. Accept the delivery once {name} is activated on your machines."
        ),
        _ => format!(
            "1. After payment, submit your request in Service Supervision using {seller}'s request form.\n\
             2. {seller} reviews the request, agrees the schedule with you and posts progress on the timeline.\n\
             3. When {seller} delivers, check the results and accept the delivery, or reject it with your reasons.\n\
             4. The order completes three hours after you accept."
        ),
    }
}

fn round_price(yuan: i64) -> i64 {
    // Prices end in 9 like real price lists (¥299, ¥1,499); free stays free.
    if yuan <= 0 {
        0
    } else if yuan < 100 {
        (yuan / 10 * 10 + 9) * 100
    } else {
        ((yuan / 100) * 100 + 99) * 100
    }
}

pub(super) fn generated_product(
    random: &mut SplitMix,
    index: usize,
    now: i64,
    names: &mut HashSet<String>,
) -> ProductSpec {
    let (seller, specialty, _) = SELLERS[index % SELLERS.len()];
    let category: &CategoryContent = if random.chance(75) {
        CATEGORIES.iter().find(|category| category.slug == specialty).expect("specialty is a category")
    } else {
        random.pick(CATEGORIES)
    };
    let template = random.pick(category.templates);
    let brand = seller.split_whitespace().next().unwrap_or(seller);
    let name = unique_name(brand, template.noun, names);

    let delivery = template.delivery;
    let services = matches!(delivery, DeliveryMethod::ProfessionalService | DeliveryMethod::Consulting);
    let supervised_days = match delivery {
        DeliveryMethod::ProfessionalService | DeliveryMethod::Consulting => Some(*random.pick(&[60, 90, 120, 180])),
        DeliveryMethod::Saas if random.chance(25) => Some(*random.pick(&[30, 60, 90, 180])),
        DeliveryMethod::License if random.chance(20) => Some(*random.pick(&[30, 60, 90])),
        _ => None,
    };
    // Supervised services are delivered once and have no trial (SPEC §11.3); the dice are
    // still thrown, so that the rest of the generated catalog stays as it was.
    let trial_days = match delivery {
        DeliveryMethod::Saas if random.chance(40) => Some(*random.pick(&[7, 14, 30])),
        DeliveryMethod::Image if random.chance(25) => Some(*random.pick(&[7, 14])),
        _ => None,
    }
    .filter(|_| supervised_days.is_none());
    let mut regions = vec!["cn-north-4"];
    for region in &REGION_CODES[1..] {
        if random.chance(55) {
            regions.push(region);
        }
    }

    let tiers = if services { &SERVICE_TIERS } else { &SOFTWARE_TIERS };
    let sku_count = match random.below(10) {
        0..=2 => 1,
        3..=6 => 2,
        _ => 3,
    };
    let base = random.between(category.base_price_yuan.0, category.base_price_yuan.1);
    let free_image = delivery == DeliveryMethod::Image && category.slug == "images" && random.chance(30);
    let pay_per_use = random.chance(35);
    let subscription_license = random.chance(40);
    let offers = Offers { free_image, pay_per_use, subscription_license };
    let skus = sku_specs(&tiers[..sku_count], base, delivery, offers);

    let attributes = attribute_values(random, category, template);
    let unit = random.unit();
    let support = if services {
        "delivers with certified engineers and a named project lead"
    } else {
        "supports it in Chinese and English during business hours, with urgent issues handled around the clock"
    };
    ProductSpec {
        seller,
        category: category.slug,
        summary: template.summary.to_owned(),
        description: format!("{} {} {seller} {support}.", template.summary, template.detail),
        usage_guide: usage_guide(delivery, &name, seller),
        name,
        delivery,
        tags: format!("{} {}", template.tags, category.slug),
        regions,
        supervised_days,
        trial_days,
        seller_creates_account: delivery == DeliveryMethod::Saas && random.chance(50),
        provisioning_behavior: DemoBehavior::Normal,
        skus,
        attributes,
        recent_sales: (unit * unit * unit * 900.0) as i64,
        listed_at: now - random.between(DAY, 720 * DAY),
    }
}

/// `brand noun`, or with an edition (and a number) when that name is taken; kept in `names`.
fn unique_name(brand: &str, noun: &str, names: &mut HashSet<String>) -> String {
    let mut name = format!("{brand} {noun}");
    let mut attempt = 0;
    while names.contains(&name) {
        let edition = EDITIONS[attempt % EDITIONS.len()];
        name = if attempt < EDITIONS.len() {
            format!("{brand} {noun} {edition}")
        } else {
            format!("{brand} {noun} {edition} {}", attempt / EDITIONS.len() + 1)
        };
        attempt += 1;
    }
    names.insert(name.clone());
    name
}

/// Which billing modes beyond the usual a generated product sells.
#[derive(Clone, Copy)]
struct Offers {
    /// A free image (its software costs nothing; the server still does).
    free_image: bool,
    pay_per_use: bool,
    /// A license also sold by the month.
    subscription_license: bool,
}

/// The SKUs of `tiers` (name, description, price multiplier) for a product of `delivery`
/// whose cheapest tier costs `base` a month.
fn sku_specs(tiers: &[(&str, &str, i64)], base: i64, delivery: DeliveryMethod, offers: Offers) -> Vec<SkuSpec> {
    let Offers { free_image, pay_per_use, subscription_license } = offers;
    tiers
        .iter()
        .map(|(tier, description, multiplier)| {
            let monthly = if free_image { 0 } else { round_price(base * multiplier) };
            let prices = match delivery {
                DeliveryMethod::Saas => {
                    let mut prices = vec![(BillingMode::YearlyMonthly, monthly, None)];
                    if pay_per_use {
                        prices.push((BillingMode::PayPerUse, (monthly / 500).max(1), None));
                    }
                    prices
                }
                DeliveryMethod::Image => {
                    let server_fee = round_price(120 * multiplier);
                    vec![
                        (BillingMode::YearlyMonthly, monthly, Some(server_fee)),
                        (BillingMode::PayPerUse, monthly / 600, Some((server_fee / 600).max(1))),
                    ]
                }
                DeliveryMethod::License => {
                    let mut prices = vec![(BillingMode::OneOff, monthly * 12, None)];
                    if subscription_license {
                        prices.push((BillingMode::YearlyMonthly, monthly, None));
                    }
                    prices
                }
                _ => vec![(BillingMode::OneOff, round_price(base * multiplier), None)],
            };
            SkuSpec { name: (*tier).to_owned(), description: (*description).to_owned(), prices }
        })
        .collect()
}

/// One or two values of each of the category's fields, from those the template allows.
fn attribute_values(
    random: &mut SplitMix,
    category: &CategoryContent,
    template: &ProductTemplate,
) -> Vec<(&'static str, &'static str)> {
    let mut attributes = Vec::new();
    for ((key, _, _, _), allowed) in category.attributes.iter().zip(template.attribute_values.iter()) {
        let first = *random.pick(allowed);
        attributes.push((*key, first));
        if allowed.len() > 1 && random.chance(35) {
            let second = *random.pick(allowed);
            if second != first {
                attributes.push((*key, second));
            }
        }
    }
    attributes
}

pub(super) fn software_skus(prices: &[(BillingMode, i64, Option<i64>)], tiers: usize) -> Vec<SkuSpec> {
    SOFTWARE_TIERS[..tiers]
        .iter()
        .map(|(tier, description, multiplier)| SkuSpec {
            name: (*tier).to_owned(),
            description: (*description).to_owned(),
            prices: prices.iter().map(|(mode, price, fee)| (*mode, price * multiplier, *fee)).collect(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generation_is_deterministic_and_names_are_unique() {
        let mut first_names = HashSet::new();
        let mut second_names = HashSet::new();
        let mut first = SplitMix::new(7);
        let mut second = SplitMix::new(7);
        for index in 0..500 {
            let a = generated_product(&mut first, index, 1_000_000_000, &mut first_names);
            let b = generated_product(&mut second, index, 1_000_000_000, &mut second_names);
            assert_eq!(a.name, b.name);
            assert_eq!(a.skus.len(), b.skus.len());
            assert!(!a.skus.is_empty());
        }
        assert_eq!(first_names.len(), 500, "names are unique");
    }

    #[test]
    fn prices_end_in_nine() {
        assert_eq!(round_price(0), 0);
        assert_eq!(round_price(49), 4_900);
        assert_eq!(round_price(1_234), 129_900);
    }
}
