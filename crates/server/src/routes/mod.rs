//! One module per API resource, each with its own `router()`.

pub mod account_sessions;
pub mod catalog;
pub mod demo;
pub mod demo_seller;
pub mod favorites;
pub mod health;
pub mod orders;
pub mod payment_methods;
pub mod purchased_apps;
pub mod session;
pub mod supervision;
pub mod vpcs;
