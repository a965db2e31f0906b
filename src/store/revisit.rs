//! Revisits: which appearances are due to be fetched again, and what a revisit found.
//!
//! In: the clock (from the caller) and revisit results. Out: due appearances, and updated
//! appearance rows (validators, schedule, withdrawal) and story status. An appearance is
//! revisited at [`REVISIT_AFTER`](super::REVISIT_AFTER) after it was first seen; a page that
//! answers 404/410 is *withdrawn*, and a story whose every appearance is withdrawn becomes
//! `withheld` (ninjs pubStatus). Rows are never deleted.

use chrono::{DateTime, Utc};
use rusqlite::params;

use super::ingest::{revisit_time, withdraw_appearance};
use super::sql::{exec, first};
use super::{Store, StoreError, time_text};

/// An appearance due for a revisit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DueRevisit {
    /// The appearance row.
    pub appearance_id: i64,
    /// Its story.
    pub story_id: i64,
    /// The page URL to fetch.
    pub url: String,
    /// The feed it came through.
    pub feed: String,
    /// The item's guid in that feed.
    pub guid: Option<String>,
    /// `ETag` of the last full response for this page, for a conditional GET.
    pub etag: Option<String>,
    /// `Last-Modified` of the last full response.
    pub last_modified: Option<String>,
    /// Revisits already made.
    pub revisits: i64,
}

/// What one revisit found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RevisitOutcome {
    /// 304: unchanged.
    NotModified,
    /// A full page (already ingested by the caller); its validators are kept for next time.
    Fetched {
        /// `ETag`.
        etag: Option<String>,
        /// `Last-Modified`.
        last_modified: Option<String>,
    },
    /// 404 or 410: the page is gone; the appearance is withdrawn.
    Gone,
    /// Any other failure: try again at the next scheduled time.
    Failed,
    /// Not fetched because robots.txt disallows the page: asked again at the next scheduled
    /// time.
    NotFetched,
}

/// Appearances due at ?1, oldest due first, at most ?2.
const DUE: &str = "SELECT id, story_id, url, feed, guid, etag, last_modified, revisits
     FROM appearances
     WHERE next_revisit_at IS NOT NULL AND next_revisit_at <= ?1 AND url IS NOT NULL
     ORDER BY next_revisit_at, id LIMIT ?2";

impl Store {
    /// Appearances whose next revisit is due at `now` (not withdrawn, with a URL), oldest first.
    pub fn due_revisits(
        &self,
        now: DateTime<Utc>,
        limit: usize,
    ) -> Result<Vec<DueRevisit>, StoreError> {
        let err = || self.sql_err("listing due revisits");
        let mut stmt = self.conn.prepare_cached(DUE).map_err(err())?;
        let rows = stmt
            .query_map(
                params![time_text(now), i64::try_from(limit).unwrap_or(i64::MAX)],
                |r| {
                    Ok(DueRevisit {
                        appearance_id: r.get(0)?,
                        story_id: r.get(1)?,
                        url: r.get(2)?,
                        feed: r.get(3)?,
                        guid: r.get(4)?,
                        etag: r.get(5)?,
                        last_modified: r.get(6)?,
                        revisits: r.get(7)?,
                    })
                },
            )
            .map_err(err())?;
        rows.collect::<Result<_, _>>().map_err(err())
    }

    /// Records a revisit of appearance `appearance_id` at `at`: schedules the next one (none
    /// after the last), keeps new validators, and on [`RevisitOutcome::Gone`] withdraws the
    /// appearance and recomputes the story's status. One transaction.
    pub fn record_revisit(
        &mut self,
        appearance_id: i64,
        at: DateTime<Utc>,
        outcome: &RevisitOutcome,
    ) -> Result<(), StoreError> {
        self.write(
            || format!("record revisit of appearance {appearance_id}"),
            |tx| {
                let (story_id, seen_at, revisits): (i64, String, i64) = first(
                    tx,
                    "read appearance",
                    "SELECT story_id, seen_at, revisits FROM appearances WHERE id = ?1",
                    [appearance_id],
                    |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
                )?
                .ok_or(("read appearance", rusqlite::Error::QueryReturnedNoRows))?;
                let done = revisits + 1;
                let at_text = time_text(at);
                let mut next = revisit_time(&seen_at, usize::try_from(done).unwrap_or(usize::MAX));
                // A revisit that ran late does not queue the next one in the past right away.
                if next.as_deref().is_some_and(|n| n <= at_text.as_str()) {
                    next = revisit_time(&seen_at, usize::try_from(done + 1).unwrap_or(usize::MAX));
                }
                exec(
                    tx,
                    "schedule",
                    "UPDATE appearances SET revisits = ?2, next_revisit_at = ?3, last_checked_at = ?4
                     WHERE id = ?1",
                    params![appearance_id, done, next, at_text],
                )?;
                match outcome {
                    RevisitOutcome::Fetched {
                        etag,
                        last_modified,
                    } => {
                        exec(
                            tx,
                            "keep validators",
                            "UPDATE appearances SET etag = ?2, last_modified = ?3 WHERE id = ?1",
                            params![appearance_id, etag, last_modified],
                        )?;
                    }
                    RevisitOutcome::Gone => {
                        withdraw_appearance(tx, appearance_id, &at_text)?;
                        exec(
                            tx,
                            "recompute status",
                            "UPDATE stories SET status = 'withheld', status_changed_at = ?2
                             WHERE id = ?1 AND status = 'usable'
                               AND NOT EXISTS (SELECT 1 FROM appearances
                                               WHERE story_id = ?1 AND withdrawn_at IS NULL)",
                            params![story_id, at_text],
                        )?;
                    }
                    RevisitOutcome::NotModified
                    | RevisitOutcome::Failed
                    | RevisitOutcome::NotFetched => {}
                }
                Ok(())
            },
        )
    }
}

#[cfg(test)]
mod tests {
    use super::super::testutil::*;
    use super::*;
    use crate::store::IngestOutcome;

    const BODY: &str = "WASHINGTON (CNN) — The Senate passed the spending bill 51-49 on Friday after a long night of debate.\n\nIt goes to the House next week, where leaders expect a close vote on the measure.";

    fn status(store: &Store, id: i64) -> String {
        store.story(id).unwrap().unwrap().status
    }

    #[test]
    fn revisits_are_scheduled_at_1_6_24_hours_then_stop() {
        let (_dir, mut store) = store();
        let IngestOutcome::New { story_id } = store
            .ingest(&incoming(
                "kvia",
                Some("g"),
                Some("https://kvia.com/a"),
                "H",
                BODY,
            ))
            .unwrap()
        else {
            panic!()
        };
        assert!(store.due_revisits(at(59), 10).unwrap().is_empty());
        let due = store.due_revisits(at(60), 10).unwrap();
        assert_eq!(due.len(), 1);
        assert_eq!(
            (due[0].story_id, due[0].url.as_str(), due[0].revisits),
            (story_id, "https://kvia.com/a", 0)
        );
        let id = due[0].appearance_id;
        let fetched = RevisitOutcome::Fetched {
            etag: Some("\"e1\"".into()),
            last_modified: None,
        };
        store.record_revisit(id, at(60), &fetched).unwrap();
        assert!(store.due_revisits(at(359), 10).unwrap().is_empty());
        let due = store.due_revisits(at(360), 10).unwrap();
        assert_eq!(
            (due[0].etag.as_deref(), due[0].revisits),
            (Some("\"e1\""), 1)
        );
        store
            .record_revisit(id, at(360), &RevisitOutcome::NotModified)
            .unwrap();
        assert_eq!(store.due_revisits(at(24 * 60), 10).unwrap().len(), 1);
        store
            .record_revisit(id, at(24 * 60), &RevisitOutcome::Failed)
            .unwrap();
        assert!(
            store
                .due_revisits(at(100 * 24 * 60), 10)
                .unwrap()
                .is_empty(),
            "three revisits, then no more"
        );
        assert_eq!(status(&store, story_id), "usable");
    }

    #[test]
    fn gone_withdraws_and_all_withdrawn_withholds_then_a_new_place_restores() {
        let (_dir, mut store) = store();
        let IngestOutcome::New { story_id } = store
            .ingest(&incoming(
                "kvia",
                Some("g"),
                Some("https://kvia.com/a"),
                "H",
                BODY,
            ))
            .unwrap()
        else {
            panic!()
        };
        store
            .ingest(&incoming(
                "wlox",
                Some("w"),
                Some("https://wlox.com/b"),
                "H",
                BODY,
            ))
            .unwrap();
        let due = store.due_revisits(at(60), 10).unwrap();
        assert_eq!(due.len(), 2);
        store
            .record_revisit(due[0].appearance_id, at(60), &RevisitOutcome::Gone)
            .unwrap();
        assert_eq!(
            status(&store, story_id),
            "usable",
            "one place still runs it"
        );
        store
            .record_revisit(due[1].appearance_id, at(61), &RevisitOutcome::Gone)
            .unwrap();
        assert_eq!(status(&store, story_id), "withheld");
        assert!(
            store.due_revisits(at(10_000), 10).unwrap().is_empty(),
            "withdrawn pages are not revisited"
        );
        let s = store.story(story_id).unwrap().unwrap();
        assert_eq!(s.appearances.len(), 2, "nothing is deleted");
        assert!(s.appearances.iter().all(|a| a.withdrawn_at.is_some()));
        // It runs somewhere new: usable again.
        store
            .ingest(&incoming(
                "kcbd",
                Some("k"),
                Some("https://kcbd.com/c"),
                "H",
                BODY,
            ))
            .unwrap();
        assert_eq!(status(&store, story_id), "usable");
    }

    #[test]
    fn a_removal_notice_at_a_known_place_cancels_for_good() {
        let (_dir, mut store) = store();
        let IngestOutcome::New { story_id } = store
            .ingest(&incoming(
                "kvia",
                Some("g"),
                Some("https://kvia.com/a"),
                "H",
                BODY,
            ))
            .unwrap()
        else {
            panic!()
        };
        let notice = incoming(
            "kvia",
            Some("g"),
            Some("https://kvia.com/a"),
            "H",
            "This story has been removed.",
        );
        assert_eq!(
            store.ingest(&notice).unwrap(),
            IngestOutcome::Canceled { story_id }
        );
        let s = store.story(story_id).unwrap().unwrap();
        assert_eq!(
            (s.status.as_str(), s.version),
            ("canceled", 1),
            "the notice is not a version"
        );
        assert_eq!(s.body_text, BODY, "the text is kept");
        assert!(s.appearances[0].withdrawn_at.is_some());
        store
            .ingest(&incoming(
                "wlox",
                Some("w"),
                Some("https://wlox.com/b"),
                "H",
                BODY,
            ))
            .unwrap();
        assert_eq!(
            status(&store, story_id),
            "canceled",
            "a kill is not undone by a later copy"
        );
    }
}
