//! [`FetchError`]: why a fetch failed, naming the URL, and how the caller should treat it
//! ([`FetchError::is_gone`], [`FetchError::is_transient`]).

/// Why a fetch failed; every variant names the URL.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum FetchError {
    /// The client could not be built.
    #[error("cannot build HTTP client: {0}")]
    Client(String),
    /// The URL cannot be fetched at all (not http/https, no host).
    #[error("{url}: cannot fetch: {reason}")]
    InvalidUrl {
        /// The URL.
        url: String,
        /// What is wrong with it.
        reason: String,
    },
    /// The SSRF guard refused the destination.
    #[error("{url}: blocked: {reason}")]
    Blocked {
        /// The URL (the redirect hop that was refused).
        url: String,
        /// Which rule refused it.
        reason: String,
    },
    /// The request or the body did not finish within the configured time.
    #[error("{url}: timed out")]
    Timeout {
        /// The URL.
        url: String,
        /// The client's error, when the timeout came from inside the client.
        #[source]
        source: Option<reqwest::Error>,
    },
    /// No connection could be made (DNS failure, refused, TLS handshake).
    #[error("{url}: cannot connect")]
    Connect {
        /// The URL.
        url: String,
        /// The client's error.
        #[source]
        source: reqwest::Error,
    },
    /// Any other transport failure (malformed response, broken body, bad compression).
    #[error("{url}: request failed")]
    Http {
        /// The URL.
        url: String,
        /// The client's error.
        #[source]
        source: reqwest::Error,
    },
    /// The server answered with a status other than 2xx or 304.
    #[error("{url}: HTTP status {status}")]
    Status {
        /// The URL that gave the status (after redirects).
        url: String,
        /// The status code.
        status: u16,
    },
    /// The body (after decompression) or its declared length exceeds `max_body_bytes`.
    #[error("{url}: body larger than {limit} bytes")]
    TooLarge {
        /// The URL.
        url: String,
        /// The configured limit.
        limit: u64,
    },
    /// The body is gzip data (sent without a Content-Encoding saying so) that does not unpack.
    #[error("{url}: {source}")]
    Compressed {
        /// The URL.
        url: String,
        /// What went wrong.
        #[source]
        source: crate::compression::UnpackError,
    },
    /// The host asked (429/503 `Retry-After`) for a pause longer than a request may wait.
    #[error("{url}: the host asked for a pause (Retry-After); not before {secs} s from now")]
    Deferred {
        /// The URL.
        url: String,
        /// Seconds until the host may be asked again.
        secs: u64,
    },
    /// robots.txt does not let us fetch the URL: it disallows it, or it could not be had (a
    /// 5xx or no answer), which disallows every page of the host for a while (RFC 9309).
    #[error("{url}: not fetched: robots.txt disallows it{detail}")]
    Disallowed {
        /// The URL.
        url: String,
        /// Empty when the rules disallow it; else why robots.txt could not be had.
        detail: String,
    },
    /// More than `max_redirects` redirects.
    #[error("{url}: more than {limit} redirects")]
    TooManyRedirects {
        /// The URL asked for.
        url: String,
        /// The configured limit.
        limit: usize,
    },
    /// A redirect without a usable `Location` header.
    #[error("{url}: redirect with bad Location {location:?}")]
    BadRedirect {
        /// The URL that redirected.
        url: String,
        /// The `Location` header as sent (empty when missing).
        location: String,
    },
}

impl FetchError {
    /// The URL the error is about (empty for [`FetchError::Client`]).
    pub fn url(&self) -> &str {
        match self {
            FetchError::Client(_) => "",
            FetchError::InvalidUrl { url, .. }
            | FetchError::Blocked { url, .. }
            | FetchError::Timeout { url, .. }
            | FetchError::Connect { url, .. }
            | FetchError::Http { url, .. }
            | FetchError::Status { url, .. }
            | FetchError::TooLarge { url, .. }
            | FetchError::Compressed { url, .. }
            | FetchError::Deferred { url, .. }
            | FetchError::Disallowed { url, .. }
            | FetchError::TooManyRedirects { url, .. }
            | FetchError::BadRedirect { url, .. } => url,
        }
    }

    /// The HTTP status, for [`FetchError::Status`].
    pub fn status(&self) -> Option<u16> {
        match self {
            FetchError::Status { status, .. } => Some(*status),
            _ => None,
        }
    }

    /// A short, stable name for the kind of failure (a metrics label): `client`,
    /// `invalid_url`, `blocked`, `timeout`, `connect`, `http`, `status_4xx`, `status_5xx`,
    /// `too_large`, `compressed`, `deferred`, `robots` (robots.txt disallows the page), `redirects`.
    pub fn kind(&self) -> &'static str {
        match self {
            FetchError::Client(_) => "client",
            FetchError::InvalidUrl { .. } => "invalid_url",
            FetchError::Blocked { .. } => "blocked",
            FetchError::Timeout { .. } => "timeout",
            FetchError::Connect { .. } => "connect",
            FetchError::Http { .. } => "http",
            FetchError::Status { status, .. } if *status >= 500 => "status_5xx",
            FetchError::Status { .. } => "status_4xx",
            FetchError::TooLarge { .. } => "too_large",
            FetchError::Compressed { .. } => "compressed",
            FetchError::Deferred { .. } => "deferred",
            FetchError::Disallowed { .. } => "robots",
            FetchError::TooManyRedirects { .. } | FetchError::BadRedirect { .. } => "redirects",
        }
    }

    /// True for 404 Not Found and 410 Gone: the resource is not there (stop asking, or mark
    /// the item dead), as opposed to a failure worth retrying.
    pub fn is_gone(&self) -> bool {
        matches!(self.status(), Some(404 | 410))
    }

    /// True when robots.txt kept the URL from being fetched.
    pub fn is_disallowed(&self) -> bool {
        matches!(self, FetchError::Disallowed { .. })
    }

    /// True when trying again later may succeed: timeouts, connection failures, a host's
    /// asked-for pause, 408, 429 and 5xx.
    pub fn is_transient(&self) -> bool {
        match self {
            FetchError::Timeout { .. }
            | FetchError::Connect { .. }
            | FetchError::Deferred { .. } => true,
            FetchError::Status { status, .. } => matches!(status, 408 | 429 | 500..=599),
            _ => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn status(status: u16) -> FetchError {
        FetchError::Status {
            url: "http://e.com/".into(),
            status,
        }
    }

    #[test]
    fn gone_is_404_and_410_only() {
        assert!(status(404).is_gone());
        assert!(status(410).is_gone());
        assert!(!status(403).is_gone());
        assert!(!status(500).is_gone());
    }

    #[test]
    fn transient_statuses() {
        for s in [408, 429, 500, 502, 503, 504] {
            assert!(status(s).is_transient(), "{s}");
        }
        for s in [400, 401, 403, 404, 410] {
            assert!(!status(s).is_transient(), "{s}");
        }
        let t = FetchError::Timeout {
            url: "http://e.com/".into(),
            source: None,
        };
        assert!(t.is_transient());
        let b = FetchError::Blocked {
            url: "http://10.0.0.1/".into(),
            reason: "private".into(),
        };
        assert!(!b.is_transient());
    }

    #[test]
    fn messages_name_the_url() {
        let e = FetchError::TooLarge {
            url: "http://e.com/big".into(),
            limit: 10,
        };
        assert_eq!(e.to_string(), "http://e.com/big: body larger than 10 bytes");
        assert_eq!(e.url(), "http://e.com/big");
        assert_eq!(e.kind(), "too_large");
        assert_eq!(
            (status(404).kind(), status(503).kind()),
            ("status_4xx", "status_5xx")
        );
    }
}
