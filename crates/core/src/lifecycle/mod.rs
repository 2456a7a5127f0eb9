//! After the purchase: a term's calendar arithmetic, the phase of an app at an instant
//! (Active → Grace → Frozen → Released), a renewal's new term, the reminder and auto-renew
//! schedules, and the deadline of an unpaid order. All pure: the server enforces these,
//! the SPA shows them, and both get the same answer for the same instant.
//!
//! Every rule takes `now` and compares with `<` at the instant a phase begins: at exactly
//! `expires_at` the app is in Grace, one second before it is Active.

use serde::{Deserialize, Serialize};
use time::{Duration, OffsetDateTime};

use crate::catalog::BillingMode;

mod unsubscription;
mod wire;

pub use unsubscription::*;
pub use wire::*;

#[cfg(test)]
mod tests;

stable_names!(Phase, ReminderKind);

/// After `expires_at` the app stays usable this long (with a banner).
pub const GRACE: Duration = Duration::days(15);
/// After grace the app is frozen (kept, not usable) this long, then released.
pub const RETENTION: Duration = Duration::days(15);
/// How long a free trial that was not bought stays Frozen before it is released.
pub const TRIAL_FROZEN_FOR: Duration = Duration::days(7);
/// An unpaid order is cancelled this long after it was placed.
pub const UNPAID_ORDER_LIFETIME: Duration = Duration::days(7);
/// The buyer is reminded of an unpaid order this long before its cancellation.
pub const UNPAID_REMINDER_BEFORE: Duration = Duration::days(1);
/// Auto-renew first tries this long before expiry…
pub const AUTO_RENEW_LEAD: Duration = Duration::days(7);
/// …and after a failure tries again this much later, until the app is released.
pub const AUTO_RENEW_RETRY: Duration = Duration::days(1);
/// Reminders before expiry, in days.
pub const REMINDER_DAYS_BEFORE: [i64; 3] = [7, 3, 1];
/// The last warning comes this long before release.
pub const RELEASE_WARNING: Duration = Duration::days(2);
/// The periods a term can be renewed for, in months: 1–11 months, 1–3 years.
pub const RENEWAL_PERIODS_MONTHS: [u32; 14] = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 24, 36];
/// How many apps one renewal order may renew.
pub const MAX_RENEWALS_PER_ORDER: usize = 50;

/// `start` plus `months` calendar months, at the same time of day; a day the target month
/// does not have becomes its last day (31 January + 1 month = 28 or 29 February).
pub fn add_months(start: OffsetDateTime, months: u32) -> OffsetDateTime {
    let index = i64::from(u8::from(start.month())) - 1 + i64::from(months);
    let year = start.year() + i32::try_from(index.div_euclid(12)).unwrap_or(i32::MAX);
    let month =
        time::Month::try_from(u8::try_from(index.rem_euclid(12) + 1).unwrap_or(1)).unwrap_or(time::Month::January);
    let day = start.day().min(month.length(year));
    time::Date::from_calendar_date(year, month, day)
        .map(|date| start.replace_date(date))
        // Only a year past 9999 has no calendar date; such a term is for ever in practice.
        .unwrap_or(OffsetDateTime::new_utc(time::Date::MAX, time::Time::MIDNIGHT))
}

/// Whether a purchase with this billing mode has a term (and so expires and renews).
/// Pay-per-use is billed by use; a one-off purchase is a perpetual licence.
pub fn has_term(billing_mode: BillingMode) -> bool {
    billing_mode == BillingMode::YearlyMonthly
}

/// The end of a term of `months` that starts when the payment is confirmed.
pub fn term_end(paid_at: OffsetDateTime, months: u32) -> OffsetDateTime {
    add_months(paid_at, months)
}

/// The end of the term a renewal of `months` buys: counted from the old expiry, so a
/// renewal in Grace or Frozen buys no free days, and one made early loses none.
pub fn renewed_expiry(old_expires_at: OffsetDateTime, months: u32) -> OffsetDateTime {
    add_months(old_expires_at, months)
}

/// Where an app with a term stands.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    strum::EnumString,
    strum::IntoStaticStr,
)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum Phase {
    /// Within its term: everything works.
    Active,
    /// Expired less than [`GRACE`] ago: still usable, with a banner.
    Grace,
    /// In retention: kept, but credentials cannot be revealed; the seller suspends it.
    Frozen,
    /// Gone from Purchased Apps; the seller releases it.
    Released,
}

impl Phase {
    pub const ALL: [Phase; 4] = [Phase::Active, Phase::Grace, Phase::Frozen, Phase::Released];

    /// The phase at `now` of an app whose term ends at `expires_at` (none: for ever Active).
    pub fn at(expires_at: Option<OffsetDateTime>, now: OffsetDateTime) -> Phase {
        let Some(expires_at) = expires_at else { return Phase::Active };
        if now < expires_at {
            Phase::Active
        } else if now < grace_ends_at(expires_at) {
            Phase::Grace
        } else if now < released_at(expires_at) {
            Phase::Frozen
        } else {
            Phase::Released
        }
    }

    /// Whether the buyer may still use the app (reveal credentials, follow its links).
    pub fn is_usable(self) -> bool {
        matches!(self, Phase::Active | Phase::Grace)
    }

    /// Whether the app can still be renewed (not once it is released).
    pub fn is_renewable(self) -> bool {
        self != Phase::Released
    }
}

/// When Grace ends and the app is frozen.
pub fn grace_ends_at(expires_at: OffsetDateTime) -> OffsetDateTime {
    expires_at + GRACE
}

/// When the app is released: the last moment a renewal can save it.
pub fn released_at(expires_at: OffsetDateTime) -> OffsetDateTime {
    expires_at + GRACE + RETENTION
}

/// The messages about one term, in the order they fall due.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    strum::EnumString,
    strum::IntoStaticStr,
)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "sqlx", derive(sqlx::Type), sqlx(type_name = "text", rename_all = "snake_case"))]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum ReminderKind {
    #[serde(rename = "expires_in_7_days")]
    #[strum(serialize = "expires_in_7_days")]
    #[cfg_attr(feature = "sqlx", sqlx(rename = "expires_in_7_days"))]
    ExpiresIn7Days,
    #[serde(rename = "expires_in_3_days")]
    #[strum(serialize = "expires_in_3_days")]
    #[cfg_attr(feature = "sqlx", sqlx(rename = "expires_in_3_days"))]
    ExpiresIn3Days,
    #[serde(rename = "expires_in_1_day")]
    #[strum(serialize = "expires_in_1_day")]
    #[cfg_attr(feature = "sqlx", sqlx(rename = "expires_in_1_day"))]
    ExpiresIn1Day,
    Expired,
    Frozen,
    #[serde(rename = "releases_in_2_days")]
    #[strum(serialize = "releases_in_2_days")]
    #[cfg_attr(feature = "sqlx", sqlx(rename = "releases_in_2_days"))]
    ReleasesIn2Days,
    Released,
}

impl ReminderKind {
    pub const ALL: [ReminderKind; 7] = [
        ReminderKind::ExpiresIn7Days,
        ReminderKind::ExpiresIn3Days,
        ReminderKind::ExpiresIn1Day,
        ReminderKind::Expired,
        ReminderKind::Frozen,
        ReminderKind::ReleasesIn2Days,
        ReminderKind::Released,
    ];

    /// When this reminder falls due for a term ending at `expires_at`.
    pub fn due_at(self, expires_at: OffsetDateTime) -> OffsetDateTime {
        let [seven, three, one] = REMINDER_DAYS_BEFORE.map(Duration::days);
        match self {
            ReminderKind::ExpiresIn7Days => expires_at - seven,
            ReminderKind::ExpiresIn3Days => expires_at - three,
            ReminderKind::ExpiresIn1Day => expires_at - one,
            ReminderKind::Expired => expires_at,
            ReminderKind::Frozen => grace_ends_at(expires_at),
            ReminderKind::ReleasesIn2Days => released_at(expires_at) - RELEASE_WARNING,
            ReminderKind::Released => released_at(expires_at),
        }
    }
}

/// The reminders of a term ending at `expires_at` that are due at `now` and not yet sent,
/// in the order they fell due: every one after `last_sent` (the last one sent for this
/// term) whose due time has come. A sweeper that was down sends, when it is back, every
/// reminder that fell due meanwhile, each once and in order — never skips one — and the
/// messages carry their own due times, so the buyer can see they come late
/// (`messages::sent_late`).
pub fn reminders_due(
    expires_at: OffsetDateTime,
    last_sent: Option<ReminderKind>,
    now: OffsetDateTime,
) -> impl Iterator<Item = ReminderKind> {
    ReminderKind::ALL
        .into_iter()
        .filter(move |kind| last_sent.is_none_or(|last| *kind > last))
        .take_while(move |kind| kind.due_at(expires_at) <= now)
}

/// Whether an auto-renewal should be tried at `now` for a term ending at `expires_at`,
/// given when it was last tried for this term: from [`AUTO_RENEW_LEAD`] before expiry,
/// then once a [`AUTO_RENEW_RETRY`] after each failure, until the app is released.
pub fn auto_renew_due(
    expires_at: OffsetDateTime,
    last_attempt_at: Option<OffsetDateTime>,
    now: OffsetDateTime,
) -> bool {
    if now < expires_at - AUTO_RENEW_LEAD || now >= released_at(expires_at) {
        return false;
    }
    last_attempt_at.is_none_or(|last| now >= last + AUTO_RENEW_RETRY)
}

/// When an order placed at `placed_at` and still unpaid is cancelled.
pub fn unpaid_cancel_at(placed_at: OffsetDateTime) -> OffsetDateTime {
    placed_at + UNPAID_ORDER_LIFETIME
}

/// Whether an order placed at `placed_at` may still be paid at `now`.
pub fn unpaid_order_payable(placed_at: OffsetDateTime, now: OffsetDateTime) -> bool {
    now < unpaid_cancel_at(placed_at)
}

/// Whether the buyer should be reminded at `now` that the order will be cancelled.
pub fn unpaid_reminder_due(placed_at: OffsetDateTime, now: OffsetDateTime) -> bool {
    let cancel_at = unpaid_cancel_at(placed_at);
    now >= cancel_at - UNPAID_REMINDER_BEFORE && now < cancel_at
}

/// The periods an app with this billing mode can be renewed for (none without a term).
pub fn renewal_periods(billing_mode: BillingMode) -> &'static [u32] {
    if has_term(billing_mode) { &RENEWAL_PERIODS_MONTHS } else { &[] }
}

/// Whole days from `now` until `moment`, rounded up ("expires in 3 days" from 2 d 1 h),
/// zero or negative once it is past.
pub fn days_until(moment: OffsetDateTime, now: OffsetDateTime) -> i64 {
    let seconds = (moment - now).whole_seconds();
    if seconds > 0 { (seconds + 86_399) / 86_400 } else { seconds / 86_400 }
}
