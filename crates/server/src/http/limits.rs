//! What every request is held to before and after its handler: a body limit, a time limit,
//! the shared error body on every error the API gives (whatever layer produced it), and a
//! security log line for every refusal.
//!
//! The body is read in full (up to the limit) before routing. A handler that refuses a
//! request without reading its body would otherwise leave bytes on the connection that
//! hyper cannot skip, and it would close a keep-alive connection without saying so; a body
//! over the limit is refused with 413 and `Connection: close`, the one case where the
//! connection really ends.

use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use bazaar_core::error::ErrorCode;
use bazaar_core::error_body::ErrorBody;
use http_body_util::BodyExt as _;

use crate::config::{MAX_BODY_BYTES, MAX_UPLOAD_BODY_BYTES, UPLOAD_PATH};
use crate::error::ApiError;
use crate::http::extract::client_address;
use crate::state::AppState;

/// How long a request may take before it is answered 503; database waits are bounded by
/// this too (a dropped handler rolls its transaction back, so nothing half-done remains).
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);

fn with_close(mut response: Response) -> Response {
    response.headers_mut().insert(header::CONNECTION, HeaderValue::from_static("close"));
    response
}

/// Reads the body up to [`MAX_BODY_BYTES`] (opening a support ticket, with its files:
/// [`MAX_UPLOAD_BODY_BYTES`]) and hands the handler a complete one.
pub async fn limit_body(request: Request, next: Next) -> Response {
    let limit = if request.method() == axum::http::Method::POST && request.uri().path() == UPLOAD_PATH {
        MAX_UPLOAD_BODY_BYTES
    } else {
        MAX_BODY_BYTES
    };
    let declared = request
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.parse::<u64>().ok());
    if declared.is_some_and(|length| length > limit as u64) {
        return with_close(ApiError::PayloadTooLarge.into_response());
    }
    let (parts, body) = request.into_parts();
    let bytes: Bytes = match http_body_util::Limited::new(body, limit).collect().await {
        Ok(collected) => collected.to_bytes(),
        Err(error) if error.downcast_ref::<http_body_util::LengthLimitError>().is_some() => {
            return with_close(ApiError::PayloadTooLarge.into_response());
        }
        Err(_) => {
            return with_close(ApiError::BadRequest("The request body could not be read.".to_owned()).into_response());
        }
    };
    next.run(Request::from_parts(parts, Body::from(bytes))).await
}

/// Answers 503 when the handler takes longer than [`REQUEST_TIMEOUT`].
pub async fn time_limit(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let limit = Duration::from_millis(state.config.request_timeout_ms.max(1));
    match tokio::time::timeout(limit, next.run(request)).await {
        Ok(response) => response,
        Err(_) => {
            tracing::warn!("request timed out");
            ApiError::Unavailable.into_response()
        }
    }
}

/// Makes every API error answer carry the shared error body (405 from the router, or any
/// other layer's plain answer), and logs refusals to the security log.
pub async fn error_bodies(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let is_api = request.uri().path().starts_with("/api/");
    let method = request.method().clone();
    let path = request.uri().path().to_owned();
    let address = client_address(&state, &request);
    let response = next.run(request).await;
    let status = response.status();
    if !is_api || !(status.is_client_error() || status.is_server_error()) {
        return response;
    }
    if matches!(status, StatusCode::UNAUTHORIZED | StatusCode::FORBIDDEN | StatusCode::NOT_FOUND) {
        // Probing for other people's ids or for admin routes shows up here.
        tracing::info!(target: "security", status = status.as_u16(), %method, path, client = address.as_deref().unwrap_or("-"),
            "request refused");
    }
    let is_json = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .is_some_and(|value| value.starts_with("application/json"));
    if is_json {
        return response;
    }
    let code = match status {
        StatusCode::METHOD_NOT_ALLOWED => ErrorCode::MethodNotAllowed,
        StatusCode::PAYLOAD_TOO_LARGE => ErrorCode::PayloadTooLarge,
        StatusCode::UNSUPPORTED_MEDIA_TYPE => ErrorCode::UnsupportedMediaType,
        StatusCode::NOT_FOUND => ErrorCode::NotFound,
        StatusCode::UNAUTHORIZED => ErrorCode::Unauthenticated,
        StatusCode::FORBIDDEN => ErrorCode::Forbidden,
        StatusCode::TOO_MANY_REQUESTS => ErrorCode::RateLimited,
        StatusCode::REQUEST_TIMEOUT | StatusCode::SERVICE_UNAVAILABLE | StatusCode::GATEWAY_TIMEOUT => {
            ErrorCode::Unavailable
        }
        status if status.is_server_error() => ErrorCode::Internal,
        _ => ErrorCode::BadRequest,
    };
    let message = match code {
        ErrorCode::MethodNotAllowed => "This path does not take that method; see the `Allow` header.".to_owned(),
        _ => status.canonical_reason().unwrap_or("Error").to_owned(),
    };
    let (mut parts, _) = response.into_parts();
    parts.headers.remove(header::CONTENT_LENGTH);
    // The plain answer may have been compressed on its way out: the new body is not.
    parts.headers.remove(header::CONTENT_ENCODING);
    parts.headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
    let body = serde_json::to_vec(&ErrorBody::new(code, message)).expect("the error body serialises");
    Response::from_parts(parts, Body::from(body))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_body_limit_fits_the_largest_request_form_and_template() {
        use bazaar_core::supervision::{
            FlowCommand, TEMPLATE_MAX_CHARS, TEMPLATE_MAX_FIELDS, TEMPLATE_MAX_OPTIONS, TemplateField,
            TemplateFieldKind,
        };
        let values = (0..TEMPLATE_MAX_FIELDS)
            .map(|index| (format!("field_{index}"), "中".repeat(TEMPLATE_MAX_CHARS as usize)))
            .collect();
        let form = serde_json::to_vec(&FlowCommand::SubmitRequest { values }).unwrap();
        assert!(form.len() < MAX_BODY_BYTES, "request form: {} bytes", form.len());
        let field = TemplateField {
            key: "k".repeat(40),
            label: "标".repeat(80),
            kind: TemplateFieldKind::Choice { options: vec!["选".repeat(80); TEMPLATE_MAX_OPTIONS] },
            required: true,
            hint: Some("提".repeat(200)),
        };
        let template = serde_json::to_vec(&vec![field; TEMPLATE_MAX_FIELDS]).unwrap();
        assert!(template.len() < MAX_BODY_BYTES, "template: {} bytes", template.len());
    }
}
