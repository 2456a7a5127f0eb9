//! The demo clock: available in demo mode only, moved by operations staff only, forward
//! only, at most two years ahead, and it survives a restart.

use crate::common::{assert_error, spawn_app, spawn_app_with};
use bazaar_server::infra::db;
use reqwest::StatusCode;
use serde_json::json;

#[tokio::test]
async fn demo_mode_moves_the_clock_forward() {
    let app = spawn_app().await;
    app.log_in("zhang.min").await;
    let (status, before) = app.get_json("/demo/clock").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(before["offset_seconds"], 0);

    let (status, after) = app.post_json("/demo/clock", &json!({ "seconds": 5 * 86_400 })).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(after["offset_seconds"], 5 * 86_400);
    let before =
        time::OffsetDateTime::parse(before["now"].as_str().unwrap(), &time::format_description::well_known::Rfc3339)
            .unwrap();
    let after =
        time::OffsetDateTime::parse(after["now"].as_str().unwrap(), &time::format_description::well_known::Rfc3339)
            .unwrap();
    assert!(after - before >= time::Duration::days(5));
    assert_eq!(app.state.clock.offset_seconds(), 5 * 86_400);

    let stored: i64 = db::query_scalar("SELECT offset_seconds FROM demo_clock").fetch_one(&app.state.db).await.unwrap();
    assert_eq!(stored, 5 * 86_400, "the offset is persisted for restarts");
}

#[tokio::test]
async fn the_clock_never_goes_back_or_jumps_too_far() {
    let app = spawn_app().await;
    app.log_in("zhang.min").await;
    for seconds in [0, -60, 400 * 86_400 + 1, i64::MAX] {
        let (status, body) = app.post_json("/demo/clock", &json!({ "seconds": seconds })).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{seconds}");
        assert_error(&body, "validation_failed");
        assert_eq!(body["field_errors"][0]["field"], "seconds");
    }
}

#[tokio::test]
async fn only_operations_staff_move_the_clock() {
    let app = spawn_app().await;
    let (status, body) = app.post_json("/demo/clock", &json!({ "seconds": 60 })).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "anonymous: {body}");
    for username in ["lin.wei", "chen.jie", "sam.okafor"] {
        let client = app.logged_in(username).await;
        let response = client.post(app.url("/demo/clock")).json(&json!({ "seconds": 60 })).send().await.unwrap();
        assert_eq!(response.status(), StatusCode::FORBIDDEN, "{username}");
    }
    assert_eq!(app.state.clock.offset_seconds(), 0);
    // Anyone may read it (the SPA's countdowns use the server's time).
    assert_eq!(app.get_json("/demo/clock").await.0, StatusCode::OK);
}

#[tokio::test]
async fn the_total_offset_is_capped_at_two_years() {
    let app = spawn_app().await;
    app.log_in("zhang.min").await;
    let year = 366 * 86_400;
    assert_eq!(app.post_json("/demo/clock", &json!({ "seconds": year })).await.0, StatusCode::OK);
    assert_eq!(app.post_json("/demo/clock", &json!({ "seconds": year })).await.0, StatusCode::OK);
    let (status, body) = app.post_json("/demo/clock", &json!({ "seconds": 1 })).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(app.state.clock.offset_seconds(), 2 * year);
    // Thousands of anonymous requests used to add up until every request panicked.
    assert!(app.get_json("/products?page_size=1").await.0.is_success());
}

#[tokio::test]
async fn the_server_starts_on_a_database_holding_any_offset() {
    let app = spawn_app().await;
    db::query("INSERT INTO demo_clock (id, offset_seconds) VALUES (1, $1) ON CONFLICT (id) DO UPDATE SET offset_seconds = excluded.offset_seconds")
        .bind(i64::MAX)
        .execute(&app.state.db)
        .await
        .unwrap();
    let restarted = app.restart_with(|_| {}).await;
    assert_eq!(restarted.state.clock.offset_seconds(), bazaar_server::infra::clock::MAX_OFFSET_SECONDS);
    let (status, _) = restarted.get_json("/demo/clock").await;
    assert_eq!(status, StatusCode::OK);
    assert!(restarted.get_json("/products?page_size=1").await.0.is_success());
}

#[tokio::test]
async fn the_demo_clock_is_absent_outside_demo_mode() {
    let app = spawn_app_with(|config| {
        config.demo = false;
        config.secret_key = Some(bazaar_server::config::SecretText::new("11".repeat(32)));
    })
    .await;
    let (status, body) = app.get_json("/demo/clock").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_error(&body, "not_found");
    let (status, _) = app.post_json("/demo/clock", &json!({ "seconds": 60 })).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(app.state.clock.offset_seconds(), 0);
    // The built-in demo seller is absent too: with a seller 1 in the database, the routed
    // endpoint would answer 401 to an unsigned request (as it does in demo mode).
    db::query(
        "INSERT INTO sellers (id, name, email, phone, support_hours, provisioning_key, created_at)
         VALUES (1, 'S', 's@example.com', '1', 'always', '', 0)",
    )
    .execute(&app.state.db)
    .await
    .unwrap();
    let (status, _) = app.post_json("/demo/sellers/1/provision", &json!({})).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let demo = spawn_app().await;
    let (status, _) = demo.post_json("/demo/sellers/1/provision", &json!({})).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "routed in demo mode");
}
