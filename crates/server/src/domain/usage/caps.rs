//! The monthly spending cap of a pay-per-use app, and the usage area of its Resource
//! Details (chart, month's spend, standing).

use bazaar_core::catalog::BillingMode;
use bazaar_core::ids::{AccountId, AppId};
use bazaar_core::money::Money;
use bazaar_core::notices::NoticeKind;
use bazaar_core::usage::{
    AppUsage, DEFAULT_DIMENSION, UsageHour, UsageStanding, cap_level, check_cap, freezes_at, usage_released_at,
};
use time::Duration;

use super::{month_of, next_hour};
use crate::domain::notices;
use crate::error::{ApiError, ApiResult};
use crate::infra::clock::from_unix;
use crate::infra::db::{WriteScope, begin_write};
use crate::state::AppState;
use crate::store;

/// How far back the usage chart looks.
pub const CHART_DAYS: i64 = 30;

/// The customer's pay-per-use app `app_id` (404 for anything else: another buyer's app, a
/// term app, one released or unsubscribed).
async fn metered_app(
    state: &AppState,
    account_id: AccountId,
    app_id: AppId,
) -> ApiResult<store::purchased_apps::AppRow> {
    let row =
        store::purchased_apps::owned(&state.db, account_id, app_id.order(), false).await?.ok_or(ApiError::NotFound)?;
    if row.billing_mode != BillingMode::PayPerUse || row.unsubscribed_at.is_some() {
        return Err(ApiError::NotFound);
    }
    Ok(row)
}

/// Sets (or removes, with `None`) the app's monthly cap: raised at any time, lowered only
/// to what the month has spent; raising it past the spend lifts the cap's suspension.
pub async fn set_cap(state: &AppState, account_id: AccountId, app_id: AppId, cap_minor: Option<i64>) -> ApiResult<()> {
    metered_app(state, account_id, app_id).await?;
    let now = state.clock.unix_now();
    let month = month_of(now);
    let sums = store::usage::app_month(&state.db, app_id.order(), month).await?;
    let spent = sums.charged_minor + sums.outstanding_minor;
    check_cap(cap_minor, spent).map_err(|errors| ApiError::Validation(errors.0))?;
    let mut transaction = begin_write(&state.db, WriteScope::Account(account_id)).await?;
    let app = store::metered_apps::metered(&mut transaction, app_id.order()).await?;
    if app.as_ref().is_some_and(|app| app.released_at.is_some()) {
        return Err(ApiError::NotFound);
    }
    store::metered_apps::set_cap(&mut transaction, app_id.order(), account_id, cap_minor, next_hour(now)).await?;
    let below_cap = cap_minor.is_none_or(|cap| sums.charged_minor < cap);
    if below_cap && store::metered_apps::lift_cap_suspension(&mut transaction, app_id.order()).await?.is_some() {
        notices::queue(&mut transaction, app_id.order(), NoticeKind::Reinstated, now, None, now, now).await?;
    }
    transaction.commit().await?;
    tracing::info!(%app_id, cap = ?cap_minor, "spending cap set");
    Ok(())
}

/// The usage area of Resource Details.
pub async fn app_usage(state: &AppState, account_id: AccountId, app_id: AppId) -> ApiResult<AppUsage> {
    metered_app(state, account_id, app_id).await?;
    let now = state.clock.unix_now();
    let pricing = store::usage::pricing(&state.db, app_id.order()).await?;
    let currency = pricing.currency;
    let unit_price = super::hourly_unit_price(&pricing.price_json)
        .and_then(|price| price.checked_mul(pricing.quantity))
        .unwrap_or(Money::zero(currency));
    let since = next_hour(now) - Duration::days(CHART_DAYS).whole_seconds();
    let hours = store::usage::hours(&state.db, app_id.order(), since)
        .await?
        .into_iter()
        .map(|hour| UsageHour {
            hour: from_unix(hour.hour),
            quantity: hour.quantity,
            amount: Money::new(hour.amount_minor, currency),
        })
        .collect();
    let month = store::usage::app_month(&state.db, app_id.order(), month_of(now)).await?;
    let mut connection = state.db.acquire().await?;
    let metered = store::metered_apps::metered(&mut connection, app_id.order()).await?;
    drop(connection);
    let cap = metered.as_ref().and_then(|m| m.cap_minor);
    let arrears_since = metered.as_ref().and_then(|m| m.arrears_since).map(from_unix);
    let standing = UsageStanding::at(arrears_since, from_unix(now));
    let outstanding = store::usage::app_outstanding(&state.db, app_id.order()).await?;
    Ok(AppUsage {
        app_id,
        as_of: from_unix(next_hour(now)),
        dimension: DEFAULT_DIMENSION.to_owned(),
        unit_price,
        hours,
        month_rated: Money::new(month.rated_minor, currency),
        month_charged: Money::new(month.charged_minor, currency),
        month_waived: Money::new(month.waived_minor, currency),
        cap: cap.map(|cap| Money::new(cap, currency)),
        cap_level: cap.and_then(|cap| cap_level(month.charged_minor, cap)),
        suspended_by_cap: metered.as_ref().is_some_and(|m| m.cap_suspended_month == Some(month_of(now))),
        standing,
        outstanding: Money::new(outstanding, currency),
        freezes_at: arrears_since.map(freezes_at),
        released_at: arrears_since.map(usage_released_at),
    })
}
