//! The login page. After logging in, the user goes back to the page that sent them here.

use bazaar_core::account::SessionInfo;
use bazaar_core::error::{ErrorCode, FieldError};
use bazaar_core::validation::validate_login;
use leptos::prelude::*;
use leptos_router::NavigateOptions;
use leptos_router::hooks::{use_navigate, use_query_map};

use crate::api::{self, ApiError};
use crate::components::fields::{TextField, use_field_error};
use crate::components::page_heading::PageHeading;
use crate::components::require_login::safe_next_path;
use crate::components::status::error_message;
use crate::i18n::use_i18n;
use crate::session::{SessionState, use_session};

#[component]
pub fn LoginPage() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let query = use_query_map();
    let navigate = use_navigate();

    let username = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    // What the shared validation rules found at the last submit (nothing sent then).
    let local_problems = RwSignal::new(Vec::<FieldError>::new());

    let next = move || safe_next_path(query.with_untracked(|query| query.get("next")));
    // Signing in is the action; where it leads follows from its answer, in the action.
    let log_in = log_in_action(next);

    // An already signed-in visitor has nothing to do here.
    Effect::new({
        let navigate = navigate.clone();
        move |_| {
            if session.is_signed_in() && log_in.value().with_untracked(Option::is_none) {
                navigate(&next(), NavigateOptions { replace: true, ..Default::default() });
            }
        }
    });

    let problems = shown_problems(local_problems, log_in);
    let field_errors = Signal::derive(move || {
        problems.with(|problems| match problems {
            Problems::Fields(errors) => errors.clone(),
            Problems::Answer(_) => Vec::new(),
        })
    });
    let field_error = move |field: &'static str| use_field_error(field_errors, field);
    let form_error = move || {
        problems.with(|problems| match problems {
            Problems::Answer(error) if error.code() == ErrorCode::Unauthenticated => {
                Some(i18n.account().err_login_failed.to_owned())
            }
            Problems::Answer(error) => Some(error_message(error)),
            Problems::Fields(errors) => errors
                .iter()
                .find(|error| error.field != "username" && error.field != "password")
                .map(|error| i18n.t().field_error(error)),
        })
    };

    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let found = validate_login(&username.get_untracked(), &password.get_untracked()).0;
        let valid = found.is_empty();
        local_problems.set(found);
        if valid {
            log_in.dispatch((username.get_untracked().trim().to_owned(), password.get_untracked()));
        }
    };

    view! {
        <section class="page page--narrow">
            <PageHeading text=move || i18n.account().login_title title=move || i18n.account().login_page_name />
            <p>{move || i18n.account().login_intro}</p>
            <Show when=move || query.with(|query| query.get("next").is_some())>
                <p class="notice" role="status">{move || i18n.account().login_required_notice}</p>
            </Show>
            <form class="form card" on:submit=submit novalidate=true>
                <TextField
                    id="username"
                    label=Signal::derive(move || i18n.account().login_username.to_owned())
                    value=username
                    error=field_error("username")
                    autocomplete="username"
                    required=true
                />
                <TextField
                    id="password"
                    label=Signal::derive(move || i18n.account().login_password.to_owned())
                    value=password
                    error=field_error("password")
                    input_type="password"
                    autocomplete="current-password"
                    required=true
                />
                <p class="form__error" role="alert">{form_error}</p>
                <button class="button button--primary" type="submit" disabled=move || log_in.pending().get()>
                    {move || if log_in.pending().get() { i18n.account().logging_in } else { i18n.t().log_in }}
                </button>
            </form>
            <p class="hint">{move || i18n.account().login_demo_hint}</p>
        </section>
    }
}

/// Signs in with (user name, password), then goes to `next` in place of the login page.
fn log_in_action(
    next: impl Fn() -> String + Clone + 'static,
) -> Action<(String, String), Result<SessionInfo, ApiError>> {
    let session = use_session();
    let navigate = use_navigate();
    Action::new_local(move |(username, password): &(String, String)| {
        let (username, password, navigate, next) = (username.clone(), password.clone(), navigate.clone(), next.clone());
        async move {
            let result = api::session::log_in(username, password).await;
            if let Ok(info) = &result {
                session.0.set(SessionState::SignedIn(info.clone()));
                navigate(&next(), NavigateOptions { replace: true, ..Default::default() });
            }
            result
        }
    })
}

/// The problems shown: the local ones, else the server's last answer. Derived, so they
/// follow a language switch too.
fn shown_problems(
    local_problems: RwSignal<Vec<FieldError>>,
    log_in: Action<(String, String), Result<SessionInfo, ApiError>>,
) -> Memo<Problems> {
    Memo::new(move |_| {
        let local = local_problems.get();
        if !local.is_empty() {
            return Problems::Fields(local);
        }
        match log_in.value().get() {
            Some(Err(error)) if error.code() == ErrorCode::ValidationFailed => {
                Problems::Fields(error.body.field_errors())
            }
            Some(Err(error)) => Problems::Answer(error),
            _ => Problems::Fields(Vec::new()),
        }
    })
}

/// What the form shows after a submit: field problems (from the rules or the server), or
/// another answer of the server.
#[derive(Debug, Clone, PartialEq)]
enum Problems {
    Fields(Vec<FieldError>),
    Answer(ApiError),
}
