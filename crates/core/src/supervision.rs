//! Service supervision: a flow is its history, and one pure function of (history, product
//! kind, planned completion, now) says everything else — the current step, whose turn it
//! is, the counters, every deadline, the order status, and for each role which actions
//! are allowed now or why not (and from when).
//!
//! The backend evaluates before appending any event (it is the authority); the SPA
//! evaluates the same history every second to count deadlines down and explain buttons.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::ids::{FlowId, OrderId, ProductId};
use time::{Duration, OffsetDateTime};

use crate::error::FieldErrors;
use crate::orders::OrderStatus;

stable_names!(Party, Step, FlowKind);

/// Appeal grounds: the other side has not acted for more than this.
pub const IDLE_BEFORE_APPEAL: Duration = Duration::days(5);
/// Appeal grounds: this many rejections of the request, or of the delivery.
pub const REJECTION_LIMIT: u32 = 3;
/// No appeal in this last stretch before planned completion.
pub const NO_APPEAL_BEFORE_COMPLETION: Duration = Duration::days(15);
/// The order completes this long after the buyer accepts the delivery.
pub const COMPLETION_DELAY: Duration = Duration::hours(3);
/// A buyer may remind the seller once per this period.
pub const REMIND_INTERVAL: Duration = Duration::hours(24);
pub const MAX_NOTE_CHARS: usize = 2000;
/// Entries a flow's timeline may hold. A real delivery needs a few dozen; the cap keeps
/// one flow from growing without bound (every read evaluates the whole history).
pub const MAX_EVENTS_PER_FLOW: i64 = 300;

/// Licences start with the seller providing the service; everything else with a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, strum::EnumString, strum::IntoStaticStr)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
#[cfg_attr(feature = "sqlx", derive(sqlx::Type), sqlx(rename_all = "snake_case"))]
pub enum FlowKind {
    Standard,
    License,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, strum::EnumString, strum::IntoStaticStr)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
#[cfg_attr(feature = "sqlx", derive(sqlx::Type), sqlx(rename_all = "snake_case"))]
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
#[cfg_attr(feature = "sqlx", derive(sqlx::Type), sqlx(rename_all = "snake_case"))]
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

/// Everything a participant can do to a flow.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
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
}

impl FlowAction {
    pub const BUYER: [FlowAction; 5] = [
        FlowAction::SubmitRequest,
        FlowAction::AcceptDelivery,
        FlowAction::RejectDelivery,
        FlowAction::Remind,
        FlowAction::Appeal,
    ];
    pub const SELLER: [FlowAction; 5] = [
        FlowAction::AcceptRequest,
        FlowAction::RejectRequest,
        FlowAction::PostProgress,
        FlowAction::Deliver,
        FlowAction::Appeal,
    ];
    pub const OPERATIONS: [FlowAction; 1] = [FlowAction::ResolveAppeal];

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

/// Everything the rules say about a flow at one moment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FlowState {
    pub step: Step,
    pub turn: Option<Party>,
    pub open_appeal: Option<OpenAppeal>,
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

/// The folded history: facts the rules need, before "now" is applied.
struct Folded {
    step: Step,
    turn_started_at: OffsetDateTime,
    seller_last_active_at: Option<OffsetDateTime>,
    accepted_at: Option<OffsetDateTime>,
    last_reminder_at: Option<OffsetDateTime>,
    open_appeal: Option<OpenAppeal>,
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
        counters: Counters::default(),
    };
    for event in history {
        let at = event.at;
        match &event.kind {
            FlowEventKind::FlowStarted => {
                folded.step = first_step;
                folded.turn_started_at = at;
            }
            FlowEventKind::RequestSubmitted { .. } => {
                folded.step = Step::RequestUnderReview;
                folded.turn_started_at = at;
            }
            FlowEventKind::RequestAccepted { .. } => {
                folded.step = Step::InService;
                folded.seller_last_active_at = Some(at);
            }
            FlowEventKind::RequestRejected { .. } => {
                folded.step = Step::RequestRejected;
                folded.turn_started_at = at;
                folded.seller_last_active_at = Some(at);
                folded.counters.request_rejections += 1;
            }
            FlowEventKind::ProgressUpdated { .. } => folded.seller_last_active_at = Some(at),
            FlowEventKind::Delivered { .. } => {
                folded.step = Step::DeliveryUnderReview;
                folded.turn_started_at = at;
                folded.seller_last_active_at = Some(at);
            }
            FlowEventKind::DeliveryAccepted { .. } => {
                folded.step = Step::Accepted;
                folded.accepted_at = Some(at);
            }
            FlowEventKind::DeliveryRejected { .. } => {
                folded.step = Step::InService;
                folded.turn_started_at = at;
                folded.counters.delivery_rejections += 1;
            }
            FlowEventKind::Reminded => {
                folded.last_reminder_at = Some(at);
                folded.counters.reminders += 1;
            }
            FlowEventKind::AppealOpened { reason } => {
                folded.open_appeal = Some(OpenAppeal { by: event.by, reason: reason.clone(), opened_at: at });
            }
            FlowEventKind::AppealResolved { outcome, .. } => {
                folded.open_appeal = None;
                match outcome {
                    AppealOutcome::Resume => {
                        // A fresh start: the idle clock and the rejection counts begin
                        // again, so the same grounds do not re-open an appeal at once.
                        folded.turn_started_at = at;
                        folded.seller_last_active_at = None;
                        folded.counters.request_rejections = 0;
                        folded.counters.delivery_rejections = 0;
                    }
                    AppealOutcome::CompleteForSeller => folded.step = Step::Completed,
                    AppealOutcome::RefundBuyer => folded.step = Step::Cancelled,
                }
            }
            FlowEventKind::Completed => folded.step = Step::Completed,
        }
    }
    folded
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
    let folded = fold(history, kind, started_at);
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
    // "More than 5 days": allowed from one second after exactly five days.
    let idle_appeal_at = idle_since.map(|since| since + IDLE_BEFORE_APPEAL + Duration::seconds(1));
    let appeal_window_closes_at = planned_completion - NO_APPEAL_BEFORE_COMPLETION;
    let next_reminder_at = folded.last_reminder_at.map(|at| at + REMIND_INTERVAL);
    let frozen = folded.open_appeal.is_some();

    let common = |action: FlowAction| -> Option<Blocked> {
        if step.is_terminal() {
            return Some(Blocked::Finished);
        }
        if frozen && action != FlowAction::ResolveAppeal {
            return Some(Blocked::Frozen);
        }
        if step == Step::Accepted && action != FlowAction::ResolveAppeal {
            return Some(Blocked::AwaitingCompletion { completes_at: completes_at.unwrap_or(now) });
        }
        None
    };
    let at_step = |steps: &[Step]| if steps.contains(&step) { None } else { Some(Blocked::WrongStep) };
    let appeal = |party: Party| -> Option<Blocked> {
        let other_idle = turn.is_some_and(|turn| turn != party);
        let idle_ground = other_idle && idle_appeal_at.is_some_and(|at| now >= at);
        let rejection_ground = party == Party::Buyer
            && (folded.counters.request_rejections >= REJECTION_LIMIT
                || folded.counters.delivery_rejections >= REJECTION_LIMIT);
        if now >= appeal_window_closes_at {
            return Some(Blocked::AppealWindowClosed { closed_at: appeal_window_closes_at });
        }
        if idle_ground || rejection_ground {
            return None;
        }
        match (other_idle, idle_since, idle_appeal_at) {
            (true, Some(idle_since), Some(allowed_at)) if allowed_at < appeal_window_closes_at => {
                Some(Blocked::NotIdleLongEnough { idle_since, allowed_at })
            }
            (true, Some(_), Some(_)) => Some(Blocked::AppealWindowClosed { closed_at: appeal_window_closes_at }),
            _ => Some(Blocked::NoGrounds),
        }
    };
    let decide = |action: FlowAction| -> Option<Blocked> {
        if let Some(blocked) = common(action) {
            return Some(blocked);
        }
        match action {
            FlowAction::SubmitRequest => at_step(&[Step::AwaitingRequest, Step::RequestRejected]),
            FlowAction::AcceptRequest => at_step(&[Step::RequestUnderReview]),
            FlowAction::RejectRequest => at_step(&[Step::RequestUnderReview]).or_else(|| {
                (folded.counters.request_rejections >= REJECTION_LIMIT)
                    .then_some(Blocked::RejectionLimitReached { limit: REJECTION_LIMIT })
            }),
            FlowAction::PostProgress | FlowAction::Deliver => at_step(&[Step::InService]),
            FlowAction::AcceptDelivery => at_step(&[Step::DeliveryUnderReview]),
            FlowAction::RejectDelivery => at_step(&[Step::DeliveryUnderReview]).or_else(|| {
                (folded.counters.delivery_rejections >= REJECTION_LIMIT)
                    .then_some(Blocked::RejectionLimitReached { limit: REJECTION_LIMIT })
            }),
            FlowAction::Remind => {
                if turn != Some(Party::Seller) {
                    Some(Blocked::WrongStep)
                } else {
                    next_reminder_at.filter(|next| now < *next).map(|next_at| Blocked::RemindedRecently { next_at })
                }
            }
            FlowAction::Appeal => None,
            FlowAction::ResolveAppeal => (!frozen).then_some(Blocked::NoOpenAppeal),
        }
    };
    let states = |party: Party| -> Vec<ActionState> {
        FlowAction::for_party(party)
            .iter()
            .map(|&action| {
                let blocked = if action == FlowAction::Appeal {
                    decide(action).or_else(|| appeal(party))
                } else {
                    decide(action)
                };
                ActionState { action, blocked }
            })
            .collect()
    };
    let order_status = match step {
        Step::Completed => OrderStatus::Completed,
        Step::Cancelled => OrderStatus::Cancelled,
        _ => OrderStatus::Processing,
    };
    FlowState {
        step,
        turn,
        open_appeal: folded.open_appeal.clone(),
        counters: folded.counters,
        deadlines: Deadlines {
            planned_completion,
            appeal_window_closes_at,
            idle_since,
            idle_appeal_at,
            next_reminder_at,
            completes_at,
        },
        order_status,
        buyer_actions: states(Party::Buyer),
        seller_actions: states(Party::Seller),
        operations_actions: states(Party::Operations),
    }
}

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
                        "out_of_range",
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
}

/// A field of a seller's request template.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TemplateField {
    pub key: String,
    pub label: String,
    pub kind: TemplateFieldKind,
    pub required: bool,
    /// Help shown under the field.
    pub hint: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum TemplateFieldKind {
    Text {
        max_chars: u32,
    },
    LongText {
        max_chars: u32,
    },
    Number {
        min: i64,
        max: i64,
    },
    /// `YYYY-MM-DD`.
    Date,
    Choice {
        options: Vec<String>,
    },
}

/// How many fields a request template may have.
pub const TEMPLATE_MAX_FIELDS: usize = 20;
/// How many choices a choice field may offer.
pub const TEMPLATE_MAX_OPTIONS: usize = 30;
/// The largest `max_chars` a text field may set.
pub const TEMPLATE_MAX_CHARS: u32 = 10_000;

/// Checks a seller's request template before it is saved: the SPA's editor shows these
/// problems as the seller types, and the server refuses a template that has any. Errors
/// name the field as `fields[i].part` (`fields[2].label`), or `fields` for the whole list.
pub fn validate_template(fields: &[TemplateField]) -> FieldErrors {
    let mut errors = FieldErrors::default();
    if fields.is_empty() || fields.len() > TEMPLATE_MAX_FIELDS {
        errors.push("fields", "out_of_range", format!("A template has 1 to {TEMPLATE_MAX_FIELDS} fields."));
    }
    let mut keys = std::collections::HashSet::new();
    for (index, field) in fields.iter().enumerate() {
        let at = |part: &str| format!("fields[{index}].{part}");
        let key_is_valid = !field.key.is_empty()
            && field.key.len() <= 40
            && field.key.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
        if !key_is_valid {
            errors.push(&at("key"), "invalid", "Use 1 to 40 of a-z, 0-9 and _.");
        } else if !keys.insert(field.key.as_str()) {
            errors.push(&at("key"), "duplicate", "Another field has this key.");
        }
        if field.label.trim().is_empty() || field.label.chars().count() > 80 {
            errors.push(&at("label"), "invalid", "Labels have 1 to 80 characters.");
        }
        if field.hint.as_ref().is_some_and(|hint| hint.chars().count() > 200) {
            errors.push(&at("hint"), "too_long", "Hints have at most 200 characters.");
        }
        match &field.kind {
            TemplateFieldKind::Text { max_chars } | TemplateFieldKind::LongText { max_chars } => {
                if !(1..=TEMPLATE_MAX_CHARS).contains(max_chars) {
                    errors.push(
                        &at("max_chars"),
                        "out_of_range",
                        format!("Allow 1 to {TEMPLATE_MAX_CHARS} characters."),
                    );
                }
            }
            TemplateFieldKind::Number { min, max } => {
                if min > max {
                    errors.push(&at("max"), "out_of_range", "The largest number must not be below the smallest.");
                }
            }
            TemplateFieldKind::Date => {}
            TemplateFieldKind::Choice { options } => {
                let mut seen = std::collections::HashSet::new();
                let options_are_valid = (1..=TEMPLATE_MAX_OPTIONS).contains(&options.len())
                    && options.iter().all(|option| {
                        let option = option.trim();
                        !option.is_empty() && option.chars().count() <= 80 && seen.insert(option)
                    });
                if !options_are_valid {
                    errors.push(
                        &at("options"),
                        "invalid",
                        format!("Offer 1 to {TEMPLATE_MAX_OPTIONS} different choices of 1 to 80 characters."),
                    );
                }
            }
        }
    }
    errors
}

/// Checks the buyer's request against the seller's template, field by field.
pub fn validate_request(template: &[TemplateField], values: &RequestValues) -> FieldErrors {
    let mut errors = FieldErrors::default();
    for key in values.keys() {
        if !template.iter().any(|field| &field.key == key) {
            errors.push(key, "unknown_field", "This field is not part of the request template.");
        }
    }
    for field in template {
        let value = values.get(&field.key).map(|v| v.trim()).unwrap_or("");
        if value.is_empty() {
            if field.required {
                errors.push(&field.key, "required", format!("{} is required.", field.label));
            }
            continue;
        }
        match &field.kind {
            TemplateFieldKind::Text { max_chars } | TemplateFieldKind::LongText { max_chars } => {
                if value.chars().count() > *max_chars as usize {
                    errors.push(&field.key, "too_long", format!("Use at most {max_chars} characters."));
                }
            }
            TemplateFieldKind::Number { min, max } => match value.parse::<i64>() {
                Ok(number) if (*min..=*max).contains(&number) => {}
                _ => errors.push(&field.key, "out_of_range", format!("Enter a whole number from {min} to {max}.")),
            },
            TemplateFieldKind::Date => {
                let format = time::macros::format_description!("[year]-[month]-[day]");
                if time::Date::parse(value, &format).is_err() {
                    errors.push(&field.key, "invalid", "Enter a date as YYYY-MM-DD.");
                }
            }
            TemplateFieldKind::Choice { options } => {
                if !options.iter().any(|option| option == value) {
                    errors.push(&field.key, "unknown_value", "Choose one of the options.");
                }
            }
        }
    }
    errors
}

/// Checks a reason or note: required (when `required`), and not too long.
pub fn validate_note(field: &str, text: &str, required: bool) -> FieldErrors {
    let mut errors = FieldErrors::default();
    if required && text.trim().is_empty() {
        errors.push(field, "required", "Say why, so the other side can act on it.");
    } else if text.chars().count() > MAX_NOTE_CHARS {
        errors.push(field, "too_long", format!("Use at most {MAX_NOTE_CHARS} characters."));
    }
    errors
}

/// A duration as days, hours and minutes, e.g. "3 d 20 h"; for explanations.
pub fn short_duration(duration: Duration) -> (i64, i64, i64) {
    let seconds = duration.whole_seconds().max(0);
    (seconds / 86_400, (seconds % 86_400) / 3_600, (seconds % 3_600) / 60)
}

#[cfg(test)]
mod tests;
