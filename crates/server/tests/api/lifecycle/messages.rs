//! Messages: every reminder of a term once, the unread count (kept by triggers, checked by
//! `verify`), marking read.

use bazaar_core::lifecycle::{ReminderKind, term_end};
use bazaar_server::domain::lifecycle::sweep_once;
use bazaar_server::domain::verify::verify;
use reqwest::StatusCode;
use serde_json::{Value, json};

use super::{crm_month, paid_at, pay, place};
use crate::common::{TestApp, spawn_app};
use bazaar_server::infra::db;

async fn move_to(app: &TestApp, at: time::OffsetDateTime) {
    let seconds = (at - app.state.clock.now()).whole_seconds();
    if seconds > 0 {
        app.advance_clock(seconds).await;
    }
}

fn topics(page: &Value) -> Vec<String> {
    let mut topics: Vec<String> =
        page["items"].as_array().unwrap().iter().map(|m| m["topic"].as_str().unwrap().to_owned()).collect();
    topics.reverse();
    topics
}

#[tokio::test]
async fn each_reminder_of_a_term_is_sent_once_at_its_time() {
    let app = spawn_app().await;
    app.state.clock.freeze();
    let lin = app.logged_in("lin.wei").await;
    let (_, order) = place(&app, &lin, "term", &crm_month()).await;
    let id = order["id"].as_i64().unwrap();
    assert_eq!(pay(&app, &lin, id, "card").await.0, StatusCode::OK);
    for _ in 0..200 {
        if app.get_as(&lin, &format!("/orders/{id}")).await.1["status"] == "completed" {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    let expires = term_end(paid_at(&app, id).await, 1);
    for kind in ReminderKind::ALL {
        move_to(&app, kind.due_at(expires) - time::Duration::seconds(1)).await;
        sweep_once(&app.state).await.unwrap();
        move_to(&app, kind.due_at(expires)).await;
        // Two sweeps at once send it once.
        let (a, b) = tokio::join!(sweep_once(&app.state), sweep_once(&app.state));
        assert_eq!(a.unwrap().messages_sent + b.unwrap().messages_sent, 1, "{kind:?}");
    }
    let (_, page) = app.get_as(&lin, "/messages?group=renewals").await;
    assert_eq!(
        topics(&page),
        ["expires_soon", "expires_soon", "expires_soon", "expired", "frozen", "releases_soon", "released"],
        "{page}"
    );
    assert_eq!(page["unread"], 7);
    assert_eq!(app.get_as(&lin, "/messages/unread-count").await.1, json!({ "unread": 7 }));
    let first = page["items"][0]["id"].as_i64().unwrap();
    assert_eq!(page["items"][0]["link"], json!({ "to": "order", "order_id": id }), "released: the order remains");
    assert_eq!(page["items"][1]["link"], json!({ "to": "app", "app_id": id }));

    // Someone else cannot read my messages or mark them.
    let maria = app.logged_in("maria.santos").await;
    assert_eq!(app.get_as(&maria, "/messages").await.1["total"], 0);
    let foreign = maria.post(app.url(&format!("/messages/{first}/read"))).send().await.unwrap();
    assert_eq!(foreign.status(), StatusCode::NOT_FOUND);

    let read = lin.post(app.url(&format!("/messages/{first}/read"))).send().await.unwrap();
    assert_eq!(read.status(), StatusCode::NO_CONTENT);
    // Reading it twice takes nothing more off the kept count.
    let again = lin.post(app.url(&format!("/messages/{first}/read"))).send().await.unwrap();
    assert_eq!(again.status(), StatusCode::NO_CONTENT);
    assert_eq!(app.get_as(&lin, "/messages/unread-count").await.1["unread"], 6);
    assert_eq!(app.get_as(&lin, "/messages?unread=true").await.1["total"], 6);
    assert_eq!(verify(&app.state.db).await.unwrap().unread_counts_disagreeing, 0);
    let all = lin.post(app.url("/messages/read-all")).send().await.unwrap();
    assert_eq!(all.status(), StatusCode::NO_CONTENT);
    assert_eq!(app.get_as(&lin, "/messages/unread-count").await.1["unread"], 0);
    let report = verify(&app.state.db).await.unwrap();
    assert!(report.is_clean() && report.unread_counts_disagreeing == 0, "{report:?}");
}

#[tokio::test]
async fn verify_catches_an_unread_count_that_drifted_from_the_messages() {
    let app = spawn_app().await;
    app.state.clock.freeze();
    let lin = app.logged_in("lin.wei").await;
    let (_, order) = place(&app, &lin, "drift", &crm_month()).await;
    let id = order["id"].as_i64().unwrap();
    // Past the unpaid-order warning: one message.
    app.advance_clock(6 * 86_400 + 60).await;
    sweep_once(&app.state).await.unwrap();
    assert_eq!(app.get_as(&lin, "/messages/unread-count").await.1["unread"], 1, "order {id}");
    assert_eq!(verify(&app.state.db).await.unwrap().unread_counts_disagreeing, 0);
    // A write around the triggers: the bell would be off by one.
    db::query(
        "UPDATE unread_message_counts SET unread = unread + 1
         WHERE account_id = (SELECT id FROM accounts WHERE username = 'lin.wei')",
    )
    .execute(&app.state.db)
    .await
    .unwrap();
    let report = verify(&app.state.db).await.unwrap();
    assert_eq!(report.unread_counts_disagreeing, 1, "{report:?}");
    assert!(!report.is_clean());
}

#[tokio::test]
async fn auto_renewal_says_so_and_an_unpaid_order_is_warned_a_day_ahead() {
    let app = spawn_app().await;
    app.state.clock.freeze();
    let lin = app.logged_in("lin.wei").await;
    let (_, order) = place(&app, &lin, "auto", &crm_month()).await;
    let id = order["id"].as_i64().unwrap();
    pay(&app, &lin, id, "card").await;
    for _ in 0..200 {
        if app.get_as(&lin, &format!("/orders/{id}")).await.1["status"] == "completed" {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    lin.put(app.url(&format!("/renewals/{id}/auto-renew")))
        .json(&json!({ "enabled": true, "months": 1 }))
        .send()
        .await
        .unwrap();
    let expires = term_end(paid_at(&app, id).await, 1);
    // An order left unpaid for 6 days by the time auto-renew is due.
    move_to(&app, expires - time::Duration::days(13)).await;
    let (_, unpaid) = place(&app, &lin, "unpaid", &crm_month()).await;
    move_to(&app, expires - time::Duration::days(7)).await;
    let report = sweep_once(&app.state).await.unwrap();
    assert_eq!(report.auto_renewed, 1);
    assert_eq!(report.messages_sent, 1, "the unpaid order's warning (placed 6+ days ago)");
    let (_, page) = app.get_as(&lin, "/messages").await;
    let mut found = topics(&page);
    found.sort();
    assert_eq!(found, ["auto_renewed", "unpaid_order_cancels_soon"], "{page}");
    let warning = page["items"].as_array().unwrap().iter().find(|m| m["topic"] == "unpaid_order_cancels_soon").unwrap();
    assert_eq!(warning["link"], json!({ "to": "order", "order_id": unpaid["id"] }));
}
