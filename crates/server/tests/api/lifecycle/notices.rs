//! Lifecycle notices to sellers: queued with their event, signed, delivered once per event,
//! retried with back-off, listed in the Seller Console.

use bazaar_core::lifecycle::{grace_ends_at, term_end};
use bazaar_server::domain::lifecycle::sweep_once;
use reqwest::StatusCode;
use serde_json::json;

use super::{crm_month, paid_at, pay, place};
use crate::common::{TestApp, decode, spawn_app};
use bazaar_server::infra::db;

/// What the demo seller received: each notice's kind and how many times it came.
async fn received(app: &TestApp) -> Vec<(String, i64)> {
    let rows: Vec<(String, i64)> =
        db::query_as("SELECT body, deliveries FROM demo_seller_notices ORDER BY received_at, event_id")
            .fetch_all(&app.state.db)
            .await
            .unwrap();
    rows.into_iter()
        .map(|(body, deliveries)| {
            let body: serde_json::Value = serde_json::from_str(&body).unwrap();
            (body["kind"].as_str().unwrap().to_owned(), deliveries)
        })
        .collect()
}

#[tokio::test]
async fn freezing_and_renewing_tell_the_seller_once_each_and_the_console_shows_it() {
    let app = spawn_app().await;
    app.state.clock.freeze();
    let lin = app.logged_in("lin.wei").await;
    let (_, order) = place(&app, &lin, "n", &crm_month()).await;
    let id = order["id"].as_i64().unwrap();
    pay(&app, &lin, id, "card").await;
    for _ in 0..200 {
        if app.get_as(&lin, &format!("/orders/{id}")).await.1["status"] == "completed" {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    let expires = term_end(paid_at(&app, id).await, 1);
    app.advance_clock((grace_ends_at(expires) - app.state.clock.now()).whole_seconds()).await;
    let report = sweep_once(&app.state).await.unwrap();
    assert_eq!((report.notices_delivered, report.notice_failures), (1, 0), "{report:?}");
    assert_eq!(received(&app).await, [("suspended".to_owned(), 1)]);

    // Renewing the frozen app: renewed and reinstated, in the payment's transaction.
    let (status, renewal) = decode(
        lin.post(app.url("/renewals"))
            .header("Idempotency-Key", "r")
            .json(&json!({ "items": [{ "app_id": id, "months": 1 }] }))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{renewal}");
    assert_eq!(pay(&app, &lin, renewal["id"].as_i64().unwrap(), "card").await.0, StatusCode::OK);
    let (first, second) = tokio::join!(sweep_once(&app.state), sweep_once(&app.state));
    assert_eq!(first.unwrap().notices_delivered + second.unwrap().notices_delivered, 2);
    let mut kinds: Vec<String> = received(&app)
        .await
        .into_iter()
        .map(|(kind, deliveries)| {
            assert_eq!(deliveries, 1);
            kind
        })
        .collect();
    kinds.sort();
    assert_eq!(kinds, ["reinstated", "renewed", "suspended"]);

    let seller = app.logged_in("sam.okafor").await;
    let (status, notices) = app.get_as(&seller, "/seller/notices").await;
    assert_eq!(status, StatusCode::OK, "{notices}");
    assert_eq!(notices["total"], 3);
    assert!(notices["items"].as_array().unwrap().iter().all(|n| n["state"] == "delivered" && n["attempts"] == 1));
    let (status, _) = app.get_as(&lin, "/seller/notices").await;
    assert_eq!(status, StatusCode::FORBIDDEN, "buyers have no notices");
    let (_, other) = app.get_as(&app.logged_in("ivy.tan").await, "/seller/notices").await;
    assert_eq!(other["total"], 0, "another seller sees none of them");
}

#[tokio::test]
async fn an_unreachable_seller_is_retried_with_back_off_and_a_redelivery_is_recorded_once() {
    let app = spawn_app().await;
    app.state.clock.freeze();
    let lin = app.logged_in("lin.wei").await;
    let (_, order) = place(&app, &lin, "n", &crm_month()).await;
    let id = order["id"].as_i64().unwrap();
    pay(&app, &lin, id, "card").await;
    for _ in 0..200 {
        if app.get_as(&lin, &format!("/orders/{id}")).await.1["status"] == "completed" {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    let (good_url,): (String,) =
        db::query_as("SELECT notices_url FROM sellers WHERE id = 1").fetch_one(&app.state.db).await.unwrap();
    db::query("UPDATE sellers SET notices_url = '/api/v1/nowhere' WHERE id = 1").execute(&app.state.db).await.unwrap();
    let expires = term_end(paid_at(&app, id).await, 1);
    app.advance_clock((grace_ends_at(expires) - app.state.clock.now()).whole_seconds()).await;
    assert_eq!(sweep_once(&app.state).await.unwrap().notice_failures, 1);
    // Not again before the back-off (2 s) has passed.
    app.advance_clock(1).await;
    assert_eq!(sweep_once(&app.state).await.unwrap().notice_failures, 0);
    db::query("UPDATE sellers SET notices_url = $1 WHERE id = 1").bind(&good_url).execute(&app.state.db).await.unwrap();
    app.advance_clock(1).await;
    assert_eq!(sweep_once(&app.state).await.unwrap().notices_delivered, 1);
    let seller = app.logged_in("sam.okafor").await;
    let (_, notices) = app.get_as(&seller, "/seller/notices").await;
    assert_eq!((&notices["items"][0]["state"], &notices["items"][0]["attempts"]), (&json!("delivered"), &json!(2)));

    // A second delivery of the same event (a seller that answered too late, say) is one record.
    db::query("UPDATE seller_notices SET state = 'queued', next_attempt_at = 0").execute(&app.state.db).await.unwrap();
    assert_eq!(sweep_once(&app.state).await.unwrap().notices_delivered, 1);
    assert_eq!(received(&app).await, [("suspended".to_owned(), 2)]);
}
