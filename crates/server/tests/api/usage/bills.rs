//! Monthly bills: open while the month and its late window run, closed on the 3rd and
//! never changed after; the CSV export.

use reqwest::StatusCode;
use serde_json::json;
use time::Duration;

use super::*;
use crate::common::spawn_app;

#[tokio::test]
async fn a_bill_closes_on_the_third_and_never_changes_after() {
    let app = spawn_app().await;
    app.state.clock.freeze();
    let lin = app.logged_in("lin.wei").await;
    let hourly = hourly_app(&app, &lin, "h", 1).await;
    let seller = seller_of(&app, hourly).await;
    // To 22:00 on the last day of this month.
    let now = app.state.clock.now();
    let next_month = bazaar_core::usage::next_month_start(now);
    app.advance_clock((next_month - Duration::hours(2) - now).whole_seconds()).await;
    let month = bazaar_core::usage::month_key(bazaar_core::usage::month_start(app.state.clock.now()));
    report(&app, seller, &json!({ "records": [record(hourly, &hour(&app, -1), 10)] })).await;
    later(&app, HOUR_AND_A_BIT).await;
    // 23:00 of the last day arrives late, the next morning; it is on the month's bill.
    app.advance_clock(8 * 3_600).await;
    let (_, late) = report(&app, seller, &json!({ "records": [record(hourly, &hour(&app, -8), 5)] })).await;
    assert_eq!(late["accepted"], 1, "{late}");

    let (status, list) = app.get_as(&lin, "/billing/bills").await;
    assert_eq!(status, StatusCode::OK);
    let bill = list["bills"].as_array().unwrap().iter().find(|b| b["month"] == month).unwrap().clone();
    assert_eq!(bill["state"], "open");
    assert_eq!(bill["rated"]["amount_minor"], 15 * 40);
    let closes_at = crate::lifecycle::instant(&bill["closes_at"]);
    // One second before the 3rd it is open; at the 3rd it closes.
    later(&app, (closes_at - app.state.clock.now()).whole_seconds() - 1).await;
    let (_, open) = app.get_as(&lin, &format!("/billing/bills/{month}/CNY")).await;
    assert_eq!(open["summary"]["state"], "open", "{open}");
    let swept = later(&app, 1).await;
    assert_eq!(swept.usage_standing.bills_closed, 1);
    let (_, closed) = app.get_as(&lin, &format!("/billing/bills/{month}/CNY")).await;
    assert_eq!(closed["summary"]["state"], "closed", "{closed}");
    assert_eq!(closed["summary"]["rated"]["amount_minor"], 15 * 40);
    assert_eq!(closed["summary"]["charged"]["amount_minor"], 15 * 40);
    let line = &closed["lines"][0];
    assert_eq!((line["app_id"].as_i64(), line["quantity"].as_i64()), (Some(hourly), Some(15)));

    // Editing the records behind a closed bill (which nothing in Bazaar does) shows nothing.
    db::query("UPDATE usage_records SET quantity = quantity + 1").execute(&app.state.db).await.unwrap();
    db::query("UPDATE usage_month_sums SET quantity = quantity + 1").execute(&app.state.db).await.unwrap();
    let (_, again) = app.get_as(&lin, &format!("/billing/bills/{month}/CNY")).await;
    assert_eq!(again["lines"][0]["quantity"], 15);
    db::query("UPDATE usage_records SET quantity = quantity - 1").execute(&app.state.db).await.unwrap();
    db::query("UPDATE usage_month_sums SET quantity = quantity - 1").execute(&app.state.db).await.unwrap();
    assert_eq!(later(&app, 60).await.usage_standing.bills_closed, 0);

    // The CSV: a header, one line, the total; read back with a CSV reader.
    let response = lin.get(app.url(&format!("/billing/bills/{month}/CNY/csv"))).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert!(response.headers()["content-type"].to_str().unwrap().starts_with("text/csv"));
    assert!(
        response.headers()["content-disposition"].to_str().unwrap().contains(&format!("bazaar-bill-{month}-CNY.csv"))
    );
    let text = response.text().await.unwrap();
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let header: Vec<String> = reader.headers().unwrap().iter().map(str::to_owned).collect();
    assert_eq!(header[..5], ["month", "order", "product", "dimension", "quantity"]);
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 2);
    assert_eq!(&rows[0][2], "Northwind CRM Cloud");
    assert_eq!((&rows[0][4], &rows[0][6], &rows[0][7]), ("15", "6.00", "6.00"));
    assert_eq!((&rows[1][2], &rows[1][6]), ("Total", "6.00"));

    // Someone else's bill is not there.
    let maria = app.logged_in("maria.santos").await;
    let (status, _) = app.get_as(&maria, &format!("/billing/bills/{month}/CNY")).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = app.get_as(&lin, "/billing/bills/2026-13/CNY").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    verify_clean(&app).await;

    // `verify` sees kept sums that drifted from their records.
    db::query("UPDATE usage_month_sums SET charged_minor = charged_minor - 1").execute(&app.state.db).await.unwrap();
    let report = bazaar_server::domain::verify::verify(&app.state.db).await.unwrap();
    assert_eq!((report.usage.usage_sums_disagreeing, report.is_clean()), (1, false));
}

const HOUR_AND_A_BIT: i64 = 3_600 + 60;

#[tokio::test]
async fn the_demo_has_a_month_of_usage_and_its_sellers_report_through_the_signed_api() {
    let app = crate::common::spawn_app_with(|config| config.demo_apps = true).await;
    let lin = app.logged_in("lin.wei").await;
    let hourly: i64 = db::query_scalar(
        "SELECT id FROM orders WHERE billing_mode = 'pay_per_use' AND account_id = (SELECT id FROM accounts WHERE username = 'lin.wei')",
    )
    .fetch_one(&app.state.db)
    .await
    .unwrap();
    // Set up by the demo seller once the server runs.
    wait_completed(&app, &lin, hourly).await;
    later(&app, 0).await;
    let (status, usage) = app.get_as(&lin, &format!("/purchased-apps/{hourly}/usage")).await;
    assert_eq!(status, StatusCode::OK, "{usage}");
    // 30 days of hours (give or take the hours at both ends), charged.
    let hours = usage["hours"].as_array().unwrap().len();
    assert!((710..=721).contains(&hours), "{hours} hours");
    assert_eq!(usage["outstanding"]["amount_minor"], 0, "{usage}");
    let (_, bills) = app.get_as(&lin, "/billing/bills").await;
    assert!(bills["bills"].as_array().unwrap().len() >= 2, "{bills}");

    // The meter reports the hours since through the signed API (nonces recorded, records
    // accepted), and nothing twice.
    app.advance_clock(3 * 3_600).await;
    let sent = bazaar_server::demo::usage_meter::report_once(&app.state).await.unwrap();
    assert!(sent >= 3, "{sent}");
    assert!(count(&app, "SELECT COUNT(*) FROM seller_request_nonces").await >= 1);
    assert_eq!(bazaar_server::demo::usage_meter::report_once(&app.state).await.unwrap(), 0);
    later(&app, 3_600).await;
    verify_clean(&app).await;
}
