//! One service flow (`/supervision/:id`): the timeline, the current step, a rules panel with
//! live countdowns, the viewer's actions (each unavailable one says why), the forms those
//! actions need (the seller's request template, reasons, delivery, resolution), and for
//! buyers of SaaS products the application information before the flow completes.
//!
//! The page evaluates the server's history with the same core rules every second, on the
//! server's clock (the offset is taken from `server_now`), so deadlines count down and
//! buttons unlock without a reload; the server re-checks every action.

use bazaar_core::error::{ErrorCode, FieldError};
use bazaar_core::supervision::{
    AppealOutcome, Blocked, FlowAction, FlowCommand, FlowDetail, FlowEventKind, FlowState, IDLE_BEFORE_APPEAL, Party,
    REJECTION_LIMIT, RequestValues, Step, TemplateField, TemplateFieldKind, evaluate,
};
use leptos::html;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_query_map;
use leptos_use::use_interval_fn;
use time::OffsetDateTime;

use crate::api::{self, ApiError};
use crate::components::fields::TextAreaField;
use crate::components::require_login::RequireLogin;
use crate::components::status::{error_message, render_resource};
use crate::format::local_date_time;
use crate::i18n::{Locale, fill, use_i18n};
use crate::i18n_supervision::span;
use crate::pages::app_detail::ApplicationPanel;
use crate::routing::{not_found, use_id_param};

/// How often an open flow page asks for news.
const REFRESH_MILLISECONDS: u64 = 5_000;

#[component]
pub fn SupervisionDetailPage() -> impl IntoView {
    view! {
        <RequireLogin>
            <FlowLoader />
        </RequireLogin>
    }
}

#[component]
fn FlowLoader() -> impl IntoView {
    let id = use_id_param::<bazaar_core::ids::FlowId>();
    let flow = LocalResource::new(move || {
        let id = id.get();
        async move {
            match id {
                Some(id) => api::supervision::flow(id).await,
                None => Err::<FlowDetail, ApiError>(not_found()),
            }
        }
    });
    view! { {render_resource(flow, |detail| view! { <FlowView detail /> })} }
}

fn now_utc() -> OffsetDateTime {
    let millis = js_sys::Date::now() as i128;
    OffsetDateTime::from_unix_timestamp_nanos(millis * 1_000_000).unwrap_or(OffsetDateTime::UNIX_EPOCH)
}

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

/// Actions worth a button for this viewer now: the ones allowed, and the unavailable ones
/// that explain something (everything but "not at this step", except Remind and Appeal,
/// which people look for).
fn visible(state: &FlowState, viewer: Party) -> Vec<(FlowAction, Option<Blocked>)> {
    state
        .actions_for(viewer)
        .iter()
        .filter(|a| {
            a.blocked.is_none()
                || matches!(a.action, FlowAction::Appeal | FlowAction::Remind | FlowAction::ResolveAppeal)
                || !matches!(a.blocked, Some(Blocked::WrongStep))
        })
        .filter(|a| !(state.step.is_terminal() && a.blocked.is_some() && a.action != FlowAction::Appeal))
        .map(|a| (a.action, a.blocked.clone()))
        .collect()
}

#[component]
fn FlowView(detail: FlowDetail) -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let current = RwSignal::new(detail);
    // The server's clock minus ours, so countdowns follow the server (and its demo clock).
    let offset = Memo::new(move |_| current.with(|detail| detail.server_now - now_utc()));
    let now = RwSignal::new(now_utc() + offset.get_untracked());
    let _ = use_interval_fn(move || now.set(now_utc() + offset.get_untracked()), 1_000);
    let state = Memo::new(move |_| {
        let now = now.get();
        current.with(|detail| {
            evaluate(
                &detail.history,
                detail.summary.kind,
                detail.summary.started_at,
                detail.summary.planned_completion,
                now,
            )
        })
    });
    let viewer = current.with_untracked(|detail| detail.summary.viewer);
    let flow_id = current.with_untracked(|detail| detail.summary.id);
    let open_action = RwSignal::new(None::<FlowAction>);
    // Live: the other side's actions (and completions the server records) appear without
    // a reload. Polling pauses while a form is open so nothing moves under the person.
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
            let finished = current.with_untracked(|detail| {
                detail.state.step == Step::Cancelled
                    || detail.history.last().is_some_and(|event| matches!(event.kind, FlowEventKind::Completed))
                    || (detail.state.step == Step::Completed
                        && detail
                            .history
                            .iter()
                            .any(|event| matches!(event.kind, FlowEventKind::AppealResolved { .. })))
            });
            if open_action.get_untracked().is_none() && !finished {
                refresh();
            }
        },
        REFRESH_MILLISECONDS,
    );

    let field_errors = RwSignal::new(Vec::<FieldError>::new());
    let notice = RwSignal::new(None::<String>);
    let act = Action::new_local(move |command: &FlowCommand| {
        let version = current.with_untracked(|detail| detail.summary.version);
        api::supervision::act(flow_id, version, command.clone())
    });
    Effect::new(move |_| match act.value().get() {
        Some(Ok(detail)) => {
            current.set(detail);
            open_action.set(None);
            field_errors.set(Vec::new());
            notice.set(Some(i18n.s().acted.to_owned()));
        }
        Some(Err(error)) if error.code() == ErrorCode::PreconditionFailed => {
            // Someone else acted: show the flow as it is now and let the person decide again.
            notice.set(Some(i18n.s().stale.to_owned()));
            open_action.set(None);
            leptos::task::spawn_local(async move {
                if let Ok(fresh) = api::supervision::flow(flow_id).await {
                    current.set(fresh);
                }
            });
        }
        Some(Err(error)) => {
            field_errors.set(error.body.field_errors.clone());
            notice.set(error.body.field_errors.is_empty().then(|| error_message_with_detail(&error)));
        }
        None => {}
    });
    // `?action=appeal` (from a list row) opens that action's form once, if allowed.
    let requested = query.with_untracked(|query| query.get("action"));
    if let Some(slug) = requested {
        let allowed = state
            .get_untracked()
            .actions_for(viewer)
            .iter()
            .find(|a| crate::pages::supervision::action_slug(a.action) == slug && a.allowed())
            .map(|a| a.action);
        open_action.set(allowed.filter(|action| *action != FlowAction::Remind));
    }
    let start = move |action: FlowAction| {
        notice.set(None);
        field_errors.set(Vec::new());
        if action == FlowAction::Remind {
            act.dispatch(FlowCommand::Remind);
        } else {
            open_action.set(Some(action));
        }
    };

    let summary = move || current.with(|detail| detail.summary.clone());
    let locale = move || i18n.locale();
    let application = current.with_untracked(|detail| detail.application.clone());
    let order_id = current.with_untracked(|detail| detail.summary.order_id);
    // The server sends application information only to the buyer, once provisioned.
    let application = application.filter(|_| viewer == Party::Buyer);

    view! {
        <section class="flow">
            <p><A href="/supervision">{move || i18n.s().back}</A></p>
            <div class="order__heading">
                <h1>{move || summary().product_name}</h1>
                <span class="status-badge status-badge--processing" data-testid="flow-step">{move || i18n.s().step(state.get().step)}</span>
                <Show when=move || state.get().frozen()>
                    <span class="status-badge status-badge--pending" data-testid="flow-frozen">{move || i18n.s().frozen_badge}</span>
                </Show>
            </div>
            <p class="hint">
                {move || summary().order_number}" · "
                {move || if viewer == Party::Buyer { fill(i18n.s().counterpart_seller, &[("name", &summary().seller_name)]) } else { fill(i18n.s().counterpart_buyer, &[("name", &summary().buyer_name)]) }}
                " · "{move || summary().sku_name}
            </p>
            {move || state.get().open_appeal.map(|appeal| view! {
                <div class="notice notice--warning" role="status" data-testid="open-appeal">
                    {fill(i18n.s().appeal_open_by, &[("party", i18n.s().party(appeal.by)), ("date", &local_date_time(appeal.opened_at, locale())), ("reason", &appeal.reason)])}
                </div>
            })}
            <p class="visually-hidden" role="status" aria-live="polite">{move || notice.get()}</p>
            {move || notice.get().map(|text| view! { <p class="notice notice--info" data-testid="flow-notice">{text}</p> })}

            <div class="flow__grid">
                <div class="card flow__actions" data-testid="flow-actions">
                    <h2 class="card__title">{move || i18n.s().current_step}": "{move || i18n.s().step(state.get().step)}</h2>
                    <p class="hint">{move || match state.get().turn {
                        Some(turn) if turn == viewer => i18n.s().your_turn.to_owned(),
                        Some(turn) => fill(i18n.s().their_turn, &[("party", i18n.s().party(turn))]),
                        None => i18n.s().nobody_turn.to_owned(),
                    }}</p>
                    <ul class="action-list">
                        {move || visible(&state.get(), viewer).into_iter().map(|(action, blocked)| {
                            let reason_id = format!("reason-{}", crate::pages::supervision::action_slug(action));
                            let reason = blocked.as_ref().map(|blocked| blocked_reason(blocked, viewer, now.get(), locale()));
                            let allowed = blocked.is_none();
                            view! {
                                <li class="action-list__item">
                                    <button type="button" class=if allowed { "button button--primary" } else { "button button--secondary" }
                                        disabled=!allowed || act.pending().get()
                                        aria-describedby=reason.is_some().then(|| reason_id.clone())
                                        on:click=move |_| start(action)>
                                        {i18n.s().action(action)}
                                    </button>
                                    {reason.map(|reason| view! { <p class="hint action-list__reason" id=reason_id>{reason}</p> })}
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                </div>
                <RulesPanel state now />
            </div>

            {application.map(|application| {
                // Flows carry no delivery method; supervised image products (none in the
                // catalog) would show the generic "no initial password" hint here.
                view! { <ApplicationPanel app_id=bazaar_core::ids::AppId::of_order(order_id) application image=false /> }
            })}

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

            <ActionDialog open_action current act field_errors now />
        </section>
    }
}

fn error_message_with_detail(error: &ApiError) -> String {
    // Rule refusals carry the server's explanation; other errors use the translated text.
    if error.code() == ErrorCode::RuleViolation { error.body.message.clone() } else { error_message(error) }
}

/// The lines under a timeline event: notes, reasons, submitted values, start time.
fn event_details(kind: &FlowEventKind, template: &[TemplateField], locale: Locale) -> Vec<String> {
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

/// Counters and deadlines, counting down live.
#[component]
fn RulesPanel(state: Memo<FlowState>, now: RwSignal<OffsetDateTime>) -> impl IntoView {
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
                        fill(messages.rules_request_rejections, &[("count", &state.counters.request_rejections.to_string()), ("limit", &REJECTION_LIMIT.to_string())]),
                        fill(messages.rules_delivery_rejections, &[("count", &state.counters.delivery_rejections.to_string()), ("limit", &REJECTION_LIMIT.to_string())]),
                    ];
                    if let (Some(turn), Some(since)) = (state.turn, state.deadlines.idle_since) {
                        let idle = (now - since).min(IDLE_BEFORE_APPEAL + time::Duration::days(365));
                        let party = messages.party(turn);
                        let party = party.chars().next().map(|c| c.to_uppercase().collect::<String>() + &party[c.len_utf8()..]).unwrap_or_default();
                        lines.push(fill(messages.rules_idle, &[("party", &party), ("elapsed", &span(idle, locale))]));
                    }
                    let closes = state.deadlines.appeal_window_closes_at;
                    if now < closes {
                        lines.push(fill(messages.rules_window, &[("date", &local_date_time(closes, locale)), ("in", &fill(messages.in_prefix, &[("in", &span(closes - now, locale))]))]));
                    } else {
                        lines.push(fill(messages.rules_window_closed, &[("date", &local_date_time(closes, locale))]));
                    }
                    lines.push(fill(messages.rules_planned, &[("date", &local_date_time(state.deadlines.planned_completion, locale))]));
                    if let (Step::Accepted, Some(completes_at)) = (state.step, state.deadlines.completes_at) {
                        lines.push(fill(messages.rules_completes, &[("date", &local_date_time(completes_at, locale)), ("in", &span(completes_at - now, locale))]));
                    }
                    if let Some(next) = state.deadlines.next_reminder_at.filter(|next| *next > now && state.turn == Some(Party::Seller)) {
                        lines.push(fill(messages.rules_next_reminder, &[("in", &span(next - now, locale))]));
                    }
                    lines.into_iter().map(|line| view! { <li>{line}</li> }).collect_view()
                }}
            </ul>
        </div>
    }
}

/// The form of the action being taken, in a modal dialog over the page.
#[component]
fn ActionDialog(
    open_action: RwSignal<Option<FlowAction>>,
    current: RwSignal<FlowDetail>,
    act: Action<FlowCommand, Result<FlowDetail, ApiError>>,
    field_errors: RwSignal<Vec<FieldError>>,
    /// The server's "now": the default service start time.
    now: RwSignal<OffsetDateTime>,
) -> impl IntoView {
    let i18n = use_i18n();
    let dialog = NodeRef::<html::Dialog>::new();
    let text = RwSignal::new(String::new());
    let start_time = RwSignal::new(String::new());
    let outcome = RwSignal::new(AppealOutcome::Resume);
    let values = RwSignal::new(RequestValues::new());
    Effect::new(move |_| {
        let Some(dialog) = dialog.get() else { return };
        match open_action.get() {
            Some(action) => {
                text.set(String::new());
                start_time.set(local_datetime_value(now.get_untracked()));
                outcome.set(AppealOutcome::Resume);
                // Resubmitting starts from the last request.
                if action == FlowAction::SubmitRequest {
                    let last = current.with_untracked(|detail| {
                        detail.history.iter().rev().find_map(|event| match &event.kind {
                            FlowEventKind::RequestSubmitted { values } => Some(values.clone()),
                            _ => None,
                        })
                    });
                    values.set(last.unwrap_or_default());
                }
                if !dialog.open() {
                    let _ = dialog.show_modal();
                }
            }
            None => {
                if dialog.open() {
                    dialog.close();
                }
            }
        }
    });
    let error_for = move |field: &'static str| {
        Signal::derive(move || {
            field_errors.with(|errors| errors.iter().find(|e| e.field == field).map(|e| i18n.t().field_error(e)))
        })
    };
    let submit = move || {
        let Some(action) = open_action.get_untracked() else { return };
        let note = text.get_untracked();
        let optional = (!note.trim().is_empty()).then(|| note.clone());
        let command = match action {
            FlowAction::SubmitRequest => FlowCommand::SubmitRequest { values: values.get_untracked() },
            FlowAction::AcceptRequest => FlowCommand::AcceptRequest { note: optional },
            FlowAction::RejectRequest => FlowCommand::RejectRequest { reason: note },
            FlowAction::PostProgress => FlowCommand::PostProgress { note },
            FlowAction::Deliver => {
                let Some(started) = parse_local_datetime(&start_time.get_untracked()) else {
                    field_errors.set(vec![FieldError::new("service_started_at", "invalid", "Enter a date and time.")]);
                    return;
                };
                FlowCommand::Deliver { note, service_started_at: started }
            }
            FlowAction::AcceptDelivery => FlowCommand::AcceptDelivery { note: optional },
            FlowAction::RejectDelivery => FlowCommand::RejectDelivery { reason: note },
            FlowAction::Remind => FlowCommand::Remind,
            FlowAction::Appeal => FlowCommand::Appeal { reason: note },
            FlowAction::ResolveAppeal => FlowCommand::ResolveAppeal { outcome: outcome.get_untracked(), note },
        };
        act.dispatch(command);
    };
    let text_label = move || match open_action.get() {
        Some(FlowAction::RejectRequest | FlowAction::RejectDelivery | FlowAction::Appeal) => i18n.s().form_reason,
        Some(FlowAction::Deliver) => i18n.s().form_delivery_note,
        Some(FlowAction::AcceptRequest | FlowAction::AcceptDelivery) => i18n.s().form_note_optional,
        _ => i18n.s().form_note,
    };
    let text_error = Signal::derive(move || error_for("reason").get().or_else(|| error_for("note").get()));
    view! {
        <dialog node_ref=dialog class="dialog dialog--wide" aria-labelledby="action-title" on:close=move |_| open_action.set(None)>
            <form class="dialog__body" novalidate on:submit=move |event| { event.prevent_default(); submit(); }>
                <h2 id="action-title">{move || open_action.get().map(|action| i18n.s().action(action))}</h2>
                {move || match open_action.get() {
                    Some(FlowAction::SubmitRequest) => {
                        let template = current.with_untracked(|detail| detail.template.clone());
                        view! { <RequestForm template values field_errors /> }.into_any()
                    }
                    Some(_) => view! {
                        <TextAreaField id="action-text" label=Signal::derive(move || text_label().to_owned()) value=text
                            error=text_error max_length=2000 />
                        <Show when=move || open_action.get() == Some(FlowAction::Deliver)>
                            <div class="field" class:field--invalid=move || error_for("service_started_at").get().is_some()>
                                <label class="field__label" for="service-start">{move || i18n.s().form_service_start}</label>
                                <input id="service-start" class="field__input" type="datetime-local" bind:value=start_time
                                    aria-describedby="service-start-error" />
                                <p class="field__error" id="service-start-error" aria-live="polite">{move || error_for("service_started_at").get()}</p>
                            </div>
                        </Show>
                        <Show when=move || open_action.get() == Some(FlowAction::ResolveAppeal)>
                            <fieldset class="payment-methods">
                                <legend class="field__label">{move || i18n.s().form_outcome}</legend>
                                {[AppealOutcome::Resume, AppealOutcome::CompleteForSeller, AppealOutcome::RefundBuyer].into_iter().map(|choice| {
                                    let id = format!("outcome-{choice:?}");
                                    view! {
                                        <div class="payment-method">
                                            <input type="radio" name="outcome" id=id.clone() prop:checked=move || outcome.get() == choice
                                                on:change=move |_| outcome.set(choice) />
                                            <label for=id>{move || i18n.s().outcome(choice)}</label>
                                        </div>
                                    }
                                }).collect_view()}
                            </fieldset>
                        </Show>
                    }.into_any(),
                    None => ().into_any(),
                }}
                <div class="dialog__actions">
                    <button type="submit" class="button button--primary" disabled=move || act.pending().get()>{move || i18n.s().form_send}</button>
                    <button type="button" class="button button--quiet" on:click=move |_| open_action.set(None)>{move || i18n.s().form_cancel}</button>
                </div>
            </form>
        </dialog>
    }
}

/// The seller's request template as a form.
#[component]
fn RequestForm(
    template: Vec<TemplateField>,
    values: RwSignal<RequestValues>,
    field_errors: RwSignal<Vec<FieldError>>,
) -> impl IntoView {
    let i18n = use_i18n();
    template
        .into_iter()
        .map(|field| {
            let key = field.key.clone();
            let id = format!("request-{}", field.key);
            let error_id = format!("{id}-error");
            let hint_id = format!("{id}-hint");
            let error_key = key.clone();
            let error = Signal::derive(move || {
                field_errors.with(|errors| errors.iter().find(|e| e.field == error_key).map(|e| i18n.t().field_error(e)))
            });
            let value_key = key.clone();
            let value = move || values.with(|values| values.get(&value_key).cloned().unwrap_or_default());
            let set_key = key.clone();
            let set = move |text: String| values.update(|values| {
                values.insert(set_key.clone(), text);
            });
            let described = format!("{hint_id} {error_id}");
            let label = if field.required { format!("{} *", field.label) } else { field.label.clone() };
            let input = match &field.kind {
                TemplateFieldKind::LongText { max_chars } => view! {
                    <textarea id=id.clone() class="field__textarea" rows="4" maxlength=max_chars.to_string() required=field.required
                        aria-describedby=described.clone() prop:value=value on:input=move |event| set(event_target_value(&event))></textarea>
                }.into_any(),
                TemplateFieldKind::Choice { options } => {
                    let options = options.clone();
                    let current = value.clone();
                    view! {
                        <select id=id.clone() class="field__input" required=field.required aria-describedby=described.clone()
                            on:change=move |event| set(event_target_value(&event))>
                            <option value="" prop:selected={let current = current.clone(); move || current().is_empty()}>"—"</option>
                            {options.into_iter().map(|option| {
                                let selected = { let current = current.clone(); let option = option.clone(); move || current() == option };
                                view! { <option value=option.clone() prop:selected=selected>{option.clone()}</option> }
                            }).collect_view()}
                        </select>
                    }.into_any()
                }
                kind => {
                    let (input_type, max) = match kind {
                        TemplateFieldKind::Number { .. } => ("number", None),
                        TemplateFieldKind::Date => ("date", None),
                        TemplateFieldKind::Text { max_chars } => ("text", Some(max_chars.to_string())),
                        _ => ("text", None),
                    };
                    view! {
                        <input id=id.clone() class="field__input" type=input_type maxlength=max required=field.required
                            aria-describedby=described.clone() prop:value=value on:input=move |event| set(event_target_value(&event)) />
                    }.into_any()
                }
            };
            view! {
                <div class="field" class:field--invalid=move || error.get().is_some()>
                    <label class="field__label" for=id.clone()>{label}</label>
                    <p class="field__hint" id=hint_id>{field.hint.clone()}</p>
                    {input}
                    <p class="field__error" id=error_id aria-live="polite">{move || error.get()}</p>
                </div>
            }
        })
        .collect_view()
}

/// `YYYY-MM-DDTHH:MM` of a moment in the browser's time zone, for `datetime-local`.
fn local_datetime_value(moment: OffsetDateTime) -> String {
    let date = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64((moment.unix_timestamp() * 1000) as f64));
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}",
        date.get_full_year(),
        date.get_month() + 1,
        date.get_date(),
        date.get_hours(),
        date.get_minutes()
    )
}

/// A `datetime-local` value (browser time zone) as a UTC moment.
fn parse_local_datetime(value: &str) -> Option<OffsetDateTime> {
    if value.len() < 16 {
        return None;
    }
    let date = js_sys::Date::new(&wasm_bindgen::JsValue::from_str(value));
    let millis = date.get_time();
    if millis.is_nan() {
        return None;
    }
    OffsetDateTime::from_unix_timestamp((millis / 1000.0) as i64).ok()
}
