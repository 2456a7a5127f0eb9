//! A file picker for up to 3 screenshots or documents (tickets and their replies): the
//! chosen files go into `files`; the server's problems with them (by their bytes, size or
//! count) show under it, linked to the input. A form that succeeds is drawn anew, and so
//! is its picker.

use bazaar_core::error::FieldError;
use leptos::prelude::*;

use crate::i18n::use_i18n;

/// The browser's files, kept outside the reactive graph (they are not `Send`).
pub type PickedFiles = StoredValue<Vec<web_sys::File>, LocalStorage>;

#[component]
pub fn FilesField(
    id: &'static str,
    files: PickedFiles,
    /// Every field error of the form; those about `attachments…` show here.
    errors: Signal<Vec<FieldError>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let hint_id = format!("{id}-hint");
    let error_id = format!("{id}-error");
    let described_by = format!("{hint_id} {error_id}");
    let file_errors = move || {
        errors
            .get()
            .into_iter()
            .filter(|error| error.field.starts_with("attachments"))
            .map(|error| i18n.t().field_error(&error))
            .collect::<Vec<_>>()
    };
    view! {
        <div class="field" class:field--invalid=move || !file_errors().is_empty()>
            <label class="field__label" for=id>{move || i18n.support().files_label}</label>
            <input id=id type="file" multiple accept="image/png,image/jpeg,application/pdf"
                aria-describedby=described_by
                on:change=move |event| {
                    let input = event_target::<web_sys::HtmlInputElement>(&event);
                    let list = input.files();
                    let picked: Vec<web_sys::File> = (0..list.as_ref().map_or(0, |l| l.length()))
                        .filter_map(|index| list.as_ref().and_then(|l| l.get(index)))
                        .collect();
                    files.set_value(picked);
                } />
            <p id=hint_id class="hint">{move || i18n.support().files_hint}</p>
            <ul id=error_id class="field__error">
                {move || file_errors().into_iter().map(|text| view! { <li>{text}</li> }).collect_view()}
            </ul>
        </div>
    }
}
