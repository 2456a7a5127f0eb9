//! The checkout page: order details of the configuration in the URL (from "Continue to
//! Submit" or a favourite's "Buy"), the fields the product needs (VPC and server password
//! for images, the contact-sharing authorisation for seller-created accounts), the terms,
//! and Pay Now, which places the order and moves on to the payment step.

use bazaar_core::account::{AccountSummary, mask_email, mask_mobile, mask_name};
use bazaar_core::catalog::{DeliveryMethod, ProductDetail};
use bazaar_core::error::FieldError;
use bazaar_core::orders::{
    CheckoutFacts, CreateVpcRequest, OrderDetail, OrderStatus, PlaceOrderRequest, checkout_problems,
};
use bazaar_core::pricing::{Charge, price_configuration};
use leptos::prelude::*;
use leptos_router::hooks::{use_location, use_navigate, use_query_map};

use crate::api;
use crate::api::ApiError;
use crate::checkout_attempt;
use crate::components::fields::use_field_error;
use crate::components::page_heading::PageHeading;
use crate::components::require_login::RequireLogin;
use crate::components::status::{ErrorPanel, error_message, render_resource};
use crate::configuration::configuration_from_query;
use crate::i18n::{Locale, use_i18n};
use crate::pages::product::use_product_resource;
use crate::session::use_session;

mod consent_section;
mod order_details;
mod server_section;

use consent_section::ConsentSection;
use order_details::{OrderDetailsCard, PayNow, TermsCard};
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

/// Every reason Pay Now is disabled, in the order the fields appear: core's checkout rules
/// over the request being filled in, and the password typed twice alike.
fn pay_blockers(
    facts: CheckoutFacts,
    request: impl Fn() -> PlaceOrderRequest + Send + Sync + 'static,
    password: RwSignal<String>,
    password_confirmation: RwSignal<String>,
) -> Memo<Vec<&'static str>> {
    let i18n = use_i18n();
    let image = facts.delivery_method == DeliveryMethod::Image;
    Memo::new(move |_| {
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
    })
}

/// Places the order (`checkout_url` names the attempt, so a retry reuses its key) and leads
/// to the payment step (or, with nothing to pay, the order); a refusal stays here with its
/// reasons next to the fields.
fn place_action(
    checkout_url: StoredValue<String>,
) -> Action<(PlaceOrderRequest, String), Result<OrderDetail, ApiError>> {
    let navigate = use_navigate();
    Action::new_local(move |(order, key): &(PlaceOrderRequest, String)| {
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
    })
}

#[component]
fn Checkout(detail: ProductDetail) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let query = use_query_map();
    let location = use_location();
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
    let blockers = pay_blockers(facts, request, password, password_confirmation);

    // The attempt is this page's address: product and configuration.
    let checkout_url =
        StoredValue::new(format!("{}{}", location.pathname.get_untracked(), location.search.get_untracked()));
    let place = place_action(checkout_url);
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

    let hourly = move || {
        product
            .with_value(|product| price_configuration(&product.skus, &product.regions, &configuration.get()))
            .is_ok_and(|breakdown| breakdown.charge == Charge::Hourly)
    };
    let seller_name = product.with_value(|product| product.seller_contact.name.clone());

    view! {
        <div class="purchase__body">
            <OrderDetailsCard product configuration trial_days image reseller />

            <form class="checkout-form" novalidate on:submit=move |event| { event.prevent_default(); submit(); }>
                {image.then(|| view! {
                    <ServerSection configuration_region=Signal::derive(move || configuration.get().region) vpc_id password password_confirmation server_errors />
                })}
                {facts.seller_creates_account.then(|| {
                    let seller_name = seller_name.clone();
                    view! { <ConsentSection seller_name account consent error=use_field_error(server_errors, "authorize_contact_sharing") /> }
                })}
                <TermsCard terms error=use_field_error(server_errors, "accept_terms") />

                {move || has_field_errors().then(|| view! {
                    <p class="notice notice--error" role="alert">{move || i18n.o().checkout_fix_fields}</p>
                })}
                {move || general_error().map(|error| view! { <ErrorPanel error /> })}
                <Show when=hourly>
                    <p class="hint">{move || i18n.o().checkout_hourly_note}</p>
                </Show>
                <PayNow blockers pending=place.pending().into() trial reseller />
            </form>
        </div>
    }
}
