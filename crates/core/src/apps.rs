//! Purchased Apps and Resource Details wire types. The initial password is never part of
//! these: it travels only in [`RevealedCredentials`], the answer of an explicit reveal.

use serde::{Deserialize, Serialize};

use crate::ids::{AppId, OrderId, ProductId};
use time::OffsetDateTime;

use crate::catalog::{BillingMode, DeliveryMethod};
use crate::lifecycle::Phase;

stable_names!(AppStatus);

/// Reveals an account may make within [`REVEAL_WINDOW_SECONDS`].
pub const REVEAL_LIMIT: u32 = 5;
pub const REVEAL_WINDOW_SECONDS: i64 = 10 * 60;
/// A revealed password hides itself again after this long.
pub const REVEAL_VISIBLE_SECONDS: u32 = 30;
pub const DEFAULT_APP_PAGE_SIZE: u32 = 10;
pub const MAX_APP_PAGE_SIZE: u32 = 50;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, strum::EnumString, strum::IntoStaticStr)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
#[cfg_attr(feature = "sqlx", derive(sqlx::Type), sqlx(type_name = "text", rename_all = "snake_case"))]
pub enum AppStatus {
    Active,
    /// The subscription period ended.
    Expired,
}

impl AppStatus {
    pub const ALL: [AppStatus; 2] = [AppStatus::Active, AppStatus::Expired];

    /// Active until `expires_at` (unix seconds), for ever when there is none.
    pub fn at(expires_at: Option<i64>, now: i64) -> AppStatus {
        match expires_at {
            Some(expiry) if expiry <= now => AppStatus::Expired,
            _ => AppStatus::Active,
        }
    }
}

/// One row of Purchased Apps. `id` is the order's id.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PurchasedAppSummary {
    pub id: AppId,
    pub order_number: String,
    pub product_id: ProductId,
    pub product_name: String,
    pub sku_name: String,
    pub seller_name: String,
    pub delivery_method: DeliveryMethod,
    pub billing_mode: BillingMode,
    pub status: AppStatus,
    /// Where its term stands: `active`, `grace` (expired, still usable) or `frozen`
    /// (credentials locked until renewed). Released apps are not listed.
    pub phase: Phase,
    #[serde(with = "time::serde::rfc3339")]
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub purchased_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339::option")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, format = DateTime))]
    pub expires_at: Option<OffsetDateTime>,
    /// A free trial not bought yet: `expires_at` is the trial's end (no grace after it).
    #[serde(default)]
    pub trial: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PurchasedAppPage {
    pub items: Vec<PurchasedAppSummary>,
    pub total: u64,
    pub page: u32,
    pub page_size: u32,
    /// The server's clock when it answered: a trial's "in N days" counts from here.
    #[serde(with = "time::serde::rfc3339")]
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub server_now: OffsetDateTime,
}

/// Why an app's initial password cannot be revealed at the moment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum PasswordLock {
    /// The app is frozen (retention): renewing it unlocks the password again.
    Frozen,
    /// A pay-per-use app frozen for unpaid usage: paying what is outstanding unlocks it.
    UnpaidUsage,
}

impl PasswordLock {
    /// The lock an app in `phase` puts on a password it has, if any.
    pub fn for_phase(phase: crate::lifecycle::Phase) -> Option<PasswordLock> {
        (!phase.is_usable()).then_some(PasswordLock::Frozen)
    }
}

/// Application Information, without the password.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ApplicationInfo {
    pub instance_id: Option<String>,
    pub username: Option<String>,
    /// Whether an initial password can be revealed now (SaaS apps whose seller set one,
    /// while the app is usable). Image servers use the password the buyer chose at
    /// checkout, which Bazaar never kept.
    pub password_revealable: bool,
    /// Why a password that exists cannot be revealed now (`None` when it can, or when
    /// there is none): what the page shows instead of the eye button.
    pub password_locked: Option<PasswordLock>,
    pub frontend_url: Option<String>,
    pub management_url: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BasicInfo {
    pub product_id: ProductId,
    pub product_name: String,
    pub sku_name: String,
    pub order_id: OrderId,
    pub order_number: String,
    pub region: String,
    pub billing_mode: BillingMode,
    pub status: AppStatus,
    pub phase: Phase,
    #[serde(with = "time::serde::rfc3339")]
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub purchased_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339::option")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, format = DateTime))]
    pub expires_at: Option<OffsetDateTime>,
    /// A free trial not bought yet: `expires_at` is the trial's end (no grace after it).
    #[serde(default)]
    pub trial: bool,
    /// Image apps: the cloud server's private address and login user.
    pub server_address: Option<String>,
    pub login_user: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SellerInfo {
    pub name: String,
    pub email: String,
    pub phone: String,
    pub support_hours: String,
}

/// Resource Details: the three areas of the page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PurchasedAppDetail {
    pub id: AppId,
    pub delivery_method: DeliveryMethod,
    pub application: ApplicationInfo,
    pub basic: BasicInfo,
    pub seller: SellerInfo,
    /// The server's clock when it answered.
    #[serde(with = "time::serde::rfc3339")]
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub server_now: OffsetDateTime,
}

/// The answer of `POST /purchased-apps/{id}/credentials/reveal`.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RevealedCredentials {
    pub password: String,
}

/// Never print a secret by accident (logs, panics, debug views).
impl std::fmt::Debug for RevealedCredentials {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter.write_str("RevealedCredentials { password: <hidden> }")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_follows_the_expiry() {
        assert_eq!(AppStatus::at(None, 100), AppStatus::Active);
        assert_eq!(AppStatus::at(Some(101), 100), AppStatus::Active);
        assert_eq!(AppStatus::at(Some(100), 100), AppStatus::Expired);
        for status in AppStatus::ALL {
            assert_eq!(str::parse::<AppStatus>(status.as_str()).ok(), Some(status));
        }
    }

    #[test]
    fn secrets_are_not_debug_printed() {
        let revealed = RevealedCredentials { password: "s3cret-Value".to_owned() };
        assert!(!format!("{revealed:?}").contains("s3cret"));
    }
}
