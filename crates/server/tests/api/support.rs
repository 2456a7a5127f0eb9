//! After-Sales Support tickets: opening one with files (checked by their bytes), the
//! seller's 24 hours and escalation at ±1 s on the demo clock, operations' decision, the
//! rating, the 7-day close, who may see what, and every message exactly once.

use reqwest::multipart::{Form, Part};
use reqwest::{Client, StatusCode};
use serde_json::{Value, json};

use crate::common::{TestApp, decode, spawn_app};
use crate::invoices::{bought, completed, fields, send};

/// A PNG's signature and header: what a screenshot starts with.
/// Files as uploaded: name and bytes.
type Files<'a> = Vec<(&'a str, Vec<u8>)>;

const PNG: &[u8] =
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89";

async fn open(app: &TestApp, client: &Client, ticket: &Value, files: Files<'_>) -> (StatusCode, Value) {
    let mut form = Form::new().text("ticket", ticket.to_string());
    for (name, bytes) in files {
        form = form.part("attachment", Part::bytes(bytes).file_name(name.to_owned()));
    }
    decode(client.post(app.url("/tickets")).multipart(form).send().await.unwrap()).await
}

async fn act(app: &TestApp, client: &Client, id: i64, body: Value) -> (StatusCode, Value) {
    send(app, client, "POST", &format!("/tickets/{id}/actions"), Some(&body)).await
}

async fn messages(app: &TestApp, username: &str, topic: &str) -> i64 {
    bazaar_server::infra::db::query_scalar(
        "SELECT COUNT(*) FROM messages m JOIN accounts a ON a.id = m.account_id WHERE a.username = $1 AND m.topic = $2",
    )
    .bind(username)
    .bind(topic)
    .fetch_one(&app.state.db)
    .await
    .unwrap()
}

fn blocked(view: &Value, action: &str) -> Value {
    view["actions"].as_array().unwrap().iter().find(|a| a["action"] == action).unwrap()["blocked"].clone()
}

/// lin.wei's Northwind CRM Cloud month (Northwind: sam.okafor) and a ticket about it with a
/// screenshot.
async fn crm_ticket(app: &TestApp) -> (Client, i64, Value) {
    let lin = app.logged_in("lin.wei").await;
    let crm = bought(app, &lin, "crm", 1, 1).await;
    completed(app, &lin, crm).await;
    let ticket = json!({ "order_id": crm, "category": "cannot_log_in",
                         "description": "The console says my password is wrong. <script>alert(1)</script>" });
    let (status, view) = open(app, &lin, &ticket, vec![("screen.png", PNG.to_vec())]).await;
    assert_eq!(status, StatusCode::CREATED, "{view}");
    (lin, crm, view)
}

#[tokio::test]
async fn files_are_checked_by_their_bytes_size_and_count_and_nothing_is_stored_on_a_refusal() {
    let app = spawn_app().await;
    let (lin, crm, view) = crm_ticket(&app).await;
    assert_eq!(view["posts"][0]["body"], "The console says my password is wrong. <script>alert(1)</script>");
    assert_eq!(view["posts"][0]["attachments"][0]["media_type"], "image/png");
    let ticket = json!({ "order_id": crm, "category": "fault", "description": "Another problem." });
    let cases: Vec<(Files<'_>, &str, &str)> = vec![
        (vec![("fake.png", b"MZ this is a program".to_vec())], "attachments[0]", "invalid"),
        (vec![("big.png", [PNG, &vec![0u8; 5 * 1024 * 1024]].concat())], "attachments[0]", "too_long"),
        (vec![("a.png", PNG.to_vec()); 4], "attachments", "out_of_range"),
    ];
    for (files, field, code) in cases {
        let (status, error) = open(&app, &lin, &ticket, files).await;
        assert_eq!(
            (status, fields(&error)),
            (StatusCode::UNPROCESSABLE_ENTITY, vec![(field.to_owned(), code.to_owned())])
        );
    }
    let (status, error) =
        open(&app, &lin, &json!({ "order_id": crm, "category": "fault", "description": "x".repeat(5_001) }), vec![])
            .await;
    assert_eq!((status, fields(&error)[0].0.as_str()), (StatusCode::UNPROCESSABLE_ENTITY, "description"));
    // Someone else's order.
    let maria = app.logged_in("maria.santos").await;
    let (status, error) = open(&app, &maria, &ticket, vec![]).await;
    assert_eq!((status, fields(&error)[0].1.as_str()), (StatusCode::UNPROCESSABLE_ENTITY, "unknown_value"));
    let (_, mine) = app.get_as(&lin, "/tickets").await;
    assert_eq!(mine["items"].as_array().unwrap().len(), 1, "only the first ticket was stored: {mine}");
}

#[tokio::test]
async fn a_ticket_and_its_files_are_for_its_parties_only() {
    let app = spawn_app().await;
    let (_lin, _, view) = crm_ticket(&app).await;
    let id = view["summary"]["id"].as_i64().unwrap();
    let file = view["posts"][0]["attachments"][0]["id"].as_i64().unwrap();
    for (who, expected) in [
        ("lin.wei", StatusCode::OK),
        ("sam.okafor", StatusCode::OK),
        ("zhang.min", StatusCode::OK),
        ("maria.santos", StatusCode::NOT_FOUND),
        ("ivy.tan", StatusCode::NOT_FOUND),
    ] {
        let client = app.logged_in(who).await;
        assert_eq!(app.get_as(&client, &format!("/tickets/{id}")).await.0, expected, "{who}");
        let response = client.get(app.url(&format!("/tickets/{id}/attachments/{file}"))).send().await.unwrap();
        assert_eq!(response.status(), expected, "{who}'s download");
        if expected == StatusCode::OK {
            let headers = response.headers();
            assert_eq!(headers["content-disposition"], "attachment; filename=\"screen.png\"");
            assert_eq!(headers["x-content-type-options"], "nosniff");
            assert_eq!(headers["content-type"], "image/png");
            assert_eq!(response.bytes().await.unwrap().as_ref(), PNG);
        }
    }
    // The other seller cannot act on it either.
    let ivy = app.logged_in("ivy.tan").await;
    assert_eq!(act(&app, &ivy, id, json!({ "action": "reply", "text": "Hello" })).await.0, StatusCode::NOT_FOUND);
    let (_, queue) = app.get_as(&app.logged_in("sam.okafor").await, "/seller/tickets").await;
    assert_eq!(queue["items"][0]["id"], id, "{queue}");
    assert!(app.get_as(&ivy, "/seller/tickets").await.1["items"].as_array().unwrap().is_empty());
}

#[tokio::test]
async fn the_seller_has_24_hours_to_the_second_then_operations_decide() {
    let app = spawn_app().await;
    app.state.clock.freeze();
    let (lin, _, view) = crm_ticket(&app).await;
    let id = view["summary"]["id"].as_i64().unwrap();
    assert_eq!(messages(&app, "sam.okafor", "ticket_needs_answer").await, 1);
    let deadline = crate::lifecycle::instant(&view["summary"]["seller_deadline"]);
    assert_eq!(blocked(&view, "escalate")["reason"], "seller_still_has_time");
    app.advance_clock((deadline - app.state.clock.now()).whole_seconds() - 1).await;
    let (status, _) = act(&app, &lin, id, json!({ "action": "escalate" })).await;
    assert_eq!(status, StatusCode::CONFLICT, "one second early");
    app.advance_clock(1).await;
    let (status, escalated) = act(&app, &lin, id, json!({ "action": "escalate" })).await;
    assert_eq!(status, StatusCode::OK, "{escalated}");
    assert_eq!(escalated["summary"]["escalated"], true);
    assert_eq!(
        (
            messages(&app, "zhang.min", "ticket_needs_answer").await,
            messages(&app, "sam.okafor", "ticket_escalated").await
        ),
        (1, 1)
    );

    let sam = app.logged_in("sam.okafor").await;
    assert_eq!(act(&app, &sam, id, json!({ "action": "reply", "text": "Sorry!" })).await.0, StatusCode::CONFLICT);
    let zhang = app.logged_in("zhang.min").await;
    let (_, queue) = app.get_as(&zhang, "/operations/tickets").await;
    assert_eq!(queue["items"][0]["id"], id);
    let (status, error) = act(&app, &zhang, id, json!({ "action": "close_with_decision", "text": "" })).await;
    assert_eq!((status, fields(&error)[0].0.as_str()), (StatusCode::UNPROCESSABLE_ENTITY, "text"));
    let decision =
        json!({ "action": "close_with_decision", "text": "Refund granted; the seller's login service was down." });
    let (status, closed) = act(&app, &zhang, id, decision).await;
    assert_eq!((status, &closed["summary"]["state"]), (StatusCode::OK, &json!("closed")));
    assert_eq!(
        (messages(&app, "lin.wei", "ticket_closed").await, messages(&app, "sam.okafor", "ticket_closed").await),
        (1, 1)
    );
    assert_eq!(act(&app, &lin, id, json!({ "action": "reply", "text": "More" })).await.0, StatusCode::CONFLICT);
    for stars in [0, 6] {
        assert_eq!(
            act(&app, &lin, id, json!({ "action": "rate", "stars": stars })).await.0,
            StatusCode::UNPROCESSABLE_ENTITY
        );
    }
    let (status, rated) = act(&app, &lin, id, json!({ "action": "rate", "stars": 4 })).await;
    assert_eq!((status, &rated["rating"]), (StatusCode::OK, &json!(4)));
    assert_eq!(act(&app, &lin, id, json!({ "action": "rate", "stars": 5 })).await.0, StatusCode::CONFLICT);
}

#[tokio::test]
async fn reopened_twice_escalates_and_a_resolved_ticket_closes_itself_after_7_days_once() {
    let app = spawn_app().await;
    app.state.clock.freeze();
    let (lin, _, view) = crm_ticket(&app).await;
    let id = view["summary"]["id"].as_i64().unwrap();
    let sam = app.logged_in("sam.okafor").await;
    let resolve = json!({ "action": "resolve", "cause": "An expired password.", "fix": "Reset it from the console." });
    for _ in 0..2 {
        assert_eq!(act(&app, &sam, id, resolve.clone()).await.0, StatusCode::OK);
        assert_eq!(act(&app, &lin, id, json!({ "action": "reopen", "text": "Still broken." })).await.0, StatusCode::OK);
    }
    assert_eq!(messages(&app, "lin.wei", "ticket_resolved").await, 2);
    assert_eq!(messages(&app, "sam.okafor", "ticket_needs_answer").await, 3, "opened and reopened twice");
    let (_, reopened) = app.get_as(&lin, &format!("/tickets/{id}")).await;
    assert!(blocked(&reopened, "escalate").is_null(), "reopened twice: escalation at once");

    // A third resolution the buyer leaves alone: closed at 7 days to the second, once.
    let (_, resolved) = act(&app, &sam, id, resolve).await;
    let closes = crate::lifecycle::instant(&resolved["closes_itself_at"]);
    app.advance_clock((closes - app.state.clock.now()).whole_seconds() - 1).await;
    assert_eq!(bazaar_server::domain::lifecycle::sweep_once(&app.state).await.unwrap().tickets_closed, 0);
    app.advance_clock(1).await;
    let (first, second) = tokio::join!(
        bazaar_server::domain::lifecycle::sweep_once(&app.state),
        bazaar_server::domain::lifecycle::sweep_once(&app.state)
    );
    assert_eq!(first.unwrap().tickets_closed + second.unwrap().tickets_closed, 1);
    let (_, closed) = app.get_as(&lin, &format!("/tickets/{id}")).await;
    assert_eq!(closed["summary"]["state"], "closed");
    assert_eq!(closed["posts"].as_array().unwrap().last().unwrap()["action"], "closed_by_time");
    assert_eq!(
        (messages(&app, "lin.wei", "ticket_closed").await, messages(&app, "sam.okafor", "ticket_closed").await),
        (1, 1)
    );
}

#[tokio::test]
async fn the_demo_has_an_open_an_escalated_and_a_closed_rated_ticket() {
    let app = crate::common::spawn_app_with(|config| config.demo_apps = true).await;
    let lin = app.logged_in("lin.wei").await;
    let (_, all) = app.get_as(&lin, "/tickets?state=all").await;
    let states: Vec<(String, bool)> = all["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| (t["state"].as_str().unwrap().to_owned(), t["escalated"].as_bool().unwrap()))
        .collect();
    assert_eq!(states.len(), 3, "{all}");
    assert!(states.contains(&("awaiting_seller".to_owned(), false)), "{states:?}");
    assert!(states.contains(&("awaiting_seller".to_owned(), true)), "{states:?}");
    assert!(states.contains(&("closed".to_owned(), false)), "{states:?}");
    let (_, escalated) = app.get_as(&app.logged_in("zhang.min").await, "/operations/tickets").await;
    assert_eq!(
        (escalated["items"].as_array().unwrap().len(), escalated["has_more"].as_bool()),
        (1, Some(false)),
        "{escalated}"
    );
}

#[tokio::test]
async fn the_sellers_queue_lists_what_waits_for_it_first_soonest_deadline_first() {
    let app = spawn_app().await;
    app.state.clock.freeze();
    let (lin, crm, first) = crm_ticket(&app).await;
    let ticket = json!({ "order_id": crm, "category": "billing", "description": "Charged twice." });
    let mut ids = vec![first["summary"]["id"].as_i64().unwrap()];
    for _ in 0..2 {
        app.advance_clock(60).await;
        ids.push(open(&app, &lin, &ticket, vec![]).await.1["summary"]["id"].as_i64().unwrap());
    }
    // The seller answers the oldest: it goes after the two still waiting.
    let sam = app.logged_in("sam.okafor").await;
    assert_eq!(act(&app, &sam, ids[0], json!({ "action": "reply", "text": "On it." })).await.0, StatusCode::OK);
    let (_, queue) = app.get_as(&sam, "/seller/tickets").await;
    let order: Vec<i64> = queue["items"].as_array().unwrap().iter().map(|t| t["id"].as_i64().unwrap()).collect();
    assert_eq!(order, [ids[1], ids[2], ids[0]], "{queue}");
    let (_, second_page) = app.get_as(&sam, "/seller/tickets?page=2").await;
    assert!(second_page["items"].as_array().unwrap().is_empty());
}

/// A form without a boundary gets the shared error body, and its headers tell the truth
/// about its encoding (the error layer once rewrote a compressed plain answer into a JSON
/// one still marked gzip).
#[tokio::test]
async fn a_body_that_is_not_multipart_gets_the_shared_error_body_as_encoded() {
    let app = spawn_app().await;
    let lin = app.logged_in("lin.wei").await;
    let response = lin
        .post(app.url("/tickets"))
        .header("content-type", "multipart/form-data")
        .header("accept-encoding", "gzip")
        .body("garbage")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    let gzip = response.headers().get("content-encoding").is_some_and(|encoding| encoding == "gzip");
    let bytes = response.bytes().await.unwrap().to_vec();
    let bytes = if gzip {
        let mut plain = Vec::new();
        std::io::Read::read_to_end(&mut flate2::read::GzDecoder::new(bytes.as_slice()), &mut plain).expect("gzip");
        plain
    } else {
        bytes
    };
    let body: Value = serde_json::from_slice(&bytes).expect("JSON");
    assert_eq!(body["code"], "bad_request");
}

async fn act_with_files(app: &TestApp, client: &Client, id: i64, body: Value, files: Files<'_>) -> (StatusCode, Value) {
    let mut form = Form::new().text("action", body.to_string());
    for (name, bytes) in files {
        form = form.part("attachment", Part::bytes(bytes).file_name(name.to_owned()));
    }
    decode(client.post(app.url(&format!("/tickets/{id}/actions"))).multipart(form).send().await.unwrap()).await
}

#[tokio::test]
async fn replies_bring_files_checked_like_a_new_tickets_and_only_the_parties_download_them() {
    let app = spawn_app().await;
    let (lin, _, view) = crm_ticket(&app).await;
    let id = view["summary"]["id"].as_i64().unwrap();
    let sam = app.logged_in("sam.okafor").await;
    let reply = json!({ "action": "reply", "text": "Here is where to reset it; see the attached guide." });
    let pdf = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n".to_vec();
    // Refused as a whole, nothing written: a file lying about its type, too many files, or
    // files on an action that writes no words.
    for (body, files, field) in [
        (reply.clone(), vec![("guide.pdf", b"<html>not a pdf</html>".to_vec())], "attachments[0]"),
        (reply.clone(), vec![("a.pdf", pdf.clone()); 4], "attachments"),
    ] {
        let (status, error) = act_with_files(&app, &sam, id, body, files).await;
        assert_eq!((status, fields(&error)[0].0.as_str()), (StatusCode::UNPROCESSABLE_ENTITY, field), "{error}");
    }
    let (_, still) = app.get_as(&lin, &format!("/tickets/{id}")).await;
    assert_eq!(still["posts"].as_array().unwrap().len(), 1, "nothing stored: {still}");

    let (status, answered) = act_with_files(&app, &sam, id, reply, vec![("guide.pdf", pdf.clone())]).await;
    assert_eq!(status, StatusCode::OK, "{answered}");
    let file = &answered["posts"][1]["attachments"][0];
    assert_eq!((file["media_type"].as_str(), file["file_name"].as_str()), (Some("application/pdf"), Some("guide.pdf")));
    let path = format!("/api/v1/tickets/{id}/attachments/{}", file["id"]);
    let download = lin.get(format!("{}{path}", app.address)).send().await.unwrap();
    assert_eq!(download.status(), StatusCode::OK);
    assert_eq!(download.bytes().await.unwrap().to_vec(), pdf);
    let maria = app.logged_in("maria.santos").await;
    assert_eq!(maria.get(format!("{}{path}", app.address)).send().await.unwrap().status(), StatusCode::NOT_FOUND);
    // Confirming writes no words, so it takes no files.
    let confirm = json!({ "action": "escalate", "text": "" });
    let (status, error) = act_with_files(&app, &lin, id, confirm, vec![("a.png", PNG.to_vec())]).await;
    assert_eq!((status, fields(&error)[0].0.as_str()), (StatusCode::UNPROCESSABLE_ENTITY, "attachments"));
    // A multipart body without its `action` part is a bad request.
    let form = Form::new().part("attachment", Part::bytes(PNG.to_vec()).file_name("a.png"));
    let (status, _) =
        decode(lin.post(app.url(&format!("/tickets/{id}/actions"))).multipart(form).send().await.unwrap()).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn a_sweeper_outage_across_several_deadlines_tells_each_side_once() {
    use bazaar_server::domain::lifecycle::sweep_once;
    let app = spawn_app().await;
    app.state.clock.freeze();
    let (lin, crm, first) = crm_ticket(&app).await;
    let first = first["summary"]["id"].as_i64().unwrap();
    let ticket = json!({ "order_id": crm, "category": "billing", "description": "Charged twice this month." });
    let second = open(&app, &lin, &ticket, vec![]).await.1["summary"]["id"].as_i64().unwrap();
    let third = open(&app, &lin, &ticket, vec![]).await.1["summary"]["id"].as_i64().unwrap();
    let sam = app.logged_in("sam.okafor").await;
    let resolve = json!({ "action": "resolve", "cause": "A duplicate charge.", "fix": "Refunded the second one." });
    assert_eq!(act(&app, &sam, third, resolve).await.0, StatusCode::OK);
    let report = sweep_once(&app.state).await.unwrap();
    assert_eq!((report.tickets_overdue, report.tickets_closed), (0, 0));

    // No sweep for 8 days: two tickets passed their 24 hours, one its 7 days. Two sweeps
    // at once catch up, and each side hears of each ticket once.
    app.advance_clock(8 * 24 * 3600).await;
    let (a, b) = tokio::join!(sweep_once(&app.state), sweep_once(&app.state));
    let (a, b) = (a.unwrap(), b.unwrap());
    assert_eq!((a.tickets_overdue + b.tickets_overdue, a.tickets_closed + b.tickets_closed), (2, 1));
    let told = || async {
        (messages(&app, "lin.wei", "ticket_seller_late").await, messages(&app, "sam.okafor", "ticket_overdue").await)
    };
    assert_eq!(told().await, (2, 2));
    assert_eq!(sweep_once(&app.state).await.unwrap().tickets_overdue, 0);
    assert_eq!(told().await, (2, 2));
    let (_, view) = app.get_as(&lin, &format!("/tickets/{second}")).await;
    assert!(blocked(&view, "escalate").is_null(), "the buyer may escalate: {view}");

    // The seller answers the first, the buyer writes back: a new 24 hours, told once more
    // when they pass, to the second.
    let reply = json!({ "action": "reply", "text": "Sorry for the wait; could you send the invoice number?" });
    assert_eq!(act(&app, &sam, first, reply).await.0, StatusCode::OK);
    assert_eq!(
        act(&app, &lin, first, json!({ "action": "reply", "text": "It is INV-2026-0042." })).await.0,
        StatusCode::OK
    );
    app.advance_clock(24 * 3600 - 1).await;
    assert_eq!(sweep_once(&app.state).await.unwrap().tickets_overdue, 0);
    app.advance_clock(1).await;
    assert_eq!(sweep_once(&app.state).await.unwrap().tickets_overdue, 1);
    assert_eq!(told().await, (3, 3));
}
