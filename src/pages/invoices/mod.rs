//! Invoice Management (`/invoices`): what the buyer can have invoiced, by issuer (one
//! request covers items of one issuer), made out to one of their profiles; and their
//! invoices and credit notes. Profiles are kept in My Account (`profiles`).

pub mod profiles;
pub mod seller;

use std::collections::BTreeSet;

use bazaar_core::ids::OrderId;
use bazaar_core::invoices::{
    InvoiceProfile, InvoiceRequest, InvoiceState, InvoiceView, Invoiceable, InvoiceableGroup, IssuerKind, UsageBillItem,
};
use leptos::prelude::*;
use leptos_router::components::A;

use crate::api::{self, ApiError};
use crate::components::page_heading::PageHeading;
use crate::components::require_login::RequireLogin;
use crate::components::status::{EmptyState, error_message, render_resource};
use crate::format::local_date;
use crate::i18n::use_i18n;

#[component]
pub fn InvoicesPage() -> impl IntoView {
    view! {
        <RequireLogin>
            <InvoiceManagement />
        </RequireLogin>
    }
}

type RequestAction = Action<InvoiceRequest, Result<InvoiceView, ApiError>>;

#[component]
fn InvoiceManagement() -> impl IntoView {
    let i18n = use_i18n();
    let request = Action::new_local(|body: &InvoiceRequest| api::invoices::request_invoice(body.clone()));
    // After a request, what can be invoiced and the list are read again.
    let data = LocalResource::new(move || {
        request.version().get();
        async move {
            let invoiceable = api::invoices::invoiceable().await?;
            let profiles = api::invoices::profiles().await?;
            let invoices = api::invoices::invoices().await?;
            Ok::<_, ApiError>((invoiceable, profiles, invoices))
        }
    });
    let error = move || request.value().get().and_then(Result::err).map(|error| error_message(&error));
    view! {
        <section class="invoices">
            <PageHeading text=move || i18n.invoices().title />
            <p class="hint">{move || i18n.invoices().intro}</p>
            {move || error().map(|text| view! { <p class="notice notice--error" role="alert">{text}</p> })}
            {move || request.value().get().and_then(Result::ok).map(|invoice| view! {
                <p class="notice notice--success" role="status" data-testid="invoice-requested">
                    {move || match &invoice.number {
                        Some(number) => format!("{} {number}", i18n.invoices().issued),
                        None => i18n.invoices().requested.to_owned(),
                    }}
                </p>
            })}
            {render_resource(data, move |(invoiceable, profiles, invoices): (Invoiceable, Vec<InvoiceProfile>, Vec<InvoiceView>)| view! {
                <InvoiceableSection invoiceable profiles request />
                <InvoiceList invoices />
            })}
        </section>
    }
}

#[component]
fn InvoiceableSection(
    invoiceable: Invoiceable,
    profiles: Vec<InvoiceProfile>,
    request: RequestAction,
) -> impl IntoView {
    let i18n = use_i18n();
    if let Some(reseller) = invoiceable.invoiced_by_reseller {
        return view! { <p class="notice notice--info" data-testid="invoiced-by-reseller">{move || (i18n.invoices().by_reseller)(&reseller)}</p> }.into_any();
    }
    let profile = RwSignal::new(profiles.iter().find(|p| p.is_default).or(profiles.first()).map(|p| p.id));
    let has_profiles = !profiles.is_empty();
    view! {
        <h2>{move || i18n.invoices().invoiceable_title}</h2>
        {if invoiceable.groups.is_empty() {
            view! { <p data-testid="invoiceable-empty">{move || i18n.invoices().invoiceable_empty}</p> }.into_any()
        } else if !has_profiles {
            view! { <p class="notice notice--info">{move || i18n.invoices().no_profile}" "<A href="/account">{move || i18n.t().nav_account}</A></p> }.into_any()
        } else {
            view! {
                <div class="field">
                    <label class="field__label" for="invoice-profile">{move || i18n.invoices().profile_choice}</label>
                    <select id="invoice-profile" class="field__select"
                        on:change=move |event| profile.set(event_target_value(&event).parse().ok())>
                        {profiles.into_iter().map(|p| {
                            let id = p.id;
                            view! { <option value=id.to_string() selected=move || profile.get() == Some(id)>{p.title.clone()}</option> }
                        }).collect_view()}
                    </select>
                </div>
                {invoiceable.groups.into_iter().map(|group| view! { <IssuerGroup group profile request /> }).collect_view()}
            }.into_any()
        }}
    }
    .into_any()
}

#[component]
fn IssuerGroup(group: InvoiceableGroup, profile: RwSignal<Option<i64>>, request: RequestAction) -> impl IntoView {
    let i18n = use_i18n();
    // An order (no month) or a pay-per-use app's closed month.
    let chosen: RwSignal<BTreeSet<(OrderId, Option<String>)>> = RwSignal::new(BTreeSet::new());
    let bazaar = group.issuer_kind == IssuerKind::Bazaar;
    let issuer = group.issuer_name.clone();
    view! {
        <div class="card invoice-group" data-testid="invoice-group">
            <h3 class="card__title">{move || (i18n.invoices().issued_by)(&issuer)}</h3>
            <p class="hint">{move || if bazaar { i18n.invoices().bazaar_issues_at_once } else { i18n.invoices().seller_issues_within }}</p>
            <div class="table-scroll">
            <table class="orders-table">
                <thead><tr>
                    <th scope="col"><span class="visually-hidden">{move || i18n.invoices().request}</span></th>
                    <th scope="col">{move || i18n.invoices().column_order}</th>
                    <th scope="col">{move || i18n.invoices().column_product}</th>
                    <th scope="col">{move || i18n.invoices().column_paid}</th>
                    <th scope="col">{move || i18n.invoices().column_invoiceable}</th>
                </tr></thead>
                <tbody>
                    {group.items.into_iter().map(|item| {
                        let (id, number, month) = (item.order_id, item.order_number.clone(), item.usage_month.clone());
                        let key = (id, month.clone());
                        let checkbox = match &month {
                            Some(month) => format!("invoice-item-{id}-{month}"),
                            None => format!("invoice-item-{id}"),
                        };
                        let label = {
                            let (number, month) = (number.clone(), month.clone());
                            move || match &month {
                                Some(month) => (i18n.invoices().select_bill)(&number, month),
                                None => (i18n.invoices().select_item)(&number),
                            }
                        };
                        let toggle = key.clone();
                        view! {
                            <tr data-testid="invoiceable-item">
                                <td>
                                    <input type="checkbox" id=checkbox.clone() prop:checked=move || chosen.with(|c| c.contains(&key))
                                        on:change=move |_| chosen.update(|c| { if !c.remove(&toggle) { c.insert(toggle.clone()); } }) />
                                    <label for=checkbox class="visually-hidden">{label}</label>
                                </td>
                                <td><A href=format!("/orders/{id}")>{item.order_number.clone()}</A></td>
                                <td>
                                    {item.product_name.clone()}
                                    {month.map(|month| view! { <br /><span class="tag">{move || (i18n.invoices().usage_bill)(&month)}</span> })}
                                </td>
                                <td>{item.paid.display()}</td>
                                <td>{item.invoiceable.display()}</td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
            </div>
            <button type="button" class="button button--primary"
                disabled=move || chosen.with(BTreeSet::is_empty) || profile.get().is_none() || request.pending().get()
                on:click=move |_| {
                    let Some(profile_id) = profile.get_untracked() else { return };
                    let (mut order_ids, mut usage_bills) = (Vec::new(), Vec::new());
                    for (id, month) in chosen.get_untracked() {
                        match month {
                            Some(month) => usage_bills.push(UsageBillItem { app_id: id, month }),
                            None => order_ids.push(id),
                        }
                    }
                    request.dispatch(InvoiceRequest { profile_id, order_ids, usage_bills });
                }>
                {move || if request.pending().get() { i18n.invoices().requesting } else { i18n.invoices().request }}
            </button>
        </div>
    }
}

#[component]
fn InvoiceList(invoices: Vec<InvoiceView>) -> impl IntoView {
    let i18n = use_i18n();
    if invoices.is_empty() {
        let title = Signal::derive(move || i18n.invoices().invoices_empty.to_owned());
        return view! { <h2>{move || i18n.invoices().invoices_title}</h2><EmptyState title><span></span></EmptyState> }
            .into_any();
    }
    view! {
        <h2>{move || i18n.invoices().invoices_title}</h2>
        <div class="table-scroll">
        <table class="orders-table" data-testid="invoice-list">
            <thead><tr>
                <th scope="col">{move || i18n.invoices().column_number}</th>
                <th scope="col">{move || i18n.invoices().column_issuer}</th>
                <th scope="col">{move || i18n.invoices().column_state}</th>
                <th scope="col">{move || i18n.invoices().column_date}</th>
                <th scope="col">{move || i18n.invoices().column_total}</th>
                <th scope="col">{move || i18n.invoices().column_document}</th>
            </tr></thead>
            <tbody>
                {invoices.into_iter().map(|invoice| {
                    let (kind, state, deadline) = (invoice.kind, invoice.state, invoice.deadline_at);
                    let date = invoice.issued_at.unwrap_or(invoice.requested_at);
                    let original = invoice.original_number.clone();
                    view! {
                        <tr data-testid="invoice-row">
                            <th scope="row">
                                {invoice.number.clone().unwrap_or_else(|| "—".to_owned())}
                                {move || i18n.invoices().invoice_kind(kind).map(|label| view! { " "<span class="tag">{label}</span> })}
                                {original.clone().map(|number| view! { <br /><span class="hint">{move || (i18n.invoices().against)(&number)}</span> })}
                            </th>
                            <td>{invoice.issuer_name.clone()}</td>
                            <td>{move || match (state, deadline) {
                                (InvoiceState::Requested, Some(deadline)) => (i18n.invoices().waiting_until)(&local_date(deadline, i18n.locale())),
                                _ => i18n.invoices().state(state).to_owned(),
                            }}
                            {invoice.reject_reason.clone().map(|reason| view! { <br /><span class="hint">{reason}</span> })}
                            </td>
                            <td>{move || local_date(date, i18n.locale())}</td>
                            <td>{invoice.total.display()}</td>
                            <td>{(state == InvoiceState::Issued).then(|| {
                                let number = invoice.number.clone().unwrap_or_default();
                                view! {
                                    <a href=api::invoices::invoice_pdf_href(invoice.id) download=format!("{number}.pdf")
                                        aria-label=move || (i18n.invoices().download_pdf_of)(&number)>
                                        {move || i18n.invoices().download_pdf}
                                    </a>
                                }
                            })}</td>
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
        </div>
    }
    .into_any()
}
