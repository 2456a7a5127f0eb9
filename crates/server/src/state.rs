//! Shared application state handed to every handler and background worker.

use std::sync::Arc;

use crate::infra::db::Database;

use crate::config::Config;
use crate::domain::search::CatalogHandle;
use crate::infra::clock::Clock;
use crate::infra::crypto::MasterKeys;
use crate::infra::fonts::InvoiceFont;
use crate::infra::outbound::SellerCalls;
use crate::infra::passwords::Passwords;
use crate::infra::rate_limit::WindowLimiter;
use crate::infra::work::WorkSignal;

#[derive(Clone)]
pub struct AppState {
    pub db: Database,
    pub config: Arc<Config>,
    pub clock: Clock,
    pub passwords: Passwords,
    pub catalog: CatalogHandle,
    /// Seal secrets at rest (the current one) and open them (every configured version).
    pub master_keys: MasterKeys,
    /// Calls to sellers' systems.
    pub sellers: SellerCalls,
    /// Wakes the provisioning worker when a job is queued.
    pub provisioning_work: WorkSignal,
    /// Sellers' usage reports per seller and minute (on this instance).
    pub usage_calls: WindowLimiter,
    /// The font invoice PDFs are set in.
    pub invoice_font: InvoiceFont,
    /// Sellers' support figures for product pages, reused for a few minutes.
    pub support_figures: crate::infra::ttl_cache::TtlCache<i64, Option<bazaar_core::support::wire::SupportFigures>>,
}
