//! Invoices as the API shows them — the buyer's list, one invoice — and the PDF of an
//! issued one, for its buyer and its issuer only.

use std::collections::BTreeMap;

use bazaar_core::ids::AccountId;
use bazaar_core::invoices::{InvoiceItemView, InvoiceProfileInput, InvoiceState, InvoiceView, IssuerKind};
use bazaar_core::money::Money;
use bazaar_core::orders::order_number;

use super::pdf::{self, IssuerDetails};
use super::{Customer, usage_month_key};
use crate::error::{ApiError, ApiResult};
use crate::infra::clock::from_unix;
use crate::state::AppState;
use crate::store;
use crate::store::invoices::{InvoiceRow, ItemRow};

/// The buyer's invoices and credit notes, newest first.
pub async fn list(state: &AppState, buyer: Customer) -> ApiResult<Vec<InvoiceView>> {
    let rows = store::invoices::invoices_of(&state.db, buyer.account_id).await?;
    let items = store::invoices::items_of(&state.db, buyer.account_id).await?;
    views(rows, items)
}

/// The buyer's invoice `id`.
pub async fn one_of_buyer(state: &AppState, buyer: Customer, id: i64) -> ApiResult<InvoiceView> {
    let row = store::invoice_documents::invoice(&state.db, id).await?;
    let row = row.filter(|row| row.account_id == buyer.account_id).ok_or(ApiError::NotFound)?;
    let items = store::invoice_documents::items(&state.db, id).await?;
    views(vec![row.invoice], items)?.pop().ok_or_else(|| ApiError::internal("an invoice without its view"))
}

/// Who asks for a document: an account, the seller it acts for, whether it is operations.
#[derive(Debug, Clone, Copy)]
pub struct Reader {
    pub account_id: AccountId,
    pub seller_id: Option<i64>,
    pub operations: bool,
}

/// The PDF of issued invoice `id` and its file name: for the buyer it is made out to, and
/// its issuer (the seller's staff; operations for Bazaar's). Anyone else: not found.
pub async fn document(state: &AppState, reader: Reader, id: i64) -> ApiResult<(String, Vec<u8>)> {
    let row = store::invoice_documents::invoice(&state.db, id).await?.ok_or(ApiError::NotFound)?;
    let allowed = row.account_id == reader.account_id
        || (row.seller_id.is_some() && row.seller_id == reader.seller_id)
        || (row.seller_id.is_none() && reader.operations);
    if !allowed {
        return Err(ApiError::NotFound);
    }
    if row.invoice.state != InvoiceState::Issued {
        return Err(ApiError::Conflict("Only an issued invoice has a document.".to_owned()));
    }
    let issuer = IssuerDetails {
        name: row.invoice.seller_name.clone().unwrap_or_else(|| "Bazaar".to_owned()),
        email: row.seller_email.clone(),
        phone: row.seller_phone.clone(),
        on_behalf_of_seller: row.seller_id.is_some(),
    };
    let items = store::invoice_documents::items(&state.db, id).await?;
    let invoice = views(vec![row.invoice], items)?.pop().ok_or_else(|| ApiError::internal("no invoice view"))?;
    let number = invoice.number.clone().unwrap_or_default();
    let font = state.invoice_font.clone();
    let bytes = tokio::task::spawn_blocking(move || {
        // A missing font is the deployment's fault: logged, and a 500 for the client.
        let font = font.get().map_err(|why| ApiError::internal(format!("invoice documents are unavailable: {why}")))?;
        pdf::render(&invoice, &issuer, font).map_err(ApiError::internal)
    })
    .await
    .map_err(ApiError::internal)??;
    Ok((format!("{number}.pdf"), bytes))
}

/// Invoices as listed, each with its items.
pub(super) fn views(rows: Vec<InvoiceRow>, all_items: Vec<ItemRow>) -> ApiResult<Vec<InvoiceView>> {
    let mut items: BTreeMap<i64, Vec<InvoiceItemView>> = BTreeMap::new();
    for item in all_items {
        let currency = rows.iter().find(|row| row.id == item.invoice_id).map(|row| row.currency);
        let Some(currency) = currency else { continue };
        items.entry(item.invoice_id).or_default().push(InvoiceItemView {
            order_id: item.order_id,
            usage_month: usage_month_key(item.usage_month),
            order_number: order_number(item.order_id),
            description: item.description,
            amount: Money::new(item.amount_minor, currency),
            net: Money::new(item.net_minor, currency),
            tax: Money::new(item.tax_minor, currency),
        });
    }
    rows.into_iter()
        .map(|row| {
            let lines = items.remove(&row.id).unwrap_or_default();
            view(row, lines)
        })
        .collect()
}

fn view(row: InvoiceRow, items: Vec<InvoiceItemView>) -> ApiResult<InvoiceView> {
    let made_out_to: InvoiceProfileInput = serde_json::from_str(&row.profile_json).map_err(ApiError::internal)?;
    let money = |minor| Money::new(minor, row.currency);
    let (issuer_kind, issuer_name) = match row.seller_name {
        Some(name) => (IssuerKind::Seller, name),
        None => (IssuerKind::Bazaar, "Bazaar".to_owned()),
    };
    Ok(InvoiceView {
        id: row.id,
        kind: row.kind,
        state: row.state,
        number: row.number,
        issuer_kind,
        issuer_name,
        made_out_to,
        tax_rate_basis_points: u32::try_from(row.tax_rate_bp).unwrap_or(0),
        net: money(row.net_minor),
        tax: money(row.tax_minor),
        total: money(row.total_minor),
        items,
        requested_at: from_unix(row.requested_at),
        deadline_at: row.deadline_at.map(from_unix),
        issued_at: row.issued_at.map(from_unix),
        reject_reason: row.reject_reason,
        original_number: row.original_number,
    })
}
