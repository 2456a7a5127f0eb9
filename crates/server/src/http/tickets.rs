//! `/api/v1/tickets`, `/api/v1/seller/tickets`, `/api/v1/operations/tickets`: After-Sales
//! Support. Buyers open tickets (with files) and follow theirs; sellers work their queue;
//! operations the escalated ones; each party acts on a ticket as the rules allow it.

use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use bazaar_core::account::Role;
use bazaar_core::error_body::ErrorBody;
use bazaar_core::support::tickets::SupportRole;
use bazaar_core::support::wire::{NewTicket, TicketActionRequest, TicketPage, TicketView};
use serde::Deserialize;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::domain::support::{self, Party};
use crate::error::{ApiError, ApiResult};
use crate::http::auth::CurrentAccount;
use crate::http::extract::{ApiJson, ApiPath, ApiQuery, WithFiles};
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_mine, open_ticket))
        .routes(routes!(seller_queue))
        .routes(routes!(operations_queue))
        .routes(routes!(one_ticket))
        .routes(routes!(take_action))
        .routes(routes!(attachment))
        // The multipart reader's own limit (2 MB by default) is the upload's: the global
        // body limit has already held the request to `MAX_UPLOAD_BODY_BYTES`.
        .layer(axum::extract::DefaultBodyLimit::max(crate::config::MAX_UPLOAD_BODY_BYTES))
}

fn party(account: &CurrentAccount) -> Party {
    let role = match account.role {
        Role::Seller => SupportRole::Seller,
        Role::Operations => SupportRole::Operations,
        Role::Buyer | Role::ResellerCustomer => SupportRole::Buyer,
    };
    Party { account_id: account.id, role, seller_id: account.seller_id }
}

/// Which tickets a list shows.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct TicketListQuery {
    /// `open` (the default) or `closed`.
    #[serde(default)]
    pub state: Option<String>,
    /// From 1.
    #[serde(default)]
    #[param(minimum = 1, maximum = 100000)]
    pub page: Option<u32>,
}

fn closed(query: &TicketListQuery) -> ApiResult<Option<bool>> {
    match query.state.as_deref() {
        None | Some("open") => Ok(Some(false)),
        Some("closed") => Ok(Some(true)),
        Some("all") => Ok(None),
        Some(_) => Err(ApiError::BadRequest("state is open, closed or all".to_owned())),
    }
}

/// The buyer's tickets, latest changed first.
#[utoipa::path(get, path = "/tickets", tag = "support", params(TicketListQuery),
    responses((status = 200, body = TicketPage), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody)))]
async fn list_mine(
    State(state): State<AppState>,
    account: CurrentAccount,
    ApiQuery(query): ApiQuery<TicketListQuery>,
) -> ApiResult<ApiJson<TicketPage>> {
    Ok(ApiJson(
        support::list(&state, party(&account), closed(&query)?, crate::http::list_query::page_number(query.page)?)
            .await?,
    ))
}

/// The seller's tickets: those waiting for its answer first, soonest deadline first.
#[utoipa::path(get, path = "/seller/tickets", tag = "support", params(TicketListQuery),
    responses((status = 200, body = TicketPage), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody)))]
async fn seller_queue(
    State(state): State<AppState>,
    account: CurrentAccount,
    ApiQuery(query): ApiQuery<TicketListQuery>,
) -> ApiResult<ApiJson<TicketPage>> {
    account.require_seller()?;
    Ok(ApiJson(
        support::list(&state, party(&account), closed(&query)?, crate::http::list_query::page_number(query.page)?)
            .await?,
    ))
}

/// Escalated tickets, the longest waiting first.
#[utoipa::path(get, path = "/operations/tickets", tag = "support", params(TicketListQuery),
    responses((status = 200, body = TicketPage), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody)))]
async fn operations_queue(
    State(state): State<AppState>,
    account: CurrentAccount,
    ApiQuery(query): ApiQuery<TicketListQuery>,
) -> ApiResult<ApiJson<TicketPage>> {
    Ok(ApiJson(
        support::list(&state, party(&account), closed(&query)?, crate::http::list_query::page_number(query.page)?)
            .await?,
    ))
}

/// Opens a ticket: a `ticket` part (JSON: order, category, description) and up to 3
/// `attachment` parts (PNG, JPEG or PDF by their bytes, at most 5 MB each); a plain JSON
/// body opens one without files.
#[utoipa::path(post, path = "/tickets", tag = "support",
    request_body(content = NewTicket, content_type = "multipart/form-data",
        description = "`ticket`: the JSON; `attachment`: up to 3 files."),
    responses((status = 201, body = TicketView), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
              (status = 413, body = ErrorBody),
              (status = 422, body = ErrorBody, description = "The description, an attachment (type, size, count), or an order not yours.")))]
async fn open_ticket(
    State(state): State<AppState>,
    account: CurrentAccount,
    WithFiles(ticket, uploads): WithFiles<NewTicket>,
) -> ApiResult<Response> {
    let view = support::open(&state, account.id, &ticket, uploads).await?;
    Ok((StatusCode::CREATED, ApiJson(view)).into_response())
}

/// A ticket with its thread and the caller's actions (the refused ones with their reason):
/// for its buyer, its seller's staff and operations; 404 for anyone else.
#[utoipa::path(get, path = "/tickets/{ticket_id}", tag = "support",
    params(("ticket_id" = i64, Path, description = "Ticket id")),
    responses((status = 200, body = TicketView), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn one_ticket(
    State(state): State<AppState>,
    account: CurrentAccount,
    ApiPath(ticket_id): ApiPath<i64>,
) -> ApiResult<ApiJson<TicketView>> {
    Ok(ApiJson(support::view(&state, party(&account), ticket_id).await?))
}

/// Takes an action: reply, resolve (cause and fix), confirm, reopen, escalate, return to
/// the seller, close with a decision, rate (1–5). A reply, reopening, resolution or
/// decision may bring up to 3 files: send `multipart/form-data` with the JSON in an
/// `action` part and each file in an `attachment` part (checked as a new ticket's).
#[utoipa::path(post, path = "/tickets/{ticket_id}/actions", tag = "support", request_body = TicketActionRequest,
    params(("ticket_id" = i64, Path, description = "Ticket id")),
    responses((status = 200, body = TicketView), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody),
              (status = 409, body = ErrorBody, description = "The rules refuse it now (the reason), or the ticket changed meanwhile."),
              (status = 422, body = ErrorBody)))]
async fn take_action(
    State(state): State<AppState>,
    account: CurrentAccount,
    ApiPath(ticket_id): ApiPath<i64>,
    WithFiles(request, uploads): WithFiles<TicketActionRequest>,
) -> ApiResult<ApiJson<TicketView>> {
    Ok(ApiJson(support::actions::act(&state, party(&account), ticket_id, &request, uploads).await?))
}

/// A file of the ticket, as an attachment (never shown inline), for the ticket's parties.
#[utoipa::path(get, path = "/tickets/{ticket_id}/attachments/{attachment_id}", tag = "support",
    params(("ticket_id" = i64, Path, description = "Ticket id"), ("attachment_id" = i64, Path, description = "Attachment id")),
    responses((status = 200, content_type = "application/octet-stream", body = Vec<u8>),
              (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn attachment(
    State(state): State<AppState>,
    account: CurrentAccount,
    ApiPath((ticket_id, attachment_id)): ApiPath<(i64, i64)>,
) -> ApiResult<Response> {
    let file = support::attachment(&state, party(&account), ticket_id, attachment_id).await?;
    let headers = [
        (header::CONTENT_TYPE, file.media_type),
        (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{}\"", file.file_name)),
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff".to_owned()),
        (header::CACHE_CONTROL, "private, no-store".to_owned()),
    ];
    Ok((headers, file.content).into_response())
}
