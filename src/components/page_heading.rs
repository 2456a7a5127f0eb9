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
    announcement: RwSignal<String>,
}

impl PageFocus {
    pub fn provide() -> PageFocus {
        let focus = PageFocus { focused_path: StoredValue::new(None), announcement: RwSignal::new(String::new()) };
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

/// The page's `h1`. The first heading shown for a new address (not the first page of the
/// visit, where the browser's own start is right) takes focus and is announced; a second
/// heading on the same address (a page switching between its states) leaves focus alone,
/// and so does a change of the query string (filters keep focus on their control).
#[component]
pub fn PageHeading(#[prop(into)] text: TextProp, #[prop(optional)] class: &'static str) -> impl IntoView {
    let i18n = use_i18n();
    let focus = expect_context::<PageFocus>();
    let location = use_location();
    let heading = NodeRef::<leptos::html::H1>::new();
    let title_text = text.clone();
    // The document's title follows the heading and the language.
    Effect::new(move |_| {
        document().set_title(&format!("{} — {}", title_text.get(), i18n.t().app_name));
    });
    Effect::new(move |_| {
        let Some(element) = heading.get() else { return };
        let path = location.pathname.get_untracked();
        let previous = focus.focused_path.get_value();
        if previous.as_deref() == Some(path.as_str()) {
            return;
        }
        focus.focused_path.set_value(Some(path));
        if previous.is_some() {
            let _ = element.focus();
            focus.announcement.set(element.text_content().unwrap_or_default());
        }
    });
    view! {
        <h1 class=class tabindex="-1" node_ref=heading>
            {move || text.get()}
        </h1>
    }
}
