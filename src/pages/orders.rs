//! My Orders (`/orders`): the buyer's orders with status and date filters and pages. Every
//! filter is in the URL (`?status=…&from=YYYY-MM-DD&to=YYYY-MM-DD&page=N`), so reload,
//! Back and a shared link show the same list.

use bazaar_core::lifecycle::unpaid_cancel_at;
use bazaar_core::orders::{DEFAULT_ORDER_PAGE_SIZE, OrderKind, OrderPage, OrderStatus};
use leptos::prelude::*;
use leptos_router::components::A;

use crate::api;
use crate::components::list_filters::{FilterBar, FilterDate, FilterSelect, ListState, use_list_state};
use crate::components::order_status::OrderStatusBadge;
use crate::components::page_heading::PageHeading;
use crate::components::pager::Pager;
use crate::components::require_login::RequireLogin;
use crate::components::status::{EmptyState, render_resource};
use crate::format::local_date_time;
use crate::i18n::use_i18n;
use crate::list_query::{ListKey, ListQuery};

#[component]
pub fn OrdersPage() -> impl IntoView {
    view! {
        <RequireLogin>
            <OrdersList />
        </RequireLogin>
    }
}

/// The list's filters in the URL.
static FILTERS: [ListKey; 3] = [ListKey::of::<OrderStatus>("status"), ListKey::text("from"), ListKey::text("to")];

/// The API's query: local calendar days become UTC instants; `to` is inclusive.
fn api_query(query: &ListQuery) -> String {
    query.api_query().filters(&["status"]).created_between("from", "to").page(Some(DEFAULT_ORDER_PAGE_SIZE))
}

/// Status and dates.
#[component]
fn OrderFilterBar(state: ListState) -> impl IntoView {
    let i18n = use_i18n();
    let statuses = OrderStatus::ALL
        .into_iter()
        .map(|status| (status.as_str(), Signal::derive(move || i18n.o().status(status).to_owned())))
        .collect();
    view! {
        <FilterBar state>
            <FilterSelect state key="status" id="order-status" options=statuses
                label=Signal::derive(move || i18n.o().orders_filter_status.to_owned())
                all_label=Signal::derive(move || i18n.o().orders_filter_all.to_owned()) />
            <FilterDate state key="from" id="order-from" label=Signal::derive(move || i18n.o().orders_filter_from.to_owned()) />
            <FilterDate state key="to" id="order-to" label=Signal::derive(move || i18n.o().orders_filter_to.to_owned()) />
            <Show when=move || state.is_filtered()>
                <A href="/orders" attr:class="button button--quiet">{move || i18n.o().orders_filter_clear}</A>
            </Show>
        </FilterBar>
    }
}

#[component]
fn OrdersList() -> impl IntoView {
    let i18n = use_i18n();
    let state = use_list_state("/orders", &FILTERS);
    let orders = LocalResource::new(move || api::orders::orders(state.query.with(api_query)));
    let filtered = move || state.is_filtered();

    view! {
        <section class="orders">
            <PageHeading text=move || i18n.o().orders_title />
            <OrderFilterBar state />
            {render_resource(orders, move |page: OrderPage| {
                if page.items.is_empty() {
                    let title = Signal::derive(move || if filtered() { i18n.o().orders_empty_filtered.to_owned() } else { i18n.o().orders_empty.to_owned() });
                    return view! {
                        <EmptyState title>
                            <A href="/products" attr:class="button button--primary">{move || i18n.t().home_browse_all}</A>
                        </EmptyState>
                    }.into_any();
                }
                let pages = page.total.div_ceil(u64::from(page.page_size.max(1))) as u32;
                let current = page.page;
                view! {
                    <p class="results-count" role="status">{move || (i18n.o().orders_count)(&page.total.to_string())}</p>
                    <div class="table-scroll">
                    <table class="orders-table" data-testid="orders-table">
                        <thead>
                            <tr>
                                <th scope="col">{move || i18n.o().orders_col_order}</th>
                                <th scope="col">{move || i18n.o().orders_col_product}</th>
                                <th scope="col">{move || i18n.o().orders_col_placed}</th>
                                <th scope="col">{move || i18n.o().orders_col_amount}</th>
                                <th scope="col">{move || i18n.o().orders_col_status}</th>
                            </tr>
                        </thead>
                        <tbody>
                            {page.items.into_iter().map(|order| {
                                let number = order.number.clone();
                                let created = order.created_at;
                                let reason = order.cancel_reason.clone();
                                view! {
                                    <tr data-testid="order-row">
                                        <td>
                                            <A href=format!("/orders/{}", order.id)
                                                attr:aria-label=move || (i18n.o().orders_view)(&number)>
                                                {order.number.clone()}
                                            </A>
                                        </td>
                                        <td>
                                            {(order.kind == OrderKind::Renewal).then(|| view! {
                                                <span class="tag" data-testid="renewal-tag">{move || i18n.lc().order_kind_renewal}</span>" "
                                            })}
                                            {(order.kind == OrderKind::Trial).then(|| view! {
                                                <span class="tag tag--trial" data-testid="trial-tag">{move || i18n.trials().order_kind}</span>" "
                                            })}
                                            {order.product_name.clone()}<br /><span class="hint">{order.sku_name.clone()}</span>
                                        </td>
                                        <td>{move || local_date_time(created, i18n.locale())}</td>
                                        <td>{order.total.display()}</td>
                                        <td>
                                            <OrderStatusBadge status=order.status />
                                            {order.unsubscribed.then(|| view! { " "<span class="tag tag--muted" data-testid="unsubscribed-tag">{move || i18n.us().unsubscribed_tag}</span> })}
                                            {reason.map(|reason| view! { <p class="hint">{move || i18n.o().reason(reason.code)}</p> })}
                                            {(order.status == OrderStatus::PendingPayment).then(|| view! {
                                                <p class="hint" data-testid="pay-by">
                                                    {move || (i18n.o().orders_pay_by)(&local_date_time(unpaid_cancel_at(created), i18n.locale()))}
                                                </p>
                                            })}
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
