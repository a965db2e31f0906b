//! Body text → normalized text → body hash. In: the article's plain-text body. Out: a string
//! that is equal for bodies that differ only in presentation, and its hex BLAKE3 hash.
//!
//! "Presentation" here means: Unicode compatibility forms (NFKC: ligatures, full-width letters,
//! non-breaking spaces), letter case, runs of whitespace and line breaks, curly vs straight
//! quotes, the many dashes, and invisible characters (zero-width spaces, soft hyphens, BOMs).
//! Anything else (a changed word, a moved comma) is a change of text and gives another hash.

use std::borrow::Cow;

use unicode_normalization::{IsNormalized, UnicodeNormalization, is_nfkc_quick};

/// Folds one character after NFKC; `None` drops it.
fn fold(c: char) -> Option<char> {
    match c {
        // Zero-width space/joiners, word joiner, BOM, soft hyphen: invisible on the page.
        '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{2060}' | '\u{FEFF}' | '\u{00AD}' => None,
        '\u{2018}' | '\u{2019}' | '\u{201A}' | '\u{201B}' | '\u{2032}' | '\u{0060}'
        | '\u{00B4}' => Some('\''),
        '\u{201C}' | '\u{201D}' | '\u{201E}' | '\u{201F}' | '\u{2033}' | '\u{00AB}'
        | '\u{00BB}' => Some('"'),
        '\u{2010}' | '\u{2011}' | '\u{2012}' | '\u{2013}' | '\u{2014}' | '\u{2015}'
        | '\u{2212}' | '\u{FE58}' | '\u{FE63}' => Some('-'),
        _ => Some(c),
    }
}

/// The body as compared for dedupe: NFKC, invisible characters dropped, quotes and dashes
/// folded to ASCII, lowercased, whitespace runs collapsed to one space, trimmed.
pub fn normalize_body(text: &str) -> String {
    let folded: String = nfkc(text).chars().filter_map(fold).collect();
    // Lowercasing can leave text that is not in NFKC (e.g. `İ` → `i` + combining dot), so
    // normalize once more: that keeps `normalize_body` idempotent.
    let lower = folded.to_lowercase();
    let lower = nfkc(&lower);
    let mut out = String::with_capacity(lower.len());
    for word in lower.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// NFKC of `text`, without the pass when the text already is NFKC by the quick check (ASCII
/// always is, and so is most article text): the full pass decomposes and recomposes every
/// character and cost more than the rest of the dedupe work together. Same result either way.
fn nfkc(text: &str) -> Cow<'_, str> {
    if text.is_ascii() || is_nfkc_quick(text.chars()) == IsNormalized::Yes {
        Cow::Borrowed(text)
    } else {
        Cow::Owned(text.nfkc().collect())
    }
}

/// Hex BLAKE3 (64 lowercase hex digits) of [`normalize_body`]`(text)`. Fixed algorithm: the
/// hash is persisted and compared across runs and versions.
pub fn body_hash(text: &str) -> String {
    hash_normalized(&normalize_body(text))
}

/// The body hash of a text already through [`normalize_body`].
pub fn hash_normalized(normalized: &str) -> String {
    blake3::hash(normalized.as_bytes()).to_hex().to_string()
}

/// The hash of a body that normalizes to nothing. Such bodies never match by body.
pub fn empty_body_hash() -> String {
    blake3::hash(b"").to_hex().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn presentation_changes_normalize_away() {
        let base = "WASHINGTON (AP) - The Senate voted 51-49 on \"the bill\". It's done.";
        let variants = [
            "WASHINGTON (AP) — The Senate voted 51–49 on “the bill”. It’s done.",
            "washington (ap) - the senate voted 51-49 on \"the bill\". it's done.",
            "  WASHINGTON\u{00A0}(AP) -\tThe Senate voted 51-49\n\non \"the bill\".  It's done.\n",
            "WASHINGTON (AP) - The Sen\u{00AD}ate voted 51-49 on \"the\u{200B} bill\". It's done.",
            "ＷＡＳＨＩＮＧＴＯＮ (AP) - The Senate voted 51-49 on \"the bill\". It's done.",
        ];
        let want = normalize_body(base);
        assert_eq!(
            want,
            "washington (ap) - the senate voted 51-49 on \"the bill\". it's done."
        );
        for v in variants {
            assert_eq!(normalize_body(v), want, "variant {v:?}");
            assert_eq!(body_hash(v), body_hash(base), "variant {v:?}");
        }
    }

    #[test]
    fn word_changes_change_the_hash() {
        let a = "The Senate voted 51-49 on the bill.";
        for b in [
            "The Senate voted 52-48 on the bill.",
            "The House voted 51-49 on the bill.",
            "The Senate voted 51-49 on the bill",
            "The Senate voted 51-49 on thebill.",
        ] {
            assert_ne!(body_hash(a), body_hash(b), "{b:?}");
        }
    }

    #[test]
    fn normalization_invariants() {
        let inputs = [
            "",
            "   \n\t ",
            "Plain text.",
            "Ünïcödé “quotes” — dashes… ﬁne",
            "İstanbul ΣΊΣΥΦΟΣ straße",
            "a\u{200B}\u{FEFF}b",
        ];
        for input in inputs {
            let n = normalize_body(input);
            // Idempotent: normalizing twice changes nothing.
            assert_eq!(normalize_body(&n), n, "input {input:?}");
            // No leading/trailing space, no double spaces, no line breaks.
            assert_eq!(n.trim(), n);
            assert!(!n.contains("  ") && !n.contains('\n') && !n.contains('\t'));
            // Nothing uppercase survives.
            assert_eq!(n.to_lowercase(), n);
        }
    }

    #[test]
    fn the_quick_path_gives_what_the_full_passes_give() {
        // The old definition: NFKC, fold, lowercase, NFKC again, whitespace collapsed.
        let full = |text: &str| -> String {
            let folded: String = text.nfkc().filter_map(fold).collect();
            let lower: String = folded.to_lowercase().nfkc().collect();
            lower.split_whitespace().collect::<Vec<_>>().join(" ")
        };
        for text in [
            "Plain ASCII, with  spaces.",
            "Café au lait — déjà vu “quoted”",
            "e\u{200D}\u{0301} joins after the zero-width joiner goes",
            "ﬁne ＦＵＬＬ width ½ ㎏ ℌ",
            "İstanbul ΣΊΣΥΦΟΣ straße ǅ",
            "한국어 텍스트 and 日本語のテキスト",
            "A\u{0308}\u{0301} stacked marks",
        ] {
            assert_eq!(normalize_body(text), full(text), "{text:?}");
        }
    }

    #[test]
    fn hash_is_fixed_blake3_hex() {
        let h = body_hash("Hello   World");
        assert_eq!(h.len(), 64);
        assert!(
            h.chars()
                .all(|c| c.is_ascii_hexdigit() && !c.is_ascii_uppercase())
        );
        assert_eq!(h, blake3::hash(b"hello world").to_hex().to_string());
        assert_eq!(body_hash(" \n "), empty_body_hash());
        assert_eq!(
            empty_body_hash(),
            "af1349b9f5f9a1a6a0404dea36dcc9499bcb25c9adc112b7cc9a93cae41f3262"
        );
    }
}
