//! The buyer's request form, built from the seller's template.

use super::*;

/// The seller's request template as a form.
#[component]
pub(super) fn RequestForm(
    template: Vec<TemplateField>,
    values: RwSignal<RequestValues>,
    field_errors: Signal<Vec<FieldError>>,
    /// Counts the sends; a field's error is about the send it came back from.
    errors_version: Signal<usize>,
) -> impl IntoView {
    template.into_iter().map(|field| view! { <RequestField field values field_errors errors_version /> }).collect_view()
}

/// One template field: its label, hint, input of the field's kind, and error.
#[component]
fn RequestField(
    field: TemplateField,
    values: RwSignal<RequestValues>,
    field_errors: Signal<Vec<FieldError>>,
    errors_version: Signal<usize>,
) -> impl IntoView {
    let id = format!("request-{}", field.key);
    let error_id = format!("{id}-error");
    let hint_id = format!("{id}-hint");
    let described = format!("{hint_id} {error_id}");
    let sent_error = use_field_error(field_errors, field.key.clone());
    // Typing into a field answers its error: it goes away until the next Send says whether
    // the new value is right, instead of staying under a field already filled.
    let edited_after_send = RwSignal::new(None::<usize>);
    let error = Signal::derive(move || {
        let answered = edited_after_send.get() == Some(errors_version.get());
        sent_error.get().filter(|_| !answered)
    });
    // The key lives in a stored value so that the reader and the writer below are `Copy`.
    let key = StoredValue::new(field.key);
    let value = move || key.with_value(|key| values.with(|values| values.get(key).cloned().unwrap_or_default()));
    let set = move |text: String| {
        key.with_value(|key| values.update(|values| drop(values.insert(key.clone(), text))));
        edited_after_send.set(Some(errors_version.get_untracked()));
    };
    let required = field.required;
    let input = match field.kind {
        TemplateFieldKind::LongText { max_chars } => view! {
            <textarea id=id.clone() class="field__textarea" rows="4" maxlength=max_chars required aria-describedby=described
                prop:value=value on:input=move |event| set(event_target_value(&event))></textarea>
        }
        .into_any(),
        TemplateFieldKind::Choice { options } => view! {
            <select id=id.clone() class="field__input" required aria-describedby=described
                on:change=move |event| set(event_target_value(&event))>
                <option value="" prop:selected=move || value().is_empty()>"—"</option>
                {options.into_iter().map(|option| {
                    let text = option.clone();
                    let selected = { let option = option.clone(); move || value() == option };
                    view! { <option value=option prop:selected=selected>{text}</option> }
                }).collect_view()}
            </select>
        }
        .into_any(),
        kind => {
            let (input_type, max_chars) = match kind {
                TemplateFieldKind::Number { .. } => ("number", None),
                TemplateFieldKind::Date => ("date", None),
                TemplateFieldKind::Text { max_chars } => ("text", Some(max_chars)),
                _ => ("text", None),
            };
            view! {
                <input id=id.clone() class="field__input" type=input_type maxlength=max_chars required aria-describedby=described
                    prop:value=value on:input=move |event| set(event_target_value(&event)) />
            }
            .into_any()
        }
    };
    let label = if required { format!("{} *", field.label) } else { field.label };
    view! {
        <div class="field" class:field--invalid=move || error.get().is_some()>
            <label class="field__label" for=id>{label}</label>
            <p class="field__hint" id=hint_id>{field.hint}</p>
            {input}
            <p class="field__error" id=error_id aria-live="polite">{move || error.get()}</p>
        </div>
    }
}

/// `YYYY-MM-DDTHH:MM` of a moment in the browser's time zone, for `datetime-local`.
pub(super) fn local_datetime_value(moment: OffsetDateTime) -> String {
    let date = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64((moment.unix_timestamp() * 1000) as f64));
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}",
        date.get_full_year(),
        date.get_month() + 1,
        date.get_date(),
        date.get_hours(),
        date.get_minutes()
    )
}

/// A `datetime-local` value (browser time zone) as a UTC moment.
pub(super) fn parse_local_datetime(value: &str) -> Option<OffsetDateTime> {
    if value.len() < 16 {
        return None;
    }
    let date = js_sys::Date::new(&wasm_bindgen::JsValue::from_str(value));
    let millis = date.get_time();
    if millis.is_nan() {
        return None;
    }
    OffsetDateTime::from_unix_timestamp((millis / 1000.0) as i64).ok()
}
