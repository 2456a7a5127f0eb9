//! Messages centre endpoints.

use bazaar_core::messages::{MessagePage, UnreadCount};
use gloo_net::http::Method;

use super::{ApiError, get, request};

/// `query` is the API's own query string (without the `?`).
pub async fn messages(query: String) -> Result<MessagePage, ApiError> {
    get(&format!("/messages?{query}")).await
}

pub async fn unread_count() -> Result<UnreadCount, ApiError> {
    get("/messages/unread-count").await
}

pub async fn mark_read(message_id: i64) -> Result<(), ApiError> {
    request(Method::POST, &format!("/messages/{message_id}/read"), None::<&()>, &[]).await
}

pub async fn mark_all_read() -> Result<(), ApiError> {
    request(Method::POST, "/messages/read-all", None::<&()>, &[]).await
}
