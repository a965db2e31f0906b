//! `wiredesk stories list|show|search`: read the store.

use std::process::ExitCode;

use clap::{Args, Subcommand};

/// Arguments of `wiredesk stories`.
#[derive(Debug, Args)]
pub struct StoriesArgs {
    /// Print JSON instead of text.
    #[arg(long, global = true)]
    pub json: bool,
    /// What to do.
    #[command(subcommand)]
    pub action: StoriesAction,
}

/// `stories` subcommands.
#[derive(Debug, Subcommand)]
pub enum StoriesAction {
    /// The newest stories.
    List {
        /// How many.
        #[arg(long, default_value_t = 50)]
        limit: usize,
    },
    /// One story with its versions and appearances.
    Show {
        /// Story id.
        id: i64,
    },
    /// Full-text search over headlines and bodies.
    Search {
        /// FTS5 query.
        query: String,
        /// How many.
        #[arg(long, default_value_t = 50)]
        limit: usize,
    },
}

/// Runs the command against the database at `db`.
pub fn run(_args: &StoriesArgs, _db: &std::path::Path) -> anyhow::Result<ExitCode> {
    anyhow::bail!("stories: not implemented")
}
