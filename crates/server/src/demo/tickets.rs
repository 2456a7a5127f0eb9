//! Demo support tickets for lin.wei, so After-Sales Support, the Seller Console's queue and
//! operations' list have something to show after `cargo xtask dev`: one waiting for its
//! seller, one escalated after two reopenings, one closed and rated. Made through the real
//! rules, on apps whose sellers have staff accounts (Northwind, BluePeak).

use bazaar_core::ids::{AccountId, OrderId};
use bazaar_core::support::tickets::{SupportRole, TicketAction, TicketCategory};
use bazaar_core::support::wire::{NewTicket, TicketActionRequest};

use crate::domain::support::{self, Party, actions::act};
use crate::error::ApiResult;
use crate::infra::db;
use crate::state::AppState;

fn request(action: TicketAction, text: &str) -> TicketActionRequest {
    TicketActionRequest { action, text: text.to_owned(), cause: None, fix: None, stars: None }
}

pub async fn seed(state: &AppState, buyer_id: AccountId) -> ApiResult<()> {
    // lin.wei's paid orders with a seller that has staff, and that staff account.
    let orders: Vec<(OrderId, AccountId)> = db::query_as(
        "SELECT o.id, MIN(a.id) FROM orders o JOIN accounts a ON a.seller_id = o.seller_id
         WHERE o.account_id = $1 AND o.status IN ('processing', 'completed') GROUP BY o.id ORDER BY o.id LIMIT 3",
    )
    .bind(buyer_id)
    .fetch_all(&state.db)
    .await?;
    let buyer = Party { account_id: buyer_id, role: SupportRole::Buyer, seller_id: None };
    let texts = [
        (TicketCategory::HowToUse, "How do I add a second administrator to the console?"),
        (TicketCategory::Fault, "The nightly export stopped running two days ago; nothing in the logs."),
        (TicketCategory::CannotLogIn, "The single sign-on page loops back to the login form."),
    ];
    for (index, ((order_id, seller_account), (category, description))) in orders.into_iter().zip(texts).enumerate() {
        let ticket = NewTicket { order_id, category, description: description.to_owned() };
        let id = support::open(state, buyer_id, &ticket, Vec::new()).await?.summary.id;
        let seller_id: Option<i64> = db::query_scalar("SELECT seller_id FROM accounts WHERE id = $1")
            .bind(seller_account)
            .fetch_one(&state.db)
            .await?;
        let seller = Party { account_id: seller_account, role: SupportRole::Seller, seller_id };
        let resolve = TicketActionRequest {
            cause: Some("A scheduled job lost its credentials after a key rotation.".to_owned()),
            fix: Some("The job now reads the rotated key; it ran again at 02:00.".to_owned()),
            ..request(TicketAction::Resolve, "")
        };
        match index {
            // Escalated: resolved twice, reopened twice.
            1 => {
                for _ in 0..2 {
                    act(state, seller, id, &resolve, Vec::new()).await?;
                    act(state, buyer, id, &request(TicketAction::Reopen, "It failed again last night."), Vec::new())
                        .await?;
                }
                act(state, buyer, id, &request(TicketAction::Escalate, ""), Vec::new()).await?;
            }
            // Closed and rated.
            2 => {
                act(
                    state,
                    seller,
                    id,
                    &request(TicketAction::Reply, "Could you clear the cookies for our domain?"),
                    Vec::new(),
                )
                .await?;
                act(state, seller, id, &resolve, Vec::new()).await?;
                act(state, buyer, id, &request(TicketAction::Confirm, ""), Vec::new()).await?;
                act(
                    state,
                    buyer,
                    id,
                    &TicketActionRequest { stars: Some(5), ..request(TicketAction::Rate, "") },
                    Vec::new(),
                )
                .await?;
            }
            _ => {}
        }
    }
    Ok(())
}
