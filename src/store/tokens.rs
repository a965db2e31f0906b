//! Read-API tokens: stored as hashes only; a name has at most one live token; revoked tokens
//! stay (marked) so the log of who had access is kept.

use chrono::{DateTime, Utc};
use rusqlite::{OptionalExtension, params};
use serde::Serialize;

use super::{Store, StoreError, time_text};

/// A token as listed (never the token itself).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TokenInfo {
    /// Its name.
    pub name: String,
    /// When it was created (RFC 3339).
    pub created_at: String,
    /// When it was revoked (RFC 3339), if it was.
    pub revoked_at: Option<String>,
}

impl Store {
    /// Stores a new token's hash under `name`; fails with [`StoreError::TokenExists`] while
    /// `name` has a live token.
    pub fn create_token(
        &self,
        name: &str,
        hash: &str,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        self.check_writable(|| format!("create token {name}"))?;
        let live: bool = self
            .conn
            .query_row(
                "SELECT EXISTS (SELECT 1 FROM api_tokens WHERE name = ?1 AND revoked_at IS NULL)",
                [name],
                |r| r.get(0),
            )
            .map_err(self.sql_err(format!("creating token {name}")))?;
        if live {
            return Err(StoreError::TokenExists {
                name: name.to_owned(),
            });
        }
        self.conn
            .execute(
                "INSERT INTO api_tokens (name, hash, created_at) VALUES (?1, ?2, ?3)",
                params![name, hash, time_text(now)],
            )
            .map_err(self.sql_err(format!("creating token {name}")))?;
        Ok(())
    }

    /// Revokes `name`'s live token; false when it has none.
    pub fn revoke_token(&self, name: &str, now: DateTime<Utc>) -> Result<bool, StoreError> {
        self.check_writable(|| format!("revoke token {name}"))?;
        let n = self
            .conn
            .execute(
                "UPDATE api_tokens SET revoked_at = ?2 WHERE name = ?1 AND revoked_at IS NULL",
                params![name, time_text(now)],
            )
            .map_err(self.sql_err(format!("revoking token {name}")))?;
        Ok(n > 0)
    }

    /// Every token ever created, oldest first.
    pub fn list_tokens(&self) -> Result<Vec<TokenInfo>, StoreError> {
        let err = || self.sql_err("listing tokens");
        let mut stmt = self
            .conn
            .prepare("SELECT name, created_at, revoked_at FROM api_tokens ORDER BY id")
            .map_err(err())?;
        let rows = stmt
            .query_map([], |r| {
                Ok(TokenInfo {
                    name: r.get(0)?,
                    created_at: r.get(1)?,
                    revoked_at: r.get(2)?,
                })
            })
            .map_err(err())?;
        rows.collect::<Result<_, _>>().map_err(err())
    }

    /// The name of the live token with this hash, if any.
    pub fn token_name(&self, hash: &str) -> Result<Option<String>, StoreError> {
        self.conn
            .prepare_cached("SELECT name FROM api_tokens WHERE hash = ?1 AND revoked_at IS NULL")
            .and_then(|mut s| s.query_row([hash], |r| r.get(0)).optional())
            .map_err(self.sql_err("checking a token"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_created_found_by_hash_and_revoked() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("t.db")).unwrap();
        let now = Utc::now();
        store.create_token("kvia-cms", "h1", now).unwrap();
        assert!(matches!(
            store.create_token("kvia-cms", "h2", now),
            Err(StoreError::TokenExists { .. })
        ));
        assert_eq!(store.token_name("h1").unwrap().as_deref(), Some("kvia-cms"));
        assert_eq!(store.token_name("h2").unwrap(), None);
        assert!(store.revoke_token("kvia-cms", now).unwrap());
        assert!(!store.revoke_token("kvia-cms", now).unwrap());
        assert_eq!(store.token_name("h1").unwrap(), None);
        // The name is free again; the revoked one stays listed.
        store.create_token("kvia-cms", "h3", now).unwrap();
        let list = store.list_tokens().unwrap();
        assert_eq!(list.len(), 2);
        assert!(list[0].revoked_at.is_some() && list[1].revoked_at.is_none());
    }
}
