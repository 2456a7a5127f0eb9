//! The typed API client: one generic request function, and one async function per endpoint
//! in the submodules. Errors are always decoded into the shared error body; nothing is
//! silently turned into `None`.

pub mod apps;
pub mod billing;
pub mod catalog;
pub mod invoices;
pub mod messages;
pub mod notices;
pub mod orders;
pub mod renewals;
pub mod session;
pub mod supervision;
pub mod support;

use std::sync::Arc;

use bazaar_core::error::{ErrorCode, FieldError};
use bazaar_core::lifecycle::UnsubscriptionQuote;
use bazaar_core::supervision::Blocked;
use gloo_net::http::{Method, RequestBuilder};
use leptos::prelude::on_cleanup;
use send_wrapper::SendWrapper;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use web_sys::RequestCredentials;

use crate::config::api_base_url;

/// A failed API call: the HTTP status (0 when the network failed) and the error body.
#[derive(Debug, Clone, PartialEq)]
pub struct ApiError {
    pub status: u16,
    pub body: ApiErrorBody,
    /// Seconds from `Retry-After`, for rate-limited answers.
    pub retry_after_seconds: Option<u64>,
}

/// The shared error body (`bazaar_core::error_body::ErrorBody`) as the SPA reads it: what every
/// page shows is decoded at once, the rule-specific details only by the pages that explain
/// them ([`ApiErrorBody::field_errors`], [`ApiErrorBody::blocked`],
/// [`ApiErrorBody::newer_quote`]).
///
/// Why not decode the whole body: its details' decoders (every supervision rule, the
/// unsubscription quote with its terms and refunds) would then sit in the main wasm module
/// that every page downloads first, while only two pages in their own chunks read them.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct ApiErrorBody {
    pub code: ErrorCode,
    /// A human-readable summary in English.
    pub message: String,
    /// The answer's text, for the field errors and details decoded on demand.
    #[serde(skip)]
    text: Option<Arc<str>>,
}

impl ApiErrorBody {
    pub fn new(code: ErrorCode, message: impl Into<String>) -> ApiErrorBody {
        ApiErrorBody { code, message: message.into(), text: None }
    }

    /// Per-field problems, what the forms show under their inputs; empty when the error is
    /// not about particular fields. Decoded on demand as well: only the pages with forms,
    /// all in chunks of their own, read them.
    pub fn field_errors(&self) -> Vec<FieldError> {
        #[derive(Deserialize)]
        struct Details {
            #[serde(default)]
            field_errors: Vec<FieldError>,
        }
        self.whole::<Details>().map(|details| details.field_errors).unwrap_or_default()
    }

    /// For `rule_violation` from a service flow: which rule refused, with its times.
    pub fn blocked(&self) -> Option<Blocked> {
        // Only this kind's decoder (not `ErrorDetails`'), so the supervision chunk that
        // calls this does not carry the quote's too.
        #[derive(Deserialize)]
        struct Blocking {
            #[serde(default)]
            blocked: Option<Blocked>,
        }
        self.details::<Blocking>().and_then(|details| details.blocked)
    }

    /// For `quote_changed`: the unsubscription quote as it stands now.
    pub fn newer_quote(&self) -> Option<UnsubscriptionQuote> {
        #[derive(Deserialize)]
        struct Quoting {
            #[serde(default)]
            quote: Option<UnsubscriptionQuote>,
        }
        self.details::<Quoting>().and_then(|details| details.quote)
    }

    /// The whole body read as `Part`.
    fn whole<Part: DeserializeOwned>(&self) -> Option<Part> {
        serde_json::from_str(self.text.as_deref()?).ok()
    }

    /// The body's `details` (`{"kind": …, …}`) read as `Details`.
    fn details<Details: DeserializeOwned>(&self) -> Option<Details> {
        #[derive(Deserialize)]
        struct Body<Details> {
            details: Option<Details>,
        }
        self.whole::<Body<Details>>()?.details
    }

    /// Decodes an error answer's text, keeping the text for what is decoded on demand;
    /// `None` when it is not our error body.
    fn decode(text: String) -> Option<ApiErrorBody> {
        let body = serde_json::from_str::<ApiErrorBody>(&text).ok()?;
        Some(ApiErrorBody { text: Some(Arc::from(text)), ..body })
    }
}

impl ApiError {
    pub(crate) fn network(detail: String) -> ApiError {
        ApiError { status: 0, body: ApiErrorBody::new(ErrorCode::Unknown, detail), retry_after_seconds: None }
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
    let body = match body {
        Some(body) => Some(serde_json::to_string(body).map_err(|error| ApiError::network(error.to_string()))?),
        None => None,
    };
    let (status, text) = exchange(method, path, body.map(Body::Json), headers).await?;
    decode_answer(status, text)
}

/// A POST of a form with files (multipart, the browser writes the boundary).
pub async fn request_form<Response: DeserializeOwned>(
    path: &str,
    form: web_sys::FormData,
) -> Result<Response, ApiError> {
    let (status, text) = exchange(Method::POST, path, Some(Body::Form(SendWrapper::new(form))), &[]).await?;
    decode_answer(status, text)
}

/// What a request carries.
enum Body {
    Json(String),
    Form(SendWrapper<web_sys::FormData>),
}

fn decode_answer<Response: DeserializeOwned>(status: u16, text: String) -> Result<Response, ApiError> {
    let text = if text.is_empty() { "null" } else { text.as_str() };
    serde_json::from_str(text).map_err(|error| ApiError {
        status,
        body: ApiErrorBody::new(ErrorCode::Unknown, format!("Unexpected answer from the server: {error}")),
        retry_after_seconds: None,
    })
}

/// Everything of a request but the typing: sends it (or picks up the loader's early answer)
/// and returns the status and text of a successful answer, or the decoded error.
///
/// Kept apart from [`request`] so that there is one copy of it in the wasm rather than one
/// per answer type: every endpoint's function instantiates `request`, and all of this
/// inside it would be duplicated dozens of times.
async fn exchange(
    method: Method,
    path: &str,
    json_body: Option<Body>,
    headers: Headers<'_>,
) -> Result<(u16, String), ApiError> {
    let abort_controller = SendWrapper::new(web_sys::AbortController::new().ok());
    let abort_signal = abort_controller.as_ref().map(|controller| controller.signal());
    on_cleanup(move || {
        if let Some(controller) = abort_controller.take() {
            controller.abort();
        }
    });

    let url = format!("{}{}", api_base_url(), path);
    let plain_read = method == Method::GET && json_body.is_none() && headers.is_empty();
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
            let request = match json_body {
                Some(Body::Json(json)) => builder.header("Content-Type", "application/json").body(json),
                Some(Body::Form(form)) => builder.body(form.take()),
                None => builder.build(),
            }
            .map_err(|error| ApiError::network(error.to_string()))?;
            request.send().await.map_err(|error| ApiError::network(error.to_string()))?
        }
    };
    let status = response.status();
    let text = response.text().await.map_err(|error| ApiError::network(error.to_string()))?;
    if response.ok() {
        return Ok((status, text));
    }
    let retry_after_seconds = response.headers().get("retry-after").and_then(|value| value.parse().ok());
    let body = ApiErrorBody::decode(text).unwrap_or_else(|| {
        // Not our error body (a proxy's HTML page, say): keep the status meaningful.
        let code = match status {
            401 => ErrorCode::Unauthenticated,
            404 => ErrorCode::NotFound,
            429 => ErrorCode::RateLimited,
            _ => ErrorCode::Internal,
        };
        ApiErrorBody::new(code, format!("HTTP {status}"))
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

#[cfg(test)]
mod tests {
    use bazaar_core::error::FieldErrorCode;
    use bazaar_core::error_body::{ErrorBody, ErrorDetails};
    use bazaar_core::supervision::Blocked;

    use super::*;

    /// The server's error body, written by the same type the server uses.
    fn answer(body: &ErrorBody) -> String {
        serde_json::to_string(body).unwrap()
    }

    #[test]
    fn an_error_answer_keeps_code_message_and_field_errors() {
        let mut body = ErrorBody::new(ErrorCode::ValidationFailed, "Some fields are invalid.");
        body.field_errors.push(FieldError::new("quantity", FieldErrorCode::Required, "Required."));
        let decoded = ApiErrorBody::decode(answer(&body)).unwrap();
        assert_eq!(decoded.code, ErrorCode::ValidationFailed);
        assert_eq!(decoded.message, "Some fields are invalid.");
        assert_eq!(decoded.field_errors(), [FieldError::new("quantity", FieldErrorCode::Required, "Required.")]);
        assert_eq!(decoded.blocked(), None);
        assert_eq!(decoded.newer_quote(), None);
    }

    #[test]
    fn the_rule_that_refused_is_decoded_on_demand() {
        let mut body = ErrorBody::new(ErrorCode::RuleViolation, "Not now.");
        body.details = Some(ErrorDetails::Blocked { blocked: Blocked::RejectionLimitReached { limit: 3 } });
        let decoded = ApiErrorBody::decode(answer(&body)).unwrap();
        assert_eq!(decoded.blocked(), Some(Blocked::RejectionLimitReached { limit: 3 }));
        assert_eq!(decoded.newer_quote(), None, "another kind of detail");
    }

    #[test]
    fn a_body_that_is_not_ours_is_not_decoded() {
        assert_eq!(ApiErrorBody::decode("<html>Bad gateway</html>".to_owned()), None);
        assert_eq!(ApiErrorBody::new(ErrorCode::Unknown, "offline").blocked(), None);
    }
}
