//! [`Fetcher`]: a URL in, an [`Outcome`] (or a decoded [`Page`]) out.
//!
//! Redirects are followed here, not by reqwest, so that every hop passes the SSRF guard and
//! counts against `max_redirects`. Two reqwest clients share the configuration: a strict one
//! whose resolver refuses every non-public address, and one whose resolver lets the hosts of
//! `allow_private` through; a hop uses the second only when its `host:port` is listed.

use std::sync::Arc;
use std::time::Duration;

use futures_util::StreamExt;
use reqwest::header::{
    CACHE_CONTROL, CONTENT_TYPE, DATE, ETAG, EXPIRES, IF_MODIFIED_SINCE, IF_NONE_MATCH,
    LAST_MODIFIED, LOCATION, RETRY_AFTER,
};
use reqwest::header::{HeaderName, HeaderValue};
use reqwest::{Client, StatusCode, redirect};
use url::Url;

use super::guard::{self, GuardedResolver};
use super::limits::{Admitted, Limits, Reserved};
use super::robots::product_token;
use super::robots_cache::RobotsCache;
use super::{FetchError, Outcome, Response, Validators};
use crate::charset;
use crate::config::{FetchConfig, HostPort};
use crate::model::Page;

/// The HTTP client, shared by every task.
#[derive(Debug, Clone)]
pub struct Fetcher {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    strict: Client,
    permissive: Client,
    allow_private: Vec<HostPort>,
    timeout: Duration,
    max_body_bytes: u64,
    max_redirects: usize,
    limits: Limits,
    /// robots.txt per origin, for article pages; `None` when `[fetch] robots = false`.
    robots: Option<RobotsCache>,
}

/// A request's place at its host: the host's slot, taken when the host's turn has come
/// ([`Fetcher::reserve`]). The pipeline takes one before its own bounded slots (items and pages
/// in flight), so none of those is held while a host's spacing is waited out.
#[derive(Debug)]
pub struct Ticket {
    url: Url,
    reserved: Reserved,
}

/// The error for a host that asked for a pause of `wait`.
fn deferred(url: &Url, wait: Duration) -> FetchError {
    FetchError::Deferred {
        url: url.to_string(),
        secs: wait.as_secs().max(1),
    }
}

/// How much of a body is read.
#[derive(Debug, Clone, Copy)]
enum Cap {
    /// A body longer than this is an error ([`FetchError::TooLarge`]).
    Refuse(u64),
    /// Only this much is read; the rest is ignored.
    Truncate(u64),
}

impl Fetcher {
    /// Builds the client from `[fetch]`.
    pub fn new(config: &FetchConfig) -> Result<Fetcher, FetchError> {
        let timeout = Duration::from_secs(config.timeout_secs.get());
        let build = |resolver: GuardedResolver| {
            Client::builder()
                .user_agent(config.user_agent.as_str())
                .connect_timeout(Duration::from_secs(config.connect_timeout_secs.get()))
                .timeout(timeout)
                .redirect(redirect::Policy::none())
                // A proxy would resolve and connect on our behalf, past the guard.
                .no_proxy()
                .dns_resolver(resolver)
                .build()
                .map_err(|e| FetchError::Client(format!("{e:#}")))
        };
        Ok(Fetcher {
            inner: Arc::new(Inner {
                strict: build(GuardedResolver::strict())?,
                permissive: build(GuardedResolver::allowing(&config.allow_private))?,
                allow_private: config.allow_private.clone(),
                timeout,
                max_body_bytes: config.max_body_bytes.get(),
                max_redirects: config.max_redirects,
                limits: Limits::new(
                    config.concurrency.get(),
                    config.per_host_concurrency.get(),
                    Duration::from_millis(config.per_host_interval_ms),
                    // Waiting longer for a host's turn than a request may take is not worth a
                    // global slot: such a request is deferred instead.
                    Duration::from_secs(config.timeout_secs.get()),
                ),
                robots: config
                    .robots
                    .then(|| RobotsCache::new(product_token(&config.user_agent))),
            }),
        })
    }

    /// GETs `url`, conditionally when `validators` are given.
    ///
    /// 304 gives [`Outcome::NotModified`] without reading a body; any other status outside
    /// 2xx is [`FetchError::Status`]. The global and per-host slots are taken before the
    /// timeout starts, so waiting for a slot is not counted as the server being slow.
    pub async fn get(
        &self,
        url: &Url,
        validators: Option<&Validators>,
    ) -> Result<Outcome, FetchError> {
        self.get_with_headers(url, validators, &[]).await
    }

    /// [`Fetcher::get`] with extra request headers (a feed's credentials). They go to `url`'s
    /// own host only: a redirect to another host does not carry them. Their values are marked
    /// sensitive and never logged.
    pub async fn get_with_headers(
        &self,
        url: &Url,
        validators: Option<&Validators>,
        headers: &[(HeaderName, HeaderValue)],
    ) -> Result<Outcome, FetchError> {
        let ticket = self.reserve(url).await?;
        self.get_reserved(ticket, validators, headers).await
    }

    /// Waits for `url`'s host to have a free slot and its turn to come, and holds that slot:
    /// [`FetchError::Deferred`] when the host asked for a longer pause than a request may wait.
    pub async fn reserve(&self, url: &Url) -> Result<Ticket, FetchError> {
        guard::check_url(url, &self.inner.allow_private)?;
        let reserved = self
            .inner
            .limits
            .reserve(&host_key(url))
            .await
            .map_err(|wait| deferred(url, wait))?;
        Ok(Ticket {
            url: url.clone(),
            reserved,
        })
    }

    /// [`Fetcher::reserve`] for an article page: first asks the page's robots.txt (unless
    /// `[fetch] robots = false`), and a page it disallows gets no ticket
    /// ([`FetchError::Disallowed`]). Feeds are not asked about: the operator subscribed to them.
    pub async fn reserve_article(&self, url: &Url) -> Result<Ticket, FetchError> {
        if let Some(robots) = &self.inner.robots {
            robots.check(self, url).await?;
        }
        self.reserve(url).await
    }

    /// [`Fetcher::get_with_headers`] of a reserved URL.
    pub async fn get_reserved(
        &self,
        ticket: Ticket,
        validators: Option<&Validators>,
        headers: &[(HeaderName, HeaderValue)],
    ) -> Result<Outcome, FetchError> {
        let cap = Cap::Refuse(self.inner.max_body_bytes);
        self.request(ticket, validators, headers, cap).await
    }

    /// [`Fetcher::get`] of an article page, after its robots.txt ([`Fetcher::reserve_article`]).
    pub async fn article(
        &self,
        url: &Url,
        validators: Option<&Validators>,
    ) -> Result<Outcome, FetchError> {
        let ticket = self.reserve_article(url).await?;
        self.get_reserved(ticket, validators, &[]).await
    }

    /// GETs a robots.txt, reading at most `cap` bytes of it.
    pub(super) async fn get_robots(&self, url: &Url, cap: u64) -> Result<Outcome, FetchError> {
        let cap = Cap::Truncate(cap.min(self.inner.max_body_bytes));
        let ticket = self.reserve(url).await?;
        self.request(ticket, None, &[], cap).await
    }

    /// Spaces requests to `url`'s host at least `interval` apart (a `Crawl-delay`).
    pub(super) fn set_host_interval(&self, url: &Url, interval: Duration) {
        self.inner
            .limits
            .set_host_interval(&host_key(url), interval);
    }

    async fn request(
        &self,
        ticket: Ticket,
        validators: Option<&Validators>,
        headers: &[(HeaderName, HeaderValue)],
        cap: Cap,
    ) -> Result<Outcome, FetchError> {
        let Ticket { url, reserved } = ticket;
        let admitted = self
            .inner
            .limits
            .admit(reserved)
            .await
            .map_err(|wait| deferred(&url, wait))?;
        let follow = self.follow(&url, validators, headers, admitted, cap);
        match tokio::time::timeout(self.inner.timeout, follow).await {
            Ok(result) => result,
            Err(_) => Err(FetchError::Timeout {
                url: url.to_string(),
                source: None,
            }),
        }
    }

    /// GETs an article page and decodes it to UTF-8.
    pub async fn page(&self, url: &Url) -> Result<Page, FetchError> {
        match self.get(url, None).await? {
            Outcome::Fetched(resp) => {
                let tld = resp
                    .final_url
                    .domain()
                    .and_then(|d| d.rsplit('.').next())
                    .map(str::as_bytes);
                let html =
                    charset::decode_html_with_tld(&resp.body, resp.content_type.as_deref(), tld);
                Ok(Page {
                    requested_url: resp.requested_url.to_string(),
                    final_url: resp.final_url.to_string(),
                    html,
                })
            }
            // Only possible if a server answers 304 to an unconditional request.
            Outcome::NotModified => Err(FetchError::Status {
                url: url.to_string(),
                status: 304,
            }),
        }
    }

    /// The redirect loop: each hop is guarded, holds its host's slot and a global one, and
    /// counts.
    async fn follow(
        &self,
        requested: &Url,
        validators: Option<&Validators>,
        headers: &[(HeaderName, HeaderValue)],
        mut admitted: Admitted,
        cap: Cap,
    ) -> Result<Outcome, FetchError> {
        let mut current = requested.clone();
        let mut held_host = host_key(requested);
        let mut redirects = 0usize;
        // True while every redirect so far was permanent.
        let mut permanent = true;
        loop {
            guard::check_url(&current, &self.inner.allow_private)?;
            let key = host_key(&current);
            if key != held_host {
                // Another host: its turn is waited for as any request's is, holding neither
                // the old host's slot nor a global one.
                drop(admitted);
                let ticket = self.reserve(&current).await?;
                admitted = self
                    .inner
                    .limits
                    .admit(ticket.reserved)
                    .await
                    .map_err(|wait| deferred(&current, wait))?;
                held_host = key;
            }
            let client = if guard::is_allowed_private(&current, &self.inner.allow_private) {
                &self.inner.permissive
            } else {
                &self.inner.strict
            };
            let mut request = client.get(current.clone());
            if !headers.is_empty() && host_key(&current) == host_key(requested) {
                for (name, value) in headers {
                    let mut value = value.clone();
                    value.set_sensitive(true);
                    request = request.header(name.clone(), value);
                }
            }
            if let Some(v) = validators {
                if let Some(etag) = &v.etag {
                    request = request.header(IF_NONE_MATCH, etag);
                }
                if let Some(lm) = &v.last_modified {
                    request = request.header(IF_MODIFIED_SINCE, lm);
                }
            }
            let resp = request.send().await.map_err(|e| classify(e, &current))?;
            let status = resp.status();
            if status == StatusCode::NOT_MODIFIED {
                tracing::debug!(url = %current, "Not modified.");
                return Ok(Outcome::NotModified);
            }
            if status.is_redirection() {
                let location = resp
                    .headers()
                    .get(LOCATION)
                    .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned());
                let next = location.as_deref().and_then(|l| current.join(l).ok());
                let Some(next) = next else {
                    return Err(FetchError::BadRedirect {
                        url: current.to_string(),
                        location: location.unwrap_or_default(),
                    });
                };
                if redirects >= self.inner.max_redirects {
                    return Err(FetchError::TooManyRedirects {
                        url: requested.to_string(),
                        limit: self.inner.max_redirects,
                    });
                }
                redirects += 1;
                permanent &= matches!(
                    status,
                    StatusCode::MOVED_PERMANENTLY | StatusCode::PERMANENT_REDIRECT
                );
                tracing::debug!(from = %current, to = %next, "Following redirect.");
                current = next;
                continue;
            }
            if matches!(status.as_u16(), 429 | 503)
                && let Some(delay) = resp
                    .headers()
                    .get(RETRY_AFTER)
                    .and_then(|v| v.to_str().ok())
                    .and_then(|v| retry_after(v, chrono::Utc::now()))
            {
                tracing::info!(url = %current, status = status.as_u16(), secs = delay.as_secs(), "Host asked for a pause (Retry-After).");
                self.inner.limits.defer(&held_host, delay);
            }
            if !status.is_success() {
                return Err(FetchError::Status {
                    url: current.to_string(),
                    status: status.as_u16(),
                });
            }
            let header = |name| {
                resp.headers()
                    .get(name)
                    .and_then(|v: &reqwest::header::HeaderValue| v.to_str().ok())
                    .map(str::to_string)
            };
            let content_type = header(CONTENT_TYPE);
            let fresh_for = freshness(
                header(CACHE_CONTROL).as_deref(),
                header(EXPIRES).as_deref(),
                header(DATE).as_deref(),
                chrono::Utc::now(),
            );
            let new_validators = Validators {
                etag: header(ETAG),
                last_modified: header(LAST_MODIFIED),
            };
            let body = self.read_body(resp, &current, cap).await?;
            drop(admitted);
            tracing::debug!(url = %current, status = status.as_u16(), bytes = body.len(), redirects, "Fetched.");
            let moved_to = (redirects > 0 && permanent).then(|| current.clone());
            return Ok(Outcome::Fetched(Response {
                moved_to,
                fresh_for,
                requested_url: requested.clone(),
                final_url: current,
                status: status.as_u16(),
                content_type,
                body,
                validators: new_validators,
            }));
        }
    }

    /// Reads the body, refusing it as soon as it passes the cap, and unpacks it when it is
    /// compressed without saying so ([`crate::compression`]). reqwest has already
    /// decompressed the stream (and dropped the compressed Content-Length), so the count is
    /// of decompressed bytes: a small gzip bomb cannot slip under it.
    async fn read_body(
        &self,
        resp: reqwest::Response,
        url: &Url,
        cap: Cap,
    ) -> Result<Vec<u8>, FetchError> {
        let (limit, truncate) = match cap {
            Cap::Refuse(limit) => (limit, false),
            Cap::Truncate(limit) => (limit, true),
        };
        let too_large = || FetchError::TooLarge {
            url: url.to_string(),
            limit,
        };
        if !truncate && resp.content_length().is_some_and(|len| len > limit) {
            return Err(too_large());
        }
        let mut body = Vec::with_capacity(resp.content_length().unwrap_or(0).min(limit) as usize);
        let mut stream = resp.bytes_stream();
        while let Some(chunk) = stream.next().await {
            let chunk = chunk.map_err(|e| classify(e, url))?;
            if body.len() as u64 + chunk.len() as u64 > limit {
                if truncate {
                    let room = usize::try_from(limit).unwrap_or(usize::MAX) - body.len();
                    body.extend_from_slice(&chunk[..room]);
                    tracing::debug!(url = %url, limit, "Body cut at the cap.");
                    break;
                }
                return Err(too_large());
            }
            body.extend_from_slice(&chunk);
        }
        // A body still gzip- or zlib-packed was compressed without a Content-Encoding that
        // says so (or twice): unpacked here, under the same cap.
        match crate::compression::unpack(&body, limit) {
            Ok(std::borrow::Cow::Borrowed(_)) => Ok(body),
            Ok(std::borrow::Cow::Owned(unpacked)) => {
                tracing::debug!(url = %url, packed = body.len(), bytes = unpacked.len(), "Unpacked an undeclared compressed body.");
                Ok(unpacked)
            }
            Err(crate::compression::UnpackError::TooLarge { .. }) => Err(too_large()),
            Err(source) => Err(FetchError::Compressed {
                url: url.to_string(),
                source,
            }),
        }
    }
}

/// A `Retry-After` value (RFC 9110 §10.2.3: delay-seconds or an HTTP-date) as a delay from
/// `now`; a date in the past is no delay, anything else unreadable is ignored.
fn retry_after(value: &str, now: chrono::DateTime<chrono::Utc>) -> Option<Duration> {
    let value = value.trim();
    if let Ok(secs) = value.parse::<u64>() {
        return Some(Duration::from_secs(secs));
    }
    let at = chrono::DateTime::parse_from_rfc2822(value).ok()?;
    Some(
        (at.with_timezone(&chrono::Utc) - now)
            .to_std()
            .unwrap_or(Duration::ZERO),
    )
}

/// How long a response stays fresh by its headers (RFC 9111 §4.2.1): `Cache-Control:
/// max-age`, else `Expires` minus `Date` (or minus `now` without a `Date`). `no-cache` and
/// `no-store` mean no promise at all.
fn freshness(
    cache_control: Option<&str>,
    expires: Option<&str>,
    date: Option<&str>,
    now: chrono::DateTime<chrono::Utc>,
) -> Option<Duration> {
    if let Some(cc) = cache_control {
        let directives: Vec<String> = cc
            .split(',')
            .map(|d| d.trim().to_ascii_lowercase())
            .collect();
        if directives
            .iter()
            .any(|d| d == "no-cache" || d == "no-store")
        {
            return None;
        }
        if let Some(secs) = directives
            .iter()
            .find_map(|d| d.strip_prefix("max-age="))
            .and_then(|v| v.trim_matches('"').parse::<u64>().ok())
        {
            return Some(Duration::from_secs(secs));
        }
    }
    let expires = chrono::DateTime::parse_from_rfc2822(expires?.trim()).ok()?;
    let base = date
        .and_then(|d| chrono::DateTime::parse_from_rfc2822(d.trim()).ok())
        .map_or(now, |d| d.with_timezone(&chrono::Utc));
    (expires.with_timezone(&chrono::Utc) - base).to_std().ok()
}

/// The per-host slot key: `host:port`.
fn host_key(url: &Url) -> String {
    format!(
        "{}:{}",
        url.host_str().unwrap_or(""),
        url.port_or_known_default().unwrap_or(0)
    )
}

/// Sorts a reqwest error into a [`FetchError`] variant.
fn classify(err: reqwest::Error, url: &Url) -> FetchError {
    let url = url.to_string();
    if let Some(blocked) = guard::find_blocked(&err) {
        return FetchError::Blocked {
            url,
            reason: blocked.to_string(),
        };
    }
    if err.is_timeout() {
        FetchError::Timeout {
            url,
            source: Some(err),
        }
    } else if err.is_connect() {
        FetchError::Connect { url, source: err }
    } else {
        FetchError::Http { url, source: err }
    }
}

#[cfg(test)]
mod retry_after_tests {
    use super::*;

    #[test]
    fn freshness_from_max_age_or_expires() {
        let now = chrono::DateTime::parse_from_rfc3339("2026-12-04T08:00:00Z")
            .unwrap()
            .with_timezone(&chrono::Utc);
        let f = |cc, ex, date| freshness(cc, ex, date, now);
        assert_eq!(
            f(Some("public, max-age=600"), None, None),
            Some(Duration::from_secs(600))
        );
        // max-age wins over Expires; no-cache promises nothing.
        assert_eq!(
            f(
                Some("max-age=60"),
                Some("Fri, 04 Dec 2026 09:00:00 GMT"),
                None
            ),
            Some(Duration::from_secs(60))
        );
        assert_eq!(f(Some("no-cache, max-age=60"), None, None), None);
        assert_eq!(
            f(
                None,
                Some("Fri, 04 Dec 2026 08:30:00 GMT"),
                Some("Fri, 04 Dec 2026 08:10:00 GMT")
            ),
            Some(Duration::from_secs(1200))
        );
        assert_eq!(f(None, Some("Fri, 04 Dec 2026 07:00:00 GMT"), None), None);
        assert_eq!(f(None, None, None), None);
    }

    #[test]
    fn retry_after_reads_seconds_and_http_dates() {
        let now = chrono::DateTime::parse_from_rfc3339("2026-12-04T08:00:00Z")
            .unwrap()
            .with_timezone(&chrono::Utc);
        assert_eq!(retry_after("120", now), Some(Duration::from_secs(120)));
        assert_eq!(
            retry_after("Fri, 04 Dec 2026 08:01:30 GMT", now),
            Some(Duration::from_secs(90))
        );
        assert_eq!(
            retry_after("Fri, 04 Dec 2026 07:00:00 GMT", now),
            Some(Duration::ZERO)
        );
        assert_eq!(retry_after("soon", now), None);
    }
}
