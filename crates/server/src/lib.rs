//! Bazaar's reference backend: the `/api/v1` HTTP contract over axum and SQLite.
//!
//! Rooms: `http` (routes, extractors, the access table, error answers), `domain` (what
//! the marketplace does: orders, payments, provisioning, supervision, search, sessions),
//! `infra` (database, cryptography, clock, passwords, outbound calls) and
//! `demo` (demo data, the demo clock and the built-in demo seller). Arrows point one way:
//! http → domain → infra; demo may use anything. `build_state` opens everything, `serve`
//! runs the HTTP app with the background workers; `main.rs` only parses configuration.

pub mod config;
pub mod demo;
pub mod domain;
pub mod error;
pub mod http;
pub mod infra;
pub mod state;
pub mod store;

use std::sync::Arc;

use crate::config::Config;
use crate::domain::secrets;
pub use crate::error::StartupError;
use crate::infra::clock::Clock;
use crate::infra::crypto;
use crate::infra::db::{self, Database};
use crate::infra::passwords::Passwords;
use crate::state::AppState;

pub use crate::http::{app, openapi_document_json, openapi_json};

/// The master keys from the configuration: the environment's text, else the key file;
/// demo mode falls back to its fixed development key.
pub fn master_keys(config: &Config) -> Result<crypto::MasterKeys, StartupError> {
    let text = match (&config.secret_key, &config.secret_key_file) {
        (Some(text), _) => text.expose().to_owned(),
        (None, Some(path)) => std::fs::read_to_string(path).map_err(|error| {
            StartupError::Config(format!("reading the secret key file {}: {error}", path.display()))
        })?,
        (None, None) if config.demo => return Ok(crypto::MasterKeys::demo()),
        (None, None) => {
            return Err(StartupError::Config(
                "BAZAAR_SECRET_KEY (or --secret-key-file) is required outside demo mode".to_owned(),
            ));
        }
    };
    crypto::MasterKeys::parse(&text).map_err(|error| StartupError::Config(format!("the master key: {error}")))
}

/// Refuses a production start on a database that holds demo data: demo accounts share one
/// published password.
async fn refuse_demo_data(db: &Database) -> Result<(), StartupError> {
    let marked = store::demo_marks::marked(db).await?;
    let usernames: Vec<&str> = demo::seed::DEMO_ACCOUNTS.iter().map(|account| account.username).collect();
    let demo_accounts = store::demo_marks::accounts_named(db, &usernames).await?;
    if marked || demo_accounts > 0 {
        return Err(StartupError::Config(
            "this database holds demo data (demo accounts share a published password); \
             start with --demo, or use a database without demo data"
                .to_owned(),
        ));
    }
    Ok(())
}

/// Opens (creating and migrating) the database and assembles the shared state. In demo
/// mode, also seeds demo data into an empty database and restores the demo clock; outside
/// demo mode, refuses a database with demo data. Seals every secret at rest with the
/// current master key.
pub async fn build_state(config: Config) -> Result<AppState, StartupError> {
    if !config.demo && !config.cookies_are_secure() {
        return Err(StartupError::Config(
            "session cookies may be sent over plain http (--secure-cookies false) only in demo mode".to_owned(),
        ));
    }
    let master_keys = master_keys(&config)?;
    let db = db::connect(&config.database_url, config.database_pool_size).await?;
    let offset: i64 = if config.demo {
        store::demo_marks::clock_offset(&db).await?.unwrap_or(0)
    } else {
        refuse_demo_data(&db).await?;
        0
    };
    // An offset beyond the cap (written by an older build) is read as the cap.
    let clock = Clock::with_offset(offset);
    let passwords = Passwords::default();
    // Instances started together on one PostgreSQL database take turns from here to the
    // end of seeding, so an empty database is seeded once and secrets resealed once.
    let start_up = db.lead_start_up().await?;
    if config.demo {
        demo::seed::seed_if_empty(&db, &passwords, clock.unix_now()).await?;
        demo::catalog_seed::seed_catalog_if_empty(&db, clock.unix_now()).await?;
        demo::seed::seed_demo_funds_if_empty(&db, clock.unix_now()).await?;
    }
    secrets::seal_everything(&db, &master_keys).await?;
    let catalog = domain::search::CatalogHandle::load(&db).await?;
    let sellers = infra::outbound::SellerCalls::new(
        std::time::Duration::from_millis(config.provisioning_timeout_ms.max(1)),
        config.demo,
    );
    let invoice_font = infra::fonts::InvoiceFont::new(config.invoice_font.clone(), config.invoice_font_index);
    let state = AppState {
        db,
        config: Arc::new(config),
        clock,
        passwords,
        catalog,
        master_keys,
        sellers,
        provisioning_work: infra::work::WorkSignal::default(),
        usage_calls: infra::rate_limit::WindowLimiter::new(
            http::usage::CALLS_PER_MINUTE,
            std::time::Duration::from_secs(60),
        ),
        invoice_font,
        support_figures: infra::ttl_cache::TtlCache::new(
            std::num::NonZeroUsize::new(10_000).expect("non-zero"),
            domain::support::reviews::FIGURES_FOR,
        ),
    };
    if state.config.demo && state.config.demo_apps {
        demo::apps::seed_if_missing(&state).await?;
        demo::reviews::buy_for_reviewers(&state).await?;
    }
    drop(start_up);
    Ok(state)
}

/// Serves `app` on `listener` until `shutdown` completes, finishing in-flight requests,
/// and runs the provisioning worker alongside.
pub async fn serve(
    listener: tokio::net::TcpListener,
    state: AppState,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> Result<(), StartupError> {
    let self_url = match &state.config.self_url {
        Some(url) => url.trim_end_matches('/').to_owned(),
        None => format!("http://{}", listener.local_addr()?),
    };
    state.sellers.set_self_url(self_url);
    let worker = tokio::spawn(domain::provisioning::run_worker(state.clone()));
    let sweeps = state.config.background_sweeps;
    let sweeper = sweeps.then(|| tokio::spawn(domain::supervision::run_sweeper(state.clone())));
    let lifecycle = sweeps.then(|| tokio::spawn(domain::lifecycle::run_sweeper(state.clone())));
    // The demo sellers' usage meters call this server's usage API like real sellers would.
    let meters = (sweeps && state.config.demo).then(|| tokio::spawn(demo::usage_meter::run(state.clone())));
    // The demo buyers' reviews need their purchases delivered, by the worker above.
    let reviews = (state.config.demo && state.config.demo_apps)
        .then(|| tokio::spawn(demo::reviews::write_when_delivered(state.clone())));
    let catalog = tokio::spawn(domain::search::across_instances::follow(state.db.clone(), state.catalog.clone()));
    let router = app(state)?;
    let served = axum::serve(listener, router.into_make_service_with_connect_info::<std::net::SocketAddr>())
        .with_graceful_shutdown(shutdown)
        .await;
    worker.abort();
    for sweep in [sweeper, lifecycle, meters, reviews].into_iter().flatten() {
        sweep.abort();
    }
    catalog.abort();
    served?;
    Ok(())
}
