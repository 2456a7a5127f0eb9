//! A trial app's line: "Trial — ends on … (in N days)" (or that it ended), and Buy, which
//! opens Renewal Management with the app chosen: the period is picked there and paid
//! through the usual payment step; the paid term starts at the trial's end.

use bazaar_core::ids::AppId;
use bazaar_core::lifecycle::days_until;
use leptos::prelude::*;
use leptos_router::components::A;
use time::OffsetDateTime;

use crate::format::local_date;
use crate::i18n::use_i18n;

#[component]
pub fn TrialStatus(
    app_id: AppId,
    ends_at: OffsetDateTime,
    /// The server's clock: "in N days" counts from it, not from the browser's.
    server_now: OffsetDateTime,
    /// Renewal Management itself shows no Buy link (its own selection buys).
    #[prop(default = true)]
    buy_link: bool,
) -> impl IntoView {
    let i18n = use_i18n();
    let days = days_until(ends_at, server_now);
    let text = move || {
        let date = local_date(ends_at, i18n.locale());
        if server_now < ends_at { (i18n.trials().ends_on)(&date, days.max(1)) } else { (i18n.trials().ended_on)(&date) }
    };
    view! {
        <p class="trial-status" data-testid="trial-status">
            <span class="tag tag--trial">{move || i18n.trials().badge}</span>" "
            <span>{text}</span>
            {buy_link.then(|| view! {
                " "<A href=format!("/renewals?app={app_id}") attr:class="button button--primary button--small"
                    attr:data-testid="buy-trial">{move || i18n.trials().buy}</A>
            })}
        </p>
    }
}
