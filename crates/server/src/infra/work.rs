//! Wakes a background worker as soon as there is work for it, instead of at its next poll.

use std::sync::Arc;

use tokio::sync::Notify;

#[derive(Debug, Clone, Default)]
pub struct WorkSignal(Arc<Notify>);

impl WorkSignal {
    pub fn wake(&self) {
        self.0.notify_one();
    }

    /// Completes at the next [`WorkSignal::wake`] (or at once if one is pending).
    pub async fn woken(&self) {
        self.0.notified().await;
    }
}
