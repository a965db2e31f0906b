//! A story's version history, derived from every text it has been seen with (`story_texts`,
//! v8) by [`dedupe::history::derive`], and written back: `story_versions` renumbered in
//! publication order, `story_texts.status`, `appearances.is_cut`.
//!
//! [`plan`] reads the story's texts, adds the incoming one (or moves an known text's
//! publication time earlier), relates every pair ([`neardup::relate`]) and derives the new
//! history; [`apply`] writes it. The result depends on the set of texts only, not on the order
//! they arrived in.

use rusqlite::{Connection, params};

use super::neardup;
use super::sql::{Step, exec, first, step};
use crate::dedupe::history::{self, History, Placement, Relation, Status, Text};
use crate::dedupe::short::Side;
use crate::dedupe::{self, ChangeSummary, Fingerprint};

/// One row of `story_texts`.
#[derive(Debug, Clone)]
pub(crate) struct StoredText {
    pub body_hash: String,
    pub headline: Option<String>,
    pub body_text: String,
    pub body_html: String,
    pub published_at: String,
    pub seen_at: String,
    pub is_correction: bool,
    pub pinned: bool,
    pub status: String,
}

/// The texts of story ?1.
pub(crate) const TEXTS: &str =
    "SELECT body_hash, headline, body_text, body_html, published_at, seen_at,
            is_correction, pinned, status
     FROM story_texts WHERE story_id = ?1 ORDER BY body_hash";

/// The body hashes of story ?1's versions, in order.
pub(crate) const VERSION_HASHES: &str =
    "SELECT body_hash FROM story_versions WHERE story_id = ?1 ORDER BY version";

/// What filing a text does to its story's history.
#[derive(Debug, Clone)]
pub(crate) struct Plan {
    pub story_id: i64,
    /// The story's texts with the incoming one merged in.
    pub texts: Vec<StoredText>,
    /// Index of the incoming text in `texts`.
    pub incoming: usize,
    /// The derived history.
    pub history: History,
    /// What it does.
    pub placement: Placement,
    /// True when the incoming text is new to the story or moved an old text earlier.
    pub texts_changed: bool,
}

fn read_texts(conn: &Connection, story_id: i64) -> Step<Vec<StoredText>> {
    let mut stmt = step("prepare read texts", conn.prepare_cached(TEXTS))?;
    step(
        "read texts",
        stmt.query_map([story_id], |r| {
            Ok(StoredText {
                body_hash: r.get(0)?,
                headline: r.get(1)?,
                body_text: r.get(2)?,
                body_html: r.get(3)?,
                published_at: r.get(4)?,
                seen_at: r.get(5)?,
                is_correction: r.get(6)?,
                pinned: r.get(7)?,
                status: r.get(8)?,
            })
        })
        .and_then(|rows| rows.collect()),
    )
}

/// Plans filing `incoming` (not pinned) under `story_id`. See the module docs.
pub(crate) fn plan(conn: &Connection, story_id: i64, incoming: StoredText) -> Step<Plan> {
    let mut texts = read_texts(conn, story_id)?;
    let mut texts_changed = true;
    let idx = match texts.iter().position(|t| t.body_hash == incoming.body_hash) {
        Some(i) => {
            if incoming.published_at < texts[i].published_at {
                texts[i].published_at = incoming.published_at;
            } else {
                texts_changed = false;
            }
            i
        }
        None => {
            texts.push(incoming);
            texts.len() - 1
        }
    };
    let credit: Option<String> = first(
        conn,
        "read story credit",
        "SELECT credit FROM stories WHERE id = ?1",
        [story_id],
        |r| r.get(0),
    )?
    .flatten();
    let fingerprints: Vec<Fingerprint> = texts
        .iter()
        .map(|t| Fingerprint::of(&t.body_text))
        .collect();
    let sides: Vec<Side<'_>> = texts
        .iter()
        .zip(&fingerprints)
        .map(|(t, fp)| Side {
            body_text: &t.body_text,
            fingerprint: fp,
            headline: t.headline.as_deref(),
            credit: credit.as_deref(),
            published_at: neardup::parse_time(&t.published_at),
        })
        .collect();
    let n = texts.len();
    let mut rel = vec![Relation::Unrelated; n * n];
    for i in 0..n {
        for j in i + 1..n {
            let (r, _) = neardup::relate(&sides[i], &sides[j]);
            rel[i * n + j] = r;
            rel[j * n + i] = r.reverse();
        }
    }
    let keys: Vec<Text> = texts
        .iter()
        .zip(&fingerprints)
        .map(|(t, fp)| Text {
            published_at: t.published_at.clone(),
            seen_at: t.seen_at.clone(),
            body_hash: t.body_hash.clone(),
            len: fp.shingles.len(),
            pinned: t.pinned,
        })
        .collect();
    let history = history::derive(&keys, &|i, j| rel[i * n + j]);

    let current: Vec<String> = {
        let mut stmt = step("prepare read versions", conn.prepare_cached(VERSION_HASHES))?;
        step(
            "read versions",
            stmt.query_map([story_id], |r| r.get(0))
                .and_then(|rows| rows.collect()),
        )?
    };
    let derived: Vec<&str> = history
        .versions
        .iter()
        .map(|&i| texts[i].body_hash.as_str())
        .collect();
    let placement = if derived == current {
        if history.status[idx] == Status::Cut {
            Placement::Cut
        } else {
            Placement::Appearance
        }
    } else if derived.len() == current.len() + 1
        && derived[..current.len()] == current[..]
        && derived.last() == Some(&texts[idx].body_hash.as_str())
    {
        Placement::Append
    } else {
        Placement::Rebuild
    };
    Ok(Plan {
        story_id,
        texts,
        incoming: idx,
        history,
        placement,
        texts_changed,
    })
}

/// Records a text of a story: a new text, or an earlier publication time of a known one
/// (`pinned`: a page's own change at its place, always a version).
pub(crate) fn record_text(
    conn: &Connection,
    story_id: i64,
    t: &StoredText,
    status: Status,
) -> Step<()> {
    exec(
        conn,
        "record text",
        "INSERT INTO story_texts (story_id, body_hash, headline, body_text, body_html,
             published_at, seen_at, is_correction, pinned, status)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)
         ON CONFLICT (story_id, body_hash) DO UPDATE SET
             published_at = min(published_at, excluded.published_at),
             pinned = max(pinned, excluded.pinned),
             status = CASE WHEN excluded.pinned THEN 'version' ELSE status END",
        params![
            story_id,
            t.body_hash,
            t.headline,
            t.body_text,
            t.body_html,
            t.published_at,
            t.seen_at,
            t.is_correction,
            t.pinned,
            status.as_str()
        ],
    )
    .map(drop)
}

/// Writes what [`plan`] derived, apart from an `Append` (the caller adds that version the usual
/// way, then calls [`settle`]). For a `Rebuild`, `story_versions` is rewritten in the derived
/// order (numbers 1, 2, 3…, change summaries against the new predecessor, fingerprints
/// indexed), the last version becomes the story's current text, and `history_rebuilds` is
/// bumped (a `history` row in `changes`). Returns the incoming text's version number when it
/// is one.
pub(crate) fn apply(conn: &Connection, plan: &Plan, seen_at: &str) -> Step<Option<i64>> {
    let story_id = plan.story_id;
    let incoming = &plan.texts[plan.incoming];
    record_text(conn, story_id, incoming, plan.history.status[plan.incoming])?;
    if plan.placement == Placement::Rebuild {
        exec(
            conn,
            "clear versions",
            "DELETE FROM story_versions WHERE story_id = ?1",
            [story_id],
        )?;
        let mut prev: Option<&StoredText> = None;
        for (n, &i) in plan.history.versions.iter().enumerate() {
            let t = &plan.texts[i];
            let c = match prev {
                Some(p) => dedupe::summarize(
                    &p.body_text,
                    &t.body_text,
                    p.headline.as_deref(),
                    t.headline.as_deref(),
                ),
                None => ChangeSummary::default(),
            };
            let version = n as i64 + 1;
            exec(
                conn,
                "write version",
                "INSERT INTO story_versions (story_id, version, headline, body_text, body_html,
                     body_hash, seen_at, paragraphs_added, paragraphs_removed,
                     paragraphs_changed, headline_changed, is_correction, published_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
                params![
                    story_id,
                    version,
                    t.headline,
                    t.body_text,
                    t.body_html,
                    t.body_hash,
                    t.seen_at,
                    c.paragraphs_added as i64,
                    c.paragraphs_removed as i64,
                    c.paragraphs_changed as i64,
                    c.headline_changed,
                    t.is_correction,
                    t.published_at,
                ],
            )?;
            neardup::index_version(conn, story_id, version, &Fingerprint::of(&t.body_text))?;
            prev = Some(t);
        }
        let last = plan.history.versions.len() as i64;
        exec(
            conn,
            "make the last version current",
            "UPDATE stories SET
                 headline = coalesce(v.headline, stories.headline), body_text = v.body_text,
                 body_html = v.body_html, body_hash = v.body_hash, version = ?2,
                 history_rebuilds = history_rebuilds + 1,
                 last_seen_at = max(last_seen_at, ?3)
             FROM (SELECT headline, body_text, body_html, body_hash FROM story_versions
                   WHERE story_id = ?1 AND version = ?2) AS v
             WHERE stories.id = ?1",
            params![story_id, last, seen_at],
        )?;
    }
    Ok(plan
        .history
        .versions
        .iter()
        .position(|&i| i == plan.incoming)
        .map(|p| p as i64 + 1))
}

/// After a filing: every text's status as derived, versions' publication times as their
/// texts' earliest, and every appearance's `is_cut` from its text's status.
pub(crate) fn settle(conn: &Connection, plan: &Plan) -> Step<()> {
    let story_id = plan.story_id;
    for (t, status) in plan.texts.iter().zip(&plan.history.status) {
        if t.status != status.as_str() || plan.texts_changed {
            exec(
                conn,
                "update text status",
                "UPDATE story_texts SET status = ?3, published_at = min(published_at, ?4)
                 WHERE story_id = ?1 AND body_hash = ?2",
                params![story_id, t.body_hash, status.as_str(), t.published_at],
            )?;
        }
    }
    exec(
        conn,
        "update version times",
        "UPDATE story_versions SET published_at =
             (SELECT t.published_at FROM story_texts t
              WHERE t.story_id = story_versions.story_id AND t.body_hash = story_versions.body_hash)
         WHERE story_id = ?1",
        [story_id],
    )?;
    exec(
        conn,
        "mark cuts",
        "UPDATE appearances SET is_cut = coalesce(
             (SELECT t.status = 'cut' FROM story_texts t
              WHERE t.story_id = appearances.story_id AND t.body_hash = appearances.body_hash), 0)
         WHERE story_id = ?1",
        [story_id],
    )
    .map(drop)
}
