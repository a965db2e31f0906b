//! Dates written into a URL path ("/2019/11/19/", "/20191119-", "/2022/march/14/"): a site
//! files its stories by the day they went out.

use std::sync::LazyLock;

use chrono::{DateTime, FixedOffset};
use regex::Regex;

use super::parse::{build, num};
use super::words::{english_month_alternation, month_number};

static URL_DATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"/((?:19|20)\d{2})[/-]?(0[1-9]|1[0-2])[/-]?(0[1-9]|[12]\d|3[01])(?:[/\-_+.]|$)")
        .expect("valid regex")
});

static URL_DATE_MONTH: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(?i)/((?:19|20)\d{{2}})/{}/(0?[1-9]|[12]\d|3[01])/",
        english_month_alternation()
    ))
    .expect("valid regex")
});

static URL_DATE_SEP: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"/((?:19|20)\d{2})/(0?[1-9]|1[0-2])/(0?[1-9]|[12]\d|3[01])/").expect("valid regex")
});

/// The date a URL path files its page under, at midnight UTC (the path names a day, not an
/// instant).
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

    fn day(d: Option<DateTime<FixedOffset>>) -> String {
        d.map(|d| d.date_naive().to_string()).unwrap_or_default()
    }

    #[test]
    fn url_path_dates() {
        assert_eq!(
            day(from_url("/2019/11/19/politics/story.html")),
            "2019-11-19"
        );
        assert_eq!(day(from_url("/news/20191119-story")), "2019-11-19");
        assert!(from_url("/news/12345678901/story").is_none());
        assert_eq!(
            day(from_url("/blog/2022/march/14/bread-starters/")),
            "2022-03-14"
        );
        assert_eq!(
            day(from_url("/articles/2022-06-14+Why+we+moved")),
            "2022-06-14"
        );
        assert!(from_url("/2019/13/40/story").is_none());
    }
}
