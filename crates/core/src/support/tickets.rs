//! A support ticket's life: the buyer opens it and the seller has 24 hours to answer; the
//! seller replies or marks it resolved with cause and fix; the buyer confirms (closed) or
//! reopens; a resolved ticket nobody answers closes itself after 7 days. The buyer may
//! escalate to operations once the seller let 24 hours pass without an answer, or after
//! reopening twice; operations reply, send it back to the seller (a fresh 24 hours), or
//! close it with a decision. At close the buyer may rate the support once, 1 to 5.
//!
//! Time rules compare at the instant like the term phases: at exactly the deadline the
//! seller is late; one second before, it is not.

use serde::{Deserialize, Serialize};
use time::{Duration, OffsetDateTime};

stable_names!(TicketCategory, TicketState, SupportRole, TicketAction);

/// How long the seller has to answer a ticket waiting for it.
pub const SELLER_ANSWER_WITHIN: Duration = Duration::hours(24);
/// How long a resolved ticket waits for the buyer before it closes itself.
pub const AUTO_CLOSE_AFTER: Duration = Duration::days(7);
/// Reopening this many times lets the buyer escalate at once.
pub const REOPENS_TO_ESCALATE: u32 = 2;
/// The longest ticket description or reply, in characters.
pub const TEXT_MAX: usize = 5_000;
/// Attachments per ticket or reply, and the largest one in bytes.
pub const ATTACHMENTS_MAX: usize = 3;
pub const ATTACHMENT_BYTES_MAX: usize = 5 * 1024 * 1024;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, strum::EnumString, strum::IntoStaticStr)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "sqlx", derive(sqlx::Type), sqlx(type_name = "text", rename_all = "snake_case"))]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum TicketCategory {
    CannotLogIn,
    HowToUse,
    Fault,
    Billing,
    Other,
}

impl TicketCategory {
    pub const ALL: [TicketCategory; 5] = [
        TicketCategory::CannotLogIn,
        TicketCategory::HowToUse,
        TicketCategory::Fault,
        TicketCategory::Billing,
        TicketCategory::Other,
    ];
}

/// Whose move it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, strum::EnumString, strum::IntoStaticStr)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "sqlx", derive(sqlx::Type), sqlx(type_name = "text", rename_all = "snake_case"))]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum TicketState {
    /// Opened or answered by the buyer: the seller (or, escalated, operations) answers next.
    AwaitingSeller,
    /// Answered: the buyer's turn.
    AwaitingBuyer,
    /// The seller marked it resolved with cause and fix: the buyer confirms or reopens.
    Resolved,
    Closed,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, strum::EnumString, strum::IntoStaticStr)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum SupportRole {
    Buyer,
    Seller,
    Operations,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, strum::EnumString, strum::IntoStaticStr)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum TicketAction {
    Reply,
    /// The seller: resolved, with cause and fix.
    Resolve,
    /// The buyer: the resolution works; closed.
    Confirm,
    /// The buyer: the resolution does not work.
    Reopen,
    /// The buyer: to operations.
    Escalate,
    /// Operations: back to the seller, with a fresh 24 hours.
    ReturnToSeller,
    /// Operations: closed with a decision.
    CloseWithDecision,
    /// The buyer, once closed: 1 to 5.
    Rate,
}

impl TicketAction {
    /// The actions each role has, in the order pages show them.
    pub fn for_role(role: SupportRole) -> &'static [TicketAction] {
        match role {
            SupportRole::Buyer => &[
                TicketAction::Reply,
                TicketAction::Confirm,
                TicketAction::Reopen,
                TicketAction::Escalate,
                TicketAction::Rate,
            ],
            SupportRole::Seller => &[TicketAction::Reply, TicketAction::Resolve],
            SupportRole::Operations => {
                &[TicketAction::Reply, TicketAction::ReturnToSeller, TicketAction::CloseWithDecision]
            }
        }
    }
}

/// Why an action is refused now, with the times a client words in its language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "reason", rename_all = "snake_case")]
pub enum TicketBlocked {
    /// The ticket is closed.
    Closed,
    /// Not this role's action.
    NotYourAction,
    /// Operations have it: the seller waits for them to send it back.
    WithOperations,
    /// Only an escalated ticket is operations'.
    NotEscalated,
    /// Only a resolved ticket can be confirmed or reopened.
    NotResolved,
    /// Resolved: the buyer confirms or reopens; nothing else until then.
    AwaitingConfirmation,
    /// The seller still has time to answer (until `until`), and it was not reopened twice.
    SellerStillHasTime {
        #[serde(with = "time::serde::rfc3339")]
        #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
        until: OffsetDateTime,
    },
    /// The seller answered: escalate only after reopening twice.
    SellerAnswered,
    AlreadyEscalated,
    /// Rating comes at close.
    NotClosed,
    AlreadyRated,
}

/// What the rules need to know of a ticket.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TicketFacts {
    pub state: TicketState,
    pub escalated: bool,
    pub reopened: u32,
    /// Since when the ticket has waited for the seller's answer (while it does).
    #[serde(with = "time::serde::rfc3339::option")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, format = DateTime))]
    pub awaiting_seller_since: Option<OffsetDateTime>,
    #[serde(with = "time::serde::rfc3339::option")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, format = DateTime))]
    pub resolved_at: Option<OffsetDateTime>,
    pub rated: bool,
}

impl TicketFacts {
    /// A ticket just opened at `now`.
    pub fn opened(now: OffsetDateTime) -> TicketFacts {
        TicketFacts {
            state: TicketState::AwaitingSeller,
            escalated: false,
            reopened: 0,
            awaiting_seller_since: Some(now),
            resolved_at: None,
            rated: false,
        }
    }

    /// When the seller must have answered: while the ticket waits for it (not escalated).
    pub fn seller_deadline(&self) -> Option<OffsetDateTime> {
        if self.state != TicketState::AwaitingSeller || self.escalated {
            return None;
        }
        self.awaiting_seller_since.map(|since| since + SELLER_ANSWER_WITHIN)
    }

    /// When a resolved ticket closes itself.
    pub fn closes_itself_at(&self) -> Option<OffsetDateTime> {
        (self.state == TicketState::Resolved).then_some(self.resolved_at?).map(|at| at + AUTO_CLOSE_AFTER)
    }

    /// Whether `role` may take `action` at `now`, and why not.
    pub fn check(&self, role: SupportRole, action: TicketAction, now: OffsetDateTime) -> Result<(), TicketBlocked> {
        if !TicketAction::for_role(role).contains(&action) {
            return Err(TicketBlocked::NotYourAction);
        }
        if action == TicketAction::Rate {
            return match (self.state, self.rated) {
                (TicketState::Closed, false) => Ok(()),
                (TicketState::Closed, true) => Err(TicketBlocked::AlreadyRated),
                _ => Err(TicketBlocked::NotClosed),
            };
        }
        if self.state == TicketState::Closed {
            return Err(TicketBlocked::Closed);
        }
        match action {
            TicketAction::Confirm | TicketAction::Reopen if self.state != TicketState::Resolved => {
                Err(TicketBlocked::NotResolved)
            }
            TicketAction::Confirm | TicketAction::Reopen => Ok(()),
            _ if self.state == TicketState::Resolved && action != TicketAction::Escalate => {
                Err(TicketBlocked::AwaitingConfirmation)
            }
            TicketAction::Escalate => self.may_escalate(now),
            TicketAction::Reply | TicketAction::Resolve if role == SupportRole::Seller && self.escalated => {
                Err(TicketBlocked::WithOperations)
            }
            TicketAction::ReturnToSeller | TicketAction::CloseWithDecision | TicketAction::Reply
                if role == SupportRole::Operations && !self.escalated =>
            {
                Err(TicketBlocked::NotEscalated)
            }
            _ => Ok(()),
        }
    }

    fn may_escalate(&self, now: OffsetDateTime) -> Result<(), TicketBlocked> {
        if self.escalated {
            return Err(TicketBlocked::AlreadyEscalated);
        }
        if self.reopened >= REOPENS_TO_ESCALATE {
            return Ok(());
        }
        match self.seller_deadline() {
            Some(deadline) if now >= deadline => Ok(()),
            Some(until) => Err(TicketBlocked::SellerStillHasTime { until }),
            None => Err(TicketBlocked::SellerAnswered),
        }
    }

    /// Every action of `role` with whether it is allowed at `now`.
    pub fn actions(&self, role: SupportRole, now: OffsetDateTime) -> Vec<(TicketAction, Result<(), TicketBlocked>)> {
        TicketAction::for_role(role).iter().map(|action| (*action, self.check(role, *action, now))).collect()
    }

    /// The ticket after `role` took `action` at `now` (checked first).
    pub fn apply(
        &self,
        role: SupportRole,
        action: TicketAction,
        now: OffsetDateTime,
    ) -> Result<TicketFacts, TicketBlocked> {
        self.check(role, action, now)?;
        let mut next = *self;
        let awaiting_seller = |next: &mut TicketFacts| {
            if next.state != TicketState::AwaitingSeller {
                next.awaiting_seller_since = Some(now);
            }
            next.state = TicketState::AwaitingSeller;
        };
        match (role, action) {
            (SupportRole::Buyer, TicketAction::Reply) => awaiting_seller(&mut next),
            (_, TicketAction::Reply) => {
                next.state = TicketState::AwaitingBuyer;
                next.awaiting_seller_since = None;
            }
            (_, TicketAction::Resolve) => {
                next.state = TicketState::Resolved;
                next.awaiting_seller_since = None;
                next.resolved_at = Some(now);
            }
            (_, TicketAction::Confirm) | (_, TicketAction::CloseWithDecision) => {
                next.state = TicketState::Closed;
                next.awaiting_seller_since = None;
            }
            (_, TicketAction::Reopen) => {
                next.reopened += 1;
                next.resolved_at = None;
                awaiting_seller(&mut next);
            }
            (_, TicketAction::Escalate) => next.escalated = true,
            (_, TicketAction::ReturnToSeller) => {
                next.escalated = false;
                next.state = TicketState::AwaitingSeller;
                next.awaiting_seller_since = Some(now);
            }
            (_, TicketAction::Rate) => next.rated = true,
        }
        Ok(next)
    }

    /// A resolved ticket the buyer left alone for 7 days closes at `now`.
    pub fn closes_itself(&self, now: OffsetDateTime) -> bool {
        self.closes_itself_at().is_some_and(|at| now >= at)
    }
}

/// Checks a description or reply: 1 to 5,000 characters once trimmed.
pub fn check_text(field: &str, text: &str) -> crate::error::FieldErrors {
    let mut errors = crate::error::FieldErrors::default();
    let length = text.trim().chars().count();
    if length == 0 {
        errors.push(field, crate::error::FieldErrorCode::Required, "Write what happened.");
    } else if length > TEXT_MAX {
        errors.push(field, crate::error::FieldErrorCode::TooLong, format!("Use at most {TEXT_MAX} characters."));
    }
    errors
}

/// A 1–5 support rating.
pub fn check_rating(stars: u8) -> crate::error::FieldErrors {
    let mut errors = crate::error::FieldErrors::default();
    if !(1..=5).contains(&stars) {
        errors.push("stars", crate::error::FieldErrorCode::OutOfRange, "Give 1 to 5 stars.");
    }
    errors
}
