//! `cargo xtask dev`: the whole product on this machine. Installs what is missing, runs the
//! backend in demo mode (the database is created, migrated and seeded on first start) and
//! `trunk serve` proxying `/api` to it; Ctrl-C stops both. The database is a SQLite file
//! in `data/`, or with `--postgres` a throwaway PostgreSQL cluster that goes at Ctrl-C.

use std::process::Stdio;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use anyhow::Context as _;

use crate::process::{self, ChildGuard, command};
use crate::{project_root, tools};

const BACKEND_PORT: u16 = 3000;
const FRONTEND_PORT: u16 = 8080;

pub fn run(on_postgres: bool) -> anyhow::Result<()> {
    tools::ensure_dev_spa_tools()?;
    tools::ensure_invoice_font()?;
    println!("==> building the backend");
    process::run(process::cargo().args(["build", "-p", "bazaar-server"]))?;

    // Declared before the backend, so it is dropped (stopped) after it.
    let mut cluster = None;
    let database_url = if on_postgres {
        let started = crate::postgres::Cluster::start("dev")?;
        let url = started.create_database("bazaar")?;
        cluster = Some(started);
        url
    } else {
        let data = project_root().join("data");
        std::fs::create_dir_all(&data)?;
        format!("sqlite://{}", data.join("bazaar.db").display())
    };
    let stop = Arc::new(AtomicBool::new(false));
    let stop_flag = stop.clone();
    ctrlc::set_handler(move || stop_flag.store(true, Ordering::SeqCst)).context("installing the Ctrl-C handler")?;

    println!("==> starting the backend on http://127.0.0.1:{BACKEND_PORT}");
    let log_filter = std::env::var("RUST_LOG").unwrap_or_else(|_| "info,sqlx=warn".to_owned());
    let mut backend = process::start_backend(
        "debug",
        BACKEND_PORT,
        &database_url,
        &["--demo"],
        &log_filter,
        Duration::from_secs(120),
    )?;

    println!("==> starting trunk serve on http://127.0.0.1:{FRONTEND_PORT} (first build takes a few minutes)");
    let frontend = command("trunk").arg("serve").stdin(Stdio::null()).spawn().context("starting trunk serve")?;
    let mut frontend = ChildGuard { name: "trunk serve", child: frontend };
    process::wait_until_ready(&mut frontend, FRONTEND_PORT, "/", Duration::from_secs(900))?;

    print_banner();
    while !stop.load(Ordering::SeqCst) {
        for guard in [&mut backend, &mut frontend] {
            if let Some(status) = guard.child.try_wait()? {
                anyhow::bail!("{} stopped unexpectedly ({status})", guard.name);
            }
        }
        std::thread::sleep(Duration::from_millis(250));
    }
    println!("\n==> stopping");
    frontend.stop();
    backend.stop();
    drop(cluster);
    Ok(())
}

fn print_banner() {
    println!(
        "\n  Bazaar is running: http://127.0.0.1:{FRONTEND_PORT}\n  (API: http://127.0.0.1:{BACKEND_PORT}/api/v1, OpenAPI: /api/v1/openapi.json)\n\n  Demo accounts (password: bazaar-demo):\n    lin.wei        buyer\n    maria.santos   buyer\n    chen.jie       reseller customer (Harbor Cloud Partners)\n    sam.okafor     seller (Northwind Data Systems)\n    ivy.tan        seller (BluePeak Security)\n    zhang.min      operations manager\n\n  Press Ctrl-C to stop.\n"
    );
}
