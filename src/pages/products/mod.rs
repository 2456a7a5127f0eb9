//! The catalog results page: search, filters with counts (the category's own fields once a
//! category is chosen), sorting and paging, all kept in the URL.

mod facets;

use bazaar_core::catalog::{ProductSearchResponse, SortOrder};
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_query_map};

use crate::api;
use crate::components::page_heading::PageHeading;
use crate::components::product_card::ProductCard;
use crate::components::status::{CardSkeletons, render_resource_with};
use crate::i18n::use_i18n;
use crate::url_state::SearchState;
use facets::FacetPanel;

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
