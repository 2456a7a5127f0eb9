//! A product's full detail as the product page and checkout read it: the summary from the
//! in-memory catalog, the rest (description, seller, SKUs and prices, category fields)
//! from the database.

use bazaar_core::catalog::{BillingMode, LocalizedText, ProductAttribute, ProductDetail, SellerContact, Sku, SkuPrice};
use bazaar_core::ids::{AccountId, ProductId};
use bazaar_core::money::{Currency, Money};

use crate::error::ApiResult;
use crate::infra::db::{self, Database};
use crate::state::AppState;

#[derive(sqlx::FromRow)]
struct ProductRow {
    description: String,
    usage_guide: String,
    regions: String,
    service_period_days: Option<i64>,
    trial_days: Option<i64>,
    seller_creates_account: bool,
    currency: Currency,
    seller_id: i64,
    seller_name: String,
    seller_email: String,
    seller_phone: String,
    seller_support_hours: String,
    category_en: String,
    category_zh: String,
}

#[derive(sqlx::FromRow)]
struct SkuPriceRow {
    id: i64,
    name: String,
    description: String,
    billing_mode: Option<BillingMode>,
    price_minor: Option<i64>,
    server_fee_minor: Option<i64>,
}

#[derive(sqlx::FromRow)]
struct AttributeRow {
    key: String,
    name_en: String,
    name_zh: String,
    value: String,
    label_en: String,
    label_zh: String,
}

/// The product's SKUs with their prices, in display order.
pub async fn load_skus(db: &Database, product_id: ProductId, currency: Currency) -> Result<Vec<Sku>, sqlx::Error> {
    let rows: Vec<SkuPriceRow> = db::query_as(
        "SELECT s.id, s.name, s.description, p.billing_mode, p.price_minor, p.server_fee_minor
         FROM skus s LEFT JOIN sku_prices p ON p.sku_id = s.id
         WHERE s.product_id = $1 ORDER BY s.position, p.billing_mode",
    )
    .bind(product_id)
    .fetch_all(db)
    .await?;
    let mut skus: Vec<Sku> = Vec::new();
    for SkuPriceRow { id, name, description, billing_mode, price_minor, server_fee_minor: fee } in rows {
        if skus.last().is_none_or(|sku| sku.id != id) {
            skus.push(Sku { id, name, description, prices: Vec::new() });
        }
        if let (Some(mode), Some(price), Some(sku)) = (billing_mode, price_minor, skus.last_mut()) {
            sku.prices.push(SkuPrice {
                billing_mode: mode,
                price: Money::new(price, currency),
                server_fee: fee.map(|fee| Money::new(fee, currency)),
            });
        }
    }
    // Yearly/monthly first, then pay-per-use, then one-off: the order buyers compare them in.
    for sku in &mut skus {
        sku.prices.sort_by_key(|price| price.billing_mode);
    }
    Ok(skus)
}

/// Loads a product's full detail; `None` when there is no such product.
pub async fn load_product(
    state: &AppState,
    product_id: ProductId,
    viewer: Option<AccountId>,
) -> ApiResult<Option<ProductDetail>> {
    let Some(summary) = state.catalog.current().product(product_id) else {
        return Ok(None);
    };
    let row: ProductRow = db::query_as(
        "SELECT p.description, p.usage_guide, p.regions, p.service_period_days, p.trial_days,
                p.seller_creates_account, p.currency, s.id AS seller_id, s.name AS seller_name,
                s.email AS seller_email, s.phone AS seller_phone, s.support_hours AS seller_support_hours,
                c.name_en AS category_en, c.name_zh AS category_zh
         FROM products p JOIN sellers s ON s.id = p.seller_id JOIN categories c ON c.id = p.category_id
         WHERE p.id = $1",
    )
    .bind(product_id)
    .fetch_one(&state.db)
    .await?;
    let skus = load_skus(&state.db, product_id, row.currency).await?;
    let attribute_rows: Vec<AttributeRow> = db::query_as(
        "SELECT a.key, a.name_en, a.name_zh, pav.value, v.label_en, v.label_zh
         FROM product_attribute_values pav
         JOIN category_attributes a ON a.id = pav.attribute_id
         JOIN category_attribute_values v ON v.attribute_id = a.id AND v.value = pav.value
         WHERE pav.product_id = $1 ORDER BY a.position, v.position",
    )
    .bind(product_id)
    .fetch_all(&state.db)
    .await?;
    let favorite = match viewer {
        Some(account_id) => {
            db::query_scalar::<i32>("SELECT 1 FROM favorites WHERE account_id = $1 AND product_id = $2")
                .bind(account_id)
                .bind(product_id)
                .fetch_optional(&state.db)
                .await?
                .is_some()
        }
        None => false,
    };
    Ok(Some(ProductDetail {
        summary,
        description: row.description,
        usage_guide: row.usage_guide,
        seller_contact: SellerContact {
            id: row.seller_id,
            name: row.seller_name,
            email: row.seller_email,
            phone: row.seller_phone,
            support_hours: row.seller_support_hours,
        },
        category_name: LocalizedText { en: row.category_en, zh: row.category_zh },
        attributes: attribute_rows
            .into_iter()
            .map(|row| ProductAttribute {
                key: row.key,
                name: LocalizedText { en: row.name_en, zh: row.name_zh },
                value: row.value,
                label: LocalizedText { en: row.label_en, zh: row.label_zh },
            })
            .collect(),
        regions: row.regions.split(',').filter(|r| !r.is_empty()).map(str::to_owned).collect(),
        skus,
        service_period_days: row.service_period_days,
        trial_days: row.trial_days,
        seller_creates_account: row.seller_creates_account,
        favorite,
    }))
}
