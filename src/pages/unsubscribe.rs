//! The "Unsubscribe" button and its dialog, embedded by Resource Details and by a
//! purchase's order page (it fetches, so it lives with the pages, not the components).
//!
//! Opening the dialog asks the server for the quote; confirming sends the refund the buyer
//! saw. When the server's recomputed refund differs (time passed), it answers 409 with the
//! new quote, which replaces the one shown, and the buyer confirms again.

use bazaar_core::error::ErrorCode;
use bazaar_core::ids::AppId;
use bazaar_core::lifecycle::{Unsubscription, UnsubscriptionQuote, UnsubscriptionRule};
use bazaar_core::money::Money;
use leptos::html;
use leptos::prelude::*;
use leptos_router::components::A;

use crate::api::{self, ApiError};
use crate::checkout_attempt;
use crate::components::status::{ErrorPanel, error_message};
use crate::components::unsubscription::QuoteBreakdown;
use crate::i18n::use_i18n;

/// A secondary "Unsubscribe" button that opens the quote dialog; `on_done` runs with the
/// unsubscription once the server confirmed it.
#[component]
pub fn UnsubscribeButton(app_id: AppId, product_name: String, on_done: Callback<Unsubscription>) -> impl IntoView {
    let i18n = use_i18n();
    let open = RwSignal::new(false);
    let dialog = NodeRef::<html::Dialog>::new();
    // The quote is asked for each time the dialog opens (it changes by the second).
    let opened = RwSignal::new(0_u32);
    let quote = LocalResource::new(move || {
        let round = opened.get();
        async move { if round == 0 { None } else { Some(api::apps::unsubscription_quote(app_id).await) } }
    });
    // A newer quote the server sent back with `quote_changed`; it wins over the fetched one.
    let newer_quote = RwSignal::new(None::<UnsubscriptionQuote>);
    let attempt = format!("/apps/{app_id}#unsubscribe");
    let leave = Action::new_local(move |refund: &Money| {
        let (refund, attempt) = (*refund, attempt.clone());
        async move {
            let key = checkout_attempt::key_for(&attempt);
            let result = api::apps::unsubscribe(app_id, refund, key).await;
            match &result {
                Ok(unsubscription) => {
                    checkout_attempt::forget(&attempt);
                    open.set(false);
                    on_done.run(unsubscription.clone());
                }
                Err(error) if error.code() == ErrorCode::QuoteChanged => {
                    newer_quote.set(error.body.newer_quote());
                }
                Err(_) => {}
            }
            result
        }
    });
    // Keeps the native modal dialog in step with `open` (focus moves in, Esc closes it).
    Effect::new(move |_| {
        let Some(dialog) = dialog.get() else { return };
        if open.get() && !dialog.open() {
            let _ = dialog.show_modal();
        } else if !open.get() && dialog.open() {
            dialog.close();
        }
    });
    let shown_quote = Signal::derive(move || match newer_quote.get() {
        Some(newer) => Some(Ok(newer)),
        None => quote.get().flatten(),
    });
    let error = Signal::derive(move || {
        leave.value().with(|value| match value {
            Some(Err(error)) if error.code() == ErrorCode::QuoteChanged => {
                error.body.newer_quote().map(|quote| (i18n.us().quote_changed)(&quote.refund.refund.display()))
            }
            Some(Err(error)) => Some(error_message(error)),
            _ => None,
        })
    });
    let title_id = format!("unsubscribe-title-{app_id}");
    let title_product = product_name.clone();
    view! {
        <button type="button" class="button button--secondary" data-testid="unsubscribe"
            on:click=move |_| {
                newer_quote.set(None);
                opened.update(|round| *round += 1);
                open.set(true);
            }>
            {move || i18n.us().unsubscribe}
        </button>
        <dialog node_ref=dialog class="dialog dialog--wide" aria-labelledby=title_id.clone() on:close=move |_| open.set(false)>
            <div class="dialog__body">
                <h2 id=title_id.clone()>{move || (i18n.us().dialog_title)(&title_product)}</h2>
                {move || match shown_quote.get() {
                    None => view! { <p role="status">{i18n.us().loading_quote}</p> }.into_any(),
                    Some(Err(error)) => view! { <ErrorPanel error /> }.into_any(),
                    Some(Ok(quote)) => view! { <QuoteDialogBody quote leave error open /> }.into_any(),
                }}
            </div>
        </dialog>
    }
}

#[component]
fn QuoteDialogBody(
    quote: UnsubscriptionQuote,
    leave: Action<Money, Result<Unsubscription, ApiError>>,
    error: Signal<Option<String>>,
    open: RwSignal<bool>,
) -> impl IntoView {
    let i18n = use_i18n();
    let refund = quote.refund.refund;
    let negotiated = quote.rule == UnsubscriptionRule::Negotiated;
    let flow_search = format!("/supervision?q={}", bazaar_core::orders::order_number(quote.app_id.order()));
    let confirm_label = move || {
        if leave.pending().get() {
            i18n.us().working.to_owned()
        } else if refund.amount_minor > 0 {
            (i18n.us().confirm)(&refund.display())
        } else {
            i18n.us().confirm_no_refund.to_owned()
        }
    };
    view! {
        <QuoteBreakdown quote />
        <p class="field__error" role="alert" data-testid="unsubscribe-error">{move || error.get()}</p>
        <div class="dialog__actions">
            {if negotiated {
                view! { <A href=flow_search attr:class="button button--primary">{move || i18n.us().open_flow}</A> }.into_any()
            } else {
                view! {
                    <button type="button" class="button button--danger" disabled=move || leave.pending().get()
                        on:click=move |_| { leave.dispatch(refund); }>
                        {confirm_label}
                    </button>
                }.into_any()
            }}
            <button type="button" class="button button--quiet" on:click=move |_| open.set(false)>{move || i18n.us().keep}</button>
        </div>
    }
}
