//! Search on the two databases: the same queries over the same demo catalog find the same
//! products on SQLite (FTS5) and on PostgreSQL (tsvector); only the ranking may differ.
//! Runs when `BAZAAR_TEST_POSTGRES` names a server, as `cargo xtask test` does; without
//! one there is no second engine to compare with.

use crate::common::{TestApp, spawn_app, spawn_app_on_sqlite};
use bazaar_server::infra::db::Backend;
use reqwest::StatusCode;

/// Every product the search finds for `query`, all pages, by id.
async fn found(app: &TestApp, query: &str) -> Vec<i64> {
    let mut ids = Vec::new();
    for page in 1.. {
        let (status, body) = app.get_json(&format!("/products?q={query}&page_size=50&page={page}")).await;
        assert_eq!(status, StatusCode::OK, "{query}");
        let items = body["items"].as_array().unwrap().clone();
        if items.is_empty() {
            break;
        }
        ids.extend(items.iter().map(|item| item["id"].as_i64().unwrap()));
    }
    ids.sort_unstable();
    ids
}

#[tokio::test]
async fn both_databases_find_the_same_products_for_the_same_queries() {
    let postgres = spawn_app().await;
    if postgres.state.db.backend() != Backend::Postgres {
        return;
    }
    let sqlite = spawn_app_on_sqlite().await;
    let mut compared = 0;
    for query in [
        "cloud",
        "backup",
        "data%20security",
        "crm",
        "postgres",
        "k",
        "firewall%20vpn",
        "analytics",
        "north",
        "ubuntu",
        "Kubernetes",
        "e-commerce",
        "ml%20inference",
        "zzzz",
    ] {
        let (on_sqlite, on_postgres) = (found(&sqlite, query).await, found(&postgres, query).await);
        assert_eq!(on_sqlite, on_postgres, "{query}: SQLite and PostgreSQL found different products");
        compared += usize::from(!on_sqlite.is_empty());
    }
    assert!(compared >= 10, "most queries find something in the demo catalog ({compared})");
}
