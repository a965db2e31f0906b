//! The steps every write shares: statements run through the connection's prepared-statement
//! cache (an ingest runs about fifteen; preparing them anew each time cost as much as running
//! them), errors tagged with the step that failed, and one transaction per write.

use rusqlite::{Connection, OptionalExtension as _, Params, Row, Transaction, TransactionBehavior};

use super::{Store, StoreError};

/// How many prepared statements a connection keeps (every statement of the write path fits).
pub(crate) const STATEMENT_CACHE: usize = 96;

/// A step's result; the error names the step.
pub(crate) type Step<T> = Result<T, (&'static str, rusqlite::Error)>;

/// Tags a SQLite error with the step that failed.
pub(crate) fn step<T>(what: &'static str, r: rusqlite::Result<T>) -> Step<T> {
    r.map_err(|e| (what, e))
}

/// Runs a statement; the number of rows it changed.
pub(crate) fn exec(
    conn: &Connection,
    what: &'static str,
    sql: &str,
    params: impl Params,
) -> Step<usize> {
    step(
        what,
        conn.prepare_cached(sql).and_then(|mut s| s.execute(params)),
    )
}

/// The first row of a query, if there is one.
pub(crate) fn first<T>(
    conn: &Connection,
    what: &'static str,
    sql: &str,
    params: impl Params,
    read: impl FnOnce(&Row<'_>) -> rusqlite::Result<T>,
) -> Step<Option<T>> {
    step(
        what,
        conn.prepare_cached(sql)
            .and_then(|mut s| s.query_row(params, read).optional()),
    )
}

impl Store {
    /// Runs `f` in one `BEGIN IMMEDIATE` transaction and commits it: all of it is stored or
    /// none. `about` names the write ("ingest article … from feed …") for the errors.
    pub(crate) fn write<T>(
        &mut self,
        about: impl Fn() -> String,
        f: impl FnOnce(&Transaction<'_>) -> Step<T>,
    ) -> Result<T, StoreError> {
        if self.read_only {
            return Err(StoreError::ReadOnly {
                path: self.path.clone(),
                what: about(),
            });
        }
        let path = &self.path;
        let fail = |what: &str, source| StoreError::Sqlite {
            path: path.clone(),
            what: format!("{}: {what}", about()),
            source,
        };
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(|e| fail("begin", e))?;
        let out = f(&tx).map_err(|(what, e)| fail(what, e))?;
        tx.commit().map_err(|e| fail("commit", e))?;
        Ok(out)
    }
}
