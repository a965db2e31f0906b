//! SIGHUP: re-read the config file, swap in its `[[sites]]` extraction rules and hand its feeds
//! to the scheduler (added, removed and changed feeds take effect at once). The store path and
//! the `[fetch]` settings are wired into the running client: a change there is reported, and
//! takes a restart. A config that no longer parses is reported with its line, and the one in
//! force is kept whole.

use std::path::PathBuf;
use std::sync::Arc;

use tokio_util::sync::CancellationToken;

use crate::config::Config;
use crate::pipeline::Pipeline;

/// Reloads `path` on every SIGHUP until `cancel`: site rules into the pipeline, the whole
/// config to `feeds` (the scheduler).
pub fn on_hangup(
    path: PathBuf,
    running: Config,
    pipeline: Arc<Pipeline>,
    feeds: tokio::sync::mpsc::Sender<Config>,
    cancel: CancellationToken,
) -> std::io::Result<()> {
    use tokio::signal::unix::{SignalKind, signal};
    let mut hup = signal(SignalKind::hangup())?;
    tokio::spawn(async move {
        loop {
            tokio::select! {
                _ = cancel.cancelled() => return,
                got = hup.recv() => if got.is_none() { return },
            }
            if let Some(new) = reload(&path, &running, &pipeline)
                && feeds.send(new).await.is_err()
            {
                return;
            }
        }
    });
    Ok(())
}

fn reload(path: &std::path::Path, running: &Config, pipeline: &Pipeline) -> Option<Config> {
    match Config::load(path) {
        Ok(new) => {
            let rules = new.sites.len();
            pipeline.set_site_rules(new.sites.clone());
            tracing::info!(path = %path.display(), rules, feeds = new.feeds.len(), "SIGHUP: config reloaded (site rules and feeds).");
            // The store path is left out: `--db` overrides the file's.
            if new.fetch != running.fetch {
                tracing::warn!(path = %path.display(), "SIGHUP: [fetch] settings changed; they take effect on restart.");
            }
            if new.metrics != running.metrics {
                tracing::warn!(path = %path.display(), "SIGHUP: [metrics] settings changed; they take effect on restart.");
            }
            Some(new)
        }
        Err(e) => {
            tracing::error!(error = %e, "SIGHUP: config not reloaded; the config in force is kept.");
            None
        }
    }
}
