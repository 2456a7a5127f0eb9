//! Loading, error and empty states, and the helper that renders a fetched resource with
//! all three handled the same way everywhere.

use leptos::either::Either;
use leptos::prelude::*;

use bazaar_core::error::ErrorCode;

use crate::api::ApiError;
use crate::format::local_time_in;
use crate::i18n::use_i18n;

/// A polite, announced loading indicator.
#[component]
pub fn Loading() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div class="status status--loading" role="status" aria-live="polite">
            <span class="spinner" aria-hidden="true"></span>
            <span>{move || i18n.t().loading}</span>
        </div>
    }
}

/// The localized, human message for an API error.
pub fn error_message(error: &ApiError) -> String {
    let i18n = use_i18n();
    let messages = i18n.t();
    if error.is_network() {
        return messages.error_network.to_owned();
    }
    // Throttled answers say how long to wait; so does the message.
    match (error.code(), error.retry_after_seconds) {
        (ErrorCode::AccountLocked, Some(seconds)) => (messages.err_account_locked_until)(
            &local_time_in(seconds, i18n.locale()),
            &seconds.div_ceil(60).to_string(),
        ),
        (ErrorCode::RateLimited, Some(seconds)) => (messages.err_wait_seconds)(&seconds.to_string()),
        (code, _) => messages.error_code(code).to_owned(),
    }
}

/// An error with a way to try again.
#[component]
pub fn ErrorPanel(error: ApiError, #[prop(optional, into)] on_retry: Option<Callback<()>>) -> impl IntoView {
    let i18n = use_i18n();
    let detail = error.clone();
    view! {
        <div class="status status--error" role="alert">
            <p class="status__title">{move || i18n.t().error_title}</p>
            <p>{move || error_message(&detail)}</p>
            {on_retry.map(|retry| view! {
                <button type="button" class="button button--secondary" on:click=move |_| retry.run(())>
                    {move || i18n.t().retry}
                </button>
            })}
        </div>
    }
}

/// An empty state: a message and whatever actions help the user on.
#[component]
pub fn EmptyState(#[prop(into)] title: Signal<String>, children: Children) -> impl IntoView {
    view! {
        <div class="status status--empty">
            <p class="status__title">{title}</p>
            {children()}
        </div>
    }
}

/// Renders a fetched resource: a loading state until the first answer, the error panel
/// (with retry when trying again can help) on failure, and `render` on success. While a
/// refetch runs, the previous content stays on screen (a `Transition`), so filters and
/// paging never flash.
pub fn render_resource<T, V>(
    resource: LocalResource<Result<T, ApiError>>,
    render: impl Fn(T) -> V + Clone + Send + Sync + 'static,
) -> impl IntoView
where
    T: Clone + Send + Sync + 'static,
    V: IntoView + 'static,
{
    render_resource_with(resource, || view! { <Loading /> }, render)
}

/// Like [`render_resource`], with a custom first-load placeholder (e.g. a skeleton).
pub fn render_resource_with<T, V, F>(
    resource: LocalResource<Result<T, ApiError>>,
    fallback: impl Fn() -> F + Send + Sync + 'static,
    render: impl Fn(T) -> V + Clone + Send + Sync + 'static,
) -> impl IntoView
where
    T: Clone + Send + Sync + 'static,
    V: IntoView + 'static,
    F: IntoView + 'static,
{
    view! {
        <Transition fallback=fallback>
            {move || {
                let render = render.clone();
                resource.get().map(move |result| match result {
                    Ok(value) => Either::Left(render(value)),
                    Err(error) => Either::Right(failed_read(error, Callback::new(move |_| resource.refetch()))),
                })
            }}
        </Transition>
    }
}

/// A read that failed: the error, with "Try again" when trying again can help. Not generic,
/// so every resource of the app shares this one copy of it in the wasm.
fn failed_read(error: ApiError, retry: Callback<()>) -> AnyView {
    if error.is_retryable() {
        view! { <ErrorPanel error on_retry=retry /> }.into_any()
    } else {
        view! { <ErrorPanel error /> }.into_any()
    }
}

/// Grey placeholder cards while the first results load.
#[component]
pub fn CardSkeletons(count: usize) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div class="product-grid" role="status" aria-label=move || i18n.t().loading>
            {(0..count).map(|_| view! {
                <div class="product-card product-card--skeleton" aria-hidden="true">
                    <SkeletonLines />
                </div>
            }).collect_view()}
        </div>
    }
}

/// A title and three lines of grey, the last one short: the shape of a card's text.
#[component]
pub fn SkeletonLines() -> impl IntoView {
    view! {
        <span class="skeleton skeleton--title"></span>
        <span class="skeleton"></span>
        <span class="skeleton"></span>
        <span class="skeleton skeleton--short"></span>
    }
}

/// What the app-wide error boundary shows: each error in the reader's language (API errors
/// by their code, anything else as "this part failed"), and a way to start over.
#[component]
pub fn ErrorFallback(errors: ArcRwSignal<leptos::error::Errors>) -> impl IntoView {
    let i18n = use_i18n();
    let messages = move || {
        errors
            .get()
            .into_iter()
            .map(|(_, error)| match error.downcast_ref::<ApiError>() {
                Some(api_error) => error_message(api_error),
                None => i18n.t().error_unexpected.to_owned(),
            })
            .collect::<Vec<_>>()
    };
    view! {
        <div class="status status--error" role="alert" data-testid="error-boundary">
            <p class="status__title">{move || i18n.t().error_title}</p>
            <ul>{move || messages().into_iter().map(|message| view! { <li>{message}</li> }).collect_view()}</ul>
            <ReloadButton />
        </div>
    }
}

/// What a route shows when its lazily loaded part of the app could not be downloaded (see
/// `lazy_page_routes!` in app.rs): the frame stays usable, and Try again loads the page
/// afresh (a failed download is not remembered, so it is fetched again).
#[component]
pub fn PageDownloadFailed() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div class="status status--error" role="alert" data-testid="page-download-failed">
            <p class="status__title">{move || i18n.t().error_title}</p>
            <p>{move || i18n.t().error_page_download}</p>
            <ReloadButton />
        </div>
    }
}

/// Try again by loading the page afresh: for failures the page itself cannot retry.
#[component]
fn ReloadButton() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <button type="button" class="button button--secondary" on:click=move |_| { let _ = window().location().reload(); }>
            {move || i18n.t().retry}
        </button>
    }
}
