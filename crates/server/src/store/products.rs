//! A product's rows beyond the in-memory catalog: its detail, seller and category
//! (`products`, `sellers`, `categories`), SKUs and prices (`skus`, `sku_prices`), and its
//! category fields (`product_attribute_values`).

use bazaar_core::catalog::BillingMode;
use bazaar_core::ids::{AccountId, ProductId};
use bazaar_core::money::Currency;

use crate::infra::db::{self, Database};

#[derive(Debug, sqlx::FromRow)]
pub struct ProductRow {
    pub description: String,
    pub usage_guide: String,
    pub regions: String,
    pub service_period_days: Option<i64>,
    pub trial_days: Option<i64>,
    pub seller_creates_account: bool,
    pub currency: Currency,
    pub seller_id: i64,
    pub seller_name: String,
    pub seller_email: String,
    pub seller_phone: String,
    pub seller_support_hours: String,
    pub category_en: String,
    pub category_zh: String,
}

pub async fn product(db: &Database, product_id: ProductId) -> Result<ProductRow, sqlx::Error> {
    db::query_as(
        "SELECT p.description, p.usage_guide, p.regions, p.service_period_days, p.trial_days,
                p.seller_creates_account, p.currency, s.id AS seller_id, s.name AS seller_name,
                s.email AS seller_email, s.phone AS seller_phone, s.support_hours AS seller_support_hours,
                c.name_en AS category_en, c.name_zh AS category_zh
         FROM products p JOIN sellers s ON s.id = p.seller_id JOIN categories c ON c.id = p.category_id
         WHERE p.id = $1",
    )
    .bind(product_id)
    .fetch_one(db)
    .await
}

/// One SKU with one of its prices (none for a SKU without prices yet).
#[derive(Debug, sqlx::FromRow)]
pub struct SkuPriceRow {
    pub id: i64,
    pub name: String,
    pub description: String,
    pub billing_mode: Option<BillingMode>,
    pub price_minor: Option<i64>,
    pub server_fee_minor: Option<i64>,
}

/// The product's SKUs and prices, in display order (a SKU's rows together).
pub async fn sku_prices(db: &Database, product_id: ProductId) -> Result<Vec<SkuPriceRow>, sqlx::Error> {
    db::query_as(
        "SELECT s.id, s.name, s.description, p.billing_mode, p.price_minor, p.server_fee_minor
         FROM skus s LEFT JOIN sku_prices p ON p.sku_id = s.id
         WHERE s.product_id = $1 ORDER BY s.position, p.billing_mode",
    )
    .bind(product_id)
    .fetch_all(db)
    .await
}

/// One of the product's category fields with its value, in both languages.
#[derive(Debug, sqlx::FromRow)]
pub struct AttributeRow {
    pub key: String,
    pub name_en: String,
    pub name_zh: String,
    pub value: String,
    pub label_en: String,
    pub label_zh: String,
}

pub async fn attributes(db: &Database, product_id: ProductId) -> Result<Vec<AttributeRow>, sqlx::Error> {
    db::query_as(
        "SELECT a.key, a.name_en, a.name_zh, pav.value, v.label_en, v.label_zh
         FROM product_attribute_values pav
         JOIN category_attributes a ON a.id = pav.attribute_id
         JOIN category_attribute_values v ON v.attribute_id = a.id AND v.value = pav.value
         WHERE pav.product_id = $1 ORDER BY a.position, v.position",
    )
    .bind(product_id)
    .fetch_all(db)
    .await
}

/// Whether `account_id` may see seller `seller_id`'s contact details in full: it paid an
/// order of the seller's, works for the seller, or is operations staff.
pub async fn knows_seller(db: &Database, account_id: AccountId, seller_id: i64) -> Result<bool, sqlx::Error> {
    db::query_scalar(
        "SELECT EXISTS (SELECT 1 FROM orders WHERE account_id = $1 AND seller_id = $2 AND paid_at IS NOT NULL)
             OR EXISTS (SELECT 1 FROM accounts WHERE id = $1 AND (role = 'operations' OR seller_id = $2))",
    )
    .bind(account_id)
    .bind(seller_id)
    .fetch_one(db)
    .await
}
