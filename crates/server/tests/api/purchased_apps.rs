//! Purchased Apps, Resource Details and the audited credential reveal.

use std::time::Duration;

use crate::common::{TestApp, assert_error, decode, spawn_app};
use bazaar_server::infra::db;
use reqwest::{Client, StatusCode};
use serde_json::{Value, json};

async fn reveal(app: &TestApp, client: &Client, app_id: i64) -> reqwest::Response {
    client.post(app.url(&format!("/purchased-apps/{app_id}/credentials/reveal"))).send().await.unwrap()
}

/// Buys `body` with the buyer's card and waits until provisioning has finished.
async fn buy(app: &TestApp, client: &Client, key: &str, body: Value) -> i64 {
    let (status, order) =
        decode(client.post(app.url("/orders")).header("Idempotency-Key", key).json(&body).send().await.unwrap()).await;
    assert_eq!(status, StatusCode::CREATED, "{order}");
    let id = order["id"].as_i64().unwrap();
    let (status, paid) = decode(
        client.post(app.url(&format!("/orders/{id}/payment"))).json(&json!({ "method": "card" })).send().await.unwrap(),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{paid}");
    for _ in 0..200 {
        let (_, order) = app.get_as(client, &format!("/orders/{id}")).await;
        if order["provisioning"]["state"] == "ready" {
            return id;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("order {id} was not provisioned");
}

fn crm() -> Value {
    json!({
        "product_id": 1,
        "configuration": { "sku_id": 1, "billing_mode": "yearly_monthly", "duration_months": 1, "quantity": 1, "region": "cn-north-4" },
        "accept_terms": true, "authorize_contact_sharing": true
    })
}

/// The password the demo seller provisioned, opened with the seller's own key.
async fn seller_side_password(app: &TestApp, order_id: i64) -> String {
    let (seller_id, response): (i64, String) =
        db::query_as("SELECT seller_id, response_json FROM demo_seller_instances WHERE order_line_id = $1")
            .bind(format!("BZ{order_id:08}-1"))
            .fetch_one(&app.state.db)
            .await
            .unwrap();
    let key = app.seller_key(seller_id).await;
    let response: Value = serde_json::from_str(&response).unwrap();
    key.open_base64(response["password_sealed"].as_str().unwrap()).unwrap()
}

#[tokio::test]
async fn a_purchase_is_listed_with_its_details_and_the_reveal_returns_the_sellers_password() {
    let app = spawn_app().await;
    let buyer = app.logged_in("lin.wei").await;
    let (_, empty) = app.get_as(&buyer, "/purchased-apps").await;
    assert_eq!(empty["total"], 0);
    let id = buy(&app, &buyer, "k1", crm()).await;

    let (status, list) = app.get_as(&buyer, "/purchased-apps").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(list["total"], 1);
    assert_eq!(list["items"][0]["id"], id);
    assert_eq!(list["items"][0]["status"], "active");
    let (status, detail) = app.get_as(&buyer, &format!("/purchased-apps/{id}")).await;
    assert_eq!(status, StatusCode::OK, "{detail}");
    assert_eq!(detail["application"]["username"], "lin.wei@example.com");
    assert_eq!(detail["application"]["password_revealable"], true);
    assert!(detail["application"]["frontend_url"].as_str().unwrap().starts_with("https://"));
    assert_eq!(detail["basic"]["order_number"], format!("BZ{id:08}"));
    assert_eq!(detail["seller"]["name"], "Northwind Data Systems");
    assert!(detail["seller"]["support_hours"].is_string());

    let response = reveal(&app, &buyer, id).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()["cache-control"], "no-store");
    let revealed: Value = response.json().await.unwrap();
    let password = revealed["password"].as_str().unwrap().to_owned();
    assert_eq!(password, seller_side_password(&app, id).await);
    assert!(!detail.to_string().contains(&password), "details never carry the password");

    // One audit row: who, what, when, from where, and nothing secret.
    let audit: Vec<(i64, i64, String, Option<String>)> =
        db::query_as("SELECT account_id, order_id, instance_id, client_address FROM credential_reveals")
            .fetch_all(&app.state.db)
            .await
            .unwrap();
    assert_eq!(audit.len(), 1);
    assert_eq!(audit[0].1, id);
    assert_eq!(audit[0].3.as_deref(), Some("127.0.0.1"));
    let audit_text: String = db::query_scalar(
        "SELECT string_agg(COALESCE(instance_id, '') || COALESCE(client_address, '') || COALESCE(user_agent, ''), ',') FROM credential_reveals",
    )
    .fetch_one(&app.state.db)
    .await
    .unwrap();
    assert!(!audit_text.contains(&password));
}

#[tokio::test]
async fn no_other_response_and_no_stored_byte_contains_the_password() {
    let app = spawn_app().await;
    let buyer = app.logged_in("lin.wei").await;
    let id = buy(&app, &buyer, "scan", crm()).await;
    let password = seller_side_password(&app, id).await;
    for path in [
        "/session".to_owned(),
        "/orders".to_owned(),
        format!("/orders/{id}"),
        "/purchased-apps".to_owned(),
        format!("/purchased-apps/{id}"),
        "/account/payment-options".to_owned(),
        "/favorites".to_owned(),
        "/vpcs".to_owned(),
        "/products/1".to_owned(),
    ] {
        let response = buyer.get(app.url(&path)).send().await.unwrap();
        assert_eq!(response.status(), StatusCode::OK, "{path}");
        let text = response.text().await.unwrap();
        assert!(!text.contains(&password), "{path} leaked the password");
    }
    // At rest: the database files (main and write-ahead log) hold only ciphertext. The
    // demo seller's own table holds it sealed with the seller's key.
    assert!(!app.stored_in_plain_text(&password).await, "the password is stored in plain text");
}

#[tokio::test]
async fn reveals_are_rate_limited_per_account() {
    let app = spawn_app().await;
    let buyer = app.logged_in("lin.wei").await;
    let id = buy(&app, &buyer, "rl", crm()).await;
    for n in 0..5 {
        assert_eq!(reveal(&app, &buyer, id).await.status(), StatusCode::OK, "reveal {n}");
    }
    let response = reveal(&app, &buyer, id).await;
    assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS);
    let retry_after: u64 = response.headers()["retry-after"].to_str().unwrap().parse().unwrap();
    assert!((1..=600).contains(&retry_after), "{retry_after}");
    let (_, body) = decode(response).await;
    assert_error(&body, "rate_limited");
    let rows: i64 = db::query_scalar("SELECT COUNT(*) FROM credential_reveals").fetch_one(&app.state.db).await.unwrap();
    assert_eq!(rows, 5, "refused reveals reveal nothing and are not counted as reveals");
}

#[tokio::test]
async fn a_stale_login_must_enter_the_password_again_before_a_reveal() {
    let app = spawn_app().await;
    let buyer = app.logged_in("lin.wei").await;
    let id = buy(&app, &buyer, "stale", crm()).await;
    app.advance_clock(16 * 60).await;
    let (status, body) = decode(reveal(&app, &buyer, id).await).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_error(&body, "reauthentication_required");
    // The page itself still works with the old login.
    assert_eq!(app.get_as(&buyer, &format!("/purchased-apps/{id}")).await.0, StatusCode::OK);
    let (status, _) = decode(
        buyer
            .post(app.url("/session/reauthenticate"))
            .json(&json!({ "password": crate::common::DEMO_PASSWORD }))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(reveal(&app, &buyer, id).await.status(), StatusCode::OK);
}

#[tokio::test]
async fn nobody_but_the_owner_reaches_an_app() {
    let app = spawn_app().await;
    let owner = app.logged_in("lin.wei").await;
    let id = buy(&app, &owner, "own", crm()).await;
    let paths = [format!("/purchased-apps/{id}")];
    let callers = [
        ("maria.santos", app.logged_in("maria.santos").await),
        ("chen.jie", app.logged_in("chen.jie").await),
        ("sam.okafor (the app's seller)", app.logged_in("sam.okafor").await),
        ("zhang.min (operations)", app.logged_in("zhang.min").await),
    ];
    for (who, client) in &callers {
        // Other customers are told nothing exists; sellers and operations staff may not
        // ask at all (the role table), which says nothing about the app either.
        let customer = who.starts_with("maria") || who.starts_with("chen");
        let (expected, code) =
            if customer { (StatusCode::NOT_FOUND, "not_found") } else { (StatusCode::FORBIDDEN, "forbidden") };
        for path in &paths {
            let (status, body) = app.get_as(client, path).await;
            assert_eq!(status, expected, "{who} GET {path}: {body}");
            assert_error(&body, code);
        }
        let (status, _) = decode(reveal(&app, client, id).await).await;
        assert_eq!(status, expected, "{who} reveal");
        let (status, list) = app.get_as(client, "/purchased-apps").await;
        if customer {
            assert_eq!(status, StatusCode::OK, "{who} list");
            assert_eq!(list["total"], 0, "{who} sees none of the owner's apps");
        } else {
            assert_eq!(status, StatusCode::FORBIDDEN, "{who} list: {list}");
        }
    }
    let anonymous = app.other_client();
    for path in ["/purchased-apps".to_owned(), format!("/purchased-apps/{id}")] {
        let (status, body) = app.get_as(&anonymous, &path).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "anonymous GET {path}");
        assert_error(&body, "unauthenticated");
    }
    assert_eq!(reveal(&app, &anonymous, id).await.status(), StatusCode::UNAUTHORIZED);
    // The owner, for contrast.
    assert_eq!(app.get_as(&owner, &format!("/purchased-apps/{id}")).await.0, StatusCode::OK);
    assert_eq!(reveal(&app, &owner, id).await.status(), StatusCode::OK);
}

#[tokio::test]
async fn supervised_saas_is_listed_only_once_its_order_completes() {
    let app = spawn_app().await;
    let buyer = app.logged_in("lin.wei").await;
    let body = json!({
        "product_id": 8,
        "configuration": { "sku_id": 15, "billing_mode": "yearly_monthly", "duration_months": 1, "quantity": 1, "region": "cn-north-4" },
        "accept_terms": true
    });
    let id = buy(&app, &buyer, "sup", body).await;
    let (_, order) = app.get_as(&buyer, &format!("/orders/{id}")).await;
    assert_eq!(order["status"], "processing", "supervision keeps it processing");
    let (_, list) = app.get_as(&buyer, "/purchased-apps").await;
    assert_eq!(list["total"], 0);
    assert_eq!(app.get_as(&buyer, &format!("/purchased-apps/{id}")).await.0, StatusCode::NOT_FOUND);
    // What a completed supervision flow does to the order.
    db::query("UPDATE orders SET status = 'completed', completed_at = 1 WHERE id = $1")
        .bind(id)
        .execute(&app.state.db)
        .await
        .unwrap();
    let (_, list) = app.get_as(&buyer, "/purchased-apps").await;
    assert_eq!(list["total"], 1);
}

#[tokio::test]
async fn the_list_searches_filters_and_refuses_bad_parameters() {
    let app = spawn_app().await;
    let buyer = app.logged_in("lin.wei").await;
    buy(&app, &buyer, "a", crm()).await;
    let (_, vpc) = decode(
        buyer.post(app.url("/vpcs")).json(&json!({ "name": "v", "region": "cn-north-4" })).send().await.unwrap(),
    )
    .await;
    let image = json!({
        "product_id": 3,
        "configuration": { "sku_id": 6, "billing_mode": "yearly_monthly", "duration_months": 1, "quantity": 1, "region": "cn-north-4" },
        "accept_terms": true, "vpc_id": vpc["id"], "server_password": "Harbor-Light42"
    });
    let image_id = buy(&app, &buyer, "b", image).await;
    for _ in 0..100 {
        if app.get_as(&buyer, "/purchased-apps").await.1["total"] == 2 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let (_, images) = app.get_as(&buyer, "/purchased-apps?delivery=image").await;
    assert_eq!(images["total"], 1);
    assert_eq!(images["items"][0]["id"], image_id);
    let (_, detail) = app.get_as(&buyer, &format!("/purchased-apps/{image_id}")).await;
    assert_eq!(detail["basic"]["login_user"], "root");
    assert!(detail["basic"]["server_address"].as_str().unwrap().starts_with("10.1."));
    assert_eq!(detail["application"]["password_revealable"], false, "the buyer's own password is never kept");
    assert_eq!(reveal(&app, &buyer, image_id).await.status(), StatusCode::NOT_FOUND);

    let (_, found) = app.get_as(&buyer, "/purchased-apps?q=northwind%20crm").await;
    assert_eq!(found["total"], 1);
    let (_, by_number) = app.get_as(&buyer, &format!("/purchased-apps?q=BZ{image_id:08}")).await;
    assert_eq!(by_number["total"], 1);
    let (_, wildcard) = app.get_as(&buyer, "/purchased-apps?q=%25").await;
    assert_eq!(wildcard["total"], 0, "% is plain text");
    let (_, expired) = app.get_as(&buyer, "/purchased-apps?status=expired").await;
    assert_eq!(expired["total"], 0);
    for (query, field) in [("delivery=boat", "delivery"), ("status=old", "status"), ("page_size=0", "page_size")] {
        let (status, error) = app.get_as(&buyer, &format!("/purchased-apps?{query}")).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{query}");
        assert_eq!(error["field_errors"][0]["field"], field);
    }
}
