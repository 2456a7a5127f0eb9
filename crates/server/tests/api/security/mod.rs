//! Security hardening: login throttling and locks, session lifetimes and rotation, cookie
//! attributes, the origin check, request limits, the role table walked over the whole
//! OpenAPI document, secrets at rest, seller URLs, trusted proxies and caps.

mod data;
mod logins;
mod requests;

use std::time::Duration;

use crate::common::{DEMO_PASSWORD, TestApp, assert_error, decode, spawn_app, spawn_app_with};
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

/// The session cookie's value in a `Set-Cookie` answer.
fn session_token(response: &reqwest::Response) -> String {
    let cookie = response.headers()["set-cookie"].to_str().unwrap();
    cookie.split(';').next().unwrap().split_once('=').unwrap().1.to_owned()
}

fn with_token(app: &TestApp, path: &str, token: &str) -> reqwest::RequestBuilder {
    crate::common::client_without_origin().get(app.url(path)).header("cookie", format!("bazaar_session={token}"))
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
