//! Short texts: an early "BREAKING:" cut of two short paragraphs has too few shingles for
//! containment to be trusted ([`MIN_CONTAINED_SHINGLES`]): a one-line text is "contained" in
//! anything that quotes it. Such a text joins a story only on the evidence a newsroom would
//! accept, all of it:
//!
//! 1. **wholly contained**: every sentence of the short text, however short, is found word for
//!    word in the story's text ([`sentences_found`]), and it has at least
//!    [`MIN_SHORT_SHINGLES`] shingles (a headline-length line proves nothing);
//! 2. **the same credit**: when the short text names a credit, the story names the same one
//!    ("The Associated Press" = "Associated Press" = "AP"); a wire's breaking cut does not join
//!    a station's roundup that quotes the wire's lede;
//! 3. **published within [`SHORT_WINDOW_HOURS`]** of the story's text when both are dated;
//! 4. **the headlines share a content word** (a word of four letters or more that is not a
//!    stop word, compared without a plural or verb ending), or the short text is a known
//!    "BREAKING:" form ([`breaking_label`] on its headline or text).
//!
//! Anything else stays a story of its own. Longer texts never come here: they are judged by
//! resemblance and containment ([`Scores::same_story`](super::Scores::same_story)).

use chrono::{DateTime, Utc};

use super::fingerprint::{Fingerprint, MIN_CONTAINED_SHINGLES, breaking_label, sentences_found};

/// A short text has at least this many shingles (≈ 12 words) to be joined at all.
pub const MIN_SHORT_SHINGLES: usize = 8;

/// A short text and the story it joins are published at most this far apart.
pub const SHORT_WINDOW_HOURS: i64 = 48;

/// One side of the comparison: a text and what its page says about it.
#[derive(Debug, Clone, Copy)]
pub struct Side<'a> {
    /// The body text.
    pub body_text: &'a str,
    /// Its fingerprint ([`Fingerprint::of`] of `body_text`).
    pub fingerprint: &'a Fingerprint,
    /// The headline.
    pub headline: Option<&'a str>,
    /// The wire credit.
    pub credit: Option<&'a str>,
    /// When it was published (else first seen).
    pub published_at: Option<DateTime<Utc>>,
}

/// True when a text is too short for containment, and long enough for this rule.
pub fn is_short(fp: &Fingerprint) -> bool {
    (MIN_SHORT_SHINGLES..MIN_CONTAINED_SHINGLES).contains(&fp.shingles.len())
}

/// The rule of the module docs: does the short text `short` join the story text `long`?
pub fn short_joins(short: &Side<'_>, long: &Side<'_>) -> bool {
    if !is_short(short.fingerprint)
        || long.fingerprint.shingles.len() <= short.fingerprint.shingles.len()
    {
        return false;
    }
    let contained = sentences_found(short.body_text, long.body_text);
    let credit = match (short.credit.map(credit_key), long.credit.map(credit_key)) {
        (Some(a), b) if !a.is_empty() => b.is_some_and(|b| a == b),
        _ => true,
    };
    let window = match (short.published_at, long.published_at) {
        (Some(a), Some(b)) => (a - b).num_minutes().abs() <= SHORT_WINDOW_HOURS * 60,
        _ => true,
    };
    let breaking = short.headline.and_then(breaking_label).is_some()
        || breaking_label(short.body_text).is_some();
    let headline = breaking || headlines_share_a_word(short.headline, long.headline);
    contained && credit && window && headline
}

/// A credit reduced to compare: lowercase letters only, without "the", with the Associated
/// Press's long name folded to "ap".
fn credit_key(credit: &str) -> String {
    let letters: String = credit
        .to_lowercase()
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty() && *w != "the")
        .collect::<Vec<_>>()
        .join(" ");
    match letters.as_str() {
        "associated press" => "ap".to_owned(),
        _ => letters,
    }
}

/// Words that say nothing about which story a headline is about.
const STOP: &[&str] = &[
    "about",
    "after",
    "again",
    "amid",
    "been",
    "before",
    "being",
    "breaking",
    "could",
    "developing",
    "from",
    "have",
    "into",
    "just",
    "more",
    "news",
    "over",
    "says",
    "said",
    "than",
    "that",
    "their",
    "them",
    "then",
    "there",
    "they",
    "this",
    "under",
    "update",
    "updated",
    "what",
    "when",
    "where",
    "which",
    "while",
    "will",
    "with",
    "would",
    "your",
];

/// The content words of a headline, without a plural or verb ending.
fn headline_words(headline: &str) -> Vec<String> {
    headline
        .to_lowercase()
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| w.chars().count() >= 4 && !STOP.contains(w))
        .map(|w| {
            for suffix in ["ing", "ed", "es", "s"] {
                if let Some(stem) = w.strip_suffix(suffix)
                    && stem.chars().count() >= 4
                {
                    return stem.to_owned();
                }
            }
            w.to_owned()
        })
        .collect()
}

fn headlines_share_a_word(a: Option<&str>, b: Option<&str>) -> bool {
    let (Some(a), Some(b)) = (a, b) else {
        return false;
    };
    let b = headline_words(b);
    headline_words(a).iter().any(|w| b.contains(w))
}

#[cfg(test)]
mod tests {
    use super::*;

    const STORY: &str = "DENVER (AP) — A wildfire pushed by strong gusts raced through dry grass \
        in the foothills west of the city on Monday, forcing about 1,400 people from their homes \
        and closing a stretch of state highway.\n\n\
        The fire had burned roughly three square miles by late afternoon, according to the \
        sheriff's office. No injuries were reported, but deputies went door to door in two \
        subdivisions after the flames jumped a ridge.\n\n\
        Air tankers were grounded for much of the day because the wind made low drops too \
        dangerous, fire managers said.";

    fn at(h: i64) -> Option<DateTime<Utc>> {
        Some(DateTime::from_timestamp(1_620_000_000 + h * 3600, 0).unwrap())
    }

    fn side<'a>(
        text: &'a str,
        fp: &'a Fingerprint,
        headline: &'a str,
        credit: Option<&'a str>,
        published: Option<DateTime<Utc>>,
    ) -> Side<'a> {
        Side {
            body_text: text,
            fingerprint: fp,
            headline: Some(headline),
            credit,
            published_at: published,
        }
    }

    /// A two-paragraph early cut: one fragment of each of the first two paragraphs.
    const CUT: &str = "DENVER (AP) — A wildfire pushed by strong gusts raced through dry grass \
        in the foothills west of the city on Monday.\n\nNo injuries were reported.";

    #[test]
    fn a_breaking_cut_joins_on_full_evidence() {
        let long_fp = Fingerprint::of(STORY);
        let cut_fp = Fingerprint::of(CUT);
        assert!(is_short(&cut_fp), "{}", cut_fp.shingles.len());
        let long = side(
            STORY,
            &long_fp,
            "Wind-driven wildfire forces evacuations in foothills",
            Some("The Associated Press"),
            at(0),
        );
        // Headline word shared ("wildfire").
        let cut = side(
            CUT,
            &cut_fp,
            "Wildfire races toward homes",
            Some("AP"),
            at(-1),
        );
        assert!(short_joins(&cut, &long));
        // No shared word, but a BREAKING: form.
        let breaking = side(CUT, &cut_fp, "BREAKING: Flames near Denver", None, at(2));
        assert!(short_joins(&breaking, &long));
        // Either way round, the rule is about the short side only.
        assert!(!short_joins(&long, &cut));
    }

    #[test]
    fn each_missing_piece_of_evidence_keeps_a_short_text_apart() {
        let long_fp = Fingerprint::of(STORY);
        let long = side(
            STORY,
            &long_fp,
            "Wind-driven wildfire forces evacuations in foothills",
            Some("The Associated Press"),
            at(0),
        );
        let cut_fp = Fingerprint::of(CUT);
        // Other credit, or none where the cut names one.
        let c = side(CUT, &cut_fp, "Wildfire races", Some("Reuters"), at(0));
        assert!(!short_joins(&c, &long));
        let uncredited = Side {
            credit: None,
            ..long
        };
        let c = side(CUT, &cut_fp, "Wildfire races", Some("AP"), at(0));
        assert!(!short_joins(&c, &uncredited));
        let c = side(CUT, &cut_fp, "Wildfire races", None, at(0));
        assert!(short_joins(&c, &uncredited));
        // Three days later.
        let c = side(CUT, &cut_fp, "Wildfire races", None, at(72));
        assert!(!short_joins(&c, &long));
        // No headline word in common and no BREAKING form.
        let c = side(CUT, &cut_fp, "Flames near Denver", None, at(0));
        assert!(!short_joins(&c, &long));
        // A sentence not in the story.
        let other = format!("{CUT} Schools will close on Tuesday.");
        let other_fp = Fingerprint::of(&other);
        let c = side(&other, &other_fp, "Wildfire races", None, at(0));
        assert!(!short_joins(&c, &long));
        // A roundup quoting the lede whole, but not the cut's second sentence.
        let lede = STORY.split("\n\n").next().unwrap();
        let roundup = format!(
            "Here is what we are following this morning.\n\n{lede}\n\nIn other news, the \
             county fair opens on Friday with a rodeo, a carnival and a pie contest for all ages."
        );
        let roundup_fp = Fingerprint::of(&roundup);
        let r = side(&roundup, &roundup_fp, "Morning roundup", None, at(0));
        let c = side(CUT, &cut_fp, "BREAKING: Wildfire races", None, at(0));
        assert!(!short_joins(&c, &r));
        assert!(short_joins(&c, &long));
        // Too short to prove anything.
        let tiny = "A wildfire raced through dry grass.";
        let tiny_fp = Fingerprint::of(tiny);
        let c = side(tiny, &tiny_fp, "BREAKING: Wildfire", None, at(0));
        assert!(!short_joins(&c, &long));
        // Long enough for ordinary containment: not this rule's business.
        let long_cut: String = STORY.split("\n\n").take(2).collect::<Vec<_>>().join("\n\n");
        let long_cut_fp = Fingerprint::of(&long_cut);
        let c = side(&long_cut, &long_cut_fp, "Wildfire races", None, at(0));
        assert!(!short_joins(&c, &long));
    }

    #[test]
    fn labels_credits_and_headline_words() {
        assert_eq!(breaking_label("BREAKING: Fire"), Some("breaking"));
        assert_eq!(
            breaking_label("Breaking News - Fire"),
            Some("breaking news")
        );
        assert_eq!(breaking_label("DEVELOPING — Fire"), Some("developing"));
        assert_eq!(breaking_label("Breaking ground on a school"), None);
        assert_eq!(credit_key("The Associated Press"), "ap");
        assert_eq!(credit_key("AP"), "ap");
        assert_eq!(credit_key("CNN Newsource"), "cnn newsource");
        assert!(headlines_share_a_word(
            Some("Evacuations ordered"),
            Some("Wildfire forces evacuation")
        ));
        assert!(!headlines_share_a_word(
            Some("Police investigate"),
            Some("Wildfire over the ridge")
        ));
    }
}
