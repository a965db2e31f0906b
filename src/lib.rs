//! wiredesk ingests wire copy that local stations republish.
//!
//! The pipeline, in one paragraph: [`feed`] turns feed bytes into [`model::FeedItem`]s;
//! [`fetch`] (the only network code) gets each item's page as a [`model::Page`]; [`extract`]
//! turns a page into an [`model::Article`] (metadata and body, page chrome stripped);
//! [`dedupe`] decides whether an article is a new story, another appearance of a known story,
//! or a new version of one; [`store`] (the only SQL) writes the result to SQLite.
//! [`pipeline`] wires the stages in that order; [`daemon`] runs it on a schedule; [`cli`] is
//! the command line; [`charset`] turns page and feed bytes into text for `fetch`, `feed` and
//! the CLI.
#![deny(missing_docs)]

pub mod api;
pub mod charset;
pub mod cli;
pub mod compression;
pub mod config;
pub mod daemon;
pub mod dates;
pub mod dedupe;
pub mod extract;
pub mod feed;
pub mod fetch;
pub mod fixture_server;
pub mod metrics;
pub mod model;
pub mod pipeline;
pub mod store;
