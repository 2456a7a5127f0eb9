//! A term starts when the payment is confirmed, whatever pays it.

use bazaar_core::lifecycle::term_end;
use reqwest::StatusCode;

use super::{crm_month, instant, paid_at, pay, place};
use crate::common::spawn_app;
use bazaar_server::infra::db;

const DAY: i64 = 86_400;

#[tokio::test]
async fn a_term_paid_days_after_the_order_starts_at_the_payment_for_every_method() {
    let app = spawn_app().await;
    let lin = app.logged_in("lin.wei").await;
    let maria = app.logged_in("maria.santos").await;
    let (_, by_card) = place(&app, &lin, "card", &crm_month()).await;
    let (_, by_balance) = place(&app, &lin, "balance", &crm_month()).await;
    let (_, on_credit) = place(&app, &maria, "credit", &crm_month()).await;
    app.advance_clock(6 * DAY).await;
    for (client, order, method) in
        [(&lin, &by_card, "card"), (&lin, &by_balance, "balance"), (&maria, &on_credit, "credit")]
    {
        let id = order["id"].as_i64().unwrap();
        assert!(order["expires_at"].is_null(), "an unpaid order has no term yet: {order}");
        let (status, paid) = pay(&app, client, id, method).await;
        assert_eq!(status, StatusCode::OK, "{method}: {paid}");
        let (_, paid) = app.get_as(client, &format!("/orders/{id}")).await;
        let paid_at = paid_at(&app, id).await;
        assert_eq!(instant(&paid["payment"]["paid_at"]), paid_at);
        assert!(paid_at >= instant(&paid["created_at"]) + time::Duration::days(6), "{paid}");
        assert_eq!(instant(&paid["expires_at"]), term_end(paid_at, 1), "{method}: {paid}");
        // Paying again (a retry) changes nothing.
        let _ = pay(&app, client, id, method).await;
        let (_, again) = app.get_as(client, &format!("/orders/{id}")).await;
        assert_eq!(again["expires_at"], paid["expires_at"]);
    }
    let report = bazaar_server::domain::verify::verify(&app.state.db).await.unwrap();
    assert_eq!(report.terms_starting_before_payment, 0);
}

#[tokio::test]
async fn a_reseller_customer_s_term_starts_when_the_reseller_is_billed_and_a_replay_keeps_it() {
    let app = spawn_app().await;
    let chen = app.logged_in("chen.jie").await;
    let (status, order) = place(&app, &chen, "reseller", &crm_month()).await;
    assert_eq!(status, StatusCode::CREATED, "{order}");
    let id = order["id"].as_i64().unwrap();
    let (_, placed) = app.get_as(&chen, &format!("/orders/{id}")).await;
    assert_eq!(instant(&placed["expires_at"]), term_end(paid_at(&app, id).await, 1), "{placed}");
    app.advance_clock(DAY).await;
    let (status, replayed) = place(&app, &chen, "reseller", &crm_month()).await;
    assert_eq!((status, &replayed["id"]), (StatusCode::OK, &order["id"]), "{replayed}");
    let (_, after) = app.get_as(&chen, &format!("/orders/{id}")).await;
    assert_eq!(after["expires_at"], placed["expires_at"]);
}

#[tokio::test]
async fn verify_reports_a_term_counted_from_the_order_instead_of_the_payment() {
    let app = spawn_app().await;
    let lin = app.logged_in("lin.wei").await;
    let (_, order) = place(&app, &lin, "k", &crm_month()).await;
    let id = order["id"].as_i64().unwrap();
    app.advance_clock(3 * DAY).await;
    assert_eq!(pay(&app, &lin, id, "card").await.0, StatusCode::OK);
    // What the old code did: the term counted from placement.
    db::query("UPDATE orders SET expires_at = created_at + 30 * 86400 WHERE id = $1")
        .bind(id)
        .execute(&app.state.db)
        .await
        .unwrap();
    let report = bazaar_server::domain::verify::verify(&app.state.db).await.unwrap();
    assert_eq!(report.terms_starting_before_payment, 1);
    assert!(!report.is_clean());
}
