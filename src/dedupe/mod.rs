//! Is this article a new story, another appearance of a known one, or a new version of one?
//! Pure and deterministic: keys are computed from the article alone, with fixed algorithms, so
//! they can be persisted and compared across runs.

/// The keys an article is looked up by.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Keys {
    /// The canonical URL with tracking parameters and fragments stripped.
    pub url_key: Option<String>,
    /// Hex BLAKE3 of the normalized body text.
    pub body_hash: String,
}

/// A stored story that one of the keys found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Known {
    /// The story's id.
    pub story_id: i64,
    /// True when the stored current text has the same body hash.
    pub same_body: bool,
}

/// What the store found for each key.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Matches {
    /// A story already seen at the same URL key.
    pub by_url: Option<Known>,
    /// A story already seen as the same (feed, guid).
    pub by_guid: Option<Known>,
    /// A story whose current (or any earlier) body has the same hash.
    pub by_body: Option<i64>,
}

/// The decision.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// A story not seen before.
    New,
    /// A known story, same text: record where it appeared, nothing else.
    Same {
        /// The story.
        story_id: i64,
    },
    /// A known story with changed text: a new version.
    NewVersion {
        /// The story.
        story_id: i64,
    },
}

/// Computes the lookup keys.
pub fn keys(_canonical_url: Option<&str>, _body_text: &str) -> Keys {
    todo!("dedupe::keys")
}

/// Decides from what the store found.
pub fn decide(_matches: &Matches) -> Verdict {
    todo!("dedupe::decide")
}
