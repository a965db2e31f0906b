//! JSON documents: a JSON Feed or IPTC ninjs, told apart by evidence rather than by which
//! parser happens to accept them.
//!
//! A JSON Feed says what it is: its `version` is a `jsonfeed.org/version/` URL (JSON Feed 1.0
//! and 1.1 both require it). ninjs has no such marker in 1.x — many agencies' items carry
//! `guid`, `headline`, `versioncreated` and `body_html` but no `uri` — so a ninjs item is
//! recognised by its own fields. A document that is neither is an error that says what it
//! lacked, instead of a JSON Feed parser's complaint about a missing `title`.

use feed_rs::parser::ParseFeedError;
use serde_json::Value;
use url::Url;

use super::{FeedError, feed_rs_parse, map, wire};
use crate::model::ParsedFeed;

/// Fields only ninjs uses at an item's top level. `type` and `version` are generic words in
/// JSON, so they count only beside one of these.
const NINJS_FIELDS: &[&str] = &[
    "uri",
    "guid",
    "altids",
    "versioncreated",
    "firstcreated",
    "pubstatus",
    "headline",
    "headlines",
    "body_html",
    "body_text",
    "bodies",
    "renditions",
    "associations",
    "embargoed",
];

/// What a JSON document is.
#[derive(Debug, PartialEq, Eq)]
enum Kind {
    JsonFeed,
    Ninjs,
}

/// Parses a JSON document (a JSON Feed, a ninjs item, an array of ninjs items or
/// `{"items": […]}` of them).
pub(super) fn parse(bytes: &[u8], base: Option<&Url>) -> Result<ParsedFeed, FeedError> {
    let value: Value = serde_json::from_slice(bytes).map_err(FeedError::Json)?;
    match kind(&value)? {
        Kind::Ninjs => Ok(wire::parse_ninjs(&value, base)),
        Kind::JsonFeed => json_feed(value, base),
    }
}

/// Decides by evidence; the error names what was looked for.
fn kind(value: &Value) -> Result<Kind, FeedError> {
    if value
        .get("version")
        .and_then(Value::as_str)
        .is_some_and(|v| v.contains("jsonfeed.org/version/"))
    {
        return Ok(Kind::JsonFeed);
    }
    let items: Vec<&Value> = match value {
        Value::Array(list) => list.iter().collect(),
        Value::Object(map) => match map.get("items") {
            Some(Value::Array(list)) => list.iter().collect(),
            _ => vec![value],
        },
        _ => Vec::new(),
    };
    if !items.is_empty() && items.iter().all(|item| is_ninjs_item(item)) {
        return Ok(Kind::Ninjs);
    }
    let what = match value {
        Value::Object(_) => "object",
        Value::Array(list) if list.is_empty() => "empty array",
        Value::Array(_) => "array",
        _ => "value",
    };
    Err(FeedError::UnknownJson {
        what,
        keys: top_keys(value),
    })
}

/// An object with a ninjs id or ninjs content fields.
fn is_ninjs_item(item: &Value) -> bool {
    let Value::Object(map) = item else {
        return false;
    };
    map.get("$schema")
        .and_then(Value::as_str)
        .is_some_and(|s| s.contains("ninjs"))
        || NINJS_FIELDS.iter().any(|f| map.contains_key(*f))
}

/// The first few keys (in sorted order) of an object or of an array's first object, for the
/// error message.
fn top_keys(value: &Value) -> String {
    let map = match value {
        Value::Object(map) => Some(map),
        Value::Array(list) => list.first().and_then(Value::as_object),
        _ => None,
    };
    let keys: Vec<&str> = map
        .into_iter()
        .flat_map(|m| m.keys())
        .take(6)
        .map(String::as_str)
        .collect();
    if keys.is_empty() {
        "none".to_string()
    } else {
        keys.join(", ")
    }
}

/// A JSON Feed through feed-rs, after the repairs the spec allows a reader to make.
fn json_feed(mut value: Value, base: Option<&Url>) -> Result<ParsedFeed, FeedError> {
    // JSON Feed 1.1: "If an id is presented as a number or other type, a JSON Feed reader must
    // coerce it to a string"; feed-rs would reject the whole feed instead.
    let mut images = Vec::new();
    if let Some(items) = value.get_mut("items").and_then(|i| i.as_array_mut()) {
        for item in items {
            if let Some(id) = item.get_mut("id")
                && (id.is_number() || id.is_boolean())
            {
                *id = Value::String(id.to_string());
            }
            let image = ["image", "banner_image"]
                .iter()
                .find_map(|k| item.get(*k).and_then(|v| v.as_str()))
                .map(str::to_string);
            images.push(image);
        }
    }
    let normalised = serde_json::to_vec(&value).map_err(FeedError::Json)?;
    let feed = feed_rs_parse(normalised.as_slice(), base).map_err(|e| match e {
        ParseFeedError::JsonSerde(e) => FeedError::Json(e),
        ParseFeedError::JsonUnsupportedVersion(v) => FeedError::JsonVersion(v),
        other => FeedError::Malformed(other.to_string()),
    })?;
    Ok(map::to_parsed_feed(feed, base, &images, &[], &[]))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_jsonfeed_version_url_decides_even_beside_ninjs_words() {
        let doc = json!({"version": "https://jsonfeed.org/version/1.1", "title": "T",
            "items": [{"id": "1", "headline": "x"}]});
        assert_eq!(kind(&doc).unwrap(), Kind::JsonFeed);
    }

    #[test]
    fn ninjs_without_uri_is_known_by_its_fields() {
        for doc in [
            json!({"guid": "g", "headline": "h"}),
            json!({"versioncreated": "2026-11-30T00:00:00Z", "body_html": "<p>x</p>"}),
            json!([{"altids": {"cms": "1"}}, {"uri": "u"}]),
            json!({"items": [{"headlines": [{"value": "h"}]}]}),
        ] {
            assert_eq!(kind(&doc).unwrap(), Kind::Ninjs, "{doc}");
        }
    }

    #[test]
    fn neither_names_what_it_lacked_and_what_it_had() {
        for (doc, had) in [
            (json!({"status": "ok", "results": []}), "results, status"),
            (json!({"type": "text", "version": "2"}), "type, version"),
            (json!([1, 2]), "none"),
        ] {
            let msg = kind(&doc).unwrap_err().to_string();
            assert!(msg.contains("jsonfeed.org"), "{msg}");
            assert!(msg.contains("guid"), "{msg}");
            assert!(msg.contains(had), "{msg}");
        }
    }
}
