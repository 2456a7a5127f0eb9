//! Money at rest: the `ledger_entries` (every top-up, payment and refund, whose sums are the
//! balances and credit used), `payments` (one per order), `credit_lines`, the card on file
//! (`cards`) and the simulated gateway's cards (`gateway_cards`).

use bazaar_core::ids::{AccountId, OrderId};
use bazaar_core::money::{Currency, Money};
use bazaar_core::orders::PaymentChannel;

use crate::infra::db::{self, Connection, Database};

/// What a ledger entry records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, sqlx::Type)]
#[sqlx(type_name = "text", rename_all = "snake_case")]
pub enum LedgerKind {
    TopUp,
    Payment,
    Refund,
}

/// What the simulated gateway does with a card.
#[derive(Debug, Clone, Copy, PartialEq, Eq, sqlx::Type)]
#[sqlx(type_name = "text", rename_all = "snake_case")]
pub enum CardBehaviour {
    Approve,
    Decline,
    InsufficientFunds,
}

/// The sum of the account's ledger entries on `channel` in `currency` (its balance; for
/// the credit channel, minus what it used).
pub async fn channel_sum(
    connection: &mut Connection,
    account_id: AccountId,
    channel: PaymentChannel,
    currency: Currency,
) -> Result<i64, sqlx::Error> {
    db::query_scalar(
        "SELECT CAST(COALESCE(SUM(amount_minor), 0) AS BIGINT) FROM ledger_entries
         WHERE account_id = $1 AND channel = $2 AND currency = $3",
    )
    .bind(account_id)
    .bind(channel)
    .bind(currency)
    .fetch_one(connection)
    .await
}

/// The account's credit limit in `currency`, when it has a credit line.
pub async fn credit_limit(
    connection: &mut Connection,
    account_id: AccountId,
    currency: Currency,
) -> Result<Option<i64>, sqlx::Error> {
    db::query_scalar("SELECT limit_minor FROM credit_lines WHERE account_id = $1 AND currency = $2")
        .bind(account_id)
        .bind(currency)
        .fetch_optional(connection)
        .await
}

/// A payment to record: the order's payment row and its ledger entry.
pub struct NewPayment {
    pub account_id: Option<AccountId>,
    pub reseller_id: Option<i64>,
    pub order_id: OrderId,
    pub channel: PaymentChannel,
    pub amount: Money,
    pub card_label: Option<String>,
    pub gateway_reference: Option<String>,
    pub note: String,
    pub now: i64,
}

/// Records the payment; `false` when the order has one already (its unique key).
pub async fn record_payment(connection: &mut Connection, payment: NewPayment) -> Result<bool, sqlx::Error> {
    let inserted = db::query(
        "INSERT INTO payments (order_id, channel, amount_minor, currency, card_label, gateway_reference, paid_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(payment.order_id)
    .bind(payment.channel)
    .bind(payment.amount.amount_minor)
    .bind(payment.amount.currency)
    .bind(&payment.card_label)
    .bind(&payment.gateway_reference)
    .bind(payment.now)
    .execute(&mut *connection)
    .await;
    match inserted {
        Err(sqlx::Error::Database(error)) if error.is_unique_violation() => return Ok(false),
        other => other?,
    };
    db::query(
        "INSERT INTO ledger_entries (account_id, reseller_id, order_id, channel, kind, amount_minor, currency, note, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(payment.account_id)
    .bind(payment.reseller_id)
    .bind(payment.order_id)
    .bind(payment.channel)
    .bind(LedgerKind::Payment)
    .bind(-payment.amount.amount_minor)
    .bind(payment.amount.currency)
    .bind(&payment.note)
    .bind(payment.now)
    .execute(connection)
    .await?;
    Ok(true)
}

/// A payment just marked refunded.
#[derive(Debug, sqlx::FromRow)]
pub struct Refunded {
    pub channel: PaymentChannel,
    pub amount_minor: i64,
    pub currency: Currency,
}

/// Marks the order's payment refunded at `now`; none when there is none or it was already.
pub async fn mark_refunded(
    connection: &mut Connection,
    order_id: OrderId,
    now: i64,
) -> Result<Option<Refunded>, sqlx::Error> {
    db::query_as(
        "UPDATE payments SET refunded_at = $1 WHERE order_id = $2 AND refunded_at IS NULL
         RETURNING channel, amount_minor, currency",
    )
    .bind(now)
    .bind(order_id)
    .fetch_optional(connection)
    .await
}

/// A ledger refund of `amount_minor` back to whoever paid order `order_id` and on the
/// channel they paid with (copied from its payment entry); how many entries were written
/// (one, when the order has its one ledger payment). `app_id`: the app the refund is about.
pub async fn refund_to_payer(
    connection: &mut Connection,
    order_id: OrderId,
    app_id: Option<OrderId>,
    amount_minor: i64,
    note: &str,
    now: i64,
) -> Result<u64, sqlx::Error> {
    let inserted = db::query(
        "INSERT INTO ledger_entries (account_id, reseller_id, order_id, app_id, channel, kind, amount_minor, currency,
                                     note, created_at)
         SELECT account_id, reseller_id, order_id, $1, channel, $2, $3, currency, $4, $5
         FROM ledger_entries WHERE order_id = $6 AND kind = $7",
    )
    .bind(app_id)
    .bind(LedgerKind::Refund)
    .bind(amount_minor)
    .bind(note)
    .bind(now)
    .bind(order_id)
    .bind(LedgerKind::Payment)
    .execute(connection)
    .await?;
    Ok(inserted.rows_affected())
}

/// Adds money to the account's balance.
pub async fn top_up(
    db: &Database,
    account_id: AccountId,
    amount: Money,
    note: &str,
    now: i64,
) -> Result<(), sqlx::Error> {
    db::query(
        "INSERT INTO ledger_entries (account_id, channel, kind, amount_minor, currency, note, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(account_id)
    .bind(PaymentChannel::Balance)
    .bind(LedgerKind::TopUp)
    .bind(amount.amount_minor)
    .bind(amount.currency)
    .bind(note)
    .bind(now)
    .execute(db)
    .await?;
    Ok(())
}

/// The card on file, with its gateway token.
#[derive(Debug, sqlx::FromRow)]
pub struct CardRow {
    pub brand: String,
    pub last4: String,
    pub expiry_month: i64,
    pub expiry_year: i64,
    pub gateway_token: String,
}

pub async fn card_on_file(connection: &mut Connection, account_id: AccountId) -> Result<Option<CardRow>, sqlx::Error> {
    db::query_as("SELECT brand, last4, expiry_month, expiry_year, gateway_token FROM cards WHERE account_id = $1")
        .bind(account_id)
        .fetch_optional(connection)
        .await
}

/// What the gateway does with the card behind `token`.
pub async fn gateway_behaviour(connection: &mut Connection, token: &str) -> Result<CardBehaviour, sqlx::Error> {
    db::query_scalar("SELECT behaviour FROM gateway_cards WHERE token = $1").bind(token).fetch_one(connection).await
}

pub async fn register_gateway_card(
    connection: &mut Connection,
    token: &str,
    behaviour: CardBehaviour,
) -> Result<(), sqlx::Error> {
    db::query("INSERT INTO gateway_cards (token, behaviour) VALUES ($1, $2)")
        .bind(token)
        .bind(behaviour)
        .execute(connection)
        .await?;
    Ok(())
}

/// Puts the card on file for the account, replacing any previous one.
pub async fn put_card_on_file(
    connection: &mut Connection,
    account_id: AccountId,
    card: &CardRow,
    now: i64,
) -> Result<(), sqlx::Error> {
    db::query(
        "INSERT INTO cards (account_id, brand, last4, expiry_month, expiry_year, gateway_token, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7)
         ON CONFLICT (account_id) DO UPDATE SET brand = excluded.brand, last4 = excluded.last4,
             expiry_month = excluded.expiry_month, expiry_year = excluded.expiry_year,
             gateway_token = excluded.gateway_token, created_at = excluded.created_at",
    )
    .bind(account_id)
    .bind(&card.brand)
    .bind(&card.last4)
    .bind(card.expiry_month)
    .bind(card.expiry_year)
    .bind(&card.gateway_token)
    .bind(now)
    .execute(connection)
    .await?;
    Ok(())
}

pub async fn remove_card(db: &Database, account_id: AccountId) -> Result<(), sqlx::Error> {
    db::query("DELETE FROM cards WHERE account_id = $1").bind(account_id).execute(db).await?;
    Ok(())
}
