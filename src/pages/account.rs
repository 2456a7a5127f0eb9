//! My Account: the signed-in account's contact profile and type.

use bazaar_core::account::Role;
use leptos::prelude::*;

use crate::components::require_login::RequireLogin;
use crate::i18n::{Messages, use_i18n};
use crate::session::use_session;

pub fn role_name(messages: &'static Messages, role: Role) -> &'static str {
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
                    <h1>{move || i18n.t().account_title}</h1>
                    <div class="card">
                        <p class="account__name">{account.display_name.clone()}</p>
                        <dl class="details">
                            <dt>{move || i18n.t().account_role}</dt>
                            <dd>{move || role_name(i18n.t(), account.role)}</dd>
                            {reseller.map(|name| view! {
                                <dt>{move || i18n.t().account_billed_to}</dt>
                                <dd>{name}</dd>
                            })}
                        </dl>
                        <h2>{move || i18n.t().account_contact_heading}</h2>
                        <p class="hint">{move || i18n.t().account_contact_hint}</p>
                        <dl class="details">
                            <dt>{move || i18n.t().contact_mobile}</dt>
                            <dd>{contact.mobile.clone()}</dd>
                            <dt>{move || i18n.t().contact_email}</dt>
                            <dd>{contact.email.clone()}</dd>
                            <dt>{move || i18n.t().contact_iam}</dt>
                            <dd>{contact.iam_user_name.clone()}</dd>
                        </dl>
                    </div>
                </section>
            }
        })
    }
}
