//! Shared application state handed to every handler.

use std::sync::Arc;

use sqlx::SqlitePool;

use crate::clock::Clock;
use crate::config::Config;
use crate::passwords::Passwords;
use crate::search_index::CatalogHandle;

#[derive(Clone)]
pub struct AppState {
    pub db: SqlitePool,
    pub config: Arc<Config>,
    pub clock: Clock,
    pub passwords: Passwords,
    pub catalog: CatalogHandle,
}
