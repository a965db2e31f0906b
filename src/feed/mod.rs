//! Feed documents in, [`FeedItem`]s out. Pure: no network, no clock.
//!
//! RSS 0.9x/1.0/2.0, Atom and JSON Feed go through feed-rs; ids are made stable here because
//! feed-rs invents a random one for an entry with neither guid nor link.

use url::Url;

use crate::model::ParsedFeed;
#[allow(unused_imports)]
use crate::model::FeedItem;

/// Why a document could not be read as a feed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum FeedError {
    /// The document is not a feed in any known format, or is malformed beyond use.
    #[error("not a readable feed: {0}")]
    Malformed(String),
}

/// Parses a feed document. `content_type` is the HTTP header, if any; `base` resolves relative
/// links.
pub fn parse(_bytes: &[u8], _content_type: Option<&str>, _base: Option<&Url>) -> Result<ParsedFeed, FeedError> {
    Err(FeedError::Malformed("not implemented".into()))
}
