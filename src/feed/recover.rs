//! Minimal recovery for documents feed-rs rejects although they are plainly feeds.
//!
//! Two cases: a bare `&` (from CMSs that do not escape "AT&T"), which makes the XML
//! ill-formed; and the RSS version. feed-rs 3.0 only accepts `<rss version="2.0" | "0.91" | "0.92" | "">`; a root with no
//! version or another one ("2.01", "0.94") gives `NoFeedRoot`. Such feeds are RSS 2.0 in
//! practice, so the root is rewritten to `version="2.0"` and the parse retried.

/// The versions feed-rs parses as RSS.
const ACCEPTED: [&str; 4] = ["2.0", "0.91", "0.92", ""];

/// The text with its `<rss>` root claiming version 2.0, or `None` when the root is not an
/// `<rss>` element whose version feed-rs would reject.
pub fn rss_root_as_v2(text: &str) -> Option<String> {
    let start = find_rss_root(text)?;
    let tag_end = start + text[start..].find('>')?;
    let tag = &text[start..tag_end];
    match version_value_range(tag) {
        Some((from, to)) => {
            if ACCEPTED.contains(&&tag[from..to]) {
                return None;
            }
            Some(format!(
                "{}2.0{}",
                &text[..start + from],
                &text[start + to..]
            ))
        }
        None => {
            let insert_at = start + "<rss".len();
            Some(format!(
                "{} version=\"2.0\"{}",
                &text[..insert_at],
                &text[insert_at..]
            ))
        }
    }
}

/// The text with every `&` that does not start a reference (`&amp;`, `&#233;`, `&#xE9;`,
/// `&nbsp;`) escaped as `&amp;`, or `None` when there is none. CDATA sections are left alone.
pub fn escape_bare_ampersands(text: &str) -> Option<String> {
    let mut out = String::with_capacity(text.len() + 16);
    let mut changed = false;
    let mut rest = text;
    while let Some(pos) = rest.find(['&', '<']) {
        out.push_str(&rest[..pos]);
        rest = &rest[pos..];
        if rest.starts_with("<![CDATA[") {
            let end = rest.find("]]>").map_or(rest.len(), |e| e + 3);
            out.push_str(&rest[..end]);
            rest = &rest[end..];
        } else if rest.starts_with('<') {
            out.push('<');
            rest = &rest[1..];
        } else {
            if !starts_reference(rest) {
                out.push_str("&amp;");
                changed = true;
            } else {
                out.push('&');
            }
            rest = &rest[1..];
        }
    }
    out.push_str(rest);
    changed.then_some(out)
}

/// True when `s` (starting at `&`) is a character or entity reference.
fn starts_reference(s: &str) -> bool {
    let body = &s[1..];
    let Some(end) = body.find(';') else {
        return false;
    };
    let name = &body[..end];
    if end == 0 || end > 32 {
        return false;
    }
    if let Some(num) = name.strip_prefix('#') {
        return match num.strip_prefix(['x', 'X']) {
            Some(hex) => !hex.is_empty() && hex.chars().all(|c| c.is_ascii_hexdigit()),
            None => !num.is_empty() && num.chars().all(|c| c.is_ascii_digit()),
        };
    }
    name.starts_with(|c: char| c.is_ascii_alphabetic())
        && name.chars().all(|c| c.is_ascii_alphanumeric())
}

/// Byte offset of the `<rss` that opens the root element, skipping the prolog, comments and
/// processing instructions.
fn find_rss_root(text: &str) -> Option<usize> {
    let mut i = 0;
    let bytes = text.as_bytes();
    while i < bytes.len() {
        let rest = &text[i..];
        if rest.starts_with("<?") {
            i += rest.find("?>")? + 2;
        } else if rest.starts_with("<!--") {
            i += rest.find("-->")? + 3;
        } else if rest.starts_with("<!") {
            i += rest.find('>')? + 1;
        } else if rest.starts_with('<') {
            let after = rest.as_bytes().get(4).copied();
            let is_rss = rest.starts_with("<rss")
                && matches!(after, Some(b' ' | b'\t' | b'\r' | b'\n' | b'>' | b'/'));
            return is_rss.then_some(i);
        } else {
            i += rest.chars().next()?.len_utf8();
        }
    }
    None
}

/// The range of the `version` attribute's value inside the tag text.
fn version_value_range(tag: &str) -> Option<(usize, usize)> {
    let mut search = 0;
    while let Some(pos) = tag[search..].find("version") {
        let at = search + pos;
        search = at + "version".len();
        // Must be a whole attribute name, not `xmlns:version` or `myversion`.
        if !tag[..at].ends_with(char::is_whitespace) {
            continue;
        }
        let rest = tag[search..].trim_start();
        let Some(rest) = rest.strip_prefix('=') else {
            continue;
        };
        let rest_trimmed = rest.trim_start();
        let quote = rest_trimmed
            .chars()
            .next()
            .filter(|c| *c == '"' || *c == '\'')?;
        let value_start = tag.len() - rest_trimmed.len() + 1;
        let value_end = value_start + tag[value_start..].find(quote)?;
        return Some((value_start, value_end));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn adds_version_to_versionless_root() {
        let out = rss_root_as_v2(
            "<?xml version=\"1.0\"?>\n<!-- c <rss> -->\n<rss xmlns:dc=\"x\"><channel/></rss>",
        )
        .unwrap();
        assert_eq!(
            out,
            "<?xml version=\"1.0\"?>\n<!-- c <rss> -->\n<rss version=\"2.0\" xmlns:dc=\"x\"><channel/></rss>"
        );
    }

    #[test]
    fn replaces_unsupported_version() {
        assert_eq!(
            rss_root_as_v2("<rss version='2.01'><channel/></rss>").unwrap(),
            "<rss version='2.0'><channel/></rss>"
        );
    }

    #[test]
    fn escapes_only_bare_ampersands_outside_cdata() {
        let out = escape_bare_ampersands(
            "<t>AT&T &amp; R&D &#233; &#xE9; &nbsp; & x</t><![CDATA[a & b]]>",
        )
        .unwrap();
        assert_eq!(
            out,
            "<t>AT&amp;T &amp; R&amp;D &#233; &#xE9; &nbsp; &amp; x</t><![CDATA[a & b]]>"
        );
        assert_eq!(escape_bare_ampersands("<t>fine &amp; dandy</t>"), None);
    }

    #[test]
    fn leaves_supported_roots_and_other_documents_alone() {
        assert_eq!(
            rss_root_as_v2("<rss version=\"2.0\"><channel/></rss>"),
            None
        );
        assert_eq!(
            rss_root_as_v2("<feed xmlns=\"http://www.w3.org/2005/Atom\"/>"),
            None
        );
        assert_eq!(rss_root_as_v2("<rssfeed/>"), None);
    }
}
