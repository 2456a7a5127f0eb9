//! `cargo xtask reliability`: 8 clients place and pay orders while the backend is killed
//! with SIGKILL and restarted, 10 times. Clients behave like the SPA: they retry the same
//! idempotency key (and the same payment) until they get an answer. Afterwards every
//! acknowledged order must exist, no key may have made two orders, no order may have been
//! charged twice, no usage charged twice or lost (a pay-per-use client moves the demo clock
//! so the demo meters report and the sweeps charge throughout), and the database must pass
//! its integrity check. Reports figures; fails when an invariant breaks.
//!
//! With `--postgres` it runs two instances on one throwaway PostgreSQL database and kills
//! them alternately; a client whose instance does not answer tries the other one, as a
//! load balancer would send it there.

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use anyhow::{Context as _, bail};
use serde_json::Value;

use crate::plain_http::{INSTANCE_PORTS, UNANSWERED, log_in, until_answered};
use crate::process::{self, command};

const CLIENTS: usize = 8;
const CYCLES: usize = 10;

/// Places a renewal of `app_id` under `key` and pays it, retrying both through kills.
fn renew_once(
    port: u16,
    cookie: &str,
    key: &str,
    app_id: i64,
    tally: &Mutex<Tally>,
    requests: &AtomicUsize,
) -> anyhow::Result<()> {
    let body = format!(r#"{{"items":[{{"app_id":{app_id},"months":1}}]}}"#);
    let headers = [("Cookie", cookie), ("Idempotency-Key", key)];
    let answer = until_answered(port, "POST", "/api/v1/renewals", &headers, Some(&body));
    requests.fetch_add(1, Ordering::Relaxed);
    match answer.status {
        200 | 201 => {}
        // Not set up yet, or already in an unpaid renewal: nothing to do this time.
        409 | 422 => return Ok(()),
        status => bail!("renewing app {app_id} answered HTTP {status}: {}", answer.body),
    }
    let id = serde_json::from_str::<Value>(&answer.body)?["id"].as_i64().context("renewal order id")?;
    tally.lock().unwrap().renewals.push(id);
    let path = format!("/api/v1/orders/{id}/payment");
    let answer = until_answered(port, "POST", &path, &[("Cookie", cookie)], Some(r#"{"method":"card"}"#));
    requests.fetch_add(1, Ordering::Relaxed);
    match answer.status {
        200 => tally.lock().unwrap().renewals_paid += 1,
        // Renewed meanwhile by another client's order: the payment is refused whole.
        409 => {}
        status => bail!("paying renewal {id} answered HTTP {status}: {}", answer.body),
    }
    Ok(())
}

/// Leaves app `app_id` with the refund its quote offers, retrying through kills with one
/// key; a retry that finds the first attempt done gets the same unsubscription back.
fn unsubscribe_once(
    port: u16,
    cookie: &str,
    key: &str,
    app_id: i64,
    tally: &Mutex<Tally>,
    requests: &AtomicUsize,
) -> anyhow::Result<()> {
    let quote_path = format!("/api/v1/purchased-apps/{app_id}/unsubscription-quote");
    let answer = until_answered(port, "GET", &quote_path, &[("Cookie", cookie)], None);
    requests.fetch_add(1, Ordering::Relaxed);
    match answer.status {
        200 => {}
        // Not set up yet, or left already by another client: nothing to do this time.
        404 | 409 => return Ok(()),
        status => bail!("quoting app {app_id} answered HTTP {status}: {}", answer.body),
    }
    let refund = serde_json::from_str::<Value>(&answer.body)?["refund"].clone();
    let body = serde_json::json!({ "refund": refund }).to_string();
    let headers = [("Cookie", cookie), ("Idempotency-Key", key)];
    let path = format!("/api/v1/purchased-apps/{app_id}/unsubscribe");
    let answer = until_answered(port, "POST", &path, &headers, Some(&body));
    requests.fetch_add(1, Ordering::Relaxed);
    match answer.status {
        200 | 201 => tally.lock().unwrap().unsubscribed.push(app_id),
        // Another client left it first, or a second passed and the refund moved.
        409 => {}
        status => bail!("unsubscribing app {app_id} answered HTTP {status}: {}", answer.body),
    }
    Ok(())
}

#[derive(Default)]
struct Tally {
    /// (idempotency key, order id) of every order the server acknowledged.
    orders: Vec<(String, i64)>,
    /// Order ids whose payment the server acknowledged.
    paid: Vec<i64>,
    /// Renewal orders the server acknowledged (placed), and how many of them as paid.
    renewals: Vec<i64>,
    renewals_paid: usize,
    /// Apps whose unsubscription the server acknowledged.
    unsubscribed: Vec<i64>,
}

pub fn run(on_postgres: bool) -> anyhow::Result<()> {
    println!("==> cargo build --release -p bazaar-server");
    process::run(process::cargo().args(["build", "--release", "-p", "bazaar-server"]))?;
    // Both kept until the end (dropping them deletes the database).
    let (_sqlite, cluster, database_url) = if on_postgres {
        let cluster = crate::postgres::Cluster::start("reliability")?;
        let url = cluster.create_database("reliability")?;
        (None, Some(cluster), url)
    } else {
        let database = process::TempDatabase::new("reliability")?;
        let url = database.url.clone();
        (Some(database), None, url)
    };
    let ports: Vec<u16> =
        (0..if on_postgres { 2 } else { 1 }).map(|_| process::free_port()).collect::<Result<_, _>>()?;
    INSTANCE_PORTS.set(ports.clone()).ok();
    let port = ports[0];
    let start = |port: u16| {
        process::start_backend(
            "release",
            port,
            &database_url,
            // Thousands of orders in seconds: far past the daily cap of a real account.
            &["--demo", "--demo-apps", "false", "--max-orders-per-day", "100000000"],
            "error",
            Duration::from_secs(120),
        )
    };
    // One after the other: the first seeds the demo data, the second finds it.
    let mut servers = Vec::new();
    for port in &ports {
        servers.push(start(*port)?);
    }

    let stop = Arc::new(AtomicBool::new(false));
    let tally = Arc::new(Mutex::new(Tally::default()));
    let requests = Arc::new(AtomicUsize::new(0));
    let (hourly_orders, metered) = crate::bench_usage::start_metered_usage(&ports, stop.clone(), requests.clone())?;
    // The pay-per-use apps are acknowledged orders too (and not one per key beyond).
    tally.lock().unwrap().orders.extend(hourly_orders);
    let mut clients = Vec::new();
    for client in 0..CLIENTS {
        // Lin Wei's approved card pays for everything; each client has its own session,
        // and the clients are spread over the instances.
        let port = ports[client % ports.len()];
        let cookie = log_in(port, "lin.wei")?;
        let (stop, tally, requests) = (stop.clone(), tally.clone(), requests.clone());
        clients.push(std::thread::spawn(move || client_loop(client, port, &cookie, &stop, &tally, &requests)));
    }

    let started = Instant::now();
    for cycle in 1..=CYCLES {
        // Varying run times, so kills land at different points of the request cycle.
        std::thread::sleep(Duration::from_millis(700 + (cycle as u64 * 373) % 1100));
        // The instances in turn: while one restarts, the other serves.
        let victim = cycle % servers.len();
        servers[victim].child.kill().context("SIGKILL")?;
        servers[victim].child.wait()?;
        let acknowledged = tally.lock().unwrap().orders.len();
        println!(
            "cycle {cycle:>2}: instance {victim} killed with SIGKILL after {acknowledged} acknowledged orders; restarting"
        );
        servers[victim] = start(ports[victim])?;
    }
    std::thread::sleep(Duration::from_secs(2));
    stop.store(true, Ordering::SeqCst);
    for client in clients {
        client.join().map_err(|_| anyhow::anyhow!("a client panicked"))??;
    }
    let metered_hours = metered.join().map_err(|_| anyhow::anyhow!("the clock mover panicked"))??;
    let elapsed = started.elapsed();

    // Every acknowledged order exists; every acknowledged payment is recorded.
    let cookie = log_in(port, "lin.wei")?;
    let tally = tally.lock().unwrap();
    let audit = audit(port, &cookie, &tally)?;
    for server in &mut servers {
        server.stop();
    }

    let output = command(&process::server_binary("release"))
        .args(["--database-url", &database_url, "verify"])
        .env("RUST_LOG", "error")
        .output()?;
    let report = String::from_utf8_lossy(&output.stdout).trim().to_owned();
    let run = Run { on_postgres, elapsed, requests: requests.load(Ordering::Relaxed), metered_hours };
    print_report(&run, &tally, &audit, &report);
    println!("database check: {report}");
    drop(cluster);
    if audit.lost > 0
        || audit.unpaid > 0
        || audit.duplicate_orders > 0
        || audit.unsubscriptions_missing > 0
        || !output.status.success()
    {
        bail!("the reliability check failed");
    }
    Ok(())
}

/// What the server shows of what it acknowledged (see [`audit`]).
struct Audit {
    /// Acknowledged orders it does not have.
    lost: usize,
    /// Acknowledged payments it has not recorded.
    unpaid: usize,
    /// Set-ups tried more than once.
    provisioned_again: usize,
    /// Acknowledged unsubscriptions it does not have.
    unsubscriptions_missing: usize,
    /// Orders beyond one per idempotency key.
    duplicate_orders: u64,
}

/// Reads back every acknowledged order, payment and unsubscription as lin.wei.
fn audit(port: u16, cookie: &str, tally: &Tally) -> anyhow::Result<Audit> {
    let mut lost = 0;
    let mut unpaid = 0;
    let mut provisioned_again = 0;
    for (_, id) in &tally.orders {
        let answer = until_answered(port, "GET", &format!("/api/v1/orders/{id}"), &[("Cookie", cookie)], None);
        if answer.status != 200 {
            lost += 1;
            continue;
        }
        let order: Value = serde_json::from_str(&answer.body)?;
        if tally.paid.contains(id) && order["payment"].is_null() {
            unpaid += 1;
        }
        if order["provisioning"]["attempts"].as_u64().unwrap_or(0) > 1 {
            provisioned_again += 1;
        }
    }
    let mut unsubscriptions_missing = 0;
    for app_id in &tally.unsubscribed {
        let answer = until_answered(port, "GET", &format!("/api/v1/orders/{app_id}"), &[("Cookie", cookie)], None);
        let order: Value = serde_json::from_str(&answer.body)?;
        if order["unsubscription"].is_null() {
            unsubscriptions_missing += 1;
        }
    }
    let listed = until_answered(port, "GET", "/api/v1/orders?page_size=1", &[("Cookie", cookie)], None);
    let total = serde_json::from_str::<Value>(&listed.body)?["total"].as_u64().unwrap_or(0);
    let mut ids: Vec<i64> = tally.orders.iter().map(|(_, id)| *id).chain(tally.renewals.iter().copied()).collect();
    ids.sort();
    ids.dedup();
    let duplicate_orders = total.saturating_sub(ids.len() as u64);
    Ok(Audit { lost, unpaid, provisioned_again, unsubscriptions_missing, duplicate_orders })
}

/// One client's loop until `stop`: place and pay an order, every fourth renew one bought
/// earlier, every seventh leave one; each acknowledged answer goes in the tally.
fn client_loop(
    client: usize,
    port: u16,
    cookie: &str,
    stop: &AtomicBool,
    tally: &Mutex<Tally>,
    requests: &AtomicUsize,
) -> anyhow::Result<()> {
    let order = r#"{"product_id":1,"configuration":{"sku_id":1,"billing_mode":"yearly_monthly","duration_months":1,"quantity":1,"region":"cn-north-4"},"accept_terms":true,"authorize_contact_sharing":true}"#;
    let mut number = 0;
    while !stop.load(Ordering::SeqCst) {
        let key = format!("reliability-{client}-{number}");
        number += 1;
        let headers = [("Cookie", cookie), ("Idempotency-Key", key.as_str())];
        let answer = until_answered(port, "POST", "/api/v1/orders", &headers, Some(order));
        requests.fetch_add(1, Ordering::Relaxed);
        if !matches!(answer.status, 200 | 201) {
            bail!("placing an order answered HTTP {}: {}", answer.status, answer.body);
        }
        let id = serde_json::from_str::<Value>(&answer.body)?["id"].as_i64().context("order id")?;
        tally.lock().unwrap().orders.push((key, id));
        let path = format!("/api/v1/orders/{id}/payment");
        let answer = until_answered(port, "POST", &path, &[("Cookie", cookie)], Some(r#"{"method":"card"}"#));
        requests.fetch_add(1, Ordering::Relaxed);
        if answer.status != 200 {
            bail!("paying order {id} answered HTTP {}: {}", answer.status, answer.body);
        }
        tally.lock().unwrap().paid.push(id);
        // Every fourth order, renew one bought earlier (set up by now or not:
        // the server refuses what it cannot renew yet, and that is fine).
        if number % 4 == 0 {
            renew_once(port, cookie, &format!("renewal-{client}-{number}"), id - 64, tally, requests)?;
        }
        // Every seventh, leave an app bought a while ago (possibly renewed too).
        if number % 7 == 3 {
            let key = format!("unsubscribe-{client}-{number}");
            unsubscribe_once(port, cookie, &key, id - 96, tally, requests)?;
        }
    }
    Ok(())
}

/// How a run went, for its report.
struct Run {
    on_postgres: bool,
    elapsed: Duration,
    requests: usize,
    metered_hours: usize,
}

/// The run's figures as a Markdown table (`report`: `verify`'s JSON).
fn print_report(run: &Run, tally: &Tally, audit: &Audit, report: &str) {
    let engine = if run.on_postgres { "two instances on PostgreSQL" } else { "one instance on SQLite" };
    println!(
        "\n==> reliability ({engine}): {CLIENTS} clients, {CYCLES} SIGKILL/restart cycles in {:.1} s",
        run.elapsed.as_secs_f64()
    );
    println!("| figure | value |");
    println!("|---|---:|");
    println!("| requests answered | {} |", run.requests);
    println!("| requests retried after no answer | {} |", UNANSWERED.load(Ordering::Relaxed));
    println!("| orders acknowledged | {} |", tally.orders.len());
    println!("| payments acknowledged | {} |", tally.paid.len());
    println!("| acknowledged orders lost | {} |", audit.lost);
    println!("| acknowledged payments missing | {} |", audit.unpaid);
    println!("| orders beyond one per key | {} |", audit.duplicate_orders);
    println!("| renewal orders acknowledged | {} |", tally.renewals.len());
    println!("| renewals paid | {} |", tally.renewals_paid);
    println!("| unsubscriptions acknowledged | {} |", tally.unsubscribed.len());
    println!("| acknowledged unsubscriptions missing | {} |", audit.unsubscriptions_missing);
    println!("| set-ups tried more than once (a kill mid-call, or a retry) | {} |", audit.provisioned_again);
    let figures: Value = serde_json::from_str(report).unwrap_or(Value::Null);
    let figure = |name: &str| figures[name].as_i64().unwrap_or(-1);
    println!("| demo clock moved by the pay-per-use client (hours) | {} |", run.metered_hours);
    println!("| usage records reported by the demo meters | {} |", figure("usage_records"));
    println!(
        "| usage charged twice or lost (charges, apps) | {}, {} |",
        figure("usage_charges_disagreeing"),
        figure("apps_usage_ledger_disagreeing")
    );
}
