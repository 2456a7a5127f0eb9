//! The specification configurator: SKU, billing mode (only those the SKU offers), duration,
//! quantity and region, the live price from core pricing, Continue to Submit with that
//! configuration, and Save to List.

use bazaar_core::catalog::{BillingMode, DeliveryMethod, ProductDetail, Sku};
use bazaar_core::ids::ProductId;
use bazaar_core::pricing::{Configuration, DURATION_CHOICES_MONTHS, MAX_QUANTITY, price_configuration};
use leptos::prelude::*;
use leptos_router::components::A;

use crate::api::{self, ApiError};
use crate::components::price::PriceBreakdownView;
use crate::configuration::{default_configuration, purchase_href};
use crate::i18n::use_i18n;
use crate::session::use_session;

use super::trial_button::TrialButton;

#[component]
pub(super) fn Configurator(detail: ProductDetail) -> impl IntoView {
    let i18n = use_i18n();
    let product_id = detail.summary.id;
    let image = detail.summary.delivery_method == DeliveryMethod::Image;
    let initial = default_configuration(&detail);
    let sku_id = RwSignal::new(initial.sku_id);
    let chosen_billing_mode = RwSignal::new(initial.billing_mode);
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
    // The mode the buyer chose, or the SKU's first when the chosen SKU does not offer it.
    let billing_mode = Memo::new(move |_| {
        let chosen = chosen_billing_mode.get();
        modes.with(|modes| if modes.contains(&chosen) { chosen } else { modes.first().copied().unwrap_or(chosen) })
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

    // Saving keeps the configuration on screen with the product (when it is a valid one),
    // so Buy in My Favorites opens checkout with it.
    let keep = Signal::derive(move || price.with(Result::is_ok).then(|| configuration.get()));
    let favorite = FavoriteToggle::new(product_id, detail.favorite, keep);

    view! {
                <aside class="configurator card" aria-labelledby="configure-heading">
                    <h2 id="configure-heading" tabindex="-1">{move || i18n.product().configure_title}</h2>
                    <SkuChoices skus=detail.skus.clone() sku_id />
                    <fieldset class="choice-group">
                        <legend>{move || i18n.t().configure_billing}</legend>
                        <For each=move || modes.get() key=|mode| *mode let:mode>
                            <label class="choice choice--inline">
                                <input type="radio" name="billing" checked=move || billing_mode.get() == mode on:change=move |_| chosen_billing_mode.set(mode) />
                                <span>{move || i18n.t().billing(mode)}</span>
                            </label>
                        </For>
                    </fieldset>
                    <Show when=move || billing_mode.get() == BillingMode::YearlyMonthly>
                        <DurationSelect duration />
                    </Show>
                    <div class="field">
                        <label class="field__label" for="quantity">{move || i18n.t().configure_quantity}</label>
                        <input id="quantity" class="field__input" type="number" min="1" max=MAX_QUANTITY.to_string() inputmode="numeric" bind:value=quantity />
                    </div>
                    <RegionSelect regions=detail.regions.clone() region />
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
                                    {move || i18n.product().continue_to_submit}
                                </A>
                            }.into_any()
                        } else {
                            view! {
                                <button type="button" class="button button--primary" disabled=true>{move || i18n.product().continue_to_submit}</button>
                            }.into_any()
                        }}
                        {detail.trial_days.is_some().then(|| view! {
                            <TrialButton product_id configuration priced=Signal::derive(move || price.with(Result::is_ok)) />
                        })}
                        <FavoriteButton product_id favorite />
                    </div>
                    <p class="form__error" role="alert">{move || favorite.error()}</p>
                </aside>
    }
}

/// How many months a yearly/monthly purchase runs.
#[component]
fn DurationSelect(duration: RwSignal<u32>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
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
    }
}

/// The SKUs, one radio button each with its name and description.
#[component]
fn SkuChoices(skus: Vec<Sku>, sku_id: RwSignal<i64>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <fieldset class="choice-group">
            <legend>{move || i18n.t().configure_sku}</legend>
            {skus.into_iter().map(|sku| {
                let id = sku.id;
                view! {
                    <label class="choice">
                        <input type="radio" name="sku" checked=move || sku_id.get() == id on:change=move |_| sku_id.set(id) />
                        <span>
                            <strong>{sku.name}</strong>
                            <span class="hint">{sku.description}</span>
                        </span>
                    </label>
                }
            }).collect_view()}
        </fieldset>
    }
}

/// The product's regions by name in the reader's language.
#[component]
fn RegionSelect(regions: Vec<String>, region: RwSignal<String>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div class="field">
            <label class="field__label" for="region">{move || i18n.t().configure_region}</label>
            <select id="region" class="field__select" on:change=move |event| region.set(event_target_value(&event))>
                {regions.into_iter().map(|code| {
                    let value = code.clone();
                    view! {
                        <option value=value.clone() selected=move || region.get() == value>
                            {move || bazaar_core::regions::name(&code, i18n.locale() == crate::i18n::Locale::ZhCn).to_owned()}
                        </option>
                    }
                }).collect_view()}
            </select>
        </div>
    }
}

/// Save to List: whether the product is saved, the toggle, and why the last one failed.
#[derive(Clone, Copy)]
struct FavoriteToggle {
    /// Each toggle answers with the state it leaves (the old one when it failed) and its error.
    action: Action<bool, (bool, Option<ApiError>)>,
    saved_at_load: bool,
}

impl FavoriteToggle {
    /// `keep`: the configuration saved with the product, when there is a valid one.
    fn new(product_id: ProductId, saved_at_load: bool, keep: Signal<Option<Configuration>>) -> FavoriteToggle {
        let action = Action::new_local(move |save: &bool| {
            let save = *save;
            let kept = keep.get_untracked();
            async move {
                let result = if save {
                    api::catalog::save_favorite(product_id, kept).await.map(|_| ())
                } else {
                    api::catalog::remove_favorite(product_id).await
                };
                match result {
                    Ok(()) => (save, None),
                    Err(error) => (!save, Some(error)),
                }
            }
        });
        FavoriteToggle { action, saved_at_load }
    }

    fn saved(&self) -> bool {
        let saved_at_load = self.saved_at_load;
        self.action.value().with(|value| value.as_ref().map_or(saved_at_load, |(saved, _)| *saved))
    }

    /// As [`FavoriteToggle::saved`], for an event handler (no tracking).
    fn saved_now(&self) -> bool {
        let saved_at_load = self.saved_at_load;
        self.action.value().with_untracked(|value| value.as_ref().map_or(saved_at_load, |(saved, _)| *saved))
    }

    fn error(&self) -> Option<String> {
        self.action.value().with(|value| {
            value.as_ref().and_then(|(_, error)| error.as_ref()).map(crate::components::status::error_message)
        })
    }
}

/// Save to List for a signed-in reader (pressed when saved); a way to log in otherwise.
#[component]
fn FavoriteButton(product_id: ProductId, favorite: FavoriteToggle) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    move || {
        if session.is_signed_in() {
            view! {
                <button type="button" class="button button--secondary"
                    aria-pressed=move || favorite.saved().to_string()
                    disabled=move || favorite.action.pending().get()
                    on:click=move |_| { favorite.action.dispatch(!favorite.saved_now()); }>
                    <span aria-hidden="true">{move || if favorite.saved() { "★" } else { "☆" }}</span>
                    {move || if favorite.saved() { i18n.product().saved_to_list } else { i18n.product().save_to_list }}
                </button>
            }
            .into_any()
        } else {
            view! {
                <A href=format!("/login?next=%2Fproducts%2F{product_id}") attr:class="button button--secondary">
                    {move || i18n.product().login_to_save}
                </A>
            }
            .into_any()
        }
    }
}
