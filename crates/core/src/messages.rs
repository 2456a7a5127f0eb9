//! The Messages centre's wire types: what a message is about (its topic, worded by the SPA
//! in the reader's language), what it links to, and the unread count the header bell shows.

use serde::{Deserialize, Serialize};
use time::{Duration, OffsetDateTime};

use crate::ids::{AppId, FlowId, OrderId};
use crate::lifecycle::ReminderKind;
use crate::trials::TrialReminder;

stable_names!(MessageTopic, MessageGroup);

/// A message that reaches the reader this much or more after it fell due says that it is
/// late (a sweeper that was down sends what fell due meanwhile when it is back). Below
/// this, the sweeper's own interval of a few seconds is not worth a word.
pub const LATE_AFTER: Duration = Duration::hours(1);

/// Whether a message due at `due_at` and sent at `sent_at` came late.
pub fn sent_late(due_at: OffsetDateTime, sent_at: OffsetDateTime) -> bool {
    sent_at - due_at >= LATE_AFTER
}

/// What a message says. Each is sent once per object and occasion.
// `VariantArray`: `MessageTopic::VARIANTS` lists them all, so a test over every topic
// cannot miss a new one.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    Serialize,
    Deserialize,
    strum::EnumString,
    strum::IntoStaticStr,
    strum::VariantArray,
)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "sqlx", derive(sqlx::Type), sqlx(type_name = "text", rename_all = "snake_case"))]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum MessageTopic {
    /// The app expires on `at` (7, 3 or 1 days ahead).
    ExpiresSoon,
    /// The app renews automatically on `at`.
    WillRenewAutomatically,
    /// The app expired; it stays usable until `at` (the end of grace).
    Expired,
    /// The app is frozen; it is released on `at` unless renewed.
    Frozen,
    /// The app is released on `at` (in 2 days) unless renewed.
    ReleasesSoon,
    /// The app was released.
    Released,
    /// Auto-renew paid a new term, which ends on `at`.
    AutoRenewed,
    /// Auto-renew could not pay; it tries again on `at`.
    AutoRenewFailed,
    /// The seller's set-up failed; the payment was refunded.
    ProvisioningFailed,
    /// The buyer unsubscribed from the app; it was released and any refund is on its way.
    Unsubscribed,
    /// The unpaid order is cancelled automatically on `at`.
    UnpaidOrderCancelsSoon,
    /// A supervised flow waits for the reader.
    FlowYourTurn,
    AppealOpened,
    AppealResolved,
    FlowCompleted,
    /// A usage charge failed: the app is in arrears and freezes on `at` unless paid.
    UsageChargeFailed,
    /// In arrears for a day: frozen, released on `at` unless the outstanding is paid.
    UsageFrozen,
    /// Released for unpaid usage.
    UsageReleased,
    /// The outstanding usage was paid: the app is usable again.
    UsageReinstated,
    /// This month's usage reached 80 % of the spending cap.
    SpendingCapWarning,
    /// This month's usage reached the spending cap: the app is suspended until `at` (the
    /// month's end) or until the cap is raised.
    SpendingCapReached,
    /// The free trial ends on `at` (7, 3 or 1 days ahead); nothing is charged unless bought.
    TrialEndsSoon,
    /// The trial ended unbought: the app is frozen and released on `at` unless bought.
    TrialEnded,
    /// The trial ended unbought and its app was released.
    TrialReleased,
    /// An invoice (or credit note) for the order was issued: see Invoices.
    InvoiceIssued,
    /// The seller rejected the invoice requested for the order; the reason is on Invoices.
    InvoiceRejected,
    /// Operations: a seller let the invoice requested for the order pass its deadline `at`.
    InvoiceOverdue,
    /// A support ticket about the order waits for your answer (the seller's deadline `at`,
    /// if any): new, answered by the buyer, reopened, returned or escalated to you.
    TicketNeedsAnswer,
    /// The seller (or operations) answered your support ticket about the order.
    TicketAnswered,
    /// Your support ticket was marked resolved: confirm or reopen it; it closes itself on `at`.
    TicketResolved,
    /// The buyer escalated the support ticket to operations, who have it now.
    TicketEscalated,
    /// The support ticket about the order was closed.
    TicketClosed,
    /// The seller did not answer your support ticket by `at` (24 hours): you may escalate
    /// it to operations now.
    TicketSellerLate,
    /// Seller staff: the support ticket about the order passed its answer deadline `at`;
    /// the buyer may escalate it now.
    TicketOverdue,
}

/// Filters of the Messages page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, strum::EnumString, strum::IntoStaticStr)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum MessageGroup {
    /// Expiry, renewal and release of apps.
    Renewals,
    /// Orders and their set-up.
    Orders,
    /// Supervised service flows.
    Supervision,
    /// Pay-per-use charges, arrears and spending caps.
    Billing,
    /// After-sales support tickets.
    Support,
}

impl MessageGroup {
    pub const ALL: [MessageGroup; 5] = [
        MessageGroup::Renewals,
        MessageGroup::Orders,
        MessageGroup::Supervision,
        MessageGroup::Billing,
        MessageGroup::Support,
    ];

    pub fn topics(self) -> &'static [MessageTopic] {
        use MessageTopic::*;
        match self {
            MessageGroup::Renewals => &[
                ExpiresSoon,
                WillRenewAutomatically,
                Expired,
                Frozen,
                ReleasesSoon,
                Released,
                AutoRenewed,
                AutoRenewFailed,
                TrialEndsSoon,
                TrialEnded,
                TrialReleased,
            ],
            MessageGroup::Orders => &[
                ProvisioningFailed,
                UnpaidOrderCancelsSoon,
                Unsubscribed,
                InvoiceIssued,
                InvoiceRejected,
                InvoiceOverdue,
            ],
            MessageGroup::Supervision => &[FlowYourTurn, AppealOpened, AppealResolved, FlowCompleted],
            MessageGroup::Billing => &[
                UsageChargeFailed,
                UsageFrozen,
                UsageReleased,
                UsageReinstated,
                SpendingCapWarning,
                SpendingCapReached,
            ],
            MessageGroup::Support => &[
                TicketNeedsAnswer,
                TicketAnswered,
                TicketResolved,
                TicketEscalated,
                TicketClosed,
                TicketSellerLate,
                TicketOverdue,
            ],
        }
    }
}

impl MessageTopic {
    /// The message a term's reminder sends, given whether the app renews by itself.
    pub fn for_reminder(kind: ReminderKind, auto_renew: bool) -> MessageTopic {
        match kind {
            ReminderKind::ExpiresIn7Days | ReminderKind::ExpiresIn3Days | ReminderKind::ExpiresIn1Day if auto_renew => {
                MessageTopic::WillRenewAutomatically
            }
            ReminderKind::ExpiresIn7Days | ReminderKind::ExpiresIn3Days | ReminderKind::ExpiresIn1Day => {
                MessageTopic::ExpiresSoon
            }
            ReminderKind::Expired => MessageTopic::Expired,
            ReminderKind::Frozen => MessageTopic::Frozen,
            ReminderKind::ReleasesIn2Days => MessageTopic::ReleasesSoon,
            ReminderKind::Released => MessageTopic::Released,
        }
    }

    /// The message a free trial's reminder sends.
    pub fn for_trial_reminder(kind: TrialReminder) -> MessageTopic {
        match kind {
            TrialReminder::EndsIn7Days | TrialReminder::EndsIn3Days | TrialReminder::EndsIn1Day => {
                MessageTopic::TrialEndsSoon
            }
            TrialReminder::Ended => MessageTopic::TrialEnded,
            TrialReminder::Released => MessageTopic::TrialReleased,
        }
    }

    pub fn group(self) -> MessageGroup {
        MessageGroup::ALL.into_iter().find(|group| group.topics().contains(&self)).unwrap_or(MessageGroup::Orders)
    }
}

/// Where a message leads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "to", rename_all = "snake_case")]
pub enum MessageLink {
    /// Resource Details of an app (or Renewal Management once it is released).
    App {
        app_id: AppId,
    },
    Order {
        order_id: OrderId,
    },
    Flow {
        flow_id: FlowId,
    },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Message {
    pub id: i64,
    pub topic: MessageTopic,
    /// What it is about, as the catalog names it (a product) — not translated.
    pub subject: String,
    /// The order number it concerns, e.g. `BZ00000042`.
    pub order_number: String,
    /// The date the topic speaks of (see each topic), if any.
    #[serde(with = "time::serde::rfc3339::option")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, format = DateTime))]
    pub at: Option<OffsetDateTime>,
    pub link: MessageLink,
    /// When it was sent.
    #[serde(with = "time::serde::rfc3339")]
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub created_at: OffsetDateTime,
    /// When it fell due: `created_at` for news sent as it happens, the reminder's own time
    /// for one a sweeper sends late (see [`Message::is_late`]).
    #[serde(with = "time::serde::rfc3339")]
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub due_at: OffsetDateTime,
    pub read: bool,
}

impl Message {
    /// Whether it reached the reader late enough to say so ([`LATE_AFTER`]).
    pub fn is_late(&self) -> bool {
        sent_late(self.due_at, self.created_at)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MessagePage {
    pub items: Vec<Message>,
    pub total: u64,
    pub page: u32,
    pub page_size: u32,
    /// Unread messages of the account, whatever the filter.
    pub unread: u64,
}

/// What the header bell polls.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UnreadCount {
    pub unread: u64,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_topic_is_in_exactly_one_group() {
        use strum::VariantArray as _;
        assert!(MessageTopic::VARIANTS.len() >= 34);
        for &topic in MessageTopic::VARIANTS {
            let groups = MessageGroup::ALL.iter().filter(|group| group.topics().contains(&topic)).count();
            assert_eq!(groups, 1, "{topic:?}");
        }
    }

    #[test]
    fn a_message_is_late_from_an_hour_after_it_fell_due() {
        let due = time::macros::datetime!(2026-06-30 12:00 UTC);
        assert!(!sent_late(due, due));
        assert!(!sent_late(due, due + LATE_AFTER - Duration::seconds(1)));
        assert!(sent_late(due, due + LATE_AFTER));
        assert!(sent_late(due, due + Duration::days(28)));
        // A clock that went back (another instance's) never makes one "late".
        assert!(!sent_late(due, due - Duration::days(1)));
    }

    #[test]
    fn reminders_before_expiry_say_whether_the_app_renews_by_itself() {
        assert_eq!(MessageTopic::for_reminder(ReminderKind::ExpiresIn3Days, false), MessageTopic::ExpiresSoon);
        assert_eq!(
            MessageTopic::for_reminder(ReminderKind::ExpiresIn3Days, true),
            MessageTopic::WillRenewAutomatically
        );
        assert_eq!(MessageTopic::for_reminder(ReminderKind::Frozen, true), MessageTopic::Frozen);
    }
}
