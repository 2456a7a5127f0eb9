//! One module per API resource, each with its own `router()`.

pub mod catalog;
pub mod demo;
pub mod favorites;
pub mod health;
pub mod session;
