//! Invoice profiles (`invoice_profiles`): several per buyer, at most one the default (a
//! partial unique index says so).

use bazaar_core::ids::AccountId;
use bazaar_core::invoices::{InvoiceProfile, InvoiceProfileInput};

use crate::infra::db::{self, Connection, Database};

const PROFILE_COLUMNS: &str = "id, kind, title, tax_id, address, phone, bank_account, email, is_default";

/// The account's profiles, the default first, then oldest first.
pub async fn profiles(db: &Database, account_id: AccountId) -> Result<Vec<InvoiceProfile>, sqlx::Error> {
    db::query_as(&format!(
        "SELECT {PROFILE_COLUMNS} FROM invoice_profiles WHERE account_id = $1 ORDER BY is_default DESC, id"
    ))
    .bind(account_id)
    .fetch_all(db)
    .await
}

pub async fn profile(
    connection: &mut Connection,
    account_id: AccountId,
    id: i64,
) -> Result<Option<InvoiceProfile>, sqlx::Error> {
    db::query_as(&format!("SELECT {PROFILE_COLUMNS} FROM invoice_profiles WHERE id = $1 AND account_id = $2"))
        .bind(id)
        .bind(account_id)
        .fetch_optional(connection)
        .await
}

pub async fn profile_count(connection: &mut Connection, account_id: AccountId) -> Result<i64, sqlx::Error> {
    db::query_scalar("SELECT COUNT(*) FROM invoice_profiles WHERE account_id = $1")
        .bind(account_id)
        .fetch_one(connection)
        .await
}

/// No profile of the account is the default any more (before another becomes it).
pub async fn clear_default(connection: &mut Connection, account_id: AccountId) -> Result<(), sqlx::Error> {
    db::query("UPDATE invoice_profiles SET is_default = FALSE WHERE account_id = $1 AND is_default")
        .bind(account_id)
        .execute(connection)
        .await?;
    Ok(())
}

/// Saves a new profile (`input` normalised and checked); its id.
pub async fn insert_profile(
    connection: &mut Connection,
    account_id: AccountId,
    input: &InvoiceProfileInput,
    now: i64,
) -> Result<i64, sqlx::Error> {
    db::query_scalar(
        "INSERT INTO invoice_profiles (account_id, kind, title, tax_id, address, phone, bank_account, email,
                                       is_default, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10) RETURNING id",
    )
    .bind(account_id)
    .bind(input.kind)
    .bind(&input.title)
    .bind(&input.tax_id)
    .bind(&input.address)
    .bind(&input.phone)
    .bind(&input.bank_account)
    .bind(&input.email)
    .bind(input.is_default)
    .bind(now)
    .fetch_one(connection)
    .await
}

/// Replaces profile `id` of the account; `false` when there is no such profile.
pub async fn update_profile(
    connection: &mut Connection,
    account_id: AccountId,
    id: i64,
    input: &InvoiceProfileInput,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let updated = db::query(
        "UPDATE invoice_profiles SET kind = $1, title = $2, tax_id = $3, address = $4, phone = $5, bank_account = $6,
                email = $7, is_default = $8, updated_at = $9
         WHERE id = $10 AND account_id = $11",
    )
    .bind(input.kind)
    .bind(&input.title)
    .bind(&input.tax_id)
    .bind(&input.address)
    .bind(&input.phone)
    .bind(&input.bank_account)
    .bind(&input.email)
    .bind(input.is_default)
    .bind(now)
    .bind(id)
    .bind(account_id)
    .execute(connection)
    .await?;
    Ok(updated.rows_affected() == 1)
}

/// Deletes profile `id` of the account (issued invoices keep their snapshot); `false` when
/// there is no such profile.
pub async fn delete_profile(connection: &mut Connection, account_id: AccountId, id: i64) -> Result<bool, sqlx::Error> {
    let deleted = db::query("DELETE FROM invoice_profiles WHERE id = $1 AND account_id = $2")
        .bind(id)
        .bind(account_id)
        .execute(connection)
        .await?;
    Ok(deleted.rows_affected() == 1)
}

/// Makes the account's oldest profile the default when none is (after a delete).
pub async fn ensure_default(connection: &mut Connection, account_id: AccountId) -> Result<(), sqlx::Error> {
    db::query(
        "UPDATE invoice_profiles SET is_default = TRUE
         WHERE id = (SELECT MIN(id) FROM invoice_profiles WHERE account_id = $1)
           AND NOT EXISTS (SELECT 1 FROM invoice_profiles WHERE account_id = $1 AND is_default)",
    )
    .bind(account_id)
    .execute(connection)
    .await?;
    Ok(())
}
