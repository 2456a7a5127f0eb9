//! The product page: overview, seller, usage guide, supervision badge (`information`), and
//! the specification configurator with a live price, Save to List and Continue to Submit
//! (`configurator`).

mod configurator;
pub(crate) mod information;
mod reviews;
mod trial_button;

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
        <ProductLayout
            header=view! { <ProductHeader detail=detail.clone() /> }.into_any()
            information=view! { <ProductInformation detail=detail.clone() /> }.into_any()
            options=view! { <Configurator detail=detail.clone() /> }.into_any()
            reviews=view! { <reviews::ProductReviewsSection product_id=detail.summary.id.0 /> }.into_any()
            buy_bar=view! { <PhoneBuyBar summary=detail.summary /> }.into_any()
        />
    }
}

/// The product page's parts in their places: the description beside the options, the
/// reviews below, the phone's buy bar. Its own component so that the app shell's product
/// page is made from it (src/shell_templates), `waiting` with `OptionsWaiting` for the
/// options and no reviews; `data-testid="product-ready"` marks the app's.
#[component]
pub(crate) fn ProductLayout(
    header: AnyView,
    information: AnyView,
    options: AnyView,
    #[prop(optional)] reviews: Option<AnyView>,
    buy_bar: AnyView,
    #[prop(optional)] waiting: bool,
) -> impl IntoView {
    let ready = (!waiting).then_some("product-ready");
    view! {
        <article class="product-page" data-testid=ready>
            {header}
            <div class="product-page__layout">
                {information}
                {options}
            </div>
            {reviews}
            {buy_bar}
        </article>
    }
}

/// Where the options will be, before the app can show them (the app shell's product page):
/// a grey card the size of the configurator's first lines.
#[component]
pub(crate) fn OptionsWaiting() -> impl IntoView {
    view! {
        <div class="configurator card" aria-hidden="true">
            <crate::components::status::SkeletonLines />
        </div>
    }
}

/// On phones the options, price and Continue come after the whole description: this bar
/// stays at the bottom of the screen with the starting price and a way straight there.
/// Wider screens keep the configurator beside the text and never show it.
#[component]
pub(crate) fn PhoneBuyBar(
    summary: bazaar_core::catalog::ProductSummary,
    /// Drawn before anything can act on it (the app shell's page, from this component's
    /// template): the button waits, disabled.
    #[prop(optional)]
    waiting: bool,
) -> impl IntoView {
    let i18n = crate::i18n::use_i18n();
    let (price_from, price_mode) = (summary.price_from, summary.price_from_mode);
    let go_to_options = move |_| {
        use wasm_bindgen::JsCast as _;
        let heading = document()
            .get_element_by_id("configure-heading")
            .and_then(|heading| heading.dyn_into::<web_sys::HtmlElement>().ok());
        if let Some(heading) = heading {
            heading.scroll_into_view();
            let _ = heading.focus();
        }
    };
    view! {
        <div class="product-buy-bar">
            <p class="product-buy-bar__price">{move || (i18n.t().price_from)(&i18n.t().price(price_from, price_mode))}</p>
            <button type="button" class="button button--primary" disabled=waiting on:click=go_to_options>
                {move || i18n.product().configure_jump}
            </button>
        </div>
    }
}
