//! Bazaar's single-page app: a Leptos (client-side rendered) front end for buyers, sellers
//! and operations staff, talking to the backend's `/api/v1` over `fetch`.
//!
//! Layout: `app.rs` holds the route table, `pages/` one routed page per file,
//! `components/` reusable markup that never fetches, `api/` one typed function per
//! endpoint, `i18n.rs` every user-visible string in English and Simplified Chinese.

pub mod api;
pub mod app;
pub mod checkout_attempt;
pub mod components;
pub mod config;
pub mod configuration;
pub mod early_responses;
pub mod format;
pub mod i18n;
pub mod i18n_account;
pub mod i18n_billing;
pub mod i18n_invoices;
pub mod i18n_lifecycle;
pub mod i18n_orders;
pub mod i18n_product;
pub mod i18n_supervision;
pub mod i18n_support;
pub mod i18n_support_terms;
pub mod i18n_templates;
pub mod i18n_terms;
pub mod i18n_trials;
pub mod i18n_unsubscription;
pub mod list_query;
pub mod pages;
pub mod routing;
pub mod session;
#[cfg(all(test, not(target_arch = "wasm32")))]
mod shell_tables;
#[cfg(all(test, not(target_arch = "wasm32")))]
mod shell_templates;
#[cfg(all(test, not(target_arch = "wasm32")))]
mod shell_vectors;
pub mod unread_messages;

/// Loads the runtime configuration, then mounts the app on `<body>`.
pub fn start() {
    console_error_panic_hook::set_once();
    wasm_bindgen_futures::spawn_local(async {
        let runtime_config = config::load().await;
        config::set_api_base_url(&runtime_config.api_base_url);
        early_responses::shell_painted().await;
        early_responses::preload_chunks_now();
        if early_responses::shell_shows_content() {
            // The shell already shows this page's content, and works: the app mounts out of
            // sight and takes its place once its own page is drawn, in one frame.
            early_responses::hide_app_until_hand_over();
            leptos::mount::mount_to_body(app::App);
            early_responses::hand_over_when_drawn(carry_over);
        } else {
            let leftovers = early_responses::remove_app_shell();
            leptos::mount::mount_to_body(app::App);
            // After the header's first effects (which set the search box from the URL) have run.
            leptos::prelude::request_animation_frame(move || carry_over(leftovers));
        }
    });
}

/// Carries what the reader was doing in the shell over to the app: the focus, and a search
/// being typed.
fn carry_over(leftovers: early_responses::ShellLeftovers) {
    leftovers.restore_focus();
    if let Some(text) = leftovers.typed_search {
        carry_over_search(&text);
    }
}

/// Puts what the visitor is typing into the shell's search box into the app's, with the
/// focus, so a search started before the wasm arrived is not lost.
fn carry_over_search(text: &str) {
    use wasm_bindgen::JsCast as _;
    let Some(input) = leptos::prelude::document()
        .get_element_by_id("site-search")
        .and_then(|input| input.dyn_into::<web_sys::HtmlInputElement>().ok())
    else {
        return;
    };
    input.set_value(text);
    // `bind:value` listens for input events; this tells it about the carried-over text.
    if let Ok(event) = web_sys::Event::new("input") {
        let _ = input.dispatch_event(&event);
    }
    let _ = input.focus();
}
