//! Renewal Management's wire types: the apps with a term, the renewal order, auto-renew.

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use super::{Phase, days_until, grace_ends_at, released_at};
use crate::catalog::BillingMode;
use crate::ids::{AppId, OrderId, ProductId};
use crate::money::Money;

stable_names!(RenewalFilter);

/// Renewal Management's filters (the `show` query parameter).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, strum::EnumString, strum::IntoStaticStr)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum RenewalFilter {
    /// Active, expiring within 7 days.
    #[serde(rename = "within_7_days")]
    #[strum(serialize = "within_7_days")]
    Within7Days,
    #[serde(rename = "within_15_days")]
    #[strum(serialize = "within_15_days")]
    Within15Days,
    #[serde(rename = "within_30_days")]
    #[strum(serialize = "within_30_days")]
    Within30Days,
    /// Past its expiry: in Grace or Frozen.
    Expired,
    Frozen,
}

impl RenewalFilter {
    pub const ALL: [RenewalFilter; 5] = [
        RenewalFilter::Within7Days,
        RenewalFilter::Within15Days,
        RenewalFilter::Within30Days,
        RenewalFilter::Expired,
        RenewalFilter::Frozen,
    ];

    /// Whether an app whose term ends at `expires_at` belongs in this filter at `now`.
    pub fn admits(self, expires_at: OffsetDateTime, now: OffsetDateTime) -> bool {
        let phase = Phase::at(Some(expires_at), now);
        let within = |days: i64| phase == Phase::Active && expires_at - now <= time::Duration::days(days);
        match self {
            RenewalFilter::Within7Days => within(7),
            RenewalFilter::Within15Days => within(15),
            RenewalFilter::Within30Days => within(30),
            RenewalFilter::Expired => matches!(phase, Phase::Grace | Phase::Frozen),
            RenewalFilter::Frozen => phase == Phase::Frozen,
        }
    }

    /// The expiries a filter (or no filter: every app not yet released) admits at `now`,
    /// as `(after, up_to)`: `after < expires_at <= up_to`, for a database query. Agrees
    /// with [`RenewalFilter::admits`] (a property test checks).
    pub fn expiry_bounds(
        filter: Option<RenewalFilter>,
        now: OffsetDateTime,
    ) -> (OffsetDateTime, Option<OffsetDateTime>) {
        let released_before = now - (super::GRACE + super::RETENTION);
        let days = |days: i64| (now, Some(now + time::Duration::days(days)));
        match filter {
            None => (released_before, None),
            Some(RenewalFilter::Within7Days) => days(7),
            Some(RenewalFilter::Within15Days) => days(15),
            Some(RenewalFilter::Within30Days) => days(30),
            Some(RenewalFilter::Expired) => (released_before, Some(now)),
            Some(RenewalFilter::Frozen) => (released_before, Some(now - super::GRACE)),
        }
    }
}

/// Auto-renew of one app: on with a period, or off.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AutoRenew {
    pub enabled: bool,
    /// The period each automatic renewal buys, in months (one of `renewal_periods`).
    #[cfg_attr(feature = "openapi", schema(minimum = 1, maximum = 36))]
    pub months: u32,
}

/// One app with a term, as Renewal Management lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RenewableApp {
    pub id: AppId,
    pub order_number: String,
    pub product_id: ProductId,
    pub product_name: String,
    pub sku_name: String,
    pub billing_mode: BillingMode,
    pub quantity: u32,
    pub phase: Phase,
    #[serde(with = "time::serde::rfc3339")]
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub expires_at: OffsetDateTime,
    /// A free trial not bought yet: `expires_at` is the trial's end; renewing buys it.
    #[serde(default)]
    pub trial: bool,
    pub auto_renew: AutoRenew,
    /// Today's price of one month of this app (SKU price × quantity, server fee included).
    pub monthly_price: Money,
    /// Whether the product is still sold (a withdrawn product cannot be renewed).
    pub renewable: bool,
    /// An unpaid renewal order already covers this app: pay or cancel that one first.
    pub pending_renewal: Option<OrderId>,
}

impl RenewableApp {
    /// When it stops being usable: a trial has no grace.
    pub fn grace_ends_at(&self) -> OffsetDateTime {
        if self.trial { self.expires_at } else { grace_ends_at(self.expires_at) }
    }

    pub fn released_at(&self) -> OffsetDateTime {
        if self.trial { self.expires_at + super::TRIAL_FROZEN_FOR } else { released_at(self.expires_at) }
    }

    pub fn days_left(&self, now: OffsetDateTime) -> i64 {
        days_until(self.expires_at, now)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RenewableAppPage {
    pub items: Vec<RenewableApp>,
    pub total: u64,
    pub page: u32,
    pub page_size: u32,
    /// The server's clock when it answered: "expires in N days" counts from here.
    #[serde(with = "time::serde::rfc3339")]
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub server_now: OffsetDateTime,
}

/// One app to renew and for how long.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RenewalItem {
    pub app_id: AppId,
    pub months: u32,
    /// Buying a free trial: how many to buy (none: the trial's quantity). Other apps
    /// renew with the quantity they have.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quantity: Option<u32>,
}

/// Renews one or several apps in one order, paid in one payment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RenewalRequest {
    pub items: Vec<RenewalItem>,
}

/// One line of a renewal order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RenewalLine {
    pub app_id: AppId,
    pub product_name: String,
    pub sku_name: String,
    pub months: u32,
    pub amount: Money,
    /// The term's end when the order was placed; the new term starts here.
    #[serde(with = "time::serde::rfc3339")]
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub from: OffsetDateTime,
    /// The end of the renewed term (once paid, the app's new expiry).
    #[serde(with = "time::serde::rfc3339")]
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub until: OffsetDateTime,
}
