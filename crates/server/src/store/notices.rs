//! `seller_notices`: lifecycle notices queued for sellers, their delivery state and tries.

use bazaar_core::ids::{OrderId, ProductId};
use bazaar_core::notices::{NoticeKind, NoticeState};

use crate::infra::db::{self, Connection, Database};

/// A notice to queue; the same `event_id` queued twice is one notice.
pub struct NewNotice<'a> {
    pub event_id: &'a str,
    pub order_id: OrderId,
    pub kind: NoticeKind,
    pub expires_at: Option<i64>,
    pub occurred_at: i64,
    pub now: i64,
}

/// Queues the notice for the seller of its order (nothing when the event is queued already).
pub async fn queue(connection: &mut Connection, notice: NewNotice<'_>) -> Result<(), sqlx::Error> {
    db::query(
        "INSERT INTO seller_notices (event_id, seller_id, order_id, kind, expires_at, occurred_at, state, next_attempt_at)
         SELECT $1, seller_id, id, $2, $3, $4, 'queued', $5 FROM orders WHERE id = $6
         ON CONFLICT (event_id) DO NOTHING",
    )
    .bind(notice.event_id)
    .bind(notice.kind)
    .bind(notice.expires_at)
    .bind(notice.occurred_at)
    .bind(notice.now)
    .bind(notice.order_id)
    .execute(connection)
    .await?;
    Ok(())
}

/// A queued notice whose next try has come, with what sending it needs.
#[derive(Debug, sqlx::FromRow)]
pub struct DueNotice {
    pub id: i64,
    pub event_id: String,
    pub seller_id: i64,
    pub order_id: OrderId,
    pub product_id: ProductId,
    pub kind: NoticeKind,
    pub expires_at: Option<i64>,
    pub occurred_at: i64,
    #[sqlx(try_from = "i64")]
    pub attempts: u32,
    pub notices_url: Option<String>,
    /// The app's quantity now.
    pub quantity: i64,
}

/// Up to `limit` notices due at `now`, the longest waiting first.
pub async fn due(db: &Database, now: i64, limit: i64) -> Result<Vec<DueNotice>, sqlx::Error> {
    db::query_as(
        "SELECT n.id, n.event_id, n.seller_id, n.order_id, o.product_id, n.kind, n.expires_at, n.occurred_at,
                n.attempts, s.notices_url, o.quantity
         FROM seller_notices n JOIN orders o ON o.id = n.order_id JOIN sellers s ON s.id = n.seller_id
         WHERE n.state = 'queued' AND n.next_attempt_at <= $1 ORDER BY n.next_attempt_at, n.id LIMIT $2",
    )
    .bind(now)
    .bind(limit)
    .fetch_all(db)
    .await
}

/// Holds a due notice until `until`, so that a sweep running at the same time skips it;
/// `false` when another sweep claimed it first.
pub async fn claim(db: &Database, notice_id: i64, now: i64, until: i64) -> Result<bool, sqlx::Error> {
    let claimed = db::query(
        "UPDATE seller_notices SET next_attempt_at = $1 WHERE id = $2 AND state = 'queued' AND next_attempt_at <= $3",
    )
    .bind(until)
    .bind(notice_id)
    .bind(now)
    .execute(db)
    .await?;
    Ok(claimed.rows_affected() == 1)
}

pub async fn delivered(connection: &mut Connection, notice_id: i64, now: i64) -> Result<(), sqlx::Error> {
    db::query(
        "UPDATE seller_notices SET state = 'delivered', attempts = attempts + 1, delivered_at = $1,
                last_error = NULL WHERE id = $2 AND state = 'queued'",
    )
    .bind(now)
    .bind(notice_id)
    .execute(connection)
    .await?;
    Ok(())
}

/// A failed try: the notice's new state, tries, next try and the reason.
pub struct FailedTry<'a> {
    pub state: NoticeState,
    pub attempts: u32,
    pub next_attempt_at: i64,
    pub reason: &'a str,
}

pub async fn failed(connection: &mut Connection, notice_id: i64, failure: FailedTry<'_>) -> Result<(), sqlx::Error> {
    db::query(
        "UPDATE seller_notices SET state = $1, attempts = $2, next_attempt_at = $3, last_error = $4
         WHERE id = $5 AND state = 'queued'",
    )
    .bind(failure.state)
    .bind(i64::from(failure.attempts))
    .bind(failure.next_attempt_at)
    .bind(failure.reason)
    .bind(notice_id)
    .execute(connection)
    .await?;
    Ok(())
}

/// A notice as the Seller Console lists it.
#[derive(Debug, sqlx::FromRow)]
pub struct NoticeRow {
    pub event_id: String,
    pub kind: NoticeKind,
    pub order_id: OrderId,
    pub product_name: String,
    pub occurred_at: i64,
    pub state: NoticeState,
    #[sqlx(try_from = "i64")]
    pub attempts: u32,
    pub last_error: Option<String>,
    pub delivered_at: Option<i64>,
}

pub async fn count_of_seller(db: &Database, seller_id: i64) -> Result<i64, sqlx::Error> {
    db::query_scalar("SELECT COUNT(*) FROM seller_notices WHERE seller_id = $1").bind(seller_id).fetch_one(db).await
}

/// One page of the seller's notices, newest first.
pub async fn page_of_seller(
    db: &Database,
    seller_id: i64,
    limit: i64,
    offset: i64,
) -> Result<Vec<NoticeRow>, sqlx::Error> {
    db::query_as(
        "SELECT n.event_id, n.kind, n.order_id, o.product_name, n.occurred_at, n.state, n.attempts, n.last_error,
                n.delivered_at
         FROM seller_notices n JOIN orders o ON o.id = n.order_id
         WHERE n.seller_id = $1 ORDER BY n.occurred_at DESC, n.id DESC LIMIT $2 OFFSET $3",
    )
    .bind(seller_id)
    .bind(limit)
    .bind(offset)
    .fetch_all(db)
    .await
}
