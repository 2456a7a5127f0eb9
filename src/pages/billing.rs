//! Billing (`/billing`): what pay-per-use usage is outstanding, paid in one payment with a
//! method the buyer picks, and the monthly bills, newest first.

use bazaar_core::money::Money;
use bazaar_core::orders::{PaymentMethod, PaymentOptions};
use bazaar_core::usage::{BillList, BillSummary, PayOutstandingAnswer};
use leptos::prelude::*;
use leptos_router::components::A;

use crate::api::{self, ApiError};
use crate::components::bill_amounts::{BillAmountCells, BillAmountHeadings};
use crate::components::page_heading::PageHeading;
use crate::components::require_login::RequireLogin;
use crate::components::status::{EmptyState, error_message, render_resource};
use crate::format::local_date;
use crate::i18n::use_i18n;

#[component]
pub fn BillingPage() -> impl IntoView {
    view! {
        <RequireLogin>
            <Billing />
        </RequireLogin>
    }
}

#[component]
fn Billing() -> impl IntoView {
    let i18n = use_i18n();
    let pay = Action::new_local(move |method: &PaymentMethod| {
        let method = *method;
        async move { api::billing::pay_outstanding(method).await }
    });
    // After a payment the outstanding amount and the bills' figures are read again.
    let data = LocalResource::new(move || {
        pay.version().get();
        async move {
            let bills = api::billing::bills().await?;
            let options = api::orders::payment_options().await?;
            Ok::<_, ApiError>((bills, options))
        }
    });
    view! {
        <section class="billing">
            <PageHeading text=move || i18n.billing().billing_title />
            <p class="hint">{move || i18n.billing().billing_intro}</p>
            <PaidNote pay />
            {render_resource(data, move |(bills, options): (BillList, PaymentOptions)| view! {
                <Outstanding outstanding=bills.outstanding options pay />
                <BillTable bills=bills.bills />
            })}
        </section>
    }
}

/// What the last payment did, kept above the figures it changed.
#[component]
fn PaidNote(pay: Action<PaymentMethod, Result<PayOutstandingAnswer, ApiError>>) -> impl IntoView {
    let i18n = use_i18n();
    move || {
        pay.value().get().and_then(Result::ok).map(|answer| {
            let reinstated = !answer.reinstated.is_empty();
            view! {
                <div class="notice notice--success" role="status" data-testid="paid-note">
                    <p>{move || (i18n.billing().paid)(&answer.paid.display())}</p>
                    {reinstated.then(|| view! { <p>{move || i18n.billing().reinstated}</p> })}
                </div>
            }
        })
    }
}

#[component]
fn Outstanding(
    outstanding: Option<Money>,
    options: PaymentOptions,
    pay: Action<PaymentMethod, Result<PayOutstandingAnswer, ApiError>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let Some(amount) = outstanding.filter(|amount| amount.amount_minor > 0) else {
        return view! {
            <div class="card" data-testid="outstanding">
                <h2 class="card__title">{move || i18n.billing().outstanding_title}</h2>
                <p>{move || i18n.billing().outstanding_none}</p>
            </div>
        }
        .into_any();
    };
    let mut methods = vec![PaymentMethod::Card, PaymentMethod::Balance];
    if options.credit_in(amount.currency).is_some() {
        methods.push(PaymentMethod::Credit);
    }
    let chosen = RwSignal::new(if options.card.is_some() { PaymentMethod::Card } else { PaymentMethod::Balance });
    let error = move || pay.value().get().and_then(Result::err).map(|error| error_message(&error));
    view! {
        <div class="card" data-testid="outstanding">
            <h2 class="card__title">{move || i18n.billing().outstanding_title}</h2>
            <p class="outstanding__amount">{move || (i18n.billing().outstanding_amount)(&amount.display())}</p>
            <form on:submit=move |event: leptos::ev::SubmitEvent| {
                event.prevent_default();
                pay.dispatch(chosen.get_untracked());
            }>
                <fieldset class="payment-methods">
                    <legend>{move || i18n.billing().pay_with}</legend>
                    {methods.into_iter().map(|method| {
                        let id = format!("outstanding-{}", method.as_str());
                        view! {
                            <div class="payment-method">
                                <input type="radio" name="outstanding-method" id=id.clone() value=method.as_str()
                                    prop:checked=move || chosen.get() == method on:change=move |_| chosen.set(method) />
                                <label for=id>{move || i18n.o().method(method)}</label>
                            </div>
                        }
                    }).collect_view()}
                </fieldset>
                <p class="field__error" role="alert">{error}</p>
                <button type="submit" class="button button--primary" disabled=move || pay.pending().get()>
                    {move || if pay.pending().get() {
                        i18n.billing().paying.to_owned()
                    } else {
                        (i18n.billing().pay_amount)(&amount.display())
                    }}
                </button>
            </form>
        </div>
    }
    .into_any()
}

#[component]
fn BillTable(bills: Vec<BillSummary>) -> impl IntoView {
    let i18n = use_i18n();
    if bills.is_empty() {
        let title = Signal::derive(move || i18n.billing().bills_empty.to_owned());
        return view! { <EmptyState title><span></span></EmptyState> }.into_any();
    }
    view! {
        <h2>{move || i18n.billing().bills_title}</h2>
        <div class="table-scroll">
        <table class="orders-table" data-testid="bill-table">
            <thead>
                <tr>
                    <th scope="col">{move || i18n.billing().column_month}</th>
                    <th scope="col">{move || i18n.billing().column_state}</th>
                    <BillAmountHeadings />
                </tr>
            </thead>
            <tbody>
                {bills.into_iter().map(|bill| {
                    let href = format!("/billing/{}/{}", bill.month, bill.rated.currency.as_str());
                    let (month, state, closes_at) = (bill.month.clone(), bill.state, bill.closes_at);
                    view! {
                        <tr data-testid="bill-row">
                            <th scope="row">
                                <A href=href attr:aria-label=move || (i18n.billing().view_bill)(&month)>{bill.month.clone()}</A>
                            </th>
                            <td>{move || i18n.billing().state(state, &local_date(closes_at, i18n.locale()))}</td>
                            <BillAmountCells rated=bill.rated charged=bill.charged outstanding=bill.outstanding waived=bill.waived />
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
        </div>
    }
    .into_any()
}
