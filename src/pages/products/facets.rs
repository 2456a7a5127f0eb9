//! The results page's filters, each fieldset its own piece: category, the category's own
//! fields, delivery and billing, price (ranges and a form), the yes/no filters (service
//! supervision, free trial, 4 stars and up) and sellers. Every count, and the search each
//! option leads to, comes from the search response: an option carries that address in its
//! `data-href`, which the results page follows when it changes (and so does the shell
//! before the app has taken over, from the same markup).

use bazaar_core::catalog::{
    AttributeFacet, FacetCount, FacetCountPair, Facets, LocalizedText, PRICE_RANGES, SearchLinks,
};
use bazaar_core::search_state::{SearchState, minor_to_typed_price, results_address, typed_price_to_minor};
use leptos::prelude::*;

use crate::i18n::{Messages, use_i18n};

/// The filter panel: open by default on wide screens (`wide`), folded on phones.
#[component]
pub(crate) fn FacetPanel(
    facets: Facets,
    links: SearchLinks,
    /// The search shown: its price bounds fill the price form, which changes them.
    search: SearchState,
    wide: bool,
    /// Where the price form's typed bounds lead (the results page navigates there).
    go: Callback<String>,
) -> impl IntoView {
    let i18n = use_i18n();
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
            {links.cleared.map(|cleared| view! {
                <button type="button" class="button button--quiet button--small" data-href=results_address(&cleared)>
                    {move || i18n.t().filter_clear}
                </button>
            })}
            <CategoryFacet categories all_categories=links.all_categories none_chosen=search.get("category").is_none() />
            {attributes.into_iter().map(|attribute| view! { <AttributeFacetGroup attribute /> }).collect_view()}
            <CheckboxFacet title=|messages| messages.filter_delivery values=delivery_methods
                name=|facet, messages| {
                    str::parse::<bazaar_core::catalog::DeliveryMethod>(&facet.value).ok().map(|m| messages.delivery(m).to_owned()).unwrap_or_default()
                } />
            <CheckboxFacet title=|messages| messages.filter_billing values=billing_modes
                name=|facet, messages| {
                    str::parse::<bazaar_core::catalog::BillingMode>(&facet.value).ok().map(|m| messages.billing(m).to_owned()).unwrap_or_default()
                } />
            <PriceFacet price_ranges without_price=links.without_price search go />
            <fieldset class="facet">
                <legend class="visually-hidden">{move || i18n.t().filters_heading}</legend>
                <FlagFacet facet=supervised label=|messages| messages.filter_supervised />
                <FlagFacet facet=free_trial label=|messages| messages.filter_trial />
                <FlagFacet facet=four_stars_and_up label=|messages| messages.filter_four_stars />
            </fieldset>
            <SellerFacet sellers />
        </details>
    }
}

/// One option of a filter: its input, its label and the number of results it would give,
/// greyed out (`empty`) when it would give none, folded away while `collapsed`; `query` is
/// the search it leads to. Its checked state is an attribute, as the page is drawn anew
/// for each search.
#[component]
pub(crate) fn FacetOption(
    #[prop(default = "checkbox")] input_type: &'static str,
    #[prop(optional)] name: Option<&'static str>,
    checked: bool,
    /// `None` for an option that counts nothing of its own ("All categories").
    #[prop(optional)]
    count: Option<u64>,
    #[prop(optional)] empty: bool,
    #[prop(optional)] collapsed: Option<Signal<bool>>,
    label: Signal<String>,
    query: String,
) -> impl IntoView {
    view! {
        <label class="facet__option" class:facet__option--empty=empty
            class:facet__option--collapsed=move || collapsed.is_some_and(|collapsed| collapsed.get())>
            <input type=input_type name=name checked=checked prop:checked=checked data-href=results_address(&query) />
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
fn CategoryFacet(categories: Vec<FacetCount>, all_categories: String, none_chosen: bool) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <fieldset class="facet">
            <legend class="facet__title">{move || i18n.t().filter_category}</legend>
            <FacetOption input_type="radio" name="category" checked=none_chosen
                label=Signal::derive(move || i18n.t().filter_all_categories.to_owned())
                query=all_categories />
            {categories.into_iter().map(|facet| {
                let label = label_or_value(&facet);
                view! {
                    <FacetOption input_type="radio" name="category" checked=facet.selected count=facet.count empty=facet.count == 0
                        label=Signal::derive(move || i18n.locale().pick(&label)) query=facet.query />
                }
            }).collect_view()}
        </fieldset>
    }
}

/// One of the chosen category's own fields (`a_<key>`).
#[component]
pub(crate) fn AttributeFacetGroup(attribute: AttributeFacet) -> impl IntoView {
    let i18n = use_i18n();
    let name = attribute.name.clone();
    view! {
        <fieldset class="facet facet--category" data-testid=format!("facet-{}", attribute.key)>
            <legend class="facet__title">{move || i18n.locale().pick(&name)}</legend>
            {attribute.values.into_iter().map(|facet| {
                let checked = facet.selected;
                let label = label_or_value(&facet);
                view! {
                    <FacetOption checked count=facet.count empty=facet.count == 0 && !checked
                        label=Signal::derive(move || i18n.locale().pick(&label)) query=facet.query />
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
    values: Vec<FacetCount>,
    name: fn(&FacetCount, &Messages) -> String,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <fieldset class="facet">
            <legend class="facet__title">{move || title(i18n.t())}</legend>
            {values.into_iter().map(|facet| {
                let checked = facet.selected;
                let count = facet.count;
                let query = facet.query.clone();
                view! {
                    <FacetOption checked count empty=count == 0 && !checked
                        label=Signal::derive(move || name(&facet, i18n.t())) query />
                }
            }).collect_view()}
        </fieldset>
    }
}

/// A yes/no filter.
#[component]
fn FlagFacet(facet: FacetCountPair, label: fn(&Messages) -> &'static str) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <FacetOption checked=facet.selected count=facet.count
            label=Signal::derive(move || label(i18n.t()).to_owned()) query=facet.query />
    }
}

/// A price range's words, by its value (one of `PRICE_RANGES`).
fn price_range_label(messages: &Messages, value: &str) -> &'static str {
    let position = PRICE_RANGES.iter().position(|(range, ..)| *range == value);
    [messages.price_range_0, messages.price_range_1, messages.price_range_2, messages.price_range_3]
        .get(position.unwrap_or(usize::MAX))
        .copied()
        .unwrap_or("")
}

/// The price ranges, and a form for bounds of one's own: typed in whole yuan, the address
/// keeps hundredths; `without_price` is the search the typed bounds are added to.
#[component]
fn PriceFacet(
    price_ranges: Vec<FacetCount>,
    without_price: String,
    search: SearchState,
    go: Callback<String>,
) -> impl IntoView {
    let i18n = use_i18n();
    let typed_min = RwSignal::new(search.get("price_min").map(minor_to_typed_price).unwrap_or_default());
    let typed_max = RwSignal::new(search.get("price_max").map(minor_to_typed_price).unwrap_or_default());
    let apply_price = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let min = typed_price_to_minor(&typed_min.get_untracked());
        let max = typed_price_to_minor(&typed_max.get_untracked());
        go.run(search.with("price_min", min.as_deref()).with("price_max", max.as_deref()).href());
    };
    view! {
        <fieldset class="facet">
            <legend class="facet__title">{move || i18n.t().filter_price}</legend>
            {price_ranges.into_iter().map(|facet| {
                let checked = facet.selected;
                let value = facet.value.clone();
                view! {
                    <FacetOption checked count=facet.count empty=facet.count == 0 && !checked
                        label=Signal::derive(move || price_range_label(i18n.t(), &value).to_owned()) query=facet.query />
                }
            }).collect_view()}
            <form class="price-form" data-href=results_address(&without_price) on:submit=apply_price>
                <label>
                    <span>{move || i18n.t().filter_price_min}</span>
                    <input class="field__input" type="number" min="0" step="1" inputmode="numeric" name="price_min" value=typed_min.get_untracked() bind:value=typed_min />
                </label>
                <label>
                    <span>{move || i18n.t().filter_price_max}</span>
                    <input class="field__input" type="number" min="0" step="1" inputmode="numeric" name="price_max" value=typed_max.get_untracked() bind:value=typed_max />
                </label>
                <button type="submit" class="button button--secondary button--small">{move || i18n.t().filter_price_apply}</button>
            </form>
        </fieldset>
    }
}

/// Sellers by count; beyond eight, the rest fold behind "Show all".
#[component]
fn SellerFacet(sellers: Vec<FacetCount>) -> impl IntoView {
    let i18n = use_i18n();
    let show_all = RwSignal::new(false);
    let total = sellers.len();
    view! {
        <fieldset class="facet">
            <legend class="facet__title">{move || i18n.t().filter_seller}</legend>
            {sellers.into_iter().enumerate().map(|(index, facet)| {
                let checked = facet.selected;
                let label = label_or_value(&facet);
                view! {
                    <FacetOption checked count=facet.count empty=facet.count == 0 && !checked
                        collapsed=Signal::derive(move || index >= SELLERS_SHOWN && !checked && !show_all.get())
                        label=Signal::derive(move || i18n.locale().pick(&label)) query=facet.query />
                }
            }).collect_view()}
            {(total > SELLERS_SHOWN).then(|| view! { <MoreSellers total show_all /> })}
        </fieldset>
    }
}

/// How many sellers show before the rest fold away.
pub(crate) const SELLERS_SHOWN: usize = 8;

/// The button that shows the folded sellers, and folds them again.
#[component]
pub(crate) fn MoreSellers(total: usize, show_all: RwSignal<bool>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <button type="button" class="button button--quiet button--small"
            aria-expanded=move || show_all.get().to_string()
            on:click=move |_| show_all.update(|all| *all = !*all)>
            {move || if show_all.get() {
                i18n.t().filter_fewer_sellers.to_owned()
            } else {
                (i18n.t().filter_more_sellers)(&total.to_string())
            }}
        </button>
    }
}
