//! The checkout page: order details of the configuration in the URL (from "Continue to
//! Submit" or a favourite's "Buy"), the fields the product needs (VPC and server password
//! for images, the contact-sharing authorisation for seller-created accounts), the terms,
//! and Pay Now, which places the order and moves on to the payment step.

use bazaar_core::account::{AccountSummary, mask_email, mask_mobile, mask_name};
use bazaar_core::catalog::{BillingMode, DeliveryMethod, ProductDetail};
use bazaar_core::error::FieldError;
use bazaar_core::orders::{CheckoutFacts, CreateVpcRequest, OrderStatus, PlaceOrderRequest, checkout_problems};
use bazaar_core::pricing::{Charge, price_configuration};
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::{use_location, use_navigate, use_query_map};

use crate::api;
use crate::api::ApiError;
use crate::checkout_attempt;
use crate::components::fields::use_field_error;
use crate::components::page_heading::PageHeading;
use crate::components::price::PriceBreakdownView;
use crate::components::require_login::RequireLogin;
use crate::components::status::{ErrorPanel, error_message, render_resource};
use crate::configuration::configuration_from_query;
use crate::i18n::{Locale, use_i18n};
use crate::pages::product::use_product_resource;
use crate::session::use_session;

mod consent_section;
mod server_section;

use consent_section::ConsentSection;
use server_section::ServerSection;

#[component]
pub fn PurchasePage() -> impl IntoView {
    view! {
        <RequireLogin>
            <PurchaseLoader />
        </RequireLogin>
    }
}

#[component]
fn PurchaseLoader() -> impl IntoView {
    let product = use_product_resource();
    let i18n = use_i18n();
    // The heading does not wait for the product: it is the shell's first paint too.
    view! {
        <section class="purchase">
            <PageHeading text=move || i18n.o().checkout_title />
            {render_resource(product, |detail| view! { <Checkout detail /> })}
        </section>
    }
}

#[component]
fn Checkout(detail: ProductDetail) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let query = use_query_map();
    let location = use_location();
    let navigate = use_navigate();
    let product = StoredValue::new(detail);
    let configuration = Memo::new(move |_| {
        product.with_value(|product| query.with(|query| configuration_from_query(product, |key| query.get(key))))
    });
    let facts = product.with_value(|product| CheckoutFacts {
        delivery_method: product.summary.delivery_method,
        seller_creates_account: product.seller_creates_account,
    });
    let image = facts.delivery_method == DeliveryMethod::Image;
    let account = Signal::derive(move || session.account());
    let reseller = Signal::derive(move || account.get().and_then(|account| account.reseller_name));

    let vpc_id = RwSignal::new(None::<i64>);
    let password = RwSignal::new(String::new());
    let password_confirmation = RwSignal::new(String::new());
    let consent = RwSignal::new(false);
    let terms = RwSignal::new(false);
    // "Start free trial" on the product page: the same checkout with nothing to pay.
    let trial = query.with_untracked(|query| query.get("trial").as_deref() == Some("true"));
    let trial_days = product.with_value(|product| product.trial_days).filter(|_| trial);

    let request = move || PlaceOrderRequest {
        product_id: product.with_value(|product| product.summary.id),
        configuration: configuration.get(),
        accept_terms: terms.get(),
        authorize_contact_sharing: facts.seller_creates_account && consent.get(),
        vpc_id: if image { vpc_id.get() } else { None },
        server_password: image.then(|| password.get()),
        trial,
    };
    // Every reason Pay Now is disabled, in the order the fields appear.
    let blockers = Memo::new(move |_| {
        let messages = i18n.o();
        let mut reasons: Vec<&'static str> = Vec::new();
        let problems = checkout_problems(facts, &request());
        let has = |field: &str| problems.0.iter().any(|problem| problem.field == field);
        if has("vpc_id") {
            reasons.push(messages.blocker_vpc);
        }
        if has("server_password") {
            reasons.push(messages.blocker_password);
        } else if image && password.get() != password_confirmation.get() {
            reasons.push(messages.blocker_password_mismatch);
        }
        if has("authorize_contact_sharing") {
            reasons.push(messages.blocker_consent);
        }
        if has("accept_terms") {
            reasons.push(messages.blocker_terms);
        }
        reasons
    });

    // The attempt is this page's address: product and configuration.
    let checkout_url =
        StoredValue::new(format!("{}{}", location.pathname.get_untracked(), location.search.get_untracked()));
    // Placing leads to the payment step (or, with nothing to pay, the order); a refusal
    // stays here with its reasons next to the fields.
    let place = Action::new_local(move |(order, key): &(PlaceOrderRequest, String)| {
        let (order, key, navigate) = (order.clone(), key.clone(), navigate.clone());
        async move {
            let result = api::orders::place_order(order, key).await;
            if let Ok(order) = &result {
                let id = order.summary.id;
                checkout_url.with_value(|url| checkout_attempt::remember_order(id, url));
                if order.summary.status == OrderStatus::PendingPayment {
                    navigate(&format!("/orders/{id}/pay"), Default::default());
                } else {
                    checkout_attempt::finish_order(id);
                    navigate(&format!("/orders/{id}"), Default::default());
                }
            }
            result
        }
    });
    // The server's field errors of the last attempt (none while a new one is under way).
    let server_errors = Signal::derive(move || {
        if place.pending().get() {
            return Vec::new();
        }
        place.value().get().and_then(Result::err).map(|error| error.body.field_errors()).unwrap_or_default()
    });
    let submit = move || {
        if !blockers.get_untracked().is_empty() || place.pending().get_untracked() {
            return;
        }
        let key = checkout_url.with_value(|url| checkout_attempt::key_for(url));
        place.dispatch((request(), key));
    };
    let general_error =
        move || place.value().get().and_then(Result::err).filter(|error| error.body.field_errors().is_empty());
    let has_field_errors =
        move || place.value().with(|value| matches!(value, Some(Err(error)) if !error.body.field_errors().is_empty()));

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
    let hourly = move || price().map(|breakdown| breakdown.charge == Charge::Hourly).unwrap_or(false);
    let product_href = product.with_value(|product| format!("/products/{}", product.summary.id));
    let seller_name = product.with_value(|product| product.seller_contact.name.clone());
    let region_name =
        move || bazaar_core::regions::name(&configuration.get().region, i18n.locale() == Locale::ZhCn).to_owned();

    view! {
        <div class="purchase__body">
            <div class="card" data-testid="order-details">
                <h2 class="card__title">{move || i18n.product().purchase_title}</h2>
                <dl class="details">
                    <dt>{move || i18n.t().product_label}</dt>
                    <dd><A href=product_href>{product.with_value(|product| product.summary.name.clone())}</A></dd>
                    <dt>{move || i18n.o().order_seller}</dt>
                    <dd>{seller_name.clone()}</dd>
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

            <form class="checkout-form" novalidate on:submit=move |event| { event.prevent_default(); submit(); }>
                {image.then(|| view! {
                    <ServerSection configuration_region=Signal::derive(move || configuration.get().region) vpc_id password password_confirmation server_errors />
                })}
                {facts.seller_creates_account.then(|| {
                    let seller_name = seller_name.clone();
                    view! { <ConsentSection seller_name account consent error=use_field_error(server_errors, "authorize_contact_sharing") /> }
                })}
                <div class="card">
                    <div class="checkbox-field" class:field--invalid=move || use_field_error(server_errors, "accept_terms").get().is_some()>
                        <input type="checkbox" id="accept-terms" prop:checked=move || terms.get()
                            on:change=move |event| terms.set(event_target_checked(&event)) />
                        <label for="accept-terms">{move || i18n.o().checkout_terms_label}</label>
                    </div>
                    // A new tab, so what has been filled in here stays as it is.
                    <p class="checkbox-field__more">
                        <a href="/terms" target="_blank" rel="noopener">{move || i18n.terms().checkout_link}</a>
                    </p>
                </div>

                {move || has_field_errors().then(|| view! {
                    <p class="notice notice--error" role="alert">{move || i18n.o().checkout_fix_fields}</p>
                })}
                {move || general_error().map(|error| view! { <ErrorPanel error /> })}
                <Show when=hourly>
                    <p class="hint">{move || i18n.o().checkout_hourly_note}</p>
                </Show>
                <div class="checkout-form__actions">
                    <button type="submit" class="button button--primary button--large" data-testid="pay-now"
                        aria-describedby="checkout-blockers"
                        aria-disabled=move || if blockers.with(Vec::is_empty) { "false" } else { "true" }
                        disabled=move || !blockers.with(Vec::is_empty) || place.pending().get()>
                        {move || if place.pending().get() {
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
            </form>
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
