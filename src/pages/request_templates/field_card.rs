//! One field of a request template as the seller edits it: label, key, kind and the kind's
//! own settings, whether it is required, and moving or removing it.

use bazaar_core::error::FieldError;
use bazaar_core::supervision::TemplateField;
use leptos::prelude::*;

use super::{FieldDraft, KindChoice};
use crate::components::fields::{TextAreaField, TextField};
use crate::i18n::use_i18n;

/// Where a field's problems come from: the rules checked as the seller edits (shown once
/// they have tried to save), else the server's answer to the last save.
#[derive(Clone, Copy)]
pub(super) struct ProblemLookup {
    pub tried: RwSignal<bool>,
    pub built: Memo<(Vec<TemplateField>, Vec<FieldError>)>,
    pub server: Memo<Vec<FieldError>>,
}

impl ProblemLookup {
    /// The problem of `part` of the field at `index`, in the reader's language.
    fn of(self, index: Signal<usize>, part: &'static str) -> Signal<Option<String>> {
        let i18n = use_i18n();
        Signal::derive(move || {
            let name = format!("fields[{}].{part}", index.get());
            let local = self
                .tried
                .get()
                .then(|| self.built.with(|(_, problems)| problems.iter().find(|p| p.field == name).cloned()))
                .flatten();
            local
                .or_else(|| self.server.with(|problems| problems.iter().find(|p| p.field == name).cloned()))
                .map(|problem| i18n.tpl().problem(&problem).to_owned())
        })
    }
}

/// Moves the field at `row` up (-1) or down (+1) the list, if there is room.
fn move_row(drafts: RwSignal<Vec<FieldDraft>>, row: u32, offset: isize) {
    drafts.update(|drafts| {
        if let Some(index) = drafts.iter().position(|draft| draft.row == row) {
            let target = index as isize + offset;
            if (0..drafts.len() as isize).contains(&target) {
                drafts.swap(index, target as usize);
            }
        }
    })
}

/// The field at `index` (0-based) of `drafts`.
#[component]
pub(super) fn TemplateFieldCard(
    draft: FieldDraft,
    index: Signal<usize>,
    drafts: RwSignal<Vec<FieldDraft>>,
    problems: ProblemLookup,
) -> impl IntoView {
    let i18n = use_i18n();
    let row = draft.row;
    let id = move |part: &str| format!("template-{row}-{part}");
    let heading = move || (i18n.tpl().field_heading)(&(index.get() + 1).to_string());
    let label = move |text: fn(&crate::i18n_templates::TemplateMessages) -> &'static str| {
        Signal::derive(move || text(i18n.tpl()).to_owned())
    };
    view! {
        <fieldset class="card template-field" data-testid="template-field">
            <legend class="template-field__legend">{heading}</legend>
            <div class="template-field__grid">
                <TextField id=id("label") label=label(|t| t.label) value=draft.label error=problems.of(index, "label") />
                <TextField id=id("key") label=label(|t| t.key) value=draft.key error=problems.of(index, "key")
                    hint=label(|t| t.key_hint) />
                <div class="field">
                    <label class="field__label" for=id("kind")>{move || i18n.tpl().kind}</label>
                    <select class="field__input field__select" id=id("kind")
                        on:change=move |event| {
                            let value = event_target_value(&event);
                            if let Some(kind) = KindChoice::ALL.into_iter().find(|kind| kind.value() == value) {
                                draft.kind.set(kind);
                            }
                        }>
                        {KindChoice::ALL.into_iter().map(|kind| view! {
                            <option value=kind.value() selected=move || draft.kind.get() == kind>
                                {move || kind.label(i18n.tpl())}
                            </option>
                        }).collect_view()}
                    </select>
                </div>
                <Show when=move || matches!(draft.kind.get(), KindChoice::Text | KindChoice::LongText)>
                    <TextField id=id("max-chars") label=label(|t| t.max_chars) value=draft.max_chars
                        error=problems.of(index, "max_chars") input_type="number" />
                </Show>
                <Show when=move || draft.kind.get() == KindChoice::Number>
                    <TextField id=id("min") label=label(|t| t.min) value=draft.min error=problems.of(index, "min") input_type="number" />
                    <TextField id=id("max") label=label(|t| t.max) value=draft.max error=problems.of(index, "max") input_type="number" />
                </Show>
                <Show when=move || draft.kind.get() == KindChoice::Choice>
                    <TextAreaField id=id("options") label=label(|t| t.options) value=draft.options
                        error=problems.of(index, "options") />
                </Show>
                <TextField id=id("hint") label=label(|t| t.hint) value=draft.hint error=problems.of(index, "hint") />
            </div>
            <div class="checkbox-field">
                <input type="checkbox" id=id("required") prop:checked=move || draft.required.get()
                    on:change=move |event| draft.required.set(event_target_checked(&event)) />
                <label for=id("required")>{move || i18n.tpl().required}</label>
            </div>
            <div class="template-field__actions">
                <button type="button" class="button button--quiet button--small"
                    disabled=move || index.get() == 0 on:click=move |_| move_row(drafts, row, -1)>
                    {move || i18n.tpl().move_up}
                </button>
                <button type="button" class="button button--quiet button--small"
                    disabled=move || { index.get() + 1 >= drafts.with(Vec::len) } on:click=move |_| move_row(drafts, row, 1)>
                    {move || i18n.tpl().move_down}
                </button>
                <button type="button" class="button button--quiet button--small"
                    on:click=move |_| drafts.update(|drafts| drafts.retain(|d| d.row != row))>
                    {move || i18n.tpl().remove}
                </button>
            </div>
        </fieldset>
    }
}
