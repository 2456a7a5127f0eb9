//! After the purchase: terms that start at payment, unpaid orders, phases and renewals.

mod messages;
mod notices;
mod outage;
mod phases;
mod renewal_counts;
mod renewals;
mod terms;
mod unpaid;
mod unsubscription;

use reqwest::{Client, StatusCode};
use serde_json::{Value, json};
use time::OffsetDateTime;

use crate::common::{TestApp, decode};
use bazaar_server::infra::db;

/// A one-month Northwind CRM Cloud order.
pub fn crm_month() -> Value {
    json!({
        "product_id": 1,
        "configuration": { "sku_id": 1, "billing_mode": "yearly_monthly", "duration_months": 1, "quantity": 1, "region": "cn-north-4" },
        "accept_terms": true, "authorize_contact_sharing": true
    })
}

pub async fn place(app: &TestApp, client: &Client, key: &str, body: &Value) -> (StatusCode, Value) {
    decode(client.post(app.url("/orders")).header("Idempotency-Key", key).json(body).send().await.unwrap()).await
}

pub async fn pay(app: &TestApp, client: &Client, order_id: i64, method: &str) -> (StatusCode, Value) {
    decode(
        client
            .post(app.url(&format!("/orders/{order_id}/payment")))
            .json(&json!({ "method": method }))
            .send()
            .await
            .unwrap(),
    )
    .await
}

pub fn instant(value: &Value) -> OffsetDateTime {
    OffsetDateTime::parse(
        value.as_str().unwrap_or_else(|| panic!("a time: {value}")),
        &time::format_description::well_known::Rfc3339,
    )
    .unwrap()
}

/// When the order's payment was confirmed (`orders.paid_at`; reseller orders have no
/// payment record to show it).
pub async fn paid_at(app: &TestApp, order_id: i64) -> OffsetDateTime {
    let seconds: i64 = db::query_scalar("SELECT paid_at FROM orders WHERE id = $1")
        .bind(order_id)
        .fetch_one(&app.state.db)
        .await
        .unwrap();
    OffsetDateTime::from_unix_timestamp(seconds).unwrap()
}
