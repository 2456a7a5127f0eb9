//! What leaving a purchase refunds: every payment made for the app (the purchase and each
//! renewal) is judged on its own. Within 5 days of a payment, that payment comes back in
//! full; after that, the unused part of its term comes back, pro rata by the second and
//! rounded down, less a 5 % handling fee of that payment (rounded up), never below zero.
//! Pay-per-use and one-off licences refund nothing; supervised purchases before their
//! flow completes are negotiated on the flow instead, and after it completes they have no
//! unconditional window (only the pro-rata refund).

use serde::{Deserialize, Serialize};
use time::{Duration, OffsetDateTime};

use crate::catalog::BillingMode;
use crate::ids::{AppId, OrderId};
use crate::money::Money;
use crate::payment::PaymentChannel;

stable_names!(UnsubscriptionRule);

/// The unconditional window after each payment.
pub const FULL_REFUND_WINDOW: Duration = Duration::days(5);
/// The handling fee on a pro-rata refund, in percent of the payment.
pub const HANDLING_FEE_PERCENT: i64 = 5;

/// Which rule a leaving buyer gets.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, strum::EnumString, strum::IntoStaticStr)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "sqlx", derive(sqlx::Type), sqlx(type_name = "text", rename_all = "snake_case"))]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum UnsubscriptionRule {
    /// A fixed-period product that is not supervised: each payment in full within 5 days of
    /// it, else its unused time less the fee.
    WindowThenProRata,
    /// A supervised product whose flow completed: the unused time less the fee.
    ProRata,
    /// Pay-per-use and one-off purchases: the app stops, nothing is refunded.
    NothingToRefund,
    /// A supervised product before its flow completes: agreed on the flow's timeline.
    Negotiated,
}

/// The rule for a purchase with `billing_mode`; `supervised_in_flow` when it is supervised
/// and its flow has not completed yet.
pub fn unsubscription_rule(
    billing_mode: BillingMode,
    supervised: bool,
    supervised_in_flow: bool,
) -> UnsubscriptionRule {
    match (billing_mode, supervised, supervised_in_flow) {
        (_, true, true) => UnsubscriptionRule::Negotiated,
        (BillingMode::YearlyMonthly, false, _) => UnsubscriptionRule::WindowThenProRata,
        (BillingMode::YearlyMonthly, true, false) => UnsubscriptionRule::ProRata,
        (BillingMode::PayPerUse | BillingMode::OneOff, _, _) => UnsubscriptionRule::NothingToRefund,
    }
}

/// One payment for an app and the term it bought.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PaidTerm {
    /// The order that paid: the purchase itself or one of its renewals.
    pub order_id: OrderId,
    /// Where the money came from, and so where a refund goes.
    pub channel: PaymentChannel,
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

/// The whole quote: one line per payment, and the sums.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RefundQuote {
    pub lines: Vec<TermRefund>,
    pub paid: Money,
    pub used: Money,
    pub fee: Money,
    pub refund: Money,
}

/// The refund of one payment at `now` under `rule` (only `WindowThenProRata` has the
/// 5-day window; `NothingToRefund` and `Negotiated` refund nothing here).
pub fn term_refund(term: PaidTerm, rule: UnsubscriptionRule, now: OffsetDateTime) -> TermRefund {
    let amount = term.amount;
    let zero = Money::zero(amount.currency);
    match rule {
        UnsubscriptionRule::WindowThenProRata | UnsubscriptionRule::ProRata => {}
        UnsubscriptionRule::NothingToRefund | UnsubscriptionRule::Negotiated => {
            return TermRefund { term, in_full: false, used: amount, fee: zero, refund: zero };
        }
    }
    if rule == UnsubscriptionRule::WindowThenProRata && now < term.paid_at + FULL_REFUND_WINDOW {
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

/// The refund for leaving an app whose payments are `terms` (all in `currency`), at `now`.
pub fn refund_quote(
    terms: &[PaidTerm],
    rule: UnsubscriptionRule,
    currency: crate::money::Currency,
    now: OffsetDateTime,
) -> RefundQuote {
    let lines: Vec<TermRefund> = terms.iter().map(|term| term_refund(*term, rule, now)).collect();
    let sum = |part: fn(&TermRefund) -> i64| Money::new(lines.iter().map(part).sum(), currency);
    RefundQuote {
        paid: sum(|line| line.term.amount.amount_minor),
        used: sum(|line| line.used.amount_minor),
        fee: sum(|line| line.fee.amount_minor),
        refund: sum(|line| line.refund.amount_minor),
        lines,
    }
}

/// What leaving app `app_id` now would do: the rule, the refund broken down per payment,
/// and where it goes. The buyer confirms with `refund`; the server recomputes it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UnsubscriptionQuote {
    pub app_id: AppId,
    pub product_name: String,
    pub sku_name: String,
    pub billing_mode: BillingMode,
    pub rule: UnsubscriptionRule,
    #[serde(flatten)]
    pub refund: RefundQuote,
    /// Reseller customers: the refund is a reference amount settled with this reseller.
    pub reseller_name: Option<String>,
    /// The end of the current term, which stops now instead (apps with a term).
    #[serde(with = "time::serde::rfc3339::option")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, format = DateTime))]
    pub expires_at: Option<OffsetDateTime>,
    #[serde(with = "time::serde::rfc3339")]
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub quoted_at: OffsetDateTime,
}

/// `POST …/unsubscribe`: the refund the buyer saw and agrees to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct UnsubscribeRequest {
    pub refund: Money,
}

/// One refund an unsubscription made.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RefundMade {
    pub order_id: OrderId,
    pub order_number: String,
    pub channel: PaymentChannel,
    /// Card refunds: the card's brand and last four digits.
    pub card_label: Option<String>,
    pub amount: Money,
}

/// A done unsubscription: when, what came back and where to. The purchase's order page
/// shows it; `POST …/unsubscribe` answers with it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Unsubscription {
    pub app_id: AppId,
    pub rule: UnsubscriptionRule,
    pub refund: Money,
    pub refunds: Vec<RefundMade>,
    #[serde(with = "time::serde::rfc3339")]
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub unsubscribed_at: OffsetDateTime,
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

    const WINDOW: UnsubscriptionRule = UnsubscriptionRule::WindowThenProRata;

    fn paid(order: i64, amount: i64, paid_at: OffsetDateTime, starts_at: OffsetDateTime, months: u32) -> PaidTerm {
        PaidTerm {
            order_id: OrderId(order),
            channel: PaymentChannel::Balance,
            amount: yuan(amount),
            paid_at,
            starts_at,
            ends_at: term_end(starts_at, months),
        }
    }

    fn month_from(paid_at: OffsetDateTime, amount: i64) -> PaidTerm {
        paid(1, amount, paid_at, paid_at, 1)
    }

    fn quote(terms: &[PaidTerm], now: OffsetDateTime) -> RefundQuote {
        refund_quote(terms, WINDOW, Currency::CNY, now)
    }

    #[test]
    fn the_five_day_window_is_exact_to_the_second() {
        let paid = datetime!(2026-03-01 00:00 UTC);
        let term = month_from(paid, 31_000);
        assert!(term_refund(term, WINDOW, paid + Duration::days(5) - Duration::seconds(1)).in_full);
        let after = term_refund(term, WINDOW, paid + Duration::days(5));
        assert!(!after.in_full);
        // March has 31 days: 26 unused of 31, less 5 % of 310.00.
        assert_eq!(after.refund, yuan(26_000 - 1_550));
        assert_eq!(after.fee, yuan(1_550));
        assert_eq!(after.used, yuan(5_000));
    }

    #[test]
    fn a_used_up_term_refunds_nothing_and_charges_no_fee() {
        let paid = datetime!(2026-03-01 00:00 UTC);
        let line = term_refund(month_from(paid, 31_000), WINDOW, datetime!(2026-04-02 00:00 UTC));
        assert_eq!((line.refund, line.fee, line.used), (yuan(0), yuan(0), yuan(31_000)));
    }

    #[test]
    fn a_renewal_has_its_own_five_days() {
        let bought = datetime!(2026-03-01 00:00 UTC);
        let first = month_from(bought, 31_000);
        let renewed_at = datetime!(2026-03-20 00:00 UTC);
        let second = paid(2, 30_000, renewed_at, first.ends_at, 1);
        let quote = quote(&[first, second], renewed_at + Duration::days(2));
        assert!(!quote.lines[0].in_full && quote.lines[1].in_full);
        assert_eq!(quote.lines[1].refund, yuan(30_000));
        assert_eq!(quote.paid, yuan(61_000));
        assert_eq!(quote.refund.amount_minor, quote.lines[0].refund.amount_minor + 30_000);
    }

    fn term_strategy() -> impl Strategy<Value = PaidTerm> {
        (946_684_800i64..4_000_000_000, 1u32..37, 0i64..10_000_000).prop_map(|(at, months, amount)| {
            let paid_at = OffsetDateTime::from_unix_timestamp(at).unwrap();
            paid(1, amount, paid_at, paid_at, months)
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(500))]

        /// 0 ≤ refund ≤ paid, used + fee + refund never exceeds the payment (rounding never
        /// creates money), and waiting never refunds more.
        #[test]
        fn refunds_stay_within_what_was_paid_and_only_shrink(term in term_strategy(), a in 0i64..(4 * 365 * 86_400), b in 0i64..(4 * 365 * 86_400)) {
            let (early, late) = (term.paid_at + Duration::seconds(a.min(b)), term.paid_at + Duration::seconds(a.max(b)));
            let (first, second) = (term_refund(term, WINDOW, early), term_refund(term, WINDOW, late));
            for line in [first, second] {
                prop_assert!(line.refund.amount_minor >= 0 && line.refund.amount_minor <= term.amount.amount_minor);
                prop_assert!(line.used.amount_minor + line.fee.amount_minor + line.refund.amount_minor <= term.amount.amount_minor);
            }
            prop_assert!(second.refund.amount_minor <= first.refund.amount_minor);
        }

        /// A purchase and its renewal: the quote's parts add up, each payment keeps its own
        /// 5 days to the second, and the sum never exceeds what was paid.
        #[test]
        fn renewals_each_have_their_own_window(first in term_strategy(), renewal_after in 0i64..(30 * 86_400), offset in -2i64..3, amount in 0i64..10_000_000) {
            let renewed_at = first.paid_at + Duration::seconds(renewal_after);
            let second = paid(2, amount, renewed_at, first.ends_at, 1);
            let now = renewed_at + FULL_REFUND_WINDOW + Duration::seconds(offset);
            let quote = quote(&[first, second], now);
            prop_assert_eq!(quote.lines[1].in_full, offset < 0);
            prop_assert_eq!(quote.paid.amount_minor, first.amount.amount_minor + amount);
            prop_assert!(quote.refund.amount_minor <= quote.paid.amount_minor);
            prop_assert!(quote.used.amount_minor + quote.fee.amount_minor + quote.refund.amount_minor <= quote.paid.amount_minor);
            prop_assert_eq!(quote.refund.amount_minor, quote.lines.iter().map(|line| line.refund.amount_minor).sum::<i64>());
        }
    }

    #[test]
    fn the_rule_follows_billing_mode_and_supervision() {
        use BillingMode::*;
        assert_eq!(unsubscription_rule(YearlyMonthly, false, false), UnsubscriptionRule::WindowThenProRata);
        assert_eq!(unsubscription_rule(YearlyMonthly, true, false), UnsubscriptionRule::ProRata);
        assert_eq!(unsubscription_rule(YearlyMonthly, true, true), UnsubscriptionRule::Negotiated);
        assert_eq!(unsubscription_rule(OneOff, true, true), UnsubscriptionRule::Negotiated);
        assert_eq!(unsubscription_rule(PayPerUse, false, false), UnsubscriptionRule::NothingToRefund);
        assert_eq!(unsubscription_rule(OneOff, false, false), UnsubscriptionRule::NothingToRefund);
    }

    #[test]
    fn a_completed_supervised_purchase_has_no_five_day_window() {
        let paid_at = datetime!(2026-03-01 00:00 UTC);
        let line = term_refund(month_from(paid_at, 31_000), UnsubscriptionRule::ProRata, paid_at + Duration::days(1));
        assert!(!line.in_full);
        // 30 of 31 days unused, less 5 %.
        assert_eq!(line.refund, yuan(30_000 - 1_550));
    }

    #[test]
    fn nothing_to_refund_refunds_nothing_even_on_day_one() {
        let paid_at = datetime!(2026-03-01 00:00 UTC);
        let quote =
            refund_quote(&[month_from(paid_at, 31_000)], UnsubscriptionRule::NothingToRefund, Currency::CNY, paid_at);
        assert_eq!((quote.refund, quote.fee, quote.paid), (yuan(0), yuan(0), yuan(31_000)));
    }

    #[test]
    fn the_readme_worked_example() {
        // README "Unsubscription": 299.00 for one month paid 1 March 10:00, left on 20 March
        // 10:00 — 12 of 31 days unused.
        let paid_at = datetime!(2026-03-01 10:00 UTC);
        let line = term_refund(month_from(paid_at, 29_900), WINDOW, datetime!(2026-03-20 10:00 UTC));
        // 29 900 × 12/31 = 11 574.19… → 11 574; fee ⌈1 495⌉ = 1 495; refund 10 079.
        assert_eq!((line.used, line.fee, line.refund), (yuan(29_900 - 11_574), yuan(1_495), yuan(10_079)));
    }
}
