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
use crate::components::price::PriceBreakdownView;
use crate::components::require_login::RequireLogin;
use crate::components::status::{ErrorPanel, error_message, render_resource};
use crate::configuration::configuration_from_query;
use crate::i18n::{Locale, fill, use_i18n};
use crate::pages::product::use_product_resource;
use crate::session::use_session;

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
    view! { {render_resource(product, |detail| view! { <Checkout detail /> })} }
}

/// The server's error for `field`, translated, if the last submit had one.
fn server_field_error(errors: RwSignal<Vec<FieldError>>, field: &'static str) -> Signal<Option<String>> {
    let i18n = use_i18n();
    Signal::derive(move || {
        errors.with(|errors| errors.iter().find(|error| error.field == field).map(|error| i18n.t().field_error(error)))
    })
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
    let server_errors = RwSignal::new(Vec::<FieldError>::new());

    let request = move || PlaceOrderRequest {
        product_id: product.with_value(|product| product.summary.id),
        configuration: configuration.get(),
        accept_terms: terms.get(),
        authorize_contact_sharing: facts.seller_creates_account && consent.get(),
        vpc_id: if image { vpc_id.get() } else { None },
        server_password: image.then(|| password.get()),
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

    let place = Action::new_local(move |(order, key): &(PlaceOrderRequest, String)| {
        api::orders::place_order(order.clone(), key.clone())
    });
    // The attempt is this page's address: product and configuration.
    let checkout_url =
        StoredValue::new(format!("{}{}", location.pathname.get_untracked(), location.search.get_untracked()));
    let submit = move || {
        if !blockers.get_untracked().is_empty() || place.pending().get_untracked() {
            return;
        }
        server_errors.set(Vec::new());
        let key = checkout_url.with_value(|url| checkout_attempt::key_for(url));
        place.dispatch((request(), key));
    };
    Effect::new(move |_| match place.value().get() {
        Some(Ok(order)) => {
            checkout_url.with_value(|url| checkout_attempt::remember_order(order.summary.id, url));
            if order.summary.status == OrderStatus::PendingPayment {
                navigate(&format!("/orders/{}/pay", order.summary.id), Default::default());
            } else {
                checkout_attempt::finish_order(order.summary.id);
                navigate(&format!("/orders/{}", order.summary.id), Default::default());
            }
        }
        Some(Err(error)) => server_errors.set(error.body.field_errors.clone()),
        None => {}
    });
    let general_error =
        move || place.value().get().and_then(Result::err).filter(|error| error.body.field_errors.is_empty());
    let has_field_errors =
        move || place.value().with(|value| matches!(value, Some(Err(error)) if !error.body.field_errors.is_empty()));

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
        <section class="purchase">
            <h1>{move || i18n.o().checkout_title}</h1>
            <div class="card" data-testid="order-details">
                <h2 class="card__title">{move || i18n.t().purchase_title}</h2>
                <dl class="details">
                    <dt>{move || i18n.t().product_overview}</dt>
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
                {move || price().ok().map(|breakdown| view! { <PriceBreakdownView breakdown image /> })}
                {move || reseller.get().map(|reseller| view! {
                    <p class="notice notice--info" data-testid="reference-amount">
                        {move || fill(i18n.o().checkout_reference_amount, &[("reseller", &reseller)])}
                    </p>
                })}
            </div>

            <form class="checkout-form" novalidate on:submit=move |event| { event.prevent_default(); submit(); }>
                {image.then(|| view! {
                    <ServerSection configuration_region=Signal::derive(move || configuration.get().region) vpc_id password password_confirmation server_errors />
                })}
                {facts.seller_creates_account.then(|| {
                    let seller_name = seller_name.clone();
                    view! { <ConsentSection seller_name account consent error=server_field_error(server_errors, "authorize_contact_sharing") /> }
                })}
                <div class="card">
                    <div class="checkbox-field" class:field--invalid=move || server_field_error(server_errors, "accept_terms").get().is_some()>
                        <input type="checkbox" id="accept-terms" prop:checked=move || terms.get()
                            on:change=move |event| terms.set(event_target_checked(&event)) />
                        <label for="accept-terms">{move || i18n.o().checkout_terms_label}</label>
                    </div>
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
                            i18n.o().checkout_submitting
                        } else if reseller.get().is_some() {
                            i18n.o().checkout_submit_reseller
                        } else {
                            i18n.o().checkout_pay_now
                        }}
                    </button>
                    <div id="checkout-blockers" class="checkout-form__blockers" aria-live="polite" data-testid="pay-blockers">
                        <Show when=move || !blockers.with(Vec::is_empty)>
                            <p>{move || i18n.o().checkout_blocked_intro}</p>
                            <ul>{move || blockers.get().into_iter().map(|reason| view! { <li>{reason}</li> }).collect_view()}</ul>
                        </Show>
                    </div>
                </div>
            </form>
        </section>
    }
}

/// Image products: where the server goes (VPC) and its login password.
#[component]
fn ServerSection(
    configuration_region: Signal<String>,
    vpc_id: RwSignal<Option<i64>>,
    password: RwSignal<String>,
    password_confirmation: RwSignal<String>,
    server_errors: RwSignal<Vec<FieldError>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let vpcs = LocalResource::new(api::orders::vpcs);
    let new_vpc_name = RwSignal::new(String::new());
    let create = Action::new_local(|request: &CreateVpcRequest| api::orders::create_vpc(request.clone()));
    let created_name = RwSignal::new(None::<String>);
    Effect::new(move |_| {
        if let Some(Ok(vpc)) = create.value().get() {
            vpc_id.set(Some(vpc.id));
            created_name.set(Some(vpc.name.clone()));
            new_vpc_name.set(String::new());
            vpcs.refetch();
        }
    });
    // The VPCs in the chosen region; the first is preselected.
    let in_region = Memo::new(move |_| {
        let region = configuration_region.get();
        vpcs.get()
            .and_then(Result::ok)
            .map(|vpcs| vpcs.into_iter().filter(|vpc| vpc.region == region).collect::<Vec<_>>())
            .unwrap_or_default()
    });
    Effect::new(move |_| {
        let list = in_region.get();
        if !list.iter().any(|vpc| Some(vpc.id) == vpc_id.get_untracked()) {
            vpc_id.set(list.first().map(|vpc| vpc.id));
        }
    });
    let create_error = move || {
        create.value().get().and_then(Result::err).map(|error: ApiError| {
            error
                .body
                .field_errors
                .first()
                .map(|field_error| i18n.t().field_error(field_error))
                .unwrap_or_else(|| error_message(&error))
        })
    };
    let vpc_error = server_field_error(server_errors, "vpc_id");
    let password_problem = Memo::new(move |_| {
        let value = password.get();
        (!value.is_empty()
            && !bazaar_core::validation::server_password_problems(&value, bazaar_core::orders::SERVER_LOGIN_USER)
                .is_empty())
        .then(|| i18n.o().checkout_password_rules.to_owned())
    });
    let password_error =
        Signal::derive(move || server_field_error(server_errors, "server_password").get().or(password_problem.get()));
    let mismatch = Signal::derive(move || {
        let confirmation = password_confirmation.get();
        (!confirmation.is_empty() && confirmation != password.get())
            .then(|| i18n.o().checkout_password_mismatch.to_owned())
    });
    let region_name =
        move || bazaar_core::regions::name(&configuration_region.get(), i18n.locale() == Locale::ZhCn).to_owned();
    view! {
        <fieldset class="card checkout-form__section" data-testid="server-section">
            <legend class="card__title">{move || i18n.o().checkout_server_heading}</legend>
            {render_resource(vpcs, move |_| {
                view! {
                    <Show when=move || !in_region.with(Vec::is_empty)
                        fallback=move || view! { <p class="hint" data-testid="no-vpc">{move || i18n.o().checkout_vpc_none}</p> }>
                        <div class="field" class:field--invalid=move || vpc_error.get().is_some()>
                            <label class="field__label" for="vpc">{move || i18n.o().checkout_vpc}</label>
                            <select id="vpc" class="field__input"
                                aria-invalid=move || if vpc_error.get().is_some() { "true" } else { "false" }
                                aria-describedby="vpc-error"
                                on:change=move |event| vpc_id.set(event_target_value(&event).parse().ok())>
                                {move || in_region.get().into_iter().map(|vpc| {
                                    let id = vpc.id;
                                    view! {
                                        <option value=id.to_string() prop:selected=move || vpc_id.get() == Some(id)>
                                            {format!("{} ({})", vpc.name, vpc.cidr)}
                                        </option>
                                    }
                                }).collect_view()}
                            </select>
                            <p class="field__error" id="vpc-error" aria-live="polite">{move || vpc_error.get()}</p>
                        </div>
                    </Show>
                }
            })}
            <div class="inline-create">
                <div class="field">
                    <label class="field__label" for="new-vpc-name">{move || i18n.o().checkout_vpc_name}</label>
                    <p class="field__hint" id="new-vpc-hint">{move || fill(i18n.o().checkout_vpc_region_note, &[("region", &region_name())])}</p>
                    <input id="new-vpc-name" class="field__input" type="text" maxlength="64" autocomplete="off"
                        aria-describedby="new-vpc-hint new-vpc-error" bind:value=new_vpc_name />
                    <p class="field__error" id="new-vpc-error" aria-live="polite">{create_error}</p>
                </div>
                <button type="button" class="button button--secondary"
                    disabled=move || create.pending().get() || new_vpc_name.with(|name| name.trim().is_empty())
                    on:click=move |_| {
                        create.dispatch(CreateVpcRequest { name: new_vpc_name.get_untracked(), region: configuration_region.get_untracked() });
                    }>
                    {move || if create.pending().get() { i18n.o().checkout_vpc_creating } else { i18n.o().checkout_vpc_create }}
                </button>
                <p class="visually-hidden" role="status">
                    {move || created_name.get().map(|name| fill(i18n.o().checkout_vpc_created, &[("name", &name)]))}
                </p>
            </div>
            <p class="hint">{move || i18n.o().checkout_login_user}</p>
            <crate::components::fields::TextField id="server-password" input_type="password" autocomplete="new-password"
                label=Signal::derive(move || i18n.o().checkout_password.to_owned())
                hint=Signal::derive(move || i18n.o().checkout_password_rules.to_owned())
                value=password error=password_error required=true />
            <crate::components::fields::TextField id="server-password-confirm" input_type="password" autocomplete="new-password"
                label=Signal::derive(move || i18n.o().checkout_password_confirm.to_owned())
                value=password_confirmation error=mismatch required=true />
            <p class="notice notice--warning">{move || i18n.o().checkout_password_keep}</p>
        </fieldset>
    }
}

/// The authorisation for the seller to create the app account from the buyer's contact
/// details, which are shown masked.
#[component]
fn ConsentSection(
    seller_name: String,
    account: Signal<Option<AccountSummary>>,
    consent: RwSignal<bool>,
    error: Signal<Option<String>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let seller = StoredValue::new(seller_name);
    let contact = move || account.get().map(|account| account.contact);
    view! {
        <fieldset class="card checkout-form__section" data-testid="consent-section">
            <legend class="card__title">{move || i18n.o().checkout_consent_heading}</legend>
            <div class="checkbox-field" class:field--invalid=move || error.get().is_some()>
                <input type="checkbox" id="authorize-contact" aria-describedby="shared-contact authorize-contact-error"
                    prop:checked=move || consent.get()
                    on:change=move |event| consent.set(event_target_checked(&event)) />
                <label for="authorize-contact">
                    {move || seller.with_value(|seller| fill(i18n.o().checkout_consent_label, &[("seller", seller)]))}
                </label>
            </div>
            <dl class="details details--compact" id="shared-contact">
                <dt>{move || i18n.o().checkout_consent_mobile}</dt>
                <dd>{move || contact().map(|contact| mask_mobile(&contact.mobile))}</dd>
                <dt>{move || i18n.o().checkout_consent_email}</dt>
                <dd>{move || contact().map(|contact| mask_email(&contact.email))}</dd>
                <dt>{move || i18n.o().checkout_consent_iam}</dt>
                <dd>{move || contact().map(|contact| mask_name(&contact.iam_user_name))}</dd>
            </dl>
            <p class="field__error" id="authorize-contact-error" aria-live="polite">{move || error.get()}</p>
        </fieldset>
    }
}
