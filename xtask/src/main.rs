//! `cargo xtask <task>`: every project task is a Rust program, so the README's two commands
//! (`dev`, `test`) work on a fresh machine with nothing but cargo installed.

mod architecture;
mod balancer;
mod bench;
mod bench_pages;
mod bench_postgres;
mod browsers;
mod dev;
#[cfg(test)]
mod docs_links;
mod fuzz;
mod load;
mod postgres;
mod process;
mod reliability;
mod spa;
mod spa_chunks;
mod test;
mod tools;
mod wasm_weight;

use std::path::{Path, PathBuf};

const HELP: &str = "\
Usage: cargo xtask <task>

Tasks:
  dev [--postgres]  Install what is missing, seed the demo database, run the backend on
             127.0.0.1:3000 and `trunk serve` on 127.0.0.1:8080 (Ctrl-C stops both);
             with --postgres, on a throwaway PostgreSQL cluster instead of data/bazaar.db
  test       Install what is missing, then run every check and test (the server's
             integration tests on SQLite and on a throwaway PostgreSQL); ends with
             `N passed, N failed`
  test-postgres  Only the server's integration tests on a throwaway PostgreSQL cluster
             (installed with apt-get when missing); part of `test`
  e2e-instances  Only the purchase spec against two backends on a throwaway PostgreSQL
             behind a round-robin balancer (needs `cargo xtask dist` first); part of `test`
  bench      Build the release SPA and measure sizes, cold page loads and the API,
             then run the reliability check
  bench --postgres  SQLite against PostgreSQL (one and two instances) side by side:
             product by id, search and checkout over 100,000 products at 16 clients
  bench-pages  Only the page-load part of `bench`: home, results (and its framework-free
             twin) and a product page, cold, desktop and mobile profile
  bench-lifecycle  Only the lifecycle part of `bench`: the sweeper over 100,000 apps
             and Renewal Management's API at 16 clients
  browsers [firefox|webkit]  Build the release SPA and run the cross-browser suite
             (tests/browsers) in Firefox and WebKitGTK, or in the one named; part of
             `test`. Screenshots go to target/browsers/<engine>/
  reliability [--postgres]  Kill the backend with SIGKILL 10 times while 8 clients
             order and pay; check that nothing acknowledged is lost or charged twice.
             --postgres: two instances on one PostgreSQL, killed alternately
  fuzz       Run schemathesis against the OpenAPI document on a fresh demo server
             (anonymous, buyer, seller); part of `test`
  architecture  Check the server's modules for import cycles and layer breaches, and
             every source file for its 400-line limit; part of `test`
  openapi    Regenerate crates/server/openapi.json from the code
  wasm-weight [FILE]  What the main wasm module's code is made of, by crate and by
             function (names from the split build, before wasm-opt; run `dist` first)
  dist       Build the release SPA (dist/: split into lazily loaded wasm chunks,
             precompressed) and the release server
";

fn main() {
    let task = std::env::args().nth(1).unwrap_or_default();
    let result = match task.as_str() {
        "dev" => dev::run(&std::env::args().skip(2).collect::<Vec<_>>()),
        "test" => test::run(),
        "e2e-instances" => test::two_instances_end_to_end().and_then(|result| {
            println!("{} passed, {} failed", result.passed, result.failed);
            anyhow::ensure!(result.ok, "the two-instance run failed");
            Ok(())
        }),
        "test-postgres" => {
            let result = test::server_tests_on_postgres();
            println!("{} passed, {} failed", result.passed, result.failed);
            if result.failed == 0 { Ok(()) } else { Err(anyhow::anyhow!("tests failed on PostgreSQL")) }
        }
        "bench" => match std::env::args().nth(2).as_deref() {
            None => bench::run(),
            Some("--postgres") => bench_postgres::run(std::env::args().nth(3).as_deref() == Some("--checkout-only")),
            Some(other) => Err(anyhow::anyhow!("unknown bench option `{other}` (try --postgres)")),
        },
        "bench-pages" => bench_pages::run(),
        // Not in the help: `load PORT SECONDS PATH…` runs the bench's load generator (16
        // clients) against a server already running, for profiling one workload.
        "load" => load_command(&std::env::args().skip(2).collect::<Vec<_>>()),
        "bench-lifecycle" => process::run(process::cargo().args(["build", "--release", "-p", "bazaar-server"]))
            .and_then(|_| bench::lifecycle()),
        "browsers" => browsers::run(&std::env::args().skip(2).collect::<Vec<_>>()),
        "reliability" => reliability::run(&std::env::args().skip(2).collect::<Vec<_>>()),
        "fuzz" => fuzz::run().and_then(|(passed, failed)| {
            println!("{passed} passed, {failed} failed");
            anyhow::ensure!(failed == 0, "schemathesis found problems");
            Ok(())
        }),
        "openapi" => openapi(),
        "architecture" => architecture::report(),
        "dist" => spa::dist(),
        "wasm-weight" => wasm_weight::report(&std::env::args().skip(2).collect::<Vec<_>>()),
        "" | "help" | "--help" | "-h" => {
            print!("{HELP}");
            Ok(())
        }
        other => {
            eprint!("unknown task `{other}`\n\n{HELP}");
            std::process::exit(2);
        }
    };
    if let Err(error) = result {
        eprintln!("xtask {task}: {error:#}");
        std::process::exit(1);
    }
}

/// The workspace root (the parent of this crate's directory).
pub fn project_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("xtask lives in the workspace").to_path_buf()
}

fn openapi() -> anyhow::Result<()> {
    let root = project_root();
    let output = process::cargo()
        .args(["run", "--quiet", "-p", "bazaar-server", "--", "openapi"])
        .current_dir(&root)
        .output()?;
    anyhow::ensure!(
        output.status.success(),
        "bazaar-server openapi failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    std::fs::write(root.join("crates/server/openapi.json"), &output.stdout)?;
    println!("wrote crates/server/openapi.json");
    Ok(())
}

fn load_command(arguments: &[String]) -> anyhow::Result<()> {
    let [port, seconds, paths @ ..] = arguments else {
        anyhow::bail!("usage: cargo xtask load PORT SECONDS PATH…");
    };
    anyhow::ensure!(!paths.is_empty(), "usage: cargo xtask load PORT SECONDS PATH…");
    let report = load::run(port.parse()?, paths, 16, std::time::Duration::from_secs(seconds.parse()?))?;
    println!(
        "{:.0} requests/s, p50 {:.2} ms, p95 {:.2} ms, p99 {:.2} ms",
        report.requests as f64 / report.seconds,
        report.p50_ms,
        report.p95_ms,
        report.p99_ms
    );
    Ok(())
}
