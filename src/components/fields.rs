//! Labelled form fields that show their error right under the input, wired for screen
//! readers (`aria-invalid`, `aria-describedby`).

use bazaar_core::error::FieldError;
use leptos::prelude::*;

use crate::i18n::use_i18n;

/// The translated problem with `field` among `errors`, for a field's `error` prop. It
/// follows new errors and a language switch alike.
pub fn use_field_error(errors: Signal<Vec<FieldError>>, field: impl Into<String>) -> Signal<Option<String>> {
    let i18n = use_i18n();
    let field = field.into();
    Signal::derive(move || {
        errors.with(|errors| errors.iter().find(|error| error.field == field).map(|error| i18n.t().field_error(error)))
    })
}

/// A text input with its label and error.
#[component]
pub fn TextField(
    /// The element id; also the base of the error's id.
    #[prop(into)]
    id: String,
    #[prop(into)] label: Signal<String>,
    value: RwSignal<String>,
    #[prop(optional, into)] error: Signal<Option<String>>,
    #[prop(default = "text")] input_type: &'static str,
    #[prop(optional)] autocomplete: Option<&'static str>,
    #[prop(optional)] required: bool,
    #[prop(optional, into)] hint: Option<Signal<String>>,
) -> impl IntoView {
    let error_id = format!("{id}-error");
    let hint_id = format!("{id}-hint");
    let described_by = {
        let error_id = error_id.clone();
        let hint_id = hint_id.clone();
        let has_hint = hint.is_some();
        move || {
            let mut ids = Vec::new();
            if has_hint {
                ids.push(hint_id.clone());
            }
            if error.with(Option::is_some) {
                ids.push(error_id.clone());
            }
            (!ids.is_empty()).then(|| ids.join(" "))
        }
    };
    view! {
        <div class="field" class:field--invalid=move || error.with(Option::is_some)>
            <label class="field__label" for=id.clone()>{label}</label>
            {hint.map(|hint| view! { <p class="field__hint" id=hint_id.clone()>{hint}</p> })}
            <input
                class="field__input"
                id=id.clone()
                name=id.clone()
                type=input_type
                autocomplete=autocomplete
                required=required
                aria-invalid=move || if error.with(Option::is_some) { "true" } else { "false" }
                aria-describedby=described_by
                bind:value=value
            />
            <p class="field__error" id=error_id aria-live="polite">{move || error.get()}</p>
        </div>
    }
}

/// A multi-line text input with its label and error, wired like [`TextField`].
#[component]
pub fn TextAreaField(
    /// The element id; also the base of the error's id.
    #[prop(into)]
    id: String,
    #[prop(into)] label: Signal<String>,
    value: RwSignal<String>,
    #[prop(optional, into)] error: Signal<Option<String>>,
    #[prop(default = 4)] rows: u32,
    #[prop(optional)] max_length: Option<u32>,
) -> impl IntoView {
    let error_id = format!("{id}-error");
    view! {
        <div class="field" class:field--invalid=move || error.with(Option::is_some)>
            <label class="field__label" for=id.clone()>{label}</label>
            <textarea
                class="field__textarea"
                id=id.clone()
                name=id
                rows=rows
                maxlength=max_length
                aria-invalid=move || if error.with(Option::is_some) { "true" } else { "false" }
                aria-describedby=error_id.clone()
                prop:value=move || value.get()
                on:input=move |event| value.set(event_target_value(&event))
            ></textarea>
            <p class="field__error" id=error_id aria-live="polite">{move || error.get()}</p>
        </div>
    }
}
