//! A flow from request to completion, visibility, concurrency and templates.

use super::*;
use bazaar_server::infra::db;

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

    submit_the_request(&app, &buyer, &seller, flow_id).await;
    let completes_at = serve_and_deliver(&app, &buyer, &seller, flow_id).await;
    completes_by_the_clock(&app, &buyer, order_id, flow_id, &completes_at).await;
    // Each side was told when it was its turn; the buyer also that the flow completed.
    let topics = |page: serde_json::Value| -> Vec<String> {
        page["items"].as_array().unwrap().iter().rev().map(|m| m["topic"].as_str().unwrap().to_owned()).collect()
    };
    let seller_topics = topics(app.get_as(&seller, "/messages?group=supervision").await.1);
    assert_eq!(seller_topics, ["flow_your_turn"], "the request arrived");
    let buyer_page = app.get_as(&buyer, "/messages?group=supervision").await.1;
    assert_eq!(
        topics(buyer_page.clone()),
        ["flow_your_turn", "flow_completed"],
        "the delivery to review, then completion"
    );
    // The completion message keeps the time the flow completed, not when the sweeper woke.
    assert_eq!(buyer_page["items"][0]["due_at"], completes_at.as_str(), "{buyer_page}");
    assert_ne!(buyer_page["items"][0]["created_at"], completes_at.as_str());
}

/// The template and versions are enforced; the seller sees the request; the buyer cannot
/// act for the seller, and the refusal names its rule.
async fn submit_the_request(app: &TestApp, buyer: &Client, seller: &Client, flow_id: i64) {
    // The template is enforced.
    let (status, error) =
        act(app, buyer, flow_id, json!({ "action": "submit_request", "values": { "environment": "Moon" } })).await;
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
    let (status, _) = act(app, buyer, flow_id, json!({ "action": "submit_request", "values": request_values() })).await;
    assert_eq!(status, StatusCode::OK);
    let (status, error) =
        act_at(app, buyer, flow_id, 1, json!({ "action": "submit_request", "values": request_values() })).await;
    assert_eq!(status, StatusCode::PRECONDITION_FAILED);
    assert_error(&error, "precondition_failed");

    // The seller sees it in its console; the buyer cannot act for the seller.
    let (_, seller_list) = app.get_as(seller, "/supervision/flows").await;
    assert_eq!(seller_list["total"], 1);
    assert_eq!(seller_list["items"][0]["viewer"], "seller");
    assert_eq!(seller_list["items"][0]["buyer_name"], "Lin Wei");
    let (status, error) = act(app, buyer, flow_id, json!({ "action": "accept_request" })).await;
    assert_eq!(status, StatusCode::CONFLICT, "{error}");
    assert_error(&error, "rule_violation");
    // The refusal names its rule, so clients can explain it in their own language.
    assert_eq!(error["details"], json!({ "kind": "blocked", "blocked": { "code": "wrong_step" } }), "{error}");
}

/// The seller accepts, posts progress and delivers; the buyer accepts the delivery. The
/// time the flow completes on its own.
async fn serve_and_deliver(app: &TestApp, buyer: &Client, seller: &Client, flow_id: i64) -> String {
    assert_eq!(
        act(app, seller, flow_id, json!({ "action": "accept_request", "note": "Starting Monday" })).await.0,
        StatusCode::OK
    );
    assert_eq!(
        act(app, seller, flow_id, json!({ "action": "post_progress", "note": "Schema copied" })).await.0,
        StatusCode::OK
    );
    let (status, error) = act(app, seller, flow_id, json!({ "action": "post_progress", "note": "  " })).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(error["field_errors"][0]["field"], "note");
    let started = time::OffsetDateTime::now_utc().replace_nanosecond(0).unwrap();
    let started = started.format(&time::format_description::well_known::Rfc3339).unwrap();
    let (status, delivered) = act(
        app,
        seller,
        flow_id,
        json!({ "action": "deliver", "note": "Cut-over done", "service_started_at": started }),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{delivered}");
    assert_eq!(delivered["state"]["step"], "delivery_under_review");

    let (status, accepted) = act(app, buyer, flow_id, json!({ "action": "accept_delivery" })).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(accepted["state"]["step"], "accepted");
    accepted["state"]["deadlines"]["completes_at"].as_str().unwrap().to_owned()
}

/// Three hours after acceptance the flow completes with nobody acting, recorded once by a
/// sweeper that was down, and the app is listed.
async fn completes_by_the_clock(app: &TestApp, buyer: &Client, order_id: i64, flow_id: i64, completes_at: &str) {
    // Two hours and 59 minutes later: still processing, not listed.
    advance(app, 3 * 3600 - 60).await;
    bazaar_server::domain::supervision::sweep_once(&app.state).await.unwrap();
    let (_, order) = app.get_as(buyer, &format!("/orders/{order_id}")).await;
    assert_eq!(order["status"], "processing");
    assert_eq!(app.get_as(buyer, "/purchased-apps").await.1["total"], 0);
    // Past three hours: completed, with nobody acting; the sweeper records it — here a
    // sweeper that was down for ten days, which records it with its own time all the same.
    advance(app, 61 + 10 * 86_400).await;
    let flow = app.get_as(buyer, &format!("/supervision/flows/{flow_id}")).await.1;
    assert_eq!(flow["state"]["step"], "completed", "reads compute completion from the clock");
    assert_eq!(bazaar_server::domain::supervision::sweep_once(&app.state).await.unwrap(), 1);
    let (_, order) = app.get_as(buyer, &format!("/orders/{order_id}")).await;
    assert_eq!(order["status"], "completed");
    let completed_at = time::OffsetDateTime::parse(
        order["completed_at"].as_str().unwrap(),
        &time::format_description::well_known::Rfc3339,
    )
    .unwrap();
    let expected = time::OffsetDateTime::parse(completes_at, &time::format_description::well_known::Rfc3339).unwrap();
    assert_eq!(completed_at, expected, "completed exactly three hours after acceptance");
    assert_eq!(app.get_as(buyer, "/purchased-apps").await.1["total"], 1);
    let flow = app.get_as(buyer, &format!("/supervision/flows/{flow_id}")).await.1;
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
    assert_eq!(bazaar_server::domain::supervision::sweep_once(&app.state).await.unwrap(), 0, "recorded once");
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
    let events: i64 = db::query_scalar("SELECT COUNT(*) FROM supervision_events WHERE flow_id = $1")
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
