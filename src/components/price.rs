//! The price breakdown of a configuration: lines, total, and what is due now.

use bazaar_core::pricing::{BILLED_MONTHS_PER_YEAR, Charge, PriceBreakdown, PriceLineKind};
use leptos::prelude::*;

use crate::i18n::use_i18n;

#[component]
pub fn PriceBreakdownView(breakdown: PriceBreakdown, image: bool) -> impl IntoView {
    let i18n = use_i18n();
    let hourly = breakdown.charge == Charge::Hourly;
    let total = breakdown.total;
    view! {
        <dl class="price-breakdown" aria-live="polite" data-testid="price-breakdown">
            {breakdown.lines.into_iter().map(|line| {
                let label = move || {
                    let messages = i18n.product();
                    match line.kind {
                        PriceLineKind::Software if image => messages.price_line_image.to_owned(),
                        PriceLineKind::Software => messages.price_line_software.to_owned(),
                        PriceLineKind::Server => messages.price_line_server.to_owned(),
                        PriceLineKind::YearlyDiscount => (messages.price_line_discount)(12 - BILLED_MONTHS_PER_YEAR),
                    }
                };
                view! {
                    <div class="price-breakdown__line">
                        <dt>{label}</dt>
                        <dd>{line.amount.display()}</dd>
                    </div>
                }
            }).collect_view()}
            <div class="price-breakdown__total">
                <dt>{move || i18n.product().price_total}</dt>
                <dd data-testid="price-total">
                    {move || if hourly { i18n.t().price(total, bazaar_core::catalog::BillingMode::PayPerUse) } else { total.display() }}
                </dd>
            </div>
        </dl>
        {hourly.then(|| view! { <p class="hint">{move || i18n.product().price_hourly_note}</p> })}
    }
}
