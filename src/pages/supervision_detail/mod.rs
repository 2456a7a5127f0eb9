//! One service flow (`/supervision/:id`): the timeline, the current step, a rules panel with
//! live countdowns, the viewer's actions (each unavailable one says why), the forms those
//! actions need (the seller's request template, reasons, delivery, resolution), and for
//! buyers of SaaS products the application information before the flow completes.
//!
//! The page evaluates the server's history with the same core rules every second, on the
//! server's clock (the offset is taken from `server_now`), so deadlines count down and
//! buttons unlock without a reload; the server re-checks every action.

use bazaar_core::error::{ErrorCode, FieldError, FieldErrorCode};
use bazaar_core::supervision::{
    AppealOutcome, Blocked, FlowAction, FlowCommand, FlowDetail, FlowEventKind, FlowState, IDLE_BEFORE_APPEAL,
    NO_APPEAL_BEFORE_COMPLETION, Negotiation, NegotiationStage, Party, REJECTION_LIMIT, RequestValues, Step,
    TemplateField, TemplateFieldKind, evaluate,
};
use leptos::html;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_query_map;
use leptos_use::use_interval_fn;
use time::OffsetDateTime;

use crate::api::{self, ApiError};
use crate::components::fields::{TextAreaField, use_field_error};
use crate::components::require_login::RequireLogin;
use crate::components::status::{error_message, render_resource};
use crate::format::local_date_time;
use crate::i18n::{Locale, use_i18n};
use crate::i18n_supervision::span;
use crate::pages::app_detail::RevealableApplication;
use crate::routing::{not_found, use_id_param};

/// How often an open flow page asks for news.
mod action_dialog;
mod explain;
mod flow_parts;
mod request_form;
mod rules_panel;

use action_dialog::ActionDialog;
pub use explain::blocked_reason;
use flow_parts::{ActionList, FlowHeader, Timeline, act_action, act_notice, refresh_while_idle, shown_field_errors};
use request_form::{RequestForm, local_datetime_value, parse_local_datetime};
use rules_panel::RulesPanel;

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
                || !matches!(
                    a.blocked,
                    // Unsubscription moves show up once there is something to answer.
                    Some(Blocked::WrongStep | Blocked::NoUnsubscriptionAsked | Blocked::NoProposal)
                )
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
    refresh_while_idle(flow_id, current, open_action);

    // Problems the page finds itself before sending (a bad start time).
    let local_errors = RwSignal::new(Vec::<FieldError>::new());
    let act = act_action(flow_id, current, open_action);
    let field_errors = shown_field_errors(local_errors, act);
    // What the last action came to, in the current language.
    let notice = move || act_notice(i18n, act, viewer, now.get());
    // `?action=appeal` (from a list row) opens that action's form once, if allowed.
    let requested = query.with_untracked(|query| query.get("action"));
    if let Some(slug) = requested {
        let allowed = state
            .get_untracked()
            .actions_for(viewer)
            .iter()
            .find(|a| a.action.as_str() == slug && a.allowed())
            .map(|a| a.action);
        open_action.set(allowed.filter(|action| *action != FlowAction::Remind));
    }
    let start = move |action: FlowAction| {
        local_errors.set(Vec::new());
        act.value().set(None);
        if action == FlowAction::Remind {
            act.dispatch(FlowCommand::Remind);
        } else {
            open_action.set(Some(action));
        }
    };

    let application = current.with_untracked(|detail| detail.application.clone());
    let order_id = current.with_untracked(|detail| detail.summary.order_id);
    // The server sends application information only to the buyer, once provisioned.
    let application = application.filter(|_| viewer == Party::Buyer);

    view! {
        <section class="flow">
            <p><A href="/supervision">{move || i18n.s().back}</A></p>
            <FlowHeader current state viewer />
            {move || state.get().unsubscription.map(|negotiation| view! { <NegotiationPanel negotiation /> })}
            <p class="visually-hidden" role="status" aria-live="polite">{notice}</p>
            {move || notice().map(|text| view! { <p class="notice notice--info" data-testid="flow-notice">{text}</p> })}

            <div class="flow__grid">
                <div class="card flow__actions" data-testid="flow-actions">
                    <h2 class="card__title">{move || i18n.s().current_step}": "{move || i18n.s().step(state.get().step)}</h2>
                    <p class="hint">{move || match state.get().turn {
                        Some(turn) if turn == viewer => i18n.s().your_turn.to_owned(),
                        Some(turn) => (i18n.s().their_turn)(i18n.s().party(turn)),
                        None => i18n.s().nobody_turn.to_owned(),
                    }}</p>
                    <ActionList state viewer now pending=act.pending().into() start=Callback::new(start) />
                </div>
                <RulesPanel state now />
            </div>

            {application.map(|application| {
                // Flows carry no delivery method; supervised image products (none in the
                // catalog) would show the generic "no initial password" hint here.
                view! { <RevealableApplication app_id=bazaar_core::ids::AppId::of_order(order_id) application image=false /> }
            })}

            <Timeline current />

            <ActionDialog open_action current act field_errors local_errors now />
        </section>
    }
}

/// Where the buyer's request to leave stands, above the actions.
#[component]
fn NegotiationPanel(negotiation: Negotiation) -> impl IntoView {
    let i18n = use_i18n();
    move || {
        let messages = i18n.s();
        let offer = negotiation.proposal.map(|money| money.display()).unwrap_or_default();
        let stage = match negotiation.stage {
            NegotiationStage::Asked => messages.stage_asked.to_owned(),
            NegotiationStage::Proposed => (messages.stage_proposed)(&offer),
            NegotiationStage::Declined => messages.stage_declined.to_owned(),
            NegotiationStage::Rejected => (messages.stage_rejected)(&offer),
            NegotiationStage::Agreed => {
                (messages.stage_agreed)(&negotiation.agreed_refund.map(|money| money.display()).unwrap_or_default())
            }
        };
        view! {
            <div class="card" data-testid="negotiation">
                <h2 class="card__title">{messages.negotiation_title}</h2>
                <p>{(messages.negotiation_asked)(&local_date_time(negotiation.asked_at, i18n.locale()), &negotiation.reason)}</p>
                <p class="notice notice--info" data-testid="negotiation-stage">{stage}</p>
            </div>
        }
    }
}
