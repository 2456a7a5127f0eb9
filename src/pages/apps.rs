//! Purchased Apps (`/apps`): what the buyer owns, with search, delivery-method and status
//! filters in the URL, and View Resource Details per row. The empty state points to the
//! catalog and to My Orders for purchases that are not complete yet.

use bazaar_core::apps::{AppStatus, DEFAULT_APP_PAGE_SIZE, PurchasedAppPage};
use bazaar_core::catalog::DeliveryMethod;
use leptos::prelude::*;
use leptos_router::components::A;

use crate::api;
use crate::components::list_filters::{FilterBar, FilterSearch, FilterSelect, ListState, SearchText, use_list_state};
use crate::components::page_heading::PageHeading;
use crate::components::pager::Pager;
use crate::components::phase::PhaseBadge;
use crate::components::require_login::RequireLogin;
use crate::components::status::{EmptyState, render_resource};
use crate::components::trial_status::TrialStatus;
use crate::format::local_date;
use crate::i18n::use_i18n;
use crate::list_query::{ListKey, ListQuery};

#[component]
pub fn AppsPage() -> impl IntoView {
    view! {
        <RequireLogin>
            <AppsList />
        </RequireLogin>
    }
}

/// The list's filters in the URL.
static FILTERS: [ListKey; 3] =
    [ListKey::text("q"), ListKey::of::<DeliveryMethod>("delivery"), ListKey::of::<AppStatus>("status")];

fn api_query(query: &ListQuery) -> String {
    query.api_query().filters(&["q", "delivery", "status"]).page(Some(DEFAULT_APP_PAGE_SIZE))
}

/// Search, delivery method and status.
#[component]
fn AppFilterBar(state: ListState) -> impl IntoView {
    let i18n = use_i18n();
    let search = SearchText::new(state, "q");
    let deliveries = DeliveryMethod::ALL
        .into_iter()
        .map(|method| (method.as_str(), Signal::derive(move || i18n.t().delivery(method).to_owned())))
        .collect();
    let statuses = AppStatus::ALL
        .into_iter()
        .map(|status| (status.as_str(), Signal::derive(move || i18n.o().app_status(status).to_owned())))
        .collect();
    view! {
        <FilterBar state search>
            <FilterSearch id="apps-search" search label=Signal::derive(move || i18n.o().apps_search.to_owned()) />
            <button type="submit" class="button button--primary">{move || i18n.o().apps_search_button}</button>
            <FilterSelect state key="delivery" id="apps-delivery" options=deliveries
                label=Signal::derive(move || i18n.o().apps_filter_delivery.to_owned())
                all_label=Signal::derive(move || i18n.o().apps_filter_all_delivery.to_owned()) />
            <FilterSelect state key="status" id="apps-status" options=statuses
                label=Signal::derive(move || i18n.o().apps_filter_status.to_owned())
                all_label=Signal::derive(move || i18n.o().apps_filter_all_status.to_owned()) />
        </FilterBar>
    }
}

#[component]
fn AppsList() -> impl IntoView {
    let i18n = use_i18n();
    let state = use_list_state("/apps", &FILTERS);
    let apps = LocalResource::new(move || api::apps::apps(state.query.with(api_query)));
    let filtered = move || state.is_filtered();

    view! {
        <section class="apps">
            <PageHeading text=move || i18n.o().apps_title />
            <AppFilterBar state />
            {render_resource(apps, move |page: PurchasedAppPage| {
                if page.items.is_empty() {
                    let title = Signal::derive(move || if filtered() { i18n.o().apps_empty_filtered.to_owned() } else { i18n.o().apps_empty.to_owned() });
                    return view! {
                        <EmptyState title>
                            <p data-testid="apps-cant-find">{move || i18n.o().apps_cant_find}</p>
                            <div class="actions">
                                <A href="/products" attr:class="button button--primary">{move || i18n.t().home_browse_all}</A>
                                <A href="/orders" attr:class="button button--secondary">{move || i18n.t().nav_orders}</A>
                            </div>
                        </EmptyState>
                    }.into_any();
                }
                let pages = page.total.div_ceil(u64::from(page.page_size.max(1))) as u32;
                let current = page.page;
                let server_now = page.server_now;
                view! {
                    <p class="results-count" role="status">{move || (i18n.o().apps_count)(&page.total.to_string())}</p>
                    <ul class="app-list" data-testid="apps-list">
                        {page.items.into_iter().map(|app| {
                            let name = app.product_name.clone();
                            let purchased = app.purchased_at;
                            let expires = app.expires_at;
                            view! {
                                <li class="app-row card" data-testid="app-row">
                                    <div class="app-row__main">
                                        <h2 class="app-row__name">{app.product_name.clone()}</h2>
                                        <p class="hint">{app.sku_name.clone()}" · "{app.seller_name.clone()}" · "{move || i18n.t().delivery(app.delivery_method)}</p>
                                        <p class="hint">
                                            {app.order_number.clone()}" · "
                                            {move || (i18n.o().apps_purchased)(&local_date(purchased, i18n.locale()))}
                                            {move || expires.map(|moment| format!(" · {}", (i18n.o().apps_expires)(&local_date(moment, i18n.locale()))))}
                                        </p>
                                        {app.trial.then_some(()).and(expires).map(|ends_at| view! {
                                            <TrialStatus app_id=app.id ends_at server_now />
                                        })}
                                    </div>
                                    <PhaseBadge phase=app.phase />
                                    <A href=format!("/apps/{}", app.id) attr:class="button button--primary button--small"
                                        attr:aria-label=move || (i18n.o().apps_view_details_of)(&name)>
                                        {move || i18n.o().apps_view_details}
                                    </A>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                    <p class="hint">{move || i18n.o().apps_cant_find}" "<A href="/orders">{move || i18n.t().nav_orders}</A></p>
                    <Pager current pages on_go=Callback::new(move |page| state.go_to_page(page)) />
                }.into_any()
            })}
        </section>
    }
}
