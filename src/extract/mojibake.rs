//! Repair of double-encoded UTF-8 ("mojibake"): text in, text out. A CMS that reads UTF-8
//! bytes as Windows-1252 (or ISO-8859-1) and writes the result back as UTF-8 turns "don’t"
//! into "donâ€™t" and a no-break space into "Â ". Each such run is a sequence of characters
//! whose single-byte codes form one valid multi-byte UTF-8 character, so it can be mapped back
//! exactly. Legitimate accented text ("pâte", "Ângela", "SÃO") almost never has that shape,
//! and [`page_has_mojibake`] further asks a page for two such runs before anything is touched.

use std::borrow::Cow;
use std::sync::LazyLock;

use encoding_rs::WINDOWS_1252;

/// The characters Windows-1252 gives bytes 0x80..=0x9F, from encoding_rs's own table (the
/// five bytes it leaves undefined decode to the C1 control of the same number).
static CP1252_HIGH: LazyLock<[char; 32]> = LazyLock::new(|| {
    let bytes: Vec<u8> = (0x80u8..=0x9F).collect();
    let (text, _) = WINDOWS_1252.decode_without_bom_handling(&bytes);
    let mut out = ['\0'; 32];
    for (slot, c) in out.iter_mut().zip(text.chars()) {
        *slot = c;
    }
    out
});

/// The byte a character had before a Windows-1252 or Latin-1 misreading, when it has one in
/// the high half (0x80..=0xFF). C1 controls count as their own byte: that is what a Latin-1
/// misreading leaves behind ("â\u{80}\u{99}").
fn high_byte(c: char) -> Option<u8> {
    let u = c as u32;
    if (0x80..=0xFF).contains(&u) {
        return Some(u as u8);
    }
    CP1252_HIGH
        .iter()
        .position(|&h| h == c)
        .map(|i| 0x80 + i as u8)
}

/// Length of the UTF-8 sequence a lead byte opens (only the multi-byte leads UTF-8 allows).
fn lead_len(b: u8) -> Option<usize> {
    match b {
        0xC2..=0xDF => Some(2),
        0xE0..=0xEF => Some(3),
        0xF0..=0xF4 => Some(4),
        _ => None,
    }
}

/// The repaired character and how many characters it consumes, if a mojibake run starts at
/// `chars[i]`.
fn run_at(chars: &[char], i: usize) -> Option<(char, usize)> {
    let lead = high_byte(chars[i])?;
    let n = lead_len(lead)?;
    if i + n > chars.len() {
        return None;
    }
    let mut buf = [lead, 0, 0, 0];
    for k in 1..n {
        let b = high_byte(chars[i + k])?;
        if !(0x80..=0xBF).contains(&b) {
            return None;
        }
        buf[k] = b;
    }
    // from_utf8 rejects overlongs and surrogates, so only a real character comes back.
    let s = std::str::from_utf8(&buf[..n]).ok()?;
    s.chars().next().map(|c| (c, n))
}

/// Cheap pre-check: every mojibake run starts with a character U+00C2..=U+00F4.
fn may_contain(s: &str) -> bool {
    !s.is_ascii() && s.chars().any(|c| ('\u{c2}'..='\u{f4}').contains(&c))
}

/// Number of mojibake runs in `s` (stops counting at `limit`).
pub fn count_runs(s: &str, limit: usize) -> usize {
    if !may_contain(s) {
        return 0;
    }
    let chars: Vec<char> = s.chars().collect();
    let mut i = 0;
    let mut found = 0;
    while i < chars.len() && found < limit {
        match run_at(&chars, i) {
            Some((_, n)) => {
                found += 1;
                i += n;
            }
            None => i += 1,
        }
    }
    found
}

/// Whether a page's texts together carry at least two mojibake runs: one alone is as likely
/// an article quoting mojibake ("I saw “Ã¤” instead of “ä”") as a broken page.
pub fn page_has_mojibake<'a>(texts: impl IntoIterator<Item = &'a str>) -> bool {
    let mut found = 0;
    for t in texts {
        found += count_runs(t, 2 - found);
        if found >= 2 {
            return true;
        }
    }
    false
}

/// Maps every mojibake run in `s` back to the character it was. Also drops a lone "Â" left
/// before whitespace, the end, a tag or `&nbsp;`: the trace of a no-break space (C2 A0) whose
/// second half was folded into whitespace before we saw it. Call only for a page
/// [`page_has_mojibake`] accepted; on its own this trusts every run.
pub fn repair(s: &str) -> Cow<'_, str> {
    if !may_contain(s) {
        return Cow::Borrowed(s);
    }
    let chars: Vec<char> = s.chars().collect();
    let mut out = String::with_capacity(s.len());
    let mut changed = false;
    let mut i = 0;
    while i < chars.len() {
        if let Some((c, n)) = run_at(&chars, i) {
            out.push(c);
            i += n;
            changed = true;
            continue;
        }
        let c = chars[i];
        if c == 'Â' && lone_nbsp_trace(&chars, i) {
            i += 1;
            changed = true;
            continue;
        }
        out.push(c);
        i += 1;
    }
    if changed {
        Cow::Owned(out)
    } else {
        Cow::Borrowed(s)
    }
}

/// Whether the "Â" at `chars[i]` is what remains of a no-break space: followed by whitespace,
/// the end, '<' or "&nbsp;", and not closing an upper-case word (where it could be a letter).
fn lone_nbsp_trace(chars: &[char], i: usize) -> bool {
    if i > 0 && chars[i - 1].is_uppercase() {
        return false;
    }
    match chars.get(i + 1) {
        None => true,
        Some(c) if c.is_whitespace() || *c == '<' => true,
        Some('&') => {
            let rest: String = chars[i + 1..chars.len().min(i + 7)].iter().collect();
            rest == "&nbsp;"
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repairs_cp1252_punctuation() {
        assert_eq!(repair("doesnâ€™t"), "doesn’t");
        assert_eq!(repair("â€œQuoteâ€\u{9d} â€” end"), "“Quote” — end");
    }

    #[test]
    fn repairs_latin1_misreading_with_c1_controls() {
        assert_eq!(repair("Earthâ\u{80}\u{99}s"), "Earth’s");
        assert_eq!(repair("desks â\u{80}\u{93} and"), "desks – and");
    }

    #[test]
    fn repairs_accents_symbols_and_emoji() {
        assert_eq!(repair("cafÃ© crÃ¨me"), "café crème");
        assert_eq!(repair("WireGuardÂ® protocol"), "WireGuard® protocol");
        assert_eq!(repair("hi ðŸ˜€"), "hi 😀");
        assert_eq!(repair("a\u{c2}\u{a0}b"), "a\u{a0}b");
    }

    #[test]
    fn drops_nbsp_trace_before_whitespace() {
        assert_eq!(repair("for cats.Â\n\nThe"), "for cats.\n\nThe");
        assert_eq!(
            repair("<p>solutionsÂ&nbsp;are</p>"),
            "<p>solutions&nbsp;are</p>"
        );
        assert_eq!(repair("endsÂ"), "ends");
    }

    #[test]
    fn leaves_legitimate_accented_text() {
        for s in [
            "pâte à choux",
            "Ângela e João",
            "SÃO PAULO",
            "IRMÃ e PÃ ",
            "Âme déjà vue",
            "crème brûlée, naïve, Noël",
            "Ação, coração, você está",
            "ÂNGULO RETO",
        ] {
            assert_eq!(repair(s), s, "{s}");
            assert_eq!(count_runs(s, 9), 0, "{s}");
        }
    }

    #[test]
    fn truncated_run_is_left_alone() {
        assert_eq!(repair("anytime)â\u{80}"), "anytime)â\u{80}");
    }

    #[test]
    fn page_gate_needs_two_runs() {
        assert!(!page_has_mojibake(["I saw \"Ã¤\" instead of \"ä\"."]));
        assert!(page_has_mojibake(["isnâ€™t", "itâ€™s"]));
        assert!(!page_has_mojibake(["pâte", "São Paulo"]));
    }
}
