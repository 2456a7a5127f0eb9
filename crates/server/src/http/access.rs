//! Who may call which route: the one table that says so, the middleware that enforces it
//! before any handler runs, and the error responses it adds to the OpenAPI document.
//!
//! Handlers still scope what they return to the caller (a buyer's own orders, a seller's
//! own products); this table decides only whether the caller's role may ask at all. A route
//! missing from the table is refused, so forgetting an entry fails closed, and a test walks
//! the OpenAPI document to check that every operation has one.

use axum::extract::{FromRequestParts, MatchedPath, Request, State};
use axum::http::Method;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use bazaar_core::account::Role;
use utoipa::openapi::path::{HttpMethod, Operation};
use utoipa::openapi::{ContentBuilder, OpenApi, Ref, ResponseBuilder};

use crate::error::ApiError;
use crate::http::auth::CurrentAccount;
use crate::state::AppState;

/// Who may call a route.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Anyone, signed in or not (the catalog, logging in).
    Anyone,
    /// Server-to-server calls authenticated by an HMAC signature over the request, not by a
    /// session cookie; so the browser-oriented origin check does not apply to them.
    Signed,
    /// Any signed-in account; the handler scopes the answer to the caller's role.
    SignedIn,
    /// Buyers and reseller customers: the people who buy and own apps.
    Customers,
    Sellers,
    Operations,
}

impl Access {
    pub fn allows(self, role: Role) -> bool {
        match self {
            Access::Anyone | Access::Signed | Access::SignedIn => true,
            Access::Customers => role.is_customer(),
            Access::Sellers => role == Role::Seller,
            Access::Operations => role == Role::Operations,
        }
    }

    pub fn needs_session(self) -> bool {
        !matches!(self, Access::Anyone | Access::Signed)
    }

    /// Whether some signed-in roles are refused.
    pub fn limits_roles(self) -> bool {
        matches!(self, Access::Customers | Access::Sellers | Access::Operations)
    }
}

/// The message of a 403 that this table (and not a handler) gave; tests look for it.
pub const ROLE_REFUSED: &str = "Your account's role cannot use this.";

use Access::*;

/// Every route of the API: method, path as the router (and the OpenAPI document) spell it,
/// and who may call it.
pub const ROUTES: &[(&str, &str, Access)] = &[
    ("GET", "/api/v1/health", Anyone),
    // Session: logging in and out must work without (or with a dead) session.
    ("POST", "/api/v1/session", Anyone),
    // Who am I: a visitor gets 204, not 401.
    ("GET", "/api/v1/session", Anyone),
    ("DELETE", "/api/v1/session", Anyone),
    ("POST", "/api/v1/session/reauthenticate", SignedIn),
    ("GET", "/api/v1/account/sessions", SignedIn),
    ("DELETE", "/api/v1/account/sessions", SignedIn),
    ("DELETE", "/api/v1/account/sessions/{session_id}", SignedIn),
    // Catalog: public.
    ("GET", "/api/v1/categories", Anyone),
    ("GET", "/api/v1/products", Anyone),
    ("GET", "/api/v1/products/popular", Anyone),
    ("GET", "/api/v1/products/{product_id}", Anyone),
    // What customers save, buy and own.
    ("GET", "/api/v1/products/{product_id}/trial", Customers),
    ("GET", "/api/v1/favorites", Customers),
    ("PUT", "/api/v1/favorites/{product_id}", Customers),
    ("DELETE", "/api/v1/favorites/{product_id}", Customers),
    ("GET", "/api/v1/account/payment-options", Customers),
    ("PUT", "/api/v1/account/card", Customers),
    ("DELETE", "/api/v1/account/card", Customers),
    ("GET", "/api/v1/vpcs", Customers),
    ("POST", "/api/v1/vpcs", Customers),
    ("GET", "/api/v1/orders", Customers),
    ("POST", "/api/v1/orders", Customers),
    ("GET", "/api/v1/orders/{order_id}", Customers),
    ("POST", "/api/v1/orders/{order_id}/payment", Customers),
    ("POST", "/api/v1/orders/{order_id}/cancel", Customers),
    ("GET", "/api/v1/purchased-apps", Customers),
    ("GET", "/api/v1/purchased-apps/{app_id}", Customers),
    ("POST", "/api/v1/purchased-apps/{app_id}/credentials/reveal", Customers),
    ("GET", "/api/v1/purchased-apps/{app_id}/unsubscription-quote", Customers),
    ("POST", "/api/v1/purchased-apps/{app_id}/unsubscribe", Customers),
    ("GET", "/api/v1/renewals", Customers),
    ("POST", "/api/v1/renewals", Customers),
    ("PUT", "/api/v1/renewals/{app_id}/auto-renew", Customers),
    // Invoice Management: the buyer's own profiles and invoices.
    ("GET", "/api/v1/invoice-profiles", Customers),
    ("POST", "/api/v1/invoice-profiles", Customers),
    ("PUT", "/api/v1/invoice-profiles/{profile_id}", Customers),
    ("DELETE", "/api/v1/invoice-profiles/{profile_id}", Customers),
    ("GET", "/api/v1/invoices/invoiceable", Customers),
    ("GET", "/api/v1/invoices", Customers),
    ("POST", "/api/v1/invoices", Customers),
    // The document: its buyer and its issuer (a seller; operations for Bazaar's); the
    // handler decides, and answers 404 to anyone else.
    ("GET", "/api/v1/invoices/{invoice_id}/pdf", SignedIn),
    // After-Sales Support: buyers open and follow their tickets, sellers their queue,
    // operations the escalated ones; a ticket and its files are for its parties (the
    // handler decides, 404 to anyone else), who act as the rules allow them.
    ("GET", "/api/v1/tickets", Customers),
    ("POST", "/api/v1/tickets", Customers),
    ("GET", "/api/v1/seller/tickets", Sellers),
    ("GET", "/api/v1/operations/tickets", Operations),
    ("GET", "/api/v1/tickets/{ticket_id}", SignedIn),
    ("POST", "/api/v1/tickets/{ticket_id}/actions", SignedIn),
    ("GET", "/api/v1/tickets/{ticket_id}/attachments/{attachment_id}", SignedIn),
    // Reviews: anyone reads them; buyers write their own, the product's seller answers
    // (the handler checks it is theirs), operations hide.
    ("GET", "/api/v1/products/{product_id}/reviews", Anyone),
    ("PUT", "/api/v1/products/{product_id}/review", Customers),
    ("POST", "/api/v1/reviews/{review_id}/answer", Sellers),
    ("POST", "/api/v1/reviews/{review_id}/hide", Operations),
    // Messages: every role gets some (sellers: their flows; buyers: everything else).
    ("GET", "/api/v1/messages", SignedIn),
    ("GET", "/api/v1/messages/unread-count", SignedIn),
    ("POST", "/api/v1/messages/{message_id}/read", SignedIn),
    ("POST", "/api/v1/messages/read-all", SignedIn),
    // Supervision: every role takes part; the handlers scope flows to the caller's side.
    ("GET", "/api/v1/supervision/flows", SignedIn),
    ("GET", "/api/v1/supervision/flows/{flow_id}", SignedIn),
    ("POST", "/api/v1/supervision/flows/{flow_id}/actions", SignedIn),
    ("GET", "/api/v1/supervision/templates/{product_id}", Sellers),
    ("PUT", "/api/v1/supervision/templates/{product_id}", Sellers),
    ("GET", "/api/v1/seller/notices", Sellers),
    ("GET", "/api/v1/seller/invoices", Sellers),
    ("POST", "/api/v1/seller/invoices/{invoice_id}/issue", Sellers),
    ("POST", "/api/v1/seller/invoices/{invoice_id}/reject", Sellers),
    // Sellers' systems report usage with a signature, not a session.
    ("POST", "/api/v1/seller/usage", Signed),
    // Pay-per-use billing: the customer's own bills, usage and caps.
    ("GET", "/api/v1/billing/bills", Customers),
    ("GET", "/api/v1/billing/bills/{month}/{currency}", Customers),
    ("GET", "/api/v1/billing/bills/{month}/{currency}/csv", Customers),
    ("POST", "/api/v1/billing/outstanding/payment", Customers),
    ("GET", "/api/v1/purchased-apps/{app_id}/usage", Customers),
    ("PUT", "/api/v1/purchased-apps/{app_id}/spending-cap", Customers),
    // Demo mode only (absent otherwise): reading the clock is harmless, moving it is not.
    ("GET", "/api/v1/demo/clock", Anyone),
    ("POST", "/api/v1/demo/clock", Operations),
    // Authenticated by the request's HMAC signature, not by a session.
    ("POST", "/api/v1/demo/sellers/{seller_id}/provision", Signed),
    ("POST", "/api/v1/demo/sellers/{seller_id}/notices", Signed),
];

/// Routes that are not operations of the document: the document itself, and the catch-all
/// that answers unknown API paths with the error body.
pub const UNDOCUMENTED_ROUTES: &[(&str, &str, Access)] =
    &[("GET", "/api/v1/openapi.json", Anyone), ("GET", "/api/{*rest}", Anyone)];

/// The rule of the route a request matched, if it is an API route with one.
pub fn access_of(request: &Request) -> Option<Access> {
    let path = request.extensions().get::<MatchedPath>()?;
    access_for(request.method(), path.as_str())
}

/// The rule for `method` on the route `path` (HEAD is GET's).
pub fn access_for(method: &Method, path: &str) -> Option<Access> {
    let method = if method == Method::HEAD { "GET" } else { method.as_str() };
    ROUTES
        .iter()
        .chain(UNDOCUMENTED_ROUTES)
        .find(|(route_method, route_path, _)| *route_method == method && *route_path == path)
        .map(|(_, _, access)| *access)
}

/// Applies the table before the handler. The account it loads travels on to the handler in
/// the request's extensions, so the session is read once per request.
pub async fn enforce(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let Some(path) = request.extensions().get::<MatchedPath>().map(|path| path.as_str().to_owned()) else {
        return next.run(request).await;
    };
    if !path.starts_with("/api/") {
        return next.run(request).await;
    }
    // The catch-all answers every method of an unknown path with 404.
    let access = if path == "/api/{*rest}" { Some(Anyone) } else { access_for(request.method(), &path) };
    let path_has_rules = ROUTES.iter().any(|(_, route_path, _)| *route_path == path);
    if access.is_none() && path_has_rules {
        // A method the path does not take: the router answers 405 with `Allow`.
        return next.run(request).await;
    }
    let Some(access) = access else {
        // A route without a rule is a bug; refusing keeps it from being open by accident.
        tracing::error!(method = %request.method(), path, "route without an access rule refused");
        return ApiError::Forbidden(ROLE_REFUSED).into_response();
    };
    if !access.needs_session() {
        return next.run(request).await;
    }
    let (mut parts, body) = request.into_parts();
    let account = match CurrentAccount::from_request_parts(&mut parts, &state).await {
        Ok(account) => account,
        Err(error) => return error.into_response(),
    };
    if !access.allows(account.role) {
        tracing::warn!(target: "security", account_id = %account.id, role = account.role.as_str(), method = %parts.method, path,
            "role refused");
        return ApiError::Forbidden(ROLE_REFUSED).into_response();
    }
    parts.extensions.insert(account);
    next.run(Request::from_parts(parts, body)).await
}

fn method_name(method: &HttpMethod) -> &'static str {
    match method {
        HttpMethod::Get => "GET",
        HttpMethod::Post => "POST",
        HttpMethod::Put => "PUT",
        HttpMethod::Delete => "DELETE",
        HttpMethod::Options => "OPTIONS",
        HttpMethod::Head => "HEAD",
        HttpMethod::Patch => "PATCH",
        HttpMethod::Trace => "TRACE",
    }
}

/// Every operation of `document` with its method name and path.
pub fn operations(document: &OpenApi) -> Vec<(&'static str, String)> {
    let mut found = Vec::new();
    for (path, item) in &document.paths.paths {
        for (method, operation) in [
            (HttpMethod::Get, &item.get),
            (HttpMethod::Post, &item.post),
            (HttpMethod::Put, &item.put),
            (HttpMethod::Delete, &item.delete),
            (HttpMethod::Patch, &item.patch),
        ] {
            if operation.is_some() {
                found.push((method_name(&method), path.clone()));
            }
        }
    }
    found
}

/// Adds the error answers every operation can give (and that the handlers' own
/// annotations need not repeat) to the document: a malformed request, the session and role
/// checks of this table, the origin check of state-changing requests, body limits, rate
/// limits, timeouts and server failures, all with the shared error body.
pub fn document_common_responses(document: &mut OpenApi) {
    for (path, item) in document.paths.paths.iter_mut() {
        for (method, operation) in [
            ("GET", item.get.as_mut()),
            ("POST", item.post.as_mut()),
            ("PUT", item.put.as_mut()),
            ("DELETE", item.delete.as_mut()),
            ("PATCH", item.patch.as_mut()),
        ] {
            let Some(operation) = operation else { continue };
            let access = access_for(&Method::from_bytes(method.as_bytes()).expect("method name"), path);
            let safe = method == "GET";
            let has_body = operation.request_body.is_some();
            add_response(operation, "400", "The request is malformed (parameters, headers or body).");
            if access.is_some_and(Access::needs_session) {
                add_response(operation, "401", "No valid session (log in).");
            }
            if access.is_some_and(Access::limits_roles) || (!safe && access != Some(Signed)) {
                add_response(
                    operation,
                    "403",
                    "The account's role cannot use this, or the request came from an origin that is not allowed.",
                );
            }
            if has_body {
                add_response(operation, "413", "The body is larger than the API accepts.");
                add_response(operation, "415", "The body is not JSON.");
            }
            add_response(operation, "429", "Too many requests; see `Retry-After`.");
            add_response(operation, "500", "Something failed on the server (details only in its log).");
            add_response(operation, "503", "The server could not answer in time; nothing changed.");
        }
    }
}

fn add_response(operation: &mut Operation, status: &str, description: &str) {
    if operation.responses.responses.contains_key(status) {
        return;
    }
    let response = ResponseBuilder::new()
        .description(description)
        .content("application/json", ContentBuilder::new().schema(Some(Ref::from_schema_name("ErrorBody"))).build())
        .build();
    operation.responses.responses.insert(status.to_owned(), response.into());
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_has_one_rule_per_route() {
        let mut seen = std::collections::HashSet::new();
        for (method, path, _) in ROUTES.iter().chain(UNDOCUMENTED_ROUTES) {
            assert!(seen.insert((method, path)), "{method} {path} is listed twice");
        }
    }

    #[test]
    fn roles_map_to_access() {
        assert!(Customers.allows(Role::Buyer) && Customers.allows(Role::ResellerCustomer));
        assert!(!Customers.allows(Role::Seller) && !Customers.allows(Role::Operations));
        assert!(Sellers.allows(Role::Seller) && !Sellers.allows(Role::Buyer));
        assert!(Operations.allows(Role::Operations) && !Operations.allows(Role::Seller));
        assert_eq!(access_for(&Method::HEAD, "/api/v1/products"), Some(Anyone));
        assert_eq!(access_for(&Method::PATCH, "/api/v1/products"), None);
    }
}
