//! `/api/v1/session`: log in, log out, who am I, and re-authentication before sensitive
//! actions. Password checks pass the login throttle first ([`crate::domain::throttle`]), and every
//! successful one starts a new session token (the old one, if the request had one, ends),
//! so a token planted or seen before the login is worth nothing after it.

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use bazaar_core::account::{LoginRequest, SessionInfo};
use bazaar_core::error::FieldErrorCode;
use bazaar_core::error_body::ErrorBody;
use bazaar_core::validation::validate_login;
use serde::Deserialize;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::domain::throttle::{self, AttemptKeys};
use crate::error::{ApiError, ApiResult};
use crate::http::auth::{self, CurrentAccount, SessionOrigin};
use crate::http::extract::{ApiJson, ClientAddress};
use crate::infra::clock::from_unix;
use crate::state::AppState;
use crate::store;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(log_in, who_am_i, log_out)).routes(routes!(reauthenticate))
}

/// Ends the session the request carries, if any (before a new one replaces it).
async fn end_presented_session(state: &AppState, headers: &HeaderMap) -> ApiResult<()> {
    let name = auth::session_cookie_name(state.config.cookies_are_secure());
    if let Some(token) = auth::session_token(headers, name)? {
        store::sessions::end_by_token(&state.db, &auth::hash_token(&token)).await?;
    }
    Ok(())
}

/// Logs in with user name and password; sets the session cookie. After repeated wrong
/// passwords the account (and the client address) must wait, then is locked for a while:
/// 429 with `Retry-After`, even for the right password.
#[utoipa::path(post, path = "/session", tag = "session", request_body = LoginRequest,
    responses(
        (status = 200, body = SessionInfo, description = "Logged in; the session cookie is set."),
        (status = 401, body = ErrorBody, description = "Wrong user name or password."),
        (status = 422, body = ErrorBody, description = "A field is missing or too long."),
        (status = 429, body = ErrorBody, description = "Too many wrong passwords: `rate_limited` (wait a few seconds) or `account_locked`; see `Retry-After`."),
    ))]
async fn log_in(
    State(state): State<AppState>,
    ClientAddress(client_address): ClientAddress,
    headers: HeaderMap,
    ApiJson(request): ApiJson<LoginRequest>,
) -> ApiResult<Response> {
    validate_login(&request.username, &request.password).into_result()?;
    let keys = AttemptKeys::new(&request.username, client_address.as_deref());
    throttle::begin_attempt(&state, &keys).await?;
    let credentials = store::accounts::credentials(&state.db, request.username.trim()).await?;
    let account_id = match credentials {
        Some(credentials) => {
            if !state.passwords.verify(request.password, credentials.password_hash).await? {
                throttle::failed(&state, &keys).await?;
                tracing::warn!(target: "security", account_id = %credentials.id, client = client_address.as_deref().unwrap_or("-"), "failed login");
                return Err(ApiError::InvalidCredentials);
            }
            credentials.id
        }
        None => {
            state.passwords.verify_decoy(request.password).await?;
            throttle::failed(&state, &keys).await?;
            tracing::warn!(target: "security", client = client_address.as_deref().unwrap_or("-"), "failed login for an unknown user name");
            return Err(ApiError::InvalidCredentials);
        }
    };
    throttle::succeeded(&state, &keys).await?;
    end_presented_session(&state, &headers).await?;
    let now = state.clock.unix_now();
    let token =
        auth::create_session(&state, account_id, now, &SessionOrigin::from_request(&headers, client_address)).await?;
    tracing::info!(%account_id, "logged in");
    let info =
        SessionInfo { account: auth::account_summary(&state.db, account_id).await?, authenticated_at: from_unix(now) };
    Ok(([(header::SET_COOKIE, auth::session_cookie(Some(&token), &state.config))], ApiJson(info)).into_response())
}

/// The signed-in account; 204 No Content for a visitor who is not signed in (no session,
/// or one that has ended). Not being signed in is an answer here, not an error: every
/// page asks this first, and a visitor's browser should log no failed request for it.
#[utoipa::path(get, path = "/session", tag = "session",
    responses((status = 200, body = SessionInfo), (status = 204, description = "Not signed in.")))]
async fn who_am_i(State(state): State<AppState>, account: Option<CurrentAccount>) -> ApiResult<Response> {
    match account {
        Some(account) => Ok(ApiJson(auth::session_info(&state.db, &account).await?).into_response()),
        None => Ok(StatusCode::NO_CONTENT.into_response()),
    }
}

/// Logs out: ends the session on the server and clears the cookie. Succeeds without a
/// session too, so a retried log-out never shows an error.
#[utoipa::path(delete, path = "/session", tag = "session",
    responses((status = 204, description = "Logged out.")))]
async fn log_out(State(state): State<AppState>, headers: HeaderMap) -> ApiResult<Response> {
    end_presented_session(&state, &headers).await?;
    Ok((StatusCode::NO_CONTENT, [(header::SET_COOKIE, auth::session_cookie(None, &state.config))]).into_response())
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct ReauthenticateRequest {
    pub password: String,
}

/// Confirms the password of the signed-in account, renewing the "recent login" that
/// sensitive actions such as revealing credentials require. The session gets a new token
/// (the cookie is set again). Throttled like logging in.
#[utoipa::path(post, path = "/session/reauthenticate", tag = "session", request_body = ReauthenticateRequest,
    responses((status = 200, body = SessionInfo, description = "Confirmed; a new session cookie is set."),
              (status = 401, body = ErrorBody), (status = 422, body = ErrorBody, description = "Wrong password."),
              (status = 429, body = ErrorBody, description = "Too many wrong passwords; see `Retry-After`.")))]
async fn reauthenticate(
    State(state): State<AppState>,
    account: CurrentAccount,
    ClientAddress(client_address): ClientAddress,
    headers: HeaderMap,
    ApiJson(request): ApiJson<ReauthenticateRequest>,
) -> ApiResult<Response> {
    if request.password.is_empty() {
        return Err(ApiError::field("password", FieldErrorCode::Required, "Enter your password."));
    }
    if request.password.chars().count() > bazaar_core::validation::MAX_LOGIN_FIELD_CHARS {
        return Err(ApiError::field("password", FieldErrorCode::TooLong, "That password is too long."));
    }
    let keys = AttemptKeys::new(&account.username, client_address.as_deref());
    throttle::begin_attempt(&state, &keys).await?;
    let stored = store::accounts::password_hash(&state.db, account.id).await?;
    if !state.passwords.verify(request.password, stored).await? {
        throttle::failed(&state, &keys).await?;
        tracing::warn!(target: "security", account_id = %account.id, client = client_address.as_deref().unwrap_or("-"), "failed re-authentication");
        return Err(ApiError::field("password", FieldErrorCode::WrongPassword, "That password is not correct."));
    }
    throttle::succeeded(&state, &keys).await?;
    let now = state.clock.unix_now();
    auth::end_session(&state.db, account.id, account.session_id).await?;
    let token =
        auth::create_session(&state, account.id, now, &SessionOrigin::from_request(&headers, client_address)).await?;
    let info =
        SessionInfo { account: auth::account_summary(&state.db, account.id).await?, authenticated_at: from_unix(now) };
    Ok(([(header::SET_COOKIE, auth::session_cookie(Some(&token), &state.config))], ApiJson(info)).into_response())
}
