//! `wiredesk run`: the daemon.

use std::path::PathBuf;
use std::process::ExitCode;

use tokio_util::sync::CancellationToken;

use crate::config::Config;

/// Runs the daemon until SIGINT/SIGTERM; SIGHUP re-reads `config_path`. Warns when the
/// User-Agent gives site owners no contact.
pub fn run(config: Config, config_path: Option<PathBuf>) -> anyhow::Result<ExitCode> {
    if config.feeds.is_empty() {
        return Err(
            super::UsageError(anyhow::anyhow!("the config lists no [[feeds]] to poll")).into(),
        );
    }
    let ua = &config.fetch.user_agent;
    if !(ua.contains("http://") || ua.contains("https://") || ua.contains('@')) {
        // Site owners who see heavy or odd traffic look for someone to ask before they block.
        tracing::warn!(user_agent = %ua, "[fetch] user_agent names no contact (a URL or an e-mail address); site owners cannot reach you. Set it, e.g. \"wiredesk/0.1 (+https://station.example/contact)\".");
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
