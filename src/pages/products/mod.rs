//! The catalog results page: search, filters with counts (the category's own fields once a
//! category is chosen), sorting and paging, all kept in the URL. Each control carries the
//! address the search answer names for it (`data-href`); one listener follows them.

pub(crate) mod facets;

use bazaar_core::catalog::{ProductSearchResponse, ProductSummary, SortLink, SortOrder};
use bazaar_core::search_state::{SearchState, results_address};
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_query_map};
use wasm_bindgen::JsCast as _;

use crate::api;
use crate::components::page_heading::PageHeading;
use crate::components::product_card::ProductCard;
use crate::components::status::{CardSkeletons, render_resource_with};
use crate::i18n::use_i18n;
use facets::FacetPanel;

#[component]
pub fn ProductsPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let state = Memo::new(move |_| {
        query.with(|query| SearchState::from_pairs(query.into_iter().map(|(k, v)| (k.as_ref(), v))))
    });
    let results = LocalResource::new(move || api::catalog::search(state.get().query_string()));
    let title = Signal::derive(move || match state.with(|state| state.get("q").map(str::to_owned)) {
        Some(query) => (i18n.t().results_for)(&query),
        None => i18n.t().catalog_title.to_owned(),
    });
    let navigate = use_navigate();
    let go = Callback::new(move |href: String| navigate(&href, Default::default()));
    let content = render_resource_with(
        results,
        || view! { <CardSkeletons count=6 /> },
        move |response| {
            let wide = window().inner_width().ok().and_then(|w| w.as_f64()).is_some_and(|w| w >= 900.0);
            view! { <Results response search=state.get_untracked() wide go /> }
        },
    );
    view! { <CatalogFrame title content=content.into_any() /> }
}

/// The catalog page around its content: the search's heading. Its own component so that the
/// app shell's template of it is made from it (src/shell_templates).
#[component]
pub(crate) fn CatalogFrame(title: Signal<String>, content: AnyView) -> impl IntoView {
    view! {
        <div class="catalog">
            <PageHeading text=title />
            {content}
        </div>
    }
}

/// Follows the control an event came from to the address it carries (`data-href`): a
/// filter's option or the sort menu's chosen order when changed, a button when clicked.
fn follow(event: &web_sys::Event, go: Callback<String>) {
    let Some(target) = event.target().and_then(|target| target.dyn_into::<web_sys::Element>().ok()) else { return };
    let control = match (event.type_().as_str(), target.tag_name().as_str()) {
        ("change", "SELECT") => target.query_selector("option:checked").ok().flatten(),
        ("change", "INPUT") => Some(target),
        ("click", _) => target.closest("button[data-href]").ok().flatten(),
        _ => None,
    };
    if let Some(href) = control.and_then(|control| control.get_attribute("data-href")) {
        go.run(href);
    }
}

/// The answer's filters, count, sort menu, results and pages. `wide`: a window where the
/// filters start open; `go` takes the app to an address (a control's `data-href`, the
/// price form's).
#[component]
pub(crate) fn Results(
    response: ProductSearchResponse,
    search: SearchState,
    wide: bool,
    go: Callback<String>,
) -> impl IntoView {
    let i18n = use_i18n();
    let total = response.total;
    let pages = total.div_ceil(u64::from(response.page_size)).max(1) as u32;
    let page = response.page;
    let current_sort = search.get("sort").and_then(|text: &str| text.parse::<SortOrder>().ok()).unwrap_or_default();
    let ProductSearchResponse { items, facets, links, .. } = response;
    let sorts = links.sorts.clone();
    let cleared = links.cleared.clone();
    let (previous, next) = (links.previous_page.clone(), links.next_page.clone());
    view! {
        <div class="catalog-layout" on:change=move |event: leptos::ev::Event| follow(&event, go)
            on:click=move |event: leptos::ev::MouseEvent| follow(&event, go)>
            <FacetPanel facets links search wide go />
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
                        <select class="field__select">
                            {sorts.into_iter().map(|link| {
                                let selected = link.order == current_sort;
                                view! { <SortChoice link selected /> }
                            }).collect_view()}
                        </select>
                    </label>
                </div>
                {if items.is_empty() {
                    view! { <NoResults cleared /> }.into_any()
                } else {
                    view! { <ResultGrid items /> }.into_any()
                }}
                {(pages > 1).then(|| view! { <Pagination page pages previous next /> })}
            </section>
        </div>
    }
}

/// A sort order in the sort menu, `selected` when it is the search's.
#[component]
pub(crate) fn SortChoice(link: SortLink, selected: bool) -> impl IntoView {
    let i18n = use_i18n();
    let order = link.order;
    view! {
        <option selected=selected prop:selected=selected value=order.as_str() data-href=results_address(&link.query)>
            {move || i18n.t().sort(order)}
        </option>
    }
}

/// The results' cards.
#[component]
pub(crate) fn ResultGrid(items: Vec<ProductSummary>) -> impl IntoView {
    view! {
        <div class="product-grid" data-testid="results-ready">
            {items.into_iter().map(|product| view! { <ProductCard product /> }).collect_view()}
        </div>
    }
}

/// A search that found nothing: what to try, and the way out (clearing the filters, when
/// there are any: `cleared` is that search).
#[component]
pub(crate) fn NoResults(cleared: Option<String>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div class="status status--empty" data-testid="results-empty">
            <p class="status__title">{move || i18n.t().empty_results_title}</p>
            <p>{move || i18n.t().empty_results_hint}</p>
            {cleared.map(|cleared| view! {
                <button type="button" class="button button--secondary" data-href=results_address(&cleared)>
                    {move || i18n.t().filter_clear}
                </button>
            })}
            <A href="/">{move || i18n.t().home_categories}</A>
        </div>
    }
}

/// Page `page` of `pages`, with the searches of the pages before and after.
#[component]
pub(crate) fn Pagination(page: u32, pages: u32, previous: Option<String>, next: Option<String>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <nav class="pagination" aria-label=move || i18n.t().pagination_label>
            {previous.map(|query| view! {
                <a href=results_address(&query) rel="prev">{move || i18n.t().pagination_previous}</a>
            })}
            <span aria-current="page">
                {move || (i18n.t().pagination_page)(&page.to_string(), &pages.to_string())}
            </span>
            {next.map(|query| view! {
                <a href=results_address(&query) rel="next">{move || i18n.t().pagination_next}</a>
            })}
        </nav>
    }
}
