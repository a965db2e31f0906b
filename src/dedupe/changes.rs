//! Two texts of one story → what changed between them, and what a text says about itself.
//!
//! In: old and new body text (and headlines). Out: a [`ChangeSummary`] (paragraphs added,
//! removed, changed; headline changed), whether the change is *material* (worth a version), and
//! flags read off a text: a correction note ([`is_correction`]) or a removal notice in place of
//! the story ([`is_removal_notice`]).
//!
//! Paragraphs are compared after [`clean_paragraphs`], so a dateline, byline, credit line or
//! whitespace change is no change. Equal paragraphs pair first; a left-over old and new
//! paragraph that share at least half their words (Jaccard over word sets) are one *changed*
//! paragraph; the rest are removed or added.

use super::fingerprint::clean_paragraphs;
use super::normalize::normalize_body;

/// What changed from one version to the next.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct ChangeSummary {
    /// Paragraphs only in the new text.
    pub paragraphs_added: usize,
    /// Paragraphs only in the old text.
    pub paragraphs_removed: usize,
    /// Paragraphs edited in place (a reworded sentence, a corrected figure).
    pub paragraphs_changed: usize,
    /// The headline differs (after normalization).
    pub headline_changed: bool,
}

impl ChangeSummary {
    /// True when anything changed: a new version is due.
    pub fn is_material(&self) -> bool {
        self.paragraphs_added + self.paragraphs_removed + self.paragraphs_changed > 0
            || self.headline_changed
    }

    /// "2 paragraphs added, 1 changed, headline changed", or "no change".
    pub fn describe(&self) -> String {
        let mut parts = Vec::new();
        let plural = |n: usize| if n == 1 { "paragraph" } else { "paragraphs" };
        if self.paragraphs_added > 0 {
            parts.push(format!(
                "{} {} added",
                self.paragraphs_added,
                plural(self.paragraphs_added)
            ));
        }
        if self.paragraphs_removed > 0 {
            parts.push(format!(
                "{} {} removed",
                self.paragraphs_removed,
                plural(self.paragraphs_removed)
            ));
        }
        if self.paragraphs_changed > 0 {
            parts.push(format!(
                "{} {} changed",
                self.paragraphs_changed,
                plural(self.paragraphs_changed)
            ));
        }
        if self.headline_changed {
            parts.push("headline changed".to_owned());
        }
        if parts.is_empty() {
            "no change".to_owned()
        } else {
            parts.join(", ")
        }
    }
}

/// Compares two texts (and headlines) of one story. An absent new headline is no change (the
/// page may just not have said).
pub fn summarize(
    old_body: &str,
    new_body: &str,
    old_headline: Option<&str>,
    new_headline: Option<&str>,
) -> ChangeSummary {
    let old = clean_paragraphs(old_body);
    let new = clean_paragraphs(new_body);
    let mut old_left: Vec<Option<&String>> = old.iter().map(Some).collect();
    let mut new_left: Vec<&String> = Vec::new();
    for p in &new {
        match old_left.iter_mut().find(|o| o.is_some_and(|o| o == p)) {
            Some(slot) => *slot = None,
            None => new_left.push(p),
        }
    }
    let mut old_left: Vec<&String> = old_left.into_iter().flatten().collect();
    let mut changed = 0;
    let mut added = 0;
    for p in new_left {
        let best = old_left
            .iter()
            .enumerate()
            .map(|(i, o)| (i, word_jaccard(o, p)))
            .max_by(|a, b| a.1.total_cmp(&b.1));
        match best {
            Some((i, j)) if j >= 0.5 => {
                old_left.remove(i);
                changed += 1;
            }
            _ => added += 1,
        }
    }
    let headline_changed = match (old_headline, new_headline) {
        (_, None) => false,
        (None, Some(n)) => !n.trim().is_empty(),
        (Some(o), Some(n)) => normalize_body(o) != normalize_body(n),
    };
    ChangeSummary {
        paragraphs_added: added,
        paragraphs_removed: old_left.len(),
        paragraphs_changed: changed,
        headline_changed,
    }
}

/// Shared words over all words of two paragraphs (Jaccard over word sets), 0 to 1.
pub(crate) fn word_jaccard(a: &str, b: &str) -> f64 {
    use std::collections::BTreeSet;
    let set = |s: &str| -> BTreeSet<String> {
        s.split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .map(str::to_owned)
            .collect()
    };
    let (a, b) = (set(a), set(b));
    let common = a.intersection(&b).count();
    let union = a.len() + b.len() - common;
    if union == 0 {
        0.0
    } else {
        common as f64 / union as f64
    }
}

/// True when the text carries a correction or editor's note ("CORRECTION:", "Correction:",
/// "Editor's note:", "This story has been corrected", "An earlier version of this story…").
pub fn is_correction(body_text: &str) -> bool {
    is_correction_normalized(&normalize_body(body_text))
}

/// [`is_correction`] of a text already through [`normalize_body`].
pub(crate) fn is_correction_normalized(n: &str) -> bool {
    n.starts_with("correction:")
        || n.contains(" correction:")
        || n.contains("editor's note:")
        || n.contains("editors note:")
        || n.contains("this story has been corrected")
        || n.contains("this story was corrected")
        || n.contains("this article has been corrected")
        || n.contains("an earlier version of this story")
}

/// Words at most in a removal notice: a notice stands *in place of* the story, so a long text
/// that mentions "no longer available" somewhere is still a story.
const REMOVAL_NOTICE_MAX_WORDS: usize = 60;

/// True when the text is a removal notice in place of the story ("This story has been
/// removed", "is no longer available", "has been withdrawn", "has been killed").
pub fn is_removal_notice(body_text: &str) -> bool {
    is_removal_notice_normalized(&normalize_body(body_text))
}

/// [`is_removal_notice`] of a text already through [`normalize_body`].
pub(crate) fn is_removal_notice_normalized(n: &str) -> bool {
    if n.is_empty() || n.split(' ').count() > REMOVAL_NOTICE_MAX_WORDS {
        return false;
    }
    [
        "has been removed",
        "has been taken down",
        "no longer available",
        "has been withdrawn",
        "has been killed",
        "has been retracted",
        "story has been deleted",
        "kill notice",
        "mandatory kill",
    ]
    .iter()
    .any(|s| n.contains(s))
}

#[cfg(test)]
mod tests {
    use super::*;

    const V1: &str = "QUINTON, Texas (KQTN) — A fire burned 1,200 acres southwest of town on Thursday.\n\n\
        Residents of about 40 homes were told to leave as winds pushed the flames north.\n\n\
        No injuries have been reported. This is a developing story.";

    #[test]
    fn added_removed_changed_and_headline() {
        let v2 = format!(
            "{V1}\n\nUpdate: The fire is now 40% contained and the evacuation order was lifted."
        );
        let s = summarize(V1, &v2, Some("Fire burns"), Some("Fire 40% contained"));
        assert_eq!(
            s,
            ChangeSummary {
                paragraphs_added: 1,
                paragraphs_removed: 0,
                paragraphs_changed: 0,
                headline_changed: true
            }
        );
        assert_eq!(s.describe(), "1 paragraph added, headline changed");

        let corrected = V1.replace("1,200 acres", "1,100 acres");
        let s = summarize(V1, &corrected, Some("Fire burns"), Some("Fire burns"));
        assert_eq!(
            (
                s.paragraphs_changed,
                s.paragraphs_added,
                s.paragraphs_removed
            ),
            (1, 0, 0)
        );
        assert!(s.is_material());

        let cut: String = V1.split("\n\n").take(2).collect::<Vec<_>>().join("\n\n");
        let s = summarize(V1, &cut, None, None);
        assert_eq!((s.paragraphs_removed, s.headline_changed), (1, false));
    }

    #[test]
    fn presentation_only_changes_are_not_material() {
        let restyled = format!(
            "By Hannah Kemp\n\n{}\n\nCopyright 2021 KQTN. All rights reserved.",
            V1.replace("QUINTON, Texas (KQTN) — ", "")
                .replace("\n\n", "\n\n\n")
        );
        let s = summarize(V1, &restyled, Some("Fire  burns"), Some("fire burns"));
        assert!(!s.is_material(), "{s:?}");
        assert_eq!(s.describe(), "no change");
        assert!(!summarize(V1, V1, Some("A"), None).is_material());
    }

    #[test]
    fn corrections_and_removal_notices_are_recognised() {
        for text in [
            "CORRECTION: An earlier version misstated the acreage.\n\nThe fire burned 1,100 acres.",
            "The fire burned 1,100 acres.\n\nCorrection: This story was updated to fix the acreage.",
            "Editor’s note: This story has been updated.\n\nThe fire burned.",
            "The fire burned.\n\nThis story has been corrected to show the fire burned 1,100 acres.",
        ] {
            assert!(is_correction(text), "{text}");
        }
        assert!(!is_correction(V1));
        assert!(!is_correction(
            "The corrections officer said the inmate escaped."
        ));

        assert!(is_removal_notice("This story has been removed."));
        assert!(is_removal_notice(
            "We're sorry, this article is no longer available."
        ));
        assert!(is_removal_notice(
            "Editor's note: This story has been withdrawn by KQTN."
        ));
        assert!(!is_removal_notice(V1));
        assert!(!is_removal_notice(""));
        let long =
            format!("{V1} {V1} {V1} The old page is no longer available at the county site.");
        assert!(!is_removal_notice(&long));
    }
}
