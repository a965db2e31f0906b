//! Feed archives (RFC 5005): the feed-level `<link rel="prev-archive" href="…">` that points
//! from a feed document to the archive document before it. Bytes in, a URL out; no network.
//!
//! `ParsedFeed` does not carry feed-level links (feed-rs exposes them for Atom only, and our
//! lenient scanner not at all), so this reads them straight from the XML: an Atom `<link>` or
//! an `<atom:link>` in an RSS channel, outside any entry or item. Read leniently: a document
//! that breaks off after the link still yields it.

use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};
use url::Url;

use super::text::owned_str;

/// The feed's `prev-archive` link, resolved against `base`, when it is an http(s) URL.
pub fn prev_archive(bytes: &[u8], base: Option<&Url>) -> Option<Url> {
    let unpacked = crate::compression::unpack(bytes, crate::config::DEFAULT_MAX_BODY_BYTES).ok()?;
    let text = crate::charset::decode_xml(&unpacked, None);
    let mut reader = Reader::from_str(&text);
    reader.config_mut().check_end_names = false;
    reader.config_mut().allow_dangling_amp = true;
    // How deep inside entries/items we are (their links are the entries' own).
    let mut in_entry = 0usize;
    loop {
        match reader.read_event().ok()? {
            Event::Start(e) => {
                let name = e.local_name().into_inner();
                if matches!(name, "entry" | "item") {
                    in_entry += 1;
                } else if in_entry == 0
                    && let Some(url) = archive_link(&e, base)
                {
                    return Some(url);
                }
            }
            Event::Empty(e) if in_entry == 0 => {
                if let Some(url) = archive_link(&e, base) {
                    return Some(url);
                }
            }
            Event::End(e) if matches!(e.local_name().into_inner(), "entry" | "item") => {
                in_entry = in_entry.saturating_sub(1);
            }
            Event::Eof => return None,
            _ => {}
        }
    }
}

fn archive_link(e: &BytesStart<'_>, base: Option<&Url>) -> Option<Url> {
    if e.local_name().into_inner() != "link" {
        return None;
    }
    let mut rel = None;
    let mut href = None;
    for a in e.attributes().with_checks(false).flatten() {
        let value = quick_xml::escape::unescape(&owned_str(&a.value))
            .map(|c| c.into_owned())
            .unwrap_or_default();
        match a.key.local_name().into_inner() {
            "rel" => rel = Some(value),
            "href" => href = Some(value),
            _ => {}
        }
    }
    if !rel?
        .split_whitespace()
        .any(|r| r.eq_ignore_ascii_case("prev-archive"))
    {
        return None;
    }
    let href = href?;
    let url = match base {
        Some(b) => b.join(href.trim()),
        None => Url::parse(href.trim()),
    }
    .ok()?;
    matches!(url.scheme(), "http" | "https").then_some(url)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn atom_prev_archive_is_found_and_resolved() {
        let xml = br#"<feed xmlns="http://www.w3.org/2005/Atom">
  <link rel="self" href="https://kvia.com/feed.atom"/>
  <link rel="prev-archive" href="/archive/2024-02.atom"/>
  <entry><link rel="prev-archive" href="https://kvia.com/wrong"/></entry>
</feed>"#;
        let base = Url::parse("https://kvia.com/feed.atom").unwrap();
        assert_eq!(
            prev_archive(xml, Some(&base)).unwrap().as_str(),
            "https://kvia.com/archive/2024-02.atom"
        );
    }

    #[test]
    fn rss_atom_link_counts_and_item_links_do_not() {
        let xml = br#"<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom"><channel>
  <item><atom:link rel="prev-archive" href="https://kvia.com/item-level"/></item>
  <atom:link rel="prev-archive" href="https://kvia.com/feed?archive=2"/>
</channel></rss>"#;
        assert_eq!(
            prev_archive(xml, None).unwrap().as_str(),
            "https://kvia.com/feed?archive=2"
        );
        let none = br#"<rss><channel><item><link>https://kvia.com/a</link></item></channel></rss>"#;
        assert_eq!(prev_archive(none, None), None);
    }
}
