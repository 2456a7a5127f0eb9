//! Reviews by verified buyers: who may write one (a delivered purchase, until 45 days after
//! leaving, to the second), bad input, one per buyer and product (editing changes the
//! counts), the seller's one answer, operations hiding one, and the product's summary.

use reqwest::StatusCode;
use serde_json::json;

use crate::common::spawn_app;
use crate::invoices::{bought, completed, fields, send, unsubscribe};

const TEXT: &str = "Fast to set up; the console is clear <b>and</b> support answered within the hour.";

#[tokio::test]
async fn only_verified_buyers_review_once_each_and_the_summary_follows() {
    let app = spawn_app().await;
    app.state.clock.freeze();
    let lin = app.logged_in("lin.wei").await;
    let review = |stars: i64, text: &str| json!({ "stars": stars, "text": text });
    // No delivered order yet.
    let (status, _) = send(&app, &lin, "PUT", "/products/1/review", Some(&review(5, TEXT))).await;
    assert_eq!(status, StatusCode::CONFLICT);
    let crm = bought(&app, &lin, "crm", 1, 1).await;
    completed(&app, &lin, crm).await;
    let (_, page) = app.get_as(&lin, "/products/1/reviews").await;
    assert!(page["mine"]["refusal"].is_null(), "{page}");
    for (stars, text, field) in [(0, TEXT, "stars"), (6, TEXT, "stars"), (5, "Too short to say.", "text")] {
        let (status, error) = send(&app, &lin, "PUT", "/products/1/review", Some(&review(stars, text))).await;
        assert_eq!((status, fields(&error)[0].0.as_str()), (StatusCode::UNPROCESSABLE_ENTITY, field));
    }
    let long = "好".repeat(5_001);
    assert_eq!(
        send(&app, &lin, "PUT", "/products/1/review", Some(&review(4, &long))).await.0,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    let (status, saved) = send(&app, &lin, "PUT", "/products/1/review", Some(&review(5, TEXT))).await;
    assert_eq!(status, StatusCode::OK, "{saved}");
    assert_eq!(
        (saved["author_name"].as_str(), saved["text"].as_str()),
        (Some("Lin W."), Some(TEXT)),
        "stored as written"
    );
    // Editing is the same review: the counts move, not grow.
    let (status, _) = send(&app, &lin, "PUT", "/products/1/review", Some(&review(3, TEXT))).await;
    assert_eq!(status, StatusCode::OK);
    let (_, page) = app.get_as(&lin, "/products/1/reviews").await;
    assert_eq!(page["summary"]["distribution"], json!([0, 0, 1, 0, 0]), "{page}");
    assert_eq!((page["summary"]["count"].as_i64(), page["items"].as_array().unwrap().len()), (Some(1), 1));
    assert_eq!(page["items"][0]["stars"], 3);
    // Anonymous readers see it too, with no standing of their own.
    let (status, public) = app.get_as(&reqwest::Client::new(), "/products/1/reviews").await;
    assert_eq!((status, public["mine"].is_null(), public["total"].as_i64()), (StatusCode::OK, true, Some(1)));

    // Left: still allowed for 45 days, to the second.
    unsubscribe(&app, &lin, crm).await;
    let window = 45 * 24 * 3600;
    app.advance_clock(window - 1).await;
    assert_eq!(send(&app, &lin, "PUT", "/products/1/review", Some(&review(4, TEXT))).await.0, StatusCode::OK);
    app.advance_clock(1).await;
    let (status, error) = send(&app, &lin, "PUT", "/products/1/review", Some(&review(2, TEXT))).await;
    assert_eq!(status, StatusCode::CONFLICT, "{error}");
    let (_, page) = app.get_as(&lin, "/products/1/reviews").await;
    assert_eq!(page["mine"]["refusal"], "left_too_long_ago");
}

#[tokio::test]
async fn the_seller_answers_once_and_operations_hide_with_a_reason() {
    let app = spawn_app().await;
    let lin = app.logged_in("lin.wei").await;
    let crm = bought(&app, &lin, "crm", 1, 1).await;
    completed(&app, &lin, crm).await;
    let (_, saved) = send(&app, &lin, "PUT", "/products/1/review", Some(&json!({ "stars": 4, "text": TEXT }))).await;
    let id = saved["id"].as_i64().unwrap();
    let answer = json!({ "text": "Thank you, Lin!" });
    let ivy = app.logged_in("ivy.tan").await;
    assert_eq!(
        send(&app, &ivy, "POST", &format!("/reviews/{id}/answer"), Some(&answer)).await.0,
        StatusCode::NOT_FOUND
    );
    let sam = app.logged_in("sam.okafor").await;
    let (status, answered) = send(&app, &sam, "POST", &format!("/reviews/{id}/answer"), Some(&answer)).await;
    assert_eq!((status, answered["answer"].as_str()), (StatusCode::OK, Some("Thank you, Lin!")));
    assert_eq!(send(&app, &sam, "POST", &format!("/reviews/{id}/answer"), Some(&answer)).await.0, StatusCode::CONFLICT);
    let (_, as_seller) = app.get_as(&sam, "/products/1/reviews").await;
    assert_eq!(as_seller["seller"], true);

    // A buyer cannot hide; operations must give a reason.
    assert_eq!(
        send(&app, &lin, "POST", &format!("/reviews/{id}/hide"), Some(&json!({ "text": "mine" }))).await.0,
        StatusCode::FORBIDDEN
    );
    let zhang = app.logged_in("zhang.min").await;
    let (status, _) = send(&app, &zhang, "POST", &format!("/reviews/{id}/hide"), Some(&json!({ "text": "no" }))).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let reason = json!({ "text": "It names a member of staff." });
    let (status, hidden) = send(&app, &zhang, "POST", &format!("/reviews/{id}/hide"), Some(&reason)).await;
    assert_eq!((status, hidden["hidden_reason"].as_str()), (StatusCode::OK, Some("It names a member of staff.")));
    let (_, page) = app.get_as(&lin, "/products/1/reviews").await;
    assert_eq!((page["summary"]["count"].as_i64(), page["items"].as_array().unwrap().len()), (Some(0), 0), "{page}");
    assert_eq!(
        page["mine"]["review"]["hidden_reason"], "It names a member of staff.",
        "its author still sees it, and why"
    );
    assert_eq!(app.get_as(&lin, "/products/999999/reviews").await.0, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn five_rated_tickets_show_the_sellers_median_first_answer_and_rating() {
    let app = spawn_app().await;
    app.state.clock.freeze();
    let lin = app.logged_in("lin.wei").await;
    let sam = app.logged_in("sam.okafor").await;
    let crm = bought(&app, &lin, "crm", 1, 1).await;
    completed(&app, &lin, crm).await;
    for (minutes, stars) in [(10, 5), (50, 4), (30, 4), (20, 3), (40, 5)] {
        let form = reqwest::multipart::Form::new()
            .text("ticket", json!({ "order_id": crm, "category": "fault", "description": "It broke." }).to_string());
        let (status, view) =
            crate::common::decode(lin.post(app.url("/tickets")).multipart(form).send().await.unwrap()).await;
        assert_eq!(status, StatusCode::CREATED, "{view}");
        let id = view["summary"]["id"].as_i64().unwrap();
        app.advance_clock(minutes * 60).await;
        let path = format!("/tickets/{id}/actions");
        for (who, body) in [
            (&sam, json!({ "action": "reply", "text": "Looking at it." })),
            (&sam, json!({ "action": "resolve", "cause": "A bug.", "fix": "Fixed." })),
            (&lin, json!({ "action": "confirm" })),
            (&lin, json!({ "action": "rate", "stars": stars })),
        ] {
            assert_eq!(send(&app, who, "POST", &path, Some(&body)).await.0, StatusCode::OK);
        }
    }
    let (_, page) = app.get_as(&lin, "/products/1/reviews").await;
    assert_eq!(
        page["support"],
        json!({ "rated_tickets": 5, "average_rating_tenths": 42, "median_first_answer_minutes": 30 }),
        "{page}"
    );
}
