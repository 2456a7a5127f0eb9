//! Invoice Management (SPEC §12): profiles (`profiles`), what a buyer can have invoiced
//! grouped by issuer, requesting one invoice for items of one issuer (Bazaar's are issued
//! in the same transaction; a seller's wait, with a deadline of 5 business days), and the
//! numbering: per issuer and year, taken in the issuing transaction from a locked counter,
//! so that numbers have no gaps and no duplicates however many instances issue at once.

pub mod pdf;
pub mod profiles;
pub mod refunds;
mod request;
pub mod seller;
mod views;

pub use request::request;
pub use views::{Reader, document, list};

use std::collections::BTreeMap;

use bazaar_core::invoices::{Invoiceable, InvoiceableGroup, InvoiceableItem, IssuerKind, invoiceable};
use bazaar_core::money::Money;
use bazaar_core::orders::order_number;

use crate::error::{ApiError, ApiResult};
use crate::infra::clock::from_unix;
use crate::infra::db::Connection;
use crate::state::AppState;
use crate::store;
use crate::store::invoices::PaidOrderRow;

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

/// `2026-11` for a closed bill's month (its first second); none for an order (0).
pub fn usage_month_key(usage_month: i64) -> Option<String> {
    (usage_month != 0).then(|| bazaar_core::usage::month_key(from_unix(usage_month)))
}

fn item_view(row: &PaidOrderRow) -> InvoiceableItem {
    let money = |minor| Money::new(minor, row.currency);
    InvoiceableItem {
        order_id: row.order_id,
        usage_month: usage_month_key(row.usage_month),
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
    let mut rows = store::invoices::paid_orders(&mut connection, buyer.account_id, None).await?;
    rows.extend(store::invoices::closed_bill_items(&mut connection, buyer.account_id).await?);
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
