//! The `bazaar-server` binary: parse configuration, then serve, seed or print OpenAPI.

use anyhow::Context as _;
use bazaar_server::config::{Cli, Command};
use clap::Parser as _;
use tracing_subscriber::layer::SubscriberExt as _;
use tracing_subscriber::util::SubscriberInitExt as _;
use tracing_subscriber::{EnvFilter, Layer as _};

/// Many small allocations on many threads (sqlx's SQLite workers, tokio's): glibc's
/// allocator spent a seventh of a loaded server's time in locks and consolidation.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let mut cli = Cli::parse();
    // The master key comes from the environment (or a file), never the command line.
    if let Ok(text) = std::env::var("BAZAAR_SECRET_KEY") {
        cli.config.secret_key = Some(bazaar_server::config::SecretText::new(text));
    }
    let statements = bazaar_server::infra::statement_count::StatementCounter::default();
    let log_filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn"));
    // Logs go to stderr: stdout carries command output (`bazaar-server openapi`).
    let log_layer = tracing_subscriber::fmt::layer().with_writer(std::io::stderr).with_filter(log_filter);
    let registry = tracing_subscriber::registry().with(log_layer);
    // Only `sweep` counts statements: every statement event costs a little.
    if matches!(cli.command, Some(Command::Sweep { .. })) {
        let counter = statements.clone().with_filter(bazaar_server::infra::statement_count::StatementCounter::filter());
        registry.with(counter).init();
    } else {
        registry.init();
    }
    match cli.command.unwrap_or(Command::Serve) {
        Command::Openapi => {
            print!("{}", bazaar_server::openapi_json());
        }
        Command::Seed => {
            let mut config = cli.config;
            config.demo = true;
            bazaar_server::build_state(config).await.context("seeding the database")?;
        }
        Command::Verify => {
            let database = bazaar_server::infra::db::connect(&cli.config.database_url, cli.config.database_pool_size)
                .await
                .context("opening the database")?;
            let report = bazaar_server::domain::verify::verify(&database).await.context("verifying")?;
            println!("{}", serde_json::to_string(&report)?);
            if !report.is_clean() {
                anyhow::bail!("the database breaks an invariant");
            }
        }
        Command::RotateKeys => {
            let keys = bazaar_server::master_keys(&cli.config).context("reading the master keys")?;
            let database = bazaar_server::infra::db::connect(&cli.config.database_url, cli.config.database_pool_size)
                .await
                .context("opening the database")?;
            let report = bazaar_server::domain::secrets::seal_everything(&database, &keys).await.context("sealing")?;
            println!("{}", serde_json::to_string(&report)?);
        }
        Command::GenerateMeteredApps { apps, buyer_apps, hours } => {
            generate_metered_apps(&cli.config, apps, buyer_apps, hours).await?;
        }
        command @ (Command::GenerateCatalog { .. }
        | Command::GenerateApps { .. }
        | Command::GenerateBuyers { .. }
        | Command::GenerateSupport { .. }) => generate(&cli.config, command).await?,
        Command::SellerKey { seller } => print_seller_key(&cli.config, seller).await?,
        Command::BenchInvoices { invoices } => {
            let state = bazaar_server::build_state(cli.config).await.context("starting up")?;
            let report =
                bazaar_server::demo::invoice_bench::run(&state, invoices).await.context("benchmarking invoices")?;
            println!("{report}");
        }
        Command::Sweep { repeat } => sweep(cli.config, repeat, &statements).await?,
        Command::Serve => {
            let bind = cli.config.bind;
            let demo = cli.config.demo;
            let state = bazaar_server::build_state(cli.config).await.context("starting up")?;
            let listener = tokio::net::TcpListener::bind(bind).await.with_context(|| format!("binding {bind}"))?;
            tracing::info!(address = %listener.local_addr()?, demo, "Bazaar backend listening");
            bazaar_server::serve(listener, state, shutdown_signal()).await.context("serving")?;
            tracing::info!("stopped");
        }
    }
    Ok(())
}

/// Adds generated benchmark data (`generate-catalog`, `-apps`, `-buyers`, `-support`).
async fn generate(config: &bazaar_server::config::Config, command: Command) -> anyhow::Result<()> {
    let database = bazaar_server::infra::db::connect(&config.database_url, config.database_pool_size)
        .await
        .context("opening the database")?;
    let now = time::OffsetDateTime::now_utc().unix_timestamp();
    match command {
        Command::GenerateCatalog { products } => {
            bazaar_server::demo::catalog_seed::generate_products(&database, products, now)
                .await
                .context("generating products")?
        }
        Command::GenerateApps { apps } => {
            bazaar_server::demo::apps::generate(&database, apps, now).await.context("generating apps")?
        }
        Command::GenerateBuyers { buyers } => {
            bazaar_server::demo::buyers::generate(&database, buyers, now).await.context("generating buyers")?
        }
        Command::GenerateSupport { tickets, reviews } => {
            bazaar_server::demo::support_bench::generate(&database, tickets, reviews, now)
                .await
                .context("generating tickets and reviews")?
        }
        _ => {}
    }
    Ok(())
}

/// Runs the lifecycle sweeper `repeat` times, printing each sweep's time, statements and
/// work as JSON (for the lifecycle benchmark).
async fn sweep(
    config: bazaar_server::config::Config,
    repeat: usize,
    statements: &bazaar_server::infra::statement_count::StatementCounter,
) -> anyhow::Result<()> {
    let state = bazaar_server::build_state(config).await.context("starting up")?;
    for _ in 0..repeat {
        let started = std::time::Instant::now();
        let statements_before = statements.total();
        let report = bazaar_server::domain::lifecycle::sweep_once(&state).await.context("sweeping")?;
        let millis = started.elapsed().as_secs_f64() * 1000.0;
        let queries = statements.total() - statements_before;
        println!("{}", serde_json::json!({ "ms": millis, "queries": queries, "report": format!("{report:?}") }));
    }
    Ok(())
}

/// Completes on Ctrl-C or SIGTERM, so in-flight requests finish before the process exits.
async fn shutdown_signal() {
    let interrupt = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        if let Ok(mut signal) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            signal.recv().await;
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        _ = interrupt => {},
        _ = terminate => {},
    }
}

/// `generate-metered-apps`: the usage benchmarks' apps; prints the sellers and first app.
async fn generate_metered_apps(
    config: &bazaar_server::config::Config,
    apps: usize,
    buyer_apps: usize,
    hours: i64,
) -> anyhow::Result<()> {
    let database = bazaar_server::infra::db::connect(&config.database_url, config.database_pool_size)
        .await
        .context("opening the database")?;
    let now = time::OffsetDateTime::now_utc().unix_timestamp();
    let generated = bazaar_server::demo::metered_bench::generate(&database, apps, buyer_apps, hours, now)
        .await
        .context("generating pay-per-use apps")?;
    println!("{}", serde_json::to_string(&generated)?);
    Ok(())
}

/// `seller-key`: a seller's access key in hex, opened with the master keys.
async fn print_seller_key(config: &bazaar_server::config::Config, seller: i64) -> anyhow::Result<()> {
    let keys = bazaar_server::master_keys(config).context("reading the master keys")?;
    let database = bazaar_server::infra::db::connect(&config.database_url, config.database_pool_size)
        .await
        .context("opening the database")?;
    let key = bazaar_server::domain::secrets::seller_key(&database, &keys, seller)
        .await
        .context("reading the key")?
        .context("no such seller")?;
    println!("{}", key.to_hex());
    Ok(())
}
