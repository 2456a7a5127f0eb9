//! The searches a search answer names one step away: each filter option's query, the
//! sort orders, the pages and the cleared search; followed, each gives what it promised.

use crate::common::spawn_app;
use reqwest::StatusCode;
use serde_json::Value;

#[tokio::test]
async fn every_option_names_the_search_it_leads_to_and_that_search_gives_its_count() {
    let app = spawn_app().await;
    let (status, start) = app.get_json("/products?category=databases&delivery=saas&page_size=5").await;
    assert_eq!(status, StatusCode::OK);
    let facets = &start["facets"];
    // Options whose count is the total of the search they lead to: those of a facet where
    // nothing is chosen yet (a second value of a chosen facet widens it instead).
    let mut followed = 0;
    let lists =
        [&facets["billing_modes"], &facets["price_ranges"], &facets["sellers"], &facets["attributes"][0]["values"]];
    let options = lists.into_iter().flat_map(|list| list.as_array().unwrap().iter().take(4));
    let flags = ["supervised", "free_trial", "four_stars_and_up"].map(|flag| &facets[flag]);
    for option in options.chain(flags) {
        assert_eq!(option["selected"], false);
        let query = option["query"].as_str().unwrap();
        assert!(query.contains("category=databases") && query.contains("delivery=saas"), "{query}");
        let (status, next) = app.get_json(&format!("/products?{query}")).await;
        assert_eq!(status, StatusCode::OK, "{query}");
        assert_eq!(next["total"], option["count"], "{query}");
        followed += 1;
    }
    assert!(followed >= 8);
    // The chosen delivery method's own option leads back to the search without it.
    let saas = facets["delivery_methods"].as_array().unwrap().iter().find(|f| f["value"] == "saas").unwrap();
    assert_eq!(saas["selected"], true);
    assert_eq!(saas["query"], "category=databases&page_size=5");
    let links = &start["links"];
    assert_eq!(links["cleared"], "page_size=5");
    assert_eq!(links["all_categories"], "delivery=saas&page_size=5");
    assert_eq!(links["previous_page"], Value::Null);
    assert_eq!(links["next_page"], "category=databases&delivery=saas&page=2&page_size=5");
    let sorts: Vec<&str> = links["sorts"].as_array().unwrap().iter().map(|s| s["order"].as_str().unwrap()).collect();
    assert_eq!(sorts, ["relevance", "popularity", "price_asc", "price_desc", "newest", "rating"]);
    assert_eq!(links["sorts"][2]["query"], "category=databases&delivery=saas&page_size=5&sort=price_asc");
}
