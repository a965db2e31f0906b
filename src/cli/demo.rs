//! `wiredesk demo`: serve `fixtures/` on 127.0.0.1, ingest it through the real pipeline into the
//! configured store, print what was stored. Needs no internet.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;

use crate::config::{Config, FeedConfig, FeedUrl, HostPort};
use crate::fixture_server::FixtureServer;
use crate::pipeline::Mode;
use crate::store::Store;

/// The port the demo prefers, so that repeated demos see the same URLs (and get 304s).
pub const DEMO_PORT: u16 = 48_080;

/// Arguments of `wiredesk demo`.
#[derive(Debug, Args)]
pub struct DemoArgs {
    /// The fixtures folder to serve (default: `fixtures/` here, else the source tree's).
    #[arg(long, value_name = "DIR")]
    pub fixtures: Option<PathBuf>,
}

/// Runs the command.
pub fn run(args: &DemoArgs, config: &Config) -> anyhow::Result<ExitCode> {
    let root = match &args.fixtures {
        Some(dir) => dir.clone(),
        None => default_fixtures(),
    };
    let server = FixtureServer::start_preferring(&root, DEMO_PORT)?;
    println!("serving {} at {}", root.display(), server.base_url());
    let feeds = fixture_feeds(&root, server.base_url())?;
    if feeds.is_empty() {
        anyhow::bail!("no feed files in {}", root.join("feeds").display());
    }
    let mut config = config.clone();
    config.feeds = feeds;
    config
        .fetch
        .allow_private
        .push(HostPort::parse(&server.host_port()).map_err(anyhow::Error::msg)?);
    // Our own fixture server on loopback: no need to space requests to it.
    config.fetch.per_host_interval_ms = 0;
    let store = super::open_store(&config)?;
    println!("store: {}", config.store.path.display());
    let runtime = super::runtime()?;
    let results = runtime.block_on(super::poll::pass(
        &config,
        store,
        &config.feeds,
        Mode::Poll,
        &|_| {},
    ))?;
    let code = super::poll::print_reports(&results);
    drop(server);

    let store = Store::open_read_only(&config.store.path)?;
    let stories = store.list_stories(1000)?;
    println!("\n{} stories stored:", stories.len());
    for s in &stories {
        println!(
            "  #{:<3} {:<22} {:<20} {} ({} appearance{}, v{})",
            s.id,
            s.credit.as_deref().unwrap_or("-"),
            s.section.as_deref().unwrap_or("-"),
            s.headline.as_deref().unwrap_or("(no headline)"),
            s.appearances,
            if s.appearances == 1 { "" } else { "s" },
            s.version,
        );
    }
    println!(
        "\nnext: wiredesk --db {} stories show ID",
        config.store.path.display()
    );
    Ok(code)
}

/// `fixtures/` in the working folder when present, else the one in the source tree.
fn default_fixtures() -> PathBuf {
    let here = PathBuf::from("fixtures");
    if here.join("feeds").is_dir() {
        here
    } else {
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fixtures")
    }
}

/// One feed per file in `root/feeds` (`.rss`, `.atom`, `.rdf`, `.xml`, `.json`, except the
/// `*.expected.json` beside them), named for the file.
fn fixture_feeds(root: &std::path::Path, base: &str) -> anyhow::Result<Vec<FeedConfig>> {
    let dir = root.join("feeds");
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .map_err(|e| anyhow::anyhow!("cannot list {}: {e}", dir.display()))?
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter(|n| {
            !n.ends_with(".expected.json")
                && [".rss", ".atom", ".rdf", ".xml", ".json"]
                    .iter()
                    .any(|ext| n.ends_with(ext))
        })
        .collect();
    names.sort();
    names
        .into_iter()
        .map(|n| {
            let url = FeedUrl::parse(&format!("{base}/feeds/{n}")).map_err(anyhow::Error::msg)?;
            Ok(FeedConfig {
                name: n.clone(),
                url,
                interval_secs: std::num::NonZeroU64::new(300).expect("non-zero"),
                credit: None,
                fetch_articles: true,
                headers: Default::default(),
                min_interval_secs: None,
                max_interval_secs: None,
            })
        })
        .collect()
}
