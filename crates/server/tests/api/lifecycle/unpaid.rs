//! An unpaid order lives 7 days; then the sweeper cancels it, once.

use bazaar_server::domain::lifecycle::sweep_once;
use reqwest::StatusCode;

use super::{crm_month, pay, place};
use crate::common::{assert_error, spawn_app};
use bazaar_server::infra::db;

const SEVEN_DAYS: i64 = 7 * 86_400;

#[tokio::test]
async fn an_unpaid_order_is_cancelled_at_seven_days_not_a_second_before_and_only_once() {
    let app = spawn_app().await;
    app.state.clock.freeze();
    let lin = app.logged_in("lin.wei").await;
    let (_, order) = place(&app, &lin, "late", &crm_month()).await;
    let id = order["id"].as_i64().unwrap();
    app.advance_clock(SEVEN_DAYS - 1).await;
    assert_eq!(sweep_once(&app.state).await.unwrap().unpaid_cancelled, 0);
    let (_, still) = app.get_as(&lin, &format!("/orders/{id}")).await;
    assert_eq!(still["status"], "pending_payment");

    app.advance_clock(1).await;
    // Two sweeps at once (two instances, or a restart mid-sweep): one cancellation.
    let (first, second) = tokio::join!(sweep_once(&app.state), sweep_once(&app.state));
    assert_eq!(first.unwrap().unpaid_cancelled + second.unwrap().unpaid_cancelled, 1);
    assert_eq!(sweep_once(&app.state).await.unwrap().unpaid_cancelled, 0);
    let (_, cancelled) = app.get_as(&lin, &format!("/orders/{id}")).await;
    assert_eq!(cancelled["status"], "cancelled");
    assert_eq!(cancelled["cancel_reason"]["code"], "not_paid_in_time", "{cancelled}");
    let (status, refused) = pay(&app, &lin, id, "card").await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert_error(&refused, "conflict");
    let payments: i64 = db::query_scalar("SELECT COUNT(*) FROM payments WHERE order_id = $1")
        .bind(id)
        .fetch_one(&app.state.db)
        .await
        .unwrap();
    assert_eq!(payments, 0);
}

#[tokio::test]
async fn paying_after_the_deadline_is_refused_even_before_the_sweeper_comes() {
    let app = spawn_app().await;
    app.state.clock.freeze();
    let lin = app.logged_in("lin.wei").await;
    let (_, order) = place(&app, &lin, "late", &crm_month()).await;
    let id = order["id"].as_i64().unwrap();
    app.advance_clock(SEVEN_DAYS).await;
    let (status, refused) = pay(&app, &lin, id, "balance").await;
    assert_eq!(status, StatusCode::CONFLICT, "{refused}");
    assert!(refused["message"].as_str().unwrap().contains("not paid within 7 days"), "{refused}");
    let (_, cancelled) = app.get_as(&lin, &format!("/orders/{id}")).await;
    assert_eq!(cancelled["cancel_reason"]["code"], "not_paid_in_time");
    assert_eq!(sweep_once(&app.state).await.unwrap().unpaid_cancelled, 0, "already cancelled");
}

#[tokio::test]
async fn an_order_paid_on_its_last_second_is_kept() {
    let app = spawn_app().await;
    app.state.clock.freeze();
    let lin = app.logged_in("lin.wei").await;
    let (_, order) = place(&app, &lin, "in-time", &crm_month()).await;
    let id = order["id"].as_i64().unwrap();
    app.advance_clock(SEVEN_DAYS - 1).await;
    assert_eq!(pay(&app, &lin, id, "card").await.0, StatusCode::OK);
    app.advance_clock(1).await;
    assert_eq!(sweep_once(&app.state).await.unwrap().unpaid_cancelled, 0);
    let (_, paid) = app.get_as(&lin, &format!("/orders/{id}")).await;
    assert_ne!(paid["status"], "cancelled");
}
