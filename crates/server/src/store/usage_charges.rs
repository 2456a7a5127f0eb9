//! Settling usage (`usage_charges`, `usage_records.charge_id`): the records a run has to
//! settle, the charge they are settled against, and its ledger entry.

use bazaar_core::ids::{AccountId, OrderId};
use bazaar_core::money::Currency;
use bazaar_core::orders::PaymentChannel;

use crate::infra::db::{self, Connection};

/// A record not settled yet.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct UnsettledRow {
    pub app_id: OrderId,
    pub dimension: String,
    pub month: i64,
    pub hour: i64,
    pub amount_minor: i64,
}

/// The app's records not settled yet, oldest hour first.
pub async fn unsettled(connection: &mut Connection, app_id: OrderId) -> Result<Vec<UnsettledRow>, sqlx::Error> {
    db::query_as(
        "SELECT app_id, dimension, month, hour, amount_minor FROM usage_records
         WHERE app_id = $1 AND charge_id IS NULL ORDER BY hour, dimension",
    )
    .bind(app_id)
    .fetch_all(connection)
    .await
}

/// The account's records not settled yet (every app), oldest hour first.
pub async fn unsettled_of_account(
    connection: &mut Connection,
    account_id: AccountId,
) -> Result<Vec<UnsettledRow>, sqlx::Error> {
    db::query_as(
        "SELECT app_id, dimension, month, hour, amount_minor FROM usage_records
         WHERE account_id = $1 AND charge_id IS NULL ORDER BY app_id, hour, dimension",
    )
    .bind(account_id)
    .fetch_all(connection)
    .await
}

/// What the app's usage in `month` has been charged so far.
pub async fn charged_in_month(connection: &mut Connection, app_id: OrderId, month: i64) -> Result<i64, sqlx::Error> {
    db::query_scalar(
        "SELECT CAST(COALESCE(SUM(charged_minor), 0) AS BIGINT) FROM usage_records
         WHERE app_id = $1 AND month = $2 AND charge_id IS NOT NULL",
    )
    .bind(app_id)
    .bind(month)
    .fetch_one(connection)
    .await
}

/// A charge to record (before its records are settled against it).
pub struct NewCharge {
    pub app_id: OrderId,
    pub account_id: AccountId,
    pub month: i64,
    pub amount_minor: i64,
    pub currency: Currency,
    pub now: i64,
}

pub async fn insert_charge(connection: &mut Connection, charge: NewCharge) -> Result<i64, sqlx::Error> {
    db::query_scalar(
        "INSERT INTO usage_charges (app_id, account_id, month, amount_minor, currency, charged_at)
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
    )
    .bind(charge.app_id)
    .bind(charge.account_id)
    .bind(charge.month)
    .bind(charge.amount_minor)
    .bind(charge.currency)
    .bind(charge.now)
    .fetch_one(connection)
    .await
}

/// How a charge was paid.
pub async fn set_charge_payment(
    connection: &mut Connection,
    charge_id: i64,
    channel: PaymentChannel,
    card_label: Option<&str>,
    gateway_reference: Option<&str>,
) -> Result<(), sqlx::Error> {
    db::query("UPDATE usage_charges SET channel = $1, card_label = $2, gateway_reference = $3 WHERE id = $4")
        .bind(channel)
        .bind(card_label)
        .bind(gateway_reference)
        .bind(charge_id)
        .execute(connection)
        .await?;
    Ok(())
}

/// Settles one record against a charge, `charged_minor` of it charged; `false` when it
/// was settled meanwhile (then the caller's charge must be undone).
pub async fn settle(
    connection: &mut Connection,
    record: &UnsettledRow,
    charge_id: i64,
    charged_minor: i64,
) -> Result<bool, sqlx::Error> {
    let settled = db::query(
        "UPDATE usage_records SET charge_id = $1, charged_minor = $2
         WHERE app_id = $3 AND dimension = $4 AND hour = $5 AND charge_id IS NULL",
    )
    .bind(charge_id)
    .bind(charged_minor)
    .bind(record.app_id)
    .bind(&record.dimension)
    .bind(record.hour)
    .execute(connection)
    .await?;
    Ok(settled.rows_affected() == 1)
}

/// The ledger entry of a usage charge: a payment on the buyer's (or reseller's) channel.
pub struct UsageLedgerEntry<'a> {
    pub account_id: Option<AccountId>,
    pub reseller_id: Option<i64>,
    pub app_id: OrderId,
    pub charge_id: i64,
    pub channel: PaymentChannel,
    pub amount_minor: i64,
    pub currency: Currency,
    pub note: &'a str,
    pub now: i64,
}

pub async fn record_ledger(connection: &mut Connection, entry: UsageLedgerEntry<'_>) -> Result<(), sqlx::Error> {
    db::query(
        "INSERT INTO ledger_entries (account_id, reseller_id, app_id, usage_charge_id, channel, kind, amount_minor,
                                     currency, note, created_at)
         VALUES ($1, $2, $3, $4, $5, 'payment', $6, $7, $8, $9)",
    )
    .bind(entry.account_id)
    .bind(entry.reseller_id)
    .bind(entry.app_id)
    .bind(entry.charge_id)
    .bind(entry.channel)
    .bind(-entry.amount_minor)
    .bind(entry.currency)
    .bind(entry.note)
    .bind(entry.now)
    .execute(connection)
    .await?;
    Ok(())
}

/// Settles every unsettled record of the app's `month` against `charge_id`, in full (an
/// app without a cap); the amounts it settled, which are what the charge is for.
pub async fn settle_month_in_full(
    connection: &mut Connection,
    app_id: OrderId,
    month: i64,
    charge_id: i64,
) -> Result<Vec<i64>, sqlx::Error> {
    db::query_scalar(
        "UPDATE usage_records SET charge_id = $1, charged_minor = amount_minor
         WHERE app_id = $2 AND month = $3 AND charge_id IS NULL RETURNING amount_minor",
    )
    .bind(charge_id)
    .bind(app_id)
    .bind(month)
    .fetch_all(connection)
    .await
}

/// Sets what a charge is for, once its records are settled.
pub async fn set_charge_amount(connection: &mut Connection, charge_id: i64, amount_minor: i64) -> Result<(), sqlx::Error> {
    db::query("UPDATE usage_charges SET amount_minor = $1 WHERE id = $2")
        .bind(amount_minor)
        .bind(charge_id)
        .execute(connection)
        .await?;
    Ok(())
}
