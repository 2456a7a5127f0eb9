//! Parts of a flow's page: the viewer's actions (each unavailable one with its reason),
//! the timeline, sending an action, and reading the flow again while nobody edits.

use bazaar_core::error::{ErrorCode, FieldError};
use bazaar_core::ids::FlowId;
use bazaar_core::supervision::{FlowAction, FlowCommand, FlowDetail, FlowEventKind, FlowState, Party, Step};
use leptos::prelude::*;
use leptos_use::use_interval_fn;
use time::OffsetDateTime;

use super::explain::{error_message_with_detail, event_details};
use super::{REFRESH_MILLISECONDS, blocked_reason, visible};
use crate::api::{self, ApiError};
use crate::components::page_heading::PageHeading;
use crate::format::local_date_time;
use crate::i18n::{I18n, use_i18n};

/// An action's answer becomes the flow on screen; when someone else acted first, the flow
/// is read again so the person decides on what it is now.
pub(super) fn act_action(
    flow_id: FlowId,
    current: RwSignal<FlowDetail>,
    open_action: RwSignal<Option<FlowAction>>,
) -> Action<FlowCommand, Result<FlowDetail, ApiError>> {
    Action::new_local(move |command: &FlowCommand| {
        let version = current.with_untracked(|detail| detail.summary.version);
        let command = command.clone();
        async move {
            let result = api::supervision::act(flow_id, version, command).await;
            match &result {
                Ok(detail) => {
                    current.set(detail.clone());
                    open_action.set(None);
                }
                Err(error) if error.code() == ErrorCode::PreconditionFailed => {
                    open_action.set(None);
                    if let Ok(fresh) = api::supervision::flow(flow_id).await {
                        current.set(fresh);
                    }
                }
                Err(_) => {}
            }
            result
        }
    })
}

/// Live: the other side's actions (and completions the server records) appear without a
/// reload. Polling pauses while a form is open so nothing moves under the person.
pub(super) fn refresh_while_idle(
    flow_id: FlowId,
    current: RwSignal<FlowDetail>,
    open_action: RwSignal<Option<FlowAction>>,
) {
    let refresh = move || {
        leptos::task::spawn_local(async move {
            if let Ok(fresh) = api::supervision::flow(flow_id).await
                && fresh.summary.version != current.with_untracked(|detail| detail.summary.version)
            {
                current.set(fresh);
            }
        });
    };
    let _ = use_interval_fn(
        move || {
            // Done once the end is recorded (a completion by time is recorded shortly after
            // the deadline, by the server's sweeper).
            let finished = current.with_untracked(FlowDetail::is_finished);
            if open_action.get_untracked().is_none() && !finished {
                refresh();
            }
        },
        REFRESH_MILLISECONDS,
    );
}

/// The viewer's actions: a button each, disabled with its reason when not allowed now.
#[component]
pub(super) fn ActionList(
    state: Memo<FlowState>,
    viewer: Party,
    now: RwSignal<OffsetDateTime>,
    pending: Signal<bool>,
    start: Callback<FlowAction>,
) -> impl IntoView {
    let i18n = use_i18n();
    let locale = move || i18n.locale();
    {
        move || {
            let actions: Vec<(FlowAction, Option<String>)> = visible(&state.get(), viewer)
                .into_iter()
                .map(|(action, blocked)| {
                    (action, blocked.map(|blocked| blocked_reason(&blocked, viewer, now.get(), locale())))
                })
                .collect();
            // A reason that holds back several buttons (all of them, while an
            // accepted delivery completes) is said once, under the list.
            let shared =
                |reason: &String| actions.iter().filter(|(_, other)| other.as_ref() == Some(reason)).count() > 1;
            let mut shared_reasons: Vec<String> = Vec::new();
            for reason in actions.iter().filter_map(|(_, reason)| reason.as_ref()) {
                if shared(reason) && !shared_reasons.contains(reason) {
                    shared_reasons.push(reason.clone());
                }
            }
            let shared_id = |reason: &String| {
                format!("reason-shared-{}", shared_reasons.iter().position(|shared| shared == reason).unwrap_or(0))
            };
            let items = actions.iter().map(|(action, reason)| {
            let action = *action;
            let allowed = reason.is_none();
            let (described_by, own_reason) = match reason {
                Some(reason) if shared_reasons.contains(reason) => (Some(shared_id(reason)), None),
                Some(reason) => (Some(format!("reason-{}", action.as_str())), Some(reason.clone())),
                None => (None, None),
            };
            let reason_id = format!("reason-{}", action.as_str());
            view! {
                <li class="action-list__item">
                    <button type="button" class=if allowed { "button button--primary" } else { "button button--secondary" }
                        disabled=!allowed || pending.get()
                        aria-describedby=described_by
                        on:click=move |_| start.run(action)>
                        {i18n.s().action(action)}
                    </button>
                    {own_reason.map(|reason| view! { <p class="hint action-list__reason" id=reason_id>{reason}</p> })}
                </li>
            }
        }).collect_view();
            let shared_hints = shared_reasons
                .iter()
                .map(|reason| {
                    view! { <p class="hint action-list__reason" id=shared_id(reason)>{reason.clone()}</p> }
                })
                .collect_view();
            view! { <ul class="action-list">{items}</ul>{shared_hints} }
        }
    }
}

/// What happened in the flow, newest first, with each event's details.
#[component]
pub(super) fn Timeline(current: RwSignal<FlowDetail>) -> impl IntoView {
    let i18n = use_i18n();
    let locale = move || i18n.locale();
    view! {
    <div class="card" data-testid="timeline">
        <h2 class="card__title">{move || i18n.s().timeline_title}</h2>
        <ol class="timeline">
            {move || {
                let detail = current.get();
                let template = detail.template.clone();
                detail.history.into_iter().rev().map(|event| {
                let details = event_details(&event.kind, &template, locale());
                view! {
                    <li class="timeline__event">
                        <p class="timeline__what"><strong>{i18n.s().event(&event.kind)}</strong>
                            {match &event.kind {
                                FlowEventKind::AppealResolved { outcome, .. } => format!(" — {}", i18n.s().outcome(*outcome)),
                                _ => String::new(),
                            }}
                        </p>
                        <p class="hint">{if event.by == Party::System {
                            format!("{} · {}", i18n.s().party(Party::System), local_date_time(event.at, locale()))
                        } else {
                            format!("{} ({}) · {}", event.by_name, i18n.s().party(event.by), local_date_time(event.at, locale()))
                        }}</p>
                        {details.into_iter().map(|line| view! { <p class="timeline__note">{line}</p> }).collect_view()}
                    </li>
                }
            }).collect_view()
            }}
        </ol>
    </div>
    }
}

/// The flow's product, step and whether it is frozen; its order, the other party and the
/// SKU; an open appeal.
#[component]
pub(super) fn FlowHeader(current: RwSignal<FlowDetail>, state: Memo<FlowState>, viewer: Party) -> impl IntoView {
    let i18n = use_i18n();
    let summary = move || current.with(|detail| detail.summary.clone());
    let locale = move || i18n.locale();
    view! {
    <div class="order__heading">
        <PageHeading text=move || summary().product_name />
        <span
            class=move || match state.get().step {
                Step::Completed => "status-badge status-badge--completed",
                Step::Cancelled => "status-badge status-badge--cancelled",
                _ => "status-badge status-badge--processing",
            }
            data-testid="flow-step">{move || i18n.s().step(state.get().step)}</span>
        <Show when=move || state.get().frozen()>
            <span class="status-badge status-badge--pending" data-testid="flow-frozen">{move || i18n.s().frozen_badge}</span>
        </Show>
    </div>
    <p class="hint">
        {move || summary().order_number}" · "
        {move || if viewer == Party::Buyer { (i18n.s().counterpart_seller)(&summary().seller_name) } else { (i18n.s().counterpart_buyer)(&summary().buyer_name) }}
        " · "{move || summary().sku_name}
    </p>
    {move || state.get().open_appeal.map(|appeal| view! {
        <div class="notice notice--warning" role="status" data-testid="open-appeal">
            {(i18n.s().appeal_open_by)(i18n.s().party(appeal.by), &local_date_time(appeal.opened_at, locale()), &appeal.reason)}
        </div>
    })}
    }
}

/// The field problems shown: the page's own (found before sending), else those of the last
/// answer (none when someone else acted first: the flow was read again).
pub(super) fn shown_field_errors(
    local_errors: RwSignal<Vec<FieldError>>,
    act: Action<FlowCommand, Result<FlowDetail, ApiError>>,
) -> Signal<Vec<FieldError>> {
    Signal::derive(move || {
        let local = local_errors.get();
        if !local.is_empty() {
            return local;
        }
        act.value().with(|value| match value {
            Some(Err(error)) if error.code() != ErrorCode::PreconditionFailed => error.body.field_errors(),
            _ => Vec::new(),
        })
    })
}

/// What the last action came to, in the current language.
pub(super) fn act_notice(
    i18n: I18n,
    act: Action<FlowCommand, Result<FlowDetail, ApiError>>,
    viewer: Party,
    now: OffsetDateTime,
) -> Option<String> {
    act.value().with(|value| match value {
        Some(Ok(_)) => Some(i18n.s().acted.to_owned()),
        Some(Err(error)) if error.code() == ErrorCode::PreconditionFailed => Some(i18n.s().stale.to_owned()),
        Some(Err(error)) if error.body.field_errors().is_empty() => {
            Some(error_message_with_detail(error, viewer, now, i18n.locale()))
        }
        _ => None,
    })
}
