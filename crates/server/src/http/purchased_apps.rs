//! `/api/v1/purchased-apps`: what the customer owns (completed orders) and each app's
//! Resource Details, plus the one way to see an initial password: an explicit, audited,
//! rate-limited reveal that needs a recent login.
//!
//! Apps are looked up by owner, so another buyer, a seller or operations staff get 404 —
//! never a hint that the app exists. A supervised product is listed only once its order
//! is Completed, which its supervision flow decides.

use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{IntoResponse, Response};
use bazaar_core::apps::{
    AppStatus, ApplicationInfo, BasicInfo, DEFAULT_APP_PAGE_SIZE, MAX_APP_PAGE_SIZE, PasswordLock, PurchasedAppDetail,
    PurchasedAppPage, PurchasedAppSummary, REVEAL_LIMIT, REVEAL_WINDOW_SECONDS, RevealedCredentials, SellerInfo,
};
use bazaar_core::catalog::{BillingMode, DeliveryMethod};
use bazaar_core::error_body::ErrorBody;
use bazaar_core::ids::{AccountId, AppId, OrderId, ProductId};
use bazaar_core::lifecycle::{GRACE, Phase, RETENTION, grace_ends_at};
use bazaar_core::orders::order_number;
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::error::{ApiError, ApiResult};
use crate::http::auth::CurrentAccount;
use crate::http::extract::{ApiJson, ApiPath, ApiQuery, ClientAddress};
use crate::http::list_query::{ListQuery, contains_pattern};
use crate::infra::clock::from_unix;
use crate::infra::db::{self, WriteScope};
use crate::infra::secrets;
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(list_apps)).routes(routes!(app_detail)).routes(routes!(reveal_credentials))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AppListQuery {
    /// Words to find in the product, specification, seller or order number.
    pub q: Option<String>,
    /// saas | image | license | professional_service | consulting
    pub delivery: Option<String>,
    /// active | expired
    pub status: Option<String>,
    pub page: Option<String>,
    /// 1 to 50 (default 10).
    pub page_size: Option<String>,
}

/// An app whose term ended this long ago is released: no longer listed here.
const RELEASED_AFTER: i64 = GRACE.whole_seconds() + RETENTION.whole_seconds();

const APP_COLUMNS: &str = "o.id, o.product_id, o.product_name, o.sku_name, o.seller_name, o.delivery_method,
    o.billing_mode, o.region, COALESCE(o.paid_at, o.created_at) AS purchased_at, o.expires_at, o.unsubscribed_at";

#[derive(sqlx::FromRow)]
struct AppRow {
    id: OrderId,
    product_id: ProductId,
    product_name: String,
    sku_name: String,
    seller_name: String,
    delivery_method: DeliveryMethod,
    billing_mode: BillingMode,
    region: String,
    purchased_at: i64,
    expires_at: Option<i64>,
    unsubscribed_at: Option<i64>,
}

impl AppRow {
    fn summary(&self, now: i64) -> PurchasedAppSummary {
        PurchasedAppSummary {
            id: AppId::of_order(self.id),
            order_number: order_number(self.id),
            product_id: self.product_id,
            product_name: self.product_name.clone(),
            sku_name: self.sku_name.clone(),
            seller_name: self.seller_name.clone(),
            delivery_method: self.delivery_method,
            billing_mode: self.billing_mode,
            status: AppStatus::at(self.expires_at, now),
            phase: Phase::at(self.expires_at.map(from_unix), from_unix(now)),
            purchased_at: from_unix(self.purchased_at),
            expires_at: self.expires_at.map(from_unix),
        }
    }
}

#[derive(sqlx::FromRow)]
struct SellerRow {
    name: String,
    email: String,
    phone: String,
    support_hours: String,
}

/// Purchased Apps: the customer's completed purchases, newest first.
#[utoipa::path(get, path = "/purchased-apps", tag = "purchased-apps", params(AppListQuery),
    responses((status = 200, body = PurchasedAppPage), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody)))]
async fn list_apps(
    State(state): State<AppState>,
    account: CurrentAccount,
    ApiQuery(query): ApiQuery<AppListQuery>,
) -> ApiResult<ApiJson<PurchasedAppPage>> {
    let mut checks = ListQuery::new();
    let text = checks.search("q", query.q.as_deref());
    let delivery = checks.choice(
        "delivery",
        query.delivery.as_deref(),
        |text: &str| text.parse::<DeliveryMethod>().ok(),
        "Unknown delivery method.",
    );
    let status = checks.choice(
        "status",
        query.status.as_deref(),
        |text: &str| text.parse::<AppStatus>().ok(),
        "Use active or expired.",
    );
    let (page, page_size) =
        checks.paging(query.page.as_deref(), query.page_size.as_deref(), MAX_APP_PAGE_SIZE, DEFAULT_APP_PAGE_SIZE);
    checks.finish()?;
    let now = state.clock.unix_now();
    // `LIKE` is fine here: it scans one customer's purchases, not the catalog.
    let pattern = text.as_deref().map(contains_pattern);
    let filter = "o.account_id = $1 AND o.kind = 'purchase' AND o.status = 'completed'
        AND ($2 IS NULL OR lower(o.product_name || ' ' || o.sku_name || ' ' || o.seller_name || ' ' || 'BZ' || substr(CAST(100000000 + o.id AS TEXT), 2)) LIKE $2 ESCAPE '\\')
        AND ($3 IS NULL OR o.delivery_method = $3)
        AND ($4 IS NULL OR ($4 = 'expired') = (o.expires_at IS NOT NULL AND o.expires_at <= $5))
        AND (o.expires_at IS NULL OR o.expires_at > $5 - $8) AND o.unsubscribed_at IS NULL";
    let total: i64 = db::query_scalar(&format!("SELECT COUNT(*) FROM orders o WHERE {filter}"))
        .bind(account.id)
        .bind(&pattern)
        .bind(delivery.map(DeliveryMethod::as_str))
        .bind(status.map(AppStatus::as_str))
        .bind(now)
        .bind(None::<i64>)
        .bind(None::<i64>)
        .bind(RELEASED_AFTER)
        .fetch_one(&state.db)
        .await?;
    let rows: Vec<AppRow> = db::query_as(&format!(
        "SELECT {APP_COLUMNS} FROM orders o WHERE {filter}
         ORDER BY purchased_at DESC, o.id DESC LIMIT $6 OFFSET $7"
    ))
    .bind(account.id)
    .bind(&pattern)
    .bind(delivery.map(DeliveryMethod::as_str))
    .bind(status.map(AppStatus::as_str))
    .bind(now)
    .bind(i64::from(page_size))
    .bind(i64::from(page - 1) * i64::from(page_size))
    .bind(RELEASED_AFTER)
    .fetch_all(&state.db)
    .await?;
    let items = rows.iter().map(|row| row.summary(now)).collect();
    Ok(ApiJson(PurchasedAppPage { items, total: u64::try_from(total).unwrap_or(0), page, page_size }))
}

#[derive(sqlx::FromRow)]
struct InstanceRow {
    instance_id: String,
    frontend_url: Option<String>,
    management_url: Option<String>,
    username_ciphertext: Option<Vec<u8>>,
    password_ciphertext: Option<Vec<u8>>,
    server_address: Option<String>,
    login_user: Option<String>,
}

/// The customer's app `app_id`. Supervised orders still in their flow count only when
/// `in_supervision` is set (their application information is reached from Service
/// Supervision before they are listed here).
/// A released app is gone from here (it stays in My Orders); one the buyer unsubscribed
/// from answers 410 with when.
async fn owned_app(state: &AppState, account_id: AccountId, app_id: AppId, in_supervision: bool) -> ApiResult<AppRow> {
    let row: AppRow = db::query_as(&format!(
        "SELECT {APP_COLUMNS} FROM orders o WHERE o.id = $1 AND o.account_id = $2 AND o.kind = 'purchase'
           AND (o.status = 'completed' OR ($3 AND o.status = 'processing' AND o.supervised = TRUE))"
    ))
    .bind(app_id.order())
    .bind(account_id)
    .bind(in_supervision)
    .fetch_optional(&state.db)
    .await?
    .ok_or(ApiError::NotFound)?;
    if let Some(at) = row.unsubscribed_at {
        return Err(ApiError::Gone(format!(
            "You unsubscribed from this app on {}: it was released and its credentials were revoked.",
            from_unix(at).date()
        )));
    }
    match Phase::at(row.expires_at.map(from_unix), state.clock.now()) {
        Phase::Released => Err(ApiError::NotFound),
        _ => Ok(row),
    }
}

async fn instance(state: &AppState, order_id: OrderId) -> ApiResult<Option<InstanceRow>> {
    Ok(db::query_as(
        "SELECT instance_id, frontend_url, management_url, username_ciphertext, password_ciphertext,
                server_address, login_user FROM instances WHERE order_id = $1",
    )
    .bind(order_id)
    .fetch_optional(&state.db)
    .await?)
}

/// Application Information as the buyer sees it with the app in `phase`: a frozen app's
/// password is locked, and says so, instead of offering an eye button that would fail.
fn application_from(
    state: &AppState,
    order_id: OrderId,
    instance: Option<&InstanceRow>,
    phase: Phase,
) -> ApiResult<ApplicationInfo> {
    let username = match instance.and_then(|i| i.username_ciphertext.as_deref()) {
        Some(sealed) => Some(
            state
                .master_keys
                .open_string(secrets::app_secret_at(secrets::APP_USERNAME, order_id), sealed)
                .map_err(ApiError::internal)?,
        ),
        None => instance.and_then(|i| i.login_user.clone()),
    };
    let has_password = instance.is_some_and(|i| i.password_ciphertext.is_some());
    Ok(ApplicationInfo {
        instance_id: instance.map(|i| i.instance_id.clone()),
        username,
        password_revealable: has_password && PasswordLock::for_phase(phase).is_none(),
        password_locked: PasswordLock::for_phase(phase).filter(|_| has_password),
        frontend_url: instance.and_then(|i| i.frontend_url.clone()),
        management_url: instance.and_then(|i| i.management_url.clone()),
    })
}

/// The application information of order `order_id` once it is provisioned (no password).
pub async fn application_info(state: &AppState, order_id: OrderId) -> ApiResult<Option<ApplicationInfo>> {
    let Some(instance) = instance(state, order_id).await? else { return Ok(None) };
    let expires_at: Option<i64> =
        db::query_scalar("SELECT expires_at FROM orders WHERE id = $1").bind(order_id).fetch_one(&state.db).await?;
    let phase = Phase::at(expires_at.map(from_unix), state.clock.now());
    Ok(Some(application_from(state, order_id, Some(&instance), phase)?))
}

/// Resource Details: Application Information (without the password), Basic Information
/// and Seller Information.
#[utoipa::path(get, path = "/purchased-apps/{app_id}", tag = "purchased-apps",
    params(("app_id" = i64, Path, description = "Purchased app id (its order's id)")),
    responses((status = 200, body = PurchasedAppDetail), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody),
              (status = 410, body = ErrorBody, description = "The buyer unsubscribed from this app.")))]
async fn app_detail(
    State(state): State<AppState>,
    account: CurrentAccount,
    ApiPath(app_id): ApiPath<AppId>,
) -> ApiResult<ApiJson<PurchasedAppDetail>> {
    let row = owned_app(&state, account.id, app_id, false).await?;
    let now = state.clock.unix_now();
    let summary = row.summary(now);
    let instance = instance(&state, app_id.order()).await?;
    let seller: SellerRow = db::query_as(
        "SELECT s.name, s.email, s.phone, s.support_hours FROM orders o JOIN sellers s ON s.id = o.seller_id WHERE o.id = $1",
    )
    .bind(app_id.order())
    .fetch_one(&state.db)
    .await?;
    Ok(ApiJson(PurchasedAppDetail {
        id: app_id,
        delivery_method: summary.delivery_method,
        application: application_from(&state, app_id.order(), instance.as_ref(), summary.phase)?,
        basic: BasicInfo {
            product_id: summary.product_id,
            product_name: summary.product_name,
            sku_name: summary.sku_name,
            order_id: app_id.order(),
            order_number: summary.order_number,
            region: row.region,
            billing_mode: summary.billing_mode,
            status: summary.status,
            phase: summary.phase,
            purchased_at: summary.purchased_at,
            expires_at: summary.expires_at,
            server_address: instance.as_ref().and_then(|i| i.server_address.clone()),
            login_user: instance.as_ref().and_then(|i| i.login_user.clone()),
        },
        seller: SellerInfo {
            name: seller.name,
            email: seller.email,
            phone: seller.phone,
            support_hours: seller.support_hours,
        },
    }))
}

/// Reveals the app's initial password. Needs a login within the last 15 minutes (else 401
/// `reauthentication_required`); at most 5 reveals per account per 10 minutes (else 429
/// with `Retry-After`); every reveal is audited (who, which app, when, from where).
#[utoipa::path(post, path = "/purchased-apps/{app_id}/credentials/reveal", tag = "purchased-apps",
    params(("app_id" = i64, Path, description = "Purchased app id (its order's id)")),
    responses((status = 200, body = RevealedCredentials, description = "Sent with `Cache-Control: no-store`."),
              (status = 401, body = ErrorBody, description = "Not logged in, or the login is too old (`reauthentication_required`)."),
              (status = 404, body = ErrorBody), (status = 410, body = ErrorBody, description = "Unsubscribed: credentials revoked."),
              (status = 429, body = ErrorBody)))]
async fn reveal_credentials(
    State(state): State<AppState>,
    account: CurrentAccount,
    ApiPath(app_id): ApiPath<AppId>,
    ClientAddress(client_address): ClientAddress,
    headers: HeaderMap,
) -> ApiResult<Response> {
    let app = owned_app(&state, account.id, app_id, true).await?;
    if let Some(expires_at) = app.expires_at.map(from_unix)
        && !Phase::at(Some(expires_at), state.clock.now()).is_usable()
    {
        return Err(ApiError::Conflict(format!(
            "This app is frozen since {}: renew it to see its credentials again.",
            grace_ends_at(expires_at).date()
        )));
    }
    let instance = instance(&state, app_id.order()).await?.ok_or(ApiError::NotFound)?;
    let sealed = instance.password_ciphertext.as_deref().ok_or(ApiError::NotFound)?;
    let now = state.clock.unix_now();
    account.require_recent_login(now)?;
    let mut transaction = crate::infra::db::begin_write(&state.db, WriteScope::Account(account.id)).await?;
    let recent: Vec<i64> = db::query_scalar(
        "SELECT revealed_at FROM credential_reveals WHERE account_id = $1 AND revealed_at > $2 ORDER BY revealed_at",
    )
    .bind(account.id)
    .bind(now - REVEAL_WINDOW_SECONDS)
    .fetch_all(&mut *transaction)
    .await?;
    if recent.len() >= REVEAL_LIMIT as usize {
        let oldest = recent.first().copied().unwrap_or(now);
        let retry_after = u64::try_from(oldest + REVEAL_WINDOW_SECONDS - now).unwrap_or(1).max(1);
        return Err(ApiError::RateLimited { retry_after_seconds: retry_after });
    }
    let user_agent =
        headers.get(header::USER_AGENT).and_then(|v| v.to_str().ok()).map(|v| v.chars().take(300).collect::<String>());
    db::query(
        "INSERT INTO credential_reveals (account_id, order_id, instance_id, revealed_at, client_address, user_agent)
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(account.id)
    .bind(app_id.order())
    .bind(&instance.instance_id)
    .bind(now)
    .bind(&client_address)
    .bind(&user_agent)
    .execute(&mut *transaction)
    .await?;
    transaction.commit().await?;
    let password = state
        .master_keys
        .open_string(secrets::app_secret_at(secrets::APP_PASSWORD, app_id.order()), sealed)
        .map_err(ApiError::internal)?;
    tracing::info!(account_id = %account.id, %app_id, "credentials revealed");
    let mut response = ApiJson(RevealedCredentials { password }).into_response();
    response.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response.headers_mut().insert(header::PRAGMA, HeaderValue::from_static("no-cache"));
    Ok(response)
}
