//! `wiredesk backfill --feed URL…`: take in every item of the given feeds now, with a progress
//! bar on a terminal and a summary at the end.

use std::io::IsTerminal as _;
use std::num::NonZeroU64;
use std::process::ExitCode;

use clap::Args;

use crate::config::{Config, FeedConfig, FeedUrl};
use crate::pipeline::{ItemResult, Mode, Tally};

/// Arguments of `wiredesk backfill`.
#[derive(Debug, Args)]
pub struct BackfillArgs {
    /// A feed URL; configured feeds keep their name and credit, others are taken as given.
    #[arg(long = "feed", value_name = "URL", required = true)]
    pub feeds: Vec<String>,
    /// The wire credit to assume for feeds not in the config.
    #[arg(long)]
    pub credit: Option<String>,
}

/// Runs the command.
pub fn run(args: &BackfillArgs, config: &Config) -> anyhow::Result<ExitCode> {
    let mut feeds = Vec::new();
    for raw in &args.feeds {
        let url =
            FeedUrl::parse(raw).map_err(|e| super::UsageError(anyhow::anyhow!("--feed: {e}")))?;
        feeds.push(match config.feed_by_url(url.as_str()) {
            Some(f) => f.clone(),
            None => FeedConfig {
                name: url.url().host_str().unwrap_or("feed").to_string() + url.url().path(),
                url,
                interval_secs: NonZeroU64::new(crate::config::DEFAULT_INTERVAL_SECS)
                    .expect("non-zero"),
                credit: args.credit.clone(),
                fetch_articles: true,
                headers: Default::default(),
                min_interval_secs: None,
                max_interval_secs: None,
            },
        });
    }
    let store = super::open_store(config)?;
    let bar = if std::io::stderr().is_terminal() {
        let bar = indicatif::ProgressBar::new_spinner();
        bar.set_style(
            indicatif::ProgressStyle::with_template("{spinner} {elapsed} {pos} items  {msg}")
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_spinner()),
        );
        bar.enable_steady_tick(std::time::Duration::from_millis(120));
        bar
    } else {
        indicatif::ProgressBar::hidden()
    };
    let tally = std::sync::Mutex::new(Tally::default());
    let on_item = |r: &ItemResult| {
        let mut t = tally.lock().unwrap_or_else(|p| p.into_inner());
        t.add(r);
        bar.inc(1);
        bar.set_message(format!(
            "{} new, {} updated, {} failed",
            t.new, t.updated, t.failed
        ));
    };
    let runtime = super::runtime()?;
    let results = runtime.block_on(super::poll::pass(
        config,
        store,
        &feeds,
        Mode::Backfill,
        &on_item,
    ))?;
    bar.finish_and_clear();
    let code = super::poll::print_reports(&results);
    let t = tally.into_inner().unwrap_or_else(|p| p.into_inner());
    println!(
        "backfill summary: {} new, {} updated, {} duplicate, {} failed",
        t.new,
        t.updated,
        t.duplicate + t.appearances,
        t.failed
    );
    Ok(code)
}
