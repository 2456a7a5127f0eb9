//! Service supervision over HTTP: every role's actions, the rules at their boundaries (with
//! the demo clock), versions, access, and what flows do to orders and money.

mod appeals;
mod flows;
mod unsubscription;

use std::time::Duration;

use crate::common::{TestApp, assert_error, decode, spawn_app};
use reqwest::{Client, StatusCode};
use serde_json::{Value, json};

/// Buys a supervised product with the buyer's card; returns the order id.
async fn buy(app: &TestApp, client: &Client, product_id: i64, sku_id: i64, billing: &str) -> i64 {
    let duration = if billing == "yearly_monthly" { json!(1) } else { Value::Null };
    let body = json!({
        "product_id": product_id,
        "configuration": { "sku_id": sku_id, "billing_mode": billing, "duration_months": duration, "quantity": 1, "region": "cn-north-4" },
        "accept_terms": true, "authorize_contact_sharing": true
    });
    let key = format!("buy-{product_id}-{}", rand_suffix());
    let (status, order) =
        decode(client.post(app.url("/orders")).header("Idempotency-Key", key).json(&body).send().await.unwrap()).await;
    assert_eq!(status, StatusCode::CREATED, "{order}");
    let id = order["id"].as_i64().unwrap();
    let (status, paid) = decode(
        client.post(app.url(&format!("/orders/{id}/payment"))).json(&json!({ "method": "card" })).send().await.unwrap(),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{paid}");
    id
}

fn rand_suffix() -> u64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_nanos() as u64
}

/// The buyer's flow of `order_id`.
async fn flow_of(app: &TestApp, client: &Client, order_id: i64) -> Value {
    let (status, page) = app.get_as(client, "/supervision/flows?page_size=50").await;
    assert_eq!(status, StatusCode::OK, "{page}");
    let id =
        page["items"].as_array().unwrap().iter().find(|f| f["order_id"] == order_id).expect("a flow")["id"].clone();
    app.get_as(client, &format!("/supervision/flows/{id}")).await.1
}

/// Sends `command` on the flow at its current version.
async fn act(app: &TestApp, client: &Client, flow_id: i64, command: Value) -> (StatusCode, Value) {
    let (status, flow) = app.get_as(client, &format!("/supervision/flows/{flow_id}")).await;
    assert_eq!(status, StatusCode::OK, "{flow}");
    let version = flow["summary"]["version"].as_u64().unwrap();
    act_at(app, client, flow_id, version, command).await
}

async fn act_at(app: &TestApp, client: &Client, flow_id: i64, version: u64, command: Value) -> (StatusCode, Value) {
    decode(
        client
            .post(app.url(&format!("/supervision/flows/{flow_id}/actions")))
            .header("If-Match", format!("\"{version}\""))
            .json(&command)
            .send()
            .await
            .unwrap(),
    )
    .await
}

async fn advance(app: &TestApp, seconds: i64) {
    app.advance_clock(seconds).await;
}

fn action<'a>(flow: &'a Value, name: &str) -> &'a Value {
    flow["summary"]["actions"].as_array().unwrap().iter().find(|a| a["action"] == name).expect("the action is listed")
}

fn request_values() -> Value {
    json!({ "contact_name": "Lin Wei", "environment": "Production", "details": "Move orders DB to managed PostgreSQL." })
}
