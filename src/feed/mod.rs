//! Feed documents in, [`FeedItem`]s out. Pure: no network, no clock.
//!
//! RSS 0.9x/1.0/2.0, Atom and JSON Feed go through feed-rs; ids are made stable here because
//! feed-rs invents a random one for an entry with neither guid nor link.
//!
//! Files: `ids` (stable ids), `map` (feed-rs model → [`ParsedFeed`]), `media` (thumbnails
//! feed-rs drops), `recover` (bare `&`, versionless `<rss>` roots), `text` (HTML entities in
//! titles), `error` ([`FeedError`]). XML that is not UTF-8 is decoded first by
//! [`crate::fetch::decode_xml`] (pure code shared with the page fetcher).
//!
//! [`FeedItem`]: crate::model::FeedItem

mod error;
pub mod ids;
mod map;
mod media;
mod recover;
mod text;

pub use error::FeedError;

use feed_rs::parser::{Builder, ParseErrorKind, ParseFeedError};
use url::Url;

use crate::model::ParsedFeed;

/// Parses a feed document. `content_type` is the HTTP header, if any; `base` resolves relative
/// links.
///
/// JSON Feed is recognised by a leading `{`; anything else is XML, decoded to UTF-8 first
/// (BOM, header charset, XML declaration, detection). A document with a bare `&` or an
/// `<rss>` root of a version feed-rs rejects is rewritten once and retried; errors describe
/// the document as given. Item ids never change between parses of the same bytes.
pub fn parse(
    bytes: &[u8],
    content_type: Option<&str>,
    base: Option<&Url>,
) -> Result<ParsedFeed, FeedError> {
    let bytes = bytes
        .strip_prefix(b"\xef\xbb\xbf".as_slice())
        .unwrap_or(bytes);
    match bytes.iter().find(|b| !b.is_ascii_whitespace()) {
        None => Err(FeedError::Empty),
        Some(b'{') => parse_json(bytes, base),
        Some(_) => parse_xml(bytes, content_type, base),
    }
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
    let text = crate::fetch::decode_xml(bytes, content_type);
    let parser = parser(base);
    let (feed, text) = match parser.parse(text.as_bytes()) {
        Ok(feed) => (feed, text),
        Err(first) => {
            let fixed =
                retry_text(&first, &text).ok_or_else(|| xml_error(first, text.as_bytes()))?;
            match parser.parse(fixed.as_bytes()) {
                Ok(feed) => (feed, fixed),
                // Report what is wrong with the document as given, not with our rewrite.
                Err(e) => return Err(xml_error(e, text.as_bytes())),
            }
        }
    };
    let extras = media::item_extras(text.as_bytes());
    Ok(map::to_parsed_feed(feed, base, &[], &extras))
}

/// The document rewritten for a second attempt, when the first failure is one `recover`
/// knows how to work around.
fn retry_text(err: &ParseFeedError, text: &str) -> Option<String> {
    match err {
        ParseFeedError::ParseError(ParseErrorKind::NoFeedRoot) => recover::rss_root_as_v2(text),
        ParseFeedError::XmlReader(_) => {
            let escaped = recover::escape_bare_ampersands(text)?;
            // A bare `&` and a versionless root can come together.
            Some(recover::rss_root_as_v2(&escaped).unwrap_or(escaped))
        }
        _ => None,
    }
}

fn parse_json(bytes: &[u8], base: Option<&Url>) -> Result<ParsedFeed, FeedError> {
    let mut value: serde_json::Value = serde_json::from_slice(bytes).map_err(FeedError::Json)?;
    // JSON Feed 1.1: "If an id is presented as a number or other type, a JSON Feed reader must
    // coerce it to a string"; feed-rs would reject the whole feed instead.
    let mut images = Vec::new();
    if let Some(items) = value.get_mut("items").and_then(|i| i.as_array_mut()) {
        for item in items {
            if let Some(id) = item.get_mut("id")
                && (id.is_number() || id.is_boolean())
            {
                *id = serde_json::Value::String(id.to_string());
            }
            let image = ["image", "banner_image"]
                .iter()
                .find_map(|k| item.get(*k).and_then(|v| v.as_str()))
                .map(str::to_string);
            images.push(image);
        }
    }
    let normalised = serde_json::to_vec(&value).map_err(FeedError::Json)?;
    let feed = parser(base)
        .parse(normalised.as_slice())
        .map_err(|e| match e {
            ParseFeedError::JsonSerde(e) => FeedError::Json(e),
            ParseFeedError::JsonUnsupportedVersion(v) => FeedError::JsonVersion(v),
            other => FeedError::Malformed(other.to_string()),
        })?;
    Ok(map::to_parsed_feed(feed, base, &images, &[]))
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
