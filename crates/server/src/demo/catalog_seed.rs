//! Builds the demo catalog from `catalog_content`: categories, sellers, a few hand-written
//! products that demos and end-to-end tests rely on, and generated products. Generation is
//! deterministic (a fixed-seed SplitMix64), so every fresh database has the same catalog.

use std::collections::{HashMap, HashSet};

use sqlx::{Sqlite, Transaction};

use crate::demo::catalog_content::{CATEGORIES, CategoryContent, EDITIONS, SELLERS, SERVICE_TIERS, SOFTWARE_TIERS};
use crate::demo::seed::ensure_seller;
use crate::error::ApiResult;

/// How many generated products a demo database gets (besides the hand-written ones).
pub const DEMO_GENERATED_PRODUCTS: usize = 320;

const REGION_CODES: [&str; 5] = ["cn-north-4", "cn-east-3", "ap-southeast-1", "ap-southeast-3", "eu-west-101"];
const DAY: i64 = 86_400;

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

struct Ids {
    category: HashMap<&'static str, i64>,
    /// (category slug, attribute key) → attribute id
    attribute: HashMap<(&'static str, &'static str), i64>,
    seller: HashMap<&'static str, i64>,
}

pub struct SkuSpec {
    pub name: String,
    pub description: String,
    /// (billing mode, price, server fee) in minor units.
    pub prices: Vec<(&'static str, i64, Option<i64>)>,
}

pub struct ProductSpec {
    pub seller: &'static str,
    pub category: &'static str,
    pub name: String,
    pub summary: String,
    pub description: String,
    pub usage_guide: String,
    pub delivery: &'static str,
    pub tags: String,
    pub regions: Vec<&'static str>,
    pub supervised_days: Option<i64>,
    pub trial_days: Option<i64>,
    pub seller_creates_account: bool,
    pub provisioning_behavior: &'static str,
    pub skus: Vec<SkuSpec>,
    /// (attribute key, value)
    pub attributes: Vec<(&'static str, &'static str)>,
    pub recent_sales: i64,
    pub listed_at: i64,
}

/// Seeds categories, sellers and the demo products when the catalog is empty.
pub async fn seed_catalog_if_empty(db: &sqlx::SqlitePool, now: i64) -> ApiResult<bool> {
    let products: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM products").fetch_one(db).await?;
    if products > 0 {
        return Ok(false);
    }
    let mut transaction = db.begin().await?;
    let ids = insert_taxonomy(&mut transaction, now).await?;
    // Generated names must not repeat a hand-written product's name either.
    let mut names: HashSet<String> = HashSet::new();
    for product in featured_products(now) {
        insert_product(&mut transaction, &ids, &product).await?;
        names.insert(product.name);
    }
    let mut random = SplitMix::new(2026);
    for index in 0..DEMO_GENERATED_PRODUCTS {
        let product = generated_product(&mut random, index, now, &mut names);
        insert_product(&mut transaction, &ids, &product).await?;
    }
    transaction.commit().await?;
    tracing::info!(products = DEMO_GENERATED_PRODUCTS + featured_products(now).len(), "seeded demo catalog");
    Ok(true)
}

/// Adds `count` generated products (for benchmarks), in batches of 5,000 per transaction.
pub async fn generate_products(db: &sqlx::SqlitePool, count: usize, now: i64) -> ApiResult<()> {
    let mut transaction = db.begin().await?;
    let ids = insert_taxonomy(&mut transaction, now).await?;
    transaction.commit().await?;
    let mut names: HashSet<String> = HashSet::new();
    let mut random = SplitMix::new(0xB16_CA7A);
    let mut done = 0;
    while done < count {
        let batch = (count - done).min(5_000);
        let mut transaction = db.begin().await?;
        for index in done..done + batch {
            let product = generated_product(&mut random, index, now, &mut names);
            insert_product(&mut transaction, &ids, &product).await?;
        }
        transaction.commit().await?;
        done += batch;
        tracing::info!(done, count, "generated products");
    }
    Ok(())
}

/// Categories, their filter fields and values, and the seller organisations; returns ids.
/// Idempotent: existing rows are reused.
async fn insert_taxonomy(transaction: &mut Transaction<'_, Sqlite>, now: i64) -> ApiResult<Ids> {
    let mut ids = Ids { category: HashMap::new(), attribute: HashMap::new(), seller: HashMap::new() };
    for (position, category) in CATEGORIES.iter().enumerate() {
        sqlx::query(
            "INSERT INTO categories (slug, name_en, name_zh, description_en, description_zh, position)
             VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (slug) DO NOTHING",
        )
        .bind(category.slug)
        .bind(category.name.0)
        .bind(category.name.1)
        .bind(category.description.0)
        .bind(category.description.1)
        .bind(position as i64)
        .execute(&mut **transaction)
        .await?;
        let category_id: i64 = sqlx::query_scalar("SELECT id FROM categories WHERE slug = ?")
            .bind(category.slug)
            .fetch_one(&mut **transaction)
            .await?;
        ids.category.insert(category.slug, category_id);
        for (attribute_position, (key, name_en, name_zh, values)) in category.attributes.iter().enumerate() {
            sqlx::query(
                "INSERT INTO category_attributes (category_id, key, name_en, name_zh, position)
                 VALUES (?, ?, ?, ?, ?) ON CONFLICT (category_id, key) DO NOTHING",
            )
            .bind(category_id)
            .bind(key)
            .bind(name_en)
            .bind(name_zh)
            .bind(attribute_position as i64)
            .execute(&mut **transaction)
            .await?;
            let attribute_id: i64 =
                sqlx::query_scalar("SELECT id FROM category_attributes WHERE category_id = ? AND key = ?")
                    .bind(category_id)
                    .bind(key)
                    .fetch_one(&mut **transaction)
                    .await?;
            ids.attribute.insert((category.slug, key), attribute_id);
            for (value_position, (value, label_en, label_zh)) in values.iter().enumerate() {
                sqlx::query(
                    "INSERT INTO category_attribute_values (attribute_id, value, label_en, label_zh, position)
                     VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
                )
                .bind(attribute_id)
                .bind(value)
                .bind(label_en)
                .bind(label_zh)
                .bind(value_position as i64)
                .execute(&mut **transaction)
                .await?;
            }
        }
    }
    for (name, _, phone) in SELLERS {
        let id = ensure_seller(transaction, name, now).await?;
        sqlx::query("UPDATE sellers SET phone = ? WHERE id = ?")
            .bind(phone)
            .bind(id)
            .execute(&mut **transaction)
            .await?;
        ids.seller.insert(name, id);
    }
    Ok(ids)
}

async fn insert_product(transaction: &mut Transaction<'_, Sqlite>, ids: &Ids, product: &ProductSpec) -> ApiResult<i64> {
    let (price_from, price_from_mode) = product
        .skus
        .iter()
        .flat_map(|sku| sku.prices.iter())
        .map(|(mode, price, fee)| (price + fee.unwrap_or(0), *mode))
        .min_by_key(|(price, _)| *price)
        .expect("every product has a price");
    let seller_id = ids.seller[product.seller];
    let product_id: i64 = sqlx::query_scalar(
        "INSERT INTO products (seller_id, category_id, name, summary, description, usage_guide, delivery_method,
                               tags, regions, supervised, service_period_days, trial_days, seller_creates_account,
                               provisioning_behavior, currency, price_from_minor, price_from_mode, recent_sales, listed_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'CNY', ?, ?, ?, ?) RETURNING id",
    )
    .bind(seller_id)
    .bind(ids.category[product.category])
    .bind(&product.name)
    .bind(&product.summary)
    .bind(&product.description)
    .bind(&product.usage_guide)
    .bind(product.delivery)
    .bind(&product.tags)
    .bind(product.regions.join(","))
    .bind(product.supervised_days.is_some())
    .bind(product.supervised_days)
    .bind(product.trial_days)
    .bind(product.seller_creates_account)
    .bind(product.provisioning_behavior)
    .bind(price_from)
    .bind(price_from_mode)
    .bind(product.recent_sales)
    .bind(product.listed_at)
    .fetch_one(&mut **transaction)
    .await?;
    for (position, sku) in product.skus.iter().enumerate() {
        let sku_id: i64 = sqlx::query_scalar(
            "INSERT INTO skus (product_id, name, description, position) VALUES (?, ?, ?, ?) RETURNING id",
        )
        .bind(product_id)
        .bind(&sku.name)
        .bind(&sku.description)
        .bind(position as i64)
        .fetch_one(&mut **transaction)
        .await?;
        for (mode, price, fee) in &sku.prices {
            sqlx::query(
                "INSERT INTO sku_prices (sku_id, billing_mode, price_minor, server_fee_minor) VALUES (?, ?, ?, ?)",
            )
            .bind(sku_id)
            .bind(mode)
            .bind(price)
            .bind(fee)
            .execute(&mut **transaction)
            .await?;
        }
    }
    for (key, value) in &product.attributes {
        sqlx::query(
            "INSERT OR IGNORE INTO product_attribute_values (product_id, attribute_id, value) VALUES (?, ?, ?)",
        )
        .bind(product_id)
        .bind(ids.attribute[&(product.category, *key)])
        .bind(value)
        .execute(&mut **transaction)
        .await?;
    }
    sqlx::query("INSERT INTO products_fts (rowid, name, summary, seller, tags) VALUES (?, ?, ?, ?, ?)")
        .bind(product_id)
        .bind(&product.name)
        .bind(&product.summary)
        .bind(product.seller)
        .bind(&product.tags)
        .execute(&mut **transaction)
        .await?;
    Ok(product_id)
}

fn usage_guide(delivery: &str, name: &str, seller: &str) -> String {
    match delivery {
        "saas" => format!(
            "1. After payment, open Purchased Apps (or Service Supervision for supervised orders) and choose View Resource Details.\n\
             2. Reveal the initial password with the eye icon and sign in at the Management URL with the user name shown.\n\
             3. Change the initial password, then invite your colleagues from the {name} admin console.\n\
             4. If signing in fails or a step is unclear, contact {seller} using the details in Seller Information."
        ),
        "image" => format!(
            "1. At checkout, choose the VPC the server joins and set the server's login password; keep it safe.\n\
             2. When the order is ready, find the server address in Resource Details and connect over SSH or Remote Desktop.\n\
             3. Follow the welcome message on first login; {name} is already installed and running.\n\
             4. Questions about the image go to {seller}; the server itself is billed as part of the fee."
        ),
        "license" => format!(
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

fn generated_product(random: &mut SplitMix, index: usize, now: i64, names: &mut HashSet<String>) -> ProductSpec {
    let (seller, specialty, _) = SELLERS[index % SELLERS.len()];
    let category: &CategoryContent = if random.chance(75) {
        CATEGORIES.iter().find(|category| category.slug == specialty).expect("specialty is a category")
    } else {
        random.pick(CATEGORIES)
    };
    let template = random.pick(category.templates);
    let brand = seller.split_whitespace().next().unwrap_or(seller);
    let mut name = format!("{brand} {}", template.noun);
    let mut attempt = 0;
    while names.contains(&name) {
        let edition = EDITIONS[attempt % EDITIONS.len()];
        name = if attempt < EDITIONS.len() {
            format!("{brand} {} {edition}", template.noun)
        } else {
            format!("{brand} {} {edition} {}", template.noun, attempt / EDITIONS.len() + 1)
        };
        attempt += 1;
    }
    names.insert(name.clone());

    let delivery = template.delivery;
    let services = matches!(delivery, "professional_service" | "consulting");
    let supervised_days = match delivery {
        "professional_service" | "consulting" => Some(*random.pick(&[60, 90, 120, 180])),
        "saas" if random.chance(25) => Some(*random.pick(&[30, 60, 90, 180])),
        "license" if random.chance(20) => Some(*random.pick(&[30, 60, 90])),
        _ => None,
    };
    let trial_days = match delivery {
        "saas" if random.chance(40) => Some(*random.pick(&[7, 14, 30])),
        "image" if random.chance(25) => Some(*random.pick(&[7, 14])),
        _ => None,
    };
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
    let free_image = delivery == "image" && category.slug == "images" && random.chance(30);
    let pay_per_use = random.chance(35);
    let subscription_license = random.chance(40);
    let skus = tiers[..sku_count]
        .iter()
        .map(|(tier, description, multiplier)| {
            let monthly = if free_image { 0 } else { round_price(base * multiplier) };
            let prices = match delivery {
                "saas" => {
                    let mut prices = vec![("yearly_monthly", monthly, None)];
                    if pay_per_use {
                        prices.push(("pay_per_use", (monthly / 500).max(1), None));
                    }
                    prices
                }
                "image" => {
                    let server_fee = round_price(120 * multiplier);
                    vec![
                        ("yearly_monthly", monthly, Some(server_fee)),
                        ("pay_per_use", monthly / 600, Some((server_fee / 600).max(1))),
                    ]
                }
                "license" => {
                    let mut prices = vec![("one_off", monthly * 12, None)];
                    if subscription_license {
                        prices.push(("yearly_monthly", monthly, None));
                    }
                    prices
                }
                _ => vec![("one_off", round_price(base * multiplier), None)],
            };
            SkuSpec { name: (*tier).to_owned(), description: (*description).to_owned(), prices }
        })
        .collect();

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
        seller_creates_account: delivery == "saas" && random.chance(50),
        provisioning_behavior: "normal",
        skus,
        attributes,
        recent_sales: (unit * unit * unit * 900.0) as i64,
        listed_at: now - random.between(DAY, 720 * DAY),
    }
}

fn software_skus(prices: &[(&'static str, i64, Option<i64>)], tiers: usize) -> Vec<SkuSpec> {
    SOFTWARE_TIERS[..tiers]
        .iter()
        .map(|(tier, description, multiplier)| SkuSpec {
            name: (*tier).to_owned(),
            description: (*description).to_owned(),
            prices: prices.iter().map(|(mode, price, fee)| (*mode, price * multiplier, *fee)).collect(),
        })
        .collect()
}

/// Hand-written products that the README, demos and end-to-end tests refer to by name.
pub fn featured_products(now: i64) -> Vec<ProductSpec> {
    let all_regions = REGION_CODES.to_vec();
    vec![
        ProductSpec {
            seller: "Northwind Data Systems",
            category: "business",
            name: "Northwind CRM Cloud".into(),
            summary: "A CRM for growing sales teams: leads, deals, quotes and email in one place.".into(),
            description: "Northwind CRM Cloud keeps every customer conversation, deal and quote together. Pipelines are configurable per team, quotes are generated from your price lists, and email and calendar sync keep the record complete without extra typing. Managers see forecasts and win rates by person and region.".into(),
            usage_guide: usage_guide("saas", "Northwind CRM Cloud", "Northwind Data Systems"),
            delivery: "saas",
            tags: "crm sales leads pipeline customers business".into(),
            regions: all_regions.clone(),
            supervised_days: None,
            trial_days: Some(14),
            seller_creates_account: true,
            provisioning_behavior: "normal",
            skus: software_skus(&[("yearly_monthly", 19_900, None), ("pay_per_use", 40, None)], 3),
            attributes: vec![("function", "crm")],
            recent_sales: 960,
            listed_at: now - 200 * DAY,
        },
        ProductSpec {
            seller: "BluePeak Security",
            category: "security",
            name: "BluePeak Web Application Firewall".into(),
            summary: "Managed WAF with bot protection, tuned for you by BluePeak's security engineers.".into(),
            description: "BluePeak's engineers onboard your domains, tune the rules to your applications during a supervised service period, and hand over a protected, quiet configuration. The WAF blocks the OWASP Top 10, credential stuffing and scraping bots, and its dashboards show every blocked attack.".into(),
            usage_guide: usage_guide("saas", "BluePeak Web Application Firewall", "BluePeak Security"),
            delivery: "saas",
            tags: "waf firewall owasp bot-protection security".into(),
            regions: all_regions.clone(),
            supervised_days: Some(90),
            trial_days: None,
            seller_creates_account: true,
            provisioning_behavior: "normal",
            skus: software_skus(&[("yearly_monthly", 89_900, None)], 2),
            attributes: vec![("deployment", "cloud_hosted"), ("compliance", "iso27001"), ("compliance", "mlps")],
            recent_sales: 720,
            listed_at: now - 90 * DAY,
        },
        ProductSpec {
            seller: "BluePeak Security",
            category: "images",
            name: "BluePeak Hardened Ubuntu 22.04".into(),
            summary: "Ubuntu 22.04 hardened to CIS Level 1, with audit logging and automatic security updates.".into(),
            description: "A minimal Ubuntu 22.04 server image hardened to the CIS Level 1 benchmark: unused services removed, SSH key and password policies enforced, auditd and log forwarding configured, and unattended security updates on. The fee covers the image and the cloud server it runs on.".into(),
            usage_guide: usage_guide("image", "BluePeak Hardened Ubuntu 22.04", "BluePeak Security"),
            delivery: "image",
            tags: "ubuntu hardened cis linux os images".into(),
            regions: all_regions.clone(),
            supervised_days: None,
            trial_days: Some(7),
            seller_creates_account: false,
            provisioning_behavior: "normal",
            skus: vec![
                SkuSpec {
                    name: "2 vCPUs, 4 GiB".into(),
                    description: "For small web and application servers.".into(),
                    prices: vec![("yearly_monthly", 4_900, Some(18_000)), ("pay_per_use", 10, Some(35))],
                },
                SkuSpec {
                    name: "4 vCPUs, 16 GiB".into(),
                    description: "For databases and busy application servers.".into(),
                    prices: vec![("yearly_monthly", 9_900, Some(52_000)), ("pay_per_use", 20, Some(95))],
                },
            ],
            attributes: vec![("operating_system", "ubuntu_2204"), ("architecture", "x86_64"), ("architecture", "arm64")],
            recent_sales: 840,
            listed_at: now - 150 * DAY,
        },
        ProductSpec {
            seller: "Northwind Data Systems",
            category: "services",
            name: "Northwind PostgreSQL Migration Service".into(),
            summary: "Certified DBAs move your databases to managed PostgreSQL with a tested cut-over.".into(),
            description: "Northwind's DBAs assess your current databases, convert schemas and stored procedures, replicate data continuously and rehearse the cut-over with you. You accept the delivery only when the migrated system passes your checks.".into(),
            usage_guide: usage_guide("professional_service", "Northwind PostgreSQL Migration Service", "Northwind Data Systems"),
            delivery: "professional_service",
            tags: "migration postgresql database dba services".into(),
            regions: vec!["cn-north-4", "cn-east-3", "ap-southeast-3"],
            supervised_days: Some(120),
            trial_days: None,
            seller_creates_account: false,
            provisioning_behavior: "normal",
            skus: vec![
                SkuSpec { name: "Up to 3 databases".into(), description: "Up to 500 GB in total, remote delivery.".into(), prices: vec![("one_off", 800_000, None)] },
                SkuSpec { name: "Up to 10 databases".into(), description: "Up to 5 TB in total, with an on-site cut-over.".into(), prices: vec![("one_off", 2_400_000, None)] },
            ],
            attributes: vec![("service_type", "migration"), ("engagement", "remote"), ("engagement", "on_site")],
            recent_sales: 310,
            listed_at: now - 60 * DAY,
        },
        ProductSpec {
            seller: "BluePeak Security",
            category: "security",
            name: "BluePeak Endpoint Protection License".into(),
            summary: "Perpetual endpoint protection licences, activated for you by BluePeak.".into(),
            description: "Antivirus, ransomware rollback and device control for Windows and Linux machines. BluePeak prepares your licence file and activation keys, and confirms activation with you before the delivery is complete.".into(),
            usage_guide: usage_guide("license", "BluePeak Endpoint Protection License", "BluePeak Security"),
            delivery: "license",
            tags: "endpoint antivirus edr ransomware license security".into(),
            regions: all_regions.clone(),
            supervised_days: Some(60),
            trial_days: None,
            seller_creates_account: false,
            provisioning_behavior: "normal",
            skus: vec![
                SkuSpec { name: "25 devices".into(), description: "Perpetual licence for 25 endpoints.".into(), prices: vec![("one_off", 360_000, None)] },
                SkuSpec { name: "100 devices".into(), description: "Perpetual licence for 100 endpoints.".into(), prices: vec![("one_off", 1_200_000, None)] },
            ],
            attributes: vec![("deployment", "on_premises"), ("compliance", "iso27001")],
            recent_sales: 205,
            listed_at: now - 45 * DAY,
        },
        ProductSpec {
            seller: "Stormfront Analytics",
            category: "ai-data",
            name: "Stormfront Realtime Analytics".into(),
            summary: "Streaming dashboards over Kafka topics (demo: its seller's provisioning always fails).".into(),
            description: "Stormfront Realtime Analytics turns event streams into live dashboards. In this demo its seller's provisioning endpoint always answers with an error, so buying it shows how Bazaar cancels and refunds an order that cannot be provisioned.".into(),
            usage_guide: usage_guide("saas", "Stormfront Realtime Analytics", "Stormfront Analytics"),
            delivery: "saas",
            tags: "streaming kafka dashboards analytics bi".into(),
            regions: vec!["cn-north-4", "cn-east-3"],
            supervised_days: None,
            trial_days: None,
            seller_creates_account: false,
            provisioning_behavior: "fail",
            skus: software_skus(&[("yearly_monthly", 29_900, None)], 1),
            attributes: vec![("workload", "bi")],
            recent_sales: 40,
            listed_at: now - 20 * DAY,
        },
        ProductSpec {
            seller: "Tidewater Cloud",
            category: "ai-data",
            name: "Tidewater Data Lake".into(),
            summary: "A managed data lake with SQL over object storage (demo: provisioning is slow).".into(),
            description: "Tidewater Data Lake catalogues files in object storage and lets analysts query them with SQL. In this demo its seller's provisioning takes several seconds, so you can watch an order move from paid to provisioning to ready.".into(),
            usage_guide: usage_guide("saas", "Tidewater Data Lake", "Tidewater Cloud"),
            delivery: "saas",
            tags: "data-lake sql etl object-storage analytics".into(),
            regions: vec!["cn-north-4", "ap-southeast-3"],
            supervised_days: None,
            trial_days: Some(30),
            seller_creates_account: false,
            provisioning_behavior: "slow",
            skus: software_skus(&[("yearly_monthly", 49_900, None)], 2),
            attributes: vec![("workload", "etl"), ("workload", "bi")],
            recent_sales: 150,
            listed_at: now - 10 * DAY,
        },
        ProductSpec {
            seller: "Northwind Data Systems",
            category: "databases",
            name: "Northwind SQL Audit Console".into(),
            summary: "Records and reviews every SQL statement on production databases; set up with you in 20 days.".into(),
            description: "Northwind installs the audit console, connects your databases and agrees approval rules with your DBAs within a 20-day supervised service period. Because the period is short, the whole flow is inside the last 15 days before planned completion, when appeals are no longer possible.".into(),
            usage_guide: usage_guide("saas", "Northwind SQL Audit Console", "Northwind Data Systems"),
            delivery: "saas",
            tags: "sql audit compliance dba databases".into(),
            regions: vec!["cn-north-4", "cn-east-3"],
            supervised_days: Some(20),
            trial_days: None,
            seller_creates_account: false,
            provisioning_behavior: "normal",
            skus: software_skus(&[("yearly_monthly", 39_900, None)], 1),
            attributes: vec![("engine", "mysql"), ("engine", "postgresql"), ("availability", "primary_standby")],
            recent_sales: 95,
            listed_at: now - 30 * DAY,
        },
    ]
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
