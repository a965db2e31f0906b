//! `wiredesk serve`: the read API (see [`crate::api::server`]) until SIGINT/SIGTERM.

use std::process::ExitCode;

use clap::Args;
use tokio_util::sync::CancellationToken;

use crate::config::Config;

/// Arguments of `wiredesk serve`.
#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Listen here instead of `[api] listen`.
    #[arg(long, value_name = "HOST:PORT")]
    pub listen: Option<std::net::SocketAddr>,
}

/// Serves the store read-only until a stop signal.
pub fn run(args: &ServeArgs, config: &Config) -> anyhow::Result<ExitCode> {
    let runtime = super::runtime()?;
    let addr = args.listen.unwrap_or(config.api.listen);
    let db = config.store.path.clone();
    let public = config.api.public;
    runtime.block_on(async move {
        let cancel = CancellationToken::new();
        crate::daemon::stop_on_signal(cancel.clone())?;
        crate::api::server::serve(addr, db, public, cancel).await
    })?;
    Ok(ExitCode::SUCCESS)
}
