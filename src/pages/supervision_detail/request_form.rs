//! The buyer's request form, built from the seller's template.

use super::*;

/// The seller's request template as a form.
#[component]
pub(super) fn RequestForm(
    template: Vec<TemplateField>,
    values: RwSignal<RequestValues>,
    field_errors: RwSignal<Vec<FieldError>>,
) -> impl IntoView {
    let i18n = use_i18n();
    template
        .into_iter()
        .map(|field| {
            let key = field.key.clone();
            let id = format!("request-{}", field.key);
            let error_id = format!("{id}-error");
            let hint_id = format!("{id}-hint");
            let error_key = key.clone();
            let error = Signal::derive(move || {
                field_errors.with(|errors| errors.iter().find(|e| e.field == error_key).map(|e| i18n.t().field_error(e)))
            });
            let value_key = key.clone();
            let value = move || values.with(|values| values.get(&value_key).cloned().unwrap_or_default());
            let set_key = key.clone();
            let set = move |text: String| values.update(|values| {
                values.insert(set_key.clone(), text);
            });
            let described = format!("{hint_id} {error_id}");
            let label = if field.required { format!("{} *", field.label) } else { field.label.clone() };
            let input = match &field.kind {
                TemplateFieldKind::LongText { max_chars } => view! {
                    <textarea id=id.clone() class="field__textarea" rows="4" maxlength=max_chars.to_string() required=field.required
                        aria-describedby=described.clone() prop:value=value on:input=move |event| set(event_target_value(&event))></textarea>
                }.into_any(),
                TemplateFieldKind::Choice { options } => {
                    let options = options.clone();
                    let current = value.clone();
                    view! {
                        <select id=id.clone() class="field__input" required=field.required aria-describedby=described.clone()
                            on:change=move |event| set(event_target_value(&event))>
                            <option value="" prop:selected={let current = current.clone(); move || current().is_empty()}>"—"</option>
                            {options.into_iter().map(|option| {
                                let selected = { let current = current.clone(); let option = option.clone(); move || current() == option };
                                view! { <option value=option.clone() prop:selected=selected>{option.clone()}</option> }
                            }).collect_view()}
                        </select>
                    }.into_any()
                }
                kind => {
                    let (input_type, max) = match kind {
                        TemplateFieldKind::Number { .. } => ("number", None),
                        TemplateFieldKind::Date => ("date", None),
                        TemplateFieldKind::Text { max_chars } => ("text", Some(max_chars.to_string())),
                        _ => ("text", None),
                    };
                    view! {
                        <input id=id.clone() class="field__input" type=input_type maxlength=max required=field.required
                            aria-describedby=described.clone() prop:value=value on:input=move |event| set(event_target_value(&event)) />
                    }.into_any()
                }
            };
            view! {
                <div class="field" class:field--invalid=move || error.get().is_some()>
                    <label class="field__label" for=id.clone()>{label}</label>
                    <p class="field__hint" id=hint_id>{field.hint.clone()}</p>
                    {input}
                    <p class="field__error" id=error_id aria-live="polite">{move || error.get()}</p>
                </div>
            }
        })
        .collect_view()
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
