//! How an [`ApiError`] is answered: its status, the shared error body, `Retry-After` for
//! throttles; and how axum's own rejections (JSON, query, path) become `ApiError`s, so no
//! answer of the API is ever plain text.

use axum::Json;
use axum::extract::rejection::{JsonRejection, PathRejection, QueryRejection};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use bazaar_core::error::ErrorCode;
use bazaar_core::error_body::{ErrorBody, ErrorDetails};

use crate::error::ApiError;

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let code = self.code();
        if code == ErrorCode::Internal {
            tracing::error!(error = %self, "request failed");
        }
        let status = StatusCode::from_u16(code.http_status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let retry_after = match &self {
            ApiError::RateLimited { retry_after_seconds } | ApiError::AccountLocked { retry_after_seconds } => {
                Some(*retry_after_seconds)
            }
            _ => None,
        };
        let field_errors = match &self {
            ApiError::Validation(errors) | ApiError::InvalidQuery(errors) => errors.clone(),
            _ => Vec::new(),
        };
        let details = match &self {
            ApiError::RuleViolation { blocked, .. } => Some(ErrorDetails::Blocked { blocked: blocked.clone() }),
            ApiError::QuoteChanged(quote) => Some(ErrorDetails::Quote { quote: quote.clone() }),
            _ => None,
        };
        let body = ErrorBody { code, message: self.public_message(), field_errors, details };
        let mut response = (status, Json(body)).into_response();
        if let Some(seconds) = retry_after {
            response.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from(seconds));
        }
        response
    }
}

impl From<JsonRejection> for ApiError {
    fn from(rejection: JsonRejection) -> ApiError {
        match &rejection {
            JsonRejection::MissingJsonContentType(_) => ApiError::UnsupportedMediaType,
            JsonRejection::JsonSyntaxError(_) => ApiError::BadRequest("The body is not valid JSON.".to_owned()),
            JsonRejection::JsonDataError(error) => {
                ApiError::BadRequest(format!("The JSON does not match the expected shape: {}", error.body_text()))
            }
            _ if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE => ApiError::PayloadTooLarge,
            _ => ApiError::BadRequest("The request body could not be read.".to_owned()),
        }
    }
}

impl From<axum::extract::multipart::MultipartRejection> for ApiError {
    fn from(rejection: axum::extract::multipart::MultipartRejection) -> ApiError {
        ApiError::BadRequest(format!("The form cannot be read: {}", rejection.body_text()))
    }
}

impl From<axum::extract::multipart::MultipartError> for ApiError {
    fn from(error: axum::extract::multipart::MultipartError) -> ApiError {
        if error.status() == StatusCode::PAYLOAD_TOO_LARGE {
            ApiError::PayloadTooLarge
        } else {
            ApiError::BadRequest(format!("The form cannot be read: {}", error.body_text()))
        }
    }
}

impl From<QueryRejection> for ApiError {
    fn from(rejection: QueryRejection) -> ApiError {
        ApiError::BadRequest(format!("The query string is invalid: {}", rejection.body_text()))
    }
}

impl From<PathRejection> for ApiError {
    fn from(rejection: PathRejection) -> ApiError {
        ApiError::BadRequest(format!("The address is invalid: {}", rejection.body_text()))
    }
}
