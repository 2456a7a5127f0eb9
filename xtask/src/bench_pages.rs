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

/// Pages measured on a cold load: name, path, and the selector that marks them usable.
const PAGES: &[(&str, &str, &str)] = &[
    ("home", "/", "[data-testid=home-ready]"),
    ("catalog results", "/products?category=databases", "[data-testid=results-ready]"),
    (
        "catalog results, framework-free twin",
        "/bench-twin/index.html?category=databases",
        "[data-testid=results-ready]",
    ),
    // A page from a lazily loaded chunk: the first download plus its chunks.
    ("product page by its address", "/products/1", "[data-testid=product-ready]"),
];

/// Builds the release SPA and server, then measures every page in both profiles.
pub fn run() -> anyhow::Result<()> {
    spa::build_release()?;
    crate::tools::ensure_chromium()?;
    crate::tools::ensure_e2e_packages()?;
    process::run(process::cargo().args(["build", "--release", "-p", "bazaar-server"]))?;
    measure()
}

/// Measures the already built dist/ (the caller builds it).
pub fn measure() -> anyhow::Result<()> {
    let dist = spa::dist_dir();
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
        println!("| page | transferred (KB) | first contentful paint (ms) | usable (ms) |");
        println!("|---|---:|---:|---:|");
        for (name, path, ready_selector) in PAGES {
            let stats = cold_load(&format!("{base}{path}"), ready_selector, profile)?;
            println!(
                "| {name} | {:.1} | {:.0} | {:.0} |",
                stats["transferredBytes"].as_f64().unwrap_or(0.0) / 1024.0,
                stats["firstContentfulPaintMs"].as_f64().unwrap_or(0.0),
                stats["usableMs"].as_f64().unwrap_or(0.0)
            );
        }
    }
    server.stop();
    std::fs::remove_dir_all(&twin)?;
    Ok(())
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

fn cold_load(url: &str, ready_selector: &str, profile: &str) -> anyhow::Result<serde_json::Value> {
    let output = command("node")
        .args(["bench/cold-load.mjs", url, ready_selector, &RUNS.to_string(), profile])
        .current_dir(project_root().join("tests/e2e"))
        .stderr(Stdio::inherit())
        .output()
        .context("running the cold-load script")?;
    anyhow::ensure!(output.status.success(), "cold-load script failed");
    serde_json::from_slice(&output.stdout).context("reading the cold-load result")
}
