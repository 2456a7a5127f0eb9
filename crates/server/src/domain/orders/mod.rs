//! Orders: the one module that moves an order between statuses — the moves themselves are
//! `bazaar_core::orders::OrderStatus::comes_from` — and reads them back (`read`).
//! Placing and paying them, which also starts what follows a payment, is `checkout`.
//!
//! Every function that moves an order takes the caller's write transaction, so the move,
//! the money and the work it starts commit together or not at all.

pub mod read;
pub mod unsubscribed;

use bazaar_core::ids::{OrderId, ProductId};
use bazaar_core::lifecycle;
use bazaar_core::orders::CancelReasonCode;

use crate::domain::payments;
use crate::domain::search::across_instances;
use crate::error::{ApiError, ApiResult};
use crate::infra::clock::from_unix;
use crate::infra::db::{self, Transaction};
use crate::store;

pub type WriteTransaction = Transaction;

pub use crate::store::orders::{JobState, ProvisioningKind};

/// A buyer as the order rules see them: who pays, and through which reseller if any.
#[derive(Debug, Clone, Copy)]
pub struct Buyer {
    pub account_id: bazaar_core::ids::AccountId,
    pub reseller_id: Option<i64>,
}

/// The account that placed order `order_id` (it never changes): the lock a background
/// writer of the order takes, as the buyer's own requests do.
pub async fn buyer_of(database: &db::Database, order_id: OrderId) -> ApiResult<bazaar_core::ids::AccountId> {
    store::orders::account_of(database, order_id).await?.ok_or(ApiError::NotFound)
}

/// Pending payment → Processing, with the time of payment; counts the sale.
pub async fn mark_paid(
    transaction: &mut WriteTransaction,
    order_id: OrderId,
    product_id: ProductId,
    now: i64,
) -> ApiResult<()> {
    // The term starts now, when the payment is confirmed, not when the order was placed.
    let term = store::orders::term_of(transaction, order_id).await?;
    let months = |months: Option<i64>| months.and_then(|months| u32::try_from(months).ok());
    let expires_at = match term.map(|(billing_mode, duration)| (billing_mode, months(duration))) {
        Some((billing_mode, Some(months))) if lifecycle::has_term(billing_mode) => {
            Some(lifecycle::term_end(from_unix(now), months).unix_timestamp())
        }
        _ => None,
    };
    if !store::orders::mark_paid(transaction, order_id, now, expires_at).await? {
        return Err(ApiError::Conflict("This order is not waiting for payment.".to_owned()));
    }
    store::orders::count_sale(transaction, product_id).await?;
    across_instances::announce_sale(transaction, product_id).await?;
    Ok(())
}

/// Which completions [`complete`] may make.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Completing {
    /// The set-up finished: completes the order unless its supervision flow decides that.
    SetUpFinished,
    /// The supervision flow (or a payment with nothing to set up) decides: completes it.
    Decided,
}

/// Processing → Completed at `at`; `false` when the order was not Processing (or, for a
/// finished set-up, is supervised).
pub async fn complete(
    transaction: &mut WriteTransaction,
    order_id: OrderId,
    at: i64,
    why: Completing,
) -> ApiResult<bool> {
    Ok(store::orders::complete(transaction, order_id, at, why == Completing::SetUpFinished).await?)
}

/// Cancels an order that is not completed yet and refunds whatever was paid.
pub async fn cancel_and_refund(
    transaction: &mut WriteTransaction,
    order_id: OrderId,
    code: CancelReasonCode,
    detail: &str,
    now: i64,
) -> ApiResult<()> {
    if !store::orders::cancel(transaction, order_id, code, detail, now).await? {
        return Err(ApiError::Conflict("Only orders that are not completed can be cancelled.".to_owned()));
    }
    payments::refund_order(transaction, order_id, now).await
}
