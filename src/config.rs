//! Runtime configuration from `/config.json`, so one build can be hosted on any static host
//! and pointed at any backend by editing that file.

use std::cell::RefCell;

use serde::Deserialize;

#[derive(Debug, Clone, Deserialize)]
pub struct RuntimeConfig {
    /// Where the API lives: same-origin `/api/v1` by default, or a full URL.
    #[serde(default = "default_api_base_url")]
    pub api_base_url: String,
}

fn default_api_base_url() -> String {
    bazaar_core::API_PREFIX.to_owned()
}

impl Default for RuntimeConfig {
    fn default() -> Self {
        RuntimeConfig { api_base_url: default_api_base_url() }
    }
}

thread_local! {
    // wasm is single-threaded; the base URL is set once before the app mounts.
    static API_BASE_URL: RefCell<String> = RefCell::new(default_api_base_url());
}

pub fn set_api_base_url(url: &str) {
    API_BASE_URL.with(|base| *base.borrow_mut() = url.trim_end_matches('/').to_owned());
}

pub fn api_base_url() -> String {
    API_BASE_URL.with(|base| base.borrow().clone())
}

/// Reads `/config.json`; a missing or broken file falls back to same-origin defaults, so a
/// deployment without one still works.
pub async fn load() -> RuntimeConfig {
    // index.html's loader has usually asked already.
    let response = match crate::early_responses::response("/config.json").await {
        Some(response) => Ok(response),
        None => gloo_net::http::Request::get("/config.json").send().await,
    };
    match response {
        Ok(response) if response.ok() => response.json().await.unwrap_or_else(|error| {
            leptos::logging::warn!("config.json is not valid, using defaults: {error}");
            RuntimeConfig::default()
        }),
        _ => RuntimeConfig::default(),
    }
}
