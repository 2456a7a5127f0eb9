//! The one error body every failing API response carries, and its machine-readable codes.

use serde::{Deserialize, Serialize};

/// What went wrong, for programs: the SPA picks its translated message from this.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    /// The request was malformed (bad JSON, wrong content type, bad query string).
    BadRequest,
    /// The request was well-formed but one or more fields are invalid; see `field_errors`.
    ValidationFailed,
    /// No valid session, or wrong credentials at login.
    Unauthenticated,
    /// The session is valid but too old for a sensitive action; log in again first.
    ReauthenticationRequired,
    /// The caller may not do this (wrong role, or a disallowed origin).
    Forbidden,
    /// No such resource, or one the caller may not know exists.
    NotFound,
    /// The action conflicts with the resource's current state.
    Conflict,
    /// The resource changed since the caller last read it (stale version).
    PreconditionFailed,
    /// The same idempotency key was used with a different request.
    IdempotencyKeyReused,
    /// Too many requests; retry after the time in the `Retry-After` header.
    RateLimited,
    /// Too many wrong passwords: logins to this account (or from this address) are locked
    /// until the time in `Retry-After`, even with the right password.
    AccountLocked,
    /// The account balance does not cover the amount.
    InsufficientBalance,
    /// The card issuer declined the payment.
    PaymentDeclined,
    /// A rule of the domain forbids the action now (the message says which and until when).
    RuleViolation,
    /// The path exists but not with this HTTP method (the `Allow` header lists the ones it has).
    MethodNotAllowed,
    /// The request body is larger than the API accepts.
    PayloadTooLarge,
    /// The body is not JSON (send `Content-Type: application/json`).
    UnsupportedMediaType,
    /// The server could not answer in time; the request changed nothing and may be retried.
    Unavailable,
    /// Something failed on the server; details are in the server log, never in the body.
    Internal,
    /// A code this build of the SPA does not know yet (forward compatibility).
    #[serde(other)]
    Unknown,
}

impl ErrorCode {
    /// The HTTP status a response with this code carries.
    pub fn http_status(self) -> u16 {
        match self {
            ErrorCode::BadRequest => 400,
            ErrorCode::ValidationFailed => 422,
            ErrorCode::Unauthenticated => 401,
            ErrorCode::ReauthenticationRequired => 401,
            ErrorCode::Forbidden => 403,
            ErrorCode::NotFound => 404,
            ErrorCode::Conflict => 409,
            ErrorCode::PreconditionFailed => 412,
            ErrorCode::IdempotencyKeyReused => 422,
            ErrorCode::RateLimited | ErrorCode::AccountLocked => 429,
            ErrorCode::InsufficientBalance => 402,
            ErrorCode::PaymentDeclined => 402,
            ErrorCode::RuleViolation => 409,
            ErrorCode::MethodNotAllowed => 405,
            ErrorCode::PayloadTooLarge => 413,
            ErrorCode::UnsupportedMediaType => 415,
            ErrorCode::Unavailable => 503,
            ErrorCode::Internal | ErrorCode::Unknown => 500,
        }
    }
}

/// A problem with one input field, shown next to that field by the SPA.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FieldError {
    /// The field's name as it appears in the request (JSON key or query parameter).
    pub field: String,
    /// A short machine-readable reason, e.g. `required`, `too_long`, `unknown_value`.
    pub code: String,
    /// A human-readable explanation in English.
    pub message: String,
}

impl FieldError {
    pub fn new(field: impl Into<String>, code: impl Into<String>, message: impl Into<String>) -> Self {
        FieldError { field: field.into(), code: code.into(), message: message.into() }
    }
}

/// The body of every error response of the API.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ErrorBody {
    pub code: ErrorCode,
    /// A human-readable summary in English.
    pub message: String,
    /// Per-field problems; empty when the error is not about particular fields.
    #[serde(default)]
    pub field_errors: Vec<FieldError>,
}

impl ErrorBody {
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        ErrorBody { code, message: message.into(), field_errors: Vec::new() }
    }

    /// The first error about `field`, if any: what a form shows under that input.
    pub fn field(&self, field: &str) -> Option<&FieldError> {
        self.field_errors.iter().find(|error| error.field == field)
    }
}

/// Collects field errors while validating a request, so that all of them are reported at once.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct FieldErrors(pub Vec<FieldError>);

impl FieldErrors {
    pub fn push(&mut self, field: &str, code: &str, message: impl Into<String>) {
        self.0.push(FieldError::new(field, code, message));
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// `Ok(())` when nothing was collected, otherwise the validation error body.
    pub fn into_result(self) -> Result<(), ErrorBody> {
        if self.0.is_empty() {
            Ok(())
        } else {
            Err(ErrorBody {
                code: ErrorCode::ValidationFailed,
                message: "Some fields are invalid.".to_owned(),
                field_errors: self.0,
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_codes_decode_as_unknown_instead_of_failing() {
        let body: ErrorBody = serde_json::from_str(r#"{"code":"brand_new_code","message":"x"}"#).unwrap();
        assert_eq!(body.code, ErrorCode::Unknown);
        assert!(body.field_errors.is_empty());
    }

    #[test]
    fn field_errors_round_trip_and_are_found_by_name() {
        let mut errors = FieldErrors::default();
        errors.push("username", "required", "Enter your user name.");
        let body = errors.into_result().unwrap_err();
        let json = serde_json::to_string(&body).unwrap();
        assert!(json.contains(r#""code":"validation_failed""#));
        let decoded: ErrorBody = serde_json::from_str(&json).unwrap();
        assert_eq!(decoded.field("username").unwrap().code, "required");
        assert!(decoded.field("password").is_none());
    }

    #[test]
    fn empty_collection_is_ok() {
        assert!(FieldErrors::default().into_result().is_ok());
    }
}
