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
use crate::domain::orders::{self, Completing, WriteTransaction};
use crate::error::ApiResult;
use crate::infra::db::{Backend, WriteScope, begin_write};
use crate::state::AppState;
use crate::store;

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
    Ok(store::provisioning::queue_job(transaction, order_id, now).await?)
}

/// Runs the worker until the process ends.
pub async fn run_worker(state: AppState) {
    // One process serves a SQLite file, so every lease left at start-up belongs to a
    // process that died mid-call: release them so the jobs run again now. On PostgreSQL
    // other instances' leases are live; a dead instance's run out within LEASE_SECONDS
    // and another instance takes the job over then.
    if state.db.backend() == Backend::Sqlite
        && let Err(error) = store::provisioning::release_leases(&state.db).await
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

/// Claims the most overdue job, counting the attempt; `(order_id, attempt number)`.
async fn claim_due_job(state: &AppState) -> ApiResult<Option<(OrderId, i64)>> {
    let now = state.clock.unix_now();
    let claimed = store::provisioning::claim_due(&state.db, now, now + LEASE_SECONDS).await?;
    Ok(claimed.map(|claimed| (claimed.order_id, claimed.attempts)))
}

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
    if !store::provisioning::is_queued(&mut transaction, order_id).await? {
        // Another run already finished this job; keep its result.
        return Ok(());
    }
    let instance = store::provisioning::NewInstance {
        order_id,
        instance_id: &provisioned.instance_id,
        frontend_url: provisioned.frontend_url.as_deref(),
        management_url: provisioned.management_url.as_deref(),
        username_sealed: provisioned.username_sealed.as_deref(),
        password_sealed: provisioned.password_sealed.as_deref(),
        server_address: provisioned.server_address.as_deref(),
        login_user: provisioned.login_user.as_deref(),
        now,
    };
    store::provisioning::insert_instance(&mut transaction, instance).await?;
    store::provisioning::mark_succeeded(&mut transaction, order_id, now).await?;
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
        let next = now.saturating_add(wait_seconds);
        store::provisioning::retry_later(&mut transaction, order_id, next, &reason, now).await?;
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
    if !store::provisioning::mark_failed(&mut transaction, order_id, &reason, now).await? {
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
    let (account_id, product_name) = store::orders::buyer_and_product(&mut transaction, order_id).await?;
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
