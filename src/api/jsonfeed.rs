//! JSON Feed 1.1: the feed's top-level object (written around the items) and one item per
//! story.

use serde_json::{Value, json};

use crate::store::StoryRow;

/// The feed object without its items.
pub fn envelope(title: &str) -> Value {
    json!({ "version": "https://jsonfeed.org/version/1.1", "title": title })
}

/// The feed object's opening, up to and including the `items` array's `[` (for streaming).
pub fn head(title: &str) -> String {
    let text = envelope(title).to_string();
    // `{...}` → `{...,"items":[`
    format!("{},\"items\":[", &text[..text.len() - 1])
}

/// What closes the feed object after the items.
pub const TAIL: &str = "]}\n";

/// The story as a JSON Feed item.
pub fn item(s: &StoryRow) -> Value {
    let mut item = json!({
        "id": super::story_uri(s.id),
        "content_html": s.body_html,
        "content_text": s.body_text,
        "date_modified": s.updated_at.as_deref().unwrap_or(&s.first_seen_at),
    });
    let o = item.as_object_mut().expect("an object");
    if let Some(u) = s.canonical_url.as_ref().or(s.first_url.as_ref()) {
        o.insert("url".into(), json!(u));
    }
    if let Some(h) = &s.headline {
        o.insert("title".into(), json!(h));
    }
    if let Some(d) = &s.description {
        o.insert("summary".into(), json!(d));
    }
    if let Some(i) = &s.image {
        o.insert("image".into(), json!(i));
    }
    if let Some(p) = &s.published_at {
        o.insert("date_published".into(), json!(p));
    }
    if !s.authors.is_empty() {
        let authors: Vec<Value> = s.authors.iter().map(|a| json!({ "name": a })).collect();
        o.insert("authors".into(), Value::Array(authors));
    }
    if !s.topics.is_empty() {
        o.insert("tags".into(), json!(s.topics));
    }
    if let Some(l) = &s.language {
        o.insert("language".into(), json!(l));
    }
    item
}
