//! The product page: overview, seller, usage guide, supervision badge, and the
//! specification configurator with a live price, Save to List and Continue to Submit.

use bazaar_core::catalog::{BillingMode, DeliveryMethod, ProductDetail};
use bazaar_core::pricing::{DURATION_CHOICES_MONTHS, MAX_QUANTITY, price_configuration};
use leptos::prelude::*;
use leptos_router::components::A;

use crate::api::{self, ApiError};
use crate::components::price::PriceBreakdownView;
use crate::components::status::render_resource;
use crate::configuration::{default_configuration, purchase_href};
use crate::i18n::{fill, use_i18n};
use crate::routing::{not_found, use_id_param};
use crate::session::use_session;

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
    let i18n = use_i18n();
    let session = use_session();
    let product_id = detail.summary.id;
    let image = detail.summary.delivery_method == DeliveryMethod::Image;
    let initial = default_configuration(&detail);
    let sku_id = RwSignal::new(initial.sku_id);
    let billing_mode = RwSignal::new(initial.billing_mode);
    let duration = RwSignal::new(1u32);
    let quantity = RwSignal::new("1".to_owned());
    let region = RwSignal::new(initial.region.clone());
    let skus = StoredValue::new(detail.skus.clone());
    let regions = StoredValue::new(detail.regions.clone());

    // Billing modes offered by the chosen SKU; switching SKU keeps the mode when it can.
    let modes = Memo::new(move |_| {
        skus.with_value(|skus| {
            skus.iter()
                .find(|sku| sku.id == sku_id.get())
                .map(|sku| sku.prices.iter().map(|price| price.billing_mode).collect::<Vec<_>>())
                .unwrap_or_default()
        })
    });
    Effect::new(move |_| {
        let modes = modes.get();
        if !modes.contains(&billing_mode.get_untracked())
            && let Some(first) = modes.first()
        {
            billing_mode.set(*first);
        }
    });
    let configuration = Memo::new(move |_| bazaar_core::pricing::Configuration {
        sku_id: sku_id.get(),
        billing_mode: billing_mode.get(),
        duration_months: (billing_mode.get() == BillingMode::YearlyMonthly).then(|| duration.get()),
        quantity: quantity.get().trim().parse().unwrap_or(0),
        region: region.get(),
    });
    let price = Memo::new(move |_| {
        skus.with_value(|skus| regions.with_value(|regions| price_configuration(skus, regions, &configuration.get())))
    });

    let favorite = RwSignal::new(detail.favorite);
    let toggle_favorite = Action::new_local(move |save: &bool| {
        let save = *save;
        async move {
            if save {
                api::catalog::save_favorite(product_id).await.map(|_| true)
            } else {
                api::catalog::remove_favorite(product_id).await.map(|_| false)
            }
        }
    });
    Effect::new(move |_| {
        if let Some(Ok(saved)) = toggle_favorite.value().get() {
            favorite.set(saved);
        }
    });
    let favorite_error = move || {
        toggle_favorite.value().with(|value| match value {
            Some(Err(error)) => Some(crate::components::status::error_message(error)),
            _ => None,
        })
    };

    let summary = detail.summary.clone();
    let seller = detail.seller_contact.clone();
    let category_name = detail.category_name.clone();
    let service_days = detail.service_period_days;
    let trial_days = detail.trial_days;
    let attributes = detail.attributes.clone();
    let delivery = summary.delivery_method;
    view! {
        <article class="product-page" data-testid="product-ready">
            <header class="product-page__header">
                <p class="product-page__category">
                    <A href=format!("/products?category={}", summary.category)>{move || i18n.locale().pick(&category_name)}</A>
                </p>
                <h1>{summary.name.clone()}</h1>
                <p class="product-page__seller">{move || fill(i18n.t().by_seller, &[("seller", &seller.name)])}</p>
                <p class="product-page__summary">{summary.summary.clone()}</p>
                <ul class="badges" role="list">
                    <li class="badge">{move || i18n.t().delivery(delivery)}</li>
                    {summary.supervised.then(|| view! { <li class="badge badge--supervised">{move || i18n.t().badge_supervised}</li> })}
                    {trial_days.map(|days| view! {
                        <li class="badge badge--trial">{move || fill(i18n.t().product_trial_days, &[("days", &days.to_string())])}</li>
                    })}
                </ul>
            </header>
            <div class="product-page__layout">
                <div class="product-page__main">
                    {service_days.map(|days| view! {
                        <aside class="notice notice--supervision" data-testid="supervision-badge">
                            <h2>{move || i18n.t().supervision_title}</h2>
                            <p>{move || fill(i18n.t().supervision_text, &[("days", &days.to_string())])}</p>
                        </aside>
                    })}
                    <section>
                        <h2>{move || i18n.t().product_overview}</h2>
                        <p>{detail.description.clone()}</p>
                    </section>
                    <section>
                        <h2>{move || i18n.t().product_details}</h2>
                        <dl class="details">
                            <dt>{move || i18n.t().product_delivery}</dt>
                            <dd>{move || i18n.t().delivery(delivery)}</dd>
                            {attributes.into_iter().map(|attribute| {
                                let name = attribute.name.clone();
                                let label = attribute.label.clone();
                                view! {
                                    <dt>{move || i18n.locale().pick(&name)}</dt>
                                    <dd>{move || i18n.locale().pick(&label)}</dd>
                                }
                            }).collect_view()}
                            <dt>{move || i18n.t().product_regions}</dt>
                            <dd>{move || {
                                let chinese = i18n.locale() == crate::i18n::Locale::ZhCn;
                                regions.with_value(|regions| regions.iter().map(|code| bazaar_core::regions::name(code, chinese).to_owned()).collect::<Vec<_>>().join(", "))
                            }}</dd>
                        </dl>
                    </section>
                    <section>
                        <h2>{move || i18n.t().product_usage_guide}</h2>
                        <div class="usage-guide">
                            {detail.usage_guide.lines().map(|line| view! { <p>{line.to_owned()}</p> }).collect_view()}
                        </div>
                    </section>
                    <section>
                        <h2>{move || i18n.t().product_seller}</h2>
                        <dl class="details">
                            <dt>{move || i18n.t().product_seller}</dt>
                            <dd>{detail.seller_contact.name.clone()}</dd>
                            <dt>{move || i18n.t().contact_email}</dt>
                            <dd><a href=format!("mailto:{}", detail.seller_contact.email)>{detail.seller_contact.email.clone()}</a></dd>
                            <dt>{move || i18n.t().product_seller_phone}</dt>
                            <dd>{detail.seller_contact.phone.clone()}</dd>
                            <dt>{move || i18n.t().product_support_hours}</dt>
                            <dd>{detail.seller_contact.support_hours.clone()}</dd>
                        </dl>
                    </section>
                </div>
                <aside class="configurator card" aria-labelledby="configure-heading">
                    <h2 id="configure-heading">{move || i18n.t().configure_title}</h2>
                    <fieldset class="choice-group">
                        <legend>{move || i18n.t().configure_sku}</legend>
                        {detail.skus.iter().map(|sku| {
                            let id = sku.id;
                            view! {
                                <label class="choice">
                                    <input type="radio" name="sku" checked=move || sku_id.get() == id on:change=move |_| sku_id.set(id) />
                                    <span>
                                        <strong>{sku.name.clone()}</strong>
                                        <span class="hint">{sku.description.clone()}</span>
                                    </span>
                                </label>
                            }
                        }).collect_view()}
                    </fieldset>
                    <fieldset class="choice-group">
                        <legend>{move || i18n.t().configure_billing}</legend>
                        <For each=move || modes.get() key=|mode| *mode let:mode>
                            <label class="choice choice--inline">
                                <input type="radio" name="billing" checked=move || billing_mode.get() == mode on:change=move |_| billing_mode.set(mode) />
                                <span>{move || i18n.t().billing(mode)}</span>
                            </label>
                        </For>
                    </fieldset>
                    <Show when=move || billing_mode.get() == BillingMode::YearlyMonthly>
                        <div class="field">
                            <label class="field__label" for="duration">{move || i18n.t().configure_duration}</label>
                            <select id="duration" class="field__select" on:change=move |event| {
                                if let Ok(months) = event_target_value(&event).parse() { duration.set(months) }
                            }>
                                {DURATION_CHOICES_MONTHS.into_iter().map(|months| view! {
                                    <option value=months.to_string() selected=move || duration.get() == months>{move || i18n.t().duration(months)}</option>
                                }).collect_view()}
                            </select>
                        </div>
                    </Show>
                    <div class="field">
                        <label class="field__label" for="quantity">{move || i18n.t().configure_quantity}</label>
                        <input id="quantity" class="field__input" type="number" min="1" max=MAX_QUANTITY.to_string() inputmode="numeric" bind:value=quantity />
                    </div>
                    <div class="field">
                        <label class="field__label" for="region">{move || i18n.t().configure_region}</label>
                        <select id="region" class="field__select" on:change=move |event| region.set(event_target_value(&event))>
                            {detail.regions.iter().map(|code| {
                                let code = code.clone();
                                let value = code.clone();
                                view! {
                                    <option value=value.clone() selected=move || region.get() == value>
                                        {move || bazaar_core::regions::name(&code, i18n.locale() == crate::i18n::Locale::ZhCn).to_owned()}
                                    </option>
                                }
                            }).collect_view()}
                        </select>
                    </div>
                    {move || match price.get() {
                        Ok(breakdown) => view! { <PriceBreakdownView breakdown image /> }.into_any(),
                        Err(errors) => view! {
                            <ul class="form__error" role="alert">
                                {errors.0.iter().map(|error| view! { <li>{i18n.t().field_error(error)}</li> }).collect_view()}
                            </ul>
                        }.into_any(),
                    }}
                    <div class="configurator__actions">
                        {move || if price.with(Result::is_ok) {
                            view! {
                                <A href=purchase_href(product_id, &configuration.get()) attr:class="button button--primary">
                                    {move || i18n.t().continue_to_submit}
                                </A>
                            }.into_any()
                        } else {
                            view! {
                                <button type="button" class="button button--primary" disabled=true>{move || i18n.t().continue_to_submit}</button>
                            }.into_any()
                        }}
                        {move || if session.is_signed_in() {
                            view! {
                                <button type="button" class="button button--secondary"
                                    aria-pressed=move || favorite.get().to_string()
                                    disabled=move || toggle_favorite.pending().get()
                                    on:click=move |_| { toggle_favorite.dispatch(!favorite.get_untracked()); }>
                                    <span aria-hidden="true">{move || if favorite.get() { "★" } else { "☆" }}</span>
                                    {move || if favorite.get() { i18n.t().saved_to_list } else { i18n.t().save_to_list }}
                                </button>
                            }.into_any()
                        } else {
                            view! {
                                <A href=format!("/login?next=%2Fproducts%2F{product_id}") attr:class="button button--secondary">
                                    {move || i18n.t().login_to_save}
                                </A>
                            }.into_any()
                        }}
                    </div>
                    <p class="form__error" role="alert">{favorite_error}</p>
                </aside>
            </div>
        </article>
    }
}
