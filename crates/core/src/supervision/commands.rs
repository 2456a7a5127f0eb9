//! Actions as the API receives them, checked and turned into events.

use crate::error::FieldErrorCode;
use serde::{Deserialize, Serialize};
use time::{Duration, OffsetDateTime};

use super::*;
use crate::error::FieldErrors;
use crate::money::Money;

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
    AskUnsubscription {
        reason: String,
    },
    ProposeRefund {
        amount: Money,
        #[serde(default)]
        note: Option<String>,
    },
    DeclineUnsubscription {
        reason: String,
    },
    AcceptProposal,
    RejectProposal {
        reason: String,
    },
    DecideUnsubscription {
        amount: Money,
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
            FlowCommand::AskUnsubscription { .. } => FlowAction::AskUnsubscription,
            FlowCommand::ProposeRefund { .. } => FlowAction::ProposeRefund,
            FlowCommand::DeclineUnsubscription { .. } => FlowAction::DeclineUnsubscription,
            FlowCommand::AcceptProposal => FlowAction::AcceptProposal,
            FlowCommand::RejectProposal { .. } => FlowAction::RejectProposal,
            FlowCommand::DecideUnsubscription { .. } => FlowAction::DecideUnsubscription,
        }
    }

    /// Checks the command's own content (notes, reasons, the request against `template`,
    /// the service start time, a refund against `paid`) and turns it into the event to record.
    pub fn to_event(
        &self,
        template: &[TemplateField],
        started_at: OffsetDateTime,
        paid: Money,
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
            FlowCommand::AskUnsubscription { reason } => checked(
                validate_note("reason", reason, true),
                FlowEventKind::UnsubscriptionAsked { reason: reason.trim().to_owned() },
            ),
            FlowCommand::ProposeRefund { amount, note } => {
                let mut errors = validate_note("note", note.as_deref().unwrap_or(""), false);
                check_refund(&mut errors, *amount, paid);
                checked(errors, FlowEventKind::RefundProposed { amount: *amount, note: optional(note) })
            }
            FlowCommand::DeclineUnsubscription { reason } => checked(
                validate_note("reason", reason, true),
                FlowEventKind::UnsubscriptionDeclined { reason: reason.trim().to_owned() },
            ),
            FlowCommand::AcceptProposal => Ok(FlowEventKind::ProposalAccepted),
            FlowCommand::RejectProposal { reason } => checked(
                validate_note("reason", reason, true),
                FlowEventKind::ProposalRejected { reason: reason.trim().to_owned() },
            ),
            FlowCommand::DecideUnsubscription { amount, note } => {
                let mut errors = validate_note("note", note, true);
                check_refund(&mut errors, *amount, paid);
                checked(errors, FlowEventKind::UnsubscriptionDecided { amount: *amount, note: note.trim().to_owned() })
            }
        }
    }
}

/// A refund is between nothing and what was paid, in the same currency.
fn check_refund(errors: &mut FieldErrors, amount: Money, paid: Money) {
    if amount.currency != paid.currency {
        errors.push("amount", FieldErrorCode::Invalid, format!("The refund is in {}.", paid.currency.as_str()));
    } else if amount.amount_minor < 0 || amount.amount_minor > paid.amount_minor {
        errors.push(
            "amount",
            FieldErrorCode::OutOfRange,
            format!("Refund between 0 and {} (what was paid).", paid.amount_minor),
        );
    }
}
