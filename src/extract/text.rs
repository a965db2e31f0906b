//! Small text helpers shared by the extractor: whitespace folding, character counts, and the
//! normalised comparison keys used to match a heading against the page title.

/// Folds every run of whitespace (including no-break spaces) into one space and trims;
/// drops the [`is_invisible`] characters.
pub fn collapse(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut pending = false;
    for c in s.chars() {
        if is_invisible(c) {
            continue;
        }
        if c.is_whitespace() {
            pending = !out.is_empty();
        } else {
            if pending {
                out.push(' ');
                pending = false;
            }
            out.push(c);
        }
    }
    out
}

/// Whether `c` counts as whitespace for our purposes (the HTML set plus no-break space).
pub fn is_space(c: char) -> bool {
    c.is_whitespace()
}

/// Characters that print as nothing and join what is on either side: a zero-width space,
/// a byte-order mark or word joiner. Editors leave them inside words ("H\u{feff}ow"), where
/// a space would split the word in two; so they are dropped, not folded into spaces.
/// (Zero-width joiners stay: emoji and scripts need them. So do soft hyphens, which the
/// mojibake repair reads: "⭐" misdecoded is "â", U+00AD, U+0090.)
pub fn is_invisible(c: char) -> bool {
    matches!(c, '\u{200b}' | '\u{feff}' | '\u{2060}')
}

/// Number of characters that print: neither whitespace nor [`is_invisible`].
pub fn visible_len(s: &str) -> usize {
    s.chars()
        .filter(|c| !is_space(*c) && !is_invisible(*c))
        .count()
}

/// A comparison key: lower-case alphanumerics only, single spaces between words.
pub fn key(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    out.extend(key_chars(s));
    out
}

/// Whether `key(s) == k`, without building the key (checked against every text block).
pub fn key_eq(s: &str, k: &str) -> bool {
    let mut want = k.chars();
    key_chars(s).all(|c| want.next() == Some(c)) && want.next().is_none()
}

/// The characters of [`key`]`(s)`, in order.
fn key_chars(s: &str) -> impl Iterator<Item = char> + '_ {
    let mut started = false;
    let mut space = false;
    s.chars().flat_map(move |c| {
        let mut gap = None;
        let lower = if c.is_alphanumeric() {
            if space && started {
                gap = Some(' ');
            }
            space = false;
            started = true;
            Some(c.to_lowercase())
        } else {
            space = true;
            None
        };
        gap.into_iter().chain(lower.into_iter().flatten())
    })
}

/// Number of words (runs of alphanumerics).
pub fn word_count(s: &str) -> usize {
    s.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .count()
}

/// Whether `c` is Han, Hiragana or Katakana: scripts written without spaces between words.
fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x3040..=0x30ff | 0x3400..=0x4dbf | 0x4e00..=0x9fff | 0xf900..=0xfaff | 0x20000..=0x2fa1f)
}

/// Number of words: runs of alphanumerics, where Chinese and Japanese text (no spaces
/// between words) counts one word per two characters. Counted by runs alone, a Japanese
/// sentence is one or two "words" and never reads as a paragraph.
pub fn words(s: &str) -> usize {
    let (mut n, mut cjk, mut in_word) = (0usize, 0usize, false);
    for c in s.chars() {
        if is_cjk(c) {
            cjk += 1;
            in_word = false;
        } else if c.is_alphanumeric() {
            n += usize::from(!in_word);
            in_word = true;
        } else {
            in_word = false;
        }
    }
    n + cjk.div_ceil(2)
}

/// Whether the text ends like a sentence (., !, ?, a closing quote after one, …).
pub fn ends_like_sentence(s: &str) -> bool {
    let t = s.trim_end_matches(['"', '\'', '”', '’', ')', '»', ' ']);
    t.ends_with(['.', '!', '?', '…', ':', ';', '。', '！', '？'])
}

/// Decodes the handful of entities that survive in JSON-LD strings and meta content
/// (the HTML parser has decoded attribute values already, but JSON strings are raw).
pub fn decode_entities(s: &str) -> String {
    if !s.contains('&') {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        let end = rest[1..].find(';').map(|j| j + 1).filter(|j| *j <= 10);
        let Some(end) = end else {
            out.push('&');
            rest = &rest[1..];
            continue;
        };
        let ent = &rest[1..end];
        let decoded = match ent {
            "amp" => Some('&'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            "nbsp" => Some(' '),
            "rsquo" => Some('’'),
            "lsquo" => Some('‘'),
            "rdquo" => Some('”'),
            "ldquo" => Some('“'),
            "mdash" => Some('—'),
            "ndash" => Some('–'),
            "hellip" => Some('…'),
            _ if ent.starts_with("#x") || ent.starts_with("#X") => {
                u32::from_str_radix(&ent[2..], 16)
                    .ok()
                    .and_then(char::from_u32)
            }
            _ if ent.starts_with('#') => ent[1..].parse::<u32>().ok().and_then(char::from_u32),
            _ => None,
        };
        match decoded {
            Some(c) => {
                out.push(c);
                rest = &rest[end + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// Strips tags from a small HTML fragment (JSON-LD values sometimes carry markup).
pub fn strip_tags(s: &str) -> String {
    if !s.contains('<') {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    let mut in_tag = false;
    for c in s.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => {
                in_tag = false;
                out.push(' ');
            }
            _ if !in_tag => out.push(c),
            _ => {}
        }
    }
    out
}

/// Cleans a metadata string: strips tags, decodes entities, folds whitespace.
pub fn clean_meta(s: &str) -> String {
    collapse(&decode_entities(&strip_tags(s)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn collapse_folds_nbsp_and_newlines() {
        assert_eq!(collapse("  a\u{a0}\n b  "), "a b");
    }

    #[test]
    fn invisible_characters_join_rather_than_split() {
        assert_eq!(
            collapse("H\u{feff}ow to \u{200b} re\u{2060}start"),
            "How to restart"
        );
        assert_eq!(visible_len("F\u{200b}u n"), 3);
    }

    #[test]
    fn key_ignores_case_and_punctuation() {
        assert_eq!(key("Hello, World — Again!"), "hello world again");
        assert_eq!(key("  ÀB--c  "), "àb c");
        assert!(key_eq("  Hello, World — Again! ", "hello world again"));
        assert!(!key_eq("Hello, World", "hello world again"));
        assert!(!key_eq("Hello, World — Again, again", "hello world again"));
        assert!(key_eq("...", ""));
    }

    #[test]
    fn entities_are_decoded() {
        assert_eq!(
            decode_entities("Tom &amp; Jerry&#8217;s &#x2014; x &bogus; &"),
            "Tom & Jerry’s — x &bogus; &"
        );
    }

    #[test]
    fn sentence_end_seen_through_quotes() {
        assert!(ends_like_sentence("He said “no.”"));
        assert!(!ends_like_sentence("Related stories"));
    }
}
