//! The dialog an action opens: reasons, delivery notes, resolutions, the request form.

use bazaar_core::money::Money;

use super::*;

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
    let text = RwSignal::new(String::new());
    let start_time = RwSignal::new(String::new());
    let outcome = RwSignal::new(AppealOutcome::Resume);
    let values = RwSignal::new(RequestValues::new());
    // A refund typed in yuan (offers and operations' decisions), read by core's parser.
    let amount = RwSignal::new(String::new());
    Effect::new(move |_| {
        let Some(dialog) = dialog.get() else { return };
        match open_action.get() {
            Some(action) => {
                text.set(String::new());
                amount.set(String::new());
                start_time.set(local_datetime_value(now.get_untracked()));
                outcome.set(AppealOutcome::Resume);
                // Resubmitting starts from the last request.
                if action == FlowAction::SubmitRequest {
                    let last = current.with_untracked(|detail| {
                        detail.history.iter().rev().find_map(|event| match &event.kind {
                            FlowEventKind::RequestSubmitted { values } => Some(values.clone()),
                            _ => None,
                        })
                    });
                    values.set(last.unwrap_or_default());
                }
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
        let note = text.get_untracked();
        let optional = (!note.trim().is_empty()).then(|| note.clone());
        let command = match action {
            FlowAction::SubmitRequest => FlowCommand::SubmitRequest { values: values.get_untracked() },
            FlowAction::AcceptRequest => FlowCommand::AcceptRequest { note: optional },
            FlowAction::RejectRequest => FlowCommand::RejectRequest { reason: note },
            FlowAction::PostProgress => FlowCommand::PostProgress { note },
            FlowAction::Deliver => {
                let Some(started) = parse_local_datetime(&start_time.get_untracked()) else {
                    local_errors.set(vec![FieldError::new(
                        "service_started_at",
                        FieldErrorCode::Invalid,
                        "Enter a date and time.",
                    )]);
                    return;
                };
                FlowCommand::Deliver { note, service_started_at: started }
            }
            FlowAction::AcceptDelivery => FlowCommand::AcceptDelivery { note: optional },
            FlowAction::RejectDelivery => FlowCommand::RejectDelivery { reason: note },
            FlowAction::Remind => FlowCommand::Remind,
            FlowAction::Appeal => FlowCommand::Appeal { reason: note },
            FlowAction::ResolveAppeal => FlowCommand::ResolveAppeal { outcome: outcome.get_untracked(), note },
            FlowAction::AskUnsubscription => FlowCommand::AskUnsubscription { reason: note },
            FlowAction::DeclineUnsubscription => FlowCommand::DeclineUnsubscription { reason: note },
            FlowAction::AcceptProposal => FlowCommand::AcceptProposal,
            FlowAction::RejectProposal => FlowCommand::RejectProposal { reason: note },
            FlowAction::ProposeRefund | FlowAction::DecideUnsubscription => {
                let currency = current.with_untracked(|detail| detail.paid.currency);
                let Some(refund) = Money::parse_major(&amount.get_untracked(), currency) else {
                    local_errors.set(vec![FieldError::new("amount", FieldErrorCode::Invalid, "Enter an amount.")]);
                    return;
                };
                if action == FlowAction::ProposeRefund {
                    FlowCommand::ProposeRefund { amount: refund, note: optional }
                } else {
                    FlowCommand::DecideUnsubscription { amount: refund, note }
                }
            }
        };
        local_errors.set(Vec::new());
        act.dispatch(command);
    };
    let text_label = move || match open_action.get() {
        Some(
            FlowAction::RejectRequest
            | FlowAction::RejectDelivery
            | FlowAction::Appeal
            | FlowAction::AskUnsubscription
            | FlowAction::DeclineUnsubscription
            | FlowAction::RejectProposal,
        ) => i18n.s().form_reason,
        Some(FlowAction::ProposeRefund) => i18n.s().form_note_optional,
        Some(FlowAction::Deliver) => i18n.s().form_delivery_note,
        Some(FlowAction::AcceptRequest | FlowAction::AcceptDelivery) => i18n.s().form_note_optional,
        _ => i18n.s().form_note,
    };
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
                            <div class="field" class:field--invalid=move || error_for("amount").get().is_some()>
                                <label class="field__label" for="refund-amount">{move || i18n.s().form_amount}</label>
                                <input id="refund-amount" class="field__input" type="text" inputmode="decimal" autocomplete="off"
                                    bind:value=amount aria-describedby="refund-amount-hint refund-amount-error" />
                                <p class="hint" id="refund-amount-hint">
                                    {move || (i18n.s().form_amount_hint)(&current.with(|detail| detail.paid.display()))}
                                </p>
                                <p class="field__error" id="refund-amount-error" aria-live="polite">
                                    {move || error_for("amount").get()}
                                </p>
                            </div>
                        </Show>
                        <TextAreaField id="action-text" label=Signal::derive(move || text_label().to_owned()) value=text
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
