//! Regex construction that keeps start-up cheap without changing what a pattern matches.
//!
//! A Unicode `.` compiles to a UTF-8 automaton of a dozen states, and a bounded run of them
//! (`.{0,120}`, the way the boilerplate patterns cap a line's tail) copies it once per step:
//! the boilerplate pattern alone cost about 150 M instructions to build, more than extracting
//! a page. On text that is valid UTF-8 (every `&str`), one character is exactly one byte that
//! is not a UTF-8 continuation byte followed by the continuation bytes after it, which is two
//! states. [`utf8_dots`] writes each `.` that way for a [`regex::bytes::Regex`]; everything
//! else in the pattern (Unicode classes, case folding, `\b`) stays as it was.

/// What one `.` (any character but `\n`) matches in valid UTF-8, as bytes.
const DOT: &str = r"(?-u:[^\n\x80-\xBF][\x80-\xBF]*)";

/// `pattern` with every `.` outside a character class and not escaped written as [`DOT`].
///
/// Exact on valid UTF-8 haystacks as long as nothing in the pattern can begin a match on a
/// continuation byte (then the `*` always takes the whole character): true of every literal,
/// Unicode class and anchor. Not for patterns using `(?s)` (there `.` also matches `\n`).
pub fn utf8_dots(pattern: &str) -> String {
    debug_assert!(!pattern.contains("(?s"), "(?s) changes what `.` means");
    let mut out = String::with_capacity(pattern.len() + 64);
    let mut escaped = false;
    let mut class_depth = 0usize;
    for c in pattern.chars() {
        if escaped {
            escaped = false;
            out.push(c);
            continue;
        }
        match c {
            '\\' => {
                escaped = true;
                out.push(c);
            }
            '[' => {
                class_depth += 1;
                out.push(c);
            }
            ']' if class_depth > 0 => {
                class_depth -= 1;
                out.push(c);
            }
            '.' if class_depth == 0 => out.push_str(DOT),
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_bare_dots_are_rewritten() {
        assert_eq!(utf8_dots(r"a\.b[.]c"), r"a\.b[.]c");
        assert_eq!(utf8_dots(r"x.{0,3}$"), format!("x{DOT}{{0,3}}$"));
        assert_eq!(utf8_dots(r"[\].]."), format!(r"[\].]{DOT}"));
    }

    #[test]
    fn rewritten_pattern_matches_what_the_unicode_one_does() {
        let patterns = [
            r"(?i)^(?:read\s+more\b.{0,12}|tags?\s*:.{1,5}|caf.\s+\w+.*|—.{2})$",
            r"(?i)^.{0,6}(©|\(c\)|copyright)\s*\d{4}.{0,8}$",
        ];
        let lines = [
            "Read more: café",
            "Read more: café au lait!!",
            "Read more: cafe au lait!!",
            "Read more: ééééééééééé",
            "Read more: éééééééééééé",
            "Read more: ééééééééééééé",
            "Tags: ü",
            "Tags: üüüüü",
            "Tags: üüüüüü",
            "Tags:",
            "café olé",
            "cafè ünd",
            "— ab",
            "—€€",
            "—€",
            "Read more:\nx",
            "日本語© 2024 局",
            "日本語日本語日本© 2024",
            "x © 2024 ☃☃☃☃☃☃☃☃",
            "x © 2024 ☃☃☃☃☃☃☃☃☃",
        ];
        for p in patterns {
            let unicode = regex::Regex::new(p).unwrap();
            let bytes = regex::bytes::Regex::new(&utf8_dots(p)).unwrap();
            for line in lines {
                assert_eq!(
                    unicode.is_match(line),
                    bytes.is_match(line.as_bytes()),
                    "{p} on {line:?}"
                );
                assert_eq!(
                    unicode.find(line).map(|m| m.range()),
                    bytes.find(line.as_bytes()).map(|m| m.range()),
                    "{p} on {line:?}"
                );
            }
        }
        // The cases above are not vacuous: the bounds decide some of them.
        let unicode = regex::Regex::new(patterns[0]).unwrap();
        assert!(unicode.is_match("Read more: éééééééééé"));
        assert!(!unicode.is_match("Read more: éééééééééééé"));
    }
}
