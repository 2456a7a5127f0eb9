//! A per-key request budget in memory (a fixed window per key): the usage API's limit per
//! seller. Each instance counts its own calls, so N instances allow N budgets — a limit
//! against a runaway client, not an accounting.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

#[derive(Clone)]
pub struct WindowLimiter {
    per_window: u32,
    window: Duration,
    counts: Arc<Mutex<HashMap<i64, (Instant, u32)>>>,
}

impl WindowLimiter {
    pub fn new(per_window: u32, window: Duration) -> WindowLimiter {
        WindowLimiter { per_window, window, counts: Arc::default() }
    }

    /// Counts a call for `key`; `Err(seconds)` until the window ends when it is over budget.
    pub fn check(&self, key: i64) -> Result<(), u64> {
        let now = Instant::now();
        let mut counts = self.counts.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        if counts.len() > 10_000 {
            counts.retain(|_, (start, _)| now.duration_since(*start) < self.window);
        }
        let (start, count) = counts.entry(key).or_insert((now, 0));
        if now.duration_since(*start) >= self.window {
            (*start, *count) = (now, 0);
        }
        if *count >= self.per_window {
            let left = self.window.saturating_sub(now.duration_since(*start));
            return Err(left.as_secs().max(1));
        }
        *count += 1;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_gets_its_budget_per_window_and_keys_do_not_share() {
        let limiter = WindowLimiter::new(2, Duration::from_secs(60));
        assert!(limiter.check(1).is_ok());
        assert!(limiter.check(1).is_ok());
        assert!(limiter.check(1).is_err());
        assert!(limiter.check(2).is_ok());
    }
}
