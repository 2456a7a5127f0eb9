//! Invoice profiles in My Account: the list (the default marked), and one form to add or
//! edit a profile, with each field's error from the server next to it. Reads are a resource
//! refreshed by every save and delete.

use bazaar_core::error::{FieldError, FieldErrorCode};
use bazaar_core::invoices::{InvoiceProfile, InvoiceProfileInput, ProfileKind};
use leptos::prelude::*;

use crate::api;
use crate::components::fields::{TextField, use_field_error};
use crate::components::status::{error_message, render_resource};
use crate::i18n::use_i18n;

/// The form's fields, as typed.
#[derive(Clone, Copy)]
struct Form {
    editing: RwSignal<Option<Option<i64>>>,
    kind: RwSignal<ProfileKind>,
    title: RwSignal<String>,
    tax_id: RwSignal<String>,
    address: RwSignal<String>,
    phone: RwSignal<String>,
    bank_account: RwSignal<String>,
    email: RwSignal<String>,
    is_default: RwSignal<bool>,
}

impl Form {
    fn new() -> Form {
        Form {
            editing: RwSignal::new(None),
            kind: RwSignal::new(ProfileKind::Enterprise),
            title: RwSignal::new(String::new()),
            tax_id: RwSignal::new(String::new()),
            address: RwSignal::new(String::new()),
            phone: RwSignal::new(String::new()),
            bank_account: RwSignal::new(String::new()),
            email: RwSignal::new(String::new()),
            is_default: RwSignal::new(false),
        }
    }

    /// Opens the form for a new profile (`None`) or to edit `profile`.
    fn open(&self, profile: Option<&InvoiceProfile>) {
        let text = |value: Option<&String>| value.cloned().unwrap_or_default();
        self.editing.set(Some(profile.map(|profile| profile.id)));
        self.kind.set(profile.map_or(ProfileKind::Enterprise, |profile| profile.kind));
        self.title.set(text(profile.map(|p| &p.title)));
        self.tax_id.set(text(profile.and_then(|p| p.tax_id.as_ref())));
        self.address.set(text(profile.and_then(|p| p.address.as_ref())));
        self.phone.set(text(profile.and_then(|p| p.phone.as_ref())));
        self.bank_account.set(text(profile.and_then(|p| p.bank_account.as_ref())));
        self.email.set(text(profile.map(|p| &p.email)));
        self.is_default.set(profile.is_some_and(|p| p.is_default));
    }

    fn input(&self) -> InvoiceProfileInput {
        let optional = |value: RwSignal<String>| Some(value.get_untracked()).filter(|value| !value.trim().is_empty());
        InvoiceProfileInput {
            kind: self.kind.get_untracked(),
            title: self.title.get_untracked(),
            tax_id: optional(self.tax_id).filter(|_| self.kind.get_untracked() == ProfileKind::Enterprise),
            address: optional(self.address),
            phone: optional(self.phone),
            bank_account: optional(self.bank_account),
            email: self.email.get_untracked(),
            is_default: self.is_default.get_untracked(),
        }
    }
}

#[component]
pub fn InvoiceProfiles() -> impl IntoView {
    let i18n = use_i18n();
    let form = Form::new();
    let save = Action::new_local(move |(id, input): &(Option<i64>, InvoiceProfileInput)| {
        let (id, input) = (*id, input.clone());
        async move {
            let result = api::invoices::save_profile(id, input).await;
            if result.is_ok() {
                form.editing.set(None);
            }
            result
        }
    });
    let delete = Action::new_local(|id: &i64| api::invoices::delete_profile(*id));
    let profiles = LocalResource::new(move || {
        save.version().get();
        delete.version().get();
        api::invoices::profiles()
    });
    let delete_error = move || delete.value().get().and_then(Result::err).map(|error| error_message(&error));
    view! {
        <div class="card" data-testid="invoice-profiles">
            <h2 class="card__title">{move || i18n.invoices().profiles_title}</h2>
            <p class="hint">{move || i18n.invoices().profiles_intro}</p>
            {move || delete_error().map(|text| view! { <p class="notice notice--error" role="alert">{text}</p> })}
            {render_resource(profiles, move |profiles: Vec<InvoiceProfile>| {
                if profiles.is_empty() {
                    return view! { <p>{move || i18n.invoices().profiles_empty}</p> }.into_any();
                }
                view! {
                    <ul class="invoice-profiles">
                        {profiles.into_iter().map(|profile| view! { <ProfileItem profile form delete /> }).collect_view()}
                    </ul>
                }.into_any()
            })}
            <Show when=move || form.editing.with(Option::is_none)>
                <button type="button" class="button button--secondary" on:click=move |_| form.open(None)>
                    {move || i18n.invoices().add_profile}
                </button>
            </Show>
            <Show when=move || form.editing.with(Option::is_some)>
                <ProfileForm form save />
            </Show>
        </div>
    }
}

#[component]
fn ProfileItem(profile: InvoiceProfile, form: Form, delete: Action<i64, Result<(), api::ApiError>>) -> impl IntoView {
    let i18n = use_i18n();
    let id = profile.id;
    let title = profile.title.clone();
    let stored = StoredValue::new(profile.clone());
    view! {
        <li class="invoice-profile" data-testid="invoice-profile">
            <div class="invoice-profile__main">
                <p class="invoice-profile__title">
                    {profile.title.clone()}" "
                    {profile.is_default.then(|| view! { <span class="tag">{move || i18n.invoices().default_badge}</span> })}
                </p>
                <p class="hint">
                    {move || i18n.invoices().kind(profile.kind)}
                    {profile.tax_id.clone().map(|id| format!(" · {id}"))}" · "{profile.email.clone()}
                </p>
            </div>
            <button type="button" class="button button--quiet button--small"
                aria-label=move || format!("{} {}", i18n.invoices().edit, title)
                on:click=move |_| stored.with_value(|profile| form.open(Some(profile)))>
                {move || i18n.invoices().edit}
            </button>
            <button type="button" class="button button--quiet button--small" disabled=move || delete.pending().get()
                on:click=move |_| { delete.dispatch(id); }>
                {move || i18n.invoices().delete}
            </button>
        </li>
    }
}

#[component]
fn ProfileForm(
    form: Form,
    save: Action<(Option<i64>, InvoiceProfileInput), Result<InvoiceProfile, api::ApiError>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let errors = Signal::derive(move || {
        if save.pending().get() {
            return Vec::new();
        }
        save.value().get().and_then(Result::err).map(|error| error.body.field_errors()).unwrap_or_default()
    });
    let general = move || {
        save.value()
            .get()
            .and_then(Result::err)
            .filter(|error| error.body.field_errors().is_empty())
            .map(|error| error_message(&error))
    };
    // The tax ID's problem in words the buyer can act on.
    let tax_id_error = Signal::derive(move || {
        errors.with(|errors| {
            errors.iter().find(|error| error.field == "tax_id").map(|error: &FieldError| match error.code {
                FieldErrorCode::Invalid => i18n.invoices().tax_id_invalid.to_owned(),
                _ => i18n.t().field_error(error),
            })
        })
    });
    let kind_choice = move |kind: ProfileKind, id: &'static str| {
        view! {
            <div class="payment-method">
                <input type="radio" name="profile-kind" id=id prop:checked=move || form.kind.get() == kind
                    on:change=move |_| form.kind.set(kind) />
                <label for=id>{move || i18n.invoices().kind(kind)}</label>
            </div>
        }
    };
    view! {
        <form class="invoice-profile-form" novalidate on:submit=move |event: leptos::ev::SubmitEvent| {
            event.prevent_default();
            save.dispatch((form.editing.get_untracked().flatten(), form.input()));
        }>
            <fieldset class="payment-methods">
                <legend>{move || i18n.invoices().kind_label}</legend>
                {kind_choice(ProfileKind::Enterprise, "profile-kind-enterprise")}
                {kind_choice(ProfileKind::Personal, "profile-kind-personal")}
            </fieldset>
            <TextField id="profile-title" label=Signal::derive(move || i18n.invoices().title_label.to_owned())
                value=form.title error=use_field_error(errors, "title") required=true />
            <Show when=move || form.kind.get() == ProfileKind::Enterprise>
                <TextField id="profile-tax-id" label=Signal::derive(move || i18n.invoices().tax_id_label.to_owned())
                    value=form.tax_id error=tax_id_error required=true
                    hint=Signal::derive(move || i18n.invoices().tax_id_hint.to_owned()) />
            </Show>
            <TextField id="profile-address" label=Signal::derive(move || i18n.invoices().address_label.to_owned())
                value=form.address error=use_field_error(errors, "address") autocomplete="street-address" />
            <TextField id="profile-phone" label=Signal::derive(move || i18n.invoices().phone_label.to_owned())
                value=form.phone error=use_field_error(errors, "phone") input_type="tel" autocomplete="tel" />
            <TextField id="profile-bank" label=Signal::derive(move || i18n.invoices().bank_account_label.to_owned())
                value=form.bank_account error=use_field_error(errors, "bank_account") />
            <TextField id="profile-email" label=Signal::derive(move || i18n.invoices().email_label.to_owned())
                value=form.email error=use_field_error(errors, "email") input_type="email" autocomplete="email" required=true />
            <div class="checkbox-field">
                <input type="checkbox" id="profile-default" prop:checked=move || form.is_default.get()
                    on:change=move |event| form.is_default.set(event_target_checked(&event)) />
                <label for="profile-default">{move || i18n.invoices().default_label}</label>
            </div>
            {move || general().map(|text| view! { <p class="notice notice--error" role="alert">{text}</p> })}
            <div class="form__actions">
                <button type="submit" class="button button--primary" disabled=move || save.pending().get()>
                    {move || if save.pending().get() { i18n.invoices().saving } else { i18n.invoices().save }}
                </button>
                <button type="button" class="button button--quiet" on:click=move |_| form.editing.set(None)>
                    {move || i18n.invoices().cancel}
                </button>
            </div>
        </form>
    }
}
