//! One order (`/orders/:id`): status, the set-up progress (paid → provisioning → ready or
//! failed, refreshed while it runs), the price, payment and refund, the consent record and
//! every detail of the purchase.

use bazaar_core::lifecycle::{RenewalLine, Unsubscription};
use bazaar_core::orders::{OrderDetail, OrderKind, OrderStatus, PaymentChannel, PaymentRecord, ProvisioningState};
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_use::use_interval_fn;

use crate::api::{self, ApiError};
use crate::components::order_status::OrderStatusBadge;
use crate::components::page_heading::PageHeading;
use crate::components::price::PriceBreakdownView;
use crate::components::require_login::RequireLogin;
use crate::components::status::render_resource;
use crate::components::unsubscription::UnsubscriptionRecord;
use crate::format::local_date_time;
use crate::i18n::{I18n, Locale, use_i18n};
use crate::i18n_orders::OrderMessages;
use crate::pages::unsubscribe::UnsubscribeButton;
use crate::routing::{not_found, use_id_param};

/// How often an order that is still being set up is refreshed.
const POLL_MILLISECONDS: u64 = 1_500;

#[component]
pub fn OrderDetailPage() -> impl IntoView {
    view! {
        <RequireLogin>
            <OrderLoader />
        </RequireLogin>
    }
}

/// Whether the order may still change by itself: Processing, unless it is a supervised
/// order whose set-up is done (its flow moves only when people act).
fn still_moving(order: &OrderDetail) -> bool {
    order.summary.status == OrderStatus::Processing
        && !(order.summary.supervised && order.provisioning.state.is_terminal())
}

#[component]
fn OrderLoader() -> impl IntoView {
    let id = use_id_param::<bazaar_core::ids::OrderId>();
    let order = LocalResource::new(move || {
        let id = id.get();
        async move {
            match id {
                Some(id) => api::orders::order(id).await,
                None => Err::<OrderDetail, ApiError>(not_found()),
            }
        }
    });
    // Poll while provisioning runs; stop as soon as the order settles.
    let _ = use_interval_fn(
        move || {
            let moving = order.get_untracked().and_then(Result::ok).is_some_and(|order| still_moving(&order));
            if moving {
                order.refetch();
            }
        },
        POLL_MILLISECONDS,
    );
    // Unsubscribing from the order page shows the refund here at once.
    let on_unsubscribed = Callback::new(move |_| order.refetch());
    view! { {render_resource(order, move |order| view! { <OrderView order on_unsubscribed /> })} }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum StepState {
    Done,
    Current,
    Failed,
    Upcoming,
}

#[component]
fn OrderView(order: OrderDetail, on_unsubscribed: Callback<Unsubscription>) -> impl IntoView {
    let i18n = use_i18n();
    // A completed purchase not left yet. (One released by time answers the quote with the
    // reason, shown in the dialog: the server's clock decides, not the browser's.)
    let can_leave = matches!(order.summary.kind, OrderKind::Purchase | OrderKind::Trial)
        && order.summary.status == OrderStatus::Completed
        && order.unsubscription.is_none();
    let leave = can_leave.then(|| {
        let (app_id, product) =
            (bazaar_core::ids::AppId::of_order(order.summary.id), order.summary.product_name.clone());
        view! { <div class="card"><UnsubscribeButton app_id product_name=product on_done=on_unsubscribed /></div> }
    });
    let record = order.unsubscription.clone().map(|unsubscription| view! { <UnsubscriptionRecord unsubscription /> });
    // Anything paid for can have a problem worth a ticket.
    let help = matches!(order.summary.status, OrderStatus::Processing | OrderStatus::Completed).then(|| {
        let href = format!("/support/new?order_id={}", order.summary.id);
        view! { <div class="card"><A href=href attr:class="button button--secondary">{move || i18n.support().get_help}</A></div> }
    });
    // Drawn again when the language changes: every string and date below is read inside.
    let details = move || order_view(&order, i18n);
    view! { {details} {record} {help} {leave} }
}

/// The order's progress: placed, paid, set up (when there is anything to set up), under
/// supervision (while a supervised order is in service), then ready or failed.
fn order_steps(order: &OrderDetail, messages: &'static OrderMessages) -> Vec<(String, StepState)> {
    let summary = &order.summary;
    let paid = order.payment.is_some() || matches!(summary.status, OrderStatus::Processing | OrderStatus::Completed);
    let provisioning = &order.provisioning;
    let failed = provisioning.state == ProvisioningState::Failed;
    let mut steps: Vec<(String, StepState)> = vec![
        (messages.order_step_placed.to_owned(), StepState::Done),
        (
            messages.order_step_paid.to_owned(),
            if paid {
                StepState::Done
            } else if summary.status == OrderStatus::Cancelled {
                StepState::Upcoming
            } else {
                StepState::Current
            },
        ),
    ];
    if provisioning.state != ProvisioningState::NotRequired || !paid {
        let state = match provisioning.state {
            ProvisioningState::InProgress => StepState::Current,
            ProvisioningState::Ready => StepState::Done,
            ProvisioningState::Failed => StepState::Failed,
            _ => StepState::Upcoming,
        };
        steps.push((messages.order_step_provisioning.to_owned(), state));
    }
    if summary.supervised && summary.status == OrderStatus::Processing && provisioning.state.is_terminal() {
        steps.push((messages.order_step_supervision.to_owned(), StepState::Current));
    }
    let final_label = if failed { messages.order_step_failed } else { messages.order_step_ready };
    let final_state = match summary.status {
        OrderStatus::Completed => StepState::Done,
        OrderStatus::Cancelled if failed => StepState::Failed,
        _ => StepState::Upcoming,
    };
    if !(failed && steps.iter().any(|(_, state)| *state == StepState::Failed)) {
        steps.push((final_label.to_owned(), final_state));
    }
    steps
}

/// One step of the order's progress.
#[component]
fn ProgressStep(label: String, state: StepState) -> impl IntoView {
    let class = match state {
        StepState::Done => "progress-steps__step progress-steps__step--done",
        StepState::Current => "progress-steps__step progress-steps__step--current",
        StepState::Failed => "progress-steps__step progress-steps__step--failed",
        StepState::Upcoming => "progress-steps__step",
    };
    view! { <li class=class aria-current=(state == StepState::Current).then_some("step")>{label}</li> }
}

/// A renewal order's apps, each with its new term and amount.
fn renewal_lines_card(lines: Vec<RenewalLine>, i18n: I18n) -> impl IntoView {
    let locale = i18n.locale();
    let when = move |moment| local_date_time(moment, locale);
    view! {
        <div class="card" data-testid="renewal-lines">
            <h2 class="card__title">{i18n.lc().renewal_lines_title}</h2>
            <ul class="renewal-lines">
                {lines.into_iter().map(|line| view! {
                    <li>
                        <A href=format!("/apps/{}", line.app_id)>{line.product_name.clone()}</A>
                        " · "{line.sku_name.clone()}" · "
                        {(i18n.lc().renewal_line)(&i18n.t().duration(line.months), &when(line.from), &when(line.until))}
                        " · "{line.amount.display()}
                    </li>
                }).collect_view()}
            </ul>
        </div>
    }
}

/// How and when the order was paid, and its refund if any.
fn payment_card(payment: PaymentRecord, messages: &'static OrderMessages, locale: Locale) -> impl IntoView {
    let when = move |moment| local_date_time(moment, locale);
    view! {
        <div class="card" data-testid="order-payment">
            <h2 class="card__title">{messages.order_payment}</h2>
            <dl class="details">
                <dt>{messages.order_paid_with}</dt>
                <dd>{match (payment.channel, payment.card_label.clone()) {
                    (PaymentChannel::Card, Some(label)) => label,
                    (channel, _) => messages.channel(channel).to_owned(),
                }}</dd>
                <dt>{messages.order_paid_at}</dt>
                <dd>{when(payment.paid_at)}</dd>
            </dl>
            {payment.refunded_at.map(|moment| view! {
                <p class="notice notice--success" data-testid="refund">
                    {(messages.order_refunded)(&when(moment))}{" · "}{payment.amount.display()}
                </p>
            })}
        </div>
    }
}

fn order_view(order: &OrderDetail, i18n: I18n) -> impl IntoView + use<> {
    let messages = i18n.o();
    let summary = order.summary.clone();
    let locale = i18n.locale();
    let when = move |moment| local_date_time(moment, locale);
    let provisioning = order.provisioning.clone();
    let steps = order_steps(order, messages);
    let retrying = (provisioning.state == ProvisioningState::InProgress && provisioning.attempts > 0)
        .then(|| provisioning.last_error.clone())
        .flatten()
        .map(|error| (messages.order_provisioning_retrying)(&error, &provisioning.attempts.to_string()));
    let image = summary.delivery_method == bazaar_core::catalog::DeliveryMethod::Image;
    let configuration = order.configuration.clone();
    let region = bazaar_core::regions::name(&configuration.region, locale == Locale::ZhCn).to_owned();

    view! {
        <section class="order">
            <p><A href="/orders">{messages.order_back}</A></p>
            <div class="order__heading">
                <PageHeading text={(messages.order_title)(&summary.number)} />
                <OrderStatusBadge status=summary.status />
                {summary.unsubscribed.then(|| view! { <span class="tag tag--muted" data-testid="unsubscribed-tag">{i18n.us().unsubscribed_tag}</span> })}
            </div>
            {summary.cancel_reason.clone().map(|reason| view! {
                <div class="notice notice--error" data-testid="cancel-reason">
                    <p><strong>{messages.order_cancel_reason}": "</strong>{messages.reason(reason.code)}</p>
                    <p class="hint">{reason.detail}</p>
                </div>
            })}
            <div class="card">
                <h2 class="card__title">{messages.order_progress}</h2>
                <ol class="progress-steps" data-testid="order-progress" aria-live="polite">
                    {steps.into_iter().map(|(label, state)| view! { <ProgressStep label state /> }).collect_view()}
                </ol>
                {retrying.map(|text| view! { <p class="hint" role="status">{text}</p> })}
                {(summary.status == OrderStatus::PendingPayment).then(|| view! {
                    <A href=format!("/orders/{}/pay", summary.id) attr:class="button button--primary">{messages.order_pay_now}</A>
                })}
                {(summary.supervised && summary.status == OrderStatus::Processing).then(|| view! {
                    <p><A href=format!("/supervision?q={}", summary.number)>{i18n.t().nav_supervision}</A></p>
                })}
                {(summary.status == OrderStatus::Completed && matches!(summary.kind, OrderKind::Purchase | OrderKind::Trial) && !summary.unsubscribed).then(|| view! {
                    <p class="notice notice--success" data-testid="order-ready">{messages.order_ready_note}" "
                        <A href=format!("/apps/{}", summary.id)>{messages.order_open_apps}</A>
                    </p>
                })}
            </div>
            <div class="card">
                <dl class="details">
                    <dt>{messages.order_number}</dt>
                    <dd>{summary.number.clone()}</dd>
                    <dt>{move || i18n.t().product_label}</dt>
                    <dd><A href=format!("/products/{}", summary.product_id)>{summary.product_name.clone()}</A></dd>
                    <dt>{messages.order_seller}</dt>
                    <dd>{summary.seller_name.clone()}</dd>
                    {matches!(summary.kind, OrderKind::Purchase | OrderKind::Trial).then(|| view! {
                        <dt>{i18n.t().configure_sku}</dt>
                        <dd>{summary.sku_name.clone()}</dd>
                        <dt>{i18n.t().configure_billing}</dt>
                        <dd>{i18n.t().billing(summary.billing_mode)}</dd>
                        {configuration.duration_months.map(|months| view! {
                            <dt>{i18n.t().configure_duration}</dt>
                            <dd>{i18n.t().duration(months)}</dd>
                        })}
                        <dt>{i18n.t().configure_quantity}</dt>
                        <dd>{configuration.quantity}</dd>
                        <dt>{i18n.t().configure_region}</dt>
                        <dd>{region}</dd>
                    })}
                    <dt>{messages.order_placed_at}</dt>
                    <dd>{when(summary.created_at)}</dd>
                    {order.completed_at.map(|moment| view! { <dt>{messages.order_completed_at}</dt><dd>{when(moment)}</dd> })}
                    // A cancelled or unsubscribed order's app has no term left to expire.
                    {order.expires_at
                        .filter(|_| summary.status != OrderStatus::Cancelled && !summary.unsubscribed)
                        .map(|moment| view! { <dt>{messages.order_expires_at}</dt><dd>{when(moment)}</dd> })}
                    {order.vpc.clone().map(|vpc| view! { <dt>{messages.order_vpc}</dt><dd>{format!("{} ({})", vpc.name, vpc.cidr)}</dd> })}
                </dl>
                <PriceBreakdownView breakdown=order.price.clone() image />
                {order.reseller_name.clone().map(|reseller| view! {
                    <p class="notice notice--info">{(messages.order_reseller_note)(&reseller)}</p>
                })}
            </div>
            {(!order.renewal_lines.is_empty()).then(|| renewal_lines_card(order.renewal_lines.clone(), i18n))}
            {order.payment.clone().map(|payment| payment_card(payment, messages, locale))}
            {order.consent.clone().map(|consent| {
                let items = consent.shared.iter().map(|shared| shared.masked_value.clone()).collect::<Vec<_>>().join(", ");
                view! {
                    <div class="card" data-testid="order-consent">
                        <h2 class="card__title">{messages.order_consent}</h2>
                        <p>{(messages.order_consent_detail)(&consent.seller_name, &when(consent.consented_at), &items)}</p>
                    </div>
                }
            })}
        </section>
    }
}
