//! Grace, Frozen and Released, each from its second on.

use bazaar_core::lifecycle::{grace_ends_at, released_at};
use reqwest::{Client, StatusCode};
use serde_json::Value;
use time::OffsetDateTime;

use super::{crm_month, instant, pay, place};
use crate::common::{TestApp, assert_error, spawn_app};

async fn bought(app: &TestApp, client: &Client) -> i64 {
    let (_, order) = place(app, client, "phases", &crm_month()).await;
    let id = order["id"].as_i64().unwrap();
    assert_eq!(pay(app, client, id, "card").await.0, StatusCode::OK);
    for _ in 0..200 {
        let (_, order) = app.get_as(client, &format!("/orders/{id}")).await;
        if order["status"] == "completed" {
            return id;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("order {id} did not complete");
}

/// Moves the clock to exactly `at`.
async fn move_to(app: &TestApp, at: OffsetDateTime) {
    let seconds = (at - app.state.clock.now()).whole_seconds();
    assert!(seconds > 0, "the clock only moves forward");
    let mut left = seconds;
    while left > 0 {
        let step = left.min(400 * 86_400);
        app.advance_clock(step).await;
        left -= step;
    }
    assert_eq!(app.state.clock.now(), at);
}

async fn listed(app: &TestApp, client: &Client, id: i64) -> Option<Value> {
    let (_, list) = app.get_as(client, "/purchased-apps?page_size=50").await;
    list["items"].as_array().unwrap().iter().find(|item| item["id"] == id).cloned()
}

#[tokio::test]
async fn an_app_goes_through_grace_and_frozen_to_released_at_the_second() {
    let app = spawn_app().await;
    app.state.clock.freeze();
    let lin = app.logged_in("lin.wei").await;
    let id = bought(&app, &lin).await;
    let expires = instant(&listed(&app, &lin, id).await.unwrap()["expires_at"]);
    // A reveal needs a recent password, counted on the moved clock: log in again first.
    let reveal = |client: Client| {
        let url = app.url(&format!("/purchased-apps/{id}/credentials/reveal"));
        let app = &app;
        async move {
            assert_eq!(app.log_in_as(&client, "lin.wei").await.status(), StatusCode::OK);
            client.post(url).send().await.unwrap()
        }
    };

    move_to(&app, expires - time::Duration::seconds(1)).await;
    assert_eq!(listed(&app, &lin, id).await.unwrap()["phase"], "active");
    move_to(&app, expires).await;
    let row = listed(&app, &lin, id).await.unwrap();
    assert_eq!((&row["phase"], &row["status"]), (&Value::from("grace"), &Value::from("expired")));
    assert_eq!(reveal(lin.clone()).await.status(), StatusCode::OK, "still usable in grace");
    let (_, detail) = app.get_as(&lin, &format!("/purchased-apps/{id}")).await;
    assert_eq!(detail["application"]["password_revealable"], true, "{detail}");
    assert_eq!(detail["application"]["password_locked"], Value::Null);

    move_to(&app, grace_ends_at(expires) - time::Duration::seconds(1)).await;
    assert_eq!(listed(&app, &lin, id).await.unwrap()["phase"], "grace");
    move_to(&app, grace_ends_at(expires)).await;
    assert_eq!(listed(&app, &lin, id).await.unwrap()["phase"], "frozen");
    let (_, detail) = app.get_as(&lin, &format!("/purchased-apps/{id}")).await;
    assert_eq!(detail["basic"]["phase"], "frozen");
    // The detail does not offer what the reveal refuses, and says why.
    assert_eq!(detail["application"]["password_revealable"], false, "{detail}");
    assert_eq!(detail["application"]["password_locked"], "frozen", "{detail}");
    let refused = reveal(lin.clone()).await;
    assert_eq!(refused.status(), StatusCode::CONFLICT);
    let body: Value = refused.json().await.unwrap();
    assert_error(&body, "conflict");
    assert!(body["message"].as_str().unwrap().contains("frozen"), "{body}");

    move_to(&app, released_at(expires) - time::Duration::seconds(1)).await;
    assert!(listed(&app, &lin, id).await.is_some());
    move_to(&app, released_at(expires)).await;
    assert!(listed(&app, &lin, id).await.is_none(), "released apps leave Purchased Apps");
    let (status, _) = app.get_as(&lin, &format!("/purchased-apps/{id}")).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, order) = app.get_as(&lin, &format!("/orders/{id}")).await;
    assert_eq!((status, &order["status"]), (StatusCode::OK, &Value::from("completed")), "still in My Orders");
}

#[tokio::test]
async fn the_demo_gives_lin_wei_an_app_in_every_phase() {
    let app = crate::common::spawn_app_with(|config| config.demo_apps = true).await;
    let lin = app.logged_in("lin.wei").await;
    // The demo seller sets them up in the background.
    let mut list = Value::Null;
    for _ in 0..200 {
        list = app.get_as(&lin, "/renewals").await.1;
        if list["total"] == 6 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    let now = app.state.clock.now();
    let rows: Vec<(String, i64, bool)> = list["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|item| {
            let days = bazaar_core::lifecycle::days_until(instant(&item["expires_at"]), now);
            (item["phase"].as_str().unwrap().to_owned(), days, item["auto_renew"]["enabled"].as_bool().unwrap())
        })
        .collect();
    assert_eq!(
        rows,
        [
            ("frozen".to_owned(), -20, false),
            ("grace".to_owned(), -3, false),
            // The free trial ending in 2 days (the used-up one is released: not listed).
            ("active".to_owned(), 2, false),
            ("active".to_owned(), 5, false),
            ("active".to_owned(), 5, false),
            ("active".to_owned(), 12, true),
        ],
        "{list}"
    );
    let (_, within) = app.get_as(&lin, "/renewals?show=within_7_days").await;
    assert_eq!(within["total"], 3);
    let report = bazaar_server::domain::verify::verify(&app.state.db).await.unwrap();
    assert!(report.is_clean(), "{report:?}");
}
