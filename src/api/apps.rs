//! Purchased Apps endpoints, including the explicit credential reveal.

use bazaar_core::apps::{PurchasedAppDetail, PurchasedAppPage, RevealedCredentials};
use bazaar_core::ids::AppId;
use bazaar_core::lifecycle::{UnsubscribeRequest, Unsubscription, UnsubscriptionQuote};
use bazaar_core::money::Money;
use gloo_net::http::Method;

use super::{ApiError, get, request};

/// `query` is the API's own query string (without the `?`).
pub async fn apps(query: String) -> Result<PurchasedAppPage, ApiError> {
    get(&format!("/purchased-apps?{query}")).await
}

pub async fn app(app_id: AppId) -> Result<PurchasedAppDetail, ApiError> {
    get(&format!("/purchased-apps/{app_id}")).await
}

pub async fn reveal_password(app_id: AppId) -> Result<RevealedCredentials, ApiError> {
    request(Method::POST, &format!("/purchased-apps/{app_id}/credentials/reveal"), None::<&()>, &[]).await
}

pub async fn unsubscription_quote(app_id: AppId) -> Result<UnsubscriptionQuote, ApiError> {
    get(&format!("/purchased-apps/{app_id}/unsubscription-quote")).await
}

/// Leaves the app if `refund` is still the refund (else 409 `quote_changed` with the new
/// quote in the error body); `idempotency_key` identifies the attempt.
pub async fn unsubscribe(app_id: AppId, refund: Money, idempotency_key: String) -> Result<Unsubscription, ApiError> {
    request(
        Method::POST,
        &format!("/purchased-apps/{app_id}/unsubscribe"),
        Some(&UnsubscribeRequest { refund }),
        &[(bazaar_core::orders::IDEMPOTENCY_KEY_HEADER, idempotency_key.as_str())],
    )
    .await
}
