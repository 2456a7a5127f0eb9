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
use crate::infra::db;

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
    let lines: Vec<(OrderId, i64, i64)> = db::query_as(
        "SELECT app_id, from_expires_at, until_expires_at FROM renewal_lines WHERE order_id = $1 AND applied_at IS NULL",
    )
    .bind(order_id)
    .fetch_all(&mut **transaction)
    .await?;
    for (app_id, from, until) in lines {
        if Phase::at(Some(from_unix(from)), from_unix(now)) == Phase::Released {
            return Err(ApiError::Conflict(format!(
                "{} was released before this renewal was paid.",
                order_number(app_id)
            )));
        }
        let extended = db::query("UPDATE orders SET expires_at = $1 WHERE id = $2 AND expires_at = $3")
            .bind(until)
            .bind(app_id)
            .bind(from)
            .execute(&mut **transaction)
            .await?;
        if extended.rows_affected() == 0 {
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
        db::query("UPDATE renewal_lines SET applied_at = $1 WHERE order_id = $2 AND app_id = $3")
            .bind(now)
            .bind(order_id)
            .bind(app_id)
            .execute(&mut **transaction)
            .await?;
    }
    Ok(())
}
