//! The record of an unsubscription, as the purchase's order page and `POST …/unsubscribe`
//! show it: when, under which rule, and each refund with the channel it went back to; and
//! settling a negotiated unsubscription, which a supervised flow agrees on.

use bazaar_core::ids::{AppId, OrderId};
use bazaar_core::lifecycle::{RefundMade, Unsubscription, UnsubscriptionRule};
use bazaar_core::messages::{MessageLink, MessageTopic};
use bazaar_core::money::Money;
use bazaar_core::notices::NoticeKind;
use bazaar_core::orders::order_number;

use crate::domain::messages::{self, Outgoing};
use crate::domain::notices;
use crate::error::{ApiError, ApiResult};
use crate::infra::clock::from_unix;
use crate::infra::db::Connection;
use crate::store;

/// The unsubscription of app `app_id`, if the buyer left it.
pub async fn load(connection: &mut Connection, app_id: AppId) -> ApiResult<Option<Unsubscription>> {
    let row = store::unsubscriptions::of_app(connection, app_id.order()).await?;
    let Some(row) = row else { return Ok(None) };
    let refunds = store::unsubscriptions::refunds_of(connection, app_id.order()).await?;
    Ok(Some(Unsubscription {
        app_id,
        rule: row.rule,
        refund: Money::new(row.refund_minor, row.currency),
        refunds: refunds
            .into_iter()
            .map(|refund| RefundMade {
                order_id: refund.order_id,
                order_number: order_number(refund.order_id),
                channel: refund.channel,
                card_label: refund.card_label,
                amount: Money::new(refund.amount_minor, refund.currency),
            })
            .collect(),
        unsubscribed_at: from_unix(row.unsubscribed_at),
    }))
}

/// Settles a supervised purchase the buyer leaves before completion with `refund`, agreed
/// on its flow: the order is cancelled, the refund goes back to the channel that paid, and
/// the unsubscription is recorded (one per purchase), the seller told and the buyer messaged
/// — in the caller's transaction, with the flow's event.
pub async fn settle_by_agreement(
    connection: &mut Connection,
    order_id: OrderId,
    flow_key: &str,
    refund: Money,
    now: i64,
) -> ApiResult<()> {
    let detail =
        format!("You left before completion; the refund of {} was agreed on the service flow.", refund.display());
    let cancelled = store::unsubscriptions::cancel_by_agreement(connection, order_id, &detail, now).await?;
    if !cancelled {
        return Err(ApiError::Conflict("Only a purchase still in its service flow can be left this way.".to_owned()));
    }
    let (account_id, product_name) = store::orders::buyer_and_product(connection, order_id).await?;
    // For a negotiated unsubscription the "quote" kept is the agreed refund itself.
    let quote_json = serde_json::to_string(&refund).map_err(ApiError::internal)?;
    let record = store::unsubscriptions::NewUnsubscription {
        app_id: order_id,
        account_id,
        rule: UnsubscriptionRule::Negotiated,
        refund_minor: refund.amount_minor,
        currency: refund.currency,
        quote_json: &quote_json,
        idempotency_key: flow_key,
        now,
    };
    store::unsubscriptions::record(connection, record).await?;
    if refund.amount_minor > 0 {
        let note = format!("Agreed unsubscription refund of order {}", order_number(order_id));
        let inserted =
            store::payments::refund_to_payer(connection, order_id, Some(order_id), refund.amount_minor, &note, now)
                .await?;
        if inserted != 1 {
            return Err(ApiError::internal(format!("order {order_id} has no single ledger payment to refund")));
        }
    }
    notices::queue(&mut *connection, order_id, NoticeKind::Unsubscribed, now, None, now, now).await?;
    let message = Outgoing {
        account_id,
        topic: MessageTopic::Unsubscribed,
        subject: &product_name,
        order_id,
        link: MessageLink::Order { order_id },
        at: None,
        due_at: None,
        dedupe_key: format!("unsubscribed:{order_id}"),
    };
    messages::send(connection, message, now).await?;
    tracing::info!(%order_id, refund = refund.amount_minor, "unsubscribed by agreement");
    Ok(())
}

/// What the buyer paid for the flow's order (a reseller customer's reference amount): the
/// most a negotiated unsubscription can refund.
pub async fn paid_for(connection: &mut Connection, order_id: OrderId) -> ApiResult<Money> {
    let (amount, currency) = store::unsubscriptions::paid_for(connection, order_id).await?;
    Ok(Money::new(amount, currency))
}
