//! Renewal Management (`/renewals`): every app with a term, soonest expiry first, with
//! its phase and "expires in"; filters in the URL (`show=within_7_days` …); renew one or
//! several at once into one renewal order, paid through the usual payment step; and
//! auto-renew per app. `?app=<id>` (from an expiry banner) preselects that app.

use std::collections::BTreeMap;

use bazaar_core::ids::AppId;
use bazaar_core::lifecycle::{
    AutoRenew, Phase, RenewableApp, RenewableAppPage, RenewalFilter, RenewalItem, RenewalRequest, days_until,
    renewal_periods,
};
use bazaar_core::money::Money;
use bazaar_core::orders::OrderDetail;
use bazaar_core::pricing::{MAX_QUANTITY, billed_months};
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_query_map};
use time::OffsetDateTime;

use crate::api::{self, ApiError};
use crate::checkout_attempt;
use crate::components::list_filters::{FilterChips, use_list_state};
use crate::components::page_heading::PageHeading;
use crate::components::phase::PhaseBadge;
use crate::components::require_login::RequireLogin;
use crate::components::status::{EmptyState, error_message, render_resource};
use crate::components::trial_status::TrialStatus;
use crate::format::local_date;
use crate::i18n::use_i18n;
use crate::list_query::ListKey;

#[component]
pub fn RenewalsPage() -> impl IntoView {
    view! {
        <RequireLogin>
            <RenewalManagement />
        </RequireLogin>
    }
}

/// What the buyer picked: each selected app and its period in months.
type Selection = RwSignal<BTreeMap<AppId, u32>>;
/// The quantity chosen for each free trial being bought (other apps renew as they are).
type Quantities = RwSignal<BTreeMap<AppId, u32>>;

/// Places the renewal order (once per selection: the same items retried reuse their
/// idempotency key) and goes on to pay it, or to the order when nothing is due.
fn renew_action() -> Action<RenewalRequest, Result<OrderDetail, ApiError>> {
    let navigate = use_navigate();
    Action::new_local(move |request: &RenewalRequest| {
        let request = request.clone();
        let navigate = navigate.clone();
        async move {
            let items: Vec<String> = request
                .items
                .iter()
                .map(|item| format!("{}x{}x{:?}", item.app_id, item.months, item.quantity))
                .collect();
            let attempt = format!("/renewals#{}", items.join(","));
            let key = checkout_attempt::key_for(&attempt);
            let result = api::renewals::renew(request, key).await;
            if let Ok(order) = &result {
                checkout_attempt::remember_order(order.summary.id, &attempt);
                let next = if order.summary.status == bazaar_core::orders::OrderStatus::PendingPayment {
                    format!("/orders/{}/pay", order.summary.id)
                } else {
                    format!("/orders/{}", order.summary.id)
                };
                navigate(&next, Default::default());
            }
            result
        }
    })
}

/// The list's filter in the URL (`?app=` picks an app to renew, and is no filter).
static FILTERS: [ListKey; 1] = [ListKey::of::<RenewalFilter>("show")];

#[component]
fn RenewalManagement() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let state = use_list_state("/renewals", &FILTERS);
    let filter = move || state.query.with(|query| query.parsed::<RenewalFilter>("show"));
    // Renewal Management opened for one app (a trial's Buy link): not a filter of the list.
    let preselected = query.with_untracked(|q| q.get("app").and_then(|id| id.parse::<i64>().ok()).map(AppId));
    let selection: Selection = RwSignal::new(BTreeMap::new());
    let quantities: Quantities = RwSignal::new(BTreeMap::new());
    let toggle_auto =
        Action::new_local(|(app_id, setting): &(AppId, AutoRenew)| api::renewals::set_auto_renew(*app_id, *setting));
    let apps = LocalResource::new(move || {
        toggle_auto.version().get();
        let show = filter().map(|filter| format!("show={}&", filter.as_str())).unwrap_or_default();
        api::renewals::renewable(format!("{show}page_size=100"))
    });
    let renew = renew_action();
    let renew_error =
        move || renew.value().with(|value| value.as_ref().and_then(|result| result.as_ref().err().map(error_message)));
    let auto_error = move || {
        toggle_auto.value().with(|value| value.as_ref().and_then(|result| result.as_ref().err().map(error_message)))
    };

    view! {
        <section class="renewals">
            <PageHeading text=move || i18n.lc().renewals_title />
            <p class="hint">{move || i18n.lc().renewals_intro}</p>
            <FilterChips state key="show" label=Signal::derive(move || i18n.lc().renewals_filter_label.to_owned())
                none_label=Signal::derive(move || i18n.lc().filter(None).to_owned())
                choices=RenewalFilter::ALL.map(|filter| (filter.as_str(), Signal::derive(move || i18n.lc().filter(Some(filter)).to_owned()))).to_vec() />
            {move || auto_error().or_else(renew_error).map(|text| view! { <p class="notice notice--error" role="alert">{text}</p> })}
            {render_resource(apps, move |page: RenewableAppPage| {
                if page.items.is_empty() {
                    let title = Signal::derive(move || i18n.lc().renewals_empty.to_owned());
                    return view! {
                        <EmptyState title>
                            <A href="/apps" attr:class="button button--secondary">{move || i18n.t().nav_purchased_apps}</A>
                        </EmptyState>
                    }.into_any();
                }
                if let Some(app) = preselected.and_then(|id| page.items.iter().find(|app| app.id == id && selectable(app))) {
                    selection.update(|chosen| { chosen.entry(app.id).or_insert(1); });
                }
                let server_now = page.server_now;
                let prices: BTreeMap<AppId, (Money, u32)> =
                    page.items.iter().map(|app| (app.id, (app.monthly_price, app.quantity))).collect();
                let total = Memo::new(move |_| {
                    selection.with(|chosen| quantities.with(|bought| total_of(chosen, bought, &prices)))
                });
                view! {
                    <ul class="renewal-list" data-testid="renewal-list">
                        {page.items.into_iter().map(|app| view! {
                            <RenewalRow app server_now selection quantities toggle_auto />
                        }).collect_view()}
                    </ul>
                    <div class="renewal-bar card" data-testid="renewal-bar">
                        <p role="status">
                            {move || (i18n.lc().renewals_selected)(selection.with(BTreeMap::len))}
                            {move || total.get().map(|total| format!(" · {}", total.display()))}
                        </p>
                        <button type="button" class="button button--primary"
                            disabled=move || selection.with(BTreeMap::is_empty) || renew.pending().get()
                            on:click=move |_| {
                                let items = selection.with_untracked(|chosen| quantities.with_untracked(|bought| {
                                    chosen.iter().map(|(app_id, months)| RenewalItem {
                                        app_id: *app_id,
                                        months: *months,
                                        quantity: bought.get(app_id).copied(),
                                    }).collect()
                                }));
                                renew.dispatch(RenewalRequest { items });
                            }>
                            {move || if renew.pending().get() { i18n.lc().renewing } else { i18n.lc().renew_selected }}
                        </button>
                    </div>
                }.into_any()
            })}
        </section>
    }
}

/// An app can be put in a new renewal order: still sold, and not in an unpaid one.
fn selectable(app: &RenewableApp) -> bool {
    app.renewable && app.pending_renewal.is_none() && app.phase != Phase::Released
}

/// The selection's price: each app's monthly price (for the quantity bought) times the
/// months billed for its period.
fn total_of(
    chosen: &BTreeMap<AppId, u32>,
    bought: &BTreeMap<AppId, u32>,
    prices: &BTreeMap<AppId, (Money, u32)>,
) -> Option<Money> {
    let mut lines = chosen.iter().filter_map(|(app, months)| {
        let (monthly, quantity) = *prices.get(app)?;
        let monthly = monthly_for(monthly, quantity, bought.get(app).copied());
        Some(Money::new(monthly.amount_minor * i64::from(billed_months(*months)), monthly.currency))
    });
    let first = lines.next()?;
    lines.try_fold(first, |sum, line| sum.checked_add(line))
}

/// The monthly price of `quantity` at the price of `monthly` for `has`: prices are linear
/// in the quantity (`bazaar_core::pricing::price_units`).
fn monthly_for(monthly: Money, has: u32, quantity: Option<u32>) -> Money {
    match quantity {
        Some(quantity) if has > 0 => {
            Money::new(monthly.amount_minor / i64::from(has) * i64::from(quantity), monthly.currency)
        }
        _ => monthly,
    }
}

#[component]
fn RenewalRow(
    app: RenewableApp,
    server_now: OffsetDateTime,
    selection: Selection,
    quantities: Quantities,
    toggle_auto: Action<(AppId, AutoRenew), Result<RenewableApp, api::ApiError>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let id = app.id;
    let can_select = selectable(&app);
    let periods = renewal_periods(app.billing_mode);
    // The period shown: the selection's, else auto-renew's.
    let auto_months = app.auto_renew.months;
    let months = Memo::new(move |_| selection.with(|chosen| chosen.get(&id).copied()).unwrap_or(auto_months));
    let selected = move || selection.with(|chosen| chosen.contains_key(&id));
    let expires_at = app.expires_at;
    let days = days_until(expires_at, server_now);
    let name = app.product_name.clone();
    let expiry = move || {
        let locale = i18n.locale();
        let date = local_date(expires_at, locale);
        if days > 0 { (i18n.lc().expires_in)(&date, days) } else { (i18n.lc().expired_on)(&date) }
    };
    let (monthly, has) = (app.monthly_price, app.quantity);
    let bought = move || quantities.with(|bought| bought.get(&id).copied());
    let period_price = move || {
        let monthly = monthly_for(monthly, has, bought());
        Money::new(monthly.amount_minor * i64::from(billed_months(months.get())), monthly.currency)
    };
    let auto = app.auto_renew;
    // Nothing is charged without the buyer's own payment: no auto-renew in a trial.
    let trial = app.trial;
    let select_id = format!("renew-{id}");
    let period_id = format!("period-{id}");
    let auto_id = format!("auto-{id}");
    view! {
        <li class="renewal-row card" data-testid="renewal-row">
            <div class="renewal-row__select">
                <input type="checkbox" id=select_id.clone() disabled=!can_select prop:checked=selected
                    on:change=move |_| selection.update(|chosen| {
                        if chosen.remove(&id).is_none() {
                            chosen.insert(id, months.get_untracked());
                        }
                    }) />
                <label for=select_id class="visually-hidden">{let name = name.clone(); move || (i18n.lc().select_app)(&name)}</label>
            </div>
            <div class="renewal-row__main">
                <h2 class="renewal-row__name">{app.product_name.clone()}</h2>
                <p class="hint">{app.sku_name.clone()}" · "{app.order_number.clone()}</p>
                {match app.trial {
                    true => view! { <TrialStatus app_id=id ends_at=expires_at server_now buy_link=false /> }.into_any(),
                    false => view! { <p data-testid="renewal-expiry">{expiry}</p> }.into_any(),
                }}
                {app.pending_renewal.map(|order| view! {
                    <p class="hint"><A href=format!("/orders/{order}/pay")>{move || i18n.lc().awaiting_payment}</A></p>
                })}
                {(!app.renewable).then(|| view! { <p class="hint">{move || i18n.lc().not_sold}</p> })}
            </div>
            <PhaseBadge phase=app.phase />
            <div class="renewal-row__period field">
                <label class="field__label" for=period_id.clone()>{move || i18n.lc().period}</label>
                <select id=period_id class="field__input" disabled=periods.is_empty()
                    on:change=move |event| {
                        if let Ok(chosen) = event_target_value(&event).parse::<u32>() {
                            selection.update(|selected| { selected.insert(id, chosen); });
                        }
                    }>
                    {periods.iter().copied().map(|period| view! {
                        <option value=period.to_string() prop:selected=move || months.get() == period>
                            {move || i18n.t().duration(period)}
                        </option>
                    }).collect_view()}
                </select>
                <p class="hint" data-testid="renewal-price">{move || period_price().display()}</p>
            </div>
            {trial.then(|| view! { <TrialQuantity id has quantities /> })}
            <div class="renewal-row__auto checkbox-field">
                <input type="checkbox" id=auto_id.clone() prop:checked=auto.enabled disabled=move || trial || toggle_auto.pending().get()
                    on:change=move |event| {
                        let enabled = event_target_checked(&event);
                        toggle_auto.dispatch((id, AutoRenew { enabled, months: months.get_untracked() }));
                    } />
                <label for=auto_id>
                    {move || if trial {
                        i18n.trials().auto_renew_off.to_owned()
                    } else if auto.enabled { (i18n.lc().auto_renew_on)(&i18n.t().duration(auto.months)) } else { i18n.lc().auto_renew.to_owned() }}
                </label>
            </div>
        </li>
    }
}

/// Buying a trial: how many (the trial's quantity unless changed); a value out of range
/// falls back to it.
#[component]
fn TrialQuantity(id: AppId, has: u32, quantities: Quantities) -> impl IntoView {
    let i18n = use_i18n();
    let field_id = format!("quantity-{id}");
    let bought = move || quantities.with(|bought| bought.get(&id).copied());
    view! {
        <div class="renewal-row__quantity field">
            <label class="field__label" for=field_id.clone()>{move || i18n.t().configure_quantity}</label>
            <input id=field_id class="field__input" type="number" min="1" max=MAX_QUANTITY.to_string()
                inputmode="numeric" prop:value=move || bought().unwrap_or(has).to_string()
                on:change=move |event| {
                    let chosen = event_target_value(&event).trim().parse::<u32>().ok()
                        .filter(|quantity| (1..=MAX_QUANTITY).contains(quantity));
                    quantities.update(|bought| match chosen {
                        Some(quantity) => { bought.insert(id, quantity); }
                        None => { bought.remove(&id); }
                    });
                } />
        </div>
    }
}
