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

/// What a poll found, recorded on the feed's row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PollOutcome {
    /// 304: the validators stay.
    NotModified,
    /// A full response: its validators replace the old ones.
    Fetched {
        /// `ETag`.
        etag: Option<String>,
        /// `Last-Modified`.
        last_modified: Option<String>,
    },
    /// The poll failed; `consecutive_errors` goes up.
    Failed {
        /// The message, naming the URL.
        error: String,
    },
}

/// A row of `stories` in brief, for listings.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StorySummary {
    /// Story id.
    pub id: i64,
    /// Headline of the current version.
    pub headline: Option<String>,
    /// Wire credit.
    pub credit: Option<String>,
    /// Section.
    pub section: Option<String>,
    /// Publication time (RFC 3339).
    pub published_at: Option<String>,
    /// Current version number (1 = never revised).
    pub version: i64,
    /// How many places it appeared.
    pub appearances: i64,
    /// First time seen (RFC 3339).
    pub first_seen_at: String,
}

impl Store {
    /// Opens an existing database read-only (for affiliates, the CLI's read commands).
    pub fn open_read_only(_path: &Path) -> Result<Store, StoreError> {
        Err(StoreError::Unimplemented)
    }

    /// Inserts the feed's row if missing (and updates its name).
    pub fn register_feed(&self, _name: &str, _url: &str) -> Result<(), StoreError> {
        Err(StoreError::Unimplemented)
    }

    /// The feed's poll state, if it has a row.
    pub fn feed_state(&self, _url: &str) -> Result<Option<FeedState>, StoreError> {
        Err(StoreError::Unimplemented)
    }

    /// Records a poll of the feed at `url`.
    pub fn record_poll(
        &self,
        _url: &str,
        _polled_at: DateTime<Utc>,
        _next_poll_at: DateTime<Utc>,
        _outcome: &PollOutcome,
    ) -> Result<(), StoreError> {
        Err(StoreError::Unimplemented)
    }

    /// True when this (feed name, item guid) has already been stored.
    pub fn seen_item(&self, _feed: &str, _guid: &str) -> Result<bool, StoreError> {
        Err(StoreError::Unimplemented)
    }

    /// Stores an article in one transaction: new story, new appearance, new version or nothing.
    pub fn ingest(&mut self, _incoming: &Incoming) -> Result<IngestOutcome, StoreError> {
        Err(StoreError::Unimplemented)
    }

    /// The newest stories first.
    pub fn list_stories(&self, _limit: usize) -> Result<Vec<StorySummary>, StoreError> {
        Err(StoreError::Unimplemented)
    }

    /// Full-text search over headline and body (FTS5 query syntax).
    pub fn search(&self, _query: &str, _limit: usize) -> Result<Vec<StorySummary>, StoreError> {
        Err(StoreError::Unimplemented)
    }
}
