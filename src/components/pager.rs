//! Previous / "page N of M" / next buttons for lists whose page lives in the URL; the page
//! decides what going to a page means.

use leptos::prelude::*;

use crate::i18n::use_i18n;

/// Renders nothing when everything fits on one page.
#[component]
pub fn Pager(current: u32, pages: u32, on_go: Callback<u32>) -> impl IntoView {
    let i18n = use_i18n();
    (pages > 1).then(|| {
        view! {
            <nav class="pagination" aria-label=move || i18n.t().pagination_label>
                <button type="button" class="button button--secondary" disabled=current <= 1
                    on:click=move |_| on_go.run(current - 1)>
                    {move || i18n.t().pagination_previous}
                </button>
                <span>{move || (i18n.t().pagination_page)(&current.to_string(), &pages.to_string())}</span>
                <button type="button" class="button button--secondary" disabled=current >= pages
                    on:click=move |_| on_go.run(current + 1)>
                    {move || i18n.t().pagination_next}
                </button>
            </nav>
        }
    })
}
