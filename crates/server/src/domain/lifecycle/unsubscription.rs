//! Product Unsubscription: the quote for leaving an app (core's rule applied to every
//! payment made for it) and leaving it — refunds through the ledger to the channels that
//! paid, the app released at once with its credentials revoked, auto-renew off, unpaid
//! renewals cancelled, the seller told and the buyer messaged, all in one transaction.
//!
//! "At most once" is the database's: `unsubscriptions` is keyed by the app, and the ledger
//! holds one refund per order and app.

use bazaar_core::catalog::BillingMode;
use bazaar_core::ids::{AccountId, AppId, OrderId};
use bazaar_core::lifecycle::{
    PaidTerm, Phase, UnsubscribeRequest, Unsubscription, UnsubscriptionQuote, UnsubscriptionRule, refund_quote,
    term_end, unsubscription_rule,
};
use bazaar_core::messages::{MessageLink, MessageTopic};
use bazaar_core::money::Money;
use bazaar_core::notices::NoticeKind;
use bazaar_core::orders::{OrderStatus, order_number};

use crate::domain::messages::{self, Outgoing};
use crate::domain::notices;
use crate::domain::orders::unsubscribed::load;
use crate::error::{ApiError, ApiResult};
use crate::infra::clock::from_unix;
use bazaar_core::trials::app_phase;

use crate::infra::db::{Connection, WriteScope, begin_write};
use crate::state::AppState;
use crate::store;

use crate::store::unsubscriptions::Purchase;

/// The customer's purchase `app_id`: completed, or a supervised one still in its flow.
/// Anything else, or somebody else's, is 404.
async fn purchase(connection: &mut Connection, account_id: AccountId, app_id: AppId) -> ApiResult<Purchase> {
    store::unsubscriptions::purchase(connection, account_id, app_id.order()).await?.ok_or(ApiError::NotFound)
}

/// Refuses leaving an app that is already gone.
fn check_still_held(purchase: &Purchase, now: i64) -> ApiResult<()> {
    if let Some(at) = purchase.unsubscribed_at {
        return Err(ApiError::Conflict(format!("You already unsubscribed from this app on {}.", from_unix(at).date())));
    }
    if app_phase(purchase.expires_at.map(from_unix), purchase.trial, from_unix(now)) == Phase::Released {
        return Err(ApiError::Conflict(
            "This app was released already; there is nothing to unsubscribe from.".to_owned(),
        ));
    }
    Ok(())
}

/// Every payment made for the app and not refunded: the purchase, then each paid renewal
/// (its line's share of the renewal order), oldest term first.
async fn paid_terms(connection: &mut Connection, purchase: &Purchase) -> ApiResult<Vec<PaidTerm>> {
    let rows = store::unsubscriptions::payments_for(connection, purchase.id).await?;
    Ok(rows
        .into_iter()
        .map(|row| {
            let paid_at = from_unix(row.paid_at);
            // The purchase's own term starts at its payment; with no term (pay-per-use,
            // one-off) the payment bought nothing that is still unused.
            let starts_at = row.starts_at.map_or(paid_at, from_unix);
            let ends_at = match (row.ends_at, purchase.duration_months) {
                (Some(ends_at), _) => from_unix(ends_at),
                (None, Some(months)) if purchase.billing_mode == BillingMode::YearlyMonthly => {
                    term_end(paid_at, months)
                }
                (None, _) => paid_at,
            };
            PaidTerm {
                order_id: row.order_id,
                channel: row.channel,
                amount: Money::new(row.amount_minor, purchase.currency),
                paid_at,
                starts_at,
                ends_at,
            }
        })
        .collect())
}

async fn quote_for(
    connection: &mut Connection,
    purchase: &Purchase,
    app_id: AppId,
    now: i64,
) -> ApiResult<UnsubscriptionQuote> {
    let in_flow = purchase.supervised && purchase.status == OrderStatus::Processing;
    let rule = unsubscription_rule(purchase.billing_mode, purchase.supervised, in_flow);
    let terms = paid_terms(connection, purchase).await?;
    let reseller_name = match purchase.reseller_id {
        Some(reseller_id) => store::accounts::reseller_name(&mut *connection, reseller_id).await?,
        None => None,
    };
    Ok(UnsubscriptionQuote {
        app_id,
        product_name: purchase.product_name.clone(),
        sku_name: purchase.sku_name.clone(),
        billing_mode: purchase.billing_mode,
        rule,
        refund: refund_quote(&terms, rule, purchase.currency, from_unix(now)),
        reseller_name,
        expires_at: purchase.expires_at.map(from_unix),
        quoted_at: from_unix(now),
    })
}

/// What leaving app `app_id` would refund now.
pub async fn quote(state: &AppState, account_id: AccountId, app_id: AppId) -> ApiResult<UnsubscriptionQuote> {
    let now = state.clock.unix_now();
    let mut snapshot = state.db.begin_snapshot().await?;
    let purchase = purchase(&mut snapshot, account_id, app_id).await?;
    check_still_held(&purchase, now)?;
    let quote = quote_for(&mut snapshot, &purchase, app_id, now).await;
    snapshot.rollback().await?;
    quote
}

/// The outcome of `POST …/unsubscribe`.
pub struct Left {
    pub unsubscription: Unsubscription,
    /// A retry with the same key: nothing was done now.
    pub replayed: bool,
}

/// Leaves app `app_id` if `request.refund` is still the refund; otherwise answers with the
/// new quote and changes nothing.
pub async fn unsubscribe(
    state: &AppState,
    account_id: AccountId,
    app_id: AppId,
    key: &str,
    request: UnsubscribeRequest,
) -> ApiResult<Left> {
    let now = state.clock.unix_now();
    let mut transaction = begin_write(&state.db, WriteScope::Account(account_id)).await?;
    let purchase = purchase(&mut transaction, account_id, app_id).await?;
    let earlier = store::unsubscriptions::key_of(&mut transaction, purchase.id).await?;
    if earlier.as_deref() == Some(key) {
        let unsubscription = load(&mut transaction, app_id).await?.ok_or(ApiError::NotFound)?;
        return Ok(Left { unsubscription, replayed: true });
    }
    check_still_held(&purchase, now)?;
    let quote = quote_for(&mut transaction, &purchase, app_id, now).await?;
    if quote.rule == UnsubscriptionRule::Negotiated {
        return Err(ApiError::Conflict(
            "This supervised purchase is still in its service flow: leaving it is agreed with the seller there."
                .to_owned(),
        ));
    }
    if request.refund != quote.refund.refund {
        return Err(ApiError::QuoteChanged(Box::new(quote)));
    }
    let quote_json = serde_json::to_string(&quote).map_err(ApiError::internal)?;
    let record = store::unsubscriptions::NewUnsubscription {
        app_id: purchase.id,
        account_id,
        rule: quote.rule,
        refund_minor: quote.refund.refund.amount_minor,
        currency: purchase.currency,
        quote_json: &quote_json,
        idempotency_key: key,
        now,
    };
    store::unsubscriptions::record(&mut transaction, record).await?;
    for line in quote.refund.lines.iter().filter(|line| line.refund.amount_minor > 0) {
        refund_share(&mut transaction, line.term.order_id, purchase.id, line.refund, now).await?;
    }
    release(&mut transaction, &purchase, now).await?;
    notices::queue(&mut transaction, purchase.id, NoticeKind::Unsubscribed, now, None, now, now).await?;
    let message = Outgoing {
        account_id,
        topic: MessageTopic::Unsubscribed,
        subject: &purchase.product_name,
        order_id: purchase.id,
        link: MessageLink::Order { order_id: purchase.id },
        at: None,
        due_at: None,
        dedupe_key: format!("unsubscribed:{}", purchase.id),
    };
    messages::send(&mut transaction, message, now).await?;
    let unsubscription = load(&mut transaction, app_id).await?.ok_or(ApiError::NotFound)?;
    transaction.commit().await?;
    tracing::info!(%app_id, refund = quote.refund.refund.amount_minor, rule = quote.rule.as_str(), "unsubscribed");
    Ok(Left { unsubscription, replayed: false })
}

/// Refunds `amount` of order `order_id`'s payment for app `app_id` to the channel that
/// paid: the same account or reseller, the same channel, positive from the payer's side.
async fn refund_share(
    connection: &mut Connection,
    order_id: OrderId,
    app_id: OrderId,
    amount: Money,
    now: i64,
) -> ApiResult<()> {
    let note = format!("Unsubscription refund of order {} (app {})", order_number(order_id), order_number(app_id));
    let inserted =
        store::payments::refund_to_payer(connection, order_id, Some(app_id), amount.amount_minor, &note, now).await?;
    if inserted != 1 {
        return Err(ApiError::internal(format!("order {order_id} has no single ledger payment to refund")));
    }
    // An invoiced order refunded: its credit note, in this transaction.
    crate::domain::invoices::refunds::after_refund(connection, order_id, now).await
}

/// Released at once: no longer listed or usable, credentials revoked, auto-renew off, and
/// unpaid renewals of it cancelled (paying one must not extend an app that is gone).
async fn release(connection: &mut Connection, purchase: &Purchase, now: i64) -> ApiResult<()> {
    if !store::unsubscriptions::mark_left(connection, purchase.id, now).await? {
        return Err(ApiError::Conflict("You already unsubscribed from this app.".to_owned()));
    }
    store::unsubscriptions::revoke_credentials(connection, purchase.id).await?;
    let detail = format!("You unsubscribed from {} ({}).", purchase.product_name, order_number(purchase.id));
    store::unsubscriptions::cancel_unpaid_renewals(connection, purchase.id, &detail, now).await?;
    Ok(())
}
