//! [`FeedError`]: why a document could not be read as a feed, with the line and column when
//! the XML or JSON parser gives a position.

/// Why a document could not be read as a feed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum FeedError {
    /// The document is not a feed in any known format, or is malformed beyond use.
    #[error("not a readable feed: {0}")]
    Malformed(String),
    /// The document is gzip/zlib data that does not unpack, or unpacks past the cap.
    #[error("not a readable feed: {0}")]
    Compressed(#[from] crate::compression::UnpackError),
    /// The document is empty or only whitespace.
    #[error("not a readable feed: the document is empty")]
    Empty,
    /// The XML is not well-formed.
    #[error("not a readable feed: XML error at line {line}, column {column}: {message}")]
    Xml {
        /// 1-based line.
        line: usize,
        /// 1-based column (in characters).
        column: usize,
        /// The parser's message.
        message: String,
    },
    /// Well-formed XML whose root is not a feed (`<html>`, an unknown RSS version, …).
    #[error("not a readable feed: root element <{root}> is not rss, rdf:RDF or feed{detail}")]
    NotAFeed {
        /// The root element's name.
        root: String,
        /// More detail (e.g. the unsupported version), starting with ", " when present.
        detail: String,
    },
    /// The JSON is malformed or not a JSON Feed (serde_json's message has the line/column).
    #[error("not a readable JSON Feed: {0}")]
    Json(#[source] serde_json::Error),
    /// JSON that is neither a JSON Feed nor ninjs.
    #[error(
        "not a readable feed: a JSON {what} that is neither a JSON Feed (no \"version\" naming \
         https://jsonfeed.org/version/…) nor ninjs (no uri, guid, altids, headline, \
         versioncreated or body_html); its keys: {keys}"
    )]
    UnknownJson {
        /// "object", "array", …
        what: &'static str,
        /// Its first few top-level keys (or "none").
        keys: String,
    },
    /// A JSON Feed with a version this parser does not know.
    #[error("not a readable JSON Feed: unsupported version {0:?}")]
    JsonVersion(String),
    /// The feed parser found a structural problem at a position.
    #[error("not a readable feed: {message} at line {line}, column {column}")]
    Structure {
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
        /// What is wrong.
        message: String,
    },
}

/// 1-based line and column (in characters) of byte offset `pos` in `text`.
pub(crate) fn line_column(text: &[u8], pos: usize) -> (usize, usize) {
    let pos = pos.min(text.len());
    let before = &text[..pos];
    let line = before.iter().filter(|b| **b == b'\n').count() + 1;
    let line_start = before
        .iter()
        .rposition(|b| *b == b'\n')
        .map_or(0, |p| p + 1);
    let column = String::from_utf8_lossy(&before[line_start..])
        .chars()
        .count()
        + 1;
    (line, column)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_column_counts_from_one() {
        assert_eq!(line_column(b"abc", 0), (1, 1));
        assert_eq!(line_column(b"ab\ncd", 4), (2, 2));
        assert_eq!(line_column("é\nxé".as_bytes(), "é\nxé".len()), (2, 3));
    }
}
