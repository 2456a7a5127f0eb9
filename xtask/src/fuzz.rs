//! `cargo xtask fuzz` (also a step of `cargo xtask test`): schemathesis, installed from PyPI
//! at a pinned version, throws generated and hostile requests at every operation of the
//! committed OpenAPI document on a fresh demo server: anonymous, as a buyer and as a seller.
//! It fails on any server error, any answer the document does not describe (status, body,
//! headers, content type — so a non-JSON error body fails too), any request the document
//! forbids that the server accepts, and the other checks of `tests/fuzz/schemathesis.toml`.
//!
//! Signing out (`DELETE /session`, `DELETE /account/sessions[/{id}]`) would end the session
//! a run uses, so the signed-in runs leave those three out and one last run gives them to
//! the fuzzer with a fresh session.

use std::time::Duration;

use anyhow::Context as _;

use crate::process::{self, command};
use crate::{project_root, tools};

/// Test cases per operation and phase: enough to hit every parameter with hostile values,
/// few enough that the whole step stays around two minutes on two cores.
const MAX_EXAMPLES: &str = "25";
/// A fixed seed: the same cases every run, so a failure reproduces.
const SEED: &str = "20261129";

const SESSION_ENDING: &str = r"^/api/v1/(session|account/sessions(/\{session_id\})?)$";

/// One schemathesis run's counts: (operations passed, operations failed).
fn run_schemathesis(name: &str, port: u16, cookie: Option<&str>, filter: &[&str]) -> anyhow::Result<(usize, usize)> {
    println!("\n--> schemathesis: {name}");
    let root = project_root();
    let report = std::env::temp_dir().join(format!("bazaar-schemathesis-{}-{name}.xml", std::process::id()));
    let base = format!("http://127.0.0.1:{port}");
    let mut run = command(&tools::schemathesis().display().to_string());
    let config = root.join("tests/fuzz/schemathesis.toml").display().to_string();
    let document = root.join("crates/server/openapi.json").display().to_string();
    run.args(["--config-file", &config, "--no-color", "run", &document])
        .args(["--url", &base, "--header", &format!("Origin: {base}")])
        // One worker: with two, CPython 3.11 sometimes fails inside hypothesis ("AST
        // constructor recursion depth mismatch", a thread-safety bug of `ast`), a tool crash
        // that says nothing about the API.
        .args(["--max-examples", MAX_EXAMPLES, "--seed", SEED, "--workers", "1"])
        .args(["--report", "junit", "--report-junit-path", &report.display().to_string()])
        .args(filter)
        // Its cache of found failures goes to a temporary directory, not the repository.
        .current_dir(std::env::temp_dir());
    if let Some(cookie) = cookie {
        run.args(["--header", &format!("Cookie: {cookie}")]);
    }
    let status = run.status().context("starting schemathesis")?;
    let junit = std::fs::read_to_string(&report).unwrap_or_default();
    let _ = std::fs::remove_file(&report);
    let count = |attribute: &str| -> usize {
        junit
            .split(&format!("{attribute}=\""))
            .nth(1)
            .and_then(|rest| rest.split('"').next())
            .and_then(|number| number.parse().ok())
            .unwrap_or(0)
    };
    let (tests, failures, errors) = (count("tests"), count("failures"), count("errors"));
    let failed = failures + errors;
    // A run that failed without reporting a failure (it could not start, say) still fails.
    let failed = if status.success() { failed } else { failed.max(1) };
    Ok((tests.saturating_sub(failures + errors), failed))
}

/// Runs every schemathesis pass against a fresh demo server; (passed, failed) operations.
pub fn run() -> anyhow::Result<(usize, usize)> {
    tools::ensure_schemathesis()?;
    process::run(process::cargo().args(["build", "-p", "bazaar-server"]))?;
    let port = process::free_port()?;
    let database = process::TempDatabase::new("fuzz")?;
    let mut server =
        process::start_backend("debug", port, &database.url, &["--demo"], "error", Duration::from_secs(60))?;
    // Logged in before anything is fuzzed: a burst of made-up logins slows this address down.
    let buyer = crate::plain_http::log_in(port, "lin.wei")?;
    let seller = crate::plain_http::log_in(port, "sam.okafor")?;
    let runs = [
        ("anonymous", None, vec![]),
        ("buyer", Some(buyer), vec!["--exclude-path-regex", SESSION_ENDING]),
        ("seller", Some(seller), vec!["--exclude-path-regex", SESSION_ENDING]),
    ];
    let (mut passed, mut failed) = (0, 0);
    for (name, cookie, filter) in &runs {
        let (p, f) = run_schemathesis(name, port, cookie.as_deref(), filter)?;
        passed += p;
        failed += f;
    }
    let last = crate::plain_http::log_in(port, "maria.santos")?;
    let (p, f) = run_schemathesis("signing out", port, Some(&last), &["--include-path-regex", SESSION_ENDING])?;
    server.stop();
    Ok((passed + p, failed + f))
}
