//! Who is signed in, shared through context as the `CurrentSession` newtype.

use bazaar_core::account::{AccountSummary, Role, SessionInfo};
use leptos::prelude::*;

/// What the SPA knows about the session.
#[derive(Debug, Clone, PartialEq)]
pub enum SessionState {
    /// The first `GET /session` has not answered yet.
    Checking,
    Anonymous,
    SignedIn(SessionInfo),
}

/// The session in context; every page reads it, the login and logout flows write it.
#[derive(Debug, Clone, Copy)]
pub struct CurrentSession(pub RwSignal<SessionState>);

impl CurrentSession {
    pub fn account(&self) -> Option<AccountSummary> {
        match self.0.get() {
            SessionState::SignedIn(info) => Some(info.account),
            _ => None,
        }
    }

    pub fn role(&self) -> Option<Role> {
        self.0.with(|state| match state {
            SessionState::SignedIn(info) => Some(info.account.role),
            _ => None,
        })
    }

    pub fn is_checking(&self) -> bool {
        self.0.with(|state| matches!(state, SessionState::Checking))
    }

    pub fn is_signed_in(&self) -> bool {
        self.0.with(|state| matches!(state, SessionState::SignedIn(_)))
    }
}

pub fn use_session() -> CurrentSession {
    expect_context::<CurrentSession>()
}
