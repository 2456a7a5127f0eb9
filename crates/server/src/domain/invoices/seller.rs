//! A seller's invoices (Seller Console): the queue, soonest deadline first; issuing (Bazaar
//! makes the document, numbered for the seller in the issuing transaction) or rejecting
//! with a reason; and, in the lifecycle sweep, telling operations once about each request
//! a seller let pass its 5-business-day deadline. Every decision reaches the buyer as a
//! message written in its transaction.

use bazaar_core::error::FieldErrorCode;
use bazaar_core::invoices::{InvoiceView, REJECT_REASON_MAX, REJECT_REASON_MIN};
use bazaar_core::messages::{MessageLink, MessageTopic};

use crate::domain::messages::{Outgoing, send};
use crate::error::{ApiError, ApiResult};
use crate::infra::clock::from_unix;
use crate::infra::db::{Connection, WriteScope, begin_write};
use crate::state::AppState;
use crate::store;
use crate::store::invoices::WaitingRow;

/// Seller `seller_id`'s invoices: waiting ones first, soonest deadline first.
pub async fn queue(state: &AppState, seller_id: i64) -> ApiResult<Vec<InvoiceView>> {
    let rows = store::invoices::seller_queue(&state.db, seller_id).await?;
    let items = store::invoices::items_of_seller(&state.db, seller_id).await?;
    super::views::views(rows, items)
}

/// Issues seller `seller_id`'s waiting invoice `id`; its number.
pub async fn issue(state: &AppState, seller_id: i64, id: i64) -> ApiResult<String> {
    let now = state.clock.unix_now();
    let mut transaction = begin_write(&state.db, WriteScope::Guarded).await?;
    let waiting = waiting(&mut transaction, seller_id, id).await?;
    let number = super::issue(&mut transaction, id, &waiting.issuer, now).await?;
    tell_buyer(&mut transaction, &waiting, MessageTopic::InvoiceIssued, now).await?;
    transaction.commit().await?;
    tracing::info!(invoice_id = id, seller_id, %number, "invoice issued by its seller");
    Ok(number)
}

/// Rejects seller `seller_id`'s waiting invoice `id` with `reason` (its items can be
/// requested again).
pub async fn reject(state: &AppState, seller_id: i64, id: i64, reason: &str) -> ApiResult<()> {
    let reason = reason.trim();
    let length = reason.chars().count();
    if !(REJECT_REASON_MIN..=REJECT_REASON_MAX).contains(&length) {
        return Err(ApiError::field(
            "reason",
            if length < REJECT_REASON_MIN { FieldErrorCode::TooShort } else { FieldErrorCode::TooLong },
            format!("Give the buyer a reason of {REJECT_REASON_MIN} to {REJECT_REASON_MAX} characters."),
        ));
    }
    let now = state.clock.unix_now();
    let mut transaction = begin_write(&state.db, WriteScope::Guarded).await?;
    let waiting = waiting(&mut transaction, seller_id, id).await?;
    if !store::invoices::mark_rejected(&mut transaction, id, reason, now).await? {
        return Err(ApiError::Conflict("This invoice is no longer waiting.".to_owned()));
    }
    tell_buyer(&mut transaction, &waiting, MessageTopic::InvoiceRejected, now).await?;
    transaction.commit().await?;
    Ok(())
}

async fn waiting(connection: &mut Connection, seller_id: i64, id: i64) -> ApiResult<WaitingRow> {
    store::invoices::waiting_for_seller(connection, seller_id, id)
        .await?
        .ok_or_else(|| ApiError::Conflict("This invoice is not one of yours waiting to be issued.".to_owned()))
}

async fn tell_buyer(connection: &mut Connection, invoice: &WaitingRow, topic: MessageTopic, now: i64) -> ApiResult<()> {
    let message = Outgoing {
        account_id: invoice.account_id,
        topic,
        subject: &invoice.seller_name,
        order_id: invoice.order_id,
        link: MessageLink::Order { order_id: invoice.order_id },
        at: None,
        due_at: None,
        dedupe_key: format!("invoice:{}:{}", invoice.id, topic.as_str()),
    };
    send(connection, message, now).await?;
    Ok(())
}

/// Tells operations (every operations account) once about each waiting invoice past its
/// deadline; how many were escalated.
pub async fn escalate_overdue(state: &AppState) -> ApiResult<usize> {
    let now = state.clock.unix_now();
    let overdue = store::invoices::overdue(&state.db, now).await?;
    let mut escalated = 0;
    for invoice in overdue {
        let mut transaction = begin_write(&state.db, WriteScope::Guarded).await?;
        if !store::invoices::mark_escalated(&mut transaction, invoice.id, now).await? {
            continue;
        }
        for account_id in store::accounts::operations_accounts(&mut transaction).await? {
            let message = Outgoing {
                account_id,
                topic: MessageTopic::InvoiceOverdue,
                subject: &invoice.seller_name,
                order_id: invoice.order_id,
                link: MessageLink::Order { order_id: invoice.order_id },
                at: invoice.deadline_at.map(from_unix),
                due_at: invoice.deadline_at.map(from_unix),
                dedupe_key: format!("invoice:{}:overdue:{account_id}", invoice.id),
            };
            send(&mut transaction, message, now).await?;
        }
        transaction.commit().await?;
        escalated += 1;
    }
    Ok(escalated)
}
