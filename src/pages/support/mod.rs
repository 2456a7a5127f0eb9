//! After-Sales Support's lists: the buyer's tickets (`/support`), the seller's queue
//! (`/seller/tickets`, soonest deadline first) and operations' escalated tickets
//! (`/operations/tickets`). Open or closed ones, as the URL says (`?state=closed`).

pub mod new_ticket;
pub mod ticket;

use bazaar_core::support::tickets::TicketState;
use bazaar_core::support::wire::{TicketPage, TicketSummary};
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_query_map;

use crate::api::support::TicketList;
use crate::api::{self, ApiError};
use crate::components::page_heading::PageHeading;
use crate::components::require_login::RequireLogin;
use crate::components::status::{EmptyState, render_resource};
use crate::format::local_date_time;
use crate::i18n::use_i18n;

#[component]
pub fn SupportPage() -> impl IntoView {
    view! { <RequireLogin><Tickets list=TicketList::Mine /></RequireLogin> }
}

#[component]
pub fn SellerTicketsPage() -> impl IntoView {
    view! { <RequireLogin><Tickets list=TicketList::Seller /></RequireLogin> }
}

#[component]
pub fn OperationsTicketsPage() -> impl IntoView {
    view! { <RequireLogin><Tickets list=TicketList::Operations /></RequireLogin> }
}

fn base_path(list: TicketList) -> &'static str {
    match list {
        TicketList::Mine => "/support",
        TicketList::Seller => "/seller/tickets",
        TicketList::Operations => "/operations/tickets",
    }
}

#[component]
fn Tickets(list: TicketList) -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let closed = Memo::new(move |_| query.with(|query| query.get("state").as_deref() == Some("closed")));
    let tickets = LocalResource::new(move || {
        let closed = closed.get();
        async move { api::support::tickets(list, closed, 1).await }
    });
    let title = move || match list {
        TicketList::Mine => i18n.support().title,
        TicketList::Seller => i18n.support().seller_nav,
        TicketList::Operations => i18n.support().operations_nav,
    };
    let intro = move || match list {
        TicketList::Mine => i18n.support().intro,
        TicketList::Seller => i18n.support().seller_intro,
        TicketList::Operations => i18n.support().operations_intro,
    };
    let path = base_path(list);
    view! {
        <section class="support">
            <PageHeading text=title />
            <p class="hint">{intro}</p>
            <nav class="filter-chips" aria-label=move || i18n.support().filter_label>
                // Plain links: the router's <A> marks both current, as they differ only in
                // their query.
                <a href=path class="filter-chip" aria-current=move || (!closed.get()).then_some("page")>{move || i18n.support().filter_open}</a>
                <a href=format!("{path}?state=closed") class="filter-chip" aria-current=move || closed.get().then_some("page")>{move || i18n.support().filter_closed}</a>
            </nav>
            {render_resource(tickets, move |page: TicketPage| view! { <TicketTable page list /> })}
        </section>
    }
}

#[component]
fn TicketTable(page: TicketPage, list: TicketList) -> impl IntoView {
    let i18n = use_i18n();
    if page.items.is_empty() {
        let title = Signal::derive(move || i18n.support().empty.to_owned());
        // A buyer learns where tickets start; staff lists just say there is nothing.
        let hint = (list == TicketList::Mine).then(|| {
            view! {
                <p>{move || i18n.support().empty_hint}" "<A href="/apps">{move || i18n.support().empty_link}</A></p>
            }
        });
        return view! { <EmptyState title>{hint}</EmptyState> }.into_any();
    }
    view! {
        <div class="table-scroll">
        <table class="orders-table" data-testid="ticket-list">
            <thead><tr>
                <th scope="col">{move || i18n.support().column_ticket}</th>
                <th scope="col">{move || i18n.support().column_product}</th>
                <th scope="col">{move || i18n.support().column_category}</th>
                <th scope="col">{move || i18n.support().column_state}</th>
                <th scope="col">{move || i18n.support().column_deadline}</th>
                <th scope="col">{move || i18n.support().column_updated}</th>
            </tr></thead>
            <tbody>
                {page.items.into_iter().map(|ticket| view! { <TicketRow ticket list /> }).collect_view()}
            </tbody>
        </table>
        </div>
    }
    .into_any()
}

#[component]
fn TicketRow(ticket: TicketSummary, list: TicketList) -> impl IntoView {
    let i18n = use_i18n();
    let TicketSummary { id, category, state, escalated, seller_deadline, updated_at, .. } = ticket;
    let buyer = list == TicketList::Mine;
    view! {
        <tr data-testid="ticket-row">
            <th scope="row"><A href=format!("/support/{id}")>{format!("#{id}")}</A></th>
            <td>{ticket.product_name}<br /><span class="hint">{ticket.order_number}{(!buyer).then(|| format!(" · {}", ticket.seller_name))}</span></td>
            <td>{move || i18n.support().terms.category(category)}</td>
            <td>
                {move || i18n.support().terms.state(state)}
                {(escalated && state != TicketState::Closed).then(|| view! { " "<span class="tag">{move || i18n.support().with_operations}</span> })}
            </td>
            <td>{move || seller_deadline.map(|at| local_date_time(at, i18n.locale())).unwrap_or_else(|| "—".to_owned())}</td>
            <td>{move || local_date_time(updated_at, i18n.locale())}</td>
        </tr>
    }
}

/// The error a ticket action answered, when it is not about a field.
pub(crate) fn general_error(error: &ApiError) -> Option<String> {
    error.body.field_errors().is_empty().then(|| crate::components::status::error_message(error))
}
