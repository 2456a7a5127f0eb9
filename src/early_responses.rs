//! Answers that index.html's loader requested while the wasm was still downloading: the
//! runtime configuration and the first API reads of the page opened by its address. Each is
//! used at most once, and only while the browser is still on the address the loader saw, so
//! a page visited later always asks the server afresh. Also the hand-over from index.html's
//! app shell to the app.

use wasm_bindgen::{JsCast as _, JsValue};

/// The global the loader in index.html fills: `{ href, responses: { url: Promise<Response> } }`
/// and the promises and functions read below (`shellPainted`, `preloadChunks`, …).
const LOADER_GLOBAL: &str = "__bazaarEarly";

/// The loader's global object; `None` when index.html's loader did not run (a development
/// build, a blocked script).
fn loader() -> Option<JsValue> {
    let window = web_sys::window()?;
    js_sys::Reflect::get(&window, &LOADER_GLOBAL.into()).ok().filter(JsValue::is_object)
}

/// One field of the loader's global object.
fn loader_field(name: &str) -> Option<JsValue> {
    js_sys::Reflect::get(&loader()?, &name.into()).ok()
}

/// The loader's request for `url`, taken so nobody uses it twice. `None` when there is none,
/// or when the app has moved on from the address the loader started on.
pub fn take(url: &str) -> Option<js_sys::Promise> {
    let window = web_sys::window()?;
    let early = loader()?;
    let loaded_href = js_sys::Reflect::get(&early, &"href".into()).ok()?.as_string();
    let current_href = window.location().href().ok();
    if loaded_href != current_href {
        // Whatever is left was asked for another page: let it go.
        let _ = js_sys::Reflect::delete_property(&window, &LOADER_GLOBAL.into());
        return None;
    }
    let responses = js_sys::Reflect::get(&early, &"responses".into()).ok().filter(|value| value.is_object())?;
    let key = JsValue::from_str(url);
    let promise = js_sys::Reflect::get(&responses, &key).ok()?.dyn_into::<js_sys::Promise>().ok()?;
    let _ = js_sys::Reflect::delete_property(responses.unchecked_ref::<js_sys::Object>(), &key);
    Some(promise)
}

/// Waits until the shell has been painted (index.html's `shellPainted`), so that the app never
/// replaces a shell nobody saw: the shell's heading stays the page's first and largest paint.
/// Returns at once when there is no shell (a development build, a failed script).
pub async fn shell_painted() {
    let painted = loader_field("shellPainted").and_then(|promise| promise.dyn_into::<js_sys::Promise>().ok());
    if let Some(promise) = painted {
        let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
    }
}

/// Starts the preloads of the page's wasm chunks now (index.html's `preloadChunks`; each file
/// once). The loader waits with them until the shell has painted the page's content; an app
/// that is ready sooner must not ask for its chunks first, or each would be downloaded twice
/// (a preload does not join a download already under way).
pub fn preload_chunks_now() {
    let preload = loader_field("preloadChunks").and_then(|function| function.dyn_into::<js_sys::Function>().ok());
    if let Some(preload) = preload {
        let _ = preload.call0(&JsValue::NULL);
    }
}

/// The loader's answer for `url`, once it has arrived; `None` if there was no such request
/// or it failed on the network (the caller then asks again itself).
pub async fn response(url: &str) -> Option<gloo_net::http::Response> {
    let promise = take(url)?;
    let value = wasm_bindgen_futures::JsFuture::from(promise).await.ok()?;
    let response = value.dyn_into::<web_sys::Response>().ok()?;
    Some(gloo_net::http::Response::from(response))
}

/// What the reader was doing in the shell when the app replaced it.
pub struct ShellLeftovers {
    /// What they were typing into the shell's search box, if they were.
    pub typed_search: Option<String>,
    /// Where the focus was: a region of the frame, and the focused element's position among
    /// the region's focusable elements (`None`: the region itself, the skip link say).
    focus: Option<(&'static str, Option<u32>)>,
}

/// What can take the focus, in document order; the shell and the app have the same elements
/// in the same order in each region (shell.spec.ts compares them).
const FOCUSABLE: &str = "a[href], button, input, select, summary, [tabindex]";

/// The regions of the frame the shell draws and the app draws again.
const REGIONS: [&str; 3] = [".skip-link", ".site-header", "main"];

impl ShellLeftovers {
    /// Puts the focus on the app's element in the place the shell's focused element had, so
    /// a keyboard user who tabbed into the shell is not dropped back to `<body>`.
    pub fn restore_focus(&self) {
        let Some((region, position)) = self.focus else { return };
        let Some(document) = web_sys::window().and_then(|window| window.document()) else { return };
        let Ok(Some(app_region)) = document.query_selector(&format!("{region}:not([data-shell])")) else { return };
        let target = match position {
            None => Some(app_region),
            Some(position) => app_region
                .query_selector_all(FOCUSABLE)
                .ok()
                .and_then(|elements| elements.item(position))
                .and_then(|node| node.dyn_into::<web_sys::Element>().ok()),
        };
        if let Some(element) = target.and_then(|element| element.dyn_into::<web_sys::HtmlElement>().ok()) {
            let _ = element.focus();
        }
    }
}

/// Where the focus is in the shell, as a region and a position among its focusable elements.
fn shell_focus(document: &web_sys::Document) -> Option<(&'static str, Option<u32>)> {
    let active = document.active_element()?;
    REGIONS.into_iter().find_map(|region| {
        let shell_region = document.query_selector(&format!("{region}[data-shell]")).ok()??;
        if shell_region.is_same_node(Some(active.as_ref())) {
            return Some((region, None));
        }
        if !shell_region.contains(Some(active.as_ref())) {
            return None;
        }
        let elements = shell_region.query_selector_all(FOCUSABLE).ok()?;
        (0..elements.length())
            .find(|&index| elements.item(index).is_some_and(|node| node.is_same_node(Some(active.as_ref()))))
            .map(|index| (region, Some(index)))
    })
}

/// Removes the app shell of index.html (every `[data-shell]` element) just before the app
/// mounts, or when the app takes over a shell that shows the page. Returns what the visitor
/// was doing in it, for [`ShellLeftovers::restore_focus`] and the app's search box.
pub fn remove_app_shell() -> ShellLeftovers {
    let mut leftovers = ShellLeftovers { typed_search: None, focus: None };
    let Some(document) = web_sys::window().and_then(|window| window.document()) else { return leftovers };
    let shell_search =
        document.get_element_by_id("shell-search").and_then(|input| input.dyn_into::<web_sys::HtmlInputElement>().ok());
    let typing = shell_search.filter(|input| document.active_element().as_deref() == Some(input.as_ref()));
    leftovers.typed_search = typing.map(|input| input.value());
    leftovers.focus = shell_focus(&document);
    // Should the loader have failed before showing the shell, the app shows itself.
    if let Some(root) = document.document_element() {
        let _ = root.remove_attribute("data-shell-pending");
    }
    if let Ok(shell) = document.query_selector_all("[data-shell]") {
        for index in 0..shell.length() {
            if let Some(node) = shell.item(index).and_then(|node| node.dyn_into::<web_sys::Element>().ok()) {
                node.remove();
            }
        }
    }
    leftovers
}

/// The attribute on `<html>` that keeps the mounted app out of sight (style/main.css) while
/// the shell still shows the page.
const APP_PENDING_ATTRIBUTE: &str = "data-app-pending";

/// How long the app may take to draw its page before it is shown all the same.
const HAND_OVER_TIMEOUT_MS: f64 = 10_000.0;

/// Whether index.html's shell has drawn the page's content from the loader's answer (the
/// catalog results, a product), rather than a skeleton.
pub fn shell_shows_content() -> bool {
    web_sys::window()
        .and_then(|window| window.document())
        .and_then(|document| document.query_selector("main[data-shell][data-shell-content]").ok().flatten())
        .is_some()
}

/// Hides what the app is about to mount, until [`hand_over_when_drawn`] shows it.
pub fn hide_app_until_hand_over() {
    if let Some(root) = web_sys::window().and_then(|window| window.document()).and_then(|d| d.document_element()) {
        let _ = root.set_attribute(APP_PENDING_ATTRIBUTE, "");
    }
}

/// Once the app's own `<main>` has drawn its page (nothing in it is a loading skeleton any
/// more), removes the shell and shows the app in the same animation frame, so the reader
/// never sees a skeleton between the two. `then` gets what the reader was doing in the shell.
pub fn hand_over_when_drawn(then: impl FnOnce(ShellLeftovers) + 'static) {
    let started = js_sys::Date::now();
    check_each_frame(started, Box::new(then));
}

fn check_each_frame(started: f64, then: Box<dyn FnOnce(ShellLeftovers)>) {
    leptos::prelude::request_animation_frame(move || {
        if !app_page_drawn() && js_sys::Date::now() - started < HAND_OVER_TIMEOUT_MS {
            check_each_frame(started, then);
            return;
        }
        let leftovers = remove_app_shell();
        if let Some(root) = web_sys::window().and_then(|window| window.document()).and_then(|d| d.document_element()) {
            let _ = root.remove_attribute(APP_PENDING_ATTRIBUTE);
        }
        then(leftovers);
    });
}

/// The app's `<main>` exists and shows no loading skeleton or spinner (a page in a wasm chunk
/// shows a spinner while the chunk arrives).
fn app_page_drawn() -> bool {
    let Some(document) = web_sys::window().and_then(|window| window.document()) else {
        return true;
    };
    match document.query_selector("main:not([data-shell])") {
        Ok(Some(main)) => {
            main.child_element_count() > 0
                && main.query_selector(".skeleton, .status--loading, [aria-busy='true']").ok().flatten().is_none()
        }
        _ => false,
    }
}
