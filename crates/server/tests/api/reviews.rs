//! Reviews by verified buyers: who may write one (a delivered purchase, until 45 days after
//! leaving, to the second), bad input, one per buyer and product (editing changes the
//! counts), the seller's one answer, operations hiding one, and the product's summary.

use reqwest::StatusCode;
use serde_json::json;

use crate::common::spawn_app;
use crate::invoices::{bought, bought_with, completed, fields, send, unsubscribe};

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

/// [`ranked`] once its ids are `expected`: on PostgreSQL every instance, the writing one
/// included, hears of a new rating from the database's notification, a moment after the
/// review's answer.
async fn ranked_as(app: &crate::common::TestApp, query: &str, expected: &[i64]) -> (Vec<i64>, serde_json::Value, u64) {
    for _ in 0..100 {
        let answer = ranked(app, query).await;
        if answer.0 == expected {
            return answer;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    ranked(app, query).await
}

/// The ids of a search's results, in order, and the count of "4 stars and up".
async fn ranked(app: &crate::common::TestApp, query: &str) -> (Vec<i64>, serde_json::Value, u64) {
    let (status, body) = app.get_json(&format!("/products?{query}")).await;
    assert_eq!(status, StatusCode::OK, "{query}: {body}");
    let ids = body["items"].as_array().unwrap().iter().map(|item| item["id"].as_i64().unwrap()).collect();
    let four = body["facets"]["four_stars_and_up"]["count"].as_u64().unwrap();
    (ids, body, four)
}

#[tokio::test]
async fn reviews_rate_the_catalog_cards_sort_by_rating_and_filter_four_stars_and_up() {
    let app = spawn_app().await;
    let (lin, maria, zhang) =
        (app.logged_in("lin.wei").await, app.logged_in("maria.santos").await, app.logged_in("zhang.min").await);
    for (client, key, product, sku) in
        [(&lin, "l1", 1, 1), (&lin, "l10", 10, 19), (&maria, "m1", 1, 1), (&maria, "m11", 11, 22)]
    {
        let id =
            bought_with(&app, client, key, (product, sku), if key.starts_with('m') { "credit" } else { "card" }).await;
        completed(&app, client, id).await;
    }
    let (ids, _, four) = ranked(&app, "sort=rating&page_size=5").await;
    assert_eq!(four, 0, "no reviews yet");
    assert_eq!(ids, vec![1, 2, 3, 4, 5], "unrated products keep id order");

    let review = |stars: i64| json!({ "stars": stars, "text": TEXT });
    for (client, product, stars) in [(&lin, 1, 5), (&maria, 1, 3), (&lin, 10, 5), (&maria, 11, 3)] {
        let (status, body) =
            send(&app, client, "PUT", &format!("/products/{product}/review"), Some(&review(stars))).await;
        assert_eq!(status, StatusCode::OK, "{body}");
    }
    // 10: 5.0 of 1; 1: 4.0 of 2 (exactly four stars is "4 and up"); 11: 3.0; then unrated.
    let (ids, body, four) = ranked_as(&app, "sort=rating&page_size=4", &[10, 1, 11, 2]).await;
    assert_eq!(ids, vec![10, 1, 11, 2], "{body}");
    assert_eq!(body["items"][1]["rating"], json!({ "average_tenths": 40, "count": 2 }));
    assert!(body["items"][3]["rating"].is_null());
    assert_eq!(four, 2);
    let (ids, body, four) = ranked(&app, "rating_min=4&sort=rating").await;
    assert_eq!((ids, body["total"].as_u64(), four), (vec![10, 1], Some(2), 2));
    assert_eq!(body["facets"]["four_stars_and_up"]["selected"], true);
    // Other facets count within the rated products; its own count ignores itself.
    let saas = |body: &serde_json::Value| {
        body["facets"]["delivery_methods"].as_array().unwrap().iter().find(|f| f["value"] == "saas").unwrap()["count"]
            .as_u64()
    };
    assert_eq!(saas(&body), Some(2), "{body}");
    let (_, body, four) = ranked(&app, "rating_min=4&delivery=image").await;
    assert_eq!((body["total"].as_u64(), four, saas(&body)), (Some(0), 0, Some(2)), "{body}");
    let (ids, _, _) = ranked(&app, "rating_min=3&sort=rating").await;
    assert_eq!(ids, vec![10, 1, 11]);
    // The product page carries the same rating.
    assert_eq!(app.get_json("/products/1").await.1["rating"]["count"], 2);

    // Maria edits hers to 4 stars: 4.5 — still below 10's 5.0.
    send(&app, &maria, "PUT", "/products/1/review", Some(&review(4))).await;
    let mut body = serde_json::Value::Null;
    for _ in 0..100 {
        body = ranked(&app, "sort=rating&page_size=2").await.1;
        if body["items"][1]["rating"]["average_tenths"] == 45 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert_eq!(body["items"][1]["rating"], json!({ "average_tenths": 45, "count": 2 }));
    // Hiding it leaves 1 at 5.0 of 1: ties go to the lower id.
    let (_, page) = app.get_as(&lin, "/products/1/reviews").await;
    let marias =
        page["items"].as_array().unwrap().iter().find(|r| r["author_name"] == "Maria S.").unwrap()["id"].clone();
    let reason = json!({ "text": "Off-topic remarks." });
    let (status, _) = send(&app, &zhang, "POST", &format!("/reviews/{marias}/hide"), Some(&reason)).await;
    assert_eq!(status, StatusCode::OK);
    let (ids, body, _) = ranked_as(&app, "sort=rating&page_size=3", &[1, 10, 11]).await;
    assert_eq!(ids, vec![1, 10, 11], "{body}");

    for bad in ["rating_min=0", "rating_min=6", "rating_min=four"] {
        let (status, body) = app.get_json(&format!("/products?{bad}")).await;
        assert_eq!((status, body["field_errors"][0]["field"].as_str()), (StatusCode::BAD_REQUEST, Some("rating_min")));
    }
    // The kept counts agree with the reviews (an edit and a hide included); `verify` sees a
    // count that drifted.
    let verify = bazaar_server::domain::verify::verify;
    let report = verify(&app.state.db).await.unwrap();
    assert!(report.is_clean() && report.rating_counts_disagreeing == 0, "{report:?}");
    bazaar_server::infra::db::query("UPDATE product_ratings SET stars_2 = stars_2 + 1 WHERE product_id = 11")
        .execute(&app.state.db)
        .await
        .unwrap();
    assert_eq!(verify(&app.state.db).await.unwrap().rating_counts_disagreeing, 1);
    bazaar_server::infra::db::query("UPDATE product_ratings SET stars_2 = stars_2 - 1 WHERE product_id = 11")
        .execute(&app.state.db)
        .await
        .unwrap();
    // A restart reads the ratings back from the database.
    let restarted = app.restart_with(|_| {}).await;
    let (_, body) = restarted.get_json("/products?sort=rating&page_size=3").await;
    let ids: Vec<i64> = body["items"].as_array().unwrap().iter().map(|item| item["id"].as_i64().unwrap()).collect();
    assert_eq!(ids, vec![1, 10, 11]);
}

#[tokio::test]
async fn the_demo_reviews_its_featured_products_once_they_are_delivered() {
    let app = crate::common::spawn_app_with(|config| config.demo_apps = true).await;
    let mut rated = Vec::new();
    // The demo seller delivers within seconds; a busy test machine may take longer.
    for _ in 0..600 {
        let (_, body) = app.get_json("/products?sort=rating&page_size=5").await;
        rated = body["items"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|item| !item["rating"].is_null())
            .map(|item| (item["id"].as_i64().unwrap(), item["rating"]["count"].as_u64().unwrap()))
            .collect();
        if rated.len() == 5 && rated.iter().map(|(_, count)| count).sum::<u64>() == 9 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    // Northwind CRM and BluePeak Secrets Vault at 4.5, then the two at 3.5, then the CDN's 2.
    assert_eq!(rated, vec![(1, 2), (10, 2), (11, 2), (13, 2), (21, 1)]);
    let (_, page) = app.get_json("/products/1/reviews").await;
    assert_eq!(page["summary"]["distribution"], json!([0, 0, 0, 1, 1]), "{page}");
    // Written once: a restart leaves them as they are.
    let restarted = app.restart_with(|config| config.demo_apps = true).await;
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    assert_eq!(restarted.get_json("/products/1/reviews").await.1["total"], 2);
}
