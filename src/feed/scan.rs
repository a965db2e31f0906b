//! The last resort: a lenient item scanner over quick-xml events, for documents no repair
//! makes acceptable to feed-rs (mismatched or missing end tags, truncation, mixed-case names,
//! unbound prefixes).
//!
//! Text in, items out. End tags are matched by name against the open elements (an end tag
//! nothing matches is ignored, an element left open is closed by its parent's end), element
//! names compare case-insensitively without prefix, and an item still open at the end of the
//! text is kept. An `<item>`/`<entry>` opened inside another is an entry of its own: the outer
//! one is set aside while the inner is open and takes its fields again after it closes (a CMS
//! that writes items inside items, or an item left unclosed), and items come out in the order
//! they opened.

use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};

use super::text::{clean_text, owned_str};

/// One item as the scanner saw it: raw field texts, interpreted by the caller.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ScannedItem {
    /// `<title>`.
    pub title: Option<String>,
    /// The last `<link>` text or alternate `href` (a later one replaces an earlier one).
    pub link: Option<String>,
    /// `<guid>`/`<id>`.
    pub guid: Option<String>,
    /// True when the guid says `isPermaLink="false"`.
    pub guid_not_permalink: bool,
    /// `rdf:about`.
    pub about: Option<String>,
    /// `<description>`/`<summary>`.
    pub summary: Option<String>,
    /// `content:encoded`/`<content>`/`<body>`.
    pub content: Option<String>,
    /// The first date element's text (pubDate, dc:date, published, issued, created).
    pub published: Option<String>,
    /// `updated`/`modified`.
    pub updated: Option<String>,
    /// Author names.
    pub authors: Vec<String>,
    /// Category terms.
    pub categories: Vec<String>,
}

/// What the scanner found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Scan {
    /// The root element's local name, lower case.
    pub root: Option<String>,
    /// The channel's / feed's title.
    pub title: Option<String>,
    /// Items and entries in document order.
    pub items: Vec<ScannedItem>,
}

/// Elements whose content is text only: a start tag of one of these inside another means the
/// other was left unclosed.
const LEAF_FIELDS: [&str; 14] = [
    "title",
    "link",
    "guid",
    "id",
    "pubdate",
    "date",
    "published",
    "updated",
    "issued",
    "modified",
    "created",
    "category",
    "creator",
    "comments",
];

struct Open {
    name: String,
}

/// An item being read: its fields so far, the element depth it opened at, and its slot in
/// [`Scan::items`] (reserved when it opened, so nested items keep document order).
struct OpenItem {
    it: ScannedItem,
    depth: usize,
    slot: usize,
}

struct Field {
    name: String,
    depth: usize,
    text: String,
    /// Text of a `<name>` child (Atom author).
    child_name: String,
}

/// Scans `text` for items.
pub fn scan(text: &str) -> Scan {
    let mut reader = Reader::from_str(text);
    {
        let config = reader.config_mut();
        config.check_end_names = false;
        config.allow_unmatched_ends = true;
        config.allow_dangling_amp = true;
        config.check_comments = false;
    }
    let mut out = Scan::default();
    let mut stack: Vec<Open> = Vec::new();
    // Open items, innermost last; fields go to the innermost.
    let mut items: Vec<OpenItem> = Vec::new();
    let mut field: Option<Field> = None;
    let mut feed_title: Option<Field> = None;
    let mut in_name = false;
    let mut errors = 0;
    loop {
        let event = match reader.read_event() {
            Ok(Event::Eof) => break,
            Ok(e) => e,
            Err(_) => {
                // quick-xml resumes after most errors; give up only when it keeps failing.
                errors += 1;
                if errors > 1000 {
                    break;
                }
                continue;
            }
        };
        match event {
            Event::Start(e) => {
                let name = local(&e);
                if out.root.is_none() {
                    out.root = Some(name.clone());
                }
                start_element(
                    &e,
                    &name,
                    &mut stack,
                    &mut items,
                    &mut field,
                    &mut feed_title,
                    &mut out,
                );
                in_name = field.as_ref().is_some_and(|f| f.name == "author") && name == "name";
                stack.push(Open { name });
            }
            Event::Empty(e) => {
                let name = local(&e);
                if out.root.is_none() {
                    out.root = Some(name.clone());
                }
                if let Some(open) = items.last_mut()
                    && field.is_none()
                    && stack.len() == open.depth + 1
                    && name != "item"
                    && name != "entry"
                {
                    empty_field(&e, &name, &mut open.it);
                } else if name == "item" || name == "entry" {
                    out.items.push(opened_item(&e));
                }
            }
            Event::End(e) => {
                let name = e.local_name();
                let name = owned_str(name.as_ref()).to_ascii_lowercase();
                in_name = false;
                let Some(pos) = stack.iter().rposition(|o| o.name == name) else {
                    continue;
                };
                stack.truncate(pos);
                close_to(
                    stack.len(),
                    &mut items,
                    &mut field,
                    &mut feed_title,
                    &mut out,
                );
            }
            Event::Text(t) => {
                let s = t.xml10_content();
                push_text(&s, in_name, &mut field, &mut feed_title);
            }
            Event::CData(c) => {
                let s = owned_str(&c.into_inner());
                push_text(&s, in_name, &mut field, &mut feed_title);
            }
            Event::GeneralRef(r) => {
                let name = r.xml10_content();
                let s = match r.resolve_char_ref() {
                    Ok(Some(c)) => c.to_string(),
                    _ => match &*name {
                        "amp" => "&".into(),
                        "lt" => "<".into(),
                        "gt" => ">".into(),
                        "quot" => "\"".into(),
                        "apos" => "'".into(),
                        other => clean_text(&format!("&{other};")).into_owned(),
                    },
                };
                push_text(&s, in_name, &mut field, &mut feed_title);
            }
            _ => {}
        }
    }
    close_to(0, &mut items, &mut field, &mut feed_title, &mut out);
    out
}

#[allow(clippy::too_many_arguments)]
fn start_element(
    e: &BytesStart<'_>,
    name: &str,
    stack: &mut Vec<Open>,
    items: &mut Vec<OpenItem>,
    field: &mut Option<Field>,
    feed_title: &mut Option<Field>,
    out: &mut Scan,
) {
    if name == "item" || name == "entry" {
        // Items do not nest: the open one keeps what it has (a field left open in it ends
        // here) and resumes when this one closes.
        if let Some(outer) = items.last_mut() {
            if let Some(f) = field.take() {
                store_field(&mut outer.it, f);
            }
            stack.truncate(outer.depth + 1);
        }
        out.items.push(ScannedItem::default());
        items.push(OpenItem {
            it: opened_item(e),
            depth: stack.len(),
            slot: out.items.len() - 1,
        });
        return;
    }
    let Some(OpenItem { it, depth, .. }) = items.last_mut() else {
        if name == "title"
            && feed_title.is_none()
            && out.title.is_none()
            && stack.len() <= 2
            && stack
                .last()
                .is_some_and(|o| matches!(o.name.as_str(), "channel" | "feed"))
        {
            *feed_title = Some(Field {
                name: name.into(),
                depth: stack.len(),
                text: String::new(),
                child_name: String::new(),
            });
        }
        return;
    };
    let depth = *depth;
    if let Some(f) = field.as_ref()
        && LEAF_FIELDS.contains(&name)
        && LEAF_FIELDS.contains(&f.name.as_str())
    {
        // `<category>a<title>b`: the category was never closed.
        stack.truncate(depth + 1);
        let f = field.take().expect("checked");
        store_field(it, f);
    }
    if stack.len() == depth + 1 && field.is_none() {
        let mut name = name;
        if name == "link"
            && let Some(href) = attr(e, "href")
        {
            if matches!(attr(e, "rel").as_deref(), None | Some("alternate")) {
                it.link = Some(href);
            }
            // An href beats the element's own text (`<link href="a">b</link>` links to a).
            name = "link@href";
        }
        if name == "guid" {
            it.guid_not_permalink =
                attr(e, "ispermalink").is_some_and(|v| v.eq_ignore_ascii_case("false"));
        }
        *field = Some(Field {
            name: name.to_string(),
            depth: stack.len(),
            text: String::new(),
            child_name: String::new(),
        });
    }
}

/// What an item's own start tag says: RSS 1.0's `rdf:about`, and CDF's `HREF` (the item's
/// link) and `LASTMOD` (when it last changed), which CDF writes as attributes.
fn opened_item(e: &BytesStart<'_>) -> ScannedItem {
    ScannedItem {
        about: attr(e, "about"),
        link: attr(e, "href"),
        updated: attr(e, "lastmod"),
        ..ScannedItem::default()
    }
}

fn empty_field(e: &BytesStart<'_>, name: &str, it: &mut ScannedItem) {
    if name == "link"
        && matches!(attr(e, "rel").as_deref(), None | Some("alternate"))
        && let Some(href) = attr(e, "href")
    {
        it.link = Some(href);
    }
}

fn push_text(s: &str, in_name: bool, field: &mut Option<Field>, feed_title: &mut Option<Field>) {
    if let Some(f) = field.as_mut() {
        if in_name {
            f.child_name.push_str(s);
        }
        if f.text.len() < 4 << 20 {
            f.text.push_str(s);
        }
    } else if let Some(t) = feed_title.as_mut() {
        t.text.push_str(s);
    }
}

/// Closes the field, feed title and items that were open at or below `depth`.
fn close_to(
    depth: usize,
    items: &mut Vec<OpenItem>,
    field: &mut Option<Field>,
    feed_title: &mut Option<Field>,
    out: &mut Scan,
) {
    if let Some(t) = feed_title.as_ref()
        && t.depth >= depth
    {
        let t = feed_title.take().expect("checked");
        let title = t.text.trim().to_string();
        if !title.is_empty() {
            out.title = Some(title);
        }
    }
    if let Some(f) = field.as_ref()
        && f.depth >= depth
        && let Some(open) = items.last_mut()
    {
        let f = field.take().expect("checked");
        store_field(&mut open.it, f);
    }
    while items.last().is_some_and(|open| open.depth >= depth) {
        let mut open = items.pop().expect("checked");
        if let Some(f) = field.take() {
            store_field(&mut open.it, f);
        }
        out.items[open.slot] = open.it;
    }
}

fn store_field(it: &mut ScannedItem, f: Field) {
    let text = f.text.trim().to_string();
    let set = |slot: &mut Option<String>, v: String| {
        if slot.is_none() && !v.is_empty() {
            *slot = Some(v);
        }
    };
    match f.name.as_str() {
        "title" => set(&mut it.title, text),
        // A later link replaces an earlier one, as in feedparser.
        "link" if !text.is_empty() => it.link = Some(text),
        "guid" | "id" => set(&mut it.guid, text),
        "description" | "summary" | "abstract" => set(&mut it.summary, text),
        "encoded" | "content" | "body" => set(&mut it.content, text),
        "pubdate" | "date" | "published" | "issued" | "created" => set(&mut it.published, text),
        "updated" | "modified" => set(&mut it.updated, text),
        "author" | "creator" => {
            let name = f.child_name.trim();
            let name = if name.is_empty() {
                text
            } else {
                name.to_string()
            };
            if !name.is_empty() && !it.authors.contains(&name) {
                it.authors.push(name);
            }
        }
        "category" | "subject" if !text.is_empty() && !it.categories.contains(&text) => {
            it.categories.push(text);
        }
        _ => {}
    }
}

fn local(e: &BytesStart<'_>) -> String {
    owned_str(e.local_name().as_ref()).to_ascii_lowercase()
}

/// An attribute's value by local name, case-insensitive.
fn attr(e: &BytesStart<'_>, want: &str) -> Option<String> {
    for a in e.attributes().with_checks(false).flatten() {
        let key = a.key.local_name();
        if owned_str(key.as_ref()).eq_ignore_ascii_case(want) {
            let raw = owned_str(&a.value);
            let v = quick_xml::escape::unescape(&raw)
                .map(|c| c.into_owned())
                .unwrap_or(raw);
            let v = v.trim().to_string();
            return (!v.is_empty()).then_some(v);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recovers_items_from_mismatched_and_missing_end_tags() {
        let xml = "<rss><channel><title>Chan</title>\
            <item><title>One</titel><link>https://e.example/1</link></itme>\
            <item><TITLE>Two</TITLE><Link>https://e.example/2</Link>\
            <category>x<title>ignored second title</title></item>\
            <item><title>Three</title><link>https://e.example/3";
        let s = scan(xml);
        assert_eq!(s.root.as_deref(), Some("rss"));
        assert_eq!(s.title.as_deref(), Some("Chan"));
        let links: Vec<_> = s.items.iter().map(|i| i.link.as_deref()).collect();
        assert_eq!(
            links,
            vec![
                Some("https://e.example/1"),
                Some("https://e.example/2"),
                Some("https://e.example/3")
            ]
        );
        assert_eq!(s.items[1].title.as_deref(), Some("Two"));
        assert_eq!(s.items[1].categories, vec!["x".to_string()]);
    }

    #[test]
    fn nested_items_are_entries_of_their_own_and_the_outer_keeps_its_later_fields() {
        let xml = "<rss><channel>\
            <item><title>A</title>\
              <item><title>B</title><link>https://e.example/b</link>\
                <entry><title>C</title><link href=\"https://e.example/c\"/></entry>\
              <guid>gb</guid></item>\
            <link>https://e.example/a</link><guid>ga</guid></item>\
            <item><title>D<item/><link>https://e.example/d</link></item>\
            </channel></rss>";
        let s = scan(xml);
        let got: Vec<_> = s
            .items
            .iter()
            .map(|i| (i.title.as_deref(), i.link.as_deref(), i.guid.as_deref()))
            .collect();
        assert_eq!(
            got,
            vec![
                (Some("A"), Some("https://e.example/a"), Some("ga")),
                (Some("B"), Some("https://e.example/b"), Some("gb")),
                (Some("C"), Some("https://e.example/c"), None),
                // An unclosed title ends where the next item starts; the empty item is one too.
                (Some("D"), Some("https://e.example/d"), None),
                (None, None, None),
            ]
        );
    }

    #[test]
    fn reads_atom_links_guids_and_authors() {
        let xml = r#"<feed><entry><link rel="replies" href="r"/><link href="https://e.example/a"/>
            <id>tag:x</id><author><name>Ann</name><email>a@e</email></author>
            <updated>2023-12-16T14:02:33Z</updated></entry>
            <entry><guid isPermaLink="false">u1</guid></entry></feed>"#;
        let s = scan(xml);
        assert_eq!(s.items.len(), 2);
        assert_eq!(s.items[0].link.as_deref(), Some("https://e.example/a"));
        assert_eq!(s.items[0].authors, vec!["Ann".to_string()]);
        assert_eq!(s.items[0].updated.as_deref(), Some("2023-12-16T14:02:33Z"));
        assert!(s.items[1].guid_not_permalink);
        assert!(!s.items[0].guid_not_permalink);
    }
}
