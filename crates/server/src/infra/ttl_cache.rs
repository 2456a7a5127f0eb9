//! A small per-instance cache whose entries are reused for a fixed time, for figures that
//! are costly to compute and fine to show a few minutes old.

use std::hash::Hash;
use std::num::NonZeroUsize;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

#[derive(Clone)]
pub struct TtlCache<K: Hash + Eq, V: Clone> {
    entries: Arc<Mutex<lru::LruCache<K, (Instant, V)>>>,
    keep_for: Duration,
}

impl<K: Hash + Eq, V: Clone> TtlCache<K, V> {
    pub fn new(capacity: NonZeroUsize, keep_for: Duration) -> Self {
        TtlCache { entries: Arc::new(Mutex::new(lru::LruCache::new(capacity))), keep_for }
    }

    /// The value kept for `key`, if it is recent enough.
    pub fn get(&self, key: &K) -> Option<V> {
        let mut entries = self.entries.lock().ok()?;
        entries.get(key).filter(|(at, _)| at.elapsed() < self.keep_for).map(|(_, value)| value.clone())
    }

    pub fn put(&self, key: K, value: V) {
        if let Ok(mut entries) = self.entries.lock() {
            entries.put(key, (Instant::now(), value));
        }
    }
}
