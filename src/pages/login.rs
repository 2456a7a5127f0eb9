//! The login page. After logging in, the user goes back to the page that sent them here.

use bazaar_core::account::SessionInfo;
use bazaar_core::error::{ErrorCode, FieldError};
use bazaar_core::validation::validate_login;
use leptos::prelude::*;
use leptos_router::NavigateOptions;
use leptos_router::hooks::{use_navigate, use_query_map};

use crate::api::{self, ApiError};
use crate::components::fields::TextField;
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
    // Per-field errors, from the shared validation rules or from the server.
    let username_error = RwSignal::new(None::<String>);
    let password_error = RwSignal::new(None::<String>);
    let form_error = RwSignal::new(None::<String>);

    let log_in = Action::new_local(|(username, password): &(String, String)| {
        api::session::log_in(username.clone(), password.clone())
    });
    let next = move || safe_next_path(query.with_untracked(|query| query.get("next")));

    // An already signed-in visitor has nothing to do here.
    Effect::new({
        let navigate = navigate.clone();
        move |_| {
            if session.is_signed_in() && log_in.value().with_untracked(Option::is_none) {
                navigate(&next(), NavigateOptions { replace: true, ..Default::default() });
            }
        }
    });

    Effect::new(move |_| {
        let Some(result) = log_in.value().get() else {
            return;
        };
        match result {
            Ok(info) => {
                let info: SessionInfo = info;
                session.0.set(SessionState::SignedIn(info));
                navigate(&next(), NavigateOptions { replace: true, ..Default::default() });
            }
            Err(error) => show_error(&error, username_error, password_error, form_error),
        }
    });

    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        username_error.set(None);
        password_error.set(None);
        form_error.set(None);
        let problems = validate_login(&username.get_untracked(), &password.get_untracked());
        if !problems.is_empty() {
            show_field_errors(&problems.0, username_error, password_error, form_error);
            return;
        }
        log_in.dispatch((username.get_untracked().trim().to_owned(), password.get_untracked()));
    };

    view! {
        <section class="page page--narrow">
            <h1>{move || i18n.t().login_title}</h1>
            <p>{move || i18n.t().login_intro}</p>
            <Show when=move || query.with(|query| query.get("next").is_some())>
                <p class="notice" role="status">{move || i18n.t().login_required_notice}</p>
            </Show>
            <form class="form card" on:submit=submit novalidate=true>
                <TextField
                    id="username"
                    label=Signal::derive(move || i18n.t().login_username.to_owned())
                    value=username
                    error=username_error
                    autocomplete="username"
                    required=true
                />
                <TextField
                    id="password"
                    label=Signal::derive(move || i18n.t().login_password.to_owned())
                    value=password
                    error=password_error
                    input_type="password"
                    autocomplete="current-password"
                    required=true
                />
                <p class="form__error" role="alert">{move || form_error.get()}</p>
                <button class="button button--primary" type="submit" disabled=move || log_in.pending().get()>
                    {move || if log_in.pending().get() { i18n.t().logging_in } else { i18n.t().log_in }}
                </button>
            </form>
            <p class="hint">{move || i18n.t().login_demo_hint}</p>
        </section>
    }
}

fn show_error(
    error: &ApiError,
    username_error: RwSignal<Option<String>>,
    password_error: RwSignal<Option<String>>,
    form_error: RwSignal<Option<String>>,
) {
    let messages = use_i18n().t();
    match error.code() {
        ErrorCode::ValidationFailed => {
            show_field_errors(&error.body.field_errors, username_error, password_error, form_error)
        }
        ErrorCode::Unauthenticated => form_error.set(Some(messages.err_login_failed.to_owned())),
        _ => form_error.set(Some(error_message(error))),
    }
}

/// Puts each field error under its input (the same for local and server validation).
fn show_field_errors(
    errors: &[FieldError],
    username_error: RwSignal<Option<String>>,
    password_error: RwSignal<Option<String>>,
    form_error: RwSignal<Option<String>>,
) {
    let messages = use_i18n().t();
    for field_error in errors {
        let text = Some(messages.field_error(field_error));
        match field_error.field.as_str() {
            "username" => username_error.set(text),
            "password" => password_error.set(text),
            _ => form_error.set(text),
        }
    }
}
