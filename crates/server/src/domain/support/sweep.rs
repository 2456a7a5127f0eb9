//! The support sweep (part of the lifecycle sweep): a resolved ticket the buyer left alone
//! for 7 days closes, with a post by the system and messages to both sides; a ticket whose
//! seller let its 24 hours pass is told to the buyer (who may escalate now) and to the
//! seller's staff. Each once, however many sweeps run at once and however long none ran
//! (the change is written against the version read; the messages carry dedupe keys).

use bazaar_core::messages::{MessageLink, MessageTopic};
use bazaar_core::support::tickets::{AUTO_CLOSE_AFTER, SELLER_ANSWER_WITHIN};

use super::actions::{Occasion, tell};
use super::facts;
use crate::error::ApiResult;
use crate::infra::db::{WriteScope, begin_write};
use crate::state::AppState;
use crate::store;
use crate::store::tickets::{NewPost, TicketChange};

/// Closes every resolved ticket due at `now`; how many.
pub async fn close_resolved(state: &AppState, now: i64) -> ApiResult<usize> {
    let due = store::tickets::resolved_before(&state.db, now - AUTO_CLOSE_AFTER.whole_seconds()).await?;
    let mut closed = 0;
    for id in due {
        let mut transaction = begin_write(&state.db, WriteScope::Guarded).await?;
        let Some(row) = store::tickets::ticket(&mut transaction, id).await? else { continue };
        if !facts(&row).closes_itself(crate::infra::clock::from_unix(now)) {
            continue;
        }
        let change = TicketChange {
            state: bazaar_core::support::tickets::TicketState::Closed,
            escalated: row.escalated,
            reopened: row.reopened,
            awaiting_seller_since: None,
            resolved_at: row.resolved_at,
            rating: row.rating,
            first_answer_at: row.first_answer_at,
            closed_at: Some(now),
        };
        if !store::tickets::update(&mut transaction, id, row.version, &change, now).await? {
            continue;
        }
        let post = NewPost {
            ticket_id: id,
            author_id: None,
            author_role: "system",
            action: "closed_by_time",
            body: "",
            cause: None,
            fix: None,
            now,
        };
        let post_id = store::tickets::insert_post(&mut transaction, post).await?;
        tell(&mut transaction, &row, Occasion::Closed { by_buyer: false }, post_id, now).await?;
        transaction.commit().await?;
        closed += 1;
    }
    Ok(closed)
}

/// Tells the buyer and the seller's staff of every ticket whose seller's deadline passed by
/// `now`; how many tickets.
pub async fn tell_overdue(state: &AppState, now: i64) -> ApiResult<usize> {
    let due = store::tickets::overdue_untold(&state.db, now - SELLER_ANSWER_WITHIN.whole_seconds()).await?;
    let mut told = 0;
    for id in due {
        let mut transaction = begin_write(&state.db, WriteScope::Guarded).await?;
        let Some(row) = store::tickets::ticket(&mut transaction, id).await? else { continue };
        // Escalated tickets wait for operations, not the seller: nothing to tell.
        let Some(deadline) = facts(&row).seller_deadline() else { continue };
        if deadline > crate::infra::clock::from_unix(now) {
            continue;
        }
        if !store::tickets::mark_overdue_told(&mut transaction, id, row.version, now).await? {
            continue;
        }
        let since = row.awaiting_seller_since.unwrap_or_default();
        let mut recipients = vec![(row.account_id, MessageTopic::TicketSellerLate)];
        for account in store::tickets::seller_accounts(&mut transaction, row.seller_id).await? {
            recipients.push((account, MessageTopic::TicketOverdue));
        }
        for (account_id, topic) in recipients {
            let message = crate::domain::messages::Outgoing {
                account_id,
                topic,
                subject: &row.product_name,
                order_id: row.order_id,
                link: MessageLink::Order { order_id: row.order_id },
                at: Some(deadline),
                due_at: None,
                dedupe_key: format!("ticket:{id}:late:{since}:to:{account_id}"),
            };
            crate::domain::messages::send(&mut transaction, message, now).await?;
        }
        transaction.commit().await?;
        told += 1;
    }
    Ok(told)
}
