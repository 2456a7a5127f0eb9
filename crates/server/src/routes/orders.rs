//! `/api/v1/orders`: placing an order (idempotent per checkout attempt), paying it once,
//! cancelling an unpaid one, and My Orders (list with filters, detail with progress).
//!
//! Placing and paying are two steps, as on the big cloud marketplaces: the order exists
//! (Pending payment) once its details are valid, and a declined card leaves it there for
//! another try instead of losing what the buyer chose. Both steps run in one `BEGIN
//! IMMEDIATE` transaction each, so concurrent duplicates queue behind each other and see
//! what the first one wrote.

use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use bazaar_core::account::{mask_email, mask_mobile, mask_name};
use bazaar_core::catalog::{BillingMode, DeliveryMethod};
use bazaar_core::error::{ErrorBody, FieldError};
use bazaar_core::money::{Currency, Money};
use bazaar_core::orders::{
    CancelReason, CancelReasonCode, CheckoutFacts, ContactConsent, ContactKind, DEFAULT_ORDER_PAGE_SIZE,
    IDEMPOTENCY_KEY_HEADER, MAX_IDEMPOTENCY_KEY_CHARS, MAX_ORDER_PAGE_SIZE, MAX_UNPAID_ORDERS, OrderDetail, OrderPage,
    OrderStatus, OrderSummary, PayOrderRequest, PaymentChannel, PaymentRecord, PlaceOrderRequest, ProvisioningProgress,
    ProvisioningState, SharedContact, Vpc, checkout_problems, order_number,
};
use bazaar_core::pricing::{Charge, Configuration, PriceBreakdown, price_configuration};
use serde::Deserialize;
use sqlx::SqlitePool;
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::auth::CurrentAccount;
use crate::clock::from_unix;
use crate::db::begin_write;
use crate::error::{ApiError, ApiResult};
use crate::extract::{ApiJson, ApiPath, ApiQuery};
use crate::list_query::ListQuery;
use crate::payments;
use crate::provisioning::{self, ProvisioningKind};
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_orders, place_order))
        .routes(routes!(order_detail))
        .routes(routes!(pay_order))
        .routes(routes!(cancel_order))
}

/// The checkout attempt's key from the `Idempotency-Key` header.
fn idempotency_key(headers: &HeaderMap) -> ApiResult<String> {
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

/// A keyed hash of the request: tells a retry from a different request without storing
/// the server password (which is part of the body) in any recoverable form.
fn request_fingerprint(state: &AppState, request: &PlaceOrderRequest) -> Vec<u8> {
    let canonical = serde_json::to_vec(request).expect("requests serialise");
    state.master_keys.keyed_hash(b"idempotency-fingerprint", &canonical)
}

/// Finds the order a key already made: `Ok(Some(id))` for a retry of the same request.
async fn replayed_order(
    connection: &mut sqlx::SqliteConnection,
    account_id: i64,
    key: &str,
    fingerprint: &[u8],
) -> ApiResult<Option<i64>> {
    let existing: Option<(Vec<u8>, i64)> =
        sqlx::query_as("SELECT request_hash, order_id FROM idempotency_keys WHERE account_id = ? AND key = ?")
            .bind(account_id)
            .bind(key)
            .fetch_optional(connection)
            .await?;
    match existing {
        None => Ok(None),
        Some((hash, order_id)) if hash == fingerprint => Ok(Some(order_id)),
        Some(_) => Err(ApiError::IdempotencyKeyReused),
    }
}

fn replay_response(order: OrderDetail) -> Response {
    let mut response = (StatusCode::OK, ApiJson(order)).into_response();
    response.headers_mut().insert("idempotent-replayed", HeaderValue::from_static("true"));
    response
}

/// Prefixes configuration errors with `configuration.` so the SPA finds their field.
fn configuration_errors(errors: Vec<FieldError>) -> Vec<FieldError> {
    errors.into_iter().map(|error| FieldError { field: format!("configuration.{}", error.field), ..error }).collect()
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
    let fingerprint = request_fingerprint(&state, &request);
    {
        let mut connection = state.db.acquire().await?;
        if let Some(order_id) = replayed_order(&mut connection, account.id, &key, &fingerprint).await? {
            return Ok(replay_response(load_order(&state.db, account.id, order_id).await?.ok_or(ApiError::NotFound)?));
        }
    }

    // Everything that does not need the write lock happens before taking it.
    let product = crate::routes::catalog::load_product(&state, request.product_id, None)
        .await?
        .ok_or_else(|| ApiError::field("product_id", "unknown_value", "This product is not for sale."))?;
    let price = price_configuration(&product.skus, &product.regions, &request.configuration)
        .map_err(|errors| ApiError::Validation(configuration_errors(errors.0)))?;
    let facts = CheckoutFacts {
        delivery_method: product.summary.delivery_method,
        seller_creates_account: product.seller_creates_account,
    };
    let mut problems = checkout_problems(facts, &request).0;
    let vpc = match (facts.delivery_method, request.vpc_id) {
        (DeliveryMethod::Image, Some(vpc_id)) => {
            let vpc = crate::routes::vpcs::load_vpc(&state.db, account.id, vpc_id).await?;
            match &vpc {
                None => problems.push(FieldError::new("vpc_id", "unknown_value", "Choose one of your VPCs.")),
                Some(vpc) if vpc.region != request.configuration.region => problems.push(FieldError::new(
                    "vpc_id",
                    "region_mismatch",
                    "The VPC must be in the region the server is deployed to.",
                )),
                Some(_) => {}
            }
            vpc
        }
        _ => None,
    };
    if !problems.is_empty() {
        return Err(ApiError::Validation(problems));
    }
    let server_password_hash = match (facts.delivery_method, request.server_password.clone()) {
        (DeliveryMethod::Image, Some(password)) => Some(state.passwords.hash(password).await?),
        _ => None,
    };
    let sku = product.skus.iter().find(|sku| sku.id == request.configuration.sku_id).ok_or(ApiError::NotFound)?;
    let contact: (String, String, String) =
        sqlx::query_as("SELECT mobile, email, iam_user_name FROM accounts WHERE id = ?")
            .bind(account.id)
            .fetch_one(&state.db)
            .await?;

    let now = state.clock.unix_now();
    let mut transaction = begin_write(&state.db).await?;
    // A concurrent duplicate may have committed while this one validated.
    if let Some(order_id) = replayed_order(&mut transaction, account.id, &key, &fingerprint).await? {
        drop(transaction);
        return Ok(replay_response(load_order(&state.db, account.id, order_id).await?.ok_or(ApiError::NotFound)?));
    }
    check_order_caps(&mut transaction, account.id, now, state.config.max_orders_per_day).await?;
    let kind = ProvisioningKind::for_delivery(facts.delivery_method);
    let expires_at = match (request.configuration.billing_mode, request.configuration.duration_months) {
        (BillingMode::YearlyMonthly, Some(months)) => Some(add_months(now, months)),
        _ => None,
    };
    let price_json = serde_json::to_string(&price).map_err(ApiError::internal)?;
    let order_id: i64 = sqlx::query_scalar(
        "INSERT INTO orders (account_id, product_id, seller_id, product_name, seller_name, delivery_method, supervised,
                             sku_id, sku_name, billing_mode, duration_months, quantity, region, currency, total_minor,
                             due_now_minor, price_json, status, reseller_id, vpc_id, server_password_hash,
                             provisioning_kind, created_at, expires_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'pending_payment', ?, ?, ?, ?, ?, ?)
         RETURNING id",
    )
    .bind(account.id)
    .bind(product.summary.id)
    .bind(product.seller_contact.id)
    .bind(&product.summary.name)
    .bind(&product.seller_contact.name)
    .bind(facts.delivery_method.as_str())
    .bind(product.summary.supervised)
    .bind(sku.id)
    .bind(&sku.name)
    .bind(request.configuration.billing_mode.as_str())
    .bind(request.configuration.duration_months)
    .bind(request.configuration.quantity)
    .bind(&request.configuration.region)
    .bind(price.total.currency.as_str())
    .bind(price.total.amount_minor)
    .bind(price.due_now.amount_minor)
    .bind(&price_json)
    .bind(account.reseller_id)
    .bind(vpc.as_ref().map(|vpc| vpc.id))
    .bind(&server_password_hash)
    .bind(kind.as_str())
    .bind(now)
    .bind(expires_at)
    .fetch_one(&mut *transaction)
    .await?;
    if facts.seller_creates_account {
        let shared = vec![
            SharedContact { kind: ContactKind::Mobile, masked_value: mask_mobile(&contact.0) },
            SharedContact { kind: ContactKind::Email, masked_value: mask_email(&contact.1) },
            SharedContact { kind: ContactKind::IamUserName, masked_value: mask_name(&contact.2) },
        ];
        sqlx::query(
            "INSERT INTO order_consents (order_id, seller_id, seller_name, shared_json, consented_at)
             VALUES (?, ?, ?, ?, ?)",
        )
        .bind(order_id)
        .bind(product.seller_contact.id)
        .bind(&product.seller_contact.name)
        .bind(serde_json::to_string(&shared).map_err(ApiError::internal)?)
        .bind(now)
        .execute(&mut *transaction)
        .await?;
    }
    sqlx::query(
        "INSERT INTO idempotency_keys (account_id, key, request_hash, order_id, created_at) VALUES (?, ?, ?, ?, ?)",
    )
    .bind(account.id)
    .bind(&key)
    .bind(&fingerprint)
    .bind(order_id)
    .bind(now)
    .execute(&mut *transaction)
    .await?;
    // Reseller customers never pay here, and pay-per-use has nothing due now.
    let pays_now = match account.reseller_id {
        Some(reseller_id) => {
            payments::bill_reseller(&mut transaction, reseller_id, order_id, price.due_now, now).await?;
            true
        }
        None => price.due_now.amount_minor == 0,
    };
    if pays_now {
        mark_paid(&mut transaction, order_id, product.summary.id, kind, product.summary.supervised, now).await?;
    }
    transaction.commit().await?;
    if pays_now {
        after_commit_of_payment(&state, product.summary.id);
    }
    tracing::info!(order_id, account_id = account.id, product_id = product.summary.id, "order placed");
    let order = load_order(&state.db, account.id, order_id).await?.ok_or(ApiError::NotFound)?;
    Ok((StatusCode::CREATED, ApiJson(order)).into_response())
}

/// Refuses a new order past the caps: [`MAX_UNPAID_ORDERS`] waiting for payment, and
/// `per_day` placed (each with its idempotency key) in 24 hours.
async fn check_order_caps(
    connection: &mut sqlx::SqliteConnection,
    account_id: i64,
    now: i64,
    per_day: i64,
) -> ApiResult<()> {
    let unpaid: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM orders WHERE account_id = ? AND status = 'pending_payment'")
            .bind(account_id)
            .fetch_one(&mut *connection)
            .await?;
    if unpaid >= MAX_UNPAID_ORDERS {
        return Err(ApiError::Conflict(format!(
            "You have {MAX_UNPAID_ORDERS} orders waiting for payment. Pay or cancel one of them first."
        )));
    }
    // The `per_day`-th newest order of the last day, if there is one: the cap is reached
    // until it is a day old.
    let oldest_counted: Option<i64> = sqlx::query_scalar(
        "SELECT created_at FROM orders WHERE account_id = ? AND created_at > ?
         ORDER BY created_at DESC LIMIT 1 OFFSET ?",
    )
    .bind(account_id)
    .bind(now - 86_400)
    .bind(per_day.max(1) - 1)
    .fetch_optional(&mut *connection)
    .await?;
    if let Some(oldest) = oldest_counted {
        let retry_after_seconds = u64::try_from(oldest + 86_400 - now).unwrap_or(1).max(1);
        return Err(ApiError::RateLimited { retry_after_seconds });
    }
    Ok(())
}

/// Moves a just-paid order on: Processing, and its set-up queued (or completed at once).
async fn mark_paid(
    transaction: &mut sqlx::Transaction<'static, sqlx::Sqlite>,
    order_id: i64,
    product_id: i64,
    kind: ProvisioningKind,
    supervised: bool,
    now: i64,
) -> ApiResult<()> {
    let updated =
        sqlx::query("UPDATE orders SET status = 'processing', paid_at = ? WHERE id = ? AND status = 'pending_payment'")
            .bind(now)
            .bind(order_id)
            .execute(&mut **transaction)
            .await?;
    if updated.rows_affected() == 0 {
        return Err(ApiError::Conflict("This order is not waiting for payment.".to_owned()));
    }
    sqlx::query("UPDATE products SET recent_sales = recent_sales + 1 WHERE id = ?")
        .bind(product_id)
        .execute(&mut **transaction)
        .await?;
    provisioning::start_fulfilment(transaction, order_id, kind, supervised, now).await
}

fn after_commit_of_payment(state: &AppState, product_id: i64) {
    state.catalog.current().record_sale(product_id);
    state.provisioning.wake();
}

/// `now` plus `months` calendar months (clamped to the month's last day).
fn add_months(now: i64, months: u32) -> i64 {
    let start = from_unix(now);
    let total = i64::from(start.month() as u8) - 1 + i64::from(months);
    let year = start.year() + i32::try_from(total / 12).unwrap_or(0);
    let month = time::Month::try_from(u8::try_from(total % 12 + 1).unwrap_or(1)).unwrap_or(time::Month::January);
    let day = start.day().min(month.length(year));
    time::Date::from_calendar_date(year, month, day)
        .map(|date| start.replace_date(date).unix_timestamp())
        .unwrap_or(now + i64::from(months) * 30 * 86_400)
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
    ApiPath(order_id): ApiPath<i64>,
    ApiJson(request): ApiJson<PayOrderRequest>,
) -> ApiResult<ApiJson<OrderDetail>> {
    let now = state.clock.unix_now();
    let mut transaction = begin_write(&state.db).await?;
    let row: Option<(String, i64, String, i64, String, bool)> = sqlx::query_as(
        "SELECT status, due_now_minor, currency, product_id, provisioning_kind, supervised
         FROM orders WHERE id = ? AND account_id = ?",
    )
    .bind(order_id)
    .bind(account.id)
    .fetch_optional(&mut *transaction)
    .await?;
    let (status, due_now, currency, product_id, kind, supervised) = row.ok_or(ApiError::NotFound)?;
    match OrderStatus::parse(&status) {
        Some(OrderStatus::PendingPayment) => {}
        Some(OrderStatus::Cancelled) => {
            return Err(ApiError::Conflict("This order was cancelled; place a new one.".to_owned()));
        }
        _ => {
            // Already paid: a retry after a lost response. Charge nothing, report the order.
            drop(transaction);
            return load_order(&state.db, account.id, order_id).await?.map(ApiJson).ok_or(ApiError::NotFound);
        }
    }
    let currency = Currency::parse(&currency).ok_or_else(|| ApiError::internal("unknown currency in database"))?;
    payments::charge(&mut transaction, account.id, order_id, request.method, Money::new(due_now, currency), now)
        .await?;
    mark_paid(&mut transaction, order_id, product_id, ProvisioningKind::parse(&kind), supervised, now).await?;
    transaction.commit().await?;
    after_commit_of_payment(&state, product_id);
    tracing::info!(order_id, method = request.method.as_str(), "order paid");
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
    ApiPath(order_id): ApiPath<i64>,
) -> ApiResult<ApiJson<OrderDetail>> {
    let now = state.clock.unix_now();
    let mut transaction = begin_write(&state.db).await?;
    let status: Option<String> = sqlx::query_scalar("SELECT status FROM orders WHERE id = ? AND account_id = ?")
        .bind(order_id)
        .bind(account.id)
        .fetch_optional(&mut *transaction)
        .await?;
    if status.ok_or(ApiError::NotFound)? != OrderStatus::PendingPayment.as_str() {
        return Err(ApiError::Conflict("Only orders waiting for payment can be cancelled here.".to_owned()));
    }
    provisioning::cancel_and_refund(
        &mut transaction,
        order_id,
        CancelReasonCode::CancelledByBuyer,
        "You cancelled the order before paying.",
        now,
    )
    .await?;
    transaction.commit().await?;
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
        OrderStatus::parse,
        "Use pending_payment, processing, completed or cancelled.",
    );
    let from = checks.time("created_from", query.created_from.as_deref());
    let before = checks.time("created_before", query.created_before.as_deref());
    if let (Some(from), Some(before)) = (from, before)
        && from >= before
    {
        checks.push(FieldError::new("created_before", "before_start", "The end must be after the start."));
    }
    let (page, page_size) =
        checks.paging(query.page.as_deref(), query.page_size.as_deref(), MAX_ORDER_PAGE_SIZE, DEFAULT_ORDER_PAGE_SIZE);
    checks.finish()?;
    let filter = "account_id = ?1 AND (?2 IS NULL OR status = ?2) AND (?3 IS NULL OR created_at >= ?3)
                  AND (?4 IS NULL OR created_at < ?4)";
    let total: i64 = sqlx::query_scalar(&format!("SELECT COUNT(*) FROM orders WHERE {filter}"))
        .bind(account.id)
        .bind(status.map(OrderStatus::as_str))
        .bind(from)
        .bind(before)
        .fetch_one(&state.db)
        .await?;
    let rows: Vec<OrderRow> = sqlx::query_as(&format!(
        "SELECT {ORDER_COLUMNS} FROM orders WHERE {filter} ORDER BY created_at DESC, id DESC LIMIT ?5 OFFSET ?6"
    ))
    .bind(account.id)
    .bind(status.map(OrderStatus::as_str))
    .bind(from)
    .bind(before)
    .bind(i64::from(page_size))
    .bind(i64::from(page - 1) * i64::from(page_size))
    .fetch_all(&state.db)
    .await?;
    let items = rows.iter().map(OrderRow::summary).collect::<ApiResult<Vec<_>>>()?;
    Ok(ApiJson(OrderPage { items, total: u64::try_from(total).unwrap_or(0), page, page_size }))
}

/// One of the signed-in customer's orders, with payment, consent and set-up progress.
#[utoipa::path(get, path = "/orders/{order_id}", tag = "orders",
    params(("order_id" = i64, Path, description = "Order id")),
    responses((status = 200, body = OrderDetail), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn order_detail(
    State(state): State<AppState>,
    account: CurrentAccount,
    ApiPath(order_id): ApiPath<i64>,
) -> ApiResult<ApiJson<OrderDetail>> {
    load_order(&state.db, account.id, order_id).await?.map(ApiJson).ok_or(ApiError::NotFound)
}

const ORDER_COLUMNS: &str = "id, product_id, product_name, seller_name, delivery_method, supervised, sku_id, sku_name,
    billing_mode, duration_months, quantity, region, currency, total_minor, due_now_minor, price_json, status,
    cancel_reason_code, cancel_reason_detail, reseller_id, vpc_id, provisioning_kind, created_at, completed_at,
    cancelled_at, expires_at";

#[derive(sqlx::FromRow)]
struct OrderRow {
    id: i64,
    product_id: i64,
    product_name: String,
    seller_name: String,
    delivery_method: String,
    supervised: bool,
    sku_id: i64,
    sku_name: String,
    billing_mode: String,
    duration_months: Option<u32>,
    quantity: u32,
    region: String,
    currency: String,
    total_minor: i64,
    due_now_minor: i64,
    price_json: String,
    status: String,
    cancel_reason_code: Option<String>,
    cancel_reason_detail: Option<String>,
    reseller_id: Option<i64>,
    vpc_id: Option<i64>,
    provisioning_kind: String,
    created_at: i64,
    completed_at: Option<i64>,
    cancelled_at: Option<i64>,
    expires_at: Option<i64>,
}

impl OrderRow {
    fn summary(&self) -> ApiResult<OrderSummary> {
        let corrupt = |what: &str| ApiError::internal(format!("order {}: unknown {what} in database", self.id));
        let currency = Currency::parse(&self.currency).ok_or_else(|| corrupt("currency"))?;
        Ok(OrderSummary {
            id: self.id,
            number: order_number(self.id),
            product_id: self.product_id,
            product_name: self.product_name.clone(),
            seller_name: self.seller_name.clone(),
            delivery_method: DeliveryMethod::parse(&self.delivery_method).ok_or_else(|| corrupt("delivery method"))?,
            supervised: self.supervised,
            sku_name: self.sku_name.clone(),
            billing_mode: BillingMode::parse(&self.billing_mode).ok_or_else(|| corrupt("billing mode"))?,
            total: Money::new(self.total_minor, currency),
            due_now: Money::new(self.due_now_minor, currency),
            status: OrderStatus::parse(&self.status).ok_or_else(|| corrupt("status"))?,
            cancel_reason: self.cancel_reason_code.as_deref().map(|code| CancelReason {
                code: CancelReasonCode::parse(code),
                detail: self.cancel_reason_detail.clone().unwrap_or_default(),
            }),
            created_at: from_unix(self.created_at),
        })
    }
}

/// The customer's order `order_id`, or `None` when it is not theirs (or does not exist).
pub async fn load_order(db: &SqlitePool, account_id: i64, order_id: i64) -> ApiResult<Option<OrderDetail>> {
    // One read transaction: the order, its payment and its provisioning job from the same
    // snapshot, so a page never sees "set up" next to a status from before that.
    let mut snapshot = db.begin().await?;
    let detail = load_order_in(&mut snapshot, account_id, order_id).await;
    snapshot.rollback().await?;
    detail
}

async fn load_order_in(
    db: &mut sqlx::SqliteConnection,
    account_id: i64,
    order_id: i64,
) -> ApiResult<Option<OrderDetail>> {
    let row: Option<OrderRow> =
        sqlx::query_as(&format!("SELECT {ORDER_COLUMNS} FROM orders WHERE id = ? AND account_id = ?"))
            .bind(order_id)
            .bind(account_id)
            .fetch_optional(&mut *db)
            .await?;
    let Some(row) = row else { return Ok(None) };
    let summary = row.summary()?;
    let price: PriceBreakdown = serde_json::from_str(&row.price_json).map_err(ApiError::internal)?;
    let payment: Option<(String, i64, String, Option<String>, i64, Option<i64>)> = sqlx::query_as(
        "SELECT channel, amount_minor, currency, card_label, paid_at, refunded_at FROM payments WHERE order_id = ?",
    )
    .bind(order_id)
    .fetch_optional(&mut *db)
    .await?;
    let payment = payment.map(|(channel, amount, currency, card_label, paid_at, refunded_at)| PaymentRecord {
        channel: PaymentChannel::parse(&channel).unwrap_or(PaymentChannel::Balance),
        amount: Money::new(amount, Currency::parse(&currency).unwrap_or(summary.total.currency)),
        card_label,
        paid_at: from_unix(paid_at),
        refunded_at: refunded_at.map(from_unix),
    });
    let reseller_name: Option<String> = match row.reseller_id {
        Some(reseller_id) => {
            sqlx::query_scalar("SELECT name FROM resellers WHERE id = ?")
                .bind(reseller_id)
                .fetch_optional(&mut *db)
                .await?
        }
        None => None,
    };
    let consent: Option<(String, String, i64)> =
        sqlx::query_as("SELECT seller_name, shared_json, consented_at FROM order_consents WHERE order_id = ?")
            .bind(order_id)
            .fetch_optional(&mut *db)
            .await?;
    let consent = match consent {
        Some((seller_name, shared_json, consented_at)) => Some(ContactConsent {
            seller_name,
            shared: serde_json::from_str(&shared_json).map_err(ApiError::internal)?,
            consented_at: from_unix(consented_at),
        }),
        None => None,
    };
    let vpc: Option<Vpc> = match row.vpc_id {
        Some(vpc_id) => crate::routes::vpcs::load_vpc_in(&mut *db, account_id, vpc_id).await?,
        None => None,
    };
    let job: Option<(String, i64, Option<String>)> =
        sqlx::query_as("SELECT state, attempts, last_error FROM provisioning_jobs WHERE order_id = ?")
            .bind(order_id)
            .fetch_optional(&mut *db)
            .await?;
    let provisioning = match (job, ProvisioningKind::parse(&row.provisioning_kind), summary.status) {
        (Some((state, attempts, last_error)), _, _) => ProvisioningProgress {
            state: match state.as_str() {
                "succeeded" => ProvisioningState::Ready,
                "failed" => ProvisioningState::Failed,
                _ => ProvisioningState::InProgress,
            },
            attempts: u32::try_from(attempts).unwrap_or(0),
            last_error,
        },
        (None, ProvisioningKind::None, _) | (None, _, OrderStatus::Cancelled) => {
            ProvisioningProgress { state: ProvisioningState::NotRequired, attempts: 0, last_error: None }
        }
        (None, _, _) => {
            ProvisioningProgress { state: ProvisioningState::AwaitingPayment, attempts: 0, last_error: None }
        }
    };
    let configuration = Configuration {
        sku_id: row.sku_id,
        billing_mode: summary.billing_mode,
        duration_months: row.duration_months,
        quantity: row.quantity,
        region: row.region.clone(),
    };
    debug_assert!(price.charge == Charge::Upfront || price.due_now.amount_minor == 0);
    Ok(Some(OrderDetail {
        summary,
        configuration,
        price,
        payment,
        reseller_name,
        consent,
        vpc,
        provisioning,
        expires_at: row.expires_at.map(from_unix),
        completed_at: row.completed_at.map(from_unix),
        cancelled_at: row.cancelled_at.map(from_unix),
    }))
}
