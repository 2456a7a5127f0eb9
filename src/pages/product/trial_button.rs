//! "Start free trial" beside Continue to Submit: offered when the product has a trial; for
//! a signed-in customer, disabled with the reason core's eligibility gives for the SKU
//! chosen (a pay-per-use SKU, a trial already used on …). It opens the same checkout with
//! `trial=true`: terms and seller authorisation, and no payment step.

use bazaar_core::ids::ProductId;
use bazaar_core::pricing::Configuration;
use leptos::prelude::*;
use leptos_router::components::A;

use crate::api;
use crate::configuration::purchase_href;
use crate::format::local_date;
use crate::i18n::use_i18n;
use crate::session::use_session;

#[component]
pub(super) fn TrialButton(
    product_id: ProductId,
    configuration: Memo<Configuration>,
    priced: Signal<bool>,
) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let customer = move || session.role().is_some_and(|role| role.is_customer());
    let standing = LocalResource::new(move || {
        let customer = customer();
        async move { if customer { api::catalog::trial_standing(product_id).await.ok() } else { None } }
    });
    // Why not, for the configuration on screen (none while the standing loads).
    let refusal = move || {
        let standing = standing.get().flatten()?;
        let refusal = standing.eligibility(configuration.get().billing_mode).err()?;
        let used_on = refusal.used_on.map(|at| local_date(at, i18n.locale())).unwrap_or_default();
        Some(i18n.trials().refusal(&refusal, &used_on))
    };
    let href = move || format!("{}&trial=true", purchase_href(product_id, &configuration.get()));
    view! {
        {move || if !session.is_signed_in() {
            view! {
                <A href=format!("/login?next=%2Fproducts%2F{product_id}") attr:class="button button--secondary"
                    attr:data-testid="start-trial">
                    {move || i18n.trials().start_trial}
                </A>
            }.into_any()
        } else if let Some(reason) = refusal().filter(|_| customer()) {
            view! {
                <button type="button" class="button button--secondary" disabled=true data-testid="start-trial"
                    aria-describedby="trial-refusal">{move || i18n.trials().start_trial}</button>
                <p id="trial-refusal" class="hint configurator__trial-refusal" data-testid="trial-refusal">{reason}</p>
            }.into_any()
        } else if priced.get() {
            view! {
                <A href=href attr:class="button button--secondary" attr:data-testid="start-trial">
                    {move || i18n.trials().start_trial}
                </A>
            }.into_any()
        } else {
            view! {
                <button type="button" class="button button--secondary" disabled=true data-testid="start-trial">
                    {move || i18n.trials().start_trial}
                </button>
            }.into_any()
        }}
    }
}
