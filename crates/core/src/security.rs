//! Security rules both sides need: how failed logins slow down and lock an account or an
//! address, how long sessions live, the device a session is described as, and the
//! wire types of My Account's session list.
//!
//! The throttle is a pure function of what was recorded about earlier attempts and the
//! current time, so the backend enforces it and tests check every boundary without I/O.

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

/// A session ends after this long without a request (sliding).
pub const SESSION_IDLE_SECONDS: i64 = 30 * 60;
/// A session ends this long after the password was entered, however busy it is.
pub const SESSION_ABSOLUTE_SECONDS: i64 = 12 * 60 * 60;
/// Sessions an account may hold at once; a new login signs the least recently used out.
pub const MAX_SESSIONS_PER_ACCOUNT: usize = 10;

/// How failed password checks against one key (an account or a client address) slow the
/// next attempt down and finally lock the key for a while.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ThrottlePolicy {
    /// Failures in a row that cost nothing.
    pub free_failures: u32,
    /// The failure that locks the key.
    pub lock_after_failures: u32,
    pub lock_seconds: i64,
    /// Failures further apart than this start a new count.
    pub window_seconds: i64,
    /// The longest wait between two attempts before the lock.
    pub max_delay_seconds: i64,
}

/// Per account (the user name as typed, whether or not it exists, so that the answer never
/// says which user names are real): 3 free failures, then 1 s, 2 s, 4 s … up to 60 s between
/// attempts, and the 10th failure locks the account's logins for 15 minutes.
pub const ACCOUNT_THROTTLE: ThrottlePolicy = ThrottlePolicy {
    free_failures: 3,
    lock_after_failures: 10,
    lock_seconds: 15 * 60,
    window_seconds: 15 * 60,
    max_delay_seconds: 60,
};

/// Per client address: more generous, because an office or a mobile carrier puts many people
/// behind one address, but it stops one machine from trying many accounts.
pub const ADDRESS_THROTTLE: ThrottlePolicy = ThrottlePolicy {
    free_failures: 20,
    lock_after_failures: 100,
    lock_seconds: 15 * 60,
    window_seconds: 15 * 60,
    max_delay_seconds: 60,
};

/// What is remembered about one key's recent failures (times in unix seconds).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ThrottleRecord {
    /// Failures in the current count.
    pub failures: u32,
    pub last_failure_at: i64,
    /// While in the future, every attempt is refused, with the right password too.
    pub locked_until: Option<i64>,
}

/// The answer for one attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ThrottleDecision {
    Allow,
    /// Refused: try again in this many seconds (at least 1). `locked` tells a lock from a
    /// short wait, so the login page can say which.
    Wait {
        seconds: i64,
        locked: bool,
    },
}

impl ThrottlePolicy {
    /// The wait required after `failures` failures in a row (before the lock).
    pub fn delay_after(&self, failures: u32) -> i64 {
        if failures < self.free_failures {
            return 0;
        }
        let doublings = (failures - self.free_failures).min(30);
        (1_i64 << doublings).min(self.max_delay_seconds)
    }

    /// Whether an attempt at `now` may go ahead.
    pub fn decide(&self, record: &ThrottleRecord, now: i64) -> ThrottleDecision {
        if let Some(until) = record.locked_until
            && until > now
        {
            return ThrottleDecision::Wait { seconds: until - now, locked: true };
        }
        let record = self.current(record, now);
        let ready_at = record.last_failure_at.saturating_add(self.delay_after(record.failures));
        if record.failures >= self.free_failures && ready_at > now {
            ThrottleDecision::Wait { seconds: ready_at - now, locked: false }
        } else {
            ThrottleDecision::Allow
        }
    }

    /// The record after one more failure at `now`: the count grows (or starts again after a
    /// quiet window or an ended lock), and the failure that reaches the limit locks.
    pub fn after_failure(&self, record: &ThrottleRecord, now: i64) -> ThrottleRecord {
        let current = self.current(record, now);
        let failures = current.failures.saturating_add(1);
        if failures >= self.lock_after_failures {
            ThrottleRecord {
                failures: 0,
                last_failure_at: now,
                locked_until: Some(now.saturating_add(self.lock_seconds)),
            }
        } else {
            ThrottleRecord { failures, last_failure_at: now, locked_until: None }
        }
    }

    /// The record as it stands at `now`: failures older than the window, and an ended
    /// lock, no longer count.
    fn current(&self, record: &ThrottleRecord, now: i64) -> ThrottleRecord {
        let quiet = now.saturating_sub(record.last_failure_at) > self.window_seconds;
        let lock_over = record.locked_until.is_some_and(|until| until <= now);
        if quiet || lock_over { ThrottleRecord::default() } else { *record }
    }

    /// Whether a record can be forgotten at `now` (nothing it says still matters).
    pub fn is_stale(&self, record: &ThrottleRecord, now: i64) -> bool {
        self.current(record, now) == ThrottleRecord::default() && record.locked_until.is_none_or(|until| until <= now)
    }
}

/// A short, human description of the browser and system in a `User-Agent` header, e.g.
/// "Firefox on Linux". Good enough to recognise one's own devices; never used for decisions.
pub fn device_label(user_agent: &str) -> String {
    let browser = [
        ("Edg/", "Edge"),
        ("OPR/", "Opera"),
        ("Firefox/", "Firefox"),
        ("Chromium/", "Chromium"),
        ("HeadlessChrome/", "Chrome"),
        ("Chrome/", "Chrome"),
        ("Safari/", "Safari"),
        ("curl/", "curl"),
    ]
    .into_iter()
    .find(|(marker, _)| user_agent.contains(marker))
    .map(|(_, name)| name);
    let system = [
        ("Android", "Android"),
        ("iPhone", "iOS"),
        ("iPad", "iPadOS"),
        ("Windows", "Windows"),
        ("Mac OS X", "macOS"),
        ("CrOS", "ChromeOS"),
        ("Linux", "Linux"),
    ]
    .into_iter()
    .find(|(marker, _)| user_agent.contains(marker))
    .map(|(_, name)| name);
    match (browser, system) {
        (Some(browser), Some(system)) => format!("{browser} · {system}"),
        (Some(name), None) | (None, Some(name)) => name.to_owned(),
        (None, None) => String::new(),
    }
}

/// One of the account's signed-in sessions, as My Account lists them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SessionSummary {
    pub id: i64,
    /// The session this request was made with.
    pub current: bool,
    /// "Firefox · Linux"; empty when the browser is not recognised.
    pub device: String,
    /// The client address the session was last used from.
    pub client_address: Option<String>,
    #[serde(with = "time::serde::rfc3339")]
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub signed_in_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub last_seen_at: OffsetDateTime,
    /// When the session ends at the latest (the absolute lifetime).
    #[serde(with = "time::serde::rfc3339")]
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub expires_at: OffsetDateTime,
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    const NOW: i64 = 1_800_000_000;

    /// Fails `count` times, each attempt as soon as it is allowed; returns the record and
    /// the time of the last failure.
    fn fail_as_fast_as_allowed(policy: &ThrottlePolicy, count: u32) -> (ThrottleRecord, i64) {
        let mut record = ThrottleRecord::default();
        let mut now = NOW;
        for _ in 0..count {
            if let ThrottleDecision::Wait { seconds, .. } = policy.decide(&record, now) {
                now += seconds;
            }
            assert_eq!(policy.decide(&record, now), ThrottleDecision::Allow);
            record = policy.after_failure(&record, now);
        }
        (record, now)
    }

    #[test]
    fn the_first_failures_are_free_then_waits_double_up_to_the_cap() {
        let policy = ACCOUNT_THROTTLE;
        assert_eq!((0..3).map(|n| policy.delay_after(n)).collect::<Vec<_>>(), [0, 0, 0]);
        assert_eq!((3..11).map(|n| policy.delay_after(n)).collect::<Vec<_>>(), [1, 2, 4, 8, 16, 32, 60, 60]);
        let (record, at) = fail_as_fast_as_allowed(&policy, 3);
        // After the third failure the next attempt waits 1 s: refused at +0 s, allowed at +1 s.
        assert_eq!(policy.decide(&record, at), ThrottleDecision::Wait { seconds: 1, locked: false });
        assert_eq!(policy.decide(&record, at + 1), ThrottleDecision::Allow);
        let (record, at) = fail_as_fast_as_allowed(&policy, 5);
        assert_eq!(policy.decide(&record, at + 3), ThrottleDecision::Wait { seconds: 1, locked: false });
        assert_eq!(policy.decide(&record, at + 4), ThrottleDecision::Allow);
    }

    #[test]
    fn the_tenth_failure_locks_for_fifteen_minutes_to_the_second() {
        let policy = ACCOUNT_THROTTLE;
        let (record, at) = fail_as_fast_as_allowed(&policy, 10);
        assert_eq!(record.locked_until, Some(at + 900));
        assert_eq!(policy.decide(&record, at), ThrottleDecision::Wait { seconds: 900, locked: true });
        assert_eq!(policy.decide(&record, at + 899), ThrottleDecision::Wait { seconds: 1, locked: true });
        assert_eq!(policy.decide(&record, at + 900), ThrottleDecision::Allow);
        // After the lock the count starts again: three free failures.
        let after = policy.after_failure(&record, at + 900);
        assert_eq!(after, ThrottleRecord { failures: 1, last_failure_at: at + 900, locked_until: None });
    }

    #[test]
    fn a_quiet_window_forgets_failures() {
        let policy = ACCOUNT_THROTTLE;
        let (record, at) = fail_as_fast_as_allowed(&policy, 6);
        assert!(matches!(policy.decide(&record, at), ThrottleDecision::Wait { .. }));
        assert!(!policy.is_stale(&record, at + 900));
        assert!(policy.is_stale(&record, at + 901));
        assert_eq!(policy.after_failure(&record, at + 901).failures, 1);
        assert_eq!(policy.after_failure(&record, at + 900).failures, 7);
    }

    #[test]
    fn device_labels_name_browser_and_system() {
        let firefox = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0";
        assert_eq!(device_label(firefox), "Firefox · Linux");
        let chrome = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36";
        assert_eq!(device_label(chrome), "Chrome · Windows");
        let safari = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1";
        assert_eq!(device_label(safari), "Safari · iOS");
        let edge = "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36 Edg/126.0";
        assert_eq!(device_label(edge), "Edge · macOS");
        assert_eq!(device_label("curl/8.5.0"), "curl");
        assert_eq!(device_label(""), "");
    }

    proptest! {
        /// However an attacker times their guesses, at most `lock_after_failures` failures
        /// fit in one lock period plus the run-up to it, and a lock always comes.
        #[test]
        fn guesses_are_bounded(gaps in proptest::collection::vec(0_i64..120, 1..60)) {
            let policy = ACCOUNT_THROTTLE;
            let mut record = ThrottleRecord::default();
            let mut now = NOW;
            let mut tried = 0_u32;
            let mut locks = 0_u32;
            for gap in gaps {
                now += gap;
                if policy.decide(&record, now) == ThrottleDecision::Allow {
                    tried += 1;
                    record = policy.after_failure(&record, now);
                    if record.locked_until.is_some() {
                        locks += 1;
                        prop_assert_eq!(tried, policy.lock_after_failures * locks);
                    }
                }
                // Waits are never negative or zero when refused.
                if let ThrottleDecision::Wait { seconds, .. } = policy.decide(&record, now) {
                    prop_assert!(seconds >= 1);
                }
            }
        }

        /// The wait only ever grows with more failures (until the lock).
        #[test]
        fn delays_are_monotonic(failures in 0_u32..40) {
            let policy = ACCOUNT_THROTTLE;
            prop_assert!(policy.delay_after(failures) <= policy.delay_after(failures + 1));
            prop_assert!(policy.delay_after(failures) <= policy.max_delay_seconds);
        }
    }
}
