//! Invoice profiles in My Account: several per buyer, one of them the default (the first
//! saved is; saving another as default moves it; deleting the default moves it to the
//! oldest left). Issued invoices keep their own snapshot, so edits change none.

use bazaar_core::ids::AccountId;
use bazaar_core::invoices::{InvoiceProfile, InvoiceProfileInput, invoice_profile_problems, normalised_profile};

use crate::error::{ApiError, ApiResult};
use crate::infra::db::{WriteScope, begin_write};
use crate::state::AppState;
use crate::store;

/// The most profiles one buyer keeps.
pub const MAX_PROFILES: i64 = 20;

pub async fn list(state: &AppState, account_id: AccountId) -> ApiResult<Vec<InvoiceProfile>> {
    Ok(store::invoice_profiles::profiles(&state.db, account_id).await?)
}

/// Saves a new profile (`id` none) or replaces profile `id`; every field problem at once.
pub async fn save(
    state: &AppState,
    account_id: AccountId,
    id: Option<i64>,
    input: &InvoiceProfileInput,
) -> ApiResult<InvoiceProfile> {
    let problems = invoice_profile_problems(input);
    if !problems.is_empty() {
        return Err(ApiError::Validation(problems.0));
    }
    let mut profile = normalised_profile(input);
    let now = state.clock.unix_now();
    let mut transaction = begin_write(&state.db, WriteScope::Account(account_id)).await?;
    let count = store::invoice_profiles::profile_count(&mut transaction, account_id).await?;
    if id.is_none() && count >= MAX_PROFILES {
        return Err(ApiError::Conflict(format!("Keep at most {MAX_PROFILES} invoice profiles; delete one first.")));
    }
    // The first profile is the default, whatever the box said.
    profile.is_default |= count == 0;
    if profile.is_default {
        store::invoice_profiles::clear_default(&mut transaction, account_id).await?;
    }
    let id = match id {
        None => store::invoice_profiles::insert_profile(&mut transaction, account_id, &profile, now).await?,
        Some(id) => {
            if !store::invoice_profiles::update_profile(&mut transaction, account_id, id, &profile, now).await? {
                return Err(ApiError::NotFound);
            }
            id
        }
    };
    store::invoice_profiles::ensure_default(&mut transaction, account_id).await?;
    let saved = store::invoice_profiles::profile(&mut transaction, account_id, id).await?.ok_or(ApiError::NotFound)?;
    transaction.commit().await?;
    Ok(saved)
}

pub async fn delete(state: &AppState, account_id: AccountId, id: i64) -> ApiResult<()> {
    let mut transaction = begin_write(&state.db, WriteScope::Account(account_id)).await?;
    if !store::invoice_profiles::delete_profile(&mut transaction, account_id, id).await? {
        return Err(ApiError::NotFound);
    }
    store::invoice_profiles::ensure_default(&mut transaction, account_id).await?;
    transaction.commit().await?;
    Ok(())
}
