//! Plain HTTP/1.1 against the backends the tasks start: one exchange, a request repeated
//! until some instance answers (through kills and restarts), and logging in. Shared by the
//! reliability check and the benchmarks.

use std::io::{Read as _, Write as _};
use std::net::TcpStream;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use anyhow::{Context as _, bail};

/// What one plain HTTP/1.1 exchange produced, or `None` when the connection failed (the
/// server was down or died mid-request).
pub(crate) struct Answer {
    pub status: u16,
    headers: String,
    pub body: String,
}

pub(crate) fn exchange(
    port: u16,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: Option<&str>,
) -> Option<Answer> {
    let mut stream = TcpStream::connect_timeout(&([127, 0, 0, 1], port).into(), Duration::from_secs(2)).ok()?;
    stream.set_read_timeout(Some(Duration::from_secs(30))).ok()?;
    // Like the SPA's requests: a browser names the page's origin, and the server refuses
    // state changes that do not.
    let mut request = format!(
        "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nOrigin: http://127.0.0.1:{port}\r\nConnection: close\r\n"
    );
    for (name, value) in headers {
        request.push_str(&format!("{name}: {value}\r\n"));
    }
    if let Some(body) = body {
        request.push_str(&format!("Content-Type: application/json\r\nContent-Length: {}\r\n", body.len()));
    }
    request.push_str("\r\n");
    request.push_str(body.unwrap_or(""));
    stream.write_all(request.as_bytes()).ok()?;
    let mut response = Vec::new();
    stream.read_to_end(&mut response).ok()?;
    let text = String::from_utf8_lossy(&response);
    let (head, body) = text.split_once("\r\n\r\n")?;
    let status = head.split_whitespace().nth(1)?.parse().ok()?;
    Some(Answer { status, headers: head.to_owned(), body: body.to_owned() })
}

/// Requests that got no answer (connection refused or cut by the kill) and were retried.
pub(crate) static UNANSWERED: AtomicUsize = AtomicUsize::new(0);

/// Every instance's port when several run (`--postgres`); a request retries on the next.
pub(crate) static INSTANCE_PORTS: OnceLock<Vec<u16>> = OnceLock::new();

/// Repeats a request until a server answers (it may be restarting): `port` first, then
/// the other instances in turn.
pub(crate) fn until_answered(
    port: u16,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: Option<&str>,
) -> Answer {
    let ports = INSTANCE_PORTS.get().filter(|ports| ports.contains(&port)).cloned().unwrap_or_else(|| vec![port]);
    let mut next = ports.iter().position(|candidate| *candidate == port).unwrap_or(0);
    loop {
        if let Some(answer) = exchange(ports[next], method, path, headers, body) {
            return answer;
        }
        UNANSWERED.fetch_add(1, Ordering::Relaxed);
        next = (next + 1) % ports.len();
        std::thread::sleep(Duration::from_millis(50));
    }
}

pub(crate) fn log_in(port: u16, username: &str) -> anyhow::Result<String> {
    let body = format!(r#"{{"username":"{username}","password":"bazaar-demo"}}"#);
    let answer = until_answered(port, "POST", "/api/v1/session", &[], Some(&body));
    if answer.status != 200 {
        bail!("logging in as {username}: HTTP {}", answer.status);
    }
    let cookie = answer
        .headers
        .lines()
        .find_map(|line| line.strip_prefix("set-cookie: ").or_else(|| line.strip_prefix("Set-Cookie: ")))
        .and_then(|cookie| cookie.split(';').next())
        .context("no session cookie")?;
    Ok(cookie.to_owned())
}
