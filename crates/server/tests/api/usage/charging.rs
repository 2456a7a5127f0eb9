//! Hourly charges exactly once (also with two instances), arrears → Frozen at 24 h →
//! Released 15 days later, "pay outstanding", and the spending cap at 80 % and 100 %.

use reqwest::StatusCode;
use serde_json::json;

use super::*;
use crate::common::{assert_error, spawn_app};

const HOUR: i64 = 3_600;
const DAY: i64 = 86_400;

async fn usage_of(app: &TestApp, client: &Client, app_id: i64) -> Value {
    let (status, usage) = app.get_as(client, &format!("/purchased-apps/{app_id}/usage")).await;
    assert_eq!(status, StatusCode::OK, "{usage}");
    usage
}

async fn ledger_usage(app: &TestApp, app_id: i64) -> i64 {
    db::query_scalar(
        "SELECT CAST(COALESCE(-SUM(amount_minor), 0) AS BIGINT) FROM ledger_entries WHERE usage_charge_id IS NOT NULL AND app_id = $1",
    )
    .bind(app_id)
    .fetch_one(&app.state.db)
    .await
    .unwrap()
}

#[tokio::test]
async fn usage_is_charged_every_hour_exactly_once_even_by_two_instances() {
    let app = spawn_app().await;
    app.state.clock.freeze();
    let lin = app.logged_in("lin.wei").await;
    let hourly = hourly_app(&app, &lin, "h", 2).await;
    let seller = seller_of(&app, hourly).await;
    app.advance_clock(2 * HOUR).await;
    let (_, answer) = report(
        &app,
        seller,
        &json!({ "records": [record(hourly, &hour(&app, -1), 5), record(hourly, &hour(&app, -2), 1)] }),
    )
    .await;
    assert_eq!(answer["accepted"], 2, "{answer}");
    // Nothing is charged before the next whole hour.
    assert_eq!(later(&app, 0).await.usage.charged, 0);
    assert_eq!(usage_of(&app, &lin, hourly).await["outstanding"]["amount_minor"], 6 * 80);

    // Two instances on one database sweep at once: one charge.
    let second = app.restart_with(|_| {}).await;
    app.advance_clock(HOUR).await;
    let (a, b) = tokio::join!(
        bazaar_server::domain::lifecycle::sweep_once(&app.state),
        bazaar_server::domain::lifecycle::sweep_once(&second.state)
    );
    assert_eq!(a.unwrap().usage.charged + b.unwrap().usage.charged, 1);
    assert_eq!(ledger_usage(&app, hourly).await, 6 * 80);
    let channel: String = db::query_scalar("SELECT channel FROM usage_charges WHERE app_id = $1")
        .bind(hourly)
        .fetch_one(&app.state.db)
        .await
        .unwrap();
    assert_eq!(channel, "card");
    let usage = usage_of(&app, &lin, hourly).await;
    assert_eq!(usage["outstanding"]["amount_minor"], 0);
    assert_eq!(usage["month_charged"]["amount_minor"], 6 * 80);
    assert_eq!(usage["standing"], "paid");
    assert_eq!(usage["hours"].as_array().unwrap().len(), 2);

    // A later hour is charged by the next run; nothing twice.
    report(&app, seller, &json!({ "records": [record(hourly, &hour(&app, -1), 1)] })).await;
    later(&app, HOUR).await;
    later(&app, HOUR).await;
    assert_eq!(ledger_usage(&app, hourly).await, 7 * 80);
    assert_eq!(count(&app, "SELECT COUNT(*) FROM usage_records WHERE charge_id IS NULL").await, 0);
    verify_clean(&app).await;
}

/// Maria's card is declined; without her credit line and with ¥50 of balance, ¥80 of usage
/// cannot be paid.
async fn maria_in_arrears(app: &TestApp) -> (Client, i64, i64) {
    let maria = app.logged_in("maria.santos").await;
    db::query("DELETE FROM credit_lines").execute(&app.state.db).await.unwrap();
    let hourly = hourly_app(app, &maria, "h", 1).await;
    let seller = seller_of(app, hourly).await;
    app.advance_clock(2 * HOUR).await;
    let (_, answer) = report(app, seller, &json!({ "records": [record(hourly, &hour(app, -1), 200)] })).await;
    assert_eq!(answer["accepted"], 1, "{answer}");
    (maria, hourly, seller)
}

#[tokio::test]
async fn a_failed_charge_freezes_the_app_after_24_hours_and_paying_reinstates_it() {
    let app = spawn_app().await;
    app.state.clock.freeze();
    let (maria, hourly, _) = maria_in_arrears(&app).await;
    // To the next whole hour: the run fails.
    let to_next_hour = HOUR - app.state.clock.unix_now().rem_euclid(HOUR);
    let report = later(&app, to_next_hour).await;
    assert_eq!(report.usage.failed, 1);
    let failed = messages_about(&app, &maria, "usage_charge_failed").await;
    assert_eq!(failed.len(), 1);
    let usage = usage_of(&app, &maria, hourly).await;
    assert_eq!(usage["standing"], "arrears");
    assert_eq!(ledger_usage(&app, hourly).await, 0);

    // Retried every hour; one message for the whole episode.
    later(&app, HOUR).await;
    assert_eq!(messages_about(&app, &maria, "usage_charge_failed").await.len(), 1);

    // 24 h − 1 s after the first failure it is still usable; at 24 h it is frozen.
    let since: i64 = db::query_scalar("SELECT arrears_since FROM metered_apps WHERE app_id = $1")
        .bind(hourly)
        .fetch_one(&app.state.db)
        .await
        .unwrap();
    let to = |at: i64| at - app.state.clock.unix_now();
    later(&app, to(since + DAY - 1)).await;
    let (_, detail) = app.get_as(&maria, &format!("/purchased-apps/{hourly}")).await;
    assert_eq!(detail["basic"]["phase"], "active", "{detail}");
    assert_eq!(notices(&app, hourly, "suspended").await, 0);
    later(&app, 1).await;
    let (_, detail) = app.get_as(&maria, &format!("/purchased-apps/{hourly}")).await;
    assert_eq!(detail["basic"]["phase"], "frozen", "{detail}");
    assert_eq!(detail["application"]["password_locked"], "unpaid_usage", "{detail}");
    assert_eq!(detail["application"]["password_revealable"], false);
    let response = maria.post(app.url(&format!("/purchased-apps/{hourly}/credentials/reveal"))).send().await.unwrap();
    let (status, refused) = decode(response).await;
    assert_eq!(status, StatusCode::CONFLICT, "{refused}");
    assert!(refused["message"].as_str().unwrap().contains("unpaid usage"), "{refused}");
    assert_eq!(usage_of(&app, &maria, hourly).await["standing"], "frozen");
    assert_eq!(notices(&app, hourly, "suspended").await, 1);
    assert_eq!(messages_about(&app, &maria, "usage_frozen").await.len(), 1);
    later(&app, 60).await;
    assert_eq!(notices(&app, hourly, "suspended").await, 1);

    // Paying with a balance that does not cover it changes nothing; topped up, it pays.
    let pay = |method: &'static str| {
        let maria = maria.clone();
        let url = app.url("/billing/outstanding/payment");
        async move { decode(maria.post(url).json(&json!({ "method": method })).send().await.unwrap()).await }
    };
    let (status, body) = pay("balance").await;
    assert_eq!(status, StatusCode::PAYMENT_REQUIRED, "{body}");
    assert_error(&body, "insufficient_balance");
    let (status, _) = pay("card").await;
    assert_eq!(status, StatusCode::PAYMENT_REQUIRED);
    let maria_id: i64 = db::query_scalar("SELECT id FROM accounts WHERE username = 'maria.santos'")
        .fetch_one(&app.state.db)
        .await
        .unwrap();
    bazaar_server::domain::payments::top_up(
        &app.state.db,
        bazaar_core::ids::AccountId(maria_id),
        bazaar_core::money::Money::new(10_000, bazaar_core::money::Currency::CNY),
        "test",
        app.state.clock.unix_now(),
    )
    .await
    .unwrap();
    let (status, paid) = pay("balance").await;
    assert_eq!(status, StatusCode::OK, "{paid}");
    assert_eq!(paid["paid"]["amount_minor"], 200 * 40);
    assert_eq!(paid["reinstated"], json!([hourly]));
    assert_eq!(notices(&app, hourly, "reinstated").await, 1);
    assert_eq!(usage_of(&app, &maria, hourly).await["standing"], "paid");
    let (_, detail) = app.get_as(&maria, &format!("/purchased-apps/{hourly}")).await;
    assert_eq!(detail["basic"]["phase"], "active");
    assert_eq!(detail["application"]["password_locked"], Value::Null);
    let (status, body) = pay("balance").await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    verify_clean(&app).await;
}

#[tokio::test]
async fn an_app_frozen_for_15_days_is_released() {
    let app = spawn_app().await;
    app.state.clock.freeze();
    let (maria, hourly, seller) = maria_in_arrears(&app).await;
    later(&app, HOUR).await;
    let since: i64 = db::query_scalar("SELECT arrears_since FROM metered_apps WHERE app_id = $1")
        .bind(hourly)
        .fetch_one(&app.state.db)
        .await
        .unwrap();
    // A sweeper down the whole time: at release + 1 s it sends both, in order.
    app.advance_clock(since + DAY + 15 * DAY - app.state.clock.unix_now() - 1).await;
    let (status, _) = app.get_as(&maria, &format!("/purchased-apps/{hourly}")).await;
    assert_eq!(status, StatusCode::OK);
    let swept = later(&app, 1).await;
    assert_eq!((swept.usage_standing.frozen, swept.usage_standing.released), (1, 1));
    let (status, _) = app.get_as(&maria, &format!("/purchased-apps/{hourly}")).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (_, list) = app.get_as(&maria, "/purchased-apps").await;
    assert!(list["items"].as_array().unwrap().iter().all(|item| item["id"] != hourly), "{list}");
    assert_eq!(notices(&app, hourly, "released").await, 1);
    assert_eq!(messages_about(&app, &maria, "usage_released").await.len(), 1);
    // Released: usage after it is refused; what it owes is still owed.
    app.advance_clock(HOUR).await;
    let (_, answer) = report(&app, seller, &json!({ "records": [record(hourly, &hour(&app, 0), 1)] })).await;
    assert_eq!(answer["records"][0]["reason"], "ended", "{answer}");
    let (_, bills) = app.get_as(&maria, "/billing/bills").await;
    assert_eq!(bills["outstanding"]["amount_minor"], 200 * 40, "{bills}");
    later(&app, 60).await;
    assert_eq!(notices(&app, hourly, "released").await, 1);
}

#[tokio::test]
async fn a_spending_cap_warns_at_80_percent_and_suspends_at_100() {
    let app = spawn_app().await;
    app.state.clock.freeze();
    let lin = app.logged_in("lin.wei").await;
    let hourly = hourly_app(&app, &lin, "h", 1).await;
    let seller = seller_of(&app, hourly).await;
    // Start at the beginning of an hour early in a month, so that the test stays in it.
    let now = app.state.clock.now();
    let month_end = bazaar_core::usage::next_month_start(now);
    if month_end - now < time::Duration::days(2) {
        app.advance_clock((month_end - now).whole_seconds() + HOUR).await;
    }
    app.advance_clock(2 * HOUR).await;
    let cap = |value: Value| {
        let lin = lin.clone();
        let url = app.url(&format!("/purchased-apps/{hourly}/spending-cap"));
        async move { decode(lin.put(url).json(&json!({ "cap_minor": value })).send().await.unwrap()).await }
    };
    let (status, usage) = cap(json!(1_000)).await;
    assert_eq!(status, StatusCode::OK, "{usage}");
    assert_eq!(usage["cap"]["amount_minor"], 1_000);
    let (status, body) = cap(json!(0)).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");

    // ¥7.60 of ¥10: below 80 %; then ¥8.00: the warning.
    report(&app, seller, &json!({ "records": [record(hourly, &hour(&app, -1), 19)] })).await;
    later(&app, HOUR).await;
    assert!(messages_about(&app, &lin, "spending_cap_warning").await.is_empty());
    report(&app, seller, &json!({ "records": [record(hourly, &hour(&app, -1), 1)] })).await;
    later(&app, HOUR).await;
    assert_eq!(messages_about(&app, &lin, "spending_cap_warning").await.len(), 1);
    assert!(messages_about(&app, &lin, "spending_cap_reached").await.is_empty());

    // ¥4.00 more: ¥2.00 charged up to the cap, ¥2.00 beyond it never charged; suspended.
    report(&app, seller, &json!({ "records": [record(hourly, &hour(&app, -1), 10)] })).await;
    later(&app, HOUR).await;
    assert_eq!(messages_about(&app, &lin, "spending_cap_reached").await.len(), 1);
    assert_eq!(messages_about(&app, &lin, "spending_cap_warning").await.len(), 1);
    let usage = usage_of(&app, &lin, hourly).await;
    assert_eq!(usage["month_charged"]["amount_minor"], 1_000);
    assert_eq!(usage["month_waived"]["amount_minor"], 200);
    assert_eq!(usage["cap_level"], "reached");
    assert_eq!(usage["suspended_by_cap"], true);
    assert_eq!(ledger_usage(&app, hourly).await, 1_000);
    assert_eq!(notices(&app, hourly, "suspended").await, 1);

    // Lowering below the month's spend is refused; raising lifts the suspension.
    let (status, body) = cap(json!(999)).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(body["field_errors"][0]["field"], "cap_minor");
    let (status, usage) = cap(json!(2_000)).await;
    assert_eq!(status, StatusCode::OK, "{usage}");
    assert_eq!(usage["suspended_by_cap"], false);
    assert_eq!(notices(&app, hourly, "reinstated").await, 1);
    verify_clean(&app).await;

    // Another buyer's app is not found; so is a term app.
    let maria = app.logged_in("maria.santos").await;
    let (status, _) = app.get_as(&maria, &format!("/purchased-apps/{hourly}/usage")).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let monthly = monthly_app(&app, &lin, "m").await;
    let (status, _) = app.get_as(&lin, &format!("/purchased-apps/{monthly}/usage")).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_buyer_with_more_due_apps_than_a_page_has_all_of_them_charged_in_one_run() {
    let app = spawn_app().await;
    let now = app.state.clock.unix_now();
    // 510 pay-per-use apps of maria.santos (no benchmark buyers exist), an hour of use each.
    bazaar_server::demo::metered_bench::generate(&app.state.db, 510, 0, 1, now).await.unwrap();
    let swept = later(&app, 0).await;
    assert_eq!((swept.usage.charged, swept.usage.failed), (510, 0));
    assert_eq!(count(&app, "SELECT COUNT(*) FROM usage_records WHERE charge_id IS NULL").await, 0);
    // One payment for the buyer (her card is declined; her credit line pays).
    assert_eq!(
        count(&app, "SELECT COUNT(DISTINCT gateway_reference) + COUNT(DISTINCT channel) FROM usage_charges").await,
        1
    );
    verify_clean(&app).await;
}
