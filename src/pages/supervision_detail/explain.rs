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
            fill(messages.blocked_awaiting_completion, &[("in", &span(*completes_at - now, locale))])
        }
        Blocked::WrongStep => messages.blocked_wrong_step.to_owned(),
        Blocked::RejectionLimitReached { limit } => {
            fill(messages.blocked_rejection_limit, &[("limit", &limit.to_string())])
        }
        Blocked::RemindedRecently { next_at } => {
            fill(messages.blocked_reminded, &[("in", &span(*next_at - now, locale))])
        }
        Blocked::NotIdleLongEnough { idle_since, allowed_at } => fill(
            messages.blocked_not_idle,
            &[
                ("in", &span(*allowed_at - now, locale)),
                ("party", messages.party(other)),
                ("ago", &span(now - *idle_since, locale)),
            ],
        ),
        Blocked::NoGrounds if viewer == Party::Seller => messages.blocked_no_grounds_seller.to_owned(),
        Blocked::NoGrounds => messages.blocked_no_grounds_buyer.to_owned(),
        Blocked::AppealWindowClosed { closed_at } => {
            fill(messages.blocked_window_closed, &[("date", &local_date_time(*closed_at, locale))])
        }
        Blocked::NoOpenAppeal => messages.blocked_no_open_appeal.to_owned(),
    }
}

pub(super) fn error_message_with_detail(error: &ApiError) -> String {
    // Rule refusals carry the server's explanation; other errors use the translated text.
    if error.code() == ErrorCode::RuleViolation { error.body.message.clone() } else { error_message(error) }
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
        | FlowEventKind::AppealOpened { reason } => {
            vec![reason.clone()]
        }
        FlowEventKind::ProgressUpdated { note } | FlowEventKind::AppealResolved { note, .. } => vec![note.clone()],
        FlowEventKind::Delivered { note, service_started_at } => {
            let messages = locale.supervision_messages();
            vec![
                note.clone(),
                fill(messages.service_started, &[("date", &local_date_time(*service_started_at, locale))]),
            ]
        }
        FlowEventKind::FlowStarted | FlowEventKind::Reminded | FlowEventKind::Completed => Vec::new(),
    }
}
