//! What start-up reads of demo mode's own tables: whether a database holds demo data
//! (`demo_data`, the demo accounts) and the demo clock's offset (`demo_clock`).

use crate::infra::db::{self, Database};

/// Whether the database was seeded with demo data (its mark).
pub async fn marked(db: &Database) -> Result<bool, sqlx::Error> {
    db::query_scalar("SELECT EXISTS (SELECT 1 FROM demo_data)").fetch_one(db).await
}

/// How many of these user names have an account.
pub async fn accounts_named(db: &Database, usernames: &[&str]) -> Result<i64, sqlx::Error> {
    let mut found = 0;
    for username in usernames {
        found += db::query_scalar::<i64>("SELECT COUNT(*) FROM accounts WHERE username = $1")
            .bind(username)
            .fetch_one(db)
            .await?;
    }
    Ok(found)
}

/// How far the demo clock was moved ahead (none: never).
pub async fn clock_offset(db: &Database) -> Result<Option<i64>, sqlx::Error> {
    db::query_scalar("SELECT offset_seconds FROM demo_clock WHERE id = 1").fetch_optional(db).await
}
