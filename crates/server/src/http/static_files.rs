//! Serving a built SPA (`dist/`) from the same binary: hashed assets cached forever,
//! `index.html` for every client-side route, and a Content-Security-Policy that allows
//! exactly the inline loader script of index.html (by its SHA-256) and wasm compilation, and
//! a `Link` header that starts the downloads the page's head asks for before its HTML is parsed.

use std::path::Path;

use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::Request;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
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

/// The stylesheet, preload and modulepreload links of index.html's `<head>` as one `Link`
/// header value. A browser starts those downloads when the response's headers arrive instead
/// of when its parser reaches them: on a slow phone (4× CPU) committing the document and
/// parsing its first lines takes about 150 ms, and the wasm module (the critical path of every
/// first load) waits for it. Each link is repeated with the same `as`, `type` and
/// `crossorigin`, so the element that follows in the HTML finds the same download rather
/// than starting a second one. `None` when the head has no such links (a development build).
pub fn preload_link_header(index_html: &str) -> Option<HeaderValue> {
    let head = &index_html[..index_html.find("</head>").unwrap_or(index_html.len())];
    let links: Vec<String> = head
        .split("<link")
        .skip(1)
        .filter_map(|rest| {
            // The tag's inside, from the space before its first attribute.
            let tag = &rest[..rest.find('>')?];
            let href = tag_attribute(tag, "href")?;
            if !href.starts_with('/') || href.starts_with("//") {
                return None;
            }
            match tag_attribute(tag, "rel")? {
                "stylesheet" => Some(format!("<{href}>; rel=preload; as=style")),
                "modulepreload" => Some(format!("<{href}>; rel=modulepreload")),
                "preload" => {
                    let mut link = format!("<{href}>; rel=preload; as={}", tag_attribute(tag, "as")?);
                    if let Some(media_type) = tag_attribute(tag, "type") {
                        link.push_str(&format!("; type=\"{media_type}\""));
                    }
                    if let Some(mode) = tag_attribute(tag, "crossorigin") {
                        link.push_str(&format!("; crossorigin={}", if mode.is_empty() { "anonymous" } else { mode }));
                    }
                    Some(link)
                }
                _ => None,
            }
        })
        .collect();
    if links.is_empty() {
        return None;
    }
    HeaderValue::from_str(&links.join(", ")).ok()
}

/// The value of ` name="…"` in the inside of one tag.
fn tag_attribute<'a>(tag: &'a str, name: &str) -> Option<&'a str> {
    let prefix = format!(" {name}=\"");
    let start = tag.find(&prefix)? + prefix.len();
    let length = tag[start..].find('"')?;
    Some(&tag[start..start + length])
}

/// A router serving `dir`, falling back to its `index.html` for unknown paths.
pub fn router(dir: &Path) -> std::io::Result<Router<AppState>> {
    let index_html = std::fs::read_to_string(dir.join("index.html"))?;
    let csp = HeaderValue::from_str(&content_security_policy(&index_html)).expect("CSP is ASCII");
    // Everything about index.html's answer is known at start-up: each request clones it.
    let mut index_headers = HeaderMap::new();
    index_headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("text/html; charset=utf-8"));
    index_headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    index_headers.insert(header::CONTENT_SECURITY_POLICY, csp.clone());
    if let Some(links) = preload_link_header(&index_html) {
        index_headers.insert(header::LINK, links);
    }
    let index_body = Bytes::from(index_html);
    let index = move || {
        let (headers, body) = (index_headers.clone(), index_body.clone());
        async move { (StatusCode::OK, headers, Body::from(body)).into_response() }
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
    fn head_links_become_one_preload_header() {
        let html = r#"<head><title>x</title>
    <link rel="modulepreload" href="/pkg-0f24/bazaar-web.js" />
    <link rel="preload" href="/pkg-0f24/bazaar-web_bg.wasm" as="fetch" type="application/wasm" crossorigin="anonymous" />
    <link rel="stylesheet" href="/main-b016.css" />
    <link rel="icon" href="/favicon.svg" type="image/svg+xml" />
    <link rel="preload" href="https://elsewhere.example/x.js" as="script" />
  </head><body><link rel="preload" href="/late.wasm" as="fetch" /></body>"#;
        let header = preload_link_header(html).expect("a header");
        assert_eq!(
            header.to_str().unwrap(),
            "</pkg-0f24/bazaar-web.js>; rel=modulepreload, \
             </pkg-0f24/bazaar-web_bg.wasm>; rel=preload; as=fetch; type=\"application/wasm\"; crossorigin=anonymous, \
             </main-b016.css>; rel=preload; as=style"
        );
        // A development index.html (Trunk's, or the template) has nothing to preload.
        assert!(preload_link_header("<head><link rel=\"icon\" href=\"/favicon.svg\" /></head>").is_none());
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
