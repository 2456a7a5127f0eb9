//! Cross-origin policy and security headers.
//!
//! The session cookie is `SameSite=Lax`, which already keeps it off cross-site POSTs; the
//! origin check below is the second, explicit line: a state-changing request that does not
//! show it comes from this server or an allowed origin is refused before any handler runs.
//! CORS (with credentials) is granted only to the configured origins.

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

/// An origin reduced to what same-origin compares: scheme, host and port (the default
/// port made explicit), lower-cased.
fn normalized_origin(origin: &str) -> Option<(String, String, u16)> {
    let uri: axum::http::Uri = origin.parse().ok()?;
    let scheme = uri.scheme_str()?.to_ascii_lowercase();
    let authority = uri.authority()?;
    if authority.as_str().contains('@')
        || uri.path_and_query().is_some_and(|p| !p.as_str().is_empty() && p.as_str() != "/")
    {
        return None;
    }
    let port = authority.port_u16().or(match scheme.as_str() {
        "https" => Some(443),
        "http" => Some(80),
        _ => None,
    })?;
    Some((scheme, authority.host().to_ascii_lowercase(), port))
}

/// This server's own origin as the browser sees it: the `Host` it was asked for, over https
/// when cookies are secure (TLS is then terminated here or by a proxy in front), else http.
fn own_origin(state: &AppState, headers: &axum::http::HeaderMap) -> Option<(String, String, u16)> {
    let host = headers.get(header::HOST)?.to_str().ok()?;
    let scheme = if state.config.cookies_are_secure() { "https" } else { "http" };
    normalized_origin(&format!("{scheme}://{host}"))
}

/// Refuses state-changing requests that do not come from this server's own pages or an
/// allowed origin. `Origin` is compared by scheme, host and port; a request without it must
/// say `Sec-Fetch-Site: same-origin` (or `none`, typed by the user); a request with neither
/// header (an old browser, or a script) is refused, since nothing shows where it came from.
pub async fn check_origin(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let safe = matches!(*request.method(), Method::GET | Method::HEAD | Method::OPTIONS);
    if safe || crate::http::access::access_of(&request) == Some(crate::http::access::Access::Signed) {
        return next.run(request).await;
    }
    let headers = request.headers();
    let verdict = match headers.get(header::ORIGIN) {
        Some(origin) => {
            let origin = origin.to_str().ok().and_then(normalized_origin);
            let same = origin.is_some() && origin == own_origin(&state, headers);
            let allowed =
                origin.is_some() && allowed_origins(&state).iter().any(|allowed| normalized_origin(allowed) == origin);
            if same || allowed { Ok(()) } else { Err("origin not allowed") }
        }
        None => match headers.get("sec-fetch-site").and_then(|value| value.to_str().ok()) {
            Some("same-origin" | "none") => Ok(()),
            Some(_) => Err("cross-site request without an Origin header"),
            None => Err("no Origin or Sec-Fetch-Site header"),
        },
    };
    if let Err(reason) = verdict {
        let origin = headers.get(header::ORIGIN).and_then(|value| value.to_str().ok()).unwrap_or("-");
        tracing::warn!(target: "security", origin, reason, method = %request.method(), path = %request.uri().path(),
            "refused a state-changing request");
        return ApiError::Forbidden("Requests from this origin are not allowed.").into_response();
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
pub async fn security_headers(State(state): State<AppState>, request: Request<Body>, next: Next) -> Response {
    let is_api = request.uri().path().starts_with("/api/");
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    if state.config.cookies_are_secure() {
        // Browsers that saw this once never again talk to this host over plain http.
        headers
            .insert(header::STRICT_TRANSPORT_SECURITY, HeaderValue::from_static("max-age=63072000; includeSubDomains"));
    }
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

#[cfg(test)]
mod tests {
    use super::normalized_origin;

    #[test]
    fn origins_compare_by_scheme_host_and_port() {
        assert_eq!(normalized_origin("https://Shop.example"), Some(("https".into(), "shop.example".into(), 443)));
        assert_eq!(normalized_origin("https://shop.example:443"), normalized_origin("https://shop.example"));
        assert_ne!(normalized_origin("http://shop.example"), normalized_origin("https://shop.example"));
        assert_ne!(normalized_origin("https://shop.example:8443"), normalized_origin("https://shop.example"));
        assert_eq!(normalized_origin("null"), None);
        assert_eq!(normalized_origin("https://user@shop.example"), None);
        assert_eq!(normalized_origin("ftp://shop.example"), None);
    }
}
