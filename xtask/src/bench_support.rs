//! `cargo xtask bench-support` (part of `bench`): After-Sales Support at scale, never
//! pass/fail. 100,000 tickets (lin.wei's, over her generated apps and their sellers) and
//! 100,000 reviews (1,000 bench buyers over 100 products), then 16 clients for 10 s each
//! on the buyer's ticket list, the seller's queue and a product's reviews.

use std::time::Duration;

use crate::process::{self, command};

const TICKETS: usize = 100_000;
const REVIEWS: usize = 100_000;
const CLIENTS: usize = 16;

pub fn run() -> anyhow::Result<()> {
    let database = process::TempDatabase::new("bench-support")?;
    let server = process::server_binary("release");
    println!("\n==> support: {TICKETS} tickets, {REVIEWS} reviews");
    let run = |args: &[&str]| -> anyhow::Result<()> {
        let output =
            command(&server).args(["--database-url", &database.url]).args(args).env("RUST_LOG", "warn").output()?;
        anyhow::ensure!(output.status.success(), "bazaar-server {args:?}: {}", String::from_utf8_lossy(&output.stderr));
        Ok(())
    };
    run(&["--demo-apps", "false", "seed"])?;
    run(&["generate-apps", "--apps", "2000"])?;
    run(&["generate-buyers", "--buyers", "1000"])?;
    run(&["generate-support", "--tickets", &TICKETS.to_string(), "--reviews", &REVIEWS.to_string()])?;
    let port = process::free_port()?;
    let mut running = process::start_backend(
        "release",
        port,
        &database.url,
        &["--demo", "--demo-apps", "false", "--background-sweeps", "false"],
        "warn",
        Duration::from_secs(120),
    )?;
    let paths = |list: &[&str]| list.iter().map(|path| (*path).to_owned()).collect::<Vec<_>>();
    let runs = [
        (
            "buyer's tickets (open, closed, page 50)",
            "lin.wei",
            paths(&["/api/v1/tickets", "/api/v1/tickets?state=closed", "/api/v1/tickets?page=50"]),
        ),
        (
            "seller's queue (open, closed, page 20)",
            "sam.okafor",
            paths(&["/api/v1/seller/tickets", "/api/v1/seller/tickets?state=closed", "/api/v1/seller/tickets?page=20"]),
        ),
        (
            "product reviews (pages 1 and 50, 4 products)",
            "lin.wei",
            paths(&[
                "/api/v1/products/1/reviews",
                "/api/v1/products/2/reviews?page=50",
                "/api/v1/products/10/reviews",
                "/api/v1/products/11/reviews?page=3",
            ]),
        ),
    ];
    println!("| support API, {CLIENTS} clients, 10 s | requests | requests/s | p50 (ms) | p95 (ms) | p99 (ms) |");
    println!("|---|---:|---:|---:|---:|---:|");
    for (name, who, paths) in runs {
        let cookie = crate::plain_http::log_in(port, who)?;
        let report = crate::load::run_spread(&[port], &paths, CLIENTS, Duration::from_secs(10), Some(&cookie))?;
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
