//! The pay-per-use rules at their boundaries (±1 s) and their properties.

use proptest::prelude::*;
use time::macros::datetime;
use time::{Duration, OffsetDateTime};

use super::*;
use crate::money::Currency;

const SECOND: Duration = Duration::SECOND;

fn app() -> MeteredApp {
    MeteredApp {
        billing_mode: BillingMode::PayPerUse,
        dimension: DEFAULT_DIMENSION.to_owned(),
        started_at: datetime!(2026-11-01 08:30 UTC),
        ended_at: None,
    }
}

fn record(hour: &str, quantity: UsageQuantity) -> UsageRecordIn {
    UsageRecordIn { app_id: 1, dimension: None, quantity, hour: hour.to_owned() }
}

fn check_at(hour: &str, now: OffsetDateTime) -> Result<CheckedRecord, UsageRefusal> {
    check_record(&record(hour, UsageQuantity::Whole(3)), Some(&app()), now)
}

#[test]
fn an_hour_is_accepted_from_its_start_until_a_day_after_its_end() {
    let hour = datetime!(2026-12-05 09:00 UTC);
    let text = "2026-12-05T09:00:00Z";
    assert_eq!(check_at(text, hour - SECOND), Err(UsageRefusal::FutureHour));
    assert!(check_at(text, hour).is_ok());
    let last = hour + Duration::HOUR + LATE_WINDOW;
    assert!(check_at(text, last - SECOND).is_ok());
    assert_eq!(check_at(text, last), Err(UsageRefusal::TooLate));
}

#[test]
fn hours_must_be_whole_utc_hours() {
    let now = datetime!(2026-12-05 12:00 UTC);
    assert_eq!(check_at("2026-12-05T09:30:00Z", now), Err(UsageRefusal::InvalidHour));
    assert_eq!(check_at("yesterday", now), Err(UsageRefusal::InvalidHour));
    // Another offset naming a whole UTC hour is the same hour.
    assert_eq!(check_at("2026-12-05T17:00:00+08:00", now).unwrap().hour, datetime!(2026-12-05 09:00 UTC));
}

#[test]
fn quantities_are_whole_and_not_negative() {
    let now = datetime!(2026-12-05 12:00 UTC);
    for bad in [
        UsageQuantity::Other(-1.0),
        UsageQuantity::Other(1.5),
        UsageQuantity::Whole(u64::MAX),
        UsageQuantity::Whole(MAX_QUANTITY as u64 + 1),
    ] {
        let refused = check_record(&record("2026-12-05T09:00:00Z", bad), Some(&app()), now);
        assert_eq!(refused, Err(UsageRefusal::InvalidQuantity), "{bad:?}");
    }
    let zero = check_record(&record("2026-12-05T09:00:00Z", UsageQuantity::Whole(0)), Some(&app()), now);
    assert_eq!(zero.unwrap().quantity, 0);
    let most =
        check_record(&record("2026-12-05T09:00:00Z", UsageQuantity::Whole(MAX_QUANTITY as u64)), Some(&app()), now);
    assert_eq!(most.unwrap().quantity, MAX_QUANTITY);
}

#[test]
fn quantities_parse_from_json_without_failing_the_body() {
    let parse = |text: &str| serde_json::from_str::<UsageQuantity>(text).unwrap().whole();
    assert_eq!(parse("7"), Some(7));
    assert_eq!(parse("-7"), None);
    assert_eq!(parse("7.5"), None);
}

#[test]
fn the_app_must_be_the_sellers_metered_and_live_in_that_hour() {
    let now = datetime!(2026-12-05 12:00 UTC);
    let hour = "2026-12-05T09:00:00Z";
    let quantity = UsageQuantity::Whole(1);
    assert_eq!(check_record(&record(hour, quantity), None, now), Err(UsageRefusal::UnknownApp));
    let monthly = MeteredApp { billing_mode: BillingMode::YearlyMonthly, ..app() };
    assert_eq!(check_record(&record(hour, quantity), Some(&monthly), now), Err(UsageRefusal::NotPayPerUse));
    // Ended during 09:xx: 09:00 is still its own, 10:00 is not.
    let ended = MeteredApp { ended_at: Some(datetime!(2026-12-05 09:10 UTC)), ..app() };
    assert!(check_record(&record(hour, quantity), Some(&ended), now).is_ok());
    assert_eq!(check_record(&record("2026-12-05T10:00:00Z", quantity), Some(&ended), now), Err(UsageRefusal::Ended));
    // Ended exactly at 10:00: 10:00 is refused, 09:00 kept.
    let at_hour = MeteredApp { ended_at: Some(datetime!(2026-12-05 10:00 UTC)), ..app() };
    assert_eq!(check_record(&record("2026-12-05T10:00:00Z", quantity), Some(&at_hour), now), Err(UsageRefusal::Ended));
    let young = MeteredApp { started_at: datetime!(2026-12-05 10:00 UTC), ..app() };
    assert_eq!(check_record(&record(hour, quantity), Some(&young), now), Err(UsageRefusal::BeforeStart));
    let started_in_hour = MeteredApp { started_at: datetime!(2026-12-05 09:59:59 UTC), ..app() };
    assert!(check_record(&record(hour, quantity), Some(&started_in_hour), now).is_ok());
    let mut other_dimension = record(hour, quantity);
    other_dimension.dimension = Some("api_calls".to_owned());
    assert_eq!(check_record(&other_dimension, Some(&app()), now), Err(UsageRefusal::UnknownDimension));
}

#[test]
fn standing_moves_to_frozen_at_24_hours_and_released_15_days_later() {
    let since = datetime!(2026-12-01 10:00 UTC);
    assert_eq!(UsageStanding::at(None, since), UsageStanding::Paid);
    assert_eq!(UsageStanding::at(Some(since), since), UsageStanding::Arrears);
    let frozen = since + Duration::hours(24);
    assert_eq!(UsageStanding::at(Some(since), frozen - SECOND), UsageStanding::Arrears);
    assert_eq!(UsageStanding::at(Some(since), frozen), UsageStanding::Frozen);
    let released = frozen + Duration::days(15);
    assert_eq!(UsageStanding::at(Some(since), released - SECOND), UsageStanding::Frozen);
    assert_eq!(UsageStanding::at(Some(since), released), UsageStanding::Released);
    assert_eq!(UsageStanding::Arrears.phase(), Phase::Active);
    assert_eq!(UsageStanding::Frozen.phase(), Phase::Frozen);
}

#[test]
fn cap_levels_at_80_and_100_percent() {
    assert_eq!(cap_level(799, 1_000), None);
    assert_eq!(cap_level(800, 1_000), Some(CapLevel::Warning));
    assert_eq!(cap_level(999, 1_000), Some(CapLevel::Warning));
    assert_eq!(cap_level(1_000, 1_000), Some(CapLevel::Reached));
    assert_eq!(chargeable(300, 900, Some(1_000)), 100);
    assert_eq!(chargeable(300, 1_000, Some(1_000)), 0);
    assert_eq!(chargeable(300, 900, None), 300);
}

#[test]
fn a_cap_may_not_go_below_the_months_spend() {
    assert!(check_cap(Some(500), 500).is_ok());
    assert!(check_cap(Some(499), 500).is_err());
    assert!(check_cap(Some(0), 0).is_err());
    assert!(check_cap(None, 10_000).is_ok());
}

#[test]
fn bills_close_on_the_third_after_the_late_window() {
    let november = parse_month_key("2026-11").unwrap();
    assert_eq!(november, datetime!(2026-11-01 0:00 UTC));
    assert_eq!(month_start(datetime!(2026-11-30 23:59:59 UTC)), november);
    assert_eq!(bill_closes_at(november), datetime!(2026-12-03 0:00 UTC));
    assert_eq!(month_key(november), "2026-11");
    // The last hour of the month is late at 2 December 01:00, before the bill closes.
    assert!(accepted_until(datetime!(2026-11-30 23:00 UTC)) <= bill_closes_at(november));
    assert_eq!(bill_closes_at(parse_month_key("2026-12").unwrap()), datetime!(2027-01-03 0:00 UTC));
    assert_eq!(parse_month_key("2026-13"), None);
    assert_eq!(parse_month_key("26-11"), None);
}

proptest! {
    /// A bill is the sum of its records, however they are grouped: rating rounds nothing.
    #[test]
    fn a_bill_is_the_sum_of_its_records(quantities in prop::collection::vec(0i64..10_000, 0..200),
                                        price in 0i64..100_000, bought in 1u32..50, split in 0usize..200) {
        let price = Money::new(price, Currency::CNY);
        let amounts: Vec<i64> = quantities.iter().map(|q| rate(*q, price, bought).unwrap().amount_minor).collect();
        let total: i64 = amounts.iter().sum();
        let whole = rate(quantities.iter().sum(), price, bought).unwrap().amount_minor;
        prop_assert_eq!(total, whole);
        let split = split.min(amounts.len());
        let (first, second) = amounts.split_at(split);
        prop_assert_eq!(first.iter().sum::<i64>() + second.iter().sum::<i64>(), total);
    }

    /// Sending records again, in any order and any number of times, never changes a total.
    #[test]
    fn a_duplicate_never_changes_a_total(quantities in prop::collection::vec(0i64..1_000, 1..50),
                                         resend in prop::collection::vec(0usize..50, 0..100)) {
        let price = Money::new(35, Currency::CNY);
        let mut recorded: std::collections::BTreeMap<usize, i64> = Default::default();
        let deliver = |hour: usize, quantity: i64, recorded: &mut std::collections::BTreeMap<usize, i64>| {
            if against_recorded(recorded.get(&hour).copied(), quantity).unwrap() {
                recorded.insert(hour, quantity);
            }
        };
        for (hour, quantity) in quantities.iter().enumerate() {
            deliver(hour, *quantity, &mut recorded);
        }
        let total = |recorded: &std::collections::BTreeMap<usize, i64>| -> i64 {
            recorded.values().map(|q| rate(*q, price, 2).unwrap().amount_minor).sum()
        };
        let before = total(&recorded);
        for index in resend {
            let hour = index % quantities.len();
            deliver(hour, quantities[hour], &mut recorded);
            prop_assert_eq!(against_recorded(recorded.get(&hour).copied(), quantities[hour] + 1),
                            Err(UsageRefusal::QuantityChanged));
        }
        prop_assert_eq!(total(&recorded), before);
    }

    /// Charging under a cap never charges more than the cap, and charges everything below it.
    #[test]
    fn a_cap_is_never_exceeded(amounts in prop::collection::vec(0i64..5_000, 0..100), cap in 1i64..100_000) {
        let mut spent = 0;
        let mut waived = 0;
        for amount in &amounts {
            let charged = chargeable(*amount, spent, Some(cap));
            prop_assert!(charged >= 0 && charged <= *amount);
            spent += charged;
            waived += amount - charged;
        }
        prop_assert!(spent <= cap);
        prop_assert_eq!(spent + waived, amounts.iter().sum::<i64>());
        if amounts.iter().sum::<i64>() <= cap {
            prop_assert_eq!(waived, 0);
        }
    }

    /// A record for an hour that starts at or after the app's end is refused, whatever the hour.
    #[test]
    fn a_record_after_release_is_refused(hours_after in 0i64..24, seconds_into_day in 0i64..86_400) {
        let day = datetime!(2026-12-05 00:00 UTC);
        let ended = day + Duration::seconds(seconds_into_day);
        // The first whole hour at or after the end, then `hours_after` more.
        let first_hour = day + Duration::hours((seconds_into_day + 3_599) / 3_600);
        let hour = first_hour + Duration::hours(hours_after);
        let app = MeteredApp { ended_at: Some(ended), ..app() };
        let text = hour.format(&time::format_description::well_known::Rfc3339).unwrap();
        let checked = check_record(&record(&text, UsageQuantity::Whole(1)), Some(&app), hour + Duration::minutes(5));
        prop_assert_eq!(checked, Err(UsageRefusal::Ended));
    }

    /// Arrears never skip a standing: Arrears, then Frozen, then Released, in time order.
    #[test]
    fn standing_only_moves_forward(offsets in prop::collection::vec(0i64..(20 * 86_400), 2..20)) {
        let since = datetime!(2026-12-01 10:00 UTC);
        let mut sorted = offsets.clone();
        sorted.sort_unstable();
        let standings: Vec<UsageStanding> =
            sorted.iter().map(|offset| UsageStanding::at(Some(since), since + Duration::seconds(*offset))).collect();
        let rank = |s: &UsageStanding| match s {
            UsageStanding::Paid => 0, UsageStanding::Arrears => 1, UsageStanding::Frozen => 2, UsageStanding::Released => 3,
        };
        prop_assert!(standings.windows(2).all(|pair| rank(&pair[0]) <= rank(&pair[1])));
    }
}
