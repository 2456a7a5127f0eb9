//! Answers that index.html's loader requested while the wasm was still downloading: the
//! runtime configuration and the first API reads of the page opened by its address. Each is
//! used at most once, and only while the browser is still on the address the loader saw, so
//! a page visited later always asks the server afresh.

use wasm_bindgen::{JsCast as _, JsValue};

/// The global the loader in index.html fills: `{ href, responses: { url: Promise<Response> } }`.
const LOADER_GLOBAL: &str = "__bazaarEarly";

/// The loader's request for `url`, taken so nobody uses it twice. `None` when there is none,
/// or when the app has moved on from the address the loader started on.
pub fn take(url: &str) -> Option<js_sys::Promise> {
    let window: JsValue = web_sys::window()?.into();
    let early = js_sys::Reflect::get(&window, &LOADER_GLOBAL.into()).ok().filter(|value| value.is_object())?;
    let loaded_href = js_sys::Reflect::get(&early, &"href".into()).ok()?.as_string();
    let current_href = web_sys::window()?.location().href().ok();
    if loaded_href != current_href {
        // Whatever is left was asked for another page: let it go.
        let _ = js_sys::Reflect::delete_property(window.unchecked_ref::<js_sys::Object>(), &LOADER_GLOBAL.into());
        return None;
    }
    let responses = js_sys::Reflect::get(&early, &"responses".into()).ok().filter(|value| value.is_object())?;
    let key = JsValue::from_str(url);
    let promise = js_sys::Reflect::get(&responses, &key).ok()?.dyn_into::<js_sys::Promise>().ok()?;
    let _ = js_sys::Reflect::delete_property(responses.unchecked_ref::<js_sys::Object>(), &key);
    Some(promise)
}

/// The loader's answer for `url`, once it has arrived; `None` if there was no such request
/// or it failed on the network (the caller then asks again itself).
pub async fn response(url: &str) -> Option<gloo_net::http::Response> {
    let promise = take(url)?;
    let value = wasm_bindgen_futures::JsFuture::from(promise).await.ok()?;
    let response = value.dyn_into::<web_sys::Response>().ok()?;
    Some(gloo_net::http::Response::from(response))
}

/// Removes the app shell of index.html (every `[data-shell]` element) just before the app
/// mounts. Returns what the visitor is typing into its search box, if they are, so the
/// app's box can carry on from there.
pub fn remove_app_shell() -> Option<String> {
    let document = web_sys::window()?.document()?;
    let shell_search =
        document.get_element_by_id("shell-search").and_then(|input| input.dyn_into::<web_sys::HtmlInputElement>().ok());
    let typing = shell_search.filter(|input| document.active_element().as_deref() == Some(input.as_ref()));
    let typed = typing.map(|input| input.value());
    // Should the loader have failed before showing the shell, the app shows itself.
    if let Some(root) = document.document_element() {
        let _ = root.remove_attribute("data-shell-pending");
    }
    let shell = document.query_selector_all("[data-shell]").ok()?;
    for index in 0..shell.length() {
        if let Some(node) = shell.item(index).and_then(|node| node.dyn_into::<web_sys::Element>().ok()) {
            node.remove();
        }
    }
    typed
}
