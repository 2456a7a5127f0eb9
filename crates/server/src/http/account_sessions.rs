//! `/api/v1/account/sessions`: the account's signed-in sessions (device, address, last
//! seen), and signing one or all of them out, for when a phone is lost or a shared
//! computer was left signed in.

use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use bazaar_core::error_body::ErrorBody;
use bazaar_core::security::{SessionSummary, device_label};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::error::{ApiError, ApiResult};
use crate::http::auth::{self, CurrentAccount};
use crate::http::extract::{ApiJson, ApiPath};
use crate::infra::clock::from_unix;
use crate::state::AppState;
use crate::store;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(list_sessions, sign_out_everywhere)).routes(routes!(sign_out_session))
}

/// The account's live sessions, the most recently used first; `current` marks this one.
#[utoipa::path(get, path = "/account/sessions", tag = "session",
    responses((status = 200, body = Vec<SessionSummary>), (status = 401, body = ErrorBody)))]
async fn list_sessions(
    State(state): State<AppState>,
    account: CurrentAccount,
) -> ApiResult<ApiJson<Vec<SessionSummary>>> {
    let now = state.clock.real_unix_now();
    let idle_since = now.saturating_sub(state.config.session_idle_seconds);
    let rows = store::sessions::of_account(&state.db, account.id, now, idle_since).await?;
    Ok(ApiJson(
        rows.into_iter()
            .map(|row| SessionSummary {
                id: row.id,
                current: row.id == account.session_id,
                device: device_label(row.user_agent.as_deref().unwrap_or("")),
                client_address: row.client_address,
                signed_in_at: from_unix(row.created_at),
                last_seen_at: from_unix(row.last_seen_at),
                expires_at: from_unix(
                    row.expires_at.min(row.last_seen_at.saturating_add(state.config.session_idle_seconds)),
                ),
            })
            .collect(),
    ))
}

/// Signs one of the account's sessions out. Signing out the current one also clears its
/// cookie.
#[utoipa::path(delete, path = "/account/sessions/{session_id}", tag = "session",
    params(("session_id" = i64, Path, description = "A session id from the list")),
    responses((status = 204, description = "Signed out."), (status = 401, body = ErrorBody),
              (status = 404, body = ErrorBody, description = "No such session of this account.")))]
async fn sign_out_session(
    State(state): State<AppState>,
    account: CurrentAccount,
    ApiPath(session_id): ApiPath<i64>,
) -> ApiResult<Response> {
    if !auth::end_session(&state.db, account.id, session_id).await? {
        return Err(ApiError::NotFound);
    }
    tracing::info!(target: "security", account_id = %account.id, session_id, "session signed out from My Account");
    if session_id == account.session_id {
        return Ok(
            (StatusCode::NO_CONTENT, [(header::SET_COOKIE, auth::session_cookie(None, &state.config))]).into_response()
        );
    }
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// Signs every session of the account out, this one included, and clears the cookie.
#[utoipa::path(delete, path = "/account/sessions", tag = "session",
    responses((status = 204, description = "Signed out everywhere."), (status = 401, body = ErrorBody)))]
async fn sign_out_everywhere(State(state): State<AppState>, account: CurrentAccount) -> ApiResult<Response> {
    let ended = store::sessions::end_all(&state.db, account.id).await?;
    tracing::info!(target: "security", account_id = %account.id, sessions = ended, "signed out everywhere");
    Ok((StatusCode::NO_CONTENT, [(header::SET_COOKIE, auth::session_cookie(None, &state.config))]).into_response())
}
