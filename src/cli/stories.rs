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
    let store = Store::open_read_only(db)?;
    let mut out = std::io::stdout().lock();
    match &args.action {
        StoriesAction::List { limit } => {
            let stories = store.list_stories(*limit)?;
            print_summaries(&mut out, &stories, args.json)?;
        }
        StoriesAction::Search { query, limit } => {
            let stories = store.search(query, *limit)?;
            print_summaries(&mut out, &stories, args.json)?;
        }
        StoriesAction::Show { id } => {
            let story = store
                .story(*id)?
                .with_context(|| format!("no story with id {id} in {}", db.display()))?;
            if args.json {
                serde_json::to_writer_pretty(&mut out, &story)?;
                writeln!(out)?;
            } else {
                out.write_all(detail_text(&story).as_bytes())?;
            }
        }
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
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
    let fields: [(&str, String); 21] = [
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
        let _ = writeln!(
            t,
            "  v{}  {}  {}",
            v.version,
            v.seen_at,
            v.headline.as_deref().unwrap_or("(no headline)")
        );
    }
    let _ = writeln!(t, "appearances:");
    for a in &s.appearances {
        let _ = writeln!(
            t,
            "  {}  feed={}  site={}  seen={}",
            a.url.as_deref().or(a.guid.as_deref()).unwrap_or("-"),
            a.feed,
            a.site.as_deref().unwrap_or("-"),
            a.seen_at
        );
    }
    t
}

#[cfg(test)]
mod tests {
    use super::*;

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
