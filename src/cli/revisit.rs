//! `wiredesk revisit`: fetch again (conditional GET) every appearance whose revisit is due, to
//! catch write-throughs, corrections and removals; then exit.

use std::process::ExitCode;

use clap::Args;
use tokio_util::sync::CancellationToken;

use crate::config::Config;
use crate::pipeline::Pipeline;

/// Arguments of `wiredesk revisit`.
#[derive(Debug, Args)]
pub struct RevisitArgs {
    /// Revisit every appearance still on the schedule now, not only those due.
    #[arg(long)]
    pub all: bool,
}

/// Runs the command.
pub fn run(args: &RevisitArgs, config: &Config) -> anyhow::Result<ExitCode> {
    let store = super::open_store(config)?;
    let runtime = super::runtime()?;
    let tally = runtime.block_on(async {
        let pipeline = Pipeline::new(config, store)?;
        let cancel = CancellationToken::new();
        crate::daemon::stop_on_signal(cancel.clone())?;
        anyhow::Ok(
            pipeline
                .revisit(chrono::Utc::now(), args.all, &cancel)
                .await?,
        )
    })?;
    println!(
        "revisited: {} unchanged, {} updated, {} withdrawn, {} canceled, {} failed, {} not fetched (robots.txt)",
        tally.duplicate,
        tally.updated,
        tally.withdrawn,
        tally.canceled,
        tally.failed,
        tally.skipped
    );
    Ok(if tally.failed > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}
