//! One task per feed: wait until the feed is due (its stored `next_poll_at`, so a restart keeps
//! the schedule), poll it through the pipeline, repeat. Feeds fail alone. A reloaded config
//! starts, stops and restarts feed tasks by name.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;

use chrono::Utc;
use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;

use super::{health, notify, reload, shutdown};
use crate::config::{Config, FeedConfig};
use crate::pipeline::{Mode, Pipeline};
use crate::store::Store;

/// Runs the daemon until SIGINT/SIGTERM (or `cancel`), then drains. SIGHUP re-reads
/// `config_path` (when the config came from a file): site rules are swapped, and feeds added,
/// removed or changed take effect without a restart.
pub async fn run(
    config: Config,
    config_path: Option<PathBuf>,
    store: Store,
    cancel: CancellationToken,
) -> anyhow::Result<()> {
    let pipeline = Arc::new(Pipeline::for_daemon(&config, store)?);
    shutdown::on_signal(cancel.clone())?;
    let (reloads, mut reloaded) = tokio::sync::mpsc::channel::<Config>(4);
    if let Some(path) = config_path {
        reload::on_hangup(
            path,
            config.clone(),
            pipeline.clone(),
            reloads,
            cancel.clone(),
        )?;
    }
    if let Some(addr) = config.metrics.listen {
        let stale_after = std::time::Duration::from_secs(config.metrics.stale_after_secs.get());
        health::serve(addr, pipeline.clone(), stale_after, cancel.clone()).await?;
    }
    let tracker = TaskTracker::new();
    let mut feeds = Feeds::default();
    feeds.apply(&config.feeds, &pipeline, &tracker, &cancel);
    {
        let (pipeline, cancel) = (pipeline.clone(), cancel.clone());
        tracker.spawn(async move { revisit_forever(&pipeline, &cancel).await });
    }
    if let Some(period) = notify::watchdog_period() {
        let cancel = cancel.clone();
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(period);
            while !cancel.is_cancelled() {
                tick.tick().await;
                notify::watchdog();
            }
        });
    }
    notify::ready(config.feeds.len());
    tracing::info!(feeds = config.feeds.len(), "Daemon started.");
    loop {
        tokio::select! {
            _ = cancel.cancelled() => break,
            Some(new) = reloaded.recv() => feeds.apply(&new.feeds, &pipeline, &tracker, &cancel),
        }
    }
    tracker.close();
    notify::stopping();
    if tokio::time::timeout(shutdown::DRAIN_TIMEOUT, tracker.wait())
        .await
        .is_err()
    {
        tracing::warn!(timeout = ?shutdown::DRAIN_TIMEOUT, "Drain timed out; stopping anyway (every write is a transaction).");
    }
    tracing::info!("Daemon stopped.");
    Ok(())
}

/// The feeds being polled, by name: one task each, with its own cancellation.
#[derive(Default)]
struct Feeds {
    running: HashMap<String, Polling>,
    /// The first set was applied (later ones are reloads, and logged as such).
    started: bool,
}

struct Polling {
    config: FeedConfig,
    cancel: CancellationToken,
    task: tokio::task::JoinHandle<()>,
}

impl Feeds {
    /// Makes the running feeds those of `wanted`: new ones start, removed ones stop after the
    /// poll in hand, changed ones restart with their new settings once the old task has ended
    /// (a feed is never polled twice at once).
    fn apply(
        &mut self,
        wanted: &[FeedConfig],
        pipeline: &Arc<Pipeline>,
        tracker: &TaskTracker,
        cancel: &CancellationToken,
    ) {
        let names: std::collections::HashSet<&str> =
            wanted.iter().map(|f| f.name.as_str()).collect();
        let gone: Vec<String> = self
            .running
            .keys()
            .filter(|n| !names.contains(n.as_str()))
            .cloned()
            .collect();
        for name in gone {
            if let Some(old) = self.running.remove(&name) {
                old.cancel.cancel();
                pipeline.metrics().forget(&name);
                tracing::info!(feed = %name, "Feed removed from the config; no longer polled.");
            }
        }
        for feed in wanted {
            let previous = match self.running.remove(&feed.name) {
                Some(old) if old.config == *feed => {
                    self.running.insert(feed.name.clone(), old);
                    continue;
                }
                Some(old) => {
                    old.cancel.cancel();
                    tracing::info!(feed = %feed.name, "Feed changed in the config; restarting its schedule.");
                    Some(old.task)
                }
                None => {
                    if self.started {
                        tracing::info!(feed = %feed.name, "Feed added to the config.");
                    }
                    None
                }
            };
            let token = cancel.child_token();
            let (pipeline, feed_cfg, child) = (pipeline.clone(), feed.clone(), token.clone());
            let task = tracker.spawn(async move {
                if let Some(previous) = previous {
                    let _ = previous.await;
                }
                let next = match pipeline.next_poll_at(&feed_cfg).await {
                    Ok(at) => at,
                    Err(e) => {
                        tracing::error!(feed = %feed_cfg.name, error = %e, "Cannot read feed state.");
                        None
                    }
                };
                poll_forever(&pipeline, &feed_cfg, next, &child).await;
            });
            self.running.insert(
                feed.name.clone(),
                Polling {
                    config: feed.clone(),
                    cancel: token,
                    task,
                },
            );
        }
        self.started = true;
    }
}

/// How often the daemon looks for appearances due for a revisit.
pub const REVISIT_INTERVAL: std::time::Duration = std::time::Duration::from_secs(5 * 60);

/// Revisits due appearances every [`REVISIT_INTERVAL`] until cancelled.
async fn revisit_forever(pipeline: &Pipeline, cancel: &CancellationToken) {
    loop {
        tokio::select! {
            _ = cancel.cancelled() => return,
            _ = tokio::time::sleep(REVISIT_INTERVAL) => {}
        }
        if let Err(e) = pipeline.revisit(Utc::now(), false, cancel).await {
            tracing::warn!(error = %format!("{e:#}"), "Revisit pass failed.");
        }
    }
}

async fn poll_forever(
    pipeline: &Pipeline,
    feed: &FeedConfig,
    mut next: Option<chrono::DateTime<Utc>>,
    cancel: &CancellationToken,
) {
    loop {
        let wait = next
            .map(|at| (at - Utc::now()).to_std().unwrap_or_default())
            .unwrap_or_default();
        tokio::select! {
            _ = cancel.cancelled() => return,
            _ = tokio::time::sleep(wait) => {}
        }
        let started = Utc::now();
        match pipeline.run_feed(feed, Mode::Poll, cancel, &|_| {}).await {
            Ok(report) => notify::status(&format!(
                "{}: {} new, {} updated at {}",
                report.feed,
                report.tally.new,
                report.tally.updated,
                started.format("%H:%M:%S")
            )),
            Err(e) => tracing::warn!(feed = %feed.name, error = %format!("{e:#}"), "Poll failed."),
        }
        if cancel.is_cancelled() {
            return;
        }
        next = match pipeline.next_poll_at(feed).await {
            Ok(at) => at,
            Err(e) => {
                tracing::error!(feed = %feed.name, error = %e, "Cannot read feed state.");
                Some(
                    Utc::now()
                        + chrono::Duration::from_std(feed.min_interval()).unwrap_or_default(),
                )
            }
        };
    }
}
