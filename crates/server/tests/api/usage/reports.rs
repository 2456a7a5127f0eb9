//! The usage API: signatures, every refusal (per record where it is per record), duplicates,
//! the 1,000-record limit, and nothing half-recorded.

use reqwest::StatusCode;
use serde_json::json;

use super::*;
use crate::common::{assert_error, spawn_app};

#[tokio::test]
async fn each_record_is_answered_in_order_and_only_the_good_ones_are_kept() {
    let app = spawn_app().await;
    app.state.clock.freeze();
    let lin = app.logged_in("lin.wei").await;
    let hourly = hourly_app(&app, &lin, "h", 2).await;
    let seller = seller_of(&app, hourly).await;
    // Products of another seller, and a term app of this seller.
    // An app of another seller's (Maria's purchase of a product of another seller).
    let maria = app.logged_in("maria.santos").await;
    let other_product: i64 = db::query_scalar(
        "SELECT p.id FROM products p JOIN sku_prices s ON s.sku_id = (SELECT MIN(id) FROM skus WHERE product_id = p.id)
         WHERE p.seller_id <> $1 AND s.billing_mode = 'pay_per_use' AND p.supervised = FALSE AND p.delivery_method = 'saas'
           AND p.provisioning_behavior = 'normal' ORDER BY p.id LIMIT 1",
    )
    .bind(seller)
    .fetch_one(&app.state.db)
    .await
    .unwrap();
    let other_seller_app = bought_hourly(&app, &maria, "o", other_product, 1).await;
    let monthly = monthly_app(&app, &lin, "m").await;
    app.advance_clock(3 * 3_600).await;

    let records = json!({ "records": [
        record(hourly, &hour(&app, -1), 3),                                    // 0 accepted: 3 × ¥0.40 × 2
        record(hourly, &hour(&app, -1), 3),                                    // 1 duplicate
        record(hourly, &hour(&app, -1), 4),                                    // 2 changed
        record(hourly, &hour(&app, 1), 1),                                     // 3 future
        record(hourly, &hour(&app, -26), 1),                                   // 4 too late (and before start)
        record(999_999, &hour(&app, -1), 1),                                   // 5 unknown app
        record(other_seller_app, &hour(&app, -1), 1),                          // 6 another seller's
        record(monthly, &hour(&app, -1), 1),                                   // 7 not pay-per-use
        json!({ "app_id": hourly, "dimension": "api_calls", "quantity": 1, "hour": hour(&app, -2) }), // 8
        json!({ "app_id": hourly, "quantity": -1, "hour": hour(&app, -2) }),   // 9 negative
        json!({ "app_id": hourly, "quantity": 1.5, "hour": hour(&app, -2) }),  // 10 fractional
        json!({ "app_id": hourly, "quantity": 1, "hour": "2026-12-05T09:30:00Z" }), // 11 not a whole hour
        record(hourly, &hour(&app, 0), 2),                                     // 12 the hour in progress
        record(hourly, &hour(&app, -5), 2),                                    // 13 before the app was set up
    ]});
    let (status, answer) = report(&app, seller, &records).await;
    assert_eq!(status, StatusCode::OK, "{answer}");
    let outcomes: Vec<(String, Option<String>)> = answer["records"]
        .as_array()
        .unwrap()
        .iter()
        .enumerate()
        .map(|(index, r)| {
            assert_eq!(r["index"], index);
            (r["outcome"].as_str().unwrap().to_owned(), r["reason"].as_str().map(str::to_owned))
        })
        .collect();
    let expected = [
        ("accepted", None),
        ("duplicate", None),
        ("refused", Some("quantity_changed")),
        ("refused", Some("future_hour")),
        ("refused", Some("too_late")),
        ("refused", Some("unknown_app")),
        ("refused", Some("unknown_app")),
        ("refused", Some("not_pay_per_use")),
        ("refused", Some("unknown_dimension")),
        ("refused", Some("invalid_quantity")),
        ("refused", Some("invalid_quantity")),
        ("refused", Some("invalid_hour")),
        ("accepted", None),
        ("refused", Some("before_start")),
    ];
    let expected: Vec<(String, Option<String>)> =
        expected.iter().map(|(o, r)| ((*o).to_owned(), r.map(str::to_owned))).collect();
    assert_eq!(outcomes, expected);
    assert_eq!(answer["records"][0]["amount"]["amount_minor"], 3 * 40 * 2);
    assert_eq!(
        (answer["accepted"].as_i64(), answer["duplicates"].as_i64(), answer["refused"].as_i64()),
        (Some(2), Some(1), Some(11))
    );
    assert_eq!(count(&app, "SELECT COUNT(*) FROM usage_records").await, 2);
    assert_eq!(count(&app, "SELECT CAST(SUM(amount_minor) AS BIGINT) FROM usage_records").await, (3 + 2) * 40 * 2);

    // The same report again changes nothing.
    let (_, again) = report(&app, seller, &records).await;
    assert_eq!(again["accepted"], 0);
    assert_eq!(again["duplicates"], 3);
    assert_eq!(count(&app, "SELECT COUNT(*) FROM usage_records").await, 2);

    // A report of a recorded hour and a new one: the new one is stored, the other is a
    // duplicate, and the month's sums count each once.
    let mixed = json!({ "records": [record(hourly, &hour(&app, -1), 3), record(hourly, &hour(&app, -2), 1)] });
    let (_, mixed) = report(&app, seller, &mixed).await;
    assert_eq!((mixed["accepted"].as_i64(), mixed["duplicates"].as_i64()), (Some(1), Some(1)), "{mixed}");
    assert_eq!(mixed["records"][1]["outcome"], "accepted");
    assert_eq!(count(&app, "SELECT COUNT(*) FROM usage_records").await, 3);
    assert_eq!(count(&app, "SELECT CAST(SUM(quantity) AS BIGINT) FROM usage_month_sums").await, 3 + 2 + 1);
    verify_clean(&app).await;
}

#[tokio::test]
async fn a_report_of_1001_records_is_refused_whole_and_1000_are_taken() {
    let app = spawn_app().await;
    app.state.clock.freeze();
    let lin = app.logged_in("lin.wei").await;
    let hourly = hourly_app(&app, &lin, "h", 1).await;
    let seller = seller_of(&app, hourly).await;
    app.advance_clock(3 * 3_600).await;
    let too_many: Vec<_> = (0..1_001).map(|_| record(hourly, &hour(&app, -1), 1)).collect();
    let (status, body) = report(&app, seller, &json!({ "records": too_many })).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_error(&body, "validation_failed");
    assert_eq!(body["field_errors"][0]["field"], "records");
    assert_eq!(count(&app, "SELECT COUNT(*) FROM usage_records").await, 0);

    let thousand: Vec<_> = (0..1_000).map(|_| record(hourly, &hour(&app, -1), 1)).collect();
    let (status, body) = report(&app, seller, &json!({ "records": thousand })).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!((body["accepted"].as_i64(), body["duplicates"].as_i64()), (Some(1), Some(999)));
}

#[tokio::test]
async fn bad_signatures_stale_timestamps_reused_nonces_and_bad_json_are_refused() {
    let app = spawn_app().await;
    app.state.clock.freeze();
    let lin = app.logged_in("lin.wei").await;
    let hourly = hourly_app(&app, &lin, "h", 1).await;
    let seller = seller_of(&app, hourly).await;
    app.advance_clock(2 * 3_600).await;
    let body = serde_json::to_vec(&json!({ "records": [record(hourly, &hour(&app, -1), 1)] })).unwrap();
    let now = app.state.clock.unix_now();
    let expect = |(status, answer): (StatusCode, serde_json::Value), words: &str| {
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{answer}");
        assert_error(&answer, "signature_refused");
        assert!(answer["message"].as_str().unwrap().contains(words), "{answer}");
    };
    expect(signed(&app, seller, body.clone(), now, "nonce-0000000001", Some("00ff")).await, "does not match");
    expect(signed(&app, seller, body.clone(), now - 301, "nonce-0000000002", None).await, "5 minutes");
    expect(signed(&app, seller, body.clone(), now + 301, "nonce-0000000003", None).await, "5 minutes");
    expect(signed(&app, seller, body.clone(), now, "short", None).await, "X-Bazaar-Nonce");
    // Signed with another seller's key.
    let other: i64 = db::query_scalar("SELECT id FROM sellers WHERE id <> $1 ORDER BY id LIMIT 1")
        .bind(seller)
        .fetch_one(&app.state.db)
        .await
        .unwrap();
    let other_key = app.seller_key(other).await;
    let forged = crypto::sign_request(&other_key, now, "nonce-0000000004", &body);
    expect(signed(&app, seller, body.clone(), now, "nonce-0000000004", Some(&forged)).await, "does not match");
    assert_eq!(count(&app, "SELECT COUNT(*) FROM usage_records").await, 0);

    // Within the skew it is taken; the same nonce again is refused.
    let (status, _) = signed(&app, seller, body.clone(), now - 299, "nonce-0000000005", None).await;
    assert_eq!(status, StatusCode::OK);
    expect(signed(&app, seller, body.clone(), now, "nonce-0000000005", None).await, "nonce was used");

    let (status, answer) = signed(&app, seller, b"{\"records\": [".to_vec(), now, "nonce-0000000006", None).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{answer}");
    assert_error(&answer, "bad_request");
    let (status, answer) = signed(&app, seller, b"{\"rows\": []}".to_vec(), now, "nonce-0000000007", None).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{answer}");

    // A buyer's session is no way in.
    let (status, _) =
        decode(lin.post(app.url("/seller/usage")).json(&json!({ "records": [] })).send().await.unwrap()).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn usage_after_unsubscribing_is_refused_but_the_hour_it_stopped_in_is_kept() {
    let app = spawn_app().await;
    app.state.clock.freeze();
    let lin = app.logged_in("lin.wei").await;
    let hourly = hourly_app(&app, &lin, "h", 1).await;
    let seller = seller_of(&app, hourly).await;
    app.advance_clock(2 * 3_600).await;
    let (_, quote) = app.get_as(&lin, &format!("/purchased-apps/{hourly}/unsubscription-quote")).await;
    let response = lin
        .post(app.url(&format!("/purchased-apps/{hourly}/unsubscribe")))
        .header("Idempotency-Key", "u")
        .json(&json!({ "refund": quote["refund"] }))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::CREATED, "{:?}", response.text().await);
    app.advance_clock(3_600).await;
    let (_, answer) = report(
        &app,
        seller,
        &json!({ "records": [
            record(hourly, &hour(&app, -1), 1),
            record(hourly, &hour(&app, 0), 1),
        ]}),
    )
    .await;
    assert_eq!(answer["records"][0]["outcome"], "accepted", "{answer}");
    assert_eq!(answer["records"][1]["reason"], "ended", "{answer}");
}
