//! Cross-origin policy and security headers.
//!
//! The session cookie is `SameSite=Lax`, which already keeps it off cross-site POSTs; the
//! `Origin` check below is the second, explicit line: a state-changing request whose
//! `Origin` is neither this server nor an allowed origin is refused before any handler
//! runs. CORS (with credentials) is granted only to the configured origins.

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderName, HeaderValue, Method, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use tower_http::cors::{AllowOrigin, CorsLayer};

use crate::error::ApiError;
use crate::state::AppState;

/// Origins a developer's `trunk serve` uses; allowed by default in demo mode only.
pub const DEV_ORIGINS: [&str; 2] = ["http://127.0.0.1:8080", "http://localhost:8080"];

/// The origins allowed for credentialed cross-origin and state-changing requests.
pub fn allowed_origins(state: &AppState) -> Vec<String> {
    if state.config.allowed_origins.is_empty() && state.config.demo {
        DEV_ORIGINS.iter().map(|origin| (*origin).to_owned()).collect()
    } else {
        state.config.allowed_origins.iter().map(|origin| origin.trim_end_matches('/').to_owned()).collect()
    }
}

/// Refuses state-changing requests from origins that are neither this server nor allowed.
pub async fn check_origin(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let safe = matches!(*request.method(), Method::GET | Method::HEAD | Method::OPTIONS);
    if !safe && let Some(origin) = request.headers().get(header::ORIGIN) {
        let origin = origin.to_str().unwrap_or("");
        let host = request.headers().get(header::HOST).and_then(|h| h.to_str().ok()).unwrap_or("");
        let same_origin = origin.split_once("://").map(|(_, authority)| authority == host).unwrap_or(false);
        let allowed = allowed_origins(&state).iter().any(|allowed| allowed == origin);
        if !(same_origin || allowed) {
            tracing::warn!(origin, method = %request.method(), path = %request.uri().path(), "refused cross-origin request");
            return ApiError::Forbidden("Requests from this origin are not allowed.").into_response();
        }
    }
    next.run(request).await
}

pub fn cors_layer(state: &AppState) -> CorsLayer {
    let origins: Vec<HeaderValue> =
        allowed_origins(state).iter().filter_map(|origin| HeaderValue::from_str(origin).ok()).collect();
    CorsLayer::new()
        .allow_origin(AllowOrigin::list(origins))
        .allow_credentials(true)
        .allow_methods([Method::GET, Method::POST, Method::PUT, Method::DELETE, Method::PATCH])
        .allow_headers([header::CONTENT_TYPE, header::IF_MATCH, HeaderName::from_static("idempotency-key")])
        .expose_headers([header::ETAG, header::RETRY_AFTER])
}

/// Headers every response carries, whatever produced it.
pub async fn security_headers(request: Request<Body>, next: Next) -> Response {
    let is_api = request.uri().path().starts_with("/api/");
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    headers.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    headers.insert(header::REFERRER_POLICY, HeaderValue::from_static("no-referrer"));
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    if !headers.contains_key(header::CONTENT_SECURITY_POLICY) {
        headers.insert(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static("default-src 'none'; frame-ancestors 'none'"),
        );
    }
    // API answers are personal; no shared cache or browser history should keep them.
    if is_api && !headers.contains_key(header::CACHE_CONTROL) {
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    response
}
