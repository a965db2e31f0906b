//! Stories one at a time, for exports: a filtered scan in a stable order that hands each row
//! to a callback as it is read, so memory stays flat however many stories there are.

use chrono::{DateTime, Utc};
use rusqlite::params;
use serde::Serialize;

use super::{Store, StoreError, time_text};

/// Which stories an export takes.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StoryFilter {
    /// Stored at or after (`first_seen_at`).
    pub since: Option<DateTime<Utc>>,
    /// Stored at or before (`first_seen_at`).
    pub until: Option<DateTime<Utc>>,
    /// Only this publication status (`usable`, `withheld`, `canceled`).
    pub status: Option<String>,
}

/// A story's current version as exports carry it (the `stories` row, lists decoded), with
/// the first place it ran.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StoryRow {
    /// Story id.
    pub id: i64,
    /// Current headline.
    pub headline: Option<String>,
    /// Current body as plain text.
    pub body_text: String,
    /// Current body as sanitized HTML.
    pub body_html: String,
    /// Wire credit.
    pub credit: Option<String>,
    /// Person authors.
    pub authors: Vec<String>,
    /// The first publishing site's name.
    pub site_name: Option<String>,
    /// Publication time (RFC 3339).
    pub published_at: Option<String>,
    /// Last modification (RFC 3339).
    pub updated_at: Option<String>,
    /// The canonical URL the page declared.
    pub canonical_url: Option<String>,
    /// The URL of the first place it ran (after redirects).
    pub first_url: Option<String>,
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
    /// `usable`, `withheld` or `canceled`.
    pub status: String,
    /// Not to be published before (RFC 3339).
    pub embargoed_until: Option<String>,
    /// First stored (RFC 3339).
    pub first_seen_at: String,
    /// Last seen anywhere (RFC 3339).
    pub last_seen_at: String,
    /// Places it ran.
    pub appearances: i64,
}

/// Why an export scan stopped: the store failed, or the callback did (its error, untouched).
#[derive(Debug, thiserror::Error)]
pub enum ScanError<E> {
    /// Reading the store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The callback failed (e.g. the output could not be written).
    #[error("{0}")]
    Visit(E),
}

/// The columns [`Store::story_row`] reads, in its order.
const ROW_COLUMNS: &str = "s.id, s.headline, s.body_text, s.body_html, s.credit, s.authors,
    s.site_name, s.published_at, s.updated_at, s.canonical_url,
    (SELECT a.url FROM appearances a WHERE a.story_id = s.id ORDER BY a.id LIMIT 1),
    s.section, s.topics, s.language, s.dateline, s.description, s.image,
    s.version, s.body_hash, s.status, s.embargoed_until, s.first_seen_at, s.last_seen_at,
    (SELECT count(*) FROM appearances a WHERE a.story_id = s.id)";

/// A listing's filters: an export's, plus credit, section and a full-text query.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StoryQuery {
    /// Time window and status.
    pub filter: StoryFilter,
    /// Only this wire credit (exact).
    pub credit: Option<String>,
    /// Only this section (exact).
    pub section: Option<String>,
    /// FTS5 query over headline and body.
    pub q: Option<String>,
}

/// Where a page of a newest-first listing ends: the last story's `first_seen_at` and id.
/// The next page starts strictly after it, so stories written meanwhile (newer, at the top)
/// never shift a page: none is skipped or repeated.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct PageKey {
    /// `first_seen_at` of the last story on the page.
    pub first_seen_at: String,
    /// Its id.
    pub id: i64,
}

impl Store {
    /// One page of stories, newest first (`first_seen_at`, then id), after `after`.
    /// A bad full-text query gives [`StoreError::Search`] naming it.
    pub fn stories_page(
        &self,
        query: &StoryQuery,
        limit: usize,
        after: Option<&PageKey>,
    ) -> Result<Vec<StoryRow>, StoreError> {
        self.listing(ROW_COLUMNS, query, limit, after, |r| self.story_row(r))
    }

    /// A newest-first listing of `columns` (over `stories s`) under [`StoryQuery`]'s filters,
    /// each row read by `read`: the API's pages and the desk's wire share it.
    pub(super) fn listing<T>(
        &self,
        columns: &str,
        query: &StoryQuery,
        limit: usize,
        after: Option<&PageKey>,
        read: impl Fn(&rusqlite::Row<'_>) -> Result<T, StoreError>,
    ) -> Result<Vec<T>, StoreError> {
        let (sql, values) = listing_sql(columns, query, limit, after);
        let map_err = |e: rusqlite::Error| match &query.q {
            Some(q) => StoreError::Search {
                path: self.path.clone(),
                query: q.clone(),
                source: e,
            },
            None => (self.sql_err("listing stories"))(e),
        };
        let mut stmt = self.conn.prepare_cached(&sql).map_err(map_err)?;
        let mut rows = stmt
            .query(rusqlite::params_from_iter(values))
            .map_err(map_err)?;
        let mut out = Vec::new();
        while let Some(r) = rows.next().map_err(map_err)? {
            out.push(read(r)?);
        }
        Ok(out)
    }

    /// One story as listings and exports carry it, or `None`.
    pub fn story_row_by_id(&self, id: i64) -> Result<Option<StoryRow>, StoreError> {
        let err = || self.sql_err(format!("reading story {id}"));
        let mut stmt = self
            .conn
            .prepare_cached(&format!(
                "SELECT {ROW_COLUMNS} FROM stories s WHERE s.id = ?1"
            ))
            .map_err(err())?;
        let mut rows = stmt.query([id]).map_err(err())?;
        match rows.next().map_err(err())? {
            Some(r) => Ok(Some(self.story_row(r)?)),
            None => Ok(None),
        }
    }

    /// Reads a row of [`ROW_COLUMNS`].
    fn story_row(&self, r: &rusqlite::Row<'_>) -> Result<StoryRow, StoreError> {
        let read = || -> rusqlite::Result<(StoryRow, String, String)> {
            Ok((
                StoryRow {
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
                    first_url: r.get(10)?,
                    section: r.get(11)?,
                    topics: Vec::new(),
                    language: r.get(13)?,
                    dateline: r.get(14)?,
                    description: r.get(15)?,
                    image: r.get(16)?,
                    version: r.get(17)?,
                    body_hash: r.get(18)?,
                    status: r.get(19)?,
                    embargoed_until: r.get(20)?,
                    first_seen_at: r.get(21)?,
                    last_seen_at: r.get(22)?,
                    appearances: r.get(23)?,
                },
                r.get(5)?,
                r.get(12)?,
            ))
        };
        let (mut row, authors, topics) = read().map_err(self.sql_err("reading a story row"))?;
        row.authors = self.json_list(row.id, "authors", authors)?;
        row.topics = self.json_list(row.id, "topics", topics)?;
        Ok(row)
    }

    /// Calls `visit` with every story `filter` takes, oldest first (`first_seen_at`, then id),
    /// reading one row at a time. The scan runs in one read transaction, so it sees one state
    /// of the store however long it takes.
    pub fn for_each_story<E>(
        &self,
        filter: &StoryFilter,
        mut visit: impl FnMut(StoryRow) -> Result<(), E>,
    ) -> Result<u64, ScanError<E>> {
        let err = || self.sql_err("exporting stories");
        // A deferred read transaction: one snapshot for the whole scan under WAL.
        self.conn.execute_batch("BEGIN").map_err(err())?;
        let scanned = self.scan(filter, &mut visit);
        // Ending a read transaction cannot lose anything.
        let _ = self.conn.execute_batch("COMMIT");
        scanned
    }

    fn scan<E>(
        &self,
        filter: &StoryFilter,
        visit: &mut impl FnMut(StoryRow) -> Result<(), E>,
    ) -> Result<u64, ScanError<E>> {
        let err = || self.sql_err("exporting stories");
        let mut stmt = self
            .conn
            .prepare(&format!(
                "SELECT {ROW_COLUMNS}
                 FROM stories s
                 WHERE (?1 IS NULL OR s.first_seen_at >= ?1)
                   AND (?2 IS NULL OR s.first_seen_at <= ?2)
                   AND (?3 IS NULL OR s.status = ?3)
                 ORDER BY s.first_seen_at, s.id"
            ))
            .map_err(err())?;
        let since = filter.since.map(time_text);
        let until = filter.until.map(time_text);
        let mut rows = stmt
            .query(params![since, until, filter.status])
            .map_err(err())?;
        let mut n = 0;
        while let Some(r) = rows.next().map_err(err())? {
            let row = self.story_row(r)?;
            visit(row).map_err(ScanError::Visit)?;
            n += 1;
        }
        Ok(n)
    }
}

/// One entry of the change feed (`changes`, v7).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ChangeRow {
    /// Its sequence number: strictly increasing, in commit order.
    pub seq: i64,
    /// The story.
    pub story_id: i64,
    /// `new`, `version`, `withheld`, `canceled`, `released`, `embargo` (set or moved by the
    /// wire) or `lifted` (the embargo time passed).
    pub kind: String,
    /// The story's version after the change.
    pub version: i64,
    /// The story's status after the change.
    pub status: String,
    /// When (RFC 3339).
    pub at: String,
    /// The story's current headline.
    pub headline: Option<String>,
    /// The story's current embargo, if any.
    pub embargoed_until: Option<String>,
}

impl Store {
    /// Enters a `lifted` change for every story whose embargo has passed by `now` and has no
    /// `lifted` change since its embargo was last set: an embargo that runs out is not a
    /// write, so the daemon calls this on its revisit pass (every 5 minutes) to put it in the
    /// change feed. Returns how many were entered.
    pub fn record_lifted_embargoes(&self, now: DateTime<Utc>) -> Result<usize, StoreError> {
        self.check_writable(|| "record lifted embargoes".to_string())?;
        self.conn
            .prepare_cached(
                "INSERT INTO changes (story_id, kind, version, status, at)
                 SELECT s.id, 'lifted', s.version, s.status, s.embargoed_until FROM stories s
                 WHERE s.embargoed_until IS NOT NULL AND s.embargoed_until <= ?1
                   AND NOT EXISTS (
                       SELECT 1 FROM changes c
                       WHERE c.story_id = s.id AND c.kind = 'lifted'
                         AND c.seq > coalesce((SELECT max(e.seq) FROM changes e
                                               WHERE e.story_id = s.id AND e.kind = 'embargo'), 0))
                 ORDER BY s.embargoed_until, s.id",
            )
            .and_then(|mut st| st.execute([time_text(now)]))
            .map_err(self.sql_err("recording lifted embargoes"))
    }

    /// The changes after sequence number `after`, oldest first, at most `limit`.
    pub fn changes_after(&self, after: i64, limit: usize) -> Result<Vec<ChangeRow>, StoreError> {
        let err = || self.sql_err("reading the change feed");
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT seq, story_id, kind, version, status, at, headline, embargoed_until
                 FROM story_changes WHERE seq > ?1 ORDER BY seq LIMIT ?2",
            )
            .map_err(err())?;
        let rows = stmt
            .query_map(
                params![after, i64::try_from(limit).unwrap_or(i64::MAX)],
                |r| {
                    Ok(ChangeRow {
                        seq: r.get(0)?,
                        story_id: r.get(1)?,
                        kind: r.get(2)?,
                        version: r.get(3)?,
                        status: r.get(4)?,
                        at: r.get(5)?,
                        headline: r.get(6)?,
                        embargoed_until: r.get(7)?,
                    })
                },
            )
            .map_err(err())?;
        rows.collect::<Result<_, _>>().map_err(err())
    }
}

/// The SQL and values of a [`Store::listing`]. Only the filters given are in the SQL (a
/// `?n IS NULL OR …` clause hides an index from SQLite's planner), so a credit or section
/// listing reads its own index (`stories_credit_seen`, `stories_section_seen`).
fn listing_sql(
    columns: &str,
    query: &StoryQuery,
    limit: usize,
    after: Option<&PageKey>,
) -> (String, Vec<rusqlite::types::Value>) {
    let f = &query.filter;
    let mut clauses: Vec<&str> = Vec::new();
    let mut values: Vec<rusqlite::types::Value> = Vec::new();
    let mut with = |clause: &'static str, value: Option<rusqlite::types::Value>| {
        if let Some(v) = value {
            clauses.push(clause);
            values.push(v);
        }
    };
    let text = |t: Option<String>| t.map(rusqlite::types::Value::Text);
    with("s.first_seen_at >= ?", text(f.since.map(time_text)));
    with("s.first_seen_at <= ?", text(f.until.map(time_text)));
    with("s.status = ?", text(f.status.clone()));
    with("s.credit = ?", text(query.credit.clone()));
    with("s.section = ?", text(query.section.clone()));
    // `+s.id`: the matches are a set to test, not the order to read in. Read from the
    // full-text index first, a common word's matches were all fetched and sorted before the
    // first 1,000 were kept.
    with(
        "+s.id IN (SELECT rowid FROM stories_fts WHERE stories_fts MATCH ?)",
        text(query.q.clone()),
    );
    if let Some(k) = after {
        clauses.push("(s.first_seen_at, s.id) < (?, ?)");
        values.push(rusqlite::types::Value::Text(k.first_seen_at.clone()));
        values.push(rusqlite::types::Value::Integer(k.id));
    }
    values.push(rusqlite::types::Value::Integer(
        i64::try_from(limit).unwrap_or(i64::MAX),
    ));
    let filter = if clauses.is_empty() {
        String::new()
    } else {
        format!("WHERE {}", clauses.join(" AND "))
    };
    let sql = format!(
        "SELECT {columns} FROM stories s {filter}
             ORDER BY s.first_seen_at DESC, s.id DESC LIMIT ?"
    );
    (sql, values)
}

#[cfg(test)]
mod tests {
    use super::super::testutil::{at, incoming, store};
    use crate::store::RevisitOutcome;

    const BODY: &str = "The county commission voted four to one on Tuesday to fund the new bridge \
        over the river, ending a decade of debate about the crossing and its cost to taxpayers.";

    /// Five texts that share no phrase.
    const DISTINCT: [&str; 5] = [
        "Firefighters contained a grass fire near the county airport before dawn on Monday. ",
        "The school board approved a later start time for every high school next autumn. ",
        "A freight train derailed outside the grain elevator, spilling corn across two roads. ",
        "Voters will decide in March whether the city may borrow money for a new library. ",
        "The zoo welcomed twin snow leopard cubs, its first births of the species in years. ",
    ];

    /// The plan of a listing: SQLite's `EXPLAIN QUERY PLAN` details.
    fn plan(store: &crate::store::Store, query: &super::StoryQuery) -> Vec<String> {
        let key = super::PageKey {
            first_seen_at: "2026-01-01T00:00:00Z".into(),
            id: 9,
        };
        let (sql, values) = super::listing_sql("s.id", query, 50, Some(&key));
        let mut stmt = store
            .conn
            .prepare(&format!("EXPLAIN QUERY PLAN {sql}"))
            .unwrap();
        stmt.query_map(rusqlite::params_from_iter(values), |r| r.get(3))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap()
    }

    #[test]
    fn a_credit_or_section_listing_reads_its_own_index_newest_first() {
        let (_dir, store) = store();
        let by_credit = super::StoryQuery {
            credit: Some("CNN Newsource".into()),
            ..Default::default()
        };
        let p = plan(&store, &by_credit);
        assert!(
            p.iter().any(|d| d.contains("stories_credit_seen")),
            "{p:#?}"
        );
        assert!(
            !p.iter().any(|d| d.contains("TEMP B-TREE")),
            "no sort: {p:#?}"
        );
        let by_section = super::StoryQuery {
            section: Some("Politics".into()),
            ..Default::default()
        };
        let p = plan(&store, &by_section);
        assert!(
            p.iter().any(|d| d.contains("stories_section_seen")),
            "{p:#?}"
        );
        let unfiltered = plan(&store, &super::StoryQuery::default());
        assert!(
            unfiltered.iter().any(|d| d.contains("stories_first_seen")),
            "{unfiltered:#?}"
        );
    }

    #[test]
    fn a_listing_keeps_only_the_filters_given_and_pages_by_its_cursor() {
        let (_dir, mut store) = store();
        for (i, credit) in [
            "CNN Newsource",
            "AP",
            "CNN Newsource",
            "AP",
            "CNN Newsource",
        ]
        .iter()
        .enumerate()
        {
            let mut a = incoming(
                "kvia",
                Some(&format!("g{i}")),
                Some(&format!("https://kvia.com/news/{i}/")),
                &format!("Story {i}"),
                &DISTINCT[i].repeat(3),
            );
            a.article.credit = Some(credit.to_string());
            a.seen_at = at(i64::try_from(i).unwrap() * 10);
            store.ingest(&a).unwrap();
        }
        let cnn = super::StoryQuery {
            credit: Some("CNN Newsource".into()),
            ..Default::default()
        };
        let first = store.stories_page(&cnn, 2, None).unwrap();
        let heads: Vec<&str> = first
            .iter()
            .map(|r| r.headline.as_deref().unwrap_or_default())
            .collect();
        assert_eq!(heads, ["Story 4", "Story 2"]);
        let key = super::PageKey {
            first_seen_at: first[1].first_seen_at.clone(),
            id: first[1].id,
        };
        let rest = store.stories_page(&cnn, 2, Some(&key)).unwrap();
        let heads: Vec<&str> = rest
            .iter()
            .map(|r| r.headline.as_deref().unwrap_or_default())
            .collect();
        assert_eq!(heads, ["Story 0"]);
        let all = store
            .stories_page(&super::StoryQuery::default(), 10, None)
            .unwrap();
        assert_eq!(all.len(), 5);
    }

    /// The feed carries, in order: a new story, its new version, its withdrawal (every page
    /// gone), its return (seen at a new place) and its kill — each with the story's state.
    #[test]
    fn the_change_feed_carries_new_version_withdrawal_release_and_cancel_in_order() {
        let (_dir, mut store) = store();
        let url = "https://kvia.com/news/bridge/";
        store
            .ingest(&incoming(
                "kvia",
                Some("g1"),
                Some(url),
                "Bridge funded",
                BODY,
            ))
            .unwrap();
        let mut edited = incoming(
            "kvia",
            Some("g1"),
            Some(url),
            "Bridge funded",
            &format!("{BODY} The vote came after three hours of public comment."),
        );
        edited.seen_at = at(30);
        store.ingest(&edited).unwrap();
        let due = store.due_revisits(at(24 * 60), 10).unwrap();
        store
            .record_revisit(due[0].appearance_id, at(90), &RevisitOutcome::Gone)
            .unwrap();
        let mut elsewhere = incoming(
            "wlox",
            Some("w1"),
            Some("https://wlox.com/bridge/"),
            "Bridge funded",
            &format!("{BODY} The vote came after three hours of public comment."),
        );
        elsewhere.seen_at = at(100);
        store.ingest(&elsewhere).unwrap();
        store.cancel_item("wlox", "w1", at(120)).unwrap();

        let changes = store.changes_after(0, 100).unwrap();
        let kinds: Vec<(&str, i64, &str)> = changes
            .iter()
            .map(|c| (c.kind.as_str(), c.version, c.status.as_str()))
            .collect();
        assert_eq!(
            kinds,
            [
                ("new", 1, "usable"),
                ("version", 2, "usable"),
                ("withheld", 2, "withheld"),
                ("released", 2, "usable"),
                ("canceled", 2, "canceled"),
            ]
        );
        assert!(changes.windows(2).all(|w| w[0].seq < w[1].seq));
        // Paging by sequence: after the second change come the last three.
        let rest = store.changes_after(changes[1].seq, 10).unwrap();
        assert_eq!(rest.len(), 3);
        assert_eq!(rest[0].kind, "withheld");
    }

    /// An embargo that runs out enters the feed once, as `lifted`, at its time; a new embargo
    /// can be lifted again.
    #[test]
    fn a_passed_embargo_enters_the_change_feed_once() {
        let (_dir, mut store) = store();
        store
            .ingest(&incoming(
                "kvia",
                Some("g1"),
                Some("https://kvia.com/a/"),
                "Bridge funded",
                BODY,
            ))
            .unwrap();
        let embargo = |until: &str| {
            store
                .conn
                .execute(
                    "UPDATE stories SET embargoed_until = ?1 WHERE id = 1",
                    [until],
                )
                .unwrap();
        };
        embargo("2026-11-27T13:00:00Z");
        assert_eq!(store.record_lifted_embargoes(at(59)).unwrap(), 0);
        assert_eq!(store.record_lifted_embargoes(at(60)).unwrap(), 1);
        assert_eq!(store.record_lifted_embargoes(at(61)).unwrap(), 0);
        embargo("2026-11-27T15:00:00Z");
        assert_eq!(store.record_lifted_embargoes(at(200)).unwrap(), 1);
        let kinds: Vec<(String, String)> = store
            .changes_after(0, 10)
            .unwrap()
            .into_iter()
            .map(|c| (c.kind, c.at))
            .collect();
        let kinds: Vec<(&str, &str)> = kinds
            .iter()
            .map(|(k, a)| (k.as_str(), a.as_str()))
            .collect();
        assert_eq!(&kinds[0].0, &"new");
        assert_eq!(kinds[2], ("lifted", "2026-11-27T13:00:00Z"));
        assert_eq!(kinds[4], ("lifted", "2026-11-27T15:00:00Z"));
        assert_eq!((kinds[1].0, kinds[3].0), ("embargo", "embargo"));
    }

    /// The reader views: `story_search` answers a full-text MATCH, `latest_stories` holds
    /// only what may be published now.
    #[test]
    fn reader_views_search_and_list_publishable_stories() {
        let (_dir, mut store) = store();
        store
            .ingest(&incoming(
                "kvia",
                Some("g1"),
                Some("https://kvia.com/a/"),
                "Bridge funded",
                BODY,
            ))
            .unwrap();
        store
            .ingest(&incoming(
                "kvia",
                Some("g2"),
                Some("https://kvia.com/b/"),
                "Storm nears the coast",
                "Forecasters said the storm would bring heavy rain and wind to the coast by Friday \
                 night, and the county opened two shelters for residents near the water.",
            ))
            .unwrap();
        store.cancel_item("kvia", "g2", at(5)).unwrap();
        let hits: Vec<(i64, String)> = store
            .conn
            .prepare(
                "SELECT id, headline FROM story_search WHERE query MATCH 'bridge' ORDER BY rank",
            )
            .unwrap()
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        assert_eq!(hits, [(1, "Bridge funded".to_string())]);
        let latest: Vec<(i64, String, i64)> = store
            .conn
            .prepare("SELECT id, url, appearances FROM latest_stories ORDER BY first_seen_at DESC")
            .unwrap()
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        assert_eq!(latest, [(1, "https://kvia.com/a/".to_string(), 1)]);
    }
}
