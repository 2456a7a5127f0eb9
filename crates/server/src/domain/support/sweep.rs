//! The support sweep (part of the lifecycle sweep): a resolved ticket the buyer left alone
//! for 7 days closes, with a post by the system and messages to both sides — once, however
//! many sweeps run at once (the change is written against the version read).

use bazaar_core::support::tickets::AUTO_CLOSE_AFTER;

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
