//! The unread-message count the header bell shows, shared through context: polled every
//! 30 seconds while signed in, and refreshed at once when a page marks messages read.

use leptos::prelude::*;
use leptos_use::use_interval_fn;

use crate::api;
use crate::session::use_session;

/// How often the bell asks (the endpoint is one indexed count).
const POLL_MILLIS: u64 = 30_000;

#[derive(Clone, Copy)]
pub struct UnreadMessages {
    count: LocalResource<Option<u64>>,
    changed: RwSignal<u32>,
}

impl UnreadMessages {
    /// Starts polling; call once, in the app's root.
    pub fn provide() {
        let session = use_session();
        let tick = RwSignal::new(0u32);
        let changed = RwSignal::new(0u32);
        let _ = use_interval_fn(move || tick.update(|tick| *tick += 1), POLL_MILLIS);
        let count = LocalResource::new(move || {
            tick.get();
            changed.get();
            let signed_in = session.is_signed_in();
            async move {
                if !signed_in {
                    return None;
                }
                api::messages::unread_count().await.ok().map(|count| count.unread)
            }
        });
        provide_context(UnreadMessages { count, changed });
    }

    /// The last count known (none while signed out or not yet known).
    pub fn get(&self) -> Option<u64> {
        self.count.get().flatten()
    }

    /// Something read or new: ask again now.
    pub fn refresh(&self) {
        self.changed.update(|changed| *changed += 1);
    }
}

pub fn use_unread_messages() -> UnreadMessages {
    expect_context::<UnreadMessages>()
}
