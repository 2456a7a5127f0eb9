//! The purchase page: the order details of a configuration taken from the URL (from
//! "Continue to Submit" or a favourite's "Buy"), priced by the shared pricing function.

use bazaar_core::catalog::{BillingMode, DeliveryMethod, ProductDetail};
use bazaar_core::pricing::price_configuration;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_query_map;

use crate::components::price::PriceBreakdownView;
use crate::components::require_login::RequireLogin;
use crate::components::status::render_resource;
use crate::configuration::configuration_from_query;
use crate::i18n::use_i18n;
use crate::pages::product::use_product_resource;

#[component]
pub fn PurchasePage() -> impl IntoView {
    view! {
        <RequireLogin>
            <PurchaseLoader />
        </RequireLogin>
    }
}

#[component]
fn PurchaseLoader() -> impl IntoView {
    let product = use_product_resource();
    view! { {render_resource(product, |detail| view! { <OrderDetails detail /> })} }
}

#[component]
fn OrderDetails(detail: ProductDetail) -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let product = StoredValue::new(detail);
    let configuration = Memo::new(move |_| {
        product.with_value(|product| query.with(|query| configuration_from_query(product, |key| query.get(key))))
    });
    let image = product.with_value(|product| product.summary.delivery_method == DeliveryMethod::Image);
    let sku_name = move || {
        product.with_value(|product| {
            product
                .skus
                .iter()
                .find(|sku| sku.id == configuration.get().sku_id)
                .map(|sku| sku.name.clone())
                .unwrap_or_default()
        })
    };
    let price = move || {
        product.with_value(|product| price_configuration(&product.skus, &product.regions, &configuration.get()))
    };
    let product_href = product.with_value(|product| format!("/products/{}", product.summary.id));
    view! {
        <section class="purchase">
            <h1>{move || i18n.t().purchase_title}</h1>
            <div class="card" data-testid="order-details">
                <dl class="details">
                    <dt>{move || i18n.t().product_overview}</dt>
                    <dd><A href=product_href>{product.with_value(|product| product.summary.name.clone())}</A></dd>
                    <dt>{move || i18n.t().configure_sku}</dt>
                    <dd data-testid="order-sku">{sku_name}</dd>
                    <dt>{move || i18n.t().configure_billing}</dt>
                    <dd data-testid="order-billing">{move || i18n.t().billing(configuration.get().billing_mode)}</dd>
                    <Show when=move || configuration.get().billing_mode == BillingMode::YearlyMonthly>
                        <dt>{move || i18n.t().configure_duration}</dt>
                        <dd data-testid="order-duration">{move || i18n.t().duration(configuration.get().duration_months.unwrap_or(1))}</dd>
                    </Show>
                    <dt>{move || i18n.t().configure_quantity}</dt>
                    <dd data-testid="order-quantity">{move || configuration.get().quantity}</dd>
                    <dt>{move || i18n.t().configure_region}</dt>
                    <dd>{move || bazaar_core::regions::name(&configuration.get().region, i18n.locale() == crate::i18n::Locale::ZhCn).to_owned()}</dd>
                </dl>
                {move || price().ok().map(|breakdown| view! { <PriceBreakdownView breakdown image /> })}
            </div>
        </section>
    }
}
