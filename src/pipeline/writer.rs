//! The store's single writer: one thread owns the [`Store`] and runs every store call of the
//! pipeline in the order they come, committing the articles that wait together in one
//! transaction.
//!
//! Why: a commit costs more than filing one article, and a blocking task per call (the old
//! way, behind a mutex) added a thread hop and lock hand-off to each. Articles that arrive
//! while a batch is being written wait for the next one, so a busy backfill writes in batches
//! and a quiet daemon writes each article at once: nothing waits for a timer. An article is
//! reported stored only after its batch is committed, so a kill at any moment loses nothing
//! that was reported.

use std::sync::Mutex;
use std::sync::mpsc::{Receiver, Sender};
use std::thread::JoinHandle;

use tokio::sync::oneshot;

use crate::store::{IngestOutcome, Prepared, Store, StoreError};

/// At most this many articles share a transaction.
pub const MAX_BATCH: usize = 128;

/// Why a store call gave no result.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum WriteError {
    /// The store refused or failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The writer thread is gone (it panicked, or the pipeline is shutting down).
    #[error("the store writer has stopped")]
    Stopped,
}

type Reply<T> = oneshot::Sender<Result<T, StoreError>>;

enum Op {
    Ingest(Box<Prepared>, Reply<IngestOutcome>),
    Call(Box<dyn FnOnce(&mut Store) + Send>),
}

/// The writer thread and the way to it.
#[derive(Debug)]
pub struct Writer {
    ops: Mutex<Option<Sender<Op>>>,
    thread: Mutex<Option<JoinHandle<()>>>,
}

impl Writer {
    /// Starts the thread that owns `store`.
    pub fn start(mut store: Store) -> std::io::Result<Writer> {
        let (tx, rx) = std::sync::mpsc::channel();
        let thread = std::thread::Builder::new()
            .name("wiredesk-store".into())
            .spawn(move || serve(&mut store, &rx))?;
        Ok(Writer {
            ops: Mutex::new(Some(tx)),
            thread: Mutex::new(Some(thread)),
        })
    }

    fn send(&self, op: Op) -> Result<(), WriteError> {
        let ops = self.ops.lock().unwrap_or_else(|p| p.into_inner());
        ops.as_ref()
            .ok_or(WriteError::Stopped)?
            .send(op)
            .map_err(|_| WriteError::Stopped)
    }

    /// Files an article; the outcome comes once its batch is committed.
    pub async fn ingest(&self, article: Prepared) -> Result<IngestOutcome, WriteError> {
        let (tx, rx) = oneshot::channel();
        self.send(Op::Ingest(Box::new(article), tx))?;
        Ok(rx.await.map_err(|_| WriteError::Stopped)??)
    }

    /// Runs `f` on the store, after every call and article sent before it.
    pub async fn call<T, F>(&self, f: F) -> Result<T, WriteError>
    where
        T: Send + 'static,
        F: FnOnce(&mut Store) -> Result<T, StoreError> + Send + 'static,
    {
        let (tx, rx) = oneshot::channel();
        self.send(Op::Call(Box::new(move |store| {
            let _ = tx.send(f(store));
        })))?;
        Ok(rx.await.map_err(|_| WriteError::Stopped)??)
    }
}

impl Drop for Writer {
    /// Lets the thread finish what was sent, then closes the store (and its WAL) on it.
    fn drop(&mut self) {
        drop(self.ops.get_mut().unwrap_or_else(|p| p.into_inner()).take());
        if let Some(thread) = self
            .thread
            .get_mut()
            .unwrap_or_else(|p| p.into_inner())
            .take()
        {
            let _ = thread.join();
        }
    }
}

/// The writer's loop: calls run alone, in order; articles that wait in a row form a batch.
fn serve(store: &mut Store, ops: &Receiver<Op>) {
    let mut held = None;
    loop {
        let op = match held.take() {
            Some(op) => op,
            None => match ops.recv() {
                Ok(op) => op,
                Err(_) => return,
            },
        };
        // A panic inside one call (a bug) drops that call's reply, which its caller sees as
        // `Stopped`; the thread and the store stay up for the others.
        let ran = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| match op {
            Op::Call(f) => f(store),
            Op::Ingest(article, reply) => {
                let mut batch = vec![*article];
                let mut replies = vec![reply];
                while batch.len() < MAX_BATCH {
                    match ops.try_recv() {
                        Ok(Op::Ingest(article, reply)) => {
                            batch.push(*article);
                            replies.push(reply);
                        }
                        Ok(call) => {
                            held = Some(call);
                            break;
                        }
                        Err(_) => break,
                    }
                }
                write_batch(store, &batch, replies);
            }
        }));
        if ran.is_err() {
            tracing::error!("A store call panicked.");
        }
    }
}

/// One transaction for the batch; when it fails (one article's error rolls back all of it),
/// each article is written again alone, so the others are stored and each gets its own answer.
fn write_batch(store: &mut Store, batch: &[Prepared], replies: Vec<Reply<IngestOutcome>>) {
    match store.ingest_batch(batch) {
        Ok(outcomes) => {
            tracing::debug!(articles = batch.len(), "Batch committed.");
            for (reply, outcome) in replies.into_iter().zip(outcomes) {
                let _ = reply.send(Ok(outcome));
            }
        }
        Err(e) => {
            tracing::warn!(error = %e, articles = batch.len(), "Batch failed; writing its articles one by one.");
            for (article, reply) in batch.iter().zip(replies) {
                let _ = reply.send(store.ingest_prepared(article));
            }
        }
    }
}
