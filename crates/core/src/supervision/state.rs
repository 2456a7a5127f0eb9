//! What the rules say about a flow at one moment.

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use super::*;
use crate::orders::OrderStatus;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OpenAppeal {
    pub by: Party,
    pub reason: String,
    #[serde(with = "time::serde::rfc3339")]
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub opened_at: OffsetDateTime,
}

/// Counts since the flow started or since an appeal was resolved by resuming it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Counters {
    pub request_rejections: u32,
    pub delivery_rejections: u32,
    pub reminders: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Deadlines {
    #[serde(with = "time::serde::rfc3339")]
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub planned_completion: OffsetDateTime,
    /// Appeals are possible only before this.
    #[serde(with = "time::serde::rfc3339")]
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub appeal_window_closes_at: OffsetDateTime,
    /// Since when the side whose turn it is has not acted.
    #[serde(with = "time::serde::rfc3339::option")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, format = DateTime))]
    pub idle_since: Option<OffsetDateTime>,
    /// When the other side may appeal for idleness (if the window is still open then).
    #[serde(with = "time::serde::rfc3339::option")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, format = DateTime))]
    pub idle_appeal_at: Option<OffsetDateTime>,
    #[serde(with = "time::serde::rfc3339::option")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, format = DateTime))]
    pub next_reminder_at: Option<OffsetDateTime>,
    /// After acceptance: when the order completes.
    #[serde(with = "time::serde::rfc3339::option")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, format = DateTime))]
    pub completes_at: Option<OffsetDateTime>,
}

/// Where a negotiated unsubscription stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum NegotiationStage {
    /// The buyer asked; the seller is to propose a refund or decline.
    Asked,
    /// The seller proposed `proposal`; the buyer is to accept or reject it.
    Proposed,
    /// The seller declined; the buyer may appeal.
    Declined,
    /// The buyer rejected the offer; the seller may propose again, the buyer may appeal.
    Rejected,
    /// Settled (by the buyer's acceptance or by operations): the order is cancelled with
    /// `agreed_refund`.
    Agreed,
}

/// The buyer's request to leave a supervised purchase before it completes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Negotiation {
    pub stage: NegotiationStage,
    pub reason: String,
    #[serde(with = "time::serde::rfc3339")]
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub asked_at: OffsetDateTime,
    /// The seller's latest offer.
    pub proposal: Option<crate::money::Money>,
    /// The last move of either side: 5 days of seller silence after it are appeal grounds.
    #[serde(with = "time::serde::rfc3339")]
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub last_move_at: OffsetDateTime,
    pub agreed_refund: Option<crate::money::Money>,
}

/// Everything the rules say about a flow at one moment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FlowState {
    pub step: Step,
    pub turn: Option<Party>,
    pub open_appeal: Option<OpenAppeal>,
    /// A negotiated unsubscription, once the buyer asked for one.
    #[serde(default)]
    pub unsubscription: Option<Negotiation>,
    pub counters: Counters,
    pub deadlines: Deadlines,
    pub order_status: OrderStatus,
    pub buyer_actions: Vec<ActionState>,
    pub seller_actions: Vec<ActionState>,
    pub operations_actions: Vec<ActionState>,
}

impl FlowState {
    pub fn frozen(&self) -> bool {
        self.open_appeal.is_some()
    }

    pub fn actions_for(&self, party: Party) -> &[ActionState] {
        match party {
            Party::Buyer => &self.buyer_actions,
            Party::Seller => &self.seller_actions,
            Party::Operations => &self.operations_actions,
            Party::System => &[],
        }
    }

    /// `Ok` when `party` may do `action` now, else why not.
    pub fn check(&self, party: Party, action: FlowAction) -> Result<(), Blocked> {
        match self.actions_for(party).iter().find(|state| state.action == action) {
            Some(ActionState { blocked: None, .. }) => Ok(()),
            Some(ActionState { blocked: Some(blocked), .. }) => Err(blocked.clone()),
            None => Err(Blocked::WrongStep),
        }
    }
}
