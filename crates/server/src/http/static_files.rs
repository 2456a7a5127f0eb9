//! Serving a built SPA (`dist/`) from the same binary: hashed assets cached forever,
//! `index.html` for every client-side route, and a Content-Security-Policy that allows
//! exactly the inline loader script of index.html (by its SHA-256) and wasm compilation.

use std::path::Path;

use axum::Router;
use axum::body::Body;
use axum::extract::Request;
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use base64::Engine as _;
use sha2::{Digest, Sha256};
use tower_http::services::ServeDir;

use crate::state::AppState;

/// The CSP for the SPA's HTML: no inline code but the loader scripts whose hashes are
/// listed, `'wasm-unsafe-eval'` for WebAssembly (never `'unsafe-eval'`).
pub fn content_security_policy(index_html: &str) -> String {
    let hashes: Vec<String> = inline_scripts(index_html)
        .iter()
        .map(|script| {
            let digest = Sha256::digest(script.as_bytes());
            format!("'sha256-{}'", base64::engine::general_purpose::STANDARD.encode(digest))
        })
        .collect();
    format!(
        "default-src 'self'; script-src 'self' 'wasm-unsafe-eval' {}; style-src 'self'; img-src 'self' data:; \
         connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'",
        hashes.join(" ")
    )
}

/// The bodies of `<script>` elements without a `src` attribute.
fn inline_scripts(html: &str) -> Vec<&str> {
    let mut scripts = Vec::new();
    let mut rest = html;
    while let Some(start) = rest.find("<script") {
        let after_tag_name = &rest[start..];
        let Some(tag_end) = after_tag_name.find('>') else {
            break;
        };
        let tag = &after_tag_name[..tag_end];
        let body_start = &after_tag_name[tag_end + 1..];
        let Some(body_end) = body_start.find("</script>") else {
            break;
        };
        if !tag.contains(" src=") {
            scripts.push(&body_start[..body_end]);
        }
        rest = &body_start[body_end..];
    }
    scripts
}

/// A router serving `dir`, falling back to its `index.html` for unknown paths.
pub fn router(dir: &Path) -> std::io::Result<Router<AppState>> {
    let index_html = std::fs::read_to_string(dir.join("index.html"))?;
    let csp = HeaderValue::from_str(&content_security_policy(&index_html)).expect("CSP is ASCII");
    let index_csp = csp.clone();
    let index = move || {
        let html = index_html.clone();
        let csp = index_csp.clone();
        async move {
            (
                StatusCode::OK,
                [
                    (header::CONTENT_TYPE, HeaderValue::from_static("text/html; charset=utf-8")),
                    (header::CACHE_CONTROL, HeaderValue::from_static("no-cache")),
                    (header::CONTENT_SECURITY_POLICY, csp),
                ],
                html,
            )
                .into_response()
        }
    };
    let assets = ServeDir::new(dir).precompressed_br().precompressed_gzip().append_index_html_on_directories(false);
    // index.html carries the app shell and its loader (about 14 KB): compressed, it is one
    // round trip's worth on a slow phone network. The other files are precompressed.
    let compression = tower_http::compression::CompressionLayer::new();
    Ok(Router::new()
        .route("/", axum::routing::get(index.clone()).layer(compression.clone()))
        .route("/index.html", axum::routing::get(index.clone()).layer(compression.clone()))
        .fallback_service(assets.fallback(axum::routing::get(index).layer(compression)))
        .layer(axum::middleware::from_fn(move |request: Request<Body>, next: Next| {
            let csp = csp.clone();
            async move { cache_headers(request, next, csp).await }
        })))
}

/// Trunk names built assets with a content hash, so they can be cached for a year; the
/// few files without one (config.json) must be revalidated so deployers can edit them.
async fn cache_headers(request: Request<Body>, next: Next, csp: HeaderValue) -> Response {
    let path = request.uri().path().to_owned();
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    let is_html = headers
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .is_some_and(|value| value.starts_with("text/html"));
    if is_html {
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
        headers.insert(header::CONTENT_SECURITY_POLICY, csp);
    } else if !headers.contains_key(header::CACHE_CONTROL) {
        let value = if is_hashed_asset(&path) { "public, max-age=31536000, immutable" } else { "no-cache" };
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(value));
    }
    response
}

/// `/main-0123456789abcdef.css`, `/pkg-0123456789abcdef/chunk_7.wasm` and the like: a hex
/// hash after a dash in the file's stem or in a directory's name (`cargo xtask dist` puts
/// the wasm modules, which refer to each other by relative URLs, in one hashed directory).
/// Trunk prints its 64-bit hash without leading zeros, so it is up to 16 digits.
fn is_hashed_asset(path: &str) -> bool {
    let has_hash = |segment: &str| {
        let stem = segment.split('.').next().unwrap_or(segment);
        let stem = stem.strip_suffix("_bg").unwrap_or(stem);
        stem.rsplit_once('-')
            .is_some_and(|(_, hash)| (8..=16).contains(&hash.len()) && hash.chars().all(|c| c.is_ascii_hexdigit()))
    };
    path.split('/').any(has_hash)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_inline_scripts_only() {
        let html = r#"<head><script src="/a.js"></script><script type="module">import x from '/b.js';</script></head>"#;
        assert_eq!(inline_scripts(html), vec!["import x from '/b.js';"]);
        let csp = content_security_policy(html);
        assert!(csp.contains("'sha256-"));
        assert!(csp.contains("'wasm-unsafe-eval'"));
        assert!(!csp.contains("'unsafe-eval'"));
    }

    #[test]
    fn recognises_hashed_assets() {
        assert!(is_hashed_asset("/bazaar-web-0123456789abcdef_bg.wasm"));
        assert!(is_hashed_asset("/bazaar-web-0123456789abcdef.js"));
        assert!(is_hashed_asset("/style-0123456789abcdef.css"));
        // A hash whose top digit is zero is printed with 15 digits.
        assert!(is_hashed_asset("/bazaar-web-9c0b6b0b71fc72c.js"));
        assert!(is_hashed_asset("/pkg-0123456789abcdef/chunk_7.wasm"));
        assert!(is_hashed_asset("/pkg-0123456789abcdef/bazaar-web_bg.wasm"));
        assert!(!is_hashed_asset("/bazaar-web.js"));
        assert!(!is_hashed_asset("/pkg/chunk_7.wasm"));
        assert!(!is_hashed_asset("/config.json"));
        assert!(!is_hashed_asset("/favicon.svg"));
    }
}
