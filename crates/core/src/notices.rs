//! Lifecycle notices to sellers: the events a seller's system must act on (suspend, release,
//! reinstate, renew, unsubscribe an instance), and how their delivery stands.

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use crate::ids::ProductId;

stable_names!(NoticeKind, NoticeState);

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, strum::EnumString, strum::IntoStaticStr)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "sqlx", derive(sqlx::Type), sqlx(type_name = "text", rename_all = "snake_case"))]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum NoticeKind {
    /// The buyer paid a new term; `expires_at` is its end.
    Renewed,
    /// The app is frozen: stop serving it, keep its data.
    Suspended,
    /// A frozen app was renewed: serve it again.
    Reinstated,
    /// The app is released: its data may be deleted.
    Released,
    /// The buyer left: stop serving it.
    Unsubscribed,
    /// The buyer bought the trial app: serve it, as a paid app, until `expires_at`.
    TrialConverted,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, strum::EnumString, strum::IntoStaticStr)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "sqlx", derive(sqlx::Type), sqlx(type_name = "text", rename_all = "snake_case"))]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum NoticeState {
    /// Waiting for its first or next try.
    Queued,
    Delivered,
    /// Given up after the last try.
    Failed,
}

/// What a seller's notices endpoint receives (the body is signed like provisioning calls).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NoticeBody {
    /// The idempotency key: the same event may arrive more than once.
    pub event_id: String,
    pub kind: NoticeKind,
    /// The instance's order line, as in the provisioning call.
    pub order_line_id: String,
    pub order_number: String,
    pub product_id: ProductId,
    #[serde(with = "time::serde::rfc3339::option")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, format = DateTime))]
    pub expires_at: Option<OffsetDateTime>,
    #[serde(with = "time::serde::rfc3339")]
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub occurred_at: OffsetDateTime,
    /// `trial_converted` only: the quantity bought (the buyer may choose another than the
    /// trial's).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quantity: Option<i64>,
}

/// One notice as the Seller Console lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SellerNotice {
    pub event_id: String,
    pub kind: NoticeKind,
    pub order_number: String,
    pub product_name: String,
    #[serde(with = "time::serde::rfc3339")]
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub occurred_at: OffsetDateTime,
    pub state: NoticeState,
    pub attempts: u32,
    /// Why the last try failed, if it did.
    pub last_error: Option<String>,
    #[serde(with = "time::serde::rfc3339::option")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, format = DateTime))]
    pub delivered_at: Option<OffsetDateTime>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SellerNoticePage {
    pub items: Vec<SellerNotice>,
    pub total: u64,
    pub page: u32,
    pub page_size: u32,
}

/// Tries a notice gets before it is marked failed.
pub const NOTICE_ATTEMPTS: u32 = 10;

/// Seconds before the try after `attempts` failed ones: 2, 4, 8 … capped at an hour.
pub fn notice_backoff_seconds(attempts: u32) -> i64 {
    2_i64.saturating_pow(attempts.min(20)).min(3_600)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn back_off_doubles_up_to_an_hour() {
        assert_eq!((1..=5).map(notice_backoff_seconds).collect::<Vec<_>>(), [2, 4, 8, 16, 32]);
        assert_eq!(notice_backoff_seconds(12), 3_600);
        assert_eq!(notice_backoff_seconds(u32::MAX), 3_600);
    }
}
