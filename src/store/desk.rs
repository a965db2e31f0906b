//! Reads for the desk's pages (`wiredesk serve`, see `crate::api::desk`): the wire as a list
//! of light rows, the change feed's high-water mark, and items per feed per day.

use chrono::{DateTime, Utc};
use serde::Serialize;

use super::{PageKey, Store, StoreError, StoryQuery, time_text};

/// One line of the wire: what the list shows of a story, without its text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct WireRow {
    /// Story id.
    pub id: i64,
    /// Current headline.
    pub headline: Option<String>,
    /// Wire credit.
    pub credit: Option<String>,
    /// Section.
    pub section: Option<String>,
    /// First stored (RFC 3339).
    pub first_seen_at: String,
    /// Current version (above 1: updated).
    pub version: i64,
    /// `usable`, `withheld` or `canceled`.
    pub status: String,
    /// Not to be published before (RFC 3339).
    pub embargoed_until: Option<String>,
    /// Places it ran.
    pub appearances: i64,
    /// Some version carries a correction or editor's note.
    pub corrected: bool,
}

const WIRE_COLUMNS: &str = "s.id, s.headline, s.credit, s.section, s.first_seen_at, s.version,
    s.status, s.embargoed_until,
    (SELECT count(*) FROM appearances a WHERE a.story_id = s.id),
    EXISTS (SELECT 1 FROM story_versions v WHERE v.story_id = s.id AND v.is_correction)";

/// Items first seen through one feed on one UTC day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FeedDay {
    /// The feed's name (`feed_items.feed`).
    pub feed: String,
    /// The day, `YYYY-MM-DD` (UTC).
    pub day: String,
    /// Items first seen that day.
    pub items: i64,
}

impl Store {
    /// A page of the wire, newest first, under the API's filters (same order and keyset
    /// cursor as [`Store::stories_page`]). A bad full-text query gives
    /// [`StoreError::Search`] naming it.
    pub fn wire_page(
        &self,
        query: &StoryQuery,
        limit: usize,
        after: Option<&PageKey>,
    ) -> Result<Vec<WireRow>, StoreError> {
        self.listing(WIRE_COLUMNS, query, limit, after, |r| {
            let read = || -> rusqlite::Result<WireRow> {
                Ok(WireRow {
                    id: r.get(0)?,
                    headline: r.get(1)?,
                    credit: r.get(2)?,
                    section: r.get(3)?,
                    first_seen_at: r.get(4)?,
                    version: r.get(5)?,
                    status: r.get(6)?,
                    embargoed_until: r.get(7)?,
                    appearances: r.get(8)?,
                    corrected: r.get(9)?,
                })
            };
            read().map_err(self.sql_err("reading a wire row"))
        })
    }

    /// The newest change's sequence number (0 when there is none): where a live page starts
    /// listening.
    pub fn last_change_seq(&self) -> Result<i64, StoreError> {
        self.conn
            .prepare_cached("SELECT coalesce(max(seq), 0) FROM changes")
            .and_then(|mut s| s.query_row([], |r| r.get(0)))
            .map_err(self.sql_err("reading the last change"))
    }

    /// Items first seen per feed per UTC day, over the `days` days up to and including
    /// `now`'s, oldest day first (days without items are absent).
    pub fn feed_items_per_day(
        &self,
        now: DateTime<Utc>,
        days: u32,
    ) -> Result<Vec<FeedDay>, StoreError> {
        let first_day = (now - chrono::Duration::days(i64::from(days.max(1)) - 1))
            .date_naive()
            .and_time(chrono::NaiveTime::MIN)
            .and_utc();
        let err = || self.sql_err("counting items per feed per day");
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT feed, substr(first_seen_at, 1, 10) AS day, count(*) FROM feed_items
                 WHERE first_seen_at >= ?1 GROUP BY feed, day ORDER BY feed, day",
            )
            .map_err(err())?;
        stmt.query_map([time_text(first_day)], |r| {
            Ok(FeedDay {
                feed: r.get(0)?,
                day: r.get(1)?,
                items: r.get(2)?,
            })
        })
        .and_then(|rows| rows.collect())
        .map_err(err())
    }
}

#[cfg(test)]
mod tests {
    use super::super::testutil::*;
    use super::*;

    const BODY: &str = "The county commission voted four to one on Tuesday to fund the new bridge \
        over the river, ending a decade of debate about the crossing and its cost to taxpayers.";

    #[test]
    fn the_wire_lists_light_rows_with_badges_and_counts() {
        let (_dir, mut store) = store();
        store
            .ingest(&incoming(
                "kvia",
                Some("g1"),
                Some("https://kvia.com/a/"),
                "Bridge",
                BODY,
            ))
            .unwrap();
        let mut corrected = incoming(
            "kvia",
            Some("g1"),
            Some("https://kvia.com/a/"),
            "Bridge",
            &format!("{BODY}\n\nCorrection: An earlier version of this story misstated the vote."),
        );
        corrected.seen_at = at(30);
        store.ingest(&corrected).unwrap();
        let mut other = incoming(
            "kvia",
            Some("g2"),
            Some("https://kvia.com/b/"),
            "Storm nears",
            "Forecasters said the storm would bring heavy rain and wind to the coast by Friday \
             night, and the county opened two shelters for residents near the water.",
        );
        other.seen_at = at(5);
        store.ingest(&other).unwrap();

        let rows = store.wire_page(&StoryQuery::default(), 10, None).unwrap();
        let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
        assert_eq!(ids, [2, 1], "newest first");
        assert_eq!((rows[1].version, rows[1].corrected), (2, true));
        assert_eq!((rows[0].version, rows[0].corrected), (1, false));
        assert_eq!(rows[0].appearances, 1);

        let storm = StoryQuery {
            q: Some("storm".into()),
            ..StoryQuery::default()
        };
        assert_eq!(store.wire_page(&storm, 10, None).unwrap().len(), 1);
        let bad = StoryQuery {
            q: Some("\"open".into()),
            ..StoryQuery::default()
        };
        assert!(matches!(
            store.wire_page(&bad, 10, None).unwrap_err(),
            StoreError::Search { .. }
        ));
        assert_eq!(store.last_change_seq().unwrap(), 3, "two new, one version");
    }

    #[test]
    fn items_per_day_count_a_window_of_whole_days() {
        let (_dir, mut store) = store();
        for (i, minutes) in [0, 10, 24 * 60 + 5].into_iter().enumerate() {
            let mut item = incoming(
                "kvia",
                Some(&format!("g{i}")),
                Some(&format!("https://kvia.com/{i}/")),
                &format!("Story {i}"),
                &format!("{BODY} Item {i} of the day is different in its own way."),
            );
            item.seen_at = at(minutes);
            store.ingest(&item).unwrap();
        }
        let day2 = at(24 * 60 + 60);
        let days = store.feed_items_per_day(day2, 14).unwrap();
        let got: Vec<(&str, &str, i64)> = days
            .iter()
            .map(|d| (d.feed.as_str(), d.day.as_str(), d.items))
            .collect();
        assert_eq!(got, [("kvia", "2026-11-27", 2), ("kvia", "2026-11-28", 1)]);
        // A one-day window holds only the last day.
        assert_eq!(store.feed_items_per_day(day2, 1).unwrap().len(), 1);
    }
}
