//! `cargo xtask <task>`: every project task is a Rust program, so the README's two commands
//! (`dev`, `test`) work on a fresh machine with nothing but cargo installed.

mod architecture;
mod balancer;
mod bench;
mod bench_pages;
mod bench_postgres;
mod bench_support;
mod bench_usage;
mod browsers;
mod dev;
#[cfg(test)]
mod docs_links;
mod files;
mod function_size;
mod fuzz;
mod graph;
mod load;
mod plain_http;
mod postgres;
mod process;
mod reliability;
mod shell_scripts;
mod spa;
mod spa_chunks;
mod sql_room;
mod test;
mod tools;
mod wasm_weight;

use std::path::{Path, PathBuf};

/// `cargo xtask <task>`; `cargo xtask help` lists the tasks, one line each, and
/// `cargo xtask help <task>` says more about one.
#[derive(Debug, clap::Parser)]
#[command(
    name = "cargo xtask",
    bin_name = "cargo xtask",
    about = "Bazaar's project tasks",
    disable_version_flag = true
)]
struct Cli {
    #[command(subcommand)]
    task: Option<Task>,
}

#[derive(Debug, clap::Subcommand)]
enum Task {
    /// Run the product: the backend on 127.0.0.1:3000 and `trunk serve` on 127.0.0.1:8080
    ///
    /// Installs what is missing and seeds the demo database (data/bazaar.db) on first start;
    /// Ctrl-C stops both.
    Dev {
        /// On a throwaway PostgreSQL cluster instead of data/bazaar.db.
        #[arg(long)]
        postgres: bool,
    },
    /// Install what is missing, then run every check and test; ends with `N passed, N failed`
    ///
    /// The server's integration tests run on SQLite and again on a throwaway PostgreSQL.
    Test,
    /// Only the server's integration tests on a throwaway PostgreSQL cluster (part of `test`)
    TestPostgres,
    /// Only the purchase spec against two backends on one PostgreSQL (part of `test`; `dist` first)
    E2eInstances,
    /// Build the release SPA and measure sizes, cold page loads and the API, then the reliability check
    Bench {
        /// SQLite against PostgreSQL (one and two instances) side by side, at 16 clients.
        #[arg(long)]
        postgres: bool,
        /// With --postgres: checkout alone, without generating a catalog.
        #[arg(long, requires = "postgres")]
        checkout_only: bool,
    },
    /// Only the page loads of `bench`: cold, desktop and phone profile, and Lighthouse
    BenchPages,
    /// Only the lifecycle part of `bench`: the sweeper over 100,000 apps, Renewal Management at 16 clients
    BenchLifecycle,
    /// Only the search part of `bench`: 100,000 products, a browse/search mix (also sorted by rating) at 16 clients
    BenchSearch,
    /// Only the pay-per-use part of `bench`: 1,000,000 usage records through the signed API
    /// (8 sellers), a charging run over 10,000 apps, the Billing API at 16 clients
    BenchUsage,
    /// Only the support part of `bench`: 100,000 tickets and reviews, the lists at 16 clients
    BenchSupport,
    /// Only the invoice part of `bench`: 1,000 invoices issued, each one's PDF made (p50/p95, size)
    BenchInvoices,
    /// The cross-browser suite in Firefox and WebKitGTK, or in the engine named (part of `test`)
    ///
    /// Screenshots go to target/browsers/<engine>/.
    Browsers {
        /// `firefox` or `webkit`; both when left out.
        engine: Option<String>,
    },
    /// SIGKILL the backend 10 times while 8 clients order and pay; nothing acknowledged may be lost
    Reliability {
        /// Two instances on one PostgreSQL, killed alternately.
        #[arg(long)]
        postgres: bool,
    },
    /// Run schemathesis against the OpenAPI document on a fresh demo server (part of `test`)
    Fuzz,
    /// Check module cycles, layer breaches and the 400-line limit (part of `test`)
    Architecture,
    /// Lint and unit-test the app shell's scripts (shell/; part of `test`)
    Shell {
        /// First write their tables again from the app's Rust sources (words, URL keys).
        #[arg(long)]
        regenerate: bool,
    },
    /// Regenerate crates/server/openapi.json from the code
    Openapi,
    /// What the main wasm module's code is made of, by crate and function (after `dist`)
    WasmWeight {
        /// The module to read; the split build's main module when left out.
        file: Option<String>,
    },
    /// Build the release SPA (dist/, split and precompressed) and the release server
    Dist,
    /// The bench's load generator (16 clients) against a server already running, for profiling
    #[command(hide = true)]
    Load {
        port: u16,
        seconds: u64,
        #[arg(required = true)]
        paths: Vec<String>,
    },
}

fn main() {
    use clap::{CommandFactory as _, Parser as _};
    let cli = Cli::parse();
    let Some(task) = cli.task else {
        // `cargo xtask` alone: the list of tasks.
        let _ = Cli::command().print_help();
        return;
    };
    let name = format!("{task:?}");
    let result = match task {
        Task::Dev { postgres } => dev::run(postgres),
        Task::Test => test::run(),
        Task::E2eInstances => test::two_instances_end_to_end().and_then(|result| {
            println!("{} passed, {} failed", result.passed, result.failed);
            anyhow::ensure!(result.ok, "the two-instance run failed");
            Ok(())
        }),
        Task::TestPostgres => {
            let result = test::server_tests_on_postgres();
            println!("{} passed, {} failed", result.passed, result.failed);
            if result.failed == 0 { Ok(()) } else { Err(anyhow::anyhow!("tests failed on PostgreSQL")) }
        }
        Task::Bench { postgres: false, .. } => bench::run(),
        Task::Bench { postgres: true, checkout_only } => bench_postgres::run(checkout_only),
        Task::BenchPages => bench_pages::run(),
        Task::Load { port, seconds, paths } => load_command(port, seconds, &paths),
        Task::BenchUsage => process::run(process::cargo().args(["build", "--release", "-p", "bazaar-server"]))
            .and_then(|_| bench_usage::run()),
        Task::BenchSupport => process::run(process::cargo().args(["build", "--release", "-p", "bazaar-server"]))
            .and_then(|_| bench_support::run()),
        Task::BenchInvoices => process::run(process::cargo().args(["build", "--release", "-p", "bazaar-server"]))
            .and_then(|_| bench::invoices()),
        Task::BenchLifecycle => process::run(process::cargo().args(["build", "--release", "-p", "bazaar-server"]))
            .and_then(|_| bench::lifecycle()),
        Task::BenchSearch => process::run(process::cargo().args(["build", "--release", "-p", "bazaar-server"]))
            .and_then(|_| bench::search_api()),
        Task::Browsers { engine } => browsers::run(engine.as_deref()),
        Task::Reliability { postgres } => reliability::run(postgres),
        Task::Fuzz => fuzz::run().and_then(|(passed, failed)| {
            println!("{passed} passed, {failed} failed");
            anyhow::ensure!(failed == 0, "schemathesis found problems");
            Ok(())
        }),
        Task::Shell { regenerate } => {
            if regenerate { shell_scripts::regenerate_tables() } else { Ok(()) }.and_then(|()| shell_scripts::run())
        }
        Task::Openapi => openapi(),
        Task::Architecture => architecture::report(),
        Task::Dist => spa::dist(),
        Task::WasmWeight { file } => wasm_weight::report(file.as_deref()),
    };
    if let Err(error) = result {
        eprintln!("xtask {name}: {error:#}");
        std::process::exit(1);
    }
}

/// The workspace root (the parent of this crate's directory).
pub fn project_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("xtask lives in the workspace").to_path_buf()
}

/// Where `cargo xtask dist` writes the release SPA (and where the tests serve it from).
pub fn dist_dir() -> PathBuf {
    project_root().join("dist")
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

fn load_command(port: u16, seconds: u64, paths: &[String]) -> anyhow::Result<()> {
    let report = load::run(port, paths, 16, std::time::Duration::from_secs(seconds))?;
    println!(
        "{:.0} requests/s, p50 {:.2} ms, p95 {:.2} ms, p99 {:.2} ms",
        report.requests as f64 / report.seconds,
        report.p50_ms,
        report.p95_ms,
        report.p99_ms
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    use clap::{CommandFactory as _, Parser as _};

    use super::{Cli, Task};

    #[test]
    fn help_lists_every_task_on_one_line() {
        let help = Cli::command().render_help().to_string();
        for task in [
            "dev",
            "test",
            "test-postgres",
            "e2e-instances",
            "bench",
            "bench-pages",
            "bench-lifecycle",
            "bench-search",
            "browsers",
            "reliability",
            "fuzz",
            "architecture",
            "openapi",
            "wasm-weight",
            "dist",
        ] {
            let lines = help.lines().filter(|line| line.trim_start().starts_with(&format!("{task} "))).count();
            assert_eq!(lines, 1, "`{task}` in:\n{help}");
        }
        assert!(!help.contains("load "), "the profiling helper stays out of the list");
    }

    #[test]
    fn tasks_take_their_options() {
        let parse = |words: &[&str]| Cli::try_parse_from(std::iter::once("xtask").chain(words.iter().copied()));
        assert!(matches!(parse(&["test"]).unwrap().task, Some(Task::Test)));
        assert!(matches!(parse(&["dev", "--postgres"]).unwrap().task, Some(Task::Dev { postgres: true })));
        assert!(matches!(
            parse(&["bench", "--postgres", "--checkout-only"]).unwrap().task,
            Some(Task::Bench { postgres: true, checkout_only: true })
        ));
        assert!(parse(&["bench", "--checkout-only"]).is_err(), "only with --postgres");
        assert!(parse(&["dev", "--sqlite"]).is_err());
        assert!(parse(&["nonsense"]).is_err());
        assert!(parse(&[]).unwrap().task.is_none());
    }
}
