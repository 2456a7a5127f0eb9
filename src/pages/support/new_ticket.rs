//! Opening a support ticket (`/support/new?order_id=N`, from Resource Details and an
//! order): what it is about, what happened, up to 3 screenshots or documents. The server
//! checks the files by their bytes; its field errors show beside the fields.

use bazaar_core::ids::OrderId;
use bazaar_core::orders::order_number;
use bazaar_core::support::tickets::{TEXT_MAX, TicketCategory};
use bazaar_core::support::wire::{NewTicket, TicketView};
use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_query_map};

use crate::api::{self, ApiError};
use crate::components::fields::{TextAreaField, use_field_error};
use crate::components::files_field::{FilesField, PickedFiles};
use crate::components::page_heading::PageHeading;
use crate::components::require_login::RequireLogin;
use crate::i18n::use_i18n;

#[component]
pub fn NewTicketPage() -> impl IntoView {
    let query = use_query_map();
    let order_id = query.with_untracked(|query| query.get("order_id").and_then(|id| id.parse::<i64>().ok()));
    view! {
        <RequireLogin>
            {order_id.map(|id| view! { <NewTicketForm order_id=OrderId(id) /> })}
        </RequireLogin>
    }
}

#[component]
fn NewTicketForm(order_id: OrderId) -> impl IntoView {
    let i18n = use_i18n();
    let navigate = use_navigate();
    let category = RwSignal::new(TicketCategory::Fault);
    let description = RwSignal::new(String::new());
    let files: PickedFiles = StoredValue::new_local(Vec::new());
    let open = Action::new_local(move |(ticket, files): &(NewTicket, Vec<web_sys::File>)| {
        let (ticket, files, navigate) = (ticket.clone(), files.clone(), navigate.clone());
        async move {
            let view: Result<TicketView, ApiError> = api::support::open_ticket(ticket, files).await;
            if let Ok(view) = &view {
                navigate(&format!("/support/{}", view.summary.id), Default::default());
            }
            view
        }
    });
    let errors = Signal::derive(move || {
        open.value().get().and_then(Result::err).map(|e| e.body.field_errors()).unwrap_or_default()
    });
    let general = move || open.value().get().and_then(Result::err).and_then(|error| super::general_error(&error));
    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let ticket =
            NewTicket { order_id, category: category.get_untracked(), description: description.get_untracked() };
        open.dispatch((ticket, files.get_value()));
    };
    let number = order_number(order_id);
    view! {
        <section class="support">
            <PageHeading text=move || (i18n.support().new_title)(&number) />
            {move || general().map(|text| view! { <p class="notice notice--error" role="alert">{text}</p> })}
            <form class="support-form" on:submit=submit novalidate>
                <div class="field">
                    <label class="field__label" for="ticket-category">{move || i18n.support().category_label}</label>
                    <select id="ticket-category" class="field__select"
                        on:change=move |event| if let Ok(value) = event_target_value(&event).parse() { category.set(value) }>
                        {TicketCategory::ALL.into_iter().map(|option| view! {
                            <option value=option.as_str() selected=move || category.get() == option>{move || i18n.support().terms.category(option)}</option>
                        }).collect_view()}
                    </select>
                </div>
                <TextAreaField id="ticket-description"
                    label=Signal::derive(move || i18n.support().description_label.to_owned())
                    value=description error=use_field_error(errors, "description") rows=6 max_length=TEXT_MAX as u32 />
                <p class="hint">{move || i18n.support().description_hint}</p>
                <FilesField id="ticket-files" files errors />
                <button type="submit" class="button button--primary"
                    disabled=move || open.pending().get()>
                    {move || if open.pending().get() { i18n.support().sending } else { i18n.support().submit }}
                </button>
            </form>
        </section>
    }
}
