//! The customer's apps with a term, read: one app, a page of Renewal Management (with each
//! app's price today and any unpaid renewal covering it, read in the page's own statement),
//! and today's price of a period of one app.

use bazaar_core::catalog::{BillingMode, Sku, SkuPrice};
use bazaar_core::ids::{AccountId, AppId, OrderId};
use bazaar_core::lifecycle::{AutoRenew, RenewableApp, RenewableAppPage, RenewalFilter};
use bazaar_core::money::Money;
use bazaar_core::orders::order_number;
use bazaar_core::pricing::{PriceBreakdown, price_units};
use bazaar_core::trials::{TRIAL_FROZEN_FOR, app_phase};
use time::OffsetDateTime;

use crate::error::ApiResult;
use crate::infra::clock::from_unix;
use crate::infra::db::Connection;
use crate::state::AppState;

use crate::store::term_apps::ListedTermApp;
pub use crate::store::term_apps::TermApp;

/// Today's price of `months` of `app`, or `None` when the product or its yearly/monthly
/// price is no longer sold.
pub async fn price_of(state: &AppState, app: &TermApp, months: u32) -> ApiResult<Option<PriceBreakdown>> {
    if state.catalog.current().product(app.product_id).is_none() {
        return Ok(None);
    }
    let skus = crate::domain::catalog::load_skus(&state.db, app.product_id, app.currency).await?;
    Ok(price_from(&skus, app, months))
}

/// `months` of `app` at the yearly/monthly price of its SKU among `skus`.
fn price_from(skus: &[Sku], app: &TermApp, months: u32) -> Option<PriceBreakdown> {
    let price = skus
        .iter()
        .find(|sku| sku.id == app.sku_id)
        .and_then(|sku| sku.prices.iter().find(|price| price.billing_mode == BillingMode::YearlyMonthly));
    price.and_then(|price| price_units(price, months, app.quantity).ok())
}

/// The unpaid renewal order that already covers `app_id`, if any.
pub(super) async fn pending_renewal(connection: &mut Connection, app_id: OrderId) -> ApiResult<Option<OrderId>> {
    Ok(crate::store::term_apps::pending_renewal(connection, app_id).await?)
}

/// The app as the page shows it; no price (not renewable) once the product is no longer
/// in the catalog or its SKU has no yearly/monthly price.
fn listed_renewable(row: &ListedTermApp, state: &AppState, now: OffsetDateTime) -> RenewableApp {
    let app = &row.app;
    let sold = state.catalog.current().product(app.product_id).is_some();
    let monthly = row.monthly_price_minor.filter(|_| sold).and_then(|price_minor| {
        let price = SkuPrice {
            billing_mode: BillingMode::YearlyMonthly,
            price: Money::new(price_minor, app.currency),
            server_fee: row.monthly_server_fee_minor.map(|fee| Money::new(fee, app.currency)),
        };
        price_units(&price, 1, app.quantity).ok()
    });
    renewable(app, now, monthly, row.pending_renewal)
}

fn renewable(
    app: &TermApp,
    now: OffsetDateTime,
    monthly: Option<PriceBreakdown>,
    pending_renewal: Option<OrderId>,
) -> RenewableApp {
    let expires_at = from_unix(app.expires_at);
    RenewableApp {
        id: AppId::of_order(app.id),
        order_number: order_number(app.id),
        product_id: app.product_id,
        product_name: app.product_name.clone(),
        sku_name: app.sku_name.clone(),
        billing_mode: app.billing_mode,
        quantity: app.quantity,
        phase: app_phase(Some(expires_at), app.trial, now),
        expires_at,
        trial: app.trial,
        auto_renew: AutoRenew { enabled: app.auto_renew_months.is_some(), months: app.auto_renew_months.unwrap_or(1) },
        monthly_price: monthly.as_ref().map_or(Money::zero(app.currency), |price| price.due_now),
        renewable: monthly.is_some(),
        pending_renewal,
    }
}

/// Renewal Management: the customer's apps with a term that are not released, soonest
/// expiry first.
pub async fn list(
    state: &AppState,
    account_id: AccountId,
    filter: Option<RenewalFilter>,
    page: u32,
    page_size: u32,
) -> ApiResult<RenewableAppPage> {
    let now = state.clock.now();
    let (after, up_to) = RenewalFilter::expiry_bounds(filter, now);
    let up_to = up_to.map_or(i64::MAX, OffsetDateTime::unix_timestamp);
    let after = after.unix_timestamp();
    // Unbought trials are released 7 days after their end, not a grace and retention later.
    let trial_released_by = (now - TRIAL_FROZEN_FOR).unix_timestamp();
    let total = crate::store::term_apps::count_expiring(&state.db, account_id, after, up_to).await?;
    let released_trials = match trial_released_by > after {
        true => {
            crate::store::term_apps::count_released_trials(&state.db, account_id, after, trial_released_by.min(up_to))
                .await?
        }
        false => 0,
    };
    let total = u64::try_from(total - released_trials).unwrap_or(0);
    let (limit, offset) = (i64::from(page_size), i64::from(page - 1) * i64::from(page_size));
    let rows =
        crate::store::term_apps::listed_page(&state.db, account_id, (after, up_to), trial_released_by, limit, offset)
            .await?;
    let items = rows.iter().map(|row| listed_renewable(row, state, now)).collect();
    Ok(RenewableAppPage { items, total, page, page_size, server_now: now })
}

/// The customer's app `app_id` with a term, if it is theirs.
pub async fn term_app(state: &AppState, account_id: AccountId, app_id: AppId) -> ApiResult<Option<TermApp>> {
    Ok(crate::store::term_apps::term_app(&state.db, account_id, app_id.order()).await?)
}

/// One app as Renewal Management shows it.
pub async fn one(state: &AppState, account_id: AccountId, app_id: AppId) -> ApiResult<Option<RenewableApp>> {
    let row = crate::store::term_apps::listed_one(&state.db, account_id, app_id.order()).await?;
    Ok(row.map(|row| listed_renewable(&row, state, state.clock.now())))
}
