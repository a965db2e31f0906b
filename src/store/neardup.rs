//! The near-duplicate candidate index: every version's fingerprint is stored on its
//! `story_versions` row, and its content-sampled shingle hashes in `shingle_index`
//! (hash → story). Finding candidates is one indexed lookup per sampled hash of the incoming
//! text, each capped at [`MAX_POSTINGS`] rows, so its cost does not grow with the store (only
//! the B-tree depth does); the few candidates are then scored exactly on their full
//! fingerprints.

use std::collections::HashMap;

use rusqlite::{Connection, params};

use super::sql::{Step, exec, step};

use crate::dedupe::fingerprint::MIN_CONTAINED_SHINGLES;
use crate::dedupe::history::Relation;
use crate::dedupe::short::{self, Side};
use crate::dedupe::{self, FINGERPRINT_VERSION, Fingerprint};

/// A hash shared by more stories than this is boilerplate (a stock phrase, leftover chrome) and
/// says nothing about which story this is: it is skipped when looking for candidates.
pub const MAX_POSTINGS: usize = 200;

/// At most this many candidates (those sharing the most sampled hashes) are scored exactly.
pub const MAX_CANDIDATES: usize = 16;

/// Stories sharing sampled hash ?1, at most [`MAX_POSTINGS`] + 1 of them. The limit is written
/// into the statement: a bound `LIMIT ?` makes SQLite prepare the statement again at every new
/// binding (it plans with the value), and this runs once per sampled hash of every article.
pub(crate) const POSTINGS: &str = "SELECT story_id FROM shingle_index WHERE hash = ?1 LIMIT 201";

/// One row of [`VERSION_FINGERPRINTS`] (after its version number): stored fingerprint (absent on rows written
/// before fingerprints were kept), its format version, the body it was computed from, the
/// version's headline, its publication time (else when it was seen) and the story's credit.
struct VersionRow {
    blob: Option<Vec<u8>>,
    fingerprint_version: Option<i64>,
    body_text: String,
    headline: Option<String>,
    published_at: String,
    credit: Option<String>,
}

/// Every version of story ?1 with what comparing it needs.
pub(crate) const VERSION_FINGERPRINTS: &str =
    "SELECT v.version, v.fingerprint, v.fingerprint_version, v.body_text, v.headline,
            coalesce(v.published_at, v.seen_at), s.credit
     FROM story_versions v JOIN stories s ON s.id = v.story_id
     WHERE v.story_id = ?1 ORDER BY v.version";

/// The size in bytes of the longest fingerprint of story ?1's versions (8 bytes a shingle).
pub(crate) const LONGEST_VERSION: &str =
    "SELECT max(length(fingerprint)) FROM story_versions WHERE story_id = ?1";

/// The incoming text, as [`find_near`] compares it.
pub(crate) struct Probe<'a> {
    pub fingerprint: &'a Fingerprint,
    pub body_text: &'a str,
    pub headline: Option<&'a str>,
    pub credit: Option<&'a str>,
    /// Its publication time, else when it was seen (sortable UTC text).
    pub published_at: &'a str,
}

pub(crate) fn parse_time(t: &str) -> Option<chrono::DateTime<chrono::Utc>> {
    chrono::DateTime::parse_from_rfc3339(t)
        .ok()
        .map(|d| d.to_utc())
}

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

/// The best near-duplicate story of the incoming text, if any.
pub(crate) fn find_near(tx: &Connection, probe: &Probe<'_>) -> Step<Option<i64>> {
    let fp = probe.fingerprint;
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
        .iter()
        .filter(|&(_, &n)| n >= min_shared)
        .map(|(&id, &n)| (id, n))
        .collect();
    if min_shared > 1 {
        // A short stored text (an early breaking cut: a few sampled hashes in all) may share a
        // single sampled hash with the full story arriving after it. Stories sharing one hash
        // are candidates only when their text is that short; at most MAX_CANDIDATES of them,
        // newest first, are asked (one primary-key lookup each).
        let mut singles: Vec<i64> = shared
            .iter()
            .filter(|&(_, &n)| n == 1)
            .map(|(&id, _)| id)
            .collect();
        singles.sort_unstable_by(|a, b| b.cmp(a));
        let mut stmt = step(
            "prepare longest version",
            tx.prepare_cached(LONGEST_VERSION),
        )?;
        for id in singles.into_iter().take(MAX_CANDIDATES) {
            let bytes: Option<i64> =
                step("read longest version", stmt.query_row([id], |r| r.get(0)))?;
            if bytes.is_some_and(|b| (b as usize) < MIN_CONTAINED_SHINGLES * 8) {
                candidates.push((id, 1));
            }
        }
    }
    candidates.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    candidates.truncate(MAX_CANDIDATES);

    let incoming = Side {
        body_text: probe.body_text,
        fingerprint: fp,
        headline: probe.headline,
        credit: probe.credit,
        published_at: parse_time(probe.published_at),
    };
    // (score, story); the score is the stronger of resemblance and containment (1 for a short
    // text found whole).
    let mut best: Option<(f64, i64)> = None;
    let mut stmt = step(
        "prepare fingerprints",
        tx.prepare_cached(VERSION_FINGERPRINTS),
    )?;
    for (story_id, _) in candidates {
        let versions: Vec<VersionRow> = step(
            "read fingerprints",
            stmt.query_map([story_id], |r| {
                Ok(VersionRow {
                    blob: r.get(1)?,
                    fingerprint_version: r.get(2)?,
                    body_text: r.get(3)?,
                    headline: r.get(4)?,
                    published_at: r.get(5)?,
                    credit: r.get(6)?,
                })
            })
            .and_then(|rows| rows.collect()),
        )?;
        let mut story_best: Option<f64> = None;
        for v in versions {
            let other = stored_fingerprint(v.blob, v.fingerprint_version, &v.body_text);
            let stored = Side {
                body_text: &v.body_text,
                fingerprint: &other,
                headline: v.headline.as_deref(),
                credit: v.credit.as_deref(),
                published_at: parse_time(&v.published_at),
            };
            let (relation, score) = relate(&incoming, &stored);
            if relation != Relation::Unrelated {
                story_best = Some(story_best.map_or(score, |b: f64| b.max(score)));
            }
        }
        if let Some(score) = story_best
            && best.is_none_or(|(b, _)| score > b)
        {
            best = Some((score, story_id));
        }
    }
    Ok(best.map(|(_, story_id)| story_id))
}

/// How text `a` relates to text `b`, and how strongly they match.
pub(crate) fn relate(a: &Side<'_>, b: &Side<'_>) -> (Relation, f64) {
    use dedupe::fingerprint::MIN_CONTAINMENT;
    let s = a.fingerprint.compare(b.fingerprint);
    // A short text found whole in the other, with the evidence of `dedupe::short`.
    if short::short_joins(a, b) {
        return (Relation::ExtendedBy, 1.0);
    }
    if short::short_joins(b, a) {
        return (Relation::Extends, 1.0);
    }
    if !s.same_story() {
        return (Relation::Unrelated, 0.0);
    }
    let contained = if s.a_len <= s.b_len {
        s.a_in_b
    } else {
        s.b_in_a
    };
    let score = s.resemblance.max(contained);
    // Strictly extends: holds the other (nearly) whole, is longer, and adds paragraphs
    // without dropping any (a station's own lede in place of the first paragraph is a
    // copy, not an update).
    let grows = |from: &str, to: &str| {
        let c = dedupe::summarize(from, to, None, None);
        c.paragraphs_added > 0 && c.paragraphs_removed == 0
    };
    let relation = if s.b_in_a >= MIN_CONTAINMENT
        && s.a_len > s.b_len
        && grows(b.body_text, a.body_text)
    {
        Relation::Extends
    } else if s.a_in_b >= MIN_CONTAINMENT && s.b_len > s.a_len && grows(a.body_text, b.body_text) {
        Relation::ExtendedBy
    } else {
        Relation::Resembles
    };
    (relation, score)
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
