//! After payment: the signed seller call, failures and refunds, restarts, and My Orders.

use super::*;
use bazaar_server::infra::db::{self, Backend};

#[tokio::test]
async fn the_demo_seller_refuses_tampered_and_replayed_requests() {
    use bazaar_server::infra::crypto;
    let app = spawn_app().await;
    let key = app.seller_key(1).await;
    let body = serde_json::to_vec(&json!({
        "order_line_id": "BZ00009999-1", "order_number": "BZ00009999", "product_id": 1, "product_name": "Northwind CRM Cloud",
        "sku_id": 1, "sku_name": "Team", "quantity": 1, "region": "cn-north-4", "billing_mode": "yearly_monthly",
        "buyer_contact": null
    }))
    .unwrap();
    let now = app.state.clock.unix_now();
    let send = |timestamp: i64, nonce: &'static str, signature: String, body: Vec<u8>| {
        app.client
            .post(app.url("/demo/sellers/1/provision"))
            .header("content-type", "application/json")
            .header(crypto::TIMESTAMP_HEADER, timestamp.to_string())
            .header(crypto::NONCE_HEADER, nonce)
            .header(crypto::SIGNATURE_HEADER, signature)
            .body(body)
            .send()
    };
    let nonce = "0123456789abcdef0123";
    let good = crypto::sign_request(&key, now, nonce, &body);
    let mut tampered_body = body.clone();
    tampered_body[20] ^= 1;
    assert_eq!(send(now, nonce, good.clone(), tampered_body).await.unwrap().status(), StatusCode::UNAUTHORIZED);
    let wrong_key = crypto::SecretKey::from_hex(&"11".repeat(32)).unwrap();
    let forged = crypto::sign_request(&wrong_key, now, nonce, &body);
    assert_eq!(send(now, nonce, forged, body.clone()).await.unwrap().status(), StatusCode::UNAUTHORIZED);
    let stale = crypto::sign_request(&key, now - 3600, nonce, &body);
    assert_eq!(send(now - 3600, nonce, stale, body.clone()).await.unwrap().status(), StatusCode::UNAUTHORIZED);

    let (status, first) = decode(send(now, nonce, good.clone(), body.clone()).await.unwrap()).await;
    assert_eq!(status, StatusCode::OK, "{first}");
    assert_eq!(send(now, nonce, good, body.clone()).await.unwrap().status(), StatusCode::UNAUTHORIZED, "replay");
    // The same order line again (fresh nonce) is the same instance: idempotent.
    let nonce2 = "fedcba9876543210fedc";
    let signature = crypto::sign_request(&key, now, nonce2, &body);
    let (status, second) = decode(send(now, nonce2, signature, body).await.unwrap()).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(first["instance_id"], second["instance_id"]);
    assert!(key.open_base64(first["password_sealed"].as_str().unwrap()).is_ok());
}

#[tokio::test]
async fn a_failing_seller_cancels_and_refunds_the_order_with_the_reason() {
    let app = spawn_app_with(|config| {
        config.provisioning_attempts = 3;
        config.provisioning_backoff_ms = 20;
    })
    .await;
    let buyer = app.logged_in("lin.wei").await;
    let before = balance(&app, &buyer).await;
    let body = json!({
        "product_id": 6,
        "configuration": { "sku_id": 12, "billing_mode": "yearly_monthly", "duration_months": 1, "quantity": 1, "region": "cn-north-4" },
        "accept_terms": true
    });
    let (_, order) = place(&app, &buyer, "fail-1", &body).await;
    let id = order["id"].as_i64().unwrap();
    let (status, _) = pay(&app, &buyer, id, "balance").await;
    assert_eq!(status, StatusCode::OK);
    let cancelled = wait_for(&app, &buyer, id, |o| o["status"] == "cancelled").await;
    assert_eq!(cancelled["cancel_reason"]["code"], "provisioning_failed");
    let detail = cancelled["cancel_reason"]["detail"].as_str().unwrap();
    assert!(detail.contains("3 attempts") && detail.contains("HTTP 503"), "{detail}");
    assert_eq!(cancelled["provisioning"]["state"], "failed");
    assert_eq!(cancelled["provisioning"]["attempts"], 3);
    assert!(cancelled["payment"]["refunded_at"].is_string());
    assert_eq!(balance(&app, &buyer).await, before, "refunded in full");
    let (_, list) = app.get_as(&buyer, "/orders?status=cancelled").await;
    assert_eq!(list["total"], 1);
}

#[tokio::test]
async fn a_seller_that_times_out_is_retried_then_the_order_is_cancelled_and_refunded() {
    let app = spawn_app_with(|config| {
        config.provisioning_timeout_ms = 300;
        config.provisioning_attempts = 2;
        config.provisioning_backoff_ms = 20;
    })
    .await;
    let buyer = app.logged_in("lin.wei").await;
    let before = balance(&app, &buyer).await;
    // Tidewater Data Lake's seller takes 3 s: longer than this server waits.
    let body = json!({
        "product_id": 7,
        "configuration": { "sku_id": 13, "billing_mode": "yearly_monthly", "duration_months": 1, "quantity": 1, "region": "cn-north-4" },
        "accept_terms": true
    });
    let (_, order) = place(&app, &buyer, "slow-1", &body).await;
    let id = order["id"].as_i64().unwrap();
    pay(&app, &buyer, id, "card").await;
    let cancelled = wait_for(&app, &buyer, id, |o| o["status"] == "cancelled").await;
    assert!(cancelled["cancel_reason"]["detail"].as_str().unwrap().contains("did not answer in time"));
    assert!(cancelled["payment"]["refunded_at"].is_string());
    assert_eq!(balance(&app, &buyer).await, before);
    assert_eq!(count(&app, "SELECT COUNT(*) FROM ledger_entries WHERE channel = 'card'").await, 2, "charge and refund");
}

#[tokio::test]
async fn provisioning_in_flight_at_a_crash_is_resumed_once_after_restart() {
    // The first server's seller call goes to a black hole and hangs, like a process that
    // died mid-call: the job stays leased. The restarted server must pick it up.
    let black_hole = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let hole_address = format!("http://{}", black_hole.local_addr().unwrap());
    tokio::spawn(async move {
        let mut held = Vec::new();
        while let Ok((socket, _)) = black_hole.accept().await {
            held.push(socket);
        }
    });
    let first = spawn_app_with(|config| {
        config.self_url = Some(hole_address);
        config.provisioning_timeout_ms = 120_000;
    })
    .await;
    let buyer = first.logged_in("lin.wei").await;
    let (_, order) = place(&first, &buyer, "crash-1", &crm_order()).await;
    let id = order["id"].as_i64().unwrap();
    pay(&first, &buyer, id, "balance").await;
    for _ in 0..50 {
        if count(&first, "SELECT COUNT(*) FROM provisioning_jobs WHERE lease_until IS NOT NULL").await == 1 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(count(&first, "SELECT attempts FROM provisioning_jobs").await, 1, "the call is in flight");

    let second = first.restart_with(|_| {}).await;
    if second.state.db.backend() == Backend::Postgres {
        // Other instances may be alive on PostgreSQL, so a start releases no lease: the
        // dead instance's lease has to run out (60 s) before another takes the job over.
        second.advance_clock(61).await;
    }
    let buyer = second.logged_in("lin.wei").await;
    let done = wait_for(&second, &buyer, id, |o| o["status"] == "completed").await;
    assert_eq!(done["provisioning"]["attempts"], 2);
    assert_eq!(count(&second, "SELECT COUNT(*) FROM instances").await, 1);
    assert_eq!(count(&second, "SELECT COUNT(*) FROM ledger_entries WHERE kind = 'payment'").await, 1);
}

#[tokio::test]
async fn orders_belong_to_their_buyer() {
    let app = spawn_app().await;
    let lin = app.logged_in("lin.wei").await;
    let (_, order) = place(&app, &lin, "own-1", &crm_order()).await;
    let id = order["id"].as_i64().unwrap();

    let maria = app.logged_in("maria.santos").await;
    for path in [format!("/orders/{id}")] {
        let (status, body) = app.get_as(&maria, &path).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        assert_error(&body, "not_found");
    }
    let (status, _) = pay(&app, &maria, id, "credit").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = decode(maria.post(app.url(&format!("/orders/{id}/cancel"))).send().await.unwrap()).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (_, list) = app.get_as(&maria, "/orders").await;
    assert_eq!(list["total"], 0);

    let seller = app.logged_in("sam.okafor").await;
    let (status, _) = app.get_as(&seller, &format!("/orders/{id}")).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _) = place(&app, &seller, "s-1", &crm_order()).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let anonymous = app.other_client();
    let (status, _) = app.get_as(&anonymous, "/orders").await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let (status, _) = place(&app, &anonymous, "a-1", &crm_order()).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn my_orders_filters_pages_and_refuses_bad_parameters() {
    let app = spawn_app().await;
    let buyer = app.logged_in("lin.wei").await;
    for n in 0..3 {
        let (status, _) = place(&app, &buyer, &format!("list-{n}"), &crm_order()).await;
        assert_eq!(status, StatusCode::CREATED);
    }
    let (_, order) = place(&app, &buyer, "list-cancel", &crm_order()).await;
    let (status, cancelled) =
        decode(buyer.post(app.url(&format!("/orders/{}/cancel", order["id"]))).send().await.unwrap()).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(cancelled["cancel_reason"]["code"], "cancelled_by_buyer");

    let (_, all) = app.get_as(&buyer, "/orders?page_size=2").await;
    assert_eq!(all["total"], 4);
    assert_eq!(all["items"].as_array().unwrap().len(), 2);
    assert_eq!(all["items"][0]["id"], order["id"], "newest first");
    let (_, page2) = app.get_as(&buyer, "/orders?page_size=2&page=2").await;
    assert_eq!(page2["items"].as_array().unwrap().len(), 2);
    let (_, pending) = app.get_as(&buyer, "/orders?status=pending_payment").await;
    assert_eq!(pending["total"], 3);
    let (_, future) = app.get_as(&buyer, "/orders?created_from=2100-01-01T00:00:00Z").await;
    assert_eq!(future["total"], 0);
    let (_, past) = app.get_as(&buyer, "/orders?created_before=2100-01-01T00:00:00Z").await;
    assert_eq!(past["total"], 4);

    for (query, field) in [
        ("status=lost", "status"),
        ("created_from=yesterday", "created_from"),
        ("page_size=51", "page_size"),
        ("page=0", "page"),
        ("created_from=2026-02-01T00:00:00Z&created_before=2026-01-01T00:00:00Z", "created_before"),
    ] {
        let (status, error) = app.get_as(&buyer, &format!("/orders?{query}")).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{query}");
        assert_eq!(error["field_errors"][0]["field"], field, "{query}: {error}");
    }
}

#[tokio::test]
async fn cards_are_checked_and_only_their_last_digits_kept() {
    let app = spawn_app().await;
    let buyer = app.logged_in("lin.wei").await;
    let save = |number: &str, month: u8, year: u16| {
        buyer
            .put(app.url("/account/card"))
            .json(&json!({ "number": number, "expiry_month": month, "expiry_year": year }))
            .send()
    };
    let (status, error) = decode(save("4242 4242 4242 4241", 12, 2030).await.unwrap()).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(error["field_errors"][0]["field"], "number");
    let (status, error) = decode(save("4242 4242 4242 4242", 1, 2020).await.unwrap()).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(error["field_errors"][0]["field"], "expiry");
    let (status, card) = decode(save("5555 5555 5555 4444", 3, 2031).await.unwrap()).await;
    assert_eq!(status, StatusCode::OK, "{card}");
    assert_eq!(card["brand"], "Mastercard");
    assert_eq!(card["last4"], "4444");
    let stored: i64 = count(&app, "SELECT COUNT(*) FROM cards WHERE last4 = '4444'").await;
    assert_eq!(stored, 1);
    let anywhere: i64 = db::query_scalar(
        "SELECT COUNT(*) FROM cards WHERE brand LIKE '%5555555555%' OR gateway_token LIKE '%5555555555%'",
    )
    .fetch_one(&app.state.db)
    .await
    .unwrap();
    assert_eq!(anywhere, 0, "the full number is not stored");
    let (status, _) = decode(buyer.delete(app.url("/account/card")).send().await.unwrap()).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (_, options) = app.get_as(&buyer, "/account/payment-options").await;
    assert!(options["card"].is_null());
}
