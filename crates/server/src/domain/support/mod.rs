//! After-Sales Support (SPEC §13): opening a ticket about an app or order (with up to 3
//! attachments), the ticket as each party sees it — its thread and the actions the rules
//! allow them (`bazaar_core::support::tickets`), lists, taking an action (`actions`), the
//! 7-day close of a resolved ticket (`sweep`). Every change is a post of the thread and
//! reaches the other side as a message written in its transaction.

pub mod actions;
pub mod attachments;
pub mod reviews;
pub mod sweep;

use bazaar_core::error::FieldErrors;
use bazaar_core::ids::AccountId;
use bazaar_core::orders::order_number;
use bazaar_core::support::tickets::{SupportRole, TicketFacts, check_text};
use bazaar_core::support::wire::{
    NewTicket, SellerSupport, TicketActionState, TicketAttachment, TicketPage, TicketPost, TicketSummary, TicketView,
};
use time::OffsetDateTime;

use crate::error::{ApiError, ApiResult};
use crate::infra::clock::from_unix;
use crate::infra::db::{WriteScope, begin_write};
use crate::state::AppState;
use crate::store;
use crate::store::tickets::{NewPost, NewTicketRow, Scope, TicketRow};

/// Who acts on a ticket: an account and the part it plays.
#[derive(Debug, Clone, Copy)]
pub struct Party {
    pub account_id: AccountId,
    pub role: SupportRole,
    /// The seller a seller's staff act for.
    pub seller_id: Option<i64>,
}

impl Party {
    /// Whether this party may see `ticket`: its buyer, its seller's staff, operations.
    fn sees(&self, ticket: &TicketRow) -> bool {
        match self.role {
            SupportRole::Buyer => ticket.account_id == self.account_id,
            SupportRole::Seller => self.seller_id == Some(ticket.seller_id),
            SupportRole::Operations => true,
        }
    }
}

pub(crate) fn facts(row: &TicketRow) -> TicketFacts {
    TicketFacts {
        state: row.state,
        escalated: row.escalated,
        reopened: u32::try_from(row.reopened).unwrap_or(u32::MAX),
        awaiting_seller_since: row.awaiting_seller_since.map(from_unix),
        resolved_at: row.resolved_at.map(from_unix),
        rated: row.rating.is_some(),
    }
}

fn summary(row: &TicketRow) -> TicketSummary {
    TicketSummary {
        id: row.id,
        order_id: row.order_id,
        order_number: order_number(row.order_id),
        product_name: row.product_name.clone(),
        seller_name: row.seller_name.clone(),
        category: row.category,
        state: row.state,
        escalated: row.escalated,
        opened_at: from_unix(row.opened_at),
        updated_at: from_unix(row.updated_at),
        seller_deadline: facts(row).seller_deadline(),
    }
}

/// Opens a ticket about the buyer's order with its description and files.
pub async fn open(
    state: &AppState,
    buyer: AccountId,
    ticket: &NewTicket,
    uploads: Vec<attachments::Upload>,
) -> ApiResult<TicketView> {
    let mut errors = check_text("description", &ticket.description);
    let files = match attachments::check(uploads) {
        Ok(files) => files,
        Err(problems) => {
            errors.0.extend(problems.0);
            Vec::new()
        }
    };
    if !errors.is_empty() {
        return Err(ApiError::Validation(errors.0));
    }
    let now = state.clock.unix_now();
    let mut transaction = begin_write(&state.db, WriteScope::Account(buyer)).await?;
    let order = store::tickets::ticketable_order(&mut transaction, buyer, ticket.order_id).await?;
    let Some(order) = order else {
        let mut unknown = FieldErrors::default();
        unknown.push("order_id", bazaar_core::error::FieldErrorCode::UnknownValue, "Choose one of your paid orders.");
        return Err(ApiError::Validation(unknown.0));
    };
    let row = NewTicketRow { account_id: buyer, order: &order, category: ticket.category, now };
    let ticket_id = store::tickets::insert_ticket(&mut transaction, row).await?;
    let post = NewPost {
        ticket_id,
        author_id: Some(buyer),
        author_role: SupportRole::Buyer.as_str(),
        action: "opened",
        body: ticket.description.trim(),
        cause: None,
        fix: None,
        now,
    };
    let post_id = store::tickets::insert_post(&mut transaction, post).await?;
    for file in &files {
        store::tickets::insert_attachment(
            &mut transaction,
            (ticket_id, post_id),
            &file.file_name,
            file.media_type,
            &file.bytes,
            now,
        )
        .await?;
    }
    let opened = store::tickets::ticket(&mut transaction, ticket_id).await?.ok_or(ApiError::NotFound)?;
    actions::tell(&mut transaction, &opened, actions::Occasion::Opened, post_id, now).await?;
    transaction.commit().await?;
    tracing::info!(ticket_id, order_id = %order.order_id, files = files.len(), "ticket opened");
    let party = Party { account_id: buyer, role: SupportRole::Buyer, seller_id: None };
    view(state, party, ticket_id).await
}

/// Ticket `id` as `party` sees it; 404 for anyone it is not for.
pub async fn view(state: &AppState, party: Party, id: i64) -> ApiResult<TicketView> {
    let mut connection = state.db.acquire().await?;
    let row =
        store::tickets::ticket(&mut connection, id).await?.filter(|row| party.sees(row)).ok_or(ApiError::NotFound)?;
    drop(connection);
    let now = state.clock.now();
    let posts = store::tickets::posts(&state.db, id).await?;
    let files = store::tickets::attachments(&state.db, id).await?;
    let facts = facts(&row);
    let posts = posts
        .into_iter()
        .map(|post| TicketPost {
            attachments: files
                .iter()
                .filter(|file| file.post_id == post.id)
                .map(|file| TicketAttachment {
                    id: file.id,
                    file_name: file.file_name.clone(),
                    media_type: file.media_type.clone(),
                    size_bytes: u64::try_from(file.size_bytes).unwrap_or(0),
                })
                .collect(),
            id: post.id,
            author_role: post.author_role,
            action: post.action,
            body: post.body,
            cause: post.cause,
            fix: post.fix,
            created_at: from_unix(post.created_at),
        })
        .collect();
    let actions = facts
        .actions(party.role, now)
        .into_iter()
        .map(|(action, allowed)| TicketActionState { action, blocked: allowed.err() })
        .collect();
    Ok(TicketView {
        summary: summary(&row),
        facts,
        closes_itself_at: facts.closes_itself_at(),
        rating: row.rating.and_then(|stars| u8::try_from(stars).ok()),
        seller: SellerSupport {
            name: row.seller_name.clone(),
            email: row.seller_email.clone(),
            phone: row.seller_phone.clone(),
            support_hours: row.support_hours.clone(),
        },
        posts,
        actions,
        server_now: now,
    })
}

/// The most tickets one page lists.
pub const PAGE_SIZE: i64 = 20;

/// A page of the tickets `party` works on: the buyer's own, the seller's queue (soonest
/// deadline first), operations' escalated ones; open ones unless `closed`.
pub async fn list(state: &AppState, party: Party, closed: Option<bool>, page: u32) -> ApiResult<TicketPage> {
    let scope = match party.role {
        SupportRole::Buyer => Scope::Buyer(party.account_id),
        SupportRole::Seller => Scope::Seller(party.seller_id.ok_or(ApiError::Forbidden("Only sellers can do this."))?),
        SupportRole::Operations => Scope::Operations,
    };
    let offset = i64::from(page.saturating_sub(1)) * PAGE_SIZE;
    let mut rows = store::tickets::list(&state.db, scope, closed, (PAGE_SIZE + 1, offset)).await?;
    let has_more = rows.len() > PAGE_SIZE as usize;
    rows.truncate(PAGE_SIZE as usize);
    Ok(TicketPage { items: rows.iter().map(summary).collect(), has_more })
}

/// Attachment `attachment_id` of ticket `ticket_id`, for the ticket's parties only.
pub async fn attachment(
    state: &AppState,
    party: Party,
    ticket_id: i64,
    attachment_id: i64,
) -> ApiResult<store::tickets::AttachmentContent> {
    let mut connection = state.db.acquire().await?;
    let visible = store::tickets::ticket(&mut connection, ticket_id).await?.is_some_and(|row| party.sees(&row));
    drop(connection);
    if !visible {
        return Err(ApiError::NotFound);
    }
    store::tickets::attachment_content(&state.db, ticket_id, attachment_id).await?.ok_or(ApiError::NotFound)
}

/// `now` as the rules take it.
fn instant(now: i64) -> OffsetDateTime {
    from_unix(now)
}
