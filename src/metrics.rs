//! What the daemon has done, counted for the engineer who runs it: polls by outcome, errors by
//! kind, items and what the store made of them, extraction failures, fetch latency, pages in
//! flight and feeds failing. The pipeline counts; `[metrics] listen` serves the counts in the
//! Prometheus/OpenMetrics text format (`/metrics`) beside a health check (`/healthz`).
//!
//! Counting is a few atomic adds per poll and per item, so it is always on; only the HTTP
//! listener is optional.

use std::collections::HashSet;
use std::sync::Mutex;
use std::sync::atomic::{AtomicI64, Ordering};
use std::time::Duration;

use chrono::{DateTime, Utc};
use prometheus_client::encoding::text::encode;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::{Histogram, exponential_buckets};
use prometheus_client::registry::Registry;

use crate::store::IngestOutcome;

/// One label: its name and value.
type Label = Vec<(&'static str, &'static str)>;

/// How a feed poll ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Polled {
    /// 200: the feed was read.
    Fetched,
    /// 304: unchanged since the last poll.
    NotModified,
    /// Any failure.
    Failed,
}

impl Polled {
    fn label(self) -> &'static str {
        match self {
            Polled::Fetched => "fetched",
            Polled::NotModified => "not_modified",
            Polled::Failed => "failed",
        }
    }
}

/// What a request fetched, for the latency histogram.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fetched {
    /// A feed document.
    Feed,
    /// An article page (first fetch or revisit).
    Page,
}

/// The counters; shared by the pipeline (which counts) and the listener (which reads).
#[derive(Debug)]
pub struct Metrics {
    registry: Registry,
    polls: Family<Label, Counter>,
    errors: Family<Label, Counter>,
    items: Family<Label, Counter>,
    stories: Family<Label, Counter>,
    extraction_failures: Counter,
    fetch_seconds: Family<Label, Histogram, fn() -> Histogram>,
    pages_in_flight: Gauge,
    feeds_failing: Gauge,
    last_success_seconds: Gauge,
    /// Names of the feeds whose last poll failed.
    failing: Mutex<HashSet<String>>,
    /// When a feed last succeeded (Unix seconds); the process start until one has.
    last_success: AtomicI64,
}

/// Buckets of the fetch latency histogram: 10 ms to ~41 s, doubling.
fn latency_histogram() -> Histogram {
    Histogram::new(exponential_buckets(0.01, 2.0, 13))
}

impl Default for Metrics {
    fn default() -> Self {
        Metrics::new(Utc::now())
    }
}

impl Metrics {
    /// Fresh counters; `started` stands in for the last success until a feed succeeds, so a
    /// daemon that just started is healthy for `stale_after` while it makes its first polls.
    pub fn new(started: DateTime<Utc>) -> Metrics {
        let mut registry = Registry::with_prefix("wiredesk");
        let polls = Family::<Label, Counter>::default();
        registry.register(
            "polls",
            "Feed polls by outcome (fetched, not_modified, failed)",
            polls.clone(),
        );
        let errors = Family::<Label, Counter>::default();
        registry.register(
            "errors",
            "Failed feed polls by kind of error (timeout, connect, status, parse, ...)",
            errors.clone(),
        );
        let items = Family::<Label, Counter>::default();
        registry.register(
            "items",
            "Feed items taken in, by result (stored, skipped as already stored, failed)",
            items.clone(),
        );
        let stories = Family::<Label, Counter>::default();
        registry.register(
            "stories",
            "Stored items by what the store made of them (new, updated, appearance, duplicate, canceled)",
            stories.clone(),
        );
        let extraction_failures = Counter::default();
        registry.register(
            "extraction_failures",
            "Fetched pages from which no article could be extracted",
            extraction_failures.clone(),
        );
        let fetch_seconds =
            Family::<Label, Histogram, fn() -> Histogram>::new_with_constructor(latency_histogram);
        registry.register(
            "fetch_seconds",
            "Time to fetch a feed or a page, headers and body, by what was fetched",
            fetch_seconds.clone(),
        );
        let pages_in_flight = Gauge::default();
        registry.register(
            "pages_in_flight",
            "Pages (and feed documents) fetched or being fetched, waiting for or in extraction",
            pages_in_flight.clone(),
        );
        let feeds_failing = Gauge::default();
        registry.register(
            "feeds_failing",
            "Feeds whose last poll failed",
            feeds_failing.clone(),
        );
        let last_success_seconds = Gauge::default();
        registry.register(
            "last_success_timestamp_seconds",
            "When a feed poll last succeeded (Unix time; the daemon's start until one has)",
            last_success_seconds.clone(),
        );
        last_success_seconds.set(started.timestamp());
        Metrics {
            registry,
            polls,
            errors,
            items,
            stories,
            extraction_failures,
            fetch_seconds,
            pages_in_flight,
            feeds_failing,
            last_success_seconds,
            failing: Mutex::new(HashSet::new()),
            last_success: AtomicI64::new(started.timestamp()),
        }
    }

    /// Counts a poll of `feed` that ended as `outcome` at `now`; `error_kind` names the error
    /// of a failed one.
    pub fn poll(
        &self,
        feed: &str,
        outcome: Polled,
        error_kind: Option<&'static str>,
        now: DateTime<Utc>,
    ) {
        self.polls
            .get_or_create(&vec![("outcome", outcome.label())])
            .inc();
        let mut failing = self.failing.lock().unwrap_or_else(|e| e.into_inner());
        if outcome == Polled::Failed {
            self.errors
                .get_or_create(&vec![("kind", error_kind.unwrap_or("other"))])
                .inc();
            failing.insert(feed.to_string());
        } else {
            failing.remove(feed);
            self.last_success
                .fetch_max(now.timestamp(), Ordering::AcqRel);
            self.last_success_seconds
                .set(self.last_success.load(Ordering::Acquire));
        }
        self.feeds_failing.set(failing.len() as i64);
    }

    /// Forgets a feed that left the config (it no longer counts as failing).
    pub fn forget(&self, feed: &str) {
        let mut failing = self.failing.lock().unwrap_or_else(|e| e.into_inner());
        failing.remove(feed);
        self.feeds_failing.set(failing.len() as i64);
    }

    /// Counts an item already stored and not fetched again.
    pub fn item_skipped(&self) {
        self.items.get_or_create(&vec![("result", "skipped")]).inc();
    }

    /// Counts an item that failed.
    pub fn item_failed(&self) {
        self.items.get_or_create(&vec![("result", "failed")]).inc();
    }

    /// Counts an item the store took, by what it made of it.
    pub fn item_stored(&self, outcome: &IngestOutcome) {
        self.items.get_or_create(&vec![("result", "stored")]).inc();
        let what = match outcome {
            IngestOutcome::New { .. } => "new",
            IngestOutcome::NewVersion { .. } => "updated",
            IngestOutcome::NewAppearance { .. } => "appearance",
            IngestOutcome::Duplicate { .. } => "duplicate",
            IngestOutcome::Canceled { .. } => "canceled",
        };
        self.stories.get_or_create(&vec![("outcome", what)]).inc();
    }

    /// Counts a fetched page that gave no article.
    pub fn extraction_failed(&self) {
        self.extraction_failures.inc();
    }

    /// Records how long a fetch took.
    pub fn fetch_time(&self, what: Fetched, took: Duration) {
        let label = match what {
            Fetched::Feed => "feed",
            Fetched::Page => "page",
        };
        self.fetch_seconds
            .get_or_create(&vec![("what", label)])
            .observe(took.as_secs_f64());
    }

    /// When a feed last succeeded (the start, until one has).
    pub fn last_success(&self) -> DateTime<Utc> {
        DateTime::from_timestamp(self.last_success.load(Ordering::Acquire), 0).unwrap_or_default()
    }

    /// Healthy when some feed succeeded within `stale_after` of `now`; either way, how long
    /// ago the last success was.
    pub fn health(&self, stale_after: Duration, now: DateTime<Utc>) -> Health {
        let since = (now - self.last_success()).to_std().unwrap_or_default();
        if since <= stale_after {
            Health::Ok { since }
        } else {
            Health::Stale { since }
        }
    }

    /// The counters in the OpenMetrics text format, with `pages_in_flight` as given now.
    pub fn render(&self, pages_in_flight: usize) -> String {
        self.pages_in_flight.set(pages_in_flight as i64);
        let mut out = String::new();
        // Writing to a String cannot fail.
        let _ = encode(&mut out, &self.registry);
        out
    }
}

/// What `/healthz` says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Health {
    /// A feed succeeded this long ago, within the limit.
    Ok {
        /// Time since the last success.
        since: Duration,
    },
    /// No feed has succeeded for this long, beyond the limit.
    Stale {
        /// Time since the last success.
        since: Duration,
    },
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(secs: i64) -> DateTime<Utc> {
        DateTime::from_timestamp(1_800_000_000 + secs, 0).unwrap()
    }

    fn value(text: &str, series: &str) -> Option<f64> {
        text.lines()
            .find_map(|l| l.strip_prefix(series)?.trim().parse().ok())
    }

    #[test]
    fn polls_and_errors_count_by_outcome_and_kind() {
        let m = Metrics::new(t(0));
        m.poll("a", Polled::Fetched, None, t(1));
        m.poll("a", Polled::NotModified, None, t(2));
        m.poll("b", Polled::Failed, Some("timeout"), t(3));
        m.poll("b", Polled::Failed, Some("timeout"), t(4));
        let text = m.render(3);
        assert_eq!(
            value(&text, r#"wiredesk_polls_total{outcome="fetched"}"#),
            Some(1.0)
        );
        assert_eq!(
            value(&text, r#"wiredesk_polls_total{outcome="not_modified"}"#),
            Some(1.0)
        );
        assert_eq!(
            value(&text, r#"wiredesk_polls_total{outcome="failed"}"#),
            Some(2.0)
        );
        assert_eq!(
            value(&text, r#"wiredesk_errors_total{kind="timeout"}"#),
            Some(2.0)
        );
        assert_eq!(value(&text, "wiredesk_feeds_failing"), Some(1.0));
        assert_eq!(value(&text, "wiredesk_pages_in_flight"), Some(3.0));
        assert_eq!(
            value(&text, "wiredesk_last_success_timestamp_seconds"),
            Some(t(2).timestamp() as f64)
        );
        // A success clears the failing feed; a removed feed is forgotten.
        m.poll("b", Polled::Fetched, None, t(5));
        m.poll("c", Polled::Failed, None, t(6));
        m.forget("c");
        assert_eq!(value(&m.render(0), "wiredesk_feeds_failing"), Some(0.0));
    }

    #[test]
    fn items_count_by_result_and_stories_by_outcome() {
        let m = Metrics::new(t(0));
        m.item_stored(&IngestOutcome::New { story_id: 1 });
        m.item_stored(&IngestOutcome::Duplicate { story_id: 1 });
        m.item_skipped();
        m.item_failed();
        m.extraction_failed();
        m.fetch_time(Fetched::Page, Duration::from_millis(30));
        let text = m.render(0);
        assert_eq!(
            value(&text, r#"wiredesk_items_total{result="stored"}"#),
            Some(2.0)
        );
        assert_eq!(
            value(&text, r#"wiredesk_items_total{result="skipped"}"#),
            Some(1.0)
        );
        assert_eq!(
            value(&text, r#"wiredesk_stories_total{outcome="new"}"#),
            Some(1.0)
        );
        assert_eq!(
            value(&text, r#"wiredesk_stories_total{outcome="duplicate"}"#),
            Some(1.0)
        );
        assert_eq!(
            value(&text, "wiredesk_extraction_failures_total"),
            Some(1.0)
        );
        assert_eq!(
            value(&text, r#"wiredesk_fetch_seconds_count{what="page"}"#),
            Some(1.0)
        );
        // 30 ms is above the 20 ms bucket and within the 40 ms one.
        assert_eq!(
            value(
                &text,
                r#"wiredesk_fetch_seconds_bucket{le="0.02",what="page"}"#
            ),
            Some(0.0)
        );
        assert_eq!(
            value(
                &text,
                r#"wiredesk_fetch_seconds_bucket{le="0.04",what="page"}"#
            ),
            Some(1.0)
        );
    }

    #[test]
    fn health_turns_stale_when_no_feed_succeeds_in_time() {
        let m = Metrics::new(t(0));
        let limit = Duration::from_secs(60);
        assert!(matches!(m.health(limit, t(60)), Health::Ok { .. }));
        assert_eq!(
            m.health(limit, t(61)),
            Health::Stale {
                since: Duration::from_secs(61)
            }
        );
        m.poll("a", Polled::Failed, Some("connect"), t(70));
        assert!(matches!(m.health(limit, t(70)), Health::Stale { .. }));
        m.poll("a", Polled::Fetched, None, t(80));
        assert_eq!(
            m.health(limit, t(100)),
            Health::Ok {
                since: Duration::from_secs(20)
            }
        );
    }
}
