//! Bazaar's reference backend: the `/api/v1` HTTP contract over axum and SQLite.
//!
//! `app(state)` builds the whole router; `main.rs` only parses configuration and serves.
//! Each resource lives in its own module under `routes/` with its own `router()`, and the
//! OpenAPI document is assembled from the handlers' annotations by `utoipa`.

pub mod auth;
pub mod catalog_content;
pub mod catalog_seed;
pub mod clock;
pub mod config;
pub mod crypto;
pub mod db;
pub mod error;
pub mod extract;
pub mod list_query;
pub mod passwords;
pub mod payments;
pub mod provisioning;
pub mod routes;
pub mod search_index;
pub mod security;
pub mod seed;
pub mod state;
pub mod static_files;
pub mod supervision;
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
        (name = "session", description = "Log in, log out, who am I"),
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
/// routes are documented always, but routed only when `demo` is set.
fn api(demo: bool) -> (Router<AppState>, utoipa::openapi::OpenApi) {
    let v1 = OpenApiRouter::new()
        .merge(routes::health::router())
        .merge(routes::session::router())
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
    document.merge(demo_document);
    let router = if demo { router.merge(demo_router) } else { router };
    (router, document)
}

/// The OpenAPI document, as committed in `crates/server/openapi.json`.
pub fn openapi_json() -> String {
    let (_, document) = api(true);
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

/// Opens (creating and migrating) the database and assembles the shared state. In demo
/// mode, also seeds demo data into an empty database and restores the demo clock.
pub async fn build_state(config: Config) -> Result<AppState, StartupError> {
    if !config.demo && config.secret_key.is_none() {
        return Err(StartupError::Config(
            "BAZAAR_SECRET_KEY (or --secret-key) is required outside demo mode".to_owned(),
        ));
    }
    let secret_key = match &config.secret_key {
        Some(hex) => crypto::SecretKey::from_hex(hex).map_err(|error| StartupError::Config(error.to_string()))?,
        None => crypto::SecretKey::demo(),
    };
    let db = db::connect(&config.database_url).await?;
    let offset: i64 = if config.demo {
        sqlx::query_scalar("SELECT offset_seconds FROM demo_clock WHERE id = 1").fetch_optional(&db).await?.unwrap_or(0)
    } else {
        0
    };
    let clock = Clock::with_offset(offset);
    let passwords = Passwords::default();
    if config.demo {
        seed::seed_if_empty(&db, &passwords, clock.unix_now()).await?;
        catalog_seed::seed_catalog_if_empty(&db, clock.unix_now()).await?;
        seed::seed_demo_funds_if_empty(&db, clock.unix_now()).await?;
    }
    let catalog = search_index::CatalogHandle::load(&db).await?;
    let provisioning =
        provisioning::Provisioning::new(std::time::Duration::from_millis(config.provisioning_timeout_ms.max(1)));
    Ok(AppState { db, config: Arc::new(config), clock, passwords, catalog, secret_key, provisioning })
}

/// The whole HTTP application: API, OpenAPI document, optional SPA, and the layers every
/// response passes through.
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
        .layer(CompressionLayer::new());
    let mut router = api;
    if let Some(dir) = state.config.static_dir.clone() {
        router = router.merge(static_files::router(&dir)?);
    } else {
        router = router.fallback(|| async { (StatusCode::NOT_FOUND, ApiError::NotFound).into_response() });
    }
    Ok(router
        .layer(axum::middleware::from_fn_with_state(state.clone(), security::check_origin))
        .layer(security::cors_layer(&state))
        .layer(axum::middleware::from_fn(security::security_headers))
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
