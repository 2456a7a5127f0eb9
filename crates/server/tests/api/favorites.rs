//! My Favorites: saved products belong to one account and keep the configuration they were
//! saved with.

use crate::common::{assert_error, decode, spawn_app};
use reqwest::StatusCode;
use serde_json::{Value, json};

#[tokio::test]
async fn favourites_need_a_login_and_belong_to_one_account() {
    let app = spawn_app().await;
    let (status, body) = app.get_json("/favorites").await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_error(&body, "unauthenticated");
    let response = app.client.put(app.url("/favorites/1")).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);

    app.log_in("lin.wei").await;
    for _ in 0..2 {
        let response = app.client.put(app.url("/favorites/3")).send().await.unwrap();
        assert_eq!(response.status(), StatusCode::OK, "saving twice is harmless");
    }
    let response = app.client.put(app.url("/favorites/2")).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let (_, list) = app.get_json("/favorites").await;
    let saved: Vec<i64> = list.as_array().unwrap().iter().map(|f| f["product"]["id"].as_i64().unwrap()).collect();
    assert_eq!(saved.len(), 2);
    assert!(saved.contains(&2) && saved.contains(&3));
    let (_, detail) = app.get_json("/products/3").await;
    assert_eq!(detail["favorite"], true);

    // Another buyer has their own, empty list and cannot see or remove Lin's.
    let other = app.other_client();
    assert_eq!(app.log_in_as(&other, "maria.santos").await.status(), StatusCode::OK);
    let list: Value = other.get(app.url("/favorites")).send().await.unwrap().json().await.unwrap();
    assert!(list.as_array().unwrap().is_empty());
    let detail: Value = other.get(app.url("/products/3")).send().await.unwrap().json().await.unwrap();
    assert_eq!(detail["favorite"], false);
    assert_eq!(other.delete(app.url("/favorites/3")).send().await.unwrap().status(), StatusCode::NO_CONTENT);
    let (_, list) = app.get_json("/favorites").await;
    assert_eq!(list.as_array().unwrap().len(), 2, "Maria's delete did not touch Lin's list");

    assert_eq!(app.client.delete(app.url("/favorites/3")).send().await.unwrap().status(), StatusCode::NO_CONTENT);
    let (_, list) = app.get_json("/favorites").await;
    assert_eq!(list.as_array().unwrap().len(), 1);
    let response = app.client.put(app.url("/favorites/99999999")).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_favourite_keeps_the_configuration_it_was_saved_with() {
    let app = spawn_app().await;
    app.log_in("lin.wei").await;
    let put = |body: Option<Value>| {
        let request = app.client.put(app.url("/favorites/3"));
        let request = match body {
            Some(body) => request.json(&body),
            None => request,
        };
        async move { decode(request.send().await.expect("request sent")).await }
    };
    let chosen = json!({"sku_id": 7, "billing_mode": "yearly_monthly", "duration_months": 12, "quantity": 2, "region": "cn-east-3"});
    let (status, saved) = put(Some(json!({ "configuration": chosen }))).await;
    assert_eq!(status, StatusCode::OK, "{saved}");
    assert_eq!(saved["configuration"], chosen);
    let (_, list) = app.get_json("/favorites").await;
    assert_eq!(list[0]["configuration"], chosen);

    // Saving again without a body keeps it; with another configuration replaces it.
    let (_, again) = put(None).await;
    assert_eq!(again["configuration"], chosen);
    let (status, again) = put(Some(Value::Null)).await;
    assert_eq!(status, StatusCode::OK, "a JSON null is no configuration too");
    assert_eq!(again["configuration"], chosen);
    assert_eq!(again["saved_at"], saved["saved_at"]);
    let hourly = json!({"sku_id": 6, "billing_mode": "pay_per_use", "duration_months": null, "quantity": 1, "region": "cn-north-4"});
    let (_, replaced) = put(Some(json!({ "configuration": hourly }))).await;
    assert_eq!(replaced["configuration"], hourly);

    // A configuration the product does not offer is refused, field by field, and changes nothing.
    let elsewhere = json!({"sku_id": 7, "billing_mode": "yearly_monthly", "duration_months": 12, "quantity": 2, "region": "mars-1"});
    let (status, body) = put(Some(json!({ "configuration": elsewhere }))).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_error(&body, "validation_failed");
    assert!(
        body["field_errors"].as_array().unwrap().iter().any(|error| error["field"] == "configuration.region"),
        "{body}"
    );
    let foreign_sku = json!({"sku_id": 1, "billing_mode": "yearly_monthly", "duration_months": 1, "quantity": 1, "region": "cn-north-4"});
    let (status, _) = put(Some(json!({ "configuration": foreign_sku }))).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "another product's SKU");
    let (_, list) = app.get_json("/favorites").await;
    assert_eq!(list[0]["configuration"], hourly);

    // A product saved with no body has no configuration: Buy opens its defaults.
    let (status, plain) = decode(app.client.put(app.url("/favorites/2")).send().await.unwrap()).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(plain["configuration"], Value::Null);
}
