//! The rules panel: counters and deadlines, counting down live.

use super::*;

/// Counters and deadlines, counting down live.
#[component]
pub(super) fn RulesPanel(state: Memo<FlowState>, now: RwSignal<OffsetDateTime>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div class="card flow__rules" data-testid="rules-panel">
            <h2 class="card__title">{move || i18n.s().rules_title}</h2>
            <ul class="rules">
                {move || {
                    let state = state.get();
                    let now = now.get();
                    let locale = i18n.locale();
                    let messages = i18n.s();
                    let mut lines = vec![
                        (messages.rules_request_rejections)(&state.counters.request_rejections.to_string(), &REJECTION_LIMIT.to_string()),
                        (messages.rules_delivery_rejections)(&state.counters.delivery_rejections.to_string(), &REJECTION_LIMIT.to_string()),
                    ];
                    if let (Some(turn), Some(since)) = (state.turn, state.deadlines.idle_since) {
                        let idle = (now - since).min(IDLE_BEFORE_APPEAL + time::Duration::days(365));
                        let party = messages.party(turn);
                        let party = party.chars().next().map(|c| c.to_uppercase().collect::<String>() + &party[c.len_utf8()..]).unwrap_or_default();
                        lines.push((messages.rules_idle)(&party, &span(idle, locale), &span(IDLE_BEFORE_APPEAL, locale)));
                    }
                    // A finished flow has no appeal window or planned completion to count down to.
                    if !matches!(state.step, Step::Completed | Step::Cancelled) {
                        let closes = state.deadlines.appeal_window_closes_at;
                        if now < closes {
                            lines.push((messages.rules_window)(&local_date_time(closes, locale), &(messages.in_prefix)(&span(closes - now, locale))));
                        } else {
                            lines.push((messages.rules_window_closed)(&local_date_time(closes, locale)));
                        }
                        lines.push((messages.rules_planned)(&local_date_time(state.deadlines.planned_completion, locale)));
                    }
                    if let (Step::Accepted, Some(completes_at)) = (state.step, state.deadlines.completes_at) {
                        lines.push((messages.rules_completes)(&local_date_time(completes_at, locale), &span(completes_at - now, locale)));
                    }
                    if let Some(next) = state.deadlines.next_reminder_at.filter(|next| *next > now && state.turn == Some(Party::Seller)) {
                        lines.push((messages.rules_next_reminder)(&span(next - now, locale)));
                    }
                    lines.into_iter().map(|line| view! { <li>{line}</li> }).collect_view()
                }}
            </ul>
        </div>
    }
}
