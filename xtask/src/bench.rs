//! `cargo xtask bench`: measurements, never pass/fail. Builds the release SPA and server,
//! then reports asset sizes, cold page loads (bench_pages.rs), the search API, the
//! lifecycle, pay-per-use (bench_usage.rs), invoice PDFs and the reliability check.

use std::time::Duration;

use crate::process::{self, command};
use crate::{spa, tools};

pub fn run() -> anyhow::Result<()> {
    spa::build_release()?;
    tools::ensure_chromium()?;
    tools::ensure_e2e_packages()?;
    println!("==> cargo build --release -p bazaar-server");
    process::run(process::cargo().args(["build", "--release", "-p", "bazaar-server"]))?;

    print_sizes()?;

    crate::bench_pages::measure()?;
    search_api()?;
    lifecycle()?;
    crate::bench_usage::run()?;
    invoices()?;
    crate::bench_support::run()?;
    crate::reliability::run(false)
}

/// 1,000 invoices issued for lin.wei's orders through the real request path, then each
/// one's PDF made as a download makes it (Chinese profile, the subsetted CJK font).
pub fn invoices() -> anyhow::Result<()> {
    const INVOICES: usize = 1_000;
    tools::ensure_invoice_font()?;
    let database = process::TempDatabase::new("bench-invoices")?;
    let server = process::server_binary("release");
    println!("\n==> invoices: {INVOICES} issued, each one's PDF made");
    let run = |args: &[&str]| -> anyhow::Result<String> {
        let output =
            command(&server).args(["--database-url", &database.url]).args(args).env("RUST_LOG", "warn").output()?;
        anyhow::ensure!(output.status.success(), "bazaar-server {args:?}: {}", String::from_utf8_lossy(&output.stderr));
        Ok(String::from_utf8_lossy(&output.stdout).trim().to_owned())
    };
    run(&["--demo-apps", "false", "seed"])?;
    run(&["generate-apps", "--apps", &INVOICES.to_string()])?;
    let report: serde_json::Value =
        serde_json::from_str(&run(&["--demo", "bench-invoices", "--invoices", &INVOICES.to_string()])?)?;
    println!("| {} invoices | p50 | p95 | max |", report["invoices"]);
    println!("|---|---:|---:|---:|");
    for (name, key, unit) in [
        ("request and issue (ms)", "issue_ms", 1.0),
        ("PDF made (ms)", "pdf_ms", 1.0),
        ("PDF size (KB)", "pdf_bytes", 1024.0),
    ] {
        let value = |which: &str| report[key][which].as_f64().unwrap_or(0.0) / unit;
        println!("| {name} | {:.1} | {:.1} | {:.1} |", value("p50"), value("p95"), value("max"));
    }
    println!("(the first PDF reads the 19 MB font: it is the max)");
    Ok(())
}

/// The lifecycle sweeper over 100,000 apps with terms, and Renewal Management's list at 16
/// clients for the buyer who owns them all.
pub fn lifecycle() -> anyhow::Result<()> {
    const APPS: usize = 100_000;
    const CLIENTS: usize = 16;
    let database = process::TempDatabase::new("bench-lifecycle")?;
    let server = process::server_binary("release");
    println!("\n==> lifecycle: {APPS} apps with terms");
    process::run(
        command(&server)
            .args(["--database-url", &database.url, "--demo-apps", "false", "seed"])
            .env("RUST_LOG", "warn"),
    )?;
    process::run(
        command(&server)
            .args(["--database-url", &database.url, "generate-apps", "--apps", &APPS.to_string()])
            .env("RUST_LOG", "warn"),
    )?;
    // The first sweep finds everything due at once (reminders, auto-renewals); the next
    // ones are the steady state, every 5 seconds in a running server.
    let output = command(&server)
        .args(["--database-url", &database.url, "--demo", "--demo-apps", "false", "sweep", "--repeat", "4"])
        .env("RUST_LOG", "warn")
        .output()?;
    anyhow::ensure!(output.status.success(), "sweep failed: {}", String::from_utf8_lossy(&output.stderr));
    println!("| sweep | time (ms) | SQL statements | work |");
    println!("|---|---:|---:|---|");
    for (index, line) in String::from_utf8_lossy(&output.stdout).lines().enumerate() {
        let sweep: serde_json::Value = serde_json::from_str(line)?;
        let name = if index == 0 { "first (everything due)".to_owned() } else { format!("steady {index}") };
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
        &database.url,
        &["--demo", "--demo-apps", "false"],
        "warn",
        Duration::from_secs(120),
    )?;
    let cookie = crate::plain_http::log_in(port, "lin.wei")?;
    let paths: Vec<String> = [
        "/api/v1/renewals",
        "/api/v1/renewals?show=within_7_days",
        "/api/v1/renewals?show=within_30_days&page=3",
        "/api/v1/renewals?show=expired",
        "/api/v1/renewals?show=frozen&page=2",
        "/api/v1/messages/unread-count",
    ]
    .iter()
    .map(|path| (*path).to_owned())
    .collect();
    let report = crate::load::run_spread(&[port], &paths, CLIENTS, Duration::from_secs(10), Some(&cookie))?;
    running.stop();
    println!(
        "| Renewal Management API, {CLIENTS} clients, 10 s | requests | requests/s | p50 (ms) | p95 (ms) | p99 (ms) |"
    );
    println!("|---|---:|---:|---:|---:|---:|");
    println!(
        "| list pages with filters, and the unread count | {} | {:.0} | {:.2} | {:.2} | {:.2} |",
        report.requests,
        report.requests as f64 / report.seconds,
        report.p50_ms,
        report.p95_ms,
        report.p99_ms
    );
    Ok(())
}

/// Two-word queries that are all different, so none is answered from the server's cache
/// of whole queries. They combine 40 words, which the server caches one by one: the first
/// query with a word asks the database for it, later ones reuse it.
pub fn distinct_searches() -> Vec<String> {
    const WORDS: [&str; 40] = [
        "data",
        "cloud",
        "backup",
        "security",
        "sql",
        "postgresql",
        "mysql",
        "redis",
        "kubernetes",
        "docker",
        "analytics",
        "crm",
        "erp",
        "payroll",
        "firewall",
        "vpn",
        "cdn",
        "dns",
        "migration",
        "training",
        "audit",
        "ubuntu",
        "windows",
        "java",
        "node",
        "ocr",
        "bi",
        "etl",
        "ml",
        "inference",
        "load",
        "log",
        "secrets",
        "identity",
        "endpoint",
        "scanner",
        "pipeline",
        "registry",
        "warehouse",
        "contract",
    ];
    WORDS
        .iter()
        .flat_map(|first| WORDS.iter().map(move |second| format!("/api/v1/products?q={first}%20{second}")))
        .collect()
}

/// The search API on a 100,000-product catalog, 16 concurrent clients on loopback.
pub fn search_api() -> anyhow::Result<()> {
    const PRODUCTS: usize = 100_000;
    const CLIENTS: usize = 16;
    let database = process::TempDatabase::new("bench-search")?;
    println!("\n==> generating {PRODUCTS} products");
    process::run(
        command(&process::server_binary("release"))
            .args(["--database-url", &database.url, "generate-catalog", "--products", &PRODUCTS.to_string()])
            .env("RUST_LOG", "warn"),
    )?;
    let secret_key_file = database.file("master.key", &"0".repeat(64))?;
    // Each workload gets a freshly started server, so none finds the text matches of
    // another already cached.
    let start_server = || -> anyhow::Result<(u16, process::ChildGuard)> {
        let port = process::free_port()?;
        let server = process::start_backend(
            "release",
            port,
            &database.url,
            &["--secret-key-file", &secret_key_file],
            "warn",
            Duration::from_secs(300),
        )?;
        Ok((port, server))
    };
    // A mix of what buyers do: browse, search, filter by category fields, sort, page.
    let paths: Vec<String> = [
        "/api/v1/products",
        "/api/v1/products?q=postgresql",
        "/api/v1/products?q=firewall&sort=price_asc",
        "/api/v1/products?q=cloud%20backup",
        "/api/v1/products?category=images&a_operating_system=ubuntu_2204",
        "/api/v1/products?category=security&a_deployment=hybrid&a_compliance=soc2&sort=popularity",
        "/api/v1/products?delivery=saas&billing=pay_per_use&page=5",
        "/api/v1/products?supervised=false&trial=true&sort=newest",
        "/api/v1/products?price_min=10000&price_max=99999&sort=price_desc",
        "/api/v1/products?q=kubernetes&category=devops&page=2",
        "/api/v1/products?seller=3,7,11&page_size=50",
        "/api/v1/products?q=data&sort=relevance&page=3",
    ]
    .iter()
    .map(|path| (*path).to_owned())
    .collect();
    // The same mix sorted by rating, half of it also "4 stars and up": ratings live beside
    // the sales counts, so sorting by them should cost what sorting by popularity does.
    let by_rating: Vec<String> = paths
        .iter()
        .enumerate()
        .map(|(index, path)| {
            let unsorted: Vec<&str> = path.split(['?', '&']).filter(|part| !part.starts_with("sort=")).collect();
            let (base, query) = unsorted.split_first().expect("a path");
            let mut query: Vec<&str> = query.to_vec();
            query.push("sort=rating");
            if index % 2 == 0 {
                query.push("rating_min=4");
            }
            format!("{base}?{}", query.join("&"))
        })
        .collect();
    let distinct = distinct_searches();
    println!("==> search API: {CLIENTS} concurrent clients, {PRODUCTS} products");
    println!("| workload | requests | requests/s | p50 (ms) | p95 (ms) | p99 (ms) |");
    println!("|---|---:|---:|---:|---:|---:|");
    for (name, paths, seconds) in [
        ("mix of 12 browse/search/filter requests, 20 s", &paths, 20),
        ("the same 12 sorted by rating, 6 of them 4 stars and up, 20 s", &by_rating, 20),
        ("1,600 distinct two-word searches of 40 words, server started cold, 10 s", &distinct, 10),
    ] {
        let (port, mut server) = start_server()?;
        let report = crate::load::run(port, paths, CLIENTS, Duration::from_secs(seconds))?;
        server.stop();
        println!(
            "| {name} | {} | {:.0} | {:.2} | {:.2} | {:.2} |",
            report.requests,
            report.requests as f64 / report.seconds,
            report.p50_ms,
            report.p95_ms,
            report.p99_ms
        );
    }
    Ok(())
}

fn print_sizes() -> anyhow::Result<()> {
    let sizes = spa::asset_sizes()?;
    let kb = |bytes: usize| bytes as f64 / 1024.0;
    println!("\n==> release SPA: what every page load fetches");
    println!("| asset | raw (KB) | gzip (KB) | brotli (KB) |");
    println!("|---|---:|---:|---:|");
    let at_start: Vec<_> = sizes.iter().filter(|s| s.loading == spa::Loading::AtStart).collect();
    for size in &at_start {
        println!(
            "| {} `{}` | {:.1} | {:.1} | {:.1} |",
            size.kind,
            size.name,
            kb(size.raw),
            kb(size.gzip),
            kb(size.brotli)
        );
    }
    let total = |f: fn(&spa::AssetSize) -> usize| at_start.iter().map(|s| f(s)).sum::<usize>();
    println!(
        "| **total** | {:.1} | {:.1} | {:.1} |",
        kb(total(|s| s.raw)),
        kb(total(|s| s.gzip)),
        kb(total(|s| s.brotli))
    );
    println!("\n==> release SPA: wasm chunks fetched when a page needing them is first shown");
    println!("| chunk | raw (KB) | brotli (KB) |");
    println!("|---|---:|---:|");
    for size in sizes.iter().filter(|s| s.loading == spa::Loading::PageGroup) {
        println!("| `{}` | {:.1} | {:.1} |", size.name, kb(size.raw), kb(size.brotli));
    }
    let shared: Vec<_> = sizes.iter().filter(|s| s.loading == spa::Loading::Shared).collect();
    println!(
        "| {} shared chunks (code used by several page groups) | {:.1} | {:.1} |",
        shared.len(),
        kb(shared.iter().map(|s| s.raw).sum()),
        kb(shared.iter().map(|s| s.brotli).sum())
    );
    println!(
        "\n==> release SPA: a page group's chunks in bundles of up to {} KB, fetched instead when one of its pages is \
         opened by its address",
        crate::spa_chunks::BUNDLE_LIMIT / 1024
    );
    println!("| bundle | raw (KB) | brotli (KB) |");
    println!("|---|---:|---:|");
    for size in sizes.iter().filter(|s| s.loading == spa::Loading::Bundle) {
        println!("| `{}` | {:.1} | {:.1} |", size.name, kb(size.raw), kb(size.brotli));
    }
    Ok(())
}
