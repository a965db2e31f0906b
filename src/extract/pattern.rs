//! Regex construction that keeps start-up and per-thread memory cheap without changing what a
//! pattern matches.
//!
//! A Unicode `.` compiles to a UTF-8 automaton of a dozen states, and a bounded run of them
//! (`.{0,120}`, the way the boilerplate patterns cap a line's tail) copies it once per step:
//! the boilerplate pattern alone cost about 150 M instructions to build, more than extracting
//! a page. On text that is valid UTF-8 (every `&str`), one character is exactly one byte that
//! is not a UTF-8 continuation byte followed by the continuation bytes after it, which is two
//! states. [`utf8_dots`] writes each `.` that way for a [`regex::bytes::Regex`]; everything
//! else in the pattern (Unicode classes, case folding, `\b`) stays as it was.
//!
//! A capture group costs memory in every search cache, on every thread: the PikeVM keeps a
//! slot per group for each NFA state, twice. The boilerplate pattern has some fifty groups
//! over tens of thousands of states (its bounded tails), which made an 18 MB table, built
//! twice per worker thread the first time a line with a non-ASCII character sent the search
//! to the PikeVM (a Unicode `\b` stops the lazy DFA there). Patterns only asked whether (or
//! where) they match need no groups: [`without_groups`] makes every group non-capturing.
/// What one `.` (any character but `\n`) matches in valid UTF-8, as bytes.
const DOT: &str = r"(?-u:[^\n\x80-\xBF][\x80-\xBF]*)";

/// `pattern` with every `.` outside a character class and not escaped written as [`DOT`].
///
/// Exact on valid UTF-8 haystacks as long as nothing in the pattern can begin a match on a
/// continuation byte (then the `*` always takes the whole character): true of every literal,
/// Unicode class and anchor. Not for patterns using `(?s)` (there `.` also matches `\n`).
pub fn utf8_dots(pattern: &str) -> String {
    debug_assert!(!pattern.contains("(?s"), "(?s) changes what `.` means");
    rewrite_top_level(pattern, |c, _rest, out| match c {
        '.' => {
            out.push_str(DOT);
            true
        }
        _ => false,
    })
}

/// `pattern` with every capturing group `( … )` written `(?: … )`: the same matches, no
/// capture slots. Named groups (`(?P<n>…)`, `(?<n>…)`) are left as they are.
pub fn without_groups(pattern: &str) -> String {
    rewrite_top_level(pattern, |c, rest, out| match c {
        '(' if !rest.starts_with('?') => {
            out.push_str("(?:");
            true
        }
        _ => false,
    })
}

/// Copies `pattern`, offering each character outside character classes and escapes to
/// `f(char, rest of the pattern after it, out)`, which either writes its replacement and
/// returns true or returns false to have the character copied.
fn rewrite_top_level(pattern: &str, mut f: impl FnMut(char, &str, &mut String) -> bool) -> String {
    let mut out = String::with_capacity(pattern.len() + 64);
    let mut escaped = false;
    let mut class_depth = 0usize;
    // Just after `[` or `[^`: a `]` there is a literal, not the end of the class.
    let mut class_start = false;
    for (i, c) in pattern.char_indices() {
        let was_class_start = std::mem::take(&mut class_start);
        if escaped {
            escaped = false;
            out.push(c);
            continue;
        }
        match c {
            '\\' => escaped = true,
            '[' => {
                class_depth += 1;
                class_start = true;
            }
            '^' if was_class_start => class_start = true,
            ']' if class_depth > 0 && !was_class_start => class_depth -= 1,
            _ if class_depth == 0 && f(c, &pattern[i + c.len_utf8()..], &mut out) => continue,
            _ => {}
        }
        out.push(c);
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
        assert_eq!(utf8_dots(r"[].]."), format!(r"[].]{DOT}"));
        assert_eq!(utf8_dots(r"[^].]."), format!(r"[^].]{DOT}"));
    }

    #[test]
    fn groups_become_non_capturing_and_match_the_same() {
        assert_eq!(without_groups(r"(a|b)\((?i)c[(]"), r"(?:a|b)\((?i)c[(]");
        assert_eq!(without_groups(r"(?:x)(?P<n>y)(z)"), r"(?:x)(?P<n>y)(?:z)");
        let p = r"(?i)^(read|see)\s+(more|also)\b(.{0,8})$|(\d+\s+)?min(ute)?s?\s+read";
        let with = regex::Regex::new(p).unwrap();
        let without = regex::Regex::new(&without_groups(p)).unwrap();
        assert_eq!(with.captures_len(), 6);
        assert_eq!(without.captures_len(), 1);
        for line in [
            "Read more",
            "see also: x",
            "read more about it",
            "Read moreover",
            "5 minutes read",
            "min read",
            "minute",
        ] {
            assert_eq!(
                with.find(line).map(|m| m.range()),
                without.find(line).map(|m| m.range()),
                "{line:?}"
            );
        }
        assert!(without.is_match("see also: x") && !without.is_match("Read moreover"));
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
