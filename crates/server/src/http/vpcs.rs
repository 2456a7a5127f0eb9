//! `/api/v1/vpcs`: the customer's virtual private clouds, which image products' servers
//! are placed in. Checkout lists them and can create one inline.

use axum::extract::State;
use axum::http::StatusCode;
use bazaar_core::error_body::ErrorBody;
use bazaar_core::orders::{CreateVpcRequest, Vpc};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::domain::vpcs;
use crate::error::ApiResult;
use crate::http::auth::CurrentAccount;
use crate::http::extract::ApiJson;
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(list_vpcs, create_vpc))
}

/// The signed-in customer's VPCs, oldest first.
#[utoipa::path(get, path = "/vpcs", tag = "vpcs",
    responses((status = 200, body = Vec<Vpc>), (status = 401, body = ErrorBody)))]
async fn list_vpcs(State(state): State<AppState>, account: CurrentAccount) -> ApiResult<ApiJson<Vec<Vpc>>> {
    Ok(ApiJson(vpcs::list_vpcs(&state.db, account.id).await?))
}

/// Creates a VPC with the next free `10.N.0.0/16` block.
#[utoipa::path(post, path = "/vpcs", tag = "vpcs", request_body = CreateVpcRequest,
    responses((status = 201, body = Vpc), (status = 401, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn create_vpc(
    State(state): State<AppState>,
    account: CurrentAccount,
    ApiJson(request): ApiJson<CreateVpcRequest>,
) -> ApiResult<(StatusCode, ApiJson<Vpc>)> {
    let vpc = vpcs::create_vpc(&state.db, account.id, &request, state.clock.unix_now()).await?;
    Ok((StatusCode::CREATED, ApiJson(vpc)))
}
