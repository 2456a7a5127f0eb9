//! Service Supervision (`/supervision`): the viewer's flows — a buyer's supervised
//! purchases, a seller's console, or the operations queue — with search criteria (order
//! number or product, step, start dates, open appeals) in the URL, each row's available
//! operations, and View Details.

use bazaar_core::account::Role;
use bazaar_core::supervision::{FlowAction, FlowPage, Party, Step};
use leptos::prelude::*;
use leptos_router::NavigateOptions;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_query_map};

use crate::api;
use crate::components::page_heading::PageHeading;
use crate::components::pager::Pager;
use crate::components::require_login::RequireLogin;
use crate::components::status::{EmptyState, render_resource};
use crate::format::{local_date, local_day_start_utc};
use crate::i18n::use_i18n;
use crate::session::use_session;

#[component]
pub fn SupervisionPage() -> impl IntoView {
    view! {
        <RequireLogin>
            <FlowList />
        </RequireLogin>
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct FlowFilters {
    q: String,
    step: Option<Step>,
    from: String,
    to: String,
    open_appeals: bool,
    page: u32,
}

impl FlowFilters {
    fn url_pairs(&self) -> Vec<(&'static str, String)> {
        let mut pairs = Vec::new();
        if !self.q.trim().is_empty() {
            pairs.push(("q", api::encode(self.q.trim())));
        }
        if let Some(step) = self.step {
            pairs.push(("step", step.as_str().to_owned()));
        }
        if !self.from.is_empty() {
            pairs.push(("from", self.from.clone()));
        }
        if !self.to.is_empty() {
            pairs.push(("to", self.to.clone()));
        }
        if self.open_appeals {
            pairs.push(("appeal", "open".to_owned()));
        }
        if self.page > 1 {
            pairs.push(("page", self.page.to_string()));
        }
        pairs
    }

    fn href(&self) -> String {
        let pairs = self.url_pairs();
        if pairs.is_empty() {
            return "/supervision".to_owned();
        }
        format!("/supervision?{}", pairs.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join("&"))
    }

    fn api_query(&self) -> String {
        let mut pairs: Vec<(&str, String)> = Vec::new();
        if !self.q.trim().is_empty() {
            pairs.push(("q", api::encode(self.q.trim())));
        }
        if let Some(step) = self.step {
            pairs.push(("step", step.as_str().to_owned()));
        }
        if let Some(from) = local_day_start_utc(&self.from, 0) {
            pairs.push(("created_from", api::encode(&from)));
        }
        if let Some(before) = local_day_start_utc(&self.to, 1) {
            pairs.push(("created_before", api::encode(&before)));
        }
        if self.open_appeals {
            pairs.push(("appeal", "open".to_owned()));
        }
        pairs.push(("page", self.page.max(1).to_string()));
        pairs.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join("&")
    }
}

#[component]
fn FlowList() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let query = use_query_map();
    let navigate = use_navigate();
    let filters = Memo::new(move |_| {
        query.with(|query| FlowFilters {
            q: query.get("q").unwrap_or_default(),
            step: query.get("step").as_deref().and_then(|text: &str| text.parse::<Step>().ok()),
            from: query.get("from").unwrap_or_default(),
            to: query.get("to").unwrap_or_default(),
            open_appeals: query.get("appeal").as_deref() == Some("open"),
            page: query.get("page").and_then(|p| p.parse().ok()).filter(|p| *p >= 1).unwrap_or(1),
        })
    });
    let flows = LocalResource::new(move || api::supervision::flows(filters.get().api_query()));
    let go = StoredValue::new_local(move |next: FlowFilters| navigate(&next.href(), NavigateOptions::default()));
    let apply = move |update: &dyn Fn(&mut FlowFilters)| {
        let mut next = filters.get_untracked();
        update(&mut next);
        next.page = 1;
        go.with_value(|go| go(next));
    };
    let apply = StoredValue::new_local(apply);
    let search_text = RwSignal::new(String::new());
    Effect::new(move |_| search_text.set(filters.get().q));
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
            <form class="filters-bar card" role="search" on:submit=move |event| {
                event.prevent_default();
                let text = search_text.get_untracked();
                apply.with_value(|apply| apply(&|filters: &mut FlowFilters| filters.q = text.clone()));
            }>
                <div class="field">
                    <label class="field__label" for="flow-search">{move || i18n.s().filter_search}</label>
                    <input id="flow-search" class="field__input" type="search" maxlength="200" bind:value=search_text />
                </div>
                <div class="field">
                    <label class="field__label" for="flow-step">{move || i18n.s().filter_step}</label>
                    <select id="flow-step" class="field__input" on:change=move |event| {
                        let value = event_target_value(&event);
                        apply.with_value(|apply| apply(&|filters: &mut FlowFilters| filters.step = str::parse::<Step>(&value).ok()));
                    }>
                        <option value="" prop:selected=move || filters.get().step.is_none()>{move || i18n.s().filter_all_steps}</option>
                        {Step::ALL.into_iter().map(|step| view! {
                            <option value=step.as_str() prop:selected=move || filters.get().step == Some(step)>{move || i18n.s().step(step)}</option>
                        }).collect_view()}
                    </select>
                </div>
                <div class="field">
                    <label class="field__label" for="flow-from">{move || i18n.s().filter_from}</label>
                    <input id="flow-from" class="field__input" type="date" prop:value=move || filters.get().from
                        on:change=move |event| {
                            let value = event_target_value(&event);
                            apply.with_value(|apply| apply(&|filters: &mut FlowFilters| filters.from = value.clone()));
                        } />
                </div>
                <div class="field">
                    <label class="field__label" for="flow-to">{move || i18n.s().filter_to}</label>
                    <input id="flow-to" class="field__input" type="date" prop:value=move || filters.get().to
                        on:change=move |event| {
                            let value = event_target_value(&event);
                            apply.with_value(|apply| apply(&|filters: &mut FlowFilters| filters.to = value.clone()));
                        } />
                </div>
                <div class="checkbox-field">
                    <input type="checkbox" id="flow-appeals" prop:checked=move || filters.get().open_appeals
                        on:change=move |event| {
                            let checked = event_target_checked(&event);
                            apply.with_value(|apply| apply(&|filters: &mut FlowFilters| filters.open_appeals = checked));
                        } />
                    <label for="flow-appeals">{move || i18n.s().filter_open_appeals}</label>
                </div>
                <button type="submit" class="button button--primary">{move || i18n.s().filter_apply}</button>
            </form>
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
