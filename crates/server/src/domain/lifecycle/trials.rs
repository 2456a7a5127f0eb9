//! The messages and notices time brings to a free trial that is not bought: "ends in 7, 3
//! and 1 days", the end (Frozen: the seller suspends it) and, 7 days later, the release.
//!
//! Each is sent exactly once, in order, even after the sweeper was down: a sweep sends
//! every reminder that fell due since the trial's `last_reminder`, each with its own due
//! time, and records the last one only if nobody recorded another meanwhile (a second
//! sweep at the same time rolls back). The seller's notices are queued in the same
//! transaction as the buyer's message. A bought trial has a term and the term's reminders.

use bazaar_core::ids::AppId;
use bazaar_core::lifecycle::REMINDER_DAYS_BEFORE;
use bazaar_core::messages::{MessageLink, MessageTopic};
use bazaar_core::notices::NoticeKind;
use bazaar_core::trials::{TrialReminder, trial_released_at, trial_reminders_due};
use time::{Duration, OffsetDateTime};

use crate::domain::messages::{Outgoing, send};
use crate::domain::notices;
use crate::error::ApiResult;
use crate::infra::clock::from_unix;
use crate::infra::db::{Connection, WriteScope, begin_write};
use crate::state::AppState;
use crate::store;
use crate::store::trials::OpenTrial;

/// Sends every trial reminder due at `now` and not sent yet; returns how many messages.
pub async fn send_due(state: &AppState, now: OffsetDateTime) -> ApiResult<usize> {
    // The first reminder falls due 7 days before the end: later ends have none due.
    let first_due_by = now + Duration::days(REMINDER_DAYS_BEFORE[0]);
    let trials = store::trials::to_remind(&state.db, first_due_by.unix_timestamp()).await?;
    let mut sent = 0;
    for trial in trials {
        let last_sent = trial.last_reminder.as_deref().and_then(|last| last.parse::<TrialReminder>().ok());
        let due: Vec<TrialReminder> =
            trial_reminders_due(from_unix(trial.started_at), from_unix(trial.ends_at), last_sent, now).collect();
        let Some(last) = due.last().copied() else { continue };
        let mut transaction = begin_write(&state.db, WriteScope::Account(trial.account_id)).await?;
        // Bought, or reminded by another sweep, since it was read: nothing to do here.
        let recorded =
            store::trials::mark_reminded(&mut transaction, trial.app_id, trial.last_reminder.as_deref(), last.as_str())
                .await?;
        if !recorded {
            continue;
        }
        for kind in due {
            if remind(&mut transaction, &trial, kind, now).await? {
                sent += 1;
            }
        }
        transaction.commit().await?;
    }
    Ok(sent)
}

/// Sends reminder `kind` of `trial` at `sent_at` with its own due time, and queues the
/// seller notice it brings (ended: suspend; released: release). `true` when sent now.
async fn remind(
    connection: &mut Connection,
    trial: &OpenTrial,
    kind: TrialReminder,
    sent_at: OffsetDateTime,
) -> ApiResult<bool> {
    let ends_at = from_unix(trial.ends_at);
    let app = MessageLink::App { app_id: AppId::of_order(trial.app_id) };
    let (at, link) = match kind {
        TrialReminder::EndsIn7Days | TrialReminder::EndsIn3Days | TrialReminder::EndsIn1Day => (Some(ends_at), app),
        TrialReminder::Ended => (Some(trial_released_at(ends_at)), app),
        // Resource Details are gone; the order remains.
        TrialReminder::Released => (None, MessageLink::Order { order_id: trial.app_id }),
    };
    let due_at = kind.due_at(ends_at);
    let message = Outgoing {
        account_id: trial.account_id,
        topic: MessageTopic::for_trial_reminder(kind),
        subject: &trial.product_name,
        order_id: trial.app_id,
        link,
        at,
        due_at: Some(due_at),
        dedupe_key: format!("trial:{}:{}", trial.app_id, kind.as_str()),
    };
    let sent = send(connection, message, sent_at.unix_timestamp()).await?;
    let notice = match kind {
        TrialReminder::Ended => Some(NoticeKind::Suspended),
        TrialReminder::Released => Some(NoticeKind::Released),
        _ => None,
    };
    if let Some(notice) = notice {
        let (occurred, queued) = (due_at.unix_timestamp(), sent_at.unix_timestamp());
        notices::queue(connection, trial.app_id, notice, trial.ends_at, Some(trial.ends_at), occurred, queued).await?;
    }
    Ok(sent)
}
