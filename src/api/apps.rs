//! Purchased Apps endpoints, including the explicit credential reveal.

use bazaar_core::apps::{PurchasedAppDetail, PurchasedAppPage, RevealedCredentials};
use bazaar_core::ids::AppId;
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
