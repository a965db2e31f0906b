//! Machine-written date values (metadata, `datetime` attributes, feed elements): ISO 8601
//! and its basic form, RFC 3339, RFC 822/1123 and the variants feeds really write (no or a
//! wrong weekday, full names, two-digit years, named zones), epoch seconds or milliseconds.
//! A value that is none of these is read as human-written text ([`super::text`]).

use std::sync::LazyLock;

use chrono::{DateTime, Datelike as _, FixedOffset, NaiveDate, NaiveDateTime, NaiveTime, TimeZone};
use regex::Regex;

use super::text::parse_text;
use super::words::{is_english_weekday, month_number, zone_offset};

pub(super) static ISO: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)\b(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[T\s]+(\d{1,2}):(\d{2})(?::(\d{2})(?:[.,]\d+)?)?\s*(z\b|[+-]\d{2}:?\d{2}\b|[+-]\d{2}\b|utc\b|gmt\b|[a-z]{2,4}\b)?)?",
    )
    .expect("valid regex")
});

static COMPACT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(\d{4})(\d{2})(\d{2})(?:T?(\d{2})(\d{2})(\d{2})?\s*(Z|[+-]\d{2}:?\d{2})?)?$")
        .expect("valid regex")
});

static CLOCK: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(\d{1,2}):(\d{2})(?::(\d{2}))?(?:\.\d+)?([ap]\.?m\.?)?$").expect("valid regex")
});

/// Years a page or feed item can plausibly be dated with; anything else is a misread.
pub(super) fn plausible_year(y: i32) -> bool {
    (1990..=2100).contains(&y)
}

/// The instant at a local date and time, in the zone written (`None`: UTC).
pub(super) fn build(
    y: i32,
    mo: u32,
    d: u32,
    h: u32,
    mi: u32,
    s: u32,
    offset: Option<i32>,
) -> Option<DateTime<FixedOffset>> {
    if !plausible_year(y) {
        return None;
    }
    let date = NaiveDate::from_ymd_opt(y, mo, d)?;
    // A leap second written as :60 is read as :59.
    let time = NaiveTime::from_hms_opt(h, mi, s.min(59))?;
    let naive = NaiveDateTime::new(date, time);
    let offset = FixedOffset::east_opt(offset.unwrap_or(0))?;
    offset.from_local_datetime(&naive).single()
}

pub(super) fn num<T: std::str::FromStr>(m: Option<regex::Match<'_>>) -> Option<T> {
    m.and_then(|m| m.as_str().parse().ok())
}

/// The 12-hour clock adjustment: "12 am" is 0 h, "1 pm" is 13 h, "14:02 PM" stays 14 h.
pub(super) fn hour24(h: u32, pm: Option<bool>) -> u32 {
    match pm {
        Some(true) if h < 12 => h + 12,
        Some(false) if h == 12 => 0,
        _ => h,
    }
}

/// Parses a date value, machine- or human-written, keeping the offset it was written with
/// (a value without a zone is UTC). `None` for anything without a whole date: never "now".
pub fn parse(s: &str) -> Option<DateTime<FixedOffset>> {
    let s = s.trim();
    if s.is_empty() {
        return None;
    }
    if s.len() > 300 {
        // A date is short; bound the regex work on a hostile attribute. Cut on a char boundary.
        return parse(&s[..s.floor_char_boundary(300)]);
    }
    if let Ok(dt) = DateTime::parse_from_rfc3339(s) {
        return Some(dt).filter(|d| plausible_year(d.year()));
    }
    if let Ok(dt) = DateTime::parse_from_rfc2822(s) {
        return Some(dt).filter(|d| plausible_year(d.year()));
    }
    if s.bytes().all(|b| b.is_ascii_digit()) && matches!(s.len(), 9..=11 | 13) {
        let mut secs: i64 = s.parse().ok()?;
        if s.len() == 13 {
            secs /= 1000;
        }
        return DateTime::from_timestamp(secs, 0)
            .map(|d| d.fixed_offset())
            .filter(|d| plausible_year(d.year()));
    }
    for form in [&*COMPACT, &*ISO] {
        if let Some(c) = form.captures(s) {
            // Both forms capture year, month, day, then optional hour, minute, second, zone.
            let zone = c.get(7).and_then(|m| zone_offset(m.as_str()));
            if let Some(d) = build(
                num(c.get(1))?,
                num(c.get(2))?,
                num(c.get(3))?,
                num(c.get(4)).unwrap_or(0),
                num(c.get(5)).unwrap_or(0),
                num(c.get(6)).unwrap_or(0),
                zone,
            ) {
                return Some(d);
            }
        }
    }
    worded(s).or_else(|| parse_text(s))
}

/// [`parse`] as a UTC instant: what feed items store. A feed's RFC 3339 or RFC 822 stamp is
/// taken at any year: wire services write far-future embargoes ("2999-01-01T00:00:00Z") to
/// mean "held until further notice", where a page's year outside [`plausible_year`] is a
/// misread.
pub fn parse_utc(s: &str) -> Option<DateTime<chrono::Utc>> {
    let t = s.trim();
    DateTime::parse_from_rfc3339(t)
        .or_else(|_| DateTime::parse_from_rfc2822(t))
        .ok()
        .or_else(|| parse(t))
        .map(|d| d.to_utc())
}

/// RFC 822 as feeds bend it: tokens in any order that name a month, a day, a year (two
/// digits allowed), a time and perhaps a zone; weekdays are skipped (feeds get them wrong).
/// Every token must be one of these, so free text never reads as a date here.
fn worded(s: &str) -> Option<DateTime<FixedOffset>> {
    let lower = s.to_lowercase();
    let (mut month, mut day, mut year) = (None, None, None);
    let mut time: Option<(u32, u32, u32)> = None;
    let mut pm: Option<bool> = None;
    let mut zone: Option<i32> = None;
    for raw in lower.split([' ', ',', '\t', '\n', '\r']) {
        let tok = raw.trim_end_matches('.');
        if tok.is_empty() || matches!(tok, "-" | "at" | "on") {
            continue;
        }
        if let Some(m) = month_number(tok).filter(|_| tok.len() >= 3) {
            if month.is_some() {
                return None;
            }
            month = Some(m);
        } else if is_english_weekday(tok) {
            continue;
        } else if let Some(c) = CLOCK.captures(tok) {
            time = Some((num(c.get(1))?, num(c.get(2))?, num(c.get(3)).unwrap_or(0)));
            if let Some(m) = c.get(4) {
                pm = Some(m.as_str().starts_with('p'));
            }
        } else if matches!(tok, "am" | "a.m" | "pm" | "p.m") {
            pm = Some(tok.starts_with('p'));
        } else if let Some(off) = zone_offset(tok) {
            zone = Some(off);
        } else if tok.bytes().all(|b| b.is_ascii_digit()) && tok.len() <= 4 {
            let n: i32 = tok.parse().ok()?;
            if tok.len() == 4 {
                year = Some(n);
            } else if day.is_none() && (1..=31).contains(&n) {
                day = Some(n as u32);
            } else if year.is_none() {
                year = Some(if n < 50 { 2000 + n } else { 1900 + n });
            } else {
                return None;
            }
        } else {
            return None;
        }
    }
    let (mut h, m, sec) = time.unwrap_or((0, 0, 0));
    if h > 12 && pm.is_some() {
        // "14:02 PM": the marker is redundant.
        pm = None;
    }
    h = hour24(h, pm);
    build(year?, month?, day?, h, m, sec, zone)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The instant in UTC (what most tests pin).
    fn iso(d: Option<DateTime<FixedOffset>>) -> String {
        d.map(|d| d.to_utc().to_rfc3339()).unwrap_or_default()
    }

    fn utc(s: &str) -> Option<String> {
        parse_utc(s).map(|d| d.to_rfc3339_opts(chrono::SecondsFormat::Secs, true))
    }

    /// Found by the fuzz harness: a blank value, or a long one cut inside a multi-byte
    /// character, recursed on "" for ever.
    #[test]
    fn blank_and_long_multibyte_values_return() {
        assert_eq!(parse("   "), None);
        let long = format!("{}November 19, 2019", "é".repeat(200));
        assert_eq!(parse(&long), None, "the date lies past the 300-byte cut");
        let early = format!("Nov. 19, 2019 {}", "é".repeat(200));
        assert_eq!(iso(parse(&early)), "2019-11-19T00:00:00+00:00");
    }

    #[test]
    fn the_written_offset_and_local_day_are_kept() {
        let d = parse("2021-03-05T22:30:00-05:00").unwrap();
        assert_eq!(d.to_rfc3339(), "2021-03-05T22:30:00-05:00");
        assert_eq!(
            iso(parse("2021-03-05T22:30:00-05:00")),
            "2021-03-06T03:30:00+00:00"
        );
    }

    #[test]
    fn iso_forms_and_zones() {
        assert_eq!(
            iso(parse("2019-11-19T10:00:00-0500")),
            "2019-11-19T15:00:00+00:00"
        );
        assert_eq!(
            iso(parse("2019-11-19 08:15:00")),
            "2019-11-19T08:15:00+00:00"
        );
        assert_eq!(
            iso(parse("Tue, 19 Nov 2019 10:00:00 +0100")),
            "2019-11-19T09:00:00+00:00"
        );
        assert_eq!(iso(parse("1574157600000")), "2019-11-19T10:00:00+00:00");
    }

    #[test]
    fn time_only_is_rejected() {
        assert!(parse("10:05 AM").is_none());
        assert!(parse("yesterday").is_none());
    }

    /// The forms feeds write (they were a parser of their own before pages and feeds shared
    /// this one).
    #[test]
    fn reads_the_forms_feeds_use() {
        let want = Some("2023-12-16T14:02:33Z".to_string());
        for s in [
            "Sat, 16 Dec 2023 14:02:33 GMT",
            "Sat, 16 Dec 2023 07:02:33 -0700",
            "16 Dec 2023 14:02:33 GMT",
            "Sat, 16 Dec 23 14:02:33 GMT",
            "Sat, 16 Dec 2023 14:02:33",
            "Tue, 16 Dec 2023 14:02:33 GMT",
            "Saturday, 16 December 2023 14:02:33 +0000",
            "sat, 16 dec 2023 14:02:33 gmt",
            "Sat, 16 Dec 2023 14:02:33 UT",
            "Sat, 16 Dec 2023 09:02:33 EST",
            "16 Dec 2023 15:02:33 BST",
            "Sat, 16 Dec 2023 16:02:33 CEST",
            "Sat, 16 Dec 2023 04:02:33 HST",
            "Sun, 17 Dec 2023 00:02:33 AEST",
            "Sat, Dec 16 2023 02:02:33 PM",
            "2023/12/16 14:02:33",
            "12/16/2023 2:02:33 PM",
            "2023-12-16T14:02:33",
            "2023-12-16 14:02:33 +0000",
            "2023-12-16T09:02:33-05:00",
            "2023-12-16T14:02:33.140891+00:00",
            "2023-12-16T16:02:33+0200",
            "20231216T140233Z",
            "1702735353",
            "  Sat, 16 Dec 2023 14:02:33 GMT \n",
        ] {
            assert_eq!(utc(s), want, "{s}");
        }
        let minute = Some("2023-12-16T14:02:00Z".to_string());
        for s in [
            "Saturday, December 16, 2023 - 2:02pm",
            "16.12.2023 14:02",
            "2023-12-16 14:02",
            "Sat, 16 Dec 2023 14:02 GMT",
        ] {
            assert_eq!(utc(s), minute, "{s}");
        }
        assert_eq!(utc("2023-12-16"), Some("2023-12-16T00:00:00Z".into()));
        assert_eq!(
            utc("2020/1/10 14:33:00"),
            Some("2020-01-10T14:33:00Z".into())
        );
    }

    #[test]
    fn a_feeds_far_future_embargo_is_read_but_not_on_a_page() {
        assert_eq!(
            utc("2999-01-01T00:00:00Z"),
            Some("2999-01-01T00:00:00Z".into())
        );
        assert_eq!(parse("2999-01-01T00:00:00Z"), None);
    }

    #[test]
    fn unreadable_dates_are_none() {
        for s in [
            "",
            "00/00/0000",
            "yesterday",
            "Sat, 32 Dec 2023",
            "2023-13-01",
            "Dec Dec 2023",
        ] {
            assert_eq!(utc(s), None, "{s}");
        }
    }
}
