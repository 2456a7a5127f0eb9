//! Secrets at rest, demo data in production, seller addresses, client addresses and caps.

use super::*;
use bazaar_server::infra::db;

#[tokio::test]
async fn secrets_are_sealed_in_the_database_file_and_an_older_database_is_upgraded() {
    let app = spawn_app().await;
    let key_hex = seller_key_hex(&app, 1).await;
    // An older database: one seller's key in plain text, not sealed.
    let old_key = "ab".repeat(32);
    db::query("UPDATE sellers SET provisioning_key = $1, provisioning_key_sealed = NULL WHERE id = 2")
        .bind(&old_key)
        .execute(&app.state.db)
        .await
        .unwrap();
    let restarted = app.restart_with(|_| {}).await;
    assert_eq!(seller_key_hex(&restarted, 2).await, old_key, "the same key, now sealed");
    for secret in [&key_hex, &old_key] {
        assert!(!restarted.stored_in_plain_text(secret).await, "a key in plain text");
    }
    // A sealed key copied to another seller's row does not open there.
    db::query("UPDATE sellers SET provisioning_key_sealed = (SELECT provisioning_key_sealed FROM sellers WHERE id = 1) WHERE id = 3")
        .execute(&restarted.state.db)
        .await
        .unwrap();
    assert!(
        bazaar_server::domain::secrets::seller_key(&restarted.state.db, &restarted.state.master_keys, 3).await.is_err()
    );
}

/// A seller's key as the hex text sellers are given, opened from its sealed column.
async fn seller_key_hex(app: &TestApp, seller_id: i64) -> String {
    let sealed: Vec<u8> = db::query_scalar("SELECT provisioning_key_sealed FROM sellers WHERE id = $1")
        .bind(seller_id)
        .fetch_one(&app.state.db)
        .await
        .unwrap();
    app.state.master_keys.open_string(bazaar_server::domain::secrets::seller_key_at(seller_id), &sealed).unwrap()
}

#[tokio::test]
async fn production_refuses_a_database_with_demo_accounts() {
    let demo = spawn_app().await;
    let mut config = bazaar_server::config::Config::for_tests(demo.state.config.database_url.clone());
    config.demo = false;
    config.secret_key = Some(bazaar_server::config::SecretText::new("11".repeat(32)));
    let refused = bazaar_server::build_state(config).await;
    let Err(error) = refused else { panic!("a production server started on a demo database") };
    assert!(error.to_string().contains("demo"), "{error}");
}

#[tokio::test]
async fn the_production_document_has_no_demo_routes() {
    let app = spawn_app_with(|config| {
        config.demo = false;
        config.secret_key = Some(bazaar_server::config::SecretText::new("11".repeat(32)));
    })
    .await;
    let (status, document) = app.get_json("/openapi.json").await;
    assert_eq!(status, StatusCode::OK);
    assert!(document["paths"].as_object().unwrap().keys().all(|path| !path.contains("/demo/")));
    let demo = spawn_app().await;
    let (_, document) = demo.get_json("/openapi.json").await;
    assert!(document["paths"].as_object().unwrap().keys().any(|path| path.contains("/demo/")));
}

#[tokio::test]
async fn a_seller_endpoint_on_a_private_address_is_never_called() {
    let app = spawn_app().await;
    db::query("UPDATE sellers SET provisioning_url = 'https://169.254.169.254/latest/meta-data' WHERE id = 1")
        .execute(&app.state.db)
        .await
        .unwrap();
    let buyer = app.logged_in("lin.wei").await;
    let order = place_crm(&app, &buyer, "ssrf").await;
    let cancelled = wait_for_status(&app, &buyer, order, "cancelled").await;
    let detail = cancelled["cancel_reason"]["detail"].as_str().unwrap();
    assert!(detail.contains("not a public address"), "{detail}");
}

#[tokio::test]
async fn app_addresses_from_a_seller_are_checked_before_they_are_stored() {
    use axum::routing::post;
    let app = spawn_app().await;
    // A seller's system (on loopback, which demo mode allows) that answers with a
    // javascript: link for the app.
    let key = app.seller_key(1).await;
    let seller = axum::Router::new().route(
        "/provision",
        post(move || {
            let key = key.clone();
            async move {
                axum::Json(json!({
                    "instance_id": "evil-1",
                    "frontend_url": "javascript:alert(document.cookie)",
                    "management_url": "https://console.example/",
                    "username_sealed": key.seal_base64("admin"),
                    "password_sealed": key.seal_base64("Secret-Password-1"),
                }))
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let seller_url = format!("http://{}/provision", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, seller).await.unwrap() });
    db::query("UPDATE sellers SET provisioning_url = $1 WHERE id = 1")
        .bind(&seller_url)
        .execute(&app.state.db)
        .await
        .unwrap();
    let restarted = app
        .restart_with(|config| {
            config.provisioning_attempts = 1;
        })
        .await;
    let buyer = restarted.logged_in("lin.wei").await;
    let order = place_crm(&restarted, &buyer, "js-url").await;
    let cancelled = wait_for_status(&restarted, &buyer, order, "cancelled").await;
    let detail = cancelled["cancel_reason"]["detail"].as_str().unwrap();
    assert!(detail.contains("app address"), "{detail}");
    let stored: i64 = db::query_scalar("SELECT COUNT(*) FROM instances").fetch_one(&restarted.state.db).await.unwrap();
    assert_eq!(stored, 0);
}

async fn place_crm(app: &TestApp, buyer: &Client, key: &str) -> i64 {
    let response = buyer
        .post(app.url("/orders"))
        .header("idempotency-key", key)
        .json(&json!({
            "product_id": 1,
            "configuration": { "sku_id": 1, "billing_mode": "yearly_monthly", "duration_months": 1, "quantity": 1, "region": "cn-north-4" },
            "accept_terms": true, "authorize_contact_sharing": true
        }))
        .send()
        .await
        .unwrap();
    let (status, order) = decode(response).await;
    assert_eq!(status, StatusCode::CREATED, "{order}");
    let id = order["id"].as_i64().unwrap();
    let response =
        buyer.post(app.url(&format!("/orders/{id}/payment"))).json(&json!({ "method": "card" })).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    id
}

async fn wait_for_status(app: &TestApp, client: &Client, order: i64, status: &str) -> Value {
    for _ in 0..300 {
        let (_, body) = app.get_as(client, &format!("/orders/{order}")).await;
        if body["status"] == status {
            return body;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("order {order} never became {status}");
}

#[tokio::test]
async fn behind_a_trusted_proxy_the_forwarded_address_is_the_client() {
    let app = spawn_app_with(|config| config.trusted_proxies = vec!["127.0.0.0/8".parse().unwrap()]).await;
    let client = app.other_client();
    let response = client
        .post(app.url("/session"))
        .header("x-forwarded-for", "198.51.100.23")
        .json(&json!({ "username": "lin.wei", "password": "wrong" }))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    let keys: Vec<String> = db::query_scalar("SELECT key FROM login_throttles WHERE scope = 'address'")
        .fetch_all(&app.state.db)
        .await
        .unwrap();
    assert_eq!(keys, ["198.51.100.23"]);
    // Without the proxy setting the header is the client's own claim and is ignored.
    let direct = spawn_app().await;
    let response = direct
        .other_client()
        .post(direct.url("/session"))
        .header("x-forwarded-for", "198.51.100.23")
        .json(&json!({ "username": "lin.wei", "password": "wrong" }))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    let keys: Vec<String> = db::query_scalar("SELECT key FROM login_throttles WHERE scope = 'address'")
        .fetch_all(&direct.state.db)
        .await
        .unwrap();
    assert_eq!(keys, ["127.0.0.1"]);
}

#[tokio::test]
async fn unpaid_orders_are_capped() {
    let app = spawn_app().await;
    let buyer = app.logged_in("lin.wei").await;
    let order = json!({
        "product_id": 1,
        "configuration": { "sku_id": 1, "billing_mode": "yearly_monthly", "duration_months": 1, "quantity": 1, "region": "cn-north-4" },
        "accept_terms": true, "authorize_contact_sharing": true
    });
    for index in 0..bazaar_core::orders::MAX_UNPAID_ORDERS {
        let response = buyer
            .post(app.url("/orders"))
            .header("idempotency-key", format!("cap-{index}"))
            .json(&order)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::CREATED);
    }
    let response =
        buyer.post(app.url("/orders")).header("idempotency-key", "cap-over").json(&order).send().await.unwrap();
    let (status, body) = decode(response).await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    // A retry of an order already placed still answers with that order.
    let response = buyer.post(app.url("/orders")).header("idempotency-key", "cap-0").json(&order).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
}

#[tokio::test]
async fn orders_per_day_are_capped_with_a_retry_time() {
    let app = spawn_app_with(|config| config.max_orders_per_day = 3).await;
    let buyer = app.logged_in("lin.wei").await;
    for index in 0..3 {
        place_crm(&app, &buyer, &format!("day-{index}")).await;
    }
    let response = buyer
        .post(app.url("/orders"))
        .header("idempotency-key", "day-over")
        .json(&json!({
            "product_id": 1,
            "configuration": { "sku_id": 1, "billing_mode": "yearly_monthly", "duration_months": 1, "quantity": 1, "region": "cn-north-4" },
            "accept_terms": true, "authorize_contact_sharing": true
        }))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS);
    let retry_after: i64 = response.headers()["retry-after"].to_str().unwrap().parse().unwrap();
    assert!((86_000..=86_400).contains(&retry_after), "{retry_after}");
}
