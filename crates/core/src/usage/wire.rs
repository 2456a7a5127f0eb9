//! Pay-per-use wire types: the seller's usage report and its per-record answer, an app's
//! usage and spend, the spending cap, and the monthly bills.

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use super::{CapLevel, UsageRefusal, UsageStanding};
use crate::ids::AppId;
use crate::money::Money;
use crate::orders::PaymentMethod;

/// A record's quantity as sent: a whole number is the only valid one, but a negative or
/// fractional one must reach the checks (a per-record refusal), not fail the whole body.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(untagged)]
pub enum UsageQuantity {
    Whole(u64),
    #[cfg_attr(feature = "openapi", schema(value_type = f64))]
    Other(f64),
}

impl UsageQuantity {
    /// The quantity when it is a whole number from 0 to `i64::MAX`.
    pub fn whole(self) -> Option<i64> {
        match self {
            UsageQuantity::Whole(value) => i64::try_from(value).ok(),
            UsageQuantity::Other(_) => None,
        }
    }
}

/// One hour of one app's usage in one dimension.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct UsageRecordIn {
    pub app_id: i64,
    /// The specification's dimension; `hours` when left out.
    #[serde(default)]
    pub dimension: Option<String>,
    /// A whole number, 0 or more.
    pub quantity: UsageQuantity,
    /// The UTC hour it belongs to, as RFC 3339 at a whole hour (`2026-12-05T09:00:00Z`).
    pub hour: String,
}

/// `POST /seller/usage`: up to 1,000 records.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct UsageReport {
    pub records: Vec<UsageRecordIn>,
}

/// What became of one record.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum UsageOutcome {
    /// Recorded and rated.
    Accepted,
    /// The same record was already there: nothing changed.
    Duplicate,
    /// Not recorded; `reason` says why.
    Refused,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UsageRecordAnswer {
    /// The record's position in the report, from 0.
    pub index: u32,
    pub outcome: UsageOutcome,
    pub reason: Option<UsageRefusal>,
    /// The reason in English.
    pub message: Option<String>,
    /// What an accepted record costs.
    pub amount: Option<Money>,
}

/// The answer to a report: every record's outcome, in the report's order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UsageReportAnswer {
    pub accepted: u32,
    pub duplicates: u32,
    pub refused: u32,
    pub records: Vec<UsageRecordAnswer>,
}

/// One hour of an app's usage as Resource Details charts it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UsageHour {
    #[serde(with = "time::serde::rfc3339")]
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub hour: OffsetDateTime,
    pub quantity: i64,
    pub amount: Money,
}

/// A pay-per-use app's usage, spend and standing: the usage area of Resource Details.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AppUsage {
    pub app_id: AppId,
    /// The server's now: the chart's window ends at this hour's end.
    #[serde(with = "time::serde::rfc3339")]
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub as_of: OffsetDateTime,
    pub dimension: String,
    /// The price of one unit of the dimension (× the quantity bought).
    pub unit_price: Money,
    /// The last 30 days, oldest first; hours without usage are left out.
    pub hours: Vec<UsageHour>,
    /// This calendar month: rated, charged, and beyond the cap (not charged).
    pub month_rated: Money,
    pub month_charged: Money,
    pub month_waived: Money,
    pub cap: Option<Money>,
    pub cap_level: Option<CapLevel>,
    /// Whether usage is suspended until the cap is raised or the month ends.
    pub suspended_by_cap: bool,
    pub standing: UsageStanding,
    /// Rated usage not charged yet (in arrears, or waiting for the next hourly run).
    pub outstanding: Money,
    /// In arrears: when it freezes, and when it is released.
    #[serde(with = "time::serde::rfc3339::option")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, format = DateTime))]
    pub freezes_at: Option<OffsetDateTime>,
    #[serde(with = "time::serde::rfc3339::option")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, format = DateTime))]
    pub released_at: Option<OffsetDateTime>,
}

/// `PUT /purchased-apps/{id}/spending-cap`: the month's cap in minor units, or none.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct SpendingCapUpdate {
    pub cap_minor: Option<i64>,
}

/// Whether a month's bill can still change.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum BillState {
    /// The month (or its late window) is still running: the figures are live.
    Open,
    /// Closed on the 3rd of the next month: its lines never change again.
    Closed,
}

/// A month's bill as the Billing list shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BillSummary {
    /// `YYYY-MM`.
    pub month: String,
    pub state: BillState,
    #[serde(with = "time::serde::rfc3339")]
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub closes_at: OffsetDateTime,
    /// Everything rated in the month.
    pub rated: Money,
    /// Charged so far (for a closed bill: when it closed).
    pub charged: Money,
    /// Rated, to be charged, not charged yet.
    pub outstanding: Money,
    /// Beyond a spending cap: recorded, never charged.
    pub waived: Money,
}

/// One app and dimension of a bill.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BillLine {
    pub app_id: AppId,
    pub order_number: String,
    pub product_name: String,
    pub dimension: String,
    pub quantity: i64,
    pub rated: Money,
    pub charged: Money,
    pub outstanding: Money,
    pub waived: Money,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Bill {
    pub summary: BillSummary,
    pub lines: Vec<BillLine>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BillList {
    /// Newest month first.
    pub bills: Vec<BillSummary>,
    /// Everything due now, over every month and app.
    pub outstanding: Option<Money>,
}

/// `POST /billing/outstanding/payment`: settle everything due in one payment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct PayOutstandingRequest {
    pub method: PaymentMethod,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PayOutstandingAnswer {
    pub paid: Money,
    /// Apps that were frozen for arrears and are usable again.
    pub reinstated: Vec<AppId>,
}
