//! Setting purchases up after payment: the durable job queue, the signed HTTP call to the
//! seller's provisioning endpoint, the cloud server for image products, and what happens
//! on success (the order completes) and on final failure (cancelled and refunded).
//!
//! Jobs live in `provisioning_jobs`, written in the same transaction as the payment, so a
//! paid order always has its job. A worker task claims due jobs with a lease; a crash
//! leaves the lease behind, and the next start releases it so the job runs again. Running
//! a job twice is harmless: sellers must treat `order_line_id` as an idempotency key, and
//! the result is stored with `ON CONFLICT DO NOTHING`.

use std::sync::Arc;
use std::time::Duration;

use bazaar_core::orders::order_number;
use serde::{Deserialize, Serialize};
use tokio::sync::Semaphore;
use utoipa::ToSchema;

use crate::domain::orders::{self, Completing, JobState, ProvisioningKind, WriteTransaction};
use crate::error::ApiResult;
use crate::infra::crypto::{self, SecretKey};
use crate::infra::db::begin_write;
use crate::state::AppState;
use crate::{infra::outbound, infra::secrets};
use bazaar_core::ids::{AccountId, OrderId, ProductId};

/// A claimed job is someone's for this long; after that it is due again.
const LEASE_SECONDS: i64 = 60;
/// Jobs run at the same time (one slow seller must not hold up everyone else).
const CONCURRENT_JOBS: usize = 8;
/// How often the worker looks for due jobs when nothing wakes it.
const POLL_INTERVAL: Duration = Duration::from_millis(500);

/// The body of a provisioning request to a seller.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ProvisionRequest {
    /// Idempotency key: the same line always gets the same instance.
    pub order_line_id: String,
    pub order_number: String,
    pub product_id: i64,
    pub product_name: String,
    pub sku_id: i64,
    pub sku_name: String,
    pub quantity: i64,
    pub region: String,
    pub billing_mode: String,
    /// Present only when the buyer authorised sharing them with this seller.
    pub buyer_contact: Option<BuyerContact>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, sqlx::FromRow)]
pub struct BuyerContact {
    pub mobile: String,
    pub email: String,
    pub iam_user_name: String,
}

/// A seller's answer: the instance and its application information. The user name and
/// password are AES-256-GCM sealed with the seller's key (base64 of nonce ‖ ciphertext).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ProvisionResponse {
    pub instance_id: String,
    pub frontend_url: String,
    pub management_url: String,
    pub username_sealed: String,
    pub password_sealed: String,
}

/// Queues the set-up of a just-paid order (in the payment's transaction).
pub async fn queue_job(transaction: &mut WriteTransaction, order_id: OrderId, now: i64) -> ApiResult<()> {
    sqlx::query(
        "INSERT INTO provisioning_jobs (order_id, state, next_attempt_at, updated_at) VALUES (?, ?, ?, ?)
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
    // Only one server process works on a database, so every lease left at start-up
    // belongs to a process that died mid-call: release them so the jobs run again.
    if let Err(error) = sqlx::query("UPDATE provisioning_jobs SET lease_until = NULL WHERE state = ?")
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
async fn claim_due_job(state: &AppState) -> ApiResult<Option<(OrderId, i64)>> {
    let now = state.clock.unix_now();
    let claimed: Option<Claimed> = sqlx::query_as(
        "UPDATE provisioning_jobs SET lease_until = ?, attempts = attempts + 1, updated_at = ?
         WHERE order_id = (SELECT order_id FROM provisioning_jobs
                           WHERE state = ? AND next_attempt_at <= ? AND (lease_until IS NULL OR lease_until < ?)
                           ORDER BY next_attempt_at LIMIT 1)
         RETURNING order_id, attempts",
    )
    .bind(now + LEASE_SECONDS)
    .bind(now)
    .bind(JobState::Queued)
    .bind(now)
    .bind(now)
    .fetch_optional(&state.db)
    .await?;
    Ok(claimed.map(|claimed| (claimed.order_id, claimed.attempts)))
}

/// What one attempt produced.
struct Provisioned {
    instance_id: String,
    frontend_url: Option<String>,
    management_url: Option<String>,
    username_sealed: Option<Vec<u8>>,
    password_sealed: Option<Vec<u8>>,
    server_address: Option<String>,
    login_user: Option<String>,
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

#[derive(sqlx::FromRow)]
struct JobOrder {
    account_id: AccountId,
    seller_id: i64,
    product_id: ProductId,
    product_name: String,
    sku_id: i64,
    sku_name: String,
    quantity: i64,
    region: String,
    billing_mode: String,
    provisioning_kind: ProvisioningKind,
    provisioning_url: Option<String>,
    vpc_cidr: Option<String>,
    consented: bool,
}

/// One attempt; `Err` carries a reason safe to show the buyer and to log.
async fn attempt_provisioning(state: &AppState, order_id: OrderId) -> Result<Provisioned, String> {
    let order: JobOrder = sqlx::query_as(
        "SELECT o.account_id, o.seller_id, o.product_id, o.product_name, o.sku_id, o.sku_name, o.quantity, o.region,
                o.billing_mode, o.provisioning_kind, s.provisioning_url,
                v.cidr AS vpc_cidr, EXISTS (SELECT 1 FROM order_consents c WHERE c.order_id = o.id) AS consented
         FROM orders o JOIN sellers s ON s.id = o.seller_id LEFT JOIN vpcs v ON v.id = o.vpc_id
         WHERE o.id = ?",
    )
    .bind(order_id)
    .fetch_one(&state.db)
    .await
    .map_err(|error| {
        tracing::error!(%order_id, %error, "loading order for provisioning");
        "internal error while reading the order".to_owned()
    })?;
    match order.provisioning_kind {
        ProvisioningKind::Cloud => Ok(create_cloud_server(order_id, order.vpc_cidr.as_deref())),
        ProvisioningKind::Seller => call_seller(state, order_id, &order).await,
        ProvisioningKind::None => Err("nothing to provision".to_owned()),
    }
}

/// The simulated cloud: a server with a private address inside the buyer's VPC.
fn create_cloud_server(order_id: OrderId, vpc_cidr: Option<&str>) -> Provisioned {
    let order_id = order_id.0;
    // CIDRs are 10.N.0.0/16; hosts start at .4 (the first addresses are the cloud's).
    let network = vpc_cidr.and_then(|cidr| cidr.split('/').next()).unwrap_or("10.0.0.0");
    let octets: Vec<&str> = network.split('.').collect();
    let host = order_id.rem_euclid(250) + 4;
    let third = (order_id / 250).rem_euclid(250);
    let address = format!("{}.{}.{third}.{host}", octets.first().unwrap_or(&"10"), octets.get(1).unwrap_or(&"0"));
    Provisioned {
        instance_id: format!("ecs-{}", hex::encode(rand::random::<[u8; 6]>())),
        frontend_url: Some(format!("https://{address}/")),
        management_url: None,
        username_sealed: None,
        password_sealed: None,
        server_address: Some(address),
        login_user: Some(bazaar_core::orders::SERVER_LOGIN_USER.to_owned()),
    }
}

async fn call_seller(state: &AppState, order_id: OrderId, order: &JobOrder) -> Result<Provisioned, String> {
    let seller_key: SecretKey = crate::infra::secrets::seller_key(&state.db, &state.master_keys, order.seller_id)
        .await
        .ok()
        .flatten()
        .ok_or_else(|| "the seller's key is missing or invalid".to_owned())?;
    let url = order
        .provisioning_url
        .as_deref()
        .and_then(|url| state.sellers.resolve(url))
        .ok_or_else(|| "the seller has no provisioning endpoint".to_owned())?;
    let url = outbound::check_seller_url(&url, state.config.demo)?;
    let buyer_contact = if order.consented {
        sqlx::query_as::<_, BuyerContact>("SELECT mobile, email, iam_user_name FROM accounts WHERE id = ?")
            .bind(order.account_id)
            .fetch_optional(&state.db)
            .await
            .map_err(|_| "internal error while reading the buyer's contact".to_owned())?
    } else {
        None
    };
    let request = ProvisionRequest {
        order_line_id: format!("{}-1", order_number(order_id)),
        order_number: order_number(order_id),
        product_id: order.product_id.0,
        product_name: order.product_name.clone(),
        sku_id: order.sku_id,
        sku_name: order.sku_name.clone(),
        quantity: order.quantity,
        region: order.region.clone(),
        billing_mode: order.billing_mode.clone(),
        buyer_contact,
    };
    let body = serde_json::to_vec(&request).map_err(|_| "internal error while encoding the request".to_owned())?;
    let timestamp = state.clock.unix_now();
    let nonce = hex::encode(rand::random::<[u8; 16]>());
    let signature = crypto::sign_request(&seller_key, timestamp, &nonce, &body);
    let response = state
        .sellers
        .http
        .post(url)
        .header(reqwest::header::CONTENT_TYPE, "application/json")
        .header(crypto::TIMESTAMP_HEADER, timestamp.to_string())
        .header(crypto::NONCE_HEADER, &nonce)
        .header(crypto::SIGNATURE_HEADER, signature)
        .body(body)
        .send()
        .await
        .map_err(|error| {
            if error.is_timeout() {
                "the seller's system did not answer in time".to_owned()
            } else {
                "the seller's system could not be reached".to_owned()
            }
        })?;
    let status = response.status();
    if !status.is_success() {
        return Err(format!("the seller's system answered HTTP {}", status.as_u16()));
    }
    let body = outbound::read_limited(response, outbound::MAX_SELLER_RESPONSE_BYTES).await?;
    let answer: ProvisionResponse =
        serde_json::from_slice(&body).map_err(|_| "the seller's system sent an unreadable answer".to_owned())?;
    let frontend_url = outbound::check_app_url(&answer.frontend_url)?;
    let management_url = outbound::check_app_url(&answer.management_url)?;
    if answer.instance_id.is_empty()
        || answer.instance_id.len() > 100
        || !answer.instance_id.bytes().all(|b| b.is_ascii_alphanumeric() || b"-_.:".contains(&b))
    {
        return Err("the seller's system sent an invalid instance id".to_owned());
    }
    // Open with the seller's key, seal again with ours: nothing is stored in plain text.
    let username = seller_key
        .open_base64(&answer.username_sealed)
        .map_err(|_| "the seller's credentials did not decrypt".to_owned())?;
    let password = seller_key
        .open_base64(&answer.password_sealed)
        .map_err(|_| "the seller's credentials did not decrypt".to_owned())?;
    if username.is_empty() || username.chars().count() > 200 || password.is_empty() || password.chars().count() > 200 {
        return Err("the seller's system sent unusable credentials".to_owned());
    }
    Ok(Provisioned {
        instance_id: answer.instance_id,
        frontend_url: Some(frontend_url),
        management_url: Some(management_url),
        username_sealed: Some(
            state.master_keys.seal_string(secrets::app_secret_at(secrets::APP_USERNAME, order_id), &username),
        ),
        password_sealed: Some(
            state.master_keys.seal_string(secrets::app_secret_at(secrets::APP_PASSWORD, order_id), &password),
        ),
        server_address: None,
        login_user: None,
    })
}

async fn record_success(state: &AppState, order_id: OrderId, provisioned: Provisioned) -> ApiResult<()> {
    let now = state.clock.unix_now();
    let mut transaction = begin_write(&state.db).await?;
    let queued: Option<i64> = sqlx::query_scalar("SELECT 1 FROM provisioning_jobs WHERE order_id = ? AND state = ?")
        .bind(order_id)
        .bind(JobState::Queued)
        .fetch_optional(&mut *transaction)
        .await?;
    if queued.is_none() {
        // Another run already finished this job; keep its result.
        return Ok(());
    }
    sqlx::query(
        "INSERT INTO instances (order_id, instance_id, frontend_url, management_url, username_ciphertext,
                                password_ciphertext, server_address, login_user, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (order_id) DO NOTHING",
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
    sqlx::query(
        "UPDATE provisioning_jobs SET state = ?, lease_until = NULL, last_error = NULL, updated_at = ?
         WHERE order_id = ?",
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
    let mut transaction = begin_write(&state.db).await?;
    if attempt < max_attempts {
        let backoff_ms = state.config.provisioning_backoff_ms.saturating_mul(1 << (attempt - 1).clamp(0, 16));
        let wait_seconds = i64::try_from(backoff_ms.div_ceil(1000)).unwrap_or(i64::MAX / 4);
        sqlx::query(
            "UPDATE provisioning_jobs SET lease_until = NULL, next_attempt_at = ?, last_error = ?, updated_at = ?
             WHERE order_id = ? AND state = ?",
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
    let updated = sqlx::query(
        "UPDATE provisioning_jobs SET state = ?, lease_until = NULL, last_error = ?, updated_at = ?
         WHERE order_id = ? AND state = ?",
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
    transaction.commit().await?;
    tracing::warn!(%order_id, attempt, %reason, "provisioning failed; order cancelled and refunded");
    Ok(())
}
