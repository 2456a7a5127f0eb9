//! Pay-per-use (SPEC §11.1–11.2): which usage record a seller may report, what it costs,
//! where an app in arrears stands, the monthly spending cap and the monthly bill's dates.
//! All pure; the server enforces these and the SPA shows the same answers.
//!
//! Time rules compare with `<` at the instant a state begins, like the term phases: at
//! exactly 24 h in arrears the app is Frozen, one second before it is still usable.

use time::{Duration, OffsetDateTime};

use crate::catalog::BillingMode;
use crate::lifecycle::Phase;
use crate::money::Money;

mod wire;

pub use wire::*;

#[cfg(test)]
mod tests;

stable_names!(UsageRefusal, UsageStanding, CapLevel);

/// The most records one report may carry; a longer one is refused whole.
pub const MAX_RECORDS_PER_REPORT: usize = 1_000;
/// The largest quantity one record may carry: far beyond any real hour of use, and small
/// enough that no sum of a month's amounts can overflow.
pub const MAX_QUANTITY: i64 = 1_000_000;
/// The dimension a record is in when it names none: hours of use.
pub const DEFAULT_DIMENSION: &str = "hours";
/// A record is accepted until this long after its hour has ended.
pub const LATE_WINDOW: Duration = Duration::hours(24);
/// An app whose charge failed is frozen after this long in arrears…
pub const FREEZE_AFTER_ARREARS: Duration = Duration::hours(24);
/// …and released this long after it was frozen.
pub const RELEASE_AFTER_FREEZE: Duration = Duration::days(15);
/// Rated usage is charged (and a failed charge retried) this often.
pub const CHARGE_INTERVAL: Duration = Duration::hours(1);
/// The buyer is told when the month's spend reaches this share of the cap, in percent.
pub const CAP_WARNING_PERCENT: i64 = 80;
/// A month's bill closes at the start of this day of the next month (UTC): after the last
/// hour's late window, with a day to spare.
pub const BILL_CLOSES_ON_DAY: u8 = 3;

/// Why a usage record was refused.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    serde::Serialize,
    serde::Deserialize,
    strum::EnumString,
    strum::IntoStaticStr,
)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum UsageRefusal {
    /// The quantity is negative, not a whole number, or above [`MAX_QUANTITY`].
    InvalidQuantity,
    /// The hour is not an RFC 3339 instant at the start of a UTC hour.
    InvalidHour,
    /// The hour has not started yet.
    FutureHour,
    /// The hour ended more than [`LATE_WINDOW`] ago.
    TooLate,
    /// No app of this seller has that id.
    UnknownApp,
    /// The app is not billed by use.
    NotPayPerUse,
    /// The hour is before the app was set up.
    BeforeStart,
    /// The app was released or unsubscribed before that hour.
    Ended,
    /// The product's specification is not metered in that dimension.
    UnknownDimension,
    /// That hour was already recorded with another quantity.
    QuantityChanged,
}

impl UsageRefusal {
    /// An English explanation for the seller's logs.
    pub fn message(self) -> &'static str {
        match self {
            UsageRefusal::InvalidQuantity => "The quantity must be a whole number from 0 to 1,000,000.",
            UsageRefusal::InvalidHour => "The hour must be an RFC 3339 UTC time at the start of an hour.",
            UsageRefusal::FutureHour => "The hour has not started yet.",
            UsageRefusal::TooLate => "The hour ended more than 24 hours ago; late usage is not accepted.",
            UsageRefusal::UnknownApp => "You have no app with this id.",
            UsageRefusal::NotPayPerUse => "This app is not billed by use.",
            UsageRefusal::BeforeStart => "The app was not set up yet in that hour.",
            UsageRefusal::Ended => "The app was released or unsubscribed before that hour.",
            UsageRefusal::UnknownDimension => "This app is not metered in that dimension.",
            UsageRefusal::QuantityChanged => "That hour was already recorded with another quantity.",
        }
    }
}

/// What Bazaar knows of the app a record names, when it is the reporting seller's.
#[derive(Debug, Clone)]
pub struct MeteredApp {
    pub billing_mode: BillingMode,
    /// The dimension its specification is metered in.
    pub dimension: String,
    /// When it was set up (its order completed).
    pub started_at: OffsetDateTime,
    /// When it was released or unsubscribed, if it was.
    pub ended_at: Option<OffsetDateTime>,
}

/// A record that passed every check: its hour, quantity and dimension.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckedRecord {
    pub hour: OffsetDateTime,
    pub quantity: i64,
    pub dimension: String,
}

/// The hour a record's text names, if it is a whole UTC hour.
pub fn parse_hour(text: &str) -> Option<OffsetDateTime> {
    let instant = OffsetDateTime::parse(text, &time::format_description::well_known::Rfc3339).ok()?;
    let utc = instant.to_offset(time::UtcOffset::UTC);
    (utc.minute() == 0 && utc.second() == 0 && utc.nanosecond() == 0).then_some(utc)
}

/// Until when a record for the hour starting at `hour` is accepted (excluded).
pub fn accepted_until(hour: OffsetDateTime) -> OffsetDateTime {
    hour + Duration::HOUR + LATE_WINDOW
}

/// The checks of §11.1 that need no other record: the quantity, the hour, and the app
/// (`None`: not this seller's, or no such app). Duplicates and changed quantities are the
/// store's to find, against what it holds.
pub fn check_record(
    record: &UsageRecordIn,
    app: Option<&MeteredApp>,
    now: OffsetDateTime,
) -> Result<CheckedRecord, UsageRefusal> {
    let quantity = record.quantity.whole().filter(|q| *q <= MAX_QUANTITY).ok_or(UsageRefusal::InvalidQuantity)?;
    let hour = parse_hour(&record.hour).ok_or(UsageRefusal::InvalidHour)?;
    if now < hour {
        return Err(UsageRefusal::FutureHour);
    }
    if now >= accepted_until(hour) {
        return Err(UsageRefusal::TooLate);
    }
    let app = app.ok_or(UsageRefusal::UnknownApp)?;
    if app.billing_mode != BillingMode::PayPerUse {
        return Err(UsageRefusal::NotPayPerUse);
    }
    if hour + Duration::HOUR <= app.started_at {
        return Err(UsageRefusal::BeforeStart);
    }
    // The hour in which the app ended is still its own: usage up to then is charged.
    if app.ended_at.is_some_and(|ended| ended <= hour) {
        return Err(UsageRefusal::Ended);
    }
    let dimension = record.dimension.clone().unwrap_or_else(|| DEFAULT_DIMENSION.to_owned());
    if dimension != app.dimension {
        return Err(UsageRefusal::UnknownDimension);
    }
    Ok(CheckedRecord { hour, quantity, dimension })
}

/// A checked record against the quantity already recorded for its (app, dimension, hour):
/// `Ok(true)` to record it, `Ok(false)` for a duplicate (accepted, counted once), or the
/// refusal of a changed quantity.
pub fn against_recorded(recorded: Option<i64>, quantity: i64) -> Result<bool, UsageRefusal> {
    match recorded {
        None => Ok(true),
        Some(recorded) if recorded == quantity => Ok(false),
        Some(_) => Err(UsageRefusal::QuantityChanged),
    }
}

/// What one record costs: quantity × the hourly price (software and server fee) × the
/// quantity bought. Prices are whole minor units per hour, so a record's amount is exact:
/// each record is rated on its own and rounds nothing, and a bill is the plain sum of its
/// records. `None` on overflow (the record is then refused as an invalid quantity).
pub fn rate(quantity: i64, hourly_price: Money, quantity_bought: u32) -> Option<Money> {
    if quantity < 0 {
        return None;
    }
    hourly_price.checked_mul(quantity)?.checked_mul(i64::from(quantity_bought))
}

/// Where a pay-per-use app stands with its charges (in the order it moves through).
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    serde::Serialize,
    serde::Deserialize,
    strum::EnumString,
    strum::IntoStaticStr,
)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum UsageStanding {
    /// Every charge went through.
    Paid,
    /// A charge failed less than [`FREEZE_AFTER_ARREARS`] ago: usable, retried every hour.
    Arrears,
    /// In arrears for a day: credentials locked, the seller suspends it.
    Frozen,
    /// Frozen for [`RELEASE_AFTER_FREEZE`]: gone; the seller releases it.
    Released,
}

/// When an app in arrears since `since` freezes.
pub fn freezes_at(since: OffsetDateTime) -> OffsetDateTime {
    since + FREEZE_AFTER_ARREARS
}

/// When an app in arrears since `since` is released.
pub fn usage_released_at(since: OffsetDateTime) -> OffsetDateTime {
    freezes_at(since) + RELEASE_AFTER_FREEZE
}

impl UsageStanding {
    /// The standing at `now` of an app in arrears since `arrears_since` (none: paid up).
    pub fn at(arrears_since: Option<OffsetDateTime>, now: OffsetDateTime) -> UsageStanding {
        let Some(since) = arrears_since else { return UsageStanding::Paid };
        if now < freezes_at(since) {
            UsageStanding::Arrears
        } else if now < usage_released_at(since) {
            UsageStanding::Frozen
        } else {
            UsageStanding::Released
        }
    }

    /// The lifecycle phase it puts the app in (arrears keep it usable, so Active).
    pub fn phase(self) -> Phase {
        match self {
            UsageStanding::Paid | UsageStanding::Arrears => Phase::Active,
            UsageStanding::Frozen => Phase::Frozen,
            UsageStanding::Released => Phase::Released,
        }
    }
}

/// A step of the month's spend towards its cap that the buyer is told about.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    serde::Serialize,
    serde::Deserialize,
    strum::EnumString,
    strum::IntoStaticStr,
)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum CapLevel {
    /// [`CAP_WARNING_PERCENT`] of the cap spent.
    Warning,
    /// The whole cap spent: further usage is recorded, not charged; the app is suspended.
    Reached,
}

/// The highest level a month's `spent` has reached against `cap` (none below 80 %).
pub fn cap_level(spent: i64, cap: i64) -> Option<CapLevel> {
    if spent >= cap {
        Some(CapLevel::Reached)
    } else if i128::from(spent) * 100 >= i128::from(cap) * i128::from(CAP_WARNING_PERCENT) {
        Some(CapLevel::Warning)
    } else {
        None
    }
}

/// How much of a record's `amount` is charged when the month has already charged `spent`
/// under `cap` (none: no cap): all of it below the cap, the rest up to it, then nothing.
pub fn chargeable(amount: i64, spent: i64, cap: Option<i64>) -> i64 {
    match cap {
        None => amount,
        Some(cap) => amount.min((cap - spent).max(0)),
    }
}

/// Why a new cap is refused: below what the month has already spent.
pub fn check_cap(new_cap: Option<i64>, spent_this_month: i64) -> Result<(), crate::error::FieldErrors> {
    let mut errors = crate::error::FieldErrors::default();
    match new_cap {
        Some(cap) if cap <= 0 => {
            errors.push("cap_minor", crate::error::FieldErrorCode::OutOfRange, "A cap must be more than zero.");
        }
        Some(cap) if cap < spent_this_month => errors.push(
            "cap_minor",
            crate::error::FieldErrorCode::OutOfRange,
            "A cap cannot be lower than what this month has already spent.",
        ),
        _ => {}
    }
    if errors.is_empty() { Ok(()) } else { Err(errors) }
}

/// The first instant of the UTC month `instant` falls in.
pub fn month_start(instant: OffsetDateTime) -> OffsetDateTime {
    let utc = instant.to_offset(time::UtcOffset::UTC);
    let date = time::Date::from_calendar_date(utc.year(), utc.month(), 1).unwrap_or(utc.date());
    OffsetDateTime::new_utc(date, time::Time::MIDNIGHT)
}

/// The first instant of the month after the one starting at `start`.
pub fn next_month_start(start: OffsetDateTime) -> OffsetDateTime {
    crate::lifecycle::add_months(month_start(start), 1)
}

/// When the bill of the month starting at `start` closes: the 3rd of the next month.
pub fn bill_closes_at(start: OffsetDateTime) -> OffsetDateTime {
    next_month_start(start) + Duration::days(i64::from(BILL_CLOSES_ON_DAY) - 1)
}

/// `2026-11` for the month starting at `start`: a bill's name in URLs and files.
pub fn month_key(start: OffsetDateTime) -> String {
    format!("{:04}-{:02}", start.year(), u8::from(start.month()))
}

/// The month a `YYYY-MM` key names.
pub fn parse_month_key(key: &str) -> Option<OffsetDateTime> {
    let (year, month) = key.split_once('-')?;
    if year.len() != 4 || month.len() != 2 {
        return None;
    }
    let month = time::Month::try_from(month.parse::<u8>().ok()?).ok()?;
    let date = time::Date::from_calendar_date(year.parse().ok()?, month, 1).ok()?;
    Some(OffsetDateTime::new_utc(date, time::Time::MIDNIGHT))
}
