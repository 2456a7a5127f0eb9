//! What the product page says about the product: its header and badges, the supervision
//! notice, overview, details, usage guide and seller.

use bazaar_core::catalog::ProductDetail;
use leptos::prelude::*;

use crate::components::page_heading::PageHeading;
use crate::i18n::use_i18n;

#[component]
pub(crate) fn ProductHeader(detail: ProductDetail) -> impl IntoView {
    let i18n = use_i18n();
    let summary = detail.summary.clone();
    let seller = detail.seller_contact.clone();
    let category_name = detail.category_name.clone();
    let trial_days = detail.trial_days;
    let delivery = summary.delivery_method;
    view! {
        <header class="product-page__header">
                <p class="product-page__category">
                    // A plain link: `<A>` would mark it the current page on every product of
                    // the category (its path, /products, begins the product's).
                    <a href=format!("/products?category={}", summary.category)>{move || i18n.locale().pick(&category_name)}</a>
                </p>
                <PageHeading text={summary.name.clone()} />
                <p class="product-page__seller">{move || (i18n.t().by_seller)(&seller.name)}</p>
                <p class="product-page__summary">{summary.summary.clone()}</p>
                <ul class="badges" role="list">
                    <li class="badge">{move || i18n.t().delivery(delivery)}</li>
                    {summary.supervised.then(|| view! { <li class="badge badge--supervised">{move || i18n.t().badge_supervised}</li> })}
                    {trial_days.map(|days| view! {
                        <li class="badge badge--trial">{move || (i18n.product().product_trial_days)(&days.to_string())}</li>
                    })}
                </ul>
            </header>
    }
}

#[component]
pub(crate) fn ProductInformation(detail: ProductDetail) -> impl IntoView {
    let i18n = use_i18n();
    let service_days = detail.service_period_days;
    let attributes = detail.attributes.clone();
    let delivery = detail.summary.delivery_method;
    let regions = StoredValue::new(detail.regions.clone());
    view! {
                <div class="product-page__main">
                    {service_days.map(|days| view! {
                        <aside class="notice notice--supervision" data-testid="supervision-badge">
                            <h2>{move || i18n.product().supervision_title}</h2>
                            <p>{move || (i18n.product().supervision_text)(&days.to_string())}</p>
                        </aside>
                    })}
                    <section>
                        <h2>{move || i18n.product().product_overview}</h2>
                        // The seller's own words, in the seller's language: marked so that tools (and
                        // the language-switch test) can tell content from interface.
                        <p data-seller-content="">{detail.description.clone()}</p>
                    </section>
                    <section>
                        <h2>{move || i18n.product().product_details}</h2>
                        <dl class="details">
                            <dt>{move || i18n.product().product_delivery}</dt>
                            <dd>{move || i18n.t().delivery(delivery)}</dd>
                            {attributes.into_iter().map(|attribute| {
                                let name = attribute.name.clone();
                                let label = attribute.label.clone();
                                view! {
                                    <dt>{move || i18n.locale().pick(&name)}</dt>
                                    <dd>{move || i18n.locale().pick(&label)}</dd>
                                }
                            }).collect_view()}
                            <dt>{move || i18n.product().product_regions}</dt>
                            <dd>{move || {
                                let chinese = i18n.locale() == crate::i18n::Locale::ZhCn;
                                regions.with_value(|regions| regions.iter().map(|code| bazaar_core::regions::name(code, chinese).to_owned()).collect::<Vec<_>>().join(", "))
                            }}</dd>
                        </dl>
                    </section>
                    <section>
                        <h2>{move || i18n.product().product_usage_guide}</h2>
                        <div class="usage-guide" data-seller-content="">
                            {detail.usage_guide.lines().map(|line| view! { <p>{line.to_owned()}</p> }).collect_view()}
                        </div>
                    </section>
                    <section>
                        <h2>{move || i18n.product().product_seller}</h2>
                        <dl class="details">
                            <dt>{move || i18n.product().product_seller}</dt>
                            <dd>{detail.seller_contact.name.clone()}</dd>
                            <dt>{move || i18n.t().contact_email}</dt>
                            <dd>{if detail.seller_contact.masked {
                                detail.seller_contact.email.clone().into_any()
                            } else {
                                view! { <a href=format!("mailto:{}", detail.seller_contact.email)>{detail.seller_contact.email.clone()}</a> }.into_any()
                            }}</dd>
                            <dt>{move || i18n.product().product_seller_phone}</dt>
                            <dd>{detail.seller_contact.phone.clone()}</dd>
                            <dt>{move || i18n.product().product_support_hours}</dt>
                            <dd>{detail.seller_contact.support_hours.clone()}</dd>
                        </dl>
                        {detail.seller_contact.masked.then(|| view! {
                            <p class="hint" data-testid="seller-contact-masked">{move || i18n.product().product_contact_masked}</p>
                        })}
                    </section>
                </div>
    }
}
