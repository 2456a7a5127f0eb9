//! Security hardening: login throttling and locks, session lifetimes and rotation, cookie
//! attributes, the origin check, request limits, the role table walked over the whole
//! OpenAPI document, secrets at rest, seller URLs, trusted proxies and caps.

mod common;

use std::time::Duration;

use common::{DEMO_PASSWORD, TestApp, assert_error, decode, spawn_app, spawn_app_with};
use reqwest::{Client, StatusCode};
use serde_json::{Value, json};
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};

async fn log_in_with(
    app: &TestApp,
    client: &Client,
    username: &str,
    password: &str,
) -> (StatusCode, Value, Option<String>) {
    let response = client
        .post(app.url("/session"))
        .json(&json!({ "username": username, "password": password }))
        .send()
        .await
        .unwrap();
    let retry_after = response.headers().get("retry-after").map(|value| value.to_str().unwrap().to_owned());
    let (status, body) = decode(response).await;
    (status, body, retry_after)
}

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
        sqlx::query_scalar("SELECT COUNT(*) FROM login_throttles WHERE scope = 'account' AND key = 'lin.wei'")
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
    let failures: i64 = sqlx::query_scalar("SELECT failures FROM login_throttles WHERE scope = 'address'")
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
    let (status, body) = reauthenticate(DEMO_PASSWORD).await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS, "{body}");
    app.advance_clock(1).await;
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
        if app.get_as(&active, "/session").await.0 == StatusCode::UNAUTHORIZED {
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
    assert_eq!(status, StatusCode::UNAUTHORIZED, "{body}");
}

/// The session cookie's value in a `Set-Cookie` answer.
fn session_token(response: &reqwest::Response) -> String {
    let cookie = response.headers()["set-cookie"].to_str().unwrap();
    cookie.split(';').next().unwrap().split_once('=').unwrap().1.to_owned()
}

fn with_token(app: &TestApp, path: &str, token: &str) -> reqwest::RequestBuilder {
    common::client_without_origin().get(app.url(path)).header("cookie", format!("bazaar_session={token}"))
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
    assert_eq!(with_token(&app, "/session", &first_token).send().await.unwrap().status(), StatusCode::UNAUTHORIZED);
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
    assert_eq!(with_token(&app, "/session", &second_token).send().await.unwrap().status(), StatusCode::UNAUTHORIZED);
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
    assert_eq!(app.get_as(&phone, "/session").await.0, StatusCode::UNAUTHORIZED);
    assert_eq!(app.get_as(&laptop, "/session").await.0, StatusCode::OK);
    // Everywhere: this one too, and the cookie is cleared.
    let phone = app.logged_in("lin.wei").await;
    let response = laptop.delete(app.url("/account/sessions")).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    assert!(response.headers()["set-cookie"].to_str().unwrap().contains("Max-Age=0"));
    assert_eq!(app.get_as(&phone, "/session").await.0, StatusCode::UNAUTHORIZED);
    assert_eq!(app.get_as(&laptop, "/session").await.0, StatusCode::UNAUTHORIZED);
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
    assert_eq!(app.get_as(&oldest, "/session").await.0, StatusCode::UNAUTHORIZED, "the least recently used ended");
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
    assert_eq!(plain.status(), StatusCode::UNAUTHORIZED);
    let prefixed = common::client_without_origin()
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
    let response = common::client_without_origin()
        .get(app.url("/session"))
        .header("cookie", format!("bazaar_session={token}; bazaar_session=planted"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    assert_error(&decode(response).await.1, "bad_request");
}

#[tokio::test]
async fn state_changes_must_show_where_they_come_from() {
    let app = spawn_app().await;
    let bare = common::client_without_origin();
    let login = json!({ "username": "lin.wei", "password": DEMO_PASSWORD });
    let send = |headers: Vec<(&'static str, String)>| {
        let mut request = bare.post(app.url("/session")).json(&login);
        for (name, value) in headers {
            request = request.header(name, value);
        }
        async move { request.send().await.unwrap().status() }
    };
    assert_eq!(send(vec![]).await, StatusCode::FORBIDDEN, "no Origin and no Sec-Fetch-Site");
    assert_eq!(send(vec![("sec-fetch-site", "cross-site".into())]).await, StatusCode::FORBIDDEN);
    assert_eq!(send(vec![("sec-fetch-site", "same-site".into())]).await, StatusCode::FORBIDDEN);
    assert_eq!(send(vec![("origin", "null".into())]).await, StatusCode::FORBIDDEN);
    let other_port = app.address.rsplit_once(':').map(|(host, _)| format!("{host}:1")).unwrap();
    assert_eq!(send(vec![("origin", other_port)]).await, StatusCode::FORBIDDEN, "another port");
    let other_scheme = app.address.replacen("http", "https", 1);
    assert_eq!(send(vec![("origin", other_scheme)]).await, StatusCode::FORBIDDEN, "another scheme");
    assert_eq!(send(vec![("origin", "http://evil.example".into())]).await, StatusCode::FORBIDDEN);
    assert_eq!(send(vec![("sec-fetch-site", "same-origin".into())]).await, StatusCode::OK);
    assert_eq!(send(vec![("origin", app.address.clone())]).await, StatusCode::OK);
    // Reading needs neither.
    assert_eq!(bare.get(app.url("/products")).send().await.unwrap().status(), StatusCode::OK);
}

/// Sends raw HTTP/1.1 on `stream` and reads one response: status, head, body.
async fn exchange(stream: &mut tokio::net::TcpStream, request: &[u8]) -> (u16, String, String) {
    stream.write_all(request).await.unwrap();
    let mut received = Vec::new();
    let mut buffer = [0_u8; 4096];
    loop {
        let read = tokio::time::timeout(Duration::from_secs(10), stream.read(&mut buffer)).await.unwrap().unwrap();
        assert!(read > 0, "the connection closed before a whole response arrived");
        received.extend_from_slice(&buffer[..read]);
        let text = String::from_utf8_lossy(&received).into_owned();
        if let Some((head, body)) = text.split_once("\r\n\r\n") {
            let length: usize = head
                .lines()
                .find_map(|line| {
                    line.to_ascii_lowercase().strip_prefix("content-length:").map(|v| v.trim().parse().unwrap())
                })
                .unwrap_or(0);
            if body.len() >= length {
                let status = head.split_whitespace().nth(1).unwrap().parse().unwrap();
                return (status, head.to_owned(), body[..length].to_owned());
            }
        }
    }
}

#[tokio::test]
async fn a_refused_request_with_a_body_keeps_the_connection_usable() {
    let app = spawn_app().await;
    let host = app.address.trim_start_matches("http://").to_owned();
    let mut stream = tokio::net::TcpStream::connect(&host).await.unwrap();
    let body = r#"{"product_id":1}"#;
    let refused = format!(
        "POST /api/v1/orders HTTP/1.1\r\nHost: {host}\r\nOrigin: {}\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
        app.address,
        body.len()
    );
    let (status, head, body) = exchange(&mut stream, refused.as_bytes()).await;
    assert_eq!(status, 401, "{body}");
    assert!(!head.to_ascii_lowercase().contains("connection: close"), "{head}");
    // The next request on the same connection is answered.
    let next = format!("GET /api/v1/health HTTP/1.1\r\nHost: {host}\r\n\r\n");
    let (status, _, _) = exchange(&mut stream, next.as_bytes()).await;
    assert_eq!(status, 200);
}

#[tokio::test]
async fn oversized_bodies_get_413_and_the_connection_is_closed_explicitly() {
    let app = spawn_app().await;
    let host = app.address.trim_start_matches("http://").to_owned();
    // Declared too large: refused before the body arrives.
    let mut stream = tokio::net::TcpStream::connect(&host).await.unwrap();
    let request = format!(
        "POST /api/v1/session HTTP/1.1\r\nHost: {host}\r\nOrigin: {}\r\nContent-Type: application/json\r\nContent-Length: 10000000\r\n\r\n{{",
        app.address
    );
    let (status, head, body) = exchange(&mut stream, request.as_bytes()).await;
    assert_eq!(status, 413);
    assert!(head.to_ascii_lowercase().contains("connection: close"), "{head}");
    assert_error(&serde_json::from_str(&body).unwrap(), "payload_too_large");
    // Sent in chunks without a length: cut off at the limit.
    let big = "x".repeat(bazaar_server::limits::MAX_BODY_BYTES + 1);
    let response =
        app.client.post(app.url("/session")).header("content-type", "application/json").body(big).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::PAYLOAD_TOO_LARGE);
    assert_error(&decode(response).await.1, "payload_too_large");
}

#[tokio::test]
async fn every_error_answer_carries_the_error_body() {
    let app = spawn_app().await;
    // 405, with the methods the path takes.
    let response = app.client.patch(app.url("/products")).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::METHOD_NOT_ALLOWED);
    assert!(response.headers().get("allow").is_some(), "{:?}", response.headers());
    assert_error(&decode(response).await.1, "method_not_allowed");
    // 415.
    let response =
        app.client.post(app.url("/session")).header("content-type", "text/plain").body("{}").send().await.unwrap();
    assert_eq!(response.status(), StatusCode::UNSUPPORTED_MEDIA_TYPE);
    assert_error(&decode(response).await.1, "unsupported_media_type");
    // 404 under /api.
    let (status, body) = app.get_json("/nothing/here").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_error(&body, "not_found");
}

#[tokio::test]
async fn a_request_that_takes_too_long_is_answered_503_and_changes_nothing() {
    // A password check takes tens of milliseconds; one millisecond is not enough.
    let app = spawn_app_with(|config| config.request_timeout_ms = 1).await;
    let (status, body, _) = log_in_with(&app, &app.client, "lin.wei", DEMO_PASSWORD).await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "{body}");
    assert_error(&body, "unavailable");
    let sessions: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM sessions").fetch_one(&app.state.db).await.unwrap();
    assert_eq!(sessions, 0);
}

/// Every operation of the OpenAPI document (demo routes included) called by every role:
/// the role table refuses exactly the roles it names, before the handler runs.
#[tokio::test]
async fn the_role_table_covers_every_operation_and_is_enforced() {
    use bazaar_server::access::{self, Access, ROLE_REFUSED};
    let app = spawn_app().await;
    let document: Value = serde_json::from_str(&bazaar_server::openapi_document_json(true)).unwrap();
    let mut operations = Vec::new();
    for (path, item) in document["paths"].as_object().unwrap() {
        for method in item.as_object().unwrap().keys() {
            operations.push((method.to_uppercase(), format!("/api/v1{}", path.trim_start_matches("/api/v1"))));
        }
    }
    // Every operation has a rule, and every rule an operation.
    for (method, path) in &operations {
        let method = reqwest::Method::from_bytes(method.as_bytes()).unwrap();
        assert!(access::access_for(&method, path).is_some(), "{method} {path} has no rule in the access table");
    }
    for (method, path, _) in access::ROUTES {
        assert!(operations.iter().any(|(m, p)| m == method && p == path), "{method} {path} is not in the document");
    }
    // Signing out comes last, so that it does not end the sessions the walk uses.
    operations.sort_by_key(|(method, path)| match (method.as_str(), path.as_str()) {
        ("DELETE", "/api/v1/account/sessions") => 1,
        ("DELETE", "/api/v1/session") => 2,
        _ => 0,
    });
    let roles = [
        ("anonymous", None, app.other_client()),
        ("buyer", Some(bazaar_core::account::Role::Buyer), app.logged_in("lin.wei").await),
        ("reseller customer", Some(bazaar_core::account::Role::ResellerCustomer), app.logged_in("chen.jie").await),
        ("seller", Some(bazaar_core::account::Role::Seller), app.logged_in("sam.okafor").await),
        ("operations", Some(bazaar_core::account::Role::Operations), app.logged_in("zhang.min").await),
    ];
    for (method, path) in &operations {
        let access = access::access_for(&reqwest::Method::from_bytes(method.as_bytes()).unwrap(), path).unwrap();
        let concrete = path
            .split('/')
            .map(|segment| if segment.starts_with('{') { "999999" } else { segment })
            .collect::<Vec<_>>()
            .join("/");
        for (who, role, client) in &roles {
            if path.ends_with("/demo/clock")
                && method == "POST"
                && *role == Some(bazaar_core::account::Role::Operations)
            {
                continue; // would move the clock of the rest of the walk
            }
            let mut request = client
                .request(reqwest::Method::from_bytes(method.as_bytes()).unwrap(), format!("{}{concrete}", app.address))
                .header("idempotency-key", "role-walk")
                .header("if-match", "\"1\"");
            if method != "GET" && method != "DELETE" {
                request = request.json(&json!({}));
            }
            let (status, body) = decode(request.send().await.unwrap()).await;
            let refused_by_table = status == StatusCode::FORBIDDEN && body["message"] == ROLE_REFUSED;
            match role {
                None if access.needs_session() => {
                    assert_eq!(status, StatusCode::UNAUTHORIZED, "{who} {method} {path}: {body}")
                }
                Some(role) if !access.allows(*role) => {
                    assert!(refused_by_table, "{who} {method} {path} should be refused by the table: {status} {body}")
                }
                _ => {
                    assert!(!refused_by_table, "{who} {method} {path} is refused but allowed by the table");
                    if access != Access::Anyone && access != Access::Signed {
                        assert_ne!(status, StatusCode::UNAUTHORIZED, "{who} {method} {path}: {body}");
                    }
                    assert!(!status.is_server_error(), "{who} {method} {path}: {status} {body}");
                }
            }
        }
    }
}

#[tokio::test]
async fn secrets_are_sealed_in_the_database_file_and_an_older_database_is_upgraded() {
    let app = spawn_app().await;
    let key_hex = seller_key_hex(&app, 1).await;
    // An older database: one seller's key in plain text, not sealed.
    let old_key = "ab".repeat(32);
    sqlx::query("UPDATE sellers SET provisioning_key = ?, provisioning_key_sealed = NULL WHERE id = 2")
        .bind(&old_key)
        .execute(&app.state.db)
        .await
        .unwrap();
    let restarted = app.restart_with(|_| {}).await;
    assert_eq!(seller_key_hex(&restarted, 2).await, old_key, "the same key, now sealed");
    sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)").execute(&restarted.state.db).await.unwrap();
    let url = restarted.state.config.database_url.trim_start_matches("sqlite://").to_owned();
    let file = std::fs::read(&url).unwrap();
    for secret in [&key_hex, &old_key] {
        assert!(!file.windows(secret.len()).any(|window| window == secret.as_bytes()), "a key in plain text");
    }
    // A sealed key copied to another seller's row does not open there.
    sqlx::query("UPDATE sellers SET provisioning_key_sealed = (SELECT provisioning_key_sealed FROM sellers WHERE id = 1) WHERE id = 3")
        .execute(&restarted.state.db)
        .await
        .unwrap();
    assert!(bazaar_server::secrets::seller_key(&restarted.state.db, &restarted.state.master_keys, 3).await.is_err());
}

/// A seller's key as the hex text sellers are given, opened from its sealed column.
async fn seller_key_hex(app: &TestApp, seller_id: i64) -> String {
    let sealed: Vec<u8> = sqlx::query_scalar("SELECT provisioning_key_sealed FROM sellers WHERE id = ?")
        .bind(seller_id)
        .fetch_one(&app.state.db)
        .await
        .unwrap();
    app.state.master_keys.open_string(bazaar_server::secrets::seller_key_at(seller_id), &sealed).unwrap()
}

#[tokio::test]
async fn production_refuses_a_database_with_demo_accounts() {
    let demo = spawn_app().await;
    let mut config = bazaar_server::config::Config::for_tests(demo.state.config.database_url.clone());
    config.demo = false;
    config.secret_key = Some(bazaar_server::config::SecretText::new("11".repeat(32)));
    let refused = bazaar_server::build_state(config).await;
    let Err(error) = refused else { panic!("a production server started on a demo database") };
    assert!(error.to_string().contains("demo"), "{error}");
}

#[tokio::test]
async fn the_production_document_has_no_demo_routes() {
    let app = spawn_app_with(|config| {
        config.demo = false;
        config.secret_key = Some(bazaar_server::config::SecretText::new("11".repeat(32)));
    })
    .await;
    let (status, document) = app.get_json("/openapi.json").await;
    assert_eq!(status, StatusCode::OK);
    assert!(document["paths"].as_object().unwrap().keys().all(|path| !path.contains("/demo/")));
    let demo = spawn_app().await;
    let (_, document) = demo.get_json("/openapi.json").await;
    assert!(document["paths"].as_object().unwrap().keys().any(|path| path.contains("/demo/")));
}

#[tokio::test]
async fn a_seller_endpoint_on_a_private_address_is_never_called() {
    let app = spawn_app().await;
    sqlx::query("UPDATE sellers SET provisioning_url = 'https://169.254.169.254/latest/meta-data' WHERE id = 1")
        .execute(&app.state.db)
        .await
        .unwrap();
    let buyer = app.logged_in("lin.wei").await;
    let order = place_crm(&app, &buyer, "ssrf").await;
    let cancelled = wait_for_status(&app, &buyer, order, "cancelled").await;
    let detail = cancelled["cancel_reason"]["detail"].as_str().unwrap();
    assert!(detail.contains("not a public address"), "{detail}");
}

#[tokio::test]
async fn app_addresses_from_a_seller_are_checked_before_they_are_stored() {
    use axum::routing::post;
    let app = spawn_app().await;
    // A seller's system (on loopback, which demo mode allows) that answers with a
    // javascript: link for the app.
    let key = app.seller_key(1).await;
    let seller = axum::Router::new().route(
        "/provision",
        post(move || {
            let key = key.clone();
            async move {
                axum::Json(json!({
                    "instance_id": "evil-1",
                    "frontend_url": "javascript:alert(document.cookie)",
                    "management_url": "https://console.example/",
                    "username_sealed": key.seal_base64("admin"),
                    "password_sealed": key.seal_base64("Secret-Password-1"),
                }))
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let seller_url = format!("http://{}/provision", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, seller).await.unwrap() });
    sqlx::query("UPDATE sellers SET provisioning_url = ? WHERE id = 1")
        .bind(&seller_url)
        .execute(&app.state.db)
        .await
        .unwrap();
    let restarted = app
        .restart_with(|config| {
            config.provisioning_attempts = 1;
        })
        .await;
    let buyer = restarted.logged_in("lin.wei").await;
    let order = place_crm(&restarted, &buyer, "js-url").await;
    let cancelled = wait_for_status(&restarted, &buyer, order, "cancelled").await;
    let detail = cancelled["cancel_reason"]["detail"].as_str().unwrap();
    assert!(detail.contains("app address"), "{detail}");
    let stored: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM instances").fetch_one(&restarted.state.db).await.unwrap();
    assert_eq!(stored, 0);
}

async fn place_crm(app: &TestApp, buyer: &Client, key: &str) -> i64 {
    let response = buyer
        .post(app.url("/orders"))
        .header("idempotency-key", key)
        .json(&json!({
            "product_id": 1,
            "configuration": { "sku_id": 1, "billing_mode": "yearly_monthly", "duration_months": 1, "quantity": 1, "region": "cn-north-4" },
            "accept_terms": true, "authorize_contact_sharing": true
        }))
        .send()
        .await
        .unwrap();
    let (status, order) = decode(response).await;
    assert_eq!(status, StatusCode::CREATED, "{order}");
    let id = order["id"].as_i64().unwrap();
    let response =
        buyer.post(app.url(&format!("/orders/{id}/payment"))).json(&json!({ "method": "card" })).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    id
}

async fn wait_for_status(app: &TestApp, client: &Client, order: i64, status: &str) -> Value {
    for _ in 0..300 {
        let (_, body) = app.get_as(client, &format!("/orders/{order}")).await;
        if body["status"] == status {
            return body;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("order {order} never became {status}");
}

#[tokio::test]
async fn behind_a_trusted_proxy_the_forwarded_address_is_the_client() {
    let app = spawn_app_with(|config| config.trusted_proxies = vec!["127.0.0.0/8".parse().unwrap()]).await;
    let client = app.other_client();
    let response = client
        .post(app.url("/session"))
        .header("x-forwarded-for", "198.51.100.23")
        .json(&json!({ "username": "lin.wei", "password": "wrong" }))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    let keys: Vec<String> = sqlx::query_scalar("SELECT key FROM login_throttles WHERE scope = 'address'")
        .fetch_all(&app.state.db)
        .await
        .unwrap();
    assert_eq!(keys, ["198.51.100.23"]);
    // Without the proxy setting the header is the client's own claim and is ignored.
    let direct = spawn_app().await;
    let response = direct
        .other_client()
        .post(direct.url("/session"))
        .header("x-forwarded-for", "198.51.100.23")
        .json(&json!({ "username": "lin.wei", "password": "wrong" }))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    let keys: Vec<String> = sqlx::query_scalar("SELECT key FROM login_throttles WHERE scope = 'address'")
        .fetch_all(&direct.state.db)
        .await
        .unwrap();
    assert_eq!(keys, ["127.0.0.1"]);
}

#[tokio::test]
async fn unpaid_orders_are_capped() {
    let app = spawn_app().await;
    let buyer = app.logged_in("lin.wei").await;
    let order = json!({
        "product_id": 1,
        "configuration": { "sku_id": 1, "billing_mode": "yearly_monthly", "duration_months": 1, "quantity": 1, "region": "cn-north-4" },
        "accept_terms": true, "authorize_contact_sharing": true
    });
    for index in 0..bazaar_core::orders::MAX_UNPAID_ORDERS {
        let response = buyer
            .post(app.url("/orders"))
            .header("idempotency-key", format!("cap-{index}"))
            .json(&order)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::CREATED);
    }
    let response =
        buyer.post(app.url("/orders")).header("idempotency-key", "cap-over").json(&order).send().await.unwrap();
    let (status, body) = decode(response).await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    // A retry of an order already placed still answers with that order.
    let response = buyer.post(app.url("/orders")).header("idempotency-key", "cap-0").json(&order).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
}

#[tokio::test]
async fn orders_per_day_are_capped_with_a_retry_time() {
    let app = spawn_app_with(|config| config.max_orders_per_day = 3).await;
    let buyer = app.logged_in("lin.wei").await;
    for index in 0..3 {
        place_crm(&app, &buyer, &format!("day-{index}")).await;
    }
    let response = buyer
        .post(app.url("/orders"))
        .header("idempotency-key", "day-over")
        .json(&json!({
            "product_id": 1,
            "configuration": { "sku_id": 1, "billing_mode": "yearly_monthly", "duration_months": 1, "quantity": 1, "region": "cn-north-4" },
            "accept_terms": true, "authorize_contact_sharing": true
        }))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS);
    let retry_after: i64 = response.headers()["retry-after"].to_str().unwrap().parse().unwrap();
    assert!((86_000..=86_400).contains(&retry_after), "{retry_after}");
}
