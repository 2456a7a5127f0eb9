//! After-Sales Support's JSON: opening a ticket, lists (the buyer's, the seller's queue,
//! operations' escalated ones), a ticket with its thread and the actions the caller may
//! take (the refused ones with their reason), and taking an action.

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use super::tickets::{TicketAction, TicketBlocked, TicketCategory, TicketFacts, TicketState};
use crate::ids::OrderId;

/// `POST /tickets`' `ticket` part (the files are the `attachment` parts).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewTicket {
    /// The app (its purchase order) or order it is about.
    pub order_id: OrderId,
    pub category: TicketCategory,
    /// Up to 5,000 characters.
    pub description: String,
}

/// A ticket as lists show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TicketSummary {
    pub id: i64,
    pub order_id: OrderId,
    pub order_number: String,
    pub product_name: String,
    pub seller_name: String,
    pub category: TicketCategory,
    pub state: TicketState,
    pub escalated: bool,
    #[serde(with = "time::serde::rfc3339")]
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub opened_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub updated_at: OffsetDateTime,
    /// While it waits for the seller: when the seller must have answered.
    #[serde(with = "time::serde::rfc3339::option")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, format = DateTime))]
    pub seller_deadline: Option<OffsetDateTime>,
}

/// A page of tickets.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TicketPage {
    pub items: Vec<TicketSummary>,
    /// Whether a next page has more (lists are not counted: a count costs a scan of every
    /// matching ticket on every request).
    pub has_more: bool,
}

/// A file attached to a post.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TicketAttachment {
    pub id: i64,
    pub file_name: String,
    /// As sniffed from the bytes: image/png, image/jpeg or application/pdf.
    pub media_type: String,
    pub size_bytes: u64,
}

/// One entry of a ticket's thread: a message, or a change of state, and who made it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TicketPost {
    pub id: i64,
    /// buyer, seller, operations, or system.
    pub author_role: String,
    /// opened, closed_by_time, or the action taken.
    pub action: String,
    pub body: String,
    pub cause: Option<String>,
    pub fix: Option<String>,
    #[serde(with = "time::serde::rfc3339")]
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub created_at: OffsetDateTime,
    pub attachments: Vec<TicketAttachment>,
}

/// An action of the caller's, and why it is refused now (none: allowed).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TicketActionState {
    pub action: TicketAction,
    pub blocked: Option<TicketBlocked>,
}

/// How to reach the seller (Seller Information).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SellerSupport {
    pub name: String,
    pub email: String,
    pub phone: String,
    pub support_hours: String,
}

/// A ticket with its thread and what the caller may do.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TicketView {
    pub summary: TicketSummary,
    pub facts: TicketFacts,
    /// A resolved ticket closes itself then unless the buyer answers.
    #[serde(with = "time::serde::rfc3339::option")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, format = DateTime))]
    pub closes_itself_at: Option<OffsetDateTime>,
    pub rating: Option<u8>,
    pub seller: SellerSupport,
    pub posts: Vec<TicketPost>,
    pub actions: Vec<TicketActionState>,
    /// The server's clock, for countdowns.
    #[serde(with = "time::serde::rfc3339")]
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub server_now: OffsetDateTime,
}

/// `POST /tickets/{id}/actions`: an action with what it needs (a reply's text; a
/// resolution's cause and fix; operations' decision as the text; a rating's stars).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TicketActionRequest {
    pub action: TicketAction,
    #[serde(default)]
    pub text: String,
    #[serde(default)]
    pub cause: Option<String>,
    #[serde(default)]
    pub fix: Option<String>,
    #[serde(default)]
    pub stars: Option<u8>,
}

/// A review as the product page shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReviewView {
    pub id: i64,
    /// As the reviewer is shown: "Lin W.".
    pub author_name: String,
    pub stars: u8,
    pub text: String,
    #[serde(with = "time::serde::rfc3339")]
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub updated_at: OffsetDateTime,
    /// The seller's one answer.
    pub answer: Option<String>,
    /// Operations hid it (only its author sees it then), and why.
    pub hidden_reason: Option<String>,
}

/// A seller's support, once enough of its tickets were rated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SupportFigures {
    pub rated_tickets: u32,
    /// Tenths of a star.
    pub average_rating_tenths: u32,
    /// The median time from a ticket's opening to the seller's first answer.
    pub median_first_answer_minutes: u32,
}

/// Whether the signed-in buyer may review the product, and their review.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MyReview {
    /// Why not, when they may not (write or edit).
    pub refusal: Option<super::reviews::ReviewRefusal>,
    pub review: Option<ReviewView>,
}

/// A product's reviews: the summary, a page of them newest first, the seller's support
/// figures, and the caller's own standing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ProductReviews {
    pub summary: super::reviews::RatingSummary,
    pub items: Vec<ReviewView>,
    pub total: u64,
    pub page: u32,
    pub page_size: u32,
    pub support: Option<SupportFigures>,
    /// Signed-in buyers only.
    pub mine: Option<MyReview>,
    /// The caller is the product's seller (it may answer).
    pub seller: bool,
    /// The caller is operations (it may hide).
    pub operations: bool,
}

/// `PUT /products/{id}/review`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReviewInput {
    /// 1 to 5.
    pub stars: i64,
    /// 20 to 5,000 characters.
    pub text: String,
}

/// A seller's answer, or operations' reason for hiding a review.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReviewNote {
    pub text: String,
}
