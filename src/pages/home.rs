//! The home page: a welcome, categories and the Popular applications module.

use bazaar_core::catalog::{Category, ProductSummary};
use leptos::prelude::*;
use leptos_router::components::A;

use crate::api;
use crate::components::page_heading::PageHeading;
use crate::components::product_card::ProductCard;
use crate::components::status::render_resource;
use crate::i18n::use_i18n;

#[component]
pub fn HomePage() -> impl IntoView {
    let popular = LocalResource::new(|| api::catalog::popular(8));
    let categories = LocalResource::new(api::catalog::categories);
    view! {
        <HomeLayout
            popular=render_resource(popular, |products| view! { <PopularProducts products /> }).into_any()
            categories=render_resource(categories, |categories| view! { <CategoryTiles categories /> }).into_any()
        />
    }
}

/// The home page around its two lists: the welcome, and each list's heading. Its own
/// component so that the app shell's template of it is made from it (src/shell_templates).
#[component]
pub(crate) fn HomeLayout(popular: AnyView, categories: AnyView) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <section class="hero">
            <PageHeading text=move || i18n.t().home_title class="hero__title" />
            <p class="hero__text">{move || i18n.t().home_intro}</p>
            <A href="/products" attr:class="button button--primary">{move || i18n.t().home_browse_all}</A>
        </section>
        <section class="home-section" aria-labelledby="popular-heading">
            <h2 id="popular-heading">{move || i18n.t().home_popular}</h2>
            <p class="hint">{move || i18n.t().home_popular_hint}</p>
            {popular}
        </section>
        <section class="home-section" aria-labelledby="categories-heading">
            <h2 id="categories-heading">{move || i18n.t().home_categories}</h2>
            {categories}
        </section>
    }
}

/// The most bought products, as cards.
#[component]
pub(crate) fn PopularProducts(products: Vec<ProductSummary>) -> impl IntoView {
    view! {
        <div class="product-grid" data-testid="home-ready">
            {products.into_iter().map(|product| view! { <ProductCard product /> }).collect_view()}
        </div>
    }
}

/// Every category, with what it holds and how many products.
#[component]
pub(crate) fn CategoryTiles(categories: Vec<Category>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <ul class="category-grid" role="list">
            {categories.into_iter().map(|category| {
                let href = format!("/products?category={}", category.slug);
                let name = category.name.clone();
                let description = category.description.clone();
                let count = category.product_count;
                view! {
                    <li class="category-tile">
                        <A href=href>{move || i18n.locale().pick(&name)}</A>
                        <p>{move || i18n.locale().pick(&description)}</p>
                        <p class="hint">{move || (i18n.t().category_products)(count)}</p>
                    </li>
                }
            }).collect_view()}
        </ul>
    }
}
