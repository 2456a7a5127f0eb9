//! A sweeper that was down: every message and seller notice that fell due meanwhile is
//! sent when it is back, exactly once, in order, with its own due time; and a message is
//! written in the transaction of the change that causes it (an injected failure of the
//! message's write undoes the change too).

use bazaar_core::lifecycle::{ReminderKind, UNPAID_ORDER_LIFETIME, UNPAID_REMINDER_BEFORE, released_at, term_end};
use bazaar_core::messages::LATE_AFTER;
use bazaar_server::domain::lifecycle::sweep_once;
use bazaar_server::infra::db::{self, Database};
use reqwest::{Client, StatusCode};
use serde_json::json;
use time::{Duration, OffsetDateTime};

use super::{crm_month, instant, paid_at, pay, place};
use crate::common::{TestApp, decode, spawn_app};

async fn bought(app: &TestApp, client: &Client, key: &str) -> i64 {
    let (_, order) = place(app, client, key, &crm_month()).await;
    let id = order["id"].as_i64().unwrap();
    assert_eq!(pay(app, client, id, "card").await.0, StatusCode::OK);
    for _ in 0..200 {
        if app.get_as(client, &format!("/orders/{id}")).await.1["status"] == "completed" {
            return id;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("order {id} did not complete");
}

async fn move_by(app: &TestApp, by: Duration) {
    app.advance_clock(by.whole_seconds()).await;
}

/// The reader's messages, oldest first: (topic, due time, sent time).
async fn messages(app: &TestApp, client: &Client) -> Vec<(String, OffsetDateTime, OffsetDateTime)> {
    let (_, page) = app.get_as(client, "/messages?page_size=100").await;
    let mut items: Vec<(String, OffsetDateTime, OffsetDateTime)> = page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| (m["topic"].as_str().unwrap().to_owned(), instant(&m["due_at"]), instant(&m["created_at"])))
        .collect();
    items.reverse();
    items
}

/// The seller notices queued for order `id`, in the order they were queued: (kind, when it
/// occurred).
async fn notices(app: &TestApp, id: i64) -> Vec<(String, i64)> {
    db::query_as("SELECT kind, occurred_at FROM seller_notices WHERE order_id = $1 ORDER BY id")
        .bind(id)
        .fetch_all(&app.state.db)
        .await
        .unwrap()
}

/// From before the first reminder until after the release, the sweeper runs only once
/// every `jump` (1 hour: as good as always; 31 days: asleep through most of the term's
/// end). Whatever the jump, the buyer gets all seven reminders once each, in order, each
/// with its own due time, and the seller `suspended` then `released`, once each.
#[tokio::test]
async fn every_reminder_and_notice_arrives_once_in_order_whatever_the_outage() {
    for jump in [Duration::hours(1), Duration::days(8), Duration::days(16), Duration::days(31)] {
        let app = spawn_app().await;
        app.state.clock.freeze();
        let lin = app.logged_in("lin.wei").await;
        let id = bought(&app, &lin, "outage").await;
        let expires = term_end(paid_at(&app, id).await, 1);
        // Just before the first reminder falls due.
        move_by(&app, expires - Duration::days(7) - Duration::seconds(1) - app.state.clock.now()).await;
        assert_eq!(sweep_once(&app.state).await.unwrap().messages_sent, 0);
        while app.state.clock.now() <= released_at(expires) + Duration::hours(1) {
            move_by(&app, jump).await;
            // Two sweepers back at once send each message once.
            let (a, b) = tokio::join!(sweep_once(&app.state), sweep_once(&app.state));
            a.unwrap();
            b.unwrap();
        }
        let got = messages(&app, &lin).await;
        let topics: Vec<&str> = got.iter().map(|(topic, _, _)| topic.as_str()).collect();
        assert_eq!(
            topics,
            ["expires_soon", "expires_soon", "expires_soon", "expired", "frozen", "releases_soon", "released"],
            "jump {jump}"
        );
        for ((topic, due, sent), kind) in got.iter().zip(ReminderKind::ALL) {
            assert_eq!(*due, kind.due_at(expires), "jump {jump}: {topic} keeps its own due time");
            assert!(sent >= due && *sent - *due < jump + Duration::seconds(1), "jump {jump}: {topic} sent at {sent}");
        }
        let late = got.iter().filter(|(_, due, sent)| *sent - *due >= LATE_AFTER).count();
        if jump >= Duration::days(8) {
            assert!(late >= 4, "jump {jump}: an outage of days makes most of them late ({late})");
        }
        let frozen_at = ReminderKind::Frozen.due_at(expires).unix_timestamp();
        let released = released_at(expires).unix_timestamp();
        assert_eq!(
            notices(&app, id).await,
            [("suspended".to_owned(), frozen_at), ("released".to_owned(), released)],
            "jump {jump}"
        );
        // Delivered to the seller too, each once.
        let delivered: Vec<(String, i64)> =
            db::query_as("SELECT event_id, deliveries FROM demo_seller_notices ORDER BY received_at, event_id")
                .fetch_all(&app.state.db)
                .await
                .unwrap();
        assert_eq!(delivered.len(), 2, "jump {jump}: {delivered:?}");
        assert!(delivered.iter().all(|(_, deliveries)| *deliveries == 1), "{delivered:?}");
        // Nothing more, ever.
        move_by(&app, Duration::days(60)).await;
        sweep_once(&app.state).await.unwrap();
        assert_eq!(messages(&app, &lin).await.len(), 7);
    }
}

/// The case: asleep from before expiry until 28 days after it.
#[tokio::test]
async fn a_sweeper_asleep_for_four_weeks_sends_expired_and_frozen_too() {
    let app = spawn_app().await;
    app.state.clock.freeze();
    let lin = app.logged_in("lin.wei").await;
    let id = bought(&app, &lin, "asleep").await;
    let expires = term_end(paid_at(&app, id).await, 1);
    move_by(&app, expires - Duration::days(1) + Duration::seconds(1) - app.state.clock.now()).await;
    sweep_once(&app.state).await.unwrap();
    move_by(&app, Duration::days(29) - Duration::seconds(1)).await;
    let report = sweep_once(&app.state).await.unwrap();
    assert_eq!(report.messages_sent, 3, "{report:?}");
    let topics: Vec<String> = messages(&app, &lin).await.into_iter().map(|(topic, _, _)| topic).collect();
    assert_eq!(topics, ["expires_soon", "expires_soon", "expires_soon", "expired", "frozen", "releases_soon"]);
    assert_eq!(notices(&app, id).await.iter().map(|(kind, _)| kind.as_str()).collect::<Vec<_>>(), ["suspended"]);
    // The late ones say so on the wire.
    let (_, page) = app.get_as(&lin, "/messages").await;
    let frozen = page["items"].as_array().unwrap().iter().find(|m| m["topic"] == "frozen").unwrap();
    assert!(instant(&frozen["created_at"]) - instant(&frozen["due_at"]) >= Duration::days(13), "{frozen}");
}

/// An unpaid order whose whole last day passed while the sweeper was down still gets its
/// warning, dated when it fell due, before it is cancelled.
#[tokio::test]
async fn an_unpaid_order_is_warned_before_it_is_cancelled_even_after_an_outage() {
    let app = spawn_app().await;
    app.state.clock.freeze();
    let lin = app.logged_in("lin.wei").await;
    let (_, order) = place(&app, &lin, "unpaid-outage", &crm_month()).await;
    let id = order["id"].as_i64().unwrap();
    let placed = instant(&order["created_at"]);
    move_by(&app, UNPAID_ORDER_LIFETIME + Duration::days(1)).await;
    let report = sweep_once(&app.state).await.unwrap();
    assert_eq!((report.messages_sent, report.unpaid_cancelled), (1, 1), "{report:?}");
    let got = messages(&app, &lin).await;
    assert_eq!(got.len(), 1);
    assert_eq!(got[0].0, "unpaid_order_cancels_soon");
    assert_eq!(got[0].1, placed + UNPAID_ORDER_LIFETIME - UNPAID_REMINDER_BEFORE);
    assert_eq!(app.get_as(&lin, &format!("/orders/{id}")).await.1["status"], "cancelled");
    sweep_once(&app.state).await.unwrap();
    assert_eq!(messages(&app, &lin).await.len(), 1, "once");
}

/// Makes every insert of a `topic` message fail, as a crash between the change and its
/// message would: on SQLite a trigger, on PostgreSQL a trigger function.
async fn fail_messages_of(db: &Database, topic: &str) {
    match db {
        Database::Sqlite(_) => {
            db::query(&format!(
                "CREATE TRIGGER injected_failure BEFORE INSERT ON messages WHEN NEW.topic = '{topic}'
                 BEGIN SELECT RAISE(ABORT, 'injected failure'); END"
            ))
            .execute(db)
            .await
            .unwrap();
        }
        Database::Postgres(_) => {
            db::query(&format!(
                "CREATE FUNCTION injected_failure() RETURNS trigger AS $$
                 BEGIN IF NEW.topic = '{topic}' THEN RAISE EXCEPTION 'injected failure'; END IF; RETURN NEW; END
                 $$ LANGUAGE plpgsql"
            ))
            .execute(db)
            .await
            .unwrap();
            db::query(
                "CREATE TRIGGER injected_failure BEFORE INSERT ON messages FOR EACH ROW EXECUTE FUNCTION injected_failure()",
            )
            .execute(db)
            .await
            .unwrap();
        }
    }
}

async fn heal_messages(db: &Database) {
    match db {
        Database::Sqlite(_) => {
            db::query("DROP TRIGGER injected_failure").execute(db).await.unwrap();
        }
        Database::Postgres(_) => {
            db::query("DROP TRIGGER injected_failure ON messages").execute(db).await.unwrap();
            db::query("DROP FUNCTION injected_failure()").execute(db).await.unwrap();
        }
    }
}

async fn charges(app: &TestApp, account: &str) -> i64 {
    db::query_scalar(
        "SELECT COUNT(*) FROM ledger_entries WHERE kind = 'payment'
           AND account_id = (SELECT id FROM accounts WHERE username = $1)",
    )
    .bind(account)
    .fetch_one(&app.state.db)
    .await
    .unwrap()
}

/// The "renewed automatically" message is written in the renewal's transaction: when its
/// write fails, nothing of the renewal stays (no order, no charge, the term unchanged),
/// and the next sweep renews and tells the buyer once.
#[tokio::test]
async fn an_auto_renewal_is_never_paid_without_its_message() {
    let app = spawn_app().await;
    app.state.clock.freeze();
    let lin = app.logged_in("lin.wei").await;
    let id = bought(&app, &lin, "outbox").await;
    let (status, _) = decode(
        lin.put(app.url(&format!("/renewals/{id}/auto-renew")))
            .json(&json!({ "enabled": true, "months": 1 }))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert!(status.is_success());
    let expires = term_end(paid_at(&app, id).await, 1);
    let charged_before = charges(&app, "lin.wei").await;
    move_by(&app, expires - Duration::days(7) - app.state.clock.now()).await;

    fail_messages_of(&app.state.db, "auto_renewed").await;
    assert!(sweep_once(&app.state).await.is_err(), "the sweep fails with its message");
    assert_eq!(charges(&app, "lin.wei").await, charged_before, "no charge without the message");
    let (_, detail) = app.get_as(&lin, &format!("/purchased-apps/{id}")).await;
    assert_eq!(instant(&detail["basic"]["expires_at"]), expires, "the term is unchanged");
    let renewals: i64 =
        db::query_scalar("SELECT COUNT(*) FROM orders WHERE kind = 'renewal'").fetch_one(&app.state.db).await.unwrap();
    assert_eq!(renewals, 0);

    heal_messages(&app.state.db).await;
    let report = sweep_once(&app.state).await.unwrap();
    assert_eq!(report.auto_renewed, 1, "the claim was undone with the rest: tried again at once");
    assert_eq!(charges(&app, "lin.wei").await, charged_before + 1);
    let topics: Vec<String> = messages(&app, &lin).await.into_iter().map(|(topic, _, _)| topic).collect();
    assert_eq!(topics.iter().filter(|topic| *topic == "auto_renewed").count(), 1, "{topics:?}");
    let (_, detail) = app.get_as(&lin, &format!("/purchased-apps/{id}")).await;
    assert!(instant(&detail["basic"]["expires_at"]) > expires);
    sweep_once(&app.state).await.unwrap();
    assert_eq!(charges(&app, "lin.wei").await, charged_before + 1, "once");
}

/// A failed try's message is written with the try: when it cannot be written, the try is
/// not recorded either, and the next sweep tries (and tells) again.
#[tokio::test]
async fn a_failed_auto_renewal_is_never_recorded_without_its_message() {
    let app = spawn_app().await;
    app.state.clock.freeze();
    let lin = app.logged_in("lin.wei").await;
    let id = bought(&app, &lin, "outbox-failed").await;
    lin.put(app.url(&format!("/renewals/{id}/auto-renew")))
        .json(&json!({ "enabled": true, "months": 1 }))
        .send()
        .await
        .unwrap();
    // Nothing can be bought while the product is withdrawn: the try fails.
    db::query("UPDATE products SET withdrawn_at = 1 WHERE id = 1").execute(&app.state.db).await.unwrap();
    app.state.catalog.reload(&app.state.db).await.unwrap();
    let expires = term_end(paid_at(&app, id).await, 1);
    move_by(&app, expires - Duration::days(7) - app.state.clock.now()).await;
    fail_messages_of(&app.state.db, "auto_renew_failed").await;
    assert!(sweep_once(&app.state).await.is_err(), "the sweep fails with its message");
    let tried: Option<i64> = db::query_scalar("SELECT auto_renew_tried_at FROM orders WHERE id = $1")
        .bind(id)
        .fetch_one(&app.state.db)
        .await
        .unwrap();
    assert_eq!(tried, None, "the try is undone with its message");
    heal_messages(&app.state.db).await;
    assert_eq!(sweep_once(&app.state).await.unwrap().auto_renew_failed, 1, "tried again at once");
    let topics: Vec<String> = messages(&app, &lin).await.into_iter().map(|(topic, _, _)| topic).collect();
    assert_eq!(topics.iter().filter(|topic| *topic == "auto_renew_failed").count(), 1, "{topics:?}");
    assert_eq!(sweep_once(&app.state).await.unwrap().auto_renew_failed, 0, "once a day");
}
