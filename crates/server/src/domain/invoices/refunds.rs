//! A refund of an invoiced item: invoices still waiting for their seller are rejected (the
//! item can be requested again for what remains), and what issued invoices cover beyond
//! what is still paid is taken back by a credit note against the latest one, numbered by
//! the same issuer in the refund's transaction.

use bazaar_core::ids::OrderId;
use bazaar_core::invoices::{InvoiceKind, credit_note_amount, split_tax};
use bazaar_core::money::Money;

use crate::error::ApiResult;
use crate::infra::db::Connection;
use crate::store;
use crate::store::invoices::NewInvoice;

/// Called in the transaction of every refund of order `order_id`, after its ledger entry.
pub async fn after_refund(connection: &mut Connection, order_id: OrderId, now: i64) -> ApiResult<()> {
    let reason = "The order was refunded before the invoice was issued; request it again for what remains.";
    store::invoice_credits::reject_requested_covering(connection, order_id, reason, now).await?;
    let Some(order) = store::invoice_credits::refunded_order(connection, order_id).await? else { return Ok(()) };
    let money = |minor| Money::new(minor, order.currency);
    let credit = credit_note_amount(money(order.issued_minor), money(order.paid_minor - order.refunded_minor));
    let Some(original_id) = order.latest_invoice_id.filter(|_| credit.amount_minor > 0) else { return Ok(()) };
    let original = store::invoice_credits::original(connection, original_id).await?;
    let rate = u32::try_from(original.tax_rate_bp).unwrap_or(0);
    let (net, tax) = split_tax(-credit.amount_minor, rate);
    let note = NewInvoice {
        account_id: order.account_id,
        issuer: &original.issuer,
        seller_id: original.seller_id,
        kind: InvoiceKind::CreditNote,
        original_id: Some(original_id),
        profile_json: &original.profile_json,
        currency: order.currency,
        tax_rate_bp: rate,
        net_minor: net,
        tax_minor: tax,
        total_minor: -credit.amount_minor,
        requested_at: now,
        deadline_at: None,
    };
    let note_id = store::invoices::insert_invoice(connection, note).await?;
    let description = store::invoice_credits::item_description(connection, original_id, order_id).await?;
    let line = format!("Refund: {description}");
    store::invoices::insert_item(connection, note_id, (order_id, 0), &line, (-credit.amount_minor, net, tax)).await?;
    let number = super::issue(connection, note_id, &original.issuer, now).await?;
    tracing::info!(%order_id, credit = credit.amount_minor, %number, "credit note issued for a refund");
    Ok(())
}
