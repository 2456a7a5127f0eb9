//! Demo apps for lin.wei in every phase of a term, so Renewal Management, the expiry
//! banners and auto-renew can be seen right after `cargo xtask dev`: two expiring in 5
//! days, one in grace, one frozen, one renewing automatically in 12 days; and a
//! pay-per-use app with a month of usage (`usage_meter::seed_history`); a free trial
//! ending in 2 days and one used up; invoices (`invoices`) and support tickets (`tickets`).
//!
//! They are bought through the real checkout (so each has a payment and is set up by the
//! demo seller), then their dates are moved back as if bought a term ago.

use bazaar_core::ids::{AccountId, OrderId};
use bazaar_core::lifecycle::{ReminderKind, reminders_due, term_end};
use bazaar_core::orders::PaymentMethod;
use time::Duration;

use crate::domain::checkout::{pay, place};
use crate::domain::lifecycle::reminders::{self, TermRow};
use crate::domain::orders::Buyer;
use crate::error::ApiResult;
use crate::infra::clock::from_unix;
use crate::infra::db::{self, Database, WriteScope, begin_write};
use crate::state::AppState;

/// (product, months, days from now to expiry, auto-renew): SaaS products the demo seller
/// sets up at once (Northwind CRM Cloud, BluePeak Secrets Vault, Harborline HR & Payroll,
/// and two generated ones).
const APPS: [(i64, u32, i64, bool); 5] =
    [(13, 1, 5, false), (11, 12, 5, false), (21, 1, -3, false), (10, 1, -20, false), (1, 1, 12, true)];

/// Seeds the apps once; a database that has them (or any order of lin.wei's) is left alone.
pub async fn seed_if_missing(state: &AppState) -> ApiResult<()> {
    let Some(account_id) = db::query_scalar::<AccountId>("SELECT id FROM accounts WHERE username = 'lin.wei'")
        .fetch_optional(&state.db)
        .await?
    else {
        return Ok(());
    };
    let orders: i64 = db::query_scalar("SELECT COUNT(*) FROM orders WHERE account_id = $1")
        .bind(account_id)
        .fetch_one(&state.db)
        .await?;
    if orders > 0 {
        return Ok(());
    }
    let buyer = Buyer { account_id, reseller_id: None };
    let now = state.clock.now();
    for (index, (product, months, days, auto_renew)) in APPS.into_iter().enumerate() {
        let Some((request, _)) = crate::demo::orders::monthly_order(state, product, months, false).await? else {
            continue;
        };
        let placement = place::place(state, buyer, &format!("demo-app-{index}"), &request).await?;
        pay::pay(state, buyer, placement.order_id, PaymentMethod::Card).await?;
        // Bought a term before the expiry it should have now.
        let expires_at = now + Duration::days(days);
        let mut paid_at = expires_at;
        for _ in 0..months {
            paid_at -= Duration::days(31);
        }
        while term_end(paid_at, months) < expires_at {
            paid_at += Duration::days(1);
        }
        let expires_at = term_end(paid_at, months);
        db::query(
            "UPDATE orders SET created_at = $1, paid_at = $2, expires_at = $3, auto_renew_months = $4 WHERE id = $5",
        )
        .bind(paid_at.unix_timestamp() - 60)
        .bind(paid_at.unix_timestamp())
        .bind(expires_at.unix_timestamp())
        .bind(auto_renew.then_some(i64::from(months)))
        .bind(placement.order_id)
        .execute(&state.db)
        .await?;
        db::query("UPDATE payments SET paid_at = $1 WHERE order_id = $2")
            .bind(paid_at.unix_timestamp())
            .bind(placement.order_id)
            .execute(&state.db)
            .await?;
        remind_as_if_on_time(state, placement.order_id, now).await?;
        tracing::info!(order_id = %placement.order_id, expires_at = %from_unix(expires_at.unix_timestamp()), "demo app");
    }
    seed_trials(state, buyer, now).await?;
    crate::demo::usage_meter::seed_history(state, account_id).await?;
    crate::demo::invoices::seed(state, account_id).await?;
    crate::demo::tickets::seed(state, account_id).await?;
    Ok(())
}

/// lin.wei's free trials (product, days from now to the trial's end): Maple Model
/// Inference Gateway's ends in 2 days (Buy it from Purchased Apps); Tidewater Data Lake's
/// ended unbought 10 days ago and was released (its product page says when it was used).
const TRIALS: [(i64, i64); 2] = [(23, 2), (7, -10)];

/// Starts each trial through the real checkout, then moves its dates back.
async fn seed_trials(state: &AppState, buyer: Buyer, now: time::OffsetDateTime) -> ApiResult<()> {
    for (index, (product, days)) in TRIALS.into_iter().enumerate() {
        let Some((request, Some(length))) = crate::demo::orders::monthly_order(state, product, 1, true).await? else {
            continue;
        };
        let placement = place::place(state, buyer, &format!("demo-trial-{index}"), &request).await?;
        let ends_at = (now + Duration::days(days)).unix_timestamp();
        let started_at = ends_at - Duration::days(length).whole_seconds();
        db::query("UPDATE orders SET created_at = $1, paid_at = $2, expires_at = $3 WHERE id = $4")
            .bind(started_at - 60)
            .bind(started_at)
            .bind(ends_at)
            .bind(placement.order_id)
            .execute(&state.db)
            .await?;
        // The ended one's messages and notices are history: the sweeper leaves them.
        let last_reminder = (days < 0).then_some("released");
        db::query("UPDATE trials SET started_at = $1, ends_at = $2, last_reminder = $3 WHERE app_id = $4")
            .bind(started_at)
            .bind(ends_at)
            .bind(last_reminder)
            .bind(placement.order_id)
            .execute(&state.db)
            .await?;
        tracing::info!(order_id = %placement.order_id, ends_at = %from_unix(ends_at), "demo trial");
    }
    Ok(())
}

/// The reminders (and seller notices) that fell due for an app whose dates were just moved
/// back, each sent at its own due time, as a sweeper running all along would have sent
/// them: the Messages centre shows a history, not a burst of late news at start-up.
async fn remind_as_if_on_time(state: &AppState, order_id: OrderId, now: time::OffsetDateTime) -> ApiResult<()> {
    let term: TermRow = crate::store::reminders::term(&state.db, order_id).await?;
    let expires_at = from_unix(term.expires_at);
    let due: Vec<ReminderKind> = reminders_due(expires_at, None, now).collect();
    let Some(last) = due.last().copied() else { return Ok(()) };
    let mut transaction = begin_write(&state.db, WriteScope::Account(term.account_id)).await?;
    for kind in due {
        reminders::remind(&mut transaction, &term, kind, kind.due_at(expires_at)).await?;
    }
    reminders::mark_reminded(&mut transaction, &term, last).await?;
    transaction.commit().await?;
    Ok(())
}

/// Adds `count` completed one-month purchases of Northwind CRM Cloud to lin.wei, with
/// expiries spread from 40 days ago to 60 days ahead and one in ten renewing
/// automatically: the load of the lifecycle sweeper and Renewal Management benchmarks.
pub async fn generate(db: &Database, count: usize, now: i64) -> ApiResult<()> {
    let account_id: AccountId =
        db::query_scalar("SELECT id FROM accounts WHERE username = 'lin.wei'").fetch_one(db).await?;
    let mut transaction = crate::infra::db::begin_write(db, crate::infra::db::WriteScope::Maintenance).await?;
    let template: (String, String, i64, i64, String) = db::query_as(
        "SELECT p.name, s.name, s.id, p.seller_id, p.delivery_method FROM products p
         JOIN sellers s ON s.id = p.seller_id WHERE p.id = 1",
    )
    .fetch_one(&mut *transaction)
    .await?;
    let (product_name, seller_name, _, seller_id, delivery_method) = template;
    for index in 0..count {
        let offset_days = (index % 100) as i64 - 40;
        let expires_at = now + offset_days * 86_400 + (index as i64 % 86_400);
        let paid_at = term_paid_at(expires_at);
        let order_id: i64 = db::query_scalar(
            "INSERT INTO orders (account_id, product_id, seller_id, product_name, seller_name, delivery_method,
                                 supervised, sku_id, sku_name, billing_mode, duration_months, quantity, region,
                                 currency, total_minor, due_now_minor, price_json, status, provisioning_kind,
                                 created_at, paid_at, completed_at, expires_at, auto_renew_months)
             VALUES ($1, 1, $2, $3, $4, $5, FALSE, 1, 'Basic', 'yearly_monthly', 1, 1, 'cn-north-4', 'CNY', 19900, 19900,
                     '{\"lines\":[],\"total\":{\"amount_minor\":19900,\"currency\":\"CNY\"},\"charge\":\"upfront\",\"due_now\":{\"amount_minor\":19900,\"currency\":\"CNY\"}}',
                     'completed', 'none', $6, $7, $8, $9, $10)
             RETURNING id",
        )
        .bind(account_id)
        .bind(seller_id)
        .bind(&product_name)
        .bind(&seller_name)
        .bind(&delivery_method)
        .bind(paid_at - 60)
        .bind(paid_at)
        .bind(paid_at)
        .bind(expires_at)
        .bind((index % 10 == 0).then_some(1))
        .fetch_one(&mut *transaction)
        .await?;
        db::query(
            "INSERT INTO payments (order_id, channel, amount_minor, currency, paid_at) VALUES ($1, 'balance', 19900, 'CNY', $2)",
        )
        .bind(order_id)
        .bind(paid_at)
        .execute(&mut *transaction)
        .await?;
    }
    transaction.commit().await?;
    Ok(())
}

/// When a one-month term ending at `expires_at` was paid: 31 days before, which no month
/// exceeds, so the term is never shorter than one counted from the payment.
fn term_paid_at(expires_at: i64) -> i64 {
    expires_at - Duration::days(31).whole_seconds()
}
