//! feed-rs's model in, [`ParsedFeed`] / [`FeedItem`] out: picks the article link, the lead
//! image and the full text, resolves links against the feed's URL and assigns stable ids.

use feed_rs::model::{Content, Entry, Feed, FeedType, Link, LinkTarget, MediaObject};
use url::Url;

use super::ids::stable_id;
use super::links::{self, resolve};
use super::media::ItemExtras;
use super::parse_date;
use super::scan::{Scan, ScannedItem};
use super::text::clean_text;
use crate::model::{FeedFormat, FeedItem, ParsedFeed};

/// Converts a parsed feed. `first_images` holds images that beat anything feed-rs found (the
/// JSON Feed `image`, which feed-rs drops); `extras` what feed-rs dropped from XML items
/// (stand-alone `media:thumbnail`s, used only when feed-rs found no image; RSS 1.0
/// `rdf:about`, the item's identity); both by item index, and may be empty.
pub fn to_parsed_feed(
    feed: Feed,
    base: Option<&Url>,
    first_images: &[Option<String>],
    extras: &[ItemExtras],
    scanned: &[ScannedItem],
) -> ParsedFeed {
    let format = match feed.feed_type {
        FeedType::Atom => FeedFormat::Atom,
        FeedType::JSON => FeedFormat::JsonFeed,
        FeedType::RSS1 => FeedFormat::Rss1,
        FeedType::RSS0 | FeedType::RSS2 => FeedFormat::Rss,
    };
    let items = feed
        .entries
        .into_iter()
        .enumerate()
        .map(|(i, entry)| {
            let first = first_images.get(i).cloned().flatten();
            let extra = extras.get(i).cloned().unwrap_or_default();
            let seen = scanned.get(i);
            let (published_raw, updated_raw) = seen
                .map(|s| (s.published.clone(), s.updated.clone()))
                .unwrap_or_default();
            let scan_link = seen
                .and_then(|s| s.link.as_deref())
                .map(|l| resolve(l, base));
            let permalink = seen.is_none_or(|s| !s.guid_not_permalink);
            let mut item = to_item(entry, format, base, first, extra, scan_link, permalink);
            // Our lenient reading beats feed-rs's (which drops or misreads many forms).
            if let Some(d) = published_raw.as_deref().and_then(parse_date) {
                item.published = Some(d);
            }
            if let Some(d) = updated_raw.as_deref().and_then(parse_date) {
                item.updated = Some(d);
            }
            item.published_raw = published_raw;
            item
        })
        .collect();
    ParsedFeed {
        format,
        title: feed
            .title
            .map(|t| clean_text(t.content.trim()).trim().to_string())
            .filter(|t| !t.is_empty()),
        language: feed.language.filter(|l| !l.trim().is_empty()),
        items,
        repairs: Vec::new(),
        ttl_minutes: feed.ttl,
    }
}

/// Converts what the lenient scanner found.
pub fn from_scan(scan: Scan, base: Option<&Url>) -> ParsedFeed {
    let format = match scan.root.as_deref() {
        Some("feed") => FeedFormat::Atom,
        Some("rdf") => FeedFormat::Rss1,
        _ => FeedFormat::Rss,
    };
    let items = scan
        .items
        .into_iter()
        .map(|s| {
            let guid = match (format, s.about) {
                (FeedFormat::Rss1, Some(about)) => Some(about),
                _ => s.guid.clone(),
            };
            let link = s.link.as_deref().map(|l| resolve(l, base)).or_else(|| {
                if !s.guid_not_permalink {
                    permalink_guid(format, s.guid.as_deref())
                } else {
                    None
                }
            });
            let title = s
                .title
                .map(|t| clean_text(&t).trim().to_string())
                .filter(|t| !t.is_empty());
            let published = s.published.as_deref().and_then(parse_date);
            let updated = s.updated.as_deref().and_then(parse_date);
            let text = s.content.as_deref().or(s.summary.as_deref());
            let id = stable_id(
                guid.as_deref(),
                link.as_deref(),
                title.as_deref(),
                published.or(updated),
                text,
            );
            FeedItem {
                id,
                guid,
                link,
                title,
                summary: s.summary,
                content_html: s.content,
                authors: s.authors,
                categories: s.categories,
                published,
                updated,
                published_raw: s.published,
                ..FeedItem::default()
            }
        })
        .collect();
    ParsedFeed {
        format,
        title: scan.title.map(|t| clean_text(&t).trim().to_string()),
        language: None,
        items,
        repairs: Vec::new(),
        ttl_minutes: None,
    }
}

fn to_item(
    entry: Entry,
    format: FeedFormat,
    base: Option<&Url>,
    first_image: Option<String>,
    extra: ItemExtras,
    scan_link: Option<String>,
    guid_is_permalink: bool,
) -> FeedItem {
    let last_image = extra.thumbnail;
    // RSS 1.0 has no guid: an item is named by its rdf:about (feed-rs makes its id up).
    let guid = match (format, extra.about) {
        (FeedFormat::Rss1, Some(about)) => Some(about),
        _ => Some(entry.id.trim().to_string()).filter(|g| !g.is_empty()),
    };
    // RSS links by the scanner, which reads them as feedparser does (the last `<link>`, an
    // href over the element's text, never an `<image>`'s); Atom's by their rel and type.
    let last = format != FeedFormat::JsonFeed;
    let feed_rs_link = || article_link(&entry.links, last).map(|href| resolve(href, base));
    let link = match format {
        FeedFormat::Rss | FeedFormat::Rss1 => scan_link.or_else(feed_rs_link),
        _ => feed_rs_link().or(scan_link),
    }
    .or_else(|| {
        guid_is_permalink
            .then(|| permalink_guid(format, guid.as_deref()))
            .flatten()
    });
    let title = entry
        .title
        .map(|t| clean_text(t.content.trim()).trim().to_string())
        .filter(|t| !t.is_empty());
    let summary = entry
        .summary
        .map(|t| t.content.trim().to_string())
        .filter(|t| !t.is_empty());
    let content_html = entry.content.as_ref().and_then(content_as_html);
    let image = first_image
        .or_else(|| lead_image(&entry.media))
        .or(last_image)
        .map(|src| resolve(&src, base));
    let mut authors: Vec<String> = Vec::new();
    for person in &entry.authors {
        let name = person
            .name
            .as_deref()
            .map(|n| clean_text(clean_person_name(n)).trim().to_string())
            .filter(|n| !n.is_empty())
            .or_else(|| person.email.as_deref().map(|e| e.trim().to_string()))
            .unwrap_or_default();
        if !name.is_empty() && !authors.contains(&name) {
            authors.push(name);
        }
    }
    let mut categories: Vec<String> = Vec::new();
    for cat in &entry.categories {
        let term = clean_text(cat.label.as_deref().unwrap_or(&cat.term).trim())
            .trim()
            .to_string();
        if !term.is_empty() && !categories.contains(&term) {
            categories.push(term);
        }
    }
    let id = stable_id(
        guid.as_deref(),
        link.as_deref(),
        title.as_deref(),
        entry.published.or(entry.updated),
        content_html.as_deref().or(summary.as_deref()),
    );
    FeedItem {
        id,
        guid,
        link,
        title,
        summary,
        content_html,
        authors,
        categories,
        published: entry.published,
        updated: entry.updated,
        image,
        ..FeedItem::default()
    }
}

/// A person's name without the parentheses of RSS's `email (Name)` form, which feed-rs
/// leaves on.
fn clean_person_name(name: &str) -> &str {
    let name = name.trim();
    name.strip_prefix('(')
        .and_then(|n| n.strip_suffix(')'))
        .map_or(name, str::trim)
}

/// The link to the article, by feedparser's precedence: an `alternate` (or rel-less) link of
/// an HTML type (or none) — the last such, since in feedparser a later one replaces an earlier
/// one, for Atom links and RSS `<link>`s alike — else any alternate link; never a comments
/// link, an enclosure, `related`, `self` or `via`, and never one without an href. `last` is
/// for XML; a JSON Feed item's own `url` comes before its `external_url`.
fn article_link(links: &[Link], last: bool) -> Option<&str> {
    let alternate = |l: &&Link| {
        matches!(l.rel.as_deref(), None | Some("alternate"))
            && !matches!(
                l.target,
                Some(LinkTarget::Comments | LinkTarget::CommentsFeed)
            )
            && !l.href.trim().is_empty()
    };
    let html = |l: &&Link| {
        l.media_type.as_deref().is_none_or(|t| {
            let t = t.trim().to_ascii_lowercase();
            t.is_empty() || t.starts_with("text/html") || t.starts_with("application/xhtml+xml")
        })
    };
    let mut candidates = links.iter().filter(alternate).filter(html);
    let pick = if last {
        candidates.next_back()
    } else {
        candidates.next()
    };
    pick.or_else(|| links.iter().find(alternate))
        .map(|l| l.href.trim())
}

/// An RSS guid is the article's URL when it is a permalink (`isPermaLink` defaults to true,
/// read by the scanner since feed-rs does not keep it), so an absolute http(s) guid stands in
/// for a missing `<link>`. An Atom id that is an http(s) URL does too, as in feedparser (a
/// `tag:` or `urn:` id never does).
fn permalink_guid(format: FeedFormat, guid: Option<&str>) -> Option<String> {
    if !matches!(format, FeedFormat::Rss | FeedFormat::Atom) {
        return None;
    }
    links::http_url(guid?)
}

/// The content as HTML: HTML as given, plain text escaped.
fn content_as_html(content: &Content) -> Option<String> {
    let body = content.body.as_deref()?.trim();
    if body.is_empty() {
        return None;
    }
    let subtype = content.content_type.subty().as_str();
    if content.content_type.ty().as_str() == "text" && subtype == "plain" {
        let escaped = body
            .replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;");
        Some(format!("<p>{escaped}</p>"))
    } else {
        Some(body.to_string())
    }
}

/// The lead image: an image `media:content`, else a `media:thumbnail`, else an image
/// enclosure (feed-rs puts Media RSS objects before enclosures).
fn lead_image(media: &[MediaObject]) -> Option<String> {
    let is_image_content = |c: &&feed_rs::model::MediaContent| {
        c.url.is_some()
            && match &c.content_type {
                Some(ct) => ct.ty().as_str() == "image",
                None => c.url.as_ref().is_some_and(|u| looks_like_image(u.path())),
            }
    };
    media
        .iter()
        .flat_map(|m| m.content.iter())
        .find(is_image_content)
        .and_then(|c| c.url.as_ref().map(Url::to_string))
        .or_else(|| {
            media
                .iter()
                .flat_map(|m| m.thumbnails.iter())
                .map(|t| t.image.uri.trim().to_string())
                .find(|u| !u.is_empty())
        })
}

fn looks_like_image(path: &str) -> bool {
    let lower = path.to_ascii_lowercase();
    [".jpg", ".jpeg", ".png", ".gif", ".webp", ".avif"]
        .iter()
        .any(|ext| lower.ends_with(ext))
}
