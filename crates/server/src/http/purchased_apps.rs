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
use bazaar_core::catalog::DeliveryMethod;
use bazaar_core::error_body::ErrorBody;
use bazaar_core::ids::{AccountId, AppId, OrderId};
use bazaar_core::lifecycle::{GRACE, Phase, RETENTION, grace_ends_at};
use bazaar_core::orders::order_number;
use bazaar_core::trials::{TRIAL_FROZEN_FOR, app_phase};
use bazaar_core::usage::{FREEZE_AFTER_ARREARS, RELEASE_AFTER_FREEZE, UsageStanding, freezes_at};
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::domain::secrets;
use crate::error::{ApiError, ApiResult};
use crate::http::auth::CurrentAccount;
use crate::http::extract::{ApiJson, ApiPath, ApiQuery, ClientAddress};
use crate::http::list_query::{ListQuery, contains_pattern};
use crate::infra::clock::from_unix;
use crate::infra::db::WriteScope;
use crate::state::AppState;
use crate::store;
use crate::store::purchased_apps::{AppRow, InstanceRow};

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

/// Where an app stands at `now`: its term's phase, or for a pay-per-use app in arrears
/// the phase its standing puts it in (frozen after a day, released after 15 more).
pub fn phase_at(expires_at: Option<i64>, trial: bool, usage_arrears_since: Option<i64>, now: i64) -> Phase {
    let term = app_phase(expires_at.map(from_unix), trial, from_unix(now));
    let usage = UsageStanding::at(usage_arrears_since.map(from_unix), from_unix(now)).phase();
    term.max(usage)
}

/// Whether unpaid usage (and not an expired term) is what locks the app at `now`.
fn usage_locks(expires_at: Option<i64>, usage_arrears_since: Option<i64>, now: i64) -> bool {
    Phase::at(expires_at.map(from_unix), from_unix(now)).is_usable()
        && !phase_at(expires_at, false, usage_arrears_since, now).is_usable()
}

fn phase_of(row: &AppRow, now: i64) -> Phase {
    if row.usage_released_at.is_some() {
        return Phase::Released;
    }
    phase_at(row.expires_at, row.trial, row.usage_arrears_since, now)
}

/// A purchased app as the lists show it, at `now`.
fn summary_of(row: &AppRow, now: i64) -> PurchasedAppSummary {
    PurchasedAppSummary {
        id: AppId::of_order(row.id),
        order_number: order_number(row.id),
        product_id: row.product_id,
        product_name: row.product_name.clone(),
        sku_name: row.sku_name.clone(),
        seller_name: row.seller_name.clone(),
        delivery_method: row.delivery_method,
        billing_mode: row.billing_mode,
        status: AppStatus::at(row.expires_at, now),
        phase: phase_of(row, now),
        purchased_at: from_unix(row.purchased_at),
        expires_at: row.expires_at.map(from_unix),
        trial: row.trial,
    }
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
    let pattern = text.as_deref().map(contains_pattern);
    let filter = store::purchased_apps::AppFilter {
        account_id: account.id,
        pattern: pattern.as_deref(),
        delivery: delivery.map(DeliveryMethod::as_str),
        status: status.map(AppStatus::as_str),
        now,
        released_after: RELEASED_AFTER,
        trial_released_after: TRIAL_FROZEN_FOR.whole_seconds(),
        usage_released_after: (FREEZE_AFTER_ARREARS + RELEASE_AFTER_FREEZE).whole_seconds(),
    };
    let total = store::purchased_apps::count(&state.db, &filter).await?;
    let (limit, offset) = (i64::from(page_size), i64::from(page - 1) * i64::from(page_size));
    let rows = store::purchased_apps::page(&state.db, &filter, limit, offset).await?;
    let items = rows.iter().map(|row| summary_of(row, now)).collect();
    let (total, server_now) = (u64::try_from(total).unwrap_or(0), from_unix(now));
    Ok(ApiJson(PurchasedAppPage { items, total, page, page_size, server_now }))
}

/// The customer's app `app_id`. Supervised orders still in their flow count only when
/// `in_supervision` is set (their application information is reached from Service
/// Supervision before they are listed here).
/// A released app is gone from here (it stays in My Orders); one the buyer unsubscribed
/// from answers 410 with when.
async fn owned_app(state: &AppState, account_id: AccountId, app_id: AppId, in_supervision: bool) -> ApiResult<AppRow> {
    let row = store::purchased_apps::owned(&state.db, account_id, app_id.order(), in_supervision)
        .await?
        .ok_or(ApiError::NotFound)?;
    if let Some(at) = row.unsubscribed_at {
        return Err(ApiError::Gone(format!(
            "You unsubscribed from this app on {}: it was released and its credentials were revoked.",
            from_unix(at).date()
        )));
    }
    match phase_of(&row, state.clock.unix_now()) {
        Phase::Released => Err(ApiError::NotFound),
        _ => Ok(row),
    }
}

async fn instance(state: &AppState, order_id: OrderId) -> ApiResult<Option<InstanceRow>> {
    Ok(store::purchased_apps::instance(&state.db, order_id).await?)
}

/// Application Information as the buyer sees it with the app in `phase`: a frozen app's
/// password is locked, and says so, instead of offering an eye button that would fail.
fn application_from(
    state: &AppState,
    order_id: OrderId,
    instance: Option<&InstanceRow>,
    phase: Phase,
    unpaid_usage: bool,
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
    let lock = PasswordLock::for_phase(phase).map(|lock| if unpaid_usage { PasswordLock::UnpaidUsage } else { lock });
    Ok(ApplicationInfo {
        instance_id: instance.map(|i| i.instance_id.clone()),
        username,
        password_revealable: has_password && lock.is_none(),
        password_locked: lock.filter(|_| has_password),
        frontend_url: instance.and_then(|i| i.frontend_url.clone()),
        management_url: instance.and_then(|i| i.management_url.clone()),
    })
}

/// The application information of order `order_id` once it is provisioned (no password).
pub async fn application_info(state: &AppState, order_id: OrderId) -> ApiResult<Option<ApplicationInfo>> {
    let Some(instance) = instance(state, order_id).await? else { return Ok(None) };
    let (expires_at, arrears_since, trial) = store::purchased_apps::expiry_and_arrears(&state.db, order_id).await?;
    let phase = phase_at(expires_at, trial, arrears_since, state.clock.unix_now());
    let unpaid_usage = usage_locks(expires_at, arrears_since, state.clock.unix_now());
    Ok(Some(application_from(state, order_id, Some(&instance), phase, unpaid_usage)?))
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
    let summary = summary_of(&row, now);
    let instance = instance(&state, app_id.order()).await?;
    let seller = store::purchased_apps::seller_contact(&state.db, app_id.order()).await?;
    Ok(ApiJson(PurchasedAppDetail {
        id: app_id,
        delivery_method: summary.delivery_method,
        application: application_from(
            &state,
            app_id.order(),
            instance.as_ref(),
            summary.phase,
            usage_locks(row.expires_at, row.usage_arrears_since, now),
        )?,
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
            trial: summary.trial,
            server_address: instance.as_ref().and_then(|i| i.server_address.clone()),
            login_user: instance.as_ref().and_then(|i| i.login_user.clone()),
        },
        seller: SellerInfo {
            name: seller.name,
            email: seller.email,
            phone: seller.phone,
            support_hours: seller.support_hours,
        },
        server_now: from_unix(now),
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
    if let Some(since) = app.usage_arrears_since
        && !phase_of(&app, state.clock.unix_now()).is_usable()
    {
        return Err(ApiError::Conflict(format!(
            "This app is frozen since {} for unpaid usage: pay what is outstanding to see its credentials again.",
            freezes_at(from_unix(since)).date()
        )));
    }
    if let Some(expires_at) = app.expires_at.map(from_unix)
        && !app_phase(Some(expires_at), app.trial, state.clock.now()).is_usable()
    {
        let (frozen_since, what) =
            if app.trial { (expires_at, "buy it") } else { (grace_ends_at(expires_at), "renew it") };
        return Err(ApiError::Conflict(format!(
            "This app is frozen since {}: {what} to see its credentials again.",
            frozen_since.date()
        )));
    }
    let instance = instance(&state, app_id.order()).await?.ok_or(ApiError::NotFound)?;
    let sealed = instance.password_ciphertext.as_deref().ok_or(ApiError::NotFound)?;
    let now = state.clock.unix_now();
    account.require_recent_login(now)?;
    let mut transaction = crate::infra::db::begin_write(&state.db, WriteScope::Account(account.id)).await?;
    let recent =
        store::purchased_apps::reveals_since(&mut transaction, account.id, now - REVEAL_WINDOW_SECONDS).await?;
    if recent.len() >= REVEAL_LIMIT as usize {
        let oldest = recent.first().copied().unwrap_or(now);
        let retry_after = u64::try_from(oldest + REVEAL_WINDOW_SECONDS - now).unwrap_or(1).max(1);
        return Err(ApiError::RateLimited { retry_after_seconds: retry_after });
    }
    let user_agent =
        headers.get(header::USER_AGENT).and_then(|v| v.to_str().ok()).map(|v| v.chars().take(300).collect::<String>());
    let reveal = store::purchased_apps::Reveal {
        account_id: account.id,
        order_id: app_id.order(),
        instance_id: &instance.instance_id,
        at: now,
        client_address: client_address.as_deref(),
        user_agent: user_agent.as_deref(),
    };
    store::purchased_apps::record_reveal(&mut transaction, reveal).await?;
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
