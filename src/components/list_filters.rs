//! The filters of a list page (My Orders, Purchased Apps, Service Supervision, Messages):
//! a search box, choices, dates and yes/no boxes, each bound to one key of the page's
//! [`ListQuery`]; every change is a navigation to the new URL (on page 1), so the list is
//! a resource of the URL alone. No fetching here.

use leptos::prelude::*;
use leptos_router::NavigateOptions;
use leptos_router::hooks::{use_navigate, use_query_map};

use crate::list_query::{ListKey, ListQuery};

/// A list page's state from the URL, and the way to change it.
#[derive(Clone, Copy)]
pub struct ListState {
    pub query: Memo<ListQuery>,
    // The router's navigate function is not `Send`: kept on this thread.
    go: StoredValue<Box<dyn Fn(ListQuery)>, LocalStorage>,
}

impl ListState {
    /// Navigates to `next` (a filter change, another page).
    pub fn go(&self, next: ListQuery) {
        self.go.with_value(|go| go(next));
    }

    /// Sets `key` to `value` (or clears it), back on page 1.
    pub fn set(&self, key: &'static str, value: Option<&str>) {
        self.go(self.query.get_untracked().with(key, value));
    }

    /// Goes to page `page`, filters unchanged.
    pub fn go_to_page(&self, page: u32) {
        self.go(self.query.get_untracked().on_page(page));
    }

    pub fn is_filtered(&self) -> bool {
        self.query.with(ListQuery::is_filtered)
    }
}

/// The state of the list page at `path`, whose filters are `keys`.
pub fn use_list_state(path: &'static str, keys: &'static [ListKey]) -> ListState {
    let params = use_query_map();
    let navigate = use_navigate();
    let query = Memo::new(move |_| params.with(|params| ListQuery::read(path, keys, |key| params.get(key))));
    let go: Box<dyn Fn(ListQuery)> = Box::new(move |next| navigate(&next.href(), NavigateOptions::default()));
    let go = StoredValue::new_local(go);
    ListState { query, go }
}

/// The form around a page's filters. With a `search` box, submitting it (Enter, or the
/// page's own button) applies the text typed.
#[component]
pub fn FilterBar(state: ListState, #[prop(optional)] search: Option<SearchText>, children: Children) -> impl IntoView {
    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        if let Some(search) = search {
            state.set(search.key, Some(&search.text.get_untracked()));
        }
    };
    view! {
        <form class="filters-bar card" role="search" on:submit=submit>
            {children()}
        </form>
    }
}

/// What is typed into a list's search box, not applied until the form is submitted; it
/// follows the URL (Back, a link) as the other filters do.
#[derive(Clone, Copy)]
pub struct SearchText {
    key: &'static str,
    text: RwSignal<String>,
}

impl SearchText {
    pub fn new(state: ListState, key: &'static str) -> SearchText {
        let text = RwSignal::new(state.query.with_untracked(|query| query.get(key).unwrap_or_default().to_owned()));
        // The box shows the URL's text again after a navigation, not what was typed before.
        Effect::new(move |_| text.set(state.query.with(|query| query.get(key).unwrap_or_default().to_owned())));
        SearchText { key, text }
    }
}

/// The search box of a [`FilterBar`] with a `search`.
#[component]
pub fn FilterSearch(id: &'static str, search: SearchText, label: Signal<String>) -> impl IntoView {
    view! {
        <div class="field">
            <label class="field__label" for=id>{label}</label>
            <input id=id class="field__input" type="search" maxlength="200" bind:value=search.text />
        </div>
    }
}

/// One choice among `options` (value, label), or "all" (`all_label`) for none.
#[component]
pub fn FilterSelect(
    state: ListState,
    key: &'static str,
    id: &'static str,
    label: Signal<String>,
    all_label: Signal<String>,
    options: Vec<(&'static str, Signal<String>)>,
) -> impl IntoView {
    let current = move || state.query.with(|query| query.get(key).map(str::to_owned));
    view! {
        <div class="field">
            <label class="field__label" for=id>{label}</label>
            <select id=id class="field__input" on:change=move |event| state.set(key, Some(&event_target_value(&event)))>
                <option value="" prop:selected=move || current().is_none()>{all_label}</option>
                {options.into_iter().map(|(value, label)| view! {
                    <option value=value prop:selected=move || current().as_deref() == Some(value)>{label}</option>
                }).collect_view()}
            </select>
        </div>
    }
}

/// A calendar day (`YYYY-MM-DD`); the page decides what it bounds.
#[component]
pub fn FilterDate(state: ListState, key: &'static str, id: &'static str, label: Signal<String>) -> impl IntoView {
    view! {
        <div class="field">
            <label class="field__label" for=id>{label}</label>
            <input id=id class="field__input" type="date"
                prop:value=move || state.query.with(|query| query.get(key).unwrap_or_default().to_owned())
                on:change=move |event| state.set(key, Some(&event_target_value(&event))) />
        </div>
    }
}

/// A yes/no filter: `key=on` when checked, absent when not.
#[component]
pub fn FilterCheckbox(
    state: ListState,
    key: &'static str,
    on: &'static str,
    id: &'static str,
    label: Signal<String>,
) -> impl IntoView {
    view! {
        <div class="checkbox-field">
            <input type="checkbox" id=id prop:checked=move || state.query.with(|query| query.get(key) == Some(on))
                on:change=move |event| state.set(key, event_target_checked(&event).then_some(on)) />
            <label for=id>{label}</label>
        </div>
    }
}

/// One choice as a row of links ("chips"), the first for none: a link, not a form control,
/// because each is a view of the list one may open in a new tab. `choices` are (value,
/// label); the current one is marked `aria-current`.
#[component]
pub fn FilterChips(
    state: ListState,
    key: &'static str,
    label: Signal<String>,
    none_label: Signal<String>,
    choices: Vec<(&'static str, Signal<String>)>,
) -> impl IntoView {
    let chip = move |value: Option<&'static str>, text: Signal<String>| {
        let href = move || state.query.with(|query| query.with(key, value).href());
        let current = move || state.query.with(|query| query.get(key) == value);
        // A plain link: the router's <A> marks every chip current, as they differ only in
        // their query.
        view! { <a href=href class="filter-chip" aria-current=move || current().then_some("page")>{text}</a> }
    };
    view! {
        <nav class="filter-chips" aria-label=label>
            {chip(None, none_label)}
            {choices.into_iter().map(|(value, text)| chip(Some(value), text)).collect_view()}
        </nav>
    }
}
