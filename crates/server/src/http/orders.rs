//! `/api/v1/orders`: placing an order (idempotent per checkout attempt), paying it once,
//! cancelling an unpaid one, and My Orders (list with filters, detail with progress). The
//! rules live in `domain::orders`; these handlers read the request and write the answer.
//!
//! Placing and paying are two steps, as on the big cloud marketplaces: the order exists
//! (Pending payment) once its details are valid, and a declined card leaves it there for
//! another try instead of losing what the buyer chose.

use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use bazaar_core::error::FieldError;
use bazaar_core::error::FieldErrorCode;
use bazaar_core::error_body::ErrorBody;
use bazaar_core::ids::OrderId;
use bazaar_core::orders::{
    DEFAULT_ORDER_PAGE_SIZE, IDEMPOTENCY_KEY_HEADER, MAX_IDEMPOTENCY_KEY_CHARS, MAX_ORDER_PAGE_SIZE, OrderDetail,
    OrderPage, OrderStatus, PayOrderRequest, PlaceOrderRequest,
};
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::domain::checkout::{pay, place};
use crate::domain::orders::Buyer;
use crate::domain::orders::read::{OrderFilter, list_orders as read_page, load_order};
use crate::error::{ApiError, ApiResult};
use crate::http::auth::CurrentAccount;
use crate::http::extract::{ApiJson, ApiPath, ApiQuery};
use crate::http::list_query::ListQuery;
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_orders, place_order))
        .routes(routes!(order_detail))
        .routes(routes!(pay_order))
        .routes(routes!(cancel_order))
}

pub(crate) fn buyer(account: &CurrentAccount) -> Buyer {
    Buyer { account_id: account.id, reseller_id: account.reseller_id }
}

/// The checkout attempt's key from the `Idempotency-Key` header.
pub(crate) fn idempotency_key(headers: &HeaderMap) -> ApiResult<String> {
    let key = headers
        .get(IDEMPOTENCY_KEY_HEADER)
        .ok_or_else(|| ApiError::BadRequest("Send an `Idempotency-Key` header (one per checkout attempt).".to_owned()))?
        .to_str()
        .map_err(|_| ApiError::BadRequest("The `Idempotency-Key` header must be printable ASCII.".to_owned()))?
        .trim()
        .to_owned();
    if key.is_empty() || key.len() > MAX_IDEMPOTENCY_KEY_CHARS || !key.bytes().all(|b| b.is_ascii_graphic()) {
        return Err(ApiError::BadRequest(format!(
            "The `Idempotency-Key` header must be 1 to {MAX_IDEMPOTENCY_KEY_CHARS} printable characters."
        )));
    }
    Ok(key)
}

pub(crate) fn replay_response(order: OrderDetail) -> Response {
    let mut response = (StatusCode::OK, ApiJson(order)).into_response();
    response.headers_mut().insert("idempotent-replayed", HeaderValue::from_static("true"));
    response
}

/// Places an order from the checkout page. Send one `Idempotency-Key` per checkout attempt:
/// a retry with the same key and body returns the first result (200, `Idempotent-Replayed:
/// true`); the same key with a different body is refused (422). Reseller customers' orders
/// and orders with nothing due now are paid at once; others wait for `POST /orders/{id}/payment`.
#[utoipa::path(post, path = "/orders", tag = "orders", request_body = PlaceOrderRequest,
    params(("Idempotency-Key" = String, Header, description = "One key per checkout attempt")),
    responses((status = 201, body = OrderDetail, description = "Order placed."),
              (status = 200, body = OrderDetail, description = "A retry: the order this key already placed."),
              (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
              (status = 422, body = ErrorBody, description = "Invalid fields, or the key was used for a different request.")))]
async fn place_order(
    State(state): State<AppState>,
    account: CurrentAccount,
    headers: HeaderMap,
    ApiJson(request): ApiJson<PlaceOrderRequest>,
) -> ApiResult<Response> {
    let key = idempotency_key(&headers)?;
    let placement = place::place(&state, buyer(&account), &key, &request).await?;
    let order = load_order(&state.db, account.id, placement.order_id).await?.ok_or(ApiError::NotFound)?;
    if placement.replayed {
        return Ok(replay_response(order));
    }
    Ok((StatusCode::CREATED, ApiJson(order)).into_response())
}

/// Pays a pending order with one of the buyer's payment methods. Paying is at most once:
/// paying an order that is already paid returns it unchanged and charges nothing.
#[utoipa::path(post, path = "/orders/{order_id}/payment", tag = "orders", request_body = PayOrderRequest,
    params(("order_id" = i64, Path, description = "Order id")),
    responses((status = 200, body = OrderDetail, description = "Paid (or already paid)."),
              (status = 402, body = ErrorBody, description = "Insufficient balance, or the card was declined; nothing was charged."),
              (status = 404, body = ErrorBody), (status = 409, body = ErrorBody, description = "Cancelled."),
              (status = 422, body = ErrorBody)))]
async fn pay_order(
    State(state): State<AppState>,
    account: CurrentAccount,
    ApiPath(order_id): ApiPath<OrderId>,
    ApiJson(request): ApiJson<PayOrderRequest>,
) -> ApiResult<ApiJson<OrderDetail>> {
    pay::pay(&state, buyer(&account), order_id, request.method).await?;
    load_order(&state.db, account.id, order_id).await?.map(ApiJson).ok_or(ApiError::NotFound)
}

/// Cancels an order that is still waiting for payment.
#[utoipa::path(post, path = "/orders/{order_id}/cancel", tag = "orders",
    params(("order_id" = i64, Path, description = "Order id")),
    responses((status = 200, body = OrderDetail), (status = 404, body = ErrorBody),
              (status = 409, body = ErrorBody, description = "Already paid or cancelled.")))]
async fn cancel_order(
    State(state): State<AppState>,
    account: CurrentAccount,
    ApiPath(order_id): ApiPath<OrderId>,
) -> ApiResult<ApiJson<OrderDetail>> {
    pay::cancel_unpaid(&state, buyer(&account), order_id).await?;
    load_order(&state.db, account.id, order_id).await?.map(ApiJson).ok_or(ApiError::NotFound)
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct OrderListQuery {
    /// pending_payment | processing | completed | cancelled
    pub status: Option<String>,
    /// Placed at or after this time (RFC 3339).
    pub created_from: Option<String>,
    /// Placed before this time (RFC 3339).
    pub created_before: Option<String>,
    /// 1-based page number.
    pub page: Option<String>,
    /// Orders per page, 1 to 50 (default 10).
    pub page_size: Option<String>,
}

/// My Orders: the signed-in customer's orders, newest first, with filters and pages.
#[utoipa::path(get, path = "/orders", tag = "orders", params(OrderListQuery),
    responses((status = 200, body = OrderPage), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody)))]
async fn list_orders(
    State(state): State<AppState>,
    account: CurrentAccount,
    ApiQuery(query): ApiQuery<OrderListQuery>,
) -> ApiResult<ApiJson<OrderPage>> {
    let mut checks = ListQuery::new();
    let status = checks.choice(
        "status",
        query.status.as_deref(),
        |text: &str| text.parse::<OrderStatus>().ok(),
        "Use pending_payment, processing, completed or cancelled.",
    );
    let from = checks.time("created_from", query.created_from.as_deref());
    let before = checks.time("created_before", query.created_before.as_deref());
    if let (Some(from), Some(before)) = (from, before)
        && from >= before
    {
        checks.push(FieldError::new("created_before", FieldErrorCode::BeforeStart, "The end must be after the start."));
    }
    let (page, page_size) =
        checks.paging(query.page.as_deref(), query.page_size.as_deref(), MAX_ORDER_PAGE_SIZE, DEFAULT_ORDER_PAGE_SIZE);
    checks.finish()?;
    let filter = OrderFilter { status, created_from: from, created_before: before };
    Ok(ApiJson(read_page(&state.db, account.id, filter, page, page_size).await?))
}

/// One of the signed-in customer's orders, with payment, consent and set-up progress.
#[utoipa::path(get, path = "/orders/{order_id}", tag = "orders",
    params(("order_id" = i64, Path, description = "Order id")),
    responses((status = 200, body = OrderDetail), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn order_detail(
    State(state): State<AppState>,
    account: CurrentAccount,
    ApiPath(order_id): ApiPath<OrderId>,
) -> ApiResult<ApiJson<OrderDetail>> {
    load_order(&state.db, account.id, order_id).await?.map(ApiJson).ok_or(ApiError::NotFound)
}
