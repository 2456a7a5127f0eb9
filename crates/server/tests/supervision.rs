//! Service supervision over HTTP: every role's actions, the rules at their boundaries (with
//! the demo clock), versions, access, and what flows do to orders and money.

mod common;

use std::time::Duration;

use common::{TestApp, assert_error, decode, spawn_app};
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

#[tokio::test]
async fn a_full_flow_completes_three_hours_after_acceptance_and_the_app_is_then_listed() {
    let app = spawn_app().await;
    let buyer = app.logged_in("lin.wei").await;
    let seller = app.logged_in("sam.okafor").await;
    let order_id = buy(&app, &buyer, 4, 8, "one_off").await;
    let flow = flow_of(&app, &buyer, order_id).await;
    let flow_id = flow["summary"]["id"].as_i64().unwrap();
    assert_eq!(flow["state"]["step"], "awaiting_request");
    assert_eq!(flow["summary"]["viewer"], "buyer");
    assert_eq!(flow["history"][0]["type"], "flow_started");
    assert!(flow["template"].as_array().unwrap().iter().any(|f| f["key"] == "environment"));

    // The template is enforced.
    let (status, error) =
        act(&app, &buyer, flow_id, json!({ "action": "submit_request", "values": { "environment": "Moon" } })).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let fields: Vec<&str> =
        error["field_errors"].as_array().unwrap().iter().map(|e| e["field"].as_str().unwrap()).collect();
    assert_eq!(fields, ["contact_name", "environment", "details"]);
    // Versions: missing is 400, stale is 412.
    let (status, _) = decode(
        buyer
            .post(app.url(&format!("/supervision/flows/{flow_id}/actions")))
            .json(&json!({ "action": "remind" }))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let (status, _) =
        act(&app, &buyer, flow_id, json!({ "action": "submit_request", "values": request_values() })).await;
    assert_eq!(status, StatusCode::OK);
    let (status, error) =
        act_at(&app, &buyer, flow_id, 1, json!({ "action": "submit_request", "values": request_values() })).await;
    assert_eq!(status, StatusCode::PRECONDITION_FAILED);
    assert_error(&error, "precondition_failed");

    // The seller sees it in its console; the buyer cannot act for the seller.
    let (_, seller_list) = app.get_as(&seller, "/supervision/flows").await;
    assert_eq!(seller_list["total"], 1);
    assert_eq!(seller_list["items"][0]["viewer"], "seller");
    assert_eq!(seller_list["items"][0]["buyer_name"], "Lin Wei");
    let (status, error) = act(&app, &buyer, flow_id, json!({ "action": "accept_request" })).await;
    assert_eq!(status, StatusCode::CONFLICT, "{error}");
    assert_error(&error, "rule_violation");

    assert_eq!(
        act(&app, &seller, flow_id, json!({ "action": "accept_request", "note": "Starting Monday" })).await.0,
        StatusCode::OK
    );
    assert_eq!(
        act(&app, &seller, flow_id, json!({ "action": "post_progress", "note": "Schema copied" })).await.0,
        StatusCode::OK
    );
    let (status, error) = act(&app, &seller, flow_id, json!({ "action": "post_progress", "note": "  " })).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(error["field_errors"][0]["field"], "note");
    let started = time::OffsetDateTime::now_utc().replace_nanosecond(0).unwrap();
    let started = started.format(&time::format_description::well_known::Rfc3339).unwrap();
    let (status, delivered) = act(
        &app,
        &seller,
        flow_id,
        json!({ "action": "deliver", "note": "Cut-over done", "service_started_at": started }),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{delivered}");
    assert_eq!(delivered["state"]["step"], "delivery_under_review");

    let (status, accepted) = act(&app, &buyer, flow_id, json!({ "action": "accept_delivery" })).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(accepted["state"]["step"], "accepted");
    let completes_at = accepted["state"]["deadlines"]["completes_at"].as_str().unwrap().to_owned();

    // Two hours and 59 minutes later: still processing, not listed.
    advance(&app, 3 * 3600 - 60).await;
    bazaar_server::supervision::sweep_once(&app.state).await.unwrap();
    let (_, order) = app.get_as(&buyer, &format!("/orders/{order_id}")).await;
    assert_eq!(order["status"], "processing");
    assert_eq!(app.get_as(&buyer, "/purchased-apps").await.1["total"], 0);
    // Past three hours: completed, with nobody acting; the sweeper records it.
    advance(&app, 61).await;
    let flow = app.get_as(&buyer, &format!("/supervision/flows/{flow_id}")).await.1;
    assert_eq!(flow["state"]["step"], "completed", "reads compute completion from the clock");
    assert_eq!(bazaar_server::supervision::sweep_once(&app.state).await.unwrap(), 1);
    let (_, order) = app.get_as(&buyer, &format!("/orders/{order_id}")).await;
    assert_eq!(order["status"], "completed");
    let completed_at = time::OffsetDateTime::parse(
        order["completed_at"].as_str().unwrap(),
        &time::format_description::well_known::Rfc3339,
    )
    .unwrap();
    let expected = time::OffsetDateTime::parse(&completes_at, &time::format_description::well_known::Rfc3339).unwrap();
    assert_eq!(completed_at, expected, "completed exactly three hours after acceptance");
    assert_eq!(app.get_as(&buyer, "/purchased-apps").await.1["total"], 1);
    let flow = app.get_as(&buyer, &format!("/supervision/flows/{flow_id}")).await.1;
    let kinds: Vec<&str> = flow["history"].as_array().unwrap().iter().map(|e| e["type"].as_str().unwrap()).collect();
    assert_eq!(
        kinds,
        [
            "flow_started",
            "request_submitted",
            "request_accepted",
            "progress_updated",
            "delivered",
            "delivery_accepted",
            "completed"
        ]
    );
    assert_eq!(bazaar_server::supervision::sweep_once(&app.state).await.unwrap(), 0, "recorded once");
}

#[tokio::test]
async fn three_rejections_open_the_appeal_which_freezes_the_flow_until_operations_refund() {
    let app = spawn_app().await;
    let buyer = app.logged_in("lin.wei").await;
    let seller = app.logged_in("sam.okafor").await;
    let operations = app.logged_in("zhang.min").await;
    let balance_before =
        app.get_as(&buyer, "/account/payment-options").await.1["balances"][0]["amount_minor"].as_i64().unwrap();
    let order_id = buy(&app, &buyer, 4, 8, "one_off").await;
    let flow_id = flow_of(&app, &buyer, order_id).await["summary"]["id"].as_i64().unwrap();
    for round in 1..=3 {
        assert_eq!(
            act(&app, &buyer, flow_id, json!({ "action": "submit_request", "values": request_values() })).await.0,
            StatusCode::OK
        );
        let (status, flow) = act(
            &app,
            &seller,
            flow_id,
            json!({ "action": "reject_request", "reason": format!("Missing detail {round}") }),
        )
        .await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(flow["state"]["counters"]["request_rejections"], round);
        let buyer_view = app.get_as(&buyer, &format!("/supervision/flows/{flow_id}")).await.1;
        let appeal = action(&buyer_view, "appeal");
        if round < 3 {
            assert_eq!(appeal["blocked"]["code"], "no_grounds", "round {round}");
        } else {
            assert!(appeal["blocked"].is_null(), "the third rejection opens the appeal: {appeal}");
        }
    }
    let (status, error) = act(&app, &buyer, flow_id, json!({ "action": "appeal", "reason": "" })).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{error}");
    let (status, frozen) = act(
        &app,
        &buyer,
        flow_id,
        json!({ "action": "appeal", "reason": "Rejected three times without a reason I can act on" }),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(frozen["state"]["open_appeal"]["by"], "buyer");
    // Frozen: neither side can act.
    let (status, error) =
        act(&app, &buyer, flow_id, json!({ "action": "submit_request", "values": request_values() })).await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert!(error["message"].as_str().unwrap().contains("frozen"), "{error}");
    assert_eq!(act(&app, &seller, flow_id, json!({ "action": "appeal", "reason": "x" })).await.0, StatusCode::CONFLICT);
    // Operations see it in their queue and refund the buyer.
    let (_, queue) = app.get_as(&operations, "/supervision/flows?appeal=open").await;
    assert_eq!(queue["total"], 1);
    assert_eq!(queue["items"][0]["actions"][0]["action"], "resolve_appeal");
    let (status, resolved) = act(
        &app,
        &operations,
        flow_id,
        json!({ "action": "resolve_appeal", "outcome": "refund_buyer", "note": "Seller gave no actionable reasons" }),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{resolved}");
    assert_eq!(resolved["state"]["step"], "cancelled");
    let (_, order) = app.get_as(&buyer, &format!("/orders/{order_id}")).await;
    assert_eq!(order["status"], "cancelled");
    assert_eq!(order["cancel_reason"]["code"], "appeal_refunded");
    assert!(order["payment"]["refunded_at"].is_string());
    // The card was refunded; the balance never moved.
    let refunds: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM ledger_entries WHERE kind = 'refund' AND order_id = ?")
        .bind(order_id)
        .fetch_one(&app.state.db)
        .await
        .unwrap();
    assert_eq!(refunds, 1);
    let balance_after =
        app.get_as(&buyer, "/account/payment-options").await.1["balances"][0]["amount_minor"].as_i64().unwrap();
    assert_eq!(balance_before, balance_after);
    assert_eq!(
        act(&app, &operations, flow_id, json!({ "action": "resolve_appeal", "outcome": "resume", "note": "again" }))
            .await
            .0,
        StatusCode::CONFLICT
    );
}

#[tokio::test]
async fn five_idle_days_open_the_appeal_to_the_second_and_resume_restarts_the_clock() {
    let app = spawn_app().await;
    let buyer = app.logged_in("lin.wei").await;
    let operations = app.logged_in("zhang.min").await;
    let order_id = buy(&app, &buyer, 4, 8, "one_off").await;
    let flow_id = flow_of(&app, &buyer, order_id).await["summary"]["id"].as_i64().unwrap();
    let (_, submitted) =
        act(&app, &buyer, flow_id, json!({ "action": "submit_request", "values": request_values() })).await;
    let allowed_at = submitted["state"]["deadlines"]["idle_appeal_at"].as_str().unwrap().to_owned();
    let blocked = action(&submitted, "appeal")["blocked"].clone();
    assert_eq!(blocked["code"], "not_idle_long_enough");
    assert_eq!(blocked["allowed_at"], allowed_at.as_str());
    // Remind works once on the seller's turn, then not again for a day.
    assert_eq!(act(&app, &buyer, flow_id, json!({ "action": "remind" })).await.0, StatusCode::OK);
    let (status, error) = act(&app, &buyer, flow_id, json!({ "action": "remind" })).await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert!(error["message"].as_str().unwrap().contains("remind the seller again"));

    advance(&app, 5 * 86_400 - 5).await;
    let (status, _) = act(&app, &buyer, flow_id, json!({ "action": "appeal", "reason": "No answer" })).await;
    assert_eq!(status, StatusCode::CONFLICT, "not yet more than five days");
    advance(&app, 10).await;
    let (status, appealed) =
        act(&app, &buyer, flow_id, json!({ "action": "appeal", "reason": "No answer for five days" })).await;
    assert_eq!(status, StatusCode::OK, "{appealed}");
    let (status, resumed) = act(
        &app,
        &operations,
        flow_id,
        json!({ "action": "resolve_appeal", "outcome": "resume", "note": "Seller contacted; continue" }),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert!(resumed["state"]["open_appeal"].is_null());
    assert_eq!(resumed["state"]["step"], "request_under_review");
    let buyer_view = app.get_as(&buyer, &format!("/supervision/flows/{flow_id}")).await.1;
    assert_eq!(action(&buyer_view, "appeal")["blocked"]["code"], "not_idle_long_enough", "the idle clock restarted");
}

#[tokio::test]
async fn the_seller_may_appeal_when_the_buyer_idles_and_licences_start_with_the_seller() {
    let app = spawn_app().await;
    let buyer = app.logged_in("lin.wei").await;
    let seller = app.logged_in("ivy.tan").await;
    // BluePeak's supervised licence: the seller's turn from the start.
    let order_id = buy(&app, &buyer, 5, 10, "one_off").await;
    let flow = flow_of(&app, &buyer, order_id).await;
    let flow_id = flow["summary"]["id"].as_i64().unwrap();
    assert_eq!(flow["state"]["step"], "in_service");
    assert_eq!(
        act(&app, &buyer, flow_id, json!({ "action": "submit_request", "values": {} })).await.0,
        StatusCode::CONFLICT
    );
    let now = time::OffsetDateTime::now_utc().replace_nanosecond(0).unwrap();
    let now = now.format(&time::format_description::well_known::Rfc3339).unwrap();
    assert_eq!(
        act(
            &app,
            &seller,
            flow_id,
            json!({ "action": "deliver", "note": "Licence keys sent", "service_started_at": now })
        )
        .await
        .0,
        StatusCode::OK
    );
    advance(&app, 5 * 86_400 + 2).await;
    let (status, appealed) =
        act(&app, &seller, flow_id, json!({ "action": "appeal", "reason": "The buyer does not confirm" })).await;
    assert_eq!(status, StatusCode::OK, "{appealed}");
    assert_eq!(appealed["state"]["open_appeal"]["by"], "seller");
}

#[tokio::test]
async fn no_appeal_within_fifteen_days_of_planned_completion() {
    let app = spawn_app().await;
    let buyer = app.logged_in("lin.wei").await;
    // Northwind SQL Audit Console: a 20-day service period, so appeals close after 5 days.
    let order_id = buy(&app, &buyer, 8, 15, "yearly_monthly").await;
    let flow = flow_of(&app, &buyer, order_id).await;
    let flow_id = flow["summary"]["id"].as_i64().unwrap();
    assert!(flow["application"]["frontend_url"].is_string() || flow["application"].is_null());
    act(&app, &buyer, flow_id, json!({ "action": "submit_request", "values": { "company_name": "Lin Co", "admin_email": "ops@lin.example", "details": "Audit our PostgreSQL." } })).await;
    advance(&app, 6 * 86_400).await;
    let view = app.get_as(&buyer, &format!("/supervision/flows/{flow_id}")).await.1;
    assert_eq!(action(&view, "appeal")["blocked"]["code"], "appeal_window_closed", "{view}");
    let (status, error) = act(&app, &buyer, flow_id, json!({ "action": "appeal", "reason": "Seller idle" })).await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert!(error["message"].as_str().unwrap().contains("15 days"));
}

#[tokio::test]
async fn flows_are_visible_only_to_their_buyer_their_seller_and_operations() {
    let app = spawn_app().await;
    let buyer = app.logged_in("lin.wei").await;
    let order_id = buy(&app, &buyer, 4, 8, "one_off").await;
    let flow_id = flow_of(&app, &buyer, order_id).await["summary"]["id"].as_i64().unwrap();
    for username in ["maria.santos", "ivy.tan", "chen.jie"] {
        let client = app.logged_in(username).await;
        let (status, body) = app.get_as(&client, &format!("/supervision/flows/{flow_id}")).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{username}");
        assert_error(&body, "not_found");
        assert_eq!(
            act_at(&app, &client, flow_id, 1, json!({ "action": "accept_request" })).await.0,
            StatusCode::NOT_FOUND,
            "{username}"
        );
        assert_eq!(app.get_as(&client, "/supervision/flows").await.1["total"], 0, "{username}");
    }
    assert_eq!(app.get_as(&app.other_client(), "/supervision/flows").await.0, StatusCode::UNAUTHORIZED);
    let operations = app.logged_in("zhang.min").await;
    assert_eq!(app.get_as(&operations, &format!("/supervision/flows/{flow_id}")).await.0, StatusCode::OK);
}

#[tokio::test]
async fn two_concurrent_actions_on_one_version_record_one() {
    let app = spawn_app().await;
    let buyer = app.logged_in("lin.wei").await;
    let order_id = buy(&app, &buyer, 4, 8, "one_off").await;
    let flow_id = flow_of(&app, &buyer, order_id).await["summary"]["id"].as_i64().unwrap();
    let submit = || act_at(&app, &buyer, flow_id, 1, json!({ "action": "submit_request", "values": request_values() }));
    let (first, second) = tokio::join!(submit(), submit());
    let mut statuses = [first.0, second.0];
    statuses.sort();
    assert_eq!(statuses, [StatusCode::OK, StatusCode::PRECONDITION_FAILED]);
    let events: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM supervision_events WHERE flow_id = ?")
        .bind(flow_id)
        .fetch_one(&app.state.db)
        .await
        .unwrap();
    assert_eq!(events, 2);
}

#[tokio::test]
async fn sellers_edit_their_templates_and_buyers_fill_them() {
    let app = spawn_app().await;
    let seller = app.logged_in("sam.okafor").await;
    let other_seller = app.logged_in("ivy.tan").await;
    let template = json!([
        { "key": "repo_url", "label": "Repository URL", "kind": { "type": "text", "max_chars": 200 }, "required": true, "hint": null },
        { "key": "seats", "label": "Seats", "kind": { "type": "number", "min": 1, "max": 50 }, "required": false, "hint": null }
    ]);
    let (status, _) =
        decode(seller.put(app.url("/supervision/templates/4")).json(&template).send().await.unwrap()).await;
    assert_eq!(status, StatusCode::OK);
    let (status, _) =
        decode(other_seller.put(app.url("/supervision/templates/4")).json(&template).send().await.unwrap()).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "not its product");
    let bad = json!([{ "key": "Bad Key", "label": "", "kind": { "type": "date" }, "required": true, "hint": null }]);
    let (status, error) =
        decode(seller.put(app.url("/supervision/templates/4")).json(&bad).send().await.unwrap()).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{error}");
    let no_choices = json!([{ "key": "window", "label": "Window", "kind": { "type": "choice", "options": [] }, "required": true, "hint": null }]);
    let (status, error) =
        decode(seller.put(app.url("/supervision/templates/4")).json(&no_choices).send().await.unwrap()).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{error}");
    assert_eq!(error["field_errors"][0]["field"], "fields[0].options");
    let (_, saved) = decode(seller.get(app.url("/supervision/templates/4")).send().await.unwrap()).await;
    assert_eq!(saved, template, "a refused template changes nothing");

    let buyer = app.logged_in("lin.wei").await;
    let order_id = buy(&app, &buyer, 4, 8, "one_off").await;
    let flow = flow_of(&app, &buyer, order_id).await;
    assert_eq!(flow["template"][0]["key"], "repo_url");
    let flow_id = flow["summary"]["id"].as_i64().unwrap();
    let (status, error) =
        act(&app, &buyer, flow_id, json!({ "action": "submit_request", "values": { "seats": "99" } })).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(error["field_errors"].as_array().unwrap().len(), 2);
    let (status, _) = act(
        &app,
        &buyer,
        flow_id,
        json!({ "action": "submit_request", "values": { "repo_url": "https://git.example/lin", "seats": "5" } }),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    tokio::time::sleep(Duration::from_millis(1)).await;
}
