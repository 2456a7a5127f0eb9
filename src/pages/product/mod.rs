//! The product page: overview, seller, usage guide, supervision badge (`information`), and
//! the specification configurator with a live price, Save to List and Continue to Submit
//! (`configurator`).

mod configurator;
mod information;

use bazaar_core::catalog::ProductDetail;
use leptos::prelude::*;

use crate::api::{self, ApiError};
use crate::components::status::render_resource;
use crate::routing::{not_found, use_id_param};
use configurator::Configurator;
use information::{ProductHeader, ProductInformation};

/// The product named by the route's `:id`, refetched when the id changes.
pub fn use_product_resource() -> LocalResource<Result<ProductDetail, ApiError>> {
    let id = use_id_param::<bazaar_core::ids::ProductId>();
    LocalResource::new(move || {
        let id = id.get();
        async move {
            match id {
                Some(id) => api::catalog::product(id).await,
                None => Err(not_found()),
            }
        }
    })
}

#[component]
pub fn ProductPage() -> impl IntoView {
    let product = use_product_resource();
    view! { {render_resource(product, |detail| view! { <ProductView detail /> })} }
}

#[component]
fn ProductView(detail: ProductDetail) -> impl IntoView {
    view! {
        <article class="product-page" data-testid="product-ready">
            <ProductHeader detail=detail.clone() />
            <div class="product-page__layout">
                <ProductInformation detail=detail.clone() />
                <Configurator detail />
            </div>
        </article>
    }
}
