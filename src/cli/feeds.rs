//! `wiredesk feeds`: every feed's health from the store, as a table or `--json`. Read-only, so
//! it is safe beside the daemon.

use std::io::Write;
use std::process::ExitCode;

use anyhow::Context;
use clap::Args;

use crate::store::{FeedHealth, Store};

/// Arguments of `wiredesk feeds`.
#[derive(Debug, Args)]
pub struct FeedsArgs {
    /// Print one JSON array instead of a table.
    #[arg(long)]
    pub json: bool,
}

/// Runs the command against the database at `db`. Exit code 0 always when the store reads:
/// an unhealthy feed is a fact to show, not a failure of the command.
pub fn run(args: &FeedsArgs, db: &std::path::Path) -> anyhow::Result<ExitCode> {
    let store = Store::open_read_only(db)
        .with_context(|| format!("cannot open the store {}", db.display()))?;
    let feeds = store.feed_health(chrono::Utc::now())?;
    let mut out = std::io::stdout().lock();
    if args.json {
        serde_json::to_writer_pretty(&mut out, &feeds)?;
        writeln!(out)?;
    } else {
        write_table(&feeds, &mut out)?;
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

/// The table: one line per feed; the last error (and a move or a 410) under it.
fn write_table(feeds: &[FeedHealth], out: &mut impl Write) -> std::io::Result<()> {
    let time = |t: &Option<String>| t.clone().unwrap_or_else(|| "-".into());
    writeln!(
        out,
        "{:<24} {:<20} {:<20} {:>6} {:<20} {:>9}  URL",
        "FEED", "LAST POLL", "LAST SUCCESS", "ERRORS", "NEXT POLL", "ITEMS 24H"
    )?;
    for f in feeds {
        writeln!(
            out,
            "{:<24} {:<20} {:<20} {:>6} {:<20} {:>9}  {}",
            f.name,
            time(&f.last_polled_at),
            time(&f.last_success_at),
            f.consecutive_errors,
            time(&f.next_poll_at),
            f.items_24h,
            f.url
        )?;
        if let Some(to) = &f.moved_to {
            writeln!(out, "    moved to {to}")?;
        }
        if let Some(at) = &f.gone_at {
            writeln!(out, "    GONE (HTTP 410) since {at}")?;
        }
        if f.consecutive_errors > 0
            && let Some(e) = &f.last_error
        {
            writeln!(out, "    last error: {e}")?;
        }
    }
    Ok(())
}
