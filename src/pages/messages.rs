//! Messages (`/messages`): the account's messages, newest first, with the group and
//! "unread only" filters in the URL, each linking to its app, order or flow; opening one,
//! "Mark as read" and "Mark all as read" update the header bell at once.

use bazaar_core::messages::{Message, MessageGroup, MessageLink, MessagePage};
use leptos::prelude::*;
use leptos_router::components::A;

use crate::api;
use crate::components::list_filters::{FilterCheckbox, FilterChips, use_list_state};
use crate::components::page_heading::PageHeading;
use crate::components::require_login::RequireLogin;
use crate::components::status::{EmptyState, error_message, render_resource};
use crate::format::{local_date, local_date_time};
use crate::i18n::use_i18n;
use crate::list_query::ListKey;
use crate::unread_messages::use_unread_messages;

#[component]
pub fn MessagesPage() -> impl IntoView {
    view! {
        <RequireLogin>
            <MessageCentre />
        </RequireLogin>
    }
}

/// The list's filters in the URL.
static FILTERS: [ListKey; 2] = [ListKey::of::<MessageGroup>("group"), ListKey::flag("unread", "true")];

#[component]
fn MessageCentre() -> impl IntoView {
    let i18n = use_i18n();
    let unread = use_unread_messages();
    let state = use_list_state("/messages", &FILTERS);
    // `Some(id)`: one message; `None`: all of them.
    let mark = Action::new_local(move |message: &Option<i64>| {
        let message = *message;
        async move {
            let result = match message {
                Some(id) => api::messages::mark_read(id).await,
                None => api::messages::mark_all_read().await,
            };
            unread.refresh();
            result
        }
    });
    let messages = LocalResource::new(move || {
        mark.version().get();
        let filters = state.query.get();
        let mut query = vec!["page_size=100".to_owned()];
        if let Some(group) = filters.parsed::<MessageGroup>("group") {
            query.push(format!("group={}", group.as_str()));
        }
        if filters.get("unread").is_some() {
            query.push("unread=true".to_owned());
        }
        api::messages::messages(query.join("&"))
    });
    let mark_error =
        move || mark.value().with(|value| value.as_ref().and_then(|result| result.as_ref().err().map(error_message)));

    view! {
        <section class="messages">
            <div class="messages__heading">
                <PageHeading text=move || i18n.lc().messages_title />
                <button type="button" class="button button--secondary" disabled=move || mark.pending().get()
                    on:click=move |_| { mark.dispatch(None); }>
                    {move || i18n.lc().mark_all_read}
                </button>
            </div>
            <FilterChips state key="group" label=Signal::derive(move || i18n.lc().messages_filter_label.to_owned())
                none_label=Signal::derive(move || i18n.lc().group(None).to_owned())
                choices=MessageGroup::ALL.map(|group| (group.as_str(), Signal::derive(move || i18n.lc().group(Some(group)).to_owned()))).to_vec() />
            <FilterCheckbox state key="unread" on="true" id="messages-unread"
                label=Signal::derive(move || i18n.lc().unread_only.to_owned()) />
            {move || mark_error().map(|text| view! { <p class="notice notice--error" role="alert">{text}</p> })}
            {render_resource(messages, move |page: MessagePage| {
                if page.items.is_empty() {
                    let title = Signal::derive(move || i18n.lc().messages_empty.to_owned());
                    return view! { <EmptyState title><span></span></EmptyState> }.into_any();
                }
                view! {
                    <ul class="message-list" data-testid="message-list">
                        {page.items.into_iter().map(|message| view! { <MessageItem message mark /> }).collect_view()}
                    </ul>
                }.into_any()
            })}
        </section>
    }
}

#[component]
fn MessageItem(message: Message, mark: Action<Option<i64>, Result<(), api::ApiError>>) -> impl IntoView {
    let i18n = use_i18n();
    let id = message.id;
    let href = match message.link {
        MessageLink::App { app_id } => format!("/apps/{app_id}"),
        MessageLink::Order { order_id } => format!("/orders/{order_id}"),
        MessageLink::Flow { flow_id } => format!("/supervision/{flow_id}"),
    };
    let (topic, subject, at, created) = (message.topic, message.subject.clone(), message.at, message.created_at);
    let text = move || {
        let date = at.map(|at| local_date(at, i18n.locale())).unwrap_or_default();
        i18n.lc().topic(topic, &subject, &date)
    };
    let unread = !message.read;
    let late = message.is_late().then_some(message.due_at);
    view! {
        <li class="message card" class:message--unread=unread data-testid="message">
            <div class="message__main">
                {unread.then(|| view! { <span class="tag">{move || i18n.lc().unread}</span>" " })}
                // Opening a message reads it.
                <A href=href on:click=move |_| if unread { mark.dispatch(Some(id)); }>{text}</A>
                <p class="hint">{message.order_number.clone()}" · "{move || local_date_time(created, i18n.locale())}</p>
                {late.map(|due| view! {
                    <p class="hint" data-testid="message-late">{move || (i18n.lc().sent_late)(&local_date_time(due, i18n.locale()))}</p>
                })}
            </div>
            {unread.then(|| view! {
                <button type="button" class="button button--quiet button--small" disabled=move || mark.pending().get()
                    on:click=move |_| { mark.dispatch(Some(id)); }>
                    {move || i18n.lc().mark_read}
                </button>
            })}
        </li>
    }
}
