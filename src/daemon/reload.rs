//! SIGHUP: re-read the config file and swap in its `[[sites]]` extraction rules, which are
//! data and can change under a running daemon. Everything else (feeds, store, fetch limits)
//! is wired into running tasks: a change there is reported, and takes a restart. A config that
//! no longer parses is reported and the rules in force are kept.

use std::path::PathBuf;
use std::sync::Arc;

use tokio_util::sync::CancellationToken;

use crate::config::Config;
use crate::pipeline::Pipeline;

/// Reloads the site rules from `path` on every SIGHUP until `cancel`.
pub fn on_hangup(
    path: PathBuf,
    running: Config,
    pipeline: Arc<Pipeline>,
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
            reload(&path, &running, &pipeline);
        }
    });
    Ok(())
}

fn reload(path: &std::path::Path, running: &Config, pipeline: &Pipeline) {
    match Config::load(path) {
        Ok(new) => {
            let rules = new.sites.len();
            // The store path is left out: `--db` overrides the file's.
            let rest_changed = new.feeds != running.feeds || new.fetch != running.fetch;
            pipeline.set_site_rules(new.sites);
            tracing::info!(path = %path.display(), rules, "SIGHUP: site rules reloaded.");
            if rest_changed {
                tracing::warn!(path = %path.display(), "SIGHUP: feeds, store or fetch settings changed too; they take effect on restart.");
            }
        }
        Err(e) => {
            tracing::error!(error = %e, "SIGHUP: config not reloaded; the site rules in force are kept.");
        }
    }
}
