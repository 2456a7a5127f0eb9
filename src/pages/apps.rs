//! Purchased Apps (`/apps`): what the buyer owns, with search, delivery-method and status
//! filters in the URL, and View Resource Details per row. The empty state points to the
//! catalog and to My Orders for purchases that are not complete yet.

use bazaar_core::apps::{AppStatus, DEFAULT_APP_PAGE_SIZE, PurchasedAppPage};
use bazaar_core::catalog::DeliveryMethod;
use leptos::prelude::*;
use leptos_router::NavigateOptions;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_query_map};

use crate::api;
use crate::components::page_heading::PageHeading;
use crate::components::pager::Pager;
use crate::components::phase::PhaseBadge;
use crate::components::require_login::RequireLogin;
use crate::components::status::{EmptyState, render_resource};
use crate::components::trial_status::TrialStatus;
use crate::format::local_date;
use crate::i18n::use_i18n;

const DELIVERY_METHODS: [DeliveryMethod; 5] = [
    DeliveryMethod::Saas,
    DeliveryMethod::Image,
    DeliveryMethod::License,
    DeliveryMethod::ProfessionalService,
    DeliveryMethod::Consulting,
];

#[component]
pub fn AppsPage() -> impl IntoView {
    view! {
        <RequireLogin>
            <AppsList />
        </RequireLogin>
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct AppFilters {
    q: String,
    delivery: Option<DeliveryMethod>,
    status: Option<AppStatus>,
    page: u32,
}

impl AppFilters {
    fn pairs(&self) -> Vec<(&'static str, String)> {
        let mut pairs = Vec::new();
        if !self.q.trim().is_empty() {
            pairs.push(("q", api::encode(self.q.trim())));
        }
        if let Some(delivery) = self.delivery {
            pairs.push(("delivery", delivery.as_str().to_owned()));
        }
        if let Some(status) = self.status {
            pairs.push(("status", status.as_str().to_owned()));
        }
        if self.page > 1 {
            pairs.push(("page", self.page.to_string()));
        }
        pairs
    }

    fn href(&self) -> String {
        let pairs = self.pairs();
        if pairs.is_empty() {
            "/apps".to_owned()
        } else {
            format!("/apps?{}", pairs.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join("&"))
        }
    }

    fn api_query(&self) -> String {
        let mut pairs = self.pairs();
        pairs.push(("page_size", DEFAULT_APP_PAGE_SIZE.to_string()));
        pairs.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join("&")
    }
}

#[component]
fn AppsList() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let navigate = use_navigate();
    let filters = Memo::new(move |_| {
        query.with(|query| AppFilters {
            q: query.get("q").unwrap_or_default(),
            delivery: query.get("delivery").as_deref().and_then(|text: &str| text.parse::<DeliveryMethod>().ok()),
            status: query.get("status").as_deref().and_then(|text: &str| text.parse::<AppStatus>().ok()),
            page: query.get("page").and_then(|p| p.parse().ok()).filter(|p| *p >= 1).unwrap_or(1),
        })
    });
    let apps = LocalResource::new(move || api::apps::apps(filters.get().api_query()));
    let go = StoredValue::new_local(move |next: AppFilters| navigate(&next.href(), NavigateOptions::default()));
    let search_text = RwSignal::new(filters.get_untracked().q);
    Effect::new(move |_| search_text.set(filters.get().q));
    let apply = move |update: &dyn Fn(&mut AppFilters)| {
        let mut next = filters.get_untracked();
        update(&mut next);
        next.page = 1;
        go.with_value(|go| go(next));
    };
    let apply = StoredValue::new_local(apply);
    let filtered = move || filters.with(|f| !f.q.is_empty() || f.delivery.is_some() || f.status.is_some());

    view! {
        <section class="apps">
            <PageHeading text=move || i18n.o().apps_title />
            <form class="filters-bar card" role="search" on:submit=move |event| {
                event.prevent_default();
                let text = search_text.get_untracked();
                apply.with_value(|apply| apply(&|filters: &mut AppFilters| filters.q = text.clone()));
            }>
                <div class="field">
                    <label class="field__label" for="apps-search">{move || i18n.o().apps_search}</label>
                    <input id="apps-search" class="field__input" type="search" maxlength="200" bind:value=search_text />
                </div>
                <button type="submit" class="button button--primary">{move || i18n.o().apps_search_button}</button>
                <div class="field">
                    <label class="field__label" for="apps-delivery">{move || i18n.o().apps_filter_delivery}</label>
                    <select id="apps-delivery" class="field__input" on:change=move |event| {
                        let value = event_target_value(&event);
                        apply.with_value(|apply| apply(&|filters: &mut AppFilters| filters.delivery = str::parse::<DeliveryMethod>(&value).ok()));
                    }>
                        <option value="" prop:selected=move || filters.get().delivery.is_none()>{move || i18n.o().apps_filter_all_delivery}</option>
                        {DELIVERY_METHODS.into_iter().map(|method| view! {
                            <option value=method.as_str() prop:selected=move || filters.get().delivery == Some(method)>
                                {move || i18n.t().delivery(method)}
                            </option>
                        }).collect_view()}
                    </select>
                </div>
                <div class="field">
                    <label class="field__label" for="apps-status">{move || i18n.o().apps_filter_status}</label>
                    <select id="apps-status" class="field__input" on:change=move |event| {
                        let value = event_target_value(&event);
                        apply.with_value(|apply| apply(&|filters: &mut AppFilters| filters.status = str::parse::<AppStatus>(&value).ok()));
                    }>
                        <option value="" prop:selected=move || filters.get().status.is_none()>{move || i18n.o().apps_filter_all_status}</option>
                        {AppStatus::ALL.into_iter().map(|status| view! {
                            <option value=status.as_str() prop:selected=move || filters.get().status == Some(status)>
                                {move || i18n.o().app_status(status)}
                            </option>
                        }).collect_view()}
                    </select>
                </div>
            </form>
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
