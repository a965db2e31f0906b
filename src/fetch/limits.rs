//! Bounded concurrency: one global semaphore and one per `host:port`, both held for the whole
//! request (headers and body).

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use tokio::sync::{OwnedSemaphorePermit, Semaphore};

/// How many idle per-host semaphores are kept before the map is pruned.
const PRUNE_AT: usize = 1024;

/// The semaphores; cheap to clone.
#[derive(Debug, Clone)]
pub struct Limits {
    global: Arc<Semaphore>,
    per_host: Arc<Mutex<HashMap<String, Arc<Semaphore>>>>,
    per_host_permits: usize,
}

impl Limits {
    /// `global` requests in flight at once, `per_host` of them to one host.
    pub fn new(global: usize, per_host: usize) -> Self {
        Limits {
            global: Arc::new(Semaphore::new(global)),
            per_host: Arc::new(Mutex::new(HashMap::new())),
            per_host_permits: per_host,
        }
    }

    /// Waits for a global slot.
    pub async fn global(&self) -> OwnedSemaphorePermit {
        Arc::clone(&self.global)
            .acquire_owned()
            .await
            .expect("semaphore never closed")
    }

    /// Waits for a slot for `host` (a `host:port` key).
    pub async fn host(&self, host: &str) -> OwnedSemaphorePermit {
        let sem = {
            let mut map = self.per_host.lock().unwrap_or_else(|p| p.into_inner());
            if map.len() >= PRUNE_AT {
                // A semaphore nobody else holds and with every permit free is idle state.
                let full = self.per_host_permits;
                map.retain(|_, s| Arc::strong_count(s) > 1 || s.available_permits() < full);
            }
            Arc::clone(
                map.entry(host.to_string())
                    .or_insert_with(|| Arc::new(Semaphore::new(self.per_host_permits))),
            )
        };
        sem.acquire_owned().await.expect("semaphore never closed")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn per_host_slots_are_separate_per_host() {
        let limits = Limits::new(4, 1);
        let _a = limits.host("a:80").await;
        // Another host is not held up by a's permit ...
        let _b = tokio::time::timeout(std::time::Duration::from_millis(100), limits.host("b:80"))
            .await
            .expect("b must not wait for a");
        // ... but a second request to a waits.
        let again =
            tokio::time::timeout(std::time::Duration::from_millis(100), limits.host("a:80")).await;
        assert!(again.is_err(), "a second permit for a must wait");
    }
}
