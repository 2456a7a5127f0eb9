//! What leaving a purchase refunds: every payment made for the app (the purchase and each
//! renewal) is judged on its own. Within 5 days of a payment, that payment comes back in
//! full; after that, the unused part of its term comes back, pro rata by the second and
//! rounded down, less a 5 % handling fee of that payment (rounded up), never below zero.
//! Pay-per-use and perpetual licences refund nothing; supervised purchases before their
//! flow completes are negotiated on the flow instead.

use serde::{Deserialize, Serialize};
use time::{Duration, OffsetDateTime};

use crate::money::Money;

/// The unconditional window after each payment.
pub const FULL_REFUND_WINDOW: Duration = Duration::days(5);
/// The handling fee on a pro-rata refund, in percent of the payment.
pub const HANDLING_FEE_PERCENT: i64 = 5;

/// One payment for an app and the term it bought.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PaidTerm {
    pub amount: Money,
    #[serde(with = "time::serde::rfc3339")]
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub paid_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub starts_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub ends_at: OffsetDateTime,
}

/// How one payment is refunded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TermRefund {
    pub term: PaidTerm,
    /// Within 5 days of its payment: refunded in full, no fee.
    pub in_full: bool,
    /// The value of the time already used (zero when refunded in full).
    pub used: Money,
    pub fee: Money,
    pub refund: Money,
}

/// The whole quote: one line per payment, and the sum.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RefundQuote {
    pub lines: Vec<TermRefund>,
    pub paid: Money,
    pub refund: Money,
}

/// The refund of one payment at `now`.
pub fn term_refund(term: PaidTerm, now: OffsetDateTime) -> TermRefund {
    let amount = term.amount;
    let zero = Money::zero(amount.currency);
    if now < term.paid_at + FULL_REFUND_WINDOW {
        return TermRefund { term, in_full: true, used: zero, fee: zero, refund: amount };
    }
    let length = (term.ends_at - term.starts_at).whole_seconds().max(1);
    let unused = (term.ends_at - now.max(term.starts_at)).whole_seconds().clamp(0, length);
    // i128: amount × seconds cannot overflow however long the term.
    let unused_value = (i128::from(amount.amount_minor) * i128::from(unused) / i128::from(length)) as i64;
    let fee = if unused_value > 0 { (amount.amount_minor * HANDLING_FEE_PERCENT + 99) / 100 } else { 0 };
    let refund = (unused_value - fee).max(0);
    TermRefund {
        term,
        in_full: false,
        used: Money::new(amount.amount_minor - unused_value, amount.currency),
        fee: Money::new(fee.min(unused_value), amount.currency),
        refund: Money::new(refund, amount.currency),
    }
}

/// The quote for leaving an app whose payments are `terms`, at `now`.
pub fn unsubscription_quote(terms: &[PaidTerm], now: OffsetDateTime) -> Option<RefundQuote> {
    let currency = terms.first()?.amount.currency;
    let lines: Vec<TermRefund> = terms.iter().map(|term| term_refund(*term, now)).collect();
    let paid = Money::new(terms.iter().map(|term| term.amount.amount_minor).sum(), currency);
    let refund = Money::new(lines.iter().map(|line| line.refund.amount_minor).sum(), currency);
    Some(RefundQuote { lines, paid, refund })
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;
    use time::macros::datetime;

    use super::*;
    use crate::lifecycle::term_end;
    use crate::money::Currency;

    fn yuan(minor: i64) -> Money {
        Money::new(minor, Currency::CNY)
    }

    fn month_from(paid_at: OffsetDateTime, amount: i64) -> PaidTerm {
        PaidTerm { amount: yuan(amount), paid_at, starts_at: paid_at, ends_at: term_end(paid_at, 1) }
    }

    #[test]
    fn the_five_day_window_is_exact_to_the_second() {
        let paid = datetime!(2026-03-01 00:00 UTC);
        let term = month_from(paid, 31_000);
        assert!(term_refund(term, paid + Duration::days(5) - Duration::seconds(1)).in_full);
        let after = term_refund(term, paid + Duration::days(5));
        assert!(!after.in_full);
        // March has 31 days: 26 unused of 31, less 5 % of 310.00.
        assert_eq!(after.refund, yuan(26_000 - 1_550));
        assert_eq!(after.fee, yuan(1_550));
        assert_eq!(after.used, yuan(5_000));
    }

    #[test]
    fn a_used_up_term_refunds_nothing_and_charges_no_fee() {
        let paid = datetime!(2026-03-01 00:00 UTC);
        let line = term_refund(month_from(paid, 31_000), datetime!(2026-04-02 00:00 UTC));
        assert_eq!((line.refund, line.fee, line.used), (yuan(0), yuan(0), yuan(31_000)));
    }

    #[test]
    fn a_renewal_has_its_own_five_days() {
        let bought = datetime!(2026-03-01 00:00 UTC);
        let first = month_from(bought, 31_000);
        let renewed_at = datetime!(2026-03-20 00:00 UTC);
        let second = PaidTerm {
            amount: yuan(30_000),
            paid_at: renewed_at,
            starts_at: first.ends_at,
            ends_at: term_end(first.ends_at, 1),
        };
        let quote = unsubscription_quote(&[first, second], renewed_at + Duration::days(2)).unwrap();
        assert!(!quote.lines[0].in_full && quote.lines[1].in_full);
        assert_eq!(quote.lines[1].refund, yuan(30_000));
        assert_eq!(quote.paid, yuan(61_000));
        assert_eq!(quote.refund.amount_minor, quote.lines[0].refund.amount_minor + 30_000);
    }

    fn term_strategy() -> impl Strategy<Value = PaidTerm> {
        (946_684_800i64..4_000_000_000, 1u32..37, 0i64..10_000_000).prop_map(|(paid, months, amount)| {
            let paid_at = OffsetDateTime::from_unix_timestamp(paid).unwrap();
            PaidTerm { amount: yuan(amount), paid_at, starts_at: paid_at, ends_at: term_end(paid_at, months) }
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(500))]

        /// 0 ≤ refund ≤ paid, used + fee + refund never exceeds the payment (rounding never
        /// creates money), and waiting never refunds more.
        #[test]
        fn refunds_stay_within_what_was_paid_and_only_shrink(term in term_strategy(), a in 0i64..(4 * 365 * 86_400), b in 0i64..(4 * 365 * 86_400)) {
            let (early, late) = (term.paid_at + Duration::seconds(a.min(b)), term.paid_at + Duration::seconds(a.max(b)));
            let (first, second) = (term_refund(term, early), term_refund(term, late));
            for line in [first, second] {
                prop_assert!(line.refund.amount_minor >= 0 && line.refund.amount_minor <= term.amount.amount_minor);
                prop_assert!(line.used.amount_minor + line.fee.amount_minor + line.refund.amount_minor <= term.amount.amount_minor);
            }
            prop_assert!(second.refund.amount_minor <= first.refund.amount_minor);
        }
    }
}
