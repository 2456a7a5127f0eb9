//! Checkout's consent to share contact details with a seller who creates the account.

use super::*;

/// The authorisation for the seller to create the app account from the buyer's contact
/// details, which are shown masked.
#[component]
pub(super) fn ConsentSection(
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
                    {move || seller.with_value(|seller| (i18n.o().checkout_consent_label)(seller))}
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
