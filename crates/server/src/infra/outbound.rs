//! Calls this server makes to sellers' systems, and what it accepts back.
//!
//! A seller's endpoint is an address someone else chose, so it must not become a way to make
//! this server reach places only it can reach (server-side request forgery): only `https`,
//! never a private, loopback or link-local address — checked on the URL and again on every
//! address its name resolves to, so a name that resolves to an internal address (or
//! changes to one later) is refused too. Answers are read up to a size limit, and the app
//! addresses sellers return are checked before they are stored and shown as links.
//!
//! Demo mode also allows loopback, where the built-in demo seller lives.

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::sync::Arc;

use reqwest::Url;

/// The most a seller's answer may hold; a provisioning answer is well under 2 KiB.
pub const MAX_SELLER_RESPONSE_BYTES: usize = 64 * 1024;
/// The longest app address accepted from a seller.
pub const MAX_APP_URL_CHARS: usize = 2048;

/// Whether `address` is on the public internet (not private, loopback, link-local,
/// shared, documentation, multicast or reserved space).
pub fn is_public(address: IpAddr) -> bool {
    match address {
        IpAddr::V4(v4) => is_public_v4(v4),
        IpAddr::V6(v6) => {
            if let Some(v4) = v6.to_ipv4_mapped() {
                return is_public_v4(v4);
            }
            let first = v6.segments()[0];
            !(v6.is_loopback()
                || v6.is_unspecified()
                || v6.is_multicast()
                || (first & 0xfe00) == 0xfc00 // unique local
                || (first & 0xffc0) == 0xfe80 // link local
                || (first == 0x2001 && v6.segments()[1] == 0x0db8) // documentation
                || v6.segments()[..6] == [0x64, 0xff9b, 0, 0, 0, 0]) // NAT64 to anything
        }
    }
}

fn is_public_v4(v4: Ipv4Addr) -> bool {
    let [a, b, c, _] = v4.octets();
    !(v4.is_private()
        || v4.is_loopback()
        || v4.is_link_local()
        || v4.is_unspecified()
        || v4.is_broadcast()
        || v4.is_multicast()
        || v4.is_documentation()
        || a == 0
        || (a == 100 && (64..128).contains(&b)) // shared address space (carrier NAT)
        || (a == 192 && b == 0 && c == 0) // IETF protocol assignments
        || (a == 198 && (18..20).contains(&b)) // benchmarking
        || a >= 240) // reserved
}

fn allowed_address(address: IpAddr, demo: bool) -> bool {
    is_public(address) || (demo && address.is_loopback())
}

/// Checks a seller endpoint before anything is sent to it.
pub fn check_seller_url(url: &str, demo: bool) -> Result<Url, String> {
    let url = Url::parse(url).map_err(|_| "the seller's endpoint is not a valid address".to_owned())?;
    if !url.username().is_empty() || url.password().is_some() {
        return Err("the seller's endpoint must not contain credentials".to_owned());
    }
    let host = url.host().ok_or_else(|| "the seller's endpoint has no host".to_owned())?;
    let loopback = match host {
        url::Host::Ipv4(v4) => v4.is_loopback(),
        url::Host::Ipv6(v6) => v6.is_loopback(),
        url::Host::Domain(name) => name.eq_ignore_ascii_case("localhost"),
    };
    match (url.scheme(), demo && loopback) {
        ("https", _) | ("http", true) => {}
        _ => return Err("the seller's endpoint must use https".to_owned()),
    }
    let literal = match host {
        url::Host::Ipv4(v4) => Some(IpAddr::V4(v4)),
        url::Host::Ipv6(v6) => Some(IpAddr::V6(v6)),
        url::Host::Domain(_) => None,
    };
    if literal.is_some_and(|address| !allowed_address(address, demo)) || (loopback && !demo) {
        return Err("the seller's endpoint is not a public address".to_owned());
    }
    Ok(url)
}

/// Checks an app address a seller sent: an absolute `https` URL of sensible length without
/// credentials, so that what Resource Details links to is never `javascript:` or a phishing
/// `user@host` form.
pub fn check_app_url(url: &str) -> Result<String, String> {
    if url.chars().count() > MAX_APP_URL_CHARS {
        return Err("the seller's system sent an app address that is too long".to_owned());
    }
    let parsed = Url::parse(url).map_err(|_| "the seller's system sent an invalid app address".to_owned())?;
    if parsed.scheme() != "https" || parsed.host_str().is_none_or(str::is_empty) {
        return Err("the seller's system sent an app address that is not https".to_owned());
    }
    if !parsed.username().is_empty() || parsed.password().is_some() {
        return Err("the seller's system sent an app address with credentials in it".to_owned());
    }
    Ok(parsed.to_string())
}

/// Resolves names like the system does, then drops every address that is not public (in
/// demo mode loopback stays); a name left with none fails to resolve.
#[derive(Debug, Clone, Copy)]
pub struct PublicOnlyResolver {
    pub demo: bool,
}

impl reqwest::dns::Resolve for PublicOnlyResolver {
    fn resolve(&self, name: reqwest::dns::Name) -> reqwest::dns::Resolving {
        let demo = self.demo;
        Box::pin(async move {
            let host = name.as_str().to_owned();
            let resolved: Vec<SocketAddr> = tokio::net::lookup_host((host.as_str(), 0)).await?.collect();
            let allowed: Vec<SocketAddr> =
                resolved.into_iter().filter(|address| allowed_address(address.ip(), demo)).collect();
            if allowed.is_empty() {
                tracing::warn!(target: "security", host, "a seller endpoint resolved only to internal addresses");
                return Err(format!("{host} resolves to no public address").into());
            }
            Ok(Box::new(allowed.into_iter()) as reqwest::dns::Addrs)
        })
    }
}

/// Calls to sellers' systems: the HTTP client (the resolver above, no redirects — a
/// redirect could point anywhere — and a timeout), and where this server can be reached
/// (sellers whose endpoint is a path are the built-in demo seller on this server).
#[derive(Clone)]
pub struct SellerCalls {
    pub http: reqwest::Client,
    self_url: Arc<std::sync::OnceLock<String>>,
}

impl SellerCalls {
    /// `demo` lets seller endpoints be on loopback (the built-in demo seller).
    pub fn new(timeout: std::time::Duration, demo: bool) -> SellerCalls {
        let http = reqwest::Client::builder()
            .timeout(timeout)
            .redirect(reqwest::redirect::Policy::none())
            .dns_resolver(Arc::new(PublicOnlyResolver { demo }))
            .build()
            .expect("HTTP client with rustls builds");
        SellerCalls { http, self_url: Arc::new(std::sync::OnceLock::new()) }
    }

    /// Records this server's base URL once its listener is bound.
    pub fn set_self_url(&self, url: String) {
        let _ = self.self_url.set(url);
    }

    /// A seller endpoint as an absolute URL (a path is this server's own).
    pub fn resolve(&self, url: &str) -> Option<String> {
        if url.starts_with('/') { self.self_url.get().map(|base| format!("{base}{url}")) } else { Some(url.to_owned()) }
    }
}

/// Reads a response body, refusing one larger than `limit` without reading it all.
pub async fn read_limited(mut response: reqwest::Response, limit: usize) -> Result<Vec<u8>, String> {
    if response.content_length().is_some_and(|length| length > limit as u64) {
        return Err("the seller's system sent an answer that is too large".to_owned());
    }
    let mut body = Vec::new();
    while let Some(chunk) = response.chunk().await.map_err(|_| "the seller's answer broke off".to_owned())? {
        if body.len() + chunk.len() > limit {
            return Err("the seller's system sent an answer that is too large".to_owned());
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}

#[cfg(test)]
mod tests {
    use std::net::Ipv6Addr;

    use super::*;

    #[test]
    fn internal_addresses_are_not_public() {
        for internal in [
            "10.0.0.1",
            "172.16.5.4",
            "192.168.1.1",
            "127.0.0.1",
            "169.254.169.254",
            "0.0.0.0",
            "100.64.0.1",
            "192.0.2.10",
            "224.0.0.1",
            "255.255.255.255",
            "::1",
            "fd00::1",
            "fe80::1",
            "::ffff:10.0.0.1",
            "::ffff:169.254.169.254",
            "64:ff9b::a00:1",
        ] {
            assert!(!is_public(internal.parse().unwrap()), "{internal}");
        }
        for public in ["93.184.216.34", "1.1.1.1", "2606:4700:4700::1111", "::ffff:93.184.216.34"] {
            assert!(is_public(public.parse().unwrap()), "{public}");
        }
        assert!(is_public(IpAddr::V6(Ipv6Addr::new(0x2a00, 0x1450, 0, 0, 0, 0, 0, 0x200e))));
    }

    #[test]
    fn seller_endpoints_must_be_public_https() {
        assert!(check_seller_url("https://provision.seller.example/v1/provision", false).is_ok());
        assert!(check_seller_url("http://provision.seller.example/v1", false).is_err());
        assert!(check_seller_url("https://10.0.0.5/provision", false).is_err());
        assert!(check_seller_url("https://[::1]/provision", false).is_err());
        assert!(check_seller_url("https://169.254.169.254/latest/meta-data", false).is_err());
        assert!(check_seller_url("https://user:pw@seller.example/", false).is_err());
        assert!(check_seller_url("http://localhost:3000/x", false).is_err());
        assert!(check_seller_url("file:///etc/passwd", false).is_err());
        // Demo mode: the built-in seller on this server.
        assert!(check_seller_url("http://127.0.0.1:3000/api/v1/demo/sellers/1/provision", true).is_ok());
        assert!(check_seller_url("http://localhost:3000/x", true).is_ok());
        assert!(check_seller_url("http://10.0.0.5/x", true).is_err());
    }

    #[test]
    fn app_addresses_must_be_plain_https() {
        assert!(check_app_url("https://crm.apps.example/t/abc").is_ok());
        assert!(check_app_url("javascript:alert(1)").is_err());
        assert!(check_app_url("http://crm.apps.example/").is_err());
        assert!(check_app_url("https://bank.example@evil.example/").is_err());
        assert!(check_app_url(&format!("https://a.example/{}", "x".repeat(3000))).is_err());
        assert!(check_app_url("data:text/html,hi").is_err());
    }
}
