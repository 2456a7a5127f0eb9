//! Bazaar's terms of purchase: the rules the checkout's terms checkbox refers to, stated
//! with the numbers core enforces (unpaid-order lifetime, grace, freeze, auto-renew lead,
//! full-refund window, handling fee).

use bazaar_core::lifecycle::{
    AUTO_RENEW_LEAD, FULL_REFUND_WINDOW, GRACE, HANDLING_FEE_PERCENT, RETENTION, UNPAID_ORDER_LIFETIME,
};
use leptos::prelude::*;

use crate::components::page_heading::PageHeading;
use crate::i18n::use_i18n;

#[component]
pub fn TermsPage() -> impl IntoView {
    let i18n = use_i18n();
    let terms = move || i18n.terms();
    view! {
        <section class="page page--narrow terms" data-testid="terms-ready">
            <PageHeading text=move || terms().title />
            <p class="terms__intro">{move || terms().intro}</p>
            <h2>{move || terms().terms_heading}</h2>
            <p>{move || (terms().terms_text)(UNPAID_ORDER_LIFETIME.whole_days())}</p>
            <h2>{move || terms().expiry_heading}</h2>
            <p>{move || (terms().expiry_text)(GRACE.whole_days(), RETENTION.whole_days())}</p>
            <h2>{move || terms().renewal_heading}</h2>
            <p>{move || (terms().renewal_text)(AUTO_RENEW_LEAD.whole_days())}</p>
            <h2>{move || terms().leaving_heading}</h2>
            <p>{move || (terms().leaving_text)(FULL_REFUND_WINDOW.whole_days(), HANDLING_FEE_PERCENT)}</p>
            <h2>{move || terms().supervised_heading}</h2>
            <p>{move || terms().supervised_text}</p>
            <h2>{move || terms().seller_heading}</h2>
            <p>{move || terms().seller_text}</p>
        </section>
    }
}
