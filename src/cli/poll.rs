//! `wiredesk poll`: one pass over every configured feed, then exit.

use std::process::ExitCode;

use tokio_util::sync::CancellationToken;

use crate::config::{Config, FeedConfig};
use crate::pipeline::{FeedReport, ItemResult, Mode, Pipeline, PipelineError, Tally};
use crate::store::Store;

/// Runs the command.
pub fn run(config: &Config) -> anyhow::Result<ExitCode> {
    if config.feeds.is_empty() {
        return Err(
            super::UsageError(anyhow::anyhow!("the config lists no [[feeds]] to poll")).into(),
        );
    }
    let store = super::open_store(config)?;
    let runtime = super::runtime()?;
    let results = runtime.block_on(pass(config, store, &config.feeds, Mode::Poll, &|_| {}))?;
    Ok(print_reports(&results))
}

/// Takes in `feeds` once, concurrently (the fetcher bounds the requests), each with its own
/// result. Stops early, keeping what is written, on SIGINT/SIGTERM.
pub async fn pass(
    config: &Config,
    store: Store,
    feeds: &[FeedConfig],
    mode: Mode,
    on_item: &(dyn Fn(&ItemResult) + Send + Sync),
) -> anyhow::Result<Vec<Result<FeedReport, PipelineError>>> {
    use futures_util::StreamExt as _;
    let pipeline = Pipeline::new(config, store)?;
    let cancel = CancellationToken::new();
    crate::daemon::stop_on_signal(cancel.clone())?;
    let results = futures_util::stream::iter(feeds)
        .map(|feed| pipeline.run_feed(feed, mode, &cancel, on_item))
        .buffer_unordered(config.fetch.concurrency.get())
        .collect::<Vec<_>>()
        .await;
    Ok(results)
}

/// Prints one line per feed and a total; exit 1 when any feed failed.
pub fn print_reports(results: &[Result<FeedReport, PipelineError>]) -> ExitCode {
    let mut total = Tally::default();
    let mut failed_feeds = 0;
    for result in results {
        match result {
            Ok(r) if r.not_modified => println!("feed {}: not modified", r.feed),
            Ok(r) => {
                println!("feed {}: {} items: {}", r.feed, r.items, describe(&r.tally));
                total.merge(&r.tally);
            }
            Err(e) => {
                failed_feeds += 1;
                println!("feed error: {e:#}");
            }
        }
    }
    println!(
        "total: {}; {} of {} feeds failed",
        describe(&total),
        failed_feeds,
        results.len()
    );
    if failed_feeds > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

/// "3 new, 1 updated, …" for a tally.
pub fn describe(t: &Tally) -> String {
    format!(
        "{} new, {} updated, {} new appearances, {} duplicate, {} already seen, {} failed",
        t.new, t.updated, t.appearances, t.duplicate, t.skipped, t.failed
    )
}
