//! `wiredesk check-config`: validate the config and print the effective settings.

use std::path::Path;
use std::process::ExitCode;

use crate::config::Config;

/// Prints the effective config (after defaults and `--db`) as TOML.
pub fn run(config: &Config, path: &Path, found: bool) -> anyhow::Result<ExitCode> {
    if found {
        println!("# {}: ok ({} feeds)", path.display(), config.feeds.len());
    } else {
        println!("# {} not found: built-in defaults", path.display());
    }
    print!("{}", config.to_toml());
    Ok(ExitCode::SUCCESS)
}
