//! One module per API resource, each with its own `router()`.

pub mod health;
pub mod session;
