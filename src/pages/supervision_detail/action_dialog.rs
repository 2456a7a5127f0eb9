//! The dialog an action opens: reasons, delivery notes, resolutions, the request form.

use bazaar_core::money::{Currency, Money};

use crate::i18n_supervision::SupervisionMessages;

use super::*;

/// The dialog's fields, one set for every action.
#[derive(Clone, Copy)]
struct DialogFields {
    text: RwSignal<String>,
    start_time: RwSignal<String>,
    outcome: RwSignal<AppealOutcome>,
    values: RwSignal<RequestValues>,
    /// A refund typed in yuan (offers and operations' decisions), read by core's parser.
    amount: RwSignal<String>,
}

impl DialogFields {
    fn new() -> DialogFields {
        DialogFields {
            text: RwSignal::new(String::new()),
            start_time: RwSignal::new(String::new()),
            outcome: RwSignal::new(AppealOutcome::Resume),
            values: RwSignal::new(RequestValues::new()),
            amount: RwSignal::new(String::new()),
        }
    }

    /// Empty fields for `action`; the service starts now by default, and resubmitting a
    /// request starts from the last one.
    fn reset(self, action: FlowAction, current: RwSignal<FlowDetail>, now: OffsetDateTime) {
        self.text.set(String::new());
        self.amount.set(String::new());
        self.start_time.set(local_datetime_value(now));
        self.outcome.set(AppealOutcome::Resume);
        if action == FlowAction::SubmitRequest {
            let last = current.with_untracked(|detail| {
                detail.history.iter().rev().find_map(|event| match &event.kind {
                    FlowEventKind::RequestSubmitted { values } => Some(values.clone()),
                    _ => None,
                })
            });
            self.values.set(last.unwrap_or_default());
        }
    }

    fn typed(self) -> Typed {
        Typed {
            text: self.text.get_untracked(),
            start_time: self.start_time.get_untracked(),
            outcome: self.outcome.get_untracked(),
            values: self.values.get_untracked(),
            amount: self.amount.get_untracked(),
        }
    }
}

/// What the person typed and chose in the dialog.
struct Typed {
    text: String,
    start_time: String,
    outcome: AppealOutcome,
    values: RequestValues,
    amount: String,
}

/// The command `action` sends with what was typed (`paid_in`: the currency of a refund), or
/// the problem found before sending (a start time or an amount that does not read).
fn command_for(action: FlowAction, typed: Typed, paid_in: Currency) -> Result<FlowCommand, FieldError> {
    let note = typed.text;
    let optional = (!note.trim().is_empty()).then(|| note.clone());
    Ok(match action {
        FlowAction::SubmitRequest => FlowCommand::SubmitRequest { values: typed.values },
        FlowAction::AcceptRequest => FlowCommand::AcceptRequest { note: optional },
        FlowAction::RejectRequest => FlowCommand::RejectRequest { reason: note },
        FlowAction::PostProgress => FlowCommand::PostProgress { note },
        FlowAction::Deliver => {
            let Some(started) = parse_local_datetime(&typed.start_time) else {
                return Err(FieldError::new("service_started_at", FieldErrorCode::Invalid, "Enter a date and time."));
            };
            FlowCommand::Deliver { note, service_started_at: started }
        }
        FlowAction::AcceptDelivery => FlowCommand::AcceptDelivery { note: optional },
        FlowAction::RejectDelivery => FlowCommand::RejectDelivery { reason: note },
        FlowAction::Remind => FlowCommand::Remind,
        FlowAction::Appeal => FlowCommand::Appeal { reason: note },
        FlowAction::ResolveAppeal => FlowCommand::ResolveAppeal { outcome: typed.outcome, note },
        FlowAction::AskUnsubscription => FlowCommand::AskUnsubscription { reason: note },
        FlowAction::DeclineUnsubscription => FlowCommand::DeclineUnsubscription { reason: note },
        FlowAction::AcceptProposal => FlowCommand::AcceptProposal,
        FlowAction::RejectProposal => FlowCommand::RejectProposal { reason: note },
        FlowAction::ProposeRefund | FlowAction::DecideUnsubscription => {
            let Some(refund) = Money::parse_major(&typed.amount, paid_in) else {
                return Err(FieldError::new("amount", FieldErrorCode::Invalid, "Enter an amount."));
            };
            if action == FlowAction::ProposeRefund {
                FlowCommand::ProposeRefund { amount: refund, note: optional }
            } else {
                FlowCommand::DecideUnsubscription { amount: refund, note }
            }
        }
    })
}

/// What the text box of `action` is for: a reason, a delivery note, an optional note.
fn text_label(action: FlowAction, messages: &'static SupervisionMessages) -> &'static str {
    match action {
        FlowAction::RejectRequest
        | FlowAction::RejectDelivery
        | FlowAction::Appeal
        | FlowAction::AskUnsubscription
        | FlowAction::DeclineUnsubscription
        | FlowAction::RejectProposal => messages.form_reason,
        FlowAction::ProposeRefund => messages.form_note_optional,
        FlowAction::Deliver => messages.form_delivery_note,
        FlowAction::AcceptRequest | FlowAction::AcceptDelivery => messages.form_note_optional,
        _ => messages.form_note,
    }
}

/// A refund typed in yuan, with what was paid as its bound.
#[component]
fn RefundAmountField(amount: RwSignal<String>, paid: Signal<Money>, error: Signal<Option<String>>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div class="field" class:field--invalid=move || error.get().is_some()>
            <label class="field__label" for="refund-amount">{move || i18n.s().form_amount}</label>
            <input id="refund-amount" class="field__input" type="text" inputmode="decimal" autocomplete="off"
                bind:value=amount aria-describedby="refund-amount-hint refund-amount-error" />
            <p class="hint" id="refund-amount-hint">{move || (i18n.s().form_amount_hint)(&paid.get().display())}</p>
            <p class="field__error" id="refund-amount-error" aria-live="polite">{move || error.get()}</p>
        </div>
    }
}

/// Operations' decision on an appeal: resume, complete for the seller, or refund the buyer.
#[component]
fn OutcomeChoices(outcome: RwSignal<AppealOutcome>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <fieldset class="payment-methods">
            <legend class="field__label">{move || i18n.s().form_outcome}</legend>
            {[AppealOutcome::Resume, AppealOutcome::CompleteForSeller, AppealOutcome::RefundBuyer].into_iter().map(|choice| {
                let id = format!("outcome-{choice:?}");
                view! {
                    <div class="payment-method">
                        <input type="radio" name="outcome" id=id.clone() prop:checked=move || outcome.get() == choice
                            on:change=move |_| outcome.set(choice) />
                        <label for=id>{move || i18n.s().outcome(choice)}</label>
                    </div>
                }
            }).collect_view()}
        </fieldset>
    }
}

/// The form of the action being taken, in a modal dialog over the page.
#[component]
pub(super) fn ActionDialog(
    open_action: RwSignal<Option<FlowAction>>,
    current: RwSignal<FlowDetail>,
    act: Action<FlowCommand, Result<FlowDetail, ApiError>>,
    field_errors: Signal<Vec<FieldError>>,
    local_errors: RwSignal<Vec<FieldError>>,
    /// The server's "now": the default service start time.
    now: RwSignal<OffsetDateTime>,
) -> impl IntoView {
    let i18n = use_i18n();
    let dialog = NodeRef::<html::Dialog>::new();
    let fields = DialogFields::new();
    let DialogFields { text, start_time, outcome, values, amount } = fields;
    // The dialog follows the action chosen: opened with fresh fields, closed with none.
    Effect::new(move |_| {
        let Some(dialog) = dialog.get() else { return };
        match open_action.get() {
            Some(action) => {
                fields.reset(action, current, now.get_untracked());
                if !dialog.open() {
                    let _ = dialog.show_modal();
                }
            }
            None => {
                if dialog.open() {
                    dialog.close();
                }
            }
        }
    });
    let error_for = move |field: &'static str| use_field_error(field_errors, field);
    let submit = move || {
        let Some(action) = open_action.get_untracked() else { return };
        match command_for(action, fields.typed(), current.with_untracked(|detail| detail.paid.currency)) {
            Ok(command) => {
                local_errors.set(Vec::new());
                act.dispatch(command);
            }
            Err(problem) => local_errors.set(vec![problem]),
        }
    };
    let text_box_label = move || open_action.get().map_or(i18n.s().form_note, |action| text_label(action, i18n.s()));
    let text_error = Signal::derive(move || error_for("reason").get().or_else(|| error_for("note").get()));
    view! {
        <dialog node_ref=dialog class="dialog dialog--wide" aria-labelledby="action-title" on:close=move |_| open_action.set(None)>
            <form class="dialog__body" novalidate on:submit=move |event| { event.prevent_default(); submit(); }>
                <h2 id="action-title">{move || open_action.get().map(|action| i18n.s().action(action))}</h2>
                {move || match open_action.get() {
                    Some(FlowAction::SubmitRequest) => {
                        let template = current.with_untracked(|detail| detail.template.clone());
                        view! { <RequestForm template values field_errors errors_version=act.version().into() /> }.into_any()
                    }
                    Some(FlowAction::AcceptProposal) => {
                        let offer = current.with_untracked(|detail| {
                            detail.state.unsubscription.as_ref().and_then(|negotiation| negotiation.proposal)
                        });
                        view! {
                            <p data-testid="accept-offer">{move || offer.map(|offer| (i18n.s().accept_offer_explained)(&offer.display()))}</p>
                        }.into_any()
                    }
                    Some(_) => view! {
                        <Show when=move || matches!(open_action.get(), Some(FlowAction::ProposeRefund | FlowAction::DecideUnsubscription))>
                            <RefundAmountField amount paid=Signal::derive(move || current.with(|detail| detail.paid)) error=error_for("amount") />
                        </Show>
                        <TextAreaField id="action-text" label=Signal::derive(move || text_box_label().to_owned()) value=text
                            error=text_error max_length=2000 />
                        <Show when=move || open_action.get() == Some(FlowAction::Deliver)>
                            <div class="field" class:field--invalid=move || error_for("service_started_at").get().is_some()>
                                <label class="field__label" for="service-start">{move || i18n.s().form_service_start}</label>
                                <input id="service-start" class="field__input" type="datetime-local" bind:value=start_time
                                    aria-describedby="service-start-error" />
                                <p class="field__error" id="service-start-error" aria-live="polite">{move || error_for("service_started_at").get()}</p>
                            </div>
                        </Show>
                        <Show when=move || open_action.get() == Some(FlowAction::ResolveAppeal)>
                            <OutcomeChoices outcome />
                        </Show>
                    }.into_any(),
                    None => ().into_any(),
                }}
                <div class="dialog__actions">
                    <button type="submit" class="button button--primary" disabled=move || act.pending().get()>{move || i18n.s().form_send}</button>
                    <button type="button" class="button button--quiet" on:click=move |_| open_action.set(None)>{move || i18n.s().form_cancel}</button>
                </div>
            </form>
        </dialog>
    }
}
