//! The results page's filters, each fieldset its own piece: category, the category's own
//! fields, delivery and billing, price (ranges and a form), the yes/no filters (service
//! supervision, free trial, 4 stars and up) and sellers. Every count comes from the search
//! response; every change is a navigation to the new URL state.

use bazaar_core::catalog::{AttributeFacet, FacetCount, FacetCountPair, Facets, LocalizedText};
use leptos::prelude::*;

use crate::i18n::{Messages, use_i18n};
use crate::url_state::SearchState;

/// The filter panel: open by default on wide screens, folded on phones.
#[component]
pub(super) fn FacetPanel(facets: Facets, state: Memo<SearchState>, go: Callback<SearchState>) -> impl IntoView {
    let i18n = use_i18n();
    let wide = window().inner_width().ok().and_then(|w| w.as_f64()).is_some_and(|w| w >= 900.0);
    let Facets {
        categories,
        delivery_methods,
        billing_modes,
        sellers,
        price_ranges,
        supervised,
        free_trial,
        four_stars_and_up,
        attributes,
    } = facets;
    view! {
        <details class="filters" open=wide>
            <summary class="filters__summary">{move || i18n.t().filters_heading}</summary>
            <Show when=move || state.with(SearchState::has_filters)>
                <button type="button" class="button button--quiet button--small" on:click=move |_| go.run(state.get_untracked().cleared())>
                    {move || i18n.t().filter_clear}
                </button>
            </Show>
            <CategoryFacet categories state go />
            {attributes.into_iter().map(|attribute| view! { <AttributeFacetGroup attribute state go /> }).collect_view()}
            <CheckboxFacet title=|messages| messages.filter_delivery key="delivery" values=delivery_methods state go
                name=|facet, messages| {
                    str::parse::<bazaar_core::catalog::DeliveryMethod>(&facet.value).ok().map(|m| messages.delivery(m).to_owned()).unwrap_or_default()
                } />
            <CheckboxFacet title=|messages| messages.filter_billing key="billing" values=billing_modes state go
                name=|facet, messages| {
                    str::parse::<bazaar_core::catalog::BillingMode>(&facet.value).ok().map(|m| messages.billing(m).to_owned()).unwrap_or_default()
                } />
            <PriceFacet price_ranges state go />
            <fieldset class="facet">
                <legend class="visually-hidden">{move || i18n.t().filters_heading}</legend>
                <FlagFacet facet=supervised key="supervised" on="true" label=|messages| messages.filter_supervised state go />
                <FlagFacet facet=free_trial key="trial" on="true" label=|messages| messages.filter_trial state go />
                <FlagFacet facet=four_stars_and_up key="rating_min" on="4" label=|messages| messages.filter_four_stars state go />
            </fieldset>
            <SellerFacet sellers state go />
        </details>
    }
}

/// One option of a filter: its input, its label and the number of results it would give,
/// greyed out (`empty`) when it would give none, folded away while `collapsed`.
#[component]
fn FacetOption(
    #[prop(default = "checkbox")] input_type: &'static str,
    #[prop(optional)] name: Option<&'static str>,
    checked: bool,
    /// `None` for an option that counts nothing of its own ("All categories").
    #[prop(optional)]
    count: Option<u64>,
    #[prop(optional)] empty: bool,
    #[prop(optional)] collapsed: Option<Signal<bool>>,
    label: Signal<String>,
    on_change: Callback<()>,
) -> impl IntoView {
    view! {
        <label class="facet__option" class:facet__option--empty=empty
            class:facet__option--collapsed=move || collapsed.is_some_and(|collapsed| collapsed.get())>
            <input type=input_type name=name prop:checked=checked on:change=move |_| on_change.run(()) />
            <span class="facet__label">{label}</span>
            {count.map(|count| view! { <span class="facet__count">{count}</span> })}
        </label>
    }
}

/// A label in the chosen language, or the raw value when the API gives none.
fn label_or_value(facet: &FacetCount) -> LocalizedText {
    facet.label.clone().unwrap_or_else(|| LocalizedText { en: facet.value.clone(), zh: facet.value.clone() })
}

#[component]
fn CategoryFacet(categories: Vec<FacetCount>, state: Memo<SearchState>, go: Callback<SearchState>) -> impl IntoView {
    let i18n = use_i18n();
    let selected_category = state.with_untracked(|s| s.get("category").map(str::to_owned));
    view! {
        <fieldset class="facet">
            <legend class="facet__title">{move || i18n.t().filter_category}</legend>
            <FacetOption input_type="radio" name="category" checked=selected_category.is_none()
                label=Signal::derive(move || i18n.t().filter_all_categories.to_owned())
                on_change=Callback::new(move |()| go.run(state.get_untracked().with("category", None))) />
            {categories.into_iter().map(|facet| {
                let value = facet.value.clone();
                let label = label_or_value(&facet);
                view! {
                    <FacetOption input_type="radio" name="category" checked=facet.selected count=facet.count empty=facet.count == 0
                        label=Signal::derive(move || i18n.locale().pick(&label))
                        on_change=Callback::new(move |()| go.run(state.get_untracked().with("category", Some(&value)))) />
                }
            }).collect_view()}
        </fieldset>
    }
}

/// One of the chosen category's own fields (`a_<key>`).
#[component]
fn AttributeFacetGroup(
    attribute: AttributeFacet,
    state: Memo<SearchState>,
    go: Callback<SearchState>,
) -> impl IntoView {
    let i18n = use_i18n();
    let key = bazaar_core::catalog::attribute_parameter(&attribute.key);
    let name = attribute.name.clone();
    view! {
        <fieldset class="facet facet--category" data-testid=format!("facet-{}", attribute.key)>
            <legend class="facet__title">{move || i18n.locale().pick(&name)}</legend>
            {attribute.values.into_iter().map(|facet| {
                let value = facet.value.clone();
                let key = key.clone();
                let checked = facet.selected;
                let label = label_or_value(&facet);
                view! {
                    <FacetOption checked count=facet.count empty=facet.count == 0 && !checked
                        label=Signal::derive(move || i18n.locale().pick(&label))
                        on_change=Callback::new(move |()| go.run(state.get_untracked().toggled(&key, &value))) />
                }
            }).collect_view()}
        </fieldset>
    }
}

/// A filter of several values named by the app's own words (delivery methods, billing
/// modes).
#[component]
fn CheckboxFacet(
    title: fn(&Messages) -> &'static str,
    key: &'static str,
    values: Vec<FacetCount>,
    name: fn(&FacetCount, &Messages) -> String,
    state: Memo<SearchState>,
    go: Callback<SearchState>,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <fieldset class="facet">
            <legend class="facet__title">{move || title(i18n.t())}</legend>
            {values.into_iter().map(|facet| {
                let value = facet.value.clone();
                let checked = state.with_untracked(|state| state.has(key, &value));
                let count = facet.count;
                view! {
                    <FacetOption checked count empty=count == 0 && !checked
                        label=Signal::derive(move || name(&facet, i18n.t()))
                        on_change=Callback::new(move |()| go.run(state.get_untracked().toggled(key, &value))) />
                }
            }).collect_view()}
        </fieldset>
    }
}

/// A yes/no filter: `key=on` when checked, absent when not.
#[component]
fn FlagFacet(
    facet: FacetCountPair,
    key: &'static str,
    on: &'static str,
    label: fn(&Messages) -> &'static str,
    state: Memo<SearchState>,
    go: Callback<SearchState>,
) -> impl IntoView {
    let i18n = use_i18n();
    let selected = facet.selected;
    view! {
        <FacetOption checked=selected count=facet.count
            label=Signal::derive(move || label(i18n.t()).to_owned())
            on_change=Callback::new(move |()| go.run(state.get_untracked().with(key, (!selected).then_some(on)))) />
    }
}

/// Price-range buckets are labelled by position; their bounds come from the API's values.
fn price_range_label(messages: &Messages, index: usize) -> &'static str {
    [messages.price_range_0, messages.price_range_1, messages.price_range_2, messages.price_range_3]
        .get(index)
        .copied()
        .unwrap_or("")
}

#[component]
fn PriceFacet(price_ranges: Vec<FacetCount>, state: Memo<SearchState>, go: Callback<SearchState>) -> impl IntoView {
    let i18n = use_i18n();
    let price_min = RwSignal::new(state.with_untracked(|s| s.get("price_min").map(minor_to_yuan).unwrap_or_default()));
    let price_max = RwSignal::new(state.with_untracked(|s| s.get("price_max").map(minor_to_yuan).unwrap_or_default()));
    let apply_price = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let min = yuan_to_minor(&price_min.get_untracked());
        let max = yuan_to_minor(&price_max.get_untracked());
        go.run(state.get_untracked().with("price_min", min.as_deref()).with("price_max", max.as_deref()));
    };
    view! {
        <fieldset class="facet">
            <legend class="facet__title">{move || i18n.t().filter_price}</legend>
            {price_ranges.into_iter().enumerate().map(|(index, facet)| {
                let (min, max) = facet.value.split_once('-').map(|(a, b)| (a.to_owned(), b.to_owned())).unwrap_or_default();
                let checked = facet.selected;
                let pick = move |()| {
                    let current = state.get_untracked();
                    let next = if checked {
                        current.with("price_min", None).with("price_max", None)
                    } else {
                        current.with("price_min", Some(&min)).with("price_max", Some(&max))
                    };
                    go.run(next);
                };
                view! {
                    <FacetOption checked count=facet.count empty=facet.count == 0 && !checked
                        label=Signal::derive(move || price_range_label(i18n.t(), index).to_owned())
                        on_change=Callback::new(pick) />
                }
            }).collect_view()}
            <form class="price-form" on:submit=apply_price>
                <label>
                    <span>{move || i18n.t().filter_price_min}</span>
                    <input class="field__input" type="number" min="0" step="1" inputmode="numeric" bind:value=price_min />
                </label>
                <label>
                    <span>{move || i18n.t().filter_price_max}</span>
                    <input class="field__input" type="number" min="0" step="1" inputmode="numeric" bind:value=price_max />
                </label>
                <button type="submit" class="button button--secondary button--small">{move || i18n.t().filter_price_apply}</button>
            </form>
        </fieldset>
    }
}

/// Sellers by count; beyond eight, the rest fold behind "Show all".
#[component]
fn SellerFacet(sellers: Vec<FacetCount>, state: Memo<SearchState>, go: Callback<SearchState>) -> impl IntoView {
    let i18n = use_i18n();
    let show_all_sellers = RwSignal::new(false);
    let seller_total = sellers.len();
    view! {
        <fieldset class="facet">
            <legend class="facet__title">{move || i18n.t().filter_seller}</legend>
            {sellers.into_iter().enumerate().map(|(index, facet)| {
                let value = facet.value.clone();
                let checked = facet.selected;
                let label = label_or_value(&facet);
                view! {
                    <FacetOption checked count=facet.count empty=facet.count == 0 && !checked
                        collapsed=Signal::derive(move || index >= 8 && !checked && !show_all_sellers.get())
                        label=Signal::derive(move || i18n.locale().pick(&label))
                        on_change=Callback::new(move |()| go.run(state.get_untracked().toggled("seller", &value))) />
                }
            }).collect_view()}
            <Show when=move || { seller_total > 8 }>
                <button type="button" class="button button--quiet button--small"
                    aria-expanded=move || show_all_sellers.get().to_string()
                    on:click=move |_| show_all_sellers.update(|all| *all = !*all)>
                    {move || if show_all_sellers.get() {
                        i18n.t().filter_fewer_sellers.to_owned()
                    } else {
                        (i18n.t().filter_more_sellers)(&seller_total.to_string())
                    }}
                </button>
            </Show>
        </fieldset>
    }
}

fn minor_to_yuan(minor: &str) -> String {
    minor.parse::<i64>().map(|minor| (minor / 100).to_string()).unwrap_or_default()
}

fn yuan_to_minor(yuan: &str) -> Option<String> {
    let yuan = yuan.trim();
    if yuan.is_empty() {
        return None;
    }
    yuan.parse::<f64>().ok().filter(|v| v.is_finite() && *v >= 0.0).map(|v| ((v * 100.0).round() as i64).to_string())
}
