//! Free trials (SPEC §11.3): eligibility and every refusal, one trial per buyer and product
//! under concurrent starts, the end at ±1 s, reminders exactly once (also after an
//! outage), buying before and after the end, the signed `trial_converted` notice, and no
//! money moving without the buyer's own payment.

use bazaar_core::lifecycle::add_months;
use bazaar_server::domain::lifecycle::sweep_once;
use bazaar_server::infra::db;
use reqwest::{Client, StatusCode};
use serde_json::{Value, json};
use time::OffsetDateTime;

use crate::common::{TestApp, assert_error, decode, spawn_app};
use crate::lifecycle::{instant, pay, place};

const DAY: i64 = 86_400;

/// Northwind CRM Cloud (a 14-day trial), its monthly SKU, as a trial.
fn crm_trial() -> Value {
    json!({
        "product_id": 1,
        "configuration": { "sku_id": 1, "billing_mode": "yearly_monthly", "duration_months": 1, "quantity": 1, "region": "cn-north-4" },
        "accept_terms": true, "authorize_contact_sharing": true, "trial": true
    })
}

/// Starts the CRM trial and waits until the app is set up; its id.
async fn started(app: &TestApp, client: &Client, key: &str) -> i64 {
    let (status, order) = place(app, client, key, &crm_trial()).await;
    assert_eq!(status, StatusCode::CREATED, "{order}");
    assert_eq!(order["total"]["amount_minor"], 0, "{order}");
    let id = order["id"].as_i64().unwrap();
    for _ in 0..200 {
        if app.get_as(client, &format!("/orders/{id}")).await.1["status"] == "completed" {
            return id;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("trial {id} was not set up");
}

async fn renew(app: &TestApp, client: &Client, key: &str, app_id: i64, months: u32) -> (StatusCode, Value) {
    renew_items(app, client, key, json!([{ "app_id": app_id, "months": months }])).await
}

async fn renew_items(app: &TestApp, client: &Client, key: &str, items: Value) -> (StatusCode, Value) {
    let body = json!({ "items": items });
    decode(client.post(app.url("/renewals")).header("Idempotency-Key", key).json(&body).send().await.unwrap()).await
}

async fn app_of(app: &TestApp, client: &Client, id: i64) -> Value {
    app.get_as(client, &format!("/purchased-apps/{id}")).await.1
}

/// The topics of the messages about order `id`, oldest first.
async fn topics(app: &TestApp, id: i64) -> Vec<String> {
    db::query_scalar("SELECT topic FROM messages WHERE order_id = $1 ORDER BY due_at, id")
        .bind(id)
        .fetch_all(&app.state.db)
        .await
        .unwrap()
}

/// The notices queued for app `id`: (kind, expires_at), in order.
async fn notices(app: &TestApp, id: i64) -> Vec<(String, Option<i64>)> {
    db::query_as("SELECT kind, expires_at FROM seller_notices WHERE order_id = $1 ORDER BY occurred_at, id")
        .bind(id)
        .fetch_all(&app.state.db)
        .await
        .unwrap()
}

async fn ledger_entries(app: &TestApp, account: &str) -> i64 {
    db::query_scalar(
        "SELECT COUNT(*) FROM ledger_entries l JOIN accounts a ON a.id = l.account_id WHERE a.username = $1",
    )
    .bind(account)
    .fetch_one(&app.state.db)
    .await
    .unwrap()
}

#[tokio::test]
async fn a_trial_starts_free_ends_after_its_days_and_cannot_be_had_twice() {
    let app = spawn_app().await;
    app.state.clock.freeze();
    let lin = app.logged_in("lin.wei").await;
    let (status, standing) = app.get_as(&lin, "/products/1/trial").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!((standing["trial_days"].as_i64(), standing["used_on"].is_null()), (Some(14), true));
    let entries_before = ledger_entries(&app, "lin.wei").await;
    let start = app.state.clock.now();
    let id = started(&app, &lin, "t1").await;

    let (_, order) = app.get_as(&lin, &format!("/orders/{id}")).await;
    assert_eq!((order["kind"].as_str(), order["total"]["amount_minor"].as_i64()), (Some("trial"), Some(0)));
    assert_eq!(instant(&order["expires_at"]), start + time::Duration::days(14));
    let detail = app_of(&app, &lin, id).await;
    assert_eq!((detail["basic"]["trial"].as_bool(), detail["basic"]["phase"].as_str()), (Some(true), Some("active")));
    assert!(detail["application"]["instance_id"].is_string(), "{detail}");
    // Nothing was paid or charged; the seller was told it is a trial.
    assert_eq!(ledger_entries(&app, "lin.wei").await, entries_before);
    let payments: i64 = db::query_scalar("SELECT COUNT(*) FROM payments WHERE order_id = $1")
        .bind(id)
        .fetch_one(&app.state.db)
        .await
        .unwrap();
    assert_eq!(payments, 0);

    // A second one, by any route, is refused with the first one's date.
    let (status, body) = place(&app, &lin, "t2", &crm_trial()).await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    assert!(body["message"].as_str().unwrap().contains(&start.date().to_string()), "{body}");
    let (_, standing) = app.get_as(&lin, "/products/1/trial").await;
    assert_eq!(instant(&standing["used_on"]), start);
    // Auto-renew stays off: nothing is charged without the buyer's own payment.
    let (status, _) = decode(
        lin.put(app.url(&format!("/renewals/{id}/auto-renew")))
            .json(&json!({ "enabled": true, "months": 1 }))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, StatusCode::CONFLICT);

    // The end, to the second: usable until it, Frozen from it for 7 days, then Released.
    let ends = start + time::Duration::days(14);
    let phase_at = |at: OffsetDateTime| {
        let (app, lin) = (&app, &lin);
        async move {
            app.advance_clock((at - app.state.clock.now()).whole_seconds()).await;
            sweep_once(&app.state).await.unwrap();
            app_of(app, lin, id).await["basic"]["phase"].as_str().map(str::to_owned)
        }
    };
    assert_eq!(phase_at(ends - time::Duration::seconds(1)).await.as_deref(), Some("active"));
    assert_eq!(phase_at(ends).await.as_deref(), Some("frozen"));
    let (status, _) =
        decode(lin.post(app.url(&format!("/purchased-apps/{id}/credentials/reveal"))).send().await.unwrap()).await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert_eq!(phase_at(ends + time::Duration::days(7) - time::Duration::seconds(1)).await.as_deref(), Some("frozen"));
    phase_at(ends + time::Duration::days(7)).await;
    let (status, _) = app.get_as(&lin, &format!("/purchased-apps/{id}")).await;
    let listed = app.get_as(&lin, "/purchased-apps").await.1["items"].as_array().unwrap().clone();
    assert!(!listed.iter().any(|item| item["id"] == id), "a released trial is not listed (status {status})");
    let expected = ["trial_ends_soon", "trial_ends_soon", "trial_ends_soon", "trial_ended", "trial_released"];
    assert_eq!(topics(&app, id).await, expected);
    let kinds: Vec<String> = notices(&app, id).await.into_iter().map(|(kind, _)| kind).collect();
    assert_eq!(kinds, ["suspended", "released"]);
    // Released, still never again.
    assert_eq!(place(&app, &lin, "t3", &crm_trial()).await.0, StatusCode::CONFLICT);
    assert_eq!(ledger_entries(&app, "lin.wei").await, entries_before);
    crate::usage::verify_clean(&app).await;
}

#[tokio::test]
async fn products_and_skus_without_a_trial_are_refused_and_nothing_is_created() {
    let app = spawn_app().await;
    let lin = app.logged_in("lin.wei").await;
    let orders_before: i64 = db::query_scalar("SELECT COUNT(*) FROM orders").fetch_one(&app.state.db).await.unwrap();
    // The WAF (product 2) is supervised and has no trial.
    let (_, waf) = app.get_as(&lin, "/products/2").await;
    let sku = &waf["skus"][0];
    let price = &sku["prices"][0];
    let body = json!({
        "product_id": 2,
        "configuration": { "sku_id": sku["id"], "billing_mode": price["billing_mode"], "duration_months": 12,
                           "quantity": 1, "region": waf["regions"][0] },
        "accept_terms": true, "authorize_contact_sharing": true, "trial": true
    });
    let (status, error) = place(&app, &lin, "w", &body).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{error}");
    assert_eq!(error["field_errors"][0]["field"], "trial", "{error}");
    // The CRM's pay-per-use SKU has no trial.
    let (_, crm) = app.get_as(&lin, "/products/1").await;
    let hourly = crm["skus"]
        .as_array()
        .unwrap()
        .iter()
        .find(|sku| sku["prices"].as_array().unwrap().iter().any(|p| p["billing_mode"] == "pay_per_use"))
        .unwrap();
    let mut body = crm_trial();
    body["configuration"] =
        json!({ "sku_id": hourly["id"], "billing_mode": "pay_per_use", "quantity": 1, "region": "cn-north-4" });
    let (status, error) = place(&app, &lin, "p", &body).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{error}");
    assert_eq!(error["field_errors"][0]["field"], "configuration.billing_mode", "{error}");
    // The terms still apply.
    let mut body = crm_trial();
    body["accept_terms"] = json!(false);
    assert_eq!(place(&app, &lin, "terms", &body).await.0, StatusCode::UNPROCESSABLE_ENTITY);
    let orders_after: i64 = db::query_scalar("SELECT COUNT(*) FROM orders").fetch_one(&app.state.db).await.unwrap();
    assert_eq!(orders_after, orders_before);
    let trials: i64 = db::query_scalar("SELECT COUNT(*) FROM trials").fetch_one(&app.state.db).await.unwrap();
    assert_eq!(trials, 0);
}

#[tokio::test]
async fn twenty_concurrent_starts_on_two_instances_make_one_trial() {
    let app = spawn_app().await;
    let lin = app.logged_in("lin.wei").await;
    // Two instances on one database (on PostgreSQL: two servers), ten starts each.
    let second = app.restart_with(|_| {}).await;
    let lin_on_second = second.logged_in("lin.wei").await;
    let mut starts = tokio::task::JoinSet::new();
    for index in 0..20 {
        let (lin, url) = match index % 2 {
            0 => (lin.clone(), app.url("/orders")),
            _ => (lin_on_second.clone(), second.url("/orders")),
        };
        starts.spawn(async move {
            let request = lin.post(url).header("Idempotency-Key", format!("race-{index}")).json(&crm_trial());
            request.send().await.unwrap().status()
        });
    }
    let statuses = starts.join_all().await;
    let created = statuses.iter().filter(|status| **status == StatusCode::CREATED).count();
    assert_eq!(created, 1, "{statuses:?}");
    assert!(statuses.iter().all(|s| *s == StatusCode::CREATED || *s == StatusCode::CONFLICT), "{statuses:?}");
    let trials: i64 = db::query_scalar("SELECT COUNT(*) FROM trials").fetch_one(&app.state.db).await.unwrap();
    let zero_orders: i64 = db::query_scalar("SELECT COUNT(*) FROM orders WHERE total_minor = 0 AND product_id = 1")
        .fetch_one(&app.state.db)
        .await
        .unwrap();
    assert_eq!((trials, zero_orders), (1, 1));
}

#[tokio::test]
async fn buying_before_the_end_starts_the_term_at_the_end_with_the_same_instance() {
    let app = spawn_app().await;
    app.state.clock.freeze();
    let lin = app.logged_in("lin.wei").await;
    let start = app.state.clock.now();
    let id = started(&app, &lin, "t").await;
    let instance = app_of(&app, &lin, id).await["application"]["instance_id"].clone();
    app.advance_clock(3 * DAY).await;
    // Someone else cannot buy it.
    let other = app.logged_in("wang.fang").await;
    assert_eq!(renew(&app, &other, "x", id, 1).await.0, StatusCode::UNPROCESSABLE_ENTITY);

    // Bought with another quantity: priced at it, and the app has it once paid.
    let (_, one) = app.get_as(&lin, "/renewals").await;
    let monthly =
        one["items"].as_array().unwrap().iter().find(|item| item["id"] == id).unwrap()["monthly_price"]["amount_minor"]
            .as_i64()
            .unwrap();
    let (status, order) = renew_items(&app, &lin, "buy", json!([{ "app_id": id, "months": 1, "quantity": 3 }])).await;
    assert_eq!(status, StatusCode::CREATED, "{order}");
    let buy = order["id"].as_i64().unwrap();
    assert_eq!(order["total"]["amount_minor"].as_i64(), Some(3 * monthly), "{order}");
    // Converting twice: the first is waiting for its payment.
    assert_eq!(renew(&app, &lin, "buy-again", id, 1).await.0, StatusCode::CONFLICT);
    assert_eq!(pay(&app, &lin, buy, "card").await.0, StatusCode::OK);

    let ends = start + time::Duration::days(14);
    let detail = app_of(&app, &lin, id).await;
    assert_eq!(detail["basic"]["trial"], false, "{detail}");
    assert_eq!(instant(&detail["basic"]["expires_at"]), add_months(ends, 1));
    assert_eq!(detail["application"]["instance_id"], instance);
    let quantity: i64 =
        db::query_scalar("SELECT quantity FROM orders WHERE id = $1").bind(id).fetch_one(&app.state.db).await.unwrap();
    assert_eq!(quantity, 3);
    // Only a trial's quantity is chosen when buying; a bought app renews as it is.
    let (status, error) = renew_items(&app, &lin, "q", json!([{ "app_id": id, "months": 1, "quantity": 2 }])).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{error}");
    assert_eq!(error["field_errors"][0]["field"], "items[0].quantity", "{error}");
    assert_eq!(notices(&app, id).await, [("trial_converted".to_owned(), Some(add_months(ends, 1).unix_timestamp()))]);
    // The seller receives it signed (the demo seller checks the signature).
    sweep_once(&app.state).await.unwrap();
    let received: Vec<String> =
        db::query_scalar("SELECT body FROM demo_seller_notices").fetch_all(&app.state.db).await.unwrap();
    let converted = received.iter().find(|body| body.contains("\"trial_converted\"")).expect("the notice");
    assert!(converted.contains("\"quantity\":3"), "{converted}");
    // A bought trial ends like any term: the trial's own messages never come.
    app.advance_clock(20 * DAY).await;
    sweep_once(&app.state).await.unwrap();
    assert!(!topics(&app, id).await.iter().any(|topic| topic.starts_with("trial_")));
}

#[tokio::test]
async fn buying_a_frozen_trial_starts_the_term_at_the_payment_and_reinstates_it() {
    let app = spawn_app().await;
    app.state.clock.freeze();
    let lin = app.logged_in("lin.wei").await;
    let id = started(&app, &lin, "t").await;
    app.advance_clock(16 * DAY).await;
    sweep_once(&app.state).await.unwrap();
    assert_eq!(app_of(&app, &lin, id).await["basic"]["phase"], "frozen");
    let (status, order) = renew(&app, &lin, "buy", id, 2).await;
    assert_eq!(status, StatusCode::CREATED, "{order}");
    app.advance_clock(3600).await;
    let paid = app.state.clock.now();
    assert_eq!(pay(&app, &lin, order["id"].as_i64().unwrap(), "card").await.0, StatusCode::OK);
    let detail = app_of(&app, &lin, id).await;
    assert_eq!(detail["basic"]["phase"], "active");
    assert_eq!(instant(&detail["basic"]["expires_at"]), add_months(paid, 2));
    let kinds: Vec<String> = notices(&app, id).await.into_iter().map(|(kind, _)| kind).collect();
    assert_eq!(kinds, ["suspended", "trial_converted", "reinstated"]);
    crate::usage::verify_clean(&app).await;
}

#[tokio::test]
async fn reminders_missed_in_an_outage_are_sent_once_in_order() {
    let app = spawn_app().await;
    app.state.clock.freeze();
    let lin = app.logged_in("lin.wei").await;
    let id = started(&app, &lin, "t").await;
    // Nothing swept for 14 days and a second: every reminder and the end at once.
    app.advance_clock(14 * DAY + 1).await;
    let (first, second) = tokio::join!(sweep_once(&app.state), sweep_once(&app.state));
    first.unwrap();
    second.unwrap();
    sweep_once(&app.state).await.unwrap();
    let expected = ["trial_ends_soon", "trial_ends_soon", "trial_ends_soon", "trial_ended"];
    assert_eq!(topics(&app, id).await, expected);
    let (_, messages) = app.get_as(&lin, "/messages").await;
    assert!(messages["items"].as_array().unwrap().iter().any(|m| m["topic"] == "trial_ended"), "{messages}");
}

#[tokio::test]
async fn unsubscribing_a_trial_releases_it_at_once_with_nothing_to_refund() {
    let app = spawn_app().await;
    let lin = app.logged_in("lin.wei").await;
    let id = started(&app, &lin, "t").await;
    let (status, quote) = app.get_as(&lin, &format!("/purchased-apps/{id}/unsubscription-quote")).await;
    assert_eq!(status, StatusCode::OK, "{quote}");
    let (status, left) = decode(
        lin.post(app.url(&format!("/purchased-apps/{id}/unsubscribe")))
            .header("Idempotency-Key", "leave")
            .json(&json!({ "refund": quote["refund"] }))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{left}");
    assert_eq!(left["refund"]["amount_minor"], 0, "{left}");
    assert_eq!(app.get_as(&lin, &format!("/purchased-apps/{id}")).await.0, StatusCode::GONE);
    let kinds: Vec<String> = notices(&app, id).await.into_iter().map(|(kind, _)| kind).collect();
    assert_eq!(kinds, ["unsubscribed"]);
    assert_error(&place(&app, &lin, "again", &crm_trial()).await.1, "conflict");
}
