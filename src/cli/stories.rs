//! `wiredesk stories list|show|search`: read the store.
//!
//! In: the database path and the subcommand. Out: text lines (or JSON with `--json`) on stdout.
//! The store is opened read-only, so this is safe to run beside the daemon.

use std::io::Write;
use std::process::ExitCode;

use anyhow::Context;
use clap::{Args, Subcommand};

use crate::store::{Store, StoryDetail, StorySummary};

/// Arguments of `wiredesk stories`.
#[derive(Debug, Args)]
pub struct StoriesArgs {
    /// Print JSON instead of text.
    #[arg(long, global = true)]
    pub json: bool,
    /// What to do.
    #[command(subcommand)]
    pub action: StoriesAction,
}

/// `stories` subcommands.
#[derive(Debug, Subcommand)]
pub enum StoriesAction {
    /// The newest stories.
    List {
        /// How many.
        #[arg(long, default_value_t = 50)]
        limit: usize,
    },
    /// One story with its versions and appearances.
    Show {
        /// Story id.
        id: i64,
    },
    /// Full-text search over headlines and bodies.
    Search {
        /// FTS5 query.
        query: String,
        /// How many.
        #[arg(long, default_value_t = 50)]
        limit: usize,
    },
}

/// Runs the command against the database at `db`.
pub fn run(args: &StoriesArgs, db: &std::path::Path) -> anyhow::Result<ExitCode> {
    let mut out = std::io::stdout().lock();
    write_output(args, db, &mut out)?;
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

/// Does the work of [`run`], writing to `out` (so tests can read it).
fn write_output(
    args: &StoriesArgs,
    db: &std::path::Path,
    out: &mut impl Write,
) -> anyhow::Result<()> {
    let store = Store::open_read_only(db)?;
    match &args.action {
        StoriesAction::List { limit } => {
            let stories = store.list_stories(*limit)?;
            print_summaries(out, &stories, args.json)?;
        }
        StoriesAction::Search { query, limit } => {
            let stories = store.search(query, *limit)?;
            print_summaries(out, &stories, args.json)?;
        }
        StoriesAction::Show { id } => {
            let story = store
                .story(*id)?
                .with_context(|| format!("no story with id {id} in {}", db.display()))?;
            if args.json {
                serde_json::to_writer_pretty(&mut *out, &story)?;
                writeln!(out)?;
            } else {
                out.write_all(detail_text(&story).as_bytes())?;
            }
        }
    }
    Ok(())
}

fn print_summaries(
    out: &mut impl Write,
    stories: &[StorySummary],
    json: bool,
) -> anyhow::Result<()> {
    if json {
        serde_json::to_writer_pretty(&mut *out, stories)?;
        writeln!(out)?;
    } else {
        for s in stories {
            writeln!(out, "{}", summary_line(s))?;
        }
    }
    Ok(())
}

/// `id  v<version>  <published or first seen>  <credit>  <headline>  (<n> appearances)`.
fn summary_line(s: &StorySummary) -> String {
    let n = s.appearances;
    format!(
        "{}  v{}  {}  {}  {}  ({n} appearance{})",
        s.id,
        s.version,
        s.published_at.as_deref().unwrap_or(&s.first_seen_at),
        s.credit.as_deref().unwrap_or("-"),
        s.headline.as_deref().unwrap_or("(no headline)"),
        if n == 1 { "" } else { "s" },
    )
}

/// Every field, then the body, the versions and the appearances.
fn detail_text(s: &StoryDetail) -> String {
    use std::fmt::Write as _;
    let mut t = String::new();
    let opt = |v: &Option<String>| v.clone().unwrap_or_else(|| "-".to_owned());
    let list = |v: &[String]| {
        if v.is_empty() {
            "-".to_owned()
        } else {
            v.join(", ")
        }
    };
    let fields: [(&str, String); 22] = [
        ("id", s.id.to_string()),
        ("headline", opt(&s.headline)),
        ("credit", opt(&s.credit)),
        ("authors", list(&s.authors)),
        ("site_name", opt(&s.site_name)),
        ("published_at", opt(&s.published_at)),
        ("updated_at", opt(&s.updated_at)),
        ("canonical_url", opt(&s.canonical_url)),
        ("section", opt(&s.section)),
        ("topics", list(&s.topics)),
        ("language", opt(&s.language)),
        ("dateline", opt(&s.dateline)),
        ("description", opt(&s.description)),
        ("image", opt(&s.image)),
        ("version", s.version.to_string()),
        ("body_hash", s.body_hash.clone()),
        ("url_key", opt(&s.url_key)),
        ("status", s.status.clone()),
        ("embargoed", opt(&s.embargoed_until)),
        ("first_seen_at", s.first_seen_at.clone()),
        ("last_seen_at", s.last_seen_at.clone()),
        ("body_html", format!("{} bytes", s.body_html.len())),
    ];
    for (name, value) in fields {
        let _ = writeln!(t, "{name:<14} {value}");
    }
    let _ = writeln!(t, "\n{}\n", s.body_text.trim_end());
    let _ = writeln!(t, "versions:");
    for v in &s.versions {
        let changes = if v.version == 1 {
            "first seen".to_owned()
        } else {
            v.changes.describe()
        };
        let correction = if v.is_correction { ", correction" } else { "" };
        let _ = writeln!(
            t,
            "  v{}  {}  {}  [{changes}{correction}]",
            v.version,
            v.seen_at,
            v.headline.as_deref().unwrap_or("(no headline)")
        );
    }
    let _ = writeln!(t, "appearances:");
    for a in &s.appearances {
        let _ = writeln!(
            t,
            "  {}  feed={}  site={}  seen={}{}{}",
            a.url.as_deref().or(a.guid.as_deref()).unwrap_or("-"),
            a.feed,
            a.site.as_deref().unwrap_or("-"),
            a.seen_at,
            a.withdrawn_at
                .as_deref()
                .map(|w| format!("  withdrawn={w}"))
                .unwrap_or_default(),
            if a.is_cut { "  (cut)" } else { "" }
        );
    }
    t
}

#[cfg(test)]
mod tests {
    use chrono::{TimeZone, Utc};

    use super::*;
    use crate::model::Article;
    use crate::store::Incoming;

    /// A database with two stories: one seen at two stations, one revised once.
    fn fixture_db() -> (tempfile::TempDir, std::path::PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("wiredesk.db");
        let mut store = Store::open(&path).unwrap();
        let t = |m| Utc.with_ymd_and_hms(2026, 11, 27, 12, m, 0).unwrap();
        let item = |feed: &str, url: &str, headline: &str, body: &str, m| Incoming {
            article: Article {
                headline: Some(headline.into()),
                credit: Some("CNN Newsource".into()),
                site_name: Some(feed.to_uppercase()),
                body_text: body.into(),
                ..Article::default()
            },
            feed: feed.into(),
            guid: Some(url.into()),
            url: Some(url.into()),
            seen_at: t(m),
            wire: None,
            body_source: crate::store::BodySource::Page,
        };
        let senate = "The Senate passed the spending bill on Friday.";
        store
            .ingest(&item(
                "kvia",
                "https://kvia.com/senate",
                "Senate passes bill",
                senate,
                0,
            ))
            .unwrap();
        store
            .ingest(&item(
                "wlox",
                "https://wlox.com/senate",
                "Senate passes bill",
                senate,
                1,
            ))
            .unwrap();
        let storm = "A winter storm is moving across the plains.";
        store
            .ingest(&item(
                "kvia",
                "https://kvia.com/storm",
                "Storm coming",
                storm,
                2,
            ))
            .unwrap();
        let storm2 = "A winter storm is moving across the plains tonight.";
        store
            .ingest(&item(
                "kvia",
                "https://kvia.com/storm",
                "Storm arrives",
                storm2,
                3,
            ))
            .unwrap();
        (dir, path)
    }

    fn output(db: &std::path::Path, json: bool, action: StoriesAction) -> anyhow::Result<String> {
        let mut out = Vec::new();
        write_output(&StoriesArgs { json, action }, db, &mut out)?;
        Ok(String::from_utf8(out).unwrap())
    }

    #[test]
    fn list_prints_newest_first_one_line_each() {
        let (_dir, db) = fixture_db();
        let text = output(&db, false, StoriesAction::List { limit: 50 }).unwrap();
        assert_eq!(
            text,
            "2  v2  2026-11-27T12:02:00Z  CNN Newsource  Storm arrives  (1 appearance)\n\
             1  v1  2026-11-27T12:00:00Z  CNN Newsource  Senate passes bill  (2 appearances)\n"
        );
        let json = output(&db, true, StoriesAction::List { limit: 1 }).unwrap();
        let v: serde_json::Value = serde_json::from_str(&json).unwrap();
        assert_eq!(v.as_array().unwrap().len(), 1);
        assert_eq!(v[0]["id"], 2);
        assert_eq!(v[0]["version"], 2);
    }

    #[test]
    fn search_finds_by_body_word() {
        let (_dir, db) = fixture_db();
        let text = output(
            &db,
            false,
            StoriesAction::Search {
                query: "plains".into(),
                limit: 50,
            },
        )
        .unwrap();
        assert!(text.starts_with("2  v2  "), "{text}");
        assert_eq!(text.lines().count(), 1);
        let err = output(
            &db,
            false,
            StoriesAction::Search {
                query: "\"unclosed".into(),
                limit: 5,
            },
        )
        .unwrap_err();
        assert!(format!("{err:#}").contains("\"unclosed"), "{err:#}");
    }

    #[test]
    fn show_prints_fields_versions_and_appearances() {
        let (_dir, db) = fixture_db();
        let text = output(&db, false, StoriesAction::Show { id: 2 }).unwrap();
        assert!(text.contains("headline       Storm arrives\n"), "{text}");
        assert!(
            text.contains("\nA winter storm is moving across the plains tonight.\n"),
            "{text}"
        );
        assert!(
            text.contains("  v1  2026-11-27T12:02:00Z  Storm coming  [first seen]\n"),
            "{text}"
        );
        assert!(
            text.contains(
                "  v2  2026-11-27T12:03:00Z  Storm arrives  [1 paragraph changed, headline changed]\n"
            ),
            "{text}"
        );
        assert!(
            text.contains(
                "  https://kvia.com/storm  feed=kvia  site=KVIA  seen=2026-11-27T12:02:00Z"
            ),
            "{text}"
        );

        let json = output(&db, true, StoriesAction::Show { id: 1 }).unwrap();
        let v: serde_json::Value = serde_json::from_str(&json).unwrap();
        assert_eq!(v["appearances"].as_array().unwrap().len(), 2);
        assert_eq!(v["versions"][0]["version"], 1);
        let storm = output(&db, true, StoriesAction::Show { id: 2 }).unwrap();
        let storm: serde_json::Value = serde_json::from_str(&storm).unwrap();
        assert_eq!(storm["versions"][1]["changes"]["paragraphs_changed"], 1);
        assert_eq!(storm["versions"][1]["changes"]["headline_changed"], true);
        assert_eq!(storm["status"], "usable");
        assert_eq!(v["authors"], serde_json::json!([]));
    }

    #[test]
    fn unknown_id_and_missing_file_are_named() {
        let (dir, db) = fixture_db();
        let err = output(&db, false, StoriesAction::Show { id: 99 }).unwrap_err();
        assert!(err.to_string().contains("no story with id 99"), "{err}");
        let missing = dir.path().join("missing.db");
        let err = output(&missing, false, StoriesAction::List { limit: 1 }).unwrap_err();
        assert!(err.to_string().contains("missing.db"), "{err}");
        assert!(!missing.exists());
    }

    fn summary() -> StorySummary {
        StorySummary {
            id: 7,
            headline: Some("Senate passes bill".into()),
            credit: Some("CNN Newsource".into()),
            section: None,
            published_at: None,
            version: 2,
            appearances: 1,
            first_seen_at: "2026-11-27T12:00:00Z".into(),
        }
    }

    #[test]
    fn summary_line_falls_back_to_first_seen_and_counts_appearances() {
        assert_eq!(
            summary_line(&summary()),
            "7  v2  2026-11-27T12:00:00Z  CNN Newsource  Senate passes bill  (1 appearance)"
        );
        let s = StorySummary {
            published_at: Some("2026-11-27T11:00:00Z".into()),
            credit: None,
            headline: None,
            appearances: 3,
            ..summary()
        };
        assert_eq!(
            summary_line(&s),
            "7  v2  2026-11-27T11:00:00Z  -  (no headline)  (3 appearances)"
        );
    }
}
