//! What time brings to pay-per-use apps: frozen after a day in arrears and released 15
//! days later (the buyer and the seller told, once each, at their due times even after
//! an outage), a cap's suspension lifted when its month ends, bills closed on the 3rd,
//! and old nonces forgotten.

use bazaar_core::messages::MessageTopic;
use bazaar_core::notices::NoticeKind;
use bazaar_core::usage::{UsageStanding, freezes_at, month_start, usage_released_at};
use time::Duration;

use super::tell_buyer;
use crate::domain::notices;
use crate::error::ApiResult;
use crate::infra::clock::from_unix;
use crate::infra::db::{WriteScope, begin_write};
use crate::infra::signed_requests::MAX_CLOCK_SKEW_SECONDS;
use crate::state::AppState;
use crate::store;

/// What one sweep did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct StandingReport {
    pub frozen: usize,
    pub released: usize,
    pub cap_lifted: usize,
    pub bills_closed: usize,
}

/// Does everything due at the clock's now.
pub async fn sweep(state: &AppState) -> ApiResult<StandingReport> {
    let now = state.clock.unix_now();
    let mut report = StandingReport::default();
    for app in store::metered_apps::in_arrears(&state.db).await? {
        let Some(since) = app.arrears_since else { continue };
        let standing = UsageStanding::at(Some(from_unix(since)), from_unix(now));
        if standing < UsageStanding::Frozen {
            continue;
        }
        let mut transaction = begin_write(&state.db, WriteScope::Account(app.account_id)).await?;
        let frozen_at = freezes_at(from_unix(since));
        let released_at = usage_released_at(from_unix(since));
        let occasion = format!("usage_frozen:{}:{since}", app.app_id);
        let at = Some(released_at);
        if tell_buyer(&mut transaction, &app, MessageTopic::UsageFrozen, at, Some(frozen_at), occasion, now).await? {
            notices::queue(
                &mut transaction,
                app.app_id,
                NoticeKind::Suspended,
                since,
                None,
                frozen_at.unix_timestamp(),
                now,
            )
            .await?;
            report.frozen += 1;
        }
        if standing == UsageStanding::Released
            && store::metered_apps::mark_released(&mut transaction, app.app_id, released_at.unix_timestamp()).await?
        {
            let occasion = format!("usage_released:{}:{since}", app.app_id);
            tell_buyer(&mut transaction, &app, MessageTopic::UsageReleased, None, Some(released_at), occasion, now)
                .await?;
            let released = released_at.unix_timestamp();
            notices::queue(&mut transaction, app.app_id, NoticeKind::Released, since, None, released, now).await?;
            report.released += 1;
        }
        transaction.commit().await?;
    }
    let this_month = month_start(from_unix(now)).unix_timestamp();
    for app in store::metered_apps::suspended_before(&state.db, this_month).await? {
        let mut transaction = begin_write(&state.db, WriteScope::Account(app.account_id)).await?;
        if let Some(month) = store::metered_apps::lift_cap_suspension(&mut transaction, app.app_id).await? {
            let ended = super::month_end(month).unix_timestamp();
            notices::queue(&mut transaction, app.app_id, NoticeKind::Reinstated, ended, None, ended, now).await?;
            report.cap_lifted += 1;
        }
        transaction.commit().await?;
    }
    report.bills_closed = super::bills::close_due(state, now).await?;
    // A nonce outlives the timestamps it could be replayed with.
    store::usage::forget_nonces_before(&state.db, now - 2 * MAX_CLOCK_SKEW_SECONDS - Duration::MINUTE.whole_seconds())
        .await?;
    Ok(report)
}
