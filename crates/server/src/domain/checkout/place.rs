//! Placing an order from a checkout: once per checkout attempt (idempotency key), with
//! the product's prices, the checkout rules of `bazaar_core::orders`, the account's caps
//! and, for reseller customers and orders with nothing due now, the payment at once.

use bazaar_core::account::{mask_email, mask_mobile, mask_name};
use bazaar_core::catalog::DeliveryMethod;
use bazaar_core::error::FieldError;
use bazaar_core::error::FieldErrorCode;
use bazaar_core::ids::{AccountId, OrderId};
use bazaar_core::orders::{
    CheckoutFacts, ContactKind, MAX_UNPAID_ORDERS, PlaceOrderRequest, SharedContact, checkout_problems,
};
use bazaar_core::pricing::price_configuration;

use super::pay::after_payment;
use crate::domain::orders::{Buyer, ProvisioningKind};
use crate::domain::{fulfilment, orders, payments};
use crate::error::{ApiError, ApiResult};
use crate::infra::db::{Connection, WriteScope, begin_write};
use crate::state::AppState;
use crate::store;

/// What placing gave: the order, and whether it was placed by an earlier try of the same
/// checkout attempt (a retry after a lost answer).
#[derive(Debug, Clone, Copy)]
pub struct Placement {
    pub order_id: OrderId,
    pub replayed: bool,
}

/// Places the order `request` for `buyer` under the checkout attempt's `key`: the same key
/// and request give the first result again; the same key with another request is refused.
pub async fn place(state: &AppState, buyer: Buyer, key: &str, request: &PlaceOrderRequest) -> ApiResult<Placement> {
    let fingerprint = request_fingerprint(state, request);
    {
        let mut connection = state.db.acquire().await?;
        if let Some(order_id) = replayed_order(&mut connection, buyer.account_id, key, &fingerprint).await? {
            return Ok(Placement { order_id, replayed: true });
        }
    }

    // Everything that does not need the write lock happens before taking it.
    let Checked { product, mut price, facts, vpc, server_password_hash, contact } =
        check(state, buyer, request).await?;
    let trial = match request.trial {
        true => Some(super::trial::check(state, buyer, &product, request).await?),
        false => None,
    };
    if trial.is_some() {
        price = super::trial::free_of_charge(price.total.currency);
    }
    let sku = product.skus.iter().find(|sku| sku.id == request.configuration.sku_id).ok_or(ApiError::NotFound)?;

    let now = state.clock.unix_now();
    let mut transaction = begin_write(&state.db, WriteScope::Account(buyer.account_id)).await?;
    // A concurrent duplicate may have committed while this one validated.
    if let Some(order_id) = replayed_order(&mut transaction, buyer.account_id, key, &fingerprint).await? {
        return Ok(Placement { order_id, replayed: true });
    }
    check_order_caps(&mut transaction, buyer.account_id, now, state.config.max_orders_per_day).await?;
    let kind = ProvisioningKind::for_delivery(facts.delivery_method);
    let price_json = serde_json::to_string(&price).map_err(ApiError::internal)?;
    let order = store::orders::NewPurchase {
        account_id: buyer.account_id,
        product_id: product.summary.id,
        seller_id: product.seller_contact.id,
        product_name: &product.summary.name,
        seller_name: &product.seller_contact.name,
        delivery_method: facts.delivery_method,
        supervised: product.summary.supervised,
        sku_id: sku.id,
        sku_name: &sku.name,
        billing_mode: request.configuration.billing_mode,
        duration_months: request.configuration.duration_months,
        quantity: request.configuration.quantity,
        region: &request.configuration.region,
        currency: price.total.currency,
        total_minor: price.total.amount_minor,
        due_now_minor: price.due_now.amount_minor,
        price_json: &price_json,
        reseller_id: buyer.reseller_id,
        vpc_id: vpc.as_ref().map(|vpc| vpc.id),
        server_password_hash: server_password_hash.as_deref(),
        provisioning_kind: kind,
        now,
    };
    let order_id = store::orders::insert_purchase(&mut transaction, order).await?;
    if facts.seller_creates_account {
        let shared = shared_contact(&contact)?;
        let (seller_id, seller_name) = (product.seller_contact.id, &product.seller_contact.name);
        store::orders::record_consent(&mut transaction, order_id, seller_id, seller_name, &shared, now).await?;
    }
    store::checkout_keys::record(&mut transaction, buyer.account_id, key, &fingerprint, order_id, now).await?;
    if let Some(length) = trial {
        super::trial::start(&mut transaction, buyer, order_id, product.summary.id, length, now).await?;
        fulfilment::start(&mut transaction, order_id, kind, false, now).await?;
        transaction.commit().await?;
        tracing::info!(%order_id, account_id = %buyer.account_id, product_id = %product.summary.id, "trial started");
        return Ok(Placement { order_id, replayed: false });
    }
    // Reseller customers never pay here, and pay-per-use has nothing due now.
    let pays_now = match buyer.reseller_id {
        Some(reseller_id) => {
            payments::bill_reseller(&mut transaction, reseller_id, order_id, price.due_now, now).await?;
            true
        }
        None => price.due_now.amount_minor == 0,
    };
    if pays_now {
        orders::mark_paid(&mut transaction, order_id, product.summary.id, now).await?;
        fulfilment::start(&mut transaction, order_id, kind, product.summary.supervised, now).await?;
    }
    transaction.commit().await?;
    if pays_now {
        after_payment(state, product.summary.id);
    }
    tracing::info!(%order_id, account_id = %buyer.account_id, product_id = %product.summary.id, "order placed");
    Ok(Placement { order_id, replayed: false })
}

/// What the checks before the write found: the product and its price for the
/// configuration, the buyer's VPC (image products), the server password's hash and the
/// buyer's contact details.
struct Checked {
    product: bazaar_core::catalog::ProductDetail,
    price: bazaar_core::pricing::PriceBreakdown,
    facts: CheckoutFacts,
    vpc: Option<bazaar_core::orders::Vpc>,
    server_password_hash: Option<String>,
    contact: store::accounts::Contact,
}

/// The checks that need no write lock: the product is for sale, the configuration is
/// priced, the checkout rules hold and the VPC is the buyer's, in the server's region.
/// Every problem is reported at once.
async fn check(state: &AppState, buyer: Buyer, request: &PlaceOrderRequest) -> ApiResult<Checked> {
    let product = crate::domain::catalog::load_product(state, request.product_id, None)
        .await?
        .ok_or_else(|| ApiError::field("product_id", FieldErrorCode::UnknownValue, "This product is not for sale."))?;
    let price = price_configuration(&product.skus, &product.regions, &request.configuration)
        .map_err(|errors| ApiError::Validation(configuration_errors(errors.0)))?;
    let facts = CheckoutFacts {
        delivery_method: product.summary.delivery_method,
        seller_creates_account: product.seller_creates_account,
    };
    let mut problems = checkout_problems(facts, request).0;
    let vpc = match (facts.delivery_method, request.vpc_id) {
        (DeliveryMethod::Image, Some(vpc_id)) => {
            let vpc = crate::domain::vpcs::load_vpc(&state.db, buyer.account_id, vpc_id).await?;
            match &vpc {
                None => {
                    problems.push(FieldError::new("vpc_id", FieldErrorCode::UnknownValue, "Choose one of your VPCs."))
                }
                Some(vpc) if vpc.region != request.configuration.region => problems.push(FieldError::new(
                    "vpc_id",
                    FieldErrorCode::RegionMismatch,
                    "The VPC must be in the region the server is deployed to.",
                )),
                Some(_) => {}
            }
            vpc
        }
        _ => None,
    };
    if !problems.is_empty() {
        return Err(ApiError::Validation(problems));
    }
    let server_password_hash = match (facts.delivery_method, request.server_password.clone()) {
        (DeliveryMethod::Image, Some(password)) => Some(state.passwords.hash(password).await?),
        _ => None,
    };
    let contact = store::accounts::contact(&state.db, buyer.account_id).await?;
    Ok(Checked { product, price, facts, vpc, server_password_hash, contact })
}

/// The buyer's contact details, masked, that a seller creating the buyer's account sees
/// (the buyer authorised this at checkout), as stored with the consent.
fn shared_contact(contact: &store::accounts::Contact) -> ApiResult<String> {
    let shared = vec![
        SharedContact { kind: ContactKind::Mobile, masked_value: mask_mobile(&contact.mobile) },
        SharedContact { kind: ContactKind::Email, masked_value: mask_email(&contact.email) },
        SharedContact { kind: ContactKind::IamUserName, masked_value: mask_name(&contact.iam_user_name) },
    ];
    serde_json::to_string(&shared).map_err(ApiError::internal)
}

/// A keyed hash of the request: tells a retry from a different request without storing
/// the server password (which is part of the body) in any recoverable form.
fn request_fingerprint(state: &AppState, request: &PlaceOrderRequest) -> Vec<u8> {
    let canonical = serde_json::to_vec(request).expect("requests serialise");
    state.master_keys.keyed_hash(b"idempotency-fingerprint", &canonical)
}

/// Finds the order a key already made: `Ok(Some(id))` for a retry of the same request.
pub(crate) async fn replayed_order(
    connection: &mut Connection,
    account_id: AccountId,
    key: &str,
    fingerprint: &[u8],
) -> ApiResult<Option<OrderId>> {
    let existing = store::checkout_keys::find(connection, account_id, key).await?;
    match existing {
        None => Ok(None),
        Some(row) if row.request_hash == fingerprint => Ok(Some(row.order_id)),
        Some(_) => Err(ApiError::IdempotencyKeyReused),
    }
}

/// Prefixes configuration errors with `configuration.` so the SPA finds their field.
fn configuration_errors(errors: Vec<FieldError>) -> Vec<FieldError> {
    errors.into_iter().map(|error| FieldError { field: format!("configuration.{}", error.field), ..error }).collect()
}

/// Refuses a new order past the caps: [`MAX_UNPAID_ORDERS`] waiting for payment, and
/// `per_day` placed (each with its idempotency key) in 24 hours.
pub(crate) async fn check_order_caps(
    connection: &mut Connection,
    account_id: AccountId,
    now: i64,
    per_day: i64,
) -> ApiResult<()> {
    let unpaid = store::orders::unpaid_count(connection, account_id).await?;
    if unpaid >= MAX_UNPAID_ORDERS {
        return Err(ApiError::Conflict(format!(
            "You have {MAX_UNPAID_ORDERS} orders waiting for payment. Pay or cancel one of them first."
        )));
    }
    // The `per_day`-th newest order of the last day, if there is one: the cap is reached
    // until it is a day old.
    let oldest_counted =
        store::orders::nth_newest_since(connection, account_id, now - 86_400, per_day.max(1) - 1).await?;
    if let Some(oldest) = oldest_counted {
        let retry_after_seconds = u64::try_from(oldest + 86_400 - now).unwrap_or(1).max(1);
        return Err(ApiError::RateLimited { retry_after_seconds });
    }
    Ok(())
}
