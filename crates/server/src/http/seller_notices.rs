//! `/api/v1/seller/notices`: the Seller Console's list of lifecycle notices sent to the
//! seller's system (renewed, suspended, reinstated, released, unsubscribed) and how each
//! delivery stands.

use axum::extract::State;
use bazaar_core::error_body::ErrorBody;
use bazaar_core::notices::SellerNoticePage;
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::domain::notices;
use crate::error::{ApiError, ApiResult};
use crate::http::auth::CurrentAccount;
use crate::http::extract::{ApiJson, ApiQuery};
use crate::http::list_query::ListQuery;
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(list_notices))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct NoticeListQuery {
    pub page: Option<String>,
    /// 1 to 100 (default 20).
    pub page_size: Option<String>,
}

/// The seller's notices, newest first, with their delivery state.
#[utoipa::path(get, path = "/seller/notices", tag = "supervision", params(NoticeListQuery),
    responses((status = 200, body = SellerNoticePage), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
async fn list_notices(
    State(state): State<AppState>,
    account: CurrentAccount,
    ApiQuery(query): ApiQuery<NoticeListQuery>,
) -> ApiResult<ApiJson<SellerNoticePage>> {
    let seller_id = account.seller_id.ok_or(ApiError::Forbidden("Only sellers have notices."))?;
    let mut checks = ListQuery::new();
    let (page, page_size) = checks.paging(query.page.as_deref(), query.page_size.as_deref(), 100, 20);
    checks.finish()?;
    Ok(ApiJson(notices::list(&state.db, seller_id, page, page_size).await?))
}
