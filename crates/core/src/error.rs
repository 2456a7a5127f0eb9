//! The machine-readable codes of a failing API response, and field errors; the body
//! itself, with its details, is `error_body` (it names the rules' types, which name these).

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
    /// The price or refund the caller confirmed changed; `quote` carries the new one.
    QuoteChanged,
    /// The resource existed but is gone for good (an app the buyer unsubscribed from).
    Gone,
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
    /// A seller's signed call was refused: missing headers, a stale timestamp, a wrong
    /// signature or a reused nonce (the message says which).
    SignatureRefused,
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
            ErrorCode::Unauthenticated | ErrorCode::SignatureRefused => 401,
            ErrorCode::ReauthenticationRequired => 401,
            ErrorCode::Forbidden => 403,
            ErrorCode::NotFound => 404,
            ErrorCode::Conflict | ErrorCode::QuoteChanged => 409,
            ErrorCode::Gone => 410,
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

/// Why a field was refused: the SPA words each in the reader's language, so there is
/// one variant per reason the API gives, and `Other` keeps an older SPA working when a
/// newer server adds one (it then shows the server's English `message`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FieldErrorCode {
    Required,
    TooShort,
    TooLong,
    /// Not in the expected shape (a date, a number, a name's characters…).
    Invalid,
    /// Not one of the values offered.
    UnknownValue,
    /// A choice in another region than the one the order deploys to (a VPC).
    RegionMismatch,
    /// A request field the form does not have.
    UnknownField,
    /// A query parameter the endpoint does not take.
    UnknownParameter,
    /// A catalog filter on a field the chosen category does not have.
    UnknownAttribute,
    OutOfRange,
    /// Allowed on its own, but makes a total too large.
    TooLarge,
    /// A range whose upper end is below its lower end.
    RangeReversed,
    /// An end that is not after its start.
    BeforeStart,
    /// Another entry in the same request already uses this value.
    Duplicate,
    /// Something saved earlier already uses this value (a VPC name).
    Taken,
    /// The account already has as many of these as it may (VPCs).
    Quota,
    /// The choice exists but is not open to this account now (a payment method).
    Unavailable,
    NotANumber,
    /// The account's password, asked again, was wrong.
    WrongPassword,
    /// A server password with fewer than three kinds of characters.
    TooFewKinds,
    /// A server password containing the login user name or its reverse.
    ContainsUserName,
    /// A server password with characters outside printable ASCII and the allowed specials.
    NotPrintableAscii,
    /// A reason this build does not know yet (forward compatibility).
    #[serde(untagged)]
    Other(String),
}

impl FieldErrorCode {
    /// The code as it appears on the wire.
    pub fn as_str(&self) -> &str {
        match self {
            FieldErrorCode::Required => "required",
            FieldErrorCode::TooShort => "too_short",
            FieldErrorCode::TooLong => "too_long",
            FieldErrorCode::Invalid => "invalid",
            FieldErrorCode::UnknownValue => "unknown_value",
            FieldErrorCode::RegionMismatch => "region_mismatch",
            FieldErrorCode::UnknownField => "unknown_field",
            FieldErrorCode::UnknownParameter => "unknown_parameter",
            FieldErrorCode::UnknownAttribute => "unknown_attribute",
            FieldErrorCode::OutOfRange => "out_of_range",
            FieldErrorCode::TooLarge => "too_large",
            FieldErrorCode::RangeReversed => "range_reversed",
            FieldErrorCode::BeforeStart => "before_start",
            FieldErrorCode::Duplicate => "duplicate",
            FieldErrorCode::Taken => "taken",
            FieldErrorCode::Quota => "quota",
            FieldErrorCode::Unavailable => "unavailable",
            FieldErrorCode::NotANumber => "not_a_number",
            FieldErrorCode::WrongPassword => "wrong_password",
            FieldErrorCode::TooFewKinds => "too_few_kinds",
            FieldErrorCode::ContainsUserName => "contains_user_name",
            FieldErrorCode::NotPrintableAscii => "not_printable_ascii",
            FieldErrorCode::Other(code) => code,
        }
    }
}

impl PartialEq<&str> for FieldErrorCode {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

/// A problem with one input field, shown next to that field by the SPA.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FieldError {
    /// The field's name as it appears in the request (JSON key or query parameter).
    pub field: String,
    /// A short machine-readable reason: `required`, `too_short`, `too_long`, `invalid`,
    /// `unknown_value`, `region_mismatch`, `unknown_field`, `unknown_parameter`, `unknown_attribute`, `out_of_range`, `too_large`,
    /// `range_reversed`, `before_start`, `duplicate`, `taken`, `quota`, `unavailable`, `not_a_number`, `wrong_password`,
    /// `too_few_kinds`, `contains_user_name` or `not_printable_ascii`. Clients should
    /// treat an unknown code like `invalid` and show `message`.
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "required"))]
    pub code: FieldErrorCode,
    /// A human-readable explanation in English.
    pub message: String,
}

impl FieldError {
    pub fn new(field: impl Into<String>, code: FieldErrorCode, message: impl Into<String>) -> Self {
        FieldError { field: field.into(), code, message: message.into() }
    }
}

/// Collects field errors while validating a request, so that all of them are reported at once.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct FieldErrors(pub Vec<FieldError>);

impl FieldErrors {
    pub fn push(&mut self, field: &str, code: FieldErrorCode, message: impl Into<String>) {
        self.0.push(FieldError::new(field, code, message));
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn field_error_codes_keep_their_wire_names_and_unknown_ones_survive() {
        for (code, name) in [
            (FieldErrorCode::Required, "required"),
            (FieldErrorCode::NotANumber, "not_a_number"),
            (FieldErrorCode::ContainsUserName, "contains_user_name"),
        ] {
            assert_eq!(serde_json::to_string(&code).unwrap(), format!("\"{name}\""));
            assert_eq!(code.as_str(), name);
        }
        let newer: FieldErrorCode = serde_json::from_str(r#""too_spicy""#).unwrap();
        assert_eq!(newer, FieldErrorCode::Other("too_spicy".to_owned()));
        assert_eq!(serde_json::to_string(&newer).unwrap(), r#""too_spicy""#);
    }
}
