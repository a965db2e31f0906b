//! Dates as people write them in running text and page furniture, in the languages of the
//! pages: "Nov. 19, 2019 at 3:05 p.m. EST", "19 November 2019", "3. März 2020 um 14:30 Uhr",
//! "3 mars 2020", "3 de marzo de 2020", "03.03.2020", "2023 Jan 7", and the word before a
//! date that says what it dates ("Veröffentlicht am", "Stand:", "publié le", "Updated").

use std::ops::Range;
use std::sync::LazyLock;

use chrono::{DateTime, FixedOffset};
use regex::Regex;

use super::parse::{ISO, build, hour24, num};
use super::words::{english_month_alternation, month_alternation, month_number, zone_offset};

/// An optional time after a date: a connective ("at", "um", "à", "a las", "alle", "às",
/// "om", a comma or dash), hours, minutes ("14:30", "14.30", "14h30"), seconds, am/pm, zone.
const TIME: &str = r"(?:\s*(?:,|at|@|-|–|\||um|à|a\s+las|alle|às|om)?\s*(\d{1,2})(?:[:.h](\d{2}))?(?:[:.](\d{2}))?\s*([ap]\.?\s?m\.?)?(?:\s*\(?\s*([a-z]{2,5}(?:[+-]\d{1,2}(?::?\d{2})?)?|[+-]\d{2}:?\d{2})\)?)?)?";

/// Month first, English only: "Nov. 19, 2019", "March 5th 2021".
static MDY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(?i)\b{}\b\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+(\d{{4}})\b{TIME}",
        english_month_alternation()
    ))
    .expect("valid regex")
});

/// Day first, any language: "19 November 2019", "3. März 2020", "1er mars 2020",
/// "3 de marzo de 2020", "19th of November, 2019".
static DMY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(?i)\b(\d{{1,2}})(?:st|nd|rd|th|er|º|°)?(?:\.\s*|\s+)(?:of\s+|de\s+)?{}\b\.?,?\s+(?:de\s+|del\s+)?(\d{{4}})\b{TIME}",
        month_alternation()
    ))
    .expect("valid regex")
});

/// Year, month name, day: "2023 Jan 7" (citation metadata, journal datelines).
static YMD_NAMED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(?i)\b(\d{{4}})\s+{}\b\.?\s+(\d{{1,2}})\b",
        english_month_alternation()
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

/// A block that is nothing but a day with a two-digit year ("23.09.22", "23.09.22 12:44"), as
/// forums and magazine templates print under a headline. Anchored: inside running text the
/// same shape is a version number or a score.
static SHORT_EU: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\s*(\d{2})\.(\d{2})\.(\d{2})(?:,?\s+(\d{1,2}):(\d{2}))?\s*$")
        .expect("valid regex")
});

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
    if !has_year_digits(s) || !may_be_glued(s) || !GLUED.is_match(s) {
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

/// Whether [`GLUED`] could match `s`: each of its forms needs a `/`, a digit against a letter,
/// or a lower-case letter against an upper-case one. Checked with the wider properties
/// (`is_numeric` holds every `\d`, `is_alphabetic` every `\p{L}`, `is_lowercase` every
/// `\p{Ll}`, `is_uppercase` every `\p{Lu}`), so a false answer is never wrong; it spares
/// most pages building the regex (22 M instructions, its `\p{L}` classes).
fn may_be_glued(s: &str) -> bool {
    s.contains('/')
        || s.chars().zip(s.chars().skip(1)).any(|(a, b)| {
            (a.is_numeric() && b.is_alphabetic()) || (a.is_lowercase() && b.is_uppercase())
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

/// Reads the optional time captures (hour, minute, second, am/pm, zone) starting at `first`.
fn time_parts(c: &regex::Captures<'_>, first: usize) -> (u32, u32, u32, Option<i32>) {
    let hour: Option<u32> = num(c.get(first));
    let minute: Option<u32> = num(c.get(first + 1));
    let ampm = c
        .get(first + 3)
        .map(|m| m.as_str().trim().to_ascii_lowercase().starts_with('p'));
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

/// Finds the first human-written date in free text.
pub fn parse_text(s: &str) -> Option<DateTime<FixedOffset>> {
    let s = unglue(s);
    parse_text_at(&s).map(|(_, d)| d)
}

/// The first human-written date in `s` and the byte range it spans (`s` as given: call
/// [`unglue`] first on text from the page). Every form competes for the earliest place, so
/// "Berlin, (12.11.2021). … am 21. November" dates the text by its opening.
pub fn parse_text_at(s: &str) -> Option<(Range<usize>, DateTime<FixedOffset>)> {
    if s.len() <= 24
        && let Some(c) = SHORT_EU.captures(s)
    {
        let yy: i32 = num(c.get(3))?;
        let y = if yy < 70 { 2000 + yy } else { 1900 + yy };
        let (h, mi) = (num(c.get(4)).unwrap_or(0), num(c.get(5)).unwrap_or(0));
        let d = build(y, num(c.get(2))?, num(c.get(1))?, h, mi, 0, None)?;
        return Some((c.get(0)?.range(), d));
    }
    // Every pattern below holds a four-digit year; most lines have none, and this is
    // cheaper than five regexes.
    if !has_year_digits(s) {
        return None;
    }
    let mut best: Option<(Range<usize>, DateTime<FixedOffset>)> = None;
    fn consider(
        best: &mut Option<(Range<usize>, DateTime<FixedOffset>)>,
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
    if let Some(c) = YMD_NAMED.captures(s) {
        let d = month_number(&c[2])
            .and_then(|mo| build(num(c.get(1))?, mo, num(c.get(3))?, 0, 0, 0, None));
        consider(&mut best, c.get(0), d);
    }
    // The numeric forms need their separators; without one the regex is neither run nor
    // built.
    if s.contains('/')
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
    if s.contains('.')
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
    if let Some(c) = ISO.captures(s) {
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

/// Whether a block that holds a date reads as a sentence about something (eight words or more
/// besides its dates, closed by sentence punctuation) rather than a dateline.
pub fn in_prose(text: &str) -> bool {
    let text = unglue(text);
    let t = text.trim_end();
    if !t.ends_with(['.', '!', '?', '…']) {
        return false;
    }
    let mut rest = String::new();
    let mut from = 0;
    while let Some((at, _)) = parse_text_at(&t[from..]) {
        rest.push_str(&t[from..from + at.start]);
        rest.push(' ');
        from += at.end;
    }
    rest.push_str(&t[from..]);
    rest.split_whitespace()
        .filter(|w| w.chars().any(char::is_alphabetic))
        .count()
        >= 8
}

/// The date a paragraph opens with, as press releases and agency copy put it in front of the
/// text ("Karlsruhe, (12.11.2021). …", "27.1.2022 – …", "BERLIN, 3. März 2020 –"): a date
/// starting within the first 40 bytes and set off from the text by a stop, a dash or a
/// colon. A sentence that begins with a date ("On March 3, 2020, the council …") tells of
/// that day; it is no dateline.
pub fn opening_date(paragraph: &str) -> Option<DateTime<FixedOffset>> {
    let head = &paragraph[..paragraph.floor_char_boundary(120)];
    let head = unglue(head);
    let (at, d) = parse_text_at(&head).filter(|(at, _)| at.start <= 40)?;
    let after = head[at.end..].trim_start_matches([' ', ')', ']', '\u{a0}']);
    after
        .starts_with(['.', '-', '–', '—', ':', '|', '/'])
        .then_some(d)
}

/// What the words before a date say it dates.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Label {
    /// "Published", "Posted", "Veröffentlicht", "Erschienen", "publié", "publicado".
    Published,
    /// "Updated", "Last modified", "Aktualisiert", "Stand", "mis à jour", "actualizado".
    Updated,
}

static PUBLISHED_WORDS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)\b(published|posted|created|erschienen|veröffentlicht|publiziert|erstellt|eingestellt|publié|publiée|mis\s+en\s+ligne|publicado|publicada|pubblicato|pubblicata|gepubliceerd|geplaatst)\b",
    )
    .expect("valid regex")
});

static UPDATED_WORDS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)\b(updated?|updates|modified|revised|aktualisiert|geändert|stand|zuletzt|mis\s+à\s+jour|mise\s+à\s+jour|modifié|modifiée|actualizado|actualizada|atualizado|atualizada|aggiornato|aggiornata|bijgewerkt|gewijzigd)\b",
    )
    .expect("valid regex")
});

/// A manuscript's history ("Received 2022 Oct 12; Accepted 2023 Jan 7") dates no
/// publication.
static HISTORY_WORDS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(received|submitted|accepted|eingereicht|angenommen|reçu|accepté)\b")
        .expect("valid regex")
});

/// A member's sign-up ("Joined", "Member since", "Registriert seit", "Anmeldedatum", "inscrit
/// le", "miembro desde") dates a person beside a forum post or comment, never the page.
static MEMBERSHIP_WORDS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)\b(joined|member\s+since|registered|registriert|mitglied\s+seit|dabei\s+seit|anmeldedatum|inscrit|inscrite|inscription|miembro\s+desde|registrado|registrada|iscritto|iscritta|lid\s+sinds)\b",
    )
    .expect("valid regex")
});

/// Whether `t` names a member's sign-up: a date it labels is no publication (see
/// [`MEMBERSHIP_WORDS`]).
pub fn is_membership(t: &str) -> bool {
    MEMBERSHIP_WORDS.is_match(t)
}

/// The label the words in `t` give a date: published wins over updated when both appear
/// ("Published 3 March, updated …" reaches back only to the previous date in [`labelled`]).
pub fn label_of(t: &str) -> Option<Label> {
    if PUBLISHED_WORDS.is_match(t) {
        Some(Label::Published)
    } else if UPDATED_WORDS.is_match(t) {
        Some(Label::Updated)
    } else {
        None
    }
}

/// The dates in one short block, each with the label written before it. A label reaches
/// back only to the previous date, so in "March 4, 2021 · Updated March 9, 2021" the first
/// date is unlabelled. A lone date takes a label written after it too ("March 9, 2021
/// (updated)", "Diese Seite wurde zuletzt am 29. Januar 2020 geändert"). Dates in a
/// manuscript's history are left out. At most three.
pub fn labelled(text: &str) -> Vec<(Option<Label>, DateTime<FixedOffset>)> {
    let text = unglue(text);
    let mut found: Vec<_> = dates_in(&text)
        .filter(|(prev_end, at, _)| counts(&text[*prev_end..at.start]))
        .take(3)
        .map(|(prev_end, at, d)| (label_of(&text[prev_end..at.start]), d))
        .collect();
    if let [(label @ None, _)] = found.as_mut_slice() {
        *label = label_of(&text);
    }
    found
}

/// Each date of `text` in order, as (end of the previous date, its own span, the date).
fn dates_in(text: &str) -> impl Iterator<Item = (usize, Range<usize>, DateTime<FixedOffset>)> + '_ {
    let mut from = 0;
    std::iter::from_fn(move || {
        let (at, d) = parse_text_at(&text[from..])?;
        let span = from + at.start..from + at.end;
        let prev_end = std::mem::replace(&mut from, span.end);
        Some((prev_end, span, d))
    })
}

/// A date counts unless the words before it make it a manuscript's history or a member's
/// sign-up date.
fn counts(before: &str) -> bool {
    !HISTORY_WORDS.is_match(before) && !MEMBERSHIP_WORDS.is_match(before)
}

/// How far before a date the words of its label may sit in a longer block.
const LABEL_BEFORE: usize = 40;
/// How far after a date its label may sit ("am 5. April 2016 um 09:40 Uhr veröffentlicht").
const LABEL_AFTER: usize = 40;

/// The dates of a longer block (a footer line, a post's meta paragraph) with the label written
/// right beside each: within a few words before it, or after it when nothing stands before.
/// Unlike [`labelled`], the block's other words do not label the date, so a print footer
/// ending "(Stand: 14.03.2019)" and "Geschrieben am 5. April 2016, veröffentlicht in der Rubrik
/// Garten …" read as labelled, while a date that a paragraph merely mentions stays unlabelled.
/// At most three.
pub fn labelled_near(text: &str) -> Vec<(Option<Label>, DateTime<FixedOffset>)> {
    let text = unglue(text);
    dates_in(&text)
        .filter_map(|(prev_end, at, d)| {
            let before = &text[text
                .floor_char_boundary(at.start.saturating_sub(LABEL_BEFORE).max(prev_end))
                ..at.start];
            if !counts(before) {
                return None;
            }
            let after_end = text.floor_char_boundary((at.end + LABEL_AFTER).min(text.len()));
            // The words after the date, up to the next date.
            let after = &text[at.end..after_end];
            let after = parse_text_at(after).map_or(after, |(next, _)| &after[..next.start]);
            Some((label_of(before).or_else(|| label_of(after)), d))
        })
        .take(3)
        .collect()
}

#[cfg(test)]
mod tests {

    #[test]
    fn glued_prefilter_never_refuses_a_match() {
        for s in [
            "Dec 17, 2025Julian",
            "2022Updated",
            "Yucy3/4/2025",
            "HealthDECEMBER 22, 2022",
            "2019٣٤Ünter",
            "1999 and 2000 were years",
            "The xCloud launched in 2019",
            "© 2019 Dow Jones",
        ] {
            if GLUED.is_match(s) {
                assert!(may_be_glued(s), "{s:?}");
            }
        }
        assert!(GLUED.is_match("2022Updated") && GLUED.is_match("HealthDECEMBER 22, 2022"));
        assert!(!may_be_glued("© 2019 Dow Jones") && !may_be_glued("1999 and 2000 were years"));
    }
    use super::*;

    fn day(d: Option<DateTime<FixedOffset>>) -> String {
        d.map(|d| d.date_naive().to_string()).unwrap_or_default()
    }

    fn iso(d: Option<DateTime<FixedOffset>>) -> String {
        d.map(|d| d.to_utc().to_rfc3339()).unwrap_or_default()
    }

    #[test]
    fn english_forms_with_zones() {
        let d = parse_text("Published March 5, 2021 at 10:30 p.m. EST").unwrap();
        assert_eq!(d.to_rfc3339(), "2021-03-05T22:30:00-05:00");
        assert_eq!(
            iso(parse_text("Published Nov. 19, 2019 at 3:05 p.m. EST")),
            "2019-11-19T20:05:00+00:00"
        );
        assert_eq!(
            iso(parse_text("March 5, 2021 11:00 PM MST")),
            "2021-03-06T06:00:00+00:00"
        );
        assert_eq!(day(parse_text("19 November 2019")), "2019-11-19");
    }

    #[test]
    fn german_dates() {
        assert_eq!(
            day(parse_text("Veröffentlicht am 3. März 2020")),
            "2020-03-03"
        );
        assert_eq!(day(parse_text("Samstag, 5. Oktober 2013")), "2013-10-05");
        assert_eq!(
            parse_text("am 3. Februar 2022 um 21:17 Uhr")
                .unwrap()
                .to_rfc3339(),
            "2022-02-03T21:17:00+00:00"
        );
        assert_eq!(day(parse_text("Stand: 03.03.2020")), "2020-03-03");
        assert_eq!(day(parse_text("27.1.2022 - Bei der Sitzung")), "2022-01-27");
        assert_eq!(day(parse_text("14. Jänner 2021")), "2021-01-14");
    }

    #[test]
    fn romance_and_dutch_dates() {
        assert_eq!(day(parse_text("publié le 3 mars 2020")), "2020-03-03");
        assert_eq!(day(parse_text("Le 1er août 2019 à 22h09")), "2019-08-01");
        assert_eq!(day(parse_text("30 juil. 2019")), "2019-07-30");
        assert_eq!(day(parse_text("3 de marzo de 2020")), "2020-03-03");
        assert_eq!(day(parse_text("12 settembre 2021")), "2021-09-12");
        assert_eq!(day(parse_text("7 de outubro de 2020")), "2020-10-07");
        assert_eq!(day(parse_text("3 maart 2020")), "2020-03-03");
    }

    #[test]
    fn the_earliest_date_of_any_form_wins() {
        assert_eq!(
            day(parse_text(
                "Lindau, (12.11.2021). Am 21. November 2021 gedenken wir"
            )),
            "2021-11-12"
        );
        assert_eq!(
            day(parse_text(
                "2021-11-12 notes for the meeting of 21 November 2021"
            )),
            "2021-11-12"
        );
    }

    #[test]
    fn a_date_in_a_sentence_is_prose_not_a_dateline() {
        assert!(in_prose(
            "The ferry left the harbour on the night of November 3, 2013, and never came back."
        ));
        assert!(in_prose(
            "Das nächste Treffen findet am Mi. 5. Februar 2020 ab 19 Uhr im Rathaus statt."
        ));
        assert!(!in_prose("By Ana Ruiz, City Desk · November 3, 2023"));
        assert!(!in_prose("Veröffentlicht am 3. März 2020."));
    }

    #[test]
    fn a_paragraph_opening_with_a_date() {
        assert_eq!(
            day(opening_date(
                "Lindau, (12.11.2021). Traditionell treffen sich am 21. November 2021 alle"
            )),
            "2021-11-12"
        );
        assert_eq!(
            day(opening_date("27.1.2022 - Bei der Feier am Rathaus")),
            "2022-01-27"
        );
        assert_eq!(
            opening_date(
                "The council met for the fourth time this year and on 3 March 2020 decided"
            ),
            None
        );
    }

    #[test]
    fn a_lone_day_with_a_two_digit_year() {
        assert_eq!(day(parse_text(" 23.09.22 ")), "2022-09-23");
        assert_eq!(day(parse_text("28.09.19 12:44")), "2019-09-28");
        assert_eq!(parse_text("Version 10.12.13 fixes the login"), None);
        assert_eq!(parse_text("31.02.22"), None);
    }

    #[test]
    fn foreign_short_words_do_not_start_an_english_date() {
        // "set", "out" are month abbreviations in Italian and Portuguese, never month-first.
        assert_eq!(parse_text("set 12, 2020 aside"), None);
        assert_eq!(parse_text("sold out 5, 2020 tickets"), None);
    }

    #[test]
    fn year_month_name_day_as_journals_write_it() {
        assert_eq!(day(parse_text("2023 Jan 7")), "2023-01-07");
        assert_eq!(
            day(parse_text("Cureus. 2021 Mar 12;13(3):e1. doi")),
            "2021-03-12"
        );
    }

    #[test]
    fn dates_glued_to_neighbouring_words_are_found() {
        // Inline elements side by side with no space between them.
        assert_eq!(day(parse_text("Dec 17, 2024Maria Lopez")), "2024-12-17");
        assert_eq!(day(parse_text("Sam Reyes3/4/2024")), "2024-03-04");
        let glued = unglue("Health NewsMAY 2, 2022Updated: JUNE 3, 2023");
        let (at, d) = parse_text_at(&glued).unwrap();
        assert_eq!(day(Some(d)), "2022-05-02");
        assert!(glued[at.end..].starts_with(" Updated"), "{glued}");
    }

    #[test]
    fn a_label_beside_a_date_in_a_longer_block() {
        let near = |t: &str| {
            labelled_near(t)
                .into_iter()
                .map(|(l, d)| (l, day(Some(d))))
                .collect::<Vec<_>>()
        };
        // The label after the date, the block's other words about something else.
        assert_eq!(
            near(
                "Geschrieben am Dienstag, 5. April 2016 um 09:40 Uhr, veröffentlicht in der \
                 Rubrik Garten. Antworten auf diesen Eintrag sind inzwischen geschlossen."
            ),
            [(Some(Label::Published), "2016-04-05".to_string())]
        );
        assert_eq!(
            near(
                "Gedruckt aus dem Angebot der Gemeinde Talheim, Seite Rathaus (Stand: 14.03.2019, 08:15 Uhr)"
            ),
            [(Some(Label::Updated), "2019-03-14".to_string())]
        );
        // A word far from the date labels nothing.
        assert_eq!(
            near(
                "Veröffentlicht wurde der Plan schon vor Jahren, doch erst die Sitzung des Rates \
                 am 5. April 2016 brachte die Entscheidung für den Bau der neuen Brücke."
            ),
            [(None, "2016-04-05".to_string())]
        );
    }

    #[test]
    fn a_members_sign_up_date_is_no_publication() {
        assert!(is_membership("Joined"));
        assert!(is_membership("Mitglied seit"));
        assert!(is_membership("Anmeldedatum"));
        assert!(!is_membership("Veröffentlicht am"));
        assert!(labelled("Joined Mar 2, 2016").is_empty());
        assert!(labelled("Registriert seit 02.03.2016").is_empty());
        assert_eq!(labelled("Posted Mar 2, 2016").len(), 1);
    }

    #[test]
    fn labels_in_the_languages_of_the_pages() {
        let l = |t: &str| labelled(t).into_iter().map(|(l, _)| l).collect::<Vec<_>>();
        assert_eq!(
            l("Veröffentlicht am 3. März 2020"),
            [Some(Label::Published)]
        );
        assert_eq!(l("publié le 3 mars 2020"), [Some(Label::Published)]);
        assert_eq!(l("Stand: 03.03.2020"), [Some(Label::Updated)]);
        assert_eq!(l("Mis à jour le 4 mars 2020"), [Some(Label::Updated)]);
        assert_eq!(
            l("Erschienen am 2. März 2020, aktualisiert am 4. März 2020"),
            [Some(Label::Published), Some(Label::Updated)]
        );
        assert_eq!(
            l("Diese Seite wurde zuletzt am 29. Januar 2020 geändert."),
            [Some(Label::Updated)]
        );
        assert_eq!(
            l("March 4, 2021 · Updated March 9, 2021"),
            [None, Some(Label::Updated)]
        );
        assert!(labelled("Received 2022 Oct 12").is_empty());
    }
}
