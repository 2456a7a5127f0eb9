//! The orders the demo places for its buyers: a product's first SKU sold in a billing mode,
//! in its first region, through the same request a buyer's checkout sends.

use bazaar_core::catalog::BillingMode;
use bazaar_core::ids::ProductId;
use bazaar_core::orders::PlaceOrderRequest;
use bazaar_core::pricing::Configuration;

use crate::error::ApiResult;
use crate::state::AppState;

/// An order of `months` of product `product`'s first SKU sold monthly, in its first
/// region (a free trial of it when `trial`), with its trial length; `None` when the demo
/// catalog has no such product.
pub async fn monthly_order(
    state: &AppState,
    product: i64,
    months: u32,
    trial: bool,
) -> ApiResult<Option<(PlaceOrderRequest, Option<i64>)>> {
    demo_order(state, product, BillingMode::YearlyMonthly, Some(months), trial).await
}

/// An order of product `product`'s first SKU sold in `billing_mode` (for `months` when
/// that is monthly), in its first region, with its trial length; `None` when the demo
/// catalog has no such product or SKU.
pub async fn demo_order(
    state: &AppState,
    product: i64,
    billing_mode: BillingMode,
    months: Option<u32>,
    trial: bool,
) -> ApiResult<Option<(PlaceOrderRequest, Option<i64>)>> {
    let Some(detail) = crate::domain::catalog::load_product(state, ProductId(product), None).await? else {
        return Ok(None);
    };
    let sold_so = |sku: &&bazaar_core::catalog::Sku| sku.prices.iter().any(|price| price.billing_mode == billing_mode);
    let (Some(sku), Some(region)) = (detail.skus.iter().find(sold_so), detail.regions.first()) else {
        return Ok(None);
    };
    let request = PlaceOrderRequest {
        product_id: ProductId(product),
        configuration: Configuration {
            sku_id: sku.id,
            billing_mode,
            duration_months: months,
            quantity: 1,
            region: region.clone(),
        },
        accept_terms: true,
        authorize_contact_sharing: true,
        vpc_id: None,
        server_password: None,
        trial,
    };
    Ok(Some((request, detail.trial_days)))
}
