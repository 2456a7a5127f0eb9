//! Password throttles and locks, session lifetimes, rotation, the session list and cookies.

use super::*;
use bazaar_server::infra::db;

#[tokio::test]
async fn wrong_passwords_slow_down_then_lock_the_account_even_for_the_right_password() {
    let app = spawn_app().await;
    let client = app.other_client();
    for attempt in 1..=3 {
        let (status, body, _) = log_in_with(&app, &client, "lin.wei", "wrong-password").await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "attempt {attempt}: {body}");
    }
    // After three free failures the next attempt must wait a second: refused before any
    // password check, with the wait in Retry-After.
    let (status, body, retry_after) = log_in_with(&app, &client, "lin.wei", DEMO_PASSWORD).await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS, "{body}");
    assert_error(&body, "rate_limited");
    assert_eq!(retry_after.as_deref(), Some("1"));
    // Failures up to the tenth, each as soon as allowed (the clock moves instead of us).
    for attempt in 4..=10 {
        app.advance_clock(60).await;
        let (status, body, _) = log_in_with(&app, &client, "lin.wei", "wrong-password").await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "attempt {attempt}: {body}");
    }
    let (status, body, retry_after) = log_in_with(&app, &client, "lin.wei", DEMO_PASSWORD).await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS, "the right password is refused during the lock: {body}");
    assert_error(&body, "account_locked");
    let retry_after: i64 = retry_after.unwrap().parse().unwrap();
    assert!((890..=900).contains(&retry_after), "{retry_after}");
    // Another account is not locked; the same one, in any letter case, is.
    assert_eq!(log_in_with(&app, &client, "maria.santos", DEMO_PASSWORD).await.0, StatusCode::OK);
    assert_eq!(log_in_with(&app, &client, "LIN.WEI", DEMO_PASSWORD).await.0, StatusCode::TOO_MANY_REQUESTS);
    // Fifteen minutes later the right password works, and the count starts again.
    app.advance_clock(901).await;
    assert_eq!(log_in_with(&app, &client, "lin.wei", DEMO_PASSWORD).await.0, StatusCode::OK);
    let rows: i64 =
        db::query_scalar("SELECT COUNT(*) FROM login_throttles WHERE scope = 'account' AND key = 'lin.wei'")
            .fetch_one(&app.state.db)
            .await
            .unwrap();
    assert_eq!(rows, 0);
}

#[tokio::test]
async fn unknown_user_names_are_throttled_like_real_ones() {
    let app = spawn_app().await;
    let client = app.other_client();
    for _ in 0..3 {
        assert_eq!(log_in_with(&app, &client, "nobody.here", "x").await.0, StatusCode::UNAUTHORIZED);
    }
    let (status, body, _) = log_in_with(&app, &client, "nobody.here", "x").await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS, "{body}");
}

#[tokio::test]
async fn one_address_guessing_many_accounts_is_slowed_down() {
    let app = spawn_app().await;
    let client = app.other_client();
    // Twenty failures over twenty different names: each name is fresh, the address is not.
    for index in 0..20 {
        let (status, body, _) = log_in_with(&app, &client, &format!("user{index}"), "x").await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{index}: {body}");
    }
    let (status, body, _) = log_in_with(&app, &client, "user-next", "x").await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS, "{body}");
    // Successful logins from the address do not add to its count (each still waits its
    // turn while the address is slowed down).
    let (status, _, _) = log_in_with(&app, &client, "lin.wei", DEMO_PASSWORD).await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS, "the address must wait its turn first");
    for _ in 0..3 {
        tokio::time::sleep(Duration::from_millis(1100)).await;
        let (status, body, _) = log_in_with(&app, &client, "maria.santos", DEMO_PASSWORD).await;
        assert_eq!(status, StatusCode::OK, "{body}");
    }
    let failures: i64 = db::query_scalar("SELECT failures FROM login_throttles WHERE scope = 'address'")
        .fetch_one(&app.state.db)
        .await
        .unwrap();
    assert_eq!(failures, 20);
}

#[tokio::test]
async fn re_authentication_is_throttled_too() {
    let app = spawn_app().await;
    let buyer = app.logged_in("lin.wei").await;
    let reauthenticate = |password: &'static str| {
        let request = buyer.post(app.url("/session/reauthenticate")).json(&json!({ "password": password }));
        async move { decode(request.send().await.unwrap()).await }
    };
    for _ in 0..3 {
        let (status, body) = reauthenticate("wrong").await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    }
    // Past the free failures the wait doubles. The clock counts whole seconds and runs: after
    // the first wait (1 s) a second boundary between two requests would let the next one
    // through, so the refusal is checked during the second wait (2 s), which only a request
    // a full second late could miss.
    app.advance_clock(1).await;
    let (status, body) = reauthenticate("wrong").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    let (status, body) = reauthenticate(DEMO_PASSWORD).await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS, "{body}");
    app.advance_clock(2).await;
    assert_eq!(reauthenticate(DEMO_PASSWORD).await.0, StatusCode::OK);
}

#[tokio::test]
async fn an_idle_session_ends_and_an_active_one_lives_until_its_absolute_end() {
    let app = spawn_app_with(|config| {
        config.session_idle_seconds = 4;
        config.session_absolute_seconds = 9;
    })
    .await;
    // Active: a request every second keeps it alive past the idle timeout...
    let active = app.logged_in("lin.wei").await;
    for _ in 0..6 {
        tokio::time::sleep(Duration::from_secs(1)).await;
        assert_eq!(app.get_as(&active, "/session").await.0, StatusCode::OK);
    }
    // ...until the absolute lifetime ends it however busy it is.
    let mut ended = false;
    for _ in 0..6 {
        tokio::time::sleep(Duration::from_secs(1)).await;
        if app.get_as(&active, "/session").await.0 == StatusCode::NO_CONTENT {
            ended = true;
            break;
        }
    }
    assert!(ended, "the session outlived its absolute lifetime");
    // Idle: five quiet seconds end it.
    let idle = app.logged_in("maria.santos").await;
    assert_eq!(app.get_as(&idle, "/session").await.0, StatusCode::OK);
    tokio::time::sleep(Duration::from_secs(5)).await;
    let (status, body) = app.get_as(&idle, "/session").await;
    assert_eq!(status, StatusCode::NO_CONTENT, "signed out: {body}");
    assert_eq!(app.get_as(&idle, "/orders").await.0, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn logging_in_and_re_authenticating_replace_the_token() {
    let app = spawn_app().await;
    let client = app.other_client();
    let first = app.log_in_as(&client, "lin.wei").await;
    let first_token = session_token(&first);
    // Logging in again from the same browser ends the first session.
    let second = app.log_in_as(&client, "lin.wei").await;
    let second_token = session_token(&second);
    assert_ne!(first_token, second_token);
    assert_eq!(with_token(&app, "/session", &first_token).send().await.unwrap().status(), StatusCode::NO_CONTENT);
    assert_eq!(with_token(&app, "/session", &second_token).send().await.unwrap().status(), StatusCode::OK);
    // Re-authentication hands out a new token too.
    let response = client
        .post(app.url("/session/reauthenticate"))
        .json(&json!({ "password": DEMO_PASSWORD }))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let third_token = session_token(&response);
    assert_ne!(third_token, second_token);
    assert_eq!(with_token(&app, "/session", &second_token).send().await.unwrap().status(), StatusCode::NO_CONTENT);
    assert_eq!(app.get_as(&client, "/session").await.0, StatusCode::OK, "the cookie jar took the new token");
}

#[tokio::test]
async fn my_account_lists_sessions_and_signs_one_or_all_out() {
    let app = spawn_app().await;
    let laptop = app.other_client();
    let response = laptop
        .post(app.url("/session"))
        .header("user-agent", "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0")
        .json(&json!({ "username": "lin.wei", "password": DEMO_PASSWORD }))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let phone = app.logged_in("lin.wei").await;
    let other_buyer = app.logged_in("maria.santos").await;

    let (status, sessions) = app.get_as(&laptop, "/account/sessions").await;
    assert_eq!(status, StatusCode::OK);
    let sessions = sessions.as_array().unwrap();
    assert_eq!(sessions.len(), 2, "{sessions:?}");
    let this = sessions.iter().find(|session| session["current"] == true).unwrap();
    assert_eq!(this["device"], "Firefox · Linux");
    assert_eq!(this["client_address"], "127.0.0.1");
    let phone_id = sessions.iter().find(|session| session["current"] == false).unwrap()["id"].as_i64().unwrap();

    // Another account cannot sign this one's sessions out.
    let response = other_buyer.delete(app.url(&format!("/account/sessions/{phone_id}"))).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    assert_eq!(app.get_as(&phone, "/session").await.0, StatusCode::OK);
    // The laptop signs the phone out.
    let response = laptop.delete(app.url(&format!("/account/sessions/{phone_id}"))).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    assert_eq!(app.get_as(&phone, "/session").await.0, StatusCode::NO_CONTENT);
    assert_eq!(app.get_as(&laptop, "/session").await.0, StatusCode::OK);
    // Everywhere: this one too, and the cookie is cleared.
    let phone = app.logged_in("lin.wei").await;
    let response = laptop.delete(app.url("/account/sessions")).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    assert!(response.headers()["set-cookie"].to_str().unwrap().contains("Max-Age=0"));
    assert_eq!(app.get_as(&phone, "/session").await.0, StatusCode::NO_CONTENT);
    assert_eq!(app.get_as(&laptop, "/session").await.0, StatusCode::NO_CONTENT);
    assert_eq!(app.get_as(&other_buyer, "/session").await.0, StatusCode::OK, "other accounts stay signed in");
}

#[tokio::test]
async fn an_account_keeps_at_most_ten_sessions() {
    let app = spawn_app().await;
    let oldest = app.logged_in("lin.wei").await;
    let mut clients = Vec::new();
    for _ in 0..10 {
        clients.push(app.logged_in("lin.wei").await);
    }
    assert_eq!(app.get_as(&oldest, "/session").await.0, StatusCode::NO_CONTENT, "the least recently used ended");
    let (_, sessions) = app.get_as(&clients[9], "/account/sessions").await;
    assert_eq!(sessions.as_array().unwrap().len(), 10);
}

#[tokio::test]
async fn cookies_are_host_prefixed_and_secure_by_default_and_plain_only_in_demo_mode() {
    let demo = spawn_app().await;
    let response = demo.log_in_as(&demo.other_client(), "lin.wei").await;
    let cookie = response.headers()["set-cookie"].to_str().unwrap().to_owned();
    assert!(cookie.starts_with("bazaar_session="), "{cookie}");
    assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax") && cookie.contains("Path=/"));
    assert!(!cookie.contains("Secure"), "demo mode on plain http: {cookie}");
    assert!(response.headers().get("strict-transport-security").is_none());

    let secure = spawn_app_with(|config| config.secure_cookies = Some(true)).await;
    let response = secure.log_in_as(&secure.other_client(), "lin.wei").await;
    let cookie = response.headers()["set-cookie"].to_str().unwrap().to_owned();
    assert!(cookie.starts_with("__Host-bazaar_session="), "{cookie}");
    assert!(cookie.contains("; Secure") && cookie.contains("Path=/") && !cookie.contains("Domain"), "{cookie}");
    assert!(response.headers()["strict-transport-security"].to_str().unwrap().contains("max-age="));
    // The plain name means nothing when cookies are secure.
    let token = session_token(&response);
    let plain = with_token(&secure, "/session", &token).send().await.unwrap();
    assert_eq!(plain.status(), StatusCode::NO_CONTENT, "not signed in");
    let prefixed = crate::common::client_without_origin()
        .get(secure.url("/session"))
        .header("cookie", format!("__Host-bazaar_session={token}"))
        .send()
        .await
        .unwrap();
    assert_eq!(prefixed.status(), StatusCode::OK);

    // Outside demo mode, plain cookies cannot be configured at all.
    let directory = tempfile::tempdir().unwrap();
    let mut config =
        bazaar_server::config::Config::for_tests(format!("sqlite://{}", directory.path().join("p.db").display()));
    config.demo = false;
    config.secret_key = Some(bazaar_server::config::SecretText::new("11".repeat(32)));
    config.secure_cookies = Some(false);
    assert!(bazaar_server::build_state(config).await.is_err());
}

#[tokio::test]
async fn two_session_cookies_are_refused() {
    let app = spawn_app().await;
    let response = app.log_in_as(&app.other_client(), "lin.wei").await;
    let token = session_token(&response);
    let response = crate::common::client_without_origin()
        .get(app.url("/session"))
        .header("cookie", format!("bazaar_session={token}; bazaar_session=planted"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    assert_error(&decode(response).await.1, "bad_request");
}
