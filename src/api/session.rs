//! `/session` endpoints: log in, log out, who am I, re-authenticate.

use bazaar_core::account::{LoginRequest, SessionInfo};
use gloo_net::http::Method;
use serde::Serialize;

use super::{ApiError, get, request};

pub async fn log_in(username: String, password: String) -> Result<SessionInfo, ApiError> {
    request(Method::POST, "/session", Some(&LoginRequest { username, password }), &[]).await
}

/// The current session, `Ok(None)` when nobody is signed in.
pub async fn current() -> Result<Option<SessionInfo>, ApiError> {
    match get::<SessionInfo>("/session").await {
        Ok(info) => Ok(Some(info)),
        Err(error) if error.status == 401 => Ok(None),
        Err(error) => Err(error),
    }
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
