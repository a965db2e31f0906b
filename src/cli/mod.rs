//! The command line: one file per command; each parses its arguments and calls the library.
//!
//! Exit codes: 0 ok, 2 usage or config error, 1 runtime failure.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::config::{Config, ConfigError, DEFAULT_CONFIG_PATH};

mod backfill;
mod check_config;
mod demo;
mod export;
mod extract;
mod feeds;
pub mod logging;
mod parse;
mod poll;
mod revisit;
mod run;
mod serve;
mod stories;
mod tokens;

/// wiredesk: poll newswire feeds, extract the articles stations republish, store each wire story
/// once with every place it ran.
#[derive(Debug, Parser)]
#[command(name = "wiredesk", version, about, long_about = None)]
pub struct Cli {
    /// Config file.
    #[arg(long, global = true, env = "WIREDESK_CONFIG", value_name = "PATH")]
    pub config: Option<PathBuf>,
    /// Database file (overrides `[store] path`).
    #[arg(long, global = true, value_name = "PATH")]
    pub db: Option<PathBuf>,
    /// More logging (-v debug, -vv trace).
    #[arg(short, long, global = true, action = clap::ArgAction::Count)]
    pub verbose: u8,
    /// Less logging (errors only).
    #[arg(short, long, global = true)]
    pub quiet: bool,
    /// Log line format: `auto` is `journal` when stderr is systemd's journal stream, else
    /// `human`.
    #[arg(long, global = true, value_enum, default_value_t = logging::LogFormat::Auto)]
    pub log_format: logging::LogFormat,
    /// The command.
    #[command(subcommand)]
    pub command: Command,
}

/// The commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the daemon: poll every feed on its interval until SIGINT/SIGTERM.
    Run,
    /// One pass over every configured feed, then exit.
    Poll,
    /// Take in an archive now: feeds (with their archive pages), sitemaps, URL lists.
    Backfill(backfill::BackfillArgs),
    /// Serve fixtures/ on 127.0.0.1 and ingest them into the store (no internet needed).
    Demo(demo::DemoArgs),
    /// Validate the config and print the effective settings.
    CheckConfig,
    /// Extract articles from HTML files (no network, no store); one JSON object per line.
    Extract(extract::ExtractArgs),
    /// Parse feed files (no network); one JSON object per file.
    Parse(parse::ParseArgs),
    /// Read stored stories.
    Stories(stories::StoriesArgs),
    /// Write stored stories in a news format (ninjs, JSON lines, Atom, JSON Feed), streamed.
    Export(export::ExportArgs),
    /// Serve the read API over the store (ninjs stories, Atom and JSON Feed) until stopped.
    Serve(serve::ServeArgs),
    /// Create, list and revoke read-API tokens.
    Tokens(tokens::TokensArgs),
    /// Feed health: last poll, last success, error streak and last error, next poll, items in
    /// the last 24 hours.
    Feeds(feeds::FeedsArgs),
    /// Fetch again the pages whose revisit is due (1 h, 6 h, 24 h after first seen).
    Revisit(revisit::RevisitArgs),
}

/// An error that maps to exit code 2 (usage or configuration).
#[derive(Debug, thiserror::Error)]
#[error(transparent)]
pub struct UsageError(#[from] pub anyhow::Error);

/// Runs the command line and returns the process exit code.
pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() {
                ExitCode::from(2)
            } else {
                ExitCode::SUCCESS
            };
        }
    };
    // The daemon logs what it does; one-shot commands print their own report, so they log
    // only warnings unless asked.
    let quiet_default = !matches!(cli.command, Command::Run | Command::Serve(_));
    logging::init(
        logging::Verbosity {
            verbose: cli.verbose,
            quiet: cli.quiet,
            quiet_default,
        },
        cli.log_format,
    );
    match run(cli) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("wiredesk: error: {e:#}");
            if e.downcast_ref::<UsageError>().is_some() || e.downcast_ref::<ConfigError>().is_some()
            {
                ExitCode::from(2)
            } else {
                ExitCode::from(1)
            }
        }
    }
}

fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    match &cli.command {
        Command::Run => {
            let (config, path) = load_config(&cli)?;
            run::run(config, path.exists().then_some(path))
        }
        Command::Poll => poll::run(&load_config(&cli)?.0),
        Command::Backfill(args) => backfill::run(args, &load_config(&cli)?.0),
        Command::Demo(args) => demo::run(args, &load_config(&cli)?.0),
        Command::CheckConfig => {
            let (config, path) = load_config(&cli)?;
            check_config::run(&config, &path, path.exists())
        }
        Command::Extract(args) => extract::run(args, &load_config(&cli)?.0.sites),
        Command::Parse(args) => parse::run(args),
        Command::Revisit(args) => revisit::run(args, &load_config(&cli)?.0),
        Command::Feeds(args) => {
            let (config, _) = load_config(&cli)?;
            feeds::run(args, &config.store.path)
        }
        Command::Stories(args) => {
            let (config, _) = load_config(&cli)?;
            stories::run(args, &config.store.path)
        }
        Command::Serve(args) => serve::run(args, &load_config(&cli)?.0),
        Command::Tokens(args) => tokens::run(args, &load_config(&cli)?.0),
        Command::Export(args) => {
            let (config, _) = load_config(&cli)?;
            export::run(args, &config.store.path)
        }
    }
}

/// Loads the config named by `--config` / `WIREDESK_CONFIG`, else the default path, and applies
/// `--db`. A missing default file yields the built-in defaults; a missing named file is an error.
pub fn load_config(cli: &Cli) -> anyhow::Result<(Config, PathBuf)> {
    let (path, named) = match &cli.config {
        Some(p) => (p.clone(), true),
        None => (PathBuf::from(DEFAULT_CONFIG_PATH), false),
    };
    let mut config = if !named && !path.exists() {
        Config::default()
    } else {
        Config::load(&path).map_err(anyhow::Error::from)?
    };
    if let Some(db) = &cli.db {
        config.store.path = db.clone();
    }
    Ok((config, path))
}

/// Opens the store for writing, naming the path in the error.
pub fn open_store(config: &Config) -> anyhow::Result<crate::store::Store> {
    use anyhow::Context as _;
    crate::store::Store::open(&config.store.path)
        .with_context(|| format!("cannot open store {}", config.store.path.display()))
}

/// The async runtime for network commands.
pub fn runtime() -> anyhow::Result<tokio::runtime::Runtime> {
    Ok(tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?)
}
