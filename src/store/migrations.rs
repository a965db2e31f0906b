//! The schema, as an append-only list of migrations (tracked in SQLite's `user_version`).
//!
//! Never edit or reorder a migration once it has shipped: affiliate stations read these tables.
//! A change is a new `M::up` at the end of [`MIGRATIONS`], documented in `docs/schema.md`.

use rusqlite_migration::{M, Migrations};

/// Version 1: feeds, stories, versions, appearances, feed items, full-text index.
const V1: &str = r#"
CREATE TABLE feeds (
    id                 INTEGER PRIMARY KEY,
    name               TEXT NOT NULL,
    url                TEXT NOT NULL UNIQUE,
    etag               TEXT,
    last_modified      TEXT,
    last_polled_at     TEXT,
    next_poll_at       TEXT,
    consecutive_errors INTEGER NOT NULL DEFAULT 0 CHECK (consecutive_errors >= 0),
    last_error         TEXT,
    created_at         TEXT NOT NULL
);

CREATE TABLE stories (
    id            INTEGER PRIMARY KEY,
    headline      TEXT,
    body_text     TEXT NOT NULL DEFAULT '',
    body_html     TEXT NOT NULL DEFAULT '',
    credit        TEXT,
    authors       TEXT NOT NULL DEFAULT '[]',
    site_name     TEXT,
    published_at  TEXT,
    updated_at    TEXT,
    canonical_url TEXT,
    section       TEXT,
    topics        TEXT NOT NULL DEFAULT '[]',
    language      TEXT,
    dateline      TEXT,
    description   TEXT,
    image         TEXT,
    version       INTEGER NOT NULL DEFAULT 1 CHECK (version >= 1),
    body_hash     TEXT NOT NULL,
    url_key       TEXT,
    status        TEXT NOT NULL DEFAULT 'usable',
    first_seen_at TEXT NOT NULL,
    last_seen_at  TEXT NOT NULL
);
CREATE INDEX stories_url_key ON stories (url_key) WHERE url_key IS NOT NULL;
CREATE INDEX stories_body_hash ON stories (body_hash);
CREATE INDEX stories_first_seen ON stories (first_seen_at, id);

CREATE TABLE story_versions (
    story_id  INTEGER NOT NULL REFERENCES stories (id),
    version   INTEGER NOT NULL CHECK (version >= 1),
    headline  TEXT,
    body_text TEXT NOT NULL,
    body_html TEXT NOT NULL,
    body_hash TEXT NOT NULL,
    seen_at   TEXT NOT NULL,
    PRIMARY KEY (story_id, version)
);
CREATE INDEX story_versions_body_hash ON story_versions (body_hash);

CREATE TABLE appearances (
    id           INTEGER PRIMARY KEY,
    story_id     INTEGER NOT NULL REFERENCES stories (id),
    url          TEXT,
    url_key      TEXT,
    feed         TEXT NOT NULL,
    guid         TEXT,
    site         TEXT,
    seen_at      TEXT NOT NULL,
    last_seen_at TEXT NOT NULL
);
-- A place is its URL key; without a URL, the (feed, guid) it came from.
CREATE UNIQUE INDEX appearances_place_url
    ON appearances (story_id, url_key) WHERE url_key IS NOT NULL;
CREATE UNIQUE INDEX appearances_place_item
    ON appearances (story_id, feed, ifnull(guid, '')) WHERE url_key IS NULL;
CREATE INDEX appearances_url_key ON appearances (url_key);
CREATE INDEX appearances_feed_guid ON appearances (feed, guid);
CREATE INDEX appearances_story ON appearances (story_id);

-- Every (feed, guid) ever stored, even when its place was already an appearance (one page
-- listed in two feeds), so `seen_item` and the guid lookup never miss one.
CREATE TABLE feed_items (
    feed          TEXT NOT NULL,
    guid          TEXT NOT NULL,
    story_id      INTEGER NOT NULL REFERENCES stories (id),
    first_seen_at TEXT NOT NULL,
    last_seen_at  TEXT NOT NULL,
    PRIMARY KEY (feed, guid)
);
CREATE INDEX feed_items_story ON feed_items (story_id);

CREATE VIRTUAL TABLE stories_fts USING fts5 (
    headline,
    body_text,
    content = 'stories',
    content_rowid = 'id',
    tokenize = 'unicode61 remove_diacritics 2'
);
CREATE TRIGGER stories_fts_insert AFTER INSERT ON stories BEGIN
    INSERT INTO stories_fts (rowid, headline, body_text)
        VALUES (new.id, new.headline, new.body_text);
END;
CREATE TRIGGER stories_fts_delete AFTER DELETE ON stories BEGIN
    INSERT INTO stories_fts (stories_fts, rowid, headline, body_text)
        VALUES ('delete', old.id, old.headline, old.body_text);
END;
CREATE TRIGGER stories_fts_update AFTER UPDATE OF headline, body_text ON stories BEGIN
    INSERT INTO stories_fts (stories_fts, rowid, headline, body_text)
        VALUES ('delete', old.id, old.headline, old.body_text);
    INSERT INTO stories_fts (rowid, headline, body_text)
        VALUES (new.id, new.headline, new.body_text);
END;
"#;

/// Version 2: near-duplicate fingerprints and their candidate index, change summaries and
/// correction flags on versions, revisit state and withdrawal on appearances.
const V2: &str = r#"
ALTER TABLE story_versions ADD COLUMN paragraphs_added INTEGER NOT NULL DEFAULT 0;
ALTER TABLE story_versions ADD COLUMN paragraphs_removed INTEGER NOT NULL DEFAULT 0;
ALTER TABLE story_versions ADD COLUMN paragraphs_changed INTEGER NOT NULL DEFAULT 0;
ALTER TABLE story_versions ADD COLUMN headline_changed INTEGER NOT NULL DEFAULT 0;
ALTER TABLE story_versions ADD COLUMN is_correction INTEGER NOT NULL DEFAULT 0;
ALTER TABLE story_versions ADD COLUMN fingerprint BLOB;
ALTER TABLE story_versions ADD COLUMN fingerprint_version INTEGER;
CREATE INDEX story_versions_fingerprint_version ON story_versions (fingerprint_version);

-- Content-sampled shingle hashes of every version's text → story: the near-duplicate
-- candidate index. One row per (hash, story); looked up by hash only.
CREATE TABLE shingle_index (
    hash     INTEGER NOT NULL,
    story_id INTEGER NOT NULL REFERENCES stories (id),
    PRIMARY KEY (hash, story_id)
) WITHOUT ROWID;

ALTER TABLE appearances ADD COLUMN etag TEXT;
ALTER TABLE appearances ADD COLUMN last_modified TEXT;
ALTER TABLE appearances ADD COLUMN revisits INTEGER NOT NULL DEFAULT 0;
ALTER TABLE appearances ADD COLUMN next_revisit_at TEXT;
ALTER TABLE appearances ADD COLUMN last_checked_at TEXT;
ALTER TABLE appearances ADD COLUMN withdrawn_at TEXT;
-- The text last seen at this place (hash, headline, fingerprint), so a page seen again is
-- compared with itself, not with another station's copy.
ALTER TABLE appearances ADD COLUMN body_hash TEXT;
ALTER TABLE appearances ADD COLUMN headline TEXT;
ALTER TABLE appearances ADD COLUMN fingerprint BLOB;
ALTER TABLE appearances ADD COLUMN published_at TEXT;
CREATE INDEX appearances_next_revisit
    ON appearances (next_revisit_at) WHERE next_revisit_at IS NOT NULL;

ALTER TABLE stories ADD COLUMN status_changed_at TEXT;
"#;

/// v3: wire status and embargoes. The latest ninjs / NewsML-G2 item of a story says whether it
/// may be published (`wire_status`) and not before when (`embargoed_until`).
/// `ready_stories` is what an affiliate may publish now.
const V3: &str = r#"
ALTER TABLE stories ADD COLUMN wire_status TEXT;
ALTER TABLE stories ADD COLUMN embargoed_until TEXT;
CREATE VIEW ready_stories AS
    SELECT * FROM stories
    WHERE status = 'usable'
      AND (embargoed_until IS NULL
           OR embargoed_until <= strftime('%Y-%m-%dT%H:%M:%SZ', 'now'));
"#;

/// v4: feed health: where a feed moved (a 301/308 on the feed URL: polled there from then
/// on), when it was found gone (410), when a poll last succeeded. The configured URL stays the
/// feed's key.
const V4: &str = r#"
ALTER TABLE feeds ADD COLUMN moved_to TEXT;
ALTER TABLE feeds ADD COLUMN gone_at TEXT;
ALTER TABLE feeds ADD COLUMN last_success_at TEXT;
"#;

/// v5: where an appearance's text came from (`page`, `feed`: the page could not be had, or
/// `feed:robots`: robots.txt disallows the page), and the poll interval learned from how often a
/// feed really posts (adaptive scheduling between the feed's `min_interval_secs` and
/// `max_interval_secs`).
const V5: &str = r#"
ALTER TABLE appearances ADD COLUMN body_source TEXT;
ALTER TABLE feeds ADD COLUMN learned_interval_secs INTEGER;
"#;

/// v6: read-API tokens. Only a hash of each token is kept (BLAKE3 of a 256-bit random token:
/// a fast hash is enough for a secret that cannot be guessed); revoked tokens stay, marked.
const V6: &str = r#"
CREATE TABLE api_tokens (
    id         INTEGER PRIMARY KEY,
    name       TEXT NOT NULL,
    hash       TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL,
    revoked_at TEXT
);
CREATE UNIQUE INDEX api_tokens_live_name ON api_tokens (name) WHERE revoked_at IS NULL;
"#;

/// v7: the change feed, and stable views for readers of the file. Every new story, new version, status change (withheld, canceled,
/// released) and embargo change gets a row with a monotonic sequence number, written by
/// triggers in the same transaction as the change itself, so a consumer that reads
/// `changes` after its last `seq` never misses one (a kill included). Stories stored before
/// v7 are entered as `new`, oldest first. `story_changes` is the view readers use.
const V7: &str = r#"
CREATE TABLE changes (
    seq      INTEGER PRIMARY KEY AUTOINCREMENT,
    story_id INTEGER NOT NULL REFERENCES stories (id),
    kind     TEXT NOT NULL,
    version  INTEGER NOT NULL,
    status   TEXT NOT NULL,
    at       TEXT NOT NULL
);
CREATE INDEX changes_story ON changes (story_id, kind);
CREATE INDEX stories_embargo ON stories (embargoed_until) WHERE embargoed_until IS NOT NULL;
INSERT INTO changes (story_id, kind, version, status, at)
    SELECT id, 'new', version, status, first_seen_at FROM stories ORDER BY first_seen_at, id;
CREATE TRIGGER changes_new AFTER INSERT ON stories BEGIN
    INSERT INTO changes (story_id, kind, version, status, at)
        VALUES (new.id, 'new', new.version, new.status, new.first_seen_at);
END;
CREATE TRIGGER changes_version AFTER UPDATE OF version ON stories
    WHEN new.version <> old.version BEGIN
    INSERT INTO changes (story_id, kind, version, status, at)
        VALUES (new.id, 'version', new.version, new.status,
                coalesce(new.updated_at, strftime('%Y-%m-%dT%H:%M:%SZ', 'now')));
END;
CREATE TRIGGER changes_status AFTER UPDATE OF status ON stories
    WHEN new.status <> old.status BEGIN
    INSERT INTO changes (story_id, kind, version, status, at)
        VALUES (new.id,
                CASE new.status WHEN 'canceled' THEN 'canceled' WHEN 'withheld' THEN 'withheld'
                                ELSE 'released' END,
                new.version, new.status,
                coalesce(new.status_changed_at, strftime('%Y-%m-%dT%H:%M:%SZ', 'now')));
END;
CREATE TRIGGER changes_embargo AFTER UPDATE OF embargoed_until ON stories
    WHEN new.embargoed_until IS NOT old.embargoed_until BEGIN
    INSERT INTO changes (story_id, kind, version, status, at)
        VALUES (new.id, 'embargo', new.version, new.status,
                strftime('%Y-%m-%dT%H:%M:%SZ', 'now'));
END;
CREATE VIEW story_changes AS
    SELECT c.seq, c.story_id, c.kind, c.version, c.status, c.at,
           s.headline, s.embargoed_until
    FROM changes c JOIN stories s ON s.id = c.story_id;
CREATE VIEW latest_stories AS
    SELECT s.id, s.headline, s.credit, s.section, s.language, s.description,
           s.published_at, s.first_seen_at, s.updated_at, s.version, s.status,
           s.embargoed_until,
           (SELECT a.url FROM appearances a WHERE a.story_id = s.id ORDER BY a.id LIMIT 1) AS url,
           (SELECT count(*) FROM appearances a WHERE a.story_id = s.id) AS appearances
    FROM stories s
    WHERE s.status = 'usable'
      AND (s.embargoed_until IS NULL
           OR s.embargoed_until <= strftime('%Y-%m-%dT%H:%M:%SZ', 'now'));
CREATE VIEW story_search AS
    SELECT s.id, s.headline, s.credit, s.section, s.published_at, s.first_seen_at, s.status,
           f.stories_fts AS query, f.rank AS rank
    FROM stories_fts f JOIN stories s ON s.id = f.rowid;
"#;

/// v8: versions by the story's own time. Every distinct text a story has been seen with is
/// kept in `story_texts` with its earliest publication time; the version history is derived
/// from them (`dedupe::history`): the texts no other dominates (a fuller text published no
/// later, a resembling text published before), in publication order. A version keeps that
/// time (`story_versions.published_at`); an appearance whose text is a cut is marked
/// (`appearances.is_cut`). When arrival order contradicts publication order the history is
/// rebuilt (`stories.history_rebuilds` counts it) and the change feed gets a `history` row
/// instead of a `version` row. Versions stored before v8 are entered as pinned texts: they
/// stay versions.
const V8: &str = r#"
ALTER TABLE story_versions ADD COLUMN published_at TEXT;
ALTER TABLE appearances ADD COLUMN is_cut INTEGER NOT NULL DEFAULT 0;
ALTER TABLE stories ADD COLUMN history_rebuilds INTEGER NOT NULL DEFAULT 0;
CREATE TABLE story_texts (
    story_id      INTEGER NOT NULL REFERENCES stories (id),
    body_hash     TEXT NOT NULL,
    headline      TEXT,
    body_text     TEXT NOT NULL,
    body_html     TEXT NOT NULL,
    published_at  TEXT NOT NULL,
    seen_at       TEXT NOT NULL,
    is_correction INTEGER NOT NULL DEFAULT 0,
    pinned        INTEGER NOT NULL DEFAULT 0,
    status        TEXT NOT NULL DEFAULT 'version',
    PRIMARY KEY (story_id, body_hash)
);
INSERT OR IGNORE INTO story_texts (story_id, body_hash, headline, body_text, body_html,
                                   published_at, seen_at, is_correction, pinned)
    SELECT story_id, body_hash, headline, body_text, body_html, seen_at, seen_at,
           is_correction, 1
    FROM story_versions ORDER BY story_id, version;
DROP TRIGGER changes_version;
CREATE TRIGGER changes_version AFTER UPDATE OF version ON stories
    WHEN new.version <> old.version AND new.history_rebuilds = old.history_rebuilds BEGIN
    INSERT INTO changes (story_id, kind, version, status, at)
        VALUES (new.id, 'version', new.version, new.status,
                coalesce(new.updated_at, strftime('%Y-%m-%dT%H:%M:%SZ', 'now')));
END;
CREATE TRIGGER changes_history AFTER UPDATE OF history_rebuilds ON stories
    WHEN new.history_rebuilds <> old.history_rebuilds BEGIN
    INSERT INTO changes (story_id, kind, version, status, at)
        VALUES (new.id, 'history', new.version, new.status,
                strftime('%Y-%m-%dT%H:%M:%SZ', 'now'));
END;
"#;

/// Version 9: listings filtered by credit or section (the API's `credit=`/`section=`, the
/// desk's filters) read them newest first from an index instead of walking every story (a
/// credit that matched nothing read the whole table: about 200 ms on a 100,000-story store).
const V9: &str = r#"
CREATE INDEX stories_credit_seen ON stories (credit, first_seen_at, id) WHERE credit IS NOT NULL;
CREATE INDEX stories_section_seen ON stories (section, first_seen_at, id) WHERE section IS NOT NULL;
"#;

/// Every migration, oldest first. Append only.
pub(crate) const MIGRATIONS_SLICE: &[M<'static>] = &[
    M::up(V1).comment("v1: initial schema"),
    M::up(V2).comment("v2: fingerprints, candidate index, change summaries, revisits"),
    M::up(V3).comment("v3: wire embargoes, ready_stories view"),
    M::up(V4).comment("v4: feed health: moved (301/308), gone (410), last success"),
    M::up(V5).comment("v5: appearance body source, learned feed interval"),
    M::up(V6).comment("v6: read-API tokens (hashed)"),
    M::up(V7).comment("v7: change feed (changes table, triggers, story_changes view)"),
    M::up(V8).comment("v8: versions by publication time, cut appearances, history rebuilds"),
    M::up(V9).comment("v9: indexes for listings by credit and by section"),
];

/// The migrations as `rusqlite_migration` wants them.
pub(crate) fn migrations() -> Migrations<'static> {
    Migrations::from_slice(MIGRATIONS_SLICE)
}

/// The schema version a fully migrated database has (its `user_version`).
pub const SCHEMA_VERSION: usize = MIGRATIONS_SLICE.len();

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_version_1_database_migrates_and_keeps_its_rows() {
        let dir = tempfile::tempdir().unwrap();
        let mut conn = rusqlite::Connection::open(dir.path().join("m.db")).unwrap();
        migrations().to_version(&mut conn, 1).unwrap();
        conn.execute_batch(
            "INSERT INTO stories (id, body_hash, first_seen_at, last_seen_at) VALUES (1, 'h', 't', 't');
             INSERT INTO story_versions (story_id, version, body_text, body_html, body_hash, seen_at)
                 VALUES (1, 1, 'x', '', 'h', 't');
             INSERT INTO appearances (story_id, feed, seen_at, last_seen_at) VALUES (1, 'f', 't', 't');",
        )
        .unwrap();
        migrations().to_latest(&mut conn).unwrap();
        let row: (i64, Option<Vec<u8>>, i64, Option<String>) = conn
            .query_row(
                "SELECT v.paragraphs_added, v.fingerprint, a.revisits, a.withdrawn_at
                 FROM story_versions v JOIN appearances a ON a.story_id = v.story_id",
                [],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
            )
            .unwrap();
        assert_eq!(row, (0, None, 0, None));
    }

    #[test]
    fn v8_keeps_existing_versions_as_pinned_texts_and_logs_rebuilds_as_history() {
        let dir = tempfile::tempdir().unwrap();
        let mut conn = rusqlite::Connection::open(dir.path().join("m.db")).unwrap();
        migrations().to_version(&mut conn, 7).unwrap();
        conn.execute_batch(
            "INSERT INTO stories (id, body_hash, version, first_seen_at, last_seen_at)
                 VALUES (1, 'h2', 2, 't', 't');
             INSERT INTO story_versions (story_id, version, body_text, body_html, body_hash, seen_at)
                 VALUES (1, 1, 'a', '', 'h1', 't1'), (1, 2, 'b', '', 'h2', 't2');",
        )
        .unwrap();
        migrations().to_latest(&mut conn).unwrap();
        let texts: Vec<(String, String, bool, String)> = conn
            .prepare("SELECT body_hash, published_at, pinned, status FROM story_texts ORDER BY body_hash")
            .unwrap()
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        assert_eq!(
            texts,
            [
                ("h1".into(), "t1".into(), true, "version".into()),
                ("h2".into(), "t2".into(), true, "version".into())
            ]
        );
        conn.execute_batch(
            "UPDATE stories SET version = 3 WHERE id = 1;
             UPDATE stories SET version = 2, history_rebuilds = history_rebuilds + 1 WHERE id = 1;",
        )
        .unwrap();
        let kinds: Vec<(String, i64)> = conn
            .prepare("SELECT kind, version FROM changes WHERE story_id = 1 ORDER BY seq")
            .unwrap()
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        assert_eq!(
            kinds,
            [
                ("new".into(), 2),
                ("version".into(), 3),
                ("history".into(), 2)
            ]
        );
    }

    #[test]
    fn migrations_are_valid() {
        migrations().validate().expect("migrations validate");
    }

    #[test]
    fn migrates_an_empty_database_to_the_latest_version() {
        let dir = tempfile::tempdir().unwrap();
        let mut conn = rusqlite::Connection::open(dir.path().join("m.db")).unwrap();
        migrations().to_latest(&mut conn).unwrap();
        let v: i64 = conn
            .pragma_query_value(None, "user_version", |r| r.get(0))
            .unwrap();
        assert_eq!(v as usize, SCHEMA_VERSION);
        let mut names: Vec<String> = conn
            .prepare("SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'stories_fts_%' ORDER BY name")
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        names.retain(|n| !n.starts_with("sqlite_"));
        assert_eq!(
            names,
            [
                "api_tokens",
                "appearances",
                "changes",
                "feed_items",
                "feeds",
                "shingle_index",
                "stories",
                "stories_fts",
                "story_texts",
                "story_versions"
            ]
        );
    }
}
