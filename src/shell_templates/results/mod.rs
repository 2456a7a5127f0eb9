//! The catalog results page's templates (`src/pages/products`): the page around its
//! content, the results (count, sort menu, cards or the empty state, pages), the filter
//! panel and its options. Each control's address comes from the search answer
//! (`links`, each facet's `query`), so the templates only put it into `data-href`.

use bazaar_core::catalog::{ProductSearchResponse, SortLink, SortOrder};
use bazaar_core::search_state::{SearchState, results_address};
use leptos::prelude::*;

mod filters;

use super::maker::{StandIn, TemplateMaker, field, html_text};
use super::{function, rendered, rendered_in_router, stand_in_summary};
use crate::components::product_card::ProductCard;
use crate::i18n::Locale;
use crate::pages::products::facets::FacetPanel;
use crate::pages::products::{CatalogFrame, NoResults, Pagination, ResultGrid, Results, SortChoice};
use filters::{PanelInput, attribute_facet, facet_option, facet_panel, more_sellers, stand_in_panel};

/// Numbers no results page shows otherwise.
const COUNT: u64 = 9_182_736;
const TOTAL: u64 = 7_654_321;
const PAGE: u32 = 86_420;
const PAGES: u32 = 97_531;
const SELLERS: usize = 6_543_210;
/// The price bounds' stand-ins (minor units) and what the price form shows of them.
const PRICE_MIN: &str = "123400";
const PRICE_MAX: &str = "567800";

/// A stand-in text as a `&'static str` (props of that type): the test process's, once.
fn leaked(text: String) -> &'static str {
    Box::leak(text.into_boxed_str())
}

/// `text` in the address a control carries, and the JavaScript that writes that address.
fn address(text: &str, code: &str) -> StandIn {
    StandIn::code(html_text(&results_address(&field(text))), &format!("h.escape(h.resultsAddress({code}))"))
}

/// `SortChoice` as `(s, t, h) => html`: `s.link` a sort link of the answer, `s.selected`.
fn sort_choice(locale: Locale) -> String {
    let base = (SortLink { order: SortOrder::ALL[0], query: field("query") }, false);
    let stand_ins = vec![address("query", "s.link.query")];
    let mut maker = TemplateMaker::new(base, stand_ins, move |(link, selected): &(SortLink, bool)| {
        let (link, selected) = (link.clone(), *selected);
        rendered(locale, move || view! { <SortChoice link selected /> })
    });
    maker.optional("s.selected", |input| input.1 = true);
    maker.by_value("s.link.order", &SortOrder::ALL, |input, order| input.0.order = order);
    function(&["s", "t", "h"], &maker.literal())
}

/// `ResultGrid` as `(items, t, h) => html`, each card by `h.productCard`.
fn result_grid(locale: Locale) -> String {
    let card = rendered(locale, || view! { <ProductCard product=stand_in_summary() /> });
    let stand_ins = vec![StandIn::code(card, &format!("h.productCard(product, {})", serde_json::json!(locale.tag())))];
    let mut maker = TemplateMaker::new(Vec::new(), stand_ins, move |items: &Vec<_>| {
        let items = items.clone();
        rendered(locale, move || view! { <ResultGrid items /> })
    });
    maker.repeated("items.map((product) =>", |items| items.push(stand_in_summary()));
    function(&["items", "t", "h"], &maker.literal())
}

/// `NoResults` as `(cleared, t, h) => html`: `cleared` the search without filters, if any.
fn no_results(locale: Locale) -> String {
    let stand_ins = vec![address("cleared", "cleared")];
    let mut maker = TemplateMaker::new(None, stand_ins, move |cleared: &Option<String>| {
        let cleared = cleared.clone();
        rendered_in_router(locale, "/products", move || view! { <NoResults cleared /> })
    });
    maker.optional("cleared != null", |cleared| *cleared = Some(field("cleared")));
    function(&["cleared", "t", "h"], &maker.literal())
}

/// `Pagination` as `(p, t, h) => html`: `p.page` of `p.pages`, `p.previous` and `p.next`
/// the searches of the pages around it, if any.
fn pagination(locale: Locale) -> String {
    let words = html_text(&(locale.messages().pagination_page)(&PAGE.to_string(), &PAGES.to_string()));
    let stand_ins = vec![
        StandIn::code(words, "h.escape(t.pagination_page(p.page, p.pages))"),
        address("previous", "p.previous"),
        address("next", "p.next"),
    ];
    let mut maker =
        TemplateMaker::new((None, None), stand_ins, move |(previous, next): &(Option<String>, Option<String>)| {
            let (previous, next) = (previous.clone(), next.clone());
            rendered_in_router(
                locale,
                "/products",
                move || view! { <Pagination page=PAGE pages=PAGES previous next /> },
            )
        });
    maker.optional("p.previous != null", |input| input.0 = Some(field("previous")));
    maker.optional("p.next != null", |input| input.1 = Some(field("next")));
    function(&["p", "t", "h"], &maker.literal())
}

/// A search answer whose texts and numbers are stand-ins: no results, one page.
fn stand_in_answer() -> ProductSearchResponse {
    let panel = stand_in_panel();
    ProductSearchResponse {
        items: Vec::new(),
        total: TOTAL,
        page: 1,
        page_size: u32::MAX,
        facets: panel.facets,
        links: panel.links,
    }
}

/// `Results` as `(r, t, h) => html` (`r` as for `facetPanel`), its parts by their own
/// templates.
fn results(locale: Locale) -> String {
    let tag = locale.tag();
    let base = (stand_in_answer(), stand_in_panel().search);
    let panel = {
        let PanelInput { facets, links, search, wide } = stand_in_panel();
        rendered(locale, move || view! { <FacetPanel facets links search wide go=Callback::new(|_: String| {}) /> })
    };
    let empty = rendered_in_router(locale, "/products", || view! { <NoResults cleared=None /> });
    let stand_ins = vec![
        StandIn::code(panel, &format!("h.facetPanel(r, \"{tag}\")")),
        StandIn::code(
            empty,
            &format!(
                "(r.answer.items.length ? h.resultGrid(r.answer.items, \"{tag}\") : h.noResults(r.answer.links.cleared, \"{tag}\"))"
            ),
        ),
        StandIn::code(
            html_text(&(locale.messages().results_count)(TOTAL)),
            "h.escape(t.results_count(r.answer.total))",
        ),
    ];
    let mut maker =
        TemplateMaker::new(base, stand_ins, move |(answer, search): &(ProductSearchResponse, SearchState)| {
            let (response, search) = (answer.clone(), search.clone());
            rendered_in_router(locale, "/products", move || {
                view! { <Results response search wide=false go=Callback::new(|_: String| {}) /> }
            })
        });
    maker.repeated_as(
        "r.answer.links.sorts.map((link) =>",
        |(answer, _)| answer.links.sorts.push(SortLink { order: SortOrder::Popularity, query: field("sort") }),
        &format!("h.sortChoice({{ link, selected: link.order === (r.state.sort || 'relevance') }}, \"{tag}\")"),
    );
    maker.optional_as(
        "r.answer.total > r.answer.page_size",
        |(answer, _)| answer.page_size = 1,
        &format!(
            "h.pagination({{ page: r.answer.page, pages: Math.ceil(r.answer.total / r.answer.page_size), \
             previous: r.answer.links.previous_page, next: r.answer.links.next_page }}, \"{tag}\")"
        ),
    );
    function(&["r", "t", "h"], &maker.literal())
}

/// `CatalogFrame` as `(parts, t, h) => html`: `parts.title` the heading, `parts.content`
/// the results' markup.
fn catalog_frame(locale: Locale) -> String {
    let stand_ins =
        vec![StandIn::code(field("title"), "h.escape(parts.title)"), StandIn::code(field("content"), "parts.content")];
    let maker = TemplateMaker::new((), stand_ins, move |_: &()| {
        rendered_in_router(locale, "/products", || {
            view! { <CatalogFrame title=Signal::stored(field("title")) content=field("content").into_any() /> }
        })
    });
    function(&["parts", "t", "h"], &maker.literal())
}

/// The results page's templates in `locale`, by name.
pub(super) fn templates(locale: Locale) -> Vec<(&'static str, String)> {
    vec![
        ("catalogFrame", catalog_frame(locale)),
        ("results", results(locale)),
        ("facetPanel", facet_panel(locale)),
        ("facetOption", facet_option(locale)),
        ("attributeFacet", attribute_facet(locale)),
        ("moreSellers", more_sellers(locale)),
        ("sortChoice", sort_choice(locale)),
        ("resultGrid", result_grid(locale)),
        ("noResults", no_results(locale)),
        ("pagination", pagination(locale)),
    ]
}
