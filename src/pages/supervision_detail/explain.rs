//! Why an action is unavailable, refusals and timeline entries, in words.

use super::*;

/// Why an action is unavailable, in the reader's language, counted from `now`.
pub fn blocked_reason(blocked: &Blocked, viewer: Party, now: OffsetDateTime, locale: Locale) -> String {
    let messages = locale.supervision_messages();
    let other = if viewer == Party::Seller { Party::Buyer } else { Party::Seller };
    match blocked {
        Blocked::Frozen => messages.blocked_frozen.to_owned(),
        Blocked::Finished => messages.blocked_finished.to_owned(),
        Blocked::AwaitingCompletion { completes_at } => {
            (messages.blocked_awaiting_completion)(&span(*completes_at - now, locale))
        }
        Blocked::WrongStep => messages.blocked_wrong_step.to_owned(),
        Blocked::RejectionLimitReached { limit } => (messages.blocked_rejection_limit)(&limit.to_string()),
        Blocked::RemindedRecently { next_at } => (messages.blocked_reminded)(&span(*next_at - now, locale)),
        Blocked::NotIdleLongEnough { idle_since, allowed_at } => (messages.blocked_not_idle)(
            &span(*allowed_at - now, locale),
            messages.party(other),
            &span(now - *idle_since, locale),
        ),
        Blocked::NoGrounds if viewer == Party::Seller => {
            (messages.blocked_no_grounds_seller)(IDLE_BEFORE_APPEAL.whole_days())
        }
        Blocked::NoGrounds => (messages.blocked_no_grounds_buyer)(IDLE_BEFORE_APPEAL.whole_days(), REJECTION_LIMIT),
        Blocked::AppealWindowClosed { closed_at } => (messages.blocked_window_closed)(
            NO_APPEAL_BEFORE_COMPLETION.whole_days(),
            &local_date_time(*closed_at, locale),
        ),
        Blocked::NoOpenAppeal => messages.blocked_no_open_appeal.to_owned(),
        Blocked::TimelineFull { limit } => (messages.blocked_timeline_full)(*limit),
        Blocked::NoUnsubscriptionAsked => messages.blocked_no_unsubscription_asked.to_owned(),
        Blocked::UnsubscriptionUnderWay => messages.blocked_unsubscription_under_way.to_owned(),
        Blocked::NoProposal => messages.blocked_no_proposal.to_owned(),
    }
}

pub(super) fn error_message_with_detail(
    error: &ApiError,
    viewer: Party,
    now: OffsetDateTime,
    locale: Locale,
) -> String {
    // A refusal by the flow's rules names the rule, so it is explained like an
    // unavailable button, in the reader's language and counted from now.
    match error.body.blocked() {
        Some(blocked) if error.code() == ErrorCode::RuleViolation => blocked_reason(&blocked, viewer, now, locale),
        _ => error_message(error),
    }
}

/// The lines under a timeline event: notes, reasons, submitted values, start time.
pub(super) fn event_details(kind: &FlowEventKind, template: &[TemplateField], locale: Locale) -> Vec<String> {
    match kind {
        // Values appear under the template's labels, in the template's order.
        FlowEventKind::RequestSubmitted { values } => template
            .iter()
            .filter_map(|field| {
                values.get(&field.key).filter(|v| !v.is_empty()).map(|value| format!("{}: {value}", field.label))
            })
            .chain(
                values
                    .iter()
                    .filter(|(key, _)| !template.iter().any(|field| &field.key == *key))
                    .map(|(key, value)| format!("{key}: {value}")),
            )
            .collect(),
        FlowEventKind::RequestAccepted { note } | FlowEventKind::DeliveryAccepted { note } => {
            note.iter().cloned().collect()
        }
        FlowEventKind::RequestRejected { reason }
        | FlowEventKind::DeliveryRejected { reason }
        | FlowEventKind::AppealOpened { reason }
        | FlowEventKind::UnsubscriptionAsked { reason }
        | FlowEventKind::UnsubscriptionDeclined { reason }
        | FlowEventKind::ProposalRejected { reason } => {
            vec![reason.clone()]
        }
        FlowEventKind::RefundProposed { amount, note } => {
            let messages = locale.supervision_messages();
            std::iter::once((messages.refund_line)(&amount.display())).chain(note.iter().cloned()).collect()
        }
        FlowEventKind::UnsubscriptionDecided { amount, note } => {
            vec![(locale.supervision_messages().refund_line)(&amount.display()), note.clone()]
        }
        FlowEventKind::ProgressUpdated { note } | FlowEventKind::AppealResolved { note, .. } => vec![note.clone()],
        FlowEventKind::Delivered { note, service_started_at } => {
            let messages = locale.supervision_messages();
            vec![note.clone(), (messages.service_started)(&local_date_time(*service_started_at, locale))]
        }
        FlowEventKind::FlowStarted
        | FlowEventKind::Reminded
        | FlowEventKind::Completed
        | FlowEventKind::ProposalAccepted => Vec::new(),
    }
}
