//! Billing for pay-per-use: `/api/v1/billing/bills` (monthly bills, CSV export),
//! `/api/v1/billing/outstanding/payment` ("pay outstanding"), and the usage area of a
//! pay-per-use app's Resource Details (`/purchased-apps/{id}/usage`, its spending cap).

use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use bazaar_core::error_body::ErrorBody;
use bazaar_core::ids::AppId;
use bazaar_core::money::Currency;
use bazaar_core::usage::{AppUsage, Bill, BillList, PayOutstandingAnswer, PayOutstandingRequest, SpendingCapUpdate};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::domain::usage::{bills, caps, outstanding};
use crate::error::{ApiError, ApiResult};
use crate::http::auth::CurrentAccount;
use crate::http::extract::{ApiJson, ApiPath};
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_bills))
        .routes(routes!(get_bill))
        .routes(routes!(bill_csv))
        .routes(routes!(pay_outstanding))
        .routes(routes!(app_usage))
        .routes(routes!(set_spending_cap))
}

/// The customer's monthly usage bills, newest first, and what is outstanding now.
#[utoipa::path(get, path = "/billing/bills", tag = "billing",
    responses((status = 200, body = BillList), (status = 401, body = ErrorBody)))]
async fn list_bills(State(state): State<AppState>, account: CurrentAccount) -> ApiResult<ApiJson<BillList>> {
    Ok(ApiJson(bills::list(&state, account.id).await?))
}

fn currency_of(text: &str) -> ApiResult<Currency> {
    text.parse().map_err(|_| ApiError::NotFound)
}

/// One month's bill: per app and dimension, quantity, rated, charged, outstanding and
/// beyond the cap. Open until the 3rd of the next month, then never changes.
#[utoipa::path(get, path = "/billing/bills/{month}/{currency}", tag = "billing",
    params(("month" = String, Path, description = "YYYY-MM"), ("currency" = String, Path, description = "CNY or USD")),
    responses((status = 200, body = Bill), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn get_bill(
    State(state): State<AppState>,
    account: CurrentAccount,
    ApiPath((month, currency)): ApiPath<(String, String)>,
) -> ApiResult<ApiJson<Bill>> {
    Ok(ApiJson(bills::bill(&state, account.id, &month, currency_of(&currency)?).await?))
}

/// The bill as a CSV file (UTF-8, one row per app and dimension, then a total row).
#[utoipa::path(get, path = "/billing/bills/{month}/{currency}/csv", tag = "billing",
    params(("month" = String, Path, description = "YYYY-MM"), ("currency" = String, Path, description = "CNY or USD")),
    responses((status = 200, content_type = "text/csv", body = String), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn bill_csv(
    State(state): State<AppState>,
    account: CurrentAccount,
    ApiPath((month, currency)): ApiPath<(String, String)>,
) -> ApiResult<Response> {
    let bill = bills::bill(&state, account.id, &month, currency_of(&currency)?).await?;
    let body = bills::bill_csv(&bill)?;
    let file = format!("attachment; filename=\"bazaar-bill-{}-{}.csv\"", bill.summary.month, currency);
    let mut response = (StatusCode::OK, body).into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("text/csv; charset=utf-8"));
    headers.insert(header::CONTENT_DISPOSITION, HeaderValue::from_str(&file).map_err(ApiError::internal)?);
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(response)
}

/// Pays everything due for usage in one payment with the chosen method, and reinstates
/// the apps frozen for it.
#[utoipa::path(post, path = "/billing/outstanding/payment", tag = "billing",
    request_body = PayOutstandingRequest,
    responses((status = 200, body = PayOutstandingAnswer), (status = 401, body = ErrorBody),
              (status = 402, body = ErrorBody, description = "Not enough balance or credit, or the card was declined: nothing charged."),
              (status = 409, body = ErrorBody, description = "Nothing is outstanding."), (status = 422, body = ErrorBody)))]
async fn pay_outstanding(
    State(state): State<AppState>,
    account: CurrentAccount,
    ApiJson(request): ApiJson<PayOutstandingRequest>,
) -> ApiResult<ApiJson<PayOutstandingAnswer>> {
    Ok(ApiJson(outstanding::pay_outstanding(&state, account.id, request.method).await?))
}

/// A pay-per-use app's usage over the last 30 days (per hour), this month's spend, its cap
/// and where it stands with its charges.
#[utoipa::path(get, path = "/purchased-apps/{app_id}/usage", tag = "billing",
    params(("app_id" = i64, Path, description = "Purchased app id (its order's id)")),
    responses((status = 200, body = AppUsage), (status = 401, body = ErrorBody),
              (status = 404, body = ErrorBody, description = "No such pay-per-use app of yours.")))]
async fn app_usage(
    State(state): State<AppState>,
    account: CurrentAccount,
    ApiPath(app_id): ApiPath<AppId>,
) -> ApiResult<ApiJson<AppUsage>> {
    Ok(ApiJson(caps::app_usage(&state, account.id, app_id).await?))
}

/// Sets the app's monthly spending cap (`null`: none). Raise it any time; lower it only to
/// what this month has already spent.
#[utoipa::path(put, path = "/purchased-apps/{app_id}/spending-cap", tag = "billing",
    params(("app_id" = i64, Path, description = "Purchased app id (its order's id)")),
    request_body = SpendingCapUpdate,
    responses((status = 200, body = AppUsage), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody),
              (status = 422, body = ErrorBody, description = "Not above zero, or below this month's spend.")))]
async fn set_spending_cap(
    State(state): State<AppState>,
    account: CurrentAccount,
    ApiPath(app_id): ApiPath<AppId>,
    ApiJson(update): ApiJson<SpendingCapUpdate>,
) -> ApiResult<ApiJson<AppUsage>> {
    caps::set_cap(&state, account.id, app_id, update.cap_minor).await?;
    Ok(ApiJson(caps::app_usage(&state, account.id, app_id).await?))
}
