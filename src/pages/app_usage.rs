//! The usage area of a pay-per-use app's Resource Details: where it stands with its
//! charges (a banner and "Pay outstanding" when in arrears), this month's spend, the
//! monthly spending cap, and the chart of the last 30 days with its table.

use bazaar_core::ids::AppId;
use bazaar_core::money::Money;
use bazaar_core::usage::{AppUsage, UsageStanding};
use leptos::prelude::*;
use leptos_router::components::A;

use crate::api;
use crate::components::status::{error_message, render_resource_with};
use crate::components::usage_chart::UsageChart;
use crate::format::local_date_time;
use crate::i18n::use_i18n;

#[component]
pub fn UsageSection(app_id: AppId) -> impl IntoView {
    let i18n = use_i18n();
    let save_cap = Action::new_local(move |cap: &Option<i64>| {
        let cap = *cap;
        async move { api::billing::set_spending_cap(app_id, cap).await }
    });
    // Read again after every save, so the figures and the cap's state follow it.
    let usage = LocalResource::new(move || {
        save_cap.version().get();
        api::billing::app_usage(app_id)
    });
    let loading =
        move || view! { <p class="status status--loading" role="status">{move || i18n.billing().usage_loading}</p> };
    view! {
        <section class="card usage" aria-labelledby="usage-title" data-testid="usage-section">
            <h2 class="card__title" id="usage-title">{move || i18n.billing().usage_title}</h2>
            {render_resource_with(usage, loading, move |usage: AppUsage| view! { <UsageFigures usage save_cap /> })}
        </section>
    }
}

#[component]
fn UsageFigures(usage: AppUsage, save_cap: Action<Option<i64>, Result<AppUsage, api::ApiError>>) -> impl IntoView {
    let i18n = use_i18n();
    let end = usage.as_of;
    let currency = usage.unit_price.currency;
    let standing_banner = match (usage.standing, usage.freezes_at, usage.released_at) {
        (UsageStanding::Arrears, Some(freezes), _) => Some((false, freezes)),
        (UsageStanding::Frozen, _, Some(released)) => Some((true, released)),
        _ => None,
    };
    let cap_level = usage.cap_level;
    let (charged, waived, outstanding) = (usage.month_charged, usage.month_waived, usage.outstanding);
    let unit_price = usage.unit_price;
    view! {
        {standing_banner.map(|(frozen, at)| view! {
            <div class="notice notice--warning" role="alert" data-testid="usage-standing">
                <p>{move || {
                    let date = local_date_time(at, i18n.locale());
                    if frozen { (i18n.billing().frozen_banner)(&date) } else { (i18n.billing().arrears_banner)(&date) }
                }}</p>
                <A href="/billing" attr:class="button button--primary">{move || i18n.billing().pay_outstanding_link}</A>
            </div>
        })}
        {cap_level.map(|level| view! {
            <p class="notice notice--warning" data-testid="cap-level">{move || i18n.billing().cap_level(level)}</p>
        })}
        <dl class="details">
            <dt>{move || i18n.billing().price}</dt>
            <dd>{move || (i18n.billing().unit_price)(&unit_price.display())}</dd>
            <dt>{move || i18n.billing().this_month}</dt>
            <dd data-testid="month-charged">{move || format!("{} {}", i18n.billing().month_charged, charged.display())}</dd>
            {(waived.amount_minor > 0).then(|| view! {
                <dt>{move || i18n.billing().month_waived}</dt><dd>{waived.display()}</dd>
            })}
            {(outstanding.amount_minor > 0).then(|| view! {
                <dt>{move || i18n.billing().column_outstanding}</dt>
                <dd>{move || (i18n.billing().not_charged_yet)(&outstanding.display())}</dd>
            })}
        </dl>
        <CapForm cap=usage.cap save_cap />
        {if usage.hours.is_empty() {
            view! { <p class="status status--empty" data-testid="usage-empty">{move || i18n.billing().usage_empty}</p> }.into_any()
        } else {
            view! { <UsageChart hours=usage.hours end currency /> }.into_any()
        }}
    }
}

/// The spending cap: shown, changed or removed. Amounts are typed in major units.
#[component]
fn CapForm(cap: Option<Money>, save_cap: Action<Option<i64>, Result<AppUsage, api::ApiError>>) -> impl IntoView {
    let i18n = use_i18n();
    let currency = cap.map(|cap| cap.currency).unwrap_or(bazaar_core::money::Currency::CNY);
    let typed = RwSignal::new(
        cap.map(|cap| format!("{}.{:02}", cap.amount_minor / 100, cap.amount_minor % 100)).unwrap_or_default(),
    );
    let invalid = RwSignal::new(false);
    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        match Money::parse_major(&typed.get_untracked(), currency) {
            Some(amount) => {
                invalid.set(false);
                save_cap.dispatch(Some(amount.amount_minor));
            }
            None => invalid.set(true),
        }
    };
    let server_error = move || save_cap.value().get().and_then(Result::err).map(|error| error_message(&error));
    view! {
        <form class="cap-form" on:submit=submit novalidate>
            <h3 class="cap-form__title">{move || i18n.billing().cap_title}</h3>
            <p data-testid="cap-current">{move || match cap {
                Some(cap) => (i18n.billing().cap_current)(&cap.display()),
                None => i18n.billing().cap_none.to_owned(),
            }}</p>
            <p class="hint" id="cap-hint">{move || i18n.billing().cap_hint}</p>
            <label for="cap-amount">{move || i18n.billing().cap_label}</label>
            <input id="cap-amount" name="cap" inputmode="decimal" autocomplete="off"
                aria-describedby="cap-hint cap-error" aria-invalid=move || (invalid.get() || server_error().is_some()).to_string()
                prop:value=move || typed.get() on:input=move |event| typed.set(event_target_value(&event)) />
            <p id="cap-error" class="field__error" role="alert">
                {move || if invalid.get() { Some(i18n.billing().cap_invalid.to_owned()) } else { server_error() }}
            </p>
            <div class="cap-form__actions">
                <button type="submit" class="button button--primary" disabled=move || save_cap.pending().get()>
                    {move || if save_cap.pending().get() { i18n.billing().cap_saving } else { i18n.billing().cap_save }}
                </button>
                {cap.map(|_| view! {
                    <button type="button" class="button button--secondary" disabled=move || save_cap.pending().get()
                        on:click=move |_| { save_cap.dispatch(None); }>
                        {move || i18n.billing().cap_remove}
                    </button>
                })}
            </div>
        </form>
    }
}
