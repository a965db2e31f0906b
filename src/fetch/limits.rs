//! Manners towards each host: a global semaphore and one per `host:port`, both held for the
//! whole request (headers and body); a minimum spacing between the starts of requests to one
//! host (`[fetch] per_host_interval_ms`); and a host's own `Retry-After`, which pushes its next
//! request back; and a host's robots.txt `Crawl-delay`, which widens its spacing
//! ([`Limits::set_host_interval`]).
//!
//! A request first takes its host's slot and waits for the host's turn ([`Limits::reserve`])
//! holding nothing else, then takes a global slot and claims the turn ([`Limits::admit`]). So
//! a request waiting out a host's spacing never holds a global slot that requests to other
//! hosts could use (with 20 hosts a second apart, eight global slots held through those waits
//! let through three requests a second instead of twenty), and the turn is claimed when the
//! request really goes, so a wait for a global slot never shortens a host's gap. A host that
//! asked for more than `max_wait` of quiet is not waited for at all: its requests fail at once
//! as deferred (the caller retries later).

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::sync::{OwnedSemaphorePermit, Semaphore};
use tokio::time::Instant;

/// How many idle per-host entries are kept before the map is pruned.
const PRUNE_AT: usize = 1024;

/// The longest `Retry-After` honoured; a server asking for more is asked again after this.
pub const MAX_RETRY_AFTER: Duration = Duration::from_secs(3600);

/// One host's slots, the earliest time its next request may start, and its spacing.
#[derive(Debug)]
struct Host {
    slots: Arc<Semaphore>,
    next: Mutex<Turns>,
}

/// When a host's next request may start, and how far apart its starts are.
#[derive(Debug)]
struct Turns {
    next: Instant,
    interval: Duration,
}

/// The semaphores and turns; cheap to clone.
#[derive(Debug, Clone)]
pub struct Limits {
    global: Arc<Semaphore>,
    per_host: Arc<Mutex<HashMap<String, Arc<Host>>>>,
    per_host_permits: usize,
    interval: Duration,
    max_wait: Duration,
}

/// A host's slot, taken and held while its turn comes ([`Limits::reserve`]).
#[derive(Debug)]
pub struct Reserved {
    host: Arc<Host>,
    permit: OwnedSemaphorePermit,
}

/// A request cleared to go: a global slot and its host's slot, its turn claimed. Held until
/// the request (body included) is done; a redirect to another host gives it back and is
/// admitted again.
#[derive(Debug)]
pub struct Admitted {
    _global: OwnedSemaphorePermit,
    _host: OwnedSemaphorePermit,
}

/// Whether a host's turn has come.
enum Due {
    /// Now (when claiming: claimed, and the next turn set).
    Now,
    /// At this instant.
    At(Instant),
    /// Not within `max_wait`: this long from now.
    TooFar(Duration),
}

impl Host {
    /// Claims the host's turn if it has come (when `claim`), else says when it comes. The turn
    /// is taken when the request really goes, not when it is promised: a waiter that wakes late
    /// (a busy machine) pushes the next turn back from the moment it went, so a late start
    /// never shortens the gap to the one after it.
    fn due(&self, claim: bool, max_wait: Duration) -> Due {
        let mut turns = self.next.lock().unwrap_or_else(|p| p.into_inner());
        let now = Instant::now();
        if turns.next > now + max_wait {
            Due::TooFar(turns.next - now)
        } else if turns.next > now {
            Due::At(turns.next)
        } else {
            if claim {
                turns.next = now + turns.interval;
            }
            Due::Now
        }
    }
}

impl Limits {
    /// `global` requests in flight at once, `per_host` of them to one host, their starts at
    /// least `interval` apart; a host deferred by more than `max_wait` is not waited for.
    pub fn new(global: usize, per_host: usize, interval: Duration, max_wait: Duration) -> Self {
        Limits {
            global: Arc::new(Semaphore::new(global)),
            per_host: Arc::new(Mutex::new(HashMap::new())),
            per_host_permits: per_host,
            interval,
            max_wait,
        }
    }

    /// Waits for a global slot.
    pub async fn global(&self) -> OwnedSemaphorePermit {
        Arc::clone(&self.global)
            .acquire_owned()
            .await
            .expect("semaphore never closed")
    }

    fn entry(&self, host: &str) -> Arc<Host> {
        let mut map = self.per_host.lock().unwrap_or_else(|p| p.into_inner());
        if map.len() >= PRUNE_AT {
            // An entry nobody holds, with every slot free and its turn passed, is idle state.
            let full = self.per_host_permits;
            let now = Instant::now();
            map.retain(|_, h| {
                Arc::strong_count(h) > 1
                    || h.slots.available_permits() < full
                    || h.next.lock().unwrap_or_else(|p| p.into_inner()).next > now
            });
        }
        Arc::clone(map.entry(host.to_string()).or_insert_with(|| {
            Arc::new(Host {
                slots: Arc::new(Semaphore::new(self.per_host_permits)),
                next: Mutex::new(Turns {
                    next: Instant::now(),
                    interval: self.interval,
                }),
            })
        }))
    }

    /// Waits for a slot for `host` (a `host:port` key), then until its turn has come, holding
    /// no global slot; `Err(wait)` when the host asked for a pause longer than `max_wait`.
    pub async fn reserve(&self, host: &str) -> Result<Reserved, Duration> {
        let host = self.entry(host);
        let permit = Arc::clone(&host.slots)
            .acquire_owned()
            .await
            .expect("semaphore never closed");
        loop {
            match host.due(false, self.max_wait) {
                Due::Now => return Ok(Reserved { host, permit }),
                Due::At(when) => tokio::time::sleep_until(when).await,
                Due::TooFar(wait) => return Err(wait),
            }
        }
    }

    /// Takes a global slot for a reserved request and claims its host's turn. Another request
    /// to the host may have claimed the turn meanwhile (a host has more than one slot): then
    /// the global slot is let go while the next turn comes.
    pub async fn admit(&self, reserved: Reserved) -> Result<Admitted, Duration> {
        loop {
            let global = self.global().await;
            match reserved.host.due(true, self.max_wait) {
                Due::Now => {
                    return Ok(Admitted {
                        _global: global,
                        _host: reserved.permit,
                    });
                }
                Due::At(when) => {
                    drop(global);
                    tokio::time::sleep_until(when).await;
                }
                Due::TooFar(wait) => return Err(wait),
            }
        }
    }

    /// `host` asked (429/503 `Retry-After`) not to be contacted for `delay` (at most
    /// [`MAX_RETRY_AFTER`]).
    pub fn defer(&self, host: &str, delay: Duration) {
        let until = Instant::now() + delay.min(MAX_RETRY_AFTER);
        let entry = self.entry(host);
        let mut turns = entry.next.lock().unwrap_or_else(|p| p.into_inner());
        if until > turns.next {
            turns.next = until;
        }
    }

    /// Spaces the starts of requests to `host` at least `interval` apart (a robots.txt
    /// `Crawl-delay`), never less than the configured spacing. The next turn moves by the
    /// difference, so the new spacing holds from the last start on.
    pub fn set_host_interval(&self, host: &str, interval: Duration) {
        let interval = interval.max(self.interval);
        let entry = self.entry(host);
        let mut turns = entry.next.lock().unwrap_or_else(|p| p.into_inner());
        if interval > turns.interval {
            let more = interval - turns.interval;
            turns.next += more;
        } else {
            let less = turns.interval - interval;
            turns.next = turns.next.checked_sub(less).unwrap_or(turns.next);
        }
        turns.interval = interval;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A request to `host` cleared to go (reserve, then admit), as the fetcher makes it.
    async fn admitted(limits: &Limits, host: &str) -> Admitted {
        let reserved = limits.reserve(host).await.expect("not deferred");
        limits.admit(reserved).await.expect("not deferred")
    }

    #[tokio::test]
    async fn per_host_slots_are_separate_per_host() {
        let limits = Limits::new(4, 1, Duration::ZERO, Duration::from_secs(30));
        let _a = admitted(&limits, "a:80").await;
        // Another host is not held up by a's permit ...
        let _b = tokio::time::timeout(Duration::from_millis(100), admitted(&limits, "b:80"))
            .await
            .expect("b must not wait for a");
        // ... but a second request to a waits.
        let again =
            tokio::time::timeout(Duration::from_millis(100), admitted(&limits, "a:80")).await;
        assert!(again.is_err(), "a second permit for a must wait");
    }

    #[tokio::test(start_paused = true)]
    async fn starts_to_one_host_are_spaced_and_other_hosts_are_not() {
        let limits = Limits::new(8, 4, Duration::from_millis(1000), Duration::from_secs(30));
        let t0 = Instant::now();
        let mut starts = Vec::new();
        for _ in 0..3 {
            drop(admitted(&limits, "a:80").await);
            starts.push(t0.elapsed());
        }
        assert_eq!(
            starts,
            [0, 1000, 2000].map(Duration::from_millis),
            "one host: a second apart"
        );
        drop(admitted(&limits, "b:80").await);
        assert_eq!(
            t0.elapsed(),
            Duration::from_millis(2000),
            "b waits for nobody"
        );
    }

    /// A request to `host` made and done; the time it went.
    async fn go(limits: &Limits, host: &str, t0: Instant) -> Duration {
        drop(admitted(limits, host).await);
        t0.elapsed()
    }

    #[tokio::test(start_paused = true)]
    async fn waiting_out_a_hosts_spacing_holds_no_global_slot() {
        // One global slot. Two requests to a (a second apart) and one to b: b must not wait
        // behind a's second request while that one waits for a's turn.
        let limits = Limits::new(1, 2, Duration::from_millis(1000), Duration::from_secs(30));
        let t0 = Instant::now();
        let (a1, a2, b) = tokio::join!(go(&limits, "a:80", t0), go(&limits, "a:80", t0), async {
            tokio::task::yield_now().await;
            go(&limits, "b:80", t0).await
        });
        assert_eq!(a1, Duration::ZERO);
        assert_eq!(a2, Duration::from_millis(1000), "a keeps its spacing");
        assert_eq!(b, Duration::ZERO, "b goes at once");
    }

    #[tokio::test(start_paused = true)]
    async fn a_turn_is_claimed_when_the_request_goes_not_when_the_host_was_ready() {
        // a's turn has come, but the only global slot is busy for 600 ms: a's request goes at
        // 600 ms, and the next one to a no earlier than 1,600 ms.
        let limits = Limits::new(1, 2, Duration::from_millis(1000), Duration::from_secs(30));
        let t0 = Instant::now();
        let busy = limits.global().await;
        let reserved = limits.reserve("a:80").await.expect("not deferred");
        let release = async {
            tokio::time::sleep(Duration::from_millis(600)).await;
            drop(busy);
        };
        let admit = async {
            drop(limits.admit(reserved).await.expect("not deferred"));
            t0.elapsed()
        };
        let ((), first) = tokio::join!(release, admit);
        assert_eq!(first, Duration::from_millis(600));
        assert_eq!(go(&limits, "a:80", t0).await, Duration::from_millis(1600));
    }

    #[tokio::test(start_paused = true)]
    async fn retry_after_pushes_the_next_start_back_or_defers_it() {
        let limits = Limits::new(8, 4, Duration::ZERO, Duration::from_secs(30));
        let t0 = Instant::now();
        limits.defer("a:80", Duration::from_secs(5));
        drop(admitted(&limits, "a:80").await);
        assert_eq!(t0.elapsed(), Duration::from_secs(5));
        // Longer than max_wait: not waited for.
        limits.defer("a:80", Duration::from_secs(120));
        match limits.reserve("a:80").await {
            Err(d) => assert_eq!(d, Duration::from_secs(120)),
            Ok(_) => panic!("must be deferred"),
        }
        // A shorter Retry-After never brings an asked-for quiet forward.
        limits.defer("a:80", Duration::from_secs(1));
        assert!(limits.reserve("a:80").await.is_err());
    }

    #[tokio::test(start_paused = true)]
    async fn a_crawl_delay_widens_one_hosts_spacing_and_never_narrows_the_configured_one() {
        let limits = Limits::new(8, 4, Duration::from_millis(1000), Duration::from_secs(30));
        let t0 = Instant::now();
        drop(admitted(&limits, "a:80").await);
        // Set after the first start: the second waits the crawl delay from that start.
        limits.set_host_interval("a:80", Duration::from_secs(5));
        drop(admitted(&limits, "a:80").await);
        assert_eq!(t0.elapsed(), Duration::from_secs(5));
        drop(admitted(&limits, "a:80").await);
        assert_eq!(t0.elapsed(), Duration::from_secs(10));
        // Below the configured spacing: the configured one holds.
        limits.set_host_interval("a:80", Duration::from_millis(10));
        drop(admitted(&limits, "a:80").await);
        assert_eq!(t0.elapsed(), Duration::from_secs(11));
        // Another host keeps the configured spacing.
        drop(admitted(&limits, "b:80").await);
        drop(admitted(&limits, "b:80").await);
        assert_eq!(t0.elapsed(), Duration::from_secs(12));
    }
}
