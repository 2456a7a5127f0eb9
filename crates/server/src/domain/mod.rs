//! What the marketplace does, independent of HTTP: payments and the ledger, provisioning,
//! service supervision, what time brings after a purchase (lifecycle), catalog search,
//! login throttling, secrets at rest and the integrity check.

pub mod catalog;
pub mod checkout;
pub mod fulfilment;
pub mod invoices;
pub mod lifecycle;
pub mod messages;
pub mod notices;
pub mod orders;
pub mod payments;
pub mod provisioning;
pub mod search;
pub mod secrets;
pub mod supervision;
pub mod support;
pub mod throttle;
pub mod usage;
pub mod verify;
pub mod vpcs;
