//! Requesting one invoice for items of one issuer — paid orders and closed pay-per-use
//! bills — made out to one of the buyer's profiles (a snapshot of it is kept). Bazaar's is
//! issued in the request's transaction; a seller's waits with its 5-business-day deadline.
//! Every problem is reported at once, against the item it is about, and nothing is written.

use bazaar_core::error::{FieldError, FieldErrorCode};
use bazaar_core::ids::OrderId;
use bazaar_core::invoices::{
    DEFAULT_TAX_RATE_BASIS_POINTS, InvoiceKind, InvoiceRequest, InvoiceView, IssuerKind, invoice_lines, seller_deadline,
};
use bazaar_core::money::Money;
use bazaar_core::orders::{OrderKind, order_number};

use super::{Customer, MAX_ITEMS, issue, issuer_of, open_amount, usage_month_key};
use crate::error::{ApiError, ApiResult};
use crate::infra::clock::from_unix;
use crate::infra::db::{WriteScope, begin_write};
use crate::state::AppState;
use crate::store;
use crate::store::invoices::{NewInvoice, PaidOrderRow};

/// What an item's line says.
fn description(row: &PaidOrderRow) -> String {
    let number = order_number(row.order_id);
    if let Some(month) = usage_month_key(row.usage_month) {
        return format!("{} — {} (pay-per-use, {month}, {number})", row.product_name, row.sku_name);
    }
    let what = match row.kind {
        OrderKind::Renewal => "renewal",
        _ => "purchase",
    };
    format!("{} — {} ({what}, {number})", row.product_name, row.sku_name)
}

/// One requested item: the field it came from, its order (or app) and month (0: an order).
struct Wanted {
    field: String,
    order_id: OrderId,
    usage_month: Option<i64>,
}

/// The request's items in order; a bill's month that is no month is reported as such.
fn wanted(request: &InvoiceRequest) -> Vec<Wanted> {
    let orders = request.order_ids.iter().enumerate().map(|(index, order_id)| Wanted {
        field: format!("order_ids[{index}]"),
        order_id: *order_id,
        usage_month: Some(0),
    });
    let bills = request.usage_bills.iter().enumerate().map(|(index, bill)| Wanted {
        field: format!("usage_bills[{index}]"),
        order_id: bill.app_id,
        usage_month: bazaar_core::usage::parse_month_key(&bill.month).map(|start| start.unix_timestamp()),
    });
    orders.chain(bills).collect()
}

/// Requests one invoice for `request`'s items, made out to its profile; Bazaar's are issued
/// at once.
pub async fn request(state: &AppState, buyer: Customer, request: &InvoiceRequest) -> ApiResult<InvoiceView> {
    if buyer.reseller_id.is_some() {
        return Err(ApiError::Conflict("Your reseller invoices what you buy; ask them for invoices.".to_owned()));
    }
    let wanted = wanted(request);
    if wanted.is_empty() || wanted.len() > MAX_ITEMS {
        return Err(ApiError::field(
            "order_ids",
            FieldErrorCode::OutOfRange,
            format!("Choose 1 to {MAX_ITEMS} items for one invoice."),
        ));
    }
    let now = state.clock.unix_now();
    let mut transaction = begin_write(&state.db, WriteScope::Account(buyer.account_id)).await?;
    let profile = store::invoice_profiles::profile(&mut transaction, buyer.account_id, request.profile_id).await?;
    let ids: Vec<OrderId> =
        wanted.iter().filter(|item| item.usage_month == Some(0)).map(|item| item.order_id).collect();
    let mut rows = store::invoices::paid_orders(&mut transaction, buyer.account_id, Some(&ids)).await?;
    if wanted.iter().any(|item| item.usage_month != Some(0)) {
        rows.extend(store::invoices::closed_bill_items(&mut transaction, buyer.account_id).await?);
    }
    let chosen = checked(&wanted, profile.is_some(), &rows)?;
    let Some(profile) = profile else { return Err(ApiError::NotFound) };
    let (issuer, issuer_kind, _) = issuer_of(chosen[0]);
    let items: Vec<(String, Money)> = chosen.iter().map(|row| (description(row), open_amount(row))).collect();
    let (lines, totals) = invoice_lines(&items, DEFAULT_TAX_RATE_BASIS_POINTS).ok_or_else(|| {
        ApiError::field("order_ids", FieldErrorCode::Invalid, "Invoice items of one currency together.")
    })?;
    let profile_json = serde_json::to_string(&profile.snapshot()).map_err(ApiError::internal)?;
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
        let key = (row.order_id, row.usage_month);
        store::invoices::insert_item(&mut transaction, invoice_id, key, &line.description, amounts).await?;
    }
    if issuer_kind == IssuerKind::Bazaar {
        issue(&mut transaction, invoice_id, &issuer, now).await?;
    }
    transaction.commit().await?;
    tracing::info!(invoice_id, %issuer, items = chosen.len(), "invoice requested");
    super::views::one_of_buyer(state, buyer, invoice_id).await
}

/// The requested items, each paid, the buyer's, not invoiced in full, of one issuer; or
/// every problem, against the item it is about.
fn checked<'a>(wanted: &[Wanted], profile_found: bool, rows: &'a [PaidOrderRow]) -> ApiResult<Vec<&'a PaidOrderRow>> {
    let mut problems = Vec::new();
    if !profile_found {
        problems.push(FieldError::new(
            "profile_id",
            FieldErrorCode::UnknownValue,
            "Choose one of your invoice profiles.",
        ));
    }
    let mut chosen: Vec<&PaidOrderRow> = Vec::new();
    for (index, item) in wanted.iter().enumerate() {
        let field = &item.field;
        let Some(month) = item.usage_month else {
            problems.push(FieldError::new(field, FieldErrorCode::Invalid, "Name the bill's month as YYYY-MM."));
            continue;
        };
        let same = |other: &Wanted| other.order_id == item.order_id && other.usage_month == item.usage_month;
        if wanted[..index].iter().any(same) {
            problems.push(FieldError::new(field, FieldErrorCode::Duplicate, "This item is already in the request."));
            continue;
        }
        let Some(row) = rows.iter().find(|row| row.order_id == item.order_id && row.usage_month == month) else {
            let message = if month == 0 {
                "This is not one of your paid orders."
            } else {
                "This is not one of your closed pay-per-use bills with charges."
            };
            problems.push(FieldError::new(field, FieldErrorCode::UnknownValue, message));
            continue;
        };
        if open_amount(row).amount_minor == 0 {
            let message = if row.refunded_minor >= row.paid_minor {
                "This order was refunded in full: there is nothing to invoice."
            } else {
                "This item is invoiced already."
            };
            problems.push(FieldError::new(field, FieldErrorCode::Unavailable, message));
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
