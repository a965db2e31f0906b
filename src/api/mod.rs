//! How stories leave the store: the formats news systems read. [`ninjs`] (IPTC ninjs 2.1, what
//! wire systems and CMS importers speak), [`atom`] and [`jsonfeed`] (what any feed reader
//! subscribes to), and [`export`], which streams a whole filtered set in any of them (and in
//! JSON lines of our own columns) at constant memory.
//!
//! Each format maps one [`crate::store::StoryRow`] (plain data) to text; nothing here reads
//! the store or the network.

pub mod atom;
pub mod export;
pub mod jsonfeed;
pub mod ninjs;
pub mod server;

/// A story's stable URI within this store: `urn:wiredesk:story:ID`.
pub fn story_uri(id: i64) -> String {
    format!("urn:wiredesk:story:{id}")
}

/// A time as the CLI and the API take it: RFC 3339 (`2026-11-27T12:00:00Z`) or a day
/// (`2026-11-27`, midnight UTC).
pub fn parse_time(s: &str) -> Result<chrono::DateTime<chrono::Utc>, String> {
    if let Ok(t) = chrono::DateTime::parse_from_rfc3339(s) {
        return Ok(t.with_timezone(&chrono::Utc));
    }
    chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .map(|d| d.and_hms_opt(0, 0, 0).expect("midnight").and_utc())
        .map_err(|_| format!("{s:?} is not an RFC 3339 time or a YYYY-MM-DD day"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_and_days_parse_and_bad_ones_say_what_is_wanted() {
        assert_eq!(
            parse_time("2026-11-27").unwrap().to_rfc3339(),
            "2026-11-27T00:00:00+00:00"
        );
        assert_eq!(
            parse_time("2026-11-27T12:00:00-05:00")
                .unwrap()
                .to_rfc3339(),
            "2026-11-27T17:00:00+00:00"
        );
        assert!(parse_time("last week").unwrap_err().contains("YYYY-MM-DD"));
    }
}
