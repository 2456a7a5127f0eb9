//! What the demo catalog is made of, before it is written: products, their SKUs and how
//! the built-in demo seller treats them.

use bazaar_core::catalog::{BillingMode, DeliveryMethod};

pub const REGION_CODES: [&str; 5] = ["cn-north-4", "cn-east-3", "ap-southeast-1", "ap-southeast-3", "eu-west-101"];
pub const DAY: i64 = 86_400;

pub struct SkuSpec {
    pub name: String,
    pub description: String,
    /// (billing mode, price, server fee) in minor units.
    pub prices: Vec<(BillingMode, i64, Option<i64>)>,
}

/// How the built-in demo seller treats a product's provisioning requests.
#[derive(Debug, Clone, Copy, PartialEq, Eq, sqlx::Type)]
#[sqlx(type_name = "text", rename_all = "snake_case")]
pub enum DemoBehavior {
    Normal,
    /// Always fails (Stormfront Realtime Analytics): shows cancellation and refund.
    Fail,
    /// Takes a few seconds (Tidewater Data Lake): shows progress.
    Slow,
}

pub struct ProductSpec {
    pub seller: &'static str,
    pub category: &'static str,
    pub name: String,
    pub summary: String,
    pub description: String,
    pub usage_guide: String,
    pub delivery: DeliveryMethod,
    pub tags: String,
    pub regions: Vec<&'static str>,
    pub supervised_days: Option<i64>,
    pub trial_days: Option<i64>,
    pub seller_creates_account: bool,
    pub provisioning_behavior: DemoBehavior,
    pub skus: Vec<SkuSpec>,
    /// (attribute key, value)
    pub attributes: Vec<(&'static str, &'static str)>,
    pub recent_sales: i64,
    pub listed_at: i64,
}
