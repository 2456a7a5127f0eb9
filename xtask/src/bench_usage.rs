//! `cargo xtask bench-usage` (part of `bench`): pay-per-use at scale. Measurements, never
//! pass/fail:
//! - ingesting 1,000,000 usage records through the signed API, 1,000 a call, 8 sellers at
//!   once (records/s, p50/p95 per call);
//! - one hourly charging run over 10,000 apps (240,000 records);
//! - the Billing API (bill list, this month's bill, an app's usage) at 16 clients.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use anyhow::{Context as _, bail, ensure};
use hmac::{Hmac, Mac};
use sha2::Sha256;

use crate::process::{self, command};

const RECORDS: usize = 1_000_000;
const PER_CALL: usize = 1_000;
const SELLERS: usize = 8;
/// Apps the ingest needs: each takes 24 hours (the late window) of records.
const INGEST_APPS: usize = RECORDS / 24 + SELLERS;
const CHARGE_APPS: usize = 10_000;
const CLIENTS: usize = 16;

fn server(args: &[&str]) -> anyhow::Result<String> {
    let output = command(&process::server_binary("release")).args(args).env("RUST_LOG", "warn").output()?;
    ensure!(output.status.success(), "bazaar-server {args:?}: {}", String::from_utf8_lossy(&output.stderr));
    Ok(String::from_utf8_lossy(&output.stdout).trim().to_owned())
}

/// `timestamp.nonce.body`, signed like the seller's system does.
fn sign(key: &[u8], timestamp: i64, nonce: &str, body: &str) -> String {
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(key).expect("HMAC takes keys of any length");
    mac.update(format!("{timestamp}.{nonce}.").as_bytes());
    mac.update(body.as_bytes());
    mac.finalize().into_bytes().iter().map(|byte| format!("{byte:02x}")).collect()
}

fn hex_bytes(text: &str) -> anyhow::Result<Vec<u8>> {
    (0..text.len()).step_by(2).map(|i| u8::from_str_radix(&text[i..i + 2], 16).context("hex key")).collect()
}

fn percentile(sorted: &[f64], share: f64) -> f64 {
    sorted[((sorted.len() as f64 - 1.0) * share).round() as usize]
}

pub fn run() -> anyhow::Result<()> {
    ingest()?;
    charge_and_bills()
}

/// 8 sellers report 125 calls of 1,000 records each, all at once.
fn ingest() -> anyhow::Result<()> {
    let database = process::TempDatabase::new("bench-usage-ingest")?;
    let url = database.url.as_str();
    server(&["--database-url", url, "--demo-apps", "false", "seed"])?;
    let apps = INGEST_APPS.to_string();
    let generated: serde_json::Value = serde_json::from_str(&server(&[
        "--database-url",
        url,
        "generate-metered-apps",
        "--apps",
        &apps,
        "--buyer-apps",
        "0",
        "--hours",
        "0",
    ])?)?;
    let sellers: Vec<i64> = serde_json::from_value(generated["sellers"].clone())?;
    let first_app = generated["first_app"].as_i64().context("the first app's id")?;
    let keys: Vec<Vec<u8>> = sellers
        .iter()
        .map(|seller| {
            hex_bytes(&server(&["--database-url", url, "--demo", "seller-key", "--seller", &seller.to_string()])?)
        })
        .collect::<anyhow::Result<_>>()?;
    let port = process::free_port()?;
    let mut running = process::start_backend(
        "release",
        port,
        url,
        &["--demo", "--demo-apps", "false", "--background-sweeps", "false"],
        "warn",
        Duration::from_secs(120),
    )?;
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH)?.as_secs() as i64;
    let last_hour = now / 3_600 * 3_600 - 3_600;
    let started = Instant::now();
    let threads: Vec<_> = (0..SELLERS)
        .map(|seller| {
            let (seller_id, key) = (sellers[seller], keys[seller].clone());
            std::thread::spawn(move || report_as_seller(port, seller, seller_id, &key, first_app, last_hour))
        })
        .collect();
    let mut latencies = Vec::new();
    for thread in threads {
        latencies.extend(thread.join().map_err(|_| anyhow::anyhow!("a seller thread panicked"))??);
    }
    let seconds = started.elapsed().as_secs_f64();
    running.stop();
    latencies.sort_by(f64::total_cmp);
    println!("\n==> usage ingest: {RECORDS} records, {PER_CALL} a call, {SELLERS} sellers at once");
    println!("| calls | seconds | records/s | p50 per call (ms) | p95 per call (ms) | max (ms) |");
    println!("|---:|---:|---:|---:|---:|---:|");
    println!(
        "| {} | {seconds:.1} | {:.0} | {:.1} | {:.1} | {:.1} |",
        latencies.len(),
        RECORDS as f64 / seconds,
        percentile(&latencies, 0.5),
        percentile(&latencies, 0.95),
        latencies.last().copied().unwrap_or(0.0)
    );
    Ok(())
}

/// One seller's share of the ingest: its apps × the last 24 hours, 1,000 records a call,
/// signed; the latency of each call in ms.
fn report_as_seller(
    port: u16,
    seller: usize,
    seller_id: i64,
    key: &[u8],
    first_app: i64,
    last_hour: i64,
) -> anyhow::Result<Vec<f64>> {
    // This seller's apps × the last 24 hours, 1,000 records a call.
    let records: Vec<String> = (0..INGEST_APPS / SELLERS)
        .flat_map(|n| (0..24).map(move |h| (first_app + (n * SELLERS + seller) as i64, last_hour - h * 3_600)))
        .take(RECORDS / SELLERS)
        .map(|(app, hour)| {
            let hour = crate::bench_usage::rfc3339_hour(hour);
            format!(r#"{{"app_id":{app},"quantity":{},"hour":"{hour}"}}"#, 1 + app % 7)
        })
        .collect();
    // The bodies are written before the first call: the load generator shares the two
    // cores with the server and should spend them on sending, not on formatting.
    let bodies: Vec<(usize, String)> = records
        .chunks(PER_CALL)
        .map(|chunk| (chunk.len(), format!(r#"{{"records":[{}]}}"#, chunk.join(","))))
        .collect();
    let mut latencies = Vec::new();
    for (call, (count, body)) in bodies.iter().enumerate() {
        let timestamp = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH)?.as_secs() as i64;
        let nonce = format!("bench-{seller_id}-{call}-{timestamp}");
        let signature = sign(key, timestamp, &nonce, body);
        let (seller_header, timestamp_header) = (seller_id.to_string(), timestamp.to_string());
        let headers = [
            ("X-Bazaar-Seller", seller_header.as_str()),
            ("X-Bazaar-Timestamp", timestamp_header.as_str()),
            ("X-Bazaar-Nonce", nonce.as_str()),
            ("X-Bazaar-Signature", signature.as_str()),
        ];
        let sent = Instant::now();
        let answer = crate::plain_http::exchange(port, "POST", "/api/v1/seller/usage", &headers, Some(body))
            .context("no answer")?;
        latencies.push(sent.elapsed().as_secs_f64() * 1000.0);
        ensure!(answer.status == 200, "usage call answered {}: {}", answer.status, answer.body);
        // Only the count is read (the per-record answers are skipped, not built).
        #[derive(serde::Deserialize)]
        struct Counts {
            accepted: u64,
        }
        let accepted = serde_json::from_str::<Counts>(&answer.body)?.accepted;
        ensure!(accepted == *count as u64, "not all accepted: {}", &answer.body[..200.min(answer.body.len())]);
    }
    Ok(latencies)
}

/// The thread that moves the demo clock; it answers how many hours it moved it.
pub(crate) type ClockMover = std::thread::JoinHandle<anyhow::Result<usize>>;

/// Pay-per-use under the same kills: lin.wei buys hourly apps, and operations move the demo
/// clock an hour at a time, so the demo sellers' meters report usage through the signed API
/// and the sweeps charge it while instances die; `verify` then counts usage charged twice
/// or lost. Returns the orders placed (key, id) and the thread, which returns how many
/// hours it moved the clock.
pub(crate) fn start_metered_usage(
    ports: &[u16],
    stop: Arc<AtomicBool>,
    requests: Arc<AtomicUsize>,
) -> anyhow::Result<(Vec<(String, i64)>, ClockMover)> {
    let port = ports[0];
    let buyer = crate::plain_http::log_in(port, "lin.wei")?;
    let order = r#"{"product_id":1,"configuration":{"sku_id":1,"billing_mode":"pay_per_use","quantity":2,"region":"cn-north-4"},"accept_terms":true,"authorize_contact_sharing":true}"#;
    let mut placed = Vec::new();
    for number in 0..4 {
        let key = format!("reliability-hourly-{number}");
        let headers = [("Cookie", buyer.as_str()), ("Idempotency-Key", key.as_str())];
        let answer = crate::plain_http::until_answered(port, "POST", "/api/v1/orders", &headers, Some(order));
        if !matches!(answer.status, 200 | 201) {
            bail!("buying a pay-per-use app answered HTTP {}: {}", answer.status, answer.body);
        }
        let id = serde_json::from_str::<serde_json::Value>(&answer.body)?["id"].as_i64().context("order id")?;
        placed.push((key, id));
    }
    let operations = crate::plain_http::log_in(port, "zhang.min")?;
    let ports = ports.to_vec();
    Ok((
        placed,
        std::thread::spawn(move || {
            let mut hours = 0;
            while !stop.load(Ordering::SeqCst) {
                std::thread::sleep(Duration::from_millis(1_500));
                let port = ports[hours % ports.len()];
                let headers = [("Cookie", operations.as_str())];
                let answer = crate::plain_http::until_answered(
                    port,
                    "POST",
                    "/api/v1/demo/clock",
                    &headers,
                    Some(r#"{"seconds":3600}"#),
                );
                requests.fetch_add(1, Ordering::Relaxed);
                if answer.status != 200 {
                    bail!("moving the demo clock answered HTTP {}: {}", answer.status, answer.body);
                }
                hours += 1;
            }
            Ok(hours)
        }),
    ))
}

/// `2026-12-05T09:00:00Z` for unix seconds at a whole hour (UTC), without a date crate.
pub fn rfc3339_hour(unix: i64) -> String {
    let days = unix.div_euclid(86_400);
    let hour = unix.rem_euclid(86_400) / 3_600;
    // Howard Hinnant's days-to-civil algorithm.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02}T{hour:02}:00:00Z")
}

/// One charging run over 10,000 apps, then the Billing API at 16 clients.
fn charge_and_bills() -> anyhow::Result<()> {
    let database = process::TempDatabase::new("bench-usage-charge")?;
    let url = database.url.as_str();
    server(&["--database-url", url, "--demo-apps", "false", "seed"])?;
    // 500 buyers with approved cards hold the apps, 20 each (lin.wei has 20 more).
    server(&["--database-url", url, "generate-buyers", "--buyers", "500"])?;
    let apps = CHARGE_APPS.to_string();
    server(&["--database-url", url, "generate-metered-apps", "--apps", &apps, "--buyer-apps", "20", "--hours", "24"])?;
    let sweeps = server(&["--database-url", url, "--demo", "--demo-apps", "false", "sweep", "--repeat", "2"])?;
    println!("\n==> hourly charging run: {CHARGE_APPS} apps, 24 hours of usage each (lin.wei's 20: 30 days)");
    println!("| sweep | time (ms) | SQL statements | work |");
    println!("|---|---:|---:|---|");
    for (index, line) in sweeps.lines().enumerate() {
        let sweep: serde_json::Value = serde_json::from_str(line)?;
        let name = if index == 0 { "charging everything due" } else { "next (nothing due)" };
        println!(
            "| {name} | {:.1} | {} | {} |",
            sweep["ms"].as_f64().unwrap_or(0.0),
            sweep["queries"].as_u64().unwrap_or(0),
            sweep["report"].as_str().unwrap_or("")
        );
    }
    let port = process::free_port()?;
    let mut running = process::start_backend(
        "release",
        port,
        url,
        &["--demo", "--demo-apps", "false", "--background-sweeps", "false"],
        "warn",
        Duration::from_secs(120),
    )?;
    let cookie = crate::plain_http::log_in(port, "lin.wei")?;
    let bills = crate::plain_http::exchange(port, "GET", "/api/v1/billing/bills", &[("Cookie", &cookie)], None)
        .context("bill list")?;
    let list: serde_json::Value = serde_json::from_str(&bills.body)?;
    let month = list["bills"][0]["month"].as_str().context("a bill")?.to_owned();
    let apps =
        crate::plain_http::exchange(port, "GET", "/api/v1/purchased-apps?page_size=1", &[("Cookie", &cookie)], None)
            .context("apps")?;
    let app = serde_json::from_str::<serde_json::Value>(&apps.body)?["items"][0]["id"].as_i64().context("an app")?;
    // Each read of the Billing area on its own, so that each has its own figures.
    let reads = [
        ("bill list", "/api/v1/billing/bills".to_owned()),
        ("this month's bill (20 apps, 14,400 hours)", format!("/api/v1/billing/bills/{month}/CNY")),
        ("an app's usage chart (720 hours)", format!("/api/v1/purchased-apps/{app}/usage")),
    ];
    println!("| Billing API, {CLIENTS} clients, 10 s each | requests | requests/s | p50 (ms) | p95 (ms) | p99 (ms) |");
    println!("|---|---:|---:|---:|---:|---:|");
    for (name, path) in reads {
        let report = crate::load::run_spread(&[port], &[path], CLIENTS, Duration::from_secs(10), Some(&cookie))?;
        println!(
            "| {name} | {} | {:.0} | {:.2} | {:.2} | {:.2} |",
            report.requests,
            report.requests as f64 / report.seconds,
            report.p50_ms,
            report.p95_ms,
            report.p99_ms
        );
    }
    running.stop();
    Ok(())
}

#[cfg(test)]
mod tests {
    #[test]
    fn hours_are_written_as_rfc3339() {
        assert_eq!(super::rfc3339_hour(0), "1970-01-01T00:00:00Z");
        assert_eq!(super::rfc3339_hour(1_796_464_800), "2026-12-05T10:00:00Z");
        assert_eq!(super::rfc3339_hour(951_782_400), "2000-02-29T00:00:00Z");
    }
}
