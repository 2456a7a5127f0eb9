//! What participants can do, and why an action is unavailable.

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use super::*;

stable_names!(FlowAction);

/// Everything a participant can do to a flow.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, strum::EnumString, strum::IntoStaticStr)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum FlowAction {
    SubmitRequest,
    AcceptRequest,
    RejectRequest,
    PostProgress,
    Deliver,
    AcceptDelivery,
    RejectDelivery,
    Remind,
    Appeal,
    ResolveAppeal,
    /// Buyer: ask to leave before completion, with a reason.
    AskUnsubscription,
    /// Seller: offer a refund for leaving early.
    ProposeRefund,
    /// Seller: refuse to let the buyer leave early.
    DeclineUnsubscription,
    /// Buyer: take the seller's offer (the order is cancelled with that refund).
    AcceptProposal,
    /// Buyer: refuse the seller's offer (the buyer may then appeal).
    RejectProposal,
    /// Operations: decide the refund of an appealed unsubscription.
    DecideUnsubscription,
}

impl FlowAction {
    pub const BUYER: [FlowAction; 8] = [
        FlowAction::SubmitRequest,
        FlowAction::AcceptDelivery,
        FlowAction::RejectDelivery,
        FlowAction::Remind,
        FlowAction::Appeal,
        FlowAction::AskUnsubscription,
        FlowAction::AcceptProposal,
        FlowAction::RejectProposal,
    ];
    pub const SELLER: [FlowAction; 7] = [
        FlowAction::AcceptRequest,
        FlowAction::RejectRequest,
        FlowAction::PostProgress,
        FlowAction::Deliver,
        FlowAction::Appeal,
        FlowAction::ProposeRefund,
        FlowAction::DeclineUnsubscription,
    ];
    pub const OPERATIONS: [FlowAction; 2] = [FlowAction::ResolveAppeal, FlowAction::DecideUnsubscription];

    pub fn for_party(party: Party) -> &'static [FlowAction] {
        match party {
            Party::Buyer => &FlowAction::BUYER,
            Party::Seller => &FlowAction::SELLER,
            Party::Operations => &FlowAction::OPERATIONS,
            Party::System => &[],
        }
    }
}

/// Why an action is not available now.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "code", rename_all = "snake_case")]
pub enum Blocked {
    /// An appeal is open; only operations can act.
    Frozen,
    /// The flow is over.
    Finished,
    /// The buyer accepted; the order completes at `completes_at`.
    AwaitingCompletion {
        #[serde(with = "time::serde::rfc3339")]
        #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
        completes_at: OffsetDateTime,
    },
    /// The action belongs to another step of the flow.
    WrongStep,
    /// The limit of rejections is reached; accept, or appeal.
    RejectionLimitReached { limit: u32 },
    /// A reminder was sent less than a day ago.
    RemindedRecently {
        #[serde(with = "time::serde::rfc3339")]
        #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
        next_at: OffsetDateTime,
    },
    /// Appeal: the other side has not been idle long enough (and no other ground holds).
    NotIdleLongEnough {
        #[serde(with = "time::serde::rfc3339")]
        #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
        idle_since: OffsetDateTime,
        #[serde(with = "time::serde::rfc3339")]
        #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
        allowed_at: OffsetDateTime,
    },
    /// Appeal: no ground holds at this step (it is not the other side's turn, and the
    /// rejection counts are below the limit).
    NoGrounds,
    /// Appeal: the last 15 days before planned completion.
    AppealWindowClosed {
        #[serde(with = "time::serde::rfc3339")]
        #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
        closed_at: OffsetDateTime,
    },
    /// Operations: there is no open appeal to resolve.
    NoOpenAppeal,
    /// The timeline holds as many entries as a flow may have; operations must help.
    TimelineFull { limit: u32 },
    /// Unsubscription: the buyer has not asked to leave (or the seller already answered).
    NoUnsubscriptionAsked,
    /// Unsubscription: the buyer's request is waiting for the seller, or an offer for the buyer.
    UnsubscriptionUnderWay,
    /// Unsubscription: there is no offer from the seller to answer.
    NoProposal,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ActionState {
    pub action: FlowAction,
    /// `None` when allowed now.
    pub blocked: Option<Blocked>,
}

impl ActionState {
    pub fn allowed(&self) -> bool {
        self.blocked.is_none()
    }
}
