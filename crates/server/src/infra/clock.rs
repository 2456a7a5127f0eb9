//! The backend's notion of "now". Every rule that depends on time reads this clock, so
//! tests and demos can move it forward; only demo mode exposes a way to do that.

use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};

use time::OffsetDateTime;

/// The furthest the demo clock may be ahead of real time: two years, enough for every rule
/// (the longest term is three years, but nothing needs the clock that far to show it). A
/// database holding more (from an older build) is read as this much.
pub const MAX_OFFSET_SECONDS: i64 = 2 * 366 * 24 * 60 * 60;

/// `Clock::frozen_at_unix` when time runs.
const RUNNING: i64 = i64::MIN;

#[derive(Debug, Clone)]
pub struct Clock {
    offset_seconds: Arc<AtomicI64>,
    /// Real time stood still at this unix second (tests of ±1 s edges), or [`RUNNING`].
    frozen_at_unix: Arc<AtomicI64>,
}

impl Default for Clock {
    fn default() -> Clock {
        Clock::with_offset(0)
    }
}

impl Clock {
    /// Real time, with an initial offset (non-zero only in demo mode, restored from the
    /// database so that a restarted demo keeps its moved clock).
    pub fn with_offset(offset_seconds: i64) -> Clock {
        Clock {
            offset_seconds: Arc::new(AtomicI64::new(offset_seconds.clamp(0, MAX_OFFSET_SECONDS))),
            frozen_at_unix: Arc::new(AtomicI64::new(RUNNING)),
        }
    }

    /// Stops real time at the current second, for tests that check a rule one second
    /// either side of its edge: between two reads of the clock no second may slip by.
    /// Moving the clock still works. Nothing outside tests calls this.
    pub fn freeze(&self) {
        self.frozen_at_unix.store(OffsetDateTime::now_utc().unix_timestamp(), Ordering::SeqCst);
    }

    fn real_now(&self) -> OffsetDateTime {
        match self.frozen_at_unix.load(Ordering::SeqCst) {
            RUNNING => OffsetDateTime::now_utc(),
            frozen => from_unix(frozen),
        }
    }

    pub fn now(&self) -> OffsetDateTime {
        // The offset is capped when set, so this cannot overflow; if it somehow did, real
        // time is a better answer than a panic in every request.
        let now = self.real_now();
        now.checked_add(time::Duration::seconds(self.offset_seconds())).unwrap_or(now)
    }

    /// Real time as unix seconds, whatever the demo offset: what session lifetimes count,
    /// because a stolen token lives in real time and moving the demo clock must not sign
    /// everybody out.
    pub fn real_unix_now(&self) -> i64 {
        self.real_now().unix_timestamp()
    }

    /// Now as unix seconds, the form the database stores.
    pub fn unix_now(&self) -> i64 {
        self.now().unix_timestamp()
    }

    pub fn offset_seconds(&self) -> i64 {
        self.offset_seconds.load(Ordering::SeqCst)
    }

    pub(crate) fn set_offset_seconds(&self, offset_seconds: i64) {
        self.offset_seconds.store(offset_seconds.clamp(0, MAX_OFFSET_SECONDS), Ordering::SeqCst);
    }
}

/// Converts stored unix seconds to a wire time; out-of-range values clamp to the epoch
/// instead of failing a whole response.
pub fn from_unix(seconds: i64) -> OffsetDateTime {
    OffsetDateTime::from_unix_timestamp(seconds).unwrap_or(OffsetDateTime::UNIX_EPOCH)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_are_capped_and_never_panic() {
        let clock = Clock::with_offset(i64::MAX);
        assert_eq!(clock.offset_seconds(), MAX_OFFSET_SECONDS);
        let _ = clock.now();
        clock.set_offset_seconds(-5);
        assert_eq!(clock.offset_seconds(), 0);
        assert!(clock.unix_now() >= clock.real_unix_now());
    }
}
