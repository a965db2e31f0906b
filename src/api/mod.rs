//! How stories leave the store: the formats news systems read. [`ninjs`] (IPTC ninjs 2.1, what
//! wire systems and CMS importers speak), [`atom`] and [`jsonfeed`] (what any feed reader
//! subscribes to), and [`export`], which streams a whole filtered set in any of them (and in
//! JSON lines of our own columns) at constant memory.
//!
//! Each format maps one [`crate::store::StoryRow`] (plain data) to text; nothing here reads
//! the store or the network.

pub mod atom;
pub mod desk;
pub mod export;
pub mod jsonfeed;
pub mod ninjs;
pub mod server;

/// A story's stable URI within this store: `urn:wiredesk:story:ID`.
pub fn story_uri(id: i64) -> String {
    format!("urn:wiredesk:story:{id}")
}

/// The start of a window as the CLI and the API take it: RFC 3339
/// (`2026-11-27T12:00:00Z`) or a day (`2026-11-27`: its first instant, UTC).
pub fn parse_since(s: &str) -> Result<chrono::DateTime<chrono::Utc>, String> {
    parse_bound(s, chrono::NaiveTime::MIN)
}

/// The end of a window, inclusive: RFC 3339, or a day (`2026-11-27`: through its last
/// millisecond, UTC), so `--since D --until D` is the whole day D.
pub fn parse_until(s: &str) -> Result<chrono::DateTime<chrono::Utc>, String> {
    parse_bound(
        s,
        chrono::NaiveTime::from_hms_milli_opt(23, 59, 59, 999).expect("a valid time"),
    )
}

fn parse_bound(
    s: &str,
    day_time: chrono::NaiveTime,
) -> Result<chrono::DateTime<chrono::Utc>, String> {
    let s = s.trim();
    if let Ok(day) = chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d") {
        return Ok(day.and_time(day_time).and_utc());
    }
    chrono::DateTime::parse_from_rfc3339(s)
        .map(|t| t.with_timezone(&chrono::Utc))
        .map_err(|_| format!("{s:?} is not a date (YYYY-MM-DD or RFC 3339)"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_are_whole_and_times_keep_their_offset() {
        assert_eq!(
            parse_since("2026-11-27").unwrap().to_rfc3339(),
            "2026-11-27T00:00:00+00:00"
        );
        assert_eq!(
            parse_until("2026-11-27").unwrap().to_rfc3339(),
            "2026-11-27T23:59:59.999+00:00"
        );
        assert_eq!(
            parse_until("2026-11-27T12:00:00-05:00")
                .unwrap()
                .to_rfc3339(),
            "2026-11-27T17:00:00+00:00"
        );
        assert!(parse_since("last week").unwrap_err().contains("YYYY-MM-DD"));
    }
}
