//! `accounts` (and the reseller an account buys through): who signs in, with what password
//! hash, and what the SPA shows of them.

use bazaar_core::account::Role;
use bazaar_core::ids::AccountId;

use crate::infra::db::{self, Connection, Database};

/// What logging in checks: the account and its password hash.
#[derive(Debug, sqlx::FromRow)]
pub struct Credentials {
    pub id: AccountId,
    pub password_hash: String,
}

/// The account of a user name (compared as stored: lower case).
pub async fn credentials(db: &Database, username: &str) -> Result<Option<Credentials>, sqlx::Error> {
    db::query_as("SELECT id, password_hash FROM accounts WHERE username = $1").bind(username).fetch_optional(db).await
}

pub async fn password_hash(db: &Database, account_id: AccountId) -> Result<String, sqlx::Error> {
    db::query_scalar("SELECT password_hash FROM accounts WHERE id = $1").bind(account_id).fetch_one(db).await
}

/// An account with its reseller's name.
#[derive(Debug, sqlx::FromRow)]
pub struct AccountRow {
    pub id: AccountId,
    pub username: String,
    pub display_name: String,
    pub role: Role,
    pub mobile: String,
    pub email: String,
    pub iam_user_name: String,
    pub seller_id: Option<i64>,
    pub reseller_name: Option<String>,
}

pub async fn account(db: &Database, account_id: AccountId) -> Result<Option<AccountRow>, sqlx::Error> {
    db::query_as(
        "SELECT a.id, a.username, a.display_name, a.role, a.mobile, a.email, a.iam_user_name,
                a.seller_id, r.name AS reseller_name
         FROM accounts a LEFT JOIN resellers r ON r.id = a.reseller_id
         WHERE a.id = $1",
    )
    .bind(account_id)
    .fetch_optional(db)
    .await
}

/// The name of reseller `reseller_id` (on the pool, or in the caller's transaction).
pub async fn reseller_name<'c>(
    executor: impl db::Executor<'c>,
    reseller_id: i64,
) -> Result<Option<String>, sqlx::Error> {
    db::query_scalar("SELECT name FROM resellers WHERE id = $1").bind(reseller_id).fetch_optional(executor).await
}

/// The contact details a seller may be shown (masked) at checkout.
#[derive(Debug, sqlx::FromRow)]
pub struct Contact {
    pub mobile: String,
    pub email: String,
    pub iam_user_name: String,
}

pub async fn contact(db: &Database, account_id: AccountId) -> Result<Contact, sqlx::Error> {
    db::query_as("SELECT mobile, email, iam_user_name FROM accounts WHERE id = $1").bind(account_id).fetch_one(db).await
}

/// The reseller the account buys through, if any.
pub async fn reseller_of(db: &Database, account_id: AccountId) -> Result<Option<i64>, sqlx::Error> {
    db::query_scalar("SELECT reseller_id FROM accounts WHERE id = $1").bind(account_id).fetch_one(db).await
}

/// The operations staff's accounts.
pub async fn operations_accounts(connection: &mut Connection) -> Result<Vec<AccountId>, sqlx::Error> {
    db::query_scalar("SELECT id FROM accounts WHERE role = 'operations' ORDER BY id").fetch_all(connection).await
}
