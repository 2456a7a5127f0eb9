//! Shared application state handed to every handler.

use std::sync::Arc;

use sqlx::SqlitePool;

use crate::clock::Clock;
use crate::config::Config;
use crate::crypto::MasterKeys;
use crate::passwords::Passwords;
use crate::provisioning::Provisioning;
use crate::search_index::CatalogHandle;

#[derive(Clone)]
pub struct AppState {
    pub db: SqlitePool,
    pub config: Arc<Config>,
    pub clock: Clock,
    pub passwords: Passwords,
    pub catalog: CatalogHandle,
    /// Seal secrets at rest (the current one) and open them (every configured version).
    pub master_keys: MasterKeys,
    pub provisioning: Provisioning,
}
