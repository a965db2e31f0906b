//! The only network code: one HTTP client with timeouts, a body cap enforced while streaming,
//! a redirect cap, conditional GET, charset decoding and an SSRF guard.
//!
//! In: a URL (and the validators of a previous fetch). Out: bytes or a decoded [`Page`].
//!
//! Files: `client` (the [`Fetcher`]: redirects by hand, conditional GET, body cap), `guard`
//! (SSRF rules and the filtering DNS resolver), `limits` (global and per-host semaphores),
//! `error` ([`FetchError`]), `robots` (robots.txt rules, RFC 9309) and `robots_cache` (each
//! origin's robots.txt, fetched once per day through the same client, for article pages only;
//! its `Crawl-delay` widens the host's spacing). Pages are decoded to UTF-8 by [`crate::charset`].
//!
//! [`Page`]: crate::model::Page

mod client;
mod error;
pub mod guard;
mod limits;
pub mod robots;
mod robots_cache;

pub use client::{Fetcher, Ticket};
pub use error::FetchError;

use url::Url;

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
    /// Where the resource now lives when every redirect on the way was permanent (301/308):
    /// the URL to ask next time.
    pub moved_to: Option<Url>,
    /// How long the server says the response stays fresh (`Cache-Control: max-age`, else
    /// `Expires` against `Date`); `None` when it says nothing or forbids caching.
    pub fresh_for: Option<std::time::Duration>,
}

/// What a conditional GET gives.
// One value per request, moved once: boxing `Response` would buy nothing and change the
// signature other stages code against.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone)]
pub enum Outcome {
    /// 304: nothing changed since the validators were issued.
    NotModified,
    /// A full response.
    Fetched(Response),
}

#[cfg(test)]
mod tests;
