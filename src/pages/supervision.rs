//! Service Supervision (`/supervision`): the viewer's flows — a buyer's supervised
//! purchases, a seller's console, or the operations queue — with search criteria (order
//! number or product, step, start dates, open appeals) in the URL, each row's available
//! operations, and View Details.

use bazaar_core::account::Role;
use bazaar_core::supervision::{FlowAction, FlowPage, Party, Step};
use leptos::prelude::*;
use leptos_router::components::A;

use crate::api;
use crate::components::list_filters::{
    FilterBar, FilterCheckbox, FilterDate, FilterSearch, FilterSelect, ListState, SearchText, use_list_state,
};
use crate::components::page_heading::PageHeading;
use crate::components::pager::Pager;
use crate::components::require_login::RequireLogin;
use crate::components::status::{EmptyState, render_resource};
use crate::format::local_date;
use crate::i18n::use_i18n;
use crate::list_query::{ListKey, ListQuery};
use crate::session::use_session;

#[component]
pub fn SupervisionPage() -> impl IntoView {
    view! {
        <RequireLogin>
            <FlowList />
        </RequireLogin>
    }
}

/// The list's filters in the URL.
static FILTERS: [ListKey; 5] = [
    ListKey::text("q"),
    ListKey::of::<Step>("step"),
    ListKey::text("from"),
    ListKey::text("to"),
    ListKey::flag("appeal", "open"),
];

/// The API's query: local calendar days become UTC instants; `to` is inclusive.
fn api_query(query: &ListQuery) -> String {
    query.api_query().filters(&["q", "step", "appeal"]).created_between("from", "to").page(None)
}

/// Order number or product, step, start dates, open appeals.
#[component]
fn FlowFilterBar(state: ListState) -> impl IntoView {
    let i18n = use_i18n();
    let search = SearchText::new(state, "q");
    let steps = Step::ALL
        .into_iter()
        .map(|step| (step.as_str(), Signal::derive(move || i18n.s().step(step).to_owned())))
        .collect();
    view! {
        <FilterBar state search>
            <FilterSearch id="flow-search" search label=Signal::derive(move || i18n.s().filter_search.to_owned()) />
            <FilterSelect state key="step" id="flow-step" options=steps
                label=Signal::derive(move || i18n.s().filter_step.to_owned())
                all_label=Signal::derive(move || i18n.s().filter_all_steps.to_owned()) />
            <FilterDate state key="from" id="flow-from" label=Signal::derive(move || i18n.s().filter_from.to_owned()) />
            <FilterDate state key="to" id="flow-to" label=Signal::derive(move || i18n.s().filter_to.to_owned()) />
            <FilterCheckbox state key="appeal" on="open" id="flow-appeals"
                label=Signal::derive(move || i18n.s().filter_open_appeals.to_owned()) />
            <button type="submit" class="button button--primary">{move || i18n.s().filter_apply}</button>
        </FilterBar>
    }
}

#[component]
fn FlowList() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let state = use_list_state("/supervision", &FILTERS);
    let flows = LocalResource::new(move || api::supervision::flows(state.query.with(api_query)));
    let role = move || session.role();
    let title = move || match role() {
        Some(Role::Seller) => i18n.s().title_seller,
        Some(Role::Operations) => i18n.s().title_operations,
        _ => i18n.s().title_buyer,
    };
    let intro = move || match role() {
        Some(Role::Seller) => i18n.s().intro_seller,
        Some(Role::Operations) => i18n.s().intro_operations,
        _ => i18n.s().intro_buyer,
    };

    view! {
        <section class="supervision">
            <PageHeading text=title />
            <p class="hint">{intro}</p>
            <Show when=move || role() == Some(Role::Seller)>
                <p><A href="/supervision/templates" attr:class="button button--secondary button--small">{move || i18n.tpl().link}</A></p>
            </Show>
            <FlowFilterBar state />
            {render_resource(flows, move |page: FlowPage| {
                if page.items.is_empty() {
                    let title = Signal::derive(move || i18n.s().empty.to_owned());
                    return view! {
                        <EmptyState title>
                            // Buyers start a flow by buying a supervised product; sellers and
                            // operations have nothing to buy here.
                            <Show when=move || !matches!(role(), Some(Role::Seller | Role::Operations))>
                                <A href="/products" attr:class="button button--secondary">{move || i18n.t().home_browse_all}</A>
                            </Show>
                        </EmptyState>
                    }.into_any();
                }
                let pages = page.total.div_ceil(u64::from(page.page_size.max(1))) as u32;
                let current = page.page;
                view! {
                    <p class="results-count" role="status">{move || (i18n.s().count)(&page.total.to_string())}</p>
                    <div class="table-scroll">
                    <table class="orders-table" data-testid="flows-table">
                        <thead><tr>
                            <th scope="col">{move || i18n.s().col_order}</th>
                            <th scope="col">{move || i18n.s().col_product}</th>
                            <th scope="col">{move || i18n.s().col_step}</th>
                            <th scope="col">{move || i18n.s().col_operations}</th>
                        </tr></thead>
                        <tbody>
                            {page.items.into_iter().map(|flow| {
                                let id = flow.id;
                                let number = flow.order_number.clone();
                                let counterpart = match flow.viewer {
                                    Party::Buyer => (i18n.s().counterpart_seller)(&flow.seller_name),
                                    _ => (i18n.s().counterpart_buyer)(&flow.buyer_name),
                                };
                                let allowed: Vec<FlowAction> = flow.actions.iter().filter(|a| a.allowed()).map(|a| a.action).collect();
                                let your_turn = flow.turn == Some(flow.viewer);
                                let started = flow.started_at;
                                view! {
                                    <tr data-testid="flow-row">
                                        <td>{flow.order_number.clone()}<br /><span class="hint">{move || local_date(started, i18n.locale())}</span></td>
                                        <td>{flow.product_name.clone()}<br /><span class="hint">{counterpart}</span></td>
                                        <td>
                                            {move || i18n.s().step(flow.step)}
                                            {flow.frozen.then(|| view! { <br /><span class="status-badge status-badge--pending">{move || i18n.s().frozen_badge}</span> })}
                                            {your_turn.then(|| view! { <br /><span class="status-badge status-badge--processing">{move || i18n.s().your_turn}</span> })}
                                        </td>
                                        <td class="flow-row__actions">
                                            {allowed.into_iter().map(|action| view! {
                                                <A href=format!("/supervision/{id}?action={}", action.as_str()) attr:class="button button--secondary button--small">
                                                    {move || i18n.s().action(action)}
                                                </A>
                                            }).collect_view()}
                                            <A href=format!("/supervision/{id}") attr:class="button button--quiet button--small"
                                                attr:aria-label=move || (i18n.s().view_details_of)(&number)>
                                                {move || i18n.s().view_details}
                                            </A>
                                        </td>
                                    </tr>
                                }
                            }).collect_view()}
                        </tbody>
                    </table>
                    </div>
                    <Pager current pages on_go=Callback::new(move |page| state.go_to_page(page)) />
                }.into_any()
            })}
        </section>
    }
}
