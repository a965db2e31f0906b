//! When a feed is polled next: its interval (fixed, or learned from how often it posts within
//! its bounds), the back-off after errors, the server's own word on freshness, and a spread so
//! that feeds do not all come due at once.

use std::time::Duration;

use chrono::{DateTime, Utc};

use crate::config::FeedConfig;

/// The longest a failing feed waits between polls.
pub const MAX_BACKOFF: Duration = Duration::from_secs(6 * 60 * 60);

/// How many of a feed's newest items its posting rate is learned from.
const LEARN_FROM: usize = 20;

/// The poll interval a feed's item dates suggest: the `k` newest items (at most
/// [`LEARN_FROM`], at least 3) were posted over the span from the oldest of them to `now`, so
/// the feed posts about every `span / k`; polling at half that finds most items within half a
/// gap of their posting without asking in between. The span runs to `now`, not to the newest
/// item, so a feed that fell silent is asked less often. Dates in the future are ignored; a
/// feed without enough dated items teaches nothing (`None`).
pub fn learned_interval(
    dates: impl IntoIterator<Item = DateTime<Utc>>,
    now: DateTime<Utc>,
) -> Option<Duration> {
    let mut dates: Vec<DateTime<Utc>> = dates.into_iter().filter(|d| *d <= now).collect();
    if dates.len() < 3 {
        return None;
    }
    dates.sort_unstable_by(|a, b| b.cmp(a));
    dates.truncate(LEARN_FROM);
    let oldest = *dates.last()?;
    let span = (now - oldest).to_std().ok()?;
    let every = span / u32::try_from(dates.len()).ok()?;
    Some((every / 2).max(Duration::from_secs(1)))
}

/// The delay before a feed's next poll: [`next_delay`] (its interval, or the back-off after
/// errors); after a success never sooner than the server said the feed stays fresh (capped at
/// [`MAX_BACKOFF`]), and spread by up to ±10 % so that feeds with the same interval do not
/// all come due together after a restart. The spread is a hash of the feed and the time,
/// not a random draw, so the schedule can be replayed.
pub fn poll_delay(
    feed: &FeedConfig,
    learned: Option<Duration>,
    consecutive_errors: u32,
    fresh_for: Option<Duration>,
    now: DateTime<Utc>,
) -> Duration {
    let base = next_delay(feed, learned, consecutive_errors);
    if consecutive_errors > 0 {
        return base;
    }
    let base = fresh_for.map_or(base, |f| base.max(f.min(MAX_BACKOFF)));
    let mut hasher = blake3::Hasher::new();
    hasher.update(feed.url.as_str().as_bytes());
    hasher.update(&now.timestamp_millis().to_le_bytes());
    let draw = u16::from_le_bytes(
        hasher.finalize().as_bytes()[..2]
            .try_into()
            .expect("two bytes"),
    );
    // -0.1 ..= +0.1
    let spread = (f64::from(draw) / f64::from(u16::MAX)) * 0.2 - 0.1;
    base.mul_f64(1.0 + spread)
}

/// The error streak a gone (410) feed is scheduled with: long enough for the longest back-off.
pub(super) const GONE_STREAK: u32 = 64;

/// When a feed is due again: its interval (learned within its bounds, see
/// [`FeedConfig::interval_for`]), doubled per consecutive error, capped.
pub fn next_delay(
    feed: &FeedConfig,
    learned: Option<Duration>,
    consecutive_errors: u32,
) -> Duration {
    let base = feed.interval_for(learned);
    if consecutive_errors == 0 {
        return base;
    }
    let factor = 1u32 << consecutive_errors.min(10);
    base.saturating_mul(factor).min(MAX_BACKOFF.max(base))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;

    fn feed(interval: u64) -> FeedConfig {
        feed_with(&format!("interval_secs = {interval}"))
    }

    fn feed_with(extra: &str) -> FeedConfig {
        let c = Config::from_toml(
            &format!("[[feeds]]\nname = \"f\"\nurl = \"https://e.com/rss\"\n{extra}\n"),
            std::path::Path::new("t.toml"),
        )
        .unwrap();
        c.feeds[0].clone()
    }

    fn at(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    #[test]
    fn poll_delay_spreads_the_interval_and_honours_freshness() {
        let f = feed(300);
        let times = [
            "2026-12-04T08:00:00Z",
            "2026-12-04T08:05:00Z",
            "2026-12-04T08:10:00.123Z",
            "2026-12-04T09:00:00Z",
        ];
        let plain: Vec<Duration> = times
            .iter()
            .map(|t| poll_delay(&f, None, 0, None, at(t)))
            .collect();
        for d in &plain {
            assert!(
                *d >= Duration::from_secs(270) && *d <= Duration::from_secs(330),
                "{d:?}"
            );
        }
        assert!(plain.windows(2).any(|w| w[0] != w[1]), "spread: {plain:?}");
        // Same feed, same time: the same delay (replayable).
        assert_eq!(poll_delay(&f, None, 0, None, at(times[0])), plain[0]);
        // Fresh for an hour: not asked again within it (±10 %).
        let hour = poll_delay(&f, None, 0, Some(Duration::from_secs(3600)), at(times[0]));
        assert!(
            hour >= Duration::from_secs(3240) && hour <= Duration::from_secs(3960),
            "{hour:?}"
        );
        // A shorter promise than the interval changes nothing; a huge one is capped.
        assert_eq!(
            poll_delay(&f, None, 0, Some(Duration::from_secs(10)), at(times[0])),
            plain[0]
        );
        let capped = poll_delay(
            &f,
            None,
            0,
            Some(Duration::from_secs(86_400 * 30)),
            at(times[0]),
        );
        assert!(capped <= MAX_BACKOFF.mul_f64(1.1), "{capped:?}");
        // After errors: the back-off, exactly.
        assert_eq!(
            poll_delay(&f, None, 2, Some(Duration::from_secs(3600)), at(times[0])),
            Duration::from_secs(1200)
        );
    }

    #[test]
    fn backoff_doubles_and_caps() {
        let f = feed(300);
        assert_eq!(next_delay(&f, None, 0), Duration::from_secs(300));
        assert_eq!(next_delay(&f, None, 1), Duration::from_secs(600));
        assert_eq!(next_delay(&f, None, 3), Duration::from_secs(2400));
        assert_eq!(next_delay(&f, None, 30), MAX_BACKOFF);
    }

    #[test]
    fn the_interval_is_learned_from_how_often_the_feed_posts() {
        let now = at("2026-12-04T12:00:00Z");
        // 24 items an hour apart, the newest 10 minutes old: the 20 newest span 19 h 10 min
        // to now, one item every 57.5 min; polled at half that.
        let hourly: Vec<_> = (0..24)
            .map(|h| now - chrono::Duration::minutes(10 + 60 * h))
            .collect();
        assert_eq!(
            learned_interval(hourly.iter().copied(), now),
            Some(Duration::from_secs(1725))
        );
        // The same feed silent for a day: asked less often.
        let later = now + chrono::Duration::days(1);
        assert!(
            learned_interval(hourly.iter().copied(), later).unwrap() > Duration::from_secs(3600)
        );
        // Too few dated items, or only future ones: nothing learned.
        assert_eq!(learned_interval(hourly[..2].iter().copied(), now), None);
        let future = [now + chrono::Duration::hours(1); 5];
        assert_eq!(learned_interval(future, now), None);
    }

    #[test]
    fn the_learned_interval_is_bounded_by_the_feeds_min_and_max() {
        let learned = Some(Duration::from_secs(1725));
        // No bounds: the configured interval, whatever was learned.
        assert_eq!(next_delay(&feed(300), learned, 0), Duration::from_secs(300));
        let adaptive =
            feed_with("interval_secs = 300\nmin_interval_secs = 120\nmax_interval_secs = 3600");
        assert_eq!(next_delay(&adaptive, learned, 0), Duration::from_secs(1725));
        assert_eq!(next_delay(&adaptive, None, 0), Duration::from_secs(300));
        assert_eq!(
            next_delay(&adaptive, Some(Duration::from_secs(30)), 0),
            Duration::from_secs(120)
        );
        assert_eq!(
            next_delay(&adaptive, Some(Duration::from_secs(86_400)), 0),
            Duration::from_secs(3600)
        );
        // Errors back off from the learned interval.
        assert_eq!(next_delay(&adaptive, learned, 1), Duration::from_secs(3450));
        // One bound alone widens the range from the interval.
        let slow_ok = feed_with("interval_secs = 300\nmax_interval_secs = 1800");
        assert_eq!(next_delay(&slow_ok, learned, 0), Duration::from_secs(1725));
        assert_eq!(
            next_delay(&slow_ok, Some(Duration::from_secs(10)), 0),
            Duration::from_secs(300)
        );
    }

    #[test]
    fn a_min_above_the_max_is_a_config_error_naming_the_feed() {
        let err = Config::from_toml(
            "[[feeds]]\nname = \"f\"\nurl = \"https://e.com/rss\"\nmin_interval_secs = 600\nmax_interval_secs = 60\n",
            std::path::Path::new("t.toml"),
        )
        .unwrap_err()
        .to_string();
        assert!(
            err.contains("min_interval_secs (600) exceeds max_interval_secs (60)"),
            "{err}"
        );
        assert!(err.contains("line 2"), "{err}");
    }
}
