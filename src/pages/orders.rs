//! My Orders (`/orders`): the buyer's orders with status and date filters and pages. Every
//! filter is in the URL (`?status=…&from=YYYY-MM-DD&to=YYYY-MM-DD&page=N`), so reload,
//! Back and a shared link show the same list.

use bazaar_core::lifecycle::unpaid_cancel_at;
use bazaar_core::orders::{DEFAULT_ORDER_PAGE_SIZE, OrderKind, OrderPage, OrderStatus};
use leptos::prelude::*;
use leptos_router::NavigateOptions;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_query_map};

use crate::api;
use crate::components::order_status::OrderStatusBadge;
use crate::components::page_heading::PageHeading;
use crate::components::pager::Pager;
use crate::components::require_login::RequireLogin;
use crate::components::status::{EmptyState, render_resource};
use crate::format::{local_date_time, local_day_start_utc};
use crate::i18n::use_i18n;

#[component]
pub fn OrdersPage() -> impl IntoView {
    view! {
        <RequireLogin>
            <OrdersList />
        </RequireLogin>
    }
}

/// The list's state, as read from the URL.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct OrderFilters {
    status: Option<OrderStatus>,
    from: String,
    to: String,
    page: u32,
}

impl OrderFilters {
    fn href(&self) -> String {
        let mut parts = Vec::new();
        if let Some(status) = self.status {
            parts.push(format!("status={}", status.as_str()));
        }
        if !self.from.is_empty() {
            parts.push(format!("from={}", self.from));
        }
        if !self.to.is_empty() {
            parts.push(format!("to={}", self.to));
        }
        if self.page > 1 {
            parts.push(format!("page={}", self.page));
        }
        if parts.is_empty() { "/orders".to_owned() } else { format!("/orders?{}", parts.join("&")) }
    }

    /// The API's query: local calendar days become UTC instants; `to` is inclusive.
    fn api_query(&self) -> String {
        let mut parts = vec![format!("page={}", self.page.max(1)), format!("page_size={DEFAULT_ORDER_PAGE_SIZE}")];
        if let Some(status) = self.status {
            parts.push(format!("status={}", status.as_str()));
        }
        if let Some(from) = local_day_start_utc(&self.from, 0) {
            parts.push(format!("created_from={}", api::encode(&from)));
        }
        if let Some(before) = local_day_start_utc(&self.to, 1) {
            parts.push(format!("created_before={}", api::encode(&before)));
        }
        parts.join("&")
    }
}

#[component]
fn OrdersList() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let navigate = use_navigate();
    let filters = Memo::new(move |_| {
        query.with(|query| OrderFilters {
            status: query.get("status").as_deref().and_then(|text: &str| text.parse::<OrderStatus>().ok()),
            from: query.get("from").unwrap_or_default(),
            to: query.get("to").unwrap_or_default(),
            page: query.get("page").and_then(|page| page.parse().ok()).filter(|page| *page >= 1).unwrap_or(1),
        })
    });
    let orders = LocalResource::new(move || api::orders::orders(filters.get().api_query()));
    let go = StoredValue::new_local(move |next: OrderFilters| navigate(&next.href(), NavigateOptions::default()));
    let change = move |update: &dyn Fn(&mut OrderFilters)| {
        let mut next = filters.get_untracked();
        update(&mut next);
        next.page = 1;
        go.with_value(|go| go(next));
    };
    let change = StoredValue::new_local(change);
    let filtered =
        move || filters.with(|filters| filters.status.is_some() || !filters.from.is_empty() || !filters.to.is_empty());

    view! {
        <section class="orders">
            <PageHeading text=move || i18n.o().orders_title />
            <form class="filters-bar card" role="search" on:submit=|event| event.prevent_default()>
                <div class="field">
                    <label class="field__label" for="order-status">{move || i18n.o().orders_filter_status}</label>
                    <select id="order-status" class="field__input" on:change=move |event| {
                        let value = event_target_value(&event);
                        change.with_value(|change| change(&|filters: &mut OrderFilters| filters.status = str::parse::<OrderStatus>(&value).ok()));
                    }>
                        <option value="" prop:selected=move || filters.get().status.is_none()>{move || i18n.o().orders_filter_all}</option>
                        {OrderStatus::ALL.into_iter().map(|status| view! {
                            <option value=status.as_str() prop:selected=move || filters.get().status == Some(status)>
                                {move || i18n.o().status(status)}
                            </option>
                        }).collect_view()}
                    </select>
                </div>
                <div class="field">
                    <label class="field__label" for="order-from">{move || i18n.o().orders_filter_from}</label>
                    <input id="order-from" class="field__input" type="date" prop:value=move || filters.get().from
                        on:change=move |event| {
                            let value = event_target_value(&event);
                            change.with_value(|change| change(&|filters: &mut OrderFilters| filters.from = value.clone()));
                        } />
                </div>
                <div class="field">
                    <label class="field__label" for="order-to">{move || i18n.o().orders_filter_to}</label>
                    <input id="order-to" class="field__input" type="date" prop:value=move || filters.get().to
                        on:change=move |event| {
                            let value = event_target_value(&event);
                            change.with_value(|change| change(&|filters: &mut OrderFilters| filters.to = value.clone()));
                        } />
                </div>
                <Show when=filtered>
                    <A href="/orders" attr:class="button button--quiet">{move || i18n.o().orders_filter_clear}</A>
                </Show>
            </form>
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
                    <Pager current pages on_go=Callback::new(move |page| {
                        let mut next = filters.get_untracked();
                        next.page = page;
                        go.with_value(|go| go(next));
                    }) />
                }.into_any()
            })}
        </section>
    }
}
