//! The CPU stage: a fixed set of worker threads that parse feeds and extract pages, fed through
//! a bounded queue.
//!
//! Why a pool of our own and not `spawn_blocking`: tokio's blocking pool grows a thread per
//! waiting task (up to 512), so with many feeds taking items at once dozens of pages were parsed
//! side by side on two cores. Each of those threads built its own regex lazy-DFA caches (tens
//! of MB for the largest pattern) and held a page, its decoded text and its DOM: memory grew
//! with the items in flight, and CPU went to rebuilding caches instead of extracting. Here:
//!
//! - `workers` threads (one per core by default) run every parse and extraction, so each
//!   regex has at most that many caches, kept warm from page to page;
//! - a page takes a [`Slot`] before its fetch starts and gives it back when its extraction is
//!   done, so the bodies, texts and DOMs alive at once are bounded over all feeds, whatever
//!   the number of feeds or their `concurrency`; a caller without a slot waits (asynchronously)
//!   for one;
//! - the queue to the workers holds at most one job per slot, so it is bounded by the same
//!   number.
//!
//! The network stays async: only the CPU work comes here.

use std::panic::AssertUnwindSafe;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::{Receiver, SyncSender};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;

use tokio::sync::{OwnedSemaphorePermit, Semaphore};

/// A job for a worker.
type Job = Box<dyn FnOnce() + Send + 'static>;

/// Why a job gave no result.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum PoolError {
    /// The job panicked (the worker survives it).
    #[error("worker job panicked: {0}")]
    Panicked(String),
    /// The pool has shut down.
    #[error("worker pool has shut down")]
    Closed,
}

/// The workers and the slots; cheap to clone (one shared pool).
#[derive(Debug, Clone)]
pub struct Pool {
    shared: Arc<Shared>,
}

#[derive(Debug)]
struct Shared {
    queue: Mutex<Option<SyncSender<Job>>>,
    threads: Mutex<Vec<JoinHandle<()>>>,
    slots: Arc<Semaphore>,
    bound: usize,
    workers: usize,
    gauge: Arc<Gauge>,
}

/// Pages in flight now and the most ever at once.
#[derive(Debug, Default)]
struct Gauge {
    now: AtomicUsize,
    high: AtomicUsize,
}

/// A page's place in flight: held from before its fetch until its extraction is done.
#[derive(Debug)]
pub struct Slot {
    _permit: OwnedSemaphorePermit,
    gauge: Arc<Gauge>,
}

impl Drop for Slot {
    fn drop(&mut self) {
        self.gauge.now.fetch_sub(1, Ordering::AcqRel);
    }
}

impl Pool {
    /// Starts `workers` threads; at most `in_flight` slots are out at once (at least
    /// `workers`, so every worker can be busy).
    pub fn new(workers: usize, in_flight: usize) -> std::io::Result<Pool> {
        Pool::warmed(workers, in_flight, || {})
    }

    /// [`Pool::new`] whose every worker first runs `warm` (before its first job), so that
    /// what a worker builds lazily on first use (compiled patterns, their per-thread caches)
    /// is built at start, on every worker, rather than during the first jobs.
    pub fn warmed(workers: usize, in_flight: usize, warm: fn()) -> std::io::Result<Pool> {
        let workers = workers.max(1);
        let bound = in_flight.max(workers);
        let (tx, rx) = std::sync::mpsc::sync_channel::<Job>(bound);
        let rx = Arc::new(Mutex::new(rx));
        let mut threads = Vec::with_capacity(workers);
        for i in 0..workers {
            let rx = rx.clone();
            threads.push(
                std::thread::Builder::new()
                    .name(format!("wiredesk-cpu-{i}"))
                    .spawn(move || {
                        // A panic while warming up is not fatal: the worker goes on to its jobs.
                        let _ = std::panic::catch_unwind(warm);
                        work(&rx);
                    })?,
            );
        }
        Ok(Pool {
            shared: Arc::new(Shared {
                queue: Mutex::new(Some(tx)),
                threads: Mutex::new(threads),
                slots: Arc::new(Semaphore::new(bound)),
                bound,
                workers,
                gauge: Arc::new(Gauge::default()),
            }),
        })
    }

    /// The number of worker threads.
    pub fn workers(&self) -> usize {
        self.shared.workers
    }

    /// The most slots out at once.
    pub fn bound(&self) -> usize {
        self.shared.bound
    }

    /// The slots out now.
    pub fn in_flight(&self) -> usize {
        self.shared.gauge.now.load(Ordering::Acquire)
    }

    /// The most slots that were ever out at once.
    pub fn high_water(&self) -> usize {
        self.shared.gauge.high.load(Ordering::Acquire)
    }

    /// Waits for a free slot.
    pub async fn slot(&self) -> Result<Slot, PoolError> {
        let permit = self
            .shared
            .slots
            .clone()
            .acquire_owned()
            .await
            .map_err(|_| PoolError::Closed)?;
        let gauge = self.shared.gauge.clone();
        let now = gauge.now.fetch_add(1, Ordering::AcqRel) + 1;
        gauge.high.fetch_max(now, Ordering::AcqRel);
        Ok(Slot {
            _permit: permit,
            gauge,
        })
    }

    /// Runs `job` on a worker and waits for its result. The job holds the caller's `slot`
    /// and gives it back when it is done (also when the caller stopped waiting), so the queue
    /// never holds more jobs than there are slots and never makes a sender wait.
    pub async fn run<T, F>(&self, slot: Slot, job: F) -> Result<T, PoolError>
    where
        T: Send + 'static,
        F: FnOnce() -> T + Send + 'static,
    {
        let (tx, rx) = tokio::sync::oneshot::channel();
        let job: Job = Box::new(move || {
            let result = std::panic::catch_unwind(AssertUnwindSafe(job))
                .map_err(|panic| PoolError::Panicked(panic_message(&*panic)));
            drop(slot);
            // The caller may have stopped waiting (cancelled); nothing to do then.
            let _ = tx.send(result);
        });
        {
            let queue = self.shared.queue.lock().unwrap_or_else(|p| p.into_inner());
            let queue = queue.as_ref().ok_or(PoolError::Closed)?;
            queue.send(job).map_err(|_| PoolError::Closed)?;
        }
        rx.await.map_err(|_| PoolError::Closed)?
    }
}

impl Drop for Shared {
    /// Closes the queue and waits for the workers to finish the jobs already queued.
    fn drop(&mut self) {
        drop(
            self.queue
                .get_mut()
                .unwrap_or_else(|p| p.into_inner())
                .take(),
        );
        let threads = std::mem::take(self.threads.get_mut().unwrap_or_else(|p| p.into_inner()));
        for t in threads {
            if t.thread().id() != std::thread::current().id() {
                let _ = t.join();
            }
        }
    }
}

/// A worker's loop: take a job, run it, until the queue is closed.
fn work(rx: &Mutex<Receiver<Job>>) {
    loop {
        let job = {
            let rx = rx.lock().unwrap_or_else(|p| p.into_inner());
            rx.recv()
        };
        match job {
            Ok(job) => job(),
            Err(_) => return,
        }
    }
}

fn panic_message(panic: &(dyn std::any::Any + Send)) -> String {
    panic
        .downcast_ref::<&str>()
        .map(|s| (*s).to_string())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "(no message)".to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;
    use std::time::Duration;

    #[tokio::test]
    async fn every_worker_warms_up_once_before_its_first_job() {
        static WARMED: Mutex<Vec<std::thread::ThreadId>> = Mutex::new(Vec::new());
        fn warm() {
            WARMED.lock().unwrap().push(std::thread::current().id());
        }
        let pool = Pool::warmed(3, 3, warm).unwrap();
        // A job sees its own worker already warmed.
        let slot = pool.slot().await.unwrap();
        let warmed_first = pool
            .run(slot, || {
                WARMED
                    .lock()
                    .unwrap()
                    .contains(&std::thread::current().id())
            })
            .await
            .unwrap();
        assert!(warmed_first);
        drop(pool); // joins the workers
        let warmed = WARMED.lock().unwrap();
        assert_eq!(warmed.len(), 3);
        assert_eq!(
            warmed.iter().collect::<HashSet<_>>().len(),
            3,
            "one per worker"
        );
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    async fn jobs_run_on_the_fixed_workers_and_slots_bound_what_is_in_flight() {
        let pool = Pool::new(2, 5).unwrap();
        let running = Arc::new(AtomicUsize::new(0));
        let most_running = Arc::new(AtomicUsize::new(0));
        let threads = Arc::new(Mutex::new(HashSet::new()));
        let mut tasks = Vec::new();
        for i in 0..40 {
            let (pool, running, most_running, threads) = (
                pool.clone(),
                running.clone(),
                most_running.clone(),
                threads.clone(),
            );
            tasks.push(tokio::spawn(async move {
                let slot = pool.slot().await.unwrap();
                // The "fetch": async, holding the slot.
                tokio::time::sleep(Duration::from_millis(2)).await;
                pool.run(slot, move || {
                    let n = running.fetch_add(1, Ordering::SeqCst) + 1;
                    most_running.fetch_max(n, Ordering::SeqCst);
                    threads
                        .lock()
                        .unwrap()
                        .insert(std::thread::current().name().map(str::to_string));
                    std::thread::sleep(Duration::from_millis(3));
                    running.fetch_sub(1, Ordering::SeqCst);
                    i * 2
                })
                .await
                .unwrap()
            }));
        }
        let mut sum = 0;
        for t in tasks {
            sum += t.await.unwrap();
        }
        assert_eq!(sum, (0..40).map(|i| i * 2).sum::<i32>());
        assert_eq!(
            most_running.load(Ordering::SeqCst),
            2,
            "two workers, both used"
        );
        let names = threads.lock().unwrap().clone();
        assert_eq!(names.len(), 2, "{names:?}");
        assert!(
            names
                .iter()
                .all(|n| n.as_deref().is_some_and(|n| n.starts_with("wiredesk-cpu-")))
        );
        assert!(pool.high_water() <= 5, "{}", pool.high_water());
        assert!(pool.high_water() >= 3, "slots were used side by side");
    }

    #[tokio::test]
    async fn a_panicking_job_is_an_error_and_the_worker_lives_on() {
        let pool = Pool::new(1, 1).unwrap();
        let slot = pool.slot().await.unwrap();
        let err = pool
            .run(slot, || -> i32 { panic!("bad page") })
            .await
            .unwrap_err();
        assert!(
            matches!(&err, PoolError::Panicked(m) if m.contains("bad page")),
            "{err}"
        );
        // The panicking job gave its slot back: with one slot, this waits for it.
        let slot = pool.slot().await.unwrap();
        assert_eq!(pool.run(slot, || 7).await.unwrap(), 7);
    }

    #[test]
    fn dropping_the_pool_finishes_queued_jobs_and_joins_the_workers() {
        let done = Arc::new(AtomicUsize::new(0));
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_time()
            .build()
            .unwrap();
        let pool = Pool::new(2, 4).unwrap();
        rt.block_on(async {
            for _ in 0..3 {
                let done = done.clone();
                let slot = pool.slot().await.unwrap();
                // Queued, not awaited: the pool's drop must still run it.
                let run = pool.run(slot, move || {
                    std::thread::sleep(std::time::Duration::from_millis(5));
                    done.fetch_add(1, Ordering::SeqCst);
                });
                let _ = tokio::time::timeout(std::time::Duration::from_millis(1), run).await;
            }
        });
        drop(pool);
        assert_eq!(done.load(Ordering::SeqCst), 3);
    }
}
