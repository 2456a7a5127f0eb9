//! Money movements: the ledger, what an account can pay with, charging an order once and
//! refunding it, and the simulated card gateway.
//!
//! Every function that moves money takes the caller's write transaction, so a payment and
//! the order change it pays for commit together or not at all. The database has the last
//! word on "at most once": one payment row per order and one ledger payment per order.

use bazaar_core::error::FieldErrorCode;
use bazaar_core::ids::{AccountId, OrderId};
use bazaar_core::money::{Currency, Money};
use bazaar_core::orders::{CreditLine, PaymentChannel, PaymentMethod, PaymentOptions};

use crate::error::{ApiError, ApiResult};
use crate::infra::db::{Connection, Database, Transaction};
use crate::store;

mod cards;

pub use cards::{CardBehaviour, TEST_CARDS, card_brand, luhn_valid, remove_card, save_card};
use cards::{card_on_file, card_row};

/// The account's balance in `currency`: the sum of its balance ledger entries.
async fn balance(connection: &mut Connection, account_id: AccountId, currency: Currency) -> ApiResult<i64> {
    Ok(store::payments::channel_sum(connection, account_id, PaymentChannel::Balance, currency).await?)
}

/// (limit, used) of the account's credit line in `currency`, when it has one.
async fn credit(
    connection: &mut Connection,
    account_id: AccountId,
    currency: Currency,
) -> ApiResult<Option<(i64, i64)>> {
    let limit = store::payments::credit_limit(connection, account_id, currency).await?;
    let Some(limit) = limit else { return Ok(None) };
    let net = store::payments::channel_sum(connection, account_id, PaymentChannel::Credit, currency).await?;
    Ok(Some((limit, -net)))
}

/// Everything the payment step offers the account.
pub async fn payment_options(
    db: &Database,
    account_id: AccountId,
    reseller_name: Option<String>,
) -> ApiResult<PaymentOptions> {
    let mut connection = db.acquire().await?;
    let mut balances = Vec::new();
    let mut credit_lines = Vec::new();
    for currency in [Currency::CNY, Currency::USD] {
        let amount = balance(&mut connection, account_id, currency).await?;
        // Always show the main currency, even at zero; others only when they were used.
        if amount != 0 || currency == Currency::CNY {
            balances.push(Money::new(amount, currency));
        }
        if let Some((limit, used)) = credit(&mut connection, account_id, currency).await? {
            credit_lines.push(CreditLine {
                limit: Money::new(limit, currency),
                used: Money::new(used, currency),
                available: Money::new((limit - used).max(0), currency),
            });
        }
    }
    let card = card_row(&mut connection, account_id).await?.as_ref().map(card_on_file);
    Ok(PaymentOptions { balances, card, credit: credit_lines, reseller_name })
}

/// What a successful charge recorded.
pub struct Charged {
    pub card_label: Option<String>,
}

/// A payment the money is there for: the channel, and for a card its label and the
/// gateway's reference.
pub struct Authorized {
    pub channel: PaymentChannel,
    pub card_label: Option<String>,
    pub gateway_reference: Option<String>,
}

/// Checks that `method` can pay `amount` now (the balance or credit covers it, the card
/// is approved), inside the caller's transaction; nothing is recorded yet. Fails without
/// side effects when the money is not there or the card is declined.
pub async fn authorize(
    transaction: &mut Transaction,
    account_id: AccountId,
    method: PaymentMethod,
    amount: Money,
) -> ApiResult<Authorized> {
    let mut card_label = None;
    let mut gateway_reference = None;
    match method {
        PaymentMethod::Balance => {
            let available = balance(transaction, account_id, amount.currency).await?;
            if available < amount.amount_minor {
                return Err(ApiError::InsufficientBalance);
            }
        }
        PaymentMethod::Credit => {
            let Some((limit, used)) = credit(transaction, account_id, amount.currency).await? else {
                return Err(ApiError::field(
                    "method",
                    FieldErrorCode::Unavailable,
                    "Credit payment is not enabled for your account.",
                ));
            };
            if limit - used < amount.amount_minor {
                return Err(ApiError::PaymentDeclined("The amount exceeds your available credit.".to_owned()));
            }
        }
        PaymentMethod::Card => {
            let Some(card) = card_row(transaction, account_id).await? else {
                return Err(ApiError::field(
                    "method",
                    FieldErrorCode::Unavailable,
                    "There is no card on file. Add one first.",
                ));
            };
            let behaviour = store::payments::gateway_behaviour(transaction, &card.gateway_token).await?;
            match behaviour {
                CardBehaviour::Approve => {}
                CardBehaviour::Decline => {
                    return Err(ApiError::PaymentDeclined("Your card was declined by its issuer.".to_owned()));
                }
                CardBehaviour::InsufficientFunds => {
                    return Err(ApiError::PaymentDeclined("Your card has insufficient funds.".to_owned()));
                }
            }
            card_label = Some(format!("{} •••• {}", card.brand, card.last4));
            gateway_reference = Some(format!("ch_{}", hex::encode(rand::random::<[u8; 10]>())));
        }
    }
    Ok(Authorized { channel: PaymentChannel::from(method), card_label, gateway_reference })
}

/// Charges `amount` for `order_id` with `method`, inside the caller's transaction. Fails
/// without side effects when the money is not there or the card is declined.
pub async fn charge(
    transaction: &mut Transaction,
    account_id: AccountId,
    order_id: OrderId,
    method: PaymentMethod,
    amount: Money,
    now: i64,
) -> ApiResult<Charged> {
    let authorized = authorize(transaction, account_id, method, amount).await?;
    record_payment(
        transaction,
        Some(account_id),
        None,
        order_id,
        authorized.channel,
        amount,
        authorized.card_label.clone(),
        authorized.gateway_reference,
        now,
    )
    .await?;
    Ok(Charged { card_label: authorized.card_label })
}

/// Bills a reseller customer's order to the reseller: nobody is charged here.
pub async fn bill_reseller(
    transaction: &mut Transaction,
    reseller_id: i64,
    order_id: OrderId,
    amount: Money,
    now: i64,
) -> ApiResult<()> {
    record_payment(transaction, None, Some(reseller_id), order_id, PaymentChannel::Reseller, amount, None, None, now)
        .await
}

#[allow(clippy::too_many_arguments)]
async fn record_payment(
    transaction: &mut Transaction,
    account_id: Option<AccountId>,
    reseller_id: Option<i64>,
    order_id: OrderId,
    channel: PaymentChannel,
    amount: Money,
    card_label: Option<String>,
    gateway_reference: Option<String>,
    now: i64,
) -> ApiResult<()> {
    let payment = store::payments::NewPayment {
        account_id,
        reseller_id,
        order_id,
        channel,
        amount,
        card_label,
        gateway_reference,
        note: format!("Payment of order {}", bazaar_core::orders::order_number(order_id)),
        now,
    };
    if !store::payments::record_payment(transaction, payment).await? {
        return Err(ApiError::Conflict("This order is already paid.".to_owned()));
    }
    Ok(())
}

pub use crate::store::payments::LedgerKind;

/// Refunds an order's payment to where it came from (balance, credit line, card, or the
/// reseller's bill). Does nothing when there is no payment or it is already refunded.
pub async fn refund_order(transaction: &mut Transaction, order_id: OrderId, now: i64) -> ApiResult<()> {
    let payment = store::payments::mark_refunded(transaction, order_id, now).await?;
    let Some(refunded) = payment else { return Ok(()) };
    let note = format!("Refund of order {}", bazaar_core::orders::order_number(order_id));
    store::payments::refund_to_payer(transaction, order_id, None, refunded.amount_minor, &note, now).await?;
    crate::domain::invoices::refunds::after_refund(transaction, order_id, now).await?;
    tracing::info!(%order_id, channel = refunded.channel.as_str(), amount = refunded.amount_minor,
        currency = refunded.currency.as_str(), "order refunded");
    Ok(())
}

/// Adds money to an account's balance (demo seeding and support tooling).
pub async fn top_up(db: &Database, account_id: AccountId, amount: Money, note: &str, now: i64) -> ApiResult<()> {
    store::payments::top_up(db, account_id, amount, note, now).await?;
    Ok(())
}
