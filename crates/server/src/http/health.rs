//! `GET /api/v1/health`: liveness and database reachability, for load balancers and xtask.

use axum::extract::State;
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::error::ApiResult;
use crate::http::extract::ApiJson;
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(health))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Health {
    /// Always `ok` when the server answers and its database responds.
    pub status: &'static str,
    /// Whether demo-only features (clock control, demo seller) are on.
    pub demo: bool,
}

/// Reports that the server is up and its database answers.
#[utoipa::path(get, path = "/health", tag = "health",
    responses((status = 200, body = Health), (status = 500, body = bazaar_core::error_body::ErrorBody)))]
async fn health(State(state): State<AppState>) -> ApiResult<ApiJson<Health>> {
    crate::store::ping(&state.db).await?;
    Ok(ApiJson(Health { status: "ok", demo: state.config.demo }))
}
