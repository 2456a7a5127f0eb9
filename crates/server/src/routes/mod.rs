//! One module per API resource, each with its own `router()`.

pub mod demo;
pub mod health;
pub mod session;
