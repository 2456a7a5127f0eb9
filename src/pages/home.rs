//! The home page: a welcome, the search, categories and popular applications.

use leptos::prelude::*;
use leptos_router::components::A;

use crate::i18n::use_i18n;

#[component]
pub fn HomePage() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <section class="hero" data-testid="home-ready">
            <h1 class="hero__title">{move || i18n.t().home_title}</h1>
            <p class="hero__text">{move || i18n.t().home_intro}</p>
            <A href="/products" attr:class="button button--primary">{move || i18n.t().home_browse_all}</A>
        </section>
    }
}
