//! `provisioning_jobs` (one durable set-up job per paid order, claimed under a lease) and
//! the `instances` the sellers set up; plus what a set-up attempt reads of its order.

use bazaar_core::ids::{AccountId, OrderId, ProductId};

use crate::infra::db::{self, Backend, Connection, Database};
use crate::store::orders::{JobState, ProvisioningKind};

/// Queues the order's job, due at `now` (once: a second queueing does nothing).
pub async fn queue_job(connection: &mut Connection, order_id: OrderId, now: i64) -> Result<(), sqlx::Error> {
    db::query(
        "INSERT INTO provisioning_jobs (order_id, state, next_attempt_at, updated_at) VALUES ($1, $2, $3, $4)
         ON CONFLICT (order_id) DO NOTHING",
    )
    .bind(order_id)
    .bind(JobState::Queued)
    .bind(now)
    .bind(now)
    .execute(connection)
    .await?;
    Ok(())
}

/// Frees every queued job's lease (one instance, starting: nobody else holds them).
pub async fn release_leases(db: &Database) -> Result<(), sqlx::Error> {
    db::query("UPDATE provisioning_jobs SET lease_until = NULL WHERE state = $1")
        .bind(JobState::Queued)
        .execute(db)
        .await?;
    Ok(())
}

/// Claims the job that is queued, due, and nobody's (or whose lease ran out) and most
/// overdue: $1 the new lease's end, $2 now, $3 the queued state.
const CLAIM_SQLITE: &str =
    "/* SQLite */ UPDATE provisioning_jobs SET lease_until = $1, attempts = attempts + 1, updated_at = $2
     WHERE order_id = (SELECT order_id FROM provisioning_jobs
                       WHERE state = $3 AND next_attempt_at <= $2 AND (lease_until IS NULL OR lease_until < $2)
                       ORDER BY next_attempt_at LIMIT 1)
       AND state = $3 AND next_attempt_at <= $2 AND (lease_until IS NULL OR lease_until < $2)
     RETURNING order_id, attempts";
/// The same, passing over the rows other instances are claiming (`SKIP LOCKED`).
const CLAIM_POSTGRES: &str =
    "/* PostgreSQL */ UPDATE provisioning_jobs SET lease_until = $1, attempts = attempts + 1, updated_at = $2
     WHERE order_id = (SELECT order_id FROM provisioning_jobs
                       WHERE state = $3 AND next_attempt_at <= $2 AND (lease_until IS NULL OR lease_until < $2)
                       ORDER BY next_attempt_at LIMIT 1 FOR UPDATE SKIP LOCKED)
       AND state = $3 AND next_attempt_at <= $2 AND (lease_until IS NULL OR lease_until < $2)
     RETURNING order_id, attempts";

#[derive(Debug, sqlx::FromRow)]
pub struct Claimed {
    pub order_id: OrderId,
    pub attempts: i64,
}

/// Claims the most overdue job until `lease_until`, counting the attempt.
///
/// Several instances claim at once on PostgreSQL: `SKIP LOCKED` lets each pass over a job
/// another is claiming and take the next, and the outer conditions, checked again on the
/// row as it is after a concurrent claim, make a lost race claim nothing rather than the
/// same job twice. (One SQLite file has one writer at a time, so neither arises there.)
pub async fn claim_due(db: &Database, now: i64, lease_until: i64) -> Result<Option<Claimed>, sqlx::Error> {
    let sql = match db.backend() {
        Backend::Sqlite => CLAIM_SQLITE,
        Backend::Postgres => CLAIM_POSTGRES,
    };
    db::query_as(sql).bind(lease_until).bind(now).bind(JobState::Queued).fetch_optional(db).await
}

/// Whether the order's job is still queued (not finished by another run).
pub async fn is_queued(connection: &mut Connection, order_id: OrderId) -> Result<bool, sqlx::Error> {
    let queued: Option<i32> = db::query_scalar("SELECT 1 FROM provisioning_jobs WHERE order_id = $1 AND state = $2")
        .bind(order_id)
        .bind(JobState::Queued)
        .fetch_optional(connection)
        .await?;
    Ok(queued.is_some())
}

/// The instance a seller set up.
pub struct NewInstance<'a> {
    pub order_id: OrderId,
    pub instance_id: &'a str,
    pub frontend_url: Option<&'a str>,
    pub management_url: Option<&'a str>,
    pub username_sealed: Option<&'a [u8]>,
    pub password_sealed: Option<&'a [u8]>,
    pub server_address: Option<&'a str>,
    pub login_user: Option<&'a str>,
    pub now: i64,
}

/// Records the instance (once per order).
pub async fn insert_instance(connection: &mut Connection, instance: NewInstance<'_>) -> Result<(), sqlx::Error> {
    db::query(
        "INSERT INTO instances (order_id, instance_id, frontend_url, management_url, username_ciphertext,
                                password_ciphertext, server_address, login_user, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (order_id) DO NOTHING",
    )
    .bind(instance.order_id)
    .bind(instance.instance_id)
    .bind(instance.frontend_url)
    .bind(instance.management_url)
    .bind(instance.username_sealed)
    .bind(instance.password_sealed)
    .bind(instance.server_address)
    .bind(instance.login_user)
    .bind(instance.now)
    .execute(connection)
    .await?;
    Ok(())
}

pub async fn mark_succeeded(connection: &mut Connection, order_id: OrderId, now: i64) -> Result<(), sqlx::Error> {
    db::query(
        "UPDATE provisioning_jobs SET state = $1, lease_until = NULL, last_error = NULL, updated_at = $2
         WHERE order_id = $3",
    )
    .bind(JobState::Succeeded)
    .bind(now)
    .bind(order_id)
    .execute(connection)
    .await?;
    Ok(())
}

/// A failed try: due again at `next_attempt_at`, with the reason.
pub async fn retry_later(
    connection: &mut Connection,
    order_id: OrderId,
    next_attempt_at: i64,
    reason: &str,
    now: i64,
) -> Result<(), sqlx::Error> {
    db::query(
        "UPDATE provisioning_jobs SET lease_until = NULL, next_attempt_at = $1, last_error = $2, updated_at = $3
         WHERE order_id = $4 AND state = $5",
    )
    .bind(next_attempt_at)
    .bind(reason)
    .bind(now)
    .bind(order_id)
    .bind(JobState::Queued)
    .execute(connection)
    .await?;
    Ok(())
}

/// The job failed for good; `false` when it was not queued any more.
pub async fn mark_failed(
    connection: &mut Connection,
    order_id: OrderId,
    reason: &str,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let updated = db::query(
        "UPDATE provisioning_jobs SET state = $1, lease_until = NULL, last_error = $2, updated_at = $3
         WHERE order_id = $4 AND state = $5",
    )
    .bind(JobState::Failed)
    .bind(reason)
    .bind(now)
    .bind(order_id)
    .bind(JobState::Queued)
    .execute(connection)
    .await?;
    Ok(updated.rows_affected() == 1)
}

/// What a set-up attempt needs of its order, its seller and its VPC.
#[derive(Debug, sqlx::FromRow)]
pub struct JobOrder {
    pub account_id: AccountId,
    pub seller_id: i64,
    pub product_id: ProductId,
    pub product_name: String,
    pub sku_id: i64,
    pub sku_name: String,
    pub quantity: i64,
    pub region: String,
    pub billing_mode: String,
    pub provisioning_kind: ProvisioningKind,
    pub provisioning_url: Option<String>,
    pub vpc_cidr: Option<String>,
    pub consented: bool,
    /// A free trial: when it ends (nothing is billed unless the buyer buys it).
    pub trial_ends_at: Option<i64>,
}

pub async fn job_order(db: &Database, order_id: OrderId) -> Result<JobOrder, sqlx::Error> {
    db::query_as(
        "SELECT o.account_id, o.seller_id, o.product_id, o.product_name, o.sku_id, o.sku_name, o.quantity, o.region,
                o.billing_mode, o.provisioning_kind, s.provisioning_url,
                v.cidr AS vpc_cidr, EXISTS (SELECT 1 FROM order_consents c WHERE c.order_id = o.id) AS consented,
                t.ends_at AS trial_ends_at
         FROM orders o JOIN sellers s ON s.id = o.seller_id LEFT JOIN vpcs v ON v.id = o.vpc_id
         LEFT JOIN trials t ON t.app_id = o.id
         WHERE o.id = $1",
    )
    .bind(order_id)
    .fetch_one(db)
    .await
}
