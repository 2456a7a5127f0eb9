//! Invoice Management (SPEC §12): profiles (`profiles`), what a buyer can have invoiced
//! grouped by issuer, requesting one invoice for items of one issuer (Bazaar's are issued
//! in the same transaction; a seller's wait, with a deadline of 5 business days), and the
//! numbering: per issuer and year, taken in the issuing transaction from a locked counter,
//! so that numbers have no gaps and no duplicates however many instances issue at once.

pub mod profiles;
pub mod refunds;
pub mod seller;

use std::collections::BTreeMap;

use bazaar_core::error::{FieldError, FieldErrorCode};
use bazaar_core::ids::OrderId;
use bazaar_core::invoices::{
    DEFAULT_TAX_RATE_BASIS_POINTS, InvoiceItemView, InvoiceKind, InvoiceProfileInput, InvoiceRequest, InvoiceView,
    Invoiceable, InvoiceableGroup, InvoiceableItem, IssuerKind, invoice_lines, invoiceable, seller_deadline,
};
use bazaar_core::money::Money;
use bazaar_core::orders::{OrderKind, order_number};

use crate::error::{ApiError, ApiResult};
use crate::infra::clock::from_unix;
use crate::infra::db::{Connection, WriteScope, begin_write};
use crate::state::AppState;
use crate::store;
use crate::store::invoices::{InvoiceRow, NewInvoice, PaidOrderRow};

/// Who asks: the account, and the reseller it buys through (whose customers are invoiced
/// by the reseller). Not `orders::Buyer`: refunds in `payments` call this module.
#[derive(Debug, Clone, Copy)]
pub struct Customer {
    pub account_id: bazaar_core::ids::AccountId,
    pub reseller_id: Option<i64>,
}

/// The most items one invoice covers.
pub const MAX_ITEMS: usize = 50;

/// An order's issuer: its numbering key (`bazaar`, `seller:<id>`), kind and name.
fn issuer_of(row: &PaidOrderRow) -> (String, IssuerKind, String) {
    match row.issuer_kind {
        IssuerKind::Bazaar => ("bazaar".to_owned(), IssuerKind::Bazaar, "Bazaar".to_owned()),
        IssuerKind::Seller => (format!("seller:{}", row.seller_id), IssuerKind::Seller, row.seller_name.clone()),
    }
}

fn open_amount(row: &PaidOrderRow) -> Money {
    let money = |minor| Money::new(minor, row.currency);
    invoiceable(money(row.paid_minor), money(row.refunded_minor), money(row.invoiced_minor))
}

fn item_view(row: &PaidOrderRow) -> InvoiceableItem {
    let money = |minor| Money::new(minor, row.currency);
    InvoiceableItem {
        order_id: row.order_id,
        order_number: order_number(row.order_id),
        order_kind: row.kind,
        product_name: row.product_name.clone(),
        paid_at: from_unix(row.paid_at),
        paid: money(row.paid_minor),
        refunded: money(row.refunded_minor),
        invoiced: money(row.invoiced_minor),
        invoiceable: open_amount(row),
    }
}

/// What `buyer` can have invoiced, by issuer (reseller customers: nothing, and why).
pub async fn invoiceable_items(state: &AppState, buyer: Customer) -> ApiResult<Invoiceable> {
    if let Some(reseller_id) = buyer.reseller_id {
        let name = store::accounts::reseller_name(&state.db, reseller_id).await?;
        return Ok(Invoiceable { groups: Vec::new(), invoiced_by_reseller: name.or(Some(String::new())) });
    }
    let mut connection = state.db.acquire().await?;
    let rows = store::invoices::paid_orders(&mut connection, buyer.account_id, None).await?;
    let mut groups: BTreeMap<String, InvoiceableGroup> = BTreeMap::new();
    for row in rows.iter().filter(|row| open_amount(row).amount_minor > 0) {
        let (issuer, issuer_kind, issuer_name) = issuer_of(row);
        groups
            .entry(issuer.clone())
            .or_insert_with(|| InvoiceableGroup { issuer, issuer_kind, issuer_name, items: Vec::new() })
            .items
            .push(item_view(row));
    }
    Ok(Invoiceable { groups: groups.into_values().collect(), invoiced_by_reseller: None })
}

/// What an item's line says.
fn description(row: &PaidOrderRow) -> String {
    let what = match row.kind {
        OrderKind::Renewal => "renewal",
        _ => "purchase",
    };
    format!("{} — {} ({what}, {})", row.product_name, row.sku_name, order_number(row.order_id))
}

/// Requests one invoice for `request`'s items, made out to its profile; Bazaar's are issued
/// at once. Every problem is reported at once, and nothing is written then.
pub async fn request(state: &AppState, buyer: Customer, request: &InvoiceRequest) -> ApiResult<InvoiceView> {
    if buyer.reseller_id.is_some() {
        return Err(ApiError::Conflict("Your reseller invoices what you buy; ask them for invoices.".to_owned()));
    }
    let ids = &request.order_ids;
    if ids.is_empty() || ids.len() > MAX_ITEMS {
        return Err(ApiError::field(
            "order_ids",
            FieldErrorCode::OutOfRange,
            format!("Choose 1 to {MAX_ITEMS} items for one invoice."),
        ));
    }
    let now = state.clock.unix_now();
    let mut transaction = begin_write(&state.db, WriteScope::Account(buyer.account_id)).await?;
    let profile = store::invoice_profiles::profile(&mut transaction, buyer.account_id, request.profile_id).await?;
    let rows = store::invoices::paid_orders(&mut transaction, buyer.account_id, Some(ids)).await?;
    let chosen = checked(ids, profile.is_some(), &rows)?;
    let Some(profile) = profile else { return Err(ApiError::NotFound) };
    let (issuer, issuer_kind, _) = issuer_of(chosen[0]);
    let items: Vec<(String, Money)> = chosen.iter().map(|row| (description(row), open_amount(row))).collect();
    let (lines, totals) = invoice_lines(&items, DEFAULT_TAX_RATE_BASIS_POINTS).ok_or_else(|| {
        ApiError::field("order_ids", FieldErrorCode::Invalid, "Invoice items of one currency together.")
    })?;
    let snapshot = profile.snapshot();
    let profile_json = serde_json::to_string(&snapshot).map_err(ApiError::internal)?;
    let invoice = NewInvoice {
        account_id: buyer.account_id,
        issuer: &issuer,
        seller_id: (issuer_kind == IssuerKind::Seller).then_some(chosen[0].seller_id),
        kind: InvoiceKind::Invoice,
        original_id: None,
        profile_json: &profile_json,
        currency: totals.total.currency,
        tax_rate_bp: DEFAULT_TAX_RATE_BASIS_POINTS,
        net_minor: totals.net.amount_minor,
        tax_minor: totals.tax.amount_minor,
        total_minor: totals.total.amount_minor,
        requested_at: now,
        deadline_at: (issuer_kind == IssuerKind::Seller).then(|| seller_deadline(from_unix(now)).unix_timestamp()),
    };
    let invoice_id = store::invoices::insert_invoice(&mut transaction, invoice).await?;
    for (row, line) in chosen.iter().zip(&lines) {
        let amounts = (line.amount.amount_minor, line.net.amount_minor, line.tax.amount_minor);
        store::invoices::insert_item(&mut transaction, invoice_id, row.order_id, &line.description, amounts).await?;
    }
    if issuer_kind == IssuerKind::Bazaar {
        issue(&mut transaction, invoice_id, &issuer, now).await?;
    }
    transaction.commit().await?;
    tracing::info!(invoice_id, %issuer, items = chosen.len(), "invoice requested");
    list(state, buyer)
        .await?
        .into_iter()
        .find(|invoice| invoice.id == invoice_id)
        .ok_or_else(|| ApiError::internal("the invoice just written is missing"))
}

/// The requested orders, each paid, the buyer's, not invoiced in full, of one issuer; or
/// every problem, against the item it is about.
fn checked<'a>(ids: &[OrderId], profile_found: bool, rows: &'a [PaidOrderRow]) -> ApiResult<Vec<&'a PaidOrderRow>> {
    let mut problems = Vec::new();
    if !profile_found {
        problems.push(FieldError::new(
            "profile_id",
            FieldErrorCode::UnknownValue,
            "Choose one of your invoice profiles.",
        ));
    }
    let mut chosen = Vec::new();
    for (index, id) in ids.iter().enumerate() {
        let field = format!("order_ids[{index}]");
        if ids[..index].contains(id) {
            problems.push(FieldError::new(&field, FieldErrorCode::Duplicate, "This item is already in the request."));
            continue;
        }
        let Some(row) = rows.iter().find(|row| row.order_id == *id) else {
            problems.push(FieldError::new(
                &field,
                FieldErrorCode::UnknownValue,
                "This is not one of your paid orders.",
            ));
            continue;
        };
        if open_amount(row).amount_minor == 0 {
            let message = if row.refunded_minor >= row.paid_minor {
                "This order was refunded in full: there is nothing to invoice."
            } else {
                "This order is invoiced already."
            };
            problems.push(FieldError::new(&field, FieldErrorCode::Unavailable, message));
            continue;
        }
        chosen.push(row);
    }
    if let Some(first) = chosen.first()
        && chosen.iter().any(|row| issuer_of(row).0 != issuer_of(first).0)
    {
        problems.push(FieldError::new(
            "order_ids",
            FieldErrorCode::Invalid,
            "One invoice covers items of one issuer: request the others separately.",
        ));
    }
    if problems.is_empty() { Ok(chosen) } else { Err(ApiError::Validation(problems)) }
}

/// The number `issuer` gives its `sequence`-th invoice of `year`.
pub fn invoice_number(issuer: &str, year: i32, sequence: i64) -> String {
    let prefix = match issuer.strip_prefix("seller:") {
        Some(seller) => format!("S{seller:0>4}"),
        None => "BZI".to_owned(),
    };
    format!("{prefix}-{year}-{sequence:06}")
}

/// Issues requested invoice `invoice_id` of `issuer` at `now`, numbered in this transaction.
pub async fn issue(connection: &mut Connection, invoice_id: i64, issuer: &str, now: i64) -> ApiResult<String> {
    let year = from_unix(now).year();
    let sequence = store::invoices::next_sequence(connection, issuer, year).await?;
    let number = invoice_number(issuer, year, sequence);
    if !store::invoices::mark_issued(connection, invoice_id, (year, sequence, &number), now).await? {
        return Err(ApiError::Conflict("This invoice is not waiting to be issued.".to_owned()));
    }
    Ok(number)
}

/// The buyer's invoices and credit notes, newest first.
pub async fn list(state: &AppState, buyer: Customer) -> ApiResult<Vec<InvoiceView>> {
    let rows = store::invoices::invoices_of(&state.db, buyer.account_id).await?;
    let items = store::invoices::items_of(&state.db, buyer.account_id).await?;
    views(rows, items)
}

/// Invoices as listed, each with its items.
fn views(rows: Vec<InvoiceRow>, all_items: Vec<store::invoices::ItemRow>) -> ApiResult<Vec<InvoiceView>> {
    let mut items: BTreeMap<i64, Vec<InvoiceItemView>> = BTreeMap::new();
    for item in all_items {
        let currency = rows.iter().find(|row| row.id == item.invoice_id).map(|row| row.currency);
        let Some(currency) = currency else { continue };
        items.entry(item.invoice_id).or_default().push(InvoiceItemView {
            order_id: item.order_id,
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
