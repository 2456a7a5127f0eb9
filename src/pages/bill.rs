//! One month's bill (`/billing/:month/:currency`): per app and dimension, quantity, usage,
//! charged, outstanding and beyond the cap, with the CSV download.

use bazaar_core::money::Currency;
use bazaar_core::usage::{Bill, BillState};
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;

use crate::api::{self, ApiError};
use crate::components::bill_amounts::{BillAmountCells, BillAmountHeadings};
use crate::components::page_heading::PageHeading;
use crate::components::require_login::RequireLogin;
use crate::components::status::render_resource;
use crate::format::local_date;
use crate::i18n::use_i18n;
use crate::routing::not_found;

#[component]
pub fn BillPage() -> impl IntoView {
    view! {
        <RequireLogin>
            <BillLoader />
        </RequireLogin>
    }
}

#[component]
fn BillLoader() -> impl IntoView {
    let params = use_params_map();
    let bill = LocalResource::new(move || {
        let month = params.with(|p| p.get("month")).unwrap_or_default();
        let currency = params.with(|p| p.get("currency")).and_then(|c| c.parse::<Currency>().ok());
        async move {
            match currency {
                Some(currency) => api::billing::bill(&month, currency).await,
                None => Err::<Bill, ApiError>(not_found()),
            }
        }
    });
    view! { {render_resource(bill, |bill| view! { <BillView bill /> })} }
}

#[component]
fn BillView(bill: Bill) -> impl IntoView {
    let i18n = use_i18n();
    let summary = bill.summary.clone();
    let month = summary.month.clone();
    let currency = summary.rated.currency;
    let heading_month = month.clone();
    let (state, closes_at) = (summary.state, summary.closes_at);
    let total_quantity = bill.lines.iter().map(|line| line.quantity).sum::<i64>();
    view! {
        <section class="bill">
            <p><A href="/billing">{move || i18n.billing().billing_title}</A></p>
            <PageHeading text=move || (i18n.billing().bill_title)(&heading_month) />
            <p class="hint" data-testid="bill-state">
                {move || i18n.billing().state(state, &local_date(closes_at, i18n.locale()))}
                " — "
                {move || if state == BillState::Open { i18n.billing().bill_open_note } else { i18n.billing().bill_closed_note }}
            </p>
            <p>
                <a class="button button--secondary" href=api::billing::bill_csv_href(&month, currency) download>
                    {move || i18n.billing().download_csv}
                </a>
            </p>
            <div class="table-scroll">
            <table class="orders-table" data-testid="bill-lines">
                <thead>
                    <tr>
                        <th scope="col">{move || i18n.billing().column_product}</th>
                        <th scope="col">{move || i18n.billing().column_dimension}</th>
                        <th scope="col" class="number">{move || i18n.billing().column_quantity}</th>
                        <BillAmountHeadings />
                    </tr>
                </thead>
                <tbody>
                    {bill.lines.into_iter().map(|line| {
                        let dimension = line.dimension.clone();
                        view! {
                            <tr data-testid="bill-line">
                                <th scope="row">
                                    <A href=format!("/apps/{}", line.app_id)>{line.product_name}</A>
                                    <br /><span class="hint">{line.order_number}</span>
                                </th>
                                <td>{move || i18n.billing().dimension(&dimension)}</td>
                                <td class="number">{line.quantity}</td>
                                <BillAmountCells rated=line.rated charged=line.charged outstanding=line.outstanding waived=line.waived />
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
                <tfoot>
                    <tr>
                        <th scope="row" colspan="2">{move || i18n.billing().total}</th>
                        <td class="number">{total_quantity}</td>
                        <BillAmountCells rated=summary.rated charged=summary.charged outstanding=summary.outstanding
                            waived=summary.waived />
                    </tr>
                </tfoot>
            </table>
            </div>
        </section>
    }
}
