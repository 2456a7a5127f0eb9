//! Taking an action on a ticket: checked by core's rules (the refused ones answer 409 with
//! the reason), written against the version read (a change made meanwhile answers 409
//! too), recorded as a post of the thread, and told to the other side — the party whose
//! turn it is now — as messages in the same transaction, once each.

use bazaar_core::error::FieldErrors;
use bazaar_core::ids::AccountId;
use bazaar_core::messages::{MessageLink, MessageTopic};
use bazaar_core::support::tickets::{SupportRole, TicketAction, TicketBlocked, TicketState, check_rating, check_text};
use bazaar_core::support::wire::{TicketActionRequest, TicketView};

use super::{Party, facts, instant, view};
use crate::domain::messages::{Outgoing, send};
use crate::error::{ApiError, ApiResult};
use crate::infra::db::{Connection, WriteScope, begin_write};
use crate::state::AppState;
use crate::store;
use crate::store::tickets::{NewPost, TicketChange, TicketRow};

/// What happened, for whom to tell.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Occasion {
    Opened,
    /// The buyer wrote (a reply or a reopening): the seller's, or operations', turn.
    BuyerWrote,
    Answered,
    Resolved,
    Escalated,
    Returned,
    /// Closed by the buyer's confirmation (`true`), or by operations or time.
    Closed {
        by_buyer: bool,
    },
    Rated,
}

fn occasion(role: SupportRole, action: TicketAction) -> Occasion {
    match (role, action) {
        (SupportRole::Buyer, TicketAction::Reply | TicketAction::Reopen) => Occasion::BuyerWrote,
        (_, TicketAction::Reply) => Occasion::Answered,
        (_, TicketAction::Resolve) => Occasion::Resolved,
        (_, TicketAction::Escalate) => Occasion::Escalated,
        (_, TicketAction::ReturnToSeller) => Occasion::Returned,
        (_, TicketAction::Confirm) => Occasion::Closed { by_buyer: true },
        (_, TicketAction::CloseWithDecision) => Occasion::Closed { by_buyer: false },
        (_, TicketAction::Reopen) => Occasion::BuyerWrote,
        (_, TicketAction::Rate) => Occasion::Rated,
    }
}

/// Why an action is refused, in English (the page shows each refused action's reason in
/// the reader's language from the ticket's `actions`).
fn explanation(blocked: TicketBlocked) -> String {
    match blocked {
        TicketBlocked::Closed => "This ticket is closed.".to_owned(),
        TicketBlocked::NotYourAction => "This is not an action you can take on a ticket.".to_owned(),
        TicketBlocked::WithOperations => "Operations have this ticket now; they may send it back to you.".to_owned(),
        TicketBlocked::NotEscalated => "Only escalated tickets are handled by operations.".to_owned(),
        TicketBlocked::NotResolved => "Only a resolved ticket can be confirmed or reopened.".to_owned(),
        TicketBlocked::AwaitingConfirmation => "The ticket is resolved: the buyer confirms or reopens it.".to_owned(),
        TicketBlocked::SellerStillHasTime { until } => format!("The seller has until {until} to answer."),
        TicketBlocked::SellerAnswered => "The seller answered; escalate after reopening twice.".to_owned(),
        TicketBlocked::AlreadyEscalated => "Operations have this ticket already.".to_owned(),
        TicketBlocked::NotClosed => "Rate the support once the ticket is closed.".to_owned(),
        TicketBlocked::AlreadyRated => "You rated this ticket already.".to_owned(),
    }
}

/// The request's own problems for `action`: a reply's text, a resolution's cause and fix, a
/// decision, a rating.
fn check_request(request: &TicketActionRequest) -> FieldErrors {
    match request.action {
        TicketAction::Reply | TicketAction::CloseWithDecision => check_text("text", &request.text),
        TicketAction::Resolve => {
            let mut errors = check_text("cause", request.cause.as_deref().unwrap_or_default());
            errors.0.extend(check_text("fix", request.fix.as_deref().unwrap_or_default()).0);
            errors
        }
        TicketAction::Rate => check_rating(request.stars.unwrap_or(0)),
        _ if request.text.chars().count() > bazaar_core::support::tickets::TEXT_MAX => {
            check_text("text", &request.text)
        }
        _ => FieldErrors::default(),
    }
}

/// Whether `action` writes words that files may go with (a reply, a reopening, a
/// resolution, a decision); confirming, escalating, returning and rating carry none.
fn takes_files(action: TicketAction) -> bool {
    matches!(
        action,
        TicketAction::Reply | TicketAction::Reopen | TicketAction::Resolve | TicketAction::CloseWithDecision
    )
}

/// `party` takes `request.action` on ticket `id`, with `uploads` (up to 3 files, checked
/// like a new ticket's) on the post it writes.
pub async fn act(
    state: &AppState,
    party: Party,
    id: i64,
    request: &TicketActionRequest,
    uploads: Vec<super::attachments::Upload>,
) -> ApiResult<TicketView> {
    let mut errors = check_request(request);
    let files = if uploads.is_empty() {
        Vec::new()
    } else if !takes_files(request.action) {
        errors.push(
            "attachments",
            bazaar_core::error::FieldErrorCode::Invalid,
            "Attach files to a reply, a reopening, a resolution or a decision.",
        );
        Vec::new()
    } else {
        super::attachments::check(uploads).unwrap_or_else(|problems| {
            errors.0.extend(problems.0);
            Vec::new()
        })
    };
    if !errors.is_empty() {
        return Err(ApiError::Validation(errors.0));
    }
    let now = state.clock.unix_now();
    let mut transaction = begin_write(&state.db, WriteScope::Guarded).await?;
    let row = store::tickets::ticket(&mut transaction, id).await?;
    let row = row.filter(|row| party.sees(row)).ok_or(ApiError::NotFound)?;
    let before = facts(&row);
    let after = before
        .apply(party.role, request.action, instant(now))
        .map_err(|blocked| ApiError::Conflict(explanation(blocked)))?;
    let answering =
        party.role != SupportRole::Buyer && matches!(request.action, TicketAction::Reply | TicketAction::Resolve);
    let change = TicketChange {
        state: after.state,
        escalated: after.escalated,
        reopened: i64::from(after.reopened),
        awaiting_seller_since: after.awaiting_seller_since.map(|at| at.unix_timestamp()),
        resolved_at: after.resolved_at.map(|at| at.unix_timestamp()),
        rating: if request.action == TicketAction::Rate { request.stars.map(i64::from) } else { row.rating },
        first_answer_at: row.first_answer_at.or(answering.then_some(now)),
        closed_at: (after.state == TicketState::Closed).then_some(now),
    };
    if !store::tickets::update(&mut transaction, id, row.version, &change, now).await? {
        return Err(ApiError::Conflict("The ticket changed meanwhile; reload it and try again.".to_owned()));
    }
    let stars = request.stars.map(|stars| stars.to_string());
    let body =
        if request.action == TicketAction::Rate { stars.as_deref().unwrap_or_default() } else { request.text.trim() };
    let post = NewPost {
        ticket_id: id,
        author_id: Some(party.account_id),
        author_role: party.role.as_str(),
        action: request.action.as_str(),
        body,
        cause: request.cause.as_deref().map(str::trim).filter(|_| request.action == TicketAction::Resolve),
        fix: request.fix.as_deref().map(str::trim).filter(|_| request.action == TicketAction::Resolve),
        now,
    };
    let post_id = store::tickets::insert_post(&mut transaction, post).await?;
    for file in &files {
        store::tickets::insert_attachment(
            &mut transaction,
            (id, post_id),
            &file.file_name,
            file.media_type,
            &file.bytes,
            now,
        )
        .await?;
    }
    let changed = store::tickets::ticket(&mut transaction, id).await?.ok_or(ApiError::NotFound)?;
    tell(&mut transaction, &changed, occasion(party.role, request.action), post_id, now).await?;
    transaction.commit().await?;
    tracing::info!(
        ticket_id = id,
        role = party.role.as_str(),
        action = request.action.as_str(),
        files = files.len(),
        "ticket action"
    );
    view(state, party, id).await
}

/// Tells whoever `occasion` concerns about `ticket` (as it is after the change), once per
/// post and account.
pub async fn tell(
    connection: &mut Connection,
    ticket: &TicketRow,
    occasion: Occasion,
    post_id: i64,
    now: i64,
) -> ApiResult<()> {
    let facts = facts(ticket);
    let sellers = store::tickets::seller_accounts(connection, ticket.seller_id).await?;
    let operations = store::accounts::operations_accounts(connection).await?;
    let mut recipients: Vec<(AccountId, MessageTopic, Option<i64>)> = Vec::new();
    match occasion {
        Occasion::Opened | Occasion::BuyerWrote | Occasion::Returned if !ticket.escalated => {
            let deadline = facts.seller_deadline().map(|at| at.unix_timestamp());
            for account in sellers.iter().copied() {
                recipients.push((account, MessageTopic::TicketNeedsAnswer, deadline));
            }
        }
        Occasion::Opened | Occasion::BuyerWrote | Occasion::Returned => {
            for account in operations.iter().copied() {
                recipients.push((account, MessageTopic::TicketNeedsAnswer, None));
            }
        }
        Occasion::Answered => recipients.push((ticket.account_id, MessageTopic::TicketAnswered, None)),
        Occasion::Resolved => {
            let closes = facts.closes_itself_at().map(|at| at.unix_timestamp());
            recipients.push((ticket.account_id, MessageTopic::TicketResolved, closes));
        }
        Occasion::Escalated => {
            for account in operations.iter().copied() {
                recipients.push((account, MessageTopic::TicketNeedsAnswer, None));
            }
            for account in sellers.iter().copied() {
                recipients.push((account, MessageTopic::TicketEscalated, None));
            }
        }
        Occasion::Closed { by_buyer } => {
            if !by_buyer {
                recipients.push((ticket.account_id, MessageTopic::TicketClosed, None));
            }
            for account in sellers.iter().copied() {
                recipients.push((account, MessageTopic::TicketClosed, None));
            }
        }
        Occasion::Rated => {}
    }
    for (account_id, topic, at) in recipients {
        let message = Outgoing {
            account_id,
            topic,
            subject: &ticket.product_name,
            order_id: ticket.order_id,
            link: MessageLink::Order { order_id: ticket.order_id },
            at: at.map(crate::infra::clock::from_unix),
            due_at: None,
            dedupe_key: format!("ticket:{}:post:{post_id}:to:{account_id}", ticket.id),
        };
        send(connection, message, now).await?;
    }
    Ok(())
}
