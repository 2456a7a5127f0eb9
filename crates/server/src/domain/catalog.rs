//! A product's full detail as the product page and checkout read it: the summary from the
//! in-memory catalog, the rest (description, seller, SKUs and prices, category fields)
//! from the database.

use bazaar_core::catalog::{LocalizedText, ProductAttribute, ProductDetail, SellerContact, Sku, SkuPrice};
use bazaar_core::ids::{AccountId, ProductId};
use bazaar_core::money::{Currency, Money};

use crate::error::ApiResult;
use crate::infra::db::Database;
use crate::state::AppState;
use crate::store;
use crate::store::products::SkuPriceRow;

/// The product's SKUs with their prices, in display order.
pub async fn load_skus(db: &Database, product_id: ProductId, currency: Currency) -> Result<Vec<Sku>, sqlx::Error> {
    let rows = store::products::sku_prices(db, product_id).await?;
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
    let row = store::products::product(&state.db, product_id).await?;
    let skus = load_skus(&state.db, product_id, row.currency).await?;
    let attribute_rows = store::products::attributes(&state.db, product_id).await?;
    let favorite = match viewer {
        Some(account_id) => store::favorites::is_saved(&state.db, account_id, product_id).await?,
        None => false,
    };
    // The seller's e-mail and phone in full only for someone it already serves (a paid
    // order), its own staff and operations; everyone else sees them masked.
    let known = match viewer {
        Some(account_id) => store::products::knows_seller(&state.db, account_id, row.seller_id).await?,
        None => false,
    };
    let seller_contact = SellerContact {
        id: row.seller_id,
        name: row.seller_name,
        email: row.seller_email,
        phone: row.seller_phone,
        support_hours: row.seller_support_hours,
        masked: false,
    };
    Ok(Some(ProductDetail {
        summary,
        description: row.description,
        usage_guide: row.usage_guide,
        seller_contact: if known { seller_contact } else { seller_contact.masked_for_strangers() },
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
