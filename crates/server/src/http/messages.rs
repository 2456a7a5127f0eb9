//! `/api/v1/messages`: the Messages centre — a page of the account's messages (by group,
//! unread only), the unread count the header bell polls, and marking read.

use axum::extract::State;
use axum::http::StatusCode;
use bazaar_core::error_body::ErrorBody;
use bazaar_core::messages::{MessageGroup, MessagePage, UnreadCount};
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::domain::messages;
use crate::error::{ApiError, ApiResult};
use crate::http::auth::CurrentAccount;
use crate::http::extract::{ApiJson, ApiPath, ApiQuery};
use crate::http::list_query::ListQuery;
use crate::state::AppState;

const MAX_PAGE_SIZE: u32 = 100;
const DEFAULT_PAGE_SIZE: u32 = 20;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_messages))
        .routes(routes!(unread_count))
        .routes(routes!(mark_read))
        .routes(routes!(mark_all_read))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct MessageListQuery {
    /// renewals | orders | supervision
    pub group: Option<String>,
    /// `true`: unread messages only.
    pub unread: Option<String>,
    pub page: Option<String>,
    /// 1 to 100 (default 20).
    pub page_size: Option<String>,
}

/// The account's messages, newest first.
#[utoipa::path(get, path = "/messages", tag = "messages", params(MessageListQuery),
    responses((status = 200, body = MessagePage), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody)))]
async fn list_messages(
    State(state): State<AppState>,
    account: CurrentAccount,
    ApiQuery(query): ApiQuery<MessageListQuery>,
) -> ApiResult<ApiJson<MessagePage>> {
    let mut checks = ListQuery::new();
    let group = checks.choice(
        "group",
        query.group.as_deref(),
        |text: &str| text.parse::<MessageGroup>().ok(),
        "Use renewals, orders or supervision.",
    );
    let unread = checks.flag("unread", query.unread.as_deref());
    let (page, page_size) =
        checks.paging(query.page.as_deref(), query.page_size.as_deref(), MAX_PAGE_SIZE, DEFAULT_PAGE_SIZE);
    checks.finish()?;
    Ok(ApiJson(messages::list(&state.db, account.id, group, unread.unwrap_or(false), page, page_size).await?))
}

/// How many messages the account has not read: what the header bell shows. Cheap, so the
/// SPA polls it.
#[utoipa::path(get, path = "/messages/unread-count", tag = "messages",
    responses((status = 200, body = UnreadCount), (status = 401, body = ErrorBody)))]
async fn unread_count(State(state): State<AppState>, account: CurrentAccount) -> ApiResult<ApiJson<UnreadCount>> {
    Ok(ApiJson(UnreadCount { unread: messages::unread_count(&state.db, account.id).await? }))
}

/// Marks one message read.
#[utoipa::path(post, path = "/messages/{message_id}/read", tag = "messages",
    params(("message_id" = i64, Path, description = "Message id")),
    responses((status = 204, description = "Read."), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn mark_read(
    State(state): State<AppState>,
    account: CurrentAccount,
    ApiPath(message_id): ApiPath<i64>,
) -> ApiResult<StatusCode> {
    let now = state.clock.unix_now();
    if messages::mark_read(&state.db, account.id, Some(message_id), now).await? {
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(ApiError::NotFound)
    }
}

/// Marks every message of the account read.
#[utoipa::path(post, path = "/messages/read-all", tag = "messages",
    responses((status = 204, description = "All read."), (status = 401, body = ErrorBody)))]
async fn mark_all_read(State(state): State<AppState>, account: CurrentAccount) -> ApiResult<StatusCode> {
    messages::mark_read(&state.db, account.id, None, state.clock.unix_now()).await?;
    Ok(StatusCode::NO_CONTENT)
}
