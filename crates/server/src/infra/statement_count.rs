//! Counts the SQL statements a piece of work runs, from sqlx's own statement events, so the
//! `sweep` command can report a sweep's queries without instrumenting the domain code.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

/// The target sqlx logs every executed statement under (at DEBUG).
const SQLX_STATEMENT_TARGET: &str = "sqlx::query";

/// A `tracing` layer that counts sqlx statement events; clones share one count.
#[derive(Clone, Default)]
pub struct StatementCounter {
    statements: Arc<AtomicU64>,
}

impl StatementCounter {
    /// Statements seen so far.
    pub fn total(&self) -> u64 {
        self.statements.load(Ordering::Relaxed)
    }

    /// The filter to attach to this layer: sqlx's statement events and nothing else, so
    /// counting does not turn on any other logging.
    pub fn filter() -> tracing_subscriber::filter::Targets {
        tracing_subscriber::filter::Targets::new().with_target(SQLX_STATEMENT_TARGET, tracing::Level::DEBUG)
    }
}

impl<S: tracing::Subscriber> tracing_subscriber::Layer<S> for StatementCounter {
    fn on_event(&self, event: &tracing::Event<'_>, _context: tracing_subscriber::layer::Context<'_, S>) {
        if event.metadata().target() == SQLX_STATEMENT_TARGET {
            self.statements.fetch_add(1, Ordering::Relaxed);
        }
    }
}
