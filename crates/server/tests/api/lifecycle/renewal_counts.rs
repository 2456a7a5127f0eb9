//! Renewal Management's totals add up the day counts that triggers keep (migration 0012):
//! through generated apps, a purchase, a renewal, an unsubscription, a cancellation and the
//! clock moving, every filter's total equals a plain count, and `verify` agrees.

use bazaar_core::lifecycle::RenewalFilter;
use bazaar_server::domain::verify::verify;
use reqwest::Client;
use serde_json::json;

use super::renewals::{bought, renew};
use super::{crm_month, pay};
use crate::common::{TestApp, spawn_app};
use bazaar_server::infra::db;

const FILTERS: [(&str, Option<RenewalFilter>); 6] = [
    ("", None),
    ("?show=within_7_days", Some(RenewalFilter::Within7Days)),
    ("?show=within_15_days", Some(RenewalFilter::Within15Days)),
    ("?show=within_30_days", Some(RenewalFilter::Within30Days)),
    ("?show=expired", Some(RenewalFilter::Expired)),
    ("?show=frozen", Some(RenewalFilter::Frozen)),
];

/// The count Renewal Management answered before the day counts: row by row.
async fn plain_count(app: &TestApp, filter: Option<RenewalFilter>) -> i64 {
    let (after, up_to) = RenewalFilter::expiry_bounds(filter, app.state.clock.now());
    db::query_scalar(
        "SELECT COUNT(*) FROM orders o JOIN accounts a ON a.id = o.account_id
         WHERE a.username = 'lin.wei' AND o.kind = 'purchase' AND o.status = 'completed'
           AND o.expires_at IS NOT NULL AND o.unsubscribed_at IS NULL
           AND o.expires_at > $1 AND ($2 IS NULL OR o.expires_at <= $3)",
    )
    .bind(after.unix_timestamp())
    .bind(up_to.map(|at| at.unix_timestamp()))
    .bind(up_to.map(|at| at.unix_timestamp()))
    .fetch_one(&app.state.db)
    .await
    .unwrap()
}

async fn assert_totals_match(app: &TestApp, lin: &Client, moment: &str) {
    for (query, filter) in FILTERS {
        let (_, page) = app.get_as(lin, &format!("/renewals{query}")).await;
        let expected = plain_count(app, filter).await;
        assert!(expected > 0 || query == "?show=frozen", "{moment}: the data should fill {query:?}");
        assert_eq!(page["total"], json!(expected), "{moment}: total of /renewals{query}");
    }
    let report = verify(&app.state.db).await.unwrap();
    assert_eq!(report.term_day_counts_disagreeing, 0, "{moment}: {report:?}");
    assert!(report.is_clean(), "{moment}: {report:?}");
}

#[tokio::test]
async fn every_filters_total_equals_a_plain_count_as_apps_come_change_and_go() {
    let app = spawn_app().await;
    app.state.clock.freeze();
    let now = app.state.clock.now().unix_timestamp();
    // 400 apps spread over 100 days around today, several per day.
    bazaar_server::demo::apps::generate(&app.state.db, 400, now).await.unwrap();
    let lin = app.logged_in("lin.wei").await;
    assert_totals_match(&app, &lin, "generated").await;

    // A purchase through the API completes: one more app today + a month.
    let bought = bought(&app, &lin, "counts-buy", &crm_month()).await;
    assert_totals_match(&app, &lin, "after a purchase").await;

    // A renewal moves an app a month later, to another day.
    let (_, soon) = app.get_as(&lin, "/renewals?show=within_7_days").await;
    let renewed = soon["items"][0]["id"].as_i64().unwrap();
    let (status, order) = renew(&app, &lin, "counts-renew", json!([{ "app_id": renewed, "months": 1 }])).await;
    assert_eq!(status, 201, "{order}");
    assert_eq!(pay(&app, &lin, order["id"].as_i64().unwrap(), "card").await.0, 200);
    assert_totals_match(&app, &lin, "after a renewal").await;

    // An unsubscription and a cancellation take apps out.
    db::query("UPDATE orders SET unsubscribed_at = $1 WHERE id = $2")
        .bind(now)
        .bind(bought)
        .execute(&app.state.db)
        .await
        .unwrap();
    db::query(
        "UPDATE orders SET status = 'cancelled', cancel_reason_code = 'appeal_refunded'
         WHERE id = (SELECT MIN(id) FROM orders WHERE kind = 'purchase'
                                                            AND status = 'completed' AND expires_at > $1)",
    )
    .bind(now)
    .execute(&app.state.db)
    .await
    .unwrap();
    assert_totals_match(&app, &lin, "after apps left").await;

    // Time moves the ranges' partial days; the totals follow.
    app.advance_clock(3 * 86_400 + 4_321).await;
    assert_totals_match(&app, &lin, "three days later").await;
}

#[tokio::test]
async fn verify_catches_a_day_count_that_drifted_from_the_apps() {
    let app = spawn_app().await;
    let now = app.state.clock.now().unix_timestamp();
    bazaar_server::demo::apps::generate(&app.state.db, 20, now).await.unwrap();
    assert_eq!(verify(&app.state.db).await.unwrap().term_day_counts_disagreeing, 0);
    // A write that went around the triggers (by hand, or a future path): one day is off.
    db::query("UPDATE term_expiry_days SET apps = apps + 1 WHERE day = (SELECT MIN(day) FROM term_expiry_days)")
        .execute(&app.state.db)
        .await
        .unwrap();
    let report = verify(&app.state.db).await.unwrap();
    assert_eq!(report.term_day_counts_disagreeing, 1, "{report:?}");
    assert!(!report.is_clean());
}
