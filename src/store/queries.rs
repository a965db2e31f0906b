//! Read queries: listings, full-text search, one story in full, counts and the integrity check.
//! They work on read-only and read-write stores alike.

use rusqlite::{OptionalExtension, Row, params};
use serde::Serialize;

use super::{Store, StoreError, StorySummary};

/// One stored version of a story's text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct VersionRow {
    /// 1 for the text first seen, then 2, 3…
    pub version: i64,
    /// The headline at that version.
    pub headline: Option<String>,
    /// The body text at that version.
    pub body_text: String,
    /// The sanitized body HTML at that version.
    pub body_html: String,
    /// Hex BLAKE3 of the normalized body text.
    pub body_hash: String,
    /// When this text was first seen (RFC 3339).
    pub seen_at: String,
    /// What changed from the previous version (all zero for version 1).
    pub changes: crate::dedupe::ChangeSummary,
    /// The text carries a correction or editor's note.
    pub is_correction: bool,
    /// When this text was published, as its page said (RFC 3339; absent on versions stored
    /// before schema 8 and on pages that gave no time). Versions are numbered in this order.
    pub published_at: Option<String>,
}

/// One place a story appeared.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AppearanceRow {
    /// Row id.
    pub id: i64,
    /// The page URL as seen.
    pub url: Option<String>,
    /// Its dedupe key.
    pub url_key: Option<String>,
    /// The configured feed's name.
    pub feed: String,
    /// The item's guid in that feed.
    pub guid: Option<String>,
    /// The publishing site's name.
    pub site: Option<String>,
    /// First seen there (RFC 3339).
    pub seen_at: String,
    /// Last seen there (RFC 3339).
    pub last_seen_at: String,
    /// When a revisit found the page gone (404/410) or a removal notice (RFC 3339).
    pub withdrawn_at: Option<String>,
    /// The text there is a cut of a fuller text of the story published no later.
    pub is_cut: bool,
}

/// A story with every column, its versions (oldest first) and appearances (oldest first).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StoryDetail {
    /// Story id.
    pub id: i64,
    /// Current headline.
    pub headline: Option<String>,
    /// Current body as plain text.
    pub body_text: String,
    /// Current body as sanitized HTML.
    pub body_html: String,
    /// Wire credit ("CNN Newsource").
    pub credit: Option<String>,
    /// Person authors.
    pub authors: Vec<String>,
    /// The first publishing site's name.
    pub site_name: Option<String>,
    /// Publication time (RFC 3339).
    pub published_at: Option<String>,
    /// Last modification time (RFC 3339).
    pub updated_at: Option<String>,
    /// The canonical URL declared by the page.
    pub canonical_url: Option<String>,
    /// Section.
    pub section: Option<String>,
    /// Topics / keywords.
    pub topics: Vec<String>,
    /// BCP 47 language tag.
    pub language: Option<String>,
    /// Dateline as printed.
    pub dateline: Option<String>,
    /// Description / standfirst.
    pub description: Option<String>,
    /// Lead image URL.
    pub image: Option<String>,
    /// Current version number.
    pub version: i64,
    /// Hex BLAKE3 of the current normalized body.
    pub body_hash: String,
    /// Dedupe key of the canonical URL.
    pub url_key: Option<String>,
    /// Publication status: `usable`, `withheld` or `canceled`.
    pub status: String,
    /// A wire embargo: not to be published before this time (RFC 3339).
    pub embargoed_until: Option<String>,
    /// First seen (RFC 3339).
    pub first_seen_at: String,
    /// Last seen anywhere (RFC 3339).
    pub last_seen_at: String,
    /// Every version, oldest first.
    pub versions: Vec<VersionRow>,
    /// Every place it appeared, oldest first.
    pub appearances: Vec<AppearanceRow>,
}

/// Row counts of the main tables.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    /// `stories`.
    pub stories: i64,
    /// `story_versions`.
    pub versions: i64,
    /// `appearances`.
    pub appearances: i64,
    /// `feeds`.
    pub feeds: i64,
}

const SUMMARY_COLUMNS: &str = "s.id, s.headline, s.credit, s.section, s.published_at, s.version,
    (SELECT count(*) FROM appearances a WHERE a.story_id = s.id), s.first_seen_at";

fn summary(r: &Row<'_>) -> rusqlite::Result<StorySummary> {
    Ok(StorySummary {
        id: r.get(0)?,
        headline: r.get(1)?,
        credit: r.get(2)?,
        section: r.get(3)?,
        published_at: r.get(4)?,
        version: r.get(5)?,
        appearances: r.get(6)?,
        first_seen_at: r.get(7)?,
    })
}

fn sql_limit(n: usize) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

impl Store {
    /// The newest stories first (by `first_seen_at`, then id).
    pub fn list_stories(&self, limit: usize) -> Result<Vec<StorySummary>, StoreError> {
        let sql = format!(
            "SELECT {SUMMARY_COLUMNS} FROM stories s
             ORDER BY s.first_seen_at DESC, s.id DESC LIMIT ?1"
        );
        let err = || self.sql_err("listing stories");
        let mut stmt = self.conn.prepare_cached(&sql).map_err(err())?;
        let rows = stmt.query_map([sql_limit(limit)], summary).map_err(err())?;
        rows.collect::<Result<_, _>>().map_err(err())
    }

    /// Full-text search over headline and body (FTS5 query syntax), best match first.
    ///
    /// Headline hits weigh five times body hits (bm25 column weights). A query FTS5 cannot
    /// parse gives [`StoreError::Search`] naming the query.
    pub fn search(&self, query: &str, limit: usize) -> Result<Vec<StorySummary>, StoreError> {
        let sql = format!(
            "SELECT {SUMMARY_COLUMNS} FROM stories_fts
             JOIN stories s ON s.id = stories_fts.rowid
             WHERE stories_fts MATCH ?1
             ORDER BY bm25(stories_fts, 5.0, 1.0), s.id LIMIT ?2"
        );
        let err = |source| StoreError::Search {
            path: self.path.clone(),
            query: query.to_owned(),
            source,
        };
        let mut stmt = self.conn.prepare_cached(&sql).map_err(err)?;
        let rows = stmt
            .query_map(params![query, sql_limit(limit)], summary)
            .map_err(err)?;
        rows.collect::<Result<_, _>>().map_err(err)
    }

    /// One story with its versions and appearances, or `None` when there is no such id.
    pub fn story(&self, id: i64) -> Result<Option<StoryDetail>, StoreError> {
        let err = |what: &str| self.sql_err(format!("reading story {id}: {what}"));
        let row = self
            .conn
            .query_row(
                "SELECT id, headline, body_text, body_html, credit, authors, site_name,
                        published_at, updated_at, canonical_url, section, topics, language,
                        dateline, description, image, version, body_hash, url_key, status,
                        first_seen_at, last_seen_at, embargoed_until
                 FROM stories WHERE id = ?1",
                [id],
                |r| {
                    Ok((
                        StoryDetail {
                            id: r.get(0)?,
                            headline: r.get(1)?,
                            body_text: r.get(2)?,
                            body_html: r.get(3)?,
                            credit: r.get(4)?,
                            authors: Vec::new(),
                            site_name: r.get(6)?,
                            published_at: r.get(7)?,
                            updated_at: r.get(8)?,
                            canonical_url: r.get(9)?,
                            section: r.get(10)?,
                            topics: Vec::new(),
                            language: r.get(12)?,
                            dateline: r.get(13)?,
                            description: r.get(14)?,
                            image: r.get(15)?,
                            version: r.get(16)?,
                            body_hash: r.get(17)?,
                            url_key: r.get(18)?,
                            status: r.get(19)?,
                            embargoed_until: r.get(22)?,
                            first_seen_at: r.get(20)?,
                            last_seen_at: r.get(21)?,
                            versions: Vec::new(),
                            appearances: Vec::new(),
                        },
                        r.get::<_, String>(5)?,
                        r.get::<_, String>(11)?,
                    ))
                },
            )
            .optional()
            .map_err(err("story row"))?;
        let Some((mut story, authors, topics)) = row else {
            return Ok(None);
        };
        story.authors = self.json_list(id, "authors", authors)?;
        story.topics = self.json_list(id, "topics", topics)?;

        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT version, headline, body_text, body_html, body_hash, seen_at,
                        paragraphs_added, paragraphs_removed, paragraphs_changed,
                        headline_changed, is_correction, published_at
                 FROM story_versions WHERE story_id = ?1 ORDER BY version",
            )
            .map_err(err("versions"))?;
        story.versions = stmt
            .query_map([id], |r| {
                Ok(VersionRow {
                    version: r.get(0)?,
                    headline: r.get(1)?,
                    body_text: r.get(2)?,
                    body_html: r.get(3)?,
                    body_hash: r.get(4)?,
                    seen_at: r.get(5)?,
                    changes: crate::dedupe::ChangeSummary {
                        paragraphs_added: r.get::<_, i64>(6)? as usize,
                        paragraphs_removed: r.get::<_, i64>(7)? as usize,
                        paragraphs_changed: r.get::<_, i64>(8)? as usize,
                        headline_changed: r.get(9)?,
                    },
                    is_correction: r.get(10)?,
                    published_at: r.get(11)?,
                })
            })
            .and_then(|rows| rows.collect())
            .map_err(err("versions"))?;

        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT id, url, url_key, feed, guid, site, seen_at, last_seen_at, withdrawn_at,
                        is_cut
                 FROM appearances WHERE story_id = ?1 ORDER BY seen_at, id",
            )
            .map_err(err("appearances"))?;
        story.appearances = stmt
            .query_map([id], |r| {
                Ok(AppearanceRow {
                    id: r.get(0)?,
                    url: r.get(1)?,
                    url_key: r.get(2)?,
                    feed: r.get(3)?,
                    guid: r.get(4)?,
                    site: r.get(5)?,
                    seen_at: r.get(6)?,
                    last_seen_at: r.get(7)?,
                    withdrawn_at: r.get(8)?,
                    is_cut: r.get(9)?,
                })
            })
            .and_then(|rows| rows.collect())
            .map_err(err("appearances"))?;
        Ok(Some(story))
    }

    pub(super) fn json_list(
        &self,
        id: i64,
        column: &str,
        text: String,
    ) -> Result<Vec<String>, StoreError> {
        serde_json::from_str(&text).map_err(|_| StoreError::BadValue {
            path: self.path.clone(),
            what: format!("stories.{column} of story {id} (want a JSON array of strings)"),
            value: text,
        })
    }

    /// How many stories, versions, appearances and feeds there are.
    pub fn counts(&self) -> Result<Counts, StoreError> {
        self.conn
            .query_row(
                "SELECT (SELECT count(*) FROM stories), (SELECT count(*) FROM story_versions),
                        (SELECT count(*) FROM appearances), (SELECT count(*) FROM feeds)",
                [],
                |r| {
                    Ok(Counts {
                        stories: r.get(0)?,
                        versions: r.get(1)?,
                        appearances: r.get(2)?,
                        feeds: r.get(3)?,
                    })
                },
            )
            .map_err(self.sql_err("counting rows"))
    }

    /// SQLite's `PRAGMA integrity_check`: `"ok"`, or its problem lines joined by newlines.
    pub fn integrity_check(&self) -> Result<String, StoreError> {
        let err = || self.sql_err("running integrity_check");
        let mut stmt = self.conn.prepare("PRAGMA integrity_check").map_err(err())?;
        let lines: Vec<String> = stmt
            .query_map([], |r| r.get(0))
            .and_then(|rows| rows.collect())
            .map_err(err())?;
        Ok(lines.join("\n"))
    }
}

#[cfg(test)]
mod tests {
    use super::super::testutil::*;
    use super::*;

    fn ids(v: &[StorySummary]) -> Vec<i64> {
        v.iter().map(|s| s.id).collect()
    }

    fn stocked() -> (tempfile::TempDir, Store) {
        let (dir, mut store) = store();
        let rows = [
            (
                "https://kvia.com/1",
                "Senate passes spending bill",
                "Lawmakers voted late on Friday.",
                0,
            ),
            (
                "https://kvia.com/2",
                "Winter storm warning",
                "Snow is expected across the plains; the Senate is not in session.",
                1,
            ),
            (
                "https://kvia.com/3",
                "Café reopens",
                "The café on Main Street reopened after the fire.",
                2,
            ),
        ];
        for (url, headline, body, m) in rows {
            let mut i = incoming("kvia", Some(url), Some(url), headline, body);
            i.seen_at = at(m);
            store.ingest(&i).unwrap();
        }
        (dir, store)
    }

    #[test]
    fn list_is_newest_first_and_limited() {
        let (_dir, store) = stocked();
        assert_eq!(ids(&store.list_stories(10).unwrap()), [3, 2, 1]);
        assert_eq!(ids(&store.list_stories(2).unwrap()), [3, 2]);
        let s = &store.list_stories(1).unwrap()[0];
        assert_eq!(s.headline.as_deref(), Some("Café reopens"));
        assert_eq!((s.version, s.appearances), (1, 1));
        assert_eq!(s.first_seen_at, "2026-11-27T12:02:00Z");
    }

    #[test]
    fn search_by_body_word_and_by_headline_ranks_headline_hits_first() {
        let (_dir, store) = stocked();
        assert_eq!(ids(&store.search("plains", 10).unwrap()), [2]);
        assert_eq!(ids(&store.search("spending", 10).unwrap()), [1]);
        // "senate" is in story 1's headline and story 2's body: the headline hit ranks first.
        assert_eq!(ids(&store.search("senate", 10).unwrap()), [1, 2]);
        assert_eq!(ids(&store.search("senate", 1).unwrap()), [1]);
        // Diacritics and case fold.
        assert_eq!(ids(&store.search("CAFE", 10).unwrap()), [3]);
        assert_eq!(ids(&store.search("headline: storm", 10).unwrap()), [2]);
        assert!(store.search("hurricane", 10).unwrap().is_empty());
    }

    #[test]
    fn search_follows_new_versions() {
        let (_dir, mut store) = stocked();
        let mut v2 = incoming(
            "kvia",
            Some("https://kvia.com/2"),
            Some("https://kvia.com/2"),
            "Blizzard warning",
            "Blizzard conditions expected overnight.",
        );
        v2.seen_at = at(10);
        assert!(matches!(
            store.ingest(&v2).unwrap(),
            crate::store::IngestOutcome::NewVersion { .. }
        ));
        assert_eq!(ids(&store.search("blizzard", 10).unwrap()), [2]);
        assert!(
            store.search("plains", 10).unwrap().is_empty(),
            "the index holds the current text"
        );
    }

    #[test]
    fn malformed_query_names_the_query() {
        let (_dir, store) = stocked();
        for q in ["\"unclosed", "AND", "senate NOT"] {
            let err = store.search(q, 10).unwrap_err();
            assert!(matches!(err, StoreError::Search { .. }), "{q}: {err}");
            assert!(err.to_string().contains(&format!("{q:?}")), "{err}");
        }
    }

    #[test]
    fn story_of_an_unknown_id_is_none() {
        let (_dir, store) = stocked();
        assert_eq!(store.story(99).unwrap(), None);
        assert!(store.story(1).unwrap().is_some());
    }

    #[test]
    fn bad_stored_json_is_reported_with_the_story() {
        let (_dir, store) = stocked();
        store
            .conn
            .execute("UPDATE stories SET authors = 'Jane' WHERE id = 1", [])
            .unwrap();
        let err = store.story(1).unwrap_err();
        assert!(matches!(err, StoreError::BadValue { .. }), "{err}");
        assert!(
            err.to_string().contains("stories.authors of story 1"),
            "{err}"
        );
    }
}
