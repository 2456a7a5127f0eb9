//! My Favorites: saved products with Buy (checkout, pre-filled) and Remove.

use leptos::prelude::*;
use leptos_router::components::A;

use crate::api;
use crate::components::page_heading::PageHeading;
use crate::components::product_card::ProductCard;
use crate::components::require_login::RequireLogin;
use crate::components::status::{EmptyState, render_resource};
use crate::format::local_date;
use crate::i18n::use_i18n;

#[component]
pub fn FavoritesPage() -> impl IntoView {
    view! {
        <RequireLogin>
            <FavoritesList />
        </RequireLogin>
    }
}

#[component]
fn FavoritesList() -> impl IntoView {
    let i18n = use_i18n();
    let remove =
        Action::new_local(|product_id: &bazaar_core::ids::ProductId| api::catalog::remove_favorite(*product_id));
    // Read again after every removal.
    let favorites = LocalResource::new(move || {
        remove.version().get();
        api::catalog::favorites()
    });
    view! {
        <section>
            <PageHeading text=move || i18n.product().favorites_title />
            {render_resource(favorites, move |favorites| {
                if favorites.is_empty() {
                    return view! {
                        <EmptyState title=Signal::derive(move || i18n.product().favorites_empty.to_owned())>
                            <A href="/products" attr:class="button button--primary">{move || i18n.t().home_browse_all}</A>
                        </EmptyState>
                    }.into_any();
                }
                view! {
                    <div class="product-grid" data-testid="favorites-list">
                        {favorites.into_iter().map(|favorite| {
                            let product_id = favorite.product.id;
                            let saved_at = favorite.saved_at;
                            // The configuration it was saved with, else the product's defaults.
                            let buy_href = favorite.configuration.as_ref().map_or_else(
                                || format!("/purchase/{product_id}"),
                                |configuration| crate::configuration::purchase_href(product_id, configuration),
                            );
                            view! {
                                <ProductCard product=favorite.product>
                                    <p class="hint">{move || (i18n.product().favorites_saved_at)(&local_date(saved_at, i18n.locale()))}</p>
                                    <A href=buy_href attr:class="button button--primary button--small">
                                        {move || i18n.product().favorites_buy}
                                    </A>
                                    <button type="button" class="button button--quiet button--small"
                                        disabled=move || remove.pending().get()
                                        on:click=move |_| { remove.dispatch(product_id); }>
                                        {move || i18n.product().favorites_remove}
                                    </button>
                                </ProductCard>
                            }
                        }).collect_view()}
                    </div>
                }.into_any()
            })}
        </section>
    }
}
