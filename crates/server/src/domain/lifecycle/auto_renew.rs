//! Auto-renew: the per-app setting, and the sweeper's attempt to renew a term with the
//! buyer's own means of payment — from 7 days before expiry, once a day after a failure,
//! until the app is released; at most one paid renewal per app and term.
//!
//! An attempt is one transaction under the buyer's lock: the claim (a guarded update, so
//! of two sweeps only one gets it), the renewal order and its payment, and the buyer's
//! message. A crash undoes all of it and the next sweep tries again; it never doubles a
//! charge: the payment extends the app only from the expiry it was priced on, and a
//! unique index allows one applied renewal per app and term.

use bazaar_core::error::FieldErrorCode;
use bazaar_core::ids::{AccountId, AppId, OrderId};
use bazaar_core::lifecycle::renewed_expiry;
use bazaar_core::lifecycle::{
    AUTO_RENEW_LEAD, AUTO_RENEW_RETRY, AutoRenew, GRACE, Phase, RETENTION, auto_renew_due, renewal_periods,
};
use bazaar_core::messages::{MessageLink, MessageTopic};
use bazaar_core::money::Money;
use bazaar_core::orders::PaymentMethod;

use super::renewals;
use super::term_apps::{self, TermApp};
use crate::domain::messages::{Outgoing, send};
use crate::domain::orders::Buyer;
use bazaar_core::trials::app_phase;

use crate::domain::payments;
use crate::error::{ApiError, ApiResult};
use crate::infra::clock::from_unix;
use crate::infra::db::{WriteScope, begin_write};
use crate::state::AppState;
use crate::store;

/// Turns auto-renew of the customer's app on (for `months` each time) or off.
pub async fn set(state: &AppState, account_id: AccountId, app_id: AppId, setting: AutoRenew) -> ApiResult<()> {
    let app = term_apps::term_app(state, account_id, app_id).await?.ok_or(ApiError::NotFound)?;
    if app_phase(Some(from_unix(app.expires_at)), app.trial, state.clock.now()) == Phase::Released {
        return Err(ApiError::Conflict("This app was released; it can no longer renew.".to_owned()));
    }
    // Nothing is charged without the buyer's own payment: a trial is bought by hand.
    if app.trial && setting.enabled {
        return Err(ApiError::Conflict(
            "Auto-renew is off during a free trial: buy the app first, then turn it on.".to_owned(),
        ));
    }
    // Checked even when turning auto-renew off: the period is part of the setting the buyer
    // sends (and sees again when they turn it back on), so a nonsense one is refused.
    if !renewal_periods(app.billing_mode).contains(&setting.months) {
        return Err(ApiError::field(
            "months",
            FieldErrorCode::UnknownValue,
            "Renew for 1 to 11 months, or 1 to 3 years.",
        ));
    }
    store::term_apps::set_auto_renew(&state.db, app.id, setting.enabled.then_some(setting.months)).await?;
    tracing::info!(%app_id, enabled = setting.enabled, months = setting.months, "auto-renew set");
    Ok(())
}

/// What an attempt came to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Attempt {
    /// Paid: the app's term now runs to the renewal order's end.
    Renewed { order_id: OrderId },
    /// Nothing was charged; the reason, in English, for the log and the buyer's message.
    Failed { reason: String },
}

/// Tries every auto-renewal due at the clock's now; returns the apps tried and what came of it.
pub async fn sweep(state: &AppState) -> ApiResult<Vec<(TermApp, Attempt)>> {
    let now = state.clock.unix_now();
    // Terms whose window is open: from 7 days before expiry until release.
    let earliest_expiry = now - (GRACE + RETENTION).whole_seconds();
    let latest_expiry = now + AUTO_RENEW_LEAD.whole_seconds();
    let candidates = store::term_apps::auto_renew_candidates(
        &state.db,
        earliest_expiry,
        latest_expiry,
        now - AUTO_RENEW_RETRY.whole_seconds(),
    )
    .await?;
    let mut tried = Vec::new();
    for app in candidates {
        if let Some(attempt) = attempt(state, &app, now).await? {
            tried.push((app, attempt));
        }
    }
    Ok(tried)
}

/// Claims and makes one attempt; `None` when another sweep claimed it first or the app
/// changed meanwhile.
///
/// One transaction holds the claim, the renewal and the buyer's message about either
/// outcome, so a crash anywhere loses nothing and sends nothing twice: a renewal is never
/// paid without its "renewed" message, and a failed try is never recorded without its
/// "failed" one. A failed payment is undone to a savepoint, keeping the claim (tomorrow's
/// try waits a day) and the message.
async fn attempt(state: &AppState, app: &TermApp, now: i64) -> ApiResult<Option<Attempt>> {
    let Some(months) = app.auto_renew_months else { return Ok(None) };
    // Reads that need no lock come first.
    let price = term_apps::price_of(state, app, months).await?;
    let reseller_id = store::accounts::reseller_of(&state.db, app.account_id).await?;
    let mut transaction = begin_write(&state.db, WriteScope::Account(app.account_id)).await?;
    let last = store::term_apps::last_try(&mut transaction, app.id, app.expires_at).await?;
    let Some((tried_at, tried_for)) = last else { return Ok(None) };
    let last_attempt = tried_at.filter(|_| tried_for == Some(app.expires_at)).map(from_unix);
    if !auto_renew_due(from_unix(app.expires_at), last_attempt, from_unix(now)) {
        return Ok(None);
    }
    store::term_apps::mark_tried(&mut transaction, app.id, now, app.expires_at).await?;

    store::savepoint(&mut transaction, "auto_renewal").await?;
    let renewed = match price {
        Some(price) => renew(&mut transaction, app, reseller_id, months, price, now).await,
        None => Err(ApiError::Conflict("The product is no longer sold.".to_owned())),
    };
    let outcome = match renewed {
        Ok(order_id) => Attempt::Renewed { order_id },
        Err(ApiError::InsufficientBalance) => {
            Attempt::Failed { reason: "There was not enough money to pay.".to_owned() }
        }
        Err(ApiError::PaymentDeclined(reason)) => Attempt::Failed { reason },
        Err(ApiError::Conflict(reason) | ApiError::BadRequest(reason)) => Attempt::Failed { reason },
        Err(ApiError::Validation(_)) => Attempt::Failed { reason: "The payment was refused.".to_owned() },
        // Anything else (the database) undoes the claim too: the next sweep tries again.
        Err(other) => return Err(other),
    };
    if matches!(outcome, Attempt::Failed { .. }) {
        store::rollback_to(&mut transaction, "auto_renewal").await?;
    }
    store::release(&mut transaction, "auto_renewal").await?;
    let (topic, at, occasion) = match &outcome {
        Attempt::Renewed { order_id } => {
            tracing::info!(app_id = %app.id, %order_id, "auto-renewed");
            let until = renewed_expiry(from_unix(app.expires_at), months);
            (MessageTopic::AutoRenewed, until, format!("auto_renewed:{}:{}", app.id, app.expires_at))
        }
        Attempt::Failed { reason } => {
            tracing::info!(app_id = %app.id, reason, "auto-renew failed; tries again tomorrow");
            let next = from_unix(now) + AUTO_RENEW_RETRY;
            (MessageTopic::AutoRenewFailed, next, format!("auto_renew_failed:{}:{}:{now}", app.id, app.expires_at))
        }
    };
    let message = Outgoing {
        account_id: app.account_id,
        topic,
        subject: &app.product_name,
        order_id: app.id,
        link: MessageLink::App { app_id: AppId::of_order(app.id) },
        at: Some(at),
        due_at: None,
        dedupe_key: occasion,
    };
    send(&mut transaction, message, now).await?;
    transaction.commit().await?;
    Ok(Some(outcome))
}

/// Places and pays a one-app renewal order in the caller's transaction.
async fn renew(
    transaction: &mut crate::domain::orders::WriteTransaction,
    app: &TermApp,
    reseller_id: Option<i64>,
    months: u32,
    price: bazaar_core::pricing::PriceBreakdown,
    now: i64,
) -> ApiResult<OrderId> {
    let buyer = Buyer { account_id: app.account_id, reseller_id };
    let amount = price.due_now;
    let order_id = renewals::insert_single(transaction, buyer, app.clone(), months, price, now).await?;
    match reseller_id {
        Some(reseller_id) => payments::bill_reseller(transaction, reseller_id, order_id, amount, now).await?,
        None => pay_with_any_method(transaction, app.account_id, order_id, amount, now).await?,
    }
    crate::domain::checkout::renewal::paid(transaction, order_id, app.product_id, now).await?;
    Ok(order_id)
}

/// The card on file first, then the balance, then the credit line: the first that pays.
/// A failed charge leaves nothing behind, so the next method starts clean.
async fn pay_with_any_method(
    transaction: &mut crate::domain::orders::WriteTransaction,
    account_id: AccountId,
    order_id: OrderId,
    amount: Money,
    now: i64,
) -> ApiResult<()> {
    let mut last_error = ApiError::InsufficientBalance;
    for method in [PaymentMethod::Card, PaymentMethod::Balance, PaymentMethod::Credit] {
        match payments::charge(transaction, account_id, order_id, method, amount, now).await {
            Ok(_) => return Ok(()),
            Err(error @ (ApiError::InsufficientBalance | ApiError::PaymentDeclined(_) | ApiError::Validation(_))) => {
                last_error = error;
            }
            Err(other) => return Err(other),
        }
    }
    Err(last_error)
}
