//! Setting purchases up after payment: the durable job queue, the signed HTTP call to the
//! seller's provisioning endpoint, the cloud server for image products, and what happens
//! on success (the order completes) and on final failure (cancelled and refunded).
//!
//! Jobs live in `provisioning_jobs`, written in the same transaction as the payment, so a
//! paid order always has its job. A worker task claims due jobs with a lease; a crash
//! leaves the lease behind, and the next start (SQLite) or the lease's end (PostgreSQL,
//! where other instances are alive) lets the job run again. Running
//! a job twice is harmless: sellers must treat `order_line_id` as an idempotency key, and
//! the result is stored with `ON CONFLICT DO NOTHING`.

use std::sync::Arc;
use std::time::Duration;

use bazaar_core::ids::OrderId;
use bazaar_core::messages::{MessageLink, MessageTopic};
use tokio::sync::Semaphore;

use crate::domain::messages::{self, Outgoing};
use crate::domain::orders::{self, Completing, JobState, WriteTransaction};
use crate::error::ApiResult;
use crate::infra::db::{self, Backend, WriteScope, begin_write};
use crate::state::AppState;

mod attempt;

pub use attempt::{BuyerContact, ProvisionRequest, ProvisionResponse};
use attempt::{Provisioned, attempt_provisioning};

/// A claimed job is someone's for this long; after that it is due again.
const LEASE_SECONDS: i64 = 60;
/// Jobs run at the same time (one slow seller must not hold up everyone else).
const CONCURRENT_JOBS: usize = 8;
/// How often the worker looks for due jobs when nothing wakes it.
const POLL_INTERVAL: Duration = Duration::from_millis(500);

/// Queues the set-up of a just-paid order (in the payment's transaction).
pub async fn queue_job(transaction: &mut WriteTransaction, order_id: OrderId, now: i64) -> ApiResult<()> {
    db::query(
        "INSERT INTO provisioning_jobs (order_id, state, next_attempt_at, updated_at) VALUES ($1, $2, $3, $4)
         ON CONFLICT (order_id) DO NOTHING",
    )
    .bind(order_id)
    .bind(JobState::Queued)
    .bind(now)
    .bind(now)
    .execute(&mut **transaction)
    .await?;
    Ok(())
}

/// Runs the worker until the process ends.
pub async fn run_worker(state: AppState) {
    // One process serves a SQLite file, so every lease left at start-up belongs to a
    // process that died mid-call: release them so the jobs run again now. On PostgreSQL
    // other instances' leases are live; a dead instance's run out within LEASE_SECONDS
    // and another instance takes the job over then.
    if state.db.backend() == Backend::Sqlite
        && let Err(error) = db::query("UPDATE provisioning_jobs SET lease_until = NULL WHERE state = $1")
            .bind(JobState::Queued)
            .execute(&state.db)
            .await
    {
        tracing::error!(%error, "could not release provisioning leases");
    }
    let permits = Arc::new(Semaphore::new(CONCURRENT_JOBS));
    loop {
        loop {
            let Ok(permit) = permits.clone().acquire_owned().await else { return };
            match claim_due_job(&state).await {
                Ok(Some((order_id, attempt))) => {
                    let state = state.clone();
                    tokio::spawn(async move {
                        run_job(&state, order_id, attempt).await;
                        drop(permit);
                    });
                }
                Ok(None) => break,
                Err(error) => {
                    tracing::error!(%error, "could not claim a provisioning job");
                    break;
                }
            }
        }
        tokio::select! {
            () = state.provisioning_work.woken() => {}
            () = tokio::time::sleep(POLL_INTERVAL) => {}
        }
    }
}

#[derive(sqlx::FromRow)]
struct Claimed {
    order_id: OrderId,
    attempts: i64,
}

/// Claims the most overdue job, counting the attempt; `(order_id, attempt number)`.
///
/// Several instances claim at once on PostgreSQL: `SKIP LOCKED` lets each pass over a job
/// another is claiming and take the next, and the outer conditions, checked again on the
/// row as it is after a concurrent claim, make a lost race claim nothing rather than the
/// same job twice. (One SQLite file has one writer at a time, so neither arises there.)
async fn claim_due_job(state: &AppState) -> ApiResult<Option<(OrderId, i64)>> {
    let now = state.clock.unix_now();
    let sql = match state.db.backend() {
        Backend::Sqlite => format!("{CLAIM_HEAD} {DUE_JOBS} ORDER BY next_attempt_at LIMIT 1) {CLAIM_TAIL}"),
        Backend::Postgres => {
            format!("{CLAIM_HEAD} {DUE_JOBS} ORDER BY next_attempt_at LIMIT 1 FOR UPDATE SKIP LOCKED) {CLAIM_TAIL}")
        }
    };
    let claimed: Option<Claimed> =
        db::query_as(&sql).bind(now + LEASE_SECONDS).bind(now).bind(JobState::Queued).fetch_optional(&state.db).await?;
    Ok(claimed.map(|claimed| (claimed.order_id, claimed.attempts)))
}

/// Queued, due, and nobody's (or a lease that ran out): $2 is now, $3 the queued state.
const DUE_JOBS: &str = "state = $3 AND next_attempt_at <= $2 AND (lease_until IS NULL OR lease_until < $2)";
const CLAIM_HEAD: &str = "UPDATE provisioning_jobs SET lease_until = $1, attempts = attempts + 1, updated_at = $2
     WHERE order_id = (SELECT order_id FROM provisioning_jobs WHERE";
const CLAIM_TAIL: &str = "AND state = $3 AND next_attempt_at <= $2 AND (lease_until IS NULL OR lease_until < $2)
     RETURNING order_id, attempts";

async fn run_job(state: &AppState, order_id: OrderId, attempt: i64) {
    let outcome = attempt_provisioning(state, order_id).await;
    let recorded = match outcome {
        Ok(provisioned) => record_success(state, order_id, provisioned).await,
        Err(reason) => record_failure(state, order_id, attempt, reason).await,
    };
    if let Err(error) = recorded {
        // The lease runs out and the job is retried; nothing is lost.
        tracing::error!(%order_id, %error, "could not record a provisioning result");
    }
}

async fn record_success(state: &AppState, order_id: OrderId, provisioned: Provisioned) -> ApiResult<()> {
    let now = state.clock.unix_now();
    let buyer = orders::buyer_of(&state.db, order_id).await?;
    let mut transaction = begin_write(&state.db, WriteScope::Account(buyer)).await?;
    let queued: Option<i32> = db::query_scalar("SELECT 1 FROM provisioning_jobs WHERE order_id = $1 AND state = $2")
        .bind(order_id)
        .bind(JobState::Queued)
        .fetch_optional(&mut *transaction)
        .await?;
    if queued.is_none() {
        // Another run already finished this job; keep its result.
        return Ok(());
    }
    db::query(
        "INSERT INTO instances (order_id, instance_id, frontend_url, management_url, username_ciphertext,
                                password_ciphertext, server_address, login_user, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (order_id) DO NOTHING",
    )
    .bind(order_id)
    .bind(&provisioned.instance_id)
    .bind(&provisioned.frontend_url)
    .bind(&provisioned.management_url)
    .bind(&provisioned.username_sealed)
    .bind(&provisioned.password_sealed)
    .bind(&provisioned.server_address)
    .bind(&provisioned.login_user)
    .bind(now)
    .execute(&mut *transaction)
    .await?;
    db::query(
        "UPDATE provisioning_jobs SET state = $1, lease_until = NULL, last_error = NULL, updated_at = $2
         WHERE order_id = $3",
    )
    .bind(JobState::Succeeded)
    .bind(now)
    .bind(order_id)
    .execute(&mut *transaction)
    .await?;
    // Supervised products stay Processing until their supervision flow completes.
    orders::complete(&mut transaction, order_id, now, Completing::SetUpFinished).await?;
    transaction.commit().await?;
    tracing::info!(%order_id, instance_id = %provisioned.instance_id, "provisioned");
    Ok(())
}

async fn record_failure(state: &AppState, order_id: OrderId, attempt: i64, reason: String) -> ApiResult<()> {
    let now = state.clock.unix_now();
    let max_attempts = i64::from(state.config.provisioning_attempts.max(1));
    let buyer = orders::buyer_of(&state.db, order_id).await?;
    let mut transaction = begin_write(&state.db, WriteScope::Account(buyer)).await?;
    if attempt < max_attempts {
        let backoff_ms = state.config.provisioning_backoff_ms.saturating_mul(1 << (attempt - 1).clamp(0, 16));
        let wait_seconds = i64::try_from(backoff_ms.div_ceil(1000)).unwrap_or(i64::MAX / 4);
        db::query(
            "UPDATE provisioning_jobs SET lease_until = NULL, next_attempt_at = $1, last_error = $2, updated_at = $3
             WHERE order_id = $4 AND state = $5",
        )
        .bind(now.saturating_add(wait_seconds))
        .bind(&reason)
        .bind(now)
        .bind(order_id)
        .bind(JobState::Queued)
        .execute(&mut *transaction)
        .await?;
        transaction.commit().await?;
        tracing::warn!(%order_id, attempt, %reason, "provisioning attempt failed; will retry");
        // A sub-second backoff would otherwise wait for the next poll.
        let work = state.provisioning_work.clone();
        tokio::spawn(async move {
            tokio::time::sleep(Duration::from_millis(backoff_ms)).await;
            work.wake();
        });
        return Ok(());
    }
    let updated = db::query(
        "UPDATE provisioning_jobs SET state = $1, lease_until = NULL, last_error = $2, updated_at = $3
         WHERE order_id = $4 AND state = $5",
    )
    .bind(JobState::Failed)
    .bind(&reason)
    .bind(now)
    .bind(order_id)
    .bind(JobState::Queued)
    .execute(&mut *transaction)
    .await?;
    if updated.rows_affected() == 0 {
        return Ok(());
    }
    let detail = format!("Provisioning failed after {attempt} attempts: {reason}. The payment was refunded.");
    orders::cancel_and_refund(
        &mut transaction,
        order_id,
        bazaar_core::orders::CancelReasonCode::ProvisioningFailed,
        &detail,
        now,
    )
    .await?;
    let (account_id, product_name): (bazaar_core::ids::AccountId, String) =
        db::query_as("SELECT account_id, product_name FROM orders WHERE id = $1")
            .bind(order_id)
            .fetch_one(&mut *transaction)
            .await?;
    let message = Outgoing {
        account_id,
        topic: MessageTopic::ProvisioningFailed,
        subject: &product_name,
        order_id,
        link: MessageLink::Order { order_id },
        at: None,
        due_at: None,
        dedupe_key: format!("provisioning_failed:{order_id}"),
    };
    messages::send(&mut transaction, message, now).await?;
    transaction.commit().await?;
    tracing::warn!(%order_id, attempt, %reason, "provisioning failed; order cancelled and refunded");
    Ok(())
}
