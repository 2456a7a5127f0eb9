//! Catalog search, facets, sorting, paging, bad input, product detail and favourites, on
//! the seeded demo catalog.

use crate::common::{assert_error, spawn_app};
use bazaar_server::infra::db::{self, Backend};
use reqwest::StatusCode;
use serde_json::Value;

fn ids(body: &Value) -> Vec<i64> {
    body["items"].as_array().unwrap().iter().map(|item| item["id"].as_i64().unwrap()).collect()
}

fn facet_count(facets: &Value, value: &str) -> u64 {
    facets.as_array().unwrap().iter().find(|f| f["value"] == value).map(|f| f["count"].as_u64().unwrap()).unwrap_or(0)
}

#[tokio::test]
async fn categories_come_with_their_own_filter_fields() {
    let app = spawn_app().await;
    let (status, categories) = app.get_json("/categories").await;
    assert_eq!(status, StatusCode::OK);
    let categories = categories.as_array().unwrap();
    assert_eq!(categories.len(), 8);
    let security = categories.iter().find(|c| c["slug"] == "security").unwrap();
    let keys: Vec<&str> =
        security["attributes"].as_array().unwrap().iter().map(|a| a["key"].as_str().unwrap()).collect();
    assert_eq!(keys, vec!["deployment", "compliance"]);
    let databases = categories.iter().find(|c| c["slug"] == "databases").unwrap();
    assert_eq!(databases["attributes"][0]["key"], "engine");
    assert!(categories.iter().all(|c| c["product_count"].as_u64().unwrap() > 0));
}

#[tokio::test]
async fn the_demo_catalog_is_large_and_covers_every_kind() {
    let app = spawn_app().await;
    let (_, all) = app.get_json("/products?page_size=1").await;
    assert!(all["total"].as_u64().unwrap() >= 300);
    let facets = &all["facets"];
    for method in ["saas", "image", "license", "professional_service", "consulting"] {
        assert!(facet_count(&facets["delivery_methods"], method) > 0, "{method}");
    }
    for mode in ["yearly_monthly", "pay_per_use", "one_off"] {
        assert!(facet_count(&facets["billing_modes"], mode) > 0, "{mode}");
    }
    assert!(facets["sellers"].as_array().unwrap().len() >= 40);
    assert!(facets["supervised"]["count"].as_u64().unwrap() > 0);
    let duplicate_names: i64 = db::query_scalar("SELECT COUNT(*) - COUNT(DISTINCT name) FROM products")
        .fetch_one(&app.state.db)
        .await
        .unwrap();
    assert_eq!(duplicate_names, 0, "every product name is unique");
    assert!(facets["free_trial"]["count"].as_u64().unwrap() > 0);
}

#[tokio::test]
async fn name_matches_rank_first_and_every_result_matches() {
    let app = spawn_app().await;
    let (status, body) = app.get_json("/products?q=firewall&page_size=100").await;
    assert_eq!(status, StatusCode::OK);
    let items = body["items"].as_array().unwrap();
    assert!(!items.is_empty());
    assert!(items[0]["name"].as_str().unwrap().to_lowercase().contains("firewall"), "{}", items[0]["name"]);
    for item in items {
        let text = format!("{} {} {} {:?}", item["name"], item["summary"], item["seller"]["name"], item["tags"])
            .to_lowercase();
        assert!(text.contains("firewall"), "{text}");
    }
    // Prefix matching: "postgre" finds PostgreSQL products.
    let (_, body) = app.get_json("/products?q=postgre").await;
    assert!(body["total"].as_u64().unwrap() > 0);
    // Seller names are searchable.
    let (_, body) = app.get_json("/products?q=BluePeak").await;
    assert!(body["items"].as_array().unwrap().iter().all(|i| i["seller"]["name"] == "BluePeak Security"));
}

#[tokio::test]
async fn query_syntax_is_plain_text_never_an_error() {
    let app = spawn_app().await;
    for query in ["\"", "'; DROP TABLE products; --", "NEAR(a b)", "a OR b AND NOT c", "*", "^", "(((", "数据库", "%_%"]
    {
        let url = format!("/products?q={}", urlencode(query));
        let (status, body) = app.get_json(&url).await;
        assert_eq!(status, StatusCode::OK, "{query}: {body}");
    }
    let (status, body) = app.get_json(&format!("/products?q={}", "a".repeat(201))).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(body["field_errors"][0]["field"], "q");
}

fn urlencode(text: &str) -> String {
    text.bytes()
        .map(|b| if b.is_ascii_alphanumeric() { (b as char).to_string() } else { format!("%{b:02X}") })
        .collect()
}

#[tokio::test]
async fn each_filter_narrows_and_facet_counts_match_the_results() {
    let app = spawn_app().await;
    let (_, all) = app.get_json("/products?page_size=1").await;
    let total = all["total"].as_u64().unwrap();
    // For each facet value, the count it advertises equals the total when it is chosen.
    let cases: Vec<(String, u64)> = vec![
        ("delivery=saas".into(), facet_count(&all["facets"]["delivery_methods"], "saas")),
        ("billing=one_off".into(), facet_count(&all["facets"]["billing_modes"], "one_off")),
        ("category=security".into(), facet_count(&all["facets"]["categories"], "security")),
        ("supervised=true".into(), all["facets"]["supervised"]["count"].as_u64().unwrap()),
        ("trial=true".into(), all["facets"]["free_trial"]["count"].as_u64().unwrap()),
        ("price_min=0&price_max=9999".into(), facet_count(&all["facets"]["price_ranges"], "0-9999")),
        ("price_min=10000&price_max=99999".into(), facet_count(&all["facets"]["price_ranges"], "10000-99999")),
    ];
    for (query, advertised) in cases {
        let (status, body) = app.get_json(&format!("/products?{query}&page_size=100")).await;
        assert_eq!(status, StatusCode::OK, "{query}");
        assert_eq!(body["total"].as_u64().unwrap(), advertised, "{query}");
        assert!(advertised > 0 && advertised < total, "{query} narrows: {advertised} of {total}");
    }
    let seller = &all["facets"]["sellers"][0];
    let (_, body) =
        app.get_json(&format!("/products?seller={}&page_size=100", seller["value"].as_str().unwrap())).await;
    assert_eq!(body["total"], seller["count"]);
    assert!(
        body["items"]
            .as_array()
            .unwrap()
            .iter()
            .all(|i| Some(i["seller"]["id"].as_i64().unwrap()) == seller["value"].as_str().unwrap().parse().ok())
    );
}

#[tokio::test]
async fn category_fields_filter_and_their_counts_are_disjunctive() {
    let app = spawn_app().await;
    let (_, images) = app.get_json("/products?category=images").await;
    let os_facet = images["facets"]["attributes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["key"] == "operating_system")
        .unwrap()
        .clone();
    let ubuntu = os_facet["values"].as_array().unwrap().iter().find(|v| v["value"] == "ubuntu_2204").unwrap()["count"]
        .as_u64()
        .unwrap();
    let debian = os_facet["values"].as_array().unwrap().iter().find(|v| v["value"] == "debian_12").unwrap()["count"]
        .as_u64()
        .unwrap();

    let (_, only_ubuntu) = app.get_json("/products?category=images&a_operating_system=ubuntu_2204&page_size=100").await;
    assert_eq!(only_ubuntu["total"].as_u64().unwrap(), ubuntu);
    // Choosing Ubuntu leaves the other operating systems' counts as they were: they say what
    // adding them would give.
    let os_after = only_ubuntu["facets"]["attributes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["key"] == "operating_system")
        .unwrap();
    let debian_after = os_after["values"].as_array().unwrap().iter().find(|v| v["value"] == "debian_12").unwrap();
    assert_eq!(debian_after["count"].as_u64().unwrap(), debian);
    assert_eq!(
        os_after["values"].as_array().unwrap().iter().find(|v| v["value"] == "ubuntu_2204").unwrap()["selected"],
        true
    );
    // Two values are OR-ed; the total is at most the sum.
    let (_, both) = app.get_json("/products?category=images&a_operating_system=ubuntu_2204,debian_12").await;
    let both_total = both["total"].as_u64().unwrap();
    assert!(both_total >= ubuntu.max(debian) && both_total <= ubuntu + debian);
    // And every listed product carries the value (checked through the detail endpoint).
    for id in ids(&only_ubuntu).into_iter().take(5) {
        let (_, detail) = app.get_json(&format!("/products/{id}")).await;
        assert!(detail["attributes"].as_array().unwrap().iter().any(|a| a["value"] == "ubuntu_2204"));
    }
}

#[tokio::test]
async fn sorting_orders_results() {
    let app = spawn_app().await;
    let prices = |body: &Value| -> Vec<i64> {
        body["items"].as_array().unwrap().iter().map(|i| i["price_from"]["amount_minor"].as_i64().unwrap()).collect()
    };
    let (_, ascending) = app.get_json("/products?sort=price_asc&page_size=50").await;
    let list = prices(&ascending);
    assert!(list.windows(2).all(|w| w[0] <= w[1]));
    let (_, descending) = app.get_json("/products?sort=price_desc&page_size=50").await;
    let list = prices(&descending);
    assert!(list.windows(2).all(|w| w[0] >= w[1]));
    let (_, popular) = app.get_json("/products?sort=popularity&page_size=50").await;
    let sales: Vec<i64> =
        popular["items"].as_array().unwrap().iter().map(|i| i["recent_sales"].as_i64().unwrap()).collect();
    assert!(sales.windows(2).all(|w| w[0] >= w[1]));
    let (_, newest) = app.get_json("/products?sort=newest&page_size=50").await;
    let dates: Vec<String> =
        newest["items"].as_array().unwrap().iter().map(|i| i["listed_at"].as_str().unwrap().to_owned()).collect();
    assert!(dates.windows(2).all(|w| w[0] >= w[1]));
}

#[tokio::test]
async fn paging_covers_every_result_once_and_handles_the_edges() {
    let app = spawn_app().await;
    let (_, first) = app.get_json("/products?category=databases&page_size=7&sort=price_asc").await;
    let total = first["total"].as_u64().unwrap() as usize;
    let pages = total.div_ceil(7);
    let mut seen = Vec::new();
    for page in 1..=pages {
        let (_, body) =
            app.get_json(&format!("/products?category=databases&page_size=7&sort=price_asc&page={page}")).await;
        seen.extend(ids(&body));
    }
    assert_eq!(seen.len(), total);
    seen.sort();
    seen.dedup();
    assert_eq!(seen.len(), total, "no product on two pages");
    // Past the last page: empty, not an error, and the total is still reported.
    let (status, body) = app.get_json(&format!("/products?category=databases&page_size=7&page={}", pages + 1)).await;
    assert_eq!(status, StatusCode::OK);
    assert!(body["items"].as_array().unwrap().is_empty());
    assert_eq!(body["total"].as_u64().unwrap() as usize, total);
    let (_, largest) = app.get_json("/products?page_size=100").await;
    assert_eq!(largest["items"].as_array().unwrap().len(), 100);
}

#[tokio::test]
async fn bad_input_gets_a_400_naming_the_field() {
    let app = spawn_app().await;
    let cases = [
        ("category=toasters", "category"),
        ("category=security&a_engine=mysql", "a_engine"),
        ("a_deployment=hybrid", "a_deployment"),
        ("category=security&a_deployment=underwater", "a_deployment"),
        ("sort=cheapest", "sort"),
        ("page_size=101", "page_size"),
        ("page_size=0", "page_size"),
        ("page=0", "page"),
        ("page=abc", "page"),
        ("price_min=500&price_max=100", "price_max"),
        ("price_min=-1", "price_min"),
        ("delivery=teleport", "delivery"),
        ("billing=barter", "billing"),
        ("seller=999999", "seller"),
        ("supervised=maybe", "supervised"),
        ("page=&billing=", "page"),
        ("rating_min=", "rating_min"),
        ("colour=blue", "colour"),
    ];
    for (query, field) in cases {
        let (status, body) = app.get_json(&format!("/products?{query}")).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{query}: {body}");
        assert_error(&body, "bad_request");
        assert_eq!(body["field_errors"][0]["field"], field, "{query}");
    }
    // A category field filter says what is missing: a category, or the field in it (an
    // unknown category is reported on its own).
    let message = |body: &serde_json::Value, index: usize| body["field_errors"][index]["message"].clone();
    let (_, body) = app.get_json("/products?a_deployment=hybrid").await;
    assert_eq!(message(&body, 0), "Choose a category before filtering on its own fields.");
    let (_, body) = app.get_json("/products?category=toasters&a_deployment=hybrid").await;
    assert_eq!(body["field_errors"][0]["field"], "category", "{body}");
    assert_eq!(body["field_errors"][1]["field"], "a_deployment", "{body}");
    assert_eq!(message(&body, 1), "This category has no `deployment` field.");
    let (status, _) = app.get_json("/products/popular?limit=500").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let (status, body) = app.get_json("/products/not-a-number").await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    let (status, _) = app.get_json("/products/99999999").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn popular_products_are_ranked_by_recent_sales() {
    let app = spawn_app().await;
    let (status, body) = app.get_json("/products/popular?limit=8").await;
    assert_eq!(status, StatusCode::OK);
    let sales: Vec<i64> = body.as_array().unwrap().iter().map(|i| i["recent_sales"].as_i64().unwrap()).collect();
    assert_eq!(sales.len(), 8);
    assert!(sales.windows(2).all(|w| w[0] >= w[1]));
    assert_eq!(body[0]["name"], "Northwind CRM Cloud");
}

#[tokio::test]
async fn product_detail_has_skus_prices_seller_and_supervision() {
    let app = spawn_app().await;
    let (_, search) = app.get_json("/products?q=BluePeak%20Web%20Application%20Firewall").await;
    let id = search["items"][0]["id"].as_i64().unwrap();
    let (status, detail) = app.get_json(&format!("/products/{id}")).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(detail["name"], "BluePeak Web Application Firewall");
    assert_eq!(detail["supervised"], true);
    assert_eq!(detail["service_period_days"], 90);
    assert_eq!(detail["seller_creates_account"], true);
    assert_eq!(detail["seller_contact"]["name"], "BluePeak Security");
    assert!(detail["skus"].as_array().unwrap().len() >= 2);
    assert!(detail["usage_guide"].as_str().unwrap().contains("View Resource Details"));
    assert_eq!(detail["favorite"], false);
}

#[tokio::test]
async fn text_matches_are_cached_until_the_catalog_changes() {
    let app = spawn_app().await;
    let (_, first) = app.get_json("/products?q=firewall").await;
    assert!(app.state.catalog.current().cached_text_matches("\"firewall\"*").is_some());
    let (_, second) = app.get_json("/products?q=firewall").await;
    assert_eq!(first["items"], second["items"], "a cached search answers the same");
    app.state.catalog.reload(&app.state.db).await.unwrap();
    assert!(app.state.catalog.current().cached_text_matches("\"firewall\"*").is_none(), "a new index starts empty");
}

#[tokio::test]
async fn a_query_of_several_words_ranks_exactly_as_sqlite_ranks_it() {
    let app = spawn_app().await;
    // Warm the cache with single words first, so the two-word searches below are put
    // together from cached words rather than asked of SQLite.
    for word in ["cloud", "backup", "data", "security"] {
        let (status, _) = app.get_json(&format!("/products?q={word}")).await;
        assert_eq!(status, StatusCode::OK);
    }
    for (query, fts) in [
        ("cloud%20backup", "\"cloud\"* \"backup\"*"),
        ("data%20security", "\"data\"* \"security\"*"),
        // A one-letter word is a broad prefix: most products match it on its own.
        ("data%20security%20a", "\"data\"* \"security\"* \"a\"*"),
    ] {
        // The whole query asked of the database at once. SQLite's bm25 of it is exactly the
        // sum the search computes, so the order is checked too; PostgreSQL's ts_rank of an
        // AND query is not a sum of its words' ranks, so there only the set is compared.
        let backend = app.state.db.backend();
        let sqlite_scores: std::collections::HashMap<i64, f64> = match backend {
            Backend::Sqlite => db::query_as(
                "SELECT rowid, bm25(products_fts, 10.0, 4.0, 3.0, 6.0) FROM products_fts WHERE products_fts MATCH $1",
            )
            .bind(fts),
            Backend::Postgres => db::query_as(
                "SELECT product_id, CAST(0 AS FLOAT8) FROM products_fts WHERE document @@ to_tsquery('simple', $1)",
            )
            .bind(
                fts.split(' ')
                    .map(|word| format!("{}:*", word.trim_matches(['"', '*'])))
                    .collect::<Vec<_>>()
                    .join(" & "),
            ),
        }
        .fetch_all(&app.state.db)
        .await
        .unwrap()
        .into_iter()
        .collect();
        assert!(!sqlite_scores.is_empty(), "the demo catalog has matches for {query}");

        let mut ranked = Vec::new();
        for page in 1.. {
            let (status, body) = app.get_json(&format!("/products?q={query}&page_size=50&page={page}")).await;
            assert_eq!(status, StatusCode::OK);
            let items = body["items"].as_array().unwrap().clone();
            if items.is_empty() {
                break;
            }
            ranked.extend(items.iter().map(|item| item["id"].as_i64().unwrap()));
        }
        let mut expected: Vec<i64> = sqlite_scores.keys().copied().collect();
        let mut found = ranked.clone();
        expected.sort_unstable();
        found.sort_unstable();
        assert_eq!(found, expected, "{query}: the same products as the database's own match");
        if backend == Backend::Postgres {
            continue;
        }
        for pair in ranked.windows(2) {
            assert!(
                sqlite_scores[&pair[0]] <= sqlite_scores[&pair[1]],
                "{query}: product {} ranks before {} but SQLite scores it worse",
                pair[0],
                pair[1]
            );
        }
    }
}

#[tokio::test]
async fn a_sellers_email_and_phone_show_in_full_only_to_those_it_serves() {
    let app = spawn_app().await;
    let contact = |body: Value| body["seller_contact"].clone();
    let full = contact(app.get_as(&app.logged_in("zhang.min").await, "/products/1").await.1);
    assert_eq!(full["masked"], false, "operations see it all");
    let (email, phone) = (full["email"].as_str().unwrap().to_owned(), full["phone"].as_str().unwrap().to_owned());
    let masked = contact(app.get_json("/products/1").await.1);
    assert_eq!((masked["masked"].as_bool(), &masked["support_hours"]), (Some(true), &full["support_hours"]));
    let shown_email = masked["email"].as_str().unwrap();
    assert!(shown_email.contains("***@") && shown_email.ends_with(email.split_once('@').unwrap().1), "{shown_email}");
    let shown_phone = masked["phone"].as_str().unwrap();
    assert!(shown_phone != phone && shown_phone.contains('*') && shown_phone.ends_with(&phone[phone.len() - 4..]));
    // Another seller's staff: masked; the seller's own: in full.
    assert_eq!(contact(app.get_as(&app.logged_in("ivy.tan").await, "/products/1").await.1)["masked"], true);
    assert_eq!(contact(app.get_as(&app.logged_in("sam.okafor").await, "/products/1").await.1)["email"], email);
    // A buyer: masked until a paid order with the seller, then in full on all its products.
    let lin = app.logged_in("lin.wei").await;
    assert_eq!(contact(app.get_as(&lin, "/products/1").await.1)["masked"], true);
    crate::invoices::bought(&app, &lin, "known-seller", 1, 1).await;
    let known = contact(app.get_as(&lin, "/products/1").await.1);
    assert_eq!((&known["masked"], &known["email"], &known["phone"]), (&full["masked"], &full["email"], &full["phone"]));
}
