//! The typed API client: one generic request function, and one async function per endpoint
//! in the submodules. Errors are always decoded into the shared error body; nothing is
//! silently turned into `None`.

pub mod apps;
pub mod catalog;
pub mod messages;
pub mod notices;
pub mod orders;
pub mod renewals;
pub mod session;
pub mod supervision;

use bazaar_core::error::{ErrorBody, ErrorCode};
use gloo_net::http::{Method, RequestBuilder};
use leptos::prelude::on_cleanup;
use send_wrapper::SendWrapper;
use serde::Serialize;
use serde::de::DeserializeOwned;
use web_sys::RequestCredentials;

use crate::config::api_base_url;

/// A failed API call: the HTTP status (0 when the network failed) and the error body.
#[derive(Debug, Clone, PartialEq)]
pub struct ApiError {
    pub status: u16,
    pub body: ErrorBody,
    /// Seconds from `Retry-After`, for rate-limited answers.
    pub retry_after_seconds: Option<u64>,
}

impl ApiError {
    fn network(detail: String) -> ApiError {
        ApiError { status: 0, body: ErrorBody::new(ErrorCode::Unknown, detail), retry_after_seconds: None }
    }

    pub fn code(&self) -> ErrorCode {
        self.body.code
    }

    /// True when the request never got an answer (offline, server down, aborted).
    pub fn is_network(&self) -> bool {
        self.status == 0
    }

    /// True when the same request may succeed later: no answer, a timeout, a rate limit or a
    /// server-side failure. A 404 or 403 will answer the same again, so offering "Try
    /// again" for those would only disappoint.
    pub fn is_retryable(&self) -> bool {
        matches!(self.status, 0 | 408 | 429) || self.status >= 500
    }
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(formatter, "{} ({})", self.body.message, self.status)
    }
}

/// So that an `ApiError` rendered anywhere reaches the app's error boundary.
impl std::error::Error for ApiError {}

/// Extra request headers, e.g. `Idempotency-Key` or `If-Match`.
pub type Headers<'a> = &'a [(&'a str, &'a str)];

/// Sends one request to the API and decodes the answer.
///
/// The request is aborted when the reactive owner that started it is cleaned up (the page
/// was left), so a late answer never updates a page that is gone.
pub async fn request<Response: DeserializeOwned>(
    method: Method,
    path: &str,
    body: Option<&impl Serialize>,
    headers: Headers<'_>,
) -> Result<Response, ApiError> {
    let abort_controller = SendWrapper::new(web_sys::AbortController::new().ok());
    let abort_signal = abort_controller.as_ref().map(|controller| controller.signal());
    on_cleanup(move || {
        if let Some(controller) = abort_controller.take() {
            controller.abort();
        }
    });

    let url = format!("{}{}", api_base_url(), path);
    let plain_read = method == Method::GET && body.is_none() && headers.is_empty();
    let mut builder = RequestBuilder::new(&url)
        .method(method)
        .credentials(RequestCredentials::Include)
        .abort_signal(abort_signal.as_ref())
        .header("Accept", "application/json");
    for (name, value) in headers {
        builder = builder.header(name, value);
    }
    // A plain read of the page just opened may already be on its way (index.html's loader).
    let early = if plain_read { crate::early_responses::response(&url).await } else { None };
    let response = match early {
        Some(response) => response,
        None => {
            let request = match body {
                Some(body) => builder.json(body).map_err(|error| ApiError::network(error.to_string()))?,
                None => builder.build().map_err(|error| ApiError::network(error.to_string()))?,
            };
            request.send().await.map_err(|error| ApiError::network(error.to_string()))?
        }
    };
    let status = response.status();
    let text = response.text().await.map_err(|error| ApiError::network(error.to_string()))?;
    if response.ok() {
        let text = if text.is_empty() { "null" } else { text.as_str() };
        return serde_json::from_str(text).map_err(|error| ApiError {
            status,
            body: ErrorBody::new(ErrorCode::Unknown, format!("Unexpected answer from the server: {error}")),
            retry_after_seconds: None,
        });
    }
    let retry_after_seconds = response.headers().get("retry-after").and_then(|value| value.parse().ok());
    let body = serde_json::from_str::<ErrorBody>(&text).unwrap_or_else(|_| {
        // Not our error body (a proxy's HTML page, say): keep the status meaningful.
        let code = match status {
            401 => ErrorCode::Unauthenticated,
            404 => ErrorCode::NotFound,
            429 => ErrorCode::RateLimited,
            _ => ErrorCode::Internal,
        };
        ErrorBody::new(code, format!("HTTP {status}"))
    });
    Err(ApiError { status, body, retry_after_seconds })
}

/// Shorthand for GET requests.
pub async fn get<Response: DeserializeOwned>(path: &str) -> Result<Response, ApiError> {
    request::<Response>(Method::GET, path, None::<&()>, &[]).await
}

/// Percent-encodes a query-string value.
pub fn encode(value: &str) -> String {
    js_sys::encode_uri_component(value).into()
}
