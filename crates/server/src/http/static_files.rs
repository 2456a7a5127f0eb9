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

/// index.html's answer, all of it known at start-up: each request clones it.
#[derive(Clone)]
struct IndexAnswer {
    headers: HeaderMap,
    body: Bytes,
    /// The body compressed with brotli at quality 11. The on-the-fly compression layer's
    /// quicker setting made it 2.6 KB larger, and with the CSP and `Link` headers the answer
    /// no longer fitted the ten packets a new connection may send before its first
    /// acknowledgement: one more round trip before the first paint.
    brotli_body: Bytes,
}

impl IndexAnswer {
    fn new(index_html: String, csp: HeaderValue) -> IndexAnswer {
        let mut headers = HeaderMap::new();
        headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("text/html; charset=utf-8"));
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
        headers.insert(header::CONTENT_SECURITY_POLICY, csp);
        headers.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
        if let Some(links) = preload_link_header(&index_html) {
            headers.insert(header::LINK, links);
        }
        let mut brotli_body = Vec::new();
        {
            let mut writer = brotli::CompressorWriter::new(&mut brotli_body, 64 * 1024, 11, 22);
            std::io::Write::write_all(&mut writer, index_html.as_bytes()).expect("compressing into memory");
        }
        IndexAnswer { headers, body: Bytes::from(index_html), brotli_body: Bytes::from(brotli_body) }
    }

    /// The brotli body for a browser that accepts it; otherwise the plain one, which the
    /// compression layer gzips (it leaves an answer that has a `Content-Encoding` alone).
    fn respond(&self, request_headers: &HeaderMap) -> Response {
        let mut headers = self.headers.clone();
        if accepts_brotli(request_headers) {
            headers.insert(header::CONTENT_ENCODING, HeaderValue::from_static("br"));
            (StatusCode::OK, headers, Body::from(self.brotli_body.clone())).into_response()
        } else {
            (StatusCode::OK, headers, Body::from(self.body.clone())).into_response()
        }
    }
}

/// Whether `Accept-Encoding` lists `br` without refusing it (`br;q=0`).
fn accepts_brotli(request_headers: &HeaderMap) -> bool {
    request_headers.get_all(header::ACCEPT_ENCODING).iter().filter_map(|value| value.to_str().ok()).any(|value| {
        value.split(',').any(|coding| {
            let mut parts = coding.split(';').map(str::trim);
            parts.next().is_some_and(|name| name.eq_ignore_ascii_case("br"))
                && parts.all(|parameter| {
                    parameter.strip_prefix("q=").and_then(|q| q.parse::<f32>().ok()).is_none_or(|q| q > 0.0)
                })
        })
    })
}

/// A router serving `dir`, falling back to its `index.html` for unknown paths.
pub fn router(dir: &Path) -> std::io::Result<Router<AppState>> {
    let index_html = std::fs::read_to_string(dir.join("index.html"))?;
    let config_json = std::fs::read_to_string(dir.join("config.json")).ok();
    let index_html = with_api_base(index_html, config_json.as_deref());
    let csp = HeaderValue::from_str(&content_security_policy(&index_html)).expect("CSP is ASCII");
    let answer = IndexAnswer::new(index_html, csp.clone());
    let index = move |request_headers: HeaderMap| {
        let response = answer.respond(&request_headers);
        async move { response }
    };
    let assets = ServeDir::new(dir).precompressed_br().precompressed_gzip().append_index_html_on_directories(false);
    // index.html carries the app shell and its scripts (about 45 KB raw): for a browser
    // without brotli, gzipped on the fly. The other files are precompressed.
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

/// index.html with the API's address from the `config.json` beside it, in a
/// `<meta name="bazaar-api-base">` after the charset: the loader in the head then starts the
/// page's first API requests at once, instead of a round trip later when `config.json` has
/// arrived. Read at start-up from the very file served as `/config.json` (the loader still
/// reads that, and asks again if it names another address). Unchanged when there is no
/// readable address: the loader waits for `config.json` then, as it does on a CDN.
fn with_api_base(index_html: String, config_json: Option<&str>) -> String {
    const CHARSET: &str = "<meta charset=\"utf-8\" />";
    let base = config_json
        .and_then(|text| serde_json::from_str::<serde_json::Value>(text).ok())
        .and_then(|config| config.get("api_base_url")?.as_str().map(str::to_owned));
    let (Some(base), Some(position)) = (base, index_html.find(CHARSET)) else {
        return index_html;
    };
    let escaped = base.replace('&', "&amp;").replace('"', "&quot;").replace('<', "&lt;").replace('>', "&gt;");
    let end = position + CHARSET.len();
    format!("{}\n    <meta name=\"bazaar-api-base\" content=\"{escaped}\" />{}", &index_html[..end], &index_html[end..])
}

/// Trunk names built assets with a content hash, so they can be cached for a year; the
/// few files without one (config.json) must be revalidated so deployers can edit them,
/// except the icon, which may be a day old.
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
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(cache_control_for(&path)));
    }
    response
}

/// How long a static file other than the page may be kept: hashed assets for ever, the
/// icon for a day, the rest (config.json) revalidated every time.
fn cache_control_for(path: &str) -> &'static str {
    if is_hashed_asset(path) {
        "public, max-age=31536000, immutable"
    } else if path == "/favicon.svg" {
        // Browsers ask for the icon again when the app changes the address on start; with
        // `no-cache` that was a second request on every cold load. A day old is fine for an
        // icon, and its name has no hash to bust a longer cache with.
        "public, max-age=86400"
    } else {
        "no-cache"
    }
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
    fn hashed_assets_are_kept_for_ever_the_icon_a_day_and_config_never() {
        assert_eq!(cache_control_for("/main-0123456789abcdef.css"), "public, max-age=31536000, immutable");
        assert_eq!(cache_control_for("/favicon.svg"), "public, max-age=86400");
        assert_eq!(cache_control_for("/config.json"), "no-cache");
    }

    #[test]
    fn brotli_is_sent_when_accepted_and_not_refused() {
        let accept = |value: &'static str| {
            let mut headers = HeaderMap::new();
            headers.insert(header::ACCEPT_ENCODING, HeaderValue::from_static(value));
            accepts_brotli(&headers)
        };
        assert!(accept("gzip, deflate, br, zstd"));
        assert!(accept("br;q=0.5"));
        assert!(accept("BR"));
        assert!(!accept("gzip, deflate"));
        assert!(!accept("br;q=0, gzip"));
        assert!(!accept("brotli"));
        assert!(!accepts_brotli(&HeaderMap::new()));
    }

    #[test]
    fn index_answer_is_the_page_compressed_once_or_plain() {
        let html = format!("<html><head></head><body>{}</body></html>", "<p>shell</p>".repeat(500));
        let answer = IndexAnswer::new(html.clone(), HeaderValue::from_static("default-src 'self'"));
        assert!(answer.brotli_body.len() < html.len() / 10);
        let mut decompressed = Vec::new();
        brotli::BrotliDecompress(&mut answer.brotli_body.as_ref(), &mut decompressed).expect("valid brotli");
        assert_eq!(decompressed, html.as_bytes());

        let mut wants_brotli = HeaderMap::new();
        wants_brotli.insert(header::ACCEPT_ENCODING, HeaderValue::from_static("gzip, br"));
        let compressed = answer.respond(&wants_brotli);
        assert_eq!(compressed.headers()[header::CONTENT_ENCODING], "br");
        assert_eq!(compressed.headers()[header::VARY], "accept-encoding");
        assert_eq!(compressed.headers()[header::CONTENT_SECURITY_POLICY], "default-src 'self'");
        let plain = answer.respond(&HeaderMap::new());
        assert!(plain.headers().get(header::CONTENT_ENCODING).is_none());
        assert_eq!(plain.headers()[header::CONTENT_TYPE], "text/html; charset=utf-8");
    }

    #[test]
    fn the_api_address_of_config_json_goes_into_the_head() {
        let html = "<html><head>\n    <meta charset=\"utf-8\" />\n    <script>x</script>".to_owned();
        let with = with_api_base(html.clone(), Some(r#"{ "api_base_url": "https://api.example.com/v1?a=1&b=\"2\"" }"#));
        assert_eq!(
            with,
            "<html><head>\n    <meta charset=\"utf-8\" />\n    <meta name=\"bazaar-api-base\" \
             content=\"https://api.example.com/v1?a=1&amp;b=&quot;2&quot;\" />\n    <script>x</script>"
        );
        // The inline script (and so the CSP's hash of it) is untouched.
        assert_eq!(inline_scripts(&with), inline_scripts(&html));
        assert_eq!(with_api_base(html.clone(), None), html);
        assert_eq!(with_api_base(html.clone(), Some("not json")), html);
        assert_eq!(with_api_base(html.clone(), Some(r#"{ "other": 1 }"#)), html);
    }

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
