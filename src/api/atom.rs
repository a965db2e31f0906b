//! Atom (RFC 4287): the feed's opening and closing, and one entry per story.

use std::fmt::Write as _;

use quick_xml::escape::escape;

use crate::store::StoryRow;

/// The feed element's opening: id, title, `updated` (the time of writing) and a feed-level
/// author, so entries without authors are still valid Atom.
pub fn head(id: &str, title: &str, updated: &str) -> String {
    format!(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\">\n\
         <id>{}</id>\n<title>{}</title>\n<updated>{}</updated>\n<author><name>wiredesk</name></author>\n\
         <generator>wiredesk</generator>\n",
        escape(id),
        escape(title),
        escape(updated)
    )
}

/// What closes the feed.
pub const TAIL: &str = "</feed>\n";

/// The story as an Atom entry.
pub fn entry(s: &StoryRow) -> String {
    let mut e = String::from("<entry>\n");
    let _ = writeln!(e, "<id>{}</id>", super::story_uri(s.id));
    let title = s.headline.as_deref().unwrap_or("(no headline)");
    let _ = writeln!(e, "<title>{}</title>", escape(title));
    let updated = s.updated_at.as_deref().unwrap_or(&s.first_seen_at);
    let _ = writeln!(e, "<updated>{}</updated>", escape(updated));
    if let Some(p) = &s.published_at {
        let _ = writeln!(e, "<published>{}</published>", escape(p));
    }
    for a in &s.authors {
        let _ = writeln!(e, "<author><name>{}</name></author>", escape(a));
    }
    if let Some(u) = s.canonical_url.as_ref().or(s.first_url.as_ref()) {
        let _ = writeln!(e, "<link rel=\"alternate\" href=\"{}\"/>", escape(u));
    }
    for t in &s.topics {
        let _ = writeln!(e, "<category term=\"{}\"/>", escape(t));
    }
    if let Some(c) = &s.credit {
        let _ = writeln!(e, "<rights>{}</rights>", escape(c));
    }
    if let Some(d) = &s.description {
        let _ = writeln!(e, "<summary>{}</summary>", escape(d));
    }
    let _ = writeln!(
        e,
        "<content type=\"html\">{}</content>",
        escape(&s.body_html)
    );
    e.push_str("</entry>\n");
    e
}
