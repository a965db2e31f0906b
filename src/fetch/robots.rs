//! robots.txt as RFC 9309 reads it: the group for our product token (else `*`), Allow and
//! Disallow rules with `*` and `$`, the longest match winning (Allow on a tie), and the
//! non-standard `Crawl-delay` of that group.
//!
//! In: the bytes of a robots.txt and our product token. Out: [`Rules`], which answer whether a
//! URL may be fetched. No network here: [`super::client`] fetches and caches the file.
//!
//! Our own parser rather than a crate: the one that fits best (`texting_robots`) reads
//! `Crawl-delay` as whole seconds only (a common `Crawl-delay: 0.5` is dropped), leaves `%xx`
//! case and encoded unreserved characters as written, and brings nom and anyhow for what is a
//! line-by-line format; the rules below are short and tested here.

use std::time::Duration;

use url::Url;

/// How much of a robots.txt is read (RFC 9309 §2.5 asks for at least 500 KiB; the rest is
/// ignored).
pub const MAX_ROBOTS_BYTES: u64 = 500 * 1024;

/// The longest `Crawl-delay` taken as written; longer ones are read as this.
const MAX_DECLARED_DELAY_SECS: f64 = 86_400.0;

/// One Allow or Disallow line, its pattern normalised (see [`normalize`]).
#[derive(Debug, Clone, PartialEq, Eq)]
struct Rule {
    pattern: Vec<u8>,
    allow: bool,
}

/// The rules of the group that applies to us.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Rules {
    rules: Vec<Rule>,
    crawl_delay: Option<Duration>,
}

/// A group being read: its user-agent values, then its rules.
#[derive(Debug, Default)]
struct Group {
    agents: Vec<String>,
    rules: Vec<Rule>,
    crawl_delay: Option<Duration>,
}

/// The product token of a User-Agent header: its leading letters, `_` and `-`, lower-cased
/// (`wiredesk/0.1 (…)` → `wiredesk`).
pub fn product_token(user_agent: &str) -> String {
    user_agent
        .trim()
        .chars()
        .take_while(|c| c.is_ascii_alphabetic() || *c == '_' || *c == '-')
        .collect::<String>()
        .to_ascii_lowercase()
}

impl Rules {
    /// Reads a robots.txt for the crawler whose product token is `product`. Groups naming it
    /// (case-insensitively, by the leading token of the user-agent value) are combined; when
    /// none does, the `*` groups are; when there is neither, nothing is disallowed. Lines that
    /// do not parse are skipped, as are rules before the first user-agent line.
    pub fn parse(text: &[u8], product: &str) -> Rules {
        let text = String::from_utf8_lossy(text);
        let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
        let mut groups: Vec<Group> = Vec::new();
        // True while the lines since the last rule are user-agent lines (one group's start).
        let mut reading_agents = false;
        for line in text.split(['\n', '\r']) {
            let line = line.split('#').next().unwrap_or("").trim();
            let Some((key, value)) = line.split_once(':') else {
                continue;
            };
            let value = value.trim();
            match key.trim().to_ascii_lowercase().as_str() {
                "user-agent" => {
                    if !reading_agents || groups.is_empty() {
                        groups.push(Group::default());
                    }
                    reading_agents = true;
                    if let Some(g) = groups.last_mut() {
                        g.agents.push(value.to_string());
                    }
                }
                key @ ("allow" | "disallow") => {
                    reading_agents = false;
                    // An empty Disallow allows everything, the same as no rule.
                    if let (Some(g), false) = (groups.last_mut(), value.is_empty()) {
                        g.rules.push(Rule {
                            pattern: normalize(value.as_bytes()),
                            allow: key == "allow",
                        });
                    }
                }
                "crawl-delay" => {
                    let secs = value
                        .parse::<f64>()
                        .ok()
                        .filter(|s| s.is_finite() && *s >= 0.0);
                    if let (Some(g), Some(secs)) = (groups.last_mut(), secs) {
                        g.crawl_delay.get_or_insert(Duration::from_secs_f64(
                            secs.min(MAX_DECLARED_DELAY_SECS),
                        ));
                    }
                }
                // Sitemap and unknown records belong to no group and do not end one.
                _ => {}
            }
        }
        let names_us = |g: &Group| {
            g.agents
                .iter()
                .any(|a| !product.is_empty() && product_token(a) == product)
        };
        let ours: Vec<Group> = if groups.iter().any(names_us) {
            groups.into_iter().filter(|g| names_us(g)).collect()
        } else {
            groups
                .into_iter()
                .filter(|g| g.agents.iter().any(|a| a == "*"))
                .collect()
        };
        let mut rules = Rules::default();
        for g in ours {
            rules.crawl_delay = rules.crawl_delay.or(g.crawl_delay);
            rules.rules.extend(g.rules);
        }
        rules
    }

    /// Rules that allow everything (no robots.txt, or one that says nothing to us).
    pub fn allow_all() -> Rules {
        Rules::default()
    }

    /// Whether `url` (its path and query) may be fetched.
    pub fn allows(&self, url: &Url) -> bool {
        let mut target = url.path().to_string();
        if let Some(q) = url.query() {
            target.push('?');
            target.push_str(q);
        }
        self.allows_path(&target)
    }

    /// Whether a path (with its query) may be fetched: the matching rule with the longest
    /// pattern decides, Allow winning a tie; no matching rule allows. `/robots.txt` itself is
    /// always allowed.
    pub fn allows_path(&self, path: &str) -> bool {
        let path = normalize(path.as_bytes());
        if path == b"/robots.txt" {
            return true;
        }
        let mut best: Option<(usize, bool)> = None;
        for rule in &self.rules {
            if !matches(&rule.pattern, &path) {
                continue;
            }
            let candidate = (rule.pattern.len(), rule.allow);
            // Longer wins; on equal length, allow (true > false) wins.
            if best.is_none_or(|b| candidate > b) {
                best = Some(candidate);
            }
        }
        best.is_none_or(|(_, allow)| allow)
    }

    /// The group's `Crawl-delay`, as written (at most a day).
    pub fn crawl_delay(&self) -> Option<Duration> {
        self.crawl_delay
    }

    /// True when no rule could disallow anything.
    pub fn is_empty(&self) -> bool {
        !self.rules.iter().any(|r| !r.allow)
    }
}

/// Percent-encoding made comparable (RFC 9309 §2.2.2): `%xx` of an unreserved character is
/// decoded, any other `%xx` upper-cased, a `%` not followed by two hex digits and octets
/// outside printable ASCII are encoded. `*` and `$` pass as written.
fn normalize(input: &[u8]) -> Vec<u8> {
    fn hex(b: u8) -> Option<u8> {
        (b as char).to_digit(16).map(|d| d as u8)
    }
    fn push_encoded(out: &mut Vec<u8>, b: u8) {
        const DIGITS: &[u8; 16] = b"0123456789ABCDEF";
        out.extend_from_slice(&[
            b'%',
            DIGITS[usize::from(b >> 4)],
            DIGITS[usize::from(b & 15)],
        ]);
    }
    let mut out = Vec::with_capacity(input.len());
    let mut i = 0;
    while i < input.len() {
        let b = input[i];
        if b == b'%' {
            match (
                input.get(i + 1).copied().and_then(hex),
                input.get(i + 2).copied().and_then(hex),
            ) {
                (Some(h), Some(l)) => {
                    let decoded = h << 4 | l;
                    if decoded.is_ascii_alphanumeric() || b"-._~".contains(&decoded) {
                        out.push(decoded);
                    } else {
                        push_encoded(&mut out, decoded);
                    }
                    i += 3;
                    continue;
                }
                _ => push_encoded(&mut out, b'%'),
            }
        } else if b <= b' ' || b >= 0x7f {
            push_encoded(&mut out, b);
        } else {
            out.push(b);
        }
        i += 1;
    }
    out
}

/// Whether a normalised pattern matches the start of a normalised path: `*` stands for any
/// run of octets, a final `$` anchors the pattern at the path's end.
fn matches(pattern: &[u8], path: &[u8]) -> bool {
    let (pattern, anchored) = match pattern.strip_suffix(b"$") {
        Some(p) => (p, true),
        None => (pattern, false),
    };
    let mut parts = pattern.split(|b| *b == b'*');
    let first = parts.next().unwrap_or_default();
    if !path.starts_with(first) {
        return false;
    }
    let mut pos = first.len();
    let rest: Vec<&[u8]> = parts.collect();
    let Some((last, middle)) = rest.split_last() else {
        return !anchored || pos == path.len();
    };
    // Each middle piece at its leftmost place leaves the most room for the rest.
    for piece in middle {
        match memchr::memmem::find(&path[pos..], piece) {
            Some(at) => pos += at + piece.len(),
            None => return false,
        }
    }
    if anchored {
        path.len() >= pos + last.len() && path.ends_with(last)
    } else {
        memchr::memmem::find(&path[pos..], last).is_some()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rules(text: &str) -> Rules {
        Rules::parse(text.as_bytes(), "wiredesk")
    }

    #[test]
    fn product_token_is_the_leading_name() {
        assert_eq!(
            product_token("wiredesk/0.1 (wire syndication ingester)"),
            "wiredesk"
        );
        assert_eq!(product_token("WireDesk"), "wiredesk");
        assert_eq!(product_token("Mozilla/5.0"), "mozilla");
    }

    #[test]
    fn our_group_wins_over_star_and_names_are_case_insensitive() {
        let text = "User-agent: *\nDisallow: /\n\n\
                    User-agent: otherbot\nAllow: /\n\n\
                    User-Agent: WireDesk/2.0\nDisallow: /private/\n";
        let r = rules(text);
        assert!(r.allows_path("/news/a.html"));
        assert!(!r.allows_path("/private/a.html"));
        // Another crawler reads the * group.
        let other = Rules::parse(text.as_bytes(), "somebot");
        assert!(!other.allows_path("/news/a.html"));
    }

    #[test]
    fn star_group_applies_when_we_are_not_named_and_no_group_means_no_rules() {
        let r = rules("User-agent: otherbot\nDisallow: /\n\nUser-agent: *\nDisallow: /tmp/\n");
        assert!(r.allows_path("/news"));
        assert!(!r.allows_path("/tmp/x"));
        let none = rules("User-agent: otherbot\nDisallow: /\n");
        assert!(none.allows_path("/anything"));
        // Rules before any user-agent line belong to no group.
        assert!(rules("Disallow: /\n").allows_path("/a"));
    }

    #[test]
    fn several_agents_share_a_group_and_our_groups_combine() {
        let r = rules(
            "User-agent: a\nUser-agent: wiredesk\nDisallow: /one\n\
             User-agent: b\nDisallow: /b\n\
             User-agent: wiredesk\nDisallow: /two\n",
        );
        assert!(!r.allows_path("/one"));
        assert!(!r.allows_path("/two"));
        assert!(r.allows_path("/b"));
    }

    #[test]
    fn the_longest_match_wins_and_allow_wins_a_tie() {
        let r = rules(
            "User-agent: *\nDisallow: /news/\nAllow: /news/public/\n\
             Disallow: /news/public/secret\nAllow: /tie\nDisallow: /tie\n",
        );
        assert!(!r.allows_path("/news/a"));
        assert!(r.allows_path("/news/public/a"));
        assert!(!r.allows_path("/news/public/secret-plans"));
        assert!(r.allows_path("/tie/x"));
        // An empty Disallow is no rule.
        assert!(rules("User-agent: *\nDisallow:\n").allows_path("/a"));
        assert!(rules("User-agent: *\nDisallow:\n").is_empty());
    }

    #[test]
    fn wildcards_and_end_anchors() {
        let r = rules(
            "User-agent: *\nDisallow: /*.pdf$\nDisallow: /print/*/full\nDisallow: /*?amp=\n\
             Disallow: /exact$\n",
        );
        assert!(!r.allows_path("/docs/a.pdf"));
        assert!(r.allows_path("/docs/a.pdf.html"));
        assert!(!r.allows_path("/print/2026/story/full"));
        assert!(r.allows_path("/print/2026/story"));
        assert!(!r.allows_path("/story?amp=1"));
        assert!(!r.allows_path("/exact"));
        assert!(r.allows_path("/exact/more"));
        let url = Url::parse("https://e.com/story?amp=1").unwrap();
        assert!(!r.allows(&url), "the query counts");
        assert!(matches(b"/a*", b"/a"));
        assert!(matches(b"*", b"/"));
        assert!(matches(b"/a*b*c$", b"/a-b-b-c"));
        assert!(!matches(b"/a*bc$", b"/abc-"));
    }

    #[test]
    fn percent_encoding_is_normalised_on_both_sides() {
        let r = rules("User-agent: *\nDisallow: /caf%c3%a9/\nDisallow: /%7Euser\nDisallow: /ü\n");
        assert!(!r.allows_path("/caf%C3%A9/menu"));
        assert!(!r.allows_path("/~user/page"));
        assert!(!r.allows_path("/%C3%BC"));
        assert!(r.allows_path("/cafe/"));
        assert_eq!(normalize(b"/a%2fb%zz"), b"/a%2Fb%25zz");
    }

    #[test]
    fn crawl_delay_of_our_group_with_fractions() {
        let r = rules(
            "User-agent: *\nCrawl-delay: 30\nDisallow: /x\n\n\
             User-agent: wiredesk\nCrawl-delay: 2.5\nDisallow: /y\n",
        );
        assert_eq!(r.crawl_delay(), Some(Duration::from_millis(2500)));
        assert_eq!(
            rules("User-agent: *\nCrawl-delay: 30\n").crawl_delay(),
            Some(Duration::from_secs(30))
        );
        assert_eq!(
            rules("User-agent: *\nCrawl-delay: soon\n").crawl_delay(),
            None
        );
        assert_eq!(
            rules("User-agent: *\nCrawl-delay: 1e12\n").crawl_delay(),
            Some(Duration::from_secs(86_400))
        );
    }

    #[test]
    fn comments_blank_lines_crlf_bom_and_junk_are_tolerated() {
        let text = "\u{feff}# site rules\r\nUser-agent: * # everyone\r\n\r\nDisallow: /a # no\r\n\
                    Sitemap: https://e.com/sitemap.xml\r\nthis is not a record\r\nDisallow: /b\r\n";
        let r = rules(text);
        assert!(!r.allows_path("/a"));
        assert!(
            !r.allows_path("/b"),
            "a sitemap line does not end the group"
        );
        assert!(r.allows_path("/c"));
        assert!(r.allows_path("/robots.txt"));
        // Not UTF-8: read lossily, never a panic.
        assert!(
            Rules::parse(b"User-agent: *\nDisallow: /\xff\xfe\n", "wiredesk").allows_path("/ok")
        );
    }
}
