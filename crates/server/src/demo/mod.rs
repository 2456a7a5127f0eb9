//! Demo mode's room: demo accounts and money, the demo catalog and its content, the movable
//! demo clock and the built-in demo seller endpoint. None of it runs outside demo mode.

pub mod apps;
pub mod buyers;
pub mod catalog_content;
pub mod catalog_featured;
pub mod catalog_generator;
pub mod catalog_seed;
pub mod catalog_spec;
pub mod clock;
pub mod invoice_bench;
pub mod invoices;
pub mod metered_bench;
pub mod orders;
pub mod reviews;
pub mod seed;
pub mod seller;
pub mod support_bench;
pub mod tickets;
pub mod usage_meter;
