//! Wire formats feedparser does not read: IPTC NewsML-G2 (`newsItem`, `packageItem`, a
//! `newsMessage` of them), IPTC ninjs 1.x/2.x/3.x JSON, and Google News sitemaps. Text or JSON
//! in, [`ParsedFeed`] out.
//!
//! A wire item's `version` and `pubstatus` matter downstream: a higher version supersedes the
//! story, a canceled one kills it. Both are kept on [`FeedItem`] as given.

use quick_xml::Reader;
use quick_xml::events::Event;
use serde_json::Value;
use url::Url;

use super::FeedError;
use super::ids::stable_id;
use super::links::resolve;
use super::parse_date;
use super::text::owned_str;
use crate::model::{FeedFormat, FeedItem, ParsedFeed, PubStatus};

/// Elements deeper than this are skipped (hostile nesting must not exhaust the stack).
const MAX_DEPTH: usize = 256;

/// A small element tree by local name; enough to query the few paths these formats use.
#[derive(Debug, Default)]
struct Node {
    name: String,
    attrs: Vec<(String, String)>,
    children: Vec<Node>,
    text: String,
    /// Byte range of the element's content in the source.
    inner: (usize, usize),
}

impl Node {
    fn child(&self, name: &str) -> Option<&Node> {
        self.children.iter().find(|c| c.name == name)
    }
    fn all<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Node> + 'a {
        self.children.iter().filter(move |c| c.name == name)
    }
    fn attr(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
    fn path(&self, names: &[&str]) -> Option<&Node> {
        names.iter().try_fold(self, |n, name| n.child(name))
    }
    fn text_of(&self, names: &[&str]) -> Option<String> {
        let t = self.path(names)?.text.trim().to_string();
        (!t.is_empty()).then_some(t)
    }
    /// The text of a `<name>` child, else the element's own text.
    fn name_text(&self) -> Option<String> {
        self.text_of(&["name"]).or_else(|| {
            let t = self.text.trim();
            (!t.is_empty()).then(|| t.to_string())
        })
    }
}

fn tree(text: &str) -> Result<Node, FeedError> {
    let mut reader = Reader::from_str(text);
    reader.config_mut().allow_dangling_amp = true;
    let mut stack: Vec<Node> = vec![Node::default()];
    let mut skipped = 0usize;
    loop {
        let before = reader.buffer_position() as usize;
        let event = reader.read_event().map_err(|e| {
            let (line, column) =
                super::error::line_column(text.as_bytes(), reader.error_position() as usize);
            FeedError::Xml {
                line,
                column,
                message: e.to_string(),
            }
        })?;
        let after = reader.buffer_position() as usize;
        match event {
            Event::Start(e) => {
                if stack.len() > MAX_DEPTH || skipped > 0 {
                    skipped += 1;
                    continue;
                }
                let mut node = element(&e);
                node.inner = (after, after);
                stack.push(node);
            }
            Event::Empty(e) if stack.len() <= MAX_DEPTH && skipped == 0 => {
                let node = element(&e);
                if let Some(parent) = stack.last_mut() {
                    parent.children.push(node);
                }
            }
            Event::End(_) => {
                if skipped > 0 {
                    skipped -= 1;
                    continue;
                }
                if stack.len() > 1 {
                    let mut node = stack.pop().expect("len > 1");
                    node.inner.1 = before;
                    if let Some(parent) = stack.last_mut() {
                        parent.children.push(node);
                    }
                }
            }
            Event::Text(t) if skipped == 0 => {
                if let Some(n) = stack.last_mut() {
                    n.text.push_str(&t.xml10_content());
                }
            }
            Event::CData(c) if skipped == 0 => {
                if let Some(n) = stack.last_mut() {
                    n.text.push_str(&owned_str(&c.into_inner()));
                }
            }
            Event::GeneralRef(r) if skipped == 0 => {
                let s = match r.resolve_char_ref() {
                    Ok(Some(c)) => c.to_string(),
                    _ => match &*r.xml10_content() {
                        "amp" => "&".into(),
                        "lt" => "<".into(),
                        "gt" => ">".into(),
                        "quot" => "\"".into(),
                        "apos" => "'".into(),
                        other => format!("&{other};"),
                    },
                };
                if let Some(n) = stack.last_mut() {
                    n.text.push_str(&s);
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    // Close anything left open (a truncated document keeps what it has).
    while stack.len() > 1 {
        let node = stack.pop().expect("len > 1");
        if let Some(parent) = stack.last_mut() {
            parent.children.push(node);
        }
    }
    Ok(stack.pop().unwrap_or_default())
}

fn element(e: &quick_xml::events::BytesStart<'_>) -> Node {
    let name = owned_str(e.local_name().as_ref());
    let attrs = e
        .attributes()
        .with_checks(false)
        .flatten()
        .map(|a| {
            let k = owned_str(a.key.local_name().as_ref());
            let raw = owned_str(&a.value);
            let v = quick_xml::escape::unescape(&raw)
                .map(|c| c.into_owned())
                .unwrap_or(raw);
            (k, v)
        })
        .collect();
    Node {
        name,
        attrs,
        ..Node::default()
    }
}

/// The part of a qcode after its scheme alias: `stat:canceled` → `canceled`.
fn qcode_value(q: &str) -> &str {
    q.rsplit(':').next().unwrap_or(q).trim()
}

fn pubstatus(s: &str) -> Option<PubStatus> {
    match qcode_value(s).to_ascii_lowercase().as_str() {
        "usable" => Some(PubStatus::Usable),
        "withheld" => Some(PubStatus::Withheld),
        "canceled" | "cancelled" => Some(PubStatus::Canceled),
        _ => None,
    }
}

fn strip_by(byline: &str) -> String {
    let t = byline.trim();
    let lower = t.to_ascii_lowercase();
    if lower.starts_with("by ") {
        t[3..].trim().to_string()
    } else {
        t.to_string()
    }
}

fn escape_html(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// Plain text as paragraphs of HTML.
fn text_as_html(s: &str) -> Option<String> {
    let paras: Vec<String> = s
        .split("\n\n")
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(|p| format!("<p>{}</p>", escape_html(p)))
        .collect();
    (!paras.is_empty()).then(|| paras.concat())
}

/// Parses a NewsML-G2 `newsItem`, `packageItem` or `newsMessage`.
pub fn parse_g2(text: &str, base: Option<&Url>) -> Result<ParsedFeed, FeedError> {
    let root = tree(text)?;
    let mut items = Vec::new();
    let mut title = None;
    for top in &root.children {
        match top.name.as_str() {
            "newsItem" => items.push(g2_news_item(top, text, base)),
            "packageItem" => {
                title = title.or_else(|| top.text_of(&["contentMeta", "headline"]));
                items.extend(g2_package_refs(top));
            }
            "newsMessage" => {
                for set in top.all("itemSet") {
                    for it in &set.children {
                        match it.name.as_str() {
                            "newsItem" => items.push(g2_news_item(it, text, base)),
                            "packageItem" => items.extend(g2_package_refs(it)),
                            _ => {}
                        }
                    }
                }
            }
            _ => {}
        }
    }
    Ok(ParsedFeed {
        format: FeedFormat::NewsMlG2,
        title,
        language: None,
        items,
        repairs: Vec::new(),
        ttl_minutes: None,
    })
}

fn g2_news_item(item: &Node, source: &str, base: Option<&Url>) -> FeedItem {
    let meta = item.child("itemMeta");
    let content = item.child("contentMeta");
    let guid = item.attr("guid").map(str::trim).map(str::to_string);
    let version = item.attr("version").and_then(|v| v.trim().parse().ok());
    let get = |n: Option<&Node>, path: &[&str]| n.and_then(|n| n.text_of(path));
    let title = get(content, &["headline"]);
    let by = get(content, &["by"]);
    let mut authors: Vec<String> = content
        .into_iter()
        .flat_map(|c| c.all("creator"))
        .filter_map(Node::name_text)
        .collect();
    if authors.is_empty()
        && let Some(by) = &by
    {
        authors.push(strip_by(by));
    }
    let categories = content
        .into_iter()
        .flat_map(|c| c.all("subject"))
        .filter_map(Node::name_text)
        .collect();
    let located = content
        .and_then(|c| c.child("located"))
        .and_then(Node::name_text);
    let signals = meta
        .into_iter()
        .flat_map(|m| m.all("signal"))
        .filter_map(|s| s.attr("qcode").or(s.attr("literal")))
        .map(|q| qcode_value(q).to_string())
        .collect();
    let status = meta
        .and_then(|m| m.child("pubStatus"))
        .and_then(|p| p.attr("qcode").or(p.attr("literal")))
        .and_then(pubstatus);
    let mut link = None;
    let mut body = None;
    if let Some(set) = item.child("contentSet") {
        for c in &set.children {
            match c.name.as_str() {
                "inlineXML" if body.is_none() => body = inline_xml_body(c, source),
                "inlineData" if body.is_none() => {
                    let raw = c.text.trim();
                    let decoded = if c.attr("encoding") == Some("base64") {
                        base64_decode(raw).and_then(|b| String::from_utf8(b).ok())
                    } else {
                        Some(raw.to_string())
                    };
                    body = decoded.as_deref().and_then(text_as_html);
                }
                "remoteContent" if link.is_none() => {
                    let html = c.attr("contenttype").is_some_and(|t| t.contains("html"))
                        || c.attr("rendition").is_some_and(|r| r.ends_with("html"));
                    if html && let Some(href) = c.attr("href") {
                        link = Some(resolve(href, base));
                    }
                }
                _ => {}
            }
        }
    }
    let published = get(meta, &["firstCreated"])
        .or_else(|| get(meta, &["versionCreated"]))
        .as_deref()
        .and_then(parse_date);
    let updated = get(meta, &["versionCreated"])
        .as_deref()
        .and_then(parse_date);
    let summary = get(content, &["description"]);
    let id = stable_id(
        guid.as_deref(),
        link.as_deref(),
        title.as_deref(),
        published,
        body.as_deref(),
    );
    FeedItem {
        id,
        guid,
        link,
        title,
        summary,
        content_html: body,
        authors,
        categories,
        published,
        updated,
        published_raw: get(meta, &["firstCreated"]).or_else(|| get(meta, &["versionCreated"])),
        pubstatus: status,
        version,
        dateline: get(content, &["dateline"]),
        located,
        signals,
        embargoed: get(meta, &["embargoed"]).as_deref().and_then(parse_date),
        ..FeedItem::default()
    }
}

/// The XHTML body of an `inlineXML`: the content of its `<body>`, else all of it.
fn inline_xml_body(node: &Node, source: &str) -> Option<String> {
    let (from, to) = node.inner;
    let inner = source.get(from..to)?;
    let body = match (inner.find("<body"), inner.rfind("</body>")) {
        (Some(s), Some(e)) if s < e => {
            let open_end = s + inner[s..].find('>')? + 1;
            inner.get(open_end..e)?
        }
        _ => inner,
    };
    let body = body.trim();
    (!body.is_empty()).then(|| body.to_string())
}

fn g2_package_refs(pkg: &Node) -> Vec<FeedItem> {
    let mut out = Vec::new();
    let mut stack: Vec<&Node> = vec![pkg];
    let mut seen = 0usize;
    let mut refs: Vec<&Node> = Vec::new();
    // Depth first, children pushed in reverse: references come out in document order.
    while let Some(n) = stack.pop() {
        seen += 1;
        if seen > 100_000 {
            break;
        }
        if n.name == "itemRef" {
            refs.push(n);
            continue;
        }
        stack.extend(n.children.iter().rev());
    }
    let status = pkg
        .path(&["itemMeta", "pubStatus"])
        .and_then(|p| p.attr("qcode"))
        .and_then(pubstatus);
    for r in refs {
        let guid = r.attr("residref").map(str::to_string);
        let title = r.text_of(&["title"]);
        let link = r
            .attr("href")
            .filter(|h| h.starts_with("http"))
            .map(str::to_string);
        out.push(FeedItem {
            id: stable_id(
                guid.as_deref(),
                link.as_deref(),
                title.as_deref(),
                None,
                None,
            ),
            guid,
            link,
            title,
            version: r.attr("version").and_then(|v| v.trim().parse().ok()),
            pubstatus: status,
            ..FeedItem::default()
        });
    }
    out
}

/// Parses a Google News sitemap: one item per `<url>`.
pub fn parse_sitemap(text: &str, base: Option<&Url>) -> Result<ParsedFeed, FeedError> {
    let root = tree(text)?;
    let mut items = Vec::new();
    for set in root.all("urlset") {
        for url in set.all("url") {
            let link = url.text_of(&["loc"]).map(|l| resolve(&l, base));
            let news = url.child("news");
            let title = news.and_then(|n| n.text_of(&["title"]));
            let raw = news.and_then(|n| n.text_of(&["publication_date"]));
            let published = raw.as_deref().and_then(parse_date);
            let categories = news
                .and_then(|n| n.text_of(&["keywords"]))
                .map(|k| {
                    k.split(',')
                        .map(|s| s.trim().to_string())
                        .filter(|s| !s.is_empty())
                        .collect()
                })
                .unwrap_or_default();
            let image = url
                .child("image")
                .and_then(|i| i.text_of(&["loc"]))
                .map(|l| resolve(&l, base));
            items.push(FeedItem {
                id: stable_id(None, link.as_deref(), title.as_deref(), published, None),
                link,
                title,
                published,
                published_raw: raw,
                categories,
                image,
                ..FeedItem::default()
            });
        }
    }
    Ok(ParsedFeed {
        format: FeedFormat::Sitemap,
        title: None,
        language: None,
        items,
        repairs: Vec::new(),
        ttl_minutes: None,
    })
}

/// Parses ninjs 1.x/2.x/3.x: one item, an array of items, or `{"items": […]}`.
pub fn parse_ninjs(value: &Value, base: Option<&Url>) -> ParsedFeed {
    let items = match value {
        Value::Array(list) => list.iter().map(|v| ninjs_item(v, base)).collect(),
        other => vec![ninjs_item(other, base)],
    };
    ParsedFeed {
        format: FeedFormat::Ninjs,
        title: None,
        language: value
            .get("language")
            .and_then(Value::as_str)
            .map(str::to_string),
        items,
        repairs: Vec::new(),
        ttl_minutes: None,
    }
}

fn str_of(v: &Value, key: &str) -> Option<String> {
    str_of_value(v.get(key)?)
}

/// A string or number as trimmed text; `None` when empty or of another type.
fn str_of_value(v: &Value) -> Option<String> {
    let s = match v {
        Value::String(s) => s.trim().to_string(),
        Value::Number(n) => n.to_string(),
        _ => return None,
    };
    (!s.is_empty()).then_some(s)
}

/// The `value` of the entry of a 2.x/3.x list (`headlines`, `bodies`, …) with the wanted
/// role and content type, else the first.
fn list_value(v: &Value, key: &str, contenttype: Option<&str>) -> Option<String> {
    let list = v.get(key)?.as_array()?;
    let pick = |role_main: bool| {
        list.iter().find(|e| {
            (!role_main
                || e.get("role")
                    .and_then(Value::as_str)
                    .is_none_or(|r| r == "main"))
                && contenttype.is_none_or(|ct| {
                    e.get("contenttype")
                        .and_then(Value::as_str)
                        .is_some_and(|c| c.contains(ct))
                })
        })
    };
    pick(true)
        .or_else(|| pick(false))
        .and_then(|e| str_of(e, "value"))
}

/// Renditions as (name, href, content type), from the 1.x object or the 2.x/3.x array.
fn renditions(v: &Value) -> Vec<(String, String, String)> {
    let ct = |r: &Value| {
        str_of(r, "contenttype")
            .or_else(|| str_of(r, "mimetype"))
            .unwrap_or_default()
    };
    match v.get("renditions") {
        Some(Value::Object(map)) => map
            .iter()
            .filter_map(|(name, r)| Some((name.clone(), str_of(r, "href")?, ct(r))))
            .collect(),
        Some(Value::Array(list)) => list
            .iter()
            .filter_map(|r| {
                Some((
                    str_of(r, "name").unwrap_or_default(),
                    str_of(r, "href")?,
                    ct(r),
                ))
            })
            .collect(),
        _ => Vec::new(),
    }
}

/// A ninjs item's id as the item gives it: `uri` (2.x/3.x), else `guid` (1.x), else its first
/// `altids` entry as `name:value` (1.x map or 2.x/3.x list of `{role, value}`).
fn ninjs_id(v: &Value) -> Option<String> {
    str_of(v, "uri").or_else(|| str_of(v, "guid")).or_else(|| {
        let (name, value) = match v.get("altids")? {
            Value::Object(map) => map
                .iter()
                .find_map(|(k, v)| Some((k.clone(), str_of_value(v)?)))?,
            Value::Array(list) => list
                .iter()
                .find_map(|a| Some((str_of(a, "role").unwrap_or_default(), str_of(a, "value")?)))?,
            _ => return None,
        };
        Some(if name.is_empty() {
            value
        } else {
            format!("{name}:{value}")
        })
    })
}

fn ninjs_item(v: &Value, base: Option<&Url>) -> FeedItem {
    let guid = ninjs_id(v);
    let title = str_of(v, "headline").or_else(|| list_value(v, "headlines", None));
    let by = str_of(v, "byline").or_else(|| str_of(v, "by"));
    let mut authors: Vec<String> = v
        .get("people")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter(|p| p.get("rel").and_then(Value::as_str) == Some("author"))
        .filter_map(|p| str_of(p, "name"))
        .collect();
    if authors.is_empty()
        && let Some(by) = &by
    {
        authors.push(strip_by(by));
    }
    let body = str_of(v, "body_html")
        .or_else(|| list_value(v, "bodies", Some("html")))
        .or_else(|| {
            str_of(v, "body_text")
                .or_else(|| list_value(v, "bodies", None))
                .as_deref()
                .and_then(text_as_html)
        });
    let summary = str_of(v, "description_text")
        .or_else(|| str_of(v, "description_html"))
        .or_else(|| list_value(v, "descriptions", None));
    let link = renditions(v)
        .into_iter()
        .find(|(name, _, ct)| ct.contains("html") || name == "html")
        .map(|(_, href, _)| resolve(&href, base));
    let image = v
        .get("associations")
        .and_then(|a| match a {
            Value::Object(map) => map
                .get("featureimage")
                .or_else(|| map.values().next())
                .cloned(),
            Value::Array(list) => list.first().cloned(),
            _ => None,
        })
        .and_then(|a| renditions(&a).into_iter().next())
        .map(|(_, href, _)| resolve(&href, base));
    let categories = ["subject", "subjects"]
        .iter()
        .filter_map(|k| v.get(*k).and_then(Value::as_array))
        .flatten()
        .filter_map(|s| str_of(s, "name"))
        .collect();
    let dateline = v
        .get("datelines")
        .and_then(Value::as_array)
        .and_then(|l| l.first())
        .and_then(|d| str_of(d, "value"))
        .or_else(|| str_of(v, "dateline"));
    let located = str_of(v, "located").or_else(|| {
        v.get("places")
            .and_then(Value::as_array)
            .and_then(|l| l.first())
            .and_then(|p| str_of(p, "name"))
    });
    let signals = match v.get("signals") {
        Some(Value::Array(list)) => list
            .iter()
            .filter_map(|s| {
                str_of(s, "name")
                    .or_else(|| s.as_str().map(str::to_string))
                    .or_else(|| {
                        str_of(s, "uri").map(|u| qcode_value(&u.replace('/', ":")).to_string())
                    })
            })
            .collect(),
        Some(Value::String(s)) => vec![s.clone()],
        _ => Vec::new(),
    };
    let raw = str_of(v, "firstcreated").or_else(|| str_of(v, "versioncreated"));
    let published = raw.as_deref().and_then(parse_date);
    let updated = str_of(v, "versioncreated").as_deref().and_then(parse_date);
    FeedItem {
        id: stable_id(
            guid.as_deref(),
            link.as_deref(),
            title.as_deref(),
            published,
            body.as_deref(),
        ),
        guid,
        link,
        title,
        summary,
        content_html: body,
        authors,
        categories,
        published,
        updated,
        image,
        published_raw: raw,
        pubstatus: str_of(v, "pubstatus").as_deref().and_then(pubstatus),
        version: str_of(v, "version").and_then(|s| s.parse().ok()),
        dateline,
        located,
        signals,
        embargoed: str_of(v, "embargoed").as_deref().and_then(parse_date),
    }
}

/// Standard base64 (whitespace ignored); `None` on anything else.
fn base64_decode(s: &str) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(s.len() * 3 / 4);
    let mut acc = 0u32;
    let mut bits = 0;
    for b in s.bytes() {
        let v = match b {
            b'A'..=b'Z' => b - b'A',
            b'a'..=b'z' => b - b'a' + 26,
            b'0'..=b'9' => b - b'0' + 52,
            b'+' | b'-' => 62,
            b'/' | b'_' => 63,
            b'=' => break,
            b if b.is_ascii_whitespace() => continue,
            _ => return None,
        };
        acc = (acc << 6) | u32::from(v);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_round_trip() {
        assert_eq!(base64_decode("aGVsbG8gd29ybGQ=").unwrap(), b"hello world");
        assert_eq!(base64_decode("aGVs\nbG8="), Some(b"hello".to_vec()));
        assert_eq!(base64_decode("a*b"), None);
    }

    #[test]
    fn g2_news_item_maps_wire_fields() {
        let xml = r#"<newsItem xmlns="http://iptc.org/std/nar/2006-10-01/" guid="urn:x:1" version="3">
          <itemMeta><versionCreated>2023-12-12T16:23:00Z</versionCreated>
            <pubStatus qcode="stat:canceled"/><signal qcode="sig:correction"/>
            <embargoed>2023-12-13T00:00:00Z</embargoed></itemMeta>
          <contentMeta><headline>Levee &amp; dam</headline><by>By Ann Lee</by>
            <located><name>Granite Bay</name></located><dateline>GRANITE BAY —</dateline></contentMeta>
          <contentSet><inlineXML><html><body><p>One</p></body></html></inlineXML>
            <remoteContent rendition="rnd:html" href="https://wire.example/s/1"/></contentSet>
        </newsItem>"#;
        let feed = parse_g2(xml, None).unwrap();
        let it = &feed.items[0];
        assert_eq!(it.guid.as_deref(), Some("urn:x:1"));
        assert_eq!(it.version, Some(3));
        assert_eq!(it.pubstatus, Some(PubStatus::Canceled));
        assert_eq!(it.signals, vec!["correction".to_string()]);
        assert_eq!(it.title.as_deref(), Some("Levee & dam"));
        assert_eq!(it.authors, vec!["Ann Lee".to_string()]);
        assert_eq!(it.located.as_deref(), Some("Granite Bay"));
        assert_eq!(it.dateline.as_deref(), Some("GRANITE BAY —"));
        assert_eq!(it.content_html.as_deref(), Some("<p>One</p>"));
        assert_eq!(it.link.as_deref(), Some("https://wire.example/s/1"));
        assert!(it.embargoed.is_some());
    }
}
