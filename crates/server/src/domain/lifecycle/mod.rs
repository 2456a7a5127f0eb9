//! After the purchase: the apps with a term (`term_apps`), renewal orders (`renewals`),
//! auto-renew (`auto_renew`), free trials' ends (`trials`), and what time brings about — unpaid orders warned and cancelled at their deadline, auto-renewals
//! tried, reminders sent (`bazaar_core::lifecycle` says when). One sweep does everything
//! that is due, however long ago it fell due (a sweeper that was down catches up, in
//! order); each step is a status move guarded in SQL, so a second sweep — after a
//! restart, or running at the same time — finds nothing left to do.

pub mod auto_renew;
pub mod reminders;
pub mod renewals;
pub mod term_apps;
pub mod trials;
pub mod unsubscription;

use bazaar_core::lifecycle::UNPAID_ORDER_LIFETIME;

use crate::domain::checkout::pay::cancel_not_paid_in_time;
use crate::error::ApiResult;
use crate::infra::clock::from_unix;
use crate::infra::db::{WriteScope, begin_write};
use crate::state::AppState;

/// How often the lifecycle sweeper looks for due work.
const SWEEP_INTERVAL: std::time::Duration = std::time::Duration::from_secs(5);

/// What one sweep did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct SweepReport {
    pub unpaid_cancelled: usize,
    pub auto_renewed: usize,
    pub auto_renew_failed: usize,
    pub messages_sent: usize,
    pub notices_delivered: usize,
    pub notice_failures: usize,
    pub usage: crate::domain::usage::charging::ChargeReport,
    pub usage_standing: crate::domain::usage::standing::StandingReport,
    /// Resolved support tickets closed after 7 days without the buyer.
    pub tickets_closed: usize,
    /// Tickets whose seller let its 24 hours pass, told to both sides.
    pub tickets_overdue: usize,
}

/// Does everything due at the clock's now.
pub async fn sweep_once(state: &AppState) -> ApiResult<SweepReport> {
    let now = state.clock.unix_now();
    let mut report =
        SweepReport { messages_sent: reminders::warn_unpaid(state, from_unix(now)).await?, ..SweepReport::default() };
    // Placed at or before this instant: their 7 days are over.
    let deadline = now - UNPAID_ORDER_LIFETIME.whole_seconds();
    let overdue = crate::store::reminders::overdue(&state.db, deadline).await?;
    for (order_id, account_id) in overdue {
        let mut transaction = begin_write(&state.db, WriteScope::Account(account_id)).await?;
        if cancel_not_paid_in_time(&mut transaction, order_id, now).await? {
            transaction.commit().await?;
            report.unpaid_cancelled += 1;
            tracing::info!(%order_id, "unpaid order cancelled at its deadline");
        }
    }
    for (_, attempt) in auto_renew::sweep(state).await? {
        match attempt {
            auto_renew::Attempt::Renewed { .. } => report.auto_renewed += 1,
            auto_renew::Attempt::Failed { .. } => report.auto_renew_failed += 1,
        }
    }
    report.messages_sent += reminders::send_due(state, from_unix(now)).await?;
    report.messages_sent += trials::send_due(state, from_unix(now)).await?;
    report.messages_sent += crate::domain::invoices::seller::escalate_overdue(state).await?;
    report.tickets_closed = crate::domain::support::sweep::close_resolved(state, now).await?;
    report.tickets_overdue = crate::domain::support::sweep::tell_overdue(state, now).await?;
    // Pay-per-use: charge what is due, then let time freeze, release, lift and close.
    report.usage = crate::domain::usage::charging::charge_due(state).await?;
    report.usage_standing = crate::domain::usage::standing::sweep(state).await?;
    (report.notices_delivered, report.notice_failures) = crate::domain::notices::deliver_due(state).await?;
    Ok(report)
}

/// Sweeps every few seconds on the instance that leads the lifecycle sweep.
pub async fn run_sweeper(state: AppState) {
    crate::infra::work::sweep_on_one_instance(&state.db, "lifecycle sweep", SWEEP_INTERVAL, || sweep_once(&state)).await
}
