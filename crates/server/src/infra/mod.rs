//! Infrastructure the domain stands on: the database, symmetric cryptography and the master
//! keys, the (movable) clock, password hashing and calls to sellers' systems.

pub mod clock;
pub mod crypto;
pub mod db;
pub mod fonts;
pub mod outbound;
pub mod passwords;
pub mod rate_limit;
pub mod signed_requests;
pub mod statement_count;
pub mod ttl_cache;
pub mod work;
