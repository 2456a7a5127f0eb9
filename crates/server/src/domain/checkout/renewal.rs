//! Paying a renewal order: every app it renews gets its new term, from the expiry the
//! order was priced on (a trial it buys: from the trial's end), in the payment's
//! transaction.

use bazaar_core::ids::{OrderId, ProductId};
use bazaar_core::lifecycle::Phase;
use bazaar_core::orders::order_number;
use bazaar_core::trials::{app_phase, converted_expiry};

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
/// app renewed meanwhile (or released) fails the whole payment, which then rolls back. A
/// trial is bought: its paid term starts at the trial's end, or now when that has passed.
pub async fn apply(transaction: &mut WriteTransaction, order_id: OrderId, now: i64) -> ApiResult<()> {
    let lines = store::renewals::unapplied_lines(transaction, order_id).await?;
    for line in lines {
        let (app_id, from) = (line.app_id, line.from_expires_at);
        let trial = store::trials::open_trial(transaction, app_id).await?;
        let was = app_phase(Some(from_unix(from)), trial.is_some(), from_unix(now));
        if was == Phase::Released {
            return Err(ApiError::Conflict(format!(
                "{} was released before this renewal was paid.",
                order_number(app_id)
            )));
        }
        let until = match (&trial, u32::try_from(line.months)) {
            (Some(trial), Ok(months)) => {
                converted_expiry(from_unix(trial.ends_at), from_unix(now), months).unix_timestamp()
            }
            _ => line.until_expires_at,
        };
        if let (Some(_), Some(quantity)) = (&trial, line.quantity) {
            store::renewals::set_quantity(transaction, app_id, quantity).await?;
        }
        if !store::renewals::extend(transaction, app_id, from, until).await? {
            return Err(ApiError::Conflict(format!(
                "{} was renewed meanwhile; cancel this order and renew again.",
                order_number(app_id)
            )));
        }
        // The seller serves the new term (a bought trial as a paid app); a frozen app is
        // served again.
        let kind = match trial {
            Some(_) if !store::trials::mark_converted(transaction, app_id, order_id, now).await? => {
                return Err(ApiError::Conflict(format!("{} was bought already.", order_number(app_id))));
            }
            Some(_) => NoticeKind::TrialConverted,
            None => NoticeKind::Renewed,
        };
        notices::queue(transaction, app_id, kind, from, Some(until), now, now).await?;
        if was == Phase::Frozen {
            notices::queue(transaction, app_id, NoticeKind::Reinstated, from, Some(until), now, now).await?;
        }
        store::renewals::mark_applied(transaction, order_id, app_id, until, now).await?;
    }
    Ok(())
}
