//! The 404 page for paths no route matches.

use leptos::prelude::*;
use leptos_router::components::A;

use crate::components::page_heading::PageHeading;
use crate::i18n::use_i18n;

#[component]
pub fn NotFoundPage() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <section class="page page--narrow">
            <PageHeading text=move || i18n.t().not_found_title />
            <p>{move || i18n.t().not_found_text}</p>
            <A href="/" attr:class="button button--primary">{move || i18n.t().back_home}</A>
        </section>
    }
}
