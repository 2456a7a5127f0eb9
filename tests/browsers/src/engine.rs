//! The browser engines the suite drives, and how each is asked for a session: Gecko through
//! geckodriver and Firefox ESR, WebKit through WebKitGTK's WebKitWebDriver and MiniBrowser.

use fantoccini::wd::Capabilities;
use serde_json::json;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Engine {
    Firefox,
    WebKit,
}

/// Debian's WebKitGTK browser, which WebKitWebDriver starts in automation mode.
pub const MINIBROWSER: &str = "/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser";
pub const FIREFOX: &str = "/usr/bin/firefox-esr";

impl Engine {
    pub fn parse(name: &str) -> Option<Engine> {
        match name {
            "firefox" => Some(Engine::Firefox),
            "webkit" => Some(Engine::WebKit),
            _ => None,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Engine::Firefox => "firefox",
            Engine::WebKit => "webkit",
        }
    }

    /// The new-session capabilities. English is asked for explicitly: the app picks its
    /// first language from the browser's.
    pub fn capabilities(self) -> Capabilities {
        let capabilities = match self {
            Engine::Firefox => json!({
                "browserName": "firefox",
                "moz:firefoxOptions": {
                    "binary": FIREFOX,
                    "args": ["-headless"],
                    "prefs": { "intl.accept_languages": "en-US, en" },
                },
            }),
            // MiniBrowser has no headless mode; xtask runs the driver under Xvfb.
            Engine::WebKit => json!({
                "browserName": "MiniBrowser",
                "webkitgtk:browserOptions": { "binary": MINIBROWSER, "args": ["--automation"] },
            }),
        };
        match capabilities {
            serde_json::Value::Object(map) => map,
            _ => unreachable!("the capabilities above are an object"),
        }
    }
}
