//! Free trials (SPEC §11.3): how long a product's trial lasts, where a trial app stands at
//! an instant, when the paid term of a converted trial starts, who may start one (and why
//! not), and the reminders around its end. All pure; the server enforces these and the SPA
//! shows the same answers.
//!
//! Time rules compare with `<` at the instant a state begins, like the term phases: at
//! exactly the trial's end the app is Frozen, one second before it is still a trial.

use serde::{Deserialize, Serialize};
use time::{Duration, OffsetDateTime};

use crate::catalog::BillingMode;
use crate::lifecycle::{Phase, REMINDER_DAYS_BEFORE, add_months};

#[cfg(test)]
mod tests;

stable_names!(TrialPhase, TrialRefusalReason, TrialReminder);

/// The shortest trial a product may offer, in days.
pub const MIN_TRIAL_DAYS: i64 = 3;
/// The longest trial a product may offer, in days.
pub const MAX_TRIAL_DAYS: i64 = 180;
pub use crate::lifecycle::TRIAL_FROZEN_FOR;

/// The length of a trial of `days` days, if a product may offer that many.
pub fn trial_length(days: i64) -> Option<Duration> {
    (MIN_TRIAL_DAYS..=MAX_TRIAL_DAYS).contains(&days).then(|| Duration::days(days))
}

/// When a trial of `days` days started at `started_at` ends, if `days` is a valid length.
pub fn trial_ends_at(started_at: OffsetDateTime, days: i64) -> Option<OffsetDateTime> {
    trial_length(days).map(|length| started_at + length)
}

/// When a trial that ended at `ends_at` unconverted is released.
pub fn trial_released_at(ends_at: OffsetDateTime) -> OffsetDateTime {
    ends_at + TRIAL_FROZEN_FOR
}

/// Where a trial app stands (until it is converted: then it is an app with a term).
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
pub enum TrialPhase {
    /// Before its end: the app works like a bought one.
    Trial,
    /// Ended, not converted, for [`TRIAL_FROZEN_FOR`]: kept, not usable; buying reinstates it.
    Frozen,
    /// Gone; the seller releases it. Buying starts a new app.
    Released,
}

impl TrialPhase {
    /// The phase at `now` of a trial ending at `ends_at`.
    pub fn at(ends_at: OffsetDateTime, now: OffsetDateTime) -> TrialPhase {
        if now < ends_at {
            TrialPhase::Trial
        } else if now < trial_released_at(ends_at) {
            TrialPhase::Frozen
        } else {
            TrialPhase::Released
        }
    }

    /// Whether the buyer may use the app (reveal credentials, follow its links).
    pub fn is_usable(self) -> bool {
        self == TrialPhase::Trial
    }

    /// Whether buying converts it (keeping the instance): while a trial or Frozen.
    pub fn is_convertible(self) -> bool {
        self != TrialPhase::Released
    }
}

/// When the paid term of a trial converted by a payment at `paid_at` starts: at the
/// trial's end, so that the buyer loses no trial day by paying early; at the payment when
/// it comes after the end, so that no Frozen day is paid for.
pub fn converted_term_starts_at(trial_ends_at: OffsetDateTime, paid_at: OffsetDateTime) -> OffsetDateTime {
    trial_ends_at.max(paid_at)
}

/// When the paid term of `months` months of a trial converted at `paid_at` ends.
pub fn converted_expiry(trial_ends_at: OffsetDateTime, paid_at: OffsetDateTime, months: u32) -> OffsetDateTime {
    add_months(converted_term_starts_at(trial_ends_at, paid_at), months)
}

/// The term phase of an app: for an unconverted trial ending at `expires_at` its trial
/// phase (no Grace: Frozen at the end, for 7 days), otherwise its term's phase.
pub fn app_phase(expires_at: Option<OffsetDateTime>, unconverted_trial: bool, now: OffsetDateTime) -> Phase {
    match expires_at {
        Some(ends_at) if unconverted_trial => match TrialPhase::at(ends_at, now) {
            TrialPhase::Trial => Phase::Active,
            TrialPhase::Frozen => Phase::Frozen,
            TrialPhase::Released => Phase::Released,
        },
        _ => Phase::at(expires_at, now),
    }
}

/// What a product offers a would-be trialist.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TrialOffer {
    /// The product's trial length in days; none: no trial.
    pub trial_days: Option<i64>,
    pub supervised: bool,
    /// The billing mode of the SKU the buyer picked.
    pub billing_mode: BillingMode,
}

/// Why a buyer may not start a trial.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, strum::EnumString, strum::IntoStaticStr)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum TrialRefusalReason {
    /// The product offers no trial (or a length outside 3–180 days).
    NoTrial,
    /// Supervised services are delivered once; they have no trial.
    Supervised,
    /// Only yearly/monthly SKUs have a trial (not pay-per-use or one-off).
    NotYearlyMonthly,
    /// The buyer has had this product's trial: one per buyer and product, ever.
    AlreadyUsed,
}

/// A refusal with what the buyer needs to read it ("… used this product's trial on 3 Nov").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TrialRefusal {
    pub reason: TrialRefusalReason,
    /// When the buyer's earlier trial started ([`TrialRefusalReason::AlreadyUsed`] only).
    #[serde(with = "time::serde::rfc3339::option")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, format = DateTime))]
    pub used_on: Option<OffsetDateTime>,
}

impl TrialRefusal {
    fn because(reason: TrialRefusalReason) -> TrialRefusal {
        TrialRefusal { reason, used_on: None }
    }
}

/// Whether a buyer whose earlier trial of this product (if any) started at `earlier_trial`
/// may start one: its length when so, the first reason not when not (the product's own
/// reasons before the buyer's).
pub fn trial_eligibility(offer: TrialOffer, earlier_trial: Option<OffsetDateTime>) -> Result<Duration, TrialRefusal> {
    let length = offer.trial_days.and_then(trial_length).ok_or(TrialRefusal::because(TrialRefusalReason::NoTrial))?;
    if offer.supervised {
        return Err(TrialRefusal::because(TrialRefusalReason::Supervised));
    }
    if offer.billing_mode != BillingMode::YearlyMonthly {
        return Err(TrialRefusal::because(TrialRefusalReason::NotYearlyMonthly));
    }
    if let Some(used_on) = earlier_trial {
        return Err(TrialRefusal { reason: TrialRefusalReason::AlreadyUsed, used_on: Some(used_on) });
    }
    Ok(length)
}

/// Where a signed-in buyer stands towards a product's trial; the SPA asks
/// [`TrialStanding::eligibility`] for the SKU the buyer picked, the server the same.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TrialStanding {
    /// The product's trial length in days; none: no trial.
    pub trial_days: Option<i64>,
    pub supervised: bool,
    /// When this buyer's trial of the product started, if there was one.
    #[serde(with = "time::serde::rfc3339::option")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, format = DateTime))]
    pub used_on: Option<OffsetDateTime>,
}

impl TrialStanding {
    /// Whether a trial of a SKU billed `billing_mode` may start: its length, or why not.
    pub fn eligibility(&self, billing_mode: BillingMode) -> Result<Duration, TrialRefusal> {
        let offer = TrialOffer { trial_days: self.trial_days, supervised: self.supervised, billing_mode };
        trial_eligibility(offer, self.used_on)
    }
}

/// The messages around a trial's end, in the order they fall due.
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
pub enum TrialReminder {
    #[serde(rename = "ends_in_7_days")]
    #[strum(serialize = "ends_in_7_days")]
    EndsIn7Days,
    #[serde(rename = "ends_in_3_days")]
    #[strum(serialize = "ends_in_3_days")]
    EndsIn3Days,
    #[serde(rename = "ends_in_1_day")]
    #[strum(serialize = "ends_in_1_day")]
    EndsIn1Day,
    /// Ended unconverted: Frozen (the seller is told to suspend).
    Ended,
    Released,
}

impl TrialReminder {
    pub const ALL: [TrialReminder; 5] = [
        TrialReminder::EndsIn7Days,
        TrialReminder::EndsIn3Days,
        TrialReminder::EndsIn1Day,
        TrialReminder::Ended,
        TrialReminder::Released,
    ];

    /// When this reminder falls due for a trial ending at `ends_at`.
    pub fn due_at(self, ends_at: OffsetDateTime) -> OffsetDateTime {
        let [seven, three, one] = REMINDER_DAYS_BEFORE.map(Duration::days);
        match self {
            TrialReminder::EndsIn7Days => ends_at - seven,
            TrialReminder::EndsIn3Days => ends_at - three,
            TrialReminder::EndsIn1Day => ends_at - one,
            TrialReminder::Ended => ends_at,
            TrialReminder::Released => trial_released_at(ends_at),
        }
    }
}

/// The reminders of a trial ending at `ends_at` that are due at `now` and not sent yet, in
/// the order they fell due: every one after `last_sent` whose time has come (a sweeper back
/// from an outage sends what it missed, each once, in order), except the "ends in N days"
/// ones that fell due before the trial started (a 5-day trial gets no 7-day reminder).
pub fn trial_reminders_due(
    started_at: OffsetDateTime,
    ends_at: OffsetDateTime,
    last_sent: Option<TrialReminder>,
    now: OffsetDateTime,
) -> impl Iterator<Item = TrialReminder> {
    TrialReminder::ALL
        .into_iter()
        .filter(move |kind| last_sent.is_none_or(|last| *kind > last))
        .take_while(move |kind| kind.due_at(ends_at) <= now)
        .filter(move |kind| *kind >= TrialReminder::Ended || kind.due_at(ends_at) >= started_at)
}
