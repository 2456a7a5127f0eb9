//! Lifecycle notices (`/seller/notices`, sellers): what Bazaar told the seller's system —
//! renewed, suspended, reinstated, released, unsubscribed — and whether it got there.

use bazaar_core::account::Role;
use bazaar_core::notices::{NoticeState, SellerNoticePage};
use leptos::prelude::*;

use crate::api;
use crate::components::page_heading::PageHeading;
use crate::components::require_login::RequireLogin;
use crate::components::status::{EmptyState, render_resource};
use crate::format::local_date_time;
use crate::i18n::use_i18n;
use crate::session::use_session;

#[component]
pub fn SellerNoticesPage() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    view! {
        <RequireLogin>
            <Show when=move || session.role() == Some(Role::Seller)
                fallback=move || view! { <p class="notice notice--info">{move || i18n.lc().notices_only_sellers}</p> }>
                <NoticeList />
            </Show>
        </RequireLogin>
    }
}

#[component]
fn NoticeList() -> impl IntoView {
    let i18n = use_i18n();
    let notices = LocalResource::new(|| api::notices::notices(1));
    view! {
        <section class="notices">
            <PageHeading text=move || i18n.lc().notices_title />
            <p class="hint">{move || i18n.lc().notices_intro}</p>
            {render_resource(notices, move |page: SellerNoticePage| {
                if page.items.is_empty() {
                    let title = Signal::derive(move || i18n.lc().notices_empty.to_owned());
                    return view! { <EmptyState title><span></span></EmptyState> }.into_any();
                }
                view! {
                    <div class="table-scroll">
                    <table class="orders-table" data-testid="notice-table">
                        <thead>
                            <tr>
                                <th scope="col">{move || i18n.lc().notice_event}</th>
                                <th scope="col">{move || i18n.lc().notice_app}</th>
                                <th scope="col">{move || i18n.lc().notice_occurred}</th>
                                <th scope="col">{move || i18n.lc().notice_delivery}</th>
                            </tr>
                        </thead>
                        <tbody>
                            {page.items.into_iter().map(|notice| {
                                let (kind, state, attempts) = (notice.kind, notice.state, notice.attempts);
                                let (occurred, delivered) = (notice.occurred_at, notice.delivered_at);
                                let badge = match state {
                                    NoticeState::Delivered => "completed",
                                    NoticeState::Queued => "processing",
                                    NoticeState::Failed => "cancelled",
                                };
                                view! {
                                    <tr data-testid="notice-row">
                                        <td>{move || i18n.lc().notice_kind(kind)}</td>
                                        <td>{notice.product_name.clone()}<br /><span class="hint">{notice.order_number.clone()}</span></td>
                                        <td>{move || local_date_time(occurred, i18n.locale())}</td>
                                        <td>
                                            <span class=format!("status-badge status-badge--{badge}")>{move || i18n.lc().notice_state(state)}</span>
                                            <p class="hint">
                                                {move || (i18n.lc().notice_attempts)(attempts)}
                                                {move || delivered.map(|at| format!(" · {}", local_date_time(at, i18n.locale())))}
                                            </p>
                                            {notice.last_error.clone().map(|error| view! { <p class="hint">{error}</p> })}
                                        </td>
                                    </tr>
                                }
                            }).collect_view()}
                        </tbody>
                    </table>
                    </div>
                }.into_any()
            })}
        </section>
    }
}
