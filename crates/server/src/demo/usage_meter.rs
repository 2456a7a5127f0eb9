//! Demo mode only: the demo sellers' usage meters. Every 5 seconds each demo seller
//! reports the completed hours of its customers' pay-per-use apps through the real, signed
//! usage API (`POST /api/v1/seller/usage`), as a seller's system would; the demo clock
//! drives which hours are complete. Also seeds lin.wei's pay-per-use app with a month of
//! history, so a bill and a usage chart are there right after `cargo xtask dev`.

use std::collections::BTreeMap;

use bazaar_core::catalog::BillingMode;
use bazaar_core::ids::{AccountId, OrderId};
use bazaar_core::money::Money;
use bazaar_core::orders::PaymentMethod;
use bazaar_core::usage::{UsageQuantity, UsageRecordIn, UsageReport, rate};
use time::Duration;

use crate::domain::checkout::{pay, place};
use crate::domain::orders::Buyer;
use crate::domain::usage::{hourly_unit_price, month_of};
use crate::error::{ApiError, ApiResult};
use crate::infra::crypto;
use crate::infra::db::{self, WriteScope, begin_write};
use crate::infra::signed_requests::SELLER_HEADER;
use crate::state::AppState;
use crate::store;

/// How often the meters look for complete hours (real time): often, so that moving the
/// demo clock shows usage within seconds.
const METER_INTERVAL: std::time::Duration = std::time::Duration::from_secs(5);
/// How many days of history lin.wei's pay-per-use app starts with.
const HISTORY_DAYS: i64 = 35;

/// Plausible use of one app in one hour: busier in Beijing's working hours, quieter at
/// night and at weekends, never the same twice (but the same for the same app and hour).
pub fn plausible_quantity(app_id: i64, hour: i64) -> i64 {
    let beijing_hour = (hour / 3_600 + 8).rem_euclid(24);
    let weekday = (hour / 86_400 + 4).rem_euclid(7); // 1970-01-01 was a Thursday.
    let base = match beijing_hour {
        9..=11 | 14..=17 => 9,
        8 | 12 | 13 | 18..=20 => 5,
        _ => 1,
    };
    let base = if weekday >= 5 { base / 3 } else { base };
    // A small deterministic jitter from the app and the hour.
    let mut x = (app_id as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ (hour as u64);
    x ^= x >> 31;
    x = x.wrapping_mul(0xBF58_476D_1CE4_E5B9);
    x ^= x >> 29;
    base + (x % 4) as i64
}

/// Runs the meters until the server stops.
pub async fn run(state: AppState) {
    loop {
        if let Err(error) = report_once(&state).await {
            tracing::warn!(%error, "demo usage meter");
        }
        tokio::time::sleep(METER_INTERVAL).await;
    }
}

/// One round: every complete hour not reported yet (within the late window), per seller one
/// signed call; how many records were sent.
pub async fn report_once(state: &AppState) -> ApiResult<usize> {
    let now = state.clock.unix_now();
    let last_complete = now.div_euclid(3_600) * 3_600 - 3_600;
    let earliest = last_complete - 22 * 3_600;
    let apps: Vec<(i64, i64, i64, Option<i64>)> = db::query_as(
        "SELECT o.id, o.seller_id, COALESCE(o.completed_at, o.created_at),
                (SELECT MAX(r.hour) FROM usage_records r WHERE r.app_id = o.id)
         FROM orders o LEFT JOIN metered_apps m ON m.app_id = o.id
         WHERE o.billing_mode = 'pay_per_use' AND o.kind = 'purchase' AND o.status = 'completed'
           AND o.unsubscribed_at IS NULL AND m.released_at IS NULL",
    )
    .fetch_all(&state.db)
    .await?;
    let mut per_seller: BTreeMap<i64, Vec<UsageRecordIn>> = BTreeMap::new();
    for (app_id, seller_id, started, last_reported) in apps {
        let started_hour = started.div_euclid(3_600) * 3_600;
        let from = last_reported.map_or(started_hour, |last| last + 3_600).max(earliest);
        for hour in (from..=last_complete).step_by(3_600) {
            per_seller.entry(seller_id).or_default().push(UsageRecordIn {
                app_id,
                dimension: None,
                quantity: UsageQuantity::Whole(plausible_quantity(app_id, hour) as u64),
                hour: crate::infra::clock::from_unix(hour)
                    .format(&time::format_description::well_known::Rfc3339)
                    .map_err(ApiError::internal)?,
            });
        }
    }
    let mut sent = 0;
    for (seller_id, records) in per_seller {
        for chunk in records.chunks(bazaar_core::usage::MAX_RECORDS_PER_REPORT) {
            send(state, seller_id, chunk.to_vec()).await?;
            sent += chunk.len();
        }
    }
    Ok(sent)
}

/// One signed call to this server's usage API, as the seller.
async fn send(state: &AppState, seller_id: i64, records: Vec<UsageRecordIn>) -> ApiResult<()> {
    let key = crate::domain::secrets::seller_key(&state.db, &state.master_keys, seller_id)
        .await?
        .ok_or(ApiError::NotFound)?;
    let body = serde_json::to_vec(&UsageReport { records }).map_err(ApiError::internal)?;
    let timestamp = state.clock.unix_now();
    let nonce = hex::encode(rand::random::<[u8; 16]>());
    let signature = crypto::sign_request(&key, timestamp, &nonce, &body);
    let url = state
        .sellers
        .resolve(&format!("{}/seller/usage", bazaar_core::API_PREFIX))
        .ok_or_else(|| ApiError::internal("this server's address is not known yet"))?;
    let response = state
        .sellers
        .http
        .post(url)
        .header("content-type", "application/json")
        .header(SELLER_HEADER, seller_id.to_string())
        .header(crypto::TIMESTAMP_HEADER, timestamp.to_string())
        .header(crypto::NONCE_HEADER, &nonce)
        .header(crypto::SIGNATURE_HEADER, signature)
        .body(body)
        .send()
        .await
        .map_err(ApiError::internal)?;
    if !response.status().is_success() {
        return Err(ApiError::internal(format!("the usage API answered {}", response.status())));
    }
    Ok(())
}

/// Buys lin.wei a pay-per-use Northwind CRM Cloud as if 35 days ago, with its usage of
/// every hour since (what the meter would have reported); the first sweep charges it and
/// closes last month's bill when the 3rd has passed.
pub async fn seed_history(state: &AppState, account_id: AccountId) -> ApiResult<()> {
    let order = crate::demo::orders::demo_order(state, 1, BillingMode::PayPerUse, None, false).await?;
    let Some((request, _)) = order else { return Ok(()) };
    let buyer = Buyer { account_id, reseller_id: None };
    let placement = place::place(state, buyer, "demo-app-hourly", &request).await?;
    if pay::pay(state, buyer, placement.order_id, PaymentMethod::Card).await.is_err() {
        // Nothing was due: pay-per-use orders complete without a payment step.
    }
    let now = state.clock.unix_now();
    let bought = now - Duration::days(HISTORY_DAYS).whole_seconds();
    let app_id: OrderId = placement.order_id;
    db::query("UPDATE orders SET created_at = $1, paid_at = $1, completed_at = $1 WHERE id = $2")
        .bind(bought)
        .bind(app_id)
        .execute(&state.db)
        .await?;
    let pricing = store::usage::pricing(&state.db, app_id).await?;
    let unit = hourly_unit_price(&pricing.price_json).unwrap_or(Money::zero(pricing.currency));
    let mut transaction = begin_write(&state.db, WriteScope::Account(account_id)).await?;
    let last = now.div_euclid(3_600) * 3_600 - 2 * 3_600;
    for hour in ((bought.div_euclid(3_600) + 1) * 3_600..=last).step_by(3_600) {
        let quantity = plausible_quantity(app_id.0, hour);
        let record = store::usage::NewRecord {
            app_id,
            account_id,
            dimension: bazaar_core::usage::DEFAULT_DIMENSION,
            month: month_of(hour),
            hour,
            quantity,
            amount_minor: rate(quantity, unit, u32::try_from(pricing.quantity).unwrap_or(1))
                .map_or(0, |amount| amount.amount_minor),
            currency: pricing.currency,
            now: hour + 3_000,
        };
        store::usage::insert_record(&mut transaction, record).await?;
    }
    store::metered_apps::ensure_metered(&mut transaction, app_id, account_id, now).await?;
    transaction.commit().await?;
    tracing::info!(%app_id, "demo pay-per-use app with {HISTORY_DAYS} days of usage");
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn usage_follows_working_hours_and_weekends() {
        // Monday 7 December 2026, 10:00 and 03:00 in Beijing.
        let monday_ten = time::macros::datetime!(2026-12-07 02:00 UTC).unix_timestamp();
        let monday_three = time::macros::datetime!(2026-12-06 19:00 UTC).unix_timestamp();
        let saturday_ten = time::macros::datetime!(2026-12-05 02:00 UTC).unix_timestamp();
        assert!(plausible_quantity(7, monday_ten) >= 9);
        assert!(plausible_quantity(7, monday_three) <= 4);
        assert!(plausible_quantity(7, saturday_ten) <= 6);
        assert_eq!(plausible_quantity(7, monday_ten), plausible_quantity(7, monday_ten));
    }
}
