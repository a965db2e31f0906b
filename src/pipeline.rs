//! The one place that wires the stages in order: poll a feed (conditional GET), parse it, fetch
//! each new item's page, extract the article, and hand it to the store (which dedupes).
//!
//! In: a [`FeedConfig`]. Out: a [`FeedReport`] counting what happened to each item. A failed
//! item is counted and logged, never aborts its feed; a failed feed is reported to the caller
//! and recorded on its row, never stops the others.

use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};
use futures_util::StreamExt as _;
use tokio::sync::Semaphore;
use tokio_util::sync::CancellationToken;
use tracing::Instrument as _;
use url::Url;

use crate::config::{Config, FeedConfig};
use crate::extract::rules::{self, SiteRule};
use crate::extract::{self, ExtractError, ExtractOptions};
use crate::feed;
use crate::fetch::{self, FetchError, Fetcher, Outcome, Response, Ticket, Validators};
use crate::metrics::{Fetched, Metrics, Polled};
use crate::model::{Article, FeedItem, PubStatus};
use crate::store::{
    BodySource, DueRevisit, Incoming, IngestOutcome, PollOutcome, Prepared, RevisitOutcome, Store,
    StoreError, WireState,
};

mod pool;
mod schedule;
mod writer;

use schedule::GONE_STREAK;
pub use schedule::{MAX_BACKOFF, learned_interval, next_delay, poll_delay};

pub use pool::{Pool, PoolError, Slot};
pub use writer::{MAX_BATCH, WriteError, Writer};

/// The name errors of a revisit pass carry in place of a feed's.
const REVISIT: &str = "revisit";

/// At most this many appearances are revisited in one pass.
pub const REVISIT_BATCH: usize = 500;

/// Why a feed could not be processed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum PipelineError {
    /// The feed could not be fetched.
    #[error("feed {feed}: {source}")]
    Fetch {
        /// The feed's name.
        feed: String,
        /// Why.
        #[source]
        source: fetch::FetchError,
    },
    /// A configured request header has no value (its variable unset, its file unreadable).
    #[error("feed {feed}: {message}")]
    Headers {
        /// The feed's name.
        feed: String,
        /// Which header and why (never its value).
        message: String,
    },
    /// The feed document could not be parsed.
    #[error("feed {feed} ({url}): {source}")]
    Parse {
        /// The feed's name.
        feed: String,
        /// The feed's URL.
        url: String,
        /// Why.
        #[source]
        source: feed::FeedError,
    },
    /// The store failed; this stops the feed, since nothing more could be saved.
    #[error("feed {feed}: {source}")]
    Store {
        /// The feed's name.
        feed: String,
        /// Why.
        #[source]
        source: StoreError,
    },
    /// A worker job panicked, or the worker pool or the store writer has stopped.
    #[error("feed {feed}: internal task failed: {message}")]
    Task {
        /// The feed's name.
        feed: String,
        /// What failed.
        message: String,
    },
    /// The HTTP client could not be built.
    #[error("cannot build the HTTP client")]
    Client(#[source] fetch::FetchError),
    /// A worker or writer thread could not be started.
    #[error("cannot start the pipeline's threads")]
    Start(#[source] std::io::Error),
}

impl PipelineError {
    /// A short, stable name for the kind of failure (a metrics label): the fetch error's kind
    /// ([`fetch::FetchError::kind`]), or `headers`, `parse`, `store`, `task`, `start`.
    pub fn kind(&self) -> &'static str {
        match self {
            PipelineError::Fetch { source, .. } | PipelineError::Client(source) => source.kind(),
            PipelineError::Headers { .. } => "headers",
            PipelineError::Parse { .. } => "parse",
            PipelineError::Store { .. } => "store",
            PipelineError::Task { .. } => "task",
            PipelineError::Start(_) => "start",
        }
    }
}

/// How a feed is taken in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// A scheduled poll: conditional GET; items already stored are not fetched again.
    Poll,
    /// A backfill: unconditional GET; every item is fetched and offered to the store.
    Backfill,
    /// A backfill from an archive (sitemap, URL list, feed archive pages): like `Backfill`,
    /// but an item already stored (its link's URL key, or its (feed, guid)) is skipped, so a
    /// rerun resumes where an interrupted one stopped.
    Archive,
}

/// What became of one feed item.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ItemResult {
    /// Already stored from an earlier poll; not fetched.
    Skipped,
    /// Stored; what the store did with it.
    Stored(IngestOutcome),
    /// Could not be fetched or extracted; the message names the URL.
    Failed(String),
}

/// Counts of item results for one feed (or a whole pass).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct Tally {
    /// New stories.
    pub new: usize,
    /// New versions of known stories.
    pub updated: usize,
    /// Known stories seen at a new place.
    pub appearances: usize,
    /// Nothing new.
    pub duplicate: usize,
    /// Items already stored and not fetched again.
    pub skipped: usize,
    /// Items that failed.
    pub failed: usize,
    /// Known stories replaced by a removal notice (now `canceled`).
    pub canceled: usize,
    /// Revisited pages found gone (404/410): appearances withdrawn.
    pub withdrawn: usize,
}

impl Tally {
    /// Counts one result.
    pub fn add(&mut self, result: &ItemResult) {
        match result {
            ItemResult::Skipped => self.skipped += 1,
            ItemResult::Failed(_) => self.failed += 1,
            ItemResult::Stored(IngestOutcome::New { .. }) => self.new += 1,
            ItemResult::Stored(IngestOutcome::NewVersion { .. }) => self.updated += 1,
            ItemResult::Stored(IngestOutcome::NewAppearance { .. }) => self.appearances += 1,
            ItemResult::Stored(IngestOutcome::Duplicate { .. }) => self.duplicate += 1,
            ItemResult::Stored(IngestOutcome::Canceled { .. }) => self.canceled += 1,
        }
    }

    /// Adds another tally.
    pub fn merge(&mut self, other: &Tally) {
        self.new += other.new;
        self.updated += other.updated;
        self.appearances += other.appearances;
        self.duplicate += other.duplicate;
        self.skipped += other.skipped;
        self.failed += other.failed;
        self.canceled += other.canceled;
        self.withdrawn += other.withdrawn;
    }
}

/// What one feed poll did.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct FeedReport {
    /// The feed's name.
    pub feed: String,
    /// True when the server answered 304 (nothing parsed, nothing stored).
    pub not_modified: bool,
    /// How many items the feed listed.
    pub items: usize,
    /// What became of them.
    pub tally: Tally,
    /// The feed's RFC 5005 `prev-archive` link (read in backfills only).
    #[serde(skip)]
    pub prev_archive: Option<Url>,
    /// The ids of the items the feed listed (kept in backfills only, which page on).
    #[serde(skip)]
    pub item_ids: Vec<String>,
}

/// The stages, wired: one fetcher (async), one pool of CPU workers (parsing and extraction),
/// one store writer thread.
#[derive(Debug, Clone)]
pub struct Pipeline {
    fetcher: Fetcher,
    writer: Arc<Writer>,
    pool: Pool,
    /// Items in flight over all feeds (from their "seen?" check to their store answer).
    items: Arc<Semaphore>,
    concurrency: usize,
    /// `[[sites]]` rules; swapped whole when the daemon reloads them (SIGHUP).
    sites: Arc<std::sync::RwLock<Arc<Vec<SiteRule>>>>,
    /// What has been done, for `/metrics` and `/healthz`.
    metrics: Arc<Metrics>,
    #[cfg(test)]
    hook: Option<tests::Hook>,
}

impl Pipeline {
    /// Builds the pipeline over an open store: starts `[fetch] workers` CPU threads and the
    /// store's writer thread. Pages in flight are bounded by `concurrency + 2 × workers` (every
    /// request slot busy and every worker with one page running and one queued), items in flight
    /// by twice that.
    // Called once per process; the error is the one every pipeline call returns.
    #[allow(clippy::result_large_err)]
    pub fn new(config: &Config, store: Store) -> Result<Pipeline, PipelineError> {
        Pipeline::build(config, store, || {})
    }

    /// [`Pipeline::new`] for the daemon: every CPU worker first warms up ([`warm_up`]), so
    /// a process that runs for months is at its working size, and its first pages cost what
    /// later ones do, within seconds of starting. A one-off command (`poll` from cron, a
    /// `backfill`) is not warmed: there the warm-up would be all cost (a `poll` answered by
    /// 304s took 5.1 CPU-ms a feed warmed, 1.3 cold).
    #[allow(clippy::result_large_err)]
    pub fn for_daemon(config: &Config, store: Store) -> Result<Pipeline, PipelineError> {
        Pipeline::build(config, store, warm_up)
    }

    #[allow(clippy::result_large_err)]
    fn build(config: &Config, store: Store, warm: fn()) -> Result<Pipeline, PipelineError> {
        let concurrency = config.fetch.concurrency.get();
        let workers = config.fetch.worker_threads();
        let pages = concurrency + 2 * workers;
        Ok(Pipeline {
            fetcher: Fetcher::new(&config.fetch).map_err(PipelineError::Client)?,
            writer: Arc::new(Writer::start(store).map_err(PipelineError::Start)?),
            pool: Pool::warmed(workers, pages, warm).map_err(PipelineError::Start)?,
            items: Arc::new(Semaphore::new(2 * pages)),
            concurrency,
            sites: Arc::new(std::sync::RwLock::new(Arc::new(config.sites.clone()))),
            metrics: Arc::new(Metrics::default()),
            #[cfg(test)]
            hook: None,
        })
    }

    /// Replaces the site rules; pages extracted from now on use the new ones.
    pub fn set_site_rules(&self, sites: Vec<SiteRule>) {
        *self.sites.write().unwrap_or_else(|e| e.into_inner()) = Arc::new(sites);
    }

    /// The counters of what this pipeline has done.
    pub fn metrics(&self) -> &Arc<Metrics> {
        &self.metrics
    }

    /// Pages in flight now (fetched or being fetched, waiting for or in extraction).
    pub fn pages_in_flight(&self) -> usize {
        self.pool.in_flight()
    }

    /// Awaits a fetch and records how long it took.
    async fn timed<T>(&self, what: Fetched, fetch: impl std::future::Future<Output = T>) -> T {
        let started = std::time::Instant::now();
        let out = fetch.await;
        self.metrics.fetch_time(what, started.elapsed());
        out
    }

    /// The site rules in force.
    fn site_rules(&self) -> Arc<Vec<SiteRule>> {
        self.sites.read().unwrap_or_else(|e| e.into_inner()).clone()
    }

    /// Runs `f` on the store, on the writer thread, after everything sent to it before.
    async fn with_store<T, F>(&self, feed: &str, f: F) -> Result<T, PipelineError>
    where
        T: Send + 'static,
        F: FnOnce(&mut Store) -> Result<T, StoreError> + Send + 'static,
    {
        self.writer.call(f).await.map_err(|e| write_error(feed, e))
    }

    /// Files an article; the answer comes once it is committed.
    async fn store_article(
        &self,
        feed: &str,
        article: Prepared,
    ) -> Result<IngestOutcome, PipelineError> {
        self.writer
            .ingest(article)
            .await
            .map_err(|e| write_error(feed, e))
    }

    /// Fetches a reserved URL (a failed reservation passes through) holding a page slot, which
    /// goes back with the outcome: the host's turn is waited for first, holding no slot
    /// ([`Fetcher::reserve`]). The outer error is the pipeline's (no slot to be had), the
    /// inner one the fetch's.
    async fn fetch_in_slot(
        &self,
        feed: &str,
        what: Fetched,
        ticket: Result<Ticket, FetchError>,
        validators: Option<&Validators>,
        headers: &[(reqwest::header::HeaderName, reqwest::header::HeaderValue)],
    ) -> Result<Result<(Outcome, Slot), FetchError>, PipelineError> {
        let ticket = match ticket {
            Ok(ticket) => ticket,
            Err(e) => return Ok(Err(e)),
        };
        let slot = self.slot(feed).await?;
        Ok(self
            .timed(what, self.fetcher.get_reserved(ticket, validators, headers))
            .await
            .map(|outcome| (outcome, slot)))
    }

    /// A page's slot: waits while the pages in flight are at their bound.
    async fn slot(&self, feed: &str) -> Result<Slot, PipelineError> {
        self.pool.slot().await.map_err(|e| task_error(feed, &e))
    }

    /// On a worker (the slot goes with the job): decodes a fetched page, extracts its article
    /// and hands the result and the page's final URL to `finish`, which runs there too (it
    /// prepares the article for the store, so the writer only runs SQL).
    async fn extract_page<T, F>(
        &self,
        slot: Slot,
        response: Response,
        feed_html: Option<String>,
        finish: F,
    ) -> Result<T, PoolError>
    where
        T: Send + 'static,
        F: FnOnce(Result<Article, ExtractError>, String) -> T + Send + 'static,
    {
        let sites = self.site_rules();
        #[cfg(test)]
        let hook = self.hook.clone();
        self.pool
            .run(slot, move || {
                #[cfg(test)]
                let _running = hook.as_ref().map(tests::Hook::enter);
                let extracted = extract_response(&response, feed_html.as_deref(), &sites);
                finish(extracted, response.final_url.to_string())
            })
            .await
    }

    /// Polls one feed and takes in its items. `on_item` sees every item's result as it lands
    /// (progress bars use it). When `cancel` fires, no new item is started; items in flight
    /// finish their writes.
    pub async fn run_feed(
        &self,
        feed: &FeedConfig,
        mode: Mode,
        cancel: &CancellationToken,
        on_item: &(dyn Fn(&ItemResult) + Send + Sync),
    ) -> Result<FeedReport, PipelineError> {
        // Every line logged for this feed, its items included, carries the feed's name. The
        // spans are at ERROR level so that they are enabled whenever any line is: a warning
        // from a one-shot command (logging at WARN) must still say which feed and item.
        let span = tracing::error_span!("feed", feed = %feed.name);
        self.poll_feed(feed, mode, cancel, on_item)
            .instrument(span)
            .await
    }

    async fn poll_feed(
        &self,
        feed: &FeedConfig,
        mode: Mode,
        cancel: &CancellationToken,
        on_item: &(dyn Fn(&ItemResult) + Send + Sync),
    ) -> Result<FeedReport, PipelineError> {
        let name = feed.name.clone();
        let url = feed.url.as_str().to_string();
        let state = {
            let (n, u) = (name.clone(), url.clone());
            self.with_store(&name, move |s| {
                s.register_feed(&n, &u)?;
                s.feed_state(&u)
            })
            .await?
        };
        let validators = match (mode, &state) {
            (Mode::Poll, Some(st)) => Some(Validators {
                etag: st.etag.clone(),
                last_modified: st.last_modified.clone(),
            }),
            _ => None,
        };
        let errors_so_far = state.as_ref().map_or(0, |s| s.consecutive_errors);
        let learned = state.as_ref().and_then(|s| s.learned_interval);
        // A feed that moved (301/308) is polled where it went; its configured URL stays its key.
        let poll_url = state
            .as_ref()
            .and_then(|s| s.moved_to.as_deref())
            .and_then(|m| Url::parse(m).ok())
            .unwrap_or_else(|| feed.url.url().clone());

        let headers = match feed_headers(feed) {
            Ok(headers) => headers,
            Err(message) => {
                let error = PipelineError::Headers {
                    feed: name.clone(),
                    message,
                };
                self.record_failure(feed, &error, errors_so_far, learned)
                    .await?;
                return Err(error);
            }
        };
        // The host's turn first, holding nothing else; then the feed document counts against
        // the pages in flight from its request to its parse.
        let ticket = self.fetcher.reserve(&poll_url).await;
        let outcome = self
            .fetch_in_slot(&name, Fetched::Feed, ticket, validators.as_ref(), &headers)
            .await?;
        let (response, slot) = match outcome {
            Ok((Outcome::NotModified, _)) => {
                tracing::debug!(feed = %name, "Feed not modified.");
                self.record_poll(feed, PollOutcome::NotModified, 0, None, learned)
                    .await?;
                return Ok(FeedReport {
                    feed: name,
                    not_modified: true,
                    items: 0,
                    tally: Tally::default(),
                    prev_archive: None,
                    item_ids: Vec::new(),
                });
            }
            Ok((Outcome::Fetched(response), slot)) => (response, slot),
            Err(source) => {
                let gone = source.status() == Some(410);
                let error = PipelineError::Fetch {
                    feed: name.clone(),
                    source,
                };
                if gone {
                    // Reported and kept, polled at the longest back-off: never dropped silently.
                    tracing::warn!(feed = %name, url = %poll_url, "Feed is gone (HTTP 410); it will be polled rarely. Remove it from the config if it is not coming back.");
                    let u = url.clone();
                    self.with_store(&name, move |s| s.record_feed_gone(&u, Utc::now()))
                        .await?;
                }
                let streak = if gone { GONE_STREAK } else { errors_so_far };
                self.record_failure(feed, &error, streak, learned).await?;
                return Err(error);
            }
        };
        let fresh_for = response.fresh_for;
        if let Some(moved) = &response.moved_to
            && *moved != poll_url
        {
            tracing::warn!(feed = %name, from = %poll_url, to = %moved, "Feed moved permanently; polling its new URL from now on. Update the config.");
            let (u, m) = (url.clone(), moved.to_string());
            self.with_store(&name, move |s| s.record_feed_moved(&u, &m))
                .await?;
        }

        let (parsed, prev_archive) = {
            let body = response.body;
            let content_type = response.content_type.clone();
            let base = response.final_url.clone();
            self.pool
                .run(slot, move || {
                    let parsed = feed::parse(&body, content_type.as_deref(), Some(&base));
                    let archive = (mode != Mode::Poll)
                        .then(|| feed::prev_archive(&body, Some(&base)))
                        .flatten();
                    (parsed, archive)
                })
                .await
                .map_err(|e| task_error(&name, &e))?
        };
        let parsed = match parsed {
            Ok(parsed) => parsed,
            Err(source) => {
                let error = PipelineError::Parse {
                    feed: name.clone(),
                    url: url.clone(),
                    source,
                };
                self.record_failure(feed, &error, errors_so_far, learned)
                    .await?;
                return Err(error);
            }
        };

        let items = parsed.items.len();
        let ttl_minutes = parsed.ttl_minutes;
        let learned = schedule::learned_interval(
            parsed
                .items
                .iter()
                .filter_map(|i| i.published.or(i.updated)),
            Utc::now(),
        )
        .or(learned);
        let item_ids = match mode {
            Mode::Poll => Vec::new(),
            _ => parsed.items.iter().map(|i| i.id.clone()).collect(),
        };
        let tally = self
            .take_items(feed, mode, parsed.items, cancel, on_item)
            .await?;
        let validators = response.validators;
        // The server's own word on how long the feed stays fresh: HTTP caching headers, or
        // RSS `<ttl>`, whichever asks for longer.
        let fresh_for = [
            fresh_for,
            ttl_minutes.map(|m| Duration::from_secs(u64::from(m) * 60)),
        ]
        .into_iter()
        .flatten()
        .max();
        self.record_poll(
            feed,
            PollOutcome::Fetched {
                etag: validators.etag,
                last_modified: validators.last_modified,
                learned_interval: learned,
            },
            0,
            fresh_for,
            learned,
        )
        .await?;
        tracing::info!(feed = %name, items, new = tally.new, updated = tally.updated,
            appearances = tally.appearances, failed = tally.failed, "Feed polled.");
        Ok(FeedReport {
            feed: name,
            not_modified: false,
            items,
            tally,
            prev_archive,
            item_ids,
        })
    }

    /// Takes in items under `feed`'s name, `concurrency` at a time: the item path of a poll
    /// (skip if seen, fetch, extract, store), for items a backfill found elsewhere too (a
    /// sitemap, a URL list, an archive page). `on_item` sees every result as it lands. When
    /// `cancel` fires, no new item is started; items in flight finish their writes. A store
    /// failure stops the run and is returned.
    pub async fn take_items(
        &self,
        feed: &FeedConfig,
        mode: Mode,
        items: Vec<FeedItem>,
        cancel: &CancellationToken,
        on_item: &(dyn Fn(&ItemResult) + Send + Sync),
    ) -> Result<Tally, PipelineError> {
        let mut tally = Tally::default();
        let mut results = futures_util::stream::iter(items)
            .take_while(|_| std::future::ready(!cancel.is_cancelled()))
            .map(|item| {
                let span = tracing::error_span!("item", id = %item.id);
                self.take_item(feed, mode, item).instrument(span)
            })
            .buffer_unordered(self.concurrency);
        let mut store_error = None;
        while let Some(result) = results.next().await {
            match result {
                Ok(r) => {
                    match &r {
                        ItemResult::Failed(message) => {
                            tracing::warn!(feed = %feed.name, error = %message, "Item failed.");
                            self.metrics.item_failed();
                        }
                        ItemResult::Skipped => self.metrics.item_skipped(),
                        ItemResult::Stored(outcome) => self.metrics.item_stored(outcome),
                    }
                    tally.add(&r);
                    on_item(&r);
                }
                Err(e) => store_error = Some(e),
            }
        }
        drop(results);
        match store_error {
            Some(e) => Err(e),
            None => Ok(tally),
        }
    }

    /// Fetches a document a backfill reads (a sitemap, a feed archive page) through the
    /// pipeline's fetcher, so its per-host limits hold. The feed's extra headers go along to
    /// the feed's own host only.
    pub async fn fetch_document(
        &self,
        feed: &FeedConfig,
        url: &Url,
    ) -> Result<Response, PipelineError> {
        let headers = if url.host_str() == feed.url.url().host_str() {
            feed_headers(feed).map_err(|message| PipelineError::Headers {
                feed: feed.name.clone(),
                message,
            })?
        } else {
            Vec::new()
        };
        match self.fetcher.get_with_headers(url, None, &headers).await {
            Ok(Outcome::Fetched(response)) => Ok(response),
            Ok(Outcome::NotModified) => Err(task_error(
                &feed.name,
                &format!("{url}: HTTP 304 to an unconditional request"),
            )),
            Err(source) => Err(PipelineError::Fetch {
                feed: feed.name.clone(),
                source,
            }),
        }
    }

    /// Runs `f` (parsing a fetched document) on a CPU worker, counted against the pages in
    /// flight.
    pub async fn on_worker<T, F>(&self, feed: &str, f: F) -> Result<T, PipelineError>
    where
        T: Send + 'static,
        F: FnOnce() -> T + Send + 'static,
    {
        let slot = self.slot(feed).await?;
        self.pool
            .run(slot, f)
            .await
            .map_err(|e| task_error(feed, &e))
    }

    /// True when an item is already stored: by its (feed, guid), or by its link's URL key
    /// ([`crate::dedupe::url_key`]) under any feed.
    pub async fn is_stored(&self, feed: &str, item: &FeedItem) -> Result<bool, PipelineError> {
        let (n, id) = (feed.to_string(), item.id.clone());
        let key = item.link.as_deref().and_then(crate::dedupe::url_key);
        self.with_store(feed, move |s| {
            Ok(s.seen_item(&n, &id)?
                || match &key {
                    Some(k) => s.stored_url_key(k)?,
                    None => false,
                })
        })
        .await
    }

    async fn record_failure(
        &self,
        feed: &FeedConfig,
        error: &PipelineError,
        errors_so_far: u32,
        learned: Option<Duration>,
    ) -> Result<(), PipelineError> {
        tracing::warn!(feed = %feed.name, error = %error, "Feed failed.");
        self.metrics
            .poll(&feed.name, Polled::Failed, Some(error.kind()), Utc::now());
        let message = format!("{error:#}");
        self.record_poll(
            feed,
            PollOutcome::Failed { error: message },
            errors_so_far + 1,
            None,
            learned,
        )
        .await
    }

    async fn record_poll(
        &self,
        feed: &FeedConfig,
        outcome: PollOutcome,
        consecutive_errors: u32,
        fresh_for: Option<Duration>,
        learned: Option<Duration>,
    ) -> Result<(), PipelineError> {
        let now = Utc::now();
        match outcome {
            PollOutcome::NotModified => {
                self.metrics
                    .poll(&feed.name, Polled::NotModified, None, now)
            }
            PollOutcome::Fetched { .. } => {
                self.metrics.poll(&feed.name, Polled::Fetched, None, now)
            }
            // Counted with its kind by `record_failure`.
            PollOutcome::Failed { .. } => {}
        }
        let delay = poll_delay(feed, learned, consecutive_errors, fresh_for, now);
        let next = now + chrono::Duration::from_std(delay).unwrap_or_default();
        let url = feed.url.as_str().to_string();
        self.with_store(&feed.name, move |s| {
            s.record_poll(&url, now, next, &outcome)
        })
        .await
    }

    /// When the feed is due next, as stored after its last poll.
    pub async fn next_poll_at(
        &self,
        feed: &FeedConfig,
    ) -> Result<Option<DateTime<Utc>>, PipelineError> {
        let url = feed.url.as_str().to_string();
        let state = self
            .with_store(&feed.name, move |s| s.feed_state(&url))
            .await?;
        Ok(state.and_then(|s| s.next_poll_at))
    }

    /// Revisits the appearances due at `now` (all still-scheduled ones when `all`): a
    /// conditional GET of each page; 404/410 withdraws the appearance (a story whose every
    /// appearance is withdrawn becomes `withheld`); a changed page is taken in again, so a
    /// write-through or correction becomes a new version and a removal notice cancels the
    /// story. Transient failures wait for the next scheduled revisit.
    pub async fn revisit(
        &self,
        now: DateTime<Utc>,
        all: bool,
        cancel: &CancellationToken,
    ) -> Result<Tally, PipelineError> {
        // Embargoes that ran out since the last pass enter the change feed.
        let lifted = self
            .with_store(REVISIT, move |s| s.record_lifted_embargoes(now))
            .await?;
        if lifted > 0 {
            tracing::info!(lifted, "Embargoes lifted.");
        }
        let due_at = if all {
            now + chrono::Duration::days(36_500)
        } else {
            now
        };
        let due = self
            .with_store(REVISIT, move |s| s.due_revisits(due_at, REVISIT_BATCH))
            .await?;
        let mut tally = Tally::default();
        let mut results = futures_util::stream::iter(due)
            .take_while(|_| std::future::ready(!cancel.is_cancelled()))
            .map(|d| self.revisit_one(d, now))
            .buffer_unordered(self.concurrency);
        while let Some(result) = results.next().await {
            let (outcome, stored) = result?;
            match (&outcome, stored) {
                (RevisitOutcome::Gone, _) => tally.withdrawn += 1,
                (RevisitOutcome::Failed, _) => tally.failed += 1,
                (RevisitOutcome::NotFetched, _) => tally.skipped += 1,
                (_, Some(stored)) => tally.add(&ItemResult::Stored(stored)),
                (_, None) => tally.duplicate += 1,
            }
        }
        tracing::info!(
            withdrawn = tally.withdrawn,
            updated = tally.updated,
            canceled = tally.canceled,
            failed = tally.failed,
            "Revisits done."
        );
        Ok(tally)
    }

    async fn revisit_one(
        &self,
        due: DueRevisit,
        now: DateTime<Utc>,
    ) -> Result<(RevisitOutcome, Option<IngestOutcome>), PipelineError> {
        let id = due.appearance_id;
        let validators = (due.etag.is_some() || due.last_modified.is_some()).then(|| Validators {
            etag: due.etag.clone(),
            last_modified: due.last_modified.clone(),
        });
        let fetched = match Url::parse(&due.url) {
            // The host's turn first, then a place among the pages in flight (as for items).
            Ok(url) => {
                let ticket = self.fetcher.reserve_article(&url).await;
                self.fetch_in_slot(REVISIT, Fetched::Page, ticket, validators.as_ref(), &[])
                    .await?
            }
            Err(_) => {
                tracing::warn!(url = %due.url, "Stored appearance URL does not parse; not revisited.");
                self.with_store(REVISIT, move |s| {
                    s.record_revisit(id, now, &RevisitOutcome::Failed)
                })
                .await?;
                return Ok((RevisitOutcome::Failed, None));
            }
        };
        let (outcome, stored) = match fetched {
            Ok((Outcome::NotModified, _)) => (RevisitOutcome::NotModified, None),
            Err(e) if e.is_gone() => {
                tracing::info!(url = %due.url, status = ?e.status(), "Page gone; appearance withdrawn.");
                (RevisitOutcome::Gone, None)
            }
            // Not fetched: robots.txt said no (logged once per host by the fetcher). The text
            // stored stays; the next scheduled revisit asks again.
            Err(e) if e.is_disallowed() => {
                tracing::debug!(error = %e, "Revisit not made.");
                (RevisitOutcome::NotFetched, None)
            }
            Err(e) => {
                tracing::warn!(error = %e, "Revisit failed.");
                (RevisitOutcome::Failed, None)
            }
            Ok((Outcome::Fetched(response), slot)) => {
                let validators = response.validators.clone();
                let (feed, guid, url) = (due.feed.clone(), due.guid.clone(), due.url.clone());
                let metrics = self.metrics.clone();
                let prepared = self
                    .extract_page(slot, response, None, move |extracted, final_url| {
                        match extracted {
                            Ok(article) => Some(Prepared::new(Incoming {
                                article,
                                feed,
                                guid,
                                url: Some(final_url),
                                seen_at: now,
                                // A revisit reads the page, not the wire item.
                                wire: None,
                                body_source: BodySource::Page,
                            })),
                            Err(e) => {
                                metrics.extraction_failed();
                                tracing::warn!(%url, error = %e, "Revisited page did not extract.");
                                None
                            }
                        }
                    })
                    .await
                    .map_err(|e| task_error(REVISIT, &e))?;
                let stored = match prepared {
                    Some(article) => Some(self.store_article(REVISIT, article).await?),
                    None => None,
                };
                (
                    RevisitOutcome::Fetched {
                        etag: validators.etag,
                        last_modified: validators.last_modified,
                    },
                    stored,
                )
            }
        };
        let recorded = outcome.clone();
        self.with_store(REVISIT, move |s| s.record_revisit(id, now, &recorded))
            .await?;
        Ok((outcome, stored))
    }

    /// Takes in one item: skip if seen, else fetch + extract (or use the feed's text) and store.
    async fn take_item(
        &self,
        feed: &FeedConfig,
        mode: Mode,
        item: FeedItem,
    ) -> Result<ItemResult, PipelineError> {
        // A wire-format item (ninjs, NewsML-G2) carries its own status, version and body: it is
        // offered to the store on every poll (cheap: no page to fetch; the store dedupes), so
        // a new version or a kill of a seen item is not missed.
        let wire_item = is_wire_item(&item);
        if item.pubstatus == Some(PubStatus::Canceled) {
            let (n, id) = (feed.name.clone(), item.id.clone());
            let killed = self
                .with_store(&feed.name, move |s| s.cancel_item(&n, &id, Utc::now()))
                .await?;
            return Ok(match killed {
                Some(story_id) => ItemResult::Stored(IngestOutcome::Canceled { story_id }),
                None => ItemResult::Skipped,
            });
        }
        if mode == Mode::Poll && !wire_item {
            let (n, id) = (feed.name.clone(), item.id.clone());
            if self
                .with_store(&feed.name, move |s| s.seen_item(&n, &id))
                .await?
            {
                return Ok(ItemResult::Skipped);
            }
        }
        if mode == Mode::Archive && !wire_item && self.is_stored(&feed.name, &item).await? {
            return Ok(ItemResult::Skipped);
        }
        // The page's host turn is waited for before the item takes its place among the items
        // in flight, so items queued behind a slow host hold no place that others could use.
        let page = match item.link.as_deref().and_then(|l| Url::parse(l).ok()) {
            Some(link) if feed.fetch_articles && !carries_own_body(&item) => {
                Some(self.fetcher.reserve_article(&link).await)
            }
            _ => None,
        };
        let _in_flight = self
            .items
            .acquire()
            .await
            .map_err(|e| task_error(&feed.name, &e))?;
        let seen_at = Utc::now();
        let article = match self.prepare_item(feed, &item, page, seen_at).await {
            Ok(article) => article,
            Err(message) => return Ok(ItemResult::Failed(message)),
        };
        let outcome = self.store_article(&feed.name, article).await?;
        Ok(ItemResult::Stored(outcome))
    }

    /// The item's article, ready for the store, with the URL it was seen at. The page is
    /// fetched when the feed says so and the item links one; the feed's own full text stands
    /// in when the page can't be had or the item has no link.
    async fn prepare_item(
        &self,
        feed: &FeedConfig,
        item: &FeedItem,
        page: Option<Result<Ticket, FetchError>>,
        seen_at: DateTime<Utc>,
    ) -> Result<Prepared, String> {
        let mut page_error = None;
        let mut source = BodySource::Feed;
        if let Some(page) = page {
            let fetched = self
                .fetch_in_slot(&feed.name, Fetched::Page, page, None, &[])
                .await
                .map_err(|e| e.to_string())?;
            let link = item.link.clone().unwrap_or_default();
            match fetched {
                Ok((Outcome::Fetched(response), slot)) => {
                    let (item_, feed_, link_) = (item.clone(), feed.clone(), link.clone());
                    let made = self
                        .extract_page(
                            slot,
                            response,
                            item.content_html.clone(),
                            move |extracted, final_url| match extracted {
                                Ok(article) if !article.body_text.trim().is_empty() => {
                                    Ok(Prepared::new(item_incoming(
                                        article,
                                        &item_,
                                        &feed_,
                                        Some(final_url),
                                        seen_at,
                                        BodySource::Page,
                                    )))
                                }
                                Ok(_) => Err(format!("{link_}: no article body found")),
                                Err(e) => Err(format!("{link_}: {e}")),
                            },
                        )
                        .await
                        .map_err(|e| format!("{link}: extraction failed: {e}"))?;
                    match made {
                        Ok(article) => return Ok(article),
                        Err(e) => {
                            self.metrics.extraction_failed();
                            page_error = Some(e);
                        }
                    }
                }
                // Only possible if a server answers 304 to an unconditional request.
                Ok((Outcome::NotModified, _)) => {
                    page_error = Some(format!("{link}: HTTP 304 to an unconditional request"));
                }
                Err(e) => {
                    if e.is_disallowed() {
                        source = BodySource::FeedRobots;
                    }
                    page_error = Some(e.to_string());
                }
            }
        }
        match &item.content_html {
            Some(html) if !html.trim().is_empty() => {
                let (html, item_, feed_) = (html.clone(), item.clone(), feed.clone());
                let slot = self.slot(&feed.name).await.map_err(|e| e.to_string())?;
                let article = self
                    .pool
                    .run(slot, move || {
                        // The feed's own text is not the site's page: no site rule applies.
                        let base = item_.link.as_deref().and_then(|l| Url::parse(l).ok());
                        let options = ExtractOptions {
                            url: base.as_ref(),
                            ..ExtractOptions::default()
                        };
                        extract::extract(&wrap_fragment(&html), &options)
                            .map(|article| {
                                let url = item_.link.clone();
                                Prepared::new(item_incoming(
                                    article, &item_, &feed_, url, seen_at, source,
                                ))
                            })
                            .map_err(|e| format!("item {}: {e}", item_.id))
                    })
                    .await
                    .map_err(|e| format!("item {}: extraction failed: {e}", item.id))??;
                match &page_error {
                    // Logged once per host by the fetcher.
                    Some(e) if source == BodySource::FeedRobots => {
                        tracing::debug!(feed = %feed.name, error = %e, "Page disallowed by robots.txt; stored the feed's text.");
                    }
                    Some(e) => {
                        tracing::info!(feed = %feed.name, error = %e, "Page unavailable; stored the feed's text.");
                    }
                    None => {}
                }
                Ok(article)
            }
            _ => Err(page_error.unwrap_or_else(|| {
                format!(
                    "item {}: no link to fetch and no full text in the feed",
                    item.id
                )
            })),
        }
    }
}

/// An item's article as the store takes it: completed from the item and the feed, seen at
/// `url` at `seen_at`, its text from `body_source`.
fn item_incoming(
    article: Article,
    item: &FeedItem,
    feed: &FeedConfig,
    url: Option<String>,
    seen_at: DateTime<Utc>,
    body_source: BodySource,
) -> Incoming {
    Incoming {
        article: complete(article, item, feed),
        feed: feed.name.clone(),
        guid: Some(item.id.clone()),
        url,
        seen_at,
        wire: wire_state(item),
        body_source,
    }
}

/// Decodes a fetched page to text and extracts its article, with the site rule for its host.
fn extract_response(
    response: &Response,
    feed_html: Option<&str>,
    sites: &[SiteRule],
) -> Result<Article, ExtractError> {
    let tld = response
        .final_url
        .domain()
        .and_then(|d| d.rsplit('.').next())
        .map(str::as_bytes);
    let html =
        crate::charset::decode_html_with_tld(&response.body, response.content_type.as_deref(), tld);
    let options = ExtractOptions {
        url: Some(&response.final_url),
        feed_html,
        rule: rules::rule_for(sites, Some(&response.final_url)),
    };
    extract::extract(&html, &options)
}

/// What each of the daemon's CPU workers does once at start: parses a feed and extracts a
/// station page of our fixtures, so the patterns extraction compiles on first use, and each worker's caches for
/// them, are built before the first poll. The first pages then cost what later ones do, and
/// the daemon is at its working size within seconds of starting instead of growing into it
/// over the first minutes of polling (a warm-up of about 20 ms per worker).
fn warm_up() {
    const PAGE: &str = include_str!("../fixtures/pages/kvia/blinken-austin-asia-trip.html");
    const FEED: &[u8] = include_bytes!("../fixtures/feeds/kvia.rss");
    let url = Url::parse("https://kvia.com/news/warm-up/").expect("a valid URL");
    let _ = feed::parse(FEED, Some("application/rss+xml"), Some(&url));
    let options = ExtractOptions {
        url: Some(&url),
        ..ExtractOptions::default()
    };
    let _ = extract::extract(PAGE, &options);
}

/// A store call that failed, as the feed's error.
fn write_error(feed: &str, e: WriteError) -> PipelineError {
    match e {
        WriteError::Store(source) => PipelineError::Store {
            feed: feed.to_string(),
            source,
        },
        other => task_error(feed, &other),
    }
}

/// An internal failure (a panicked job, a stopped pool or writer), as the feed's error.
fn task_error(feed: &str, e: &dyn std::fmt::Display) -> PipelineError {
    PipelineError::Task {
        feed: feed.to_string(),
        message: e.to_string(),
    }
}

/// A wire-format item (ninjs, NewsML-G2): it states its own status and version.
fn is_wire_item(item: &FeedItem) -> bool {
    item.pubstatus.is_some()
}

/// What a wire item states about its story's publication (its status and embargo).
fn wire_state(item: &FeedItem) -> Option<WireState> {
    item.pubstatus.map(|pubstatus| WireState {
        pubstatus,
        embargoed: item.embargoed,
    })
}

/// A wire item with its body inline is taken as it is: its link is not fetched.
fn carries_own_body(item: &FeedItem) -> bool {
    is_wire_item(item)
        && item
            .content_html
            .as_deref()
            .is_some_and(|h| !h.trim().is_empty())
}

/// Fills what extraction could not find from the feed item and the feed's configured credit.
fn complete(mut article: Article, item: &FeedItem, feed: &FeedConfig) -> Article {
    if article.headline.is_none() {
        article.headline = item.title.clone();
    }
    if article.authors.is_empty() && article.credit.is_none() {
        article.authors = item.authors.clone();
    }
    if article.published_at.is_none() {
        article.published_at = item.published.map(|d| d.fixed_offset());
    }
    if article.modified_at.is_none() {
        article.modified_at = item.updated.map(|d| d.fixed_offset());
    }
    if article.topics.is_empty() {
        article.topics = item.categories.clone();
    }
    if article.image.is_none() {
        article.image = item.image.clone();
    }
    if article.credit.is_none() {
        article.credit = feed.credit.clone();
    }
    article
}

/// A feed's HTML fragment as a page the extractor reads as one article.
fn wrap_fragment(html: &str) -> String {
    format!("<!DOCTYPE html><html><head></head><body><article>{html}</article></body></html>")
}

/// The feed's extra request headers, resolved now (`env:` and `file:` values are read at each
/// poll, so a rotated credential is picked up without a reload). The error names the header
/// and where its value should come from, never a value.
fn feed_headers(
    feed: &FeedConfig,
) -> Result<Vec<(reqwest::header::HeaderName, reqwest::header::HeaderValue)>, String> {
    feed.headers
        .iter()
        .map(|(name, value)| {
            let resolved = crate::config::HeaderSource::of(value)
                .resolve()
                .map_err(|e| format!("header {name}: {e}"))?;
            let name = reqwest::header::HeaderName::from_bytes(name.as_bytes())
                .map_err(|_| format!("header {name:?}: not a valid header name"))?;
            let value = reqwest::header::HeaderValue::from_str(&resolved)
                .map_err(|_| format!("header {name}: its value is not a valid header value"))?;
            Ok((name, value))
        })
        .collect()
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use std::collections::HashSet;
    use std::sync::Mutex;
    use std::sync::atomic::{AtomicUsize, Ordering};

    use crate::fixture_server::FixtureServer;

    /// A test's hook around every page extraction on a worker: called with `true` before it
    /// starts and `false` once it is done.
    #[derive(Clone)]
    pub(crate) struct Hook(pub(crate) Arc<dyn Fn(bool) + Send + Sync>);

    impl std::fmt::Debug for Hook {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("Hook")
        }
    }

    /// Calls the hook with `false` when dropped.
    pub(crate) struct Running(Hook);

    impl Hook {
        pub(crate) fn enter(&self) -> Running {
            (self.0)(true);
            Running(self.clone())
        }
    }

    impl Drop for Running {
        fn drop(&mut self) {
            (self.0.0)(false);
        }
    }

    /// A runtime for the test and `router` served on 127.0.0.1 in it.
    fn serve_on_loopback(router: axum::Router) -> (tokio::runtime::Runtime, std::net::SocketAddr) {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap();
        let listener = rt
            .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
            .unwrap();
        let addr = listener.local_addr().unwrap();
        rt.spawn(async move { axum::serve(listener, router).await.unwrap() });
        (rt, addr)
    }

    /// A pipeline over a fresh store in `dir` whose config allows the loopback server at
    /// `addr` (no per-host spacing) and lists `feeds` (`[[feeds]]` tables).
    fn loopback_pipeline(
        dir: &std::path::Path,
        addr: std::net::SocketAddr,
        feeds: &str,
    ) -> (Config, Pipeline) {
        let toml = format!(
            "[store]\npath = {:?}\n[fetch]\nallow_private = [\"{addr}\"]\nper_host_interval_ms = 0\n{feeds}",
            dir.join("w.db"),
        );
        let config = Config::from_toml(&toml, std::path::Path::new("t.toml")).unwrap();
        let store = Store::open(&dir.join("w.db")).unwrap();
        let pipeline = Pipeline::new(&config, store).unwrap();
        (config, pipeline)
    }

    /// The server's word on freshness sets the next poll: `Cache-Control: max-age=3600` on
    /// one feed, RSS `<ttl>120</ttl>` in another, both polled every 5 minutes by config.
    #[test]
    fn max_age_and_ttl_put_the_next_poll_back() {
        use axum::http::header;
        use axum::response::IntoResponse;
        use axum::routing::get;

        const ITEM: &str = "<item><title>Road work</title><guid isPermaLink=\"false\">r-1</guid>\
            <description>Lane closures on the highway through Friday.</description></item>";
        let router = axum::Router::new()
            .route(
                "/cached.xml",
                get(|| async {
                    (
                        [
                            (header::CONTENT_TYPE, "application/rss+xml"),
                            (header::CACHE_CONTROL, "public, max-age=3600"),
                        ],
                        format!("<rss version=\"2.0\"><channel><title>C</title>{ITEM}</channel></rss>"),
                    )
                        .into_response()
                }),
            )
            .route(
                "/ttl.xml",
                get(|| async {
                    format!("<rss version=\"2.0\"><channel><title>T</title><ttl>120</ttl>{ITEM}</channel></rss>")
                }),
            );
        let (rt, addr) = serve_on_loopback(router);
        let dir = tempfile::tempdir().unwrap();
        let (config, pipeline) = loopback_pipeline(
            dir.path(),
            addr,
            &format!(
                "[[feeds]]\nname = \"cached\"\nurl = \"http://{addr}/cached.xml\"\nfetch_articles = false\n\
                 [[feeds]]\nname = \"ttl\"\nurl = \"http://{addr}/ttl.xml\"\nfetch_articles = false\n"
            ),
        );
        let cancel = CancellationToken::new();
        for (feed, want) in config.feeds.iter().zip([3600, 7200]) {
            rt.block_on(pipeline.run_feed(feed, Mode::Poll, &cancel, &|_| {}))
                .unwrap();
            let url = feed.url.as_str().to_string();
            let st = rt
                .block_on(pipeline.with_store("t", move |s| s.feed_state(&url)))
                .unwrap()
                .unwrap();
            let wait = (st.next_poll_at.unwrap() - st.last_polled_at.unwrap())
                .to_std()
                .unwrap();
            let want = Duration::from_secs(want);
            assert!(
                wait >= want.mul_f64(0.89) && wait <= want.mul_f64(1.11),
                "{}: next poll in {wait:?}, want about {want:?}",
                feed.name
            );
        }
    }

    /// A feed's interval adapts to how often it posts, within its bounds: items every 30
    /// minutes make a feed bounded by 60 s .. 2 h due again in about 14 minutes (half its
    /// gap), while the same feed without bounds keeps its configured 5 minutes. The learned
    /// interval is stored, and kept when a later poll has no dated items.
    #[test]
    fn the_interval_adapts_to_how_often_a_feed_posts_within_its_bounds() {
        use axum::routing::get;

        let dated = Arc::new(std::sync::atomic::AtomicBool::new(true));
        let router = axum::Router::new().route("/rss.xml", {
            let dated = dated.clone();
            get(move || async move {
                let now = Utc::now();
                let items: String = (0..24)
                    .map(|i| {
                        let date = (now - chrono::Duration::minutes(5 + 30 * i)).to_rfc2822();
                        let date = if dated.load(Ordering::SeqCst) {
                            format!("<pubDate>{date}</pubDate>")
                        } else {
                            String::new()
                        };
                        format!("<item><title>Story {i}</title><guid isPermaLink=\"false\">s-{i}</guid>\
                             <description>Story number {i} of the day's news.</description>{date}</item>")
                    })
                    .collect();
                format!("<rss version=\"2.0\"><channel><title>T</title>{items}</channel></rss>")
            })
        });
        let (rt, addr) = serve_on_loopback(router);
        let dir = tempfile::tempdir().unwrap();
        let (config, pipeline) = loopback_pipeline(
            dir.path(),
            addr,
            &format!(
                "[[feeds]]\nname = \"adaptive\"\nurl = \"http://{addr}/rss.xml\"\nfetch_articles = false\n\
                 interval_secs = 300\nmin_interval_secs = 60\nmax_interval_secs = 7200\n\
                 [[feeds]]\nname = \"fixed\"\nurl = \"http://{addr}/rss.xml?fixed\"\nfetch_articles = false\n\
                 interval_secs = 300\n"
            ),
        );
        let cancel = CancellationToken::new();
        let poll_and_wait = |feed: &FeedConfig| {
            rt.block_on(pipeline.run_feed(feed, Mode::Poll, &cancel, &|_| {}))
                .unwrap();
            let url = feed.url.as_str().to_string();
            let st = rt
                .block_on(pipeline.with_store("t", move |s| s.feed_state(&url)))
                .unwrap()
                .unwrap();
            let wait = (st.next_poll_at.unwrap() - st.last_polled_at.unwrap())
                .to_std()
                .unwrap();
            (wait, st.learned_interval)
        };
        let about = |wait: Duration, secs: f64| {
            wait.as_secs_f64() >= secs * 0.89 && wait.as_secs_f64() <= secs * 1.11
        };
        // The 20 newest items span 5 + 19 × 30 = 575 minutes to now: one every 28.75 min.
        let half_gap = 575.0 * 60.0 / 20.0 / 2.0;
        let (wait, learned) = poll_and_wait(&config.feeds[0]);
        assert!(about(wait, half_gap), "adaptive: next poll in {wait:?}");
        let learned = learned.expect("learned");
        assert!(
            (learned.as_secs_f64() - half_gap).abs() < 5.0,
            "{learned:?}"
        );
        let (wait, fixed_learned) = poll_and_wait(&config.feeds[1]);
        assert!(about(wait, 300.0), "fixed: next poll in {wait:?}");
        assert!(
            fixed_learned.is_some(),
            "learned (and stored) even when not used"
        );
        // No dated items this time: the interval learned before stays.
        dated.store(false, Ordering::SeqCst);
        let (wait, again) = poll_and_wait(&config.feeds[0]);
        assert_eq!(again, Some(learned));
        assert!(about(wait, learned.as_secs_f64()), "{wait:?}");
    }

    /// A feed that answers 301 is polled at its new URL from the next poll on (one request to
    /// the old URL in all); a feed that answers 410 is kept, marked gone and put off to the
    /// longest back-off; a later success clears the mark.
    #[test]
    fn moved_feeds_follow_and_gone_feeds_are_marked() {
        use axum::http::{StatusCode, header};
        use axum::response::IntoResponse;
        use axum::routing::get;
        use std::collections::HashMap;

        const FEED: &str = "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>T</title>\
            <item><title>Bridge closes for repairs</title><guid isPermaLink=\"false\">b-1</guid>\
            <description>The river bridge closes on Monday for three weeks of repairs.</description>\
            </item></channel></rss>";
        let hits: Arc<Mutex<HashMap<String, usize>>> = Arc::default();
        let gone = Arc::new(std::sync::atomic::AtomicBool::new(true));
        let count = |hits: &Arc<Mutex<HashMap<String, usize>>>, path: &str| {
            *hits.lock().unwrap().entry(path.to_string()).or_default() += 1;
        };
        let router = axum::Router::new()
            .route("/old.xml", {
                let hits = hits.clone();
                get(move || async move {
                    count(&hits, "old");
                    (
                        StatusCode::MOVED_PERMANENTLY,
                        [(header::LOCATION, "/new.xml")],
                    )
                        .into_response()
                })
            })
            .route("/new.xml", {
                let hits = hits.clone();
                get(move || async move {
                    count(&hits, "new");
                    ([(header::CONTENT_TYPE, "application/rss+xml")], FEED).into_response()
                })
            })
            .route("/gone.xml", {
                let (hits, gone) = (hits.clone(), gone.clone());
                get(move || async move {
                    count(&hits, "gone");
                    if gone.load(Ordering::SeqCst) {
                        StatusCode::GONE.into_response()
                    } else {
                        ([(header::CONTENT_TYPE, "application/rss+xml")], FEED).into_response()
                    }
                })
            });
        let (rt, addr) = serve_on_loopback(router);

        let dir = tempfile::tempdir().unwrap();
        let (config, pipeline) = loopback_pipeline(
            dir.path(),
            addr,
            &format!(
                "[[feeds]]\nname = \"moved\"\nurl = \"http://{addr}/old.xml\"\nfetch_articles = false\n\
                 [[feeds]]\nname = \"gone\"\nurl = \"http://{addr}/gone.xml\"\nfetch_articles = false\n"
            ),
        );
        let cancel = CancellationToken::new();
        let (moved, gone_feed) = (&config.feeds[0], &config.feeds[1]);
        let poll = |f| {
            rt.block_on(pipeline.run_feed(f, Mode::Poll, &cancel, &|_| {}))
                .map_err(Box::new)
        };
        let state = |f: &FeedConfig| {
            let url = f.url.as_str().to_string();
            rt.block_on(pipeline.with_store("t", move |s| s.feed_state(&url)))
                .unwrap()
                .unwrap()
        };

        assert_eq!(poll(moved).unwrap().items, 1);
        assert_eq!(
            state(moved).moved_to.as_deref(),
            Some(format!("http://{addr}/new.xml").as_str())
        );
        poll(moved).unwrap();
        poll(moved).unwrap();
        let h = hits.lock().unwrap().clone();
        assert_eq!((h["old"], h["new"]), (1, 3), "{h:?}");

        let err = poll(gone_feed).unwrap_err();
        assert!(err.to_string().contains("410"), "{err}");
        let st = state(gone_feed);
        assert!(st.gone_at.is_some());
        let wait = st.next_poll_at.unwrap() - st.last_polled_at.unwrap();
        assert_eq!(
            wait.to_std().unwrap(),
            MAX_BACKOFF.max(Duration::from_secs(gone_feed.interval_secs.get())),
            "a gone feed waits the longest back-off"
        );
        gone.store(false, Ordering::SeqCst);
        poll(gone_feed).unwrap();
        assert_eq!(state(gone_feed).gone_at, None, "back again: no longer gone");
    }

    /// A feed's configured headers reach its server, with the secret read from a file at poll
    /// time; a header whose file is missing fails the poll with a message naming the file and
    /// no request is sent.
    #[test]
    fn feed_headers_carry_credentials_from_a_file() {
        use axum::http::{HeaderMap, StatusCode, header};
        use axum::response::IntoResponse;
        use axum::routing::get;

        const FEED: &str = "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>T</title>\
            <item><title>Wire item</title><guid isPermaLink=\"false\">w-1</guid>\
            <description>Text of the wire item for subscribers only.</description>\
            </item></channel></rss>";
        let requests = Arc::new(AtomicUsize::new(0));
        let router = axum::Router::new().route("/wire.xml", {
            let requests = requests.clone();
            get(move |headers: HeaderMap| async move {
                requests.fetch_add(1, Ordering::SeqCst);
                let ok = headers
                    .get("x-api-key")
                    .is_some_and(|v| v == "s3cret-token")
                    && headers.get("x-station").is_some_and(|v| v == "kqrt");
                if ok {
                    ([(header::CONTENT_TYPE, "application/rss+xml")], FEED).into_response()
                } else {
                    StatusCode::UNAUTHORIZED.into_response()
                }
            })
        });
        let (rt, addr) = serve_on_loopback(router);

        let dir = tempfile::tempdir().unwrap();
        let key = dir.path().join("wire.key");
        std::fs::write(&key, "s3cret-token\n").unwrap();
        let missing = dir.path().join("missing.key");
        let (config, pipeline) = loopback_pipeline(
            dir.path(),
            addr,
            &format!(
                "[[feeds]]\nname = \"wire\"\nurl = \"http://{addr}/wire.xml\"\nfetch_articles = false\n\
                 headers = {{ X-Api-Key = \"file:{}\", X-Station = \"kqrt\" }}\n\
                 [[feeds]]\nname = \"broken\"\nurl = \"http://{addr}/wire.xml?b\"\nfetch_articles = false\n\
                 headers = {{ X-Api-Key = \"file:{}\" }}\n",
                key.display(),
                missing.display(),
            ),
        );
        let cancel = CancellationToken::new();
        let poll = |f| {
            rt.block_on(pipeline.run_feed(f, Mode::Poll, &cancel, &|_| {}))
                .map_err(Box::new)
        };

        // The server answers 401 without both headers: a parsed item means they arrived.
        let report = poll(&config.feeds[0]).unwrap();
        assert_eq!(report.items, 1);
        assert_eq!(requests.load(Ordering::SeqCst), 1);

        let err = poll(&config.feeds[1]).unwrap_err().to_string();
        assert!(
            err.contains("header X-Api-Key") || err.contains("header x-api-key"),
            "{err}"
        );
        assert!(err.contains("missing.key"), "{err}");
        assert!(!err.contains("s3cret"), "{err}");
        assert_eq!(
            requests.load(Ordering::SeqCst),
            1,
            "no request without its header"
        );
    }

    /// Twelve feeds taken in at once through a slow extractor: pages alive (served by the
    /// fixture server and not yet extracted) never pass `concurrency + 2 × workers`, and
    /// every extraction runs on one of the `workers` pool threads.
    #[test]
    fn the_pool_bounds_pages_in_flight_over_many_feeds() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
        let server = Arc::new(FixtureServer::start(&root).unwrap());
        let dir = tempfile::tempdir().unwrap();
        let feeds = [
            "feeds/kvia.rss",
            "feeds/graytv.atom",
            "feeds/nexstar.json",
            "feeds/plain.rss",
            "feeds/amp-radio.rss",
            "feeds/wire-fulltext.rss",
            "syndication/feeds/kvia.rss",
            "syndication/feeds/graytv.rss",
            "syndication/feeds/nexstar.rss",
            "syndication/feeds/plain.rss",
            "syndication/feeds/amp.rss",
            "syndication/feeds/radio.rss",
        ];
        let mut toml = format!(
            "[store]\npath = {:?}\n[fetch]\nallow_private = [{:?}]\nper_host_interval_ms = 0\nconcurrency = 4\n\
             per_host_concurrency = 4\nworkers = 2\n",
            dir.path().join("w.db"),
            server.host_port()
        );
        for f in feeds {
            toml.push_str(&format!(
                "[[feeds]]\nname = {f:?}\nurl = \"{}/{f}\"\n",
                server.base_url()
            ));
        }
        let config = Config::from_toml(&toml, std::path::Path::new("t.toml")).unwrap();
        let bound = 4 + 2 * 2;

        let done = Arc::new(AtomicUsize::new(0));
        let running = Arc::new(AtomicUsize::new(0));
        let most_running = Arc::new(AtomicUsize::new(0));
        let most_alive = Arc::new(AtomicUsize::new(0));
        let threads = Arc::new(Mutex::new(HashSet::new()));
        let hook = {
            let (server, done, running, most_running, most_alive, threads) = (
                server.clone(),
                done.clone(),
                running.clone(),
                most_running.clone(),
                most_alive.clone(),
                threads.clone(),
            );
            Hook(Arc::new(move |starting| {
                if !starting {
                    running.fetch_sub(1, Ordering::SeqCst);
                    done.fetch_add(1, Ordering::SeqCst);
                    return;
                }
                let n = running.fetch_add(1, Ordering::SeqCst) + 1;
                most_running.fetch_max(n, Ordering::SeqCst);
                threads
                    .lock()
                    .unwrap()
                    .insert(std::thread::current().name().map(str::to_string));
                let served = server
                    .hits()
                    .iter()
                    .filter(|h| h.status == 200 && !h.path.contains("/feeds/"))
                    .count();
                let alive = served.saturating_sub(done.load(Ordering::SeqCst));
                most_alive.fetch_max(alive, Ordering::SeqCst);
                // A slow extractor: pages pile up unless something bounds them.
                std::thread::sleep(Duration::from_millis(15));
            }))
        };

        let store = Store::open(&dir.path().join("w.db")).unwrap();
        let mut pipeline = Pipeline::new(&config, store).unwrap();
        pipeline.hook = Some(hook);
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(4)
            .enable_all()
            .build()
            .unwrap();
        let cancel = CancellationToken::new();
        let reports = rt.block_on(futures_util::future::join_all(
            config
                .feeds
                .iter()
                .map(|f| pipeline.run_feed(f, Mode::Backfill, &cancel, &|_| {})),
        ));
        let mut stored = 0;
        for r in reports {
            let r = r.unwrap();
            stored += r.tally.new + r.tally.updated + r.tally.appearances + r.tally.duplicate;
        }
        let extracted = done.load(Ordering::SeqCst);
        assert!(extracted > 150, "{extracted} pages extracted");
        assert!(stored > 150, "{stored} articles stored");
        let most_alive = most_alive.load(Ordering::SeqCst);
        assert!(
            most_alive <= bound,
            "{most_alive} pages alive, bound {bound}"
        );
        assert!(
            most_alive > 2,
            "pages were fetched ahead of the workers ({most_alive})"
        );
        assert!(pipeline.pool.high_water() <= bound);
        assert_eq!(
            most_running.load(Ordering::SeqCst),
            2,
            "both workers, no more"
        );
        let threads = threads.lock().unwrap().clone();
        assert_eq!(threads.len(), 2, "{threads:?}");
        assert!(
            threads
                .iter()
                .all(|t| t.as_deref().is_some_and(|t| t.starts_with("wiredesk-cpu-"))),
            "{threads:?}"
        );
    }

    /// A fixture site whose robots.txt disallows `/pages/blocked/` for wiredesk, and a feed
    /// with one page there (the feed carries its text), one allowed page and one blocked page
    /// whose item has no text of its own.
    fn robots_site(root: &std::path::Path) {
        let pages = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/pages/plain");
        for dir in ["pages/open", "pages/blocked"] {
            std::fs::create_dir_all(root.join(dir)).unwrap();
        }
        std::fs::copy(
            pages.join("blinken-austin-asia-trip.html"),
            root.join("pages/open/blinken.html"),
        )
        .unwrap();
        for page in ["snow.html", "bare.html"] {
            std::fs::copy(
                pages.join("weekend-snowstorm-bluestem.html"),
                root.join("pages/blocked").join(page),
            )
            .unwrap();
        }
        std::fs::write(
            root.join("robots.txt"),
            "User-agent: *\nDisallow: /pages/open/\n\nUser-agent: wiredesk\nDisallow: /pages/blocked/\n",
        )
        .unwrap();
        std::fs::write(
            root.join("feed.rss"),
            r#"<?xml version="1.0"?><rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><title>KXYZ</title>
<item><title>Blinken and Austin will travel to Japan</title><guid isPermaLink="false">open-1</guid>
<link>{{BASE}}/pages/open/blinken.html</link></item>
<item><title>Weekend storm could bring snow</title><guid isPermaLink="false">blocked-1</guid>
<link>{{BASE}}/pages/blocked/snow.html</link>
<content:encoded><![CDATA[<p>A Winter Storm Watch is in effect for Bluestem County from Friday evening through Sunday morning, forecasters said.</p><p>Between 8 and 14 inches of snow could fall, with the heaviest bands over the foothills west of town.</p>]]></content:encoded></item>
<item><title>No text of its own</title><guid isPermaLink="false">blocked-2</guid>
<link>{{BASE}}/pages/blocked/bare.html</link></item>
</channel></rss>"#,
        )
        .unwrap();
    }

    /// The pipeline over the robots site: `robots` as configured, every item's result.
    fn poll_robots_site(
        server: &FixtureServer,
        db: &std::path::Path,
        robots: bool,
    ) -> Vec<ItemResult> {
        let toml = format!(
            "[store]\npath = {db:?}\n[fetch]\nallow_private = [{:?}]\nper_host_interval_ms = 0\n\
             robots = {robots}\n[[feeds]]\nname = \"kxyz\"\nurl = \"{}/feed.rss\"\n",
            server.host_port(),
            server.base_url()
        );
        let config = Config::from_toml(&toml, std::path::Path::new("t.toml")).unwrap();
        let pipeline = Pipeline::new(&config, Store::open(db).unwrap()).unwrap();
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap();
        let results = Arc::new(Mutex::new(Vec::new()));
        let sink = results.clone();
        rt.block_on(pipeline.run_feed(
            &config.feeds[0],
            Mode::Poll,
            &CancellationToken::new(),
            &move |r| sink.lock().unwrap().push(r.clone()),
        ))
        .unwrap();
        results.lock().unwrap().clone()
    }

    /// `guid → body_source` of every appearance.
    fn body_sources(db: &std::path::Path) -> std::collections::BTreeMap<String, Option<String>> {
        let conn = rusqlite::Connection::open(db).unwrap();
        let mut stmt = conn
            .prepare("SELECT guid, body_source FROM appearances")
            .unwrap();
        stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap()
            .map(Result::unwrap)
            .collect()
    }

    /// robots.txt disallows `/pages/blocked/` for wiredesk: those pages are never requested;
    /// the item with feed text is stored from it and marked `feed:robots`, the one without
    /// fails naming its URL and robots.txt; our group, not `*`, applies, so the open page is
    /// fetched (`page`). With `robots = false` the blocked page is fetched and robots.txt is
    /// never asked for.
    #[test]
    fn robots_txt_keeps_disallowed_pages_unfetched_and_marks_the_feed_text() {
        let root = tempfile::tempdir().unwrap();
        robots_site(root.path());
        let server = FixtureServer::start(root.path()).unwrap();
        let dir = tempfile::tempdir().unwrap();

        let db = dir.path().join("on.db");
        let results = poll_robots_site(&server, &db, true);
        let hits: Vec<String> = server.hits().into_iter().map(|h| h.path).collect();
        assert!(
            !hits.iter().any(|p| p.starts_with("/pages/blocked/")),
            "a disallowed page was requested: {hits:?}"
        );
        assert_eq!(
            hits.iter().filter(|p| *p == "/robots.txt").count(),
            1,
            "{hits:?}"
        );
        assert!(
            hits.contains(&"/pages/open/blinken.html".to_string()),
            "{hits:?}"
        );
        let failed: Vec<&String> = results
            .iter()
            .filter_map(|r| match r {
                ItemResult::Failed(m) => Some(m),
                _ => None,
            })
            .collect();
        assert_eq!(failed.len(), 1, "{results:?}");
        assert!(
            failed[0].contains("/pages/blocked/bare.html")
                && failed[0].contains("robots.txt disallows it"),
            "{}",
            failed[0]
        );
        let sources = body_sources(&db);
        assert_eq!(sources["open-1"].as_deref(), Some("page"), "{sources:?}");
        assert_eq!(
            sources["blocked-1"].as_deref(),
            Some("feed:robots"),
            "{sources:?}"
        );
        assert!(!sources.contains_key("blocked-2"), "{sources:?}");
        let conn = rusqlite::Connection::open(&db).unwrap();
        let body: String = conn
            .query_row(
                "SELECT s.body_text FROM stories s JOIN appearances a ON a.story_id = s.id
                 WHERE a.guid = 'blocked-1'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert!(body.contains("Winter Storm Watch"), "{body}");

        server.clear_hits();
        let db = dir.path().join("off.db");
        let results = poll_robots_site(&server, &db, false);
        let hits: Vec<String> = server.hits().into_iter().map(|h| h.path).collect();
        assert!(!hits.contains(&"/robots.txt".to_string()), "{hits:?}");
        assert!(
            hits.contains(&"/pages/blocked/snow.html".to_string()),
            "{hits:?}"
        );
        assert!(
            !results.iter().any(|r| matches!(r, ItemResult::Failed(_))),
            "{results:?}"
        );
        let sources = body_sources(&db);
        assert_eq!(sources["blocked-1"].as_deref(), Some("page"), "{sources:?}");
        assert_eq!(sources["blocked-2"].as_deref(), Some("page"), "{sources:?}");
    }

    /// A robots.txt that answers 500 keeps every page of its host unfetched (the feed's text is
    /// stored, marked); one that answers 404 lets them be fetched; the revisit of a disallowed
    /// page is not made either, and does not count as a failure.
    #[test]
    fn robots_500_disallows_404_allows_and_revisits_ask_too() {
        use axum::http::StatusCode;
        use axum::response::IntoResponse;
        use axum::routing::get;
        use std::collections::HashMap;

        let page = std::fs::read_to_string(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("fixtures/pages/plain/weekend-snowstorm-bluestem.html"),
        )
        .unwrap();
        let hits: Arc<Mutex<HashMap<String, usize>>> = Arc::default();
        let robots_status = Arc::new(std::sync::atomic::AtomicU16::new(500));
        let router = axum::Router::new()
            .route("/robots.txt", {
                let (hits, status) = (hits.clone(), robots_status.clone());
                get(move || async move {
                    *hits.lock().unwrap().entry("robots".into()).or_default() += 1;
                    StatusCode::from_u16(status.load(Ordering::SeqCst))
                        .unwrap()
                        .into_response()
                })
            })
            .route("/snow.html", {
                let hits = hits.clone();
                get(move || async move {
                    *hits.lock().unwrap().entry("page".into()).or_default() += 1;
                    axum::response::Html(page)
                })
            })
            .route("/feed.rss", {
                get(move |headers: axum::http::HeaderMap| async move {
                    let host = headers
                        .get(axum::http::header::HOST)
                        .and_then(|h| h.to_str().ok())
                        .unwrap_or_default()
                        .to_string();
                    format!(
                        r#"<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><title>T</title>
<item><title>Weekend storm</title><guid isPermaLink="false">s-1</guid><link>http://{host}/snow.html</link>
<content:encoded><![CDATA[<p>A Winter Storm Watch is in effect for Bluestem County from Friday evening through Sunday morning, forecasters said.</p><p>Between 8 and 14 inches of snow could fall over the foothills.</p>]]></content:encoded></item>
</channel></rss>"#
                    )
                })
            });
        let (rt, addr) = serve_on_loopback(router);
        let dir = tempfile::tempdir().unwrap();
        let (config, pipeline) = loopback_pipeline(
            dir.path(),
            addr,
            &format!("[[feeds]]\nname = \"f\"\nurl = \"http://{addr}/feed.rss\"\n"),
        );
        let cancel = CancellationToken::new();
        let report = rt
            .block_on(pipeline.run_feed(&config.feeds[0], Mode::Poll, &cancel, &|_| {}))
            .unwrap();
        assert_eq!(
            (report.tally.new, report.tally.failed),
            (1, 0),
            "{report:?}"
        );
        let h = hits.lock().unwrap().clone();
        assert_eq!(h.get("page"), None, "{h:?}");
        assert_eq!(h["robots"], 1, "{h:?}");
        let db = dir.path().join("w.db");
        assert_eq!(body_sources(&db)["s-1"].as_deref(), Some("feed:robots"));

        // Due for a revisit: robots.txt is still unreachable (its answer is kept), so the
        // page is not fetched and the pass has no failure.
        let later = Utc::now() + chrono::Duration::hours(2);
        let tally = rt
            .block_on(pipeline.revisit(later, false, &cancel))
            .unwrap();
        assert_eq!((tally.skipped, tally.failed), (1, 0), "{tally:?}");
        assert_eq!(hits.lock().unwrap().get("page"), None);

        // A new process (a fresh cache) whose host now answers 404: the page is fetched and
        // the appearance's text is now the page's.
        robots_status.store(404, Ordering::SeqCst);
        let (_, pipeline) = loopback_pipeline(
            dir.path(),
            addr,
            &format!("[[feeds]]\nname = \"f\"\nurl = \"http://{addr}/feed.rss\"\n"),
        );
        let tally = rt
            .block_on(pipeline.revisit(later + chrono::Duration::hours(5), false, &cancel))
            .unwrap();
        assert_eq!(tally.failed, 0, "{tally:?}");
        let h = hits.lock().unwrap().clone();
        assert_eq!((h["robots"], h["page"]), (2, 1), "{h:?}");
        assert_eq!(body_sources(&db)["s-1"].as_deref(), Some("page"));
    }

    fn feed(interval: u64) -> FeedConfig {
        let c = Config::from_toml(
            &format!("[[feeds]]\nname = \"f\"\nurl = \"https://e.com/rss\"\ninterval_secs = {interval}\ncredit = \"CNN Newsource\"\n"),
            std::path::Path::new("t.toml"),
        )
        .unwrap();
        c.feeds[0].clone()
    }

    #[test]
    fn complete_fills_from_item_and_feed_credit() {
        let item = FeedItem {
            id: "1".into(),
            title: Some("Feed title".into()),
            categories: vec!["Politics".into()],
            ..Default::default()
        };
        let a = complete(Article::default(), &item, &feed(60));
        assert_eq!(a.headline.as_deref(), Some("Feed title"));
        assert_eq!(a.credit.as_deref(), Some("CNN Newsource"));
        assert_eq!(a.topics, vec!["Politics".to_string()]);
        let page = Article {
            headline: Some("Page title".into()),
            credit: Some("Reuters".into()),
            ..Default::default()
        };
        let a = complete(page, &item, &feed(60));
        assert_eq!(a.headline.as_deref(), Some("Page title"));
        assert_eq!(a.credit.as_deref(), Some("Reuters"));
    }

    #[test]
    fn tally_counts_each_kind() {
        let mut t = Tally::default();
        t.add(&ItemResult::Skipped);
        t.add(&ItemResult::Failed("x".into()));
        t.add(&ItemResult::Stored(IngestOutcome::New { story_id: 1 }));
        t.add(&ItemResult::Stored(IngestOutcome::NewVersion {
            story_id: 1,
            version: 2,
        }));
        assert_eq!((t.skipped, t.failed, t.new, t.updated), (1, 1, 1, 1));
    }
}
