//! The words dates are written with: month names in the languages the pages and feeds come
//! in (English, German, French, Spanish, Italian, Portuguese, Dutch), and the zone
//! abbreviations news sites and feeds print. One table each, so a new language is one line.

/// Month names and their usual abbreviations, lower case, with the month's number. Longer
/// spellings come before their prefixes so a regex alternation built from this list takes
/// the whole word.
const MONTH_WORDS: &[(&str, u32)] = &[
    // English
    ("january", 1),
    ("february", 2),
    ("march", 3),
    ("april", 4),
    ("may", 5),
    ("june", 6),
    ("july", 7),
    ("august", 8),
    ("september", 9),
    ("october", 10),
    ("november", 11),
    ("december", 12),
    // German (and the Austrian January)
    ("januar", 1),
    ("jänner", 1),
    ("februar", 2),
    ("märz", 3),
    ("maerz", 3),
    ("mai", 5),
    ("juni", 6),
    ("juli", 7),
    ("oktober", 10),
    ("dezember", 12),
    // French
    ("janvier", 1),
    ("février", 2),
    ("fevrier", 2),
    ("mars", 3),
    ("avril", 4),
    ("juin", 6),
    ("juillet", 7),
    ("août", 8),
    ("aout", 8),
    ("septembre", 9),
    ("octobre", 10),
    ("novembre", 11),
    ("décembre", 12),
    ("decembre", 12),
    // Spanish
    ("enero", 1),
    ("febrero", 2),
    ("marzo", 3),
    ("abril", 4),
    ("mayo", 5),
    ("junio", 6),
    ("julio", 7),
    ("agosto", 8),
    ("septiembre", 9),
    ("setiembre", 9),
    ("octubre", 10),
    ("noviembre", 11),
    ("diciembre", 12),
    // Italian
    ("gennaio", 1),
    ("febbraio", 2),
    ("aprile", 4),
    ("maggio", 5),
    ("giugno", 6),
    ("luglio", 7),
    ("settembre", 9),
    ("ottobre", 10),
    ("dicembre", 12),
    // Portuguese
    ("janeiro", 1),
    ("fevereiro", 2),
    ("março", 3),
    ("maio", 5),
    ("junho", 6),
    ("julho", 7),
    ("setembro", 9),
    ("outubro", 10),
    ("novembro", 11),
    ("dezembro", 12),
    // Dutch
    ("januari", 1),
    ("februari", 2),
    ("maart", 3),
    ("mei", 5),
    ("augustus", 8),
    // Abbreviations (a trailing dot is allowed by the patterns)
    ("sept", 9),
    ("janv", 1),
    ("févr", 2),
    ("fevr", 2),
    ("juil", 7),
    ("jan", 1),
    ("jän", 1),
    ("feb", 2),
    ("fév", 2),
    ("fev", 2),
    ("mar", 3),
    ("mär", 3),
    ("mrt", 3),
    ("apr", 4),
    ("avr", 4),
    ("abr", 4),
    ("jun", 6),
    ("jul", 7),
    ("aug", 8),
    ("ago", 8),
    ("sep", 9),
    ("set", 9),
    ("oct", 10),
    ("okt", 10),
    ("ott", 10),
    ("out", 10),
    ("nov", 11),
    ("dec", 12),
    ("dez", 12),
    ("déc", 12),
    ("dic", 12),
    ("ene", 1),
    ("gen", 1),
    ("mag", 5),
    ("giu", 6),
    ("lug", 7),
];

/// English month names and abbreviations only: the month-first order ("March 3, 2020") is
/// English, and other languages' short words ("set", "out", "gen") are ordinary English
/// words that must not start a date there.
const ENGLISH: &[&str] = &[
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
    "sept",
    "jan",
    "feb",
    "mar",
    "apr",
    "jun",
    "jul",
    "aug",
    "sep",
    "oct",
    "nov",
    "dec",
];

/// A regex alternation (a group) of every month word, longest first.
pub fn month_alternation() -> String {
    alternation(MONTH_WORDS.iter().map(|(w, _)| *w))
}

/// A regex alternation (a group) of the English month words, longest first.
pub fn english_month_alternation() -> String {
    alternation(ENGLISH.iter().copied())
}

fn alternation<'a>(words: impl Iterator<Item = &'a str>) -> String {
    let mut words: Vec<&str> = words.collect();
    words.sort_by_key(|w| std::cmp::Reverse(w.chars().count()));
    words.dedup();
    format!("({})", words.join("|"))
}

/// The number of a month word in any of the languages (case and a trailing dot ignored).
pub fn month_number(word: &str) -> Option<u32> {
    let w = word.trim_end_matches('.').to_lowercase();
    MONTH_WORDS
        .iter()
        .find(|(name, _)| *name == w)
        .map(|&(_, n)| n)
}

/// Whether `word` (lower case, no dot) names a weekday in English; feeds write them and get
/// them wrong, so they are skipped.
pub fn is_english_weekday(word: &str) -> bool {
    const DAYS: [&str; 7] = [
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
    ];
    word.len() >= 3
        && (DAYS.iter().any(|d| d.starts_with(word)) || matches!(word, "tues" | "thur" | "thurs"))
}

/// Offset in seconds east of UTC for a zone abbreviation (any case) or a numeric offset
/// ("+0200", "-05:00", "+02", "GMT+2").
pub fn zone_offset(z: &str) -> Option<i32> {
    let lower = z.trim().to_ascii_lowercase();
    let minutes = match lower.as_str() {
        "z" | "ut" | "utc" | "gmt" | "wet" => Some(0),
        "est" => Some(-5 * 60),
        "edt" => Some(-4 * 60),
        "cst" => Some(-6 * 60),
        "cdt" => Some(-5 * 60),
        "mst" => Some(-7 * 60),
        "mdt" => Some(-6 * 60),
        "pst" => Some(-8 * 60),
        "pdt" => Some(-7 * 60),
        "akst" => Some(-9 * 60),
        "akdt" => Some(-8 * 60),
        "hst" => Some(-10 * 60),
        "ast" => Some(-4 * 60),
        "adt" => Some(-3 * 60),
        "nst" => Some(-(3 * 60 + 30)),
        "ndt" => Some(-(2 * 60 + 30)),
        "bst" | "cet" | "west" | "wat" | "mez" => Some(60),
        "cest" | "eet" | "cat" | "sast" | "mesz" => Some(2 * 60),
        "eest" | "msk" | "eat" => Some(3 * 60),
        "ist" => Some(5 * 60 + 30),
        "pkt" => Some(5 * 60),
        "sgt" | "hkt" | "awst" | "pht" => Some(8 * 60),
        "jst" | "kst" => Some(9 * 60),
        "acst" => Some(9 * 60 + 30),
        "acdt" => Some(10 * 60 + 30),
        "aest" => Some(10 * 60),
        "aedt" => Some(11 * 60),
        "nzst" => Some(12 * 60),
        "nzdt" => Some(13 * 60),
        _ => None,
    };
    if let Some(m) = minutes {
        return Some(m * 60);
    }
    let rest = lower
        .strip_prefix("gmt")
        .or_else(|| lower.strip_prefix("utc"))
        .unwrap_or(&lower);
    numeric_offset(rest)
}

/// "+0200", "-05:00", "+02", "+2", "+530" as seconds east of UTC.
fn numeric_offset(s: &str) -> Option<i32> {
    let (sign, rest) = match s.as_bytes().first()? {
        b'+' => (1, &s[1..]),
        b'-' => (-1, &s[1..]),
        _ => return None,
    };
    if !rest.bytes().all(|b| b.is_ascii_digit() || b == b':') {
        return None;
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn month_words_in_the_languages_of_the_pages() {
        for (w, n) in [
            ("März", 3),
            ("mars", 3),
            ("marzo", 3),
            ("maart", 3),
            ("Mrt.", 3),
            ("août", 8),
            ("Dezember", 12),
            ("déc.", 12),
            ("juil.", 7),
            ("juin", 6),
            ("maggio", 5),
            ("outubro", 10),
            ("Sept.", 9),
        ] {
            assert_eq!(month_number(w), Some(n), "{w}");
        }
        assert_eq!(month_number("monday"), None);
        assert_eq!(month_number("ju"), None);
    }

    #[test]
    fn the_alternation_prefers_whole_words() {
        let alt = month_alternation();
        assert!(alt.find("januar|").unwrap() < alt.find("|jan|").unwrap());
        assert!(!english_month_alternation().contains("mai"));
    }

    #[test]
    fn zones_named_and_numeric() {
        assert_eq!(zone_offset("EST"), Some(-5 * 3600));
        assert_eq!(zone_offset("MESZ"), Some(2 * 3600));
        assert_eq!(zone_offset("+05:30"), Some(5 * 3600 + 1800));
        assert_eq!(zone_offset("GMT+2"), Some(2 * 3600));
        assert_eq!(zone_offset("-0700"), Some(-7 * 3600));
        assert_eq!(zone_offset("+2x"), None);
        assert_eq!(zone_offset("+1500"), None);
    }
}
