//! Actions as the API receives them, checked and turned into events.

use crate::error::FieldErrorCode;
use serde::{Deserialize, Serialize};
use time::{Duration, OffsetDateTime};

use super::*;
use crate::error::FieldErrors;

/// One action by one participant, as sent to `POST /supervision/flows/{id}/actions`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum FlowCommand {
    SubmitRequest {
        values: RequestValues,
    },
    AcceptRequest {
        #[serde(default)]
        note: Option<String>,
    },
    RejectRequest {
        reason: String,
    },
    PostProgress {
        note: String,
    },
    Deliver {
        note: String,
        #[serde(with = "time::serde::rfc3339")]
        #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
        service_started_at: OffsetDateTime,
    },
    AcceptDelivery {
        #[serde(default)]
        note: Option<String>,
    },
    RejectDelivery {
        reason: String,
    },
    Remind,
    Appeal {
        reason: String,
    },
    ResolveAppeal {
        outcome: AppealOutcome,
        note: String,
    },
}

impl FlowCommand {
    pub fn action(&self) -> FlowAction {
        match self {
            FlowCommand::SubmitRequest { .. } => FlowAction::SubmitRequest,
            FlowCommand::AcceptRequest { .. } => FlowAction::AcceptRequest,
            FlowCommand::RejectRequest { .. } => FlowAction::RejectRequest,
            FlowCommand::PostProgress { .. } => FlowAction::PostProgress,
            FlowCommand::Deliver { .. } => FlowAction::Deliver,
            FlowCommand::AcceptDelivery { .. } => FlowAction::AcceptDelivery,
            FlowCommand::RejectDelivery { .. } => FlowAction::RejectDelivery,
            FlowCommand::Remind => FlowAction::Remind,
            FlowCommand::Appeal { .. } => FlowAction::Appeal,
            FlowCommand::ResolveAppeal { .. } => FlowAction::ResolveAppeal,
        }
    }

    /// Checks the command's own content (notes, reasons, the request against `template`,
    /// the service start time) and turns it into the event to record.
    pub fn to_event(
        &self,
        template: &[TemplateField],
        started_at: OffsetDateTime,
        now: OffsetDateTime,
    ) -> Result<FlowEventKind, FieldErrors> {
        let optional =
            |note: &Option<String>| note.as_deref().map(str::trim).filter(|n| !n.is_empty()).map(str::to_owned);
        let checked = |errors: FieldErrors, kind: FlowEventKind| if errors.is_empty() { Ok(kind) } else { Err(errors) };
        match self {
            FlowCommand::SubmitRequest { values } => {
                let values: RequestValues = values.iter().map(|(k, v)| (k.clone(), v.trim().to_owned())).collect();
                checked(validate_request(template, &values), FlowEventKind::RequestSubmitted { values })
            }
            FlowCommand::AcceptRequest { note } => checked(
                validate_note("note", note.as_deref().unwrap_or(""), false),
                FlowEventKind::RequestAccepted { note: optional(note) },
            ),
            FlowCommand::RejectRequest { reason } => checked(
                validate_note("reason", reason, true),
                FlowEventKind::RequestRejected { reason: reason.trim().to_owned() },
            ),
            FlowCommand::PostProgress { note } => checked(
                validate_note("note", note, true),
                FlowEventKind::ProgressUpdated { note: note.trim().to_owned() },
            ),
            FlowCommand::Deliver { note, service_started_at } => {
                let mut errors = validate_note("note", note, true);
                // Forms give minutes, so the start may read up to a minute before payment.
                if *service_started_at > now || *service_started_at + Duration::minutes(1) <= started_at {
                    errors.push(
                        "service_started_at",
                        FieldErrorCode::OutOfRange,
                        "The service cannot start before payment or in the future.",
                    );
                }
                checked(
                    errors,
                    FlowEventKind::Delivered { note: note.trim().to_owned(), service_started_at: *service_started_at },
                )
            }
            FlowCommand::AcceptDelivery { note } => checked(
                validate_note("note", note.as_deref().unwrap_or(""), false),
                FlowEventKind::DeliveryAccepted { note: optional(note) },
            ),
            FlowCommand::RejectDelivery { reason } => checked(
                validate_note("reason", reason, true),
                FlowEventKind::DeliveryRejected { reason: reason.trim().to_owned() },
            ),
            FlowCommand::Remind => Ok(FlowEventKind::Reminded),
            FlowCommand::Appeal { reason } => checked(
                validate_note("reason", reason, true),
                FlowEventKind::AppealOpened { reason: reason.trim().to_owned() },
            ),
            FlowCommand::ResolveAppeal { outcome, note } => checked(
                validate_note("note", note, true),
                FlowEventKind::AppealResolved { outcome: *outcome, note: note.trim().to_owned() },
            ),
        }
    }
}
