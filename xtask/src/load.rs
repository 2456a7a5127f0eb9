//! A small HTTP/1.1 load generator for loopback benchmarks: N clients, each on one
//! keep-alive connection, send a fixed mix of requests for a fixed time and record each
//! request's latency. Bounded in time and count; talks only to 127.0.0.1.

use std::io::{BufRead as _, BufReader, Read as _, Write as _};
use std::net::TcpStream;
use std::time::{Duration, Instant};

use anyhow::{Context as _, bail};

pub struct LoadReport {
    pub requests: usize,
    pub seconds: f64,
    pub p50_ms: f64,
    pub p95_ms: f64,
    pub p99_ms: f64,
}

/// Runs `clients` concurrent clients against `127.0.0.1:port` for `duration`, cycling
/// through `paths`; every answer must be 200.
pub fn run(port: u16, paths: &[String], clients: usize, duration: Duration) -> anyhow::Result<LoadReport> {
    run_spread(&[port], paths, clients, duration, None)
}

/// [`run`] with the clients spread over several servers in turn (client `i` on
/// `ports[i % ports.len()]`, as a layer-4 balancer on a machine of its own would spread them)
/// and a session `cookie` on every request (for endpoints that need a login).
pub fn run_spread(
    ports: &[u16],
    paths: &[String],
    clients: usize,
    duration: Duration,
    cookie: Option<&str>,
) -> anyhow::Result<LoadReport> {
    let cookie_header = cookie.map(|cookie| format!("Cookie: {cookie}\r\n")).unwrap_or_default();
    let started = Instant::now();
    let handles: Vec<_> = (0..clients)
        .map(|client| {
            let paths = paths.to_vec();
            let cookie_header = cookie_header.clone();
            let port = ports[client % ports.len()];
            std::thread::spawn(move || -> anyhow::Result<Vec<Duration>> {
                let stream = TcpStream::connect(("127.0.0.1", port)).context("connecting")?;
                stream.set_nodelay(true)?;
                let mut writer = stream.try_clone()?;
                let mut reader = BufReader::new(stream);
                let mut latencies = Vec::new();
                let deadline = Instant::now() + duration;
                let mut index = client;
                // A hard cap on requests per client keeps the run bounded even on a fast machine.
                while Instant::now() < deadline && latencies.len() < 200_000 {
                    let path = &paths[index % paths.len()];
                    // Clients take turns through the list, so none repeats another's request
                    // until the list wraps.
                    index += clients;
                    let begin = Instant::now();
                    write!(
                        writer,
                        "GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n{cookie_header}Connection: keep-alive\r\n\r\n"
                    )?;
                    let status = read_response(&mut reader)?;
                    latencies.push(begin.elapsed());
                    if status != 200 {
                        bail!("GET {path} answered {status}");
                    }
                }
                Ok(latencies)
            })
        })
        .collect();
    let mut latencies = Vec::new();
    for handle in handles {
        latencies.extend(handle.join().map_err(|_| anyhow::anyhow!("a load client panicked"))??);
    }
    let seconds = started.elapsed().as_secs_f64();
    latencies.sort();
    let percentile = |p: f64| -> f64 {
        let index =
            ((latencies.len() as f64 * p).ceil() as usize).saturating_sub(1).min(latencies.len().saturating_sub(1));
        latencies.get(index).map_or(0.0, |d| d.as_secs_f64() * 1000.0)
    };
    Ok(LoadReport {
        requests: latencies.len(),
        seconds,
        p50_ms: percentile(0.50),
        p95_ms: percentile(0.95),
        p99_ms: percentile(0.99),
    })
}

/// Reads one response (status line, headers, `Content-Length` body); returns the status.
fn read_response(reader: &mut BufReader<TcpStream>) -> anyhow::Result<u16> {
    let mut line = String::new();
    reader.read_line(&mut line)?;
    let status: u16 = line.split_whitespace().nth(1).and_then(|s| s.parse().ok()).context("status line")?;
    let mut length = 0usize;
    loop {
        line.clear();
        reader.read_line(&mut line)?;
        let header = line.trim_end();
        if header.is_empty() {
            break;
        }
        if let Some((name, value)) = header.split_once(':')
            && name.eq_ignore_ascii_case("content-length")
        {
            length = value.trim().parse().context("content-length")?;
        }
    }
    let mut body = vec![0; length];
    reader.read_exact(&mut body)?;
    Ok(status)
}
