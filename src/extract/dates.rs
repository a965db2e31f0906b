//! Date strings in (ISO 8601, RFC 2822, "Nov. 19, 2019 10:05 AM EST", "19 November 2019",
//! epoch seconds, URL paths), instants out with the offset the page wrote, so the local
//! calendar day survives (10 p.m. EST on the 5th is the 5th, though it is the 6th in UTC). A
//! string without a zone is read as UTC; a string without a date is rejected (never "now").

use std::sync::LazyLock;

use chrono::{DateTime, Datelike as _, FixedOffset, NaiveDate, NaiveDateTime, NaiveTime, TimeZone};
use regex::Regex;

static ISO: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)\b(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[T\s]+(\d{1,2}):(\d{2})(?::(\d{2})(?:[.,]\d+)?)?\s*(z\b|[+-]\d{2}:?\d{2}\b|[+-]\d{2}\b|utc\b|gmt\b|[a-z]{2,4}\b)?)?",
    )
    .expect("valid regex")
});

static COMPACT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(\d{4})(\d{2})(\d{2})(?:T?(\d{2})(\d{2})(\d{2})?\s*(Z|[+-]\d{2}:?\d{2})?)?$")
        .expect("valid regex")
});

const MONTHS: &str = r"(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)";
const TIME: &str = r"(?:\s*(?:,|at|@|-|–|\|)?\s*(\d{1,2})(?:[:.](\d{2}))?(?:[:.](\d{2}))?\s*([ap]\.?\s?m\.?)?(?:\s*\(?\s*([a-z]{2,5}(?:[+-]\d{1,2}(?::?\d{2})?)?|[+-]\d{2}:?\d{2})\)?)?)?";

static MDY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(?i)\b{MONTHS}\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+(\d{{4}})\b{TIME}"
    ))
    .expect("valid regex")
});

static DMY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(?i)\b(\d{{1,2}})(?:st|nd|rd|th)?\.?\s+(?:of\s+)?{MONTHS}\.?,?\s+(\d{{4}})\b{TIME}"
    ))
    .expect("valid regex")
});

static NUMERIC_US: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(r"(?i)\b(\d{{1,2}})/(\d{{1,2}})/(\d{{4}})\b{TIME}")).expect("valid regex")
});

static NUMERIC_EU: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(?i)\b(\d{{1,2}})\.(\d{{1,2}})\.(\d{{4}})\b{TIME}"
    ))
    .expect("valid regex")
});

static URL_DATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"/((?:19|20)\d{2})[/-]?(0[1-9]|1[0-2])[/-]?(0[1-9]|[12]\d|3[01])(?:[/\-_+.]|$)")
        .expect("valid regex")
});

static URL_DATE_MONTH: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(?i)/((?:19|20)\d{{2}})/{MONTHS}/(0?[1-9]|[12]\d|3[01])/"
    ))
    .expect("valid regex")
});

/// Year, month name, day: "2023 Jan 7" (citation metadata, journal datelines).
static YMD_NAMED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(r"(?i)\b(\d{{4}})\s+{MONTHS}\.?\s+(\d{{1,2}})\b")).expect("valid regex")
});

static URL_DATE_SEP: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"/((?:19|20)\d{2})/(0?[1-9]|1[0-2])/(0?[1-9]|[12]\d|3[01])/").expect("valid regex")
});

/// Offset in seconds east of UTC for a zone abbreviation or numeric offset.
fn zone_offset(z: &str) -> Option<i32> {
    let z = z.trim();
    let lower = z.to_ascii_lowercase();
    let hours = |h: i32| Some(h * 3600);
    match lower.as_str() {
        "z" | "utc" | "gmt" | "ut" | "wet" => return hours(0),
        "est" => return hours(-5),
        "edt" => return hours(-4),
        "cst" => return hours(-6),
        "cdt" => return hours(-5),
        "mst" => return hours(-7),
        "mdt" => return hours(-6),
        "pst" => return hours(-8),
        "pdt" => return hours(-7),
        "akst" => return hours(-9),
        "akdt" => return hours(-8),
        "hst" => return hours(-10),
        "ast" => return hours(-4),
        "bst" | "cet" | "west" => return hours(1),
        "cest" | "eet" | "sast" => return hours(2),
        "eest" | "msk" => return hours(3),
        "ist" => return Some(5 * 3600 + 1800),
        "sgt" | "hkt" | "awst" => return hours(8),
        "jst" | "kst" => return hours(9),
        "aest" => return hours(10),
        "aedt" => return hours(11),
        "nzst" => return hours(12),
        "nzdt" => return hours(13),
        _ => {}
    }
    if let Some(rest) = lower
        .strip_prefix("gmt")
        .or_else(|| lower.strip_prefix("utc"))
    {
        return numeric_offset(rest);
    }
    numeric_offset(&lower)
}

fn numeric_offset(s: &str) -> Option<i32> {
    let (sign, rest) = match s.as_bytes().first()? {
        b'+' => (1, &s[1..]),
        b'-' => (-1, &s[1..]),
        _ => return None,
    };
    let digits: String = rest.chars().filter(|c| c.is_ascii_digit()).collect();
    let (h, m) = match digits.len() {
        1 | 2 => (digits.parse::<i32>().ok()?, 0),
        3 => (
            digits[..1].parse::<i32>().ok()?,
            digits[1..].parse::<i32>().ok()?,
        ),
        4 => (
            digits[..2].parse::<i32>().ok()?,
            digits[2..].parse::<i32>().ok()?,
        ),
        _ => return None,
    };
    if h > 14 || m > 59 {
        return None;
    }
    Some(sign * (h * 3600 + m * 60))
}

fn month_number(m: &str) -> Option<u32> {
    let m = m.to_ascii_lowercase();
    let n = match m.get(..3)? {
        "jan" => 1,
        "feb" => 2,
        "mar" => 3,
        "apr" => 4,
        "may" => 5,
        "jun" => 6,
        "jul" => 7,
        "aug" => 8,
        "sep" => 9,
        "oct" => 10,
        "nov" => 11,
        "dec" => 12,
        _ => return None,
    };
    Some(n)
}

fn plausible_year(y: i32) -> bool {
    (1990..=2100).contains(&y)
}

fn build(
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
    let time = NaiveTime::from_hms_opt(h, mi, s.min(59))?;
    let naive = NaiveDateTime::new(date, time);
    let offset = FixedOffset::east_opt(offset.unwrap_or(0))?;
    offset.from_local_datetime(&naive).single()
}

fn num<T: std::str::FromStr>(m: Option<regex::Match<'_>>) -> Option<T> {
    m.and_then(|m| m.as_str().parse().ok())
}

/// The 12-hour clock adjustment: "12 am" is 0 h, "1 pm" is 13 h.
fn hour24(h: u32, ampm: Option<&str>) -> u32 {
    match ampm.map(|s| s.trim().to_ascii_lowercase()) {
        Some(s) if s.starts_with('p') => {
            if h < 12 {
                h + 12
            } else {
                h
            }
        }
        Some(s) if s.starts_with('a') => {
            if h == 12 {
                0
            } else {
                h
            }
        }
        _ => h,
    }
}

/// Reads the optional time captures (hour, minute, second, am/pm, zone) starting at `first`.
fn time_parts(c: &regex::Captures<'_>, first: usize) -> (u32, u32, u32, Option<i32>) {
    let hour: Option<u32> = num(c.get(first));
    let minute: Option<u32> = num(c.get(first + 1));
    let ampm = c.get(first + 3).map(|m| m.as_str());
    // A bare number after the date is only a time when it has minutes or am/pm.
    let Some(hour) = hour.filter(|_| minute.is_some() || ampm.is_some()) else {
        return (0, 0, 0, None);
    };
    let second: u32 = num(c.get(first + 2)).unwrap_or(0);
    let zone = c.get(first + 4).and_then(|m| zone_offset(m.as_str()));
    let h = hour24(hour, ampm);
    if h > 23 {
        return (0, 0, 0, None);
    }
    (h, minute.unwrap_or(0), second, zone)
}

/// Parses a date string found in metadata or visible text.
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
        return Some(dt);
    }
    if s.bytes().all(|b| b.is_ascii_digit()) && (s.len() == 10 || s.len() == 13) {
        let mut secs: i64 = s.parse().ok()?;
        if s.len() == 13 {
            secs /= 1000;
        }
        return DateTime::from_timestamp(secs, 0)
            .filter(|d| d.timestamp() >= 788_918_400)
            .map(|d| d.fixed_offset());
    }
    if let Some(c) = COMPACT.captures(s) {
        let h = num(c.get(4)).unwrap_or(0);
        let mi = num(c.get(5)).unwrap_or(0);
        let sec = num(c.get(6)).unwrap_or(0);
        let zone = c.get(7).and_then(|m| zone_offset(m.as_str()));
        if let Some(d) = build(
            num(c.get(1))?,
            num(c.get(2))?,
            num(c.get(3))?,
            h,
            mi,
            sec,
            zone,
        ) {
            return Some(d);
        }
    }
    if let Some(c) = ISO.captures(s) {
        let zone = c.get(7).and_then(|m| zone_offset(m.as_str()));
        let h = num(c.get(4)).unwrap_or(0);
        let mi = num(c.get(5)).unwrap_or(0);
        let sec = num(c.get(6)).unwrap_or(0);
        if let Some(d) = build(
            num(c.get(1))?,
            num(c.get(2))?,
            num(c.get(3))?,
            h,
            mi,
            sec,
            zone,
        ) {
            return Some(d);
        }
    }
    parse_text(s)
}

/// A year glued to the word after it ("Dec 17, 2025Julian", "2022Updated"), or a date glued
/// to the word before it ("Yucy3/4/2025", "HealthDECEMBER 22, 2022"): inline elements laid
/// side by side without a space.
static GLUED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"((?:19|20)\d{2})(\p{L})|(\p{L})(\d{1,2}/\d{1,2}/(?:19|20)\d{2})|(\p{Ll})(\p{Lu}\p{L}{2,8}\.?\s+\d{1,2}\b)",
    )
    .expect("valid regex")
});

/// The text with a space put back where inline elements glued a date to a word, so the
/// date patterns' word boundaries hold. Text without a four-digit year holds no date that
/// [`parse_text_at`] would read, so it is left alone without running the regex (whose
/// captures need the slow engines, and every short block on a page passes through here).
pub fn unglue(s: &str) -> std::borrow::Cow<'_, str> {
    if !has_year_digits(s) || !GLUED.is_match(s) {
        return std::borrow::Cow::Borrowed(s);
    }
    GLUED.replace_all(s, |c: &regex::Captures<'_>| {
        let pair = [(1, 2), (3, 4), (5, 6)]
            .into_iter()
            .find_map(|(a, b)| Some((c.get(a)?.as_str(), c.get(b)?.as_str())));
        match pair {
            Some((a, b)) => format!("{a} {b}"),
            None => c[0].to_string(),
        }
    })
}

/// Whether `s` has four digits in a row, as every year the text patterns read does (`\d` is
/// any Unicode decimal digit, which `is_numeric` covers).
fn has_year_digits(s: &str) -> bool {
    let mut run = 0;
    s.chars().any(|c| {
        run = if c.is_numeric() { run + 1 } else { 0 };
        run == 4
    })
}

/// Finds the first human-written date ("Nov. 19, 2019 at 3:05 p.m. EST") in free text.
pub fn parse_text(s: &str) -> Option<DateTime<FixedOffset>> {
    let s = unglue(s);
    parse_text_at(&s).map(|(_, d)| d)
}

/// The first human-written date in `s` and the byte range it spans (`s` as given: call
/// [`unglue`] first on text from the page).
pub fn parse_text_at(s: &str) -> Option<(std::ops::Range<usize>, DateTime<FixedOffset>)> {
    // Every pattern below holds a four-digit year (`\d` is any Unicode decimal digit, which
    // `is_numeric` covers); most lines have none, and this is cheaper than five regexes.
    if !has_year_digits(s) {
        return None;
    }
    let mut best: Option<(std::ops::Range<usize>, DateTime<FixedOffset>)> = None;
    fn consider(
        best: &mut Option<(std::ops::Range<usize>, DateTime<FixedOffset>)>,
        at: Option<regex::Match<'_>>,
        d: Option<DateTime<FixedOffset>>,
    ) {
        let (Some(d), Some(at)) = (d, at) else {
            return;
        };
        if best.as_ref().is_none_or(|(r, _)| at.start() < r.start) {
            *best = Some((at.range(), d));
        }
    }
    for c in MDY.captures_iter(s).take(3) {
        let (h, mi, sec, zone) = time_parts(&c, 4);
        let d = month_number(&c[1])
            .and_then(|mo| build(num(c.get(3))?, mo, num(c.get(2))?, h, mi, sec, zone));
        consider(&mut best, c.get(0), d);
        if d.is_some() {
            break;
        }
    }
    for c in DMY.captures_iter(s).take(3) {
        let (h, mi, sec, zone) = time_parts(&c, 4);
        let d = month_number(&c[2])
            .and_then(|mo| build(num(c.get(3))?, mo, num(c.get(1))?, h, mi, sec, zone));
        consider(&mut best, c.get(0), d);
        if d.is_some() {
            break;
        }
    }
    if best.is_none()
        && let Some(c) = YMD_NAMED.captures(s)
    {
        let d = month_number(&c[2])
            .and_then(|mo| build(num(c.get(1))?, mo, num(c.get(3))?, 0, 0, 0, None));
        consider(&mut best, c.get(0), d);
    }
    if best.is_none()
        && let Some(c) = NUMERIC_US.captures(s)
    {
        let (h, mi, sec, zone) = time_parts(&c, 4);
        let (a, b): (u32, u32) = (num(c.get(1))?, num(c.get(2))?);
        // Month first unless the first number cannot be a month.
        let (mo, d) = if a > 12 { (b, a) } else { (a, b) };
        consider(
            &mut best,
            c.get(0),
            build(num(c.get(3))?, mo, d, h, mi, sec, zone),
        );
    }
    if best.is_none()
        && let Some(c) = NUMERIC_EU.captures(s)
    {
        let (h, mi, sec, zone) = time_parts(&c, 4);
        consider(
            &mut best,
            c.get(0),
            build(
                num(c.get(3))?,
                num(c.get(2))?,
                num(c.get(1))?,
                h,
                mi,
                sec,
                zone,
            ),
        );
    }
    if best.is_none()
        && let Some(c) = ISO.captures(s)
    {
        let zone = c.get(7).and_then(|m| zone_offset(m.as_str()));
        let d = build(
            num(c.get(1))?,
            num(c.get(2))?,
            num(c.get(3))?,
            num(c.get(4)).unwrap_or(0),
            num(c.get(5)).unwrap_or(0),
            num(c.get(6)).unwrap_or(0),
            zone,
        );
        consider(&mut best, c.get(0), d);
    }
    best
}

/// A date written into a URL path ("/2019/11/19/", "/20191119/", "/2022/march/14/").
pub fn from_url(path: &str) -> Option<DateTime<FixedOffset>> {
    if let Some(c) = URL_DATE_MONTH.captures(path) {
        let d = month_number(&c[2])
            .and_then(|mo| build(num(c.get(1))?, mo, num(c.get(3))?, 0, 0, 0, None));
        if d.is_some() {
            return d;
        }
    }
    let c = URL_DATE_SEP
        .captures(path)
        .or_else(|| URL_DATE.captures(path))?;
    build(
        num(c.get(1))?,
        num(c.get(2))?,
        num(c.get(3))?,
        0,
        0,
        0,
        None,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The instant in UTC (what most tests pin).
    fn iso(d: Option<DateTime<FixedOffset>>) -> String {
        d.map(|d| d.to_utc().to_rfc3339()).unwrap_or_default()
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
        let d = parse_text("Published March 5, 2021 at 10:30 p.m. EST").unwrap();
        assert_eq!(d.to_rfc3339(), "2021-03-05T22:30:00-05:00");
    }

    #[test]
    fn rfc3339_with_offset_becomes_utc() {
        assert_eq!(
            iso(parse("2021-03-05T22:30:00-05:00")),
            "2021-03-06T03:30:00+00:00"
        );
    }

    #[test]
    fn iso_without_colon_in_offset() {
        assert_eq!(
            iso(parse("2019-11-19T10:00:00-0500")),
            "2019-11-19T15:00:00+00:00"
        );
    }

    #[test]
    fn naive_iso_is_read_as_utc() {
        assert_eq!(
            iso(parse("2019-11-19 08:15:00")),
            "2019-11-19T08:15:00+00:00"
        );
    }

    #[test]
    fn month_name_with_us_zone_abbreviation() {
        assert_eq!(
            iso(parse("Published Nov. 19, 2019 at 3:05 p.m. EST")),
            "2019-11-19T20:05:00+00:00"
        );
        assert_eq!(
            iso(parse("March 5, 2021 11:00 PM MST")),
            "2021-03-06T06:00:00+00:00"
        );
    }

    #[test]
    fn day_month_year() {
        assert_eq!(iso(parse("19 November 2019")), "2019-11-19T00:00:00+00:00");
    }

    #[test]
    fn rfc2822() {
        assert_eq!(
            iso(parse("Tue, 19 Nov 2019 10:00:00 +0100")),
            "2019-11-19T09:00:00+00:00"
        );
    }

    #[test]
    fn epoch_millis() {
        assert_eq!(iso(parse("1574157600000")), "2019-11-19T10:00:00+00:00");
    }

    #[test]
    fn time_only_is_rejected() {
        assert!(parse("10:05 AM").is_none());
        assert!(parse("yesterday").is_none());
    }

    #[test]
    fn url_path_dates() {
        assert_eq!(
            iso(from_url("/2019/11/19/politics/story.html")),
            "2019-11-19T00:00:00+00:00"
        );
        assert_eq!(
            iso(from_url("/news/20191119-story")),
            "2019-11-19T00:00:00+00:00"
        );
        assert!(from_url("/news/12345678901/story").is_none());
        assert_eq!(
            iso(from_url("/blog/2022/march/14/bread-starters/")),
            "2022-03-14T00:00:00+00:00"
        );
        assert_eq!(
            iso(from_url("/articles/2022-06-14+Why+we+moved")),
            "2022-06-14T00:00:00+00:00"
        );
    }

    #[test]
    fn year_month_name_day_as_journals_write_it() {
        assert_eq!(iso(parse("2023 Jan 7")), "2023-01-07T00:00:00+00:00");
        assert_eq!(
            iso(parse_text("Cureus. 2021 Mar 12;13(3):e1. doi")),
            "2021-03-12T00:00:00+00:00"
        );
    }

    #[test]
    fn dates_glued_to_neighbouring_words_are_found() {
        // Inline elements side by side with no space between them.
        assert_eq!(
            iso(parse_text("Dec 17, 2024Maria Lopez")),
            "2024-12-17T00:00:00+00:00"
        );
        assert_eq!(
            iso(parse_text("Sam Reyes3/4/2024")),
            "2024-03-04T00:00:00+00:00"
        );
        let glued = unglue("Health NewsMAY 2, 2022Updated: JUNE 3, 2023");
        let (at, d) = parse_text_at(&glued).unwrap();
        assert_eq!(iso(Some(d)), "2022-05-02T00:00:00+00:00");
        assert!(glued[at.end..].starts_with(" Updated"), "{glued}");
    }
}
