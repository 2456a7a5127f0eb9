//! `bazaar-server verify`: the database's integrity and money invariants. The checks are
//! statements over the whole database, so they live in the store room
//! ([`crate::store::invariants`]); this is their name in the domain.

pub use crate::store::invariants::{VerifyReport, verify};
