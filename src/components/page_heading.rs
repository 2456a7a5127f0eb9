//! The page's main heading, and what a navigation does with it: the heading takes focus (so
//! the next Tab continues in the page instead of restarting at the skip link and twelve
//! header stops), names the document ("‹page› — Bazaar", in the current language), and a
//! polite live region announces the new page to screen readers.

use leptos::prelude::*;
use leptos_router::hooks::use_location;

use crate::i18n::use_i18n;

/// What the frame remembers between headings: the address whose heading last took focus,
/// and the text the live region reads out.
#[derive(Clone, Copy)]
pub struct PageFocus {
    focused_path: StoredValue<Option<String>>,
    /// Whether a navigation moved the focus to this address's heading (not the first page
    /// of the visit, where the browser's own start is right).
    focused_on_arrival: StoredValue<bool>,
    announcement: RwSignal<String>,
}

impl PageFocus {
    pub fn provide() -> PageFocus {
        let focus = PageFocus {
            focused_path: StoredValue::new(None),
            focused_on_arrival: StoredValue::new(false),
            announcement: RwSignal::new(String::new()),
        };
        provide_context(focus);
        focus
    }
}

/// The live region that announces each new page; rendered once by the frame, outside
/// `<main>`, so it exists before anything is announced into it.
#[component]
pub fn PageAnnouncement() -> impl IntoView {
    let focus = expect_context::<PageFocus>();
    view! {
        <div class="visually-hidden" role="status" aria-live="polite" data-testid="page-announcement">
            {move || focus.announcement.get()}
        </div>
    }
}

/// How many animation frames (about half a second) a new heading keeps taking the focus
/// back while it is on nothing.
const ARRIVAL_FOCUS_FRAMES: u32 = 30;

/// Focuses `element` in each of the next `frames` frames in which the focus is on nothing
/// and the element is in the document (without scrolling: the reader may have scrolled).
fn keep_focus_while_lost(element: web_sys::HtmlElement, frames: u32) {
    if frames == 0 {
        return;
    }
    request_animation_frame(move || {
        if element.is_connected() && focus_is_lost() {
            let options = web_sys::FocusOptions::new();
            options.set_prevent_scroll(true);
            let _ = element.focus_with_options(&options);
        }
        keep_focus_while_lost(element, frames - 1);
    });
}

/// Whether the focus is on nothing: the document's body, where browsers put it when the
/// focused element leaves the page.
fn focus_is_lost() -> bool {
    let document = document();
    match document.active_element() {
        None => true,
        Some(active) => document.body().is_some_and(|body| {
            let body: &web_sys::Element = body.as_ref();
            body == &active
        }),
    }
}

/// The document's title for a page called `page`: "‹page› — Bazaar".
pub fn document_title(page: &str, app_name: &str) -> String {
    format!("{page} — {app_name}")
}

/// The page's `h1`. The first heading shown for a new address (not the first page of the
/// visit, where the browser's own start is right) takes focus and is announced; a second
/// heading on the same address (a page switching between its states) leaves focus alone,
/// and so does a change of the query string (filters keep focus on their control).
#[component]
pub fn PageHeading(
    #[prop(into)] text: TextProp,
    #[prop(optional)] class: &'static str,
    /// The page's name in the document title when the heading is not it (a heading that
    /// names the app already: "Log in to Bazaar" would read "Log in to Bazaar — Bazaar").
    #[prop(optional, into)]
    title: Option<TextProp>,
) -> impl IntoView {
    let i18n = use_i18n();
    let focus = expect_context::<PageFocus>();
    let location = use_location();
    let heading = NodeRef::<leptos::html::H1>::new();
    let title_text = title.unwrap_or_else(|| text.clone());
    // The document's title follows the heading and the language.
    Effect::new(move |_| {
        document().set_title(&document_title(&title_text.get(), i18n.t().app_name));
    });
    Effect::new(move |_| {
        let Some(element) = heading.get() else { return };
        let path = location.pathname.get_untracked();
        let previous = focus.focused_path.get_value();
        if previous.as_deref() == Some(path.as_str()) {
            // The page drew itself again (an order refreshed while it is set up): when that
            // takes the focused heading away (the old one may still be in the document as
            // this runs, and go a moment later), focus is on nothing; give it back quietly.
            if focus.focused_on_arrival.get_value() {
                keep_focus_while_lost((*element).clone(), ARRIVAL_FOCUS_FRAMES);
            }
            return;
        }
        focus.focused_path.set_value(Some(path));
        focus.focused_on_arrival.set_value(previous.is_some());
        if previous.is_some() {
            let element: web_sys::HtmlElement = (*element).clone();
            let _ = element.focus();
            // The effect can run before the heading is in the document (a page drawn when
            // its data arrives), where focusing does nothing, and the page that was left can
            // take the focus with it as it goes: keep at it for a few frames while the
            // focus is on nothing, never taking it from a control the reader chose.
            keep_focus_while_lost(element.clone(), ARRIVAL_FOCUS_FRAMES);
            focus.announcement.set(element.text_content().unwrap_or_default());
        }
    });
    view! {
        <h1 class=class tabindex="-1" node_ref=heading>
            {move || text.get()}
        </h1>
    }
}

#[cfg(test)]
mod tests {
    use super::document_title;

    #[test]
    fn the_title_names_the_page_then_the_app() {
        assert_eq!(document_title("My Orders", "Bazaar"), "My Orders — Bazaar");
        assert_eq!(document_title("登录", "Bazaar 云市场"), "登录 — Bazaar 云市场");
    }
}
