//! The catalog results page: search, filters with counts (the category's own fields once a
//! category is chosen), sorting and paging, all kept in the URL.

use bazaar_core::catalog::{FacetCount, Facets, ProductSearchResponse, SortOrder};
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_query_map};

use crate::api;
use crate::components::page_heading::PageHeading;
use crate::components::product_card::ProductCard;
use crate::components::status::{CardSkeletons, render_resource_with};
use crate::i18n::{Messages, use_i18n};
use crate::url_state::SearchState;

#[component]
pub fn ProductsPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let state = Memo::new(move |_| {
        query.with(|query| SearchState::from_pairs(query.into_iter().map(|(k, v)| (k.as_ref(), v))))
    });
    let results = LocalResource::new(move || api::catalog::search(state.get().query_string()));
    let title = move || match state.with(|state| state.get("q").map(str::to_owned)) {
        Some(query) => (i18n.t().results_for)(&query),
        None => i18n.t().catalog_title.to_owned(),
    };
    view! {
        <div class="catalog">
            <PageHeading text=title />
            {render_resource_with(results, || view! { <CardSkeletons count=6 /> }, move |response| {
                view! { <Results response state /> }
            })}
        </div>
    }
}

#[component]
fn Results(response: ProductSearchResponse, state: Memo<SearchState>) -> impl IntoView {
    let i18n = use_i18n();
    let navigate = use_navigate();
    let go = Callback::new(move |next: SearchState| navigate(&next.href(), Default::default()));
    let total = response.total;
    let pages = total.div_ceil(u64::from(response.page_size)).max(1) as u32;
    let page = response.page;
    let current_sort = state.with_untracked(|state| {
        state.get("sort").and_then(|text: &str| text.parse::<SortOrder>().ok()).unwrap_or_default()
    });
    let items = response.items;
    let facets = response.facets;
    let empty = items.is_empty();
    view! {
        <div class="catalog-layout">
            <FacetPanel facets state go />
            <section class="results" aria-labelledby="results-count">
                <div class="results__bar">
                    // The count heads the results (the cards' names are level 3 under it); the
                    // live region inside it announces a new count after a filter change.
                    <h2 class="results__count">
                        <span id="results-count" role="status" data-testid="results-count">
                            {move || (i18n.t().results_count)(total)}
                        </span>
                    </h2>
                    <label class="results__sort">
                        <span>{move || i18n.t().sort_label}</span>
                        <select
                            class="field__select"
                            on:change=move |event| {
                                let value = event_target_value(&event);
                                let value = (value != "relevance").then_some(value);
                                go.run(state.get_untracked().with("sort", value.as_deref()));
                            }
                        >
                            {SortOrder::ALL.into_iter().map(|order| view! {
                                <option value=order.as_str() prop:selected=order == current_sort>{move || i18n.t().sort(order)}</option>
                            }).collect_view()}
                        </select>
                    </label>
                </div>
                {if empty {
                    view! {
                        <div class="status status--empty" data-testid="results-empty">
                            <p class="status__title">{move || i18n.t().empty_results_title}</p>
                            <p>{move || i18n.t().empty_results_hint}</p>
                            <Show when=move || state.with(SearchState::has_filters)>
                                <button type="button" class="button button--secondary" on:click=move |_| go.run(state.get_untracked().cleared())>
                                    {move || i18n.t().filter_clear}
                                </button>
                            </Show>
                            <A href="/">{move || i18n.t().home_categories}</A>
                        </div>
                    }.into_any()
                } else {
                    view! {
                        <div class="product-grid" data-testid="results-ready">
                            {items.into_iter().map(|product| view! { <ProductCard product /> }).collect_view()}
                        </div>
                    }.into_any()
                }}
                <Show when=move || { pages > 1 }>
                    <nav class="pagination" aria-label=move || i18n.t().pagination_label>
                        {(page > 1).then(|| {
                            let href = state.get_untracked().with("page", Some(&(page - 1).to_string())).href();
                            view! { <A href=href attr:rel="prev">{move || i18n.t().pagination_previous}</A> }
                        })}
                        <span aria-current="page">
                            {move || (i18n.t().pagination_page)(&page.to_string(), &pages.to_string())}
                        </span>
                        {(page < pages).then(|| {
                            let href = state.get_untracked().with("page", Some(&(page + 1).to_string())).href();
                            view! { <A href=href attr:rel="next">{move || i18n.t().pagination_next}</A> }
                        })}
                    </nav>
                </Show>
            </section>
        </div>
    }
}

/// Price-range buckets are labelled by position; their bounds come from the API's values.
fn price_range_label(index: usize) -> &'static str {
    let messages = use_i18n().t();
    [messages.price_range_0, messages.price_range_1, messages.price_range_2, messages.price_range_3]
        .get(index)
        .copied()
        .unwrap_or("")
}

#[component]
fn FacetPanel(facets: Facets, state: Memo<SearchState>, go: Callback<SearchState>) -> impl IntoView {
    let i18n = use_i18n();
    let wide = window().inner_width().ok().and_then(|w| w.as_f64()).is_some_and(|w| w >= 900.0);
    let show_all_sellers = RwSignal::new(false);
    let seller_total = facets.sellers.len();
    let Facets {
        categories,
        delivery_methods,
        billing_modes,
        sellers,
        price_ranges,
        supervised,
        free_trial,
        attributes,
    } = facets;
    let locale = move || i18n.locale();
    let checkbox_group = move |title: Signal<String>,
                               key: &'static str,
                               values: Vec<FacetCount>,
                               name: fn(&FacetCount, &Messages) -> String| {
        view! {
            <fieldset class="facet">
                <legend class="facet__title">{title}</legend>
                {values.into_iter().map(|facet| {
                    let value = facet.value.clone();
                    let checked = state.with_untracked(|state| state.has(key, &value));
                    let count = facet.count;
                    let label = move || name(&facet, i18n.t());
                    view! {
                        <label class="facet__option" class:facet__option--empty=count == 0 && !checked>
                            <input type="checkbox" prop:checked=checked
                                on:change=move |_| go.run(state.get_untracked().toggled(key, &value)) />
                            <span class="facet__label">{label}</span>
                            <span class="facet__count">{count}</span>
                        </label>
                    }
                }).collect_view()}
            </fieldset>
        }
    };
    let price_min = RwSignal::new(state.with_untracked(|s| s.get("price_min").map(minor_to_yuan).unwrap_or_default()));
    let price_max = RwSignal::new(state.with_untracked(|s| s.get("price_max").map(minor_to_yuan).unwrap_or_default()));
    let apply_price = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let min = yuan_to_minor(&price_min.get_untracked());
        let max = yuan_to_minor(&price_max.get_untracked());
        go.run(state.get_untracked().with("price_min", min.as_deref()).with("price_max", max.as_deref()));
    };
    let selected_category = state.with_untracked(|s| s.get("category").map(str::to_owned));
    view! {
        <details class="filters" open=wide>
            <summary class="filters__summary">{move || i18n.t().filters_heading}</summary>
            <Show when=move || state.with(SearchState::has_filters)>
                <button type="button" class="button button--quiet button--small" on:click=move |_| go.run(state.get_untracked().cleared())>
                    {move || i18n.t().filter_clear}
                </button>
            </Show>
            <fieldset class="facet">
                <legend class="facet__title">{move || i18n.t().filter_category}</legend>
                <label class="facet__option">
                    <input type="radio" name="category" prop:checked=selected_category.is_none()
                        on:change=move |_| go.run(state.get_untracked().with("category", None)) />
                    <span class="facet__label">{move || i18n.t().filter_all_categories}</span>
                </label>
                {categories.into_iter().map(|facet| {
                    let value = facet.value.clone();
                    let label = facet.label.clone().unwrap_or_else(|| bazaar_core::catalog::LocalizedText { en: value.clone(), zh: value.clone() });
                    view! {
                        <label class="facet__option" class:facet__option--empty=facet.count == 0>
                            <input type="radio" name="category" prop:checked=facet.selected
                                on:change=move |_| go.run(state.get_untracked().with("category", Some(&value))) />
                            <span class="facet__label">{move || locale().pick(&label)}</span>
                            <span class="facet__count">{facet.count}</span>
                        </label>
                    }
                }).collect_view()}
            </fieldset>
            {attributes.into_iter().map(|attribute| {
                let key = bazaar_core::catalog::attribute_parameter(&attribute.key);
                let name = attribute.name.clone();
                let values = attribute.values;
                view! {
                    <fieldset class="facet facet--category" data-testid=format!("facet-{}", attribute.key)>
                        <legend class="facet__title">{move || locale().pick(&name)}</legend>
                        {values.into_iter().map(|facet| {
                            let value = facet.value.clone();
                            let key = key.clone();
                            let checked = facet.selected;
                            let label = facet.label.clone().unwrap_or_else(|| bazaar_core::catalog::LocalizedText { en: value.clone(), zh: value.clone() });
                            view! {
                                <label class="facet__option" class:facet__option--empty=facet.count == 0 && !checked>
                                    <input type="checkbox" prop:checked=checked
                                        on:change=move |_| go.run(state.get_untracked().toggled(&key, &value)) />
                                    <span class="facet__label">{move || locale().pick(&label)}</span>
                                    <span class="facet__count">{facet.count}</span>
                                </label>
                            }
                        }).collect_view()}
                    </fieldset>
                }
            }).collect_view()}
            {checkbox_group(Signal::derive(move || i18n.t().filter_delivery.to_owned()), "delivery", delivery_methods, |facet, messages| {
                str::parse::<bazaar_core::catalog::DeliveryMethod>(&facet.value).ok().map(|m| messages.delivery(m).to_owned()).unwrap_or_default()
            })}
            {checkbox_group(Signal::derive(move || i18n.t().filter_billing.to_owned()), "billing", billing_modes, |facet, messages| {
                str::parse::<bazaar_core::catalog::BillingMode>(&facet.value).ok().map(|m| messages.billing(m).to_owned()).unwrap_or_default()
            })}
            <fieldset class="facet">
                <legend class="facet__title">{move || i18n.t().filter_price}</legend>
                {price_ranges.into_iter().enumerate().map(|(index, facet)| {
                    let (min, max) = facet.value.split_once('-').map(|(a, b)| (a.to_owned(), b.to_owned())).unwrap_or_default();
                    let checked = facet.selected;
                    view! {
                        <label class="facet__option" class:facet__option--empty=facet.count == 0 && !checked>
                            <input type="checkbox" prop:checked=checked on:change=move |_| {
                                let current = state.get_untracked();
                                let next = if checked {
                                    current.with("price_min", None).with("price_max", None)
                                } else {
                                    current.with("price_min", Some(&min)).with("price_max", Some(&max))
                                };
                                go.run(next);
                            } />
                            <span class="facet__label">{move || price_range_label(index)}</span>
                            <span class="facet__count">{facet.count}</span>
                        </label>
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
            <fieldset class="facet">
                <legend class="visually-hidden">{move || i18n.t().filters_heading}</legend>
                <label class="facet__option">
                    <input type="checkbox" prop:checked=supervised.selected
                        on:change=move |_| go.run(state.get_untracked().with("supervised", (!supervised.selected).then_some("true"))) />
                    <span class="facet__label">{move || i18n.t().filter_supervised}</span>
                    <span class="facet__count">{supervised.count}</span>
                </label>
                <label class="facet__option">
                    <input type="checkbox" prop:checked=free_trial.selected
                        on:change=move |_| go.run(state.get_untracked().with("trial", (!free_trial.selected).then_some("true"))) />
                    <span class="facet__label">{move || i18n.t().filter_trial}</span>
                    <span class="facet__count">{free_trial.count}</span>
                </label>
            </fieldset>
            <fieldset class="facet">
                <legend class="facet__title">{move || i18n.t().filter_seller}</legend>
                {sellers.into_iter().enumerate().map(|(index, facet)| {
                    let value = facet.value.clone();
                    let checked = facet.selected;
                    let label = facet.label.unwrap_or_default();
                    view! {
                        <label class="facet__option" class:facet__option--empty=facet.count == 0 && !checked
                            class:facet__option--collapsed={move || index >= 8 && !checked && !show_all_sellers.get()}>
                            <input type="checkbox" prop:checked=checked
                                on:change=move |_| go.run(state.get_untracked().toggled("seller", &value)) />
                            <span class="facet__label">{move || locale().pick(&label)}</span>
                            <span class="facet__count">{facet.count}</span>
                        </label>
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
        </details>
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
