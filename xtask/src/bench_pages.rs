//! Cold page loads for `cargo xtask bench` (and `bench-pages` alone): each measured page on
//! an idle desktop and under Lighthouse's mobile profile, beside the framework-free twin of
//! the catalog results page (tests/e2e/bench/twin), all from one server in one run.

use std::path::Path;
use std::process::Stdio;
use std::time::Duration;

use anyhow::Context as _;

use crate::process::{self, command};
use crate::{project_root, spa};

const RUNS: usize = 5;

/// Where the twin is served from while the bench runs (a folder inside dist/).
const TWIN_DIR: &str = "bench-twin";

/// A page measured on a cold load.
struct MeasuredPage {
    name: &'static str,
    path: &'static str,
    /// The element that marks the page usable.
    ready_selector: &'static str,
    /// The demo account signed in (through the API, before the load) for pages behind a login.
    signed_in_as: Option<&'static str>,
    /// Whether Lighthouse scores it (the twin is only there for the ratio).
    scored: bool,
}

const PAGES: &[MeasuredPage] = &[
    MeasuredPage {
        name: "home",
        path: "/",
        ready_selector: "[data-testid=home-ready]",
        signed_in_as: None,
        scored: true,
    },
    MeasuredPage {
        name: "catalog results",
        path: "/products?category=databases",
        ready_selector: "[data-testid=results-ready]",
        signed_in_as: None,
        scored: true,
    },
    MeasuredPage {
        name: "catalog results, framework-free twin",
        path: "/bench-twin/index.html?category=databases",
        ready_selector: "[data-testid=results-ready]",
        signed_in_as: None,
        scored: false,
    },
    // A page from a lazily loaded chunk: the first download plus its chunks.
    MeasuredPage {
        name: "product page by its address",
        path: "/products/1",
        ready_selector: "[data-testid=product-ready]",
        signed_in_as: None,
        scored: true,
    },
    // Checkout for a yearly SaaS plan, signed in as a buyer: another chunk, and four reads.
    MeasuredPage {
        name: "checkout by its address, signed in",
        path: "/purchase/1?sku=1&billing=yearly_monthly&duration=12&quantity=1&region=cn-north-4",
        ready_selector: "[data-testid=pay-now]",
        signed_in_as: Some("lin.wei"),
        scored: true,
    },
];

/// Lighthouse runs per page; the run with the median performance score is reported.
const LIGHTHOUSE_RUNS: usize = 3;

/// Builds the release SPA and server, then measures every page in both profiles.
pub fn run() -> anyhow::Result<()> {
    spa::build_release()?;
    crate::tools::ensure_chromium()?;
    crate::tools::ensure_e2e_packages()?;
    crate::tools::ensure_lighthouse_packages()?;
    process::run(process::cargo().args(["build", "--release", "-p", "bazaar-server"]))?;
    measure()
}

/// Measures the already built dist/ (the caller builds it).
pub fn measure() -> anyhow::Result<()> {
    let dist = crate::dist_dir();
    let twin = install_twin(&dist)?;
    let port = process::free_port()?;
    let database = process::TempDatabase::new("bench-pages")?;
    let dist_text = dist.display().to_string();
    let mut server = process::start_backend(
        "release",
        port,
        &database.url,
        &["--demo", "--static-dir", &dist_text],
        "warn",
        Duration::from_secs(120),
    )?;
    let base = format!("http://127.0.0.1:{port}");
    for profile in ["desktop", "mobile"] {
        println!(
            "\n==> cold page loads in headless Chromium, {profile} profile (new profile each run, median of {RUNS})"
        );
        // "largest paint": the browser's last LCP candidate under this profile; "usable": the
        // page's marker is visible (for the catalog results that is the shell's working page,
        // before the app runs); "app": the app has taken over from the shell.
        println!(
            "| page | transferred (KB) | first contentful paint (ms) | largest paint (ms) | usable (ms) | app (ms) |"
        );
        println!("|---|---:|---:|---:|---:|---:|");
        for page in PAGES {
            let stats = cold_load(&format!("{base}{}", page.path), page.ready_selector, profile, page.signed_in_as)?;
            println!(
                "| {} | {:.1} | {:.0} | {:.0} | {:.0} | {:.0} |",
                page.name,
                stats["transferredBytes"].as_f64().unwrap_or(0.0) / 1024.0,
                stats["firstContentfulPaintMs"].as_f64().unwrap_or(0.0),
                stats["largestContentfulPaintMs"].as_f64().unwrap_or(0.0),
                stats["usableMs"].as_f64().unwrap_or(0.0),
                stats["appMs"].as_f64().unwrap_or(0.0)
            );
        }
    }
    println!("\n==> Lighthouse 12, default mobile settings (simulated Slow 4G, 4x CPU), median of {LIGHTHOUSE_RUNS}");
    println!("| page | performance | accessibility | FCP (ms) | LCP (ms) | TBT (ms) | CLS |");
    println!("|---|---:|---:|---:|---:|---:|---:|");
    for page in PAGES.iter().filter(|page| page.scored) {
        let report = lighthouse(&format!("{base}{}", page.path), page.signed_in_as)?;
        let median = &report["median"];
        let number = |key: &str| median[key].as_f64().unwrap_or(f64::NAN);
        println!(
            "| {} | {:.0} | {:.0} | {:.0} | {:.0} | {:.0} | {:.3} |",
            page.name,
            number("performance"),
            number("accessibility"),
            number("firstContentfulPaintMs"),
            number("largestContentfulPaintMs"),
            number("totalBlockingTimeMs"),
            number("cumulativeLayoutShift"),
        );
    }
    server.stop();
    std::fs::remove_dir_all(&twin)?;
    Ok(())
}

fn lighthouse(url: &str, signed_in_as: Option<&str>) -> anyhow::Result<serde_json::Value> {
    let runs = LIGHTHOUSE_RUNS.to_string();
    let mut arguments = vec!["lighthouse.mjs", url, &runs];
    arguments.extend(signed_in_as);
    let output = command("node")
        .args(arguments)
        .current_dir(project_root().join("tests/e2e/bench/lighthouse"))
        .env("CHROME_PATH", "/usr/bin/chromium")
        .stderr(Stdio::inherit())
        .output()
        .context("running Lighthouse")?;
    anyhow::ensure!(output.status.success(), "Lighthouse failed on {url}");
    serde_json::from_slice(&output.stdout).context("reading Lighthouse's result")
}

/// Copies the twin into dist/ with the stylesheet's hashed name written in.
fn install_twin(dist: &Path) -> anyhow::Result<std::path::PathBuf> {
    let stylesheet = std::fs::read_dir(dist)?
        .filter_map(|entry| entry.ok().map(|entry| entry.file_name().to_string_lossy().into_owned()))
        .find(|name| name.starts_with("main-") && name.ends_with(".css"))
        .context("dist/ has no main-*.css; build the SPA first")?;
    let source = project_root().join("tests/e2e/bench/twin");
    let target = dist.join(TWIN_DIR);
    if target.exists() {
        std::fs::remove_dir_all(&target)?;
    }
    std::fs::create_dir_all(&target)?;
    let html = std::fs::read_to_string(source.join("index.html"))?.replace("STYLESHEET", &stylesheet);
    std::fs::write(target.join("index.html"), html)?;
    std::fs::copy(source.join("twin.js"), target.join("twin.js"))?;
    Ok(target)
}

fn cold_load(
    url: &str,
    ready_selector: &str,
    profile: &str,
    signed_in_as: Option<&str>,
) -> anyhow::Result<serde_json::Value> {
    let runs = RUNS.to_string();
    let mut arguments = vec!["bench/cold-load.mjs", url, ready_selector, &runs, profile];
    arguments.extend(signed_in_as);
    let output = command("node")
        .args(arguments)
        .current_dir(project_root().join("tests/e2e"))
        .stderr(Stdio::inherit())
        .output()
        .context("running the cold-load script")?;
    anyhow::ensure!(output.status.success(), "cold-load script failed");
    serde_json::from_slice(&output.stdout).context("reading the cold-load result")
}
