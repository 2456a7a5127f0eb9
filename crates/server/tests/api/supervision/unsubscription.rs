//! Negotiated unsubscription on a supervised flow: the buyer asks, the seller proposes or
//! declines, the buyer accepts, or operations decide on appeal — and the money follows.

use bazaar_server::domain::verify::verify;
use reqwest::StatusCode;
use serde_json::json;

use super::{act, act_at, buy, flow_of};
use crate::common::{assert_error, spawn_app};
use bazaar_server::infra::db;

async fn ledger_refunds(app: &crate::common::TestApp, order_id: i64) -> i64 {
    db::query_scalar(
        "SELECT CAST(COALESCE(SUM(amount_minor), 0) AS BIGINT) FROM ledger_entries WHERE order_id = $1 AND kind = 'refund'",
    )
    .bind(order_id)
    .fetch_one(&app.state.db)
    .await
    .unwrap()
}

#[tokio::test]
async fn the_buyer_takes_the_sellers_offer_and_gets_exactly_that_back() {
    let app = spawn_app().await;
    let buyer = app.logged_in("lin.wei").await;
    let seller = app.logged_in("sam.okafor").await;
    let order_id = buy(&app, &buyer, 4, 8, "one_off").await;
    let paid = app.get_as(&buyer, &format!("/orders/{order_id}")).await.1["payment"]["amount"]["amount_minor"]
        .as_i64()
        .unwrap();
    let flow_id = flow_of(&app, &buyer, order_id).await["summary"]["id"].as_i64().unwrap();
    // Before anything is asked, there is nothing to offer; and the quote says "negotiated".
    let (status, error) = act(
        &app,
        &seller,
        flow_id,
        json!({ "action": "propose_refund", "amount": { "amount_minor": 1, "currency": "CNY" } }),
    )
    .await;
    assert_eq!(status, StatusCode::CONFLICT, "{error}");
    assert_eq!(error["details"]["blocked"]["code"], "no_unsubscription_asked", "{error}");
    let (_, quote) = app.get_as(&buyer, &format!("/purchased-apps/{order_id}/unsubscription-quote")).await;
    assert_eq!(quote["rule"], "negotiated", "{quote}");

    let (status, flow) =
        act(&app, &buyer, flow_id, json!({ "action": "ask_unsubscription", "reason": "We chose another vendor." }))
            .await;
    assert_eq!(status, StatusCode::OK, "{flow}");
    assert_eq!(flow["state"]["unsubscription"]["stage"], "asked");
    // More than was paid, a negative amount, or another seller: refused, nothing changes.
    for amount in [paid + 1, -1] {
        let (status, error) = act(
            &app,
            &seller,
            flow_id,
            json!({ "action": "propose_refund", "amount": { "amount_minor": amount, "currency": "CNY" } }),
        )
        .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{error}");
        assert_eq!(error["field_errors"][0]["field"], "amount");
    }
    let stranger = app.logged_in("ivy.tan").await;
    let version = flow["summary"]["version"].as_u64().unwrap();
    let (status, _) =
        act_at(&app, &stranger, flow_id, version, json!({ "action": "decline_unsubscription", "reason": "x" })).await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    let offer = paid / 2;
    let (status, flow) = act(
        &app,
        &seller,
        flow_id,
        json!({ "action": "propose_refund", "amount": { "amount_minor": offer, "currency": "CNY" }, "note": "Half: the set-up is done." }),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{flow}");
    let (status, flow) = act(&app, &buyer, flow_id, json!({ "action": "accept_proposal" })).await;
    assert_eq!(status, StatusCode::OK, "{flow}");
    assert_eq!(flow["state"]["step"], "cancelled");

    let (_, order) = app.get_as(&buyer, &format!("/orders/{order_id}")).await;
    assert_eq!(order["status"], "cancelled");
    assert_eq!(order["cancel_reason"]["code"], "unsubscribed_by_agreement");
    assert_eq!(order["unsubscription"]["refund"]["amount_minor"], offer);
    assert_eq!(order["unsubscription"]["rule"], "negotiated");
    assert_eq!(ledger_refunds(&app, order_id).await, offer);
    let notices: i64 = db::query_scalar("SELECT COUNT(*) FROM seller_notices WHERE kind = 'unsubscribed'")
        .fetch_one(&app.state.db)
        .await
        .unwrap();
    assert_eq!(notices, 1);
    assert!(verify(&app.state.db).await.unwrap().is_clean());
}

#[tokio::test]
async fn a_declined_request_is_appealed_and_operations_decide_the_refund() {
    let app = spawn_app().await;
    let buyer = app.logged_in("lin.wei").await;
    let seller = app.logged_in("sam.okafor").await;
    let operations = app.logged_in("zhang.min").await;
    let order_id = buy(&app, &buyer, 4, 8, "one_off").await;
    let flow_id = flow_of(&app, &buyer, order_id).await["summary"]["id"].as_i64().unwrap();
    act(&app, &buyer, flow_id, json!({ "action": "ask_unsubscription", "reason": "Not needed any more." })).await;
    let (status, _) =
        act(&app, &seller, flow_id, json!({ "action": "decline_unsubscription", "reason": "Work has started." })).await;
    assert_eq!(status, StatusCode::OK);
    let (status, flow) =
        act(&app, &buyer, flow_id, json!({ "action": "appeal", "reason": "Nothing was delivered." })).await;
    assert_eq!(status, StatusCode::OK, "{flow}");
    let (status, error) = act(
        &app,
        &operations,
        flow_id,
        json!({ "action": "decide_unsubscription", "amount": { "amount_minor": 1_000, "currency": "USD" }, "note": "x" }),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_error(&error, "validation_failed");
    let (status, flow) = act(
        &app,
        &operations,
        flow_id,
        json!({ "action": "decide_unsubscription", "amount": { "amount_minor": 1_000, "currency": "CNY" }, "note": "Set-up only." }),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{flow}");
    assert_eq!(flow["state"]["step"], "cancelled");
    assert_eq!(ledger_refunds(&app, order_id).await, 1_000);
    assert!(verify(&app.state.db).await.unwrap().is_clean());
}
