//! Dates as feeds really write them, text in, UTC out (or `None`: the caller keeps the raw
//! text, never substitutes "now").
//!
//! Accepted: RFC 822/1123 and their variants (no weekday, wrong weekday, full names, lower
//! case, two-digit years, no seconds, no zone = UTC, named zones such as EST/BST/CEST/AEST,
//! numeric offsets), month-first forms with a 12-hour clock ("Sat, Dec 16 2023 02:02:33 PM",
//! "Saturday, December 16, 2023 - 2:02pm"), ISO 8601 with or without zone, fraction, seconds,
//! `T` or a space, the basic form `20231216T140233Z`, `2023/12/16 14:02:33`,
//! `12/16/2023 2:02:33 PM`, `16.12.2023 14:02` and Unix epoch seconds.

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Utc};
use regex::Regex;
use std::sync::LazyLock;

/// `text` as a UTC time, or `None` when it is not a date this parser knows.
pub fn parse_date(text: &str) -> Option<DateTime<Utc>> {
    let s = text.trim();
    if s.is_empty() || s.len() > 100 {
        return None;
    }
    epoch(s)
        .or_else(|| iso(s))
        .or_else(|| numeric_dmy(s))
        .or_else(|| worded(s))
}

static ISO: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[Tt ]+(\d{1,2}):(\d{2})(?::(\d{2})(?:[.,]\d+)?)?)?\s*(Z|z|UTC|GMT|[+-]\d{2}(?::?\d{2})?)?$",
    )
    .expect("valid regex")
});

static ISO_BASIC: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})?(Z|[+-]\d{2}:?\d{2})?$")
        .expect("valid regex")
});

/// Numeric dates with slashes or dots: `2023/12/16`, `12/16/2023`, `16.12.2023`, optionally
/// followed by a time, an AM/PM marker and a zone.
static NUMERIC: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^(\d{1,4})([/.])(\d{1,2})[/.](\d{1,4})(?:[T ,]+(\d{1,2}):(\d{2})(?::(\d{2}))?(?:\.\d+)?\s*([AaPp][Mm])?)?\s*(Z|UTC|GMT|[A-Za-z]{2,5}|[+-]\d{2}:?\d{2})?$",
    )
    .expect("valid regex")
});

static TIME: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(\d{1,2}):(\d{2})(?::(\d{2}))?(?:\.\d+)?([ap]\.?m\.?)?$").expect("valid regex")
});

fn epoch(s: &str) -> Option<DateTime<Utc>> {
    if !(9..=11).contains(&s.len()) || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    DateTime::from_timestamp(s.parse().ok()?, 0)
}

fn iso(s: &str) -> Option<DateTime<Utc>> {
    if let Some(c) = ISO.captures(s) {
        let date = ymd(num(&c, 1)?, num(&c, 2)?, num(&c, 3)?)?;
        let time = hms(
            num(&c, 4).unwrap_or(0),
            num(&c, 5).unwrap_or(0),
            num(&c, 6).unwrap_or(0),
        )?;
        return at(date.and_time(time), c.get(7).map(|m| m.as_str()));
    }
    let c = ISO_BASIC.captures(s)?;
    let date = ymd(num(&c, 1)?, num(&c, 2)?, num(&c, 3)?)?;
    let time = hms(num(&c, 4)?, num(&c, 5)?, num(&c, 6).unwrap_or(0))?;
    at(date.and_time(time), c.get(7).map(|m| m.as_str()))
}

fn numeric_dmy(s: &str) -> Option<DateTime<Utc>> {
    let c = NUMERIC.captures(s)?;
    let (a, sep, b, y): (u32, _, u32, i32) = (num(&c, 1)?, &c[2], num(&c, 3)?, num(&c, 4)?);
    let date = if c[1].len() == 4 {
        // 2023/12/16
        ymd(a as i32, b, y as u32)?
    } else if c[4].len() == 4 && sep == "." {
        // 16.12.2023, day first as in Europe
        ymd(y, b, a)?
    } else if c[4].len() == 4 {
        // 12/16/2023 is American; 16/12/2023 can only be day first
        if a > 12 { ymd(y, b, a)? } else { ymd(y, a, b)? }
    } else {
        return None;
    };
    let mut hour = num(&c, 5).unwrap_or(0);
    if let Some(ampm) = c.get(8) {
        hour = twelve_hour(hour, ampm.as_str().to_ascii_lowercase().starts_with('p'))?;
    }
    let time = hms(hour, num(&c, 6).unwrap_or(0), num(&c, 7).unwrap_or(0))?;
    at(date.and_time(time), c.get(9).map(|m| m.as_str()))
}

/// RFC 822 and friends: tokens in any order that name a month, a day, a year, a time and
/// perhaps a zone; weekdays are ignored (feeds get them wrong).
fn worded(s: &str) -> Option<DateTime<Utc>> {
    let lower = s.to_ascii_lowercase();
    let (mut month, mut day, mut year) = (None, None, None);
    let mut time: Option<(u32, u32, u32)> = None;
    let mut pm: Option<bool> = None;
    let mut zone: Option<FixedOffset> = None;
    for raw in lower.split([' ', ',', '\t', '\n', '\r']) {
        let tok = raw.trim_end_matches('.');
        if tok.is_empty() || tok == "-" || tok == "at" || tok == "on" {
            continue;
        }
        if let Some(m) = month_number(tok) {
            if month.is_some() {
                return None;
            }
            month = Some(m);
        } else if is_weekday(tok) {
            continue;
        } else if let Some(c) = TIME.captures(tok) {
            time = Some((num(&c, 1)?, num(&c, 2)?, num(&c, 3).unwrap_or(0)));
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
    let date = NaiveDate::from_ymd_opt(year?, month?, day?)?;
    let (mut h, m, sec) = time.unwrap_or((0, 0, 0));
    if let Some(pm) = pm {
        h = twelve_hour(h, pm)?;
    }
    let local = date.and_time(hms(h, m, sec)?);
    let zone = zone.unwrap_or(FixedOffset::east_opt(0)?);
    Some(zone.from_local_datetime(&local).single()?.to_utc())
}

fn twelve_hour(hour: u32, pm: bool) -> Option<u32> {
    match (hour, pm) {
        (1..=11, false) => Some(hour),
        (12, false) => Some(0),
        (1..=11, true) => Some(hour + 12),
        (12, true) => Some(12),
        // "14:02 PM": the marker is redundant
        (13..=23, _) => Some(hour),
        _ => None,
    }
}

fn num<T: std::str::FromStr>(c: &regex::Captures<'_>, i: usize) -> Option<T> {
    c.get(i)?.as_str().parse().ok()
}

fn ymd(y: i32, m: u32, d: u32) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(y, m, d)
}

fn hms(h: u32, m: u32, s: u32) -> Option<NaiveTime> {
    // A leap second written as :60 is read as :59.
    NaiveTime::from_hms_opt(h, m, s.min(59))
}

/// The local time in the given zone (a name or a numeric offset; none means UTC).
fn at(local: NaiveDateTime, zone: Option<&str>) -> Option<DateTime<Utc>> {
    let offset = match zone {
        None => FixedOffset::east_opt(0)?,
        Some(z) => zone_offset(&z.to_ascii_lowercase())?,
    };
    Some(offset.from_local_datetime(&local).single()?.to_utc())
}

/// A numeric offset (`+0200`, `-05:00`, `+02`) or a zone name feeds use.
fn zone_offset(tok: &str) -> Option<FixedOffset> {
    if let Some(sign) = tok.chars().next().filter(|c| *c == '+' || *c == '-') {
        let digits: String = tok[1..].chars().filter(|c| *c != ':').collect();
        if !digits.bytes().all(|b| b.is_ascii_digit()) || !matches!(digits.len(), 2 | 4) {
            return None;
        }
        let h: i32 = digits[..2].parse().ok()?;
        let m: i32 = digits
            .get(2..)
            .filter(|d| !d.is_empty())
            .map_or(Some(0), |d| d.parse().ok())?;
        if h > 23 || m > 59 {
            return None;
        }
        let secs = (h * 3600 + m * 60) * if sign == '-' { -1 } else { 1 };
        return FixedOffset::east_opt(secs);
    }
    let minutes = match tok {
        "z" | "ut" | "utc" | "gmt" | "wet" => 0,
        "est" => -5 * 60,
        "edt" => -4 * 60,
        "cst" => -6 * 60,
        "cdt" => -5 * 60,
        "mst" => -7 * 60,
        "mdt" => -6 * 60,
        "pst" => -8 * 60,
        "pdt" => -7 * 60,
        "akst" => -9 * 60,
        "akdt" => -8 * 60,
        "hst" => -10 * 60,
        "ast" => -4 * 60,
        "adt" => -3 * 60,
        "nst" => -(3 * 60 + 30),
        "ndt" => -(2 * 60 + 30),
        "bst" | "cet" | "west" | "wat" => 60,
        "cest" | "eet" | "cat" | "sast" => 2 * 60,
        "eest" | "msk" | "eat" => 3 * 60,
        "ist" => 5 * 60 + 30,
        "pkt" => 5 * 60,
        "sgt" | "hkt" | "awst" | "pht" => 8 * 60,
        "jst" | "kst" => 9 * 60,
        "acst" => 9 * 60 + 30,
        "acdt" => 10 * 60 + 30,
        "aest" => 10 * 60,
        "aedt" => 11 * 60,
        "nzst" => 12 * 60,
        "nzdt" => 13 * 60,
        _ => return None,
    };
    FixedOffset::east_opt(minutes * 60)
}

fn month_number(tok: &str) -> Option<u32> {
    const MONTHS: [&str; 12] = [
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
    ];
    if tok.len() < 3 {
        return None;
    }
    let i = MONTHS
        .iter()
        .position(|m| m.starts_with(tok) || (tok == "sept" && *m == "september"))?;
    Some(i as u32 + 1)
}

fn is_weekday(tok: &str) -> bool {
    const DAYS: [&str; 7] = [
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
    ];
    tok.len() >= 3
        && DAYS
            .iter()
            .any(|d| d.starts_with(tok) || tok == "tues" || tok == "thur" || tok == "thurs")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utc(s: &str) -> Option<String> {
        parse_date(s).map(|d| d.to_rfc3339_opts(chrono::SecondsFormat::Secs, true))
    }

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
