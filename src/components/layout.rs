//! The page frame: skip link, header (logo, search, language, account), navigation, footer.

use bazaar_core::account::Role;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_query_map};

use crate::i18n::{Locale, use_i18n};
use crate::session::use_session;
use crate::unread_messages::use_unread_messages;

#[component]
pub fn SkipLink() -> impl IntoView {
    let i18n = use_i18n();
    let skip = move |event: leptos::ev::MouseEvent| {
        event.prevent_default();
        if let Some(main) = document().get_element_by_id("main") {
            use wasm_bindgen::JsCast;
            if let Ok(main) = main.dyn_into::<web_sys::HtmlElement>() {
                let _ = main.focus();
            }
        }
    };
    view! { <a class="skip-link" href="#main" on:click=skip>{move || i18n.t().skip_to_content}</a> }
}

/// The header: logo, the search bar, language switch and the account area.
#[component]
pub fn Header(on_log_out: Callback<()>, #[prop(into)] logging_out: Signal<bool>) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    view! {
        <header class="site-header">
            <div class="site-header__bar">
                <A href="/" attr:class="site-header__logo">
                    <span class="logo-mark" aria-hidden="true"></span>
                    <span>{move || i18n.t().app_name}</span>
                </A>
                <SearchBar />
                <div class="site-header__tools">
                    <LanguageSwitch />
                    {move || match session.account() {
                        Some(account) => view! {
                            <MessagesBell />
                            <A href="/account" attr:class="site-header__account" attr:data-testid="header-account-name">
                                {account.display_name}
                            </A>
                            <button
                                type="button"
                                class="button button--quiet"
                                on:click=move |_| on_log_out.run(())
                                disabled=move || logging_out.get()
                            >
                                {move || i18n.t().log_out}
                            </button>
                        }
                        .into_any(),
                        // Until the session is known, the header of the last visit's account
                        // (as the app shell drew it), so nothing shifts when it arrives.
                        None if session.is_checking() && let Some(name) = crate::session::remembered_account_name() => {
                            view! { <RememberedAccountTools name /> }.into_any()
                        }
                        None => view! {
                            <A href="/login" attr:class="button button--primary">{move || i18n.t().log_in}</A>
                        }
                        .into_any(),
                    }}
                </div>
            </div>
            <MainNavigation />
        </header>
    }
}

/// The search form; submitting goes to the catalog results for the query.
#[component]
fn SearchBar() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let navigate = use_navigate();
    let text = RwSignal::new(String::new());
    let location = leptos_router::hooks::use_location();
    // Show the catalog query being browsed, so the box and the results never disagree.
    // Other lists (orders, apps, flows) use `q` for their own searches, not the catalog's.
    Effect::new(move |_| {
        let on_results = location.pathname.with(|path| path == "/products");
        text.set(if on_results { query.with(|query| query.get("q").unwrap_or_default()) } else { String::new() });
    });
    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let value = text.get_untracked();
        let value = value.trim();
        let target = if value.is_empty() {
            "/products".to_owned()
        } else {
            format!("/products?q={}", crate::api::encode(value))
        };
        navigate(&target, Default::default());
    };
    view! {
        <form class="search-bar" role="search" on:submit=submit>
            <label class="visually-hidden" for="site-search">{move || i18n.t().search_label}</label>
            <input
                id="site-search"
                class="search-bar__input"
                type="search"
                maxlength="200"
                placeholder=move || i18n.t().search_placeholder
                bind:value=text
            />
            <button class="button button--primary search-bar__button" type="submit">
                {move || i18n.t().search_button}
            </button>
        </form>
    }
}

/// One button that switches between English and Simplified Chinese.
#[component]
pub fn LanguageSwitch() -> impl IntoView {
    let i18n = use_i18n();
    let next = move || match i18n.locale() {
        Locale::En => Locale::ZhCn,
        Locale::ZhCn => Locale::En,
    };
    view! {
        <button
            type="button"
            class="button button--quiet language-switch"
            data-testid="language-switch"
            aria-label=move || format!("{}: {}", i18n.t().language_label, i18n.t().language_switch_to)
            lang=move || next().tag()
            on:click=move |_| i18n.set(next())
        >
            {move || i18n.t().language_switch_to}
        </button>
    }
}

/// The signed-in tools' look while the session is checked: the bell, the remembered name and
/// Log out, inert. `index.html` draws the same markup before the wasm starts.
#[component]
fn RememberedAccountTools(name: String) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <span class="bell" aria-hidden="true">
            <BellIcon />
        </span>
        <span class="site-header__account">{name}</span>
        <button type="button" class="button button--quiet" disabled>{move || i18n.t().log_out}</button>
    }
}

#[component]
fn BellIcon() -> impl IntoView {
    view! {
        <svg class="bell__icon" viewBox="0 0 24 24" width="22" height="22" aria-hidden="true" focusable="false"
            fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round">
            <path d="M18 8a6 6 0 0 0-12 0c0 7-3 9-3 9h18s-3-2-3-9" />
            <path d="M13.7 21a2 2 0 0 1-3.4 0" />
        </svg>
    }
}

/// The header bell: a link to Messages naming how many are unread, with the count on it.
#[component]
fn MessagesBell() -> impl IntoView {
    let i18n = use_i18n();
    let unread = use_unread_messages();
    let count = move || unread.get().unwrap_or(0);
    view! {
        <A href="/messages" attr:class="bell" attr:data-testid="messages-bell"
            attr:aria-label=move || (i18n.t().bell_label)(count())>
            <BellIcon />
            <Show when=move || { count() > 0 }>
                <span class="bell__count" data-testid="unread-count">{move || if count() > 99 { "99+".to_owned() } else { count().to_string() }}</span>
            </Show>
        </A>
    }
}

#[component]
fn MainNavigation() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let role = move || session.role();
    let is_customer = move || role().is_none_or(Role::is_customer);
    view! {
        <nav class="main-nav" aria-label=move || i18n.t().nav_label>
            <ul class="main-nav__list">
                <li><A href="/products">{move || i18n.t().nav_catalog}</A></li>
                <Show when=is_customer>
                    <li><A href="/favorites">{move || i18n.t().nav_favorites}</A></li>
                    <li><A href="/orders">{move || i18n.t().nav_orders}</A></li>
                    <li><A href="/apps">{move || i18n.t().nav_purchased_apps}</A></li>
                    <li><A href="/renewals">{move || i18n.t().nav_renewals}</A></li>
                    <li><A href="/billing">{move || i18n.billing().nav_billing}</A></li>
                    <li><A href="/invoices">{move || i18n.invoices().nav}</A></li>
                    <li><A href="/support">{move || i18n.support().nav}</A></li>
                    <li><A href="/supervision">{move || i18n.t().nav_supervision}</A></li>
                </Show>
                <Show when=move || role() == Some(Role::Seller)>
                    <li><A href="/supervision">{move || i18n.t().nav_seller_console}</A></li>
                    <li><A href="/seller/notices">{move || i18n.t().nav_notices}</A></li>
                    <li><A href="/seller/invoices">{move || i18n.invoices().seller_title}</A></li>
                    <li><A href="/seller/tickets">{move || i18n.support().seller_nav}</A></li>
                </Show>
                <Show when=move || role() == Some(Role::Operations)>
                    <li><A href="/supervision?appeal=open">{move || i18n.t().nav_operations}</A></li>
                    <li><A href="/operations/tickets">{move || i18n.support().operations_nav}</A></li>
                </Show>
            </ul>
        </nav>
    }
}

#[component]
pub fn Footer() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <footer class="site-footer">
            <p>{move || i18n.t().footer_text}</p>
        </footer>
    }
}
