//! The checkout's order details card (what is being bought, and its price or the trial's
//! terms), the terms-of-purchase card and Pay Now with its reasons.

use bazaar_core::catalog::{BillingMode, ProductDetail};
use bazaar_core::pricing::{Configuration, price_configuration};
use leptos::prelude::*;
use leptos_router::components::A;

use crate::components::price::PriceBreakdownView;
use crate::i18n::{Locale, use_i18n};

/// The product, seller and configuration being bought; its price (or, for a trial, what
/// the trial costs and when it ends); the reference-amount note for a reseller's customer.
#[component]
pub(super) fn OrderDetailsCard(
    product: StoredValue<ProductDetail>,
    configuration: Memo<Configuration>,
    trial_days: Option<i64>,
    image: bool,
    reseller: Signal<Option<String>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let sku_name = move || {
        product.with_value(|product| {
            product
                .skus
                .iter()
                .find(|sku| sku.id == configuration.get().sku_id)
                .map(|sku| sku.name.clone())
                .unwrap_or_default()
        })
    };
    let price = move || {
        product.with_value(|product| price_configuration(&product.skus, &product.regions, &configuration.get()))
    };
    let product_href = product.with_value(|product| format!("/products/{}", product.summary.id));
    let seller_name = product.with_value(|product| product.seller_contact.name.clone());
    let region_name =
        move || bazaar_core::regions::name(&configuration.get().region, i18n.locale() == Locale::ZhCn).to_owned();
    view! {
        <div class="card" data-testid="order-details">
            <h2 class="card__title">{move || i18n.product().purchase_title}</h2>
            <dl class="details">
                <dt>{move || i18n.t().product_label}</dt>
                <dd><A href=product_href>{product.with_value(|product| product.summary.name.clone())}</A></dd>
                <dt>{move || i18n.o().order_seller}</dt>
                <dd>{seller_name}</dd>
                <dt>{move || i18n.t().configure_sku}</dt>
                <dd data-testid="order-sku">{sku_name}</dd>
                <dt>{move || i18n.t().configure_billing}</dt>
                <dd data-testid="order-billing">{move || i18n.t().billing(configuration.get().billing_mode)}</dd>
                <Show when=move || configuration.get().billing_mode == BillingMode::YearlyMonthly>
                    <dt>{move || i18n.t().configure_duration}</dt>
                    <dd data-testid="order-duration">{move || i18n.t().duration(configuration.get().duration_months.unwrap_or(1))}</dd>
                </Show>
                <dt>{move || i18n.t().configure_quantity}</dt>
                <dd data-testid="order-quantity">{move || configuration.get().quantity}</dd>
                <dt>{move || i18n.t().configure_region}</dt>
                <dd>{region_name}</dd>
            </dl>
            {move || match trial_days {
                Some(days) => view! { <TrialNote days /> }.into_any(),
                None => price().ok().map(|breakdown| view! { <PriceBreakdownView breakdown image /> }).into_any(),
            }}
            {move || reseller.get().map(|reseller| view! {
                <p class="notice notice--info" data-testid="reference-amount">
                    {move || (i18n.o().checkout_reference_amount)(&reseller)}
                </p>
            })}
        </div>
    }
}

/// Agreeing to the terms of purchase, with a link to read them.
#[component]
pub(super) fn TermsCard(terms: RwSignal<bool>, error: Signal<Option<String>>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div class="card">
            <div class="checkbox-field" class:field--invalid=move || error.get().is_some()>
                <input type="checkbox" id="accept-terms" prop:checked=move || terms.get()
                    on:change=move |event| terms.set(event_target_checked(&event)) />
                <label for="accept-terms">{move || i18n.o().checkout_terms_label}</label>
            </div>
            // A new tab, so what has been filled in here stays as it is.
            <p class="checkbox-field__more">
                <a href="/terms" target="_blank" rel="noopener">{move || i18n.terms().checkout_link}</a>
            </p>
        </div>
    }
}

/// What a trial costs (nothing) and when it ends if started now; the server's clock and
/// the order decide the exact instant.
#[component]
fn TrialNote(days: i64) -> impl IntoView {
    let i18n = use_i18n();
    let ends = time::OffsetDateTime::now_utc() + time::Duration::days(days);
    view! {
        <p class="notice notice--info" data-testid="trial-note">
            {move || (i18n.trials().checkout_note)(days, &crate::format::local_date(ends, i18n.locale()))}
        </p>
    }
}

/// Pay Now (Start free trial, Submit for a reseller's customer), and every reason it is
/// disabled, announced as they change.
#[component]
pub(super) fn PayNow(
    blockers: Memo<Vec<&'static str>>,
    pending: Signal<bool>,
    trial: bool,
    reseller: Signal<Option<String>>,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div class="checkout-form__actions">
            <button type="submit" class="button button--primary button--large" data-testid="pay-now"
                aria-describedby="checkout-blockers"
                aria-disabled=move || if blockers.with(Vec::is_empty) { "false" } else { "true" }
                disabled=move || !blockers.with(Vec::is_empty) || pending.get()>
                {move || if pending.get() {
                    if trial { i18n.trials().starting } else { i18n.o().checkout_submitting }
                } else if trial {
                    i18n.trials().checkout_submit
                } else if reseller.get().is_some() {
                    i18n.o().checkout_submit_reseller
                } else {
                    i18n.o().checkout_pay_now
                }}
            </button>
            <div id="checkout-blockers" class="checkout-form__blockers" aria-live="polite" data-testid="pay-blockers">
                <Show when=move || !blockers.with(Vec::is_empty)>
                    <p>{move || if trial {
                        i18n.trials().blocked_intro
                    } else if reseller.get().is_some() {
                        i18n.o().checkout_blocked_intro_reseller
                    } else {
                        i18n.o().checkout_blocked_intro
                    }}</p>
                    <ul>{move || blockers.get().into_iter().map(|reason| view! { <li>{reason}</li> }).collect_view()}</ul>
                </Show>
            </div>
        </div>
    }
}
