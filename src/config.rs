//! The configuration file: TOML in, a validated [`Config`] out.
//!
//! Every section denies unknown keys, and values that can be wrong are parsed into types that
//! check themselves while deserializing ([`FeedUrl`], [`HostPort`], non-zero numbers), so the
//! error toml reports names the key, the line and the column. The few checks that span several
//! entries (duplicate feed names) find the line themselves.

use std::fmt;
use std::num::{NonZeroU64, NonZeroUsize};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use url::Url;

use crate::extract::rules::SiteRule;

/// Where the config is read from when neither `--config` nor `WIREDESK_CONFIG` names a file.
pub const DEFAULT_CONFIG_PATH: &str = "config/wiredesk.toml";
/// The store's path when the config does not set `[store] path`.
pub const DEFAULT_STORE_PATH: &str = "data/wiredesk.db";
/// The User-Agent sent when the config does not set one.
pub const DEFAULT_USER_AGENT: &str = concat!(
    "wiredesk/",
    env!("CARGO_PKG_VERSION"),
    " (wire syndication ingester)"
);
/// Total time allowed for one request, in seconds.
pub const DEFAULT_TIMEOUT_SECS: u64 = 30;
/// Time allowed to establish a connection, in seconds.
pub const DEFAULT_CONNECT_TIMEOUT_SECS: u64 = 10;
/// The largest body read, after decompression (10 MiB).
pub const DEFAULT_MAX_BODY_BYTES: u64 = 10 * 1024 * 1024;
/// The most redirects followed for one request.
pub const DEFAULT_MAX_REDIRECTS: usize = 5;
/// Requests in flight at once, over all hosts.
pub const DEFAULT_CONCURRENCY: usize = 8;
/// Requests in flight at once to one host.
pub const DEFAULT_PER_HOST_CONCURRENCY: usize = 2;
/// Default `[fetch] per_host_interval_ms`: one request a second to one host.
pub const DEFAULT_PER_HOST_INTERVAL_MS: u64 = 1000;
/// How often a feed is polled when its entry does not say, in seconds.
pub const DEFAULT_INTERVAL_SECS: u64 = 300;

/// Errors reading or validating the configuration.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ConfigError {
    /// The file could not be read.
    #[error("cannot read config file {path}")]
    Read {
        /// The file.
        path: PathBuf,
        /// Why.
        #[source]
        source: std::io::Error,
    },
    /// The file is not valid TOML, has an unknown key or a bad value (the message has the line).
    #[error("invalid config file {path}: {message}")]
    Parse {
        /// The file.
        path: PathBuf,
        /// toml's message, with line, column and the offending key.
        message: String,
    },
    /// A check across entries failed.
    #[error("invalid config file {path}, line {line}: {message}")]
    Invalid {
        /// The file.
        path: PathBuf,
        /// 1-based line of the offending key, 0 if unknown.
        line: usize,
        /// What is wrong.
        message: String,
    },
}

/// The whole configuration.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Config {
    /// `[store]`.
    pub store: StoreConfig,
    /// `[fetch]`.
    pub fetch: FetchConfig,
    /// `[[feeds]]`.
    pub feeds: Vec<FeedConfig>,
    /// `[[sites]]`: extraction rules for sites the heuristics miss (reloaded on SIGHUP).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub sites: Vec<SiteRule>,
    /// `[metrics]`: the daemon's Prometheus and health endpoint.
    pub metrics: MetricsConfig,
    /// `[api]`: the affiliates' read API (`wiredesk serve`).
    pub api: ApiConfig,
}

/// `[api]`: where `wiredesk serve` listens and whether it asks for a token.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ApiConfig {
    /// The address to listen on.
    pub listen: std::net::SocketAddr,
    /// Serve reads without a token (a trusted network only).
    pub public: bool,
}

/// Default `[api] listen`.
pub const DEFAULT_API_LISTEN: &str = "127.0.0.1:8080";

impl Default for ApiConfig {
    fn default() -> Self {
        ApiConfig {
            listen: DEFAULT_API_LISTEN.parse().expect("a socket address"),
            public: false,
        }
    }
}

/// `[metrics]`: where the daemon serves `/metrics` (Prometheus/OpenMetrics text) and
/// `/healthz`. Off unless `listen` is set; read at start (a reload does not move it).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct MetricsConfig {
    /// The address to listen on, e.g. `127.0.0.1:9187`. Absent: no listener.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub listen: Option<std::net::SocketAddr>,
    /// `/healthz` answers 503 when no feed poll has succeeded for this many seconds.
    pub stale_after_secs: NonZeroU64,
}

/// Default `[metrics] stale_after_secs`: an hour without a successful poll is unhealthy.
pub const DEFAULT_STALE_AFTER_SECS: u64 = 3600;

impl Default for MetricsConfig {
    fn default() -> Self {
        MetricsConfig {
            listen: None,
            stale_after_secs: NonZeroU64::new(DEFAULT_STALE_AFTER_SECS).expect("non-zero"),
        }
    }
}

/// `[store]`: where the SQLite database lives.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct StoreConfig {
    /// Path of the database file; its directory is created on open.
    pub path: PathBuf,
}

impl Default for StoreConfig {
    fn default() -> Self {
        StoreConfig {
            path: PathBuf::from(DEFAULT_STORE_PATH),
        }
    }
}

/// `[fetch]`: how the network is used.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct FetchConfig {
    /// The User-Agent header.
    pub user_agent: String,
    /// Total time for one request, seconds.
    pub timeout_secs: NonZeroU64,
    /// Time to connect, seconds.
    pub connect_timeout_secs: NonZeroU64,
    /// The largest body accepted, bytes after decompression.
    pub max_body_bytes: NonZeroU64,
    /// Redirects followed per request.
    pub max_redirects: usize,
    /// Requests in flight over all hosts.
    pub concurrency: NonZeroUsize,
    /// Requests in flight to one host.
    pub per_host_concurrency: NonZeroUsize,
    /// The least time between the starts of two requests to one host, milliseconds (0: none).
    pub per_host_interval_ms: u64,
    /// `host:port` pairs that may be fetched although they resolve to loopback, private or
    /// link-local addresses (the SSRF guard refuses those otherwise).
    pub allow_private: Vec<HostPort>,
    /// Honour robots.txt for article pages (never for feeds, which the operator subscribed
    /// to): a disallowed page is not fetched and its item is stored from the feed's text.
    pub robots: bool,
    /// Threads that parse feeds and extract pages; absent: one per core. Pages in flight
    /// (fetched, waiting or being extracted) are bounded by `concurrency + 2 × workers`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub workers: Option<NonZeroUsize>,
}

impl FetchConfig {
    /// The worker threads to start: `workers`, else one per core.
    pub fn worker_threads(&self) -> usize {
        self.workers.map_or_else(
            || std::thread::available_parallelism().map_or(1, NonZeroUsize::get),
            NonZeroUsize::get,
        )
    }
}

impl Default for FetchConfig {
    fn default() -> Self {
        FetchConfig {
            user_agent: DEFAULT_USER_AGENT.to_string(),
            timeout_secs: NonZeroU64::new(DEFAULT_TIMEOUT_SECS).expect("non-zero"),
            connect_timeout_secs: NonZeroU64::new(DEFAULT_CONNECT_TIMEOUT_SECS).expect("non-zero"),
            max_body_bytes: NonZeroU64::new(DEFAULT_MAX_BODY_BYTES).expect("non-zero"),
            max_redirects: DEFAULT_MAX_REDIRECTS,
            concurrency: NonZeroUsize::new(DEFAULT_CONCURRENCY).expect("non-zero"),
            per_host_concurrency: NonZeroUsize::new(DEFAULT_PER_HOST_CONCURRENCY)
                .expect("non-zero"),
            per_host_interval_ms: DEFAULT_PER_HOST_INTERVAL_MS,
            allow_private: Vec::new(),
            robots: true,
            workers: None,
        }
    }
}

/// One `[[feeds]]` entry.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FeedConfig {
    /// A short name, unique in the file; logs and the `appearances.feed` column use it.
    pub name: String,
    /// The feed's URL (http or https).
    pub url: FeedUrl,
    /// Seconds between polls.
    #[serde(default = "default_interval")]
    pub interval_secs: NonZeroU64,
    /// With `max_interval_secs`: the bounds of an adaptive interval, learned from how often
    /// the feed really posts (the mean gap between its items' dates). The shortest interval;
    /// absent: `interval_secs`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_interval_secs: Option<NonZeroU64>,
    /// The longest adaptive interval; absent: `interval_secs`. When both bounds are absent
    /// (or equal) the feed is polled every `interval_secs`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_interval_secs: Option<NonZeroU64>,
    /// The wire credit to assume for this feed's stories when the page names none.
    #[serde(default)]
    pub credit: Option<String>,
    /// Fetch and extract each item's page (else store the feed's own text).
    #[serde(default = "default_true")]
    pub fetch_articles: bool,
    /// Extra request headers for the feed document (not its article pages), by name. A value
    /// `env:NAME` is read from that environment variable and `file:PATH` from that file
    /// (trimmed) at each request, so credentials never sit in the config or in a log;
    /// anything else is sent as written.
    #[serde(default, skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    pub headers: std::collections::BTreeMap<String, String>,
}

impl FeedConfig {
    /// The shortest poll interval: `min_interval_secs`, else `interval_secs` (or
    /// `max_interval_secs` when that is shorter).
    pub fn min_interval(&self) -> std::time::Duration {
        let secs = self.min_interval_secs.unwrap_or_else(|| {
            self.max_interval_secs
                .map_or(self.interval_secs, |max| max.min(self.interval_secs))
        });
        std::time::Duration::from_secs(secs.get())
    }

    /// The longest poll interval: `max_interval_secs`, else `interval_secs` (or
    /// `min_interval_secs` when that is longer).
    pub fn max_interval(&self) -> std::time::Duration {
        let secs = self.max_interval_secs.unwrap_or_else(|| {
            self.min_interval_secs
                .map_or(self.interval_secs, |min| min.max(self.interval_secs))
        });
        std::time::Duration::from_secs(secs.get())
    }

    /// The interval to poll at when the feed posts every `learned` (none learned yet:
    /// `interval_secs`), within the feed's bounds.
    pub fn interval_for(&self, learned: Option<std::time::Duration>) -> std::time::Duration {
        let base = std::time::Duration::from_secs(self.interval_secs.get());
        // Not `clamp`: a config that was never validated must not panic here.
        learned
            .unwrap_or(base)
            .min(self.max_interval())
            .max(self.min_interval())
    }
}

/// Where a feed header's value comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HeaderSource<'a> {
    /// Sent as written.
    Literal(&'a str),
    /// Read from this environment variable.
    Env(&'a str),
    /// Read from this file, trimmed.
    File(&'a Path),
}

impl<'a> HeaderSource<'a> {
    /// Reads a `[[feeds]] headers` value.
    pub fn of(value: &'a str) -> Self {
        if let Some(name) = value.strip_prefix("env:") {
            HeaderSource::Env(name.trim())
        } else if let Some(path) = value.strip_prefix("file:") {
            HeaderSource::File(Path::new(path.trim()))
        } else {
            HeaderSource::Literal(value)
        }
    }

    /// The value to send, or why there is none. The message names the variable or file,
    /// never a value.
    pub fn resolve(&self) -> Result<String, String> {
        match self {
            HeaderSource::Literal(v) => Ok((*v).to_string()),
            HeaderSource::Env(name) => {
                std::env::var(name).map_err(|_| format!("environment variable {name} is not set"))
            }
            HeaderSource::File(path) => std::fs::read_to_string(path)
                .map(|s| s.trim().to_string())
                .map_err(|e| format!("cannot read {}: {e}", path.display())),
        }
    }
}

fn default_interval() -> NonZeroU64 {
    NonZeroU64::new(DEFAULT_INTERVAL_SECS).expect("non-zero")
}

fn default_true() -> bool {
    true
}

/// An absolute `http`/`https` URL, checked while the config is read.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct FeedUrl(Url);

impl FeedUrl {
    /// Parses and checks the scheme.
    pub fn parse(s: &str) -> Result<Self, String> {
        let url = Url::parse(s).map_err(|e| format!("invalid URL {s:?}: {e}"))?;
        match url.scheme() {
            "http" | "https" if url.host().is_some() => Ok(FeedUrl(url)),
            "http" | "https" => Err(format!("URL {s:?} has no host")),
            other => Err(format!(
                "URL {s:?} has scheme {other:?}; only http and https are fetched"
            )),
        }
    }

    /// The URL.
    pub fn url(&self) -> &Url {
        &self.0
    }

    /// The URL as text.
    pub fn as_str(&self) -> &str {
        self.0.as_str()
    }
}

impl fmt::Display for FeedUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0.as_str())
    }
}

impl<'de> Deserialize<'de> for FeedUrl {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        FeedUrl::parse(&s).map_err(serde::de::Error::custom)
    }
}

impl Serialize for FeedUrl {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

/// A `host:port` pair (`127.0.0.1:8080`, `[::1]:8080`, `wire.internal:443`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct HostPort {
    /// Host name or IP literal, lowercase, without brackets.
    pub host: String,
    /// Port.
    pub port: u16,
}

impl HostPort {
    /// Parses `host:port`.
    pub fn parse(s: &str) -> Result<Self, String> {
        let bad = || format!("{s:?} is not host:port (e.g. \"127.0.0.1:8080\")");
        let (host, port) = s.rsplit_once(':').ok_or_else(bad)?;
        let port: u16 = port.parse().map_err(|_| bad())?;
        let host = host.trim_start_matches('[').trim_end_matches(']');
        if host.is_empty() || host.contains(char::is_whitespace) {
            return Err(bad());
        }
        Ok(HostPort {
            host: host.to_ascii_lowercase(),
            port,
        })
    }

    /// True when `url` is served by this host and port.
    pub fn matches(&self, url: &Url) -> bool {
        let host = match url.host() {
            Some(url::Host::Ipv6(ip)) => ip.to_string(),
            Some(h) => h.to_string().to_ascii_lowercase(),
            None => return false,
        };
        host == self.host && url.port_or_known_default() == Some(self.port)
    }
}

impl fmt::Display for HostPort {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.host.contains(':') {
            write!(f, "[{}]:{}", self.host, self.port)
        } else {
            write!(f, "{}:{}", self.host, self.port)
        }
    }
}

impl<'de> Deserialize<'de> for HostPort {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        HostPort::parse(&s).map_err(serde::de::Error::custom)
    }
}

impl Serialize for HostPort {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl Config {
    /// Reads and validates `path`.
    pub fn load(path: &Path) -> Result<Config, ConfigError> {
        let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Read {
            path: path.to_path_buf(),
            source,
        })?;
        Config::from_toml(&text, path)
    }

    /// Parses and validates config text; `path` only labels the errors.
    pub fn from_toml(text: &str, path: &Path) -> Result<Config, ConfigError> {
        let config: Config = toml::from_str(text).map_err(|e| ConfigError::Parse {
            path: path.to_path_buf(),
            message: e.to_string().trim_end().to_string(),
        })?;
        config.validate(text, path)?;
        Ok(config)
    }

    /// Checks that span entries: feed names and URLs are unique, names are not blank.
    fn validate(&self, text: &str, path: &Path) -> Result<(), ConfigError> {
        let invalid = |needle: &str, message: String| ConfigError::Invalid {
            path: path.to_path_buf(),
            line: line_of(text, needle),
            message,
        };
        let mut names = std::collections::HashSet::new();
        let mut urls = std::collections::HashSet::new();
        for feed in &self.feeds {
            if feed.name.trim().is_empty() {
                return Err(invalid("name", "feeds.name must not be empty".into()));
            }
            if !names.insert(feed.name.as_str()) {
                return Err(invalid_last(
                    text,
                    path,
                    &feed.name,
                    format!("feeds.name {:?} is used twice", feed.name),
                ));
            }
            for name in feed.headers.keys() {
                if reqwest::header::HeaderName::from_bytes(name.as_bytes()).is_err() {
                    return Err(invalid_last(
                        text,
                        path,
                        name,
                        format!("feeds.headers: {name:?} is not a valid header name"),
                    ));
                }
            }
            if feed.min_interval() > feed.max_interval() {
                return Err(invalid_last(
                    text,
                    path,
                    &feed.name,
                    format!(
                        "feeds {:?}: min_interval_secs ({}) exceeds max_interval_secs ({})",
                        feed.name,
                        feed.min_interval().as_secs(),
                        feed.max_interval().as_secs()
                    ),
                ));
            }
            if !urls.insert(feed.url.as_str()) {
                return Err(invalid_last(
                    text,
                    path,
                    feed.url.as_str(),
                    format!("feeds.url {} is listed twice", feed.url),
                ));
            }
        }
        let mut hosts = std::collections::HashSet::new();
        for site in &self.sites {
            let host = site.host.as_str();
            if !hosts.insert(host.to_owned()) {
                return Err(invalid_last(
                    text,
                    path,
                    host,
                    format!("sites.host {host:?} has two rules"),
                ));
            }
        }
        if self.fetch.per_host_concurrency > self.fetch.concurrency {
            return Err(invalid(
                "per_host_concurrency",
                format!(
                    "fetch.per_host_concurrency ({}) exceeds fetch.concurrency ({})",
                    self.fetch.per_host_concurrency, self.fetch.concurrency
                ),
            ));
        }
        Ok(())
    }

    /// The configured feed with this URL, if any.
    pub fn feed_by_url(&self, url: &str) -> Option<&FeedConfig> {
        self.feeds.iter().find(|f| f.url.as_str() == url)
    }

    /// The effective config as TOML (what `check-config` prints).
    pub fn to_toml(&self) -> String {
        toml::to_string_pretty(self).unwrap_or_else(|e| format!("# cannot print config: {e}\n"))
    }
}

/// 1-based line of the first line containing `needle`, 0 when absent.
fn line_of(text: &str, needle: &str) -> usize {
    text.lines()
        .position(|l| l.contains(needle))
        .map_or(0, |i| i + 1)
}

/// Like [`line_of`] but the last occurrence: a duplicate is reported where it repeats.
fn invalid_last(text: &str, path: &Path, needle: &str, message: String) -> ConfigError {
    let line = text
        .lines()
        .enumerate()
        .filter(|(_, l)| l.contains(needle))
        .last()
        .map_or(0, |(i, _)| i + 1);
    ConfigError::Invalid {
        path: path.to_path_buf(),
        line,
        message,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Config, ConfigError> {
        Config::from_toml(text, Path::new("test.toml"))
    }

    #[test]
    fn empty_file_gives_defaults() {
        let c = parse("").unwrap();
        assert_eq!(c.store.path, PathBuf::from(DEFAULT_STORE_PATH));
        assert_eq!(c.fetch.max_redirects, DEFAULT_MAX_REDIRECTS);
        assert!(c.feeds.is_empty());
    }

    #[test]
    fn feed_defaults_apply() {
        let c = parse("[[feeds]]\nname = \"a\"\nurl = \"https://example.com/rss\"\n").unwrap();
        let f = &c.feeds[0];
        assert_eq!(f.interval_secs.get(), DEFAULT_INTERVAL_SECS);
        assert!(f.fetch_articles);
        assert_eq!(f.credit, None);
    }

    #[test]
    fn site_rules_parse_and_a_host_may_have_one_rule() {
        let c = parse(
            "[[sites]]\nhost = \"www.KVIA.com\"\nbody = \"div.entry-content\"\nremove = [\".ad\", \"aside\"]\n",
        )
        .unwrap();
        assert_eq!(c.sites[0].host.as_str(), "kvia.com");
        assert_eq!(c.sites[0].remove.len(), 2);
        let err = parse("[[sites]]\nhost = \"kvia.com\"\n\n[[sites]]\nhost = \"kvia.com\"\n")
            .unwrap_err()
            .to_string();
        assert!(err.contains("line 5") && err.contains("two rules"), "{err}");
        let err = parse("[[sites]]\nhost = \"https://kvia.com/\"\n")
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("line 2") && err.contains("not a host name"),
            "{err}"
        );
    }

    #[test]
    fn unknown_key_names_key_and_line() {
        let err = parse("[fetch]\nuser_agent = \"x\"\ntimeout = 5\n")
            .unwrap_err()
            .to_string();
        assert!(err.contains("timeout"), "{err}");
        assert!(err.contains("line 3"), "{err}");
    }

    #[test]
    fn zero_interval_is_rejected_with_line() {
        let err = parse("[[feeds]]\nname = \"a\"\nurl = \"https://e.com/\"\ninterval_secs = 0\n")
            .unwrap_err()
            .to_string();
        assert!(err.contains("line 4"), "{err}");
    }

    #[test]
    fn non_http_feed_url_is_rejected() {
        let err = parse("[[feeds]]\nname = \"a\"\nurl = \"file:///etc/passwd\"\n")
            .unwrap_err()
            .to_string();
        assert!(err.contains("only http and https"), "{err}");
        assert!(err.contains("line 3"), "{err}");
    }

    #[test]
    fn duplicate_feed_name_points_at_second_entry() {
        let text = "[[feeds]]\nname = \"a\"\nurl = \"https://e.com/1\"\n\n[[feeds]]\nname = \"a\"\nurl = \"https://e.com/2\"\n";
        let err = parse(text).unwrap_err().to_string();
        assert!(
            err.contains("line 6") && err.contains("used twice"),
            "{err}"
        );
    }

    #[test]
    fn allow_private_parses_host_port() {
        let c = parse("[fetch]\nallow_private = [\"127.0.0.1:8080\", \"[::1]:9\"]\n").unwrap();
        assert_eq!(c.fetch.allow_private[0].port, 8080);
        assert_eq!(c.fetch.allow_private[1].host, "::1");
        assert!(c.fetch.allow_private[0].matches(&Url::parse("http://127.0.0.1:8080/x").unwrap()));
        assert!(!c.fetch.allow_private[0].matches(&Url::parse("http://127.0.0.1:8081/x").unwrap()));
        assert!(c.fetch.allow_private[1].matches(&Url::parse("http://[::1]:9/").unwrap()));
        let err = parse("[fetch]\nallow_private = [\"localhost\"]\n")
            .unwrap_err()
            .to_string();
        assert!(err.contains("host:port"), "{err}");
    }

    #[test]
    fn round_trips_through_to_toml() {
        let c = parse(
            "[[feeds]]\nname = \"a\"\nurl = \"https://e.com/rss\"\ncredit = \"CNN Newsource\"\n",
        )
        .unwrap();
        let again = parse(&c.to_toml()).unwrap();
        assert_eq!(c, again);
    }
}
