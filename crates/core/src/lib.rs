//! Bazaar's shared vocabulary: the JSON wire types of `/api/v1` and the pure domain rules
//! (money, validation, pricing, supervision) that both the SPA and the backend apply.
//!
//! Nothing here performs I/O or reads a clock; callers pass "now" in. That keeps every rule
//! testable with plain unit and property tests and lets the backend stay the authority
//! while the SPA renders the very same decisions.

pub mod account;
pub mod apps;
pub mod catalog;
pub mod error;
pub mod money;
pub mod orders;
pub mod pricing;
pub mod regions;
pub mod security;
pub mod supervision;
pub mod validation;

/// Version prefix of every API path; the SPA and the backend both build URLs from it.
pub const API_PREFIX: &str = "/api/v1";
