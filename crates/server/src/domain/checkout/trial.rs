//! Starting a free trial (SPEC §11.3): the checkout of a purchase with nothing to pay —
//! the same configuration, terms and seller authorisation — for a product's yearly/monthly
//! SKU, once per buyer and product, ever. The app it makes ends at the trial's end unless
//! the buyer buys it (a renewal order, `renewal`); nothing is ever charged without that.

use bazaar_core::catalog::ProductDetail;
use bazaar_core::error::FieldErrorCode;
use bazaar_core::ids::{OrderId, ProductId};
use bazaar_core::money::{Currency, Money};
use bazaar_core::orders::PlaceOrderRequest;
use bazaar_core::pricing::{Charge, PriceBreakdown};
use bazaar_core::trials::{TrialRefusal, TrialRefusalReason, TrialStanding};
use time::Duration;

use crate::domain::orders::{Buyer, WriteTransaction};
use crate::error::{ApiError, ApiResult};
use crate::infra::clock::from_unix;
use crate::state::AppState;
use crate::store;

/// Where `buyer` stands towards the trial of `product`.
pub async fn standing(state: &AppState, buyer: Buyer, product: &ProductDetail) -> ApiResult<TrialStanding> {
    let mut connection = state.db.acquire().await?;
    let used = store::trials::started_at(&mut connection, buyer.account_id, product.summary.id).await?;
    Ok(TrialStanding {
        trial_days: product.trial_days,
        supervised: product.summary.supervised,
        used_on: used.map(from_unix),
    })
}

/// Whether `buyer` may start the trial `request` asks for: its length, or the refusal as
/// the specific error the SPA shows.
pub async fn check(
    state: &AppState,
    buyer: Buyer,
    product: &ProductDetail,
    request: &PlaceOrderRequest,
) -> ApiResult<Duration> {
    standing(state, buyer, product).await?.eligibility(request.configuration.billing_mode).map_err(refused)
}

/// What a trial order costs and is shown to cost: nothing.
pub fn free_of_charge(currency: Currency) -> PriceBreakdown {
    let zero = Money::zero(currency);
    PriceBreakdown { lines: Vec::new(), total: zero, charge: Charge::Upfront, due_now: zero }
}

/// Makes order `order_id` a trial of `length` from `now`: its row in `trials` (refused when
/// the buyer had one, whatever the race) and its term ending at the trial's end.
pub async fn start(
    transaction: &mut WriteTransaction,
    buyer: Buyer,
    order_id: OrderId,
    product_id: ProductId,
    length: Duration,
    now: i64,
) -> ApiResult<()> {
    let ends_at = now + length.whole_seconds();
    if !store::trials::insert(transaction, order_id, buyer.account_id, product_id, now, ends_at).await? {
        let used_on = store::trials::started_at(transaction, buyer.account_id, product_id).await?.map(from_unix);
        return Err(refused(TrialRefusal { reason: TrialRefusalReason::AlreadyUsed, used_on }));
    }
    // Started, not paid: no payment, no sale counted; the term is the trial.
    if !store::orders::mark_paid(transaction, order_id, now, Some(ends_at)).await? {
        return Err(ApiError::Conflict("This order is not waiting to start.".to_owned()));
    }
    Ok(())
}

/// A refusal as the error the buyer reads.
fn refused(refusal: TrialRefusal) -> ApiError {
    match refusal.reason {
        TrialRefusalReason::NoTrial => {
            ApiError::field("trial", FieldErrorCode::Unavailable, "This product has no free trial.")
        }
        TrialRefusalReason::Supervised => {
            ApiError::field("trial", FieldErrorCode::Invalid, "Supervised services have no free trial.")
        }
        TrialRefusalReason::NotYearlyMonthly => ApiError::field(
            "configuration.billing_mode",
            FieldErrorCode::Invalid,
            "Only yearly/monthly plans have a free trial.",
        ),
        TrialRefusalReason::AlreadyUsed => {
            let date = refusal.used_on.map(|used| used.date().to_string()).unwrap_or_default();
            ApiError::Conflict(format!("You already used this product's trial on {date}: one per buyer and product."))
        }
    }
}
