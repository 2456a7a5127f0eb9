//! Background work: a worker woken as soon as there is work for it, instead of at its next
//! poll, and sweeps that run on one instance at a time.

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::Notify;

use crate::error::ApiResult;
use crate::infra::db::Database;

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

/// Runs `sweep` every `interval`, forever, whenever this instance leads `task` (see
/// [`crate::infra::db::Leadership`]): across instances one sweep of a kind runs at a
/// time, and a killed leader's turn passes to another instance at its next try. Each
/// sweep's steps are also guarded in SQL, so even two at once would do each step once.
pub async fn sweep_on_one_instance<Sweep, Swept, Report>(
    database: &Database,
    task: &str,
    interval: Duration,
    mut sweep: Sweep,
) where
    Sweep: FnMut() -> Swept,
    Swept: Future<Output = ApiResult<Report>>,
{
    loop {
        match database.try_lead(task).await {
            Ok(Some(_leading)) => {
                if let Err(error) = sweep().await {
                    tracing::error!(%error, task, "sweep failed");
                }
            }
            Ok(None) => tracing::debug!(task, "another instance leads this sweep"),
            Err(error) => tracing::error!(%error, task, "could not take the sweep"),
        }
        tokio::time::sleep(interval).await;
    }
}
