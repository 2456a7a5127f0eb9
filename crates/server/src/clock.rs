//! The backend's notion of "now". Every rule that depends on time reads this clock, so
//! tests and demos can move it forward; only demo mode exposes a way to do that.

use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};

use time::OffsetDateTime;

#[derive(Debug, Clone, Default)]
pub struct Clock {
    offset_seconds: Arc<AtomicI64>,
}

impl Clock {
    /// Real time, with an initial offset (non-zero only in demo mode, restored from the
    /// database so that a restarted demo keeps its moved clock).
    pub fn with_offset(offset_seconds: i64) -> Clock {
        Clock { offset_seconds: Arc::new(AtomicI64::new(offset_seconds)) }
    }

    pub fn now(&self) -> OffsetDateTime {
        OffsetDateTime::now_utc() + time::Duration::seconds(self.offset_seconds())
    }

    /// Now as unix seconds, the form the database stores.
    pub fn unix_now(&self) -> i64 {
        self.now().unix_timestamp()
    }

    pub fn offset_seconds(&self) -> i64 {
        self.offset_seconds.load(Ordering::SeqCst)
    }

    pub(crate) fn set_offset_seconds(&self, offset_seconds: i64) {
        self.offset_seconds.store(offset_seconds, Ordering::SeqCst);
    }
}

/// Converts stored unix seconds to a wire time; out-of-range values clamp to the epoch
/// instead of failing a whole response.
pub fn from_unix(seconds: i64) -> OffsetDateTime {
    OffsetDateTime::from_unix_timestamp(seconds).unwrap_or(OffsetDateTime::UNIX_EPOCH)
}
