//! Flows as the API lists and shows them.

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use super::*;
use crate::ids::{FlowId, OrderId, ProductId};
use crate::orders::OrderStatus;

/// One row of a supervision list, with what the viewer may do in it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FlowSummary {
    pub id: FlowId,
    pub order_id: OrderId,
    pub order_number: String,
    pub product_id: ProductId,
    pub product_name: String,
    pub sku_name: String,
    pub buyer_name: String,
    pub seller_name: String,
    pub kind: FlowKind,
    pub step: Step,
    pub turn: Option<Party>,
    pub frozen: bool,
    pub order_status: OrderStatus,
    /// The viewer's side in this flow.
    pub viewer: Party,
    /// The viewer's actions now (allowed or why not).
    pub actions: Vec<ActionState>,
    #[serde(with = "time::serde::rfc3339")]
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub started_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub planned_completion: OffsetDateTime,
    pub version: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FlowPage {
    pub items: Vec<FlowSummary>,
    pub total: u64,
    pub page: u32,
    pub page_size: u32,
}

/// A flow with its whole history, evaluated at the server's `now`. The SPA re-evaluates
/// the same history every second (shifted by the server's clock) to count down.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FlowDetail {
    pub summary: FlowSummary,
    pub template: Vec<TemplateField>,
    pub history: Vec<FlowEvent>,
    pub state: FlowState,
    /// The server's clock when this was read (it may be moved in demo mode).
    #[serde(with = "time::serde::rfc3339")]
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub server_now: OffsetDateTime,
    /// Buyers of SaaS products: the application information before the flow completes.
    pub application: Option<crate::apps::ApplicationInfo>,
    /// What the buyer paid: the most a negotiated unsubscription can refund.
    pub paid: crate::money::Money,
}

impl FlowDetail {
    /// Whether the flow's end is recorded, so nothing about it changes any more: cancelled,
    /// completed by time (the sweeper records that shortly after the deadline), or completed
    /// by an appeal's resolution.
    pub fn is_finished(&self) -> bool {
        self.state.step == Step::Cancelled
            || self.history.last().is_some_and(|event| matches!(event.kind, FlowEventKind::Completed))
            || (self.state.step == Step::Completed
                && self.history.iter().any(|event| matches!(event.kind, FlowEventKind::AppealResolved { .. })))
    }
}
