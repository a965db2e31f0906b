//! The only network code: one HTTP client with timeouts, a body cap enforced while streaming,
//! a redirect cap, conditional GET, charset decoding and an SSRF guard.
//!
//! In: a URL (and the validators of a previous fetch). Out: bytes or a decoded [`Page`].

use url::Url;

use crate::config::FetchConfig;
use crate::model::Page;

/// ETag / Last-Modified of a previous response, sent back as If-None-Match / If-Modified-Since.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Validators {
    /// The `ETag` header.
    pub etag: Option<String>,
    /// The `Last-Modified` header.
    pub last_modified: Option<String>,
}

/// A successful (2xx) response, body read in full.
#[derive(Debug, Clone)]
pub struct Response {
    /// The URL asked for.
    pub requested_url: Url,
    /// The URL after redirects.
    pub final_url: Url,
    /// HTTP status.
    pub status: u16,
    /// The `Content-Type` header.
    pub content_type: Option<String>,
    /// The body, decompressed, at most `max_body_bytes`.
    pub body: Vec<u8>,
    /// Validators to send next time.
    pub validators: Validators,
}

/// What a conditional GET gives.
#[derive(Debug, Clone)]
pub enum Outcome {
    /// 304: nothing changed since the validators were issued.
    NotModified,
    /// A full response.
    Fetched(Response),
}

/// Why a fetch failed; every variant names the URL.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum FetchError {
    /// The client could not be built.
    #[error("cannot build HTTP client: {0}")]
    Client(String),
    /// Placeholder until the fetch module lands.
    #[error("{url}: not implemented")]
    Unimplemented {
        /// The URL.
        url: String,
    },
}

/// The HTTP client, shared by every task.
#[derive(Debug, Clone)]
pub struct Fetcher {}

impl Fetcher {
    /// Builds the client from `[fetch]`.
    pub fn new(_config: &FetchConfig) -> Result<Fetcher, FetchError> {
        Ok(Fetcher {})
    }

    /// GETs `url`, conditionally when `validators` are given.
    pub async fn get(&self, url: &Url, _validators: Option<&Validators>) -> Result<Outcome, FetchError> {
        Err(FetchError::Unimplemented { url: url.to_string() })
    }

    /// GETs an article page and decodes it to UTF-8.
    pub async fn page(&self, url: &Url) -> Result<Page, FetchError> {
        Err(FetchError::Unimplemented { url: url.to_string() })
    }
}

/// Decodes an HTML document to UTF-8: BOM, then the `Content-Type` charset, then `<meta>`,
/// then detection.
pub fn decode_html(bytes: &[u8], _content_type: Option<&str>) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}
