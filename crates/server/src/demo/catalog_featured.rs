//! The hand-written demo products that the README, demos and end-to-end tests name: one
//! per kind of purchase, and the ones whose demo seller fails or is slow.

use bazaar_core::catalog::{BillingMode, DeliveryMethod};

use crate::demo::catalog_generator::{software_skus, usage_guide};
use crate::demo::catalog_spec::{DAY, DemoBehavior, ProductSpec, REGION_CODES, SkuSpec};

/// Hand-written products that the README, demos and end-to-end tests refer to by name.
pub fn featured_products(now: i64) -> Vec<ProductSpec> {
    let mut products = saas(now);
    products.extend(image_service_and_license(now));
    products.extend(failing_slow_and_supervised(now));
    products
}

/// The SaaS products of the README's walk: a CRM with a trial and pay-per-use, and a
/// supervised firewall service.
fn saas(now: i64) -> Vec<ProductSpec> {
    let all_regions = REGION_CODES.to_vec();
    vec![
        ProductSpec {
            seller: "Northwind Data Systems",
            category: "business",
            name: "Northwind CRM Cloud".into(),
            summary: "A CRM for growing sales teams: leads, deals, quotes and email in one place.".into(),
            description: "Northwind CRM Cloud keeps every customer conversation, deal and quote together. Pipelines are configurable per team, quotes are generated from your price lists, and email and calendar sync keep the record complete without extra typing. Managers see forecasts and win rates by person and region.".into(),
            usage_guide: usage_guide(DeliveryMethod::Saas, "Northwind CRM Cloud", "Northwind Data Systems"),
            delivery: DeliveryMethod::Saas,
            tags: "crm sales leads pipeline customers business".into(),
            regions: all_regions.clone(),
            supervised_days: None,
            trial_days: Some(14),
            seller_creates_account: true,
            provisioning_behavior: DemoBehavior::Normal,
            skus: software_skus(&[(BillingMode::YearlyMonthly, 19_900, None), (BillingMode::PayPerUse, 40, None)], 3),
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
            usage_guide: usage_guide(DeliveryMethod::Saas, "BluePeak Web Application Firewall", "BluePeak Security"),
            delivery: DeliveryMethod::Saas,
            tags: "waf firewall owasp bot-protection security".into(),
            regions: all_regions.clone(),
            supervised_days: Some(90),
            trial_days: None,
            seller_creates_account: true,
            provisioning_behavior: DemoBehavior::Normal,
            skus: software_skus(&[(BillingMode::YearlyMonthly, 89_900, None)], 2),
            attributes: vec![("deployment", "cloud_hosted"), ("compliance", "iso27001"), ("compliance", "mlps")],
            recent_sales: 720,
            listed_at: now - 90 * DAY,
        },
    ]
}

/// One of each other kind of purchase: a server image, a professional service, a
/// perpetual license.
fn image_service_and_license(now: i64) -> Vec<ProductSpec> {
    let all_regions = REGION_CODES.to_vec();
    vec![
        ProductSpec {
            seller: "BluePeak Security",
            category: "images",
            name: "BluePeak Hardened Ubuntu 22.04".into(),
            summary: "Ubuntu 22.04 hardened to CIS Level 1, with audit logging and automatic security updates.".into(),
            description: "A minimal Ubuntu 22.04 server image hardened to the CIS Level 1 benchmark: unused services removed, SSH key and password policies enforced, auditd and log forwarding configured, and unattended security updates on. The fee covers the image and the cloud server it runs on.".into(),
            usage_guide: usage_guide(DeliveryMethod::Image, "BluePeak Hardened Ubuntu 22.04", "BluePeak Security"),
            delivery: DeliveryMethod::Image,
            tags: "ubuntu hardened cis linux os images".into(),
            regions: all_regions.clone(),
            supervised_days: None,
            trial_days: Some(7),
            seller_creates_account: false,
            provisioning_behavior: DemoBehavior::Normal,
            skus: vec![
                SkuSpec {
                    name: "2 vCPUs, 4 GiB".into(),
                    description: "For small web and application servers.".into(),
                    prices: vec![(BillingMode::YearlyMonthly, 4_900, Some(18_000)), (BillingMode::PayPerUse, 10, Some(35))],
                },
                SkuSpec {
                    name: "4 vCPUs, 16 GiB".into(),
                    description: "For databases and busy application servers.".into(),
                    prices: vec![(BillingMode::YearlyMonthly, 9_900, Some(52_000)), (BillingMode::PayPerUse, 20, Some(95))],
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
            usage_guide: usage_guide(DeliveryMethod::ProfessionalService, "Northwind PostgreSQL Migration Service", "Northwind Data Systems"),
            delivery: DeliveryMethod::ProfessionalService,
            tags: "migration postgresql database dba services".into(),
            regions: vec!["cn-north-4", "cn-east-3", "ap-southeast-3"],
            supervised_days: Some(120),
            trial_days: None,
            seller_creates_account: false,
            provisioning_behavior: DemoBehavior::Normal,
            skus: vec![
                SkuSpec { name: "Up to 3 databases".into(), description: "Up to 500 GB in total, remote delivery.".into(), prices: vec![(BillingMode::OneOff, 800_000, None)] },
                SkuSpec { name: "Up to 10 databases".into(), description: "Up to 5 TB in total, with an on-site cut-over.".into(), prices: vec![(BillingMode::OneOff, 2_400_000, None)] },
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
            usage_guide: usage_guide(DeliveryMethod::License, "BluePeak Endpoint Protection License", "BluePeak Security"),
            delivery: DeliveryMethod::License,
            tags: "endpoint antivirus edr ransomware license security".into(),
            regions: all_regions.clone(),
            supervised_days: Some(60),
            trial_days: None,
            seller_creates_account: false,
            provisioning_behavior: DemoBehavior::Normal,
            skus: vec![
                SkuSpec { name: "25 devices".into(), description: "Perpetual licence for 25 endpoints.".into(), prices: vec![(BillingMode::OneOff, 360_000, None)] },
                SkuSpec { name: "100 devices".into(), description: "Perpetual licence for 100 endpoints.".into(), prices: vec![(BillingMode::OneOff, 1_200_000, None)] },
            ],
            attributes: vec![("deployment", "on_premises"), ("compliance", "iso27001")],
            recent_sales: 205,
            listed_at: now - 45 * DAY,
        },
    ]
}

/// The products whose demo seller fails or is slow to set them up, and a supervised SaaS
/// with a short service period.
fn failing_slow_and_supervised(now: i64) -> Vec<ProductSpec> {
    vec![
        ProductSpec {
            seller: "Stormfront Analytics",
            category: "ai-data",
            name: "Stormfront Realtime Analytics".into(),
            summary: "Streaming dashboards over Kafka topics (demo: its seller's provisioning always fails).".into(),
            description: "Stormfront Realtime Analytics turns event streams into live dashboards. In this demo its seller's provisioning endpoint always answers with an error, so buying it shows how Bazaar cancels and refunds an order that cannot be provisioned.".into(),
            usage_guide: usage_guide(DeliveryMethod::Saas, "Stormfront Realtime Analytics", "Stormfront Analytics"),
            delivery: DeliveryMethod::Saas,
            tags: "streaming kafka dashboards analytics bi".into(),
            regions: vec!["cn-north-4", "cn-east-3"],
            supervised_days: None,
            trial_days: None,
            seller_creates_account: false,
            provisioning_behavior: DemoBehavior::Fail,
            skus: software_skus(&[(BillingMode::YearlyMonthly, 29_900, None)], 1),
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
            usage_guide: usage_guide(DeliveryMethod::Saas, "Tidewater Data Lake", "Tidewater Cloud"),
            delivery: DeliveryMethod::Saas,
            tags: "data-lake sql etl object-storage analytics".into(),
            regions: vec!["cn-north-4", "ap-southeast-3"],
            supervised_days: None,
            trial_days: Some(30),
            seller_creates_account: false,
            provisioning_behavior: DemoBehavior::Slow,
            skus: software_skus(&[(BillingMode::YearlyMonthly, 49_900, None)], 2),
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
            usage_guide: usage_guide(DeliveryMethod::Saas, "Northwind SQL Audit Console", "Northwind Data Systems"),
            delivery: DeliveryMethod::Saas,
            tags: "sql audit compliance dba databases".into(),
            regions: vec!["cn-north-4", "cn-east-3"],
            supervised_days: Some(20),
            trial_days: None,
            seller_creates_account: false,
            provisioning_behavior: DemoBehavior::Normal,
            skus: software_skus(&[(BillingMode::YearlyMonthly, 39_900, None)], 1),
            attributes: vec![("engine", "mysql"), ("engine", "postgresql"), ("availability", "primary_standby")],
            recent_sales: 95,
            listed_at: now - 30 * DAY,
        },
    ]
}
