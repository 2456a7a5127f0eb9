//! Request extractors that turn every rejection into the API's error body.

use std::net::{IpAddr, SocketAddr};

use axum::extract::{ConnectInfo, FromRequest, FromRequestParts};
use axum::http::{Extensions, HeaderMap};
use axum::response::{IntoResponse, Response};
use ipnet::IpNet;
use serde::Serialize;

use crate::error::ApiError;
use crate::state::AppState;

/// JSON body extractor and response: like `axum::Json`, but a malformed body is answered
/// with the shared error body (and never a plain-text rejection).
#[derive(Debug, Clone, Copy, Default, FromRequest)]
#[from_request(via(axum::Json), rejection(ApiError))]
pub struct ApiJson<T>(pub T);

impl<T: Serialize> IntoResponse for ApiJson<T> {
    fn into_response(self) -> Response {
        axum::Json(self.0).into_response()
    }
}

/// An optional JSON body: `None` when the request has no body at all, else the same as
/// [`ApiJson`] (so a body without a JSON content type, or one that is malformed, is refused).
#[derive(Debug, Clone)]
pub struct OptionalApiJson<T>(pub Option<T>);

impl<T, S> FromRequest<S> for OptionalApiJson<T>
where
    T: serde::de::DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request(request: axum::extract::Request, state: &S) -> Result<Self, ApiError> {
        let headers = request.headers();
        let declared_length = headers.get(axum::http::header::CONTENT_LENGTH);
        let has_body = headers.contains_key(axum::http::header::TRANSFER_ENCODING)
            || declared_length.is_some_and(|length| length.as_bytes() != b"0");
        if !has_body {
            return Ok(OptionalApiJson(None));
        }
        let ApiJson(value) = ApiJson::<T>::from_request(request, state).await?;
        Ok(OptionalApiJson(Some(value)))
    }
}

/// Query-string extractor with the same error handling as [`ApiJson`].
#[derive(Debug, Clone, Copy, Default, FromRequestParts)]
#[from_request(via(axum::extract::Query), rejection(ApiError))]
pub struct ApiQuery<T>(pub T);

/// Path-parameter extractor with the same error handling as [`ApiJson`].
#[derive(Debug, Clone, Copy, Default, FromRequestParts)]
#[from_request(via(axum::extract::Path), rejection(ApiError))]
pub struct ApiPath<T>(pub T);

/// The caller's network address, for audit records and throttles: the TCP peer, or, when
/// the peer is one of the configured trusted proxies, the last address in
/// `X-Forwarded-For` that is not a trusted proxy itself. `None` when the server runs
/// without connection info (some tests).
#[derive(Debug, Clone)]
pub struct ClientAddress(pub Option<String>);

impl FromRequestParts<AppState> for ClientAddress {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        Ok(ClientAddress(address_from(&parts.headers, &parts.extensions, &state.config.trusted_proxies)))
    }
}

/// [`ClientAddress`] of a whole request, for middleware.
pub fn client_address(state: &AppState, request: &axum::extract::Request) -> Option<String> {
    address_from(request.headers(), request.extensions(), &state.config.trusted_proxies)
}

fn address_from(headers: &HeaderMap, extensions: &Extensions, trusted: &[IpNet]) -> Option<String> {
    let peer = extensions.get::<ConnectInfo<SocketAddr>>().map(|info| info.0.ip())?;
    Some(resolve_client(peer, headers, trusted).to_string())
}

/// Walks `X-Forwarded-For` from the right (the hop nearest to us) while the hop is trusted.
/// Anything left of the first untrusted hop was written by the client and proves nothing.
pub fn resolve_client(peer: IpAddr, headers: &HeaderMap, trusted: &[IpNet]) -> IpAddr {
    let is_trusted = |address: &IpAddr| trusted.iter().any(|network| network.contains(address));
    if !is_trusted(&peer) {
        return peer;
    }
    let hops: Vec<IpAddr> = headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(','))
        .map(|hop| hop.trim().parse::<IpAddr>())
        .collect::<Result<_, _>>()
        // A malformed chain cannot be trusted at all: use the proxy's own address.
        .unwrap_or_default();
    let mut client = peer;
    for hop in hops.into_iter().rev() {
        client = hop;
        if !is_trusted(&hop) {
            break;
        }
    }
    client
}

/// The JSON part's name in a multipart body carrying a `T` and its files.
pub trait FormPart {
    const PART: &'static str;
}

impl FormPart for bazaar_core::support::wire::NewTicket {
    const PART: &'static str = "ticket";
}

impl FormPart for bazaar_core::support::wire::TicketActionRequest {
    const PART: &'static str = "action";
}

/// A `T` with files: either a JSON body (no files), or `multipart/form-data` with the JSON
/// in the part named [`FormPart::PART`] and each file in an `attachment` part. The files'
/// bytes are checked later, by their content; here they are only read.
pub struct WithFiles<T>(pub T, pub Vec<crate::domain::support::attachments::Upload>);

impl<T> FromRequest<AppState> for WithFiles<T>
where
    T: serde::de::DeserializeOwned + FormPart + Send,
{
    type Rejection = ApiError;

    async fn from_request(request: axum::extract::Request, state: &AppState) -> Result<Self, ApiError> {
        let multipart = request
            .headers()
            .get(axum::http::header::CONTENT_TYPE)
            .and_then(|value| value.to_str().ok())
            .is_some_and(|value| value.trim_start().to_ascii_lowercase().starts_with("multipart/"));
        if !multipart {
            let ApiJson(value) = ApiJson::<T>::from_request(request, state).await?;
            return Ok(WithFiles(value, Vec::new()));
        }
        let bad = ApiError::from;
        let mut form = axum::extract::Multipart::from_request(request, state).await.map_err(ApiError::from)?;
        let mut value: Option<T> = None;
        let mut uploads = Vec::new();
        while let Some(field) = form.next_field().await.map_err(bad)? {
            match field.name() {
                Some("attachment") => {
                    let file_name = field.file_name().unwrap_or("attachment").to_owned();
                    let bytes = field.bytes().await.map_err(bad)?;
                    uploads.push(crate::domain::support::attachments::Upload { file_name, bytes: bytes.to_vec() });
                }
                Some(name) if name == T::PART => {
                    let text = field.text().await.map_err(bad)?;
                    let parsed = serde_json::from_str(&text)
                        .map_err(|error| ApiError::BadRequest(format!("{}: {error}", T::PART)))?;
                    value = Some(parsed);
                }
                _ => {}
            }
        }
        let value = value.ok_or_else(|| ApiError::BadRequest(format!("The form has no `{}` part.", T::PART)))?;
        Ok(WithFiles(value, uploads))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn forwarded(value: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert("x-forwarded-for", value.parse().unwrap());
        headers
    }

    #[test]
    fn forwarded_addresses_count_only_behind_trusted_proxies() {
        let trusted: Vec<IpNet> = vec!["10.0.0.0/8".parse().unwrap()];
        let proxy: IpAddr = "10.1.2.3".parse().unwrap();
        let stranger: IpAddr = "198.51.100.7".parse().unwrap();
        // A direct caller cannot claim another address.
        assert_eq!(resolve_client(stranger, &forwarded("203.0.113.9"), &trusted), stranger);
        // Behind the proxy: the client the proxy saw, not what the client wrote before it.
        assert_eq!(
            resolve_client(proxy, &forwarded("1.1.1.1, 203.0.113.9"), &trusted),
            "203.0.113.9".parse::<IpAddr>().unwrap()
        );
        // Two trusted hops are skipped.
        assert_eq!(
            resolve_client(proxy, &forwarded("203.0.113.9, 10.9.9.9"), &trusted),
            "203.0.113.9".parse::<IpAddr>().unwrap()
        );
        assert_eq!(resolve_client(proxy, &forwarded("garbage"), &trusted), proxy);
        assert_eq!(resolve_client(proxy, &HeaderMap::new(), &trusted), proxy);
        assert_eq!(resolve_client(proxy, &forwarded("1.1.1.1"), &[]), proxy);
    }
}
