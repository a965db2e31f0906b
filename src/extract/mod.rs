//! A page's HTML in, an [`Article`] out: metadata, body as text and sanitized HTML, with the
//! page chrome stripped. Pure: no network, no clock.

use url::Url;

use crate::model::Article;

/// What the caller knows besides the HTML.
#[derive(Debug, Clone, Copy, Default)]
pub struct ExtractOptions<'a> {
    /// The page's URL: base for relative links, and a source of dates and sections.
    pub url: Option<&'a Url>,
    /// The feed's full text for this item (content:encoded), a candidate body.
    pub feed_html: Option<&'a str>,
}

/// Why a page yielded no article.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ExtractError {
    /// Placeholder until the extract module lands.
    #[error("not implemented")]
    Unimplemented,
}

/// Extracts the article from a page.
pub fn extract(_html: &str, _options: &ExtractOptions<'_>) -> Result<Article, ExtractError> {
    Err(ExtractError::Unimplemented)
}
