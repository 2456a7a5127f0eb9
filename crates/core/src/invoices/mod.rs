//! Invoice Management's rules (SPEC §12), pure: tax IDs (`tax_id`), invoice profiles and
//! their field errors (`profile`), the JSON of `/invoices` (`wire`), what an order or bill
//! can still be invoiced for, the tax inside a tax-inclusive amount and an invoice's
//! totals in integer minor units, the credit note a refund of an invoiced item needs, and a
//! seller's deadline of 5 business days.
//!
//! Amounts are what the buyer paid, tax included (prices in the catalog are); an invoice
//! shows the net and the tax that make up each line, rounded per line, so that the lines
//! add up to the totals exactly.

use serde::{Deserialize, Serialize};
use time::{Duration, OffsetDateTime, Weekday};

use crate::money::Money;

mod profile;
mod tax_id;
#[cfg(test)]
mod tests;
mod wire;

pub use profile::{
    ADDRESS_MAX, BANK_ACCOUNT_MAX, EMAIL_MAX, InvoiceProfileInput, PHONE_MAX, ProfileKind, TITLE_MAX,
    invoice_profile_problems, normalised_profile,
};
pub use tax_id::{TaxIdKind, TaxIdProblem, normalise_tax_id, uscc_check_character, validate_tax_id};
pub use wire::{
    InvoiceItemView, InvoiceKind, InvoiceProfile, InvoiceRequest, InvoiceState, InvoiceView, Invoiceable,
    InvoiceableGroup, InvoiceableItem, IssuerKind, REJECT_REASON_MAX, REJECT_REASON_MIN, RejectInvoiceRequest,
    UsageBillItem,
};

/// How many business days a seller has to issue (or reject) a requested invoice.
pub const SELLER_BUSINESS_DAYS: u32 = 5;
/// The VAT rate of software and information services in China, in basis points (6 %).
pub const DEFAULT_TAX_RATE_BASIS_POINTS: u32 = 600;

/// What of an item (a purchase or renewal order, a closed monthly bill) can still be
/// invoiced: what was paid, less what was refunded and what invoices already cover; never
/// below zero.
pub fn invoiceable(paid: Money, refunded: Money, invoiced: Money) -> Money {
    let remaining = paid.amount_minor - refunded.amount_minor - invoiced.amount_minor;
    Money::new(remaining.max(0), paid.currency)
}

/// The net and tax inside a tax-inclusive `gross` at `rate_basis_points` (600 = 6 %): the net
/// rounded half up to the minor unit, the tax what is left, so that net + tax = gross.
pub fn split_tax(gross: i64, rate_basis_points: u32) -> (i64, i64) {
    let divisor = 10_000 + i128::from(rate_basis_points);
    let scaled = i128::from(gross) * 10_000;
    // Half up, symmetric for negative amounts (credit notes).
    let net = if scaled >= 0 { (scaled + divisor / 2) / divisor } else { -((-scaled + divisor / 2) / divisor) };
    let net = i64::try_from(net).unwrap_or(i64::MAX);
    (net, gross - net)
}

/// One line of an invoice: what it is for and its tax-inclusive amount.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct InvoiceLine {
    pub description: String,
    pub amount: Money,
    pub net: Money,
    pub tax: Money,
}

/// An invoice's totals: the sum of its lines' nets, taxes and amounts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct InvoiceTotals {
    pub net: Money,
    pub tax: Money,
    pub total: Money,
}

/// The lines for `items` (description, tax-inclusive amount, all in one currency) at
/// `rate_basis_points`, and their totals; `None` for no items or mixed currencies.
pub fn invoice_lines(items: &[(String, Money)], rate_basis_points: u32) -> Option<(Vec<InvoiceLine>, InvoiceTotals)> {
    let currency = items.first()?.1.currency;
    if items.iter().any(|(_, amount)| amount.currency != currency) {
        return None;
    }
    let lines: Vec<InvoiceLine> = items
        .iter()
        .map(|(description, amount)| {
            let (net, tax) = split_tax(amount.amount_minor, rate_basis_points);
            InvoiceLine {
                description: description.clone(),
                amount: *amount,
                net: Money::new(net, currency),
                tax: Money::new(tax, currency),
            }
        })
        .collect();
    let sum = |part: fn(&InvoiceLine) -> i64| Money::new(lines.iter().map(part).sum(), currency);
    let totals = InvoiceTotals {
        net: sum(|line| line.net.amount_minor),
        tax: sum(|line| line.tax.amount_minor),
        total: sum(|line| line.amount.amount_minor),
    };
    Some((lines, totals))
}

/// What a credit note against an invoice of `invoiced` must take back once the item's
/// payment less refunds is `paid_less_refunded`: the part no longer paid for (zero when the
/// refund left the invoiced amount covered). The invoice and its credit note then add up
/// to what remains.
pub fn credit_note_amount(invoiced: Money, paid_less_refunded: Money) -> Money {
    let excess = invoiced.amount_minor - paid_less_refunded.amount_minor.max(0);
    Money::new(excess.clamp(0, invoiced.amount_minor.max(0)), invoiced.currency)
}

/// The seller's deadline for an invoice requested at `requested_at`: the same time of day,
/// [`SELLER_BUSINESS_DAYS`] business days (Monday to Friday) later. A request on a weekend
/// counts from the following Monday's start.
pub fn seller_deadline(requested_at: OffsetDateTime) -> OffsetDateTime {
    let mut at = requested_at;
    if is_weekend(at.weekday()) {
        while is_weekend(at.weekday()) {
            at += Duration::days(1);
        }
        at = at.replace_time(time::Time::MIDNIGHT);
    }
    let mut left = SELLER_BUSINESS_DAYS;
    while left > 0 {
        at += Duration::days(1);
        if !is_weekend(at.weekday()) {
            left -= 1;
        }
    }
    at
}

fn is_weekend(day: Weekday) -> bool {
    matches!(day, Weekday::Saturday | Weekday::Sunday)
}

/// Whether a seller's invoice requested at `requested_at` is overdue at `now` (from the
/// deadline's second on).
pub fn seller_overdue(requested_at: OffsetDateTime, now: OffsetDateTime) -> bool {
    now >= seller_deadline(requested_at)
}
