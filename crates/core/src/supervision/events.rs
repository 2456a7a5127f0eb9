//! The flow's history: kinds, parties, events and steps.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use crate::money::Money;

/// Licences start with the seller providing the service; everything else with a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, strum::EnumString, strum::IntoStaticStr)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
#[cfg_attr(feature = "sqlx", derive(sqlx::Type), sqlx(type_name = "text", rename_all = "snake_case"))]
pub enum FlowKind {
    Standard,
    License,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, strum::EnumString, strum::IntoStaticStr)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
#[cfg_attr(feature = "sqlx", derive(sqlx::Type), sqlx(type_name = "text", rename_all = "snake_case"))]
pub enum Party {
    Buyer,
    Seller,
    Operations,
    /// The marketplace itself (flow start, completion by time).
    System,
}

/// How operations resolved an appeal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum AppealOutcome {
    /// The flow continues where it was.
    Resume,
    /// The seller did its part: the order completes.
    CompleteForSeller,
    /// The buyer is right: the order is cancelled and refunded.
    RefundBuyer,
}

/// A value the buyer filled into one field of the seller's request template.
pub type RequestValues = BTreeMap<String, String>;

/// What happened. The timeline shows these in order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum FlowEventKind {
    FlowStarted,
    RequestSubmitted {
        values: RequestValues,
    },
    RequestAccepted {
        note: Option<String>,
    },
    RequestRejected {
        reason: String,
    },
    ProgressUpdated {
        note: String,
    },
    Delivered {
        note: String,
        #[serde(with = "time::serde::rfc3339")]
        #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
        service_started_at: OffsetDateTime,
    },
    DeliveryAccepted {
        note: Option<String>,
    },
    DeliveryRejected {
        reason: String,
    },
    Reminded,
    AppealOpened {
        reason: String,
    },
    AppealResolved {
        outcome: AppealOutcome,
        note: String,
    },
    /// Recorded when the completion delay after acceptance has passed.
    Completed,
    /// The buyer asks to leave before the flow completes (a negotiated unsubscription).
    UnsubscriptionAsked {
        reason: String,
    },
    /// The seller offers to refund this much (0 … what was paid).
    RefundProposed {
        amount: Money,
        note: Option<String>,
    },
    /// The seller refuses to let the buyer leave early.
    UnsubscriptionDeclined {
        reason: String,
    },
    /// The buyer takes the seller's offer: the order is cancelled with that refund.
    ProposalAccepted,
    ProposalRejected {
        reason: String,
    },
    /// Operations decided the refund on the buyer's appeal: the order is cancelled with it.
    UnsubscriptionDecided {
        amount: Money,
        note: String,
    },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FlowEvent {
    pub sequence: u32,
    pub by: Party,
    /// Display name of the person (or "Bazaar" for the system).
    pub by_name: String,
    #[serde(with = "time::serde::rfc3339")]
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub at: OffsetDateTime,
    #[serde(flatten)]
    pub kind: FlowEventKind,
}

/// Where the flow stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, strum::EnumString, strum::IntoStaticStr)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
#[cfg_attr(feature = "sqlx", derive(sqlx::Type), sqlx(type_name = "text", rename_all = "snake_case"))]
pub enum Step {
    /// The buyer is to submit the request.
    AwaitingRequest,
    /// The seller is to accept or reject the request.
    RequestUnderReview,
    /// The seller rejected the request; the buyer is to edit and resubmit it.
    RequestRejected,
    /// The seller is providing the service (progress updates, then delivery).
    InService,
    /// The buyer is to accept or reject the delivery.
    DeliveryUnderReview,
    /// The buyer accepted; the order completes when the delay has passed.
    Accepted,
    Completed,
    Cancelled,
}

impl Step {
    pub const ALL: [Step; 8] = [
        Step::AwaitingRequest,
        Step::RequestUnderReview,
        Step::RequestRejected,
        Step::InService,
        Step::DeliveryUnderReview,
        Step::Accepted,
        Step::Completed,
        Step::Cancelled,
    ];

    pub fn is_terminal(self) -> bool {
        matches!(self, Step::Completed | Step::Cancelled)
    }

    /// Whose move it is at this step.
    pub fn turn(self) -> Option<Party> {
        match self {
            Step::AwaitingRequest | Step::RequestRejected | Step::DeliveryUnderReview => Some(Party::Buyer),
            Step::RequestUnderReview | Step::InService => Some(Party::Seller),
            Step::Accepted | Step::Completed | Step::Cancelled => None,
        }
    }
}
