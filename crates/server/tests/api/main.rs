//! The server's integration tests: one binary (one link, as zero2prod does), a module per
//! area. Every test starts the real server on a fresh database through `common::spawn_app`.

mod catalog;
mod common;
mod demo;
mod favorites;
mod invoice_documents;
mod invoices;
mod lifecycle;
mod openapi;
mod orders;
mod purchased_apps;
mod reviews;
mod schema;
mod search_engines;
mod search_links;
mod security;
mod session;
mod statements;
mod supervision;
mod support;
mod trials;
mod usage;
