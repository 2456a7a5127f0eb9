//! My Account: the signed-in account's contact profile and type, (customers) what they can
//! pay with: balance, card on file (replaceable here) and credit line, and the devices
//! signed in to the account, each of which can be signed out.

use bazaar_core::account::Role;
use leptos::prelude::*;

use bazaar_core::orders::SaveCardRequest;
use bazaar_core::security::{SESSION_ABSOLUTE_SECONDS, SESSION_IDLE_SECONDS};

use crate::components::fields::{TextField, use_field_error};
use crate::components::page_heading::PageHeading;
use crate::components::require_login::RequireLogin;
use crate::components::status::{ErrorPanel, render_resource};
use crate::format::local_date_time;
use crate::i18n::use_i18n;
use crate::i18n_account::AccountMessages;
use crate::session::SessionState;
use crate::session::use_session;

pub fn role_name(messages: &'static AccountMessages, role: Role) -> &'static str {
    match role {
        Role::Buyer => messages.role_buyer,
        Role::ResellerCustomer => messages.role_reseller_customer,
        Role::Seller => messages.role_seller,
        Role::Operations => messages.role_operations,
    }
}

#[component]
pub fn AccountPage() -> impl IntoView {
    view! {
        <RequireLogin>
            <AccountDetails />
        </RequireLogin>
    }
}

#[component]
fn AccountDetails() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    move || {
        session.account().map(|account| {
            let contact = account.contact.clone();
            let reseller = account.reseller_name.clone();
            view! {
                <section class="page page--narrow">
                    <PageHeading text=move || i18n.account().account_title />
                    <div class="card">
                        <p class="account__name">{account.display_name.clone()}</p>
                        <dl class="details">
                            <dt>{move || i18n.account().account_role}</dt>
                            <dd>{move || role_name(i18n.account(), account.role)}</dd>
                            {reseller.map(|name| view! {
                                <dt>{move || i18n.account().account_billed_to}</dt>
                                <dd>{name}</dd>
                            })}
                        </dl>
                        <h2>{move || i18n.account().account_contact_heading}</h2>
                        <p class="hint">{move || i18n.account().account_contact_hint}</p>
                        <dl class="details">
                            <dt>{move || i18n.account().contact_mobile}</dt>
                            <dd>{contact.mobile.clone()}</dd>
                            <dt>{move || i18n.t().contact_email}</dt>
                            <dd>{contact.email.clone()}</dd>
                            <dt>{move || i18n.account().contact_iam}</dt>
                            <dd>{contact.iam_user_name.clone()}</dd>
                        </dl>
                    </div>
                    {account.role.is_customer().then(|| view! { <PaymentMethods /> })}
                    {account.role.is_customer().then(|| view! { <crate::pages::invoices::profiles::InvoiceProfiles /> })}
                    <SignedInDevices />
                </section>
            }
        })
    }
}

#[component]
fn PaymentMethods() -> impl IntoView {
    let i18n = use_i18n();
    let number = RwSignal::new(String::new());
    let month = RwSignal::new(String::new());
    let year = RwSignal::new(String::new());
    let save = Action::new_local(move |card: &SaveCardRequest| {
        let card = card.clone();
        async move {
            let result = crate::api::orders::save_card(card).await;
            if result.is_ok() {
                // The number is not kept once the card is on file.
                number.set(String::new());
            }
            result
        }
    });
    // Read again after every save: the card on file changed.
    let options = LocalResource::new(move || {
        save.version().get();
        crate::api::orders::payment_options()
    });
    let save_errors = Signal::derive(move || {
        save.value().with(|value| match value {
            Some(Err(error)) => error.body.field_errors(),
            _ => Vec::new(),
        })
    });
    let field_error = move |field: &'static str| use_field_error(save_errors, field);
    let general_error =
        move || save.value().get().and_then(Result::err).filter(|error| error.body.field_errors().is_empty());
    view! {
        <div class="card" data-testid="payment-methods">
            <h2>{move || i18n.o().account_payment_title}</h2>
            {render_resource(options, move |options| {
                let credit = options.credit.clone();
                view! {
                    <dl class="details">
                        <dt>{move || i18n.o().account_balance}</dt>
                        <dd>{options.balances.iter().map(|money| money.display()).collect::<Vec<_>>().join(" · ")}</dd>
                        <dt>{move || i18n.o().account_card}</dt>
                        <dd data-testid="card-on-file">{match &options.card {
                            Some(card) => format!("{} •••• {} ({:02}/{})", card.brand, card.last4, card.expiry_month, card.expiry_year),
                            None => i18n.o().account_card_none.to_owned(),
                        }}</dd>
                        {credit.into_iter().map(|line| view! {
                            <dt>{move || i18n.o().account_credit}</dt>
                            <dd>{(i18n.o().account_credit_value)(&line.available.display(), &line.limit.display())}</dd>
                        }).collect_view()}
                    </dl>
                }
            })}
            <form class="card-form" novalidate on:submit=move |event| {
                event.prevent_default();
                save.dispatch(SaveCardRequest {
                    number: number.get_untracked(),
                    expiry_month: month.get_untracked().trim().parse().unwrap_or(0),
                    expiry_year: year.get_untracked().trim().parse().unwrap_or(0),
                });
            }>
                <p class="hint">{move || i18n.o().account_card_hint}</p>
                <TextField id="card-number" label=Signal::derive(move || i18n.o().account_card_number.to_owned())
                    value=number error=field_error("number") autocomplete="cc-number" />
                <div class="card-form__expiry">
                    <TextField id="card-month" label=Signal::derive(move || i18n.o().account_card_month.to_owned())
                        value=month error=field_error("expiry") autocomplete="cc-exp-month" />
                    <TextField id="card-year" label=Signal::derive(move || i18n.o().account_card_year.to_owned())
                        value=year autocomplete="cc-exp-year" />
                </div>
                {move || general_error().map(|error| view! { <ErrorPanel error /> })}
                <button type="submit" class="button button--secondary" disabled=move || save.pending().get()>
                    {move || i18n.o().account_card_save}
                </button>
                <p role="status" class="hint">{move || matches!(save.value().get(), Some(Ok(_))).then(|| i18n.o().account_card_saved)}</p>
            </form>
        </div>
    }
}

/// The account's signed-in sessions with "Sign out" for each and "Sign out everywhere".
/// Signing this device out (alone or everywhere) ends the visit: the session becomes
/// anonymous and the page sends the visitor to the login page.
#[component]
fn SignedInDevices() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let sign_out = Action::new_local(move |(session_id, current): &(i64, bool)| {
        let (session_id, current) = (*session_id, *current);
        async move {
            let result = crate::api::session::sign_out_session(session_id).await;
            if result.is_ok() && current {
                session.0.set(SessionState::Anonymous);
            }
            result
        }
    });
    let everywhere = Action::new_local(move |_: &()| async move {
        let result = crate::api::session::sign_out_everywhere().await;
        if result.is_ok() {
            session.0.set(SessionState::Anonymous);
        }
        result
    });
    // Read again after every sign-out.
    let sessions = LocalResource::new(move || {
        sign_out.version().get();
        crate::api::session::sessions()
    });
    let failure =
        move || sign_out.value().get().and_then(Result::err).or_else(|| everywhere.value().get().and_then(Result::err));
    view! {
        <div class="card" data-testid="signed-in-devices">
            <h2>{move || i18n.account().sessions_title}</h2>
            <p class="hint">{move || (i18n.account().sessions_intro)(SESSION_IDLE_SECONDS / 60, SESSION_ABSOLUTE_SECONDS / 3600)}</p>
            {render_resource(sessions, move |sessions| view! {
                <ul class="session-list">
                    {sessions.into_iter().map(|item| {
                        let device = item.device.clone();
                        let device_name = move || if device.is_empty() { i18n.account().sessions_unknown_device.to_owned() } else { device.clone() };
                        let name_for_button = device_name.clone();
                        let last_seen = item.last_seen_at;
                        let signed_in = item.signed_in_at;
                        let address = item.client_address.clone().unwrap_or_default();
                        view! {
                            <li class="session-list__item">
                                <div class="session-list__text">
                                    <p class="session-list__device">
                                        {device_name}
                                        {item.current.then(|| view! { <span class="status-badge status-badge--completed">{move || i18n.account().sessions_this_device}</span> })}
                                    </p>
                                    <dl class="details details--compact">
                                        <dt>{move || i18n.account().sessions_last_seen}</dt>
                                        <dd>{move || local_date_time(last_seen, i18n.locale())}</dd>
                                        <dt>{move || i18n.account().sessions_signed_in}</dt>
                                        <dd>{move || local_date_time(signed_in, i18n.locale())}</dd>
                                        <dt>{move || i18n.account().sessions_address}</dt>
                                        <dd>{address}</dd>
                                    </dl>
                                </div>
                                <button type="button" class="button button--secondary"
                                    disabled=move || sign_out.pending().get() || everywhere.pending().get()
                                    on:click=move |_| { sign_out.dispatch((item.id, item.current)); }>
                                    {move || i18n.account().sessions_sign_out}
                                    <span class="visually-hidden">" "{name_for_button.clone()}" — "{move || local_date_time(last_seen, i18n.locale())}</span>
                                </button>
                            </li>
                        }
                    }).collect_view()}
                </ul>
            })}
            {move || failure().map(|error| view! { <ErrorPanel error /> })}
            <p class="hint">{move || i18n.account().sessions_everywhere_hint}</p>
            <button type="button" class="button button--danger" disabled=move || everywhere.pending().get()
                on:click=move |_| { everywhere.dispatch(()); }>
                {move || i18n.account().sessions_sign_out_everywhere}
            </button>
            <p role="status" class="hint">{move || matches!(sign_out.value().get(), Some(Ok(()))).then(|| i18n.account().sessions_signed_out)}</p>
        </div>
    }
}
