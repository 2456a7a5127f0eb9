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
    /// One computation at a time: requests arriving together for a missing value wait for
    /// the first one's instead of all computing it.
    computing: Arc<tokio::sync::Mutex<()>>,
}

impl<K: Hash + Eq, V: Clone> TtlCache<K, V> {
    pub fn new(capacity: NonZeroUsize, keep_for: Duration) -> Self {
        TtlCache {
            entries: Arc::new(Mutex::new(lru::LruCache::new(capacity))),
            keep_for,
            computing: Arc::new(tokio::sync::Mutex::new(())),
        }
    }

    /// The value kept for `key`, if it is recent enough.
    pub fn get(&self, key: &K) -> Option<V> {
        let mut entries = self.entries.lock().ok()?;
        entries.get(key).filter(|(at, _)| at.elapsed() < self.keep_for).map(|(_, value)| value.clone())
    }

    /// The value kept for `key`, or `compute`'s, kept from now on.
    pub async fn get_or_compute<E, F>(&self, key: K, compute: impl FnOnce() -> F) -> Result<V, E>
    where
        F: std::future::Future<Output = Result<V, E>>,
    {
        if let Some(value) = self.get(&key) {
            return Ok(value);
        }
        let _turn = self.computing.lock().await;
        if let Some(value) = self.get(&key) {
            return Ok(value);
        }
        let value = compute().await?;
        self.put(key, value.clone());
        Ok(value)
    }

    pub fn put(&self, key: K, value: V) {
        if let Ok(mut entries) = self.entries.lock() {
            entries.put(key, (Instant::now(), value));
        }
    }
}
