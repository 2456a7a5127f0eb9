//! The results page's filter panel as templates: the panel (`FacetPanel`), an option
//! (`FacetOption`), a category's own field (`AttributeFacetGroup`) and the sellers' fold
//! (`MoreSellers`).

use bazaar_core::catalog::{AttributeFacet, FacetCount, FacetCountPair, Facets, LocalizedText, SearchLinks};
use bazaar_core::search_state::SearchState;
use leptos::prelude::*;

use super::{COUNT, PRICE_MAX, PRICE_MIN, SELLERS, address, leaked};
use crate::i18n::Locale;
use crate::pages::products::facets::{AttributeFacetGroup, FacetOption, FacetPanel, MoreSellers, SELLERS_SHOWN};
use crate::shell_templates::maker::{StandIn, TemplateMaker, field, html_text};
use crate::shell_templates::{function, picked, rendered};

/// What `FacetOption` is given.
#[derive(Clone)]
struct OptionInput {
    radio: bool,
    name: Option<&'static str>,
    checked: bool,
    count: Option<u64>,
    empty: bool,
    collapsed: bool,
    label: String,
    query: String,
}

fn facet_option_view(input: &OptionInput) -> AnyView {
    let input = input.clone();
    let input_type = if input.radio { "radio" } else { "checkbox" };
    let label = Signal::stored(input.label.clone());
    let collapsed = Signal::stored(input.collapsed);
    let (checked, empty, query) = (input.checked, input.empty, input.query.clone());
    match (input.name, input.count) {
        (Some(name), Some(count)) => {
            view! { <FacetOption input_type name checked count empty collapsed label query /> }.into_any()
        }
        (Some(name), None) => view! { <FacetOption input_type name checked empty collapsed label query /> }.into_any(),
        (None, Some(count)) => {
            view! { <FacetOption input_type checked count empty collapsed label query /> }.into_any()
        }
        (None, None) => view! { <FacetOption input_type checked empty collapsed label query /> }.into_any(),
    }
}

/// `FacetOption` as `(o, t, h) => html`: `o.type` "checkbox" or "radio", `o.name`, `o.checked`,
/// `o.count` (none for "All categories"), `o.empty`, `o.collapsed`, `o.label`, `o.query`.
pub(super) fn facet_option(locale: Locale) -> String {
    let base = OptionInput {
        radio: false,
        name: None,
        checked: false,
        count: None,
        empty: false,
        collapsed: false,
        label: field("label"),
        query: field("query"),
    };
    let stand_ins = vec![
        StandIn::code(field("label"), "h.escape(o.label)"),
        address("query", "o.query"),
        StandIn::code(field("name"), "h.escape(o.name)"),
        StandIn::around(format!(">{COUNT}<"), ">", "Number(o.count)", "<"),
    ];
    let mut maker = TemplateMaker::new(base, stand_ins, move |input: &OptionInput| {
        let input = input.clone();
        rendered(locale, move || facet_option_view(&input))
    });
    maker.by_value("o.type", &["checkbox", "radio"], |input, kind| input.radio = kind == "radio");
    maker.optional("o.name", |input| input.name = Some(leaked(field("name"))));
    maker.optional("o.checked", |input| input.checked = true);
    maker.optional("o.count != null", |input| input.count = Some(COUNT));
    maker.optional("o.empty", |input| input.empty = true);
    maker.optional("o.collapsed", |input| input.collapsed = true);
    function(&["o", "t", "h"], &maker.literal())
}

/// A facet value whose texts are stand-ins.
fn stand_in_facet() -> FacetCount {
    FacetCount {
        value: field("facet.value"),
        label: Some(LocalizedText { en: field("facet.label"), zh: field("facet.label") }),
        count: COUNT,
        selected: false,
        query: field("facet.query"),
    }
}

/// `AttributeFacetGroup` as `(attribute, t, h) => html`.
pub(super) fn attribute_facet(locale: Locale) -> String {
    let language = picked(locale);
    let base = AttributeFacet {
        key: field("attribute.key"),
        name: LocalizedText { en: field("attribute.name"), zh: field("attribute.name") },
        values: Vec::new(),
    };
    let stand_ins = vec![
        StandIn::code(field("attribute.key"), "h.escape(attribute.key)"),
        StandIn::code(field("attribute.name"), &format!("h.escape(attribute.name.{language})")),
    ];
    let mut maker = TemplateMaker::new(base, stand_ins, move |attribute: &AttributeFacet| {
        let attribute = attribute.clone();
        rendered(locale, move || view! { <AttributeFacetGroup attribute /> })
    });
    maker.repeated_as(
        "attribute.values.map((facet) =>",
        |attribute| attribute.values.push(stand_in_facet()),
        &format!(
            "h.facetOption({{ type: 'checkbox', checked: facet.selected, count: facet.count, empty: facet.count === 0 && !facet.selected, \
             label: facet.label ? facet.label.{language} : facet.value, query: facet.query }}, \"{tag}\")",
            tag = locale.tag()
        ),
    );
    function(&["attribute", "t", "h"], &maker.literal())
}

/// `MoreSellers` as `(total, t, h) => html`, the sellers folded.
pub(super) fn more_sellers(locale: Locale) -> String {
    let words = html_text(&(locale.messages().filter_more_sellers)(&SELLERS.to_string()));
    let stand_ins = vec![StandIn::code(words, "h.escape(t.filter_more_sellers(total))")];
    let maker = TemplateMaker::new((), stand_ins, move |_: &()| {
        rendered(locale, || view! { <MoreSellers total=SELLERS show_all=RwSignal::new(false) /> })
    });
    function(&["total", "t", "h"], &maker.literal())
}

/// What the filter panel is given.
#[derive(Clone)]
pub(super) struct PanelInput {
    pub(super) facets: Facets,
    pub(super) links: SearchLinks,
    pub(super) search: SearchState,
    pub(super) wide: bool,
}

fn stand_in_links() -> SearchLinks {
    SearchLinks {
        cleared: None,
        all_categories: field("all_categories"),
        sorts: Vec::new(),
        previous_page: None,
        next_page: None,
        without_price: field("without_price"),
    }
}

pub(super) fn stand_in_panel() -> PanelInput {
    let flag = |name: &str| FacetCountPair { count: COUNT, selected: false, query: field(name) };
    let facets = Facets {
        supervised: flag("supervised"),
        free_trial: flag("free_trial"),
        four_stars_and_up: flag("four_stars_and_up"),
        ..Facets::default()
    };
    let search = SearchState::from_pairs([("price_min", PRICE_MIN), ("price_max", PRICE_MAX)]);
    PanelInput { facets, links: stand_in_links(), search, wide: false }
}

/// The JavaScript calling `facetOption` for a facet value of a list in `language`.
fn option_call(language: &str, label: &str, rest: &str) -> String {
    format!(
        "h.facetOption({{ type: 'checkbox', checked: facet.selected, count: facet.count, \
         empty: facet.count === 0 && !facet.selected, label: {label}, query: facet.query{rest} }}, \"{language}\")"
    )
}

/// `FacetPanel` as `(r, t, h) => html`: `r.answer` the search answer, `r.state` the search
/// (`SearchState` as search_state.js parses it), `r.wide` a window where it starts open.
pub(super) fn facet_panel(locale: Locale) -> String {
    let language = picked(locale);
    let tag = locale.tag();
    let mut maker = TemplateMaker::new(stand_in_panel(), panel_stand_ins(locale), move |input: &PanelInput| {
        let PanelInput { facets, links, search, wide } = input.clone();
        rendered(locale, move || view! { <FacetPanel facets links search wide go=Callback::new(|_: String| {}) /> })
    });
    maker.optional("r.wide", |input| input.wide = true);
    maker.optional("r.answer.links.cleared != null", |input| input.links.cleared = Some(field("cleared")));
    maker.either("r.state.category", |input| input.search = input.search.with("category", Some("stand-in")));
    let facets = "r.answer.facets";
    maker.repeated_as(
        &format!("{facets}.categories.map((facet) =>"),
        |input| input.facets.categories.push(stand_in_facet()),
        &format!(
            "h.facetOption({{ type: 'radio', name: 'category', checked: facet.selected, count: facet.count, \
             empty: facet.count === 0, label: facet.label ? facet.label.{language} : facet.value, query: facet.query }}, \"{tag}\")"
        ),
    );
    maker.repeated_as(
        &format!("{facets}.attributes.map((attribute) =>"),
        |input| {
            input.facets.attributes.push(AttributeFacet {
                key: "a".to_owned(),
                name: LocalizedText::default(),
                values: Vec::new(),
            })
        },
        &format!("h.attributeFacet(attribute, \"{tag}\")"),
    );
    maker.repeated_as(
        &format!("{facets}.delivery_methods.map((facet) =>"),
        |input| input.facets.delivery_methods.push(stand_in_facet()),
        &option_call(tag, "t.deliveries[facet.value] || ''", ""),
    );
    maker.repeated_as(
        &format!("{facets}.billing_modes.map((facet) =>"),
        |input| input.facets.billing_modes.push(stand_in_facet()),
        &option_call(tag, "t.billings[facet.value] || ''", ""),
    );
    maker.repeated_as(
        &format!("{facets}.price_ranges.map((facet, index) =>"),
        |input| input.facets.price_ranges.push(stand_in_facet()),
        &option_call(tag, "t.price_ranges[index] || ''", ""),
    );
    for flag in ["supervised", "free_trial", "four_stars_and_up"] {
        maker.optional(&format!("{facets}.{flag}.selected"), move |input| {
            let facets = &mut input.facets;
            match flag {
                "supervised" => facets.supervised.selected = true,
                "free_trial" => facets.free_trial.selected = true,
                _ => facets.four_stars_and_up.selected = true,
            }
        });
    }
    let sellers_at = maker.repeated_as(
        &format!("{facets}.sellers.map((facet, index) =>"),
        |input| input.facets.sellers.push(stand_in_facet()),
        &option_call(
            tag,
            &format!("facet.label ? facet.label.{language} : facet.value"),
            &format!(", collapsed: index >= {} && !facet.selected", SELLERS_SHOWN),
        ),
    );
    maker.code_at(
        sellers_at,
        &format!(
            "({facets}.sellers.length > {shown} ? h.moreSellers({facets}.sellers.length, \"{tag}\") : '')",
            shown = SELLERS_SHOWN
        ),
    );
    function(&["r", "t", "h"], &maker.literal())
}

/// The filter panel's stand-ins: the addresses of the answer's links and flags, the price
/// form's bounds, the flags' counts (told apart by the words before each).
fn panel_stand_ins(locale: Locale) -> Vec<StandIn> {
    let mut stand_ins = vec![
        address("all_categories", "r.answer.links.all_categories"),
        address("without_price", "r.answer.links.without_price"),
        address("cleared", "r.answer.links.cleared"),
        StandIn::around(
            format!("value=\"{}\"", bazaar_core::search_state::minor_to_typed_price(PRICE_MIN)),
            "value=\"",
            "h.typedPrice(r.state.price_min)",
            "\"",
        ),
        StandIn::around(
            format!("value=\"{}\"", bazaar_core::search_state::minor_to_typed_price(PRICE_MAX)),
            "value=\"",
            "h.typedPrice(r.state.price_max)",
            "\"",
        ),
    ];
    for flag in ["supervised", "free_trial", "four_stars_and_up"] {
        stand_ins.push(address(flag, &format!("r.answer.facets.{flag}.query")));
    }
    let m = locale.messages();
    for (flag, words) in [
        ("supervised", m.filter_supervised),
        ("free_trial", m.filter_trial),
        ("four_stars_and_up", m.filter_four_stars),
    ] {
        let rendered = format!("{}</span><span class=\"facet__count\">{COUNT}<", html_text(words));
        let before = format!("{}</span><span class=\"facet__count\">", html_text(words));
        stand_ins.push(StandIn::around(rendered, &before, &format!("Number(r.answer.facets.{flag}.count)"), "<"));
    }
    stand_ins
}
