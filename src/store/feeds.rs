//! Feed rows: registration, poll state (conditional-GET validators, error streak) and "have we
//! stored this item already".

use chrono::{DateTime, Utc};
use rusqlite::{OptionalExtension, params};

use super::{FeedState, PollOutcome, Store, StoreError, parse_time, time_text};

impl Store {
    /// Inserts the feed's row if missing (and updates its name).
    pub fn register_feed(&self, name: &str, url: &str) -> Result<(), StoreError> {
        self.check_writable(|| format!("register feed {url}"))?;
        self.conn
            .prepare_cached(
                "INSERT INTO feeds (name, url, created_at) VALUES (?1, ?2, ?3)
                 ON CONFLICT (url) DO UPDATE SET name = excluded.name",
            )
            .and_then(|mut s| s.execute(params![name, url, super::time_text(Utc::now())]))
            .map_err(self.sql_err(format!("registering feed {url}")))?;
        Ok(())
    }

    /// The feed at `url` answered its poll with a permanent redirect to `moved_to`: later polls
    /// go there (the configured URL stays the feed's key, so its items and state stay with it).
    pub fn record_feed_moved(&self, url: &str, moved_to: &str) -> Result<(), StoreError> {
        self.set_feed_column(url, "moved_to = ?2", moved_to, "move")
    }

    /// The feed at `url` answered 410 Gone at `at` (kept until a poll succeeds again).
    pub fn record_feed_gone(&self, url: &str, at: DateTime<Utc>) -> Result<(), StoreError> {
        self.set_feed_column(
            url,
            "gone_at = coalesce(gone_at, ?2)",
            &time_text(at),
            "gone",
        )
    }

    /// `UPDATE feeds SET {assignment} WHERE url = ?1`, with `value` as `?2`.
    fn set_feed_column(
        &self,
        url: &str,
        assignment: &str,
        value: &str,
        what: &str,
    ) -> Result<(), StoreError> {
        self.check_writable(|| format!("record feed {url} {what}"))?;
        self.conn
            .prepare_cached(&format!("UPDATE feeds SET {assignment} WHERE url = ?1"))
            .and_then(|mut s| s.execute(params![url, value]))
            .map_err(self.sql_err(format!("recording feed {url} {what}")))?;
        Ok(())
    }

    /// The feed's poll state, if it has a row.
    pub fn feed_state(&self, url: &str) -> Result<Option<FeedState>, StoreError> {
        type Row = (
            Option<String>,
            Option<String>,
            Option<String>,
            Option<String>,
            i64,
            Option<String>,
            Option<String>,
            Option<String>,
            Option<i64>,
        );
        let row: Option<Row> = self
            .conn
            .prepare_cached(
                "SELECT etag, last_modified, last_polled_at, next_poll_at, consecutive_errors,
                        last_error, moved_to, gone_at, learned_interval_secs
                 FROM feeds WHERE url = ?1",
            )
            .and_then(|mut s| {
                s.query_row([url], |r| {
                    Ok((
                        r.get(0)?,
                        r.get(1)?,
                        r.get(2)?,
                        r.get(3)?,
                        r.get(4)?,
                        r.get(5)?,
                        r.get(6)?,
                        r.get(7)?,
                        r.get(8)?,
                    ))
                })
                .optional()
            })
            .map_err(self.sql_err(format!("reading poll state of feed {url}")))?;
        let Some((etag, last_modified, polled, next, errors, last_error, moved_to, gone, learned)) =
            row
        else {
            return Ok(None);
        };
        Ok(Some(FeedState {
            etag,
            last_modified,
            last_polled_at: parse_time(
                &self.path,
                &format!("feeds.last_polled_at of {url}"),
                polled,
            )?,
            next_poll_at: parse_time(&self.path, &format!("feeds.next_poll_at of {url}"), next)?,
            consecutive_errors: u32::try_from(errors).unwrap_or(u32::MAX),
            last_error,
            moved_to,
            gone_at: parse_time(&self.path, &format!("feeds.gone_at of {url}"), gone)?,
            learned_interval: learned
                .and_then(|s| u64::try_from(s).ok())
                .filter(|&s| s > 0)
                .map(std::time::Duration::from_secs),
        }))
    }

    /// Records a poll of the feed at `url`.
    ///
    /// `NotModified` keeps the validators and ends an error streak; `Fetched` replaces the
    /// validators (with `None` too: a server that stopped sending them) and ends the streak;
    /// `Failed` keeps the validators, adds one to `consecutive_errors` and sets `last_error`.
    /// `last_error` is kept after a success, as the most recent failure's message. The feed
    /// must have been registered ([`StoreError::UnknownFeed`] otherwise).
    pub fn record_poll(
        &self,
        url: &str,
        polled_at: DateTime<Utc>,
        next_poll_at: DateTime<Utc>,
        outcome: &PollOutcome,
    ) -> Result<(), StoreError> {
        self.check_writable(|| format!("record a poll of feed {url}"))?;
        let polled = time_text(polled_at);
        let next = time_text(next_poll_at);
        let err = self.sql_err(format!("recording a poll of feed {url}"));
        let run = |sql: &str, params: &[&dyn rusqlite::ToSql]| {
            self.conn
                .prepare_cached(sql)
                .and_then(|mut s| s.execute(params))
        };
        let changed = match outcome {
            PollOutcome::NotModified => run(
                "UPDATE feeds SET last_polled_at = ?2, next_poll_at = ?3, consecutive_errors = 0,
                        gone_at = NULL, last_success_at = ?2
                 WHERE url = ?1",
                params![url, polled, next],
            ),
            PollOutcome::Fetched {
                etag,
                last_modified,
                learned_interval,
            } => run(
                "UPDATE feeds SET last_polled_at = ?2, next_poll_at = ?3, consecutive_errors = 0,
                        etag = ?4, last_modified = ?5, gone_at = NULL, last_success_at = ?2,
                        learned_interval_secs = coalesce(?6, learned_interval_secs)
                 WHERE url = ?1",
                params![
                    url,
                    polled,
                    next,
                    etag,
                    last_modified,
                    learned_interval.map(|d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
                ],
            ),
            PollOutcome::Failed { error } => run(
                "UPDATE feeds SET last_polled_at = ?2, next_poll_at = ?3,
                        consecutive_errors = consecutive_errors + 1, last_error = ?4
                 WHERE url = ?1",
                params![url, polled, next, error],
            ),
        }
        .map_err(err)?;
        if changed == 0 {
            return Err(StoreError::UnknownFeed {
                path: self.path.clone(),
                url: url.to_owned(),
            });
        }
        Ok(())
    }

    /// True when this (feed name, item guid) has already been stored.
    pub fn seen_item(&self, feed: &str, guid: &str) -> Result<bool, StoreError> {
        self.conn
            .prepare_cached(
                "SELECT EXISTS (SELECT 1 FROM feed_items WHERE feed = ?1 AND guid = ?2)
                     OR EXISTS (SELECT 1 FROM appearances WHERE feed = ?1 AND guid = ?2)",
            )
            .and_then(|mut s| s.query_row([feed, guid], |r| r.get(0)))
            .map_err(self.sql_err(format!("looking up item {guid:?} of feed {feed}")))
    }

    /// True when a page with this URL key (see [`crate::dedupe::url_key`]) is stored: an
    /// appearance seen at it, or a story whose canonical URL it is. Backfills from sitemaps and
    /// URL lists use it to skip what an earlier run stored.
    pub fn stored_url_key(&self, url_key: &str) -> Result<bool, StoreError> {
        self.conn
            .prepare_cached(
                "SELECT EXISTS (SELECT 1 FROM appearances WHERE url_key = ?1)
                     OR EXISTS (SELECT 1 FROM stories WHERE url_key = ?1)",
            )
            .and_then(|mut s| s.query_row([url_key], |r| r.get(0)))
            .map_err(self.sql_err(format!("looking up URL key {url_key:?}")))
    }
}

#[cfg(test)]
mod tests {
    use super::super::testutil::*;
    use super::*;

    const URL: &str = "https://kvia.com/feed";

    #[test]
    fn register_is_idempotent_and_updates_the_name() {
        let (_dir, store) = store();
        assert_eq!(store.feed_state(URL).unwrap(), None);
        store.register_feed("kvia", URL).unwrap();
        store.register_feed("KVIA News", URL).unwrap();
        assert_eq!(store.counts().unwrap().feeds, 1);
        let name: String = store
            .conn
            .query_row("SELECT name FROM feeds WHERE url = ?1", [URL], |r| r.get(0))
            .unwrap();
        assert_eq!(name, "KVIA News");
        assert_eq!(store.feed_state(URL).unwrap(), Some(FeedState::default()));
    }

    #[test]
    fn record_poll_state_machine() {
        let (_dir, store) = store();
        store.register_feed("kvia", URL).unwrap();

        let fetched = PollOutcome::Fetched {
            etag: Some("\"e1\"".into()),
            last_modified: Some("Fri, 27 Nov 2026 12:00:00 GMT".into()),
            learned_interval: Some(std::time::Duration::from_secs(900)),
        };
        store.record_poll(URL, at(0), at(5), &fetched).unwrap();
        let s = store.feed_state(URL).unwrap().unwrap();
        assert_eq!(s.etag.as_deref(), Some("\"e1\""));
        assert_eq!(
            s.last_modified.as_deref(),
            Some("Fri, 27 Nov 2026 12:00:00 GMT")
        );
        assert_eq!(
            (s.last_polled_at, s.next_poll_at),
            (Some(at(0)), Some(at(5)))
        );
        assert_eq!(s.consecutive_errors, 0);

        // Two failures: the streak grows, validators stay.
        for i in 1..=2 {
            let failed = PollOutcome::Failed {
                error: format!("GET {URL}: timeout {i}"),
            };
            store
                .record_poll(URL, at(5 * i), at(5 * i + 10), &failed)
                .unwrap();
        }
        let s = store.feed_state(URL).unwrap().unwrap();
        assert_eq!(s.consecutive_errors, 2);
        assert_eq!(
            s.last_error.as_deref(),
            Some("GET https://kvia.com/feed: timeout 2")
        );
        assert_eq!(s.etag.as_deref(), Some("\"e1\""));
        assert_eq!(s.next_poll_at, Some(at(20)));

        // 304: the streak ends, validators stay.
        store
            .record_poll(URL, at(20), at(25), &PollOutcome::NotModified)
            .unwrap();
        let s = store.feed_state(URL).unwrap().unwrap();
        assert_eq!(s.consecutive_errors, 0);
        assert_eq!(s.etag.as_deref(), Some("\"e1\""));
        assert_eq!(s.last_polled_at, Some(at(20)));

        // A full response without validators clears them.
        let bare = PollOutcome::Fetched {
            etag: None,
            last_modified: None,
            learned_interval: None,
        };
        store.record_poll(URL, at(25), at(30), &bare).unwrap();
        let s = store.feed_state(URL).unwrap().unwrap();
        assert_eq!((s.etag, s.last_modified), (None, None));
        // Nothing learned this time: the interval learned before stays.
        assert_eq!(
            s.learned_interval,
            Some(std::time::Duration::from_secs(900))
        );
    }

    #[test]
    fn record_poll_of_an_unregistered_feed_names_it() {
        let (_dir, store) = store();
        let err = store
            .record_poll(
                "https://nowhere.test/rss",
                at(0),
                at(1),
                &PollOutcome::NotModified,
            )
            .unwrap_err();
        assert!(matches!(err, StoreError::UnknownFeed { .. }));
        assert!(
            err.to_string().contains("https://nowhere.test/rss"),
            "{err}"
        );
    }

    #[test]
    fn seen_item_after_ingest() {
        let (_dir, mut store) = store();
        assert!(!store.seen_item("kvia", "g1").unwrap());
        store
            .ingest(&incoming(
                "kvia",
                Some("g1"),
                Some("https://kvia.com/a"),
                "H",
                "Body.",
            ))
            .unwrap();
        assert!(store.seen_item("kvia", "g1").unwrap());
        assert!(!store.seen_item("kvia", "g2").unwrap());
        assert!(
            !store.seen_item("other", "g1").unwrap(),
            "guids are per feed"
        );

        // The same page listed in a second feed: one appearance, but both items are seen.
        let mut again = incoming(
            "kvia-politics",
            Some("p9"),
            Some("https://kvia.com/a"),
            "H",
            "Body.",
        );
        again.seen_at = at(3);
        let out = store.ingest(&again).unwrap();
        assert!(
            matches!(out, crate::store::IngestOutcome::Duplicate { .. }),
            "{out:?}"
        );
        assert!(store.seen_item("kvia-politics", "p9").unwrap());
    }

    #[test]
    fn stored_url_key_finds_appearances_and_canonical_urls() {
        let (_dir, mut store) = store();
        let key = |u: &str| crate::dedupe::url_key(u).unwrap();
        assert!(!store.stored_url_key(&key("https://kvia.com/a")).unwrap());
        let mut seen = incoming(
            "sitemap:kvia.com",
            None,
            Some("https://www.kvia.com/a?utm_source=x"),
            "H",
            "Body.",
        );
        seen.article.canonical_url = Some("https://cnn.com/story".into());
        store.ingest(&seen).unwrap();
        // The page's key (www. and tracking dropped) and the story's canonical key are stored.
        assert!(store.stored_url_key(&key("http://kvia.com/a")).unwrap());
        assert!(store.stored_url_key(&key("https://cnn.com/story")).unwrap());
        assert!(!store.stored_url_key(&key("https://kvia.com/b")).unwrap());
    }
}

/// One feed's health, for `wiredesk feeds` and the desk.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct FeedHealth {
    /// The name in the config.
    pub name: String,
    /// The configured URL.
    pub url: String,
    /// Where it moved (301/308), polled instead of `url`.
    pub moved_to: Option<String>,
    /// When it answered 410 Gone (until a later success).
    pub gone_at: Option<String>,
    /// Last poll, any outcome (RFC 3339).
    pub last_polled_at: Option<String>,
    /// Last poll that succeeded (200 or 304).
    pub last_success_at: Option<String>,
    /// Failed polls in a row.
    pub consecutive_errors: i64,
    /// The most recent failure's message.
    pub last_error: Option<String>,
    /// When it is due next.
    pub next_poll_at: Option<String>,
    /// Items first seen through it in the 24 hours before the query.
    pub items_24h: i64,
}

impl Store {
    /// Every feed's health, by name. `now` bounds the 24-hour item count.
    pub fn feed_health(&self, now: DateTime<Utc>) -> Result<Vec<FeedHealth>, StoreError> {
        let since = time_text(now - chrono::Duration::hours(24));
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT f.name, f.url, f.moved_to, f.gone_at, f.last_polled_at, f.last_success_at,
                        f.consecutive_errors, f.last_error, f.next_poll_at,
                        (SELECT count(*) FROM feed_items i
                         WHERE i.feed = f.name AND i.first_seen_at >= ?1)
                 FROM feeds f ORDER BY f.name, f.url",
            )
            .map_err(self.sql_err("reading feed health"))?;
        stmt.query_map([since], |r| {
            Ok(FeedHealth {
                name: r.get(0)?,
                url: r.get(1)?,
                moved_to: r.get(2)?,
                gone_at: r.get(3)?,
                last_polled_at: r.get(4)?,
                last_success_at: r.get(5)?,
                consecutive_errors: r.get(6)?,
                last_error: r.get(7)?,
                next_poll_at: r.get(8)?,
                items_24h: r.get(9)?,
            })
        })
        .and_then(|rows| rows.collect())
        .map_err(self.sql_err("reading feed health"))
    }
}
