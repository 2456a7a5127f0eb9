//! `cargo xtask test`: every check and test, in order, then one summary line.
//!
//! Steps run even after an earlier one failed (except those that need its output), so one
//! run shows every problem; any failure makes the exit status non-zero.

use std::io::{BufRead as _, BufReader};
use std::process::{Command, Stdio};

use anyhow::Context as _;

use crate::browsers::{self, Engine};
use crate::process::{self, command};
use crate::{project_root, shell_scripts, spa, tools};

/// The outcome of one step: how many tests passed and failed in it, or for a step that is
/// not a test runner (fmt, clippy, build), 0/1 failed.
pub struct StepResult {
    name: &'static str,
    pub passed: usize,
    pub failed: usize,
    pub ok: bool,
}

pub fn run() -> anyhow::Result<()> {
    let mut results = Vec::new();
    let setup = tools::ensure_release_spa_tools()
        .and_then(|()| tools::ensure_chromium())
        .and_then(|()| tools::ensure_invoice_font())
        .and_then(|()| tools::ensure_e2e_packages());
    if let Err(error) = &setup {
        eprintln!("setting up the tools failed: {error:#}");
        results.push(StepResult { name: "install tools", passed: 0, failed: 1, ok: false });
    }

    // The engines besides Chromium; their steps are skipped (and counted as failed) when
    // they cannot be installed, without holding up the Chromium ones.
    let other_browsers = tools::ensure_other_browsers();
    if let Err(error) = &other_browsers {
        eprintln!("setting up Firefox and WebKit failed: {error:#}");
        results.push(StepResult { name: "install Firefox and WebKit", passed: 0, failed: 1, ok: false });
    }

    results.extend(static_checks());
    results.push(test_step("native tests", process::cargo().args(["test", "--workspace", "--exclude", "bazaar-web"])));
    results.push(server_tests_on_postgres());
    // The SPA's pure modules (URL state, configuration links, messages) need no browser.
    results.push(test_step("SPA unit tests (native)", process::cargo().args(["test", "-p", "bazaar-web", "--lib"])));
    results.extend(shell_script_steps());
    println!("\n==> hostile-input fuzzer (schemathesis against the OpenAPI document)");
    results.push(match crate::fuzz::run() {
        Ok((passed, failed)) => StepResult { name: "schemathesis API fuzzer", passed, failed, ok: failed == 0 },
        Err(error) => {
            eprintln!("the API fuzzer could not run: {error:#}");
            StepResult { name: "schemathesis API fuzzer", passed: 0, failed: 1, ok: false }
        }
    });
    if setup.is_ok() {
        results.extend(browser_steps(other_browsers.is_ok()));
    }
    summarise(&results);
    Ok(())
}

/// The checks that run no test: formatting, the architecture rules, clippy on both targets.
fn static_checks() -> Vec<StepResult> {
    let mut results = vec![check_step("rustfmt", process::cargo().args(["fmt", "--all", "--check"]))];
    println!("\n==> architecture (module cycles, layers, file sizes)");
    let problems = crate::architecture::check();
    for problem in &problems {
        eprintln!("  {problem}");
    }
    results.push(StepResult {
        name: "architecture",
        passed: 0,
        failed: usize::from(!problems.is_empty()),
        ok: problems.is_empty(),
    });
    results.push(check_step(
        "clippy (native)",
        process::cargo().args([
            "clippy",
            "--workspace",
            "--exclude",
            "bazaar-web",
            "--all-targets",
            "--",
            "-D",
            "warnings",
        ]),
    ));
    results.push(check_step(
        "clippy (wasm)",
        process::cargo().args([
            "clippy",
            "-p",
            "bazaar-web",
            "--target",
            "wasm32-unknown-unknown",
            "--all-targets",
            "--",
            "-D",
            "warnings",
        ]),
    ));
    results
}

/// The steps in browsers: the wasm component tests, the release SPA and the end-to-end
/// suites on it (Firefox and WebKit only when `other_browsers` could be installed).
fn browser_steps(other_browsers: bool) -> Vec<StepResult> {
    let mut results = vec![test_step(
        "wasm component tests (headless Chromium)",
        &mut wasm_component_tests("CHROMEDRIVER", tools::CHROMEDRIVER.into()),
    )];
    if other_browsers {
        results.push(test_step(
            "wasm component tests (headless Firefox)",
            &mut wasm_component_tests("GECKODRIVER", tools::geckodriver()),
        ));
    }
    let built = spa::build_release();
    if let Err(error) = &built {
        eprintln!("building the SPA failed: {error:#}");
    }
    results.push(StepResult {
        name: "release build of the SPA",
        passed: 0,
        failed: built.is_err() as usize,
        ok: built.is_ok(),
    });
    if built.is_ok() {
        results.push(end_to_end().unwrap_or_else(|error| {
            eprintln!("end-to-end tests could not run: {error:#}");
            StepResult { name: "Playwright end-to-end", passed: 0, failed: 1, ok: false }
        }));
        results.push(two_instances_end_to_end().unwrap_or_else(|error| {
            eprintln!("the two-instance end-to-end run could not start: {error:#}");
            StepResult { name: "Playwright purchases on two instances", passed: 0, failed: 1, ok: false }
        }));
        if other_browsers {
            for engine in browsers::ENGINES {
                results.push(cross_browser(engine));
            }
        }
    }
    results
}

/// The summary: every step's line, then `N passed, N failed`; a non-zero exit status when
/// any step failed.
fn summarise(results: &[StepResult]) {
    println!("\n==> summary");
    for result in results {
        let mark = if result.ok { "ok  " } else { "FAIL" };
        println!("  {mark} {:<45} {} passed, {} failed", result.name, result.passed, result.failed);
    }
    let passed: usize = results.iter().map(|r| r.passed).sum();
    let failed: usize = results.iter().map(|r| r.failed).sum();
    let all_ok = results.iter().all(|r| r.ok);
    println!("{passed} passed, {failed} failed");
    if !all_ok {
        std::process::exit(1);
    }
}

/// The SPA's component tests in the browser whose driver `driver_variable` names: the
/// runner picks the browser by which of CHROMEDRIVER and GECKODRIVER is set.
fn wasm_component_tests(driver_variable: &str, driver: std::path::PathBuf) -> Command {
    let mut command = process::cargo();
    command
        .args(["test", "-p", "bazaar-web", "--target", "wasm32-unknown-unknown"])
        .env("CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER", "wasm-bindgen-test-runner")
        .env_remove("CHROMEDRIVER")
        .env_remove("GECKODRIVER")
        .env(driver_variable, driver)
        .env("WASM_BINDGEN_TEST_TIMEOUT", "120");
    command
}

/// The server's integration tests again, each on a database of its own in a throwaway
/// PostgreSQL cluster (the step above ran them on SQLite). The cluster goes when this
/// returns, whatever the outcome.
pub fn server_tests_on_postgres() -> StepResult {
    const NAME: &str = "server integration tests (PostgreSQL)";
    let cluster = match crate::postgres::Cluster::start("test") {
        Ok(cluster) => cluster,
        Err(error) => {
            eprintln!("PostgreSQL could not start: {error:#}");
            return StepResult { name: NAME, passed: 0, failed: 1, ok: false };
        }
    };
    test_step(
        NAME,
        process::cargo()
            .args(["test", "-p", "bazaar-server", "--test", "api"])
            .env("BAZAAR_TEST_POSTGRES", cluster.server_url()),
    )
}

fn check_step(name: &'static str, command: &mut Command) -> StepResult {
    println!("\n==> {name}");
    let ok = command.status().map(|status| status.success()).unwrap_or(false);
    StepResult { name, passed: 0, failed: (!ok) as usize, ok }
}

/// The app shell's scripts: ESLint, then their unit tests under node.
fn shell_script_steps() -> Vec<StepResult> {
    let lint = match shell_scripts::lint() {
        Ok(mut eslint) => check_step("ESLint (the shell's scripts)", &mut eslint),
        Err(error) => {
            eprintln!("ESLint could not be installed: {error:#}");
            StepResult { name: "ESLint (the shell's scripts)", passed: 0, failed: 1, ok: false }
        }
    };
    let name = "the shell's scripts' unit tests (node --test)";
    let tests = match shell_scripts::unit_tests() {
        Ok(mut node) => counted_step(name, &mut node, shell_scripts::parse_tap_summary),
        Err(error) => {
            eprintln!("{name} could not start: {error:#}");
            StepResult { name, passed: 0, failed: 1, ok: false }
        }
    };
    vec![lint, tests]
}

/// Runs a cargo test command, echoing its output and adding up its `test result:` lines.
fn test_step(name: &'static str, command: &mut Command) -> StepResult {
    counted_step(name, command, parse_test_result)
}

/// Runs a test command, echoing its output and adding up the counts `parse` finds in it.
fn counted_step(name: &'static str, command: &mut Command, parse: fn(&str) -> Option<(usize, usize)>) -> StepResult {
    println!("\n==> {name}");
    let mut child = match command.stdout(Stdio::piped()).spawn() {
        Ok(child) => child,
        Err(error) => {
            eprintln!("could not start {name}: {error}");
            return StepResult { name, passed: 0, failed: 1, ok: false };
        }
    };
    let (mut passed, mut failed) = (0, 0);
    if let Some(stdout) = child.stdout.take() {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            println!("{line}");
            if let Some((p, f)) = parse(&line) {
                passed += p;
                failed += f;
            }
        }
    }
    let ok = child.wait().map(|status| status.success()).unwrap_or(false);
    // A crash or compile error has no result line; still count it as a failure.
    if !ok && failed == 0 {
        failed = 1;
    }
    StepResult { name, passed, failed, ok }
}

/// `test result: ok. 12 passed; 0 failed; ...` → (12, 0).
fn parse_test_result(line: &str) -> Option<(usize, usize)> {
    let rest = line.trim().strip_prefix("test result: ")?;
    let number_before = |word: &str| -> Option<usize> {
        let index = rest.find(word)?;
        rest[..index].split(|c: char| !c.is_ascii_digit()).rfind(|s| !s.is_empty())?.parse().ok()
    };
    Some((number_before(" passed")?, number_before(" failed")?))
}

/// The cross-browser suite in one engine (its own backend and drivers; see browsers.rs).
fn cross_browser(engine: Engine) -> StepResult {
    let name = match engine {
        Engine::Firefox => "cross-browser end-to-end (Firefox)",
        Engine::WebKit => "cross-browser end-to-end (WebKitGTK)",
    };
    browsers::suite(engine, |suite| test_step(name, suite)).unwrap_or_else(|error| {
        eprintln!("{name} could not run: {error:#}");
        StepResult { name, passed: 0, failed: 1, ok: false }
    })
}

/// Starts the backend (fresh temporary database, demo mode, serving the release SPA) on a
/// free port and runs the Playwright suite against it.
fn end_to_end() -> anyhow::Result<StepResult> {
    println!("\n==> Playwright end-to-end (real backend + release SPA in Chromium)");
    let mut backend = process::start_spa_backend("e2e")?;
    let result = playwright("Playwright end-to-end", &[], backend.port);
    backend.server.stop();
    result
}

/// The purchase spec against two backend instances on one throwaway PostgreSQL database
/// behind a round-robin balancer: sessions, orders, payments and provisioning must work
/// whichever instance each request reaches. Everything stops when this returns.
pub fn two_instances_end_to_end() -> anyhow::Result<StepResult> {
    const NAME: &str = "Playwright purchases on two instances (PostgreSQL)";
    println!("\n==> {NAME}");
    process::run(process::cargo().args(["build", "-p", "bazaar-server"]))?;
    let cluster = crate::postgres::Cluster::start("e2e")?;
    let database_url = cluster.create_database("bazaar")?;
    let dist = crate::dist_dir().display().to_string();
    let arguments = ["--demo", "--demo-apps", "false", "--static-dir", &dist];
    let ports = [process::free_port()?, process::free_port()?];
    let ready = std::time::Duration::from_secs(60);
    // One after the other: the first seeds the demo data, the second finds it.
    let mut first = process::start_backend("debug", ports[0], &database_url, &arguments, "warn", ready)?;
    let mut second = process::start_backend("debug", ports[1], &database_url, &arguments, "warn", ready)?;
    let balancer = crate::balancer::Balancer::start(ports.to_vec())?;
    let mut result = playwright(NAME, &["specs/checkout.spec.ts"], balancer.port);
    let spread: Vec<usize> =
        balancer.connections.iter().map(|count| count.load(std::sync::atomic::Ordering::Relaxed)).collect();
    println!("connections per instance: {spread:?}");
    if let Ok(result) = &mut result
        && spread.contains(&0)
    {
        eprintln!("one instance received no connection: the run did not test two instances");
        result.failed += 1;
        result.ok = false;
    }
    first.stop();
    second.stop();
    drop(cluster);
    result
}

/// Runs Playwright (`specs`, or every spec) against `port` and reads its JSON report.
fn playwright(name: &'static str, specs: &[&str], port: u16) -> anyhow::Result<StepResult> {
    let e2e = project_root().join("tests/e2e");
    let results_file = e2e.join("test-results/results.json");
    let _ = std::fs::remove_file(&results_file);
    let status = command("npx")
        .args(["playwright", "test"])
        .args(specs)
        .current_dir(&e2e)
        .env("BAZAAR_BASE_URL", format!("http://127.0.0.1:{port}"))
        .env("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")
        .status()
        .context("starting Playwright")?;
    let (passed, failed) = std::fs::read_to_string(&results_file)
        .ok()
        .and_then(|text| serde_json::from_str::<serde_json::Value>(&text).ok())
        .map(|json| {
            let stat = |key: &str| json["stats"][key].as_u64().unwrap_or(0) as usize;
            (stat("expected") + stat("flaky"), stat("unexpected"))
        })
        .unwrap_or((0, 0));
    let ok = status.success();
    Ok(StepResult { name, passed, failed: if ok { failed } else { failed.max(1) }, ok })
}

#[cfg(test)]
mod tests {
    use super::parse_test_result;

    #[test]
    fn parses_cargo_and_wasm_bindgen_test_summaries() {
        assert_eq!(parse_test_result("test result: ok. 12 passed; 0 failed; 0 ignored; 0 measured"), Some((12, 0)));
        assert_eq!(parse_test_result("test result: FAILED. 3 passed; 2 failed; 0 ignored"), Some((3, 2)));
        assert_eq!(parse_test_result("running 3 tests"), None);
    }
}
