//! Guards pages that need a signed-in account: anonymous visitors are sent to the login
//! page, which brings them back to where they were.

use leptos::prelude::*;
use leptos_router::NavigateOptions;
use leptos_router::hooks::{use_location, use_navigate};

use crate::components::status::Loading;
use crate::session::{SessionState, use_session};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Gate {
    Checking,
    Anonymous,
    SignedIn,
}

/// Renders `children` only for a signed-in account.
#[component]
pub fn RequireLogin(children: ChildrenFn) -> impl IntoView {
    let session = use_session();
    let location = use_location();
    let navigate = use_navigate();
    // A memo, so that refreshing the session (e.g. after re-authentication) does not
    // re-create the page and lose what the user typed.
    let gate = Memo::new(move |_| match session.0.get() {
        SessionState::Checking => Gate::Checking,
        SessionState::Anonymous => Gate::Anonymous,
        SessionState::SignedIn(_) => Gate::SignedIn,
    });
    Effect::new(move |_| {
        if gate.get() == Gate::Anonymous {
            let next = format!("{}{}", location.pathname.get_untracked(), location.search.get_untracked());
            let target = format!("/login?next={}", crate::api::encode(&next));
            navigate(&target, NavigateOptions { replace: true, ..Default::default() });
        }
    });
    move || match gate.get() {
        Gate::SignedIn => children().into_any(),
        Gate::Checking | Gate::Anonymous => view! { <Loading /> }.into_any(),
    }
}

/// Accepts only same-site paths as a post-login destination (no open redirects).
pub fn safe_next_path(next: Option<String>) -> String {
    match next {
        Some(path) if path.starts_with('/') && !path.starts_with("//") && !path.starts_with("/\\") => path,
        _ => "/".to_owned(),
    }
}
