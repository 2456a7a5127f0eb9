//! The four amounts every bill row shows — usage, charged, outstanding, beyond the cap —
//! as column headings and as cells, so the Billing list and a bill say them alike.

use bazaar_core::money::Money;
use leptos::prelude::*;

use crate::i18n::use_i18n;

/// The four headings, right-aligned like their numbers.
#[component]
pub fn BillAmountHeadings() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <th scope="col" class="number">{move || i18n.billing().column_rated}</th>
        <th scope="col" class="number">{move || i18n.billing().column_charged}</th>
        <th scope="col" class="number">{move || i18n.billing().column_outstanding}</th>
        <th scope="col" class="number">{move || i18n.billing().column_waived}</th>
    }
}

/// One row's four amounts.
#[component]
pub fn BillAmountCells(rated: Money, charged: Money, outstanding: Money, waived: Money) -> impl IntoView {
    view! {
        <td class="number">{rated.display()}</td>
        <td class="number">{charged.display()}</td>
        <td class="number">{outstanding.display()}</td>
        <td class="number">{waived.display()}</td>
    }
}
