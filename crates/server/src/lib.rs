//! Bazaar's reference backend: the `/api/v1` HTTP contract over axum and SQLite.
//!
//! `app(state)` builds the whole router; `main.rs` only parses configuration and serves.
//! Each resource lives in its own module under `routes/` with its own `router()`, and the
//! OpenAPI document is assembled from the handlers' annotations by `utoipa`.

pub mod access;
pub mod auth;
pub mod catalog_content;
pub mod catalog_seed;
pub mod clock;
pub mod config;
pub mod crypto;
pub mod db;
pub mod error;
pub mod extract;
pub mod limits;
pub mod list_query;
pub mod outbound;
pub mod passwords;
pub mod payments;
pub mod provisioning;
pub mod routes;
pub mod search_index;
pub mod secrets;
pub mod security;
pub mod seed;
pub mod state;
pub mod static_files;
pub mod supervision;
pub mod throttle;
pub mod verify;

use std::sync::Arc;

use axum::Router;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use tower_http::compression::CompressionLayer;
use tower_http::trace::TraceLayer;
use utoipa::OpenApi;
use utoipa_axum::router::OpenApiRouter;

use crate::clock::Clock;
use crate::config::Config;
use crate::error::ApiError;
use crate::passwords::Passwords;
use crate::state::AppState;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Bazaar API",
        version = "1",
        description = "The HTTP contract between the Bazaar single-page app and its backend. \
                       JSON everywhere; money in integer minor units; times in RFC 3339 UTC. \
                       Errors share one body: `code`, `message`, `field_errors`."
    ),
    tags(
        (name = "health", description = "Liveness"),
        (name = "session", description = "Log in, log out, who am I, the account's sessions"),
        (name = "catalog", description = "Categories, product search with facets, product details"),
        (name = "favorites", description = "Saved products (My Favorites)"),
        (name = "orders", description = "Checkout (idempotent), payment, My Orders"),
        (name = "payments", description = "Balance, card on file, credit"),
        (name = "purchased-apps", description = "What the customer owns; Resource Details; audited credential reveal"),
        (name = "supervision", description = "Service supervision flows: timeline, rules, actions of every role"),
        (name = "vpcs", description = "The customer's VPCs for image products"),
        (name = "demo", description = "Demo mode only: the movable clock and the built-in seller endpoint"),
    )
)]
struct ApiDoc;

/// The API's routes together with the OpenAPI document generated from them. Demo-only
/// routes are routed and documented only when `demo` is set.
fn api(demo: bool) -> (Router<AppState>, utoipa::openapi::OpenApi) {
    let v1 = OpenApiRouter::new()
        .merge(routes::health::router())
        .merge(routes::session::router())
        .merge(routes::account_sessions::router())
        .merge(routes::catalog::router())
        .merge(routes::favorites::router())
        .merge(routes::orders::router())
        .merge(routes::payment_methods::router())
        .merge(routes::vpcs::router())
        .merge(routes::purchased_apps::router())
        .merge(routes::supervision::router());
    let (router, mut document) =
        OpenApiRouter::with_openapi(ApiDoc::openapi()).nest(bazaar_core::API_PREFIX, v1).split_for_parts();
    let (demo_router, demo_document) = OpenApiRouter::new()
        .nest(bazaar_core::API_PREFIX, routes::demo::router().merge(routes::demo_seller::router()))
        .split_for_parts();
    let router = if demo {
        document.merge(demo_document);
        router.merge(demo_router)
    } else {
        router
    };
    access::document_common_responses(&mut document);
    (router, document)
}

/// The production OpenAPI document (without the demo-only routes), as committed in
/// `crates/server/openapi.json`.
pub fn openapi_json() -> String {
    openapi_document_json(false)
}

/// The OpenAPI document a server in demo mode (`true`) or production serves.
pub fn openapi_document_json(demo: bool) -> String {
    let (_, document) = api(demo);
    let mut json = document.to_pretty_json().expect("the OpenAPI document serialises");
    json.push('\n');
    json
}

#[derive(Debug, thiserror::Error)]
pub enum StartupError {
    #[error("database: {0}")]
    Database(#[from] sqlx::Error),
    #[error("migrations: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("seeding demo data: {0}")]
    Seed(#[from] ApiError),
    #[error("I/O (static directory or listener): {0}")]
    Io(#[from] std::io::Error),
    #[error("configuration: {0}")]
    Config(String),
}

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
async fn refuse_demo_data(db: &sqlx::SqlitePool) -> Result<(), StartupError> {
    let marked: bool = sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM demo_data)").fetch_one(db).await?;
    let mut demo_accounts = 0_i64;
    for account in seed::DEMO_ACCOUNTS {
        demo_accounts += sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM accounts WHERE username = ?")
            .bind(account.username)
            .fetch_one(db)
            .await?;
    }
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
    let db = db::connect(&config.database_url).await?;
    let offset: i64 = if config.demo {
        sqlx::query_scalar("SELECT offset_seconds FROM demo_clock WHERE id = 1").fetch_optional(&db).await?.unwrap_or(0)
    } else {
        refuse_demo_data(&db).await?;
        0
    };
    // An offset beyond the cap (written by an older build) is read as the cap.
    let clock = Clock::with_offset(offset);
    let passwords = Passwords::default();
    if config.demo {
        seed::seed_if_empty(&db, &passwords, clock.unix_now()).await?;
        catalog_seed::seed_catalog_if_empty(&db, clock.unix_now()).await?;
        seed::seed_demo_funds_if_empty(&db, clock.unix_now()).await?;
    }
    secrets::seal_everything(&db, &master_keys).await?;
    let catalog = search_index::CatalogHandle::load(&db).await?;
    let provisioning = provisioning::Provisioning::new(
        std::time::Duration::from_millis(config.provisioning_timeout_ms.max(1)),
        config.demo,
    );
    Ok(AppState { db, config: Arc::new(config), clock, passwords, catalog, master_keys, provisioning })
}

/// The whole HTTP application: API, OpenAPI document, optional SPA, and the layers every
/// response passes through (outermost first: tracing, security headers, CORS, the shared
/// error body, the time limit, the body limit, the origin check; then, for API routes, the
/// access table and compression).
pub fn app(state: AppState) -> Result<Router, StartupError> {
    let (api, document) = api(state.config.demo);
    let document = Arc::new(document);
    let api = api
        .route(
            "/api/v1/openapi.json",
            axum::routing::get(move || {
                let document = document.clone();
                async move { axum::Json(document.as_ref().clone()) }
            }),
        )
        // Unknown API paths answer with the error body, never with the SPA's HTML.
        .route("/api/{*rest}", axum::routing::any(|| async { ApiError::NotFound }))
        .layer(axum::middleware::from_fn_with_state(state.clone(), access::enforce))
        .layer(CompressionLayer::new());
    let mut router = api;
    if let Some(dir) = state.config.static_dir.clone() {
        router = router.merge(static_files::router(&dir)?);
    } else {
        router = router.fallback(|| async { (StatusCode::NOT_FOUND, ApiError::NotFound).into_response() });
    }
    Ok(router
        .layer(axum::middleware::from_fn_with_state(state.clone(), security::check_origin))
        .layer(axum::middleware::from_fn(limits::limit_body))
        .layer(axum::middleware::from_fn_with_state(state.clone(), limits::time_limit))
        .layer(axum::middleware::from_fn_with_state(state.clone(), limits::error_bodies))
        .layer(security::cors_layer(&state))
        .layer(axum::middleware::from_fn_with_state(state.clone(), security::security_headers))
        .layer(TraceLayer::new_for_http())
        .with_state(state))
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
    state.provisioning.set_self_url(self_url);
    let worker = tokio::spawn(provisioning::run_worker(state.clone()));
    let sweeper = tokio::spawn(supervision::run_sweeper(state.clone()));
    let router = app(state)?;
    let served = axum::serve(listener, router.into_make_service_with_connect_info::<std::net::SocketAddr>())
        .with_graceful_shutdown(shutdown)
        .await;
    worker.abort();
    sweeper.abort();
    served?;
    Ok(())
}
