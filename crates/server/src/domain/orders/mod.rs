//! Orders: the one module that moves an order between statuses — the moves themselves are
//! `bazaar_core::orders::OrderStatus::comes_from` — and reads them back (`read`).
//! Placing and paying them, which also starts what follows a payment, is `checkout`.
//!
//! Every function that moves an order takes the caller's write transaction, so the move,
//! the money and the work it starts commit together or not at all.

pub mod read;
pub mod unsubscribed;

use bazaar_core::catalog::BillingMode;
use bazaar_core::ids::{OrderId, ProductId};
use bazaar_core::lifecycle;
use bazaar_core::orders::{CancelReasonCode, OrderStatus};

use crate::domain::payments;
use crate::domain::search::across_instances;
use crate::error::{ApiError, ApiResult};
use crate::infra::clock::from_unix;
use crate::infra::db::{self, Transaction};

pub type WriteTransaction = Transaction;

/// How an order is set up after payment (stored with the order).
#[derive(Debug, Clone, Copy, PartialEq, Eq, sqlx::Type)]
#[sqlx(type_name = "text", rename_all = "snake_case")]
pub enum ProvisioningKind {
    /// Nothing to set up automatically (licences, services, consulting).
    None,
    /// An HTTP call to the seller's provisioning endpoint (SaaS).
    Seller,
    /// A cloud server created from the image, in the buyer's VPC.
    Cloud,
}

impl ProvisioningKind {
    pub fn for_delivery(method: bazaar_core::catalog::DeliveryMethod) -> ProvisioningKind {
        use bazaar_core::catalog::DeliveryMethod;
        match method {
            DeliveryMethod::Saas => ProvisioningKind::Seller,
            DeliveryMethod::Image => ProvisioningKind::Cloud,
            _ => ProvisioningKind::None,
        }
    }
}

/// Where an order's provisioning job stands (`provisioning_jobs.state`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, sqlx::Type)]
#[sqlx(type_name = "text", rename_all = "snake_case")]
pub enum JobState {
    Queued,
    Succeeded,
    Failed,
}

/// A buyer as the order rules see them: who pays, and through which reseller if any.
#[derive(Debug, Clone, Copy)]
pub struct Buyer {
    pub account_id: bazaar_core::ids::AccountId,
    pub reseller_id: Option<i64>,
}

/// The account that placed order `order_id` (it never changes): the lock a background
/// writer of the order takes, as the buyer's own requests do.
pub async fn buyer_of(database: &db::Database, order_id: OrderId) -> ApiResult<bazaar_core::ids::AccountId> {
    db::query_scalar("SELECT account_id FROM orders WHERE id = $1")
        .bind(order_id)
        .fetch_optional(database)
        .await?
        .ok_or(ApiError::NotFound)
}

/// `status IN (…)` for the statuses an order may move to `to` from. The names are the
/// enum's own, never text from a request.
fn from_clause(to: OrderStatus) -> String {
    let names: Vec<String> = to.comes_from().iter().map(|status| format!("'{}'", status.as_str())).collect();
    format!("status IN ({})", names.join(", "))
}

/// Pending payment → Processing, with the time of payment; counts the sale.
pub async fn mark_paid(
    transaction: &mut WriteTransaction,
    order_id: OrderId,
    product_id: ProductId,
    now: i64,
) -> ApiResult<()> {
    // The term starts now, when the payment is confirmed, not when the order was placed.
    let term: Option<(BillingMode, Option<i64>)> =
        db::query_as("SELECT billing_mode, duration_months FROM orders WHERE id = $1")
            .bind(order_id)
            .fetch_optional(&mut **transaction)
            .await?;
    let months = |months: Option<i64>| months.and_then(|months| u32::try_from(months).ok());
    let expires_at = match term.map(|(billing_mode, duration)| (billing_mode, months(duration))) {
        Some((billing_mode, Some(months))) if lifecycle::has_term(billing_mode) => {
            Some(lifecycle::term_end(from_unix(now), months).unix_timestamp())
        }
        _ => None,
    };
    let updated = db::query(&format!(
        "UPDATE orders SET status = $1, paid_at = $2, expires_at = $3 WHERE id = $4 AND {}",
        from_clause(OrderStatus::Processing)
    ))
    .bind(OrderStatus::Processing)
    .bind(now)
    .bind(expires_at)
    .bind(order_id)
    .execute(&mut **transaction)
    .await?;
    if updated.rows_affected() == 0 {
        return Err(ApiError::Conflict("This order is not waiting for payment.".to_owned()));
    }
    db::query("UPDATE products SET recent_sales = recent_sales + 1 WHERE id = $1")
        .bind(product_id)
        .execute(&mut **transaction)
        .await?;
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
    let supervised_only = if why == Completing::SetUpFinished { " AND supervised = FALSE" } else { "" };
    let updated = db::query(&format!(
        "UPDATE orders SET status = $1, completed_at = $2 WHERE id = $3 AND {}{supervised_only}",
        from_clause(OrderStatus::Completed)
    ))
    .bind(OrderStatus::Completed)
    .bind(at)
    .bind(order_id)
    .execute(&mut **transaction)
    .await?;
    Ok(updated.rows_affected() > 0)
}

/// Cancels an order that is not completed yet and refunds whatever was paid.
pub async fn cancel_and_refund(
    transaction: &mut WriteTransaction,
    order_id: OrderId,
    code: CancelReasonCode,
    detail: &str,
    now: i64,
) -> ApiResult<()> {
    let updated = db::query(&format!(
        "UPDATE orders SET status = $1, cancel_reason_code = $2, cancel_reason_detail = $3, cancelled_at = $4
         WHERE id = $5 AND {}",
        from_clause(OrderStatus::Cancelled)
    ))
    .bind(OrderStatus::Cancelled)
    .bind(code)
    .bind(detail)
    .bind(now)
    .bind(order_id)
    .execute(&mut **transaction)
    .await?;
    if updated.rows_affected() == 0 {
        return Err(ApiError::Conflict("Only orders that are not completed can be cancelled.".to_owned()));
    }
    payments::refund_order(transaction, order_id, now).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_sql_names_the_allowed_sources() {
        assert_eq!(from_clause(OrderStatus::Cancelled), "status IN ('pending_payment', 'processing')");
        assert_eq!(from_clause(OrderStatus::Completed), "status IN ('processing')");
    }
}
