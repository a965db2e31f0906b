//! The only SQL: the SQLite schema, its migrations, the single writer and the read queries.
//!
//! In: [`Incoming`] articles (from the pipeline) and poll results; out: stories, their versions
//! and appearances, feed poll state. One [`Store`] holds one connection; the writer opens with
//! [`Store::open`] (WAL, migrations applied), readers with [`Store::open_read_only`]. Every
//! write is one transaction, so a crash leaves either all of an ingest or none of it. Nothing is
//! ever deleted. The tables are a contract documented in `docs/schema.md`.

use std::path::{Path, PathBuf};
use std::time::Duration;

use chrono::{DateTime, SecondsFormat, Utc};
use rusqlite::{Connection, OpenFlags};
use serde::Serialize;

use crate::model::{Article, PubStatus};

mod desk;
mod error;
mod export;
mod feeds;
mod history;
mod ingest;
mod migrations;
mod neardup;
mod queries;
mod revisit;
mod sql;
mod tokens;

pub use desk::{FeedDay, WireRow};
pub use error::StoreError;
pub use export::{ChangeRow, PageKey, ScanError, StoryFilter, StoryQuery, StoryRow};
pub use feeds::FeedHealth;
pub use ingest::{Prepared, REVISIT_AFTER};
pub use migrations::SCHEMA_VERSION;
pub use neardup::{MAX_CANDIDATES, MAX_POSTINGS};
pub use queries::{AppearanceRow, Counts, StoryDetail, VersionRow};
pub use revisit::{DueRevisit, RevisitOutcome};
pub use tokens::TokenInfo;

/// How long a connection waits for another's lock before giving up with "database is locked".
pub const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// The writer connection's page cache, in KiB: SQLite's default 2 MiB. The daemon writes a
/// few stories a minute and runs for months on small machines; a larger cache there only
/// grows its memory for the first minutes as the store's pages pass through it (8 MiB held
/// the daemon's RSS rising for a minute after the work had levelled off).
const WRITER_CACHE_KIB: u64 = 2 * 1024;

/// The writer's page cache for a batch job ([`Store::set_page_cache_kib`]): with 2 MiB every
/// ingest read index pages back from the OS (pread copies), a third of the writer's time in a
/// backfill; with 8 MiB backfill CPU fell from 25.9 to 23.9 s.
pub const BATCH_CACHE_KIB: u64 = 8 * 1024;

/// WAL frames after which a commit checkpoints (SQLite's default is 1,000). One article's
/// commit dirties a leaf page of the shingle index per sampled hash (hundreds of random pages),
/// so at the default a checkpoint ran every two or three commits and copied the same hot
/// index pages back into the database file again and again. A longer WAL copies each page once
/// per checkpoint for many commits; it is still bounded (about 40 MB) and reset at each one.
const WAL_AUTOCHECKPOINT_FRAMES: i64 = 10_000;

/// Poll state kept per feed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FeedState {
    /// `ETag` of the last full response.
    pub etag: Option<String>,
    /// `Last-Modified` of the last full response.
    pub last_modified: Option<String>,
    /// When it was last polled.
    pub last_polled_at: Option<DateTime<Utc>>,
    /// When it is due next.
    pub next_poll_at: Option<DateTime<Utc>>,
    /// Polls in a row that failed.
    pub consecutive_errors: u32,
    /// The last failure's message.
    pub last_error: Option<String>,
    /// Where the feed moved (301/308): polled there instead of its configured URL.
    pub moved_to: Option<String>,
    /// When the feed answered 410 Gone (cleared by a later success).
    pub gone_at: Option<DateTime<Utc>>,
    /// How often the feed was last found to post (see `PollOutcome::Fetched`).
    pub learned_interval: Option<std::time::Duration>,
}

/// One article to store, with where it was seen.
#[derive(Debug, Clone)]
pub struct Incoming {
    /// What extraction made of the page (or of the feed's text).
    pub article: Article,
    /// The configured feed's name.
    pub feed: String,
    /// The item's stable id in that feed.
    pub guid: Option<String>,
    /// Where it was seen (the page URL after redirects, else the item link).
    pub url: Option<String>,
    /// When.
    pub seen_at: DateTime<Utc>,
    /// What a wire-format item (ninjs, NewsML-G2) states about its own publication; `None`
    /// for feed and page items, which state nothing (their story's status is left as it is).
    pub wire: Option<WireState>,
    /// Where the text came from (`appearances.body_source`).
    pub body_source: BodySource,
}

/// Where an article's text came from, as `appearances.body_source` records it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum BodySource {
    /// The article page.
    #[default]
    Page,
    /// The feed's own text: the page could not be had, or the item has no link to fetch.
    Feed,
    /// The feed's own text because robots.txt disallows the page (or could not be had).
    FeedRobots,
}

impl BodySource {
    /// The column's value: `page`, `feed` or `feed:robots`.
    pub fn as_str(self) -> &'static str {
        match self {
            BodySource::Page => "page",
            BodySource::Feed => "feed",
            BodySource::FeedRobots => "feed:robots",
        }
    }
}

/// The publication state a wire item gives its story: the latest one seen wins.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WireState {
    /// `Usable` or `Withheld` (a `Canceled` item goes to [`Store::cancel_item`] instead).
    pub pubstatus: PubStatus,
    /// Not to be published before this time; `None` lifts an earlier embargo.
    pub embargoed: Option<DateTime<Utc>>,
}

/// What storing an article did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum IngestOutcome {
    /// A new story row.
    New {
        /// Its id.
        story_id: i64,
    },
    /// A known story seen again at a new place.
    NewAppearance {
        /// The story.
        story_id: i64,
    },
    /// A known story with changed text.
    NewVersion {
        /// The story.
        story_id: i64,
        /// The new version number.
        version: i64,
    },
    /// Nothing new: same story, same place, same text.
    Duplicate {
        /// The story.
        story_id: i64,
    },
    /// A removal notice in place of a known story: the story is now `canceled`.
    Canceled {
        /// The story.
        story_id: i64,
    },
}

impl IngestOutcome {
    /// The story the article was filed under.
    pub fn story_id(&self) -> i64 {
        match *self {
            IngestOutcome::New { story_id }
            | IngestOutcome::NewAppearance { story_id }
            | IngestOutcome::NewVersion { story_id, .. }
            | IngestOutcome::Duplicate { story_id }
            | IngestOutcome::Canceled { story_id } => story_id,
        }
    }
}

/// The database: one SQLite connection, either the single writer or a read-only reader.
#[derive(Debug)]
pub struct Store {
    conn: Connection,
    path: PathBuf,
    read_only: bool,
}

/// What a poll found, recorded on the feed's row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PollOutcome {
    /// 304: the validators stay.
    NotModified,
    /// A full response: its validators replace the old ones.
    Fetched {
        /// `ETag`.
        etag: Option<String>,
        /// `Last-Modified`.
        last_modified: Option<String>,
        /// The poll interval the feed's items suggest (none: the one learned before stays).
        learned_interval: Option<std::time::Duration>,
    },
    /// The poll failed; `consecutive_errors` goes up.
    Failed {
        /// The message, naming the URL.
        error: String,
    },
}

/// A row of `stories` in brief, for listings.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StorySummary {
    /// Story id.
    pub id: i64,
    /// Headline of the current version.
    pub headline: Option<String>,
    /// Wire credit.
    pub credit: Option<String>,
    /// Section.
    pub section: Option<String>,
    /// Publication time (RFC 3339).
    pub published_at: Option<String>,
    /// Current version number (1 = never revised).
    pub version: i64,
    /// How many places it appeared.
    pub appearances: i64,
    /// First time seen (RFC 3339).
    pub first_seen_at: String,
}

impl Store {
    /// Opens (creating if needed) the database for writing and applies migrations.
    ///
    /// Creates the parent folder; sets WAL, `synchronous=NORMAL`, foreign keys and a
    /// [`BUSY_TIMEOUT`]. There must be one writer per file: the daemon or one CLI command.
    pub fn open(path: &Path) -> Result<Store, StoreError> {
        if let Some(dir) = path.parent()
            && !dir.as_os_str().is_empty()
        {
            std::fs::create_dir_all(dir).map_err(|source| StoreError::CreateDir {
                path: path.to_owned(),
                source,
            })?;
        }
        let open_err = |what: &str| {
            let what = what.to_owned();
            move |source| StoreError::Open {
                path: path.to_owned(),
                what,
                source,
            }
        };
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE
            | OpenFlags::SQLITE_OPEN_CREATE
            | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let mut conn = Connection::open_with_flags(path, flags).map_err(open_err("open"))?;
        conn.busy_timeout(BUSY_TIMEOUT)
            .map_err(open_err("set busy_timeout"))?;
        let mode: String = conn
            .pragma_update_and_check(None, "journal_mode", "WAL", |r| r.get(0))
            .map_err(open_err("set journal_mode=WAL"))?;
        if !mode.eq_ignore_ascii_case("wal") {
            tracing::warn!(path = %path.display(), %mode, "SQLite did not switch to WAL.");
        }
        conn.pragma_update(None, "synchronous", "NORMAL")
            .map_err(open_err("set synchronous=NORMAL"))?;
        conn.pragma_update(None, "foreign_keys", "ON")
            .map_err(open_err("set foreign_keys=ON"))?;
        migrations::migrations()
            .to_latest(&mut conn)
            .map_err(|source| StoreError::Migrate {
                path: path.to_owned(),
                source,
            })?;
        set_cache_kib(&conn, WRITER_CACHE_KIB).map_err(open_err("set cache_size"))?;
        conn.pragma_update(None, "wal_autocheckpoint", WAL_AUTOCHECKPOINT_FRAMES)
            .map_err(open_err("set wal_autocheckpoint"))?;
        conn.set_prepared_statement_cache_capacity(sql::STATEMENT_CACHE);
        let mut store = Store {
            conn,
            path: path.to_owned(),
            read_only: false,
        };
        let refreshed = store.write(
            || "fingerprint stored versions".to_owned(),
            |tx| neardup::refresh(tx),
        )?;
        if refreshed > 0 {
            tracing::info!(path = %path.display(), versions = refreshed, "Fingerprinted stored versions.");
        }
        Ok(store)
    }

    /// Opens an existing database read-only (for affiliates, the CLI's read commands).
    ///
    /// Fails with [`StoreError::Missing`] when there is no file, and with
    /// [`StoreError::SchemaTooOld`] when it has not been migrated to this program's schema.
    /// The connection also sets `query_only`, so no statement can write through it.
    pub fn open_read_only(path: &Path) -> Result<Store, StoreError> {
        if !path.is_file() {
            return Err(StoreError::Missing {
                path: path.to_owned(),
            });
        }
        let open_err = |what: &str| {
            let what = what.to_owned();
            move |source| StoreError::Open {
                path: path.to_owned(),
                what,
                source,
            }
        };
        let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let conn = Connection::open_with_flags(path, flags).map_err(open_err("open read-only"))?;
        conn.busy_timeout(BUSY_TIMEOUT)
            .map_err(open_err("set busy_timeout"))?;
        conn.pragma_update(None, "query_only", "ON")
            .map_err(open_err("set query_only"))?;
        let found: usize = migrations::migrations()
            .current_version(&conn)
            .map_err(|source| StoreError::Migrate {
                path: path.to_owned(),
                source,
            })?
            .into();
        if found < SCHEMA_VERSION {
            return Err(StoreError::SchemaTooOld {
                path: path.to_owned(),
                found,
                expected: SCHEMA_VERSION,
            });
        }
        Ok(Store {
            conn,
            path: path.to_owned(),
            read_only: true,
        })
    }

    /// The database file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// True when opened with [`Store::open_read_only`].
    pub fn is_read_only(&self) -> bool {
        self.read_only
    }

    /// Refuses writes on a read-only store with an error naming the write.
    fn check_writable(&self, what: impl FnOnce() -> String) -> Result<(), StoreError> {
        if self.read_only {
            return Err(StoreError::ReadOnly {
                path: self.path.clone(),
                what: what(),
            });
        }
        Ok(())
    }

    /// Sets the writer's page cache to `kib` KiB: [`BATCH_CACHE_KIB`] for a batch job that
    /// trades memory for speed (a backfill); the daemon keeps SQLite's default.
    pub fn set_page_cache_kib(&self, kib: u64) -> Result<(), StoreError> {
        set_cache_kib(&self.conn, kib).map_err(self.sql_err("set cache_size"))
    }

    /// Maps a SQLite error to [`StoreError::Sqlite`] naming this file and `what`.
    fn sql_err(&self, what: impl Into<String>) -> impl FnOnce(rusqlite::Error) -> StoreError {
        let path = self.path.clone();
        let what = what.into();
        move |source| StoreError::Sqlite { path, what, source }
    }
}

/// `PRAGMA cache_size` in KiB (a negative value counts KiB, a positive one pages).
fn set_cache_kib(conn: &Connection, kib: u64) -> rusqlite::Result<()> {
    conn.pragma_update(None, "cache_size", -(kib.min(i64::MAX as u64) as i64))
}

/// A time as stored: RFC 3339, UTC, whole seconds, `Z` suffix (so text order is time order).
pub(crate) fn time_text<Tz: chrono::TimeZone>(t: DateTime<Tz>) -> String {
    t.to_utc().to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// Parses a stored time back.
pub(crate) fn parse_time(
    path: &Path,
    what: &str,
    text: Option<String>,
) -> Result<Option<DateTime<Utc>>, StoreError> {
    text.map(|s| {
        DateTime::parse_from_rfc3339(&s)
            .map(|t| t.with_timezone(&Utc))
            .map_err(|_| StoreError::BadValue {
                path: path.to_owned(),
                what: what.to_owned(),
                value: s,
            })
    })
    .transpose()
}

#[cfg(test)]
pub(crate) mod testutil {
    //! Helpers shared by the store's tests: a store in a temp folder and articles by hand.

    use chrono::{DateTime, TimeZone, Utc};

    use super::{BodySource, Incoming, Store};
    use crate::model::Article;

    /// A fresh store in a temp folder (kept alive by the returned guard).
    pub fn store() -> (tempfile::TempDir, Store) {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("data/wiredesk.db")).unwrap();
        (dir, store)
    }

    /// 2026-11-27 12:00 UTC plus `minutes`.
    pub fn at(minutes: i64) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 27, 12, 0, 0).unwrap() + chrono::Duration::minutes(minutes)
    }

    /// An article seen in `feed` as `guid` at `url`.
    pub fn incoming(
        feed: &str,
        guid: Option<&str>,
        url: Option<&str>,
        headline: &str,
        body: &str,
    ) -> Incoming {
        Incoming {
            article: Article {
                headline: Some(headline.to_owned()),
                authors: vec!["Jane Roe".to_owned()],
                credit: Some("CNN Newsource".to_owned()),
                site_name: Some("KVIA".to_owned()),
                topics: vec!["politics".to_owned()],
                canonical_url: url.map(str::to_owned),
                body_text: body.to_owned(),
                body_html: format!("<p>{body}</p>"),
                ..Article::default()
            },
            feed: feed.to_owned(),
            guid: guid.map(str::to_owned),
            url: url.map(str::to_owned),
            seen_at: at(0),
            wire: None,
            body_source: BodySource::Page,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::testutil::*;
    use super::*;

    #[test]
    fn the_writer_keeps_sqlites_default_cache_and_a_batch_job_can_raise_it() {
        let (_dir, store) = store();
        let cache = |s: &Store| -> i64 {
            s.conn
                .pragma_query_value(None, "cache_size", |r| r.get(0))
                .unwrap()
        };
        assert_eq!(cache(&store), -2048, "2 MiB, counted in KiB");
        store.set_page_cache_kib(BATCH_CACHE_KIB).unwrap();
        assert_eq!(cache(&store), -8192);
    }

    #[test]
    fn open_sets_wal_and_foreign_keys_and_creates_the_folder() {
        let (dir, store) = store();
        assert!(dir.path().join("data/wiredesk.db").is_file());
        let mode: String = store
            .conn
            .pragma_query_value(None, "journal_mode", |r| r.get(0))
            .unwrap();
        assert_eq!(mode, "wal");
        let fk: i64 = store
            .conn
            .pragma_query_value(None, "foreign_keys", |r| r.get(0))
            .unwrap();
        assert_eq!(fk, 1);
        let sync: i64 = store
            .conn
            .pragma_query_value(None, "synchronous", |r| r.get(0))
            .unwrap();
        assert_eq!(sync, 1, "NORMAL");
        let v: i64 = store
            .conn
            .pragma_query_value(None, "user_version", |r| r.get(0))
            .unwrap();
        assert_eq!(v as usize, SCHEMA_VERSION);
    }

    #[test]
    fn open_twice_is_idempotent_and_keeps_data() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("w.db");
        {
            let mut s = Store::open(&path).unwrap();
            s.ingest(&incoming(
                "f",
                Some("g1"),
                Some("https://kvia.com/a"),
                "H",
                "Body one.",
            ))
            .unwrap();
        }
        let s = Store::open(&path).unwrap();
        assert_eq!(s.counts().unwrap().stories, 1);
        drop(s);
        let s = Store::open(&path).unwrap();
        assert_eq!(s.counts().unwrap().versions, 1);
    }

    #[test]
    fn read_only_open_of_a_missing_file_names_it() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("nope.db");
        let err = Store::open_read_only(&path).unwrap_err();
        assert!(matches!(err, StoreError::Missing { .. }));
        assert!(err.to_string().contains("nope.db"), "{err}");
        assert!(!path.exists(), "read-only open must not create the file");
    }

    #[test]
    fn read_only_open_of_an_unmigrated_file_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("empty.db");
        Connection::open(&path)
            .unwrap()
            .execute_batch("CREATE TABLE x (y)")
            .unwrap();
        let err = Store::open_read_only(&path).unwrap_err();
        assert!(
            matches!(err, StoreError::SchemaTooOld { found: 0, .. }),
            "{err}"
        );
    }

    #[test]
    fn read_only_store_refuses_writes() {
        let (dir, mut writer) = store();
        writer
            .register_feed("kvia", "https://kvia.com/feed")
            .unwrap();
        let path = dir.path().join("data/wiredesk.db");
        let mut ro = Store::open_read_only(&path).unwrap();
        assert!(ro.is_read_only());

        let err = ro.register_feed("x", "https://x.com/feed").unwrap_err();
        assert!(matches!(err, StoreError::ReadOnly { .. }), "{err}");
        let err = ro
            .ingest(&incoming("f", None, Some("https://x.com/a"), "H", "B"))
            .unwrap_err();
        assert!(matches!(err, StoreError::ReadOnly { .. }), "{err}");
        // Below the Rust check, SQLite itself refuses too.
        let raw = ro.conn.execute(
            "INSERT INTO feeds (name, url, created_at) VALUES ('a', 'b', 'c')",
            [],
        );
        assert!(raw.is_err());

        // Reads work, and see the writer's data.
        assert!(ro.feed_state("https://kvia.com/feed").unwrap().is_some());
        assert_eq!(ro.counts().unwrap().feeds, 1);
        writer
            .ingest(&incoming("f", None, Some("https://x.com/a"), "H", "B"))
            .unwrap();
        assert_eq!(
            ro.counts().unwrap().stories,
            1,
            "a reader sees committed writes"
        );
    }

    #[test]
    fn open_refuses_a_database_from_a_newer_wiredesk() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("future.db");
        drop(Store::open(&path).unwrap());
        Connection::open(&path)
            .unwrap()
            .pragma_update(None, "user_version", 99)
            .unwrap();
        let err = Store::open(&path).unwrap_err();
        assert!(matches!(err, StoreError::Migrate { .. }), "{err}");
        assert!(err.to_string().contains("future.db"), "{err}");
    }

    #[test]
    fn store_can_move_to_a_blocking_thread() {
        // The pipeline keeps the one writer behind a mutex and uses it from spawn_blocking.
        fn is_send<T: Send>() {}
        is_send::<Store>();
        let (_dir, mut store) = store();
        let handle = std::thread::spawn(move || {
            store
                .ingest(&incoming("f", None, Some("https://x.com/a"), "H", "B"))
                .map(|o| o.story_id())
        });
        assert_eq!(handle.join().unwrap().unwrap(), 1);
    }

    #[test]
    fn integrity_check_is_ok_on_a_fresh_store() {
        let (_dir, store) = store();
        assert_eq!(store.integrity_check().unwrap(), "ok");
    }

    #[test]
    fn times_are_stored_as_sortable_utc_text() {
        assert_eq!(time_text(at(0)), "2026-11-27T12:00:00Z");
        let p = Path::new("x.db");
        assert_eq!(
            parse_time(p, "t", Some("2026-11-27T12:00:00Z".into())).unwrap(),
            Some(at(0))
        );
        assert!(parse_time(p, "t", Some("yesterday".into())).is_err());
    }
}
