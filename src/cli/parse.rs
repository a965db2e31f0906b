//! `wiredesk parse`: feed files in, one JSON object per file out. No network.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use chrono::SecondsFormat;
use clap::Args;
use serde_json::{Value, json};
use url::Url;

use crate::model::ParsedFeed;

/// Arguments of `wiredesk parse`.
#[derive(Debug, Args)]
pub struct ParseArgs {
    /// The Content-Type the files were served with (its charset is honoured).
    #[arg(long)]
    pub content_type: Option<String>,
    /// The feed's URL (base for relative links).
    #[arg(long)]
    pub url: Option<Url>,
    /// Feed files.
    #[arg(value_name = "FILE", required = true)]
    pub files: Vec<PathBuf>,
}

/// Runs the command: a file that cannot be read or parsed prints `{"path","error"}` and the
/// others still run; the exit code is 1 when any failed.
pub fn run(args: &ParseArgs) -> anyhow::Result<ExitCode> {
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let mut failed = false;
    for path in &args.files {
        let line = match parse_file(path, args) {
            Ok(feed) => feed_json(path, &feed),
            Err(error) => {
                failed = true;
                json!({ "path": path.display().to_string(), "error": error })
            }
        };
        writeln!(out, "{line}")?;
    }
    out.flush()?;
    Ok(if failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

fn parse_file(path: &Path, args: &ParseArgs) -> Result<ParsedFeed, String> {
    let bytes = std::fs::read(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    crate::feed::parse(&bytes, args.content_type.as_deref(), args.url.as_ref())
        .map_err(|e| e.to_string())
}

fn feed_json(path: &Path, feed: &ParsedFeed) -> Value {
    let entries: Vec<Value> = feed
        .items
        .iter()
        .map(|item| {
            json!({
                "id": item.id,
                "title": item.title,
                "link": item.link,
                "published": item.published.map(|d| d.to_rfc3339_opts(SecondsFormat::Secs, true)),
                "authors": item.authors,
                "summary": item.summary,
            })
        })
        .collect();
    json!({
        "path": path.display().to_string(),
        "format": feed.format.as_str(),
        "title": feed.title,
        "entries": entries,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{FeedFormat, FeedItem};

    #[test]
    fn feed_json_has_the_documented_shape() {
        let feed = ParsedFeed {
            format: FeedFormat::Atom,
            title: Some("T".into()),
            language: None,
            items: vec![FeedItem {
                id: "i".into(),
                title: Some("A".into()),
                published: Some(
                    chrono::DateTime::parse_from_rfc3339("2026-11-27T10:00:00+02:00")
                        .unwrap()
                        .to_utc(),
                ),
                authors: vec!["X".into()],
                ..FeedItem::default()
            }],
        };
        let v = feed_json(Path::new("f.atom"), &feed);
        assert_eq!(v["format"], "atom");
        assert_eq!(v["entries"][0]["published"], "2026-11-27T08:00:00Z");
        assert_eq!(v["entries"][0]["link"], Value::Null);
        assert_eq!(v["entries"][0]["authors"][0], "X");
        assert_eq!(v["path"], "f.atom");
    }
}
