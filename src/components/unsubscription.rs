//! Product Unsubscription's markup: the quote broken down per payment (paid, used, fee,
//! refund, where it goes) and the record an order shows once the buyer left. No fetching.

use bazaar_core::lifecycle::{Unsubscription, UnsubscriptionQuote, UnsubscriptionRule};
use bazaar_core::orders::PaymentChannel;
use leptos::prelude::*;

use crate::format::local_date_time;
use crate::i18n::use_i18n;

/// The quote as a table: one row per payment, then the totals, the channel(s) the refund
/// goes to and what stops.
#[component]
pub fn QuoteBreakdown(quote: UnsubscriptionQuote) -> impl IntoView {
    let i18n = use_i18n();
    move || {
        let messages = i18n.us();
        let orders = i18n.o();
        let locale = i18n.locale();
        let refund = &quote.refund;
        let mut channels: Vec<PaymentChannel> = Vec::new();
        for line in refund.lines.iter().filter(|line| line.refund.amount_minor > 0) {
            if !channels.contains(&line.term.channel) {
                channels.push(line.term.channel);
            }
        }
        let channel_names = channels.iter().map(|channel| orders.channel(*channel)).collect::<Vec<_>>().join(", ");
        view! {
            <p data-testid="unsubscription-rule">{messages.rule(quote.rule)}</p>
            {(quote.rule != UnsubscriptionRule::Negotiated && !refund.lines.is_empty()).then(|| view! {
                <div class="table-scroll">
                    <table class="orders-table quote-table" data-testid="unsubscription-quote">
                        <caption class="visually-hidden">{(messages.dialog_title)(&quote.product_name)}</caption>
                        <thead>
                            <tr>
                                <th scope="col">{messages.payment}</th>
                                <th scope="col" class="quote-table__number">{messages.paid}</th>
                                <th scope="col" class="quote-table__number">{messages.used}</th>
                                <th scope="col" class="quote-table__number">{messages.fee}</th>
                                <th scope="col" class="quote-table__number">{messages.refund}</th>
                            </tr>
                        </thead>
                        <tbody>
                            {refund.lines.iter().map(|line| view! {
                                <tr>
                                    <th scope="row">
                                        {bazaar_core::orders::order_number(line.term.order_id)}
                                        <br /><span class="hint">{orders.channel(line.term.channel)}" · "{local_date_time(line.term.paid_at, locale)}</span>
                                        {line.in_full.then(|| view! { <br /><span class="tag tag--success">{messages.in_full}</span> })}
                                    </th>
                                    <td class="quote-table__number">{line.term.amount.display()}</td>
                                    <td class="quote-table__number">{line.used.display()}</td>
                                    <td class="quote-table__number">{line.fee.display()}</td>
                                    <td class="quote-table__number">{line.refund.display()}</td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                        <tfoot>
                            <tr>
                                <th scope="row">{messages.total}</th>
                                <td class="quote-table__number">{refund.paid.display()}</td>
                                <td class="quote-table__number">{refund.used.display()}</td>
                                <td class="quote-table__number">{refund.fee.display()}</td>
                                <td class="quote-table__number" data-testid="quote-refund"><strong>{refund.refund.display()}</strong></td>
                            </tr>
                        </tfoot>
                    </table>
                </div>
                {(!channels.is_empty()).then(|| view! {
                    <p><strong>{messages.refund}": "{refund.refund.display()}</strong>" "{(messages.refund_to)(&channel_names)}</p>
                })}
            })}
            {quote.reseller_name.clone().map(|reseller| view! { <p class="notice notice--info">{(messages.reseller_reference)(&reseller)}</p> })}
            {(quote.rule != UnsubscriptionRule::Negotiated).then(|| view! {
                <p class="notice notice--warning">
                    {messages.stops_now}
                    {quote.expires_at.map(|date| view! { " "{(messages.instead_of)(&local_date_time(date, locale))} })}
                </p>
            })}
        }
    }
}

/// What an order shows once the buyer left the app: when, the refund and where it went.
#[component]
pub fn UnsubscriptionRecord(unsubscription: Unsubscription) -> impl IntoView {
    let i18n = use_i18n();
    move || {
        let messages = i18n.us();
        let orders = i18n.o();
        let locale = i18n.locale();
        view! {
            <div class="card" data-testid="unsubscription">
                <h2 class="card__title">{messages.record_title}</h2>
                <p>{(messages.record_summary)(&local_date_time(unsubscription.unsubscribed_at, locale), &unsubscription.refund.display())}</p>
                {if unsubscription.refunds.is_empty() {
                    view! { <p class="hint">{messages.record_nothing}</p> }.into_any()
                } else {
                    view! {
                        <ul class="renewal-lines">
                            {unsubscription.refunds.iter().map(|refund| {
                                let channel = match (refund.channel, refund.card_label.clone()) {
                                    (PaymentChannel::Card, Some(label)) => label,
                                    (channel, _) => orders.channel(channel).to_owned(),
                                };
                                view! { <li>{(messages.record_refund)(&refund.amount.display(), &channel, &refund.order_number)}</li> }
                            }).collect_view()}
                        </ul>
                    }.into_any()
                }}
            </div>
        }
    }
}
