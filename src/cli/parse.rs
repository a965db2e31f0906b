//! `wiredesk parse`: feed files in, one JSON object per file out. No network.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;
use url::Url;

/// Arguments of `wiredesk parse`.
#[derive(Debug, Args)]
pub struct ParseArgs {
    /// The Content-Type the files were served with (its charset is honoured).
    #[arg(long)]
    pub content_type: Option<String>,
    /// The feed's URL (base for relative links).
    #[arg(long)]
    pub url: Option<Url>,
    /// Feed files.
    #[arg(value_name = "FILE", required = true)]
    pub files: Vec<PathBuf>,
}

/// Runs the command.
pub fn run(_args: &ParseArgs) -> anyhow::Result<ExitCode> {
    anyhow::bail!("parse: not implemented")
}
