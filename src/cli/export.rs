//! `wiredesk export`: every stored story (or a filtered set) in a news format, streamed.
//!
//! In: the database path, a format and filters. Out: the document on stdout or in `--out FILE`
//! (written beside it and renamed into place when complete, so a reader never sees half an
//! export). The store is opened read-only, so this is safe to run beside the daemon; the scan
//! reads one snapshot, so stories the daemon writes meanwhile are left for the next export.

use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context as _;
use chrono::{DateTime, Utc};
use clap::Args;

use crate::api::export::{Exporter, Format};
use crate::store::{ScanError, Store, StoryFilter};

/// Arguments of `wiredesk export`.
#[derive(Debug, Args)]
pub struct ExportArgs {
    /// Output format.
    #[arg(long, value_enum)]
    pub format: Format,
    /// Only stories first stored at or after this time (RFC 3339, or a day: 2026-11-27).
    #[arg(long, value_parser = crate::api::parse_since)]
    pub since: Option<DateTime<Utc>>,
    /// Only stories first stored at or before this time (RFC 3339, or a day: through its end).
    #[arg(long, value_parser = crate::api::parse_until)]
    pub until: Option<DateTime<Utc>>,
    /// Only stories with this status.
    #[arg(long, value_parser = ["usable", "withheld", "canceled"])]
    pub status: Option<String>,
    /// Write here instead of stdout (replaced only once the export is complete).
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
}

/// Runs the export against the database at `db`.
pub fn run(args: &ExportArgs, db: &Path) -> anyhow::Result<ExitCode> {
    let store =
        Store::open_read_only(db).with_context(|| format!("cannot open store {}", db.display()))?;
    let filter = StoryFilter {
        since: args.since,
        until: args.until,
        status: args.status.clone(),
    };
    let n = match &args.out {
        None => export(&store, &filter, args.format, std::io::stdout().lock())?,
        Some(path) => {
            let partial = partial_path(path);
            let file = std::fs::File::create(&partial)
                .with_context(|| format!("cannot create {}", partial.display()))?;
            let result = export(&store, &filter, args.format, file).and_then(|n| {
                std::fs::rename(&partial, path).with_context(|| {
                    format!("cannot move {} to {}", partial.display(), path.display())
                })?;
                Ok(n)
            });
            if result.is_err() {
                let _ = std::fs::remove_file(&partial);
            }
            let n = result?;
            eprintln!("wiredesk: exported {n} stories to {}", path.display());
            n
        }
    };
    tracing::info!(stories = n, "Export done.");
    Ok(ExitCode::SUCCESS)
}

/// `FILE.partial` beside `FILE`.
fn partial_path(path: &Path) -> PathBuf {
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(".partial");
    path.with_file_name(name)
}

fn export(
    store: &Store,
    filter: &StoryFilter,
    format: Format,
    out: impl Write,
) -> anyhow::Result<u64> {
    let now = crate::store::time_text(Utc::now());
    let mut exporter = Exporter::begin(BufWriter::new(out), format, &now)?;
    store
        .for_each_story(filter, |row| exporter.story(&row))
        .map_err(|e| match e {
            ScanError::Store(e) => anyhow::Error::from(e),
            ScanError::Visit(e) => anyhow::Error::from(e).context("cannot write the export"),
        })?;
    let (mut out, n) = exporter.finish().context("cannot write the export")?;
    out.flush()?;
    Ok(n)
}
