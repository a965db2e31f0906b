//! `wiredesk tokens create NAME | list | revoke NAME`: who may read the API.
//!
//! A new token is 256 random bits, printed once (as the last word of the output, so scripts
//! can take it with `awk '{print $NF}'`); the store keeps only its hash.

use std::process::ExitCode;

use anyhow::Context as _;
use chrono::Utc;
use clap::{Args, Subcommand};

use crate::config::Config;

/// Arguments of `wiredesk tokens`.
#[derive(Debug, Args)]
pub struct TokensArgs {
    /// What to do.
    #[command(subcommand)]
    pub action: TokensAction,
}

/// `tokens` subcommands.
#[derive(Debug, Subcommand)]
pub enum TokensAction {
    /// Create a token for a client (a station's CMS, a producer's tool).
    Create {
        /// A name for the client; shown in the API's request log.
        name: String,
    },
    /// List tokens (names and dates, never the tokens).
    List,
    /// Revoke a client's token: its requests get 401 from then on.
    Revoke {
        /// The client's name.
        name: String,
    },
}

/// Runs the subcommand against the configured store.
pub fn run(args: &TokensArgs, config: &Config) -> anyhow::Result<ExitCode> {
    match &args.action {
        TokensAction::Create { name } => {
            if name.trim().is_empty() || name.chars().any(char::is_whitespace) {
                return Err(super::UsageError(anyhow::anyhow!(
                    "token name {name:?}: use one word, e.g. kvia-cms"
                ))
                .into());
            }
            let store = super::open_store(config)?;
            let mut secret = [0u8; 32];
            getrandom::fill(&mut secret).map_err(|e| anyhow::anyhow!("no randomness: {e}"))?;
            let token: String = secret.iter().map(|b| format!("{b:02x}")).collect();
            store.create_token(name, &crate::api::server::token_hash(&token), Utc::now())?;
            println!(
                "Token for {name} (shown once; send it as Authorization: Bearer TOKEN): {token}"
            );
        }
        TokensAction::List => {
            let store = super::open_store(config)?;
            println!("{:<24} {:<22} REVOKED", "NAME", "CREATED");
            for t in store.list_tokens()? {
                println!(
                    "{:<24} {:<22} {}",
                    t.name,
                    t.created_at,
                    t.revoked_at.as_deref().unwrap_or("-")
                );
            }
        }
        TokensAction::Revoke { name } => {
            let store = super::open_store(config)?;
            let revoked = store
                .revoke_token(name, Utc::now())
                .with_context(|| format!("cannot revoke token {name}"))?;
            if !revoked {
                return Err(super::UsageError(anyhow::anyhow!(
                    "no live token named {name:?} (see wiredesk tokens list)"
                ))
                .into());
            }
            println!("Revoked the token of {name}.");
        }
    }
    Ok(ExitCode::SUCCESS)
}
