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
pub mod format;
pub mod i18n;
pub mod i18n_lifecycle;
pub mod i18n_orders;
pub mod i18n_supervision;
pub mod i18n_templates;
pub mod i18n_unsubscription;
pub mod pages;
pub mod routing;
pub mod session;
pub mod unread_messages;
pub mod url_state;

/// Loads the runtime configuration, then mounts the app on `<body>`.
pub fn start() {
    console_error_panic_hook::set_once();
    wasm_bindgen_futures::spawn_local(async {
        let runtime_config = config::load().await;
        config::set_api_base_url(&runtime_config.api_base_url);
        leptos::mount::mount_to_body(app::App);
    });
}
