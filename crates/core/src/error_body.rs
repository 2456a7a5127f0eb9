//! The body every failing API response carries: a code, a message, field errors, and the
//! details a refusal adds — a tagged enum, so the body names the rules' types (a flow's
//! `Blocked`, an unsubscription quote) while those name only `error`'s codes.

use serde::{Deserialize, Serialize};

use crate::error::{ErrorCode, FieldError, FieldErrors};
use crate::lifecycle::UnsubscriptionQuote;
use crate::supervision::Blocked;

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
    /// What the refusal adds to its code, for a client to explain it in its own words.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub details: Option<ErrorDetails>,
}

/// The details of a refusal, by kind (`{"kind": "blocked", "blocked": {…}}`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ErrorDetails {
    /// For `rule_violation` from a service flow: which rule refused, with its times.
    Blocked { blocked: Blocked },
    /// For `quote_changed`: the quote as it stands now, to show before asking again.
    Quote { quote: Box<UnsubscriptionQuote> },
}

impl ErrorBody {
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        ErrorBody { code, message: message.into(), field_errors: Vec::new(), details: None }
    }

    /// The first error about `field`, if any: what a form shows under that input.
    pub fn field(&self, field: &str) -> Option<&FieldError> {
        self.field_errors.iter().find(|error| error.field == field)
    }
}

impl FieldErrors {
    /// `Ok(())` when nothing was collected, otherwise the validation error body.
    pub fn into_result(self) -> Result<(), ErrorBody> {
        if self.is_empty() {
            Ok(())
        } else {
            Err(ErrorBody {
                code: ErrorCode::ValidationFailed,
                message: "Some fields are invalid.".to_owned(),
                field_errors: self.0,
                details: None,
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::FieldErrorCode;

    #[test]
    fn unknown_codes_decode_as_unknown_instead_of_failing() {
        let body: ErrorBody = serde_json::from_str(r#"{"code":"brand_new_code","message":"x"}"#).unwrap();
        assert_eq!(body.code, ErrorCode::Unknown);
        assert!(body.field_errors.is_empty());
    }

    #[test]
    fn field_errors_round_trip_and_are_found_by_name() {
        let mut errors = FieldErrors::default();
        errors.push("username", FieldErrorCode::Required, "Enter your user name.");
        let body = errors.into_result().unwrap_err();
        let json = serde_json::to_string(&body).unwrap();
        assert!(json.contains(r#""code":"validation_failed""#));
        let decoded: ErrorBody = serde_json::from_str(&json).unwrap();
        assert_eq!(decoded.field("username").unwrap().code, "required");
        assert!(decoded.field("password").is_none());
    }

    #[test]
    fn details_are_tagged_by_kind() {
        let mut body = ErrorBody::new(ErrorCode::RuleViolation, "Not now.");
        body.details = Some(ErrorDetails::Blocked { blocked: Blocked::RejectionLimitReached { limit: 3 } });
        let json = serde_json::to_value(&body).unwrap();
        assert_eq!(json["details"]["kind"], "blocked");
        assert_eq!(json["details"]["blocked"]["code"], "rejection_limit_reached");
        let decoded: ErrorBody = serde_json::from_value(json).unwrap();
        assert_eq!(
            decoded.details,
            Some(ErrorDetails::Blocked { blocked: Blocked::RejectionLimitReached { limit: 3 } })
        );
        assert!(!serde_json::to_string(&ErrorBody::new(ErrorCode::NotFound, "x")).unwrap().contains("details"));
    }

    #[test]
    fn empty_collection_is_ok() {
        assert!(FieldErrors::default().into_result().is_ok());
    }
}
