//! A product in a list: name, seller, its stars, what it is, badges and the starting price.

use bazaar_core::catalog::ProductSummary;
use leptos::prelude::*;

use crate::components::rating_stars::RatingStars;
use crate::i18n::use_i18n;

#[component]
pub fn ProductCard(product: ProductSummary, #[prop(optional)] children: Option<Children>) -> impl IntoView {
    let i18n = use_i18n();
    let href = format!("/products/{}", product.id);
    let ProductSummary {
        name,
        summary,
        seller,
        delivery_method,
        price_from,
        price_from_mode,
        supervised,
        free_trial,
        rating,
        ..
    } = product;
    let seller_name = seller.name;
    view! {
        <article class="product-card" data-testid="product-card">
            // A plain link (the router follows it all the same): `<A>` would only add an
            // `aria-current` no card needs, and needs a router, which the native rendering
            // that checks the shell's card against this one (src/shell_tables.rs) has not.
            <h3 class="product-card__name"><a href=href>{name}</a></h3>
            <p class="product-card__seller">{move || (i18n.t().by_seller)(&seller_name)}</p>
            {rating.map(|rating| view! { <RatingStars rating /> })}
            <p class="product-card__summary">{summary}</p>
            <ul class="badges" role="list">
                <li class="badge">{move || i18n.t().delivery(delivery_method)}</li>
                {supervised.then(|| view! { <li class="badge badge--supervised">{move || i18n.t().badge_supervised}</li> })}
                {free_trial.then(|| view! { <li class="badge badge--trial">{move || i18n.t().badge_trial}</li> })}
            </ul>
            <p class="product-card__price">
                {move || (i18n.t().price_from)(&i18n.t().price(price_from, price_from_mode))}
            </p>
            {children.map(|children| view! { <div class="product-card__actions">{children()}</div> })}
        </article>
    }
}
