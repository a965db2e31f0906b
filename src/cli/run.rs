//! `wiredesk run`: the daemon.

use std::path::PathBuf;
use std::process::ExitCode;

use tokio_util::sync::CancellationToken;

use crate::config::Config;

/// Runs the daemon until SIGINT/SIGTERM; SIGHUP re-reads `config_path`'s site rules.
pub fn run(config: Config, config_path: Option<PathBuf>) -> anyhow::Result<ExitCode> {
    if config.feeds.is_empty() {
        return Err(
            super::UsageError(anyhow::anyhow!("the config lists no [[feeds]] to poll")).into(),
        );
    }
    let store = super::open_store(&config)?;
    let runtime = super::runtime()?;
    runtime.block_on(crate::daemon::run(
        config,
        config_path,
        store,
        CancellationToken::new(),
    ))?;
    Ok(ExitCode::SUCCESS)
}
