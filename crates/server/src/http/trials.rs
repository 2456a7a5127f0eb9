//! `/api/v1/products/{id}/trial`: where the signed-in buyer stands towards a product's free
//! trial, so that the product page can offer "Start free trial" or say why not. A trial
//! starts through `POST /orders` with `trial: true`.

use axum::extract::State;
use bazaar_core::error_body::ErrorBody;
use bazaar_core::ids::ProductId;
use bazaar_core::trials::TrialStanding;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::domain::checkout::trial;
use crate::error::{ApiError, ApiResult};
use crate::http::auth::CurrentAccount;
use crate::http::extract::{ApiJson, ApiPath};
use crate::http::orders::buyer;
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(trial_standing))
}

/// The product's trial length and whether this buyer already had its trial (and when).
/// Whether a SKU's billing mode admits one is `TrialStanding::eligibility` in core.
#[utoipa::path(get, path = "/products/{product_id}/trial", tag = "orders",
    params(("product_id" = i64, Path, description = "Product id")),
    responses((status = 200, body = TrialStanding), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn trial_standing(
    State(state): State<AppState>,
    account: CurrentAccount,
    ApiPath(product_id): ApiPath<ProductId>,
) -> ApiResult<ApiJson<TrialStanding>> {
    let product = crate::domain::catalog::load_product(&state, product_id, None).await?.ok_or(ApiError::NotFound)?;
    Ok(ApiJson(trial::standing(&state, buyer(&account), &product).await?))
}
