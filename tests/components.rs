//! Component tests, run in headless Chromium by wasm-bindgen-test: real DOM, real signals.

#![cfg(target_arch = "wasm32")]

use bazaar_core::catalog::Rating;
use bazaar_core::error::ErrorCode;
use bazaar_web::api::{ApiError, ApiErrorBody};
use bazaar_web::components::fields::TextField;
use bazaar_web::components::rating_stars::RatingStars;
use bazaar_web::components::status::{ErrorFallback, ErrorPanel};
use bazaar_web::i18n::{I18n, Locale};
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

/// A fresh container attached to the document, so each test has its own DOM.
fn container() -> web_sys::HtmlElement {
    let element = document().create_element("div").unwrap();
    document().body().unwrap().append_child(&element).unwrap();
    element.unchecked_into()
}

#[wasm_bindgen_test]
async fn text_field_links_its_label_and_shows_errors_accessibly() {
    let parent = container();
    let value = RwSignal::new("ana".to_owned());
    let error = RwSignal::new(None::<String>);
    let _mounted = leptos::mount::mount_to(parent.clone(), move || {
        view! { <TextField id="user" label=Signal::derive(|| "User name".to_owned()) value error=error /> }
    });
    leptos::task::tick().await;
    let input: web_sys::HtmlInputElement = parent.query_selector("input").unwrap().unwrap().unchecked_into();
    let label = parent.query_selector("label").unwrap().unwrap();
    assert_eq!(label.get_attribute("for").as_deref(), Some("user"));
    assert_eq!(input.value(), "ana");
    assert_eq!(input.get_attribute("aria-invalid").as_deref(), Some("false"), "{:?}", parent.inner_html());
    assert_eq!(input.get_attribute("aria-describedby"), None);

    error.set(Some("This field is required.".to_owned()));
    leptos::task::tick().await;
    assert_eq!(input.get_attribute("aria-invalid").as_deref(), Some("true"));
    assert_eq!(input.get_attribute("aria-describedby").as_deref(), Some("user-error"));
    let message = parent.query_selector("#user-error").unwrap().unwrap();
    assert_eq!(message.text_content().as_deref(), Some("This field is required."));

    // Typing updates the bound signal.
    input.set_value("bob");
    input.dispatch_event(&web_sys::Event::new("input").unwrap()).unwrap();
    assert_eq!(value.get_untracked(), "bob");
}

#[wasm_bindgen_test]
async fn error_panel_speaks_the_current_language_and_retries() {
    let parent = container();
    let retried = RwSignal::new(0);
    let locale = RwSignal::new(Locale::En);
    let _mounted = leptos::mount::mount_to(parent.clone(), move || {
        provide_context(I18n(locale));
        let error = ApiError {
            status: 404,
            body: ApiErrorBody::new(ErrorCode::NotFound, "Not found."),
            retry_after_seconds: None,
        };
        view! { <ErrorPanel error on_retry=Callback::new(move |_| retried.update(|n| *n += 1)) /> }
    });
    let alert = parent.query_selector("[role=alert]").unwrap().unwrap();
    assert!(alert.text_content().unwrap().contains("We could not find this."));

    let button: web_sys::HtmlElement = parent.query_selector("button").unwrap().unwrap().unchecked_into();
    assert_eq!(button.text_content().as_deref(), Some("Try again"));
    button.click();
    assert_eq!(retried.get_untracked(), 1);

    locale.set(Locale::ZhCn);
    leptos::task::tick().await;
    assert_eq!(button.text_content().as_deref(), Some("重试"));
    assert!(alert.text_content().unwrap().contains("未找到该内容"));
}

#[wasm_bindgen_test]
fn only_errors_that_may_pass_offer_trying_again() {
    let error = |status: u16, code: ErrorCode| ApiError {
        status,
        body: ApiErrorBody::new(code, "message"),
        retry_after_seconds: None,
    };
    assert!(error(0, ErrorCode::Unknown).is_retryable(), "no answer at all");
    assert!(error(503, ErrorCode::Internal).is_retryable());
    assert!(error(429, ErrorCode::RateLimited).is_retryable());
    assert!(!error(404, ErrorCode::NotFound).is_retryable());
    assert!(!error(403, ErrorCode::Forbidden).is_retryable());
    assert!(!error(422, ErrorCode::ValidationFailed).is_retryable());
}

#[wasm_bindgen_test]
fn messages_fill_in_their_values_in_each_language() {
    assert_eq!((Locale::En.messages().results_count)(1), "1 product");
    assert_eq!((Locale::En.messages().results_count)(2), "2 products");
    assert_eq!((Locale::ZhCn.messages().results_count)(2), "共 2 个商品");
}

#[wasm_bindgen_test]
async fn the_error_boundary_shows_a_translated_message_for_an_api_error() {
    let parent = container();
    let failure = RwSignal::new(Ok::<&'static str, ApiError>("fine"));
    let _mounted = leptos::mount::mount_to(parent.clone(), move || {
        provide_context(I18n(RwSignal::new(Locale::En)));
        view! {
            <ErrorBoundary fallback=|errors| view! { <ErrorFallback errors /> }>
                {move || failure.get()}
            </ErrorBoundary>
        }
    });
    leptos::task::tick().await;
    assert_eq!(parent.text_content().as_deref(), Some("fine"));
    assert!(parent.query_selector("[data-testid=error-boundary]").unwrap().is_none());

    failure.set(Err(ApiError {
        status: 403,
        body: ApiErrorBody::new(ErrorCode::Forbidden, "Only sellers can do this."),
        retry_after_seconds: None,
    }));
    leptos::task::tick().await;
    let boundary = parent.query_selector("[data-testid=error-boundary]").unwrap().expect("fallback shown");
    assert!(boundary.text_content().unwrap().contains("You are not allowed to do this."));
}

#[wasm_bindgen_test]
async fn secret_field_masks_reveals_on_request_and_reports_its_pressed_state() {
    let parent = container();
    let secret = RwSignal::new(None::<String>);
    let shows = RwSignal::new(0);
    let _mounted = leptos::mount::mount_to(parent.clone(), move || {
        provide_context(I18n(RwSignal::new(Locale::En)));
        view! {
            <bazaar_web::components::secret_field::SecretField id="pw" label=Signal::derive(|| "Initial password".to_owned())
                secret=secret pending=Signal::derive(|| false) hide_after_seconds=30
                on_show=Callback::new(move |_| shows.update(|n| *n += 1))
                on_hide=Callback::new(move |_| secret.set(None)) />
        }
    });
    leptos::task::tick().await;
    let value = parent.query_selector("[data-testid=pw-value]").unwrap().unwrap();
    let toggle: web_sys::HtmlElement = parent.query_selector("button").unwrap().unwrap().unchecked_into();
    assert_eq!(value.text_content().as_deref(), Some("••••••••••••"));
    assert_eq!(toggle.get_attribute("aria-pressed").as_deref(), Some("false"));
    assert_eq!(toggle.get_attribute("aria-label").as_deref(), Some("Show password"));
    assert_eq!(parent.query_selector_all("button").unwrap().length(), 1, "no copy button while hidden");

    // Clicking asks the page to reveal; the field shows what the page then provides.
    toggle.click();
    assert_eq!(shows.get_untracked(), 1);
    secret.set(Some("Tq7-secret-Pw".to_owned()));
    leptos::task::tick().await;
    assert_eq!(value.text_content().as_deref(), Some("Tq7-secret-Pw"));
    assert_eq!(toggle.get_attribute("aria-pressed").as_deref(), Some("true"));
    assert_eq!(toggle.get_attribute("aria-label").as_deref(), Some("Hide password"));
    assert_eq!(parent.query_selector_all("button").unwrap().length(), 2, "copy button while shown");

    // The next click hides it again, and the secret is gone from the DOM.
    toggle.click();
    leptos::task::tick().await;
    assert_eq!(value.text_content().as_deref(), Some("••••••••••••"));
    assert!(!parent.inner_html().contains("Tq7-secret-Pw"));
}

#[wasm_bindgen_test]
async fn rating_stars_say_the_average_in_words_and_fill_to_the_half_star() {
    let parent = container();
    let locale = RwSignal::new(Locale::En);
    let _mounted = leptos::mount::mount_to(parent.clone(), move || {
        provide_context(I18n(locale));
        view! { <RatingStars rating=Rating { average_tenths: 43, count: 12 } /> }
    });
    leptos::task::tick().await;
    let spoken = parent.query_selector(".visually-hidden").unwrap().unwrap();
    assert_eq!(spoken.text_content().as_deref(), Some("Rated 4.3 of 5, 12 reviews"));
    let icons = parent.query_selector(".rating-stars__icons").unwrap().unwrap();
    assert_eq!(icons.get_attribute("aria-hidden").as_deref(), Some("true"));
    assert!(icons.class_list().contains("rating-stars__icons--9"), "{:?}", parent.inner_html());
    assert_eq!(
        parent.query_selector(".rating-stars__average").unwrap().unwrap().text_content().as_deref(),
        Some("4.3")
    );

    locale.set(Locale::ZhCn);
    leptos::task::tick().await;
    assert_eq!(spoken.text_content().as_deref(), Some("评分 4.3（满分 5 分），12 条评价"));
}
