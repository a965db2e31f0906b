//! One task per feed: wait until the feed is due (its stored `next_poll_at`, so a restart keeps
//! the schedule), poll it through the pipeline, repeat. Feeds fail alone.

use std::path::PathBuf;
use std::sync::Arc;

use chrono::Utc;
use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;

use super::{notify, reload, shutdown};
use crate::config::{Config, FeedConfig};
use crate::pipeline::{Mode, Pipeline};
use crate::store::Store;

/// Runs the daemon until SIGINT/SIGTERM (or `cancel`), then drains. SIGHUP re-reads the site
/// rules from `config_path` (when the config came from a file).
pub async fn run(
    config: Config,
    config_path: Option<PathBuf>,
    store: Store,
    cancel: CancellationToken,
) -> anyhow::Result<()> {
    let states: Vec<_> = config
        .feeds
        .iter()
        .map(|f| {
            store
                .feed_state(f.url.as_str())
                .map(|s| s.and_then(|s| s.next_poll_at))
        })
        .collect::<Result<_, _>>()?;
    let pipeline = Arc::new(Pipeline::new(&config, store)?);
    shutdown::on_signal(cancel.clone())?;
    if let Some(path) = config_path {
        reload::on_hangup(path, config.clone(), pipeline.clone(), cancel.clone())?;
    }
    let tracker = TaskTracker::new();
    for (feed, next) in config.feeds.iter().cloned().zip(states) {
        let (pipeline, cancel) = (pipeline.clone(), cancel.clone());
        tracker.spawn(async move { poll_forever(&pipeline, &feed, next, &cancel).await });
    }
    {
        let (pipeline, cancel) = (pipeline.clone(), cancel.clone());
        tracker.spawn(async move { revisit_forever(&pipeline, &cancel).await });
    }
    tracker.close();
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
    cancel.cancelled().await;
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
                Some(Utc::now() + chrono::Duration::seconds(feed.interval_secs.get() as i64))
            }
        };
    }
}
