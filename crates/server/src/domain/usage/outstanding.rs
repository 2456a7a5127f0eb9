//! "Pay outstanding": everything a buyer owes for usage, every app and month, settled in
//! one payment with the method they choose, and the apps frozen for it reinstated.

use bazaar_core::ids::{AccountId, AppId};
use bazaar_core::money::Money;
use bazaar_core::orders::PaymentMethod;
use bazaar_core::usage::PayOutstandingAnswer;

use super::charging::{Payer, reinstate, settle};
use crate::error::{ApiError, ApiResult};
use crate::infra::db::{WriteScope, begin_write};
use crate::state::AppState;
use crate::store;
use crate::store::metered_apps::MeteredRow;

/// Settles everything the customer owes for usage in one payment with `method`, and
/// reinstates the apps frozen for it.
pub async fn pay_outstanding(
    state: &AppState,
    account_id: AccountId,
    method: PaymentMethod,
) -> ApiResult<PayOutstandingAnswer> {
    let now = state.clock.unix_now();
    let mut transaction = begin_write(&state.db, WriteScope::Account(account_id)).await?;
    let unsettled = store::usage_charges::unsettled_of_account(&mut transaction, account_id).await?;
    if unsettled.is_empty() {
        return Err(ApiError::Conflict("Nothing is outstanding.".to_owned()));
    }
    let mut apps: Vec<MeteredRow> = Vec::new();
    for app_id in unsettled.app_ids() {
        if let Some(app) = store::metered_apps::metered(&mut transaction, app_id).await? {
            apps.push(app);
        }
    }
    if apps.iter().any(|app| app.currency != apps[0].currency) {
        return Err(ApiError::Conflict("Usage in several currencies is settled by the hourly charges.".to_owned()));
    }
    let methods: &'static [PaymentMethod] = match method {
        PaymentMethod::Card => &[PaymentMethod::Card],
        PaymentMethod::Balance => &[PaymentMethod::Balance],
        PaymentMethod::Credit => &[PaymentMethod::Credit],
    };
    let paid = settle(&mut transaction, &apps, &unsettled, Payer::Buyer(account_id, methods), now).await?;
    let mut reinstated = Vec::new();
    for app in &apps {
        if let Some(since) = store::metered_apps::leave_arrears(&mut transaction, app.app_id).await?
            && reinstate(&mut transaction, app, since, now).await?
        {
            reinstated.push(AppId::of_order(app.app_id));
        }
    }
    transaction.commit().await?;
    let paid = paid.unwrap_or(Money::zero(apps[0].currency));
    tracing::info!(%account_id, amount = paid.amount_minor, "outstanding usage paid");
    Ok(PayOutstandingAnswer { paid, reinstated })
}
