//! Is this article a new story, another appearance of a known one, or a new version of one?
//! Pure and deterministic: keys are computed from the article alone, with fixed algorithms, so
//! they can be persisted and compared across runs.
//!
//! In: the article's URL and body text ([`keys`]), then what the store found for those keys
//! ([`Matches`]). Out: a [`Verdict`]. The store does the lookups; this module holds the rules.
//!
//! Rules of [`decide`], in order:
//! 1. An *identity* match (same URL key, or same feed + guid) is the same story. If its stored
//!    text has the same body hash → [`Verdict::Same`]. If the incoming body is empty (extraction
//!    found nothing) → `Same` too: an empty page never overwrites text. If the incoming body
//!    equals an *earlier* version of that same story (the page flapped back) → `Same`, so pages
//!    that alternate between two texts do not grow versions without end. Otherwise →
//!    [`Verdict::NewVersion`]. When URL and guid point at different stories, the one whose text
//!    is unchanged wins; else the URL match does.
//! 2. No identity match, but the body hash equals a stored story's current or earlier text →
//!    `Same` (the same wire copy at another place; when it was published earlier than the text
//!    was first seen with, the store re-derives the story's history with that time). An empty
//!    body never matches by body.
//! 3. No identity or exact match, but a near-duplicate ([`fingerprint`]: resemblance or
//!    containment of shingle sets; for a text too short for containment, the evidence rule of
//!    [`short`]) → that story, placed by publication time ([`history::derive`] over all its texts):
//!    [`Verdict::NewVersion`] when the incoming text strictly extends the story's texts and was
//!    published after them (an update reaching us through another station);
//!    [`Verdict::Rebuild`] when it is a version that belongs before the current one (an early
//!    breaking cut published before the full story) or supersedes stored versions (the full
//!    story arriving after its own cut); [`Verdict::Cut`] when a fuller text published no later
//!    holds it (a truncated cut); else `Same` (an edited copy, a rewrite, another lede).
//! 4. Nothing → [`Verdict::New`].
//!
//! An identity match whose text changed only in presentation (dateline, byline, credit lines,
//! whitespace: [`ChangeSummary::is_material`] is false) is `Same` as well; a changed headline at
//! the same place is material. [`Matches::evidence`] is the single place that orders the kinds
//! of match.

mod changes;
pub mod fingerprint;
pub mod history;
mod normalize;
pub mod short;
mod url;

pub(crate) use changes::word_jaccard;
pub use changes::{ChangeSummary, is_correction, is_removal_notice, summarize};
pub use fingerprint::{FINGERPRINT_VERSION, Fingerprint, Scores};
pub use normalize::{body_hash, empty_body_hash, normalize_body};
pub use url::{identity_url, is_tracking_param, url_key};

/// The keys an article is looked up by.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Keys {
    /// The canonical URL with tracking parameters and fragments stripped.
    pub url_key: Option<String>,
    /// Hex BLAKE3 of the normalized body text.
    pub body_hash: String,
}

impl Keys {
    /// The body hash to look up by, or `None` when the body normalizes to nothing (an empty
    /// body never matches by body: every failed extraction would otherwise be one story).
    pub fn matchable_body_hash(&self) -> Option<&str> {
        (self.body_hash != empty_body_hash()).then_some(self.body_hash.as_str())
    }
}

/// A stored story that one of the keys found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Known {
    /// The story's id.
    pub story_id: i64,
    /// True when the stored current text has the same body hash.
    pub same_body: bool,
    /// True when the incoming text (or headline) differs materially from the stored current
    /// one ([`ChangeSummary::is_material`]); false for presentation-only changes.
    pub material: bool,
}

/// A story found by near-duplicate fingerprint.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Near {
    /// The story.
    pub story_id: i64,
    /// What filing the incoming text does to the story's history ([`history::derive`]).
    pub placement: history::Placement,
}

/// What the store found for each key.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Matches {
    /// A story already seen at the same URL key.
    pub by_url: Option<Known>,
    /// A story already seen as the same (feed, guid).
    pub by_guid: Option<Known>,
    /// A story whose current (or any earlier) body has the same hash.
    pub by_body: Option<i64>,
    /// The incoming article's body normalizes to nothing (see [`Keys::matchable_body_hash`]).
    pub empty_body: bool,
    /// A story whose text is a near-duplicate of the incoming one (looked up only when no other
    /// key matched).
    pub by_near: Option<Near>,
}

/// The kinds of match, strongest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
#[non_exhaustive]
pub enum MatchKind {
    /// Same URL key: the same place.
    Url,
    /// Same (feed, guid): the same feed item.
    Guid,
    /// Same normalized body: the same text, elsewhere.
    Body,
    /// A near-duplicate text (edited copy, cut, update), elsewhere.
    Near,
}

impl MatchKind {
    /// True for matches that say "this is the same item" whatever its text (URL, guid), as
    /// opposed to matches that say "this is the same text" (body, and later near-duplicates).
    pub fn is_identity(self) -> bool {
        matches!(self, MatchKind::Url | MatchKind::Guid)
    }
}

/// One piece of evidence: a story found by one kind of match.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Evidence {
    /// How it was found.
    pub kind: MatchKind,
    /// The story.
    pub story_id: i64,
    /// True when the incoming body equals the story's current text.
    pub same_body: bool,
}

impl Matches {
    /// Everything found, strongest kind first.
    pub fn evidence(&self) -> Vec<Evidence> {
        let mut out = Vec::with_capacity(3);
        let identity = [
            (MatchKind::Url, self.by_url),
            (MatchKind::Guid, self.by_guid),
        ];
        for (kind, known) in identity {
            if let Some(k) = known {
                out.push(Evidence {
                    kind,
                    story_id: k.story_id,
                    same_body: k.same_body,
                });
            }
        }
        if !self.empty_body
            && let Some(story_id) = self.by_body
        {
            // The body lookup covers earlier versions too, so "same current text" is only
            // known when an identity match on the same story says so.
            let same_body = out.iter().any(|e| e.story_id == story_id && e.same_body);
            out.push(Evidence {
                kind: MatchKind::Body,
                story_id,
                same_body,
            });
        }
        if !self.empty_body
            && let Some(near) = self.by_near
        {
            out.push(Evidence {
                kind: MatchKind::Near,
                story_id: near.story_id,
                same_body: false,
            });
        }
        out
    }
}

/// The decision.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// A story not seen before.
    New,
    /// A known story, same text: record where it appeared, nothing else.
    Same {
        /// The story.
        story_id: i64,
    },
    /// A known story with changed text: a new version.
    NewVersion {
        /// The story.
        story_id: i64,
    },
    /// A known story: the incoming text is a version that belongs before the current one, or
    /// supersedes stored versions; the history is rebuilt in publication order.
    Rebuild {
        /// The story.
        story_id: i64,
    },
    /// A known story: the incoming text is a cut of a fuller text published no later (an
    /// appearance marked `is_cut`, no version).
    Cut {
        /// The story.
        story_id: i64,
    },
}

/// Computes the lookup keys.
pub fn keys(canonical_url: Option<&str>, body_text: &str) -> Keys {
    Keys {
        url_key: canonical_url.and_then(url_key),
        body_hash: body_hash(body_text),
    }
}

/// What filing a text needs to know of it, from one normalization of the whole text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TextFacts {
    /// The lookup keys.
    pub keys: Keys,
    /// It carries a correction or editor's note ([`is_correction`]).
    pub correction: bool,
    /// It is a removal notice in place of a story ([`is_removal_notice`]).
    pub removal_notice: bool,
}

/// [`keys`], [`is_correction`] and [`is_removal_notice`] of a text, normalizing it once.
pub fn text_facts(canonical_url: Option<&str>, body_text: &str) -> TextFacts {
    let normalized = normalize_body(body_text);
    TextFacts {
        keys: Keys {
            url_key: canonical_url.and_then(url_key),
            body_hash: normalize::hash_normalized(&normalized),
        },
        correction: changes::is_correction_normalized(&normalized),
        removal_notice: changes::is_removal_notice_normalized(&normalized),
    }
}

/// Decides from what the store found. See the module docs for the rules.
pub fn decide(matches: &Matches) -> Verdict {
    let evidence = matches.evidence();
    let identity: Vec<&Evidence> = evidence.iter().filter(|e| e.kind.is_identity()).collect();

    let known = |e: &Evidence| {
        [matches.by_url, matches.by_guid]
            .into_iter()
            .flatten()
            .find(|k| k.story_id == e.story_id)
    };
    if let Some(unchanged) = identity
        .iter()
        .find(|e| known(e).is_some_and(|k| !k.material))
    {
        return Verdict::Same {
            story_id: unchanged.story_id,
        };
    }
    if let Some(first) = identity.first() {
        let story_id = first.story_id;
        // A body match on the story's *current* text is not a flap back: that is a retitle.
        let flapped_back = !first.same_body
            && evidence
                .iter()
                .any(|e| e.kind == MatchKind::Body && e.story_id == story_id);
        if matches.empty_body || flapped_back {
            return Verdict::Same { story_id };
        }
        return Verdict::NewVersion { story_id };
    }
    match (
        evidence.iter().find(|e| !e.kind.is_identity()),
        matches.by_near,
    ) {
        (Some(e), Some(near)) if e.kind == MatchKind::Near => {
            let story_id = e.story_id;
            match near.placement {
                history::Placement::Append => Verdict::NewVersion { story_id },
                history::Placement::Rebuild => Verdict::Rebuild { story_id },
                history::Placement::Cut => Verdict::Cut { story_id },
                history::Placement::Appearance => Verdict::Same { story_id },
            }
        }
        (Some(e), _) => Verdict::Same {
            story_id: e.story_id,
        },
        (None, _) => Verdict::New,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_facts_agree_with_the_separate_functions() {
        for (url, text) in [
            (
                Some("https://kvia.com/a?utm_source=x"),
                "CORRECTION: The vote was 52-48.\n\nThe bill passed.",
            ),
            (None, "This story has been removed."),
            (
                Some("https://wlox.com/b"),
                "  The Senate  passed the bill on Friday. ",
            ),
            (None, ""),
        ] {
            let facts = text_facts(url, text);
            assert_eq!(facts.keys, keys(url, text), "{text:?}");
            assert_eq!(facts.correction, is_correction(text), "{text:?}");
            assert_eq!(facts.removal_notice, is_removal_notice(text), "{text:?}");
        }
        assert!(text_facts(None, "CORRECTION: x").correction);
        assert!(text_facts(None, "This story has been removed.").removal_notice);
    }

    fn known(story_id: i64, same_body: bool) -> Option<Known> {
        Some(Known {
            story_id,
            same_body,
            material: !same_body,
        })
    }

    #[test]
    fn decision_table() {
        let m = |by_url, by_guid, by_body, empty_body| Matches {
            by_url,
            by_guid,
            by_body,
            empty_body,
            by_near: None,
        };
        let cases: Vec<(&str, Matches, Verdict)> = vec![
            ("nothing found", m(None, None, None, false), Verdict::New),
            (
                "same url same body",
                m(known(1, true), None, Some(1), false),
                Verdict::Same { story_id: 1 },
            ),
            (
                "same guid same body",
                m(None, known(2, true), Some(2), false),
                Verdict::Same { story_id: 2 },
            ),
            (
                "same url changed body",
                m(known(1, false), None, None, false),
                Verdict::NewVersion { story_id: 1 },
            ),
            (
                "same guid changed body",
                m(None, known(2, false), None, false),
                Verdict::NewVersion { story_id: 2 },
            ),
            (
                "other url same body",
                m(None, None, Some(3), false),
                Verdict::Same { story_id: 3 },
            ),
            (
                "url and guid disagree, guid unchanged",
                m(known(1, false), known(2, true), None, false),
                Verdict::Same { story_id: 2 },
            ),
            (
                "url and guid disagree, both changed: url wins",
                m(known(1, false), known(2, false), None, false),
                Verdict::NewVersion { story_id: 1 },
            ),
            (
                "changed body that another story has: identity wins",
                m(known(1, false), None, Some(9), false),
                Verdict::NewVersion { story_id: 1 },
            ),
            (
                "flapped back to an earlier version",
                m(known(1, false), None, Some(1), false),
                Verdict::Same { story_id: 1 },
            ),
            (
                "empty body at a known url does not make a version",
                m(known(1, false), None, None, true),
                Verdict::Same { story_id: 1 },
            ),
            (
                "empty body never matches by body",
                m(None, None, Some(4), true),
                Verdict::New,
            ),
        ];
        for (name, matches, want) in cases {
            assert_eq!(decide(&matches), want, "{name}");
        }
    }

    #[test]
    fn near_duplicates_and_presentation_only_changes() {
        use history::Placement;
        let near = |placement| Matches {
            by_near: Some(Near {
                story_id: 5,
                placement,
            }),
            ..Matches::default()
        };
        assert_eq!(
            decide(&near(Placement::Appearance)),
            Verdict::Same { story_id: 5 }
        );
        assert_eq!(
            decide(&near(Placement::Append)),
            Verdict::NewVersion { story_id: 5 }
        );
        assert_eq!(
            decide(&near(Placement::Rebuild)),
            Verdict::Rebuild { story_id: 5 }
        );
        assert_eq!(decide(&near(Placement::Cut)), Verdict::Cut { story_id: 5 });
        let empty = Matches {
            empty_body: true,
            ..near(Placement::Append)
        };
        assert_eq!(
            decide(&empty),
            Verdict::New,
            "an empty body never matches by text"
        );
        // Same place, text changed only in chrome: no new version.
        let chrome_only = Matches {
            by_url: Some(Known {
                story_id: 1,
                same_body: false,
                material: false,
            }),
            ..Matches::default()
        };
        assert_eq!(decide(&chrome_only), Verdict::Same { story_id: 1 });
        // Same place, same body, new headline: a new version.
        let retitled = Matches {
            by_url: Some(Known {
                story_id: 1,
                same_body: true,
                material: true,
            }),
            by_body: Some(1),
            ..Matches::default()
        };
        assert_eq!(decide(&retitled), Verdict::NewVersion { story_id: 1 });
        // Identity beats a near-duplicate of another story.
        let both = Matches {
            by_url: known(1, false),
            ..near(Placement::Append)
        };
        assert_eq!(decide(&both), Verdict::NewVersion { story_id: 1 });
    }

    #[test]
    fn keys_use_url_key_and_body_hash() {
        let k = keys(
            Some("https://www.kvia.com/a/?utm_source=x"),
            "Hello  “World”",
        );
        assert_eq!(k.url_key.as_deref(), Some("https://kvia.com/a"));
        assert_eq!(k.body_hash, body_hash("hello \"world\""));
        assert_eq!(k.matchable_body_hash(), Some(k.body_hash.as_str()));

        let none = keys(None, " \n ");
        assert_eq!(none.url_key, None);
        assert_eq!(none.matchable_body_hash(), None);
        assert_eq!(keys(Some("not a url"), "x").url_key, None);
    }

    #[test]
    fn evidence_is_ordered_strongest_first() {
        let m = Matches {
            by_url: known(1, false),
            by_guid: known(2, true),
            by_body: Some(2),
            empty_body: false,
            by_near: None,
        };
        let kinds: Vec<MatchKind> = m.evidence().iter().map(|e| e.kind).collect();
        assert_eq!(kinds, [MatchKind::Url, MatchKind::Guid, MatchKind::Body]);
        assert!(
            m.evidence()[2].same_body,
            "body match on a story whose current text is equal"
        );
        let empty = Matches {
            by_body: Some(2),
            empty_body: true,
            ..Matches::default()
        };
        assert!(empty.evidence().is_empty());
    }
}
