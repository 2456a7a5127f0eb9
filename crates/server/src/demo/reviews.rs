//! Demo reviews on the featured SaaS products, so cards show stars, `sort=rating` and
//! "4 stars and up" have something to order and count, and a product page has a chart,
//! right after `cargo xtask dev`. Only verified buyers review: maria.santos buys, on her
//! credit line, four of the products lin.wei's demo apps hold (`buy_for_reviewers`, at
//! start-up, through the real checkout; wang.fang's card is out of funds on purpose), and
//! once the demo seller has delivered them —
//! which needs the server to be up — `write_when_delivered` writes each review through the
//! real rules.

use std::time::Duration;

use bazaar_core::ids::AccountId;
use bazaar_core::orders::PaymentMethod;
use bazaar_core::support::wire::ReviewInput;

use crate::domain::checkout::{pay, place};
use crate::domain::orders::Buyer;
use crate::domain::support::reviews;
use crate::error::{ApiError, ApiResult};
use crate::infra::db;
use crate::state::AppState;

/// (reviewer, product, stars, text).
const REVIEWS: [(&str, i64, i64, &str); 9] = [
    ("lin.wei", 1, 5, "界面清晰，导入旧客户数据只用了一个下午，售后响应也很快。"),
    ("maria.santos", 1, 4, "Solid CRM and quick support. The mobile view could show more fields per contact."),
    ("lin.wei", 10, 4, "稳定可靠，权限策略好理解；希望以后支持更多的审计日志格式。"),
    ("maria.santos", 10, 5, "We moved every service secret here in a week. Access policies are easy to read."),
    ("lin.wei", 11, 3, "Payroll runs fine, but the holiday calendar had to be fixed by hand for our region."),
    ("maria.santos", 11, 4, "Good value for a small team; onboarding new staff takes a couple of clicks."),
    ("lin.wei", 13, 4, "Dashboards load fast even on our largest tables; sharing links is simple."),
    ("maria.santos", 13, 3, "Nice charts, though the scheduled e-mail reports arrive in UTC only."),
    ("lin.wei", 21, 2, "It works, but cache purges took up to ten minutes in the first week."),
];

/// The reviewers other than lin.wei (whose demo apps are bought in `apps`); each buys a
/// month of each product they review.
const REVIEWERS: [&str; 1] = ["maria.santos"];

async fn account(state: &AppState, username: &str) -> ApiResult<Option<AccountId>> {
    Ok(db::query_scalar("SELECT id FROM accounts WHERE username = $1").bind(username).fetch_optional(&state.db).await?)
}

/// Buys the products the other reviewers review (once: a key per product makes it so).
pub async fn buy_for_reviewers(state: &AppState) -> ApiResult<()> {
    for username in REVIEWERS {
        let Some(account_id) = account(state, username).await? else { continue };
        let buyer = Buyer { account_id, reseller_id: None };
        for (_, product, _, _) in REVIEWS.iter().filter(|review| review.0 == username) {
            let Some((request, _)) = crate::demo::orders::monthly_order(state, *product, 1, false).await? else {
                continue;
            };
            let placement = place::place(state, buyer, &format!("demo-review-{product}"), &request).await?;
            if !placement.replayed {
                pay::pay(state, buyer, placement.order_id, PaymentMethod::Credit).await?;
            }
        }
    }
    Ok(())
}

/// Writes every demo review whose purchase has been delivered, trying again each second
/// for up to five minutes (the demo seller delivers within seconds); a review that exists
/// is left as it is.
pub async fn write_when_delivered(state: AppState) {
    let mut pending: Vec<_> = REVIEWS.to_vec();
    for _ in 0..300 {
        let mut still_pending = Vec::new();
        for review in pending {
            match write(&state, review).await {
                Ok(true) => {}
                Ok(false) => still_pending.push(review),
                // Tried again: a busy start-up can time out on the pool.
                Err(error) => {
                    tracing::warn!(%error, reviewer = review.0, product = review.1, "demo review not written yet");
                    still_pending.push(review);
                }
            }
        }
        pending = still_pending;
        if pending.is_empty() {
            return;
        }
        tokio::time::sleep(Duration::from_secs(1)).await;
    }
    tracing::warn!(left = pending.len(), "some demo reviews' purchases were never delivered");
}

/// `Ok(true)` once the review exists, `Ok(false)` while its purchase is not delivered yet.
async fn write(state: &AppState, (username, product, stars, text): (&str, i64, i64, &str)) -> ApiResult<bool> {
    let Some(account_id) = account(state, username).await? else { return Ok(true) };
    let mut connection = state.db.acquire().await?;
    if crate::store::reviews::of_account(&mut connection, account_id, product).await?.is_some() {
        return Ok(true);
    }
    drop(connection);
    match reviews::save(state, account_id, product, &ReviewInput { stars, text: text.to_owned() }).await {
        Ok(_) => Ok(true),
        Err(ApiError::Conflict(_)) => Ok(false),
        Err(error) => Err(error),
    }
}
