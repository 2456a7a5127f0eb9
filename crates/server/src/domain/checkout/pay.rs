//! Paying a placed order once, and cancelling one that is still unpaid.

use bazaar_core::ids::{OrderId, ProductId};
use bazaar_core::lifecycle;
use bazaar_core::money::Money;
use bazaar_core::orders::{CancelReasonCode, OrderKind, OrderStatus, PaymentMethod};

use crate::domain::orders::Buyer;
use crate::domain::{fulfilment, orders, payments};
use crate::error::{ApiError, ApiResult};
use crate::infra::clock::from_unix;
use crate::infra::db::{Backend, WriteScope, begin_write};
use crate::state::AppState;
use crate::store;

/// Pays a pending order with one of the buyer's methods. Paying is at most once: paying an
/// order that is already paid charges nothing (a retry after a lost answer).
pub async fn pay(state: &AppState, buyer: Buyer, order_id: OrderId, method: PaymentMethod) -> ApiResult<()> {
    let now = state.clock.unix_now();
    let mut transaction = begin_write(&state.db, WriteScope::Account(buyer.account_id)).await?;
    let order =
        store::orders::payable(&mut transaction, buyer.account_id, order_id).await?.ok_or(ApiError::NotFound)?;
    match order.status {
        OrderStatus::PendingPayment
            if !lifecycle::unpaid_order_payable(from_unix(order.created_at), from_unix(now)) =>
        {
            // Past its deadline, even if the sweeper has not come by yet: cancelled now.
            cancel_not_paid_in_time(&mut transaction, order_id, now).await?;
            transaction.commit().await?;
            return Err(not_paid_in_time());
        }
        OrderStatus::PendingPayment => {}
        OrderStatus::Cancelled => {
            return Err(ApiError::Conflict("This order was cancelled; place a new one.".to_owned()));
        }
        OrderStatus::Processing | OrderStatus::Completed => return Ok(()),
    }
    let amount = Money::new(order.due_now_minor, order.currency);
    payments::charge(&mut transaction, buyer.account_id, order_id, method, amount, now).await?;
    match order.kind {
        OrderKind::Purchase => {
            orders::mark_paid(&mut transaction, order_id, order.product_id, now).await?;
            fulfilment::start(&mut transaction, order_id, order.provisioning_kind, order.supervised, now).await?;
        }
        OrderKind::Renewal => super::renewal::paid(&mut transaction, order_id, order.product_id, now).await?,
        // A trial starts with nothing to pay; it is never waiting for a payment.
        OrderKind::Trial => return Err(ApiError::Conflict("A free trial has nothing to pay.".to_owned())),
    }
    transaction.commit().await?;
    after_payment(state, order.product_id);
    tracing::info!(%order_id, method = method.as_str(), "order paid");
    Ok(())
}

/// Cancels an order whose payment deadline passed; `false` when it was no longer unpaid
/// (paid or cancelled meanwhile), so that a second sweep changes nothing.
pub async fn cancel_not_paid_in_time(
    transaction: &mut orders::WriteTransaction,
    order_id: OrderId,
    now: i64,
) -> ApiResult<bool> {
    match orders::cancel_and_refund(
        transaction,
        order_id,
        CancelReasonCode::NotPaidInTime,
        "The order was not paid within 7 days of being placed.",
        now,
    )
    .await
    {
        Ok(()) => Ok(true),
        Err(ApiError::Conflict(_)) => Ok(false),
        Err(error) => Err(error),
    }
}

fn not_paid_in_time() -> ApiError {
    ApiError::Conflict(
        "This order was not paid within 7 days of being placed and has been cancelled; place a new one.".to_owned(),
    )
}

/// What follows a committed payment outside the database: the popularity ranking counts
/// the sale (on PostgreSQL every instance does, from the announcement), and the
/// provisioning worker looks for its job at once.
pub fn after_payment(state: &AppState, product_id: ProductId) {
    if state.db.backend() == Backend::Sqlite {
        state.catalog.current().record_sale(product_id);
    }
    state.provisioning_work.wake();
}

/// Cancels an order that is still waiting for payment (nothing was charged).
pub async fn cancel_unpaid(state: &AppState, buyer: Buyer, order_id: OrderId) -> ApiResult<()> {
    let now = state.clock.unix_now();
    let mut transaction = begin_write(&state.db, WriteScope::Account(buyer.account_id)).await?;
    let status =
        store::orders::status_of(&mut transaction, buyer.account_id, order_id).await?.ok_or(ApiError::NotFound)?;
    if status != OrderStatus::PendingPayment {
        return Err(ApiError::Conflict("Only orders waiting for payment can be cancelled here.".to_owned()));
    }
    orders::cancel_and_refund(
        &mut transaction,
        order_id,
        CancelReasonCode::CancelledByBuyer,
        "You cancelled the order before paying.",
        now,
    )
    .await?;
    transaction.commit().await?;
    Ok(())
}
