//! The rules: the history folded, then evaluated at a moment.

use time::{Duration, OffsetDateTime};

use super::*;
use crate::orders::OrderStatus;

/// The folded history: facts the rules need, before "now" is applied.
struct Folded {
    step: Step,
    turn_started_at: OffsetDateTime,
    seller_last_active_at: Option<OffsetDateTime>,
    accepted_at: Option<OffsetDateTime>,
    last_reminder_at: Option<OffsetDateTime>,
    open_appeal: Option<OpenAppeal>,
    negotiation: Option<Negotiation>,
    counters: Counters,
}

fn fold(history: &[FlowEvent], kind: FlowKind, started_at: OffsetDateTime) -> Folded {
    let first_step = match kind {
        FlowKind::Standard => Step::AwaitingRequest,
        FlowKind::License => Step::InService,
    };
    let mut folded = Folded {
        step: first_step,
        turn_started_at: started_at,
        seller_last_active_at: None,
        accepted_at: None,
        last_reminder_at: None,
        open_appeal: None,
        negotiation: None,
        counters: Counters::default(),
    };
    for event in history {
        folded.apply(event, first_step);
    }
    folded
}

impl Folded {
    /// One event, by the part of the flow it belongs to (every kind named, so that a new
    /// one does not compile until it is placed).
    fn apply(&mut self, event: &FlowEvent, first_step: Step) {
        use FlowEventKind as Kind;
        match &event.kind {
            Kind::FlowStarted
            | Kind::RequestSubmitted { .. }
            | Kind::RequestAccepted { .. }
            | Kind::RequestRejected { .. }
            | Kind::ProgressUpdated { .. }
            | Kind::Delivered { .. }
            | Kind::DeliveryAccepted { .. }
            | Kind::DeliveryRejected { .. }
            | Kind::Reminded
            | Kind::Completed => self.apply_delivery(event, first_step),
            Kind::AppealOpened { .. } | Kind::AppealResolved { .. } => self.apply_appeal(event),
            Kind::UnsubscriptionAsked { .. }
            | Kind::RefundProposed { .. }
            | Kind::UnsubscriptionDeclined { .. }
            | Kind::ProposalRejected { .. }
            | Kind::ProposalAccepted
            | Kind::UnsubscriptionDecided { .. } => self.apply_unsubscription(event),
        }
    }

    /// The delivery's own steps (request, service, delivery, acceptance, reminders).
    fn apply_delivery(&mut self, event: &FlowEvent, first_step: Step) {
        let at = event.at;
        match &event.kind {
            FlowEventKind::FlowStarted => {
                self.step = first_step;
                self.turn_started_at = at;
            }
            FlowEventKind::RequestSubmitted { .. } => {
                self.step = Step::RequestUnderReview;
                self.turn_started_at = at;
            }
            FlowEventKind::RequestAccepted { .. } => {
                self.step = Step::InService;
                self.seller_last_active_at = Some(at);
            }
            FlowEventKind::RequestRejected { .. } => {
                self.step = Step::RequestRejected;
                self.turn_started_at = at;
                self.seller_last_active_at = Some(at);
                self.counters.request_rejections += 1;
            }
            FlowEventKind::ProgressUpdated { .. } => self.seller_last_active_at = Some(at),
            FlowEventKind::Delivered { .. } => {
                self.step = Step::DeliveryUnderReview;
                self.turn_started_at = at;
                self.seller_last_active_at = Some(at);
            }
            FlowEventKind::DeliveryAccepted { .. } => {
                self.step = Step::Accepted;
                self.accepted_at = Some(at);
            }
            FlowEventKind::DeliveryRejected { .. } => {
                self.step = Step::InService;
                self.turn_started_at = at;
                self.counters.delivery_rejections += 1;
            }
            FlowEventKind::Reminded => {
                self.last_reminder_at = Some(at);
                self.counters.reminders += 1;
            }
            FlowEventKind::Completed => self.step = Step::Completed,
            // Dispatched elsewhere by `apply`.
            _ => {}
        }
    }

    /// Appeals opened and resolved.
    fn apply_appeal(&mut self, event: &FlowEvent) {
        let at = event.at;
        match &event.kind {
            FlowEventKind::AppealOpened { reason } => {
                self.open_appeal = Some(OpenAppeal { by: event.by, reason: reason.clone(), opened_at: at });
            }
            FlowEventKind::AppealResolved { outcome, .. } => {
                self.open_appeal = None;
                match outcome {
                    AppealOutcome::Resume => {
                        // A fresh start: the idle clock and the rejection counts begin
                        // again, so the same grounds do not re-open an appeal at once.
                        self.turn_started_at = at;
                        self.seller_last_active_at = None;
                        self.counters.request_rejections = 0;
                        self.counters.delivery_rejections = 0;
                    }
                    AppealOutcome::CompleteForSeller => self.step = Step::Completed,
                    AppealOutcome::RefundBuyer => self.step = Step::Cancelled,
                }
            }
            // Dispatched elsewhere by `apply`.
            _ => {}
        }
    }

    /// The unsubscription negotiation: asked, a refund proposed, declined, rejected,
    /// accepted or decided by operations (the last two cancel the delivery).
    fn apply_unsubscription(&mut self, event: &FlowEvent) {
        let at = event.at;
        match &event.kind {
            FlowEventKind::UnsubscriptionAsked { reason } => {
                self.negotiation = Some(Negotiation {
                    stage: NegotiationStage::Asked,
                    reason: reason.clone(),
                    asked_at: at,
                    proposal: None,
                    last_move_at: at,
                    agreed_refund: None,
                });
            }
            FlowEventKind::RefundProposed { amount, .. } => {
                move_negotiation(self, NegotiationStage::Proposed, at, |n| {
                    n.proposal = Some(*amount);
                })
            }
            FlowEventKind::UnsubscriptionDeclined { .. } => {
                move_negotiation(self, NegotiationStage::Declined, at, |_| {});
            }
            FlowEventKind::ProposalRejected { .. } => {
                move_negotiation(self, NegotiationStage::Rejected, at, |_| {});
            }
            FlowEventKind::ProposalAccepted => {
                move_negotiation(self, NegotiationStage::Agreed, at, |n| n.agreed_refund = n.proposal);
                self.step = Step::Cancelled;
            }
            FlowEventKind::UnsubscriptionDecided { amount, .. } => {
                move_negotiation(self, NegotiationStage::Agreed, at, |n| n.agreed_refund = Some(*amount));
                self.open_appeal = None;
                self.step = Step::Cancelled;
            }
            // Dispatched elsewhere by `apply`.
            _ => {}
        }
    }
}

fn move_negotiation(
    folded: &mut Folded,
    stage: NegotiationStage,
    at: OffsetDateTime,
    change: impl FnOnce(&mut Negotiation),
) {
    if let Some(negotiation) = folded.negotiation.as_mut() {
        negotiation.stage = stage;
        negotiation.last_move_at = at;
        change(negotiation);
    }
}

/// The flow's state at `now`. `started_at` is the payment time (the flow's start);
/// `planned_completion` is payment time + the SKU's service period.
pub fn evaluate(
    history: &[FlowEvent],
    kind: FlowKind,
    started_at: OffsetDateTime,
    planned_completion: OffsetDateTime,
    now: OffsetDateTime,
) -> FlowState {
    let moment = Moment::of(fold(history, kind, started_at), planned_completion, now);
    let order_status = match moment.step {
        Step::Completed => OrderStatus::Completed,
        Step::Cancelled => OrderStatus::Cancelled,
        _ => OrderStatus::Processing,
    };
    FlowState {
        step: moment.step,
        turn: moment.turn,
        open_appeal: moment.folded.open_appeal.clone(),
        unsubscription: moment.folded.negotiation.clone(),
        counters: moment.folded.counters,
        deadlines: Deadlines {
            planned_completion,
            appeal_window_closes_at: moment.appeal_window_closes_at,
            idle_since: moment.idle_since,
            idle_appeal_at: moment.idle_appeal_at,
            next_reminder_at: moment.next_reminder_at,
            completes_at: moment.completes_at,
        },
        order_status,
        buyer_actions: moment.states(Party::Buyer),
        seller_actions: moment.states(Party::Seller),
        operations_actions: moment.states(Party::Operations),
    }
}

/// The folded history at `now`: the step time has moved it to, whose turn it is, the
/// deadlines, and what each action needs.
struct Moment {
    folded: Folded,
    now: OffsetDateTime,
    step: Step,
    turn: Option<Party>,
    completes_at: Option<OffsetDateTime>,
    idle_since: Option<OffsetDateTime>,
    idle_appeal_at: Option<OffsetDateTime>,
    appeal_window_closes_at: OffsetDateTime,
    next_reminder_at: Option<OffsetDateTime>,
    /// An appeal is open: only its resolution may act.
    frozen: bool,
    stage: Option<NegotiationStage>,
    /// A declined or rejected unsubscription, or a request the seller left unanswered for
    /// more than 5 days, lets the buyer appeal (operations then decide the refund).
    negotiation_ground: bool,
}

impl Moment {
    fn of(folded: Folded, planned_completion: OffsetDateTime, now: OffsetDateTime) -> Moment {
        let completes_at = folded.accepted_at.map(|at| at + COMPLETION_DELAY);
        // Time completes an accepted flow without anyone acting.
        let step = match (folded.step, completes_at) {
            (Step::Accepted, Some(completes_at)) if now >= completes_at => Step::Completed,
            (step, _) => step,
        };
        let turn = step.turn();
        let idle_since = match turn {
            Some(Party::Seller) => {
                Some(folded.seller_last_active_at.map_or(folded.turn_started_at, |at| at.max(folded.turn_started_at)))
            }
            Some(Party::Buyer) => Some(folded.turn_started_at),
            _ => None,
        };
        let negotiation_ground = match &folded.negotiation {
            Some(n) if matches!(n.stage, NegotiationStage::Declined | NegotiationStage::Rejected) => true,
            Some(n) if n.stage == NegotiationStage::Asked => {
                now >= n.last_move_at + IDLE_BEFORE_APPEAL + Duration::seconds(1)
            }
            _ => false,
        };
        Moment {
            now,
            step,
            turn,
            completes_at,
            idle_since,
            // "More than 5 days": allowed from one second after exactly five days.
            idle_appeal_at: idle_since.map(|since| since + IDLE_BEFORE_APPEAL + Duration::seconds(1)),
            appeal_window_closes_at: planned_completion - NO_APPEAL_BEFORE_COMPLETION,
            next_reminder_at: folded.last_reminder_at.map(|at| at + REMIND_INTERVAL),
            frozen: folded.open_appeal.is_some(),
            stage: folded.negotiation.as_ref().map(|negotiation| negotiation.stage),
            negotiation_ground,
            folded,
        }
    }

    /// Every action of `party`, with what blocks it.
    fn states(&self, party: Party) -> Vec<ActionState> {
        FlowAction::for_party(party)
            .iter()
            .map(|&action| {
                let blocked = if action == FlowAction::Appeal {
                    self.decide(action).or_else(|| self.appeal(party))
                } else {
                    self.decide(action)
                };
                ActionState { action, blocked }
            })
            .collect()
    }

    /// What blocks every action alike: a finished flow, an open appeal, an accepted
    /// delivery waiting to complete.
    fn common(&self, action: FlowAction) -> Option<Blocked> {
        if self.step.is_terminal() {
            return Some(Blocked::Finished);
        }
        let resolution = matches!(action, FlowAction::ResolveAppeal | FlowAction::DecideUnsubscription);
        if self.frozen && !resolution {
            return Some(Blocked::Frozen);
        }
        if self.step == Step::Accepted && !resolution {
            return Some(Blocked::AwaitingCompletion { completes_at: self.completes_at.unwrap_or(self.now) });
        }
        None
    }

    fn at_step(&self, steps: &[Step]) -> Option<Blocked> {
        if steps.contains(&self.step) { None } else { Some(Blocked::WrongStep) }
    }

    /// Whether `party` has grounds to appeal now, and why not when it has none.
    fn appeal(&self, party: Party) -> Option<Blocked> {
        let now = self.now;
        let other_idle = self.turn.is_some_and(|turn| turn != party);
        let idle_ground = (other_idle && self.idle_appeal_at.is_some_and(|at| now >= at))
            || (party == Party::Buyer && self.negotiation_ground);
        let counters = self.folded.counters;
        let rejection_ground = party == Party::Buyer
            && (counters.request_rejections >= REJECTION_LIMIT || counters.delivery_rejections >= REJECTION_LIMIT);
        if now >= self.appeal_window_closes_at {
            return Some(Blocked::AppealWindowClosed { closed_at: self.appeal_window_closes_at });
        }
        if idle_ground || rejection_ground {
            return None;
        }
        match (other_idle, self.idle_since, self.idle_appeal_at) {
            (true, Some(idle_since), Some(allowed_at)) if allowed_at < self.appeal_window_closes_at => {
                Some(Blocked::NotIdleLongEnough { idle_since, allowed_at })
            }
            (true, Some(_), Some(_)) => Some(Blocked::AppealWindowClosed { closed_at: self.appeal_window_closes_at }),
            _ => Some(Blocked::NoGrounds),
        }
    }

    /// What blocks `action` (an appeal's own grounds are [`Moment::appeal`]'s).
    fn decide(&self, action: FlowAction) -> Option<Blocked> {
        if let Some(blocked) = self.common(action) {
            return Some(blocked);
        }
        let (counters, stage) = (self.folded.counters, self.stage);
        match action {
            FlowAction::SubmitRequest => self.at_step(&[Step::AwaitingRequest, Step::RequestRejected]),
            FlowAction::AcceptRequest => self.at_step(&[Step::RequestUnderReview]),
            FlowAction::RejectRequest => self.at_step(&[Step::RequestUnderReview]).or_else(|| {
                (counters.request_rejections >= REJECTION_LIMIT)
                    .then_some(Blocked::RejectionLimitReached { limit: REJECTION_LIMIT })
            }),
            FlowAction::PostProgress | FlowAction::Deliver => self.at_step(&[Step::InService]),
            FlowAction::AcceptDelivery => self.at_step(&[Step::DeliveryUnderReview]),
            FlowAction::RejectDelivery => self.at_step(&[Step::DeliveryUnderReview]).or_else(|| {
                (counters.delivery_rejections >= REJECTION_LIMIT)
                    .then_some(Blocked::RejectionLimitReached { limit: REJECTION_LIMIT })
            }),
            FlowAction::Remind => {
                if self.turn != Some(Party::Seller) {
                    Some(Blocked::WrongStep)
                } else {
                    self.next_reminder_at
                        .filter(|next| self.now < *next)
                        .map(|next_at| Blocked::RemindedRecently { next_at })
                }
            }
            FlowAction::Appeal => None,
            FlowAction::ResolveAppeal => (!self.frozen).then_some(Blocked::NoOpenAppeal),
            FlowAction::AskUnsubscription => {
                matches!(stage, Some(NegotiationStage::Asked | NegotiationStage::Proposed))
                    .then_some(Blocked::UnsubscriptionUnderWay)
            }
            FlowAction::ProposeRefund | FlowAction::DeclineUnsubscription => {
                (!matches!(stage, Some(NegotiationStage::Asked | NegotiationStage::Rejected)))
                    .then_some(Blocked::NoUnsubscriptionAsked)
            }
            FlowAction::AcceptProposal | FlowAction::RejectProposal => {
                (stage != Some(NegotiationStage::Proposed)).then_some(Blocked::NoProposal)
            }
            FlowAction::DecideUnsubscription => {
                if !self.frozen {
                    Some(Blocked::NoOpenAppeal)
                } else {
                    stage.is_none().then_some(Blocked::NoUnsubscriptionAsked)
                }
            }
        }
    }
}
