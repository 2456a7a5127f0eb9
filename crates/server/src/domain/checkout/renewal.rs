//! Paying a renewal order: every app it renews gets its new term, from the expiry the
//! order was priced on, in the payment's transaction.

use bazaar_core::ids::{OrderId, ProductId};
use bazaar_core::lifecycle::Phase;
use bazaar_core::orders::order_number;

use bazaar_core::notices::NoticeKind;

use crate::domain::orders::{self, ProvisioningKind, WriteTransaction};
use crate::domain::{fulfilment, notices};
use crate::error::{ApiError, ApiResult};
use crate::infra::clock::from_unix;
use crate::store;

/// A renewal order's payment went through: mark it paid, extend every app, complete it.
pub async fn paid(
    transaction: &mut WriteTransaction,
    order_id: OrderId,
    product_id: ProductId,
    now: i64,
) -> ApiResult<()> {
    orders::mark_paid(transaction, order_id, product_id, now).await?;
    apply(transaction, order_id, now).await?;
    fulfilment::start(transaction, order_id, ProvisioningKind::None, false, now).await
}

/// Extends each app of a paid renewal order from the expiry the order was priced on. An
/// app renewed meanwhile (or released) fails the whole payment, which then rolls back.
pub async fn apply(transaction: &mut WriteTransaction, order_id: OrderId, now: i64) -> ApiResult<()> {
    let lines = store::renewals::unapplied_lines(transaction, order_id).await?;
    for (app_id, from, until) in lines {
        if Phase::at(Some(from_unix(from)), from_unix(now)) == Phase::Released {
            return Err(ApiError::Conflict(format!(
                "{} was released before this renewal was paid.",
                order_number(app_id)
            )));
        }
        if !store::renewals::extend(transaction, app_id, from, until).await? {
            return Err(ApiError::Conflict(format!(
                "{} was renewed meanwhile; cancel this order and renew again.",
                order_number(app_id)
            )));
        }
        // The seller serves the new term; a frozen app is served again.
        let was = Phase::at(Some(from_unix(from)), from_unix(now));
        notices::queue(transaction, app_id, NoticeKind::Renewed, from, Some(until), now, now).await?;
        if was == Phase::Frozen {
            notices::queue(transaction, app_id, NoticeKind::Reinstated, from, Some(until), now, now).await?;
        }
        store::renewals::mark_applied(transaction, order_id, app_id, now).await?;
    }
    Ok(())
}
