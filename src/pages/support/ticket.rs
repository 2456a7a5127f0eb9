//! A support ticket (`/support/:id`) as each party sees it: what it is about, the seller's
//! contact and countdown, the thread with its files, and the actions the rules give the
//! reader — the refused ones disabled with their reason, like supervision's.

use bazaar_core::support::tickets::{TicketAction, TicketBlocked, TicketState};
use bazaar_core::support::wire::{TicketActionRequest, TicketActionState, TicketPost, TicketView};
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;

use crate::api::{self, ApiError};
use crate::components::fields::{TextAreaField, use_field_error};
use crate::components::files_field::{FilesField, PickedFiles};
use crate::components::page_heading::PageHeading;
use crate::components::require_login::RequireLogin;
use crate::components::status::render_resource;
use crate::format::local_date_time;
use crate::i18n::use_i18n;

type Act = Action<(TicketActionRequest, Vec<web_sys::File>), Result<TicketView, ApiError>>;

#[component]
pub fn TicketPage() -> impl IntoView {
    let params = use_params_map();
    let id = params.with_untracked(|params| params.get("id").and_then(|id| id.parse::<i64>().ok())).unwrap_or(0);
    view! { <RequireLogin><TicketDetail id /></RequireLogin> }
}

#[component]
fn TicketDetail(id: i64) -> impl IntoView {
    let i18n = use_i18n();
    let act: Act = Action::new_local(move |(request, files): &(TicketActionRequest, Vec<web_sys::File>)| {
        api::support::act(id, request.clone(), files.clone())
    });
    let ticket = LocalResource::new(move || {
        act.version().get();
        api::support::ticket(id)
    });
    let general = move || act.value().get().and_then(Result::err).and_then(|error| super::general_error(&error));
    view! {
        <section class="support">
            <PageHeading text=move || (i18n.support().ticket_title)(id) />
            {move || general().map(|text| view! { <p class="notice notice--error" role="alert">{text}</p> })}
            {render_resource(ticket, move |view: TicketView| view! { <TicketBody view act /> })}
        </section>
    }
}

#[component]
fn TicketBody(view: TicketView, act: Act) -> impl IntoView {
    let i18n = use_i18n();
    let summary = view.summary.clone();
    let (state, category, escalated) = (summary.state, summary.category, summary.escalated);
    let deadline = summary.seller_deadline;
    let now = view.server_now;
    let closes = view.closes_itself_at;
    let seller = view.seller.clone();
    let rating = view.rating;
    view! {
        <div class="card ticket-head" data-testid="ticket-head">
            <p>
                <strong>{summary.product_name.clone()}</strong>" · "
                <A href=format!("/orders/{}", summary.order_id)>{summary.order_number.clone()}</A>" · "
                {move || i18n.support().terms.category(category)}
            </p>
            <p data-testid="ticket-state">
                {move || i18n.support().terms.state(state)}
                {(escalated && state != TicketState::Closed).then(|| view! { " "<span class="tag">{move || i18n.support().with_operations}</span> })}
                {rating.map(|stars| view! { " · "{move || (i18n.support().rated)(stars)} })}
            </p>
            {deadline.map(|deadline| view! {
                <p class="notice notice--info" data-testid="ticket-deadline">{move || {
                    let date = local_date_time(deadline, i18n.locale());
                    if now >= deadline { (i18n.support().seller_late)(&date) } else { (i18n.support().answers_by)(&date) }
                }}</p>
            })}
            {closes.filter(|_| state == TicketState::Resolved).map(|at| view! {
                <p class="notice notice--info">{move || (i18n.support().closes_itself)(&local_date_time(at, i18n.locale()))}</p>
            })}
            <p class="hint">{move || (i18n.support().seller_contact)(&seller.support_hours, &seller.email, &seller.phone)}</p>
        </div>
        <h2>{move || i18n.support().thread}</h2>
        <ol class="ticket-thread" data-testid="ticket-thread">
            {view.posts.into_iter().map(|post| view! { <Post post ticket_id=summary.id /> }).collect_view()}
        </ol>
        <TicketActions actions=view.actions act />
    }
}

#[component]
fn Post(post: TicketPost, ticket_id: i64) -> impl IntoView {
    let i18n = use_i18n();
    let TicketPost { author_role, action, body, cause, fix, created_at, attachments, .. } = post;
    let author = author_role.clone();
    // A rating's post holds its stars.
    let stars = (action == "rate").then(|| body.parse::<u8>().ok()).flatten();
    let body = if stars.is_some() { String::new() } else { body };
    view! {
        <li class="ticket-post" data-testid="ticket-post">
            <p class="ticket-post__meta">
                <strong>{move || i18n.support().terms.author(&author)}</strong>
                {let action = action.clone(); move || i18n.support().terms.post_action(&action).map(|text| format!(" {text}"))}
                " · "{move || local_date_time(created_at, i18n.locale())}
            </p>
            {(!body.is_empty()).then(|| view! { <p class="ticket-post__body">{body.clone()}</p> })}
            {stars.map(|stars| view! { <p class="ticket-post__body">{move || (i18n.support().stars)(stars)}</p> })}
            {cause.map(|cause| view! { <p><strong>{move || i18n.support().cause}</strong>": "{cause}</p> })}
            {fix.map(|fix| view! { <p><strong>{move || i18n.support().fix}</strong>": "{fix}</p> })}
            {(!attachments.is_empty()).then(|| view! {
                <ul class="ticket-post__files" aria-label=move || i18n.support().attachments>
                    {attachments.into_iter().map(|file| view! {
                        <li><a href=api::support::attachment_href(ticket_id, file.id) download=file.file_name.clone()>{file.file_name.clone()}</a></li>
                    }).collect_view()}
                </ul>
            })}
        </li>
    }
}

#[component]
fn TicketActions(actions: Vec<TicketActionState>, act: Act) -> impl IntoView {
    let i18n = use_i18n();
    // Once closed, only what can still happen is shown (the rating), not a row of
    // buttons all refused for the same reason.
    let actions: Vec<TicketActionState> = actions
        .into_iter()
        .filter(|state| !matches!(state.blocked, Some(TicketBlocked::Closed | TicketBlocked::AlreadyRated)))
        .collect();
    if actions.is_empty() {
        return ().into_any();
    }
    let text = RwSignal::new(String::new());
    let cause = RwSignal::new(String::new());
    let fix = RwSignal::new(String::new());
    let stars = RwSignal::new(5u8);
    let files: PickedFiles = StoredValue::new_local(Vec::new());
    let errors = Signal::derive(move || {
        act.value().get().and_then(Result::err).map(|e| e.body.field_errors()).unwrap_or_default()
    });
    let allowed = |wanted: TicketAction| actions.iter().any(|state| state.action == wanted && state.blocked.is_none());
    let (may_write, may_resolve, may_rate) = (
        [TicketAction::Reply, TicketAction::Reopen, TicketAction::CloseWithDecision, TicketAction::ReturnToSeller]
            .into_iter()
            .any(allowed),
        allowed(TicketAction::Resolve),
        allowed(TicketAction::Rate),
    );
    let decides = allowed(TicketAction::CloseWithDecision);
    let send = move |action: TicketAction| {
        let request = TicketActionRequest {
            action,
            text: text.get_untracked(),
            cause: (action == TicketAction::Resolve).then(|| cause.get_untracked()),
            fix: (action == TicketAction::Resolve).then(|| fix.get_untracked()),
            stars: (action == TicketAction::Rate).then(|| stars.get_untracked()),
        };
        // Files go with the words; an action that writes none sends none.
        let words = matches!(
            action,
            TicketAction::Reply | TicketAction::Reopen | TicketAction::Resolve | TicketAction::CloseWithDecision
        );
        act.dispatch((request, if words { files.get_value() } else { Vec::new() }));
    };
    view! {
        <div class="card ticket-actions" data-testid="ticket-actions">
            {may_write.then(|| view! {
                <TextAreaField id="ticket-text"
                    label=Signal::derive(move || if decides { i18n.support().decision_label } else { i18n.support().reply_label }.to_owned())
                    value=text error=use_field_error(errors, "text") rows=4 max_length=5000 />
            })}
            {may_resolve.then(|| view! {
                <TextAreaField id="ticket-cause" label=Signal::derive(move || i18n.support().cause.to_owned())
                    value=cause error=use_field_error(errors, "cause") rows=2 max_length=5000 />
                <TextAreaField id="ticket-fix" label=Signal::derive(move || i18n.support().fix.to_owned())
                    value=fix error=use_field_error(errors, "fix") rows=2 max_length=5000 />
            })}
            {(may_write || may_resolve).then(|| view! { <FilesField id="ticket-reply-files" files errors /> })}
            {may_rate.then(|| view! {
                <div class="field">
                    <label class="field__label" for="ticket-stars">{move || i18n.support().rating_label}</label>
                    <select id="ticket-stars" class="field__select" on:change=move |event| if let Ok(value) = event_target_value(&event).parse() { stars.set(value) }>
                        {(1..=5u8).rev().map(|n| view! { <option value=n.to_string() selected=move || stars.get() == n>{move || (i18n.support().stars)(n)}</option> }).collect_view()}
                    </select>
                </div>
            })}
            <ul class="ticket-actions__buttons">
                {actions.into_iter().map(|state| {
                    let reason_id = format!("ticket-action-{}-reason", state.action.as_str());
                    let blocked = state.blocked;
                    view! {
                        <li>
                            <button type="button" class="button" class:button--primary=blocked.is_none() class:button--secondary=blocked.is_some()
                                disabled=move || blocked.is_some() || act.pending().get()
                                aria-describedby=blocked.map(|_| reason_id.clone())
                                on:click=move |_| send(state.action)>
                                {move || i18n.support().terms.action(state.action)}
                            </button>
                            {blocked.map(|blocked| view! {
                                <span id=reason_id.clone() class="hint">{move || i18n.support().terms.blocked(blocked, |at| local_date_time(at, i18n.locale()))}</span>
                            })}
                        </li>
                    }
                }).collect_view()}
            </ul>
        </div>
    }
    .into_any()
}
