//! Renewal Management endpoints.

use bazaar_core::ids::AppId;
use bazaar_core::lifecycle::{AutoRenew, RenewableApp, RenewableAppPage, RenewalRequest};
use bazaar_core::orders::{IDEMPOTENCY_KEY_HEADER, OrderDetail};
use gloo_net::http::Method;

use super::{ApiError, get, request};

/// `query` is the API's own query string (without the `?`).
pub async fn renewable(query: String) -> Result<RenewableAppPage, ApiError> {
    get(&format!("/renewals?{query}")).await
}

/// Places a renewal order; `idempotency_key` identifies the attempt.
pub async fn renew(renewal: RenewalRequest, idempotency_key: String) -> Result<OrderDetail, ApiError> {
    request(Method::POST, "/renewals", Some(&renewal), &[(IDEMPOTENCY_KEY_HEADER, idempotency_key.as_str())]).await
}

pub async fn set_auto_renew(app_id: AppId, setting: AutoRenew) -> Result<RenewableApp, ApiError> {
    request(Method::PUT, &format!("/renewals/{app_id}/auto-renew"), Some(&setting), &[]).await
}
