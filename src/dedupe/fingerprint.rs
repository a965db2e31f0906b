//! Body text → near-duplicate fingerprint, and the scores two fingerprints are compared by.
//!
//! In: an article's plain-text body (paragraphs separated by blank lines). Out: a
//! [`Fingerprint`]: the sorted set of 64-bit hashes of its word 5-shingles after
//! [`clean_paragraphs`], plus the content-defined sample of those hashes that the store indexes
//! ([`Fingerprint::sampled`]).
//!
//! Cleaning removes what differs between copies of one wire story without being its text: the
//! dateline ("DENVER (AP) —", "(CNN) —"), byline lines, credit and copyright lines,
//! "contributed to this report" lines, "READ MORE:" links. Words are compared without case or
//! punctuation, so a moved comma or a curly quote does not change a shingle.
//!
//! Two scores ([`Scores`]): resemblance J = |A∩B| / |A∪B| (copies, light edits) and containment
//! C(A⊂B) = |A∩B| / |A| (a truncated cut is contained in the full story; an earlier text is
//! contained in its update). Sampling keeps a hash when `h % SAMPLE_MODULUS == 0`: the same
//! shingle is sampled in every text that has it, so a text contained in another has its
//! samples contained too (MinHash bands keep no such promise for containment).
//!
//! Hashes are FNV-1a 64 over the shingle's words, finished with the SplitMix64 mixer: a fixed
//! algorithm, so fingerprints can be stored; [`FINGERPRINT_VERSION`] changes if it ever does.

use super::normalize::normalize_body;

/// Version of the cleaning + shingling + hashing recipe. Stored beside every fingerprint; a
/// fingerprint of another version is recomputed from the stored text before it is compared.
pub const FINGERPRINT_VERSION: i64 = 1;

/// Words per shingle.
pub const SHINGLE_WORDS: usize = 5;

/// A shingle hash is sampled into the candidate index when `hash % SAMPLE_MODULUS == 0`.
pub const SAMPLE_MODULUS: u64 = 4;

/// The near-duplicate fingerprint of one text.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Fingerprint {
    /// Sorted, distinct shingle hashes.
    pub shingles: Vec<u64>,
}

/// How two texts compare.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Scores {
    /// |A∩B| / |A∪B|.
    pub resemblance: f64,
    /// |A∩B| / |A|: how much of the incoming text A is in B.
    pub a_in_b: f64,
    /// |A∩B| / |B|: how much of B is in the incoming text A.
    pub b_in_a: f64,
    /// |A|.
    pub a_len: usize,
    /// |B|.
    pub b_len: usize,
}

/// A resemblance at or above this is the same story (copies, reworded sentences, added or
/// dropped datelines). Follow-ups that reuse background paragraphs sit near 0.1–0.2.
pub const MIN_RESEMBLANCE: f64 = 0.5;

/// A containment at or above this (of the smaller text in the larger) is the same story: a
/// truncated cut (≈ 1.0), an earlier text in its update (≈ 1.0), an edited cut (≈ 0.85). A
/// follow-up reusing two paragraphs of seven is ≈ 0.3; a briefs page quoting one lede ≈ 0.1–0.2.
pub const MIN_CONTAINMENT: f64 = 0.7;

/// Containment is only trusted for a contained text of at least this many shingles (≈ two
/// short paragraphs): a one-line text is "contained" in anything that quotes it.
pub const MIN_CONTAINED_SHINGLES: usize = 30;

impl Scores {
    /// True when the two texts are the same story by [`MIN_RESEMBLANCE`] or by containment.
    pub fn same_story(&self) -> bool {
        if self.a_len == 0 || self.b_len == 0 {
            return false;
        }
        if self.resemblance >= MIN_RESEMBLANCE {
            return true;
        }
        let contained = if self.a_len <= self.b_len {
            (self.a_in_b, self.a_len)
        } else {
            (self.b_in_a, self.b_len)
        };
        contained.0 >= MIN_CONTAINMENT && contained.1 >= MIN_CONTAINED_SHINGLES
    }
}

impl Fingerprint {
    /// The fingerprint of a body text.
    pub fn of(body_text: &str) -> Fingerprint {
        let words: Vec<String> = clean_paragraphs(body_text)
            .iter()
            .flat_map(|p| words(p))
            .collect();
        let mut shingles: Vec<u64> = if words.len() < SHINGLE_WORDS {
            if words.is_empty() {
                Vec::new()
            } else {
                vec![hash_words(&words)]
            }
        } else {
            words.windows(SHINGLE_WORDS).map(hash_words).collect()
        };
        shingles.sort_unstable();
        shingles.dedup();
        Fingerprint { shingles }
    }

    /// The hashes the candidate index keeps (content-defined: see the module docs).
    pub fn sampled(&self) -> impl Iterator<Item = u64> + '_ {
        self.shingles
            .iter()
            .copied()
            .filter(|h| h % SAMPLE_MODULUS == 0)
    }

    /// True when there is nothing to compare.
    pub fn is_empty(&self) -> bool {
        self.shingles.is_empty()
    }

    /// Serialized for storage: little-endian u64s.
    pub fn to_blob(&self) -> Vec<u8> {
        self.shingles.iter().flat_map(|h| h.to_le_bytes()).collect()
    }

    /// Reads [`Fingerprint::to_blob`] back; `None` when the length is not a multiple of 8.
    pub fn from_blob(blob: &[u8]) -> Option<Fingerprint> {
        if !blob.len().is_multiple_of(8) {
            return None;
        }
        let shingles = blob
            .chunks_exact(8)
            .map(|c| u64::from_le_bytes(c.try_into().expect("8 bytes")))
            .collect();
        Some(Fingerprint { shingles })
    }

    /// Resemblance and both containments, `self` being the incoming text A.
    pub fn compare(&self, other: &Fingerprint) -> Scores {
        let common = intersection(&self.shingles, &other.shingles);
        let (a, b) = (self.shingles.len(), other.shingles.len());
        let ratio = |n: usize, d: usize| if d == 0 { 0.0 } else { n as f64 / d as f64 };
        Scores {
            resemblance: ratio(common, a + b - common),
            a_in_b: ratio(common, a),
            b_in_a: ratio(common, b),
            a_len: a,
            b_len: b,
        }
    }
}

/// True when every sentence of `short` is found word for word (words as compared for
/// shingles, in order, without gaps) in `long`. A leading "BREAKING:"-style label
/// ([`breaking_label`]) is dropped from `short` first; both texts are cleaned as for
/// [`Fingerprint::of`] (dateline, byline and credit lines off). Sentences are checked each on
/// its own, so a cut made of sentences (or the start of sentences) from several paragraphs is
/// found, and one with a sentence the story does not have is not.
pub fn sentences_found(short: &str, long: &str) -> bool {
    let long: Vec<String> = clean_paragraphs(long)
        .iter()
        .flat_map(|p| words(p))
        .collect();
    let long = format!(" {} ", long.join(" "));
    let mut any = false;
    for p in clean_paragraphs(strip_breaking_label(short)) {
        for sentence in split_sentences(&p) {
            let w = words(sentence);
            if w.is_empty() {
                continue;
            }
            if !long.contains(&format!(" {} ", w.join(" "))) {
                return false;
            }
            any = true;
        }
    }
    any
}

/// Sentence ends in a normalized paragraph: `.`, `!` or `?` (after an optional closing quote)
/// followed by a space. Abbreviations ("U.S. officials") split too, which only makes the
/// pieces smaller; each piece must still be found whole.
fn split_sentences(p: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    let bytes = p.as_bytes();
    for (i, c) in p.char_indices() {
        if matches!(c, '.' | '!' | '?') {
            let mut end = i + 1;
            if bytes.get(end) == Some(&b'"') {
                end += 1;
            }
            if bytes.get(end) == Some(&b' ') {
                out.push(&p[start..end]);
                start = end + 1;
            }
        }
    }
    if start < p.len() {
        out.push(&p[start..]);
    }
    out
}

/// The labels a newsroom puts before an early, short cut of a story.
const BREAKING_LABELS: &[&str] = &[
    "breaking news",
    "breaking",
    "developing",
    "just in",
    "update",
];

/// The "BREAKING:"-style label at the start of a headline or text ("BREAKING:", "Breaking
/// News -", "DEVELOPING —", "JUST IN:"), if any.
pub fn breaking_label(text: &str) -> Option<&'static str> {
    let t = text.trim_start();
    BREAKING_LABELS.iter().copied().find(|label| {
        t.get(..label.len())
            .is_some_and(|head| head.eq_ignore_ascii_case(label))
            && t[label.len()..]
                .trim_start()
                .starts_with([':', '-', '\u{2014}', '\u{2013}', '|'])
    })
}

/// The text without its leading [`breaking_label`].
fn strip_breaking_label(text: &str) -> &str {
    match breaking_label(text) {
        Some(label) => {
            let t = text.trim_start();
            t[label.len()..]
                .trim_start()
                .trim_start_matches([':', '-', '\u{2014}', '\u{2013}', '|'])
                .trim_start()
        }
        None => text,
    }
}

/// Size of the intersection of two sorted, distinct lists.
fn intersection(a: &[u64], b: &[u64]) -> usize {
    let (mut i, mut j, mut n) = (0, 0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                n += 1;
                i += 1;
                j += 1;
            }
        }
    }
    n
}

/// FNV-1a 64 over the words (with a separator), then SplitMix64's finalizer so the low bits
/// used for sampling are well mixed.
fn hash_words(words: &[String]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for w in words {
        for b in w.bytes().chain(std::iter::once(0x1f)) {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }
    h = (h ^ (h >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    h = (h ^ (h >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    h ^ (h >> 31)
}

/// The words of a normalized paragraph: runs of letters and digits (an apostrophe inside a
/// word is dropped, so "it's" and "its" differ only by the letter count they share).
fn words(normalized: &str) -> Vec<String> {
    normalized
        .split(|c: char| !c.is_alphanumeric() && c != '\'')
        .map(|w| w.replace('\'', ""))
        .filter(|w| !w.is_empty())
        .collect()
}

/// The body's paragraphs, normalized ([`normalize_body`]) and cleaned: the dateline is cut
/// from the first paragraph, and byline, credit, copyright, "contributed to this report" and
/// "READ MORE" paragraphs are dropped. Empty paragraphs are dropped.
pub fn clean_paragraphs(body_text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for raw in split_paragraphs(body_text) {
        let mut p = normalize_body(raw);
        if out.is_empty() {
            p = strip_dateline(&p).to_owned();
        }
        if p.is_empty() || is_boilerplate(&p) {
            continue;
        }
        out.push(p);
    }
    out
}

/// Paragraphs as the extractor writes them (blank-line separated); a body with single line
/// breaks only is split on those.
pub fn split_paragraphs(body_text: &str) -> Vec<&str> {
    let blank: Vec<&str> = body_text
        .split("\n\n")
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .collect();
    if blank.len() > 1 {
        return blank;
    }
    body_text
        .lines()
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .collect()
}

/// Cuts a leading dateline: optional place words, a parenthesized credit of a few words, then a
/// dash ("denver (ap) - ", "(cnn) - ", "new york (cnn business) - ", "quinton, texas (kqtn) - ").
/// Works on normalized text (dashes already folded to `-`).
fn strip_dateline(p: &str) -> &str {
    let Some(open) = p.find('(') else { return p };
    let place = &p[..open];
    if place.len() > 60
        || !place
            .chars()
            .all(|c| c.is_alphabetic() || matches!(c, ' ' | ',' | '.' | '\'' | '-'))
    {
        return p;
    }
    let Some(close_rel) = p[open..].find(')') else {
        return p;
    };
    let credit = &p[open + 1..open + close_rel];
    if credit.is_empty()
        || credit.len() > 30
        || credit.split_whitespace().count() > 3
        || !credit.chars().all(|c| c.is_alphabetic() || c == ' ')
    {
        return p;
    }
    let rest = p[open + close_rel + 1..].trim_start();
    let Some(after) = rest.strip_prefix('-') else {
        return p;
    };
    after.trim_start_matches('-').trim_start()
}

/// Lines that are not the story's text but its packaging.
fn is_boilerplate(p: &str) -> bool {
    let short = p.split_whitespace().count() <= 12;
    let starts = |s: &str| p.starts_with(s);
    (short && (starts("by ") || starts("written by ") || starts("photo:") || starts("credit:")))
        || starts("copyright ")
        || starts("(c) ")
        || starts("©")
        || ((p.contains('©') || p.contains("copyright "))
            && (p.contains("all rights reserved") || p.split_whitespace().count() <= 25))
        || starts("read more:")
        || starts("related:")
        || (short && p.contains("all rights reserved"))
        || p.contains("may not be published, broadcast, rewritten")
        || (p.split_whitespace().count() <= 25 && p.contains("contributed to this report"))
        || (short && p.starts_with("the associated press") && p.contains("contributed"))
}

#[cfg(test)]
mod tests {
    use super::*;

    const STORY: &str = "DENVER (AP) — Firefighters battled a grass fire on Monday that forced \
        the evacuation of more than 300 homes south of the city, officials said.\n\n\
        The fire started near a county road and spread quickly in strong winds, according to the \
        sheriff's office, which asked residents to avoid the area.\n\n\
        An evacuation center opened at a high school gym, where volunteers handed out water and \
        blankets to families who left with little more than their pets.\n\n\
        No injuries were reported by Monday evening, and the cause of the fire remained under \
        investigation by state and county investigators.\n\n\
        Associated Press writer Jane Roe contributed to this report.";

    #[test]
    fn datelines_bylines_and_credits_are_cleaned() {
        let p = clean_paragraphs(STORY);
        assert_eq!(p.len(), 4, "{p:?}");
        assert!(p[0].starts_with("firefighters battled"), "{}", p[0]);
        for (input, want) in [
            ("(cnn) - the senate voted.", "the senate voted."),
            ("new york (cnn business) - shares fell.", "shares fell."),
            ("sydney (reuters) - ports are full.", "ports are full."),
            ("quinton, texas (kqtn) - a fire burned.", "a fire burned."),
            (
                "the vote (51-49) - was close.",
                "the vote (51-49) - was close.",
            ),
            (
                "officials said (in a statement) that it was fine.",
                "officials said (in a statement) that it was fine.",
            ),
        ] {
            assert_eq!(strip_dateline(input), want, "{input}");
        }
        assert!(is_boilerplate("by jane roe, cnn"));
        assert!(is_boilerplate(
            "copyright 2021 nexstar media inc. all rights reserved."
        ));
        assert!(is_boilerplate(
            "all content © copyright 2000 - 2021 kxyz news 12 and worldnow. all rights reserved. for more information on this site, please read our privacy policy and terms of service."
        ));
        assert!(!is_boilerplate(
            "by the end of the week, the city had spent $2 million on repairs to the bridge and its approaches."
        ));
    }

    #[test]
    fn copies_with_different_chrome_and_dateline_have_one_fingerprint() {
        let bare = STORY.replace("DENVER (AP) — ", "");
        let restyled = format!(
            "By Jane Roe\n\n{}\n\nCopyright 2021 The Associated Press. All rights reserved.",
            STORY.replace('—', "-").replace("\n\n", "\n\n\n")
        );
        let a = Fingerprint::of(STORY);
        assert!(a.shingles.len() > 80);
        assert_eq!(Fingerprint::of(&bare), a);
        assert_eq!(Fingerprint::of(&restyled), a);
    }

    #[test]
    fn truncated_cut_and_update_are_contained_followup_is_not() {
        let full = Fingerprint::of(STORY);
        let paragraphs: Vec<&str> = STORY.split("\n\n").collect();
        let cut = Fingerprint::of(&paragraphs[..3].join("\n\n"));
        let s = cut.compare(&full);
        assert_eq!(s.a_in_b, 1.0);
        assert!(s.same_story(), "{s:?}");

        let update = Fingerprint::of(&format!(
            "{STORY}\n\nUpdate: By Tuesday the fire was fully contained and residents had returned \
             to their homes, the sheriff said at an afternoon briefing."
        ));
        let s = update.compare(&full);
        assert_eq!(s.b_in_a, 1.0);
        assert!(s.same_story(), "{s:?}");

        let edited = Fingerprint::of(
            &STORY
                .replace("more than 300", "over 300")
                .replace(" on Monday", " Monday"),
        );
        let s = edited.compare(&full);
        assert!(s.resemblance > 0.7 && s.same_story(), "{s:?}");

        // New reporting that reuses one background paragraph.
        let followup = Fingerprint::of(&format!(
            "Residents returned Wednesday to find charred fences and a scorched park, but every \
             house on the south side of the city was still standing after the weekend.\n\n\
             Crews will stay in the area for several days to watch for hot spots, a fire \
             department spokesperson told reporters gathered at the command post.\n\n{}\n\n\
             The county plans a public meeting next week to discuss how warnings were sent and \
             why some residents said they never received an alert on their phones.",
            paragraphs[1]
        ));
        let s = followup.compare(&full);
        assert!(!s.same_story(), "{s:?}");
        assert!(s.a_in_b < 0.4 && s.b_in_a < 0.4, "{s:?}");
    }

    #[test]
    fn sampling_keeps_containment_and_blobs_round_trip() {
        let full = Fingerprint::of(STORY);
        let cut = Fingerprint::of(&STORY.split("\n\n").take(2).collect::<Vec<_>>().join("\n\n"));
        let all: Vec<u64> = full.sampled().collect();
        assert!(!all.is_empty());
        assert!(cut.sampled().all(|h| all.contains(&h)));
        assert_eq!(Fingerprint::from_blob(&full.to_blob()), Some(full.clone()));
        assert_eq!(Fingerprint::from_blob(&[1, 2, 3]), None);
        // Fixed algorithm: this value is persisted; changing it needs a new FINGERPRINT_VERSION.
        assert_eq!(
            Fingerprint::of("One, two: three “four” five!").shingles,
            [2352463419544748549]
        );
    }

    #[test]
    fn empty_and_tiny_texts_never_match() {
        let e = Fingerprint::of(" \n ");
        assert!(e.is_empty());
        assert!(!e.compare(&Fingerprint::of(STORY)).same_story());
        let tiny = Fingerprint::of("Firefighters battled a grass fire on Monday");
        let s = tiny.compare(&Fingerprint::of(STORY));
        assert_eq!(s.a_in_b, 1.0);
        assert!(!s.same_story(), "too small to trust containment: {s:?}");
    }
}
