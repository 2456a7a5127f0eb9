//! Every edge of the trial rules at ±1 s, and their invariants over random instants.

use proptest::prelude::*;
use time::macros::datetime;

use super::*;

const SECOND: Duration = Duration::seconds(1);

fn offer(days: Option<i64>) -> TrialOffer {
    TrialOffer { trial_days: days, supervised: false, billing_mode: BillingMode::YearlyMonthly }
}

#[test]
fn a_trial_lasts_3_to_180_days() {
    let start = datetime!(2026-12-05 10:15:30 UTC);
    assert_eq!(trial_length(2), None);
    assert_eq!(trial_length(3), Some(Duration::days(3)));
    assert_eq!(trial_length(180), Some(Duration::days(180)));
    assert_eq!(trial_length(181), None);
    assert_eq!(trial_length(-14), None);
    assert_eq!(trial_ends_at(start, 14), Some(datetime!(2026-12-19 10:15:30 UTC)));
    assert_eq!(trial_ends_at(start, 0), None);
}

#[test]
fn a_trial_is_frozen_at_its_end_and_released_7_days_later() {
    let ends = datetime!(2026-12-19 10:15:30 UTC);
    assert_eq!(TrialPhase::at(ends - SECOND, ends - Duration::days(14)), TrialPhase::Trial);
    assert_eq!(TrialPhase::at(ends, ends - SECOND), TrialPhase::Trial);
    assert_eq!(TrialPhase::at(ends, ends), TrialPhase::Frozen);
    let released = ends + Duration::days(7);
    assert_eq!(trial_released_at(ends), released);
    assert_eq!(TrialPhase::at(ends, released - SECOND), TrialPhase::Frozen);
    assert_eq!(TrialPhase::at(ends, released), TrialPhase::Released);
    assert!(TrialPhase::Trial.is_usable());
    assert!(!TrialPhase::Frozen.is_usable());
    assert!(TrialPhase::Frozen.is_convertible());
    assert!(!TrialPhase::Released.is_convertible());
}

#[test]
fn a_converted_term_starts_at_the_trials_end_or_at_a_later_payment() {
    let ends = datetime!(2026-12-19 10:15:30 UTC);
    // Paid during the trial: the month starts when the trial ends.
    assert_eq!(converted_term_starts_at(ends, ends - Duration::days(10)), ends);
    assert_eq!(converted_term_starts_at(ends, ends - SECOND), ends);
    assert_eq!(converted_expiry(ends, ends - Duration::days(10), 1), datetime!(2027-01-19 10:15:30 UTC));
    // Paid at the end or while Frozen: from the payment (no Frozen day is paid for).
    assert_eq!(converted_term_starts_at(ends, ends), ends);
    assert_eq!(converted_term_starts_at(ends, ends + SECOND), ends + SECOND);
    let paid = ends + Duration::days(3);
    assert_eq!(converted_expiry(ends, paid, 12), datetime!(2027-12-22 10:15:30 UTC));
}

#[test]
fn eligibility_says_why_not_the_products_reasons_first() {
    let used = datetime!(2026-11-03 08:00 UTC);
    assert_eq!(trial_eligibility(offer(Some(14)), None), Ok(Duration::days(14)));
    let reason = |offer, earlier| trial_eligibility(offer, earlier).unwrap_err().reason;
    assert_eq!(reason(offer(None), None), TrialRefusalReason::NoTrial);
    assert_eq!(reason(offer(Some(1)), None), TrialRefusalReason::NoTrial);
    let supervised = TrialOffer { supervised: true, ..offer(Some(14)) };
    assert_eq!(reason(supervised, Some(used)), TrialRefusalReason::Supervised);
    for mode in [BillingMode::PayPerUse, BillingMode::OneOff] {
        let other = TrialOffer { billing_mode: mode, ..offer(Some(14)) };
        assert_eq!(reason(other, None), TrialRefusalReason::NotYearlyMonthly);
    }
    assert_eq!(
        trial_eligibility(offer(Some(14)), Some(used)),
        Err(TrialRefusal { reason: TrialRefusalReason::AlreadyUsed, used_on: Some(used) })
    );
}

#[test]
fn reminders_fall_due_7_3_and_1_days_before_the_end_then_at_it_and_at_release() {
    let started = datetime!(2026-12-01 09:00 UTC);
    let ends = started + Duration::days(14);
    let due = |last, now| trial_reminders_due(started, ends, last, now).collect::<Vec<_>>();
    let seven = ends - Duration::days(7);
    assert_eq!(due(None, seven - SECOND), []);
    assert_eq!(due(None, seven), [TrialReminder::EndsIn7Days]);
    assert_eq!(due(Some(TrialReminder::EndsIn7Days), seven + Duration::days(1)), []);
    // Back from an outage after the end: everything missed, in order, each once.
    assert_eq!(
        due(Some(TrialReminder::EndsIn7Days), ends),
        [TrialReminder::EndsIn3Days, TrialReminder::EndsIn1Day, TrialReminder::Ended]
    );
    assert_eq!(due(Some(TrialReminder::Ended), trial_released_at(ends) - SECOND), []);
    assert_eq!(due(Some(TrialReminder::Ended), trial_released_at(ends)), [TrialReminder::Released]);
    assert_eq!(due(Some(TrialReminder::Released), ends + Duration::days(100)), []);
}

#[test]
fn a_short_trial_gets_no_reminder_from_before_it_started() {
    let started = datetime!(2026-12-01 09:00 UTC);
    let ends = started + Duration::days(5);
    let due: Vec<_> = trial_reminders_due(started, ends, None, ends - Duration::days(3)).collect();
    assert_eq!(due, [TrialReminder::EndsIn3Days]);
    let ends = started + Duration::days(3);
    let due: Vec<_> = trial_reminders_due(started, ends, None, started).collect();
    assert_eq!(due, [TrialReminder::EndsIn3Days]);
}

#[test]
fn stable_names_round_trip() {
    for kind in TrialReminder::ALL {
        assert_eq!(kind.as_str().parse::<TrialReminder>(), Ok(kind));
        assert_eq!(serde_json::to_value(kind).unwrap(), kind.as_str());
    }
    assert_eq!(TrialReminder::EndsIn1Day.as_str(), "ends_in_1_day");
    assert_eq!(TrialRefusalReason::AlreadyUsed.as_str(), "already_used");
    assert_eq!(TrialPhase::Frozen.as_str(), "frozen");
}

fn instant() -> impl Strategy<Value = OffsetDateTime> {
    (1_700_000_000i64..2_000_000_000).prop_map(|seconds| OffsetDateTime::from_unix_timestamp(seconds).unwrap())
}

proptest! {
    /// Converting never loses a trial day nor adds one: the paid term is exactly its
    /// months long and starts no earlier than the trial's end and no earlier than the payment.
    #[test]
    fn a_conversion_never_loses_or_adds_a_day(
        started in instant(), days in 3i64..=180, paid_offset in -200i64 * 86_400..30 * 86_400, months in 1u32..=36,
    ) {
        let ends = trial_ends_at(started, days).unwrap();
        let paid = ends + Duration::seconds(paid_offset);
        let start = converted_term_starts_at(ends, paid);
        prop_assert!(start >= ends && start >= paid);
        prop_assert!(start == ends || start == paid);
        prop_assert_eq!(converted_expiry(ends, paid, months), add_months(start, months));
        // Paying earlier during the trial changes nothing.
        if paid <= ends {
            prop_assert_eq!(converted_expiry(ends, started, months), converted_expiry(ends, paid, months));
        }
    }

    /// Once a buyer has had a product's trial, no product setting or later instant lets
    /// them have it again.
    #[test]
    fn eligibility_is_monotonic(days in proptest::option::of(0i64..400), supervised: bool, mode in 0usize..3, used in instant()) {
        let offer = TrialOffer { trial_days: days, supervised, billing_mode: BillingMode::ALL[mode] };
        prop_assert!(trial_eligibility(offer, Some(used)).is_err());
        if trial_eligibility(offer, None).is_err() {
            prop_assert!(trial_eligibility(offer, Some(used)).is_err());
        }
    }

    /// The phase only moves forward, and it is Trial exactly before the end.
    #[test]
    fn the_phase_only_moves_forward(ends in instant(), offsets in prop::collection::vec(-30i64 * 86_400..30 * 86_400, 2..20)) {
        let mut offsets = offsets;
        offsets.sort_unstable();
        let phases: Vec<TrialPhase> = offsets.iter().map(|o| TrialPhase::at(ends, ends + Duration::seconds(*o))).collect();
        prop_assert!(phases.windows(2).all(|pair| pair[0] <= pair[1]));
        for (offset, phase) in offsets.iter().zip(&phases) {
            prop_assert_eq!(*phase == TrialPhase::Trial, *offset < 0);
        }
    }

    /// However the sweeps are spread, each reminder is sent at most once and in order.
    #[test]
    fn each_reminder_is_sent_once_in_order(started in instant(), days in 3i64..=30, sweeps in prop::collection::vec(0i64..60 * 86_400, 1..30)) {
        let ends = trial_ends_at(started, days).unwrap();
        let mut sweeps = sweeps;
        sweeps.sort_unstable();
        let mut sent: Vec<TrialReminder> = Vec::new();
        for offset in sweeps {
            sent.extend(trial_reminders_due(started, ends, sent.last().copied(), started + Duration::seconds(offset)));
        }
        prop_assert!(sent.windows(2).all(|pair| pair[0] < pair[1]));
    }
}

#[test]
fn an_unconverted_trial_has_no_grace_and_is_released_seven_days_after_its_end() {
    let ends = datetime!(2026-12-10 12:00 UTC);
    let second = time::Duration::seconds(1);
    assert_eq!(app_phase(Some(ends), true, ends - second), Phase::Active);
    assert_eq!(app_phase(Some(ends), true, ends), Phase::Frozen);
    assert_eq!(app_phase(Some(ends), true, ends + TRIAL_FROZEN_FOR - second), Phase::Frozen);
    assert_eq!(app_phase(Some(ends), true, ends + TRIAL_FROZEN_FOR), Phase::Released);
    // Converted (or never a trial): the term's own phases, with grace.
    assert_eq!(app_phase(Some(ends), false, ends), Phase::Grace);
    assert_eq!(app_phase(None, true, ends), Phase::Active);
}

#[test]
fn the_standing_answers_for_the_sku_picked() {
    let used_on = datetime!(2026-11-03 09:00 UTC);
    let fresh = TrialStanding { trial_days: Some(14), supervised: false, used_on: None };
    assert_eq!(fresh.eligibility(BillingMode::YearlyMonthly), Ok(time::Duration::days(14)));
    assert_eq!(fresh.eligibility(BillingMode::PayPerUse).unwrap_err().reason, TrialRefusalReason::NotYearlyMonthly);
    let used = TrialStanding { used_on: Some(used_on), ..fresh };
    let refusal = used.eligibility(BillingMode::YearlyMonthly).unwrap_err();
    assert_eq!((refusal.reason, refusal.used_on), (TrialRefusalReason::AlreadyUsed, Some(used_on)));
}
