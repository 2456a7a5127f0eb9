//! The store room: SQL lives here, one module per table group, behind typed functions that
//! take a [`Database`](crate::infra::db::Database) or a
//! [`Connection`](crate::infra::db::Connection) (a transaction's, when the caller writes
//! several things at once) and return rows as named structs.
//!
//! What reads and writes the tables is found here and nowhere else, for the modules that
//! have moved in; `cargo xtask architecture` fails when a module outside `store/` (and the
//! demo's seeding) runs a query and is not on its list of modules still to move — a list
//! that only shrinks. The store imports `infra` and `core`, never `domain` or `http`.

pub mod accounts;
pub mod bills;
pub mod catalog;
pub mod checkout_keys;
pub mod demo_marks;
pub mod favorites;
pub mod full_text;
pub mod invariants;
pub mod invoice_credits;
pub mod invoice_documents;
pub mod invoice_profiles;
pub mod invoices;
pub mod messages;
pub mod metered_apps;
pub mod notices;
pub mod order_reads;
pub mod orders;
pub mod payments;
pub mod products;
pub mod provisioning;
pub mod purchased_apps;
pub mod reminders;
pub mod renewals;
pub mod reviews;
pub mod secrets;
pub mod sessions;
pub mod supervision;
pub mod term_apps;
pub mod throttles;
pub mod tickets;
pub mod trials;
pub mod unsubscriptions;
pub mod usage;
pub mod usage_charges;
pub mod usage_sums;
pub mod vpcs;

/// Whether the database answers (the health check).
pub async fn ping(db: &crate::infra::db::Database) -> Result<(), sqlx::Error> {
    crate::infra::db::query("SELECT 1").execute(db).await?;
    Ok(())
}

/// Marks a point in the transaction to undo to (`rollback_to`) or keep (`release`); the
/// name is the caller's constant.
pub async fn savepoint(connection: &mut crate::infra::db::Connection, name: &'static str) -> Result<(), sqlx::Error> {
    crate::infra::db::query(&format!("SAVEPOINT {name}")).execute(connection).await?;
    Ok(())
}

pub async fn rollback_to(connection: &mut crate::infra::db::Connection, name: &'static str) -> Result<(), sqlx::Error> {
    crate::infra::db::query(&format!("ROLLBACK TO SAVEPOINT {name}")).execute(connection).await?;
    Ok(())
}

pub async fn release(connection: &mut crate::infra::db::Connection, name: &'static str) -> Result<(), sqlx::Error> {
    crate::infra::db::query(&format!("RELEASE SAVEPOINT {name}")).execute(connection).await?;
    Ok(())
}
