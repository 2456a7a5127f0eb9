//! What every request is held to: its origin, body and time limits, error bodies and the role table.

use super::*;
use bazaar_server::infra::db;

#[tokio::test]
async fn state_changes_must_show_where_they_come_from() {
    let app = spawn_app().await;
    let bare = crate::common::client_without_origin();
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
    let big = "x".repeat(bazaar_server::config::MAX_BODY_BYTES + 1);
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
    let sessions: i64 = db::query_scalar("SELECT COUNT(*) FROM sessions").fetch_one(&app.state.db).await.unwrap();
    assert_eq!(sessions, 0);
}

/// Every operation of the OpenAPI document (demo routes included) called by every role:
/// the role table refuses exactly the roles it names, before the handler runs.
#[tokio::test]
async fn the_role_table_covers_every_operation_and_is_enforced() {
    use bazaar_server::http::access::{self, Access, ROLE_REFUSED};
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
