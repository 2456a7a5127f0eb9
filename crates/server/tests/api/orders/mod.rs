//! Checkout, payment, provisioning and My Orders, against a real server and database.

mod checkout;
mod fulfilment;
mod instances;

use std::time::Duration;

use crate::common::{TestApp, assert_error, decode, spawn_app, spawn_app_with};
use bazaar_server::infra::db;
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
    db::query_scalar(sql).fetch_one(&app.state.db).await.unwrap()
}

/// Runs futures concurrently on this task (no extra dependency for `join_all`).
pub(crate) async fn futures_join_all<F: std::future::Future>(futures: impl Iterator<Item = F>) -> Vec<F::Output> {
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
