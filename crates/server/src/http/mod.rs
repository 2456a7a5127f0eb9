//! The HTTP layer: one module per API resource (its `router()` and handlers), the
//! extractors, the access table, the error answers, limits, security headers and the
//! static files of the SPA. `app(state)` assembles them; the OpenAPI document is generated
//! from the handlers' annotations by `utoipa`. Only `lib.rs` uses this module: the domain
//! below it never sees an HTTP type.

pub mod access;
pub mod account_sessions;
pub mod auth;
pub mod billing;
pub mod catalog;
pub mod error_response;
pub mod extract;
pub mod favorites;
pub mod health;
pub mod invoices;
pub mod limits;
pub mod list_query;
pub mod messages;
pub mod orders;
pub mod payment_methods;
pub mod purchased_apps;
pub mod renewals;
pub mod reviews;
pub mod security;
pub mod seller_invoices;
pub mod seller_notices;
pub mod session;
pub mod static_files;
pub mod supervision;
pub mod tickets;
pub mod trials;
pub mod unsubscription;
pub mod usage;
pub mod vpcs;

use std::sync::Arc;

use axum::Router;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use tower_http::compression::CompressionLayer;
use tower_http::trace::TraceLayer;
use utoipa::OpenApi;
use utoipa_axum::router::OpenApiRouter;

use crate::error::{ApiError, StartupError};
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
        (name = "renewals", description = "Renewal Management: apps with a term, renewal orders, auto-renew"),
        (name = "messages", description = "The Messages centre: expiry, renewal, order and supervision news"),
        (name = "supervision", description = "Service supervision flows: timeline, rules, actions of every role"),
        (name = "vpcs", description = "The customer's VPCs for image products"),
        (name = "invoices", description = "Invoice Management: invoice profiles, what can be invoiced, invoices and credit notes"),
        (name = "support", description = "After-Sales Support: tickets with the seller's 24-hour answer, escalation to operations, attachments"),
        (name = "demo", description = "Demo mode only: the movable clock and the built-in seller endpoint"),
    )
)]
struct ApiDoc;

/// The API's routes together with the OpenAPI document generated from them. Demo-only
/// routes are routed and documented only when `demo` is set.
fn api(demo: bool) -> (Router<AppState>, utoipa::openapi::OpenApi) {
    let v1 = OpenApiRouter::new()
        .merge(health::router())
        .merge(session::router())
        .merge(account_sessions::router())
        .merge(catalog::router())
        .merge(favorites::router())
        .merge(orders::router())
        .merge(payment_methods::router())
        .merge(vpcs::router())
        .merge(purchased_apps::router())
        .merge(renewals::router())
        .merge(unsubscription::router())
        .merge(messages::router())
        .merge(seller_notices::router())
        .merge(supervision::router())
        .merge(usage::router())
        .merge(billing::router())
        .merge(trials::router())
        .merge(invoices::router())
        .merge(seller_invoices::router())
        .merge(tickets::router())
        .merge(reviews::router());
    let (router, mut document) =
        OpenApiRouter::with_openapi(ApiDoc::openapi()).nest(bazaar_core::API_PREFIX, v1).split_for_parts();
    let (demo_router, demo_document) = OpenApiRouter::new()
        .nest(bazaar_core::API_PREFIX, crate::demo::clock::router().merge(crate::demo::seller::router()))
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
