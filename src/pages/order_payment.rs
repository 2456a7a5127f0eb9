//! The payment step (`/orders/:id/pay`): the amount due and the account's payment methods
//! (balance, card on file, credit when enabled), then Confirm. A declined card or a short
//! balance leaves the order waiting and the choice on screen for another try.

use bazaar_core::ids::OrderId;
use bazaar_core::lifecycle::unpaid_cancel_at;
use bazaar_core::orders::{OrderDetail, OrderStatus, PaymentMethod, PaymentOptions};
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_navigate;

use crate::api::{self, ApiError};
use crate::checkout_attempt;
use crate::components::page_heading::PageHeading;
use crate::components::require_login::RequireLogin;
use crate::components::status::{ErrorPanel, render_resource};
use crate::format::local_date_time;
use crate::i18n::use_i18n;
use crate::routing::{not_found, use_id_param};

#[component]
pub fn OrderPaymentPage() -> impl IntoView {
    view! {
        <RequireLogin>
            <PaymentLoader />
        </RequireLogin>
    }
}

#[component]
fn PaymentLoader() -> impl IntoView {
    let id = use_id_param::<bazaar_core::ids::OrderId>();
    let data = LocalResource::new(move || {
        let id = id.get();
        async move {
            let Some(id) = id else { return Err(not_found()) };
            let order = api::orders::order(id).await?;
            let options = api::orders::payment_options().await?;
            Ok::<_, ApiError>((order, options))
        }
    });
    view! { {render_resource(data, |(order, options)| view! { <PaymentStep order options /> })} }
}

/// Whether `method` can pay `order` and, if so, the line that describes it.
fn method_state(options: &PaymentOptions, order: &OrderDetail, method: PaymentMethod) -> (bool, String) {
    let messages = use_i18n().o();
    let due = order.summary.due_now;
    match method {
        PaymentMethod::Balance => {
            let balance = options.balance_in(due.currency);
            let enough = balance.amount_minor >= due.amount_minor;
            let template = if enough { messages.pay_balance_available } else { messages.pay_balance_short };
            (enough, template(&balance.display()))
        }
        PaymentMethod::Card => match &options.card {
            Some(card) => {
                (true, format!("{} •••• {} ({:02}/{})", card.brand, card.last4, card.expiry_month, card.expiry_year))
            }
            None => (false, messages.pay_no_card.to_owned()),
        },
        PaymentMethod::Credit => match options.credit_in(due.currency) {
            Some(line) => (
                line.available.amount_minor >= due.amount_minor,
                (messages.pay_credit_available)(&line.available.display(), &line.limit.display()),
            ),
            None => (false, String::new()),
        },
    }
}

/// Paying (or cancelling) ends on the order's page; a failure stays here with its reason.
fn payment_actions(order_id: OrderId) -> (Action<PaymentMethod, PaymentResult>, Action<(), PaymentResult>) {
    let navigate = use_navigate();
    let go_to_order = move || navigate(&format!("/orders/{order_id}"), Default::default());
    let pay = Action::new_local({
        let go_to_order = go_to_order.clone();
        move |method: &PaymentMethod| {
            let (method, go_to_order) = (*method, go_to_order.clone());
            async move {
                let result = api::orders::pay_order(order_id, method).await;
                if result.is_ok() {
                    checkout_attempt::finish_order(order_id);
                    go_to_order();
                }
                result
            }
        }
    });
    let cancel = Action::new_local(move |_: &()| {
        let go_to_order = go_to_order.clone();
        async move {
            let result = api::orders::cancel_order(order_id).await;
            if result.is_ok() {
                go_to_order();
            }
            result
        }
    });
    (pay, cancel)
}

type PaymentResult = Result<OrderDetail, ApiError>;

/// An order paid or cancelled meanwhile (another tab, the unpaid-order sweep): says so.
#[component]
fn AlreadySettled(order_id: OrderId, status: OrderStatus, number: String) -> impl IntoView {
    let i18n = use_i18n();
    let message =
        move || if status == OrderStatus::Cancelled { i18n.o().pay_cancelled } else { i18n.o().pay_already_paid };
    view! {
        <section class="payment">
            <PageHeading text=move || i18n.o().pay_title />
            <p class="notice notice--info" role="status">{message}</p>
            <A href=format!("/orders/{order_id}") attr:class="button button--primary">{move || (i18n.o().orders_view)(&number)}</A>
        </section>
    }
}

/// One way to pay: its radio button, name and what it has (or why it cannot pay).
#[component]
fn PaymentMethodRow(
    method: PaymentMethod,
    usable: bool,
    description: String,
    chosen: RwSignal<Option<PaymentMethod>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let id = format!("method-{}", method.as_str());
    let description_id = format!("{id}-description");
    view! {
        <div class="payment-method" class:payment-method--unavailable=!usable>
            <input type="radio" name="payment-method" id=id.clone() value=method.as_str()
                disabled=!usable aria-describedby=description_id.clone()
                prop:checked=move || chosen.get() == Some(method)
                on:change=move |_| chosen.set(Some(method)) />
            <label for=id>
                <span class="payment-method__name">{move || i18n.o().method(method)}</span>
                <span class="payment-method__detail" id=description_id>{description}</span>
            </label>
        </div>
    }
}

#[component]
fn PaymentStep(order: OrderDetail, options: PaymentOptions) -> impl IntoView {
    let i18n = use_i18n();
    let order_id = order.summary.id;
    let status = order.summary.status;
    let methods: Vec<PaymentMethod> = [PaymentMethod::Balance, PaymentMethod::Card, PaymentMethod::Credit]
        .into_iter()
        .filter(|method| {
            *method != PaymentMethod::Credit || options.credit_in(order.summary.due_now.currency).is_some()
        })
        .collect();
    let first_usable = methods.iter().copied().find(|method| method_state(&options, &order, *method).0);
    let chosen = RwSignal::new(first_usable);
    let (pay, cancel) = payment_actions(order_id);
    let error = move || pay.value().get().and_then(Result::err).or_else(|| cancel.value().get().and_then(Result::err));
    let due = order.summary.due_now;
    let placed_at = order.summary.created_at;
    let number = order.summary.number.clone();
    let product_name = order.summary.product_name.clone();

    if status != OrderStatus::PendingPayment {
        return view! { <AlreadySettled order_id status number /> }.into_any();
    }

    let rows = methods
        .into_iter()
        .map(|method| {
            let (usable, description) = method_state(&options, &order, method);
            view! { <PaymentMethodRow method usable description chosen /> }
        })
        .collect_view();

    view! {
        <section class="payment">
            <PageHeading text=move || i18n.o().pay_title />
            <div class="card">
                <dl class="details">
                    <dt>{move || i18n.o().order_number}</dt>
                    <dd data-testid="payment-order-number">{number.clone()}</dd>
                    <dt>{move || i18n.t().product_label}</dt>
                    <dd>{product_name}</dd>
                    <dt>{move || i18n.o().pay_amount_due}</dt>
                    <dd class="payment__amount" data-testid="amount-due">{due.display()}</dd>
                </dl>
                <p class="hint" data-testid="pay-by">
                    {move || (i18n.o().orders_pay_by)(&local_date_time(unpaid_cancel_at(placed_at), i18n.locale()))}
                </p>
            </div>
            <form class="card" novalidate on:submit=move |event| {
                event.prevent_default();
                if let Some(method) = chosen.get_untracked() && !pay.pending().get_untracked() {
                    pay.dispatch(method);
                }
            }>
                <fieldset class="payment-methods">
                    <legend class="card__title">{move || i18n.o().pay_method_legend}</legend>
                    {rows}
                </fieldset>
                {move || error().map(|error| view! { <ErrorPanel error /> })}
                <div class="checkout-form__actions">
                    <button type="submit" class="button button--primary button--large" data-testid="confirm-payment"
                        aria-describedby="payment-choice-hint"
                        disabled=move || chosen.get().is_none() || pay.pending().get() || cancel.pending().get()>
                        {move || if pay.pending().get() { i18n.o().pay_confirming } else { i18n.o().pay_confirm }}
                    </button>
                    <p class="hint" id="payment-choice-hint">{move || chosen.get().is_none().then(|| i18n.o().pay_choose_method)}</p>
                    <button type="button" class="button button--quiet"
                        disabled=move || pay.pending().get() || cancel.pending().get()
                        on:click=move |_| { cancel.dispatch(()); }>
                        {move || i18n.o().pay_cancel_order}
                    </button>
                </div>
            </form>
        </section>
    }
    .into_any()
}
