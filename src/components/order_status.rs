//! The coloured badge of an order's status.

use bazaar_core::orders::OrderStatus;
use leptos::prelude::*;

use crate::i18n::use_i18n;

#[component]
pub fn OrderStatusBadge(status: OrderStatus) -> impl IntoView {
    let i18n = use_i18n();
    let modifier = match status {
        OrderStatus::PendingPayment => "status-badge--pending",
        OrderStatus::Processing => "status-badge--processing",
        OrderStatus::Completed => "status-badge--completed",
        OrderStatus::Cancelled => "status-badge--cancelled",
    };
    view! { <span class=format!("status-badge {modifier}") data-testid="order-status">{move || i18n.o().status(status)}</span> }
}
