//! `cargo xtask bench --postgres`: the backend on SQLite and on PostgreSQL side by side in
//! one run, on one 100,000-product catalog each: product by id, distinct searches, a search
//! mix and checkout with payment, 16 clients each, with one SQLite instance, one PostgreSQL
//! instance and two PostgreSQL instances: once with the clients spread over both (a balancer
//! on a machine of its own costs the instances nothing) and once behind the round-robin
//! balancer, which on this machine copies every byte on the same cores the instances use.
//! Measurements, never pass/fail.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use crate::balancer::Balancer;
use crate::process::{self, ChildGuard, command};

const PRODUCTS: usize = 100_000;
const CLIENTS: usize = 16;
const SECONDS: u64 = 10;

/// `checkout_only`: skip the catalog and its workloads (minutes of generating products)
/// and measure place + pay alone.
pub fn run(checkout_only: bool) -> anyhow::Result<()> {
    println!("==> cargo build --release -p bazaar-server");
    process::run(process::cargo().args(["build", "--release", "-p", "bazaar-server"]))?;
    let sqlite = process::TempDatabase::new("bench-engines")?;
    let cluster = crate::postgres::Cluster::start("bench")?;
    let postgres = cluster.create_database("bench")?;
    for (engine, url) in [("SQLite", &sqlite.url), ("PostgreSQL", &postgres)] {
        if checkout_only {
            break;
        }
        println!("==> generating {PRODUCTS} products on {engine}");
        let started = Instant::now();
        process::run(
            command(&process::server_binary("release"))
                .args(["--database-url", url, "generate-catalog", "--products", &PRODUCTS.to_string()])
                .env("RUST_LOG", "warn"),
        )?;
        println!("   {:.0} s", started.elapsed().as_secs_f64());
    }

    let searches: Vec<String> = [
        "/api/v1/products?q=postgresql",
        "/api/v1/products?q=firewall&sort=price_asc",
        "/api/v1/products?q=cloud%20backup",
        "/api/v1/products?category=security&a_deployment=hybrid&sort=popularity",
        "/api/v1/products?q=kubernetes&category=devops&page=2",
        "/api/v1/products?q=data&sort=relevance&page=3",
    ]
    .iter()
    .map(|path| (*path).to_owned())
    .collect();
    let distinct = crate::bench::distinct_searches();
    let products: Vec<String> = (1..=200).map(|id| format!("/api/v1/products/{}", id * 487 % PRODUCTS + 1)).collect();

    println!("\n==> {CLIENTS} clients, {SECONDS} s per workload, side by side");
    println!("| setup | workload | requests/s | p50 (ms) | p95 (ms) | p99 (ms) |");
    println!("|---|---|---:|---:|---:|---:|");
    for (setup, url, instances, through_balancer) in [
        ("SQLite, 1 instance", &sqlite.url, 1, false),
        ("PostgreSQL, 1 instance", &postgres, 1, false),
        ("PostgreSQL, 2 instances, clients spread", &postgres, 2, false),
        ("PostgreSQL, 2 instances, via the balancer", &postgres, 2, true),
    ] {
        let running = Instances::start(url, instances, through_balancer)?;
        // After the first start seeded the demo accounts (whose password they share).
        process::run(
            command(&process::server_binary("release"))
                .args(["--database-url", url, "generate-buyers", "--buyers", &CHECKOUT_CLIENTS.to_string()])
                .env("RUST_LOG", "warn"),
        )?;
        // Distinct searches first, on instances just started: their words are not cached yet.
        let workloads =
            [("product by id", &products), ("1,600 distinct two-word searches", &distinct), ("search mix", &searches)];
        for (workload, paths) in workloads.into_iter().filter(|_| !checkout_only) {
            let report = crate::load::run_spread(&running.ports, paths, CLIENTS, Duration::from_secs(SECONDS), None)?;
            println!(
                "| {setup} | {workload} | {:.0} | {:.2} | {:.2} | {:.2} |",
                report.requests as f64 / report.seconds,
                report.p50_ms,
                report.p95_ms,
                report.p99_ms
            );
        }
        let many: Vec<String> = (1..=CHECKOUT_CLIENTS).map(|number| format!("bench.buyer.{number}")).collect();
        for (buyers, usernames) in [("one buyer", vec!["lin.wei".to_owned()]), ("a buyer each", many)] {
            let checkout = checkout_throughput(&running.ports, &usernames)?;
            println!(
                "| {setup} | place + pay ({CHECKOUT_CLIENTS} clients, {buyers}) | {:.0} orders/s | {:.1} | {:.1} | {:.1} |",
                checkout.per_second, checkout.p50_ms, checkout.p95_ms, checkout.p99_ms
            );
        }
    }
    drop(cluster);
    Ok(())
}

/// One or two backends on `url`; `ports` are the ones to load, each client on one in turn
/// (the balancer's alone when it is in front).
struct Instances {
    ports: Vec<u16>,
    _balancer: Option<Balancer>,
    _servers: Vec<ChildGuard>,
}

impl Instances {
    fn start(url: &str, count: usize, through_balancer: bool) -> anyhow::Result<Instances> {
        let mut servers = Vec::new();
        let mut ports = Vec::new();
        for _ in 0..count {
            let port = process::free_port()?;
            // Demo mode for the demo buyer and card; one after the other, so the first seeds.
            servers.push(process::start_backend(
                "release",
                port,
                url,
                &["--demo", "--demo-apps", "false", "--max-orders-per-day", "100000000"],
                "warn",
                Duration::from_secs(300),
            )?);
            ports.push(port);
        }
        if !through_balancer {
            return Ok(Instances { ports, _balancer: None, _servers: servers });
        }
        let balancer = Balancer::start(ports)?;
        Ok(Instances { ports: vec![balancer.port], _balancer: Some(balancer), _servers: servers })
    }
}

/// An order for the first SaaS product of the catalog (generated catalogs have no fixed
/// product 1): its first SKU and price, one month when it is billed by term.
fn saas_order(port: u16) -> anyhow::Result<String> {
    let get = |path: &str| -> anyhow::Result<serde_json::Value> {
        let answer = crate::plain_http::exchange(port, "GET", path, &[], None)
            .ok_or_else(|| anyhow::anyhow!("GET {path}: no answer"))?;
        anyhow::ensure!(answer.status == 200, "GET {path}: HTTP {}", answer.status);
        Ok(serde_json::from_str(&answer.body)?)
    };
    let listed = get("/api/v1/products?delivery=saas&page_size=1")?;
    let id = listed["items"][0]["id"].as_i64().ok_or_else(|| anyhow::anyhow!("no SaaS product"))?;
    let product = get(&format!("/api/v1/products/{id}"))?;
    let sku = &product["skus"][0];
    let billing_mode = sku["prices"][0]["billing_mode"].as_str().unwrap_or("one_off");
    let duration = if billing_mode == "yearly_monthly" { serde_json::json!(1) } else { serde_json::Value::Null };
    Ok(serde_json::json!({
        "product_id": id,
        "configuration": {
            "sku_id": sku["id"],
            "billing_mode": billing_mode,
            "duration_months": duration,
            "quantity": 1,
            "region": product["regions"][0],
        },
        "accept_terms": true,
        "authorize_contact_sharing": true,
    })
    .to_string())
}

struct Throughput {
    per_second: f64,
    p50_ms: f64,
    p95_ms: f64,
    p99_ms: f64,
}

/// Clients placing and paying orders by card for `SECONDS`, each order and payment one
/// request (client `i` on `ports[i % ports.len()]`): 8 clients, each with a session of its
/// own (an account keeps at most ten), logged in as `usernames` in turn. One buyer's writes
/// queue behind each other (the account lock); a buyer each shows what several instances add.
const CHECKOUT_CLIENTS: usize = 8;

fn checkout_throughput(ports: &[u16], usernames: &[String]) -> anyhow::Result<Throughput> {
    let order = saas_order(ports[0])?;
    let order = order.as_str();
    let first_failure: Arc<std::sync::Mutex<Option<String>>> = Arc::default();
    let run = format!("{}", std::process::id());
    let failures = Arc::new(AtomicUsize::new(0));
    let started = Instant::now();
    let deadline = started + Duration::from_secs(SECONDS);
    let mut handles = Vec::new();
    for client in 0..CHECKOUT_CLIENTS {
        let port = ports[client % ports.len()];
        let cookie = crate::plain_http::log_in(port, &usernames[client % usernames.len()])?;
        let (run, failures, first_failure) = (run.clone(), failures.clone(), first_failure.clone());
        let order = order.to_owned();
        handles.push(std::thread::spawn(move || {
            let remember = |what: String| {
                first_failure.lock().unwrap().get_or_insert(what);
            };
            let mut latencies = Vec::new();
            let mut number = 0;
            while Instant::now() < deadline {
                number += 1;
                let key = format!("bench-{run}-{client}-{number}");
                let begin = Instant::now();
                let headers = [("Cookie", cookie.as_str()), ("Idempotency-Key", key.as_str())];
                let placed = crate::plain_http::exchange(port, "POST", "/api/v1/orders", &headers, Some(&order));
                let Some(id) = placed
                    .inspect(|answer| {
                        if !matches!(answer.status, 200 | 201) {
                            remember(format!("placing: HTTP {} {}", answer.status, answer.body));
                        }
                    })
                    .filter(|answer| matches!(answer.status, 200 | 201))
                    .and_then(|answer| serde_json::from_str::<serde_json::Value>(&answer.body).ok())
                    .and_then(|body| body["id"].as_i64())
                else {
                    failures.fetch_add(1, Ordering::Relaxed);
                    continue;
                };
                let path = format!("/api/v1/orders/{id}/payment");
                let paid = crate::plain_http::exchange(
                    port,
                    "POST",
                    &path,
                    &[("Cookie", cookie.as_str())],
                    Some(r#"{"method":"card"}"#),
                );
                match paid {
                    Some(answer) if answer.status == 200 => latencies.push(begin.elapsed()),
                    Some(answer) => {
                        remember(format!("paying: HTTP {} {}", answer.status, answer.body));
                        failures.fetch_add(1, Ordering::Relaxed);
                    }
                    None => {
                        failures.fetch_add(1, Ordering::Relaxed);
                    }
                }
            }
            latencies
        }));
    }
    let mut latencies: Vec<Duration> = Vec::new();
    for handle in handles {
        latencies.extend(handle.join().map_err(|_| anyhow::anyhow!("a client panicked"))?);
    }
    let seconds = started.elapsed().as_secs_f64();
    let failed = failures.load(Ordering::Relaxed);
    let first_failure = first_failure.lock().unwrap().clone().unwrap_or_default();
    anyhow::ensure!(!latencies.is_empty(), "no order was placed and paid ({failed} failures; first: {first_failure})");
    if failed > 0 {
        eprintln!("   {failed} orders failed to place or pay; first: {first_failure}");
    }
    latencies.sort();
    let at = |quantile: f64| {
        let index = ((latencies.len() as f64 * quantile) as usize).min(latencies.len() - 1);
        latencies[index].as_secs_f64() * 1000.0
    };
    Ok(Throughput {
        per_second: latencies.len() as f64 / seconds,
        p50_ms: at(0.50),
        p95_ms: at(0.95),
        p99_ms: at(0.99),
    })
}
