//! `/session` endpoints: log in, log out, who am I, re-authenticate.

use bazaar_core::account::{LoginRequest, SessionInfo};
use bazaar_core::security::SessionSummary;
use gloo_net::http::Method;
use serde::Serialize;

use super::{ApiError, get, request};

pub async fn log_in(username: String, password: String) -> Result<SessionInfo, ApiError> {
    request(Method::POST, "/session", Some(&LoginRequest { username, password }), &[]).await
}

/// The current session, `Ok(None)` when nobody is signed in (the server answers 204 with
/// no body, read as JSON `null`).
pub async fn current() -> Result<Option<SessionInfo>, ApiError> {
    get::<Option<SessionInfo>>("/session").await
}

pub async fn log_out() -> Result<(), ApiError> {
    request(Method::DELETE, "/session", None::<&()>, &[]).await
}

#[derive(Serialize)]
struct ReauthenticateRequest {
    password: String,
}

pub async fn reauthenticate(password: String) -> Result<SessionInfo, ApiError> {
    request(Method::POST, "/session/reauthenticate", Some(&ReauthenticateRequest { password }), &[]).await
}

/// The account's signed-in sessions (My Account).
pub async fn sessions() -> Result<Vec<SessionSummary>, ApiError> {
    get("/account/sessions").await
}

/// Signs one of the account's sessions out.
pub async fn sign_out_session(session_id: i64) -> Result<(), ApiError> {
    request(Method::DELETE, &format!("/account/sessions/{session_id}"), None::<&()>, &[]).await
}

/// Signs every session of the account out, this one included.
pub async fn sign_out_everywhere() -> Result<(), ApiError> {
    request(Method::DELETE, "/account/sessions", None::<&()>, &[]).await
}
