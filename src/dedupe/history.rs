//! Versions by the story's own time, not by arrival.
//!
//! In: every distinct text a story has been seen with, each with its earliest publication
//! time, and how each text relates to each other ([`Relation`]). Out: a [`History`]: which
//! texts are versions (oldest first), and what each of the others is (a cut or a copy).
//! It is a function of the set of texts alone, so the same pages ingested in any order end
//! with the same history.
//!
//! Texts are taken in publication order (on equal times the longer first, then by body hash,
//! so nothing depends on arrival), and each is judged against the *versions* before it. A
//! version Y dominates text X when
//! - Y strictly extends X (holds it whole and adds paragraphs) and was published no later
//!   than X: X is a **cut** of Y. An early breaking cut published *before* the full story is
//!   not dominated by it: it is an earlier version; or
//! - Y resembles X (an edited copy, a station's own lede or rewrite) and comes before it: X is
//!   a **copy**.
//!
//! A text no version dominates is a version itself. Only versions dominate: a station's copy
//! of the full story does not make the wire's later update (which resembles the copy) a copy.
//! A text both cut and copy counts as a copy. *Pinned* texts (a page that changed its own text
//! at the same place: a correction, a write-through) are always versions and never dominate a
//! text published at the same time (the original the page corrected stays a version).

/// How one text relates to another.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Relation {
    /// It holds the other whole and adds paragraphs (an update, or the full story of which the
    /// other is a cut).
    Extends,
    /// The other holds it whole and adds paragraphs (it is a cut, or an earlier version).
    ExtendedBy,
    /// Same story, neither holds the other (an edited copy, a rewrite, another lede).
    Resembles,
    /// Not found to be the same text.
    Unrelated,
}

impl Relation {
    /// The relation seen from the other text.
    pub fn reverse(self) -> Relation {
        match self {
            Relation::Extends => Relation::ExtendedBy,
            Relation::ExtendedBy => Relation::Extends,
            r => r,
        }
    }
}

/// What [`derive`] needs of one text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Text {
    /// Its earliest publication time as sortable UTC text (RFC 3339, `Z`), else when it was
    /// first seen.
    pub published_at: String,
    /// When it was first seen (orders pinned texts published at the same time).
    pub seen_at: String,
    /// Its body hash (breaks ties, so no choice depends on arrival).
    pub body_hash: String,
    /// Its length (shingles): on equal times the longer text is judged first.
    pub len: usize,
    /// A text a page changed to at its own place: always a version.
    pub pinned: bool,
}

/// What a text is in its story.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// One of the story's versions.
    Version,
    /// A cut of a fuller text published no later.
    Cut,
    /// A copy (edited, rewritten, another lede) of a text published before it.
    Copy,
}

impl Status {
    /// As stored (`story_texts.status`).
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Version => "version",
            Status::Cut => "cut",
            Status::Copy => "copy",
        }
    }
}

/// What filing the incoming text does to its story (from the history before and after it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Placement {
    /// A new last version: the history is the old one plus this text.
    Append,
    /// The history changes otherwise (an earlier version placed before the current one,
    /// versions superseded): it is rebuilt.
    Rebuild,
    /// Another appearance of a text of the story (a copy, or the history is unchanged).
    Appearance,
    /// An appearance that is a cut of a fuller text published no later.
    Cut,
}

/// The outcome of [`derive`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct History {
    /// Indices of the texts that are versions, oldest first.
    pub versions: Vec<usize>,
    /// The status of every text, by index.
    pub status: Vec<Status>,
}

/// Derives the history of a story from its texts; `rel(i, j)` is how text `i` relates to
/// text `j`. See the module docs.
pub fn derive(texts: &[Text], rel: &dyn Fn(usize, usize) -> Relation) -> History {
    let n = texts.len();
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by(|&a, &b| {
        let (x, y) = (&texts[a], &texts[b]);
        x.published_at
            .cmp(&y.published_at)
            .then_with(|| y.pinned.cmp(&x.pinned))
            .then_with(|| y.len.cmp(&x.len))
            .then_with(|| x.body_hash.cmp(&y.body_hash))
    });
    let mut status = vec![Status::Version; n];
    let mut versions: Vec<usize> = Vec::new();
    for &j in &order {
        let x = &texts[j];
        if !x.pinned {
            let (mut cut, mut copy) = (false, false);
            for &i in &versions {
                let y = &texts[i];
                let same_time = y.published_at == x.published_at;
                if same_time && y.pinned {
                    continue;
                }
                match rel(i, j) {
                    Relation::Extends => cut = true,
                    Relation::Resembles => copy = true,
                    Relation::ExtendedBy | Relation::Unrelated => {}
                }
            }
            status[j] = if copy {
                Status::Copy
            } else if cut {
                Status::Cut
            } else {
                Status::Version
            };
        }
        if status[j] == Status::Version {
            versions.push(j);
        }
    }
    versions.sort_by(|&a, &b| {
        let (x, y) = (&texts[a], &texts[b]);
        x.published_at
            .cmp(&y.published_at)
            .then_with(|| x.seen_at.cmp(&y.seen_at))
            .then_with(|| x.body_hash.cmp(&y.body_hash))
    });
    History { versions, status }
}

#[cfg(test)]
mod tests {
    use super::Relation::*;
    use super::*;

    fn text(at: &str, hash: &str) -> Text {
        Text {
            published_at: format!("2021-05-03T{at}:00Z"),
            seen_at: "2021-05-04T00:00:00Z".into(),
            body_hash: hash.into(),
            len: 10,
            pinned: false,
        }
    }

    /// Relations from a table of (i, j, relation of i to j); the rest unrelated.
    fn table(pairs: &[(usize, usize, Relation)]) -> impl Fn(usize, usize) -> Relation + '_ {
        move |i, j| {
            pairs
                .iter()
                .find_map(|&(a, b, r)| {
                    if (a, b) == (i, j) {
                        Some(r)
                    } else if (b, a) == (i, j) {
                        Some(r.reverse())
                    } else {
                        None
                    }
                })
                .unwrap_or(Unrelated)
        }
    }

    #[test]
    fn a_cut_at_or_after_the_full_story_is_a_cut_and_before_it_an_earlier_version() {
        for (at, want) in [
            ("12:00", Status::Cut),
            ("13:00", Status::Cut),
            ("11:30", Status::Version),
        ] {
            let mut full = text("12:00", "f");
            full.len = 50;
            let texts = [full, text(at, "c")];
            let h = derive(&texts, &table(&[(0, 1, Extends)]));
            assert_eq!(h.status[1], want, "{at}");
            let want_versions = if want == Status::Version {
                vec![1, 0]
            } else {
                vec![0]
            };
            assert_eq!(h.versions, want_versions, "{at}");
        }
    }

    #[test]
    fn copies_are_not_versions_and_equal_times_are_broken_by_hash() {
        let texts = [text("12:00", "b"), text("12:10", "a")];
        let h = derive(&texts, &table(&[(0, 1, Resembles)]));
        assert_eq!(h.status, [Status::Version, Status::Copy]);
        let texts = [text("12:00", "b"), text("12:00", "a")];
        let h = derive(&texts, &table(&[(0, 1, Resembles)]));
        assert_eq!(h.status, [Status::Copy, Status::Version]);
    }

    #[test]
    fn only_versions_dominate_a_copy_does_not_swallow_the_update() {
        // F (12:00); L, F with a station's own lede (12:55); U, F plus a paragraph (17:35).
        let texts = [text("12:00", "f"), text("12:55", "l"), text("17:35", "u")];
        let rel = table(&[(1, 0, Resembles), (2, 0, Extends), (2, 1, Resembles)]);
        let h = derive(&texts, &rel);
        assert_eq!(h.status, [Status::Version, Status::Copy, Status::Version]);
        assert_eq!(h.versions, [0, 2]);
    }

    #[test]
    fn on_equal_times_the_longer_text_holds_the_cut() {
        let mut full = text("12:00", "z");
        full.len = 50;
        let texts = [text("12:00", "a"), full];
        let h = derive(&texts, &table(&[(1, 0, Extends)]));
        assert_eq!(h.status, [Status::Cut, Status::Version]);
    }

    #[test]
    fn a_pinned_correction_keeps_the_text_it_corrected() {
        let mut fixed = text("12:00", "a");
        fixed.pinned = true;
        fixed.seen_at = "2021-05-05T00:00:00Z".into();
        let texts = [text("12:00", "b"), fixed];
        let h = derive(&texts, &table(&[(0, 1, Resembles)]));
        assert_eq!(h.status, [Status::Version, Status::Version]);
        assert_eq!(h.versions, [0, 1], "same time: by when seen");
    }

    #[test]
    fn breaking_cut_full_story_update_cut_copy() {
        // B (breaking, 11:00) ⊂ F (12:00) ⊂ U (16:00); C (cut of F, 12:30); E (edited copy of
        // F, 12:20, also held by the longer U); L (F plus local paragraphs, 17:00).
        let texts = [
            text("11:00", "b"),
            text("12:00", "f"),
            text("16:00", "u"),
            text("12:30", "c"),
            text("12:20", "e"),
        ];
        let rel = table(&[
            (1, 0, Extends),
            (2, 0, Extends),
            (2, 1, Extends),
            (1, 3, Extends),
            (2, 3, Extends),
            (3, 0, Extends),
            (4, 1, Resembles),
            (2, 4, Extends),
            (4, 3, Extends),
            (4, 0, Extends),
        ]);
        let h = derive(&texts, &rel);
        assert_eq!(h.versions, [0, 1, 2]);
        assert_eq!(
            h.status,
            [
                Status::Version,
                Status::Version,
                Status::Version,
                Status::Cut,
                Status::Copy
            ]
        );
    }
}
