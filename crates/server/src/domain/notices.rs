//! Lifecycle notices to sellers: queued in the transaction of the event they report (so
//! an event is never lost and never told twice: its id is unique), delivered by the
//! lifecycle sweeper with the seller's key like provisioning calls, retried with
//! exponential back-off, and listed for the Seller Console.

use bazaar_core::ids::OrderId;
use bazaar_core::notices::{
    NOTICE_ATTEMPTS, NoticeBody, NoticeKind, NoticeState, SellerNotice, SellerNoticePage, notice_backoff_seconds,
};
use bazaar_core::orders::order_number;

use crate::error::ApiResult;
use crate::infra::clock::from_unix;
use crate::infra::crypto;
use crate::infra::db::{Connection, Database, WriteScope, begin_write};
use crate::infra::outbound;
use crate::state::AppState;
use crate::store;
use crate::store::notices::DueNotice;

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
    let event_id = format!("{}-{}-{occasion}", order_number(order_id), kind.as_str());
    let notice = store::notices::NewNotice { event_id: &event_id, order_id, kind, expires_at, occurred_at, now };
    store::notices::queue(connection, notice).await?;
    Ok(())
}

/// How long a sweep holds a notice it is delivering (longer than the seller's timeout).
const CLAIM_SECONDS: i64 = 60;

/// Delivers every notice due at the clock's now; returns (delivered, failed tries).
pub async fn deliver_due(state: &AppState) -> ApiResult<(usize, usize)> {
    let now = state.clock.unix_now();
    let due = store::notices::due(&state.db, now, 100).await?;
    let (mut delivered, mut failed) = (0, 0);
    for notice in due {
        // Claim it for a while first, so a sweep running at the same time (another
        // instance, say) skips it instead of sending it a second time.
        if !store::notices::claim(&state.db, notice.id, now, now + CLAIM_SECONDS).await? {
            continue;
        }
        let outcome = send(state, &notice, now).await;
        let mut transaction = begin_write(&state.db, WriteScope::Guarded).await?;
        match outcome {
            Ok(()) => {
                store::notices::delivered(&mut transaction, notice.id, now).await?;
                delivered += 1;
            }
            Err(reason) => {
                let attempts = notice.attempts + 1;
                let next_state = if attempts >= NOTICE_ATTEMPTS { NoticeState::Failed } else { NoticeState::Queued };
                let failure = store::notices::FailedTry {
                    state: next_state,
                    attempts,
                    next_attempt_at: now + notice_backoff_seconds(attempts),
                    reason: &reason,
                };
                store::notices::failed(&mut transaction, notice.id, failure).await?;
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
    let key = crate::domain::secrets::seller_key(&state.db, &state.master_keys, notice.seller_id)
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
        quantity: (notice.kind == NoticeKind::TrialConverted).then_some(notice.quantity),
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

/// The seller's notices, newest first.
pub async fn list(db: &Database, seller_id: i64, page: u32, page_size: u32) -> ApiResult<SellerNoticePage> {
    let total = store::notices::count_of_seller(db, seller_id).await?;
    let (limit, offset) = (i64::from(page_size), i64::from(page - 1) * i64::from(page_size));
    let rows = store::notices::page_of_seller(db, seller_id, limit, offset).await?;
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
