//! Logging in and out, who-am-I, and the cross-origin and malformed-input defences.

use crate::common::{assert_error, decode, spawn_app};
use reqwest::StatusCode;
use serde_json::json;

#[tokio::test]
async fn log_in_with_the_right_password_returns_the_account_and_sets_an_httponly_cookie() {
    let app = spawn_app().await;
    let response = app.log_in_as(&app.client, "lin.wei").await;
    assert_eq!(response.status(), StatusCode::OK);
    let cookie = response.headers().get("set-cookie").unwrap().to_str().unwrap().to_owned();
    assert!(cookie.starts_with("bazaar_session="), "{cookie}");
    assert!(cookie.contains("HttpOnly"), "{cookie}");
    assert!(cookie.contains("SameSite=Lax"), "{cookie}");
    assert!(!cookie.contains("Secure"), "not Secure unless configured: {cookie}");
    let (_, body) = decode(response).await;
    assert_eq!(body["account"]["username"], "lin.wei");
    assert_eq!(body["account"]["display_name"], "Lin Wei");
    assert_eq!(body["account"]["role"], "buyer");
    assert_eq!(body["account"]["contact"]["email"], "lin.wei@example.com");

    let (status, me) = app.get_json("/session").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(me["account"]["username"], "lin.wei");
}

#[tokio::test]
async fn user_names_are_case_insensitive() {
    let app = spawn_app().await;
    let response = app
        .client
        .post(app.url("/session"))
        .json(&json!({ "username": "Lin.Wei", "password": crate::common::DEMO_PASSWORD }))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
}

#[tokio::test]
async fn secure_cookies_when_configured() {
    let app = crate::common::spawn_app_with(|config| config.secure_cookies = Some(true)).await;
    let response = app.log_in_as(&app.client, "lin.wei").await;
    let cookie = response.headers().get("set-cookie").unwrap().to_str().unwrap();
    assert!(cookie.contains("; Secure"), "{cookie}");
}

#[tokio::test]
async fn wrong_password_and_unknown_user_get_the_same_401() {
    let app = spawn_app().await;
    let (wrong_status, wrong_body) =
        app.post_json("/session", &json!({ "username": "lin.wei", "password": "not-it" })).await;
    let (unknown_status, unknown_body) =
        app.post_json("/session", &json!({ "username": "nobody", "password": "not-it" })).await;
    assert_eq!(wrong_status, StatusCode::UNAUTHORIZED);
    assert_eq!(unknown_status, StatusCode::UNAUTHORIZED);
    assert_error(&wrong_body, "unauthenticated");
    // The same answer for both, so the API cannot be used to discover user names.
    assert_eq!(wrong_body, unknown_body);
    let (status, _) = app.get_json("/session").await;
    assert_eq!(status, StatusCode::NO_CONTENT, "still not signed in");
}

#[tokio::test]
async fn missing_fields_are_named_in_the_error() {
    let app = spawn_app().await;
    let (status, body) = app.post_json("/session", &json!({ "username": " ", "password": "" })).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_error(&body, "validation_failed");
    let fields: Vec<&str> =
        body["field_errors"].as_array().unwrap().iter().map(|e| e["field"].as_str().unwrap()).collect();
    assert_eq!(fields, vec!["username", "password"]);
}

#[tokio::test]
async fn who_am_i_tells_a_visitor_they_are_signed_out_without_an_error() {
    let app = spawn_app().await;
    let response = app.client.get(app.url("/session")).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    assert!(response.text().await.unwrap().is_empty());
    // What needs a session still says so.
    let (status, body) = app.get_json("/orders").await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_error(&body, "unauthenticated");
}

#[tokio::test]
async fn a_forged_cookie_is_not_a_session() {
    let app = spawn_app().await;
    let response =
        app.client.get(app.url("/session")).header("cookie", "bazaar_session=forged-token").send().await.unwrap();
    assert_eq!(response.status(), StatusCode::NO_CONTENT, "signed out");
    let orders =
        app.client.get(app.url("/orders")).header("cookie", "bazaar_session=forged-token").send().await.unwrap();
    assert_eq!(orders.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn log_out_ends_the_session_on_the_server() {
    let app = spawn_app().await;
    let response = app.log_in_as(&app.client, "maria.santos").await;
    let cookie = response.headers().get("set-cookie").unwrap().to_str().unwrap().to_owned();
    let token_pair = cookie.split(';').next().unwrap().to_owned();

    let response = app.client.delete(app.url("/session")).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    let cleared = response.headers().get("set-cookie").unwrap().to_str().unwrap();
    assert!(cleared.contains("Max-Age=0"), "{cleared}");

    // Replaying the old cookie must not work: the session is gone server-side, not just
    // forgotten by the browser.
    let replay = app.other_client().get(app.url("/session")).header("cookie", &token_pair).send().await.unwrap();
    assert_eq!(replay.status(), StatusCode::NO_CONTENT, "signed out");
    let replay = app.other_client().get(app.url("/orders")).header("cookie", token_pair).send().await.unwrap();
    assert_eq!(replay.status(), StatusCode::UNAUTHORIZED);
    // Logging out twice is harmless.
    let again = app.client.delete(app.url("/session")).send().await.unwrap();
    assert_eq!(again.status(), StatusCode::NO_CONTENT);
}

#[tokio::test]
async fn a_cross_origin_state_changing_request_is_refused() {
    let app = spawn_app().await;
    let response = app
        .client
        .post(app.url("/session"))
        .header("origin", "https://evil.example")
        .json(&json!({ "username": "lin.wei", "password": crate::common::DEMO_PASSWORD }))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    assert!(response.headers().get("set-cookie").is_none());
    let (_, body) = decode(response).await;
    assert_error(&body, "forbidden");

    // The same request from an allowed origin (the dev server, in demo mode) goes through,
    // and gets credentialed CORS headers.
    let response = app
        .client
        .post(app.url("/session"))
        .header("origin", "http://127.0.0.1:8080")
        .json(&json!({ "username": "lin.wei", "password": crate::common::DEMO_PASSWORD }))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()["access-control-allow-origin"], "http://127.0.0.1:8080");
    assert_eq!(response.headers()["access-control-allow-credentials"], "true");
}

#[tokio::test]
async fn outside_demo_mode_only_configured_origins_are_allowed() {
    let app = crate::common::spawn_app_with(|config| {
        config.demo = false;
        config.secret_key = Some(bazaar_server::config::SecretText::new("00".repeat(32)));
        config.allowed_origins = vec!["https://shop.example".to_owned()];
    })
    .await;
    let refused =
        app.client.delete(app.url("/session")).header("origin", "http://127.0.0.1:8080").send().await.unwrap();
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);
    let allowed = app.client.delete(app.url("/session")).header("origin", "https://shop.example").send().await.unwrap();
    assert_eq!(allowed.status(), StatusCode::NO_CONTENT);
}

#[tokio::test]
async fn malformed_json_gets_the_error_body_and_no_5xx() {
    let app = spawn_app().await;
    let cases: Vec<(&str, &str)> = vec![
        ("application/json", "{not json"),
        ("application/json", r#"{"username": 42}"#),
        ("application/json", "[]"),
        ("text/plain", r#"{"username":"lin.wei","password":"x"}"#),
        ("application/json", ""),
    ];
    for (content_type, body) in cases {
        let response = app
            .client
            .post(app.url("/session"))
            .header("content-type", content_type)
            .body(body.to_owned())
            .send()
            .await
            .unwrap();
        let (status, json) = decode(response).await;
        assert!(status.is_client_error(), "{content_type} {body:?} → {status}");
        let expected = if content_type == "text/plain" { "unsupported_media_type" } else { "bad_request" };
        assert_error(&json, expected);
    }
}

#[tokio::test]
async fn unknown_api_paths_are_json_404s_and_every_response_has_security_headers() {
    let app = spawn_app().await;
    let response = app.client.get(app.url("/no-such-thing")).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    let headers = response.headers().clone();
    assert_eq!(headers["x-content-type-options"], "nosniff");
    assert_eq!(headers["referrer-policy"], "no-referrer");
    assert!(headers["content-security-policy"].to_str().unwrap().contains("frame-ancestors 'none'"));
    assert_eq!(headers["cache-control"], "no-store");
    let (_, body) = decode(response).await;
    assert_error(&body, "not_found");
}

#[tokio::test]
async fn health_answers() {
    let app = spawn_app().await;
    let (status, body) = app.get_json("/health").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["status"], "ok");
}

#[tokio::test]
async fn reauthentication_checks_the_password() {
    let app = spawn_app().await;
    app.log_in("lin.wei").await;
    let (status, body) = app.post_json("/session/reauthenticate", &json!({ "password": "wrong" })).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(body["field_errors"][0]["field"], "password");
    let (status, _) =
        app.post_json("/session/reauthenticate", &json!({ "password": crate::common::DEMO_PASSWORD })).await;
    assert_eq!(status, StatusCode::OK);
}

#[tokio::test]
async fn production_mode_requires_a_secret_key() {
    let dir = tempfile::tempdir().unwrap();
    let mut config =
        bazaar_server::config::Config::for_tests(format!("sqlite://{}", dir.path().join("x.db").display()));
    config.demo = false;
    assert!(bazaar_server::build_state(config).await.is_err());
}
