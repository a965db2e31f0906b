//! The near-duplicate candidate index: every version's fingerprint is stored on its
//! `story_versions` row, and its content-sampled shingle hashes in `shingle_index`
//! (hash → story). Finding candidates is one indexed lookup per sampled hash of the incoming
//! text, each capped at [`MAX_POSTINGS`] rows, so its cost does not grow with the store (only
//! the B-tree depth does); the few candidates are then scored exactly on their full
//! fingerprints.

use std::collections::HashMap;

use rusqlite::{Connection, params};

use super::sql::{Step, exec, first, step};

use crate::dedupe::{self, FINGERPRINT_VERSION, Fingerprint, Near};

/// A hash shared by more stories than this is boilerplate (a stock phrase, leftover chrome) and
/// says nothing about which story this is: it is skipped when looking for candidates.
pub const MAX_POSTINGS: usize = 200;

/// At most this many candidates (those sharing the most sampled hashes) are scored exactly.
pub const MAX_CANDIDATES: usize = 16;

/// Stories sharing sampled hash ?1, at most [`MAX_POSTINGS`] + 1 of them. The limit is written
/// into the statement: a bound `LIMIT ?` makes SQLite prepare the statement again at every new
/// binding (it plans with the value), and this runs once per sampled hash of every article.
pub(crate) const POSTINGS: &str = "SELECT story_id FROM shingle_index WHERE hash = ?1 LIMIT 201";

/// The latest publication time declared at any place of story ?1.
pub(crate) const LATEST_PUBLISHED: &str =
    "SELECT max(published_at) FROM appearances WHERE story_id = ?1";

/// One row of [`VERSION_FINGERPRINTS`]: version, stored fingerprint (absent on rows written
/// before fingerprints were kept), its format version, and the body it was computed from.
type VersionRow = (i64, Option<Vec<u8>>, Option<i64>, String);

/// Every version's fingerprint of story ?1.
pub(crate) const VERSION_FINGERPRINTS: &str =
    "SELECT version, fingerprint, fingerprint_version, body_text
     FROM story_versions WHERE story_id = ?1 ORDER BY version";

/// Stores the fingerprint of a version and indexes its sampled hashes.
pub(crate) fn index_version(
    tx: &Connection,
    story_id: i64,
    version: i64,
    fp: &Fingerprint,
) -> Step<()> {
    exec(
        tx,
        "store fingerprint",
        "UPDATE story_versions SET fingerprint = ?3, fingerprint_version = ?4
         WHERE story_id = ?1 AND version = ?2",
        params![story_id, version, fp.to_blob(), FINGERPRINT_VERSION],
    )?;
    let mut stmt = step(
        "prepare index insert",
        tx.prepare_cached("INSERT OR IGNORE INTO shingle_index (hash, story_id) VALUES (?1, ?2)"),
    )?;
    for h in fp.sampled() {
        step("index shingle", stmt.execute(params![h as i64, story_id]))?;
    }
    Ok(())
}

/// The fingerprint of a stored version, recomputed from its text when it was made by another
/// [`FINGERPRINT_VERSION`] (or not at all).
fn stored_fingerprint(blob: Option<Vec<u8>>, version: Option<i64>, body_text: &str) -> Fingerprint {
    match (blob, version) {
        (Some(b), Some(FINGERPRINT_VERSION)) => {
            Fingerprint::from_blob(&b).unwrap_or_else(|| Fingerprint::of(body_text))
        }
        _ => Fingerprint::of(body_text),
    }
}

/// The best near-duplicate story of the incoming text, if any, and whether the incoming text
/// extends that story's current text (an update).
pub(crate) fn find_near(
    tx: &Connection,
    fp: &Fingerprint,
    body_text: &str,
    published_at: Option<&str>,
) -> Step<Option<Near>> {
    if fp.is_empty() {
        return Ok(None);
    }
    let sampled: Vec<u64> = fp.sampled().collect();
    let mut shared: HashMap<i64, usize> = HashMap::new();
    {
        let mut stmt = step("prepare postings", tx.prepare_cached(POSTINGS))?;
        for h in &sampled {
            let ids: Vec<i64> = step(
                "read postings",
                stmt.query_map(params![*h as i64], |r| r.get(0))
                    .and_then(|rows| rows.collect()),
            )?;
            if ids.len() > MAX_POSTINGS {
                continue;
            }
            for id in ids {
                *shared.entry(id).or_default() += 1;
            }
        }
    }
    let min_shared = if sampled.len() < 8 { 1 } else { 2 };
    let mut candidates: Vec<(i64, usize)> = shared
        .into_iter()
        .filter(|&(_, n)| n >= min_shared)
        .collect();
    candidates.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    candidates.truncate(MAX_CANDIDATES);

    // (score, story, extends); the score is the stronger of resemblance and containment.
    let mut best: Option<(f64, i64, bool)> = None;
    let mut stmt = step(
        "prepare fingerprints",
        tx.prepare_cached(VERSION_FINGERPRINTS),
    )?;
    for (story_id, _) in candidates {
        let versions: Vec<VersionRow> = step(
            "read fingerprints",
            stmt.query_map([story_id], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
            })
            .and_then(|rows| rows.collect()),
        )?;
        let mut story_best: Option<f64> = None;
        let mut extends = false;
        let last = versions.len().saturating_sub(1);
        for (i, (_, blob, fpv, text)) in versions.into_iter().enumerate() {
            let other = stored_fingerprint(blob, fpv, &text);
            let s = fp.compare(&other);
            if s.same_story() {
                let contained = if s.a_len <= s.b_len {
                    s.a_in_b
                } else {
                    s.b_in_a
                };
                let score = s.resemblance.max(contained);
                story_best = Some(story_best.map_or(score, |b: f64| b.max(score)));
            }
            if i == last && s.same_story() {
                // An update: holds the current text (nearly) whole and adds paragraphs to it.
                extends = s.b_in_a >= dedupe::fingerprint::MIN_CONTAINMENT
                    && s.a_len > s.b_len
                    && dedupe::summarize(&text, body_text, None, None).paragraphs_added > 0;
            }
        }
        if let Some(score) = story_best
            && best.is_none_or(|(b, _, _)| score > b)
        {
            best = Some((score, story_id, extends));
        }
    }
    let Some((_, story_id, extends)) = best else {
        return Ok(None);
    };
    // A fuller text published no later than a copy already seen is the original that copy was
    // cut from, not an update of it.
    let extends = extends
        && match published_at {
            None => true,
            Some(p) => {
                let latest: Option<String> = first(
                    tx,
                    "read latest publication",
                    LATEST_PUBLISHED,
                    [story_id],
                    |r| r.get(0),
                )?
                .flatten();
                latest.is_none_or(|l| p > l.as_str())
            }
        };
    Ok(Some(Near { story_id, extends }))
}

/// Fingerprints versions stored without one (a database from schema 1) or with an older
/// [`FINGERPRINT_VERSION`]; returns how many. Run when the writer opens.
pub(crate) fn refresh(tx: &Connection) -> Step<usize> {
    let rows: Vec<(i64, i64, String)> = {
        let mut stmt = step(
            "find unfingerprinted versions",
            tx.prepare(
                "SELECT story_id, version, body_text FROM story_versions
                 WHERE fingerprint_version IS NULL
                 UNION ALL
                 SELECT story_id, version, body_text FROM story_versions
                 WHERE fingerprint_version < ?1",
            ),
        )?;
        step(
            "read unfingerprinted versions",
            stmt.query_map([FINGERPRINT_VERSION], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?))
            })
            .and_then(|rows| rows.collect()),
        )?
    };
    for (story_id, version, text) in &rows {
        index_version(tx, *story_id, *version, &Fingerprint::of(text))?;
    }
    Ok(rows.len())
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_postings_limit_is_one_more_than_max_postings() {
        assert!(super::POSTINGS.ends_with(&format!("LIMIT {}", super::MAX_POSTINGS + 1)));
    }
}
