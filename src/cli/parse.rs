//! `wiredesk parse`: feed files in, one JSON object per file out. No network.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use chrono::SecondsFormat;
use clap::Args;
use serde::Serialize;
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
    let failed = write_all(args, &mut stdout.lock())?;
    Ok(if failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// Writes one line per file to `out`; true when any file failed.
fn write_all(args: &ParseArgs, out: &mut impl Write) -> std::io::Result<bool> {
    let mut failed = false;
    for path in &args.files {
        let line = match parse_file(path, args) {
            Ok(feed) => feed_json(path, &feed),
            Err(error) => {
                failed = true;
                let line = ErrorLine {
                    path: path.display().to_string(),
                    error,
                };
                serde_json::to_string(&line).expect("plain data serializes")
            }
        };
        writeln!(out, "{line}")?;
    }
    out.flush()?;
    Ok(failed)
}

fn parse_file(path: &Path, args: &ParseArgs) -> Result<ParsedFeed, String> {
    let bytes = std::fs::read(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    crate::feed::parse(&bytes, args.content_type.as_deref(), args.url.as_ref())
        .map_err(|e| e.to_string())
}

/// One line of output; a struct (not a `json!` map) so the keys keep this order.
#[derive(Serialize)]
struct FeedLine<'a> {
    path: String,
    format: &'static str,
    title: Option<&'a str>,
    entries: Vec<EntryLine<'a>>,
    repairs: &'a [String],
}

#[derive(Serialize)]
struct EntryLine<'a> {
    id: &'a str,
    title: Option<&'a str>,
    link: Option<&'a str>,
    published: Option<String>,
    authors: &'a [String],
    summary: Option<&'a str>,
    published_raw: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pubstatus: Option<crate::model::PubStatus>,
    #[serde(skip_serializing_if = "Option::is_none")]
    version: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    dateline: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    located: Option<&'a str>,
    #[serde(skip_serializing_if = "<[String]>::is_empty")]
    signals: &'a [String],
    #[serde(skip_serializing_if = "Option::is_none")]
    embargoed: Option<String>,
}

#[derive(Serialize)]
struct ErrorLine {
    path: String,
    error: String,
}

fn feed_json(path: &Path, feed: &ParsedFeed) -> String {
    let line = FeedLine {
        path: path.display().to_string(),
        format: feed.format.as_str(),
        title: feed.title.as_deref(),
        entries: feed
            .items
            .iter()
            .map(|item| EntryLine {
                id: &item.id,
                title: item.title.as_deref(),
                link: item.link.as_deref(),
                published: item
                    .published
                    .map(|d| d.to_rfc3339_opts(SecondsFormat::Secs, true)),
                authors: &item.authors,
                summary: item.summary.as_deref(),
                published_raw: item.published_raw.as_deref(),
                pubstatus: item.pubstatus,
                version: item.version,
                dateline: item.dateline.as_deref(),
                located: item.located.as_deref(),
                signals: &item.signals,
                embargoed: item
                    .embargoed
                    .map(|d| d.to_rfc3339_opts(SecondsFormat::Secs, true)),
            })
            .collect(),
        repairs: &feed.repairs,
    };
    serde_json::to_string(&line).expect("plain data serializes")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{FeedFormat, FeedItem};
    use serde_json::Value;

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
            ttl_minutes: None,
            repairs: vec!["escaped bare &".into()],
        };
        let text = feed_json(Path::new("f.atom"), &feed);
        assert!(
            text.starts_with("{\"path\":\"f.atom\",\"format\":\"atom\",\"title\""),
            "{text}"
        );
        let v: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(v["format"], "atom");
        assert_eq!(v["entries"][0]["published"], "2026-11-27T08:00:00Z");
        assert_eq!(v["entries"][0]["link"], Value::Null);
        assert_eq!(v["entries"][0]["authors"][0], "X");
        assert_eq!(v["path"], "f.atom");
        assert_eq!(v["repairs"][0], "escaped bare &");
        assert!(v["entries"][0].get("pubstatus").is_none());
    }

    #[test]
    fn a_failing_file_is_reported_and_the_rest_still_parse() {
        let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fixtures/feeds-cases");
        let args = ParseArgs {
            content_type: None,
            url: Some(Url::parse("https://station.example/feeds/atom.xml").unwrap()),
            files: vec![
                dir.join("not-a-feed.html"),
                dir.join("atom-relative-links.atom"),
                dir.join("missing-file.xml"),
            ],
        };
        let mut out = Vec::new();
        assert!(
            write_all(&args, &mut out).unwrap(),
            "failures must be reported"
        );
        let lines: Vec<Value> = String::from_utf8(out)
            .unwrap()
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        assert_eq!(lines.len(), 3);
        assert!(
            lines[0]["error"].as_str().unwrap().contains("<html>"),
            "{}",
            lines[0]
        );
        assert_eq!(lines[1]["format"], "atom");
        assert_eq!(
            lines[1]["entries"][0]["link"],
            "https://station.example/news/2026/11/27/relative-entry"
        );
        assert_eq!(lines[1]["entries"][0]["published"], "2026-11-27T14:15:00Z");
        assert!(
            lines[2]["error"].as_str().unwrap().contains("cannot read"),
            "{}",
            lines[2]
        );
        assert!(lines[2].get("entries").is_none());
    }
}
