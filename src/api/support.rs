//! After-Sales Support endpoints: tickets (opening one with files), lists for each role,
//! a ticket, its actions and its files.

use bazaar_core::support::wire::{
    NewTicket, ProductReviews, ReviewInput, ReviewNote, ReviewView, TicketActionRequest, TicketPage, TicketView,
};
use gloo_net::http::Method;

use super::{ApiError, get, request, request_form};

/// Which list: the buyer's tickets, the seller's queue, operations' escalated ones.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TicketList {
    Mine,
    Seller,
    Operations,
}

pub async fn tickets(list: TicketList, closed: bool, page: u32) -> Result<TicketPage, ApiError> {
    let path = match list {
        TicketList::Mine => "/tickets",
        TicketList::Seller => "/seller/tickets",
        TicketList::Operations => "/operations/tickets",
    };
    let state = if closed { "closed" } else { "open" };
    get(&format!("{path}?state={state}&page={page}")).await
}

/// A multipart form: `value` as JSON in the part `part`, each file in an `attachment` part.
fn form_with_files(
    part: &str,
    value: &impl serde::Serialize,
    files: &[web_sys::File],
) -> Result<web_sys::FormData, ApiError> {
    let form = web_sys::FormData::new().map_err(|_| ApiError::network("the form could not be made".to_owned()))?;
    let json = serde_json::to_string(value).map_err(|error| ApiError::network(error.to_string()))?;
    form.append_with_str(part, &json).map_err(|_| ApiError::network("the form could not be made".to_owned()))?;
    for file in files {
        form.append_with_blob_and_filename("attachment", file, &file.name())
            .map_err(|_| ApiError::network("a file could not be attached".to_owned()))?;
    }
    Ok(form)
}

/// Opens a ticket with `files` (the browser's `File`s, at most 3).
pub async fn open_ticket(ticket: NewTicket, files: Vec<web_sys::File>) -> Result<TicketView, ApiError> {
    request_form("/tickets", form_with_files("ticket", &ticket, &files)?).await
}

pub async fn ticket(id: i64) -> Result<TicketView, ApiError> {
    get(&format!("/tickets/{id}")).await
}

/// Takes an action on ticket `id`, with `files` when it writes words (at most 3).
pub async fn act(id: i64, action: TicketActionRequest, files: Vec<web_sys::File>) -> Result<TicketView, ApiError> {
    let path = format!("/tickets/{id}/actions");
    if files.is_empty() {
        return request(Method::POST, &path, Some(&action), &[]).await;
    }
    request_form(&path, form_with_files("action", &action, &files)?).await
}

/// Where a ticket's file downloads from.
pub fn attachment_href(ticket_id: i64, attachment_id: i64) -> String {
    format!("{}/tickets/{ticket_id}/attachments/{attachment_id}", crate::config::api_base_url())
}

pub async fn product_reviews(product_id: i64, page: u32) -> Result<ProductReviews, ApiError> {
    get(&format!("/products/{product_id}/reviews?page={page}")).await
}

pub async fn save_review(product_id: i64, input: ReviewInput) -> Result<ReviewView, ApiError> {
    request(Method::PUT, &format!("/products/{product_id}/review"), Some(&input), &[]).await
}

pub async fn answer_review(review_id: i64, text: String) -> Result<ReviewView, ApiError> {
    request(Method::POST, &format!("/reviews/{review_id}/answer"), Some(&ReviewNote { text }), &[]).await
}

pub async fn hide_review(review_id: i64, text: String) -> Result<ReviewView, ApiError> {
    request(Method::POST, &format!("/reviews/{review_id}/hide"), Some(&ReviewNote { text }), &[]).await
}
