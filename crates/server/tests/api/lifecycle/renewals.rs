//! Renewal Management: one order renewing several apps, every refusal, auto-renew.

use bazaar_core::lifecycle::{grace_ends_at, released_at, renewed_expiry};
use bazaar_server::domain::lifecycle::sweep_once;
use reqwest::{Client, StatusCode};
use serde_json::{Value, json};

use super::{crm_month, instant, pay, place};
use crate::common::{TestApp, assert_error, decode, spawn_app};
use bazaar_server::infra::db;

const DAY: i64 = 86_400;

/// Buys `body` with the card on file and waits until the app is set up.
pub(super) async fn bought(app: &TestApp, client: &Client, key: &str, body: &Value) -> i64 {
    bought_with(app, client, key, body, "card").await
}

pub(super) async fn bought_with(app: &TestApp, client: &Client, key: &str, body: &Value, method: &str) -> i64 {
    let (status, order) = place(app, client, key, body).await;
    assert_eq!(status, StatusCode::CREATED, "{order}");
    let id = order["id"].as_i64().unwrap();
    if order["status"] == "pending_payment" {
        assert_eq!(pay(app, client, id, method).await.0, StatusCode::OK);
    }
    for _ in 0..200 {
        let (_, order) = app.get_as(client, &format!("/orders/{id}")).await;
        if order["status"] == "completed" {
            return id;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("order {id} did not complete");
}

pub(super) async fn renew(app: &TestApp, client: &Client, key: &str, items: Value) -> (StatusCode, Value) {
    decode(
        client
            .post(app.url("/renewals"))
            .header("Idempotency-Key", key)
            .json(&json!({ "items": items }))
            .send()
            .await
            .unwrap(),
    )
    .await
}

async fn expiry(app: &TestApp, client: &Client, id: i64) -> time::OffsetDateTime {
    instant(&app.get_as(client, &format!("/orders/{id}")).await.1["expires_at"])
}

async fn order_count(app: &TestApp) -> i64 {
    db::query_scalar("SELECT COUNT(*) FROM orders").fetch_one(&app.state.db).await.unwrap()
}

#[tokio::test]
async fn two_apps_renew_in_one_payment_from_their_old_expiries_and_a_frozen_one_thaws() {
    let app = spawn_app().await;
    app.state.clock.freeze();
    let lin = app.logged_in("lin.wei").await;
    let first = bought(&app, &lin, "a", &crm_month()).await;
    app.advance_clock(20 * DAY).await;
    let second = bought(&app, &lin, "b", &crm_month()).await;
    let (first_expiry, second_expiry) = (expiry(&app, &lin, first).await, expiry(&app, &lin, second).await);
    // The first is frozen by now; the second, bought 20 days later, is still active.
    let frozen_at = grace_ends_at(first_expiry);
    app.advance_clock((frozen_at - app.state.clock.now()).whole_seconds()).await;
    let (_, list) = app.get_as(&lin, "/renewals").await;
    let phases: Vec<(&Value, &Value)> =
        list["items"].as_array().unwrap().iter().map(|i| (&i["id"], &i["phase"])).collect();
    assert_eq!(phases, [(&json!(first), &json!("frozen")), (&json!(second), &json!("active"))], "{list}");
    let (_, frozen_only) = app.get_as(&lin, "/renewals?show=frozen").await;
    assert_eq!(frozen_only["total"], 1);

    let (status, order) = renew(
        &app,
        &lin,
        "r1",
        json!([
            { "app_id": first, "months": 11 }, { "app_id": second, "months": 12 }
        ]),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{order}");
    assert_eq!((&order["kind"], &order["status"]), (&json!("renewal"), &json!("pending_payment")));
    assert_eq!(order["renewal_lines"].as_array().unwrap().len(), 2);
    let order_id = order["id"].as_i64().unwrap();
    let line_total: i64 =
        order["renewal_lines"].as_array().unwrap().iter().map(|l| l["amount"]["amount_minor"].as_i64().unwrap()).sum();
    assert_eq!(order["total"]["amount_minor"], line_total);
    // A retry of the same attempt gives the same order.
    let (status, replay) = renew(
        &app,
        &lin,
        "r1",
        json!([
            { "app_id": first, "months": 11 }, { "app_id": second, "months": 12 }
        ]),
    )
    .await;
    assert_eq!((status, &replay["id"]), (StatusCode::OK, &order["id"]));
    // Nothing changes until it is paid.
    assert_eq!(expiry(&app, &lin, first).await, first_expiry);

    let (status, paid) = pay(&app, &lin, order_id, "balance").await;
    assert_eq!(status, StatusCode::OK, "{paid}");
    assert_eq!(paid["status"], "completed");
    assert_eq!(expiry(&app, &lin, first).await, renewed_expiry(first_expiry, 11));
    // 11 months are 11 paid months; a year is 10 (two months free), at ¥199.00 a month.
    let amounts: Vec<i64> = paid["renewal_lines"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["amount"]["amount_minor"].as_i64().unwrap())
        .collect();
    assert_eq!(amounts, [11 * 19_900, 10 * 19_900]);
    assert_eq!(expiry(&app, &lin, second).await, renewed_expiry(second_expiry, 12));
    let (_, detail) = app.get_as(&lin, &format!("/purchased-apps/{first}")).await;
    assert_eq!(detail["basic"]["phase"], "active", "renewing thaws a frozen app");
    // The renewal order is in My Orders, not in Purchased Apps.
    let (_, apps) = app.get_as(&lin, "/purchased-apps").await;
    assert!(apps["items"].as_array().unwrap().iter().all(|item| item["id"] != order_id));
    assert_eq!(app.get_as(&lin, &format!("/purchased-apps/{order_id}")).await.0, StatusCode::NOT_FOUND);
    let report = bazaar_server::domain::verify::verify(&app.state.db).await.unwrap();
    assert!(report.is_clean(), "{report:?}");
}

#[tokio::test]
async fn every_item_that_cannot_be_renewed_is_named_and_nothing_is_placed() {
    let app = spawn_app().await;
    app.state.clock.freeze();
    let lin = app.logged_in("lin.wei").await;
    let maria = app.logged_in("maria.santos").await;
    let monthly = bought(&app, &lin, "m", &crm_month()).await;
    let hourly = bought(
        &app,
        &lin,
        "h",
        &json!({
            "product_id": 1,
            "configuration": { "sku_id": 1, "billing_mode": "pay_per_use", "quantity": 1, "region": "cn-north-4" },
            "accept_terms": true, "authorize_contact_sharing": true
        }),
    )
    .await;
    let marias = bought_with(&app, &maria, "x", &crm_month(), "credit").await;
    let before = order_count(&app).await;
    let (status, refused) = renew(
        &app,
        &lin,
        "bad",
        json!([
            { "app_id": monthly, "months": 13 },
            { "app_id": hourly, "months": 1 },
            { "app_id": marias, "months": 1 },
            { "app_id": monthly, "months": 1 },
        ]),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{refused}");
    assert_error(&refused, "validation_failed");
    let problems: Vec<(&str, &str)> = refused["field_errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["field"].as_str().unwrap(), e["code"].as_str().unwrap()))
        .collect();
    assert_eq!(
        problems,
        [
            ("items[0].months", "unknown_value"),
            ("items[1].app_id", "invalid"),
            ("items[2].app_id", "unknown_value"),
            ("items[3].app_id", "duplicate"),
        ]
    );
    let (status, empty) = renew(&app, &lin, "empty", json!([])).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{empty}");

    // Renewal Management lists the app at today's monthly price of its SKU...
    let listed = |page: Value| page["items"].as_array().unwrap().iter().find(|item| item["id"] == monthly).cloned();
    let monthly_price: i64 =
        db::query_scalar("SELECT price_minor FROM sku_prices WHERE sku_id = 1 AND billing_mode = 'yearly_monthly'")
            .fetch_one(&app.state.db)
            .await
            .unwrap();
    let sold = listed(app.get_as(&lin, "/renewals").await.1).unwrap();
    assert_eq!(sold["renewable"], true, "{sold}");
    assert_eq!(sold["monthly_price"]["amount_minor"], monthly_price, "{sold}");

    // ...and a withdrawn product cannot be renewed, nor is it offered.
    db::query("UPDATE products SET withdrawn_at = 1 WHERE id = 1").execute(&app.state.db).await.unwrap();
    app.state.catalog.reload(&app.state.db).await.unwrap();
    let gone = listed(app.get_as(&lin, "/renewals").await.1).unwrap();
    assert_eq!(gone["renewable"], false, "{gone}");
    let (status, withdrawn) = renew(&app, &lin, "gone", json!([{ "app_id": monthly, "months": 1 }])).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(withdrawn["field_errors"][0]["code"], "unavailable", "{withdrawn}");
    db::query("UPDATE products SET withdrawn_at = NULL WHERE id = 1").execute(&app.state.db).await.unwrap();
    app.state.catalog.reload(&app.state.db).await.unwrap();

    // A released app cannot be renewed any more.
    let expires = expiry(&app, &lin, monthly).await;
    app.advance_clock((released_at(expires) - app.state.clock.now()).whole_seconds()).await;
    let (status, released) = renew(&app, &lin, "late", json!([{ "app_id": monthly, "months": 1 }])).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(released["field_errors"][0]["code"], "unavailable", "{released}");
    assert_eq!(order_count(&app).await, before, "nothing was placed");
}

#[tokio::test]
async fn an_app_in_an_unpaid_renewal_order_is_not_renewed_twice() {
    let app = spawn_app().await;
    let lin = app.logged_in("lin.wei").await;
    let id = bought(&app, &lin, "m", &crm_month()).await;
    let (status, first) = renew(&app, &lin, "one", json!([{ "app_id": id, "months": 2 }])).await;
    assert_eq!(status, StatusCode::CREATED, "{first}");
    let (status, second) = renew(&app, &lin, "two", json!([{ "app_id": id, "months": 3 }])).await;
    assert_eq!(status, StatusCode::CONFLICT, "{second}");
    assert!(second["message"].as_str().unwrap().contains(first["number"].as_str().unwrap()));
    let (_, listed) = app.get_as(&lin, "/renewals").await;
    assert_eq!(listed["items"][0]["pending_renewal"], first["id"]);
}

#[tokio::test]
async fn auto_renew_charges_once_per_term_across_concurrent_sweeps_and_restarts() {
    let app = spawn_app().await;
    app.state.clock.freeze();
    let lin = app.logged_in("lin.wei").await;
    let id = bought(&app, &lin, "m", &crm_month()).await;
    let response = lin
        .put(app.url(&format!("/renewals/{id}/auto-renew")))
        .json(&json!({ "enabled": true, "months": 3 }))
        .send()
        .await
        .unwrap();
    let (status, setting) = decode(response).await;
    assert_eq!(status, StatusCode::OK, "{setting}");
    assert_eq!(setting["auto_renew"], json!({ "enabled": true, "months": 3 }));
    let bad = lin
        .put(app.url(&format!("/renewals/{id}/auto-renew")))
        .json(&json!({ "enabled": true, "months": 13 }))
        .send()
        .await
        .unwrap();
    assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);
    // Turning it off still names a real period (the fuzzer once got 2^31 months accepted).
    let bad_while_off = lin
        .put(app.url(&format!("/renewals/{id}/auto-renew")))
        .json(&json!({ "enabled": false, "months": 2_147_483_648_u64 }))
        .send()
        .await
        .unwrap();
    assert_eq!(bad_while_off.status(), StatusCode::UNPROCESSABLE_ENTITY);

    let expires = expiry(&app, &lin, id).await;
    let opens = expires - time::Duration::days(7);
    app.advance_clock((opens - app.state.clock.now()).whole_seconds() - 1).await;
    assert_eq!(sweep_once(&app.state).await.unwrap().auto_renewed, 0, "not a second early");
    app.advance_clock(1).await;
    let (a, b) = tokio::join!(sweep_once(&app.state), sweep_once(&app.state));
    assert_eq!(a.unwrap().auto_renewed + b.unwrap().auto_renewed, 1);
    assert_eq!(expiry(&app, &lin, id).await, renewed_expiry(expires, 3));
    // After a restart, and days later, the same term is not renewed again.
    let app = app.restart_with(|_| {}).await;
    app.state.clock.freeze();
    app.advance_clock(2 * DAY).await;
    assert_eq!(sweep_once(&app.state).await.unwrap().auto_renewed, 0);
    let report = bazaar_server::domain::verify::verify(&app.state.db).await.unwrap();
    assert_eq!(report.terms_renewed_twice, 0);
    assert!(report.is_clean(), "{report:?}");
    let renewals: i64 =
        db::query_scalar("SELECT COUNT(*) FROM renewal_lines WHERE app_id = $1 AND applied_at IS NOT NULL")
            .bind(id)
            .fetch_one(&app.state.db)
            .await
            .unwrap();
    assert_eq!(renewals, 1);
}

#[tokio::test]
async fn a_failed_auto_renewal_is_tried_again_a_day_later_and_not_sooner() {
    let app = spawn_app().await;
    app.state.clock.freeze();
    let lin = app.logged_in("lin.wei").await;
    let id = bought(&app, &lin, "m", &crm_month()).await;
    lin.put(app.url(&format!("/renewals/{id}/auto-renew")))
        .json(&json!({ "enabled": true, "months": 1 }))
        .send()
        .await
        .unwrap();
    // Nothing can be bought while the product is withdrawn: the attempt fails.
    db::query("UPDATE products SET withdrawn_at = 1 WHERE id = 1").execute(&app.state.db).await.unwrap();
    app.state.catalog.reload(&app.state.db).await.unwrap();
    let expires = expiry(&app, &lin, id).await;
    app.advance_clock((expires - time::Duration::days(7) - app.state.clock.now()).whole_seconds()).await;
    assert_eq!(sweep_once(&app.state).await.unwrap().auto_renew_failed, 1);
    app.advance_clock(DAY - 1).await;
    assert_eq!(sweep_once(&app.state).await.unwrap().auto_renew_failed, 0, "not before a day has passed");
    db::query("UPDATE products SET withdrawn_at = NULL WHERE id = 1").execute(&app.state.db).await.unwrap();
    app.state.catalog.reload(&app.state.db).await.unwrap();
    app.advance_clock(1).await;
    assert_eq!(sweep_once(&app.state).await.unwrap().auto_renewed, 1);
    assert_eq!(expiry(&app, &lin, id).await, renewed_expiry(expires, 1));
}

/// `verify` is the last line of defence: with the unique index gone (a damaged or
/// hand-edited database), a term paid twice is counted and the report is not clean.
#[tokio::test]
async fn verify_counts_a_term_renewed_twice_when_the_database_allowed_it() {
    let app = spawn_app().await;
    app.state.clock.freeze();
    let lin = app.logged_in("lin.wei").await;
    let id = bought(&app, &lin, "b", &crm_month()).await;
    let (_, first) = renew(&app, &lin, "r1", json!([{ "app_id": id, "months": 1 }])).await;
    assert_eq!(pay(&app, &lin, first["id"].as_i64().unwrap(), "card").await.0, StatusCode::OK);
    let (_, second) = renew(&app, &lin, "r2", json!([{ "app_id": id, "months": 1 }])).await;
    let second = second["id"].as_i64().unwrap();
    assert!(bazaar_server::domain::verify::verify(&app.state.db).await.unwrap().is_clean());

    db::query("DROP INDEX renewal_lines_once_per_term").execute(&app.state.db).await.unwrap();
    // The second renewal made to look like a second payment for the first one's term.
    db::query(
        "UPDATE renewal_lines SET applied_at = 1, from_expires_at =
            (SELECT from_expires_at FROM renewal_lines WHERE order_id = $1) WHERE order_id = $2",
    )
    .bind(first["id"].as_i64().unwrap())
    .bind(second)
    .execute(&app.state.db)
    .await
    .unwrap();
    db::query(
        "INSERT INTO payments (order_id, channel, amount_minor, currency, paid_at) VALUES ($1, 'card', 100, 'CNY', 1)",
    )
    .bind(second)
    .execute(&app.state.db)
    .await
    .unwrap();
    let report = bazaar_server::domain::verify::verify(&app.state.db).await.unwrap();
    assert_eq!(report.terms_renewed_twice, 1, "{report:?}");
    assert!(!report.is_clean());
}
