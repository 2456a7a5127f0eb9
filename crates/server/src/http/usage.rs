//! `POST /api/v1/seller/usage`: sellers' systems report pay-per-use usage. A machine API:
//! signed with the seller's access key like the provisioning calls (one verifier for
//! both, `infra::crypto::SignedHeaders`), no session cookie, no CSRF check, and a budget
//! of calls per seller and minute. The protocol is in `docs/usage-api.md`.

use axum::body::Bytes;
use axum::extract::State;
use axum::http::HeaderMap;
use bazaar_core::error_body::ErrorBody;
use bazaar_core::usage::{UsageReport, UsageReportAnswer};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::domain::usage::ingest;
use crate::error::{ApiError, ApiResult};
use crate::http::extract::ApiJson;
use crate::infra::signed_requests::{SELLER_HEADER, SignatureProblem, SignedHeaders};
use crate::state::AppState;

/// Reports one seller may send per minute to one instance (1,000 records each).
pub const CALLS_PER_MINUTE: u32 = 600;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(report_usage))
}

fn header<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers.get(name).and_then(|value| value.to_str().ok())
}

/// Records a seller's usage: up to 1,000 records (app, dimension, quantity, UTC hour),
/// each answered in order — accepted (with its amount), duplicate, or refused with a
/// reason. Headers: `X-Bazaar-Seller` (the seller's id), `X-Bazaar-Timestamp` (unix
/// seconds, within 5 minutes), `X-Bazaar-Nonce` (16–64 characters, never reused) and
/// `X-Bazaar-Signature` (hex HMAC-SHA256 of `timestamp.nonce.body` with the seller's key).
#[utoipa::path(post, path = "/seller/usage", tag = "usage",
    request_body = UsageReport,
    responses((status = 200, body = UsageReportAnswer, description = "Every record's outcome, in the report's order."),
              (status = 400, body = ErrorBody, description = "The body is not a usage report."),
              (status = 401, body = ErrorBody, description = "`signature_refused`: missing headers, stale timestamp, wrong signature or reused nonce."),
              (status = 422, body = ErrorBody, description = "More than 1,000 records."),
              (status = 429, body = ErrorBody, description = "Over the seller's calls per minute.")))]
async fn report_usage(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Bytes,
) -> ApiResult<ApiJson<UsageReportAnswer>> {
    let seller_id: i64 = header(&headers, SELLER_HEADER)
        .and_then(|value| value.parse().ok())
        .ok_or(ApiError::SignatureRefused(SignatureProblem::MissingHeaders))?;
    let signed = SignedHeaders::read(|name| header(&headers, name)).map_err(ApiError::SignatureRefused)?;
    // An unknown seller is refused like a wrong signature: nothing tells ids apart.
    let key = crate::domain::secrets::seller_key(&state.db, &state.master_keys, seller_id)
        .await?
        .ok_or(ApiError::SignatureRefused(SignatureProblem::BadSignature))?;
    let now = state.clock.unix_now();
    if let Err(problem) = signed.check(&key, &body, now) {
        tracing::warn!(target: "security", seller_id, ?problem, "usage report refused");
        return Err(ApiError::SignatureRefused(problem));
    }
    state.usage_calls.check(seller_id).map_err(|retry_after_seconds| ApiError::RateLimited { retry_after_seconds })?;
    let report: UsageReport = serde_json::from_slice(&body)
        .map_err(|error| ApiError::BadRequest(format!("The body is not a usage report: {error}.")))?;
    // The nonce is claimed in the transaction that stores the records.
    let answer = ingest::ingest(&state, seller_id, signed.nonce, report).await?;
    tracing::info!(
        seller_id,
        accepted = answer.accepted,
        duplicates = answer.duplicates,
        refused = answer.refused,
        "usage report"
    );
    Ok(ApiJson(answer))
}
