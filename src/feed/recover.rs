//! Repairs for documents feed-rs rejects although they are plainly feeds. Text in, text out;
//! each repair returns `None` when it has nothing to do, so the caller can report which ones
//! were applied ([`repair`]).
//!
//! The RSS version: feed-rs 3.0 only accepts `<rss version="2.0" | "0.91" | "0.92" | "">`; a
//! root with no version or another one ("2.01", "0.94") gives `NoFeedRoot`. Such feeds are RSS
//! 2.0 in practice, so the root is rewritten to `version="2.0"`.

use std::collections::HashMap;

use super::text::{owned_str, semicolon_within};

/// Applies every repair that changes `text`, in an order where earlier ones make later ones
/// reliable, and names each one applied in `repairs`.
pub fn repair(text: &str, repairs: &mut Vec<String>) -> String {
    type Fix = fn(&str) -> Option<String>;
    let steps: [(Fix, &str); 12] = [
        (strip_leading_junk, "removed junk before the XML"),
        (strip_trailing_junk, "removed junk after the root element"),
        (remove_control_chars, "removed control characters"),
        (expand_internal_entities, "expanded internal DTD entities"),
        (
            html_entities_as_numeric,
            "replaced undeclared HTML entities",
        ),
        (escape_bare_ampersands, "escaped bare &"),
        (close_unclosed_cdata, "closed unclosed CDATA"),
        (
            known_namespaces,
            "rewrote Atom 0.3 / RSS 0.90 / default namespaces",
        ),
        (
            declare_unbound_prefixes,
            "declared unbound namespace prefixes",
        ),
        (lowercase_rss_names, "lower-cased RSS element names"),
        (rss_root_as_v2, "rss root version rewritten"),
        (close_open_elements, "closed elements left open at the end"),
    ];
    let mut current = text.to_string();
    for (fix, name) in steps {
        if let Some(fixed) = fix(&current) {
            current = fixed;
            repairs.push(name.to_string());
        }
    }
    current
}

/// Text before the XML declaration or the first tag (whitespace, a PHP warning, a BOM after
/// a newline, a comment before the declaration) removed; `None` when there is none.
pub fn strip_leading_junk(text: &str) -> Option<String> {
    let start = match text.find("<?xml") {
        Some(p) => p,
        None => text.find('<')?,
    };
    (start > 0).then(|| text[start..].to_string())
}

/// Anything after the root element's end tag removed.
pub fn strip_trailing_junk(text: &str) -> Option<String> {
    let end = ["</rss>", "</feed>", "</rdf:RDF>", "</RDF>", "</RSS>"]
        .iter()
        .filter_map(|t| text.rfind(t).map(|p| p + t.len()))
        .max()?;
    (!text[end..].trim().is_empty()).then(|| text[..end].to_string())
}

/// C0 control characters other than tab, newline and carriage return removed (XML 1.0 forbids
/// them even as references).
pub fn remove_control_chars(text: &str) -> Option<String> {
    let bad = |c: char| c < ' ' && !matches!(c, '\t' | '\n' | '\r');
    text.contains(bad).then(|| text.replace(bad, ""))
}

/// Entities declared in an internal DTD subset substituted, and the DOCTYPE removed.
pub fn expand_internal_entities(text: &str) -> Option<String> {
    let start = text.find("<!DOCTYPE")?;
    let open = start + text[start..].find(['[', '>'])?;
    if &text[open..open + 1] != "[" {
        return None;
    }
    let close = open + text[open..].find("]>")?;
    let subset = &text[open + 1..close];
    let re = regex::Regex::new(r#"<!ENTITY\s+([A-Za-z_][\w.-]*)\s+(?:"([^"]*)"|'([^']*)')\s*>"#)
        .expect("valid regex");
    let entities: HashMap<String, String> = re
        .captures_iter(subset)
        .map(|c| {
            let v = c.get(2).or_else(|| c.get(3)).map_or("", |m| m.as_str());
            (c[1].to_string(), v.to_string())
        })
        .collect();
    let mut out = String::with_capacity(text.len());
    out.push_str(&text[..start]);
    let rest = &text[close + 2..];
    let mut tail = rest;
    while let Some(p) = tail.find('&') {
        out.push_str(&tail[..p]);
        tail = &tail[p..];
        let name_end = semicolon_within(&tail[1..], 64).map(|e| e + 1);
        match name_end.and_then(|e| entities.get(&tail[1..e]).map(|v| (e, v))) {
            Some((e, v)) => {
                out.push_str(v);
                tail = &tail[e + 1..];
            }
            None => {
                out.push('&');
                tail = &tail[1..];
            }
        }
    }
    out.push_str(tail);
    Some(out)
}

/// HTML named references XML does not define (`&nbsp;`, `&eacute;`) as numeric references,
/// outside CDATA.
pub fn html_entities_as_numeric(text: &str) -> Option<String> {
    if text.contains("<!DOCTYPE") && text.contains("<!ENTITY") {
        return None;
    }
    let mut out = String::with_capacity(text.len());
    let mut changed = false;
    let mut rest = text;
    while let Some(pos) = rest.find(['&', '<']) {
        out.push_str(&rest[..pos]);
        rest = &rest[pos..];
        if rest.starts_with("<![CDATA[") {
            let end = rest.find("]]>").map_or(rest.len(), |e| e + 3);
            out.push_str(&rest[..end]);
            rest = &rest[end..];
            continue;
        }
        if rest.starts_with('<') {
            out.push('<');
            rest = &rest[1..];
            continue;
        }
        let name = semicolon_within(&rest[1..], 33)
            .filter(|e| *e > 0 && *e <= 32)
            .map(|e| &rest[1..=e])
            .filter(|n| n.chars().all(|c| c.is_ascii_alphanumeric()));
        match name {
            Some(n) if !matches!(n, "amp" | "lt" | "gt" | "quot" | "apos") => {
                match html5ever::data::NAMED_ENTITIES.get(format!("{n};").as_str()) {
                    Some(&(first, second)) => {
                        out.push_str(&format!("&#{first};"));
                        if second != 0 {
                            out.push_str(&format!("&#{second};"));
                        }
                    }
                    // Unknown: keep it readable as text.
                    None => out.push_str(&format!("&amp;{n};")),
                }
                changed = true;
                rest = &rest[n.len() + 2..];
            }
            _ => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    changed.then_some(out)
}

/// A last `<![CDATA[` without `]]>` closed before the end tag that follows it, or at the end.
pub fn close_unclosed_cdata(text: &str) -> Option<String> {
    let start = text.rfind("<![CDATA[")?;
    let body = start + "<![CDATA[".len();
    if text[body..].contains("]]>") {
        return None;
    }
    let end = text[body..].find("</").map_or(text.len(), |p| body + p);
    Some(format!("{}]]>{}", &text[..end], &text[end..]))
}

/// Atom 0.3 and RSS 0.90 namespaces as their successors', and a default namespace on an
/// `<rss>` or `<channel>` removed (feed-rs then does not see RSS elements).
pub fn known_namespaces(text: &str) -> Option<String> {
    let mut out = text
        .replace("http://purl.org/atom/ns#", "http://www.w3.org/2005/Atom")
        .replace(
            "http://my.netscape.com/rdf/simple/0.9/",
            "http://purl.org/rss/1.0/",
        );
    let re = regex::Regex::new(r#"(<(?:rss|channel)\b[^>]*?)\s+xmlns\s*=\s*("[^"]*"|'[^']*')"#)
        .expect("valid regex");
    if re.is_match(&out) {
        out = re.replace_all(&out, "$1").into_owned();
    }
    (out != text).then_some(out)
}

/// Well-known prefixes (dc, content, media, atom, itunes, …) used but never declared get a
/// declaration on the root element.
pub fn declare_unbound_prefixes(text: &str) -> Option<String> {
    const KNOWN: [(&str, &str); 8] = [
        ("dc", "http://purl.org/dc/elements/1.1/"),
        ("content", "http://purl.org/rss/1.0/modules/content/"),
        ("media", "http://search.yahoo.com/mrss/"),
        ("atom", "http://www.w3.org/2005/Atom"),
        ("itunes", "http://www.itunes.com/dtds/podcast-1.0.dtd"),
        ("slash", "http://purl.org/rss/1.0/modules/slash/"),
        ("wfw", "http://wellformedweb.org/CommentAPI/"),
        ("sy", "http://purl.org/rss/1.0/modules/syndication/"),
    ];
    let missing: Vec<String> = KNOWN
        .iter()
        .filter(|(p, _)| text.contains(&format!("<{p}:")) && !text.contains(&format!("xmlns:{p}=")))
        .map(|(p, ns)| format!(" xmlns:{p}=\"{ns}\""))
        .collect();
    if missing.is_empty() {
        return None;
    }
    let root = find_root(text)?;
    let name_end =
        root + 1 + text[root + 1..].find(|c: char| c.is_whitespace() || c == '>' || c == '/')?;
    Some(format!(
        "{}{}{}",
        &text[..name_end],
        missing.concat(),
        &text[name_end..]
    ))
}

/// `<RSS>`, `<Channel>`, `<ITEM>`, `<Title>` … in lower case (feed-rs compares names exactly).
pub fn lowercase_rss_names(text: &str) -> Option<String> {
    let re = regex::Regex::new(
        r"(?i)<(/?)(rss|channel|item|title|link|description|guid|pubdate|category|author|enclosure|language)\b",
    )
    .expect("valid regex");
    let mut changed = false;
    let out = re.replace_all(text, |c: &regex::Captures<'_>| {
        let name = if c[2].eq_ignore_ascii_case("pubdate") {
            "pubDate".to_string()
        } else {
            c[2].to_ascii_lowercase()
        };
        if name != c[2] {
            changed = true;
        }
        format!("<{}{}", &c[1], name)
    });
    changed.then(|| out.into_owned())
}

/// A truncated document completed: a partial tag at the end cut off, and end tags appended for
/// every element still open.
pub fn close_open_elements(text: &str) -> Option<String> {
    let mut reader = quick_xml::Reader::from_str(text);
    {
        let config = reader.config_mut();
        config.allow_dangling_amp = true;
        config.check_end_names = false;
        config.allow_unmatched_ends = true;
    }
    let mut stack: Vec<String> = Vec::new();
    let mut good_end;
    loop {
        good_end = reader.buffer_position() as usize;
        match reader.read_event() {
            Ok(quick_xml::events::Event::Start(e)) => stack.push(owned_str(e.name().as_ref())),
            Ok(quick_xml::events::Event::End(e)) => {
                // An end tag closes its element and whatever was left open inside it; one
                // that matches nothing is ignored.
                let name = owned_str(e.name().as_ref());
                if let Some(pos) = stack.iter().rposition(|n| *n == name) {
                    stack.truncate(pos);
                }
            }
            Ok(quick_xml::events::Event::Eof) => {
                good_end = text.len();
                break;
            }
            Ok(_) => {}
            Err(_) => break,
        }
    }
    if stack.is_empty() {
        return None;
    }
    let mut out = text[..good_end.min(text.len())].to_string();
    // A partial tag (`</li`, `<pubDa`) at the end is dropped.
    if let Some(lt) = out.rfind('<')
        && !out[lt..].contains('>')
    {
        out.truncate(lt);
    }
    for name in stack.iter().rev() {
        out.push_str(&format!("</{name}>"));
    }
    Some(out)
}

/// Byte offset of the root element's `<`.
fn find_root(text: &str) -> Option<usize> {
    let mut i = 0;
    while i < text.len() {
        let rest = &text[i..];
        if rest.starts_with("<?") {
            i += rest.find("?>")? + 2;
        } else if rest.starts_with("<!--") {
            i += rest.find("-->")? + 3;
        } else if rest.starts_with("<!") {
            i += rest.find('>')? + 1;
        } else if rest.starts_with('<') {
            return Some(i);
        } else {
            i += rest.chars().next()?.len_utf8();
        }
    }
    None
}

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
    let Some(end) = semicolon_within(body, 33) else {
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
    fn strips_junk_around_the_document() {
        assert_eq!(
            strip_leading_junk("Warning: x in y.php\n<?xml version=\"1.0\"?><rss/>").unwrap(),
            "<?xml version=\"1.0\"?><rss/>"
        );
        assert_eq!(strip_leading_junk("<rss/>"), None);
        assert_eq!(
            strip_trailing_junk("<rss></rss>\n<script>x</script>").unwrap(),
            "<rss></rss>"
        );
        assert_eq!(strip_trailing_junk("<rss></rss>\n"), None);
    }

    #[test]
    fn closes_cdata_and_truncated_elements() {
        assert_eq!(
            close_unclosed_cdata("<d><![CDATA[a & b</d></rss>").unwrap(),
            "<d><![CDATA[a & b]]></d></rss>"
        );
        assert_eq!(
            close_unclosed_cdata("<d><![CDATA[a").unwrap(),
            "<d><![CDATA[a]]>"
        );
        assert_eq!(close_unclosed_cdata("<d><![CDATA[a]]></d>"), None);
        assert_eq!(
            close_open_elements("<rss><channel><item><title>Cut</ti").unwrap(),
            "<rss><channel><item><title>Cut</title></item></channel></rss>"
        );
        // An unclosed <br> inside a closed element needs nothing appended.
        assert_eq!(close_open_elements("<rss><d>a<br>b</d></rss>"), None);
    }

    #[test]
    fn rewrites_entities_the_xml_parser_rejects() {
        assert_eq!(
            html_entities_as_numeric("<t>a&nbsp;b &amp; &bogus; <![CDATA[&nbsp;]]></t>").unwrap(),
            "<t>a&#160;b &amp; &amp;bogus; <![CDATA[&nbsp;]]></t>"
        );
        assert_eq!(
            expand_internal_entities(
                "<!DOCTYPE rss [<!ENTITY stn \"KXYZ\">]><rss><t>&stn; &amp;</t></rss>"
            )
            .unwrap(),
            "<rss><t>KXYZ &amp;</t></rss>"
        );
        assert_eq!(remove_control_chars("a\u{1}b\tc").unwrap(), "ab\tc");
    }

    #[test]
    fn rewrites_old_and_default_namespaces_and_declares_prefixes() {
        assert_eq!(
            known_namespaces("<feed xmlns=\"http://purl.org/atom/ns#\"/>").unwrap(),
            "<feed xmlns=\"http://www.w3.org/2005/Atom\"/>"
        );
        assert_eq!(
            known_namespaces("<rss version=\"2.0\" xmlns=\"http://backend.userland.com/rss2\">")
                .unwrap(),
            "<rss version=\"2.0\">"
        );
        assert_eq!(
            declare_unbound_prefixes("<rss><item><dc:creator>A</dc:creator></item></rss>").unwrap(),
            "<rss xmlns:dc=\"http://purl.org/dc/elements/1.1/\"><item><dc:creator>A</dc:creator></item></rss>"
        );
        let mut applied = Vec::new();
        let fixed = repair(
            "<RSS><Channel><ITEM><TITLE>AT&T</TITLE></ITEM>",
            &mut applied,
        );
        assert_eq!(
            fixed,
            "<rss version=\"2.0\"><channel><item><title>AT&amp;T</title></item></channel></rss>"
        );
        assert_eq!(
            applied,
            vec![
                "escaped bare &",
                "lower-cased RSS element names",
                "rss root version rewritten",
                "closed elements left open at the end"
            ]
        );
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
