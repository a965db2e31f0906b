//! The store's error type: every variant names the database file and what was being done.

use std::path::PathBuf;

/// Why a store operation failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StoreError {
    /// The database's folder could not be created.
    #[error("creating the folder for database {path}")]
    CreateDir {
        /// The database file.
        path: PathBuf,
        /// The cause.
        #[source]
        source: std::io::Error,
    },
    /// A read-only open found no file.
    #[error("database {path} does not exist (run wiredesk once to create it, or pass --db)")]
    Missing {
        /// The database file.
        path: PathBuf,
    },
    /// SQLite could not open the file or set it up.
    #[error("opening database {path}: {what}")]
    Open {
        /// The database file.
        path: PathBuf,
        /// The step that failed.
        what: String,
        /// The cause.
        #[source]
        source: rusqlite::Error,
    },
    /// Applying or checking migrations failed.
    #[error("migrating database {path}")]
    Migrate {
        /// The database file.
        path: PathBuf,
        /// The cause.
        #[source]
        source: rusqlite_migration::Error,
    },
    /// A read-only open found a schema older than this program's.
    #[error(
        "database {path} has schema version {found} but this wiredesk reads version {expected}: \
         let the writing wiredesk (daemon or poll) open it once to migrate it \
         (version 0: not a wiredesk database yet)"
    )]
    SchemaTooOld {
        /// The database file.
        path: PathBuf,
        /// Its `user_version`.
        found: usize,
        /// The latest migration known here.
        expected: usize,
    },
    /// A write was asked of a store opened read-only.
    #[error("database {path} is open read-only: cannot {what}")]
    ReadOnly {
        /// The database file.
        path: PathBuf,
        /// The write that was refused.
        what: String,
    },
    /// `record_poll` for a feed that was never registered.
    #[error("database {path}: no feed registered with URL {url}")]
    UnknownFeed {
        /// The database file.
        path: PathBuf,
        /// The feed URL.
        url: String,
    },
    /// `tokens create` for a name that already has a live token.
    #[error("a live token named {name:?} exists; revoke it first or choose another name")]
    TokenExists {
        /// The name.
        name: String,
    },
    /// A full-text query SQLite rejected (bad FTS5 syntax) or could not run.
    #[error(
        "database {path}: search query {query:?} failed (FTS5 query syntax: words, \"phrases\", AND/OR/NOT, prefix*)"
    )]
    Search {
        /// The database file.
        path: PathBuf,
        /// The query as given.
        query: String,
        /// The cause.
        #[source]
        source: rusqlite::Error,
    },
    /// A stored value could not be read back (bad JSON or time text).
    #[error("database {path}: {what}: bad stored value {value:?}")]
    BadValue {
        /// The database file.
        path: PathBuf,
        /// Which column of which row.
        what: String,
        /// The value as stored.
        value: String,
    },
    /// Any other SQLite failure.
    #[error("database {path}: {what}")]
    Sqlite {
        /// The database file.
        path: PathBuf,
        /// What was being done.
        what: String,
        /// The cause.
        #[source]
        source: rusqlite::Error,
    },
}
