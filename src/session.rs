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

/// Where the signed-in account's display name is remembered between visits. The app shell
/// in `index.html` reads it before the wasm starts to draw the signed-in header (bell, name,
/// Log out), and the header does while the first `GET /session` is answered, so the page
/// does not shift when the session arrives. Removed as soon as the visitor is anonymous.
pub const REMEMBERED_ACCOUNT_KEY: &str = "bazaar.account";

/// Keeps [`REMEMBERED_ACCOUNT_KEY`] equal to the session: the name when signed in, nothing
/// when anonymous (logged out, expired). Storage that refuses writes is ignored.
pub fn remember_account_across_visits(session: CurrentSession) {
    Effect::new(move |_| {
        let state = session.0.get();
        // `<html data-signed-in>` shapes the header on phones (style/main.css); index.html
        // sets it before the first frame for a remembered account.
        if let Some(root) = document().document_element() {
            let _ = match state {
                SessionState::Checking => Ok(()),
                SessionState::Anonymous => root.remove_attribute("data-signed-in"),
                SessionState::SignedIn(_) => root.set_attribute("data-signed-in", ""),
            };
        }
        let Some(storage) = window().local_storage().ok().flatten() else { return };
        match state {
            SessionState::Checking => {}
            SessionState::Anonymous => {
                let _ = storage.remove_item(REMEMBERED_ACCOUNT_KEY);
            }
            SessionState::SignedIn(info) => {
                let _ = storage.set_item(REMEMBERED_ACCOUNT_KEY, &info.account.display_name);
            }
        }
    });
}

/// The display name of the account signed in on the last visit, if any.
pub fn remembered_account_name() -> Option<String> {
    window().local_storage().ok().flatten()?.get_item(REMEMBERED_ACCOUNT_KEY).ok().flatten()
}
