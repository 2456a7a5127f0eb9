//! Placing and paying: idempotency, checkout rules, payment methods, resellers.

use super::*;
use bazaar_server::infra::db;

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
        db::query_as("SELECT username_ciphertext, password_ciphertext FROM instances WHERE order_id = $1")
            .bind(id)
            .fetch_one(&app.state.db)
            .await
            .unwrap();
    use bazaar_server::domain::secrets::{APP_PASSWORD, APP_USERNAME, app_secret_at};
    let username = app
        .state
        .master_keys
        .open_string(app_secret_at(APP_USERNAME, bazaar_core::ids::OrderId(id)), &username)
        .unwrap();
    let password = app
        .state
        .master_keys
        .open_string(app_secret_at(APP_PASSWORD, bazaar_core::ids::OrderId(id)), &password)
        .unwrap();
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
    let (address, user, hash): (String, String, String) = db::query_as(
        "SELECT i.server_address, i.login_user, o.server_password_hash FROM instances i JOIN orders o ON o.id = i.order_id WHERE o.id = $1",
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
