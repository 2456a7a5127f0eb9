//! The Seller Console's invoice requests (`/seller/invoices`): each waiting request with
//! whom it is made out to, its lines and its deadline; Issue, or Reject with a reason the
//! buyer reads. The list is read again after every decision.

use bazaar_core::invoices::{InvoiceState, InvoiceView};
use leptos::prelude::*;

use crate::api::{self, ApiError};
use crate::components::fields::{TextAreaField, use_field_error};
use crate::components::page_heading::PageHeading;
use crate::components::require_login::RequireLogin;
use crate::components::status::{EmptyState, error_message, render_resource};
use crate::format::local_date_time;
use crate::i18n::use_i18n;

#[component]
pub fn SellerInvoicesPage() -> impl IntoView {
    view! {
        <RequireLogin>
            <SellerInvoices />
        </RequireLogin>
    }
}

type Decide = Action<(i64, Option<String>), Result<InvoiceView, ApiError>>;

#[component]
fn SellerInvoices() -> impl IntoView {
    let i18n = use_i18n();
    // `None`: issue; `Some(reason)`: reject.
    let decide: Decide = Action::new_local(|(id, reason): &(i64, Option<String>)| {
        let (id, reason) = (*id, reason.clone());
        async move {
            match reason {
                None => api::invoices::issue(id).await,
                Some(reason) => api::invoices::reject(id, reason).await,
            }
        }
    });
    let invoices = LocalResource::new(move || {
        decide.version().get();
        api::invoices::seller_invoices()
    });
    let error = move || {
        decide
            .value()
            .get()
            .and_then(Result::err)
            .filter(|e| e.body.field_errors().is_empty())
            .map(|e| error_message(&e))
    };
    view! {
        <section class="invoices">
            <PageHeading text=move || i18n.invoices().seller_title />
            <p class="hint">{move || i18n.invoices().seller_intro}</p>
            {move || error().map(|text| view! { <p class="notice notice--error" role="alert">{text}</p> })}
            {render_resource(invoices, move |invoices: Vec<InvoiceView>| {
                if invoices.is_empty() {
                    let title = Signal::derive(move || i18n.invoices().seller_empty.to_owned());
                    return view! { <EmptyState title><span></span></EmptyState> }.into_any();
                }
                view! {
                    <ul class="invoice-requests">
                        {invoices.into_iter().map(|invoice| view! { <SellerInvoice invoice decide /> }).collect_view()}
                    </ul>
                }.into_any()
            })}
        </section>
    }
}

#[component]
fn SellerInvoice(invoice: InvoiceView, decide: Decide) -> impl IntoView {
    let i18n = use_i18n();
    let id = invoice.id;
    let reason = RwSignal::new(String::new());
    let errors = Signal::derive(move || {
        decide.value().get().and_then(Result::err).map(|error| error.body.field_errors()).unwrap_or_default()
    });
    let waiting = invoice.state == InvoiceState::Requested;
    let profile = invoice.made_out_to.clone();
    view! {
        <li class="card invoice-request" data-testid="invoice-request">
            <h2 class="card__title">
                {invoice.number.clone().unwrap_or_else(|| profile.title.clone())}" · "{invoice.total.display()}
            </h2>
            <p>
                <strong>{move || i18n.invoices().made_out_to}</strong>": "{profile.title.clone()}
                {profile.tax_id.clone().map(|tax_id| format!(" · {tax_id}"))}" · "{profile.email.clone()}
            </p>
            <ul class="hint">
                {invoice.items.iter().map(|item| view! { <li>{item.description.clone()}" — "{item.amount.display()}</li> }).collect_view()}
            </ul>
            <p data-testid="invoice-request-state">{move || match (invoice.state, invoice.deadline_at) {
                (InvoiceState::Requested, Some(deadline)) => (i18n.invoices().due_by)(&local_date_time(deadline, i18n.locale())),
                (state, _) => i18n.invoices().state(state).to_owned(),
            }}</p>
            {(invoice.state == InvoiceState::Issued).then(|| {
                let number = invoice.number.clone().unwrap_or_default();
                view! {
                    <p><a href=crate::api::invoices::invoice_pdf_href(id) download=format!("{number}.pdf")
                        aria-label=move || (i18n.invoices().download_pdf_of)(&number)>
                        {move || i18n.invoices().download_pdf}
                    </a></p>
                }
            })}
            {waiting.then(|| view! {
                <div class="invoice-request__actions">
                    <button type="button" class="button button--primary" disabled=move || decide.pending().get()
                        on:click=move |_| { decide.dispatch((id, None)); }>
                        {move || i18n.invoices().issue}
                    </button>
                    <TextAreaField id=format!("reject-reason-{id}")
                        label=Signal::derive(move || i18n.invoices().reject_reason_label.to_owned())
                        value=reason error=use_field_error(errors, "reason") rows=2 max_length=500 />
                    <button type="button" class="button button--secondary" disabled=move || decide.pending().get()
                        on:click=move |_| { decide.dispatch((id, Some(reason.get_untracked()))); }>
                        {move || i18n.invoices().reject}
                    </button>
                </div>
            })}
        </li>
    }
}
