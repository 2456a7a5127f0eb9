//! One routed page per file; `app.rs` maps paths to these.

pub mod account;
pub mod app_detail;
pub mod app_usage;
pub mod apps;
pub mod bill;
pub mod billing;
pub mod favorites;
pub mod home;
pub mod invoices;
pub mod login;
pub mod messages;
pub mod not_found;
pub mod order_detail;
pub mod order_payment;
pub mod orders;
pub mod product;
pub mod products;
pub mod purchase;
pub mod renewals;
pub mod request_templates;
pub mod seller_notices;
pub mod supervision;
pub mod supervision_detail;
pub mod support;
pub mod terms;
pub mod unsubscribe;
