//! Demo mode only: the built-in seller endpoint that the demo catalog's sellers point at.
//! It behaves like a careful seller's system: it checks the signature, the timestamp and
//! the nonce, answers the same order line with the same instance, and seals the
//! credentials with the seller's key. Products marked `fail` always fail; `slow` ones take
//! a few seconds.

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use bazaar_core::error_body::ErrorBody;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::demo::catalog_spec::DemoBehavior;
use crate::domain::provisioning::{ProvisionRequest, ProvisionResponse};
use crate::error::{ApiError, ApiResult};
use crate::http::extract::{ApiJson, ApiPath};
use crate::infra::crypto::SecretKey;
use crate::infra::db;
use crate::state::AppState;

/// How long a `slow` product takes (under the backend's 5-second timeout).
const SLOW_PROVISIONING: std::time::Duration = std::time::Duration::from_secs(3);

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(provision)).routes(routes!(receive_notice))
}

/// The path a demo seller's `notices_url` holds.
pub fn demo_notices_path(seller_id: i64) -> String {
    format!("{}/demo/sellers/{seller_id}/notices", bazaar_core::API_PREFIX)
}

/// Demo mode only: a seller's lifecycle-notice endpoint. Checks the signature like the
/// provisioning endpoint and records each event once, however often it is delivered.
#[utoipa::path(post, path = "/demo/sellers/{seller_id}/notices", tag = "demo",
    params(("seller_id" = i64, Path, description = "Seller id")),
    request_body = bazaar_core::notices::NoticeBody,
    responses((status = 204, description = "Recorded (or already recorded)."),
              (status = 401, body = ErrorBody, description = "Bad or replayed signature.")))]
async fn receive_notice(
    State(state): State<AppState>,
    ApiPath(seller_id): ApiPath<i64>,
    headers: HeaderMap,
    body: Bytes,
) -> ApiResult<StatusCode> {
    let now = verify_signed(&state, seller_id, &headers, &body).await?;
    let notice: bazaar_core::notices::NoticeBody =
        serde_json::from_slice(&body).map_err(|_| ApiError::BadRequest("The body is not a notice.".to_owned()))?;
    db::query(
        "INSERT INTO demo_seller_notices (event_id, seller_id, body, received_at) VALUES ($1, $2, $3, $4)
         ON CONFLICT (event_id) DO UPDATE SET deliveries = demo_seller_notices.deliveries + 1",
    )
    .bind(&notice.event_id)
    .bind(seller_id)
    .bind(String::from_utf8_lossy(&body).into_owned())
    .bind(now)
    .execute(&state.db)
    .await?;
    tracing::info!(seller_id, event_id = notice.event_id, kind = notice.kind.as_str(), "demo seller got a notice");
    Ok(StatusCode::NO_CONTENT)
}

/// Checks a signed request with the one verifier (timestamp within the skew, HMAC), then
/// the nonce's first use in the demo seller's own store; returns now.
async fn verify_signed(state: &AppState, seller_id: i64, headers: &HeaderMap, body: &[u8]) -> ApiResult<i64> {
    let key: SecretKey = crate::domain::secrets::seller_key(&state.db, &state.master_keys, seller_id)
        .await?
        .ok_or(ApiError::NotFound)?;
    let now = state.clock.unix_now();
    let signed = crate::infra::signed_requests::SignedHeaders::read(|name| header(headers, name))
        .map_err(ApiError::SignatureRefused)?;
    if let Err(problem) = signed.check(&key, body, now) {
        tracing::warn!(seller_id, ?problem, "demo seller refused a signed request");
        return Err(ApiError::SignatureRefused(problem));
    }
    let fresh = db::query("INSERT INTO demo_seller_nonces (nonce, seen_at) VALUES ($1, $2) ON CONFLICT DO NOTHING")
        .bind(signed.nonce)
        .bind(now)
        .execute(&state.db)
        .await?;
    if fresh.rows_affected() == 0 {
        tracing::warn!(seller_id, "demo seller refused a replayed nonce");
        return Err(ApiError::SignatureRefused(crate::infra::signed_requests::SignatureProblem::ReusedNonce));
    }
    Ok(now)
}

/// The path a demo seller's `provisioning_url` holds; resolved against this server.
pub fn demo_provisioning_path(seller_id: i64) -> String {
    format!("{}/demo/sellers/{seller_id}/provision", bazaar_core::API_PREFIX)
}

fn header<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers.get(name).and_then(|value| value.to_str().ok())
}

/// Demo mode only: a seller's provisioning endpoint. Requests must carry
/// `X-Bazaar-Timestamp`, `X-Bazaar-Nonce` and `X-Bazaar-Signature` (hex HMAC-SHA256 of
/// `timestamp.nonce.body` with the seller's key).
#[utoipa::path(post, path = "/demo/sellers/{seller_id}/provision", tag = "demo",
    params(("seller_id" = i64, Path, description = "Seller id")),
    request_body = ProvisionRequest,
    responses((status = 200, body = ProvisionResponse), (status = 401, body = ErrorBody, description = "Bad or replayed signature."),
              (status = 503, body = ErrorBody, description = "The demo product that always fails.")))]
async fn provision(
    State(state): State<AppState>,
    ApiPath(seller_id): ApiPath<i64>,
    headers: HeaderMap,
    body: Bytes,
) -> ApiResult<Response> {
    let now = verify_signed(&state, seller_id, &headers, &body).await?;
    let key: SecretKey = crate::domain::secrets::seller_key(&state.db, &state.master_keys, seller_id)
        .await?
        .ok_or(ApiError::NotFound)?;
    let request: ProvisionRequest = serde_json::from_slice(&body)
        .map_err(|_| ApiError::BadRequest("The body is not a provisioning request.".to_owned()))?;

    let behaviour: DemoBehavior =
        db::query_scalar("SELECT provisioning_behavior FROM products WHERE id = $1 AND seller_id = $2")
            .bind(request.product_id)
            .bind(seller_id)
            .fetch_optional(&state.db)
            .await?
            .ok_or(ApiError::NotFound)?;
    match behaviour {
        DemoBehavior::Fail => {
            let body =
                ErrorBody::new(bazaar_core::error::ErrorCode::Internal, "Tenant creation failed: quota exhausted.");
            return Ok((StatusCode::SERVICE_UNAVAILABLE, axum::Json(body)).into_response());
        }
        DemoBehavior::Slow => tokio::time::sleep(SLOW_PROVISIONING).await,
        DemoBehavior::Normal => {}
    }

    if let Some(previous) = db::query_scalar::<String>(
        "SELECT response_json FROM demo_seller_instances WHERE seller_id = $1 AND order_line_id = $2",
    )
    .bind(seller_id)
    .bind(&request.order_line_id)
    .fetch_optional(&state.db)
    .await?
    {
        let previous: ProvisionResponse = serde_json::from_str(&previous).map_err(ApiError::internal)?;
        return Ok(ApiJson(previous).into_response());
    }

    let instance = hex::encode(rand::random::<[u8; 5]>());
    let slug: String = request
        .product_name
        .to_lowercase()
        .split_whitespace()
        .take(2)
        .collect::<Vec<_>>()
        .join("-")
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '-')
        .collect();
    let username = match &request.buyer_contact {
        Some(contact) => contact.email.clone(),
        None => format!("admin-{}", &instance[..6]),
    };
    let response = ProvisionResponse {
        instance_id: format!("saas-{instance}"),
        frontend_url: format!("https://{slug}.apps.example/t/{instance}"),
        management_url: format!("https://console.{slug}.example/tenants/{instance}"),
        username_sealed: key.seal_base64(&username),
        password_sealed: key.seal_base64(&initial_password()),
    };
    let stored = serde_json::to_string(&response).map_err(ApiError::internal)?;
    db::query(
        "INSERT INTO demo_seller_instances (seller_id, order_line_id, response_json, created_at) VALUES ($1, $2, $3, $4)
         ON CONFLICT DO NOTHING",
    )
    .bind(seller_id)
    .bind(&request.order_line_id)
    .bind(&stored)
    .bind(now)
    .execute(&state.db)
    .await?;
    // A concurrent duplicate may have won the insert; answer with whatever was stored.
    let stored: String =
        db::query_scalar("SELECT response_json FROM demo_seller_instances WHERE seller_id = $1 AND order_line_id = $2")
            .bind(seller_id)
            .bind(&request.order_line_id)
            .fetch_one(&state.db)
            .await?;
    let response: ProvisionResponse = serde_json::from_str(&stored).map_err(ApiError::internal)?;
    Ok(ApiJson(response).into_response())
}

/// A 16-character initial password with upper, lower, digits and a symbol.
fn initial_password() -> String {
    use rand::Rng as _;
    use rand::seq::SliceRandom as _;
    const UPPER: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZ";
    const LOWER: &[u8] = b"abcdefghijkmnopqrstuvwxyz";
    const DIGITS: &[u8] = b"23456789";
    const SYMBOLS: &[u8] = b"!@#%-_+";
    let mut rng = rand::thread_rng();
    let all: Vec<u8> = [UPPER, LOWER, DIGITS, SYMBOLS].concat();
    let mut chars: Vec<u8> = Vec::with_capacity(16);
    for set in [UPPER, LOWER, DIGITS, SYMBOLS] {
        chars.push(set[rng.gen_range(0..set.len())]);
    }
    for _ in 0..12 {
        chars.push(all[rng.gen_range(0..all.len())]);
    }
    chars.shuffle(&mut rng);
    String::from_utf8(chars).expect("ASCII")
}
