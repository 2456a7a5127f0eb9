//! Pay-per-use: sellers' signed usage reports, hourly charges, arrears, caps and bills.

mod bills;
mod charging;
mod reports;

use reqwest::{Client, StatusCode};
use serde_json::{Value, json};
use time::{Duration, OffsetDateTime};

use crate::common::{TestApp, client_without_origin, decode};
use bazaar_server::infra::crypto;
use bazaar_server::infra::db;

/// Buys Northwind CRM Cloud pay-per-use (¥0.40 an hour, `quantity` bought) and waits for
/// it to be set up; its app id.
pub async fn hourly_app(app: &TestApp, client: &Client, key: &str, quantity: u32) -> i64 {
    bought_hourly(app, client, key, 1, quantity).await
}

/// A one-month Northwind CRM Cloud term, paid by card.
pub async fn monthly_app(app: &TestApp, client: &Client, key: &str) -> i64 {
    let (status, order) = crate::lifecycle::place(app, client, key, &crate::lifecycle::crm_month()).await;
    assert_eq!(status, StatusCode::CREATED, "{order}");
    let id = order["id"].as_i64().unwrap();
    assert_eq!(crate::lifecycle::pay(app, client, id, "card").await.0, StatusCode::OK);
    wait_completed(app, client, id).await
}

/// Buys `product_id`'s first specification pay-per-use and waits for it to be set up.
pub async fn bought_hourly(app: &TestApp, client: &Client, key: &str, product_id: i64, quantity: u32) -> i64 {
    let sku_id: i64 = db::query_scalar("SELECT MIN(id) FROM skus WHERE product_id = $1")
        .bind(product_id)
        .fetch_one(&app.state.db)
        .await
        .unwrap();
    let region: String = db::query_scalar("SELECT regions FROM products WHERE id = $1")
        .bind(product_id)
        .fetch_one(&app.state.db)
        .await
        .unwrap();
    let region = region.split(',').next().unwrap().to_owned();
    let body = json!({
        "product_id": product_id,
        "configuration": { "sku_id": sku_id, "billing_mode": "pay_per_use", "quantity": quantity, "region": region },
        "accept_terms": true, "authorize_contact_sharing": true
    });
    let response = client.post(app.url("/orders")).header("Idempotency-Key", key).json(&body).send().await.unwrap();
    let (status, order) = decode(response).await;
    assert_eq!(status, StatusCode::CREATED, "{order}");
    let id = order["id"].as_i64().unwrap();
    wait_completed(app, client, id).await
}

pub async fn wait_completed(app: &TestApp, client: &Client, id: i64) -> i64 {
    for _ in 0..200 {
        let (_, order) = app.get_as(client, &format!("/orders/{id}")).await;
        if order["status"] == "completed" {
            return id;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("order {id} did not complete");
}

/// The seller of an app.
pub async fn seller_of(app: &TestApp, app_id: i64) -> i64 {
    db::query_scalar("SELECT seller_id FROM orders WHERE id = $1").bind(app_id).fetch_one(&app.state.db).await.unwrap()
}

/// The UTC hour `hours` from the clock's now (negative: past), as the API writes it.
pub fn hour(app: &TestApp, hours: i64) -> String {
    let now = app.state.clock.now();
    let start = now.replace_minute(0).unwrap().replace_second(0).unwrap().replace_nanosecond(0).unwrap();
    rfc3339(start + Duration::hours(hours))
}

pub fn rfc3339(instant: OffsetDateTime) -> String {
    instant.format(&time::format_description::well_known::Rfc3339).unwrap()
}

/// Sends `body` to the usage API as seller `seller_id` would: signed with its key, now.
pub async fn report(app: &TestApp, seller_id: i64, body: &Value) -> (StatusCode, Value) {
    let bytes = serde_json::to_vec(body).unwrap();
    let nonce = hex::encode(rand::random::<[u8; 12]>());
    signed(app, seller_id, bytes, app.state.clock.unix_now(), &nonce, None).await
}

/// A signed call with every part chosen (a signature of `None` is computed correctly).
pub async fn signed(
    app: &TestApp,
    seller_id: i64,
    body: Vec<u8>,
    timestamp: i64,
    nonce: &str,
    signature: Option<&str>,
) -> (StatusCode, Value) {
    let key = app.seller_key(seller_id).await;
    let signature = signature.map(str::to_owned).unwrap_or_else(|| crypto::sign_request(&key, timestamp, nonce, &body));
    // A machine: no cookie jar, no Origin header.
    let response = client_without_origin()
        .post(app.url("/seller/usage"))
        .header("content-type", "application/json")
        .header(bazaar_server::infra::signed_requests::SELLER_HEADER, seller_id.to_string())
        .header(crypto::TIMESTAMP_HEADER, timestamp.to_string())
        .header(crypto::NONCE_HEADER, nonce)
        .header(crypto::SIGNATURE_HEADER, signature)
        .body(body)
        .send()
        .await
        .unwrap();
    decode(response).await
}

/// One record.
pub fn record(app_id: i64, hour: &str, quantity: i64) -> Value {
    json!({ "app_id": app_id, "quantity": quantity, "hour": hour })
}

pub async fn count(app: &TestApp, sql: &str) -> i64 {
    db::query_scalar(sql).fetch_one(&app.state.db).await.unwrap()
}

/// Moves the demo clock by `seconds` (forward) and runs one sweep.
pub async fn later(app: &TestApp, seconds: i64) -> bazaar_server::domain::lifecycle::SweepReport {
    if seconds > 0 {
        app.advance_clock(seconds).await;
    }
    bazaar_server::domain::lifecycle::sweep_once(&app.state).await.unwrap()
}

/// The buyer's messages with `topic`.
pub async fn messages_about(app: &TestApp, client: &Client, topic: &str) -> Vec<Value> {
    let (_, page) = app.get_as(client, "/messages?page_size=50").await;
    page["items"].as_array().unwrap().iter().filter(|m| m["topic"] == topic).cloned().collect()
}

/// Seller notices of `kind` for the app.
pub async fn notices(app: &TestApp, app_id: i64, kind: &str) -> i64 {
    db::query_scalar("SELECT COUNT(*) FROM seller_notices WHERE order_id = $1 AND kind = $2")
        .bind(app_id)
        .bind(kind)
        .fetch_one(&app.state.db)
        .await
        .unwrap()
}

pub async fn verify_clean(app: &TestApp) {
    let report = bazaar_server::domain::verify::verify(&app.state.db).await.unwrap();
    assert!(report.is_clean(), "{}", serde_json::to_string_pretty(&report).unwrap());
}
