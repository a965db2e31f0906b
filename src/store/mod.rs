//! The only SQL: the SQLite schema, its migrations, the single writer and the read queries.

use std::path::Path;

use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::model::Article;

/// Why a store operation failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StoreError {
    /// Placeholder until the store lands.
    #[error("store not implemented")]
    Unimplemented,
}

/// Poll state kept per feed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FeedState {
    /// `ETag` of the last full response.
    pub etag: Option<String>,
    /// `Last-Modified` of the last full response.
    pub last_modified: Option<String>,
    /// When it was last polled.
    pub last_polled_at: Option<DateTime<Utc>>,
    /// When it is due next.
    pub next_poll_at: Option<DateTime<Utc>>,
    /// Polls in a row that failed.
    pub consecutive_errors: u32,
    /// The last failure's message.
    pub last_error: Option<String>,
}

/// One article to store, with where it was seen.
#[derive(Debug, Clone)]
pub struct Incoming {
    /// What extraction made of the page (or of the feed's text).
    pub article: Article,
    /// The configured feed's name.
    pub feed: String,
    /// The item's stable id in that feed.
    pub guid: Option<String>,
    /// Where it was seen (the page URL after redirects, else the item link).
    pub url: Option<String>,
    /// When.
    pub seen_at: DateTime<Utc>,
}

/// What storing an article did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum IngestOutcome {
    /// A new story row.
    New {
        /// Its id.
        story_id: i64,
    },
    /// A known story seen again at a new place.
    NewAppearance {
        /// The story.
        story_id: i64,
    },
    /// A known story with changed text.
    NewVersion {
        /// The story.
        story_id: i64,
        /// The new version number.
        version: i64,
    },
    /// Nothing new: same story, same place, same text.
    Duplicate {
        /// The story.
        story_id: i64,
    },
}

/// The database.
#[derive(Debug)]
pub struct Store {}

impl Store {
    /// Opens (creating if needed) the database for writing and applies migrations.
    pub fn open(_path: &Path) -> Result<Store, StoreError> {
        Err(StoreError::Unimplemented)
    }
}
