//! `wiredesk backfill`: take in an archive now, from feeds (`--feed`, with their RFC 5005
//! archive pages and, with `--pages N`, WordPress `?paged=2..N`), XML sitemaps (`--sitemap`,
//! indexes followed) and URL lists (`--urls FILE`), with a progress bar on a terminal and a
//! summary at the end.
//!
//! Order: each `--feed` is backfilled as before (every item fetched again, the feed's poll
//! state recorded); then the archive documents (archive pages, `?paged=` pages, sitemaps) are
//! read and the URL list loaded, listing every article URL once; then those articles go
//! through the pipeline's item path in [`Mode::Archive`]: an article already stored (by its
//! URL key or its (feed, guid)) is skipped, so a rerun after an interruption resumes. Only the
//! pipeline's fetcher touches the network, so the per-host limits of `[fetch]` hold.

use std::collections::{BTreeMap, HashSet, VecDeque};
use std::io::{BufRead as _, IsTerminal as _};
use std::num::NonZeroU64;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Mutex;

use chrono::{DateTime, Utc};
use clap::Args;
use tokio_util::sync::CancellationToken;
use url::Url;

use crate::config::{Config, FeedConfig, FeedUrl};
use crate::feed::sitemap::{self, SitemapKind};
use crate::model::FeedItem;
use crate::pipeline::{ItemResult, Mode, Pipeline, PipelineError, Tally};

/// Child sitemaps are followed this many index levels deep.
pub const MAX_SITEMAP_DEPTH: usize = 3;
/// At most this many sitemap documents are read per `--sitemap`.
pub const MAX_SITEMAPS: usize = 1000;
/// At most this many `prev-archive` documents are read per feed.
pub const MAX_ARCHIVE_PAGES: usize = 500;
/// `--pages` above this is refused.
pub const MAX_PAGES: u32 = 1000;

/// Arguments of `wiredesk backfill`.
#[derive(Debug, Args)]
#[command(group(
    clap::ArgGroup::new("source")
        .required(true)
        .multiple(true)
        .args(["feeds", "sitemaps", "urls"])
))]
#[command(
    after_help = "At least one of --feed, --sitemap, --urls. A --feed is fetched whole \
    (every item again) and its RFC 5005 prev-archive pages are followed; articles from archive \
    pages, sitemaps and --urls that are already stored are skipped, so a rerun resumes. \
    appearances.feed is the feed's name, sitemap:HOST or urls:FILENAME."
)]
pub struct BackfillArgs {
    /// A feed URL; configured feeds keep their name and credit, others are taken as given.
    /// Its `prev-archive` links (RFC 5005) are followed, at most 500 pages.
    #[arg(long = "feed", value_name = "URL")]
    pub feeds: Vec<String>,
    /// An XML sitemap, sitemap index (children followed, 3 levels, 1000 sitemaps at most),
    /// gzip'd sitemap or Google News sitemap; every page it lists is taken in.
    #[arg(long = "sitemap", value_name = "URL")]
    pub sitemaps: Vec<String>,
    /// A file of article URLs, one per line (blank lines and `#` comments skipped).
    #[arg(long, value_name = "FILE")]
    pub urls: Option<PathBuf>,
    /// Also read WordPress-style feed pages `?paged=2` … `?paged=N` of each --feed (stops at
    /// the first page that fails or lists nothing new).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(2..=i64::from(MAX_PAGES)))]
    pub pages: Option<u32>,
    /// Only articles published on or after DATE (YYYY-MM-DD, UTC, or RFC 3339): sitemap and
    /// archive entries by their news:publication_date, else lastmod, else item date; entries
    /// without a date are kept.
    #[arg(long, value_name = "DATE", value_parser = crate::api::parse_since)]
    pub since: Option<DateTime<Utc>>,
    /// Only articles published on or before DATE (a whole day when YYYY-MM-DD).
    #[arg(long, value_name = "DATE", value_parser = crate::api::parse_until)]
    pub until: Option<DateTime<Utc>>,
    /// List the article URLs that would be fetched (not those already stored); fetch only
    /// the feeds and sitemaps, store nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// The wire credit to assume for feeds not in the config, sitemaps and URL lists.
    #[arg(long)]
    pub credit: Option<String>,
}

/// The publication window of `--since` / `--until`.
#[derive(Debug, Clone, Copy)]
struct Window {
    since: Option<DateTime<Utc>>,
    until: Option<DateTime<Utc>>,
}

impl Window {
    /// An entry without a date is kept (it may well be in the window).
    fn holds(&self, date: Option<DateTime<Utc>>) -> bool {
        date.is_none_or(|d| self.since.is_none_or(|s| d >= s) && self.until.is_none_or(|u| d <= u))
    }
}

/// A `--feed` read in full: where its archive continues and which items it listed.
struct FeedPage {
    feed: FeedConfig,
    prev_archive: Option<Url>,
    item_ids: Vec<String>,
}

/// Articles to take in under one `appearances.feed` name.
struct Batch {
    feed: FeedConfig,
    items: Vec<FeedItem>,
}

/// What the discovery of archive documents found, for the summary.
#[derive(Debug, Default)]
struct Found {
    sitemaps: usize,
    archive_pages: usize,
    listed: usize,
    listed_twice: usize,
    outside_window: usize,
    /// Documents (sitemaps, archive pages, the URL file) that failed, with why.
    failed_documents: Vec<String>,
    /// Bad `--urls` lines and bad sitemap `<loc>`s, with where.
    bad_entries: Vec<String>,
}

/// Counts of item results with the failures' reasons.
#[derive(Debug, Default)]
struct Results {
    tally: Tally,
    reasons: BTreeMap<String, usize>,
}

impl Results {
    fn add(&mut self, r: &ItemResult) {
        self.tally.add(r);
        if let ItemResult::Failed(message) = r {
            *self.reasons.entry(reason(message)).or_default() += 1;
        }
    }
}

/// A failure message without the URL it names, so that failures group by cause:
/// `https://x/a: HTTP status 404` → `HTTP status 404`.
fn reason(message: &str) -> String {
    let mut rest = message;
    while let Some((head, tail)) = rest.split_once(": ") {
        if Url::parse(head).is_ok() || head.starts_with("item ") {
            rest = tail;
        } else {
            break;
        }
    }
    rest.to_string()
}

/// A feed config for articles found outside a configured feed.
fn source(name: String, url: &Url, credit: Option<String>) -> FeedConfig {
    FeedConfig {
        name,
        url: FeedUrl::parse(url.as_str())
            .unwrap_or_else(|_| FeedUrl::parse("http://localhost/").expect("a valid URL")),
        interval_secs: NonZeroU64::new(crate::config::DEFAULT_INTERVAL_SECS).expect("non-zero"),
        credit,
        fetch_articles: true,
        headers: Default::default(),
        min_interval_secs: None,
        max_interval_secs: None,
    }
}

/// An article URL as an item: no feed text, so its page is fetched and extracted.
fn url_item(url: &Url, date: Option<DateTime<Utc>>, title: Option<String>) -> FeedItem {
    FeedItem {
        id: url.to_string(),
        link: Some(url.to_string()),
        title,
        published: date,
        ..FeedItem::default()
    }
}

/// A `--urls` file, read.
struct UrlFile {
    path: PathBuf,
    /// Its URLs, in order.
    urls: Vec<Url>,
    /// Its bad lines, each with the file and line number.
    bad: Vec<String>,
}

/// Reads a `--urls` file: the URLs in order, and the bad lines with their numbers.
fn read_url_file(path: &std::path::Path) -> anyhow::Result<UrlFile> {
    use anyhow::Context as _;
    let file = std::fs::File::open(path)
        .with_context(|| format!("--urls: cannot open {}", path.display()))
        .map_err(super::UsageError)?;
    let mut urls = Vec::new();
    let mut bad = Vec::new();
    for (n, line) in std::io::BufReader::new(file).lines().enumerate() {
        let line = line.with_context(|| format!("--urls: cannot read {}", path.display()))?;
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        match FeedUrl::parse(line) {
            Ok(url) => urls.push(url.url().clone()),
            Err(e) => bad.push(format!("{}:{}: {e}", path.display(), n + 1)),
        }
    }
    Ok(UrlFile {
        path: path.to_path_buf(),
        urls,
        bad,
    })
}

/// Runs the command.
pub fn run(args: &BackfillArgs, config: &Config) -> anyhow::Result<ExitCode> {
    let usage = |flag: &str, e: String| super::UsageError(anyhow::anyhow!("{flag}: {e}"));
    let mut feeds = Vec::new();
    for raw in &args.feeds {
        let url = FeedUrl::parse(raw).map_err(|e| usage("--feed", e))?;
        feeds.push(match config.feed_by_url(url.as_str()) {
            Some(f) => f.clone(),
            None => source(
                url.url().host_str().unwrap_or("feed").to_string() + url.url().path(),
                url.url(),
                args.credit.clone(),
            ),
        });
    }
    let mut sitemaps = Vec::new();
    for raw in &args.sitemaps {
        sitemaps.push(FeedUrl::parse(raw).map_err(|e| usage("--sitemap", e))?);
    }
    if let (Some(s), Some(u)) = (args.since, args.until)
        && s > u
    {
        return Err(usage("--since", format!("{s} is after --until {u}")).into());
    }
    let url_file = match &args.urls {
        Some(path) => Some(read_url_file(path)?),
        None => None,
    };
    let window = Window {
        since: args.since,
        until: args.until,
    };

    let store = super::open_store(config)?;
    // A batch job: a larger page cache for the writer, for speed.
    store.set_page_cache_kib(crate::store::BATCH_CACHE_KIB)?;
    let runtime = super::runtime()?;
    let cancel = CancellationToken::new();
    let pipeline = {
        let _enter = runtime.enter();
        crate::daemon::stop_on_signal(cancel.clone())?;
        Pipeline::new(config, store)?
    };
    let tty = std::io::stderr().is_terminal();
    let results = Mutex::new(Results::default());
    let mut code = ExitCode::SUCCESS;

    // 1. The feeds themselves, as before.
    let mut archives: Vec<FeedPage> = Vec::new();
    if args.dry_run {
        for feed in &feeds {
            match runtime.block_on(read_feed_page(&pipeline, feed, feed.url.url())) {
                Ok((items, prev)) => {
                    println!("feed {}: {} items", feed.name, items.len());
                    for item in items.iter().filter_map(|i| i.link.as_deref()) {
                        println!("would fetch {item}");
                    }
                    archives.push(FeedPage {
                        feed: feed.clone(),
                        prev_archive: prev,
                        item_ids: items.iter().map(|i| i.id.clone()).collect(),
                    });
                }
                Err(e) => {
                    println!("feed error: {e:#}");
                    code = ExitCode::FAILURE;
                }
            }
        }
    } else if !feeds.is_empty() {
        let bar = spinner(tty, "{spinner} {elapsed} {pos} items  {msg}");
        let on_item = |r: &ItemResult| {
            let mut t = results.lock().unwrap_or_else(|p| p.into_inner());
            t.add(r);
            bar.inc(1);
            bar.set_message(format!(
                "{} new, {} updated, {} failed",
                t.tally.new, t.tally.updated, t.tally.failed
            ));
        };
        let reports = runtime.block_on(async {
            use futures_util::StreamExt as _;
            futures_util::stream::iter(&feeds)
                .map(|feed| pipeline.run_feed(feed, Mode::Backfill, &cancel, &on_item))
                .buffer_unordered(config.fetch.concurrency.get())
                .collect::<Vec<_>>()
                .await
        });
        bar.finish_and_clear();
        if super::poll::print_reports(&reports) != ExitCode::SUCCESS {
            code = ExitCode::FAILURE;
        }
        // `buffer_unordered` reorders: reports are matched to feeds by name.
        for feed in &feeds {
            if let Some(r) = reports.iter().flatten().find(|r| r.feed == feed.name) {
                archives.push(FeedPage {
                    feed: feed.clone(),
                    prev_archive: r.prev_archive.clone(),
                    item_ids: r.item_ids.clone(),
                });
            }
        }
    }

    // 2. Archive documents and the URL list: every article URL, once.
    let mut found = Found::default();
    let bar = spinner(tty, "{spinner} {elapsed} reading archives: {msg}");
    let batches = runtime.block_on(discover(
        &pipeline, &cancel, args, window, &archives, &sitemaps, url_file, &mut found, &bar,
    ))?;
    bar.finish_and_clear();
    for doc in &found.failed_documents {
        println!("archive error: {doc}");
    }
    for bad in &found.bad_entries {
        eprintln!("wiredesk: skipped {bad}");
    }
    if !found.failed_documents.is_empty() {
        code = ExitCode::FAILURE;
    }
    let total: usize = batches.iter().map(|b| b.items.len()).sum();

    // 3. The articles.
    if args.dry_run {
        let mut stored = 0usize;
        for batch in &batches {
            for item in &batch.items {
                if runtime.block_on(pipeline.is_stored(&batch.feed.name, item))? {
                    stored += 1;
                } else if let Some(link) = &item.link {
                    println!("would fetch {link}");
                }
            }
        }
        println!(
            "dry run: {} to fetch, {stored} already stored; {}",
            total - stored,
            describe_found(&found)
        );
        return Ok(code);
    }
    let bar = if tty && total > 0 {
        let bar = indicatif::ProgressBar::new(total as u64);
        bar.set_style(
            indicatif::ProgressStyle::with_template(
                "{elapsed_precise} [{wide_bar}] {pos}/{len} ETA {eta}  {msg}",
            )
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
        );
        bar
    } else {
        indicatif::ProgressBar::hidden()
    };
    let on_item = |r: &ItemResult| {
        let mut t = results.lock().unwrap_or_else(|p| p.into_inner());
        t.add(r);
        bar.set_message(format!(
            "{} new, {} updated, {} skipped, {} failed",
            t.tally.new, t.tally.updated, t.tally.skipped, t.tally.failed
        ));
        bar.inc(1);
    };
    let mut store_error = None;
    for batch in batches {
        if cancel.is_cancelled() {
            break;
        }
        let taken = runtime.block_on(pipeline.take_items(
            &batch.feed,
            Mode::Archive,
            batch.items,
            &cancel,
            &on_item,
        ));
        if let Err(e) = taken {
            store_error = Some(e);
            break;
        }
    }
    bar.finish_and_clear();
    let results = results.into_inner().unwrap_or_else(|p| p.into_inner());
    print_summary(&results, &found, cancel.is_cancelled());
    if let Some(e) = store_error {
        return Err(e.into());
    }
    // Interrupted: not everything was taken in (a rerun resumes).
    if cancel.is_cancelled() {
        code = ExitCode::FAILURE;
    }
    Ok(code)
}

fn spinner(tty: bool, template: &str) -> indicatif::ProgressBar {
    if !tty {
        return indicatif::ProgressBar::hidden();
    }
    let bar = indicatif::ProgressBar::new_spinner();
    bar.set_style(
        indicatif::ProgressStyle::with_template(template)
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_spinner()),
    );
    bar.enable_steady_tick(std::time::Duration::from_millis(120));
    bar
}

fn describe_found(found: &Found) -> String {
    format!(
        "{} sitemaps and {} archive pages read, {} articles listed ({} listed twice, {} outside --since/--until, {} bad entries)",
        found.sitemaps,
        found.archive_pages,
        found.listed,
        found.listed_twice,
        found.outside_window,
        found.bad_entries.len()
    )
}

/// Prints the summary: the counts on one line, then the commonest failure reasons.
fn print_summary(results: &Results, found: &Found, interrupted: bool) {
    let t = &results.tally;
    println!(
        "backfill summary: {} new, {} updated, {} duplicate, {} skipped (already stored), {} failed{}",
        t.new,
        t.updated,
        t.duplicate + t.appearances,
        t.skipped,
        t.failed + found.bad_entries.len(),
        if interrupted { " (interrupted)" } else { "" }
    );
    if found.sitemaps + found.archive_pages + found.listed > 0 {
        println!("sources: {}", describe_found(found));
    }
    let mut reasons: Vec<(&String, &usize)> = results.reasons.iter().collect();
    if !found.bad_entries.is_empty() {
        println!(
            "failed: {} bad entries (listed above)",
            found.bad_entries.len()
        );
    }
    reasons.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
    for (reason, n) in reasons.iter().take(5) {
        println!("failed: {n} {reason}");
    }
    if reasons.len() > 5 {
        let rest: usize = reasons[5..].iter().map(|(_, n)| **n).sum();
        println!("failed: {rest} for {} other reasons", reasons.len() - 5);
    }
}

/// Fetches and parses one feed document: its items and its `prev-archive` link.
async fn read_feed_page(
    pipeline: &Pipeline,
    feed: &FeedConfig,
    url: &Url,
) -> Result<(Vec<FeedItem>, Option<Url>), PipelineError> {
    let response = pipeline.fetch_document(feed, url).await?;
    let base = response.final_url.clone();
    let (parsed, prev) = pipeline
        .on_worker(&feed.name, move || {
            let parsed = crate::feed::parse(
                &response.body,
                response.content_type.as_deref(),
                Some(&base),
            );
            (
                parsed,
                crate::feed::prev_archive(&response.body, Some(&base)),
            )
        })
        .await?;
    let parsed = parsed.map_err(|source| PipelineError::Parse {
        feed: feed.name.clone(),
        url: url.to_string(),
        source,
    })?;
    Ok((parsed.items, prev))
}

/// Reads the archive documents and the URL list into batches, each article URL once.
#[allow(clippy::too_many_arguments)]
async fn discover(
    pipeline: &Pipeline,
    cancel: &CancellationToken,
    args: &BackfillArgs,
    window: Window,
    archives: &[FeedPage],
    sitemaps: &[FeedUrl],
    url_file: Option<UrlFile>,
    found: &mut Found,
    bar: &indicatif::ProgressBar,
) -> anyhow::Result<Vec<Batch>> {
    let mut seen = HashSet::new();
    let mut batches = Vec::new();
    // Adds an item unless its URL was listed already or its date is outside the window.
    let mut keep = |item: &FeedItem, found: &mut Found| -> bool {
        found.listed += 1;
        bar.set_message(format!("{} articles listed", found.listed));
        if !window.holds(item.published) {
            found.outside_window += 1;
            return false;
        }
        let key = item
            .link
            .as_deref()
            .and_then(crate::dedupe::url_key)
            .unwrap_or_else(|| item.id.clone());
        if !seen.insert(key) {
            found.listed_twice += 1;
            return false;
        }
        true
    };

    // Feed archives: `prev-archive` chains, then `?paged=` pages.
    for FeedPage {
        feed,
        prev_archive: first_prev,
        item_ids,
    } in archives
    {
        let mut items = Vec::new();
        let mut visited = HashSet::from([feed.url.url().clone()]);
        let mut next = first_prev.clone();
        while let Some(url) = next.take() {
            if cancel.is_cancelled() || found.archive_pages >= MAX_ARCHIVE_PAGES {
                break;
            }
            if !visited.insert(url.clone()) {
                break;
            }
            found.archive_pages += 1;
            match read_feed_page(pipeline, feed, &url).await {
                Ok((page, prev)) => {
                    items.extend(page.into_iter().filter(|i| keep(i, found)));
                    next = prev;
                }
                Err(e) => found.failed_documents.push(format!("{e:#}")),
            }
        }
        if let Some(pages) = args.pages {
            // Ids seen on earlier pages, the feed's own first.
            let mut ids: HashSet<String> = item_ids.iter().cloned().collect();
            for n in 2..=pages {
                if cancel.is_cancelled() {
                    break;
                }
                let mut url = feed.url.url().clone();
                url.query_pairs_mut().append_pair("paged", &n.to_string());
                found.archive_pages += 1;
                let page = match read_feed_page(pipeline, feed, &url).await {
                    Ok((page, _)) => page,
                    // Past the last page WordPress answers 404: the end, not a failure.
                    Err(PipelineError::Fetch { source, .. }) if source.status() == Some(404) => {
                        break;
                    }
                    Err(e) => {
                        found.failed_documents.push(format!("{e:#}"));
                        break;
                    }
                };
                // A server that ignores `paged` repeats its first page: stop there.
                let fresh: Vec<FeedItem> = page
                    .into_iter()
                    .filter(|i| ids.insert(i.id.clone()))
                    .collect();
                if fresh.is_empty() {
                    break;
                }
                items.extend(fresh.into_iter().filter(|i| keep(i, found)));
            }
        }
        if !items.is_empty() {
            batches.push(Batch {
                feed: feed.clone(),
                items,
            });
        }
    }

    // Sitemaps: indexes followed breadth-first, bounded in depth and count.
    for root in sitemaps {
        let host = root.url().host_str().unwrap_or("sitemap").to_string();
        let feed = source(format!("sitemap:{host}"), root.url(), args.credit.clone());
        let mut items = Vec::new();
        let mut queue = VecDeque::from([(root.url().clone(), 0usize)]);
        let mut visited = HashSet::new();
        let mut read = 0usize;
        while let Some((url, depth)) = queue.pop_front() {
            if cancel.is_cancelled() || read >= MAX_SITEMAPS {
                break;
            }
            if !visited.insert(url.clone()) {
                continue;
            }
            read += 1;
            found.sitemaps += 1;
            let parsed = match pipeline.fetch_document(&feed, &url).await {
                Ok(response) => {
                    let base = response.final_url.clone();
                    pipeline
                        .on_worker(&feed.name, move || {
                            sitemap::parse(&response.body, Some(&base))
                        })
                        .await?
                        .map_err(|e| format!("sitemap {url}: {e}"))
                }
                Err(PipelineError::Fetch { source, .. }) => Err(format!("sitemap {source}")),
                Err(e) => Err(format!("sitemap {url}: {e}")),
            };
            let map = match parsed {
                Ok(map) => map,
                Err(e) => {
                    found.failed_documents.push(e);
                    continue;
                }
            };
            for bad in &map.invalid {
                found.bad_entries.push(format!(
                    "sitemap {url}: <loc> {bad:?} is not an http(s) URL"
                ));
            }
            match map.kind {
                SitemapKind::Index if depth < MAX_SITEMAP_DEPTH => {
                    for child in map.entries {
                        // A child last modified before --since lists nothing newer.
                        if child.date.zip(window.since).is_some_and(|(d, s)| d < s) {
                            continue;
                        }
                        queue.push_back((child.url, depth + 1));
                    }
                }
                SitemapKind::Index => found.failed_documents.push(format!(
                    "sitemap {url}: index nested deeper than {MAX_SITEMAP_DEPTH} levels; not followed"
                )),
                SitemapKind::UrlSet => {
                    for entry in map.entries {
                        let item = url_item(&entry.url, entry.date, entry.title);
                        if keep(&item, found) {
                            items.push(item);
                        }
                    }
                }
            }
        }
        if !items.is_empty() {
            batches.push(Batch { feed, items });
        }
    }

    // The URL list.
    if let Some(UrlFile { path, urls, bad }) = url_file {
        found.bad_entries.extend(bad);
        let name = path
            .file_name()
            .map_or_else(|| "list".into(), |n| n.to_string_lossy().into_owned());
        let items: Vec<FeedItem> = urls
            .iter()
            .map(|u| url_item(u, None, None))
            .filter(|i| keep(i, found))
            .collect();
        if let Some(first) = urls.first() {
            batches.push(Batch {
                feed: source(format!("urls:{name}"), first, args.credit.clone()),
                items,
            });
        }
    }
    Ok(batches)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reasons_drop_the_url() {
        assert_eq!(
            reason("http://127.0.0.1:8/a.html: HTTP status 404"),
            "HTTP status 404"
        );
        assert_eq!(
            reason("https://kvia.com/x: no article body found"),
            "no article body found"
        );
        assert_eq!(
            reason("item abc: no link to fetch and no full text in the feed"),
            "no link to fetch and no full text in the feed"
        );
        assert_eq!(reason("cannot connect"), "cannot connect");
    }

    #[test]
    fn window_keeps_undated_and_bounds_whole_days() {
        let w = Window {
            since: Some(crate::api::parse_since("2024-03-01").unwrap()),
            until: Some(crate::api::parse_until("2024-03-02").unwrap()),
        };
        let at = |s: &str| Some(DateTime::parse_from_rfc3339(s).unwrap().to_utc());
        assert!(w.holds(None));
        assert!(w.holds(at("2024-03-01T00:00:00Z")));
        assert!(w.holds(at("2024-03-02T23:59:00Z")));
        assert!(!w.holds(at("2024-02-29T23:59:59Z")));
        assert!(!w.holds(at("2024-03-03T00:00:00Z")));
        assert!(crate::api::parse_since("March").is_err());
        assert_eq!(
            crate::api::parse_until("2024-03-02T10:00:00+02:00").unwrap(),
            at("2024-03-02T08:00:00Z").unwrap()
        );
    }
}
