//! Checkout, payment, provisioning and My Orders, against a real server and database.

mod common;

use std::time::Duration;

use common::{TestApp, assert_error, decode, spawn_app, spawn_app_with};
use reqwest::{Client, StatusCode};
use serde_json::{Value, json};

/// Northwind CRM Cloud: SaaS whose seller creates an app account (needs the consent box).
fn crm_order() -> Value {
    json!({
        "product_id": 1,
        "configuration": { "sku_id": 1, "billing_mode": "yearly_monthly", "duration_months": 12, "quantity": 1, "region": "cn-north-4" },
        "accept_terms": true,
        "authorize_contact_sharing": true
    })
}

/// The CRM's price for 12 months: 10 billed months × ¥199.
const CRM_YEAR_MINOR: i64 = 19_900 * 10;

async fn place(app: &TestApp, client: &Client, key: &str, body: &Value) -> (StatusCode, Value) {
    let response =
        client.post(app.url("/orders")).header("Idempotency-Key", key).json(body).send().await.expect("request sent");
    decode(response).await
}

async fn pay(app: &TestApp, client: &Client, order_id: i64, method: &str) -> (StatusCode, Value) {
    let response = client
        .post(app.url(&format!("/orders/{order_id}/payment")))
        .json(&json!({ "method": method }))
        .send()
        .await
        .expect("request sent");
    decode(response).await
}

/// Polls the order until `done` holds (provisioning runs in the background).
async fn wait_for(app: &TestApp, client: &Client, order_id: i64, done: impl Fn(&Value) -> bool) -> Value {
    for _ in 0..200 {
        let (status, order) = app.get_as(client, &format!("/orders/{order_id}")).await;
        assert_eq!(status, StatusCode::OK, "{order}");
        if done(&order) {
            return order;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("order {order_id} never reached the expected state");
}

async fn balance(app: &TestApp, client: &Client) -> i64 {
    let (status, options) = app.get_as(client, "/account/payment-options").await;
    assert_eq!(status, StatusCode::OK, "{options}");
    options["balances"][0]["amount_minor"].as_i64().unwrap()
}

async fn count(app: &TestApp, sql: &str) -> i64 {
    sqlx::query_scalar(sql).fetch_one(&app.state.db).await.unwrap()
}

#[tokio::test]
async fn saas_purchase_is_paid_once_provisioned_and_completed_with_consent_recorded() {
    let app = spawn_app().await;
    let buyer = app.logged_in("lin.wei").await;
    let before = balance(&app, &buyer).await;

    let (status, order) = place(&app, &buyer, "attempt-1", &crm_order()).await;
    assert_eq!(status, StatusCode::CREATED, "{order}");
    assert_eq!(order["status"], "pending_payment");
    assert_eq!(order["total"]["amount_minor"], CRM_YEAR_MINOR);
    assert_eq!(order["provisioning"]["state"], "awaiting_payment");
    let consent = &order["consent"];
    assert_eq!(consent["seller_name"], "Northwind Data Systems");
    let shared: Vec<&str> = consent["shared"].as_array().unwrap().iter().map(|s| s["kind"].as_str().unwrap()).collect();
    assert_eq!(shared, ["mobile", "email", "iam_user_name"]);
    assert!(!consent.to_string().contains("lin.wei@example.com"), "contact details are masked: {consent}");

    let id = order["id"].as_i64().unwrap();
    let (status, paid) = pay(&app, &buyer, id, "balance").await;
    assert_eq!(status, StatusCode::OK, "{paid}");
    assert_eq!(paid["status"], "processing");
    assert_eq!(paid["payment"]["channel"], "balance");
    assert_eq!(balance(&app, &buyer).await, before - CRM_YEAR_MINOR);

    let done = wait_for(&app, &buyer, id, |o| o["status"] == "completed").await;
    assert_eq!(done["provisioning"]["state"], "ready");
    assert!(done["expires_at"].is_string());

    // The seller's credentials are stored sealed with the backend's key, never in plain text.
    let (username, password): (Vec<u8>, Vec<u8>) =
        sqlx::query_as("SELECT username_ciphertext, password_ciphertext FROM instances WHERE order_id = ?")
            .bind(id)
            .fetch_one(&app.state.db)
            .await
            .unwrap();
    use bazaar_server::secrets::{APP_PASSWORD, APP_USERNAME, app_secret_at};
    let username = app.state.master_keys.open_string(app_secret_at(APP_USERNAME, id), &username).unwrap();
    let password = app.state.master_keys.open_string(app_secret_at(APP_PASSWORD, id), &password).unwrap();
    assert_eq!(username, "lin.wei@example.com", "the seller used the shared e-mail");
    assert!(password.len() >= 12);
    let order_json = done.to_string();
    assert!(!order_json.contains(&password), "the order never carries the password");

    // Paying again charges nothing and returns the same order.
    let (status, again) = pay(&app, &buyer, id, "balance").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(again["id"], id);
    assert_eq!(balance(&app, &buyer).await, before - CRM_YEAR_MINOR);
    assert_eq!(count(&app, "SELECT COUNT(*) FROM ledger_entries WHERE kind = 'payment'").await, 1);
}

#[tokio::test]
async fn image_purchase_needs_a_vpc_in_the_region_and_never_keeps_the_password() {
    let app = spawn_app().await;
    let buyer = app.logged_in("lin.wei").await;
    let mut body = json!({
        "product_id": 3,
        "configuration": { "sku_id": 6, "billing_mode": "yearly_monthly", "duration_months": 1, "quantity": 1, "region": "cn-east-3" },
        "accept_terms": true
    });
    let (status, error) = place(&app, &buyer, "img-1", &body).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let fields: Vec<&str> =
        error["field_errors"].as_array().unwrap().iter().map(|e| e["field"].as_str().unwrap()).collect();
    assert_eq!(fields, ["vpc_id", "server_password"]);

    let (status, vpc) = decode(
        buyer
            .post(app.url("/vpcs"))
            .json(&json!({ "name": "shop-prod", "region": "cn-north-4" }))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{vpc}");
    assert_eq!(vpc["cidr"], "10.1.0.0/16");
    body["vpc_id"] = vpc["id"].clone();
    body["server_password"] = json!("Harbor-Light42");
    let (status, error) = place(&app, &buyer, "img-1", &body).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(error["field_errors"][0]["code"], "region_mismatch");

    body["configuration"]["region"] = json!("cn-north-4");
    body["server_password"] = json!("short");
    let (status, error) = place(&app, &buyer, "img-1", &body).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(error["field_errors"][0]["field"], "server_password");

    body["server_password"] = json!("Harbor-Light42");
    let (status, order) = place(&app, &buyer, "img-1", &body).await;
    assert_eq!(status, StatusCode::CREATED, "{order}");
    // Image fee + server fee for one month.
    let kinds: Vec<&str> =
        order["price"]["lines"].as_array().unwrap().iter().map(|l| l["kind"].as_str().unwrap()).collect();
    assert_eq!(kinds, ["software", "server"]);
    assert_eq!(order["total"]["amount_minor"], 4900 + 18000);
    let id = order["id"].as_i64().unwrap();
    let (status, paid) = pay(&app, &buyer, id, "card").await;
    assert_eq!(status, StatusCode::OK, "{paid}");
    assert_eq!(paid["payment"]["card_label"], "Visa •••• 4242");
    let done = wait_for(&app, &buyer, id, |o| o["status"] == "completed").await;
    assert_eq!(done["vpc"]["name"], "shop-prod");
    let (address, user, hash): (String, String, String) = sqlx::query_as(
        "SELECT i.server_address, i.login_user, o.server_password_hash FROM instances i JOIN orders o ON o.id = i.order_id WHERE o.id = ?",
    )
    .bind(id)
    .fetch_one(&app.state.db)
    .await
    .unwrap();
    assert!(address.starts_with("10.1."), "{address}");
    assert_eq!(user, "root");
    assert!(hash.starts_with("$argon2id$"), "only a hash is kept");
    assert!(!done.to_string().contains("Harbor-Light42"));
}

#[tokio::test]
async fn licence_and_service_purchases_complete_or_wait_for_supervision() {
    let app = spawn_app().await;
    let buyer = app.logged_in("lin.wei").await;
    // An unsupervised licence completes at payment: nothing to set up.
    let (_, search) = app.get_as(&buyer, "/products?delivery=license&page_size=50").await;
    let product_id = search["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|product| product["supervised"] == false)
        .and_then(|product| product["id"].as_i64())
        .expect("an unsupervised licence");
    let (_, product) = app.get_as(&buyer, &format!("/products/{product_id}")).await;
    let sku = &product["skus"][0];
    let mode = sku["prices"][0]["billing_mode"].as_str().unwrap();
    let body = json!({
        "product_id": product_id,
        "configuration": { "sku_id": sku["id"], "billing_mode": mode,
            "duration_months": if mode == "yearly_monthly" { json!(1) } else { Value::Null },
            "quantity": 1, "region": product["regions"][0] },
        "accept_terms": true
    });
    let (status, order) = place(&app, &buyer, "licence-0", &body).await;
    assert_eq!(status, StatusCode::CREATED, "{order}");
    let id = order["id"].as_i64().unwrap();
    let paid = if order["status"] == "pending_payment" { pay(&app, &buyer, id, "card").await.1 } else { order };
    assert_eq!(paid["status"], "completed", "{paid}");
    assert_eq!(paid["provisioning"]["state"], "not_required");

    // A supervised licence stays Processing: its supervision flow decides completion.
    let body = json!({
        "product_id": 5,
        "configuration": { "sku_id": 10, "billing_mode": "one_off", "quantity": 1, "region": "cn-north-4" },
        "accept_terms": true
    });
    let (status, order) = place(&app, &buyer, "licence-1", &body).await;
    assert_eq!(status, StatusCode::CREATED, "{order}");
    let (status, paid) = pay(&app, &buyer, order["id"].as_i64().unwrap(), "card").await;
    assert_eq!(status, StatusCode::OK, "{paid}");
    assert_eq!(paid["status"], "processing");
    assert!(paid["summary"].is_null() && paid["supervised"] == true);
}

#[tokio::test]
async fn missing_checkboxes_are_422_naming_the_field_and_create_nothing() {
    let app = spawn_app().await;
    let buyer = app.logged_in("lin.wei").await;
    let mut body = crm_order();
    body["accept_terms"] = json!(false);
    body["authorize_contact_sharing"] = json!(false);
    let (status, error) = place(&app, &buyer, "k", &body).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_error(&error, "validation_failed");
    let fields: Vec<&str> =
        error["field_errors"].as_array().unwrap().iter().map(|e| e["field"].as_str().unwrap()).collect();
    assert_eq!(fields, ["authorize_contact_sharing", "accept_terms"]);
    body["accept_terms"] = json!(true);
    let (status, error) = place(&app, &buyer, "k", &body).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(error["field_errors"][0]["field"], "authorize_contact_sharing");

    let mut bad_config = crm_order();
    bad_config["configuration"]["quantity"] = json!(0);
    bad_config["configuration"]["region"] = json!("mars-1");
    let (status, error) = place(&app, &buyer, "k", &bad_config).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let fields: Vec<&str> =
        error["field_errors"].as_array().unwrap().iter().map(|e| e["field"].as_str().unwrap()).collect();
    assert_eq!(fields, ["configuration.quantity", "configuration.region"]);

    let mut unknown = crm_order();
    unknown["product_id"] = json!(999_999);
    let (status, error) = place(&app, &buyer, "k", &unknown).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(error["field_errors"][0]["field"], "product_id");
    assert_eq!(count(&app, "SELECT COUNT(*) FROM orders").await, 0);
    // The failed attempts did not use the key up.
    let (status, _) = place(&app, &buyer, "k", &crm_order()).await;
    assert_eq!(status, StatusCode::CREATED);
}

#[tokio::test]
async fn insufficient_balance_and_declined_cards_charge_nothing_and_another_method_works() {
    let app = spawn_app().await;
    let buyer = app.logged_in("maria.santos").await;
    let (status, order) = place(&app, &buyer, "m-1", &crm_order()).await;
    assert_eq!(status, StatusCode::CREATED, "{order}");
    let id = order["id"].as_i64().unwrap();

    let (status, error) = pay(&app, &buyer, id, "balance").await;
    assert_eq!(status, StatusCode::PAYMENT_REQUIRED);
    assert_error(&error, "insufficient_balance");
    let (status, error) = pay(&app, &buyer, id, "card").await;
    assert_eq!(status, StatusCode::PAYMENT_REQUIRED);
    assert_error(&error, "payment_declined");
    assert!(error["message"].as_str().unwrap().contains("Nothing was charged"));
    assert_eq!(count(&app, "SELECT COUNT(*) FROM ledger_entries WHERE kind = 'payment'").await, 0);
    assert_eq!(count(&app, "SELECT COUNT(*) FROM payments").await, 0);
    let (_, still) = app.get_as(&buyer, &format!("/orders/{id}")).await;
    assert_eq!(still["status"], "pending_payment");

    let (status, paid) = pay(&app, &buyer, id, "credit").await;
    assert_eq!(status, StatusCode::OK, "{paid}");
    assert_eq!(paid["payment"]["channel"], "credit");
    let (_, options) = app.get_as(&buyer, "/account/payment-options").await;
    assert_eq!(options["credit"][0]["used"]["amount_minor"], CRM_YEAR_MINOR);

    // lin.wei has no credit line.
    let lin = app.logged_in("lin.wei").await;
    let (_, order) = place(&app, &lin, "l-1", &crm_order()).await;
    let (status, error) = pay(&app, &lin, order["id"].as_i64().unwrap(), "credit").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(error["field_errors"][0]["field"], "method");
}

#[tokio::test]
async fn reseller_customers_are_billed_through_their_reseller_and_charged_nothing() {
    let app = spawn_app().await;
    let customer = app.logged_in("chen.jie").await;
    let (_, options) = app.get_as(&customer, "/account/payment-options").await;
    assert_eq!(options["reseller_name"], "Harbor Cloud Partners");
    let (status, order) = place(&app, &customer, "r-1", &crm_order()).await;
    assert_eq!(status, StatusCode::CREATED, "{order}");
    assert_eq!(order["status"], "processing");
    assert_eq!(order["reseller_name"], "Harbor Cloud Partners");
    assert_eq!(order["payment"]["channel"], "reseller");
    let id = order["id"].as_i64().unwrap();
    // No money moved on the customer's own account.
    assert_eq!(
        count(
            &app,
            "SELECT COUNT(*) FROM ledger_entries l JOIN accounts a ON a.id = l.account_id WHERE a.username = 'chen.jie'"
        )
        .await,
        0
    );
    assert_eq!(count(&app, "SELECT COUNT(*) FROM ledger_entries WHERE reseller_id IS NOT NULL").await, 1);
    let (status, _) = pay(&app, &customer, id, "balance").await;
    assert_eq!(status, StatusCode::OK, "paying again changes nothing");
    wait_for(&app, &customer, id, |o| o["status"] == "completed").await;
}

#[tokio::test]
async fn twenty_concurrent_identical_requests_make_one_order_and_one_charge() {
    let app = spawn_app().await;
    let buyer = app.logged_in("lin.wei").await;
    let before = balance(&app, &buyer).await;
    let body = crm_order();
    let placements = (0..20).map(|_| place(&app, &buyer, "double-click", &body));
    let results = futures_join_all(placements).await;
    let mut ids: Vec<i64> = results
        .iter()
        .map(|(status, order)| {
            assert!(status.is_success(), "{status} {order}");
            order["id"].as_i64().unwrap()
        })
        .collect();
    ids.dedup();
    assert_eq!(ids.len(), 1, "every response names the same order");
    assert_eq!(results.iter().filter(|(status, _)| *status == StatusCode::CREATED).count(), 1);
    let id = ids[0];
    let payments = (0..20).map(|_| pay(&app, &buyer, id, "balance"));
    for (status, order) in futures_join_all(payments).await {
        assert_eq!(status, StatusCode::OK, "{order}");
    }
    assert_eq!(count(&app, "SELECT COUNT(*) FROM orders").await, 1);
    assert_eq!(count(&app, "SELECT COUNT(*) FROM payments").await, 1);
    assert_eq!(count(&app, "SELECT COUNT(*) FROM ledger_entries WHERE kind = 'payment'").await, 1);
    assert_eq!(balance(&app, &buyer).await, before - CRM_YEAR_MINOR);
}

/// Runs futures concurrently on this task (no extra dependency for `join_all`).
async fn futures_join_all<F: std::future::Future>(futures: impl Iterator<Item = F>) -> Vec<F::Output> {
    let handles: Vec<_> = futures.map(Box::pin).collect();
    let mut outputs = Vec::with_capacity(handles.len());
    let mut pending: Vec<_> = handles.into_iter().map(Some).collect();
    let mut results: Vec<Option<F::Output>> = (0..pending.len()).map(|_| None).collect();
    std::future::poll_fn(|context| {
        let mut all_done = true;
        for (slot, result) in pending.iter_mut().zip(results.iter_mut()) {
            if let Some(future) = slot {
                match future.as_mut().poll(context) {
                    std::task::Poll::Ready(output) => {
                        *result = Some(output);
                        *slot = None;
                    }
                    std::task::Poll::Pending => all_done = false,
                }
            }
        }
        if all_done { std::task::Poll::Ready(()) } else { std::task::Poll::Pending }
    })
    .await;
    outputs.extend(results.into_iter().map(|r| r.expect("every future finished")));
    outputs
}

#[tokio::test]
async fn a_key_reused_for_a_different_request_is_refused() {
    let app = spawn_app().await;
    let buyer = app.logged_in("lin.wei").await;
    let (status, _) = place(&app, &buyer, "same-key", &crm_order()).await;
    assert_eq!(status, StatusCode::CREATED);
    let mut other = crm_order();
    other["configuration"]["quantity"] = json!(2);
    let (status, error) = place(&app, &buyer, "same-key", &other).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_error(&error, "idempotency_key_reused");
    // Keys are per account: another buyer may use the same string.
    let maria = app.logged_in("maria.santos").await;
    let (status, _) = place(&app, &maria, "same-key", &other).await;
    assert_eq!(status, StatusCode::CREATED);
    // A missing key is a 400.
    let (status, error) = decode(buyer.post(app.url("/orders")).json(&crm_order()).send().await.unwrap()).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(error["message"].as_str().unwrap().contains("Idempotency-Key"));
}

#[tokio::test]
async fn the_demo_seller_refuses_tampered_and_replayed_requests() {
    use bazaar_server::crypto;
    let app = spawn_app().await;
    let key = app.seller_key(1).await;
    let body = serde_json::to_vec(&json!({
        "order_line_id": "BZ00009999-1", "order_number": "BZ00009999", "product_id": 1, "product_name": "Northwind CRM Cloud",
        "sku_id": 1, "sku_name": "Team", "quantity": 1, "region": "cn-north-4", "billing_mode": "yearly_monthly",
        "buyer_contact": null
    }))
    .unwrap();
    let now = app.state.clock.unix_now();
    let send = |timestamp: i64, nonce: &'static str, signature: String, body: Vec<u8>| {
        app.client
            .post(app.url("/demo/sellers/1/provision"))
            .header("content-type", "application/json")
            .header(crypto::TIMESTAMP_HEADER, timestamp.to_string())
            .header(crypto::NONCE_HEADER, nonce)
            .header(crypto::SIGNATURE_HEADER, signature)
            .body(body)
            .send()
    };
    let nonce = "0123456789abcdef0123";
    let good = crypto::sign_request(&key, now, nonce, &body);
    let mut tampered_body = body.clone();
    tampered_body[20] ^= 1;
    assert_eq!(send(now, nonce, good.clone(), tampered_body).await.unwrap().status(), StatusCode::UNAUTHORIZED);
    let wrong_key = crypto::SecretKey::from_hex(&"11".repeat(32)).unwrap();
    let forged = crypto::sign_request(&wrong_key, now, nonce, &body);
    assert_eq!(send(now, nonce, forged, body.clone()).await.unwrap().status(), StatusCode::UNAUTHORIZED);
    let stale = crypto::sign_request(&key, now - 3600, nonce, &body);
    assert_eq!(send(now - 3600, nonce, stale, body.clone()).await.unwrap().status(), StatusCode::UNAUTHORIZED);

    let (status, first) = decode(send(now, nonce, good.clone(), body.clone()).await.unwrap()).await;
    assert_eq!(status, StatusCode::OK, "{first}");
    assert_eq!(send(now, nonce, good, body.clone()).await.unwrap().status(), StatusCode::UNAUTHORIZED, "replay");
    // The same order line again (fresh nonce) is the same instance: idempotent.
    let nonce2 = "fedcba9876543210fedc";
    let signature = crypto::sign_request(&key, now, nonce2, &body);
    let (status, second) = decode(send(now, nonce2, signature, body).await.unwrap()).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(first["instance_id"], second["instance_id"]);
    assert!(key.open_base64(first["password_sealed"].as_str().unwrap()).is_ok());
}

#[tokio::test]
async fn a_failing_seller_cancels_and_refunds_the_order_with_the_reason() {
    let app = spawn_app_with(|config| {
        config.provisioning_attempts = 3;
        config.provisioning_backoff_ms = 20;
    })
    .await;
    let buyer = app.logged_in("lin.wei").await;
    let before = balance(&app, &buyer).await;
    let body = json!({
        "product_id": 6,
        "configuration": { "sku_id": 12, "billing_mode": "yearly_monthly", "duration_months": 1, "quantity": 1, "region": "cn-north-4" },
        "accept_terms": true
    });
    let (_, order) = place(&app, &buyer, "fail-1", &body).await;
    let id = order["id"].as_i64().unwrap();
    let (status, _) = pay(&app, &buyer, id, "balance").await;
    assert_eq!(status, StatusCode::OK);
    let cancelled = wait_for(&app, &buyer, id, |o| o["status"] == "cancelled").await;
    assert_eq!(cancelled["cancel_reason"]["code"], "provisioning_failed");
    let detail = cancelled["cancel_reason"]["detail"].as_str().unwrap();
    assert!(detail.contains("3 attempts") && detail.contains("HTTP 503"), "{detail}");
    assert_eq!(cancelled["provisioning"]["state"], "failed");
    assert_eq!(cancelled["provisioning"]["attempts"], 3);
    assert!(cancelled["payment"]["refunded_at"].is_string());
    assert_eq!(balance(&app, &buyer).await, before, "refunded in full");
    let (_, list) = app.get_as(&buyer, "/orders?status=cancelled").await;
    assert_eq!(list["total"], 1);
}

#[tokio::test]
async fn a_seller_that_times_out_is_retried_then_the_order_is_cancelled_and_refunded() {
    let app = spawn_app_with(|config| {
        config.provisioning_timeout_ms = 300;
        config.provisioning_attempts = 2;
        config.provisioning_backoff_ms = 20;
    })
    .await;
    let buyer = app.logged_in("lin.wei").await;
    let before = balance(&app, &buyer).await;
    // Tidewater Data Lake's seller takes 3 s: longer than this server waits.
    let body = json!({
        "product_id": 7,
        "configuration": { "sku_id": 13, "billing_mode": "yearly_monthly", "duration_months": 1, "quantity": 1, "region": "cn-north-4" },
        "accept_terms": true
    });
    let (_, order) = place(&app, &buyer, "slow-1", &body).await;
    let id = order["id"].as_i64().unwrap();
    pay(&app, &buyer, id, "card").await;
    let cancelled = wait_for(&app, &buyer, id, |o| o["status"] == "cancelled").await;
    assert!(cancelled["cancel_reason"]["detail"].as_str().unwrap().contains("did not answer in time"));
    assert!(cancelled["payment"]["refunded_at"].is_string());
    assert_eq!(balance(&app, &buyer).await, before);
    assert_eq!(count(&app, "SELECT COUNT(*) FROM ledger_entries WHERE channel = 'card'").await, 2, "charge and refund");
}

#[tokio::test]
async fn provisioning_in_flight_at_a_crash_is_resumed_once_after_restart() {
    // The first server's seller call goes to a black hole and hangs, like a process that
    // died mid-call: the job stays leased. The restarted server must pick it up.
    let black_hole = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let hole_address = format!("http://{}", black_hole.local_addr().unwrap());
    tokio::spawn(async move {
        let mut held = Vec::new();
        while let Ok((socket, _)) = black_hole.accept().await {
            held.push(socket);
        }
    });
    let first = spawn_app_with(|config| {
        config.self_url = Some(hole_address);
        config.provisioning_timeout_ms = 120_000;
    })
    .await;
    let buyer = first.logged_in("lin.wei").await;
    let (_, order) = place(&first, &buyer, "crash-1", &crm_order()).await;
    let id = order["id"].as_i64().unwrap();
    pay(&first, &buyer, id, "balance").await;
    for _ in 0..50 {
        if count(&first, "SELECT COUNT(*) FROM provisioning_jobs WHERE lease_until IS NOT NULL").await == 1 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(count(&first, "SELECT attempts FROM provisioning_jobs").await, 1, "the call is in flight");

    let second = first.restart_with(|_| {}).await;
    let buyer = second.logged_in("lin.wei").await;
    let done = wait_for(&second, &buyer, id, |o| o["status"] == "completed").await;
    assert_eq!(done["provisioning"]["attempts"], 2);
    assert_eq!(count(&second, "SELECT COUNT(*) FROM instances").await, 1);
    assert_eq!(count(&second, "SELECT COUNT(*) FROM ledger_entries WHERE kind = 'payment'").await, 1);
}

#[tokio::test]
async fn orders_belong_to_their_buyer() {
    let app = spawn_app().await;
    let lin = app.logged_in("lin.wei").await;
    let (_, order) = place(&app, &lin, "own-1", &crm_order()).await;
    let id = order["id"].as_i64().unwrap();

    let maria = app.logged_in("maria.santos").await;
    for path in [format!("/orders/{id}")] {
        let (status, body) = app.get_as(&maria, &path).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        assert_error(&body, "not_found");
    }
    let (status, _) = pay(&app, &maria, id, "credit").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = decode(maria.post(app.url(&format!("/orders/{id}/cancel"))).send().await.unwrap()).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (_, list) = app.get_as(&maria, "/orders").await;
    assert_eq!(list["total"], 0);

    let seller = app.logged_in("sam.okafor").await;
    let (status, _) = app.get_as(&seller, &format!("/orders/{id}")).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _) = place(&app, &seller, "s-1", &crm_order()).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let anonymous = app.other_client();
    let (status, _) = app.get_as(&anonymous, "/orders").await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let (status, _) = place(&app, &anonymous, "a-1", &crm_order()).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn my_orders_filters_pages_and_refuses_bad_parameters() {
    let app = spawn_app().await;
    let buyer = app.logged_in("lin.wei").await;
    for n in 0..3 {
        let (status, _) = place(&app, &buyer, &format!("list-{n}"), &crm_order()).await;
        assert_eq!(status, StatusCode::CREATED);
    }
    let (_, order) = place(&app, &buyer, "list-cancel", &crm_order()).await;
    let (status, cancelled) =
        decode(buyer.post(app.url(&format!("/orders/{}/cancel", order["id"]))).send().await.unwrap()).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(cancelled["cancel_reason"]["code"], "cancelled_by_buyer");

    let (_, all) = app.get_as(&buyer, "/orders?page_size=2").await;
    assert_eq!(all["total"], 4);
    assert_eq!(all["items"].as_array().unwrap().len(), 2);
    assert_eq!(all["items"][0]["id"], order["id"], "newest first");
    let (_, page2) = app.get_as(&buyer, "/orders?page_size=2&page=2").await;
    assert_eq!(page2["items"].as_array().unwrap().len(), 2);
    let (_, pending) = app.get_as(&buyer, "/orders?status=pending_payment").await;
    assert_eq!(pending["total"], 3);
    let (_, future) = app.get_as(&buyer, "/orders?created_from=2100-01-01T00:00:00Z").await;
    assert_eq!(future["total"], 0);
    let (_, past) = app.get_as(&buyer, "/orders?created_before=2100-01-01T00:00:00Z").await;
    assert_eq!(past["total"], 4);

    for (query, field) in [
        ("status=lost", "status"),
        ("created_from=yesterday", "created_from"),
        ("page_size=51", "page_size"),
        ("page=0", "page"),
        ("created_from=2026-02-01T00:00:00Z&created_before=2026-01-01T00:00:00Z", "created_before"),
    ] {
        let (status, error) = app.get_as(&buyer, &format!("/orders?{query}")).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{query}");
        assert_eq!(error["field_errors"][0]["field"], field, "{query}: {error}");
    }
}

#[tokio::test]
async fn cards_are_checked_and_only_their_last_digits_kept() {
    let app = spawn_app().await;
    let buyer = app.logged_in("lin.wei").await;
    let save = |number: &str, month: u8, year: u16| {
        buyer
            .put(app.url("/account/card"))
            .json(&json!({ "number": number, "expiry_month": month, "expiry_year": year }))
            .send()
    };
    let (status, error) = decode(save("4242 4242 4242 4241", 12, 2030).await.unwrap()).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(error["field_errors"][0]["field"], "number");
    let (status, error) = decode(save("4242 4242 4242 4242", 1, 2020).await.unwrap()).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(error["field_errors"][0]["field"], "expiry");
    let (status, card) = decode(save("5555 5555 5555 4444", 3, 2031).await.unwrap()).await;
    assert_eq!(status, StatusCode::OK, "{card}");
    assert_eq!(card["brand"], "Mastercard");
    assert_eq!(card["last4"], "4444");
    let stored: i64 = count(&app, "SELECT COUNT(*) FROM cards WHERE last4 = '4444'").await;
    assert_eq!(stored, 1);
    let anywhere: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM cards WHERE brand LIKE '%5555555555%' OR gateway_token LIKE '%5555555555%'",
    )
    .fetch_one(&app.state.db)
    .await
    .unwrap();
    assert_eq!(anywhere, 0, "the full number is not stored");
    let (status, _) = decode(buyer.delete(app.url("/account/card")).send().await.unwrap()).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (_, options) = app.get_as(&buyer, "/account/payment-options").await;
    assert!(options["card"].is_null());
}
