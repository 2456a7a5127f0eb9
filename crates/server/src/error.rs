//! The backend's one error type: every handler and domain function returns it, and it
//! alone decides the error code and the public message of the shared error body. Internal
//! causes are logged and never sent to clients. Its HTTP answer is `http::error_response`.

use bazaar_core::error::{ErrorCode, FieldError, FieldErrorCode};
use bazaar_core::error_body::ErrorBody;
use bazaar_core::supervision::Blocked;

pub type ApiResult<T> = Result<T, ApiError>;

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// The request itself is malformed (JSON syntax, content type, query string).
    #[error("bad request: {0}")]
    BadRequest(String),

    /// One or more fields are invalid.
    #[error("validation failed")]
    Validation(Vec<FieldError>),

    /// One or more query-string parameters are invalid (400, with the parameters named).
    #[error("invalid query")]
    InvalidQuery(Vec<FieldError>),

    /// No session, an expired session, or wrong credentials at login.
    #[error("authentication required")]
    Unauthenticated,

    #[error("wrong user name or password")]
    InvalidCredentials,

    /// The session is valid but the password was entered too long ago.
    #[error("re-authentication required")]
    ReauthenticationRequired,

    #[error("forbidden: {0}")]
    Forbidden(&'static str),

    /// Also used for resources that exist but belong to somebody else, so that callers
    /// cannot probe for other people's ids.
    #[error("not found")]
    NotFound,

    #[error("conflict: {0}")]
    Conflict(String),

    /// The refund the buyer confirmed is not the refund any more: here is the new quote.
    #[error("quote changed")]
    QuoteChanged(Box<bazaar_core::lifecycle::UnsubscriptionQuote>),

    /// Gone for good, with the reason (410).
    #[error("gone: {0}")]
    Gone(String),

    /// The caller's `If-Match` version is stale.
    #[error("precondition failed")]
    PreconditionFailed,

    #[error("idempotency key reused with a different request")]
    IdempotencyKeyReused,

    #[error("rate limited")]
    RateLimited { retry_after_seconds: u64 },

    /// Too many wrong passwords: locked for a while, even for the right one.
    #[error("logins locked")]
    AccountLocked { retry_after_seconds: u64 },

    #[error("insufficient balance")]
    InsufficientBalance,

    #[error("payment declined: {0}")]
    PaymentDeclined(String),

    /// A flow rule forbids the action now: which one (with its times, for clients to word
    /// in their language) and the English explanation.
    #[error("rule violation: {explanation}")]
    RuleViolation { blocked: Blocked, explanation: String },

    #[error("method not allowed")]
    MethodNotAllowed,

    #[error("payload too large")]
    PayloadTooLarge,

    #[error("unsupported media type")]
    UnsupportedMediaType,

    /// The request ran out of time (nothing it started is kept).
    #[error("unavailable")]
    Unavailable,

    /// A seller's signed call was refused: why.
    #[error("signature refused: {0:?}")]
    SignatureRefused(crate::infra::signed_requests::SignatureProblem),

    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),

    #[error("internal error: {0}")]
    Internal(String),
}

impl ApiError {
    pub fn internal(cause: impl std::fmt::Display) -> ApiError {
        ApiError::Internal(cause.to_string())
    }

    /// A validation error about one field.
    pub fn field(field: &str, code: FieldErrorCode, message: impl Into<String>) -> ApiError {
        ApiError::Validation(vec![FieldError::new(field, code, message)])
    }

    pub fn code(&self) -> ErrorCode {
        match self {
            ApiError::BadRequest(_) | ApiError::InvalidQuery(_) => ErrorCode::BadRequest,
            ApiError::Validation(_) => ErrorCode::ValidationFailed,
            ApiError::Unauthenticated | ApiError::InvalidCredentials => ErrorCode::Unauthenticated,
            ApiError::ReauthenticationRequired => ErrorCode::ReauthenticationRequired,
            ApiError::Forbidden(_) => ErrorCode::Forbidden,
            ApiError::NotFound => ErrorCode::NotFound,
            ApiError::Conflict(_) => ErrorCode::Conflict,
            ApiError::QuoteChanged(_) => ErrorCode::QuoteChanged,
            ApiError::Gone(_) => ErrorCode::Gone,
            ApiError::PreconditionFailed => ErrorCode::PreconditionFailed,
            ApiError::IdempotencyKeyReused => ErrorCode::IdempotencyKeyReused,
            ApiError::RateLimited { .. } => ErrorCode::RateLimited,
            ApiError::AccountLocked { .. } => ErrorCode::AccountLocked,
            ApiError::InsufficientBalance => ErrorCode::InsufficientBalance,
            ApiError::PaymentDeclined(_) => ErrorCode::PaymentDeclined,
            ApiError::RuleViolation { .. } => ErrorCode::RuleViolation,
            ApiError::MethodNotAllowed => ErrorCode::MethodNotAllowed,
            ApiError::PayloadTooLarge => ErrorCode::PayloadTooLarge,
            ApiError::UnsupportedMediaType => ErrorCode::UnsupportedMediaType,
            ApiError::Unavailable => ErrorCode::Unavailable,
            ApiError::SignatureRefused(_) => ErrorCode::SignatureRefused,
            ApiError::Database(_) | ApiError::Internal(_) => ErrorCode::Internal,
        }
    }

    pub fn public_message(&self) -> String {
        match self {
            ApiError::BadRequest(detail) => detail.clone(),
            ApiError::Validation(_) => "Some fields are invalid.".to_owned(),
            ApiError::InvalidQuery(errors) => {
                errors.iter().map(|error| format!("{}: {}", error.field, error.message)).collect::<Vec<_>>().join(" ")
            }
            ApiError::Unauthenticated => "Please log in.".to_owned(),
            ApiError::InvalidCredentials => "Wrong user name or password.".to_owned(),
            ApiError::ReauthenticationRequired => "Enter your password again to continue.".to_owned(),
            ApiError::Forbidden(detail) => (*detail).to_owned(),
            ApiError::NotFound => "Not found.".to_owned(),
            ApiError::Conflict(detail)
            | ApiError::Gone(detail)
            | ApiError::RuleViolation { explanation: detail, .. } => detail.clone(),
            ApiError::QuoteChanged(quote) => format!(
                "The refund is now {} {}.{:02}: review it and confirm again.",
                quote.refund.refund.currency.as_str(),
                quote.refund.refund.amount_minor / 100,
                quote.refund.refund.amount_minor % 100
            ),
            ApiError::PreconditionFailed => "This changed since you loaded it. Reload and try again.".to_owned(),
            ApiError::IdempotencyKeyReused => {
                "This checkout attempt was already used for a different order.".to_owned()
            }
            ApiError::RateLimited { retry_after_seconds } => {
                format!("Too many requests. Try again in {retry_after_seconds} s.")
            }
            ApiError::AccountLocked { retry_after_seconds } => {
                format!("Too many wrong passwords: logging in is locked for {} min.", retry_after_seconds.div_ceil(60))
            }
            ApiError::InsufficientBalance => {
                "Your account balance does not cover this amount. Nothing was charged.".to_owned()
            }
            ApiError::PaymentDeclined(detail) => format!("{detail} Nothing was charged."),
            ApiError::MethodNotAllowed => "This path does not take that method.".to_owned(),
            ApiError::PayloadTooLarge => {
                format!("The body is larger than the {} KiB the API accepts.", crate::config::MAX_BODY_BYTES / 1024)
            }
            ApiError::UnsupportedMediaType => "Send the body as JSON with `Content-Type: application/json`.".to_owned(),
            ApiError::Unavailable => "The server could not answer in time; nothing changed. Try again.".to_owned(),
            ApiError::SignatureRefused(problem) => problem.message().to_owned(),
            ApiError::Database(_) | ApiError::Internal(_) => {
                "Something went wrong on our side. Please try again.".to_owned()
            }
        }
    }
}

impl From<ErrorBody> for ApiError {
    fn from(body: ErrorBody) -> ApiError {
        match body.code {
            ErrorCode::ValidationFailed => ApiError::Validation(body.field_errors),
            _ => ApiError::BadRequest(body.message),
        }
    }
}

/// Why the server could not start.
#[derive(Debug, thiserror::Error)]
pub enum StartupError {
    #[error("database: {0}")]
    Database(#[from] sqlx::Error),
    #[error("migrations: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("seeding demo data: {0}")]
    Seed(#[from] ApiError),
    #[error("I/O (static directory or listener): {0}")]
    Io(#[from] std::io::Error),
    #[error("configuration: {0}")]
    Config(String),
}
