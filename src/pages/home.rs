//! The home page: a welcome, categories and the Popular applications module.

use leptos::prelude::*;
use leptos_router::components::A;

use crate::api;
use crate::components::page_heading::PageHeading;
use crate::components::product_card::ProductCard;
use crate::components::status::render_resource;
use crate::i18n::use_i18n;

#[component]
pub fn HomePage() -> impl IntoView {
    let i18n = use_i18n();
    let popular = LocalResource::new(|| api::catalog::popular(8));
    let categories = LocalResource::new(api::catalog::categories);
    view! {
        <section class="hero">
            <PageHeading text=move || i18n.t().home_title class="hero__title" />
            <p class="hero__text">{move || i18n.t().home_intro}</p>
            <A href="/products" attr:class="button button--primary">{move || i18n.t().home_browse_all}</A>
        </section>
        <section class="home-section" aria-labelledby="popular-heading">
            <h2 id="popular-heading">{move || i18n.t().home_popular}</h2>
            <p class="hint">{move || i18n.t().home_popular_hint}</p>
            {render_resource(popular, |products| view! {
                <div class="product-grid" data-testid="home-ready">
                    {products.into_iter().map(|product| view! { <ProductCard product /> }).collect_view()}
                </div>
            })}
        </section>
        <section class="home-section" aria-labelledby="categories-heading">
            <h2 id="categories-heading">{move || i18n.t().home_categories}</h2>
            {render_resource(categories, move |categories| view! {
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
            })}
        </section>
    }
}
