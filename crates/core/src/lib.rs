//! Bazaar's shared vocabulary: the JSON wire types of `/api/v1` and the pure domain rules
//! (money, validation, pricing, supervision) that both the SPA and the backend apply.
//!
//! Nothing here performs I/O or reads a clock; callers pass "now" in. That keeps every rule
//! testable with plain unit and property tests and lets the backend stay the authority
//! while the SPA renders the very same decisions.

/// `as_str()` for enums whose stable names (database values, URL parameters) strum derives
/// from their `serialize_all` attribute; parsing is their derived `FromStr`.
macro_rules! stable_names {
    ($($name:ty),* $(,)?) => {$(
        impl $name {
            /// The stable name: what the database stores and URLs carry.
            pub fn as_str(self) -> &'static str {
                self.into()
            }
        }
    )*};
}

pub mod account;
pub mod apps;
pub mod catalog;
pub mod error;
pub mod error_body;
pub mod favorites;
pub mod ids;
pub mod invoices;
pub mod lifecycle;
pub mod messages;
pub mod money;
pub mod notices;
pub mod orders;
pub mod payment;
pub mod pricing;
pub mod regions;
pub mod search_state;
pub mod security;
pub mod supervision;
pub mod support;
pub mod trials;
pub mod usage;
pub mod validation;

/// Version prefix of every API path; the SPA and the backend both build URLs from it.
pub const API_PREFIX: &str = "/api/v1";
