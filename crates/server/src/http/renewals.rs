//! `/api/v1/renewals`: Renewal Management — the customer's apps with a term, a renewal
//! order for one or several of them (idempotent per attempt, paid through the order's
//! payment step), and each app's auto-renew setting. The rules live in
//! `domain::lifecycle`.

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use bazaar_core::error_body::ErrorBody;
use bazaar_core::ids::AppId;
use bazaar_core::lifecycle::{AutoRenew, RenewableApp, RenewableAppPage, RenewalFilter, RenewalRequest};
use bazaar_core::orders::OrderDetail;
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::domain::lifecycle::{auto_renew, renewals, term_apps};
use crate::domain::orders::read::load_order;
use crate::error::{ApiError, ApiResult};
use crate::http::auth::CurrentAccount;
use crate::http::extract::{ApiJson, ApiPath, ApiQuery};
use crate::http::list_query::ListQuery;
use crate::http::orders::{buyer, idempotency_key, replay_response};
use crate::state::AppState;

/// The most apps one page lists.
const MAX_PAGE_SIZE: u32 = 100;
const DEFAULT_PAGE_SIZE: u32 = 20;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(list_renewable, place_renewal)).routes(routes!(set_auto_renew))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct RenewalListQuery {
    /// within_7_days | within_15_days | within_30_days | expired | frozen
    pub show: Option<String>,
    pub page: Option<String>,
    /// 1 to 100 (default 20).
    pub page_size: Option<String>,
}

/// Renewal Management: every app of the customer's with a term that is not released yet,
/// soonest expiry first, with its phase, auto-renew setting and today's monthly price.
#[utoipa::path(get, path = "/renewals", tag = "renewals", params(RenewalListQuery),
    responses((status = 200, body = RenewableAppPage), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody)))]
async fn list_renewable(
    State(state): State<AppState>,
    account: CurrentAccount,
    ApiQuery(query): ApiQuery<RenewalListQuery>,
) -> ApiResult<ApiJson<RenewableAppPage>> {
    let mut checks = ListQuery::new();
    let filter = checks.choice(
        "show",
        query.show.as_deref(),
        |text: &str| text.parse::<RenewalFilter>().ok(),
        "Use within_7_days, within_15_days, within_30_days, expired or frozen.",
    );
    let (page, page_size) =
        checks.paging(query.page.as_deref(), query.page_size.as_deref(), MAX_PAGE_SIZE, DEFAULT_PAGE_SIZE);
    checks.finish()?;
    Ok(ApiJson(term_apps::list(&state, account.id, filter, page, page_size).await?))
}

/// Renews one or several apps in one order: one line per app, each for a period its
/// billing mode allows, priced at today's SKU price, the new term running from the app's
/// current expiry. Send one `Idempotency-Key` per attempt. The order is paid like any other
/// (`POST /orders/{id}/payment`); reseller customers' renewals are billed and applied at once.
#[utoipa::path(post, path = "/renewals", tag = "renewals", request_body = RenewalRequest,
    params(("Idempotency-Key" = String, Header, description = "One key per renewal attempt")),
    responses((status = 201, body = OrderDetail, description = "Renewal order placed."),
              (status = 200, body = OrderDetail, description = "A retry: the order this key already placed."),
              (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
              (status = 409, body = ErrorBody, description = "An unpaid renewal order already covers one of the apps."),
              (status = 422, body = ErrorBody, description = "An item cannot be renewed (see `field_errors`), or the key was used for another request.")))]
async fn place_renewal(
    State(state): State<AppState>,
    account: CurrentAccount,
    headers: HeaderMap,
    ApiJson(request): ApiJson<RenewalRequest>,
) -> ApiResult<Response> {
    let key = idempotency_key(&headers)?;
    let placement = renewals::place(&state, buyer(&account), &key, &request).await?;
    let order = load_order(&state.db, account.id, placement.order_id).await?.ok_or(ApiError::NotFound)?;
    if placement.replayed {
        return Ok(replay_response(order));
    }
    Ok((StatusCode::CREATED, ApiJson(order)).into_response())
}

/// Turns auto-renew of one app on (with the period each renewal buys) or off. When on, the
/// app is renewed 7 days before it expires with the card on file, else the balance, else
/// the credit line; a failed try is repeated daily until the app is released.
#[utoipa::path(put, path = "/renewals/{app_id}/auto-renew", tag = "renewals", request_body = AutoRenew,
    params(("app_id" = i64, Path, description = "Purchased app id (its order's id)")),
    responses((status = 200, body = RenewableApp), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody),
              (status = 409, body = ErrorBody, description = "The app was released."), (status = 422, body = ErrorBody)))]
async fn set_auto_renew(
    State(state): State<AppState>,
    account: CurrentAccount,
    ApiPath(app_id): ApiPath<AppId>,
    ApiJson(setting): ApiJson<AutoRenew>,
) -> ApiResult<ApiJson<RenewableApp>> {
    auto_renew::set(&state, account.id, app_id, setting).await?;
    term_apps::one(&state, account.id, app_id).await?.map(ApiJson).ok_or(ApiError::NotFound)
}
