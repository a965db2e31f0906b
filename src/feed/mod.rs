//! Feed documents in, [`FeedItem`]s out. Pure: no network, no clock.
//!
//! RSS 0.9x/1.0/2.0, Atom and JSON Feed go through feed-rs; ids are made stable here because
//! feed-rs invents a random one for an entry with neither guid nor link. IPTC ninjs (JSON),
//! NewsML-G2 and Google News sitemaps are read by `wire`.
//!
//! Recovery, in order, stopping at the first step that yields entries: (1) feed-rs on the
//! decoded text; (2) feed-rs on the text after `recover::repair` (junk around the document,
//! control characters, DTD and HTML entities, bare `&`, unclosed CDATA, Atom 0.3 / RSS 0.90 /
//! default namespaces, unbound prefixes, upper-case names, unknown RSS versions, elements left
//! open by truncation); (3) the lenient `scan`ner over quick-xml events. When the scanner finds
//! more items than feed-rs (a second `<channel>`, items after `</channel>`), its result is
//! used. Every step applied is named in [`ParsedFeed::repairs`]; feed-rs is run under
//! `catch_unwind` because it asserts on some broken input.
//!
//! Dates: [`parse_date`] is the date parser pages use too ([`crate::dates`]), which reads the
//! forms feeds use (RFC 822 variants, named zones, ISO with or without zone, slashes, 12-hour
//! clocks, epoch) as well as human-written dates; the text as written is always kept in
//! `published_raw`, and an unreadable date leaves `published` empty rather than guessing.
//!
//! Files: `ids` (stable ids), `json` (JSON Feed or ninjs, by evidence), `links` (links as
//! written, precedence), `map` (feed-rs model
//! or scan → [`ParsedFeed`]), `media` (thumbnails feed-rs drops), `recover` (text repairs),
//! `scan` (lenient item scanner), `wire` (ninjs, NewsML-G2, sitemaps), `text` (HTML entities
//! in titles), `error` ([`FeedError`]), `sitemap` (sitemaps and sitemap indexes read strictly
//! for backfills: URLs, dates, titles), `archive` (RFC 5005 `prev-archive` links). XML that is not UTF-8 is decoded first by
//! [`crate::charset::decode_xml`] (pure code shared with the page fetcher).
//!
//! [`ParsedFeed::repairs`]: crate::model::ParsedFeed::repairs
//! [`FeedItem`]: crate::model::FeedItem

mod archive;
mod error;
pub mod ids;
mod json;
mod links;
mod map;
mod media;
mod recover;
mod scan;
pub mod sitemap;
mod text;
mod wire;

pub use archive::prev_archive;
pub use error::FeedError;

use feed_rs::parser::{Builder, ParseErrorKind, ParseFeedError};

/// Feed dates are read by the parser pages use too ([`crate::dates`]), as UTC.
pub use crate::dates::parse_utc as parse_date;
use url::Url;

use crate::model::ParsedFeed;

/// Parses a feed document. `content_type` is the HTTP header, if any; `base` resolves relative
/// links.
///
/// Gzip or zlib bytes (a `.xml.gz` file) are unpacked first, up to the default body cap
/// ([`crate::compression`]). JSON is recognised by a leading `{` or `[` and told apart by evidence (`json`: a JSON Feed
/// by its `version` URL, ninjs by its own fields); anything else is XML, decoded to UTF-8
/// first (BOM, header charset, XML declaration, detection), and read as NewsML-G2 or a sitemap
/// by its root, else as a feed with the recovery described in the module docs. Errors describe the document as given.
/// Never panics. Item ids never change between parses of the same bytes.
pub fn parse(
    bytes: &[u8],
    content_type: Option<&str>,
    base: Option<&Url>,
) -> Result<ParsedFeed, FeedError> {
    let packing = crate::compression::sniff(bytes);
    let unpacked = crate::compression::unpack(bytes, crate::config::DEFAULT_MAX_BODY_BYTES)?;
    let bytes = unpacked
        .strip_prefix(b"\xef\xbb\xbf".as_slice())
        .unwrap_or(&unpacked);
    let parsed = match bytes.iter().find(|b| !b.is_ascii_whitespace()) {
        None => Err(FeedError::Empty),
        Some(b'{') => json::parse(bytes, base),
        // A JSON array: ninjs items (a feed's XML never starts with `[`).
        Some(b'[') if serde_json::from_slice::<serde_json::Value>(bytes).is_ok() => {
            json::parse(bytes, base)
        }
        Some(_) => parse_xml(bytes, content_type, base),
    }?;
    Ok(match packing {
        Some(p) if matches!(unpacked, std::borrow::Cow::Owned(_)) => {
            let mut parsed = parsed;
            parsed.repairs.insert(0, format!("{} unpacked", p.name()));
            parsed
        }
        _ => parsed,
    })
}

fn parser(base: Option<&Url>) -> feed_rs::parser::Parser {
    Builder::new()
        .base_uri(base.map(Url::as_str))
        // An empty id marks "the feed gave none"; `map` then uses the link or a content hash.
        .id_generator(|_, _, _| String::new())
        .sanitize_content(false)
        .build()
}

fn parse_xml(
    bytes: &[u8],
    content_type: Option<&str>,
    base: Option<&Url>,
) -> Result<ParsedFeed, FeedError> {
    // Always hand feed-rs UTF-8 whose declaration says so: it then never has to guess, and a
    // Latin-1 feed without a declaration does not fail as invalid UTF-8.
    let text = crate::charset::decode_xml(bytes, content_type);
    let mut repairs: Vec<String> = charset_note(bytes, content_type).into_iter().collect();
    match root_element(text.as_bytes()).map(|(root, _)| root) {
        Some(root) if matches!(root.as_str(), "newsItem" | "packageItem" | "newsMessage") => {
            return wire::parse_g2(&text, base).map(|f| with_repairs(f, repairs));
        }
        Some(root) if root == "urlset" => {
            return wire::parse_sitemap(&text, base).map(|f| with_repairs(f, repairs));
        }
        _ => {}
    }
    let strict = feed_rs_parse(text.as_bytes(), base);
    let strict_err = match strict {
        Ok(feed) if !feed.entries.is_empty() => {
            let scanned = scan::scan(&text);
            if scanned.items.len() > feed.entries.len() {
                // Items feed-rs does not see (a second channel, items after `</channel>`).
                repairs.push("lenient scanner".to_string());
                return Ok(with_repairs(map::from_scan(scanned, base), repairs));
            }
            return Ok(with_repairs(finish(feed, &text, base), repairs));
        }
        Ok(feed) => Ok(feed),
        Err(e) => Err(e),
    };
    // Strict parse failed or found nothing: repair and retry, then scan leniently.
    let mut fixes = Vec::new();
    let fixed = recover::repair(&text, &mut fixes);
    if !fixes.is_empty()
        && let Ok(feed) = feed_rs_parse(fixed.as_bytes(), base)
        && !feed.entries.is_empty()
        && scan::scan(&fixed).items.len() <= feed.entries.len()
    {
        repairs.extend(fixes);
        return Ok(with_repairs(finish(feed, &fixed, base), repairs));
    }
    let scanned = scan::scan(&fixed);
    let feedish = scanned
        .root
        .as_deref()
        .is_some_and(|r| matches!(r, "rss" | "rdf" | "feed" | "channel"));
    if feedish && !scanned.items.is_empty() {
        repairs.extend(fixes);
        repairs.push("lenient scanner".to_string());
        return Ok(with_repairs(map::from_scan(scanned, base), repairs));
    }
    match strict_err {
        Ok(feed) => Ok(with_repairs(finish(feed, &text, base), repairs)),
        Err(e) => Err(xml_error(e, text.as_bytes())),
    }
}

/// feed-rs with a fresh parser each time (its Media RSS state survives a failed parse and
/// then trips an assertion), and a panic inside it taken as a failure: a feed must never
/// bring the caller down.
fn feed_rs_parse(bytes: &[u8], base: Option<&Url>) -> Result<feed_rs::model::Feed, ParseFeedError> {
    let parser = parser(base);
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| parser.parse(bytes)))
        .unwrap_or(Err(ParseFeedError::ParseError(ParseErrorKind::NoFeedRoot)))
}

fn with_repairs(mut feed: ParsedFeed, repairs: Vec<String>) -> ParsedFeed {
    feed.repairs = repairs;
    feed
}

/// A feed-rs result mapped, with what feed-rs drops read from the same text.
fn finish(feed: feed_rs::model::Feed, text: &str, base: Option<&Url>) -> ParsedFeed {
    let extras = media::item_extras(text.as_bytes());
    let scanned = scan::scan(text);
    // What feed-rs drops (raw dates, RSS items' atom:link, isPermaLink), by item, when the
    // scanner saw the same items feed-rs did.
    let scanned = if scanned.items.len() == feed.entries.len() {
        scanned.items
    } else {
        Vec::new()
    };
    map::to_parsed_feed(feed, base, &[], &extras, &scanned)
}

/// How the charset was chosen, when the HTTP header alone named it or the labelled UTF-8 was
/// not UTF-8.
fn charset_note(bytes: &[u8], content_type: Option<&str>) -> Option<String> {
    if encoding_rs::Encoding::for_bom(bytes).is_some() {
        return None;
    }
    let header = content_type.and_then(|ct| {
        ct.split(';').skip(1).find_map(|p| {
            let (k, v) = p.split_once('=')?;
            if !k.trim().eq_ignore_ascii_case("charset") {
                return None;
            }
            encoding_rs::Encoding::for_label(v.trim().trim_matches(['"', '\'']).as_bytes())
        })
    });
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(200)]).into_owned();
    let declared = head
        .find("encoding=")
        .and_then(|p| {
            let rest = &head[p + 9..];
            let q = rest.chars().next()?;
            let rest = &rest[q.len_utf8()..];
            Some(rest[..rest.find(q)?].to_string())
        })
        .and_then(|l| encoding_rs::Encoding::for_label(l.as_bytes()));
    match header {
        Some(h) if h != encoding_rs::UTF_8 && declared != Some(h) => Some(format!(
            "charset:{} from header",
            h.name().to_ascii_lowercase()
        )),
        _ if std::str::from_utf8(bytes).is_err()
            && header.or(declared).is_none_or(|e| e == encoding_rs::UTF_8) =>
        {
            Some("charset detected (bytes are not UTF-8)".to_string())
        }
        _ => None,
    }
}

/// A [`FeedError`] that says where the XML went wrong, when a position can be found.
fn xml_error(err: ParseFeedError, text: &[u8]) -> FeedError {
    if let Some((pos, message)) = first_xml_error(text) {
        let (line, column) = error::line_column(text, pos);
        return FeedError::Xml {
            line,
            column,
            message,
        };
    }
    match err {
        ParseFeedError::ParseError(ParseErrorKind::NoFeedRoot) => match root_element(text) {
            Some((root, version)) => FeedError::NotAFeed {
                detail: match (root.as_str(), version) {
                    ("rss", Some(v)) => format!(", (RSS version {v:?} is not supported)"),
                    _ => String::new(),
                },
                root,
            },
            None => FeedError::Malformed("no root element".into()),
        },
        ParseFeedError::ParseError(
            ParseErrorKind::UnknownMimeType { position, .. }
            | ParseErrorKind::MissingContent { position, .. }
            | ParseErrorKind::UnknownEnumVariant { position, .. }
            | ParseErrorKind::IllegalState { position, .. },
        ) => {
            let (line, column) = error::line_column(text, position as usize);
            let message = match &err {
                ParseFeedError::ParseError(kind) => kind.to_string(),
                _ => unreachable!("matched above"),
            };
            let message = message
                .split(" at position")
                .next()
                .unwrap_or(&message)
                .to_string();
            FeedError::Structure {
                line,
                column,
                message,
            }
        }
        other => FeedError::Malformed(other.to_string()),
    }
}

/// The byte offset and message of the first well-formedness error, by a plain quick-xml pass
/// (feed-rs's own error carries no position).
fn first_xml_error(text: &[u8]) -> Option<(usize, String)> {
    let mut reader = quick_xml::Reader::from_reader(text);
    let mut buf = Vec::new();
    loop {
        match reader.read_event_into(&mut buf) {
            Ok(quick_xml::events::Event::Eof) => return None,
            Ok(_) => buf.clear(),
            Err(e) => return Some((reader.error_position() as usize, e.to_string())),
        }
    }
}

/// The root element's name and its `version` attribute.
fn root_element(text: &[u8]) -> Option<(String, Option<String>)> {
    let mut reader = quick_xml::Reader::from_reader(text);
    let mut buf = Vec::new();
    loop {
        match reader.read_event_into(&mut buf).ok()? {
            quick_xml::events::Event::Start(e) | quick_xml::events::Event::Empty(e) => {
                let name = e.local_name().as_ref().to_owned();
                let version = e
                    .try_get_attribute("version")
                    .ok()
                    .flatten()
                    .map(|a| a.value.into_owned());
                return Some((name, version));
            }
            quick_xml::events::Event::Eof => return None,
            _ => buf.clear(),
        }
    }
}

#[cfg(test)]
mod tests;
