//! Product Unsubscription: the 5-day window and the pro-rata refund with the demo clock,
//! refunds to each channel with ledger sums, stale quotes, retries, races and who may ask.

use bazaar_core::lifecycle::{PaidTerm, UnsubscriptionRule, term_end, term_refund};
use bazaar_core::money::{Currency, Money};
use bazaar_core::orders::PaymentChannel;
use bazaar_server::domain::verify::verify;
use reqwest::{Client, StatusCode};
use serde_json::{Value, json};

use super::paid_at;
use super::renewals::{bought, bought_with, renew};
use super::{crm_month, pay};
use crate::common::{TestApp, assert_error, decode, spawn_app};
use bazaar_server::infra::db;

const DAY: i64 = 86_400;

async fn quote(app: &TestApp, client: &Client, id: i64) -> (StatusCode, Value) {
    app.get_as(client, &format!("/purchased-apps/{id}/unsubscription-quote")).await
}

async fn unsubscribe(app: &TestApp, client: &Client, id: i64, key: &str, refund: &Value) -> (StatusCode, Value) {
    decode(
        client
            .post(app.url(&format!("/purchased-apps/{id}/unsubscribe")))
            .header("Idempotency-Key", key)
            .json(&json!({ "refund": refund }))
            .send()
            .await
            .unwrap(),
    )
    .await
}

async fn balance(app: &TestApp, client: &Client) -> i64 {
    let (_, options) = app.get_as(client, "/account/payment-options").await;
    options["balances"].as_array().unwrap().iter().find(|b| b["currency"] == "CNY").unwrap()["amount_minor"]
        .as_i64()
        .unwrap()
}

async fn credit_used(app: &TestApp, client: &Client) -> i64 {
    let (_, options) = app.get_as(client, "/account/payment-options").await;
    options["credit"][0]["used"]["amount_minor"].as_i64().unwrap()
}

async fn count(app: &TestApp, sql: &str) -> i64 {
    db::query_scalar(sql).fetch_one(&app.state.db).await.unwrap()
}

fn cny(minor: i64) -> Money {
    Money::new(minor, Currency::CNY)
}

#[tokio::test]
async fn on_day_two_the_payment_comes_back_in_full_and_the_app_is_gone_at_once() {
    let app = spawn_app().await;
    app.state.clock.freeze();
    let lin = app.logged_in("lin.wei").await;
    let before = balance(&app, &lin).await;
    let id = bought_with(&app, &lin, "b", &crm_month(), "balance").await;
    let paid = before - balance(&app, &lin).await;
    assert!(paid > 0);
    app.advance_clock(2 * DAY).await;

    let (status, offer) = quote(&app, &lin, id).await;
    assert_eq!(status, StatusCode::OK, "{offer}");
    assert_eq!(offer["rule"], "window_then_pro_rata");
    assert_eq!(offer["refund"]["amount_minor"], paid);
    assert_eq!(offer["fee"]["amount_minor"], 0);
    assert_eq!(offer["lines"][0]["in_full"], true);
    assert_eq!(offer["lines"][0]["term"]["channel"], "balance");

    let (status, left) = unsubscribe(&app, &lin, id, "u1", &offer["refund"]).await;
    assert_eq!(status, StatusCode::CREATED, "{left}");
    assert_eq!(left["refund"]["amount_minor"], paid);
    assert_eq!(left["refunds"][0]["channel"], "balance");
    assert_eq!(balance(&app, &lin).await, before, "the balance is whole again");

    // Released at once: not listed, not readable, credentials revoked.
    let (status, detail) = app.get_as(&lin, &format!("/purchased-apps/{id}")).await;
    assert_eq!(status, StatusCode::GONE, "{detail}");
    assert_error(&detail, "gone");
    let reveal = lin.post(app.url(&format!("/purchased-apps/{id}/credentials/reveal"))).send().await.unwrap();
    assert_eq!(reveal.status(), StatusCode::GONE);
    let (_, apps) = app.get_as(&lin, "/purchased-apps").await;
    assert!(apps["items"].as_array().unwrap().iter().all(|item| item["id"] != id), "{apps}");
    let (_, renewals) = app.get_as(&lin, "/renewals").await;
    assert!(renewals["items"].as_array().unwrap().iter().all(|item| item["id"] != id));
    let secrets = count(
        &app,
        &format!("SELECT COUNT(*) FROM instances WHERE order_id = {id} AND password_ciphertext IS NOT NULL"),
    )
    .await;
    assert_eq!(secrets, 0);

    // The order shows it; the buyer is messaged; the seller gets one notice.
    let (_, order) = app.get_as(&lin, &format!("/orders/{id}")).await;
    assert_eq!(order["status"], "completed");
    assert_eq!(order["unsubscribed"], true);
    assert_eq!(order["unsubscription"]["refund"]["amount_minor"], paid);
    let (_, messages) = app.get_as(&lin, "/messages").await;
    assert!(messages["items"].as_array().unwrap().iter().any(|m| m["topic"] == "unsubscribed"), "{messages}");
    assert_eq!(count(&app, "SELECT COUNT(*) FROM seller_notices WHERE kind = 'unsubscribed'").await, 1);

    // A retry with the same key is the same unsubscription; a new attempt is refused.
    let (status, again) = unsubscribe(&app, &lin, id, "u1", &offer["refund"]).await;
    assert_eq!((status, &again), (StatusCode::OK, &left));
    let (status, twice) = unsubscribe(&app, &lin, id, "u2", &offer["refund"]).await;
    assert_eq!(status, StatusCode::CONFLICT, "{twice}");
    assert_error(&twice, "conflict");
    assert_eq!(quote(&app, &lin, id).await.0, StatusCode::CONFLICT);
    assert_eq!(balance(&app, &lin).await, before, "nothing more came back");
    let report = verify(&app.state.db).await.unwrap();
    assert!(report.is_clean() && report.unsubscriptions == 1, "{report:?}");
}

#[tokio::test]
async fn on_day_twenty_the_unused_time_comes_back_less_the_fee_and_a_stale_quote_is_refused() {
    let app = spawn_app().await;
    app.state.clock.freeze();
    let lin = app.logged_in("lin.wei").await;
    let id = bought(&app, &lin, "b", &crm_month()).await;
    let (_, order) = app.get_as(&lin, &format!("/orders/{id}")).await;
    let paid = order["payment"]["amount"]["amount_minor"].as_i64().unwrap();
    let paid_on = paid_at(&app, id).await;
    app.advance_clock(20 * DAY).await;

    let (_, offer) = quote(&app, &lin, id).await;
    let term = PaidTerm {
        order_id: bazaar_core::ids::OrderId(id),
        channel: PaymentChannel::Card,
        amount: cny(paid),
        paid_at: paid_on,
        starts_at: paid_on,
        ends_at: term_end(paid_on, 1),
    };
    let expected = term_refund(term, UnsubscriptionRule::WindowThenProRata, app.state.clock.now());
    assert!(!expected.in_full && expected.refund.amount_minor > 0);
    assert_eq!(offer["refund"]["amount_minor"], expected.refund.amount_minor, "{offer}");
    assert_eq!(offer["fee"]["amount_minor"], (paid * 5 + 99) / 100);
    assert_eq!(offer["lines"][0]["term"]["channel"], "card");

    // A minute later the refund is smaller: the old quote is refused with the new one.
    app.advance_clock(3_600).await;
    let (status, stale) = unsubscribe(&app, &lin, id, "u1", &offer["refund"]).await;
    assert_eq!(status, StatusCode::CONFLICT, "{stale}");
    assert_error(&stale, "quote_changed");
    assert_eq!(stale["details"]["kind"], "quote", "{stale}");
    let fresh = &stale["details"]["quote"];
    assert!(fresh["refund"]["amount_minor"].as_i64().unwrap() < expected.refund.amount_minor);
    assert_eq!(count(&app, "SELECT COUNT(*) FROM unsubscriptions").await, 0, "nothing changed");
    assert_eq!(app.get_as(&lin, &format!("/purchased-apps/{id}")).await.0, StatusCode::OK);

    let (status, left) = unsubscribe(&app, &lin, id, "u2", &fresh["refund"]).await;
    assert_eq!(status, StatusCode::CREATED, "{left}");
    assert_eq!(left["refunds"][0]["channel"], "card");
    assert_eq!(left["refunds"][0]["card_label"], order["payment"]["card_label"]);
    let card_refunds = count(
        &app,
        &format!("SELECT CAST(SUM(amount_minor) AS BIGINT) FROM ledger_entries WHERE order_id = {id} AND kind = 'refund' AND channel = 'card'"),
    )
    .await;
    assert_eq!(card_refunds, fresh["refund"]["amount_minor"].as_i64().unwrap());
    assert!(verify(&app.state.db).await.unwrap().is_clean());
}

#[tokio::test]
async fn a_renewal_has_its_own_five_days_and_the_credit_line_is_restored() {
    let app = spawn_app().await;
    app.state.clock.freeze();
    let maria = app.logged_in("maria.santos").await;
    let id = bought_with(&app, &maria, "b", &crm_month(), "credit").await;
    let used_after_purchase = credit_used(&app, &maria).await;
    app.advance_clock(20 * DAY).await;
    let (status, renewal) = renew(&app, &maria, "r", json!([{ "app_id": id, "months": 1 }])).await;
    assert_eq!(status, StatusCode::CREATED, "{renewal}");
    let renewal_id = renewal["id"].as_i64().unwrap();
    assert_eq!(pay(&app, &maria, renewal_id, "credit").await.0, StatusCode::OK);
    let used_after_renewal = credit_used(&app, &maria).await;
    app.advance_clock(2 * DAY).await;

    let (_, offer) = quote(&app, &maria, id).await;
    let lines = offer["lines"].as_array().unwrap();
    assert_eq!(lines.len(), 2, "{offer}");
    assert_eq!((&lines[0]["in_full"], &lines[1]["in_full"]), (&json!(false), &json!(true)));
    assert_eq!(lines[1]["term"]["order_id"], renewal_id);
    assert_eq!(lines[1]["refund"], lines[1]["term"]["amount"]);
    let refund = offer["refund"]["amount_minor"].as_i64().unwrap();

    let (status, left) = unsubscribe(&app, &maria, id, "u", &offer["refund"]).await;
    assert_eq!(status, StatusCode::CREATED, "{left}");
    assert_eq!(left["refunds"].as_array().unwrap().len(), 2);
    assert_eq!(credit_used(&app, &maria).await, used_after_renewal - refund);
    assert!(credit_used(&app, &maria).await < used_after_purchase, "the whole renewal came back");
    assert!(verify(&app.state.db).await.unwrap().is_clean());
}

#[tokio::test]
async fn an_unpaid_renewal_of_an_app_left_is_cancelled() {
    let app = spawn_app().await;
    app.state.clock.freeze();
    let lin = app.logged_in("lin.wei").await;
    let id = bought(&app, &lin, "b", &crm_month()).await;
    let (_, renewal) = renew(&app, &lin, "r", json!([{ "app_id": id, "months": 1 }])).await;
    let (_, offer) = quote(&app, &lin, id).await;
    assert_eq!(unsubscribe(&app, &lin, id, "u", &offer["refund"]).await.0, StatusCode::CREATED);
    let (_, renewal) = app.get_as(&lin, &format!("/orders/{}", renewal["id"])).await;
    assert_eq!(renewal["status"], "cancelled", "{renewal}");
    let (status, _) = pay(&app, &lin, renewal["id"].as_i64().unwrap(), "card").await;
    assert_eq!(status, StatusCode::CONFLICT);
}

#[tokio::test]
async fn reseller_customers_get_a_reference_refund_on_the_resellers_bill() {
    let app = spawn_app().await;
    app.state.clock.freeze();
    let chen = app.logged_in("chen.jie").await;
    let id = bought(&app, &chen, "b", &crm_month()).await;
    let (_, offer) = quote(&app, &chen, id).await;
    assert_eq!(offer["reseller_name"], "Harbor Cloud Partners");
    assert_eq!(offer["lines"][0]["term"]["channel"], "reseller");
    let (status, left) = unsubscribe(&app, &chen, id, "u", &offer["refund"]).await;
    assert_eq!(status, StatusCode::CREATED, "{left}");
    let reseller_refunds = count(
        &app,
        &format!("SELECT COUNT(*) FROM ledger_entries WHERE order_id = {id} AND kind = 'refund' AND channel = 'reseller' AND reseller_id IS NOT NULL AND account_id IS NULL"),
    )
    .await;
    assert_eq!(reseller_refunds, 1);
}

#[tokio::test]
async fn twenty_unsubscribes_at_once_make_one_refund() {
    let app = spawn_app().await;
    app.state.clock.freeze();
    let lin = app.logged_in("lin.wei").await;
    let before = balance(&app, &lin).await;
    let id = bought_with(&app, &lin, "b", &crm_month(), "balance").await;
    let (_, offer) = quote(&app, &lin, id).await;
    let attempts = (0..20).map(|n| {
        let (app, lin, refund) = (&app, lin.clone(), offer["refund"].clone());
        async move { unsubscribe(app, &lin, id, &format!("k{n}"), &refund).await.0 }
    });
    let statuses = crate::orders::futures_join_all(attempts).await;
    assert_eq!(statuses.iter().filter(|s| **s == StatusCode::CREATED).count(), 1, "{statuses:?}");
    assert!(statuses.iter().all(|s| *s == StatusCode::CREATED || *s == StatusCode::CONFLICT), "{statuses:?}");
    assert_eq!(count(&app, "SELECT COUNT(*) FROM ledger_entries WHERE kind = 'refund'").await, 1);
    assert_eq!(balance(&app, &lin).await, before);
}

#[tokio::test]
async fn only_the_owner_may_ask_and_bad_requests_change_nothing() {
    let app = spawn_app().await;
    let lin = app.logged_in("lin.wei").await;
    let id = bought(&app, &lin, "b", &crm_month()).await;
    let (_, offer) = quote(&app, &lin, id).await;
    // Another buyer cannot tell the app exists; a seller or operations may not use this at all.
    for (someone_else, refused) in [
        ("maria.santos", StatusCode::NOT_FOUND),
        ("sam.okafor", StatusCode::FORBIDDEN),
        ("zhang.min", StatusCode::FORBIDDEN),
    ] {
        let client = app.logged_in(someone_else).await;
        assert_eq!(quote(&app, &client, id).await.0, refused, "{someone_else}");
        assert_eq!(unsubscribe(&app, &client, id, "x", &offer["refund"]).await.0, refused, "{someone_else}");
    }
    let anonymous = crate::common::new_client(&app.url(""));
    let response = anonymous.get(app.url(&format!("/purchased-apps/{id}/unsubscription-quote"))).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    // No key, a negative refund, an unknown field: refused before anything is read.
    let no_key = lin
        .post(app.url(&format!("/purchased-apps/{id}/unsubscribe")))
        .json(&json!({ "refund": offer["refund"] }))
        .send()
        .await
        .unwrap();
    assert_eq!(no_key.status(), StatusCode::BAD_REQUEST);
    let (status, body) = unsubscribe(&app, &lin, id, "n", &json!({ "amount_minor": -1, "currency": "CNY" })).await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    assert_error(&body, "quote_changed");
    assert_eq!(count(&app, "SELECT COUNT(*) FROM unsubscriptions").await, 0);
    assert!(verify(&app.state.db).await.unwrap().is_clean());
}

/// `verify` catches money created from nothing: refunds of one order adding up to more
/// than its payment (here forged past the per-app uniqueness).
#[tokio::test]
async fn verify_counts_refunds_beyond_the_payment() {
    let app = spawn_app().await;
    let lin = app.logged_in("lin.wei").await;
    let id = bought_with(&app, &lin, "b", &crm_month(), "balance").await;
    let (_, offer) = quote(&app, &lin, id).await;
    assert_eq!(unsubscribe(&app, &lin, id, "u", &offer["refund"]).await.0, StatusCode::CREATED);
    assert_eq!(verify(&app.state.db).await.unwrap().refunds_exceeding_payments, 0);
    db::query(
        "INSERT INTO ledger_entries (account_id, order_id, app_id, channel, kind, amount_minor, currency, note, created_at)
         SELECT account_id, order_id, NULL, channel, 'refund', 1, currency, 'forged', created_at
         FROM ledger_entries WHERE order_id = $1 AND kind = 'payment'",
    )
    .bind(id)
    .execute(&app.state.db)
    .await
    .unwrap();
    let report = verify(&app.state.db).await.unwrap();
    assert_eq!(report.refunds_exceeding_payments, 1, "{report:?}");
    assert!(!report.is_clean());
}
