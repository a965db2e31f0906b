//! Integration tests: the real binary against fixtures served from 127.0.0.1 and real SQLite
//! files. One test binary (one link step); modules by command.

mod common;

mod api;
mod backfill;
mod cli_config;
mod cli_export;
mod cli_extract;
mod cli_feeds;
mod cli_logging;
mod cli_parse;
mod daemon;
mod demo;
mod desk;
mod feed_corpus;
mod poll;
mod revisit;
mod syndication;
mod wire_formats;
