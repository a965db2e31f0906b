//! A readable diff of two versions of a story: paragraphs kept, added, removed or changed (and,
//! inside a changed paragraph, the words), and the headline when it changed.
//!
//! Paragraphs are the stored text's (blank-line separated, as the ingest splits them) and are
//! compared after [`normalize_body`], so case, punctuation spacing and whitespace are no
//! change. The longest common run of equal paragraphs is kept; between two kept paragraphs a
//! removed and an added paragraph that share at least half their words (as the change summary
//! counts them, [`crate::dedupe::summarize`]) are shown as one changed paragraph with its
//! words marked.

use crate::dedupe::fingerprint::split_paragraphs;
use crate::dedupe::{normalize_body, word_jaccard};

/// Above this many cells (old × new items) a diff does not look for common runs and shows
/// the whole old text removed and the new one added: a story is never that long, a hostile
/// page may be.
const MAX_CELLS: usize = 1_000_000;

/// One paragraph of a diff.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Para {
    /// In both versions.
    Same(String),
    /// Only in the new version.
    Added(String),
    /// Only in the old version.
    Removed(String),
    /// Edited in place: its words, marked.
    Changed(Vec<Word>),
}

/// One word of a changed paragraph.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Word {
    /// In both.
    Same(String),
    /// Only in the new paragraph.
    Added(String),
    /// Only in the old paragraph.
    Removed(String),
}

/// What changed from one version to the next.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VersionDiff {
    /// `(old, new)` when the headline changed.
    pub headline: Option<(Option<String>, Option<String>)>,
    /// Every paragraph of both texts, in reading order.
    pub paragraphs: Vec<Para>,
}

impl VersionDiff {
    /// Paragraphs added, removed and changed.
    pub fn counts(&self) -> (usize, usize, usize) {
        self.paragraphs
            .iter()
            .fold((0, 0, 0), |(a, r, c), p| match p {
                Para::Added(_) => (a + 1, r, c),
                Para::Removed(_) => (a, r + 1, c),
                Para::Changed(_) => (a, r, c + 1),
                Para::Same(_) => (a, r, c),
            })
    }
}

/// The diff from `old` to `new` (headline, body text).
pub fn diff(old: (Option<&str>, &str), new: (Option<&str>, &str)) -> VersionDiff {
    let norm = |h: Option<&str>| h.map(normalize_body).unwrap_or_default();
    let headline =
        (norm(old.0) != norm(new.0)).then(|| (old.0.map(str::to_owned), new.0.map(str::to_owned)));
    let old_paras = split_paragraphs(old.1);
    let new_paras = split_paragraphs(new.1);
    let old_keys: Vec<String> = old_paras.iter().map(|p| normalize_body(p)).collect();
    let new_keys: Vec<String> = new_paras.iter().map(|p| normalize_body(p)).collect();

    let mut paragraphs = Vec::new();
    let (mut removed, mut added) = (Vec::new(), Vec::new());
    for step in common_run(&old_keys, &new_keys) {
        match step {
            Step::Same(i, _) => {
                flush_gap(
                    &mut paragraphs,
                    &mut removed,
                    &mut added,
                    &old_keys,
                    &new_keys,
                );
                paragraphs.push(Para::Same(old_paras[i].to_owned()));
            }
            Step::Removed(i) => removed.push((i, old_paras[i])),
            Step::Added(j) => added.push((j, new_paras[j])),
        }
    }
    flush_gap(
        &mut paragraphs,
        &mut removed,
        &mut added,
        &old_keys,
        &new_keys,
    );
    VersionDiff {
        headline,
        paragraphs,
    }
}

/// Ends a gap between kept paragraphs: each added paragraph takes the removed one most like
/// it (at least half the words shared) as a change; the removed ones left come first, then
/// the added and changed ones in the new text's order.
fn flush_gap(
    out: &mut Vec<Para>,
    removed: &mut Vec<(usize, &str)>,
    added: &mut Vec<(usize, &str)>,
    old_keys: &[String],
    new_keys: &[String],
) {
    let mut taken = vec![false; removed.len()];
    let mut after = Vec::new();
    for &(j, text) in added.iter() {
        let best = removed
            .iter()
            .enumerate()
            .filter(|(k, _)| !taken[*k])
            .map(|(k, &(i, _))| (k, word_jaccard(&old_keys[i], &new_keys[j])))
            .max_by(|a, b| a.1.total_cmp(&b.1));
        match best {
            Some((k, score)) if score >= 0.5 => {
                taken[k] = true;
                after.push(Para::Changed(words(removed[k].1, text)));
            }
            _ => after.push(Para::Added(text.to_owned())),
        }
    }
    for (k, &(_, text)) in removed.iter().enumerate() {
        if !taken[k] {
            out.push(Para::Removed(text.to_owned()));
        }
    }
    out.extend(after);
    removed.clear();
    added.clear();
}

/// The words of `old` and `new` marked kept, removed or added (runs of removed words before
/// the added ones that replace them).
fn words(old: &str, new: &str) -> Vec<Word> {
    let a: Vec<&str> = old.split_whitespace().collect();
    let b: Vec<&str> = new.split_whitespace().collect();
    let mut out: Vec<Word> = Vec::new();
    let mut pending_added: Vec<Word> = Vec::new();
    for step in common_run(&a, &b) {
        match step {
            Step::Same(i, _) => {
                out.append(&mut pending_added);
                out.push(Word::Same(a[i].to_owned()));
            }
            Step::Removed(i) => out.push(Word::Removed(a[i].to_owned())),
            Step::Added(j) => pending_added.push(Word::Added(b[j].to_owned())),
        }
    }
    out.append(&mut pending_added);
    out
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Step {
    Same(usize, usize),
    Removed(usize),
    Added(usize),
}

/// The longest common subsequence of `a` and `b` as a walk through both (dynamic
/// programming over suffixes; past [`MAX_CELLS`], everything removed then added).
fn common_run<T: PartialEq>(a: &[T], b: &[T]) -> Vec<Step> {
    let (n, m) = (a.len(), b.len());
    if n.saturating_mul(m) > MAX_CELLS {
        return (0..n)
            .map(Step::Removed)
            .chain((0..m).map(Step::Added))
            .collect();
    }
    // lcs[i][j]: length of the common subsequence of a[i..] and b[j..].
    let width = m + 1;
    let mut lcs = vec![0u32; (n + 1) * width];
    for i in (0..n).rev() {
        for j in (0..m).rev() {
            lcs[i * width + j] = if a[i] == b[j] {
                lcs[(i + 1) * width + j + 1] + 1
            } else {
                lcs[(i + 1) * width + j].max(lcs[i * width + j + 1])
            };
        }
    }
    let (mut i, mut j) = (0, 0);
    let mut steps = Vec::with_capacity(n + m);
    while i < n && j < m {
        if a[i] == b[j] {
            steps.push(Step::Same(i, j));
            i += 1;
            j += 1;
        } else if lcs[(i + 1) * width + j] >= lcs[i * width + j + 1] {
            steps.push(Step::Removed(i));
            i += 1;
        } else {
            steps.push(Step::Added(j));
            j += 1;
        }
    }
    steps.extend((i..n).map(Step::Removed));
    steps.extend((j..m).map(Step::Added));
    steps
}

#[cfg(test)]
mod tests {
    use super::*;

    const LEDE: &str = "A brush fire near Quinton forced evacuations on Tuesday afternoon.";
    const MIDDLE: &str = "Crews from three counties fought the fire from the ground and the air.";
    const END: &str = "No injuries were reported.";

    fn text(paras: &[&str]) -> String {
        paras.join("\n\n")
    }

    #[test]
    fn equal_texts_have_only_kept_paragraphs_and_no_headline_change() {
        let t = text(&[LEDE, MIDDLE]);
        let d = diff((Some("Fire"), &t), (Some("  fire "), &t));
        assert_eq!(d.headline, None, "case and spacing are no change");
        assert_eq!(d.counts(), (0, 0, 0));
        assert_eq!(d.paragraphs.len(), 2);
    }

    #[test]
    fn an_added_paragraph_is_marked_in_place() {
        let extra = "Residents were allowed back home by evening, the sheriff said.";
        let d = diff(
            (None, &text(&[LEDE, END])),
            (None, &text(&[LEDE, extra, END])),
        );
        assert_eq!(
            d.paragraphs,
            [
                Para::Same(LEDE.into()),
                Para::Added(extra.into()),
                Para::Same(END.into())
            ]
        );
        assert_eq!(d.counts(), (1, 0, 0));
    }

    #[test]
    fn a_removed_paragraph_and_a_changed_one_with_its_words() {
        let edited = "Crews from four counties fought the fire from the ground and the air.";
        let d = diff(
            (Some("Fire near Quinton"), &text(&[LEDE, MIDDLE, END])),
            (Some("Fire near Quinton contained"), &text(&[edited, END])),
        );
        assert_eq!(
            d.headline,
            Some((
                Some("Fire near Quinton".into()),
                Some("Fire near Quinton contained".into())
            ))
        );
        assert_eq!(d.counts(), (0, 1, 1));
        assert_eq!(d.paragraphs[0], Para::Removed(LEDE.into()));
        let Para::Changed(words) = &d.paragraphs[1] else {
            panic!("{:?}", d.paragraphs)
        };
        let marked: Vec<&Word> = words
            .iter()
            .filter(|w| !matches!(w, Word::Same(_)))
            .collect();
        assert_eq!(
            marked,
            [&Word::Removed("three".into()), &Word::Added("four".into())]
        );
        assert_eq!(d.paragraphs[2], Para::Same(END.into()));
    }

    #[test]
    fn an_unrelated_rewrite_is_removed_and_added_not_changed() {
        let other = "The school board met on Monday night to discuss the budget.";
        let d = diff((None, MIDDLE), (None, other));
        assert_eq!(
            d.paragraphs,
            [Para::Removed(MIDDLE.into()), Para::Added(other.into())]
        );
    }

    #[test]
    fn the_counts_agree_with_the_stored_change_summary() {
        let edited = "Crews from four counties fought the fire from the ground and the air.";
        let new_end = "Two firefighters were treated for heat exhaustion at the scene.";
        let (old, new) = (text(&[LEDE, MIDDLE, END]), text(&[LEDE, edited, new_end]));
        let d = diff((None, &old), (None, &new));
        let s = crate::dedupe::summarize(&old, &new, None, None);
        assert_eq!(
            d.counts(),
            (
                s.paragraphs_added,
                s.paragraphs_removed,
                s.paragraphs_changed
            )
        );
    }

    #[test]
    fn a_huge_text_falls_back_to_removed_then_added() {
        let a: Vec<String> = (0..1500).map(|i| format!("old paragraph {i}")).collect();
        let b: Vec<String> = (0..1500).map(|i| format!("new paragraph {i}")).collect();
        let steps = common_run(&a, &b);
        assert_eq!(steps.len(), 3000);
        assert_eq!(steps[0], Step::Removed(0));
        assert_eq!(steps[1500], Step::Added(0));
    }
}
