//! Rules tests: every boundary decided exactly (`rules`), and property tests over random
//! histories (`properties`). The helpers here build histories step by step.

mod properties;
mod rules;

use time::macros::datetime;

use time::{Duration, OffsetDateTime};

use super::*;
use crate::orders::OrderStatus;

const START: OffsetDateTime = datetime!(2026-01-01 00:00 UTC);

fn planned() -> OffsetDateTime {
    START + Duration::days(90)
}

fn event(sequence: u32, by: Party, at: OffsetDateTime, kind: FlowEventKind) -> FlowEvent {
    FlowEvent { sequence, by, by_name: format!("{by:?}"), at, kind }
}

/// A history built step by step; each step is checked against the rules first.
struct Flow {
    kind: FlowKind,
    history: Vec<FlowEvent>,
}

impl Flow {
    fn new(kind: FlowKind) -> Flow {
        Flow { kind, history: vec![event(0, Party::System, START, FlowEventKind::FlowStarted)] }
    }

    fn state(&self, now: OffsetDateTime) -> FlowState {
        evaluate(&self.history, self.kind, START, planned(), now)
    }

    /// Applies `action` by `party` at `at` when the rules allow it; returns whether they did.
    fn act(&mut self, party: Party, action: FlowAction, at: OffsetDateTime) -> Result<(), Blocked> {
        self.state(at).check(party, action)?;
        let kind = match action {
            FlowAction::SubmitRequest => FlowEventKind::RequestSubmitted { values: RequestValues::new() },
            FlowAction::AcceptRequest => FlowEventKind::RequestAccepted { note: None },
            FlowAction::RejectRequest => FlowEventKind::RequestRejected { reason: "no".into() },
            FlowAction::PostProgress => FlowEventKind::ProgressUpdated { note: "working".into() },
            FlowAction::Deliver => FlowEventKind::Delivered { note: "done".into(), service_started_at: at },
            FlowAction::AcceptDelivery => FlowEventKind::DeliveryAccepted { note: None },
            FlowAction::RejectDelivery => FlowEventKind::DeliveryRejected { reason: "no".into() },
            FlowAction::Remind => FlowEventKind::Reminded,
            FlowAction::Appeal => FlowEventKind::AppealOpened { reason: "stuck".into() },
            FlowAction::ResolveAppeal => {
                FlowEventKind::AppealResolved { outcome: AppealOutcome::Resume, note: "resume".into() }
            }
            FlowAction::AskUnsubscription => FlowEventKind::UnsubscriptionAsked { reason: "leaving".into() },
            FlowAction::ProposeRefund => FlowEventKind::RefundProposed { amount: yuan(5_000), note: None },
            FlowAction::DeclineUnsubscription => FlowEventKind::UnsubscriptionDeclined { reason: "no".into() },
            FlowAction::AcceptProposal => FlowEventKind::ProposalAccepted,
            FlowAction::RejectProposal => FlowEventKind::ProposalRejected { reason: "too little".into() },
            FlowAction::DecideUnsubscription => {
                FlowEventKind::UnsubscriptionDecided { amount: yuan(7_000), note: "decided".into() }
            }
        };
        let sequence = self.history.len() as u32;
        self.history.push(event(sequence, party, at, kind));
        Ok(())
    }

    fn resolve(&mut self, outcome: AppealOutcome, at: OffsetDateTime) {
        self.state(at).check(Party::Operations, FlowAction::ResolveAppeal).unwrap();
        let sequence = self.history.len() as u32;
        self.history.push(event(
            sequence,
            Party::Operations,
            at,
            FlowEventKind::AppealResolved { outcome, note: "decided".into() },
        ));
    }
}

fn yuan(minor: i64) -> crate::money::Money {
    crate::money::Money::new(minor, crate::money::Currency::CNY)
}

fn minutes(n: i64) -> Duration {
    Duration::minutes(n)
}

fn template_field(key: &str, kind: TemplateFieldKind) -> TemplateField {
    TemplateField { key: key.to_owned(), label: format!("Label of {key}"), kind, required: true, hint: None }
}
