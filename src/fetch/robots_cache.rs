//! robots.txt per origin (scheme, host, port): fetched through the [`Fetcher`] itself (so the
//! SSRF guard, the limits and the per-host spacing apply), at most [`MAX_ROBOTS_BYTES`] read,
//! kept for a day (or the response's `max-age`, at least [`MIN_FRESH`]), for at most
//! [`MAX_ORIGINS`] origins.
//!
//! What a fetch gives (RFC 9309 §2.3.1): a 2xx is parsed; a 4xx (404 included) means no rules;
//! a 5xx, a 429 or no answer at all means every page is disallowed, asked again after
//! [`RETRY_UNREACHABLE`] (meanwhile the previous rules, if the origin had any, still hold). A
//! host that asked for a long pause (Retry-After) is not waited for: the check fails as
//! deferred, like the page's own request would.
//!
//! One fetch per origin at a time: the first request to an origin fetches while the others
//! wait for its answer, on that origin's lock only.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::time::Instant;
use url::Url;

use super::robots::{MAX_ROBOTS_BYTES, Rules};
use super::{FetchError, Fetcher, Outcome};

/// How long a robots.txt is kept when its response says nothing (RFC 9309 §2.4: a day).
pub const DEFAULT_FRESH: Duration = Duration::from_secs(24 * 60 * 60);
/// The shortest time a robots.txt is kept, whatever its `max-age` says.
pub const MIN_FRESH: Duration = Duration::from_secs(5 * 60);
/// How soon an unreachable robots.txt is asked again.
pub const RETRY_UNREACHABLE: Duration = Duration::from_secs(10 * 60);
/// The longest `Crawl-delay` honoured.
pub const MAX_CRAWL_DELAY: Duration = Duration::from_secs(60);
/// Origins whose robots.txt is kept; past this, the least recently used one is dropped.
pub const MAX_ORIGINS: usize = 1024;

/// What an origin's robots.txt says, as far as we know.
#[derive(Debug, Clone)]
enum Policy {
    /// Parsed rules (an empty set when there was no robots.txt).
    Rules(Arc<Rules>),
    /// robots.txt could not be had: every page is disallowed for now.
    Unreachable(String),
}

/// One origin's cached answer.
#[derive(Debug)]
struct Known {
    policy: Policy,
    until: Instant,
    /// Whether a refusal under this answer has been logged at WARN.
    logged: bool,
}

#[derive(Debug, Default)]
struct Origin {
    known: tokio::sync::Mutex<Option<Known>>,
    last_used: Mutex<Option<Instant>>,
}

/// The cache: one entry per origin.
#[derive(Debug)]
pub struct RobotsCache {
    product: String,
    origins: Mutex<HashMap<String, Arc<Origin>>>,
}

impl RobotsCache {
    /// A cache for the crawler whose product token is `product`.
    pub fn new(product: String) -> RobotsCache {
        RobotsCache {
            product,
            origins: Mutex::new(HashMap::new()),
        }
    }

    fn origin(&self, key: &str) -> Arc<Origin> {
        let mut map = self.origins.lock().unwrap_or_else(|p| p.into_inner());
        if !map.contains_key(key) && map.len() >= MAX_ORIGINS {
            // The least recently used origin nobody is asking about right now.
            let oldest = map
                .iter()
                .filter(|(_, o)| Arc::strong_count(o) == 1)
                .min_by_key(|(_, o)| *o.last_used.lock().unwrap_or_else(|p| p.into_inner()))
                .map(|(k, _)| k.clone());
            if let Some(k) = oldest {
                map.remove(&k);
            }
        }
        let origin = Arc::clone(map.entry(key.to_string()).or_default());
        *origin.last_used.lock().unwrap_or_else(|p| p.into_inner()) = Some(Instant::now());
        origin
    }

    /// Origins held (for tests).
    #[cfg(test)]
    pub fn len(&self) -> usize {
        self.origins.lock().unwrap().len()
    }

    /// `Ok` when `url` may be fetched; [`FetchError::Disallowed`] when robots.txt says no (or
    /// cannot be had); [`FetchError::Deferred`] when its host asked for a long pause. Applies
    /// the origin's `Crawl-delay` to its host's spacing.
    pub async fn check(&self, fetcher: &Fetcher, url: &Url) -> Result<(), FetchError> {
        let Some(key) = origin_key(url) else {
            // Not http(s) or no host: the request itself reports that.
            return Ok(());
        };
        let origin = self.origin(&key);
        let mut known = origin.known.lock().await;
        let now = Instant::now();
        if known.as_ref().is_none_or(|k| k.until <= now) {
            let robots_url = robots_url(url);
            let (policy, fresh) = self.fetch(fetcher, &robots_url).await?;
            let policy = match (policy, known.take()) {
                // Unreachable now, but we had its rules: they hold while we ask again
                // (RFC 9309 §2.4 lets a cached copy stand in while the file is unreachable).
                (
                    Policy::Unreachable(why),
                    Some(Known {
                        policy: Policy::Rules(old),
                        ..
                    }),
                ) => {
                    tracing::info!(robots = %robots_url, reason = %why, "robots.txt unreachable; keeping its previous rules for now.");
                    Policy::Rules(old)
                }
                (policy, _) => policy,
            };
            *known = Some(Known {
                policy,
                until: Instant::now() + fresh,
                logged: false,
            });
        }
        let known = known.as_mut().expect("set above");
        let refusal = match &known.policy {
            Policy::Rules(rules) => {
                if let Some(delay) = rules.crawl_delay() {
                    fetcher.set_host_interval(url, delay.min(MAX_CRAWL_DELAY));
                }
                if rules.allows(url) {
                    return Ok(());
                }
                String::new()
            }
            Policy::Unreachable(why) => format!(
                " ({} could not be had: {why}; every page of the host is disallowed until it can)",
                robots_url(url)
            ),
        };
        if !known.logged {
            known.logged = true;
            tracing::warn!(origin = %key, url = %url, detail = %refusal.trim(),
                "robots.txt disallows pages of this host; they are not fetched and their items are stored from the feed's text (logged once per host per robots.txt fetch).");
        } else {
            tracing::debug!(url = %url, "robots.txt disallows the page; not fetched.");
        }
        Err(FetchError::Disallowed {
            url: url.to_string(),
            detail: refusal,
        })
    }

    /// Fetches and reads an origin's robots.txt: its policy and how long to keep it.
    async fn fetch(
        &self,
        fetcher: &Fetcher,
        robots_url: &Url,
    ) -> Result<(Policy, Duration), FetchError> {
        match fetcher.get_robots(robots_url, MAX_ROBOTS_BYTES).await {
            Ok(Outcome::Fetched(resp)) => {
                let rules = Rules::parse(&resp.body, &self.product);
                let fresh = resp
                    .fresh_for
                    .map_or(DEFAULT_FRESH, |f| f.clamp(MIN_FRESH, DEFAULT_FRESH));
                tracing::debug!(robots = %robots_url, bytes = resp.body.len(), disallows = !rules.is_empty(), crawl_delay = ?rules.crawl_delay(), "Read robots.txt.");
                Ok((Policy::Rules(Arc::new(rules)), fresh))
            }
            // A 304 to an unconditional request: nothing usable was said.
            Ok(Outcome::NotModified) => Ok((
                Policy::Unreachable("HTTP 304 to an unconditional request".into()),
                RETRY_UNREACHABLE,
            )),
            Err(e @ FetchError::Deferred { .. }) => Err(e),
            Err(e) => {
                let unavailable = match &e {
                    FetchError::Status { status, .. } => {
                        (400..500).contains(status) && *status != 429
                    }
                    // Too many redirects, a bad redirect, or one into a refused address: the
                    // file is unavailable, as a 4xx would say (RFC 9309 §2.3.1.2).
                    FetchError::TooManyRedirects { .. }
                    | FetchError::BadRedirect { .. }
                    | FetchError::Blocked { .. }
                    | FetchError::InvalidUrl { .. } => true,
                    _ => false,
                };
                if unavailable {
                    tracing::debug!(robots = %robots_url, error = %e, "No robots.txt; every page is allowed.");
                    Ok((Policy::Rules(Arc::new(Rules::allow_all())), DEFAULT_FRESH))
                } else {
                    let why = match e.status() {
                        Some(status) => format!("HTTP {status}"),
                        None => format!("{e}"),
                    };
                    Ok((Policy::Unreachable(why), RETRY_UNREACHABLE))
                }
            }
        }
    }
}

/// `scheme://host:port` of an http(s) URL.
fn origin_key(url: &Url) -> Option<String> {
    if !matches!(url.scheme(), "http" | "https") {
        return None;
    }
    Some(format!(
        "{}://{}:{}",
        url.scheme(),
        url.host_str()?,
        url.port_or_known_default()?
    ))
}

/// The robots.txt of `url`'s origin.
fn robots_url(url: &Url) -> Url {
    let mut robots = url.clone();
    robots.set_path("/robots.txt");
    robots.set_query(None);
    robots.set_fragment(None);
    robots
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn origins_and_robots_urls() {
        let u = Url::parse("https://user@Example.com/a/b?c=1#d").unwrap();
        assert_eq!(origin_key(&u).unwrap(), "https://example.com:443");
        assert_eq!(
            robots_url(&u).as_str(),
            "https://user@example.com/robots.txt"
        );
        let p = Url::parse("http://e.com:8080/x").unwrap();
        assert_eq!(origin_key(&p).unwrap(), "http://e.com:8080");
        assert_eq!(origin_key(&Url::parse("ftp://e.com/x").unwrap()), None);
    }

    #[test]
    fn the_origin_map_is_bounded_and_drops_the_least_recently_used() {
        let cache = RobotsCache::new("wiredesk".into());
        let first = cache.origin("http://h0:80");
        for i in 1..MAX_ORIGINS + 10 {
            drop(cache.origin(&format!("http://h{i}:80")));
        }
        assert_eq!(cache.len(), MAX_ORIGINS);
        // The one still held was not dropped.
        assert!(Arc::ptr_eq(&first, &cache.origin("http://h0:80")));
    }
}
