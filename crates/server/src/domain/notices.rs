//! Lifecycle notices to sellers: queued in the transaction of the event they report (so
//! an event is never lost and never told twice: its id is unique), delivered by the
//! lifecycle sweeper with the seller's key like provisioning calls, retried with
//! exponential back-off, and listed for the Seller Console.

use bazaar_core::ids::{OrderId, ProductId};
use bazaar_core::notices::{
    NOTICE_ATTEMPTS, NoticeBody, NoticeKind, NoticeState, SellerNotice, SellerNoticePage, notice_backoff_seconds,
};
use bazaar_core::orders::order_number;

use crate::error::ApiResult;
use crate::infra::clock::from_unix;
use crate::infra::crypto;
use crate::infra::db::{self, Connection, Database, WriteScope, begin_write};
use crate::infra::outbound;
use crate::state::AppState;

/// Queues `kind` for the seller of app `order_id`; `occasion` makes the event id (the same
/// occasion queued twice is one notice). `occurred_at` is when the event happened — for
/// one that time brought about (a freeze, a release) its due time, even when a sweeper
/// that was down queues it later; `now` is when it is queued.
pub async fn queue(
    connection: &mut Connection,
    order_id: OrderId,
    kind: NoticeKind,
    occasion: i64,
    expires_at: Option<i64>,
    occurred_at: i64,
    now: i64,
) -> ApiResult<()> {
    db::query(
        "INSERT INTO seller_notices (event_id, seller_id, order_id, kind, expires_at, occurred_at, state, next_attempt_at)
         SELECT $1, seller_id, id, $2, $3, $4, 'queued', $5 FROM orders WHERE id = $6
         ON CONFLICT (event_id) DO NOTHING",
    )
    .bind(format!("{}-{}-{occasion}", order_number(order_id), kind.as_str()))
    .bind(kind)
    .bind(expires_at)
    .bind(occurred_at)
    .bind(now)
    .bind(order_id)
    .execute(connection)
    .await?;
    Ok(())
}

/// How long a sweep holds a notice it is delivering (longer than the seller's timeout).
const CLAIM_SECONDS: i64 = 60;

#[derive(sqlx::FromRow)]
struct DueNotice {
    id: i64,
    event_id: String,
    seller_id: i64,
    order_id: OrderId,
    product_id: ProductId,
    kind: NoticeKind,
    expires_at: Option<i64>,
    occurred_at: i64,
    #[sqlx(try_from = "i64")]
    attempts: u32,
    notices_url: Option<String>,
}

/// Delivers every notice due at the clock's now; returns (delivered, failed tries).
pub async fn deliver_due(state: &AppState) -> ApiResult<(usize, usize)> {
    let now = state.clock.unix_now();
    let due: Vec<DueNotice> = db::query_as(
        "SELECT n.id, n.event_id, n.seller_id, n.order_id, o.product_id, n.kind, n.expires_at, n.occurred_at,
                n.attempts, s.notices_url
         FROM seller_notices n JOIN orders o ON o.id = n.order_id JOIN sellers s ON s.id = n.seller_id
         WHERE n.state = 'queued' AND n.next_attempt_at <= $1 ORDER BY n.next_attempt_at, n.id LIMIT 100",
    )
    .bind(now)
    .fetch_all(&state.db)
    .await?;
    let (mut delivered, mut failed) = (0, 0);
    for notice in due {
        // Claim it for a while first, so a sweep running at the same time (another
        // instance, say) skips it instead of sending it a second time.
        let claimed = db::query(
            "UPDATE seller_notices SET next_attempt_at = $1 WHERE id = $2 AND state = 'queued' AND next_attempt_at <= $3",
        )
        .bind(now + CLAIM_SECONDS)
        .bind(notice.id)
        .bind(now)
        .execute(&state.db)
        .await?;
        if claimed.rows_affected() == 0 {
            continue;
        }
        let outcome = send(state, &notice, now).await;
        let mut transaction = begin_write(&state.db, WriteScope::Guarded).await?;
        match outcome {
            Ok(()) => {
                db::query(
                    "UPDATE seller_notices SET state = 'delivered', attempts = attempts + 1, delivered_at = $1,
                            last_error = NULL WHERE id = $2 AND state = 'queued'",
                )
                .bind(now)
                .bind(notice.id)
                .execute(&mut *transaction)
                .await?;
                delivered += 1;
            }
            Err(reason) => {
                let attempts = notice.attempts + 1;
                let next_state = if attempts >= NOTICE_ATTEMPTS { NoticeState::Failed } else { NoticeState::Queued };
                db::query(
                    "UPDATE seller_notices SET state = $1, attempts = $2, next_attempt_at = $3, last_error = $4
                     WHERE id = $5 AND state = 'queued'",
                )
                .bind(next_state)
                .bind(i64::from(attempts))
                .bind(now + notice_backoff_seconds(attempts))
                .bind(&reason)
                .bind(notice.id)
                .execute(&mut *transaction)
                .await?;
                tracing::warn!(event_id = notice.event_id, attempts, reason, "seller notice not delivered");
                failed += 1;
            }
        }
        transaction.commit().await?;
    }
    Ok((delivered, failed))
}

/// One signed delivery; `Err` is a reason safe to show the seller.
async fn send(state: &AppState, notice: &DueNotice, now: i64) -> Result<(), String> {
    let key = crate::infra::secrets::seller_key(&state.db, &state.master_keys, notice.seller_id)
        .await
        .ok()
        .flatten()
        .ok_or_else(|| "the seller's key is missing".to_owned())?;
    let url = notice
        .notices_url
        .as_deref()
        .and_then(|url| state.sellers.resolve(url))
        .ok_or_else(|| "the seller has no notices endpoint".to_owned())?;
    let url = outbound::check_seller_url(&url, state.config.demo)?;
    let body = NoticeBody {
        event_id: notice.event_id.clone(),
        kind: notice.kind,
        order_line_id: format!("{}-1", order_number(notice.order_id)),
        order_number: order_number(notice.order_id),
        product_id: notice.product_id,
        expires_at: notice.expires_at.map(from_unix),
        occurred_at: from_unix(notice.occurred_at),
    };
    let body = serde_json::to_vec(&body).map_err(|_| "internal error while encoding the notice".to_owned())?;
    let nonce = hex::encode(rand::random::<[u8; 16]>());
    let signature = crypto::sign_request(&key, now, &nonce, &body);
    let response = state
        .sellers
        .http
        .post(url)
        .header(reqwest::header::CONTENT_TYPE, "application/json")
        .header(crypto::TIMESTAMP_HEADER, now.to_string())
        .header(crypto::NONCE_HEADER, &nonce)
        .header(crypto::SIGNATURE_HEADER, signature)
        .body(body)
        .send()
        .await
        .map_err(|_| "the seller's system could not be reached".to_owned())?;
    if response.status().is_success() {
        Ok(())
    } else {
        Err(format!("the seller's system answered HTTP {}", response.status().as_u16()))
    }
}

#[derive(sqlx::FromRow)]
struct NoticeRow {
    event_id: String,
    kind: NoticeKind,
    order_id: OrderId,
    product_name: String,
    occurred_at: i64,
    state: NoticeState,
    #[sqlx(try_from = "i64")]
    attempts: u32,
    last_error: Option<String>,
    delivered_at: Option<i64>,
}

/// The seller's notices, newest first.
pub async fn list(db: &Database, seller_id: i64, page: u32, page_size: u32) -> ApiResult<SellerNoticePage> {
    let total: i64 = db::query_scalar("SELECT COUNT(*) FROM seller_notices WHERE seller_id = $1")
        .bind(seller_id)
        .fetch_one(db)
        .await?;
    let rows: Vec<NoticeRow> = db::query_as(
        "SELECT n.event_id, n.kind, n.order_id, o.product_name, n.occurred_at, n.state, n.attempts, n.last_error,
                n.delivered_at
         FROM seller_notices n JOIN orders o ON o.id = n.order_id
         WHERE n.seller_id = $1 ORDER BY n.occurred_at DESC, n.id DESC LIMIT $2 OFFSET $3",
    )
    .bind(seller_id)
    .bind(i64::from(page_size))
    .bind(i64::from(page - 1) * i64::from(page_size))
    .fetch_all(db)
    .await?;
    let items = rows
        .into_iter()
        .map(|row| SellerNotice {
            event_id: row.event_id,
            kind: row.kind,
            order_number: order_number(row.order_id),
            product_name: row.product_name,
            occurred_at: from_unix(row.occurred_at),
            state: row.state,
            attempts: row.attempts,
            last_error: row.last_error,
            delivered_at: row.delivered_at.map(from_unix),
        })
        .collect();
    Ok(SellerNoticePage { items, total: u64::try_from(total).unwrap_or(0), page, page_size })
}
