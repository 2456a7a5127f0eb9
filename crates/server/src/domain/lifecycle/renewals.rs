//! Renewals: a renewal order for one or several of the customer's apps with a term (one
//! payment, one line per app, priced at today's SKU price), and applying a paid one.
//! A renewed term runs from the app's old expiry (`bazaar_core::lifecycle`).

use bazaar_core::error::{FieldError, FieldErrorCode};
use bazaar_core::ids::{AccountId, AppId, OrderId};
use bazaar_core::lifecycle::{
    MAX_RENEWALS_PER_ORDER, Phase, RenewalItem, RenewalRequest, has_term, released_at, renewal_periods, renewed_expiry,
};
use bazaar_core::money::Money;
use bazaar_core::orders::order_number;
use bazaar_core::pricing::{Charge, MAX_QUANTITY, PriceBreakdown};
use bazaar_core::trials::{app_phase, converted_expiry, trial_released_at};

use crate::domain::checkout::place::{Placement, check_order_caps, replayed_order};
use crate::domain::orders::{Buyer, WriteTransaction};
use crate::domain::payments;
use crate::error::{ApiError, ApiResult};
use crate::infra::clock::from_unix;
use crate::infra::db::{WriteScope, begin_write};
use crate::state::AppState;
use crate::store;

use super::term_apps::{TermApp, pending_renewal, price_of, term_app};

/// One app's line, checked and priced, before it is written.
struct PlannedLine {
    /// The app, with the quantity bought (a trial's may change).
    app: TermApp,
    /// A trial bought with another quantity than its own.
    quantity: Option<u32>,
    months: u32,
    amount: Money,
    price: PriceBreakdown,
}

/// Checks every item of `request` and prices it; every problem is reported at once,
/// against the item it is about.
async fn plan(state: &AppState, account_id: AccountId, request: &RenewalRequest) -> ApiResult<Vec<PlannedLine>> {
    if request.items.is_empty() || request.items.len() > MAX_RENEWALS_PER_ORDER {
        return Err(ApiError::field(
            "items",
            FieldErrorCode::OutOfRange,
            format!("Renew 1 to {MAX_RENEWALS_PER_ORDER} apps in one order."),
        ));
    }
    let now = state.clock.now();
    let mut problems = Vec::new();
    let mut planned = Vec::new();
    for (index, RenewalItem { app_id, months, quantity }) in request.items.iter().copied().enumerate() {
        let at = |part: &str| format!("items[{index}].{part}");
        let mut problem = |part: &str, code, message: String| problems.push(FieldError::new(at(part), code, message));
        if request.items[..index].iter().any(|earlier| earlier.app_id == app_id) {
            problem("app_id", FieldErrorCode::Duplicate, "This app is already in the order.".to_owned());
            continue;
        }
        let Some(mut app) = term_app(state, account_id, app_id).await? else {
            let has_one = owned_purchase(state, account_id, app_id).await?;
            let (code, message) = if has_one {
                (FieldErrorCode::Invalid, "Only apps with a monthly or yearly term can be renewed.")
            } else {
                (FieldErrorCode::UnknownValue, "You have no such app.")
            };
            problem("app_id", code, message.to_owned());
            continue;
        };
        if !has_term(app.billing_mode) {
            problem(
                "app_id",
                FieldErrorCode::Invalid,
                "Only apps with a monthly or yearly term can be renewed.".into(),
            );
            continue;
        }
        let released = match app.trial {
            true => trial_released_at(from_unix(app.expires_at)),
            false => released_at(from_unix(app.expires_at)),
        };
        if app_phase(Some(from_unix(app.expires_at)), app.trial, now) == Phase::Released {
            problem("app_id", FieldErrorCode::Unavailable, format!("This app was released on {}.", released.date()));
            continue;
        }
        if !renewal_periods(app.billing_mode).contains(&months) {
            problem("months", FieldErrorCode::UnknownValue, "Renew for 1 to 11 months, or 1 to 3 years.".into());
            continue;
        }
        match quantity {
            Some(_) if !app.trial => {
                problem(
                    "quantity",
                    FieldErrorCode::Invalid,
                    "Only a free trial's quantity is chosen when buying it.".into(),
                );
                continue;
            }
            Some(quantity) if quantity == 0 || quantity > MAX_QUANTITY => {
                problem("quantity", FieldErrorCode::OutOfRange, format!("Choose a quantity from 1 to {MAX_QUANTITY}."));
                continue;
            }
            Some(quantity) => app.quantity = quantity,
            None => {}
        }
        let Some(price) = price_of(state, &app, months).await? else {
            problem("app_id", FieldErrorCode::Unavailable, "This product is no longer sold.".into());
            continue;
        };
        planned.push(PlannedLine { amount: price.due_now, app, quantity, months, price });
    }
    if let Some(first) = planned.first()
        && planned.iter().any(|line| line.amount.currency != first.amount.currency)
    {
        problems.push(FieldError::new("items", FieldErrorCode::Invalid, "Renew apps billed in one currency together."));
    }
    if !problems.is_empty() {
        return Err(ApiError::Validation(problems));
    }
    Ok(planned)
}

async fn owned_purchase(state: &AppState, account_id: AccountId, app_id: AppId) -> ApiResult<bool> {
    Ok(store::renewals::is_completed_purchase(&state.db, account_id, app_id.order()).await?)
}

/// Places a renewal order under the attempt's `key` (a retry gives the first result).
/// Reseller customers' renewals are billed to the reseller and applied at once; others
/// wait for the order's payment, which applies them.
pub async fn place(state: &AppState, buyer: Buyer, key: &str, request: &RenewalRequest) -> ApiResult<Placement> {
    let canonical = serde_json::to_vec(request).map_err(ApiError::internal)?;
    let fingerprint = state.master_keys.keyed_hash(b"renewal-fingerprint", &canonical);
    {
        let mut connection = state.db.acquire().await?;
        if let Some(order_id) = replayed_order(&mut connection, buyer.account_id, key, &fingerprint).await? {
            return Ok(Placement { order_id, replayed: true });
        }
    }
    let lines = plan(state, buyer.account_id, request).await?;
    let now = state.clock.unix_now();
    let mut transaction = begin_write(&state.db, WriteScope::Account(buyer.account_id)).await?;
    if let Some(order_id) = replayed_order(&mut transaction, buyer.account_id, key, &fingerprint).await? {
        return Ok(Placement { order_id, replayed: true });
    }
    for line in &lines {
        if let Some(pending) = pending_renewal(&mut transaction, line.app.id).await? {
            return Err(ApiError::Conflict(format!(
                "{} is already in the unpaid renewal order {}: pay or cancel that one first.",
                line.app.product_name,
                order_number(pending)
            )));
        }
    }
    check_order_caps(&mut transaction, buyer.account_id, now, state.config.max_orders_per_day).await?;
    let order_id = insert_order(&mut transaction, buyer, &lines, now).await?;
    store::checkout_keys::record(&mut transaction, buyer.account_id, key, &fingerprint, order_id, now).await?;
    if let Some(reseller_id) = buyer.reseller_id {
        let total = total_of(&lines);
        payments::bill_reseller(&mut transaction, reseller_id, order_id, total, now).await?;
        crate::domain::checkout::renewal::paid(&mut transaction, order_id, lines[0].app.product_id, now).await?;
    }
    transaction.commit().await?;
    tracing::info!(%order_id, account_id = %buyer.account_id, apps = lines.len(), "renewal order placed");
    Ok(Placement { order_id, replayed: false })
}

fn total_of(lines: &[PlannedLine]) -> Money {
    let currency = lines[0].amount.currency;
    Money::new(lines.iter().map(|line| line.amount.amount_minor).sum(), currency)
}

/// Writes the order (its product fields describe the first app) and its lines.
async fn insert_order(
    transaction: &mut WriteTransaction,
    buyer: Buyer,
    lines: &[PlannedLine],
    now: i64,
) -> ApiResult<OrderId> {
    let first = &lines[0].app;
    let total = total_of(lines);
    let breakdown = PriceBreakdown {
        lines: lines.iter().flat_map(|line| line.price.lines.clone()).collect(),
        total,
        charge: Charge::Upfront,
        due_now: total,
    };
    let price_json = serde_json::to_string(&breakdown).map_err(ApiError::internal)?;
    let order = store::renewals::NewRenewalOrder {
        account_id: buyer.account_id,
        reseller_id: buyer.reseller_id,
        product_id: first.product_id,
        seller_id: first.seller_id,
        product_name: &first.product_name,
        seller_name: &first.seller_name,
        delivery_method: &first.delivery_method,
        sku_id: first.sku_id,
        sku_name: &first.sku_name,
        quantity: first.quantity,
        region: &first.region,
        total,
        price_json: &price_json,
        now,
    };
    let order_id = store::renewals::insert_order(transaction, order).await?;
    for line in lines {
        let from = from_unix(line.app.expires_at);
        let line = store::renewals::NewLine {
            order_id,
            app_id: line.app.id,
            months: line.months,
            amount_minor: line.amount.amount_minor,
            from_expires_at: line.app.expires_at,
            // A trial's paid term starts at its end (or at the payment, if later).
            quantity: line.quantity,
            until_expires_at: match line.app.trial {
                true => converted_expiry(from, from_unix(now), line.months).unix_timestamp(),
                false => renewed_expiry(from, line.months).unix_timestamp(),
            },
        };
        store::renewals::insert_line(transaction, line).await?;
    }
    Ok(order_id)
}

/// Writes a one-app renewal order for auto-renew (the app already checked and priced).
pub(super) async fn insert_single(
    transaction: &mut WriteTransaction,
    buyer: Buyer,
    app: TermApp,
    months: u32,
    price: PriceBreakdown,
    now: i64,
) -> ApiResult<OrderId> {
    let line = PlannedLine { amount: price.due_now, app, quantity: None, months, price };
    insert_order(transaction, buyer, std::slice::from_ref(&line), now).await
}
