//! Request templates (sellers): the form buyers of a supervised product fill in when they
//! submit their request. The seller picks one of their supervised products (the choice is
//! in the URL), edits its fields, and saves; the rules are `validate_template` in core,
//! shown as the seller edits and enforced again by the server.

use bazaar_core::account::Role;
use bazaar_core::error::{FieldError, FieldErrorCode};
use bazaar_core::ids::ProductId;
use bazaar_core::supervision::{TEMPLATE_MAX_FIELDS, TemplateField, TemplateFieldKind, validate_template};
use leptos::prelude::*;
use leptos_router::NavigateOptions;
use leptos_router::hooks::{use_navigate, use_query_map};

use crate::api;
use crate::components::page_heading::PageHeading;
use crate::components::require_login::RequireLogin;
use crate::components::status::{ErrorPanel, render_resource};
use crate::i18n::use_i18n;
use crate::i18n_templates::TemplateMessages;
use crate::session::use_session;

mod field_card;

use field_card::{ProblemLookup, TemplateFieldCard};

#[component]
pub fn RequestTemplatesPage() -> impl IntoView {
    view! {
        <RequireLogin>
            <RequestTemplates />
        </RequireLogin>
    }
}

#[component]
fn RequestTemplates() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let seller_id = move || {
        session.account().and_then(|account| (account.role == Role::Seller).then_some(account.seller_id).flatten())
    };
    view! {
        <section class="request-templates">
            <PageHeading text=move || i18n.tpl().title />
            <p class="hint">{move || i18n.tpl().intro}</p>
            {move || match seller_id() {
                Some(seller_id) => view! { <SellerTemplates seller_id /> }.into_any(),
                None => view! { <p class="status status--empty">{move || i18n.tpl().only_sellers}</p> }.into_any(),
            }}
        </section>
    }
}

#[component]
fn SellerTemplates(seller_id: i64) -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let navigate = use_navigate();
    let products = LocalResource::new(move || {
        api::catalog::search(format!("seller={seller_id}&supervised=true&sort=newest&page_size=100"))
    });
    let chosen =
        Memo::new(move |_| query.with(|query| query.get("product").and_then(|id| id.parse::<ProductId>().ok())));
    let choose = StoredValue::new_local(move |product_id: String| {
        navigate(&format!("/supervision/templates?product={product_id}"), NavigateOptions::default())
    });
    view! {
        {render_resource(products, move |products| {
            if products.items.is_empty() {
                return view! { <p class="status status--empty">{move || i18n.tpl().no_products}</p> }.into_any();
            }
            // The first product is chosen until the seller picks another.
            let first = products.items[0].id;
            let selected = Signal::derive(move || chosen.get().unwrap_or(first));
            view! {
                <div class="card">
                    <div class="field">
                        <label class="field__label" for="template-product">{move || i18n.tpl().product}</label>
                        <select class="field__input field__select" id="template-product"
                            on:change=move |event| choose.with_value(|choose| choose(event_target_value(&event)))>
                            {products.items.iter().map(|product| {
                                let id = product.id;
                                view! { <option value=id.to_string() selected=move || selected.get() == id>{product.name.clone()}</option> }
                            }).collect_view()}
                        </select>
                    </div>
                </div>
                {move || {
                    let product_id = selected.get();
                    view! { <TemplateEditor product_id /> }
                }}
            }.into_any()
        })}
    }
}

/// The kinds of field a seller can choose, in the order the select lists them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum KindChoice {
    Text,
    LongText,
    Number,
    Date,
    Choice,
}

impl KindChoice {
    const ALL: [KindChoice; 5] =
        [KindChoice::Text, KindChoice::LongText, KindChoice::Number, KindChoice::Date, KindChoice::Choice];

    fn label(self, messages: &'static TemplateMessages) -> &'static str {
        match self {
            KindChoice::Text => messages.kind_text,
            KindChoice::LongText => messages.kind_long_text,
            KindChoice::Number => messages.kind_number,
            KindChoice::Date => messages.kind_date,
            KindChoice::Choice => messages.kind_choice,
        }
    }

    fn value(self) -> &'static str {
        match self {
            KindChoice::Text => "text",
            KindChoice::LongText => "long_text",
            KindChoice::Number => "number",
            KindChoice::Date => "date",
            KindChoice::Choice => "choice",
        }
    }
}

/// One field as the seller edits it: text inputs stay text until the template is built.
#[derive(Clone, Copy)]
struct FieldDraft {
    /// Keys the row for rendering; not saved.
    row: u32,
    key: RwSignal<String>,
    label: RwSignal<String>,
    kind: RwSignal<KindChoice>,
    max_chars: RwSignal<String>,
    min: RwSignal<String>,
    max: RwSignal<String>,
    options: RwSignal<String>,
    required: RwSignal<bool>,
    hint: RwSignal<String>,
}

impl FieldDraft {
    fn new(row: u32, field: &TemplateField) -> FieldDraft {
        let (kind, max_chars, min, max, options) = match &field.kind {
            TemplateFieldKind::Text { max_chars } => (KindChoice::Text, *max_chars, 1, 100, Vec::new()),
            TemplateFieldKind::LongText { max_chars } => (KindChoice::LongText, *max_chars, 1, 100, Vec::new()),
            TemplateFieldKind::Number { min, max } => (KindChoice::Number, 200, *min, *max, Vec::new()),
            TemplateFieldKind::Date => (KindChoice::Date, 200, 1, 100, Vec::new()),
            TemplateFieldKind::Choice { options } => (KindChoice::Choice, 200, 1, 100, options.clone()),
        };
        FieldDraft {
            row,
            key: RwSignal::new(field.key.clone()),
            label: RwSignal::new(field.label.clone()),
            kind: RwSignal::new(kind),
            max_chars: RwSignal::new(max_chars.to_string()),
            min: RwSignal::new(min.to_string()),
            max: RwSignal::new(max.to_string()),
            options: RwSignal::new(options.join("\n")),
            required: RwSignal::new(field.required),
            hint: RwSignal::new(field.hint.clone().unwrap_or_default()),
        }
    }

    /// The field this draft describes, and the problems of numbers that are not numbers
    /// (everything else is for `validate_template`).
    fn build(&self, index: usize) -> (TemplateField, Vec<FieldError>) {
        let mut problems = Vec::new();
        let mut number = |part: &str, text: String| -> i64 {
            text.trim().parse().unwrap_or_else(|_| {
                problems.push(FieldError::new(
                    format!("fields[{index}].{part}"),
                    FieldErrorCode::NotANumber,
                    "Enter whole numbers.",
                ));
                0
            })
        };
        let kind = match self.kind.get() {
            KindChoice::Text => TemplateFieldKind::Text { max_chars: self.max_chars.get().trim().parse().unwrap_or(0) },
            KindChoice::LongText => {
                TemplateFieldKind::LongText { max_chars: self.max_chars.get().trim().parse().unwrap_or(0) }
            }
            KindChoice::Number => {
                TemplateFieldKind::Number { min: number("min", self.min.get()), max: number("max", self.max.get()) }
            }
            KindChoice::Date => TemplateFieldKind::Date,
            KindChoice::Choice => TemplateFieldKind::Choice {
                options: self
                    .options
                    .get()
                    .lines()
                    .map(str::trim)
                    .filter(|line| !line.is_empty())
                    .map(str::to_owned)
                    .collect(),
            },
        };
        let hint = self.hint.get().trim().to_owned();
        let field = TemplateField {
            key: self.key.get().trim().to_owned(),
            label: self.label.get().trim().to_owned(),
            kind,
            required: self.required.get(),
            hint: (!hint.is_empty()).then_some(hint),
        };
        (field, problems)
    }
}

#[component]
fn TemplateEditor(product_id: ProductId) -> impl IntoView {
    let template = LocalResource::new(move || api::supervision::template(product_id));
    view! {
        {render_resource(template, move |fields| view! { <TemplateForm product_id fields /> })}
    }
}

#[component]
fn TemplateForm(product_id: ProductId, fields: Vec<TemplateField>) -> impl IntoView {
    let i18n = use_i18n();
    let next_row = StoredValue::new(fields.len() as u32);
    let drafts = RwSignal::new(
        fields.iter().enumerate().map(|(row, field)| FieldDraft::new(row as u32, field)).collect::<Vec<_>>(),
    );
    // Problems appear once the seller has tried to save, then follow every edit.
    let tried = RwSignal::new(false);
    let built = Memo::new(move |_| {
        let mut problems = Vec::new();
        let fields: Vec<TemplateField> = drafts
            .get()
            .iter()
            .enumerate()
            .map(|(index, draft)| {
                let (field, number_problems) = draft.build(index);
                problems.extend(number_problems);
                field
            })
            .collect();
        problems.extend(validate_template(&fields).0);
        (fields, problems)
    });
    let save = Action::new_local(move |fields: &Vec<TemplateField>| {
        api::supervision::save_template(product_id, fields.clone())
    });
    let server_problems = Memo::new(move |_| match save.value().get() {
        Some(Err(error)) => error.body.field_errors(),
        _ => Vec::new(),
    });
    let problems = ProblemLookup { tried, built, server: server_problems };
    let list_problem =
        Signal::derive(move || tried.get() && built.with(|(_, problems)| problems.iter().any(|p| p.field == "fields")));
    let on_save = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        tried.set(true);
        let (fields, problems) = built.get_untracked();
        if problems.is_empty() {
            save.dispatch(fields);
        }
    };
    let add_field = move |_| {
        let row = next_row.get_value();
        next_row.set_value(row + 1);
        let key = format!("field_{}", row + 1);
        let blank = TemplateField {
            key,
            label: String::new(),
            kind: TemplateFieldKind::Text { max_chars: 200 },
            required: false,
            hint: None,
        };
        drafts.update(|drafts| drafts.push(FieldDraft::new(row, &blank)));
    };
    let index_of = move |row: u32| {
        Signal::derive(move || drafts.with(|drafts| drafts.iter().position(|d| d.row == row).unwrap_or(0)))
    };

    view! {
        <form class="template-form" novalidate on:submit=on_save data-testid="template-form">
            <Show when=move || tried.get() && !built.with(|(_, problems)| problems.is_empty())>
                <p class="notice notice--error" role="alert">{move || i18n.tpl().fix_problems}</p>
            </Show>
            <Show when=move || list_problem.get()>
                <p class="field__error" role="alert">{move || (i18n.tpl().err_fields)(TEMPLATE_MAX_FIELDS)}</p>
            </Show>
            <For each=move || drafts.get() key=|draft| draft.row let:draft>
                <TemplateFieldCard draft index=index_of(draft.row) drafts problems />
            </For>
            <div class="template-form__actions">
                <button type="button" class="button button--secondary" on:click=add_field>{move || i18n.tpl().add}</button>
                <button type="submit" class="button button--primary" disabled=move || save.pending().get()>
                    {move || if save.pending().get() { i18n.tpl().saving } else { i18n.tpl().save }}
                </button>
            </div>
            {move || match save.value().get() {
                // "Saved" describes the form as it was saved: any edit after that hides it.
                Some(Ok(saved)) if built.with(|(fields, _)| *fields == saved) => view! { <p class="notice notice--success" role="status">{move || i18n.tpl().saved}</p> }.into_any(),
                Some(Err(error)) if error.body.field_errors().is_empty() => view! { <ErrorPanel error /> }.into_any(),
                _ => ().into_any(),
            }}
        </form>
    }
}
