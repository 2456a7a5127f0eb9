//! `/api/v1/session`: log in, log out, who am I, and re-authentication before sensitive
//! actions.

use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use bazaar_core::account::{LoginRequest, SessionInfo};
use bazaar_core::error::ErrorBody;
use bazaar_core::validation::validate_login;
use serde::Deserialize;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::auth::{self, CurrentAccount};
use crate::clock::from_unix;
use crate::error::{ApiError, ApiResult};
use crate::extract::ApiJson;
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(log_in, who_am_i, log_out)).routes(routes!(reauthenticate))
}

#[derive(sqlx::FromRow)]
struct Credentials {
    id: i64,
    password_hash: String,
}

/// Logs in with user name and password; sets the session cookie.
#[utoipa::path(post, path = "/session", tag = "session", request_body = LoginRequest,
    responses(
        (status = 200, body = SessionInfo, description = "Logged in; the session cookie is set."),
        (status = 401, body = ErrorBody, description = "Wrong user name or password."),
        (status = 422, body = ErrorBody, description = "A field is missing or too long."),
    ))]
async fn log_in(State(state): State<AppState>, ApiJson(request): ApiJson<LoginRequest>) -> ApiResult<Response> {
    validate_login(&request.username, &request.password).into_result()?;
    let credentials: Option<Credentials> = sqlx::query_as("SELECT id, password_hash FROM accounts WHERE username = ?")
        .bind(request.username.trim())
        .fetch_optional(&state.db)
        .await?;
    let account_id = match credentials {
        Some(credentials) => {
            if !state.passwords.verify(request.password, credentials.password_hash).await? {
                return Err(ApiError::InvalidCredentials);
            }
            credentials.id
        }
        None => {
            state.passwords.verify_decoy(request.password).await?;
            return Err(ApiError::InvalidCredentials);
        }
    };
    let now = state.clock.unix_now();
    let token = auth::create_session(&state.db, account_id, now).await?;
    tracing::info!(account_id, "logged in");
    let info =
        SessionInfo { account: auth::account_summary(&state.db, account_id).await?, authenticated_at: from_unix(now) };
    Ok(([(header::SET_COOKIE, auth::session_cookie(Some(&token), state.config.secure_cookies))], ApiJson(info))
        .into_response())
}

/// The signed-in account, or 401 without a valid session.
#[utoipa::path(get, path = "/session", tag = "session",
    responses((status = 200, body = SessionInfo), (status = 401, body = ErrorBody)))]
async fn who_am_i(State(state): State<AppState>, account: CurrentAccount) -> ApiResult<ApiJson<SessionInfo>> {
    Ok(ApiJson(auth::session_info(&state.db, &account).await?))
}

/// Logs out: ends the session on the server and clears the cookie. Succeeds without a
/// session too, so a retried log-out never shows an error.
#[utoipa::path(delete, path = "/session", tag = "session",
    responses((status = 204, description = "Logged out.")))]
async fn log_out(State(state): State<AppState>, headers: axum::http::HeaderMap) -> ApiResult<Response> {
    if let Some(token) = auth::session_token(&headers) {
        sqlx::query("DELETE FROM sessions WHERE token_hash = ?")
            .bind(auth::hash_token(&token))
            .execute(&state.db)
            .await?;
    }
    Ok((StatusCode::NO_CONTENT, [(header::SET_COOKIE, auth::session_cookie(None, state.config.secure_cookies))])
        .into_response())
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct ReauthenticateRequest {
    pub password: String,
}

/// Confirms the password of the signed-in account, renewing the "recent login" that
/// sensitive actions such as revealing credentials require.
#[utoipa::path(post, path = "/session/reauthenticate", tag = "session", request_body = ReauthenticateRequest,
    responses((status = 200, body = SessionInfo), (status = 401, body = ErrorBody)))]
async fn reauthenticate(
    State(state): State<AppState>,
    account: CurrentAccount,
    ApiJson(request): ApiJson<ReauthenticateRequest>,
) -> ApiResult<ApiJson<SessionInfo>> {
    if request.password.is_empty() {
        return Err(ApiError::field("password", "required", "Enter your password."));
    }
    let stored: String = sqlx::query_scalar("SELECT password_hash FROM accounts WHERE id = ?")
        .bind(account.id)
        .fetch_one(&state.db)
        .await?;
    if !state.passwords.verify(request.password, stored).await? {
        return Err(ApiError::field("password", "wrong_password", "That password is not correct."));
    }
    let now = state.clock.unix_now();
    sqlx::query("UPDATE sessions SET authenticated_at = ? WHERE token_hash = ?")
        .bind(now)
        .bind(account.token_hash())
        .execute(&state.db)
        .await?;
    Ok(ApiJson(SessionInfo {
        account: auth::account_summary(&state.db, account.id).await?,
        authenticated_at: from_unix(now),
    }))
}
