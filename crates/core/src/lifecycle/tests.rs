//! Every edge of the lifecycle rules at ±1 s, and their invariants over random instants.

use proptest::prelude::*;
use time::macros::datetime;

use super::*;

const SECOND: Duration = Duration::seconds(1);

#[test]
fn months_are_calendar_months_clamped_to_the_month_end() {
    assert_eq!(add_months(datetime!(2026-01-31 10:00 UTC), 1), datetime!(2026-02-28 10:00 UTC));
    assert_eq!(add_months(datetime!(2028-01-31 10:00 UTC), 1), datetime!(2028-02-29 10:00 UTC));
    assert_eq!(add_months(datetime!(2026-03-31 00:00 UTC), 1), datetime!(2026-04-30 00:00 UTC));
    assert_eq!(add_months(datetime!(2026-11-15 08:30:05 UTC), 2), datetime!(2027-01-15 08:30:05 UTC));
    assert_eq!(add_months(datetime!(2026-12-31 23:59:59 UTC), 12), datetime!(2027-12-31 23:59:59 UTC));
    assert_eq!(add_months(datetime!(2028-02-29 12:00 UTC), 12), datetime!(2029-02-28 12:00 UTC));
    assert_eq!(add_months(datetime!(2026-05-20 12:00 UTC), 36), datetime!(2029-05-20 12:00 UTC));
    assert_eq!(add_months(datetime!(2026-05-20 12:00 UTC), 0), datetime!(2026-05-20 12:00 UTC));
}

#[test]
fn a_term_starts_at_payment() {
    let placed = datetime!(2026-01-01 09:00 UTC);
    let paid = placed + Duration::days(30);
    // Paid on 31 January: the month runs to the end of February.
    assert_eq!(term_end(paid, 1), datetime!(2026-02-28 09:00 UTC));
    assert!(term_end(paid, 1) > term_end(placed, 1));
}

#[test]
fn each_phase_begins_at_its_instant_and_not_a_second_before() {
    let expires = datetime!(2026-06-30 12:00 UTC);
    let phase = |at| Phase::at(Some(expires), at);
    assert_eq!(phase(expires - SECOND), Phase::Active);
    assert_eq!(phase(expires), Phase::Grace);
    let frozen = expires + Duration::days(15);
    assert_eq!(grace_ends_at(expires), frozen);
    assert_eq!(phase(frozen - SECOND), Phase::Grace);
    assert_eq!(phase(frozen), Phase::Frozen);
    let released = expires + Duration::days(30);
    assert_eq!(released_at(expires), released);
    assert_eq!(phase(released - SECOND), Phase::Frozen);
    assert_eq!(phase(released), Phase::Released);
    assert_eq!(Phase::at(None, released + Duration::days(9999)), Phase::Active);
    assert!(Phase::Grace.is_usable() && !Phase::Frozen.is_usable());
    assert!(Phase::Frozen.is_renewable() && !Phase::Released.is_renewable());
}

#[test]
fn a_renewal_extends_from_the_old_expiry_whatever_the_phase() {
    let expires = datetime!(2026-01-31 00:00 UTC);
    // Renewed early, in Grace or in Frozen: the same new end, no free and no lost days.
    assert_eq!(renewed_expiry(expires, 1), datetime!(2026-02-28 00:00 UTC));
    assert_eq!(renewed_expiry(expires, 12), datetime!(2027-01-31 00:00 UTC));
}

#[test]
fn reminders_fall_due_at_their_instants() {
    let expires = datetime!(2026-06-30 12:00 UTC);
    // The latest reminder due at each instant (none sent yet).
    let due = |at| reminders_due(expires, None, at).last();
    let seven = expires - Duration::days(7);
    assert_eq!(due(seven - SECOND), None);
    assert_eq!(due(seven), Some(ReminderKind::ExpiresIn7Days));
    let three = expires - Duration::days(3);
    assert_eq!(due(three - SECOND), Some(ReminderKind::ExpiresIn7Days));
    assert_eq!(due(three), Some(ReminderKind::ExpiresIn3Days));
    let one = expires - Duration::days(1);
    assert_eq!(due(one - SECOND), Some(ReminderKind::ExpiresIn3Days));
    assert_eq!(due(one), Some(ReminderKind::ExpiresIn1Day));
    assert_eq!(due(expires - SECOND), Some(ReminderKind::ExpiresIn1Day));
    assert_eq!(due(expires), Some(ReminderKind::Expired));
    let frozen = grace_ends_at(expires);
    assert_eq!(due(frozen - SECOND), Some(ReminderKind::Expired));
    assert_eq!(due(frozen), Some(ReminderKind::Frozen));
    let warning = released_at(expires) - Duration::days(2);
    assert_eq!(due(warning - SECOND), Some(ReminderKind::Frozen));
    assert_eq!(due(warning), Some(ReminderKind::ReleasesIn2Days));
    assert_eq!(due(released_at(expires) - SECOND), Some(ReminderKind::ReleasesIn2Days));
    assert_eq!(due(released_at(expires)), Some(ReminderKind::Released));
}

#[test]
fn a_sweeper_back_from_an_outage_sends_every_reminder_that_fell_due_in_order() {
    let expires = datetime!(2026-06-30 12:00 UTC);
    let due = |last, at| reminders_due(expires, last, at).collect::<Vec<_>>();
    use ReminderKind::*;
    // Down from before the first reminder until 28 days after expiry.
    assert_eq!(
        due(None, expires + Duration::days(28)),
        [ExpiresIn7Days, ExpiresIn3Days, ExpiresIn1Day, Expired, Frozen, ReleasesIn2Days]
    );
    // Down after the 7-day reminder until the freeze, to the second.
    assert_eq!(due(Some(ExpiresIn7Days), grace_ends_at(expires)), [ExpiresIn3Days, ExpiresIn1Day, Expired, Frozen]);
    assert_eq!(due(Some(ExpiresIn7Days), grace_ends_at(expires) - SECOND), [ExpiresIn3Days, ExpiresIn1Day, Expired]);
    // A jump of an hour past the 1-day reminder sends just that one.
    assert_eq!(due(Some(ExpiresIn3Days), expires - Duration::days(1) + Duration::hours(1)), [ExpiresIn1Day]);
    // Once released, nothing more is ever due.
    assert!(due(Some(Released), released_at(expires) + Duration::days(400)).is_empty());
    assert_eq!(due(Some(ReleasesIn2Days), released_at(expires) + Duration::days(400)), [Released]);
}

#[test]
fn auto_renew_tries_from_seven_days_before_and_then_daily_until_release() {
    let expires = datetime!(2026-06-30 12:00 UTC);
    let first = expires - Duration::days(7);
    assert!(!auto_renew_due(expires, None, first - SECOND));
    assert!(auto_renew_due(expires, None, first));
    assert!(!auto_renew_due(expires, Some(first), first + Duration::days(1) - SECOND));
    assert!(auto_renew_due(expires, Some(first), first + Duration::days(1)));
    let released = released_at(expires);
    assert!(auto_renew_due(expires, Some(released - Duration::days(2)), released - SECOND));
    assert!(!auto_renew_due(expires, Some(released - Duration::days(2)), released));
    assert!(!auto_renew_due(expires, None, released));
}

#[test]
fn an_unpaid_order_is_payable_for_seven_days_and_reminded_on_the_last() {
    let placed = datetime!(2026-06-01 08:00 UTC);
    let cancel = placed + Duration::days(7);
    assert_eq!(unpaid_cancel_at(placed), cancel);
    assert!(unpaid_order_payable(placed, cancel - SECOND));
    assert!(!unpaid_order_payable(placed, cancel));
    let remind = cancel - Duration::days(1);
    assert!(!unpaid_reminder_due(placed, remind - SECOND));
    assert!(unpaid_reminder_due(placed, remind));
    assert!(unpaid_reminder_due(placed, cancel - SECOND));
    assert!(!unpaid_reminder_due(placed, cancel));
}

#[test]
fn only_terms_renew_and_for_the_allowed_periods() {
    assert_eq!(renewal_periods(BillingMode::YearlyMonthly), RENEWAL_PERIODS_MONTHS);
    assert!(renewal_periods(BillingMode::PayPerUse).is_empty());
    assert!(renewal_periods(BillingMode::OneOff).is_empty());
    assert!(!RENEWAL_PERIODS_MONTHS.contains(&13) && !RENEWAL_PERIODS_MONTHS.contains(&0));
}

#[test]
fn wire_names_keep_the_numbers_apart() {
    assert_eq!(RenewalFilter::Within7Days.as_str(), "within_7_days");
    assert_eq!("within_30_days".parse::<RenewalFilter>().unwrap(), RenewalFilter::Within30Days);
    assert_eq!(serde_json::to_string(&RenewalFilter::Within15Days).unwrap(), r#""within_15_days""#);
    assert_eq!(ReminderKind::ExpiresIn1Day.as_str(), "expires_in_1_day");
    assert_eq!(serde_json::to_string(&ReminderKind::ReleasesIn2Days).unwrap(), r#""releases_in_2_days""#);
}

#[test]
fn days_until_rounds_up_while_ahead() {
    let now = datetime!(2026-06-01 00:00 UTC);
    assert_eq!(days_until(now + Duration::days(3), now), 3);
    assert_eq!(days_until(now + Duration::days(2) + Duration::hours(1), now), 3);
    assert_eq!(days_until(now + SECOND, now), 1);
    assert_eq!(days_until(now, now), 0);
    assert_eq!(days_until(now - Duration::days(2), now), -2);
}

#[test]
fn filters_split_the_timeline_at_the_phase_edges() {
    let expires = datetime!(2026-06-30 12:00 UTC);
    let within_7 = RenewalFilter::Within7Days;
    assert!(!within_7.admits(expires, expires - Duration::days(7) - SECOND));
    assert!(within_7.admits(expires, expires - Duration::days(7)));
    assert!(within_7.admits(expires, expires - SECOND));
    assert!(!within_7.admits(expires, expires));
    assert!(RenewalFilter::Expired.admits(expires, expires));
    assert!(!RenewalFilter::Frozen.admits(expires, grace_ends_at(expires) - SECOND));
    assert!(RenewalFilter::Frozen.admits(expires, grace_ends_at(expires)));
    assert!(!RenewalFilter::Expired.admits(expires, released_at(expires)));
    // The database bounds agree with the filters one second either side of every edge.
    let now = datetime!(2026-06-01 00:00 UTC);
    for edge_days in [-30, -15, 0, 7, 15, 30] {
        for nudge in [-1, 0, 1] {
            let expires = now + Duration::days(edge_days) + Duration::seconds(nudge);
            for filter in RenewalFilter::ALL.map(Some).into_iter().chain([None]) {
                let (after, up_to) = RenewalFilter::expiry_bounds(filter, now);
                let in_bounds = expires > after && up_to.is_none_or(|up_to| expires <= up_to);
                let admitted =
                    filter.map_or(Phase::at(Some(expires), now) != Phase::Released, |f| f.admits(expires, now));
                assert_eq!(in_bounds, admitted, "{filter:?} at {edge_days} d {nudge} s");
            }
        }
    }
}

fn instant() -> impl Strategy<Value = OffsetDateTime> {
    // 2000 to 2100, to the second.
    (946_684_800i64..4_102_444_800).prop_map(|seconds| OffsetDateTime::from_unix_timestamp(seconds).unwrap())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(500))]

    /// A renewal never shortens a term, and a longer one never ends sooner.
    #[test]
    fn a_renewal_never_shortens_a_term(expires in instant(), a in 0usize..14, b in 0usize..14) {
        let (shorter, longer) = (RENEWAL_PERIODS_MONTHS[a.min(b)], RENEWAL_PERIODS_MONTHS[a.max(b)]);
        prop_assert!(renewed_expiry(expires, shorter) > expires);
        prop_assert!(renewed_expiry(expires, longer) >= renewed_expiry(expires, shorter));
        // At least 28 days a month, at most 31.
        let days = (renewed_expiry(expires, shorter) - expires).whole_days();
        prop_assert!(days >= 28 * i64::from(shorter) - 3 && days <= 31 * i64::from(shorter));
    }

    /// Phases only move forward as time passes.
    #[test]
    fn phases_are_monotonic_in_time(expires in instant(), offsets in prop::collection::vec(-40i64 * 86_400..40 * 86_400, 2..20)) {
        let mut offsets = offsets;
        offsets.sort_unstable();
        let phases: Vec<Phase> = offsets.iter().map(|offset| Phase::at(Some(expires), expires + Duration::seconds(*offset))).collect();
        prop_assert!(phases.windows(2).all(|pair| pair[0] <= pair[1]), "{phases:?}");
    }

    /// A sweeper that looks at any times at all — every few seconds, or after outages of
    /// weeks — and sends what `reminders_due` names after the last one it sent, sends every
    /// reminder exactly once, in the order they fall due, none before its time.
    #[test]
    fn every_reminder_fires_once_in_order_whatever_the_gaps(
        expires in instant(),
        gaps in prop::collection::vec(1i64..40 * 86_400, 1..400),
    ) {
        let mut now = expires - Duration::days(8);
        let mut sent: Vec<(ReminderKind, OffsetDateTime)> = Vec::new();
        for gap in gaps.iter().chain(std::iter::once(&(40 * 86_400))) {
            let last = sent.last().map(|(kind, _)| *kind);
            sent.extend(reminders_due(expires, last, now).map(|kind| (kind, now)));
            now += Duration::seconds(*gap);
        }
        let last = sent.last().map(|(kind, _)| *kind);
        sent.extend(reminders_due(expires, last, now).map(|kind| (kind, now)));
        let kinds: Vec<ReminderKind> = sent.iter().map(|(kind, _)| *kind).collect();
        prop_assert_eq!(kinds, ReminderKind::ALL.to_vec());
        prop_assert!(sent.iter().all(|(kind, at)| kind.due_at(expires) <= *at));
    }

    /// However often the sweeper looks, auto-renew tries at most once a day.
    #[test]
    fn auto_renew_tries_at_most_daily(expires in instant(), gaps in prop::collection::vec(1i64..20_000, 50..300)) {
        let mut now = expires - Duration::days(8);
        let mut attempts: Vec<OffsetDateTime> = Vec::new();
        for gap in gaps {
            if auto_renew_due(expires, attempts.last().copied(), now) {
                attempts.push(now);
            }
            now += Duration::seconds(gap);
        }
        prop_assert!(attempts.windows(2).all(|pair| pair[1] - pair[0] >= AUTO_RENEW_RETRY));
        prop_assert!(attempts.iter().all(|at| *at >= expires - AUTO_RENEW_LEAD && *at < released_at(expires)));
    }

    /// The database bounds of each filter admit exactly the apps the filter admits.
    #[test]
    fn filter_bounds_agree_with_the_filters(now in instant(), offset in -40i64 * 86_400..40 * 86_400, which in 0usize..6) {
        let expires = now + Duration::seconds(offset);
        let filter = RenewalFilter::ALL.get(which).copied();
        let (after, up_to) = RenewalFilter::expiry_bounds(filter, now);
        let in_bounds = expires > after && up_to.is_none_or(|up_to| expires <= up_to);
        let admitted = match filter {
            Some(filter) => filter.admits(expires, now),
            None => Phase::at(Some(expires), now) != Phase::Released,
        };
        prop_assert_eq!(in_bounds, admitted);
    }
}
