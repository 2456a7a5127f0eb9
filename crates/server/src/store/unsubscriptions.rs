//! Leaving an app: the purchase as leaving it needs it, every payment made for it, the
//! `unsubscriptions` record (one per app) and its refunds, and what releasing the app
//! changes (its instance's credentials, unpaid renewals of it).

use bazaar_core::catalog::BillingMode;
use bazaar_core::ids::{AccountId, OrderId};
use bazaar_core::lifecycle::UnsubscriptionRule;
use bazaar_core::money::Currency;
use bazaar_core::orders::{CancelReasonCode, OrderStatus, PaymentChannel};

use crate::infra::db::{self, Connection};
use crate::store::payments::LedgerKind;

/// The purchase an app is, as leaving it needs it.
#[derive(Debug, sqlx::FromRow)]
pub struct Purchase {
    pub id: OrderId,
    pub product_name: String,
    pub sku_name: String,
    pub billing_mode: BillingMode,
    pub supervised: bool,
    pub status: OrderStatus,
    pub currency: Currency,
    pub reseller_id: Option<i64>,
    #[sqlx(try_from = "crate::infra::db::NullableBigint")]
    pub duration_months: Option<u32>,
    pub expires_at: Option<i64>,
    pub unsubscribed_at: Option<i64>,
    /// A free trial not bought: nothing was paid, and it is released at once.
    pub trial: bool,
}

/// The account's purchase `order_id`: completed, or a supervised one still in its flow.
pub async fn purchase(
    connection: &mut Connection,
    account_id: AccountId,
    order_id: OrderId,
) -> Result<Option<Purchase>, sqlx::Error> {
    db::query_as(
        "SELECT id, product_name, sku_name, billing_mode, supervised, status, currency, reseller_id, duration_months,
                expires_at, unsubscribed_at,
                EXISTS (SELECT 1 FROM trials t WHERE t.app_id = orders.id AND t.converted_at IS NULL) AS trial
         FROM orders WHERE id = $1 AND account_id = $2 AND kind = 'purchase'
           AND (status = 'completed' OR (status = 'processing' AND supervised = TRUE))",
    )
    .bind(order_id)
    .bind(account_id)
    .fetch_optional(connection)
    .await
}

/// A payment made for an app: the purchase's own (no term bounds) or a paid renewal line's.
#[derive(Debug, sqlx::FromRow)]
pub struct PaymentRow {
    pub order_id: OrderId,
    pub channel: PaymentChannel,
    pub amount_minor: i64,
    pub paid_at: i64,
    pub starts_at: Option<i64>,
    pub ends_at: Option<i64>,
}

/// Every payment made for the app and not refunded: the purchase, then each paid renewal
/// (its line's share of the renewal order), oldest term first.
pub async fn payments_for(connection: &mut Connection, app_id: OrderId) -> Result<Vec<PaymentRow>, sqlx::Error> {
    db::query_as(
        "SELECT p.order_id, p.channel, p.amount_minor, p.paid_at, NULL AS starts_at, NULL AS ends_at
         FROM payments p WHERE p.order_id = $1 AND p.refunded_at IS NULL
         UNION ALL
         SELECT l.order_id, p.channel, l.amount_minor, p.paid_at, l.from_expires_at, l.until_expires_at
         FROM renewal_lines l JOIN payments p ON p.order_id = l.order_id
         WHERE l.app_id = $1 AND l.applied_at IS NOT NULL AND p.refunded_at IS NULL
         ORDER BY starts_at NULLS FIRST",
    )
    .bind(app_id)
    .fetch_all(connection)
    .await
}

/// The key the app was left with, if it was.
pub async fn key_of(connection: &mut Connection, app_id: OrderId) -> Result<Option<String>, sqlx::Error> {
    db::query_scalar("SELECT idempotency_key FROM unsubscriptions WHERE app_id = $1")
        .bind(app_id)
        .fetch_optional(connection)
        .await
}

/// The record of leaving an app.
pub struct NewUnsubscription<'a> {
    pub app_id: OrderId,
    pub account_id: AccountId,
    pub rule: UnsubscriptionRule,
    pub refund_minor: i64,
    pub currency: Currency,
    pub quote_json: &'a str,
    pub idempotency_key: &'a str,
    pub now: i64,
}

pub async fn record(connection: &mut Connection, unsubscription: NewUnsubscription<'_>) -> Result<(), sqlx::Error> {
    db::query(
        "INSERT INTO unsubscriptions (app_id, account_id, rule, refund_minor, currency, quote_json, idempotency_key,
                                      unsubscribed_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(unsubscription.app_id)
    .bind(unsubscription.account_id)
    .bind(unsubscription.rule)
    .bind(unsubscription.refund_minor)
    .bind(unsubscription.currency)
    .bind(unsubscription.quote_json)
    .bind(unsubscription.idempotency_key)
    .bind(unsubscription.now)
    .execute(connection)
    .await?;
    Ok(())
}

/// The app is gone from now on and no longer renews; `false` when it was left already.
pub async fn mark_left(connection: &mut Connection, app_id: OrderId, now: i64) -> Result<bool, sqlx::Error> {
    let updated = db::query(
        "UPDATE orders SET unsubscribed_at = $1, auto_renew_months = NULL WHERE id = $2 AND unsubscribed_at IS NULL",
    )
    .bind(now)
    .bind(app_id)
    .execute(connection)
    .await?;
    Ok(updated.rows_affected() == 1)
}

/// Forgets the app's credentials (revoked with the app).
pub async fn revoke_credentials(connection: &mut Connection, app_id: OrderId) -> Result<(), sqlx::Error> {
    db::query("UPDATE instances SET username_ciphertext = NULL, password_ciphertext = NULL WHERE order_id = $1")
        .bind(app_id)
        .execute(connection)
        .await?;
    Ok(())
}

/// Cancels the unpaid renewal orders of the app, with `detail` as their reason.
pub async fn cancel_unpaid_renewals(
    connection: &mut Connection,
    app_id: OrderId,
    detail: &str,
    now: i64,
) -> Result<(), sqlx::Error> {
    db::query(
        "UPDATE orders SET status = $1, cancel_reason_code = $2, cancel_reason_detail = $3, cancelled_at = $4
         WHERE status = $5 AND kind = 'renewal'
           AND id IN (SELECT order_id FROM renewal_lines WHERE app_id = $6)",
    )
    .bind(OrderStatus::Cancelled)
    .bind(CancelReasonCode::CancelledByBuyer)
    .bind(detail)
    .bind(now)
    .bind(OrderStatus::PendingPayment)
    .bind(app_id)
    .execute(connection)
    .await?;
    Ok(())
}

/// A kept unsubscription: its rule and refund.
#[derive(Debug, sqlx::FromRow)]
pub struct UnsubscriptionRow {
    pub rule: UnsubscriptionRule,
    pub refund_minor: i64,
    pub currency: Currency,
    pub unsubscribed_at: i64,
}

pub async fn of_app(connection: &mut Connection, app_id: OrderId) -> Result<Option<UnsubscriptionRow>, sqlx::Error> {
    db::query_as("SELECT rule, refund_minor, currency, unsubscribed_at FROM unsubscriptions WHERE app_id = $1")
        .bind(app_id)
        .fetch_optional(connection)
        .await
}

/// A refund made for an app: the order it came from and where it went.
#[derive(Debug, sqlx::FromRow)]
pub struct RefundRow {
    pub order_id: OrderId,
    pub channel: PaymentChannel,
    pub card_label: Option<String>,
    pub amount_minor: i64,
    pub currency: Currency,
}

pub async fn refunds_of(connection: &mut Connection, app_id: OrderId) -> Result<Vec<RefundRow>, sqlx::Error> {
    db::query_as(
        "SELECT l.order_id, l.channel, p.card_label, l.amount_minor, l.currency
         FROM ledger_entries l LEFT JOIN payments p ON p.order_id = l.order_id
         WHERE l.app_id = $1 AND l.kind = $2 ORDER BY l.id",
    )
    .bind(app_id)
    .bind(LedgerKind::Refund)
    .fetch_all(connection)
    .await
}

/// A supervised order leaves by agreement: Processing → Cancelled, unsubscribed at `now`,
/// no longer renewing; `false` when it was not Processing.
pub async fn cancel_by_agreement(
    connection: &mut Connection,
    order_id: OrderId,
    detail: &str,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let cancelled = db::query(
        "UPDATE orders SET status = $1, cancel_reason_code = $2, cancel_reason_detail = $3, cancelled_at = $4,
                           unsubscribed_at = $5, auto_renew_months = NULL
         WHERE id = $6 AND status = $7",
    )
    .bind(OrderStatus::Cancelled)
    .bind(CancelReasonCode::UnsubscribedByAgreement)
    .bind(detail)
    .bind(now)
    .bind(now)
    .bind(order_id)
    .bind(OrderStatus::Processing)
    .execute(connection)
    .await?;
    Ok(cancelled.rows_affected() == 1)
}

/// What the buyer paid for the order and has not had back (0 for a reseller customer's
/// order, which has no payment of its own here), in the order's currency.
pub async fn paid_for(connection: &mut Connection, order_id: OrderId) -> Result<(i64, Currency), sqlx::Error> {
    db::query_as(
        "SELECT COALESCE(p.amount_minor, 0), o.currency FROM orders o
         LEFT JOIN payments p ON p.order_id = o.id AND p.refunded_at IS NULL WHERE o.id = $1",
    )
    .bind(order_id)
    .fetch_one(connection)
    .await
}
