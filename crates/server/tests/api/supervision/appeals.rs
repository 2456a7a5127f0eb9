//! Appeals: their grounds to the second, the 15-day window, freezing and resolution.

use super::*;
use bazaar_server::infra::db;

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
    let refunds: i64 = db::query_scalar("SELECT COUNT(*) FROM ledger_entries WHERE kind = 'refund' AND order_id = $1")
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
