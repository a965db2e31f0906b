//! IPTC ninjs 2.1 ("News in JSON"): one story as a ninjs object.
//!
//! Mapping: `uri` is the story's URN in this store ([`super::story_uri`]); `version` its
//! version number; `firstcreated` when it was first stored, `versioncreated` its last
//! modification, `contentcreated` its publication time; `pubstatus` and `embargoed` the
//! wire status; `headlines`, `descriptions` (the standfirst, role `summary`) and `bodies`
//! (HTML and plain text, role `main`, with character and word counts); `by` the authors;
//! `located` the dateline; `infosources` the wire credit; `subjects` the topics and the
//! section (rel `section`); `altids` the canonical URL, the first URL it ran at and the body
//! hash; `associations` the lead image as a `featureimage` picture.

use serde_json::{Map, Value, json};

use crate::store::StoryRow;

/// The ninjs version these objects follow.
pub const VERSION: &str = "2.1";
/// The schema they validate against.
pub const SCHEMA: &str = "http://www.iptc.org/std/ninjs/ninjs-schema_2.1.json";

/// The story as a ninjs object.
pub fn story(s: &StoryRow) -> Value {
    let mut o = Map::new();
    let mut put = |k: &str, v: Value| {
        o.insert(k.to_string(), v);
    };
    put("uri", json!(super::story_uri(s.id)));
    put("type", json!("text"));
    put("representationtype", json!("full"));
    put("version", json!(s.version.to_string()));
    put("firstcreated", json!(s.first_seen_at));
    put(
        "versioncreated",
        json!(s.updated_at.as_deref().unwrap_or(&s.first_seen_at)),
    );
    if let Some(p) = &s.published_at {
        put("contentcreated", json!(p));
    }
    if let Some(e) = &s.embargoed_until {
        put("embargoed", json!(e));
    }
    put("pubstatus", json!(s.status));
    if let Some(l) = &s.language {
        put("language", json!(l));
    }
    if let Some(h) = &s.headline {
        put("headlines", json!([{ "role": "main", "value": h }]));
    }
    if let Some(d) = &s.description {
        put("descriptions", json!([{ "role": "summary", "value": d }]));
    }
    // Words, not dashes and bullets: a token counts when it has a letter or a digit.
    let words = s
        .body_text
        .split_whitespace()
        .filter(|w| w.chars().any(char::is_alphanumeric))
        .count();
    let chars = s.body_text.chars().count();
    put(
        "bodies",
        json!([
            { "role": "main", "contenttype": "text/html", "value": s.body_html,
              "charcount": chars, "wordcount": words },
            { "role": "main", "contenttype": "text/plain", "value": s.body_text,
              "charcount": chars, "wordcount": words },
        ]),
    );
    if !s.authors.is_empty() {
        put("by", json!(s.authors.join(", ")));
    }
    if let Some(d) = &s.dateline {
        put("located", json!(d));
    }
    if let Some(c) = &s.credit {
        put("infosources", json!([{ "name": c }]));
    }
    let mut subjects: Vec<Value> = s.topics.iter().map(|t| json!({ "name": t })).collect();
    if let Some(section) = &s.section {
        subjects.push(json!({ "name": section, "rel": "section" }));
    }
    if !subjects.is_empty() {
        put("subjects", Value::Array(subjects));
    }
    let mut altids = vec![json!({ "role": "body-hash", "value": s.body_hash })];
    if let Some(u) = &s.canonical_url {
        altids.push(json!({ "role": "canonical-url", "value": u }));
    }
    if let Some(u) = &s.first_url {
        altids.push(json!({ "role": "first-url", "value": u }));
    }
    put("altids", Value::Array(altids));
    if let Some(img) = &s.image {
        put(
            "associations",
            json!([{ "name": "featureimage", "uri": img, "type": "picture",
                     "renditions": [{ "name": "original", "href": img }] }]),
        );
    }
    put(
        "standard",
        json!({ "name": "ninjs", "version": VERSION, "schema": SCHEMA }),
    );
    Value::Object(o)
}
