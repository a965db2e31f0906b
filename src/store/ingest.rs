//! The single write path for articles: look up what the store knows about an [`Incoming`]
//! article, let [`dedupe::decide`] rule, and apply the verdict, in one `BEGIN IMMEDIATE`
//! transaction so a crash leaves all of it or none of it. A batch shares one transaction, each
//! article in a savepoint of its own.

use chrono::{DateTime, Utc};
use rusqlite::{Connection, params};

use super::history::{self, Plan, StoredText};
use super::neardup;
use super::sql::{Step, exec, first};
use super::{Incoming, IngestOutcome, Store, StoreError, WireState, time_text};
use crate::dedupe::history::Status;
use crate::dedupe::{self, ChangeSummary, Fingerprint, Keys, Known, Matches, Near, Verdict};
use crate::model::PubStatus;

/// Delays after an appearance is first seen at which its page is fetched again, to catch
/// write-throughs, corrections and removals.
pub const REVISIT_AFTER: [chrono::Duration; 3] = [
    chrono::Duration::hours(1),
    chrono::Duration::hours(6),
    chrono::Duration::hours(24),
];

/// An article with what filing it needs worked out ahead: its dedupe keys, its fingerprint, and
/// whether its text is a correction or a removal notice. Building one reads the whole text
/// several times (Unicode normalization, shingles) and touches no database, so the pipeline
/// builds it on its CPU workers and the single writer only runs SQL.
#[derive(Debug, Clone)]
pub struct Prepared {
    incoming: Incoming,
    facts: Facts,
}

impl Prepared {
    /// Works out what filing `incoming` needs.
    pub fn new(incoming: Incoming) -> Prepared {
        let facts = Facts::of(&incoming);
        Prepared { incoming, facts }
    }

    /// The article and where it was seen.
    pub fn incoming(&self) -> &Incoming {
        &self.incoming
    }
}

/// What is worked out from an article's text before it is filed.
#[derive(Debug, Clone)]
struct Facts {
    keys: Keys,
    fingerprint: Fingerprint,
    correction: bool,
    removal_notice: bool,
}

impl Facts {
    fn of(incoming: &Incoming) -> Facts {
        let article = &incoming.article;
        let text = dedupe::text_facts(
            dedupe::identity_url(article.canonical_url.as_deref(), incoming.url.as_deref()),
            &article.body_text,
        );
        Facts {
            keys: text.keys,
            fingerprint: Fingerprint::of(&article.body_text),
            correction: text.correction,
            removal_notice: text.removal_notice,
        }
    }
}

/// Where an article was seen, as recorded in `appearances`.
struct Place<'a> {
    url: Option<&'a str>,
    url_key: Option<String>,
    feed: &'a str,
    guid: Option<&'a str>,
    site: Option<&'a str>,
    seen_at: String,
    /// `appearances.body_source`; `None` keeps what the row has (a kill carries no text).
    body_source: Option<&'static str>,
}

impl Store {
    /// An explicit kill from a wire format (a ninjs / NewsML-G2 item with pubstatus
    /// `canceled`): the story that (feed, guid) carried becomes `canceled` and that appearance
    /// withdrawn, in one transaction. Returns the story, or `None` when the item was never
    /// stored (there is nothing to kill; the kill is not stored as a story of its own).
    pub fn cancel_item(
        &mut self,
        feed: &str,
        guid: &str,
        seen_at: DateTime<Utc>,
    ) -> Result<Option<i64>, StoreError> {
        self.write(
            || format!("cancel item {guid:?} of feed {feed}"),
            |tx| {
                let story: Option<i64> = first(
                    tx,
                    "find story",
                    "SELECT story_id FROM feed_items WHERE feed = ?1 AND guid = ?2",
                    params![feed, guid],
                    |r| r.get(0),
                )?;
                if let Some(story_id) = story {
                    let url: Option<String> = first(
                        tx,
                        "find appearance",
                        "SELECT url FROM appearances WHERE story_id = ?1 AND feed = ?2
                             AND ifnull(guid, '') = ?3 ORDER BY id LIMIT 1",
                        params![story_id, feed, guid],
                        |r| r.get(0),
                    )?
                    .flatten();
                    let place = Place {
                        url: url.as_deref(),
                        url_key: url.as_deref().and_then(dedupe::url_key),
                        feed,
                        guid: Some(guid),
                        site: None,
                        seen_at: time_text(seen_at),
                        body_source: None,
                    };
                    cancel(tx, story_id, &place)?;
                }
                Ok(story)
            },
        )
    }

    /// Stores an article in one transaction: new story, new appearance, new version or nothing.
    ///
    /// The story is looked up by URL key (the article's canonical URL and the page URL, over
    /// appearances and stories), by (feed, guid), by body hash (current and earlier
    /// versions), and then by near-duplicate fingerprint through the candidate index;
    /// [`dedupe::decide`] picks the outcome. A removal notice at a known place cancels the
    /// story (status `canceled`) instead of becoming its text. Times only move forward:
    /// `last_seen_at` is the latest `seen_at` ever given.
    pub fn ingest(&mut self, incoming: &Incoming) -> Result<IngestOutcome, StoreError> {
        self.file(incoming, &Facts::of(incoming))
    }

    /// [`Store::ingest`] of an article prepared ahead (see [`Prepared`]).
    pub fn ingest_prepared(&mut self, article: &Prepared) -> Result<IngestOutcome, StoreError> {
        self.file(&article.incoming, &article.facts)
    }

    fn file(&mut self, incoming: &Incoming, facts: &Facts) -> Result<IngestOutcome, StoreError> {
        let outcome = self.write(|| about(incoming), |tx| apply(tx, incoming, facts))?;
        tracing::debug!(feed = %incoming.feed, ?outcome, "Article stored.");
        Ok(outcome)
    }

    /// Stores many articles in one transaction, each exactly as [`Store::ingest`] would (bulk
    /// imports and benchmarks: one commit instead of one per article). All or nothing.
    pub fn ingest_many(&mut self, items: &[Incoming]) -> Result<Vec<IngestOutcome>, StoreError> {
        let facts: Vec<Facts> = items.iter().map(Facts::of).collect();
        self.write(
            || format!("ingest {} articles", items.len()),
            |tx| {
                items
                    .iter()
                    .zip(&facts)
                    .map(|(incoming, facts)| apply(tx, incoming, facts))
                    .collect()
            },
        )
    }

    /// Stores prepared articles in one transaction (one commit for all), each exactly as
    /// [`Store::ingest`] would, in order. All or nothing: on an error nothing of the batch is
    /// stored, and the error names the article that failed. Nothing is stored before the call
    /// returns, so an article may be reported stored only then.
    pub fn ingest_batch(&mut self, batch: &[Prepared]) -> Result<Vec<IngestOutcome>, StoreError> {
        let failed = std::cell::Cell::new(None::<usize>);
        self.write(
            || match failed.get() {
                Some(i) => format!(
                    "{} (in a batch of {})",
                    about(&batch[i].incoming),
                    batch.len()
                ),
                None => format!("ingest a batch of {} articles", batch.len()),
            },
            |tx| {
                let mut out = Vec::with_capacity(batch.len());
                for (i, p) in batch.iter().enumerate() {
                    failed.set(Some(i));
                    out.push(apply(tx, &p.incoming, &p.facts)?);
                }
                failed.set(None);
                Ok(out)
            },
        )
    }
}

/// What an ingest is, for its errors.
fn about(incoming: &Incoming) -> String {
    let feed = &incoming.feed;
    match (&incoming.url, &incoming.guid) {
        (Some(url), _) => format!("ingest article {url} from feed {feed}"),
        (None, Some(guid)) => format!("ingest item {guid:?} of feed {feed}"),
        (None, None) => format!("ingest an item without URL or guid from feed {feed}"),
    }
}

/// The place an article was seen: the page URL, else the article's own canonical URL.
fn place_of(incoming: &Incoming) -> Place<'_> {
    let article = &incoming.article;
    let url = incoming
        .url
        .as_deref()
        .or_else(|| dedupe::identity_url(article.canonical_url.as_deref(), None));
    Place {
        url,
        url_key: url.and_then(dedupe::url_key),
        feed: &incoming.feed,
        guid: incoming.guid.as_deref(),
        site: article.site_name.as_deref(),
        seen_at: time_text(incoming.seen_at),
        body_source: Some(incoming.body_source.as_str()),
    }
}

/// Stories seen at either URL key (?1 identity, ?2 place); ?3 = incoming body hash.
const BY_URL: &str = "SELECT id, body_hash, body_text, headline FROM stories
                 WHERE id IN (SELECT story_id FROM appearances WHERE url_key IN (?1, ?2)
                              UNION SELECT id FROM stories WHERE url_key IN (?1, ?2))
                 ORDER BY body_hash = ?3 DESC, id LIMIT 1";

/// Stories stored as (feed ?1, guid ?2); ?3 = incoming body hash.
const BY_GUID: &str = "SELECT id, body_hash, body_text, headline FROM stories
                     WHERE id IN (SELECT story_id FROM feed_items WHERE feed = ?1 AND guid = ?2
                                  UNION
                                  SELECT story_id FROM appearances WHERE feed = ?1 AND guid = ?2)
                     ORDER BY body_hash = ?3 DESC, id LIMIT 1";

/// Stories whose current or earlier text has hash ?1; story ?2 preferred.
const BY_BODY: &str = "SELECT id FROM (SELECT id FROM stories WHERE body_hash = ?1
                                     UNION
                                     SELECT story_id FROM story_versions WHERE body_hash = ?1)
                     ORDER BY id IS ?2 DESC, id LIMIT 1";

/// The earliest publication time of story ?1's text with hash ?2.
const TEXT_TIME: &str =
    "SELECT published_at FROM story_texts WHERE story_id = ?1 AND body_hash = ?2";

/// The appearance of story ?1 at URL key ?2.
const PLACE_BY_URL: &str = "SELECT id FROM appearances WHERE story_id = ?1 AND url_key = ?2";

/// The URL-less appearance of story ?1 as (feed ?2, guid ?3).
const PLACE_BY_ITEM: &str = "SELECT id FROM appearances
                 WHERE story_id = ?1 AND url_key IS NULL AND feed = ?2
                       AND ifnull(guid, '') = ifnull(?3, '')";

/// Looks up, rules on and files one article (inside the caller's transaction).
fn apply(conn: &Connection, incoming: &Incoming, facts: &Facts) -> Step<IngestOutcome> {
    let place = &place_of(incoming);
    let keys = &facts.keys;
    let fp = &facts.fingerprint;
    let (matches, plan) = find_matches(conn, incoming, keys, place, fp, facts)?;
    let identity = matches.by_url.or(matches.by_guid);
    let verdict = match identity {
        Some(known) if facts.removal_notice => {
            cancel(conn, known.story_id, place)?;
            None
        }
        _ => Some(dedupe::decide(&matches)),
    };
    let (outcome, appearance) = match verdict {
        None => (
            IngestOutcome::Canceled {
                story_id: identity.map(|k| k.story_id).unwrap_or_default(),
            },
            None,
        ),
        Some(Verdict::New) => {
            let story_id = insert_story(conn, incoming, facts, place)?;
            let (id, _) = add_or_bump_appearance(conn, story_id, place)?;
            (IngestOutcome::New { story_id }, Some(id))
        }
        Some(Verdict::Same { story_id }) | Some(Verdict::Cut { story_id }) => {
            if let Some(plan) = plan.as_ref().filter(|p| p.story_id == story_id) {
                history::apply(conn, plan, &place.seen_at)?;
            }
            exec(
                conn,
                "bump story last_seen_at",
                "UPDATE stories SET last_seen_at = max(last_seen_at, ?2) WHERE id = ?1",
                params![story_id, place.seen_at],
            )?;
            let (id, new_place) = add_or_bump_appearance(conn, story_id, place)?;
            let outcome = if new_place {
                IngestOutcome::NewAppearance { story_id }
            } else {
                IngestOutcome::Duplicate { story_id }
            };
            (outcome, Some(id))
        }
        Some(Verdict::NewVersion { story_id }) => {
            let near = plan.as_ref().filter(|p| p.story_id == story_id);
            let version = add_version(conn, story_id, incoming, facts, place, near.is_none())?;
            if let Some(plan) = near {
                history::apply(conn, plan, &place.seen_at)?;
            }
            let (id, _) = add_or_bump_appearance(conn, story_id, place)?;
            (IngestOutcome::NewVersion { story_id, version }, Some(id))
        }
        Some(Verdict::Rebuild { story_id }) => {
            let plan = plan
                .as_ref()
                .ok_or(("place by publication time", rusqlite::Error::InvalidQuery))?;
            let version = history::apply(conn, plan, &place.seen_at)?;
            let (id, new_place) = add_or_bump_appearance(conn, story_id, place)?;
            let outcome = match version {
                Some(version) => IngestOutcome::NewVersion { story_id, version },
                None if new_place => IngestOutcome::NewAppearance { story_id },
                None => IngestOutcome::Duplicate { story_id },
            };
            (outcome, Some(id))
        }
    };
    if let Some(appearance) = appearance {
        record_place_text(conn, appearance, incoming, keys, fp)?;
        if let Some(plan) = plan.as_ref().filter(|p| p.story_id == outcome.story_id()) {
            history::settle(conn, plan)?;
        }
        if let Some(wire) = &incoming.wire {
            apply_wire_state(conn, outcome.story_id(), wire, place)?;
        }
    }
    if let Some(guid) = place.guid {
        exec(
            conn,
            "record feed item",
            "INSERT INTO feed_items (feed, guid, story_id, first_seen_at, last_seen_at)
             VALUES (?1, ?2, ?3, ?4, ?4)
             ON CONFLICT (feed, guid) DO UPDATE
                 SET last_seen_at = max(last_seen_at, excluded.last_seen_at)",
            params![place.feed, guid, outcome.story_id(), place.seen_at],
        )?;
    }
    Ok(outcome)
}

/// Looks the article up by every key. Where a key finds several stories, the one whose current
/// text is the incoming text is preferred, then the oldest. With a near-duplicate match comes
/// the plan that places the text in that story's history.
fn find_matches(
    conn: &Connection,
    incoming: &Incoming,
    keys: &Keys,
    place: &Place<'_>,
    fp: &Fingerprint,
    facts: &Facts,
) -> Step<(Matches, Option<Plan>)> {
    let a = &incoming.article;
    let known = |row: Option<(i64, String, String, Option<String>)>| -> Step<Option<Known>> {
        let Some((story_id, hash, text, headline)) = row else {
            return Ok(None);
        };
        let same_body = hash == keys.body_hash;
        // Compared with the text last seen at this same place when it is known (another
        // station's edited copy is not a change of this page), else with the story's text.
        let material = match place_text(conn, story_id, place)? {
            Some(seen) => {
                let headline_changed = a.headline.as_deref().is_some_and(|h| {
                    seen.headline.as_deref().map(dedupe::normalize_body)
                        != Some(dedupe::normalize_body(h))
                });
                let text_changed =
                    seen.body_hash != keys.body_hash && seen.fingerprint.as_ref() != Some(fp);
                headline_changed || text_changed
            }
            None => {
                let summary = if same_body {
                    dedupe::summarize("", "", headline.as_deref(), a.headline.as_deref())
                } else {
                    dedupe::summarize(
                        &text,
                        &a.body_text,
                        headline.as_deref(),
                        a.headline.as_deref(),
                    )
                };
                summary.is_material()
            }
        };
        Ok(Some(Known {
            story_id,
            same_body,
            // A page that lost its text (empty extraction) is not a material change.
            material: material && keys.matchable_body_hash().is_some(),
        }))
    };
    let row4 = |r: &rusqlite::Row<'_>| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?));

    let by_url = if keys.url_key.is_some() || place.url_key.is_some() {
        known(first(
            conn,
            "look up by URL key",
            BY_URL,
            params![keys.url_key, place.url_key, keys.body_hash],
            row4,
        )?)?
    } else {
        None
    };

    let by_guid = match &incoming.guid {
        Some(guid) => known(first(
            conn,
            "look up by feed and guid",
            BY_GUID,
            params![incoming.feed, guid, keys.body_hash],
            row4,
        )?)?,
        None => None,
    };

    let by_body = match keys.matchable_body_hash() {
        Some(hash) => {
            // Prefer the story an identity key found, so "flapped back to an earlier text" is
            // seen as such even when another story also once had that text.
            let prefer = by_url.or(by_guid).map(|k| k.story_id);
            first(
                conn,
                "look up by body hash",
                BY_BODY,
                params![hash, prefer],
                |r| r.get(0),
            )?
        }
        None => None,
    };

    let empty_body = keys.matchable_body_hash().is_none();
    let (by_near, plan) =
        if by_url.is_none() && by_guid.is_none() && by_body.is_none() && !empty_body {
            let published = published_text(incoming, place);
            let probe = neardup::Probe {
                fingerprint: fp,
                body_text: &a.body_text,
                headline: a.headline.as_deref(),
                credit: a.credit.as_deref(),
                published_at: &published,
            };
            match neardup::find_near(conn, &probe)? {
                Some(story_id) => {
                    let plan = history::plan(conn, story_id, text_of(incoming, facts, place))?;
                    let near = Near {
                        story_id,
                        placement: plan.placement,
                    };
                    (Some(near), Some(plan))
                }
                None => (None, None),
            }
        } else if let Some(story_id) = by_body.filter(|_| by_url.is_none() && by_guid.is_none()) {
            // The same text as a stored one, elsewhere: only its publication time can change
            // the history (a copy published earlier than the one stored first).
            let stored: Option<String> = first(
                conn,
                "read text time",
                TEXT_TIME,
                params![story_id, keys.body_hash],
                |r| r.get(0),
            )?;
            let published = published_text(incoming, place);
            if stored.is_some_and(|t| published < t) {
                let plan = history::plan(conn, story_id, text_of(incoming, facts, place))?;
                (None, Some(plan))
            } else {
                (None, None)
            }
        } else {
            (None, None)
        };

    Ok((
        Matches {
            by_url,
            by_guid,
            by_body,
            empty_body,
            by_near,
        },
        plan,
    ))
}

/// The incoming text as `story_texts` keeps it.
fn text_of(incoming: &Incoming, facts: &Facts, place: &Place<'_>) -> StoredText {
    let a = &incoming.article;
    StoredText {
        body_hash: facts.keys.body_hash.clone(),
        headline: a.headline.clone(),
        body_text: a.body_text.clone(),
        body_html: a.body_html.clone(),
        published_at: published_text(incoming, place),
        seen_at: place.seen_at.clone(),
        is_correction: facts.correction,
        pinned: false,
        status: Status::Version.as_str().to_owned(),
    }
}

/// When a text was published, as stored: the page's own time, else when it was seen.
fn published_text(incoming: &Incoming, place: &Place<'_>) -> String {
    incoming
        .article
        .published_at
        .map(time_text)
        .unwrap_or_else(|| place.seen_at.clone())
}

fn json_list(items: &[String]) -> String {
    serde_json::to_string(items).unwrap_or_else(|_| "[]".to_owned())
}

/// Inserts a new story and its version 1; returns its id.
fn insert_story(
    conn: &Connection,
    incoming: &Incoming,
    facts: &Facts,
    place: &Place<'_>,
) -> Step<i64> {
    let a = &incoming.article;
    let keys = &facts.keys;
    exec(
        conn,
        "insert story",
        "INSERT INTO stories (headline, body_text, body_html, credit, authors, site_name,
             published_at, updated_at, canonical_url, section, topics, language, dateline,
             description, image, version, body_hash, url_key, status, first_seen_at,
             last_seen_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, 1, ?16, ?17,
             'usable', ?18, ?18)",
        params![
            a.headline,
            a.body_text,
            a.body_html,
            a.credit,
            json_list(&a.authors),
            a.site_name,
            a.published_at.map(time_text),
            a.modified_at.map(time_text),
            a.canonical_url,
            a.section,
            json_list(&a.topics),
            a.language,
            a.dateline,
            a.description,
            a.image,
            keys.body_hash,
            keys.url_key.as_deref().or(place.url_key.as_deref()),
            place.seen_at,
        ],
    )?;
    let story_id = conn.last_insert_rowid();
    exec(
        conn,
        "insert version 1",
        "INSERT INTO story_versions (story_id, version, headline, body_text, body_html,
             body_hash, seen_at, is_correction, published_at)
         VALUES (?1, 1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        params![
            story_id,
            a.headline,
            a.body_text,
            a.body_html,
            keys.body_hash,
            place.seen_at,
            facts.correction,
            published_text(incoming, place),
        ],
    )?;
    neardup::index_version(conn, story_id, 1, &facts.fingerprint)?;
    history::record_text(
        conn,
        story_id,
        &text_of(incoming, facts, place),
        Status::Version,
    )?;
    Ok(story_id)
}

/// Writes the next version of a story and makes it the story's current text; returns its
/// number. Metadata the story lacked (credit, section…) is filled in from this article; metadata
/// it has is kept, since the first extraction of a wire story is as good as a later one.
/// `pinned`: the text is a page's own change at its place (recorded as a pinned text: always a
/// version); otherwise the caller records it with its history plan.
fn add_version(
    conn: &Connection,
    story_id: i64,
    incoming: &Incoming,
    facts: &Facts,
    place: &Place<'_>,
    pinned: bool,
) -> Step<i64> {
    let a = &incoming.article;
    let keys = &facts.keys;
    let (current, old_text, old_headline): (i64, String, Option<String>) = first(
        conn,
        "read current version",
        "SELECT version, body_text, headline FROM stories WHERE id = ?1",
        [story_id],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
    )?
    .ok_or(("read current version", rusqlite::Error::QueryReturnedNoRows))?;
    let summary: ChangeSummary = dedupe::summarize(
        &old_text,
        &a.body_text,
        old_headline.as_deref(),
        a.headline.as_deref(),
    );
    let version = current + 1;
    exec(
        conn,
        "update story text",
        "UPDATE stories SET
             headline = coalesce(?2, headline), body_text = ?3, body_html = ?4,
             body_hash = ?5, version = ?6, updated_at = ?7,
             last_seen_at = max(last_seen_at, ?8),
             credit = coalesce(credit, ?9), site_name = coalesce(site_name, ?10),
             published_at = coalesce(published_at, ?11),
             canonical_url = coalesce(canonical_url, ?12), section = coalesce(section, ?13),
             language = coalesce(language, ?14), dateline = coalesce(dateline, ?15),
             description = coalesce(description, ?16), image = coalesce(image, ?17),
             authors = CASE WHEN authors = '[]' THEN ?18 ELSE authors END,
             topics = CASE WHEN topics = '[]' THEN ?19 ELSE topics END
         WHERE id = ?1",
        params![
            story_id,
            a.headline,
            a.body_text,
            a.body_html,
            keys.body_hash,
            version,
            time_text(a.modified_at.map_or(incoming.seen_at, |d| d.to_utc())),
            place.seen_at,
            a.credit,
            a.site_name,
            a.published_at.map(time_text),
            a.canonical_url,
            a.section,
            a.language,
            a.dateline,
            a.description,
            a.image,
            json_list(&a.authors),
            json_list(&a.topics),
        ],
    )?;
    exec(
        conn,
        "insert version",
        "INSERT INTO story_versions (story_id, version, headline, body_text, body_html,
             body_hash, seen_at, paragraphs_added, paragraphs_removed, paragraphs_changed,
             headline_changed, is_correction, published_at)
         SELECT id, version, headline, body_text, body_html, body_hash, ?2, ?3, ?4, ?5, ?6, ?7,
                ?8
         FROM stories WHERE id = ?1",
        params![
            story_id,
            place.seen_at,
            summary.paragraphs_added as i64,
            summary.paragraphs_removed as i64,
            summary.paragraphs_changed as i64,
            summary.headline_changed,
            facts.correction,
            published_text(incoming, place),
        ],
    )?;
    neardup::index_version(conn, story_id, version, &facts.fingerprint)?;
    if pinned {
        let text = StoredText {
            pinned: true,
            ..text_of(incoming, facts, place)
        };
        history::record_text(conn, story_id, &text, Status::Version)?;
    }
    Ok(version)
}

/// The appearance row of a story at a place, if it has one: a place is its URL key, else its
/// (feed, guid).
fn find_place(conn: &Connection, story_id: i64, place: &Place<'_>) -> Step<Option<i64>> {
    match &place.url_key {
        Some(key) => first(
            conn,
            "look up appearance",
            PLACE_BY_URL,
            params![story_id, key],
            |r| r.get(0),
        ),
        None => first(
            conn,
            "look up appearance",
            PLACE_BY_ITEM,
            params![story_id, place.feed, place.guid],
            |r| r.get(0),
        ),
    }
}

/// Moves an appearance's `last_seen_at` forward to the place's `seen_at` (never back) and
/// records where its text came from this time, when the place says.
fn bump_appearance(conn: &Connection, id: i64, place: &Place<'_>) -> Step<()> {
    exec(
        conn,
        "bump appearance",
        "UPDATE appearances SET last_seen_at = max(last_seen_at, ?2),
             body_source = coalesce(?3, body_source)
         WHERE id = ?1",
        params![id, place.seen_at, place.body_source],
    )
    .map(drop)
}

/// Withdraws an appearance at `at` (kept if already withdrawn) and takes it off the revisit
/// schedule. A kill and a page found gone both come here.
pub(crate) fn withdraw_appearance(conn: &Connection, id: i64, at: &str) -> Step<()> {
    exec(
        conn,
        "withdraw appearance",
        "UPDATE appearances SET withdrawn_at = ifnull(withdrawn_at, ?2), next_revisit_at = NULL
         WHERE id = ?1",
        params![id, at],
    )
    .map(drop)
}

/// Records the place for the story: its appearance row and whether it is new (a known place
/// has its `last_seen_at` bumped instead).
fn add_or_bump_appearance(
    conn: &Connection,
    story_id: i64,
    place: &Place<'_>,
) -> Step<(i64, bool)> {
    if let Some(id) = find_place(conn, story_id, place)? {
        bump_appearance(conn, id, place)?;
        return Ok((id, false));
    }
    exec(
        conn,
        "insert appearance",
        "INSERT INTO appearances (story_id, url, url_key, feed, guid, site, seen_at,
             last_seen_at, next_revisit_at, body_source)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7, ?8, ?9)",
        params![
            story_id,
            place.url,
            place.url_key,
            place.feed,
            place.guid,
            place.site,
            place.seen_at,
            // Only pages can be fetched again.
            place.url.and_then(|_| revisit_time(&place.seen_at, 0)),
            place.body_source,
        ],
    )?;
    let id = conn.last_insert_rowid();
    // A story withheld because every place had dropped it is usable again; one the wire
    // withholds stays withheld until the wire releases it.
    exec(
        conn,
        "recompute status",
        "UPDATE stories SET status = 'usable', status_changed_at = ?2
         WHERE id = ?1 AND status = 'withheld'
           AND ifnull(wire_status, 'usable') <> 'withheld'",
        params![story_id, place.seen_at],
    )?;
    Ok((id, true))
}

/// When the `n`th revisit (0-based) of an appearance first seen at `seen_at` is due, or `None`
/// after the last one.
pub(crate) fn revisit_time(seen_at: &str, n: usize) -> Option<String> {
    let seen = chrono::DateTime::parse_from_rfc3339(seen_at).ok()?;
    let at = seen.with_timezone(&chrono::Utc) + *REVISIT_AFTER.get(n)?;
    Some(time_text(at))
}

/// The text last seen at a place of a story.
struct PlaceText {
    body_hash: String,
    headline: Option<String>,
    fingerprint: Option<Fingerprint>,
}

/// The text of story ?1 last seen at URL key ?2.
const PLACE_TEXT_BY_URL: &str = "SELECT body_hash, headline, fingerprint FROM appearances
     WHERE story_id = ?1 AND url_key = ?2 AND body_hash IS NOT NULL";

/// The text of story ?1 last seen as (feed ?2, guid ?3).
const PLACE_TEXT_BY_ITEM: &str = "SELECT body_hash, headline, fingerprint FROM appearances
     WHERE feed = ?2 AND guid = ?3 AND story_id = ?1 AND body_hash IS NOT NULL
     ORDER BY last_seen_at DESC LIMIT 1";

fn place_text(conn: &Connection, story_id: i64, place: &Place<'_>) -> Step<Option<PlaceText>> {
    let read = |r: &rusqlite::Row<'_>| {
        Ok(PlaceText {
            body_hash: r.get(0)?,
            headline: r.get(1)?,
            fingerprint: r
                .get::<_, Option<Vec<u8>>>(2)?
                .and_then(|b| Fingerprint::from_blob(&b)),
        })
    };
    if let Some(key) = &place.url_key {
        let found = first(
            conn,
            "read place text",
            PLACE_TEXT_BY_URL,
            params![story_id, key],
            read,
        )?;
        if found.is_some() {
            return Ok(found);
        }
    }
    match place.guid {
        Some(guid) => first(
            conn,
            "read item text",
            PLACE_TEXT_BY_ITEM,
            params![story_id, place.feed, guid],
            read,
        ),
        None => Ok(None),
    }
}

/// Remembers the text seen at an appearance.
fn record_place_text(
    conn: &Connection,
    appearance: i64,
    incoming: &Incoming,
    keys: &Keys,
    fp: &Fingerprint,
) -> Step<()> {
    if keys.matchable_body_hash().is_none() {
        return Ok(());
    }
    let a = &incoming.article;
    exec(
        conn,
        "record place text",
        "UPDATE appearances SET body_hash = ?2, headline = ?3, fingerprint = ?4,
             published_at = coalesce(?5, published_at)
         WHERE id = ?1",
        params![
            appearance,
            keys.body_hash,
            a.headline,
            fp.to_blob(),
            a.published_at.map(time_text)
        ],
    )
    .map(drop)
}

/// The latest wire item of a story sets its status (`usable` / `withheld`) and its embargo.
/// A canceled story stays canceled: a kill is for good.
fn apply_wire_state(
    conn: &Connection,
    story_id: i64,
    wire: &WireState,
    place: &Place<'_>,
) -> Step<()> {
    let status = match wire.pubstatus {
        PubStatus::Withheld => "withheld",
        PubStatus::Usable | PubStatus::Canceled => "usable",
    };
    exec(
        conn,
        "apply wire status",
        "UPDATE stories SET status = ?2, status_changed_at = ?3
         WHERE id = ?1 AND status NOT IN (?2, 'canceled')",
        params![story_id, status, place.seen_at],
    )?;
    exec(
        conn,
        "apply wire embargo",
        "UPDATE stories SET wire_status = ?2, embargoed_until = ?3 WHERE id = ?1",
        params![story_id, status, wire.embargoed.map(time_text)],
    )?;
    Ok(())
}

/// An explicit kill at a known place: the story becomes `canceled` (never deleted, never
/// usable again by later sightings) and that appearance withdrawn. The notice is not a version.
fn cancel(conn: &Connection, story_id: i64, place: &Place<'_>) -> Step<()> {
    exec(
        conn,
        "cancel story",
        "UPDATE stories SET status = 'canceled', status_changed_at = ?2,
             last_seen_at = max(last_seen_at, ?2)
         WHERE id = ?1 AND status <> 'canceled'",
        params![story_id, place.seen_at],
    )?;
    if let Some(id) = find_place(conn, story_id, place)? {
        withdraw_appearance(conn, id, &place.seen_at)?;
        bump_appearance(conn, id, place)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::super::testutil::*;
    use super::*;

    fn body_source(store: &Store, guid: &str) -> Option<String> {
        store
            .conn
            .query_row(
                "SELECT body_source FROM appearances WHERE guid = ?1",
                [guid],
                |r| r.get(0),
            )
            .unwrap()
    }

    /// The appearance records where its text came from, on insert and on every later sighting.
    #[test]
    fn body_source_is_written_on_insert_and_update() {
        use crate::store::BodySource;
        let (_dir, mut store) = store();
        let body = "The county board approved the new budget on Tuesday after a two-hour debate.";
        let mut a = incoming("kvia", Some("g1"), Some("https://kvia.com/a"), "H", body);
        a.body_source = BodySource::FeedRobots;
        store.ingest(&a).unwrap();
        assert_eq!(body_source(&store, "g1").as_deref(), Some("feed:robots"));
        a.body_source = BodySource::Page;
        a.seen_at = at(5);
        assert!(matches!(
            store.ingest(&a).unwrap(),
            IngestOutcome::Duplicate { .. }
        ));
        assert_eq!(body_source(&store, "g1").as_deref(), Some("page"));
        let mut b = incoming(
            "kvia",
            Some("g2"),
            None,
            "H2",
            "Another story entirely, about the river flooding downtown.",
        );
        b.body_source = BodySource::Feed;
        store.ingest(&b).unwrap();
        assert_eq!(body_source(&store, "g2").as_deref(), Some("feed"));
    }

    const BODY: &str = "WASHINGTON (CNN) — The Senate passed the bill 51-49 on Friday.\n\nIt goes to the House next.";
    const BODY_V2: &str = "WASHINGTON (CNN) — The Senate passed the bill 51-49 on Friday night.\n\nIt goes to the House next week.";

    fn seen(mut i: Incoming, minutes: i64) -> Incoming {
        i.seen_at = at(minutes);
        i
    }

    fn status_and_embargo(store: &Store, id: i64) -> (String, Option<String>) {
        let s = store.story(id).unwrap().unwrap();
        (s.status, s.embargoed_until)
    }

    #[test]
    fn the_latest_wire_item_sets_status_and_embargo_but_never_revives_a_kill() {
        let (_dir, mut store) = store();
        let wire = |pubstatus, embargoed, minutes| {
            let mut i = seen(incoming("wire", Some("urn:1"), None, "H", BODY), minutes);
            i.wire = Some(WireState {
                pubstatus,
                embargoed,
            });
            i
        };
        let IngestOutcome::New { story_id } = store
            .ingest(&wire(PubStatus::Withheld, Some(at(60)), 0))
            .unwrap()
        else {
            panic!()
        };
        let until = Some("2026-11-27T13:00:00Z".to_owned());
        assert_eq!(
            status_and_embargo(&store, story_id),
            ("withheld".into(), until.clone())
        );
        let ready = |store: &Store| -> i64 {
            store
                .conn
                .query_row("SELECT COUNT(*) FROM ready_stories", [], |r| r.get(0))
                .unwrap()
        };
        assert_eq!(ready(&store), 0, "withheld is not ready");

        store
            .ingest(&wire(PubStatus::Usable, Some(at(60)), 5))
            .unwrap();
        assert_eq!(
            status_and_embargo(&store, story_id),
            ("usable".into(), until)
        );
        // The embargo lies in 2026-11-27 13:00 UTC; the view compares with the clock.
        let embargo_passed = chrono::Utc::now() >= at(60);
        assert_eq!(ready(&store), i64::from(embargo_passed));

        // A later item without an embargo lifts it.
        store.ingest(&wire(PubStatus::Usable, None, 10)).unwrap();
        assert_eq!(
            status_and_embargo(&store, story_id),
            ("usable".into(), None)
        );
        assert_eq!(ready(&store), 1);

        // A station's page states nothing: a story the wire withholds stays withheld.
        store.ingest(&wire(PubStatus::Withheld, None, 15)).unwrap();
        let page = incoming("kvia", Some("p"), Some("https://kvia.com/a"), "H", BODY);
        let out = store.ingest(&seen(page, 20)).unwrap();
        assert_eq!(out, IngestOutcome::NewAppearance { story_id });
        assert_eq!(status_and_embargo(&store, story_id).0, "withheld");
        store.ingest(&wire(PubStatus::Usable, None, 25)).unwrap();
        assert_eq!(status_and_embargo(&store, story_id).0, "usable");

        assert_eq!(
            store.cancel_item("wire", "urn:1", at(30)).unwrap(),
            Some(story_id)
        );
        store.ingest(&wire(PubStatus::Usable, None, 35)).unwrap();
        assert_eq!(
            status_and_embargo(&store, story_id).0,
            "canceled",
            "a kill is for good"
        );
    }

    #[test]
    fn new_story_writes_story_version_one_and_appearance() {
        let (_dir, mut store) = store();
        let out = store
            .ingest(&incoming(
                "kvia",
                Some("g1"),
                Some("https://www.kvia.com/news/senate/?utm_source=rss"),
                "Senate passes bill",
                BODY,
            ))
            .unwrap();
        let IngestOutcome::New { story_id } = out else {
            panic!("{out:?}")
        };
        let s = store.story(story_id).unwrap().unwrap();
        assert_eq!(s.version, 1);
        assert_eq!(s.headline.as_deref(), Some("Senate passes bill"));
        assert_eq!(s.authors, ["Jane Roe"]);
        assert_eq!(s.topics, ["politics"]);
        assert_eq!(s.credit.as_deref(), Some("CNN Newsource"));
        assert_eq!(s.url_key.as_deref(), Some("https://kvia.com/news/senate"));
        assert_eq!(s.body_hash, dedupe::body_hash(BODY));
        assert_eq!(s.status, "usable");
        assert_eq!(s.first_seen_at, "2026-11-27T12:00:00Z");
        assert_eq!(s.versions.len(), 1);
        assert_eq!(s.versions[0].version, 1);
        assert_eq!(s.versions[0].body_text, BODY);
        assert_eq!(s.appearances.len(), 1);
        assert_eq!(s.appearances[0].feed, "kvia");
        assert_eq!(s.appearances[0].guid.as_deref(), Some("g1"));
        assert_eq!(s.appearances[0].site.as_deref(), Some("KVIA"));
    }

    #[test]
    fn same_place_same_text_is_a_duplicate_that_bumps_last_seen() {
        let (_dir, mut store) = store();
        let first = incoming("kvia", Some("g1"), Some("https://kvia.com/a"), "H", BODY);
        let IngestOutcome::New { story_id } = store.ingest(&first).unwrap() else {
            panic!()
        };
        // Whitespace and quote-style changes are not a new version.
        let again = incoming(
            "kvia",
            Some("g1"),
            Some("https://kvia.com/a?utm_medium=x"),
            "H",
            &BODY.replace('—', "-").replace("\n\n", "\n"),
        );
        let out = store.ingest(&seen(again, 30)).unwrap();
        assert_eq!(out, IngestOutcome::Duplicate { story_id });
        let s = store.story(story_id).unwrap().unwrap();
        assert_eq!(s.last_seen_at, "2026-11-27T12:30:00Z");
        assert_eq!(s.appearances[0].last_seen_at, "2026-11-27T12:30:00Z");
        assert_eq!(s.appearances[0].seen_at, "2026-11-27T12:00:00Z");
        assert_eq!(
            store.counts().unwrap(),
            Counts {
                stories: 1,
                versions: 1,
                appearances: 1,
                feeds: 0
            }
        );

        // An older sighting (backfill) does not move last_seen_at backwards.
        let old = incoming("kvia", Some("g1"), Some("https://kvia.com/a"), "H", BODY);
        store.ingest(&seen(old, -60)).unwrap();
        assert_eq!(
            store.story(story_id).unwrap().unwrap().last_seen_at,
            "2026-11-27T12:30:00Z"
        );
    }

    use crate::store::Counts;

    #[test]
    fn same_text_elsewhere_is_a_new_appearance() {
        let (_dir, mut store) = store();
        let a = incoming(
            "kvia",
            Some("g1"),
            Some("https://kvia.com/a"),
            "Senate passes bill",
            BODY,
        );
        let IngestOutcome::New { story_id } = store.ingest(&a).unwrap() else {
            panic!()
        };
        let b = incoming(
            "wlox",
            Some("x7"),
            Some("https://www.wlox.com/2026/11/27/senate-bill/"),
            "Senate OKs bill",
            BODY,
        );
        assert_eq!(
            store.ingest(&seen(b.clone(), 5)).unwrap(),
            IngestOutcome::NewAppearance { story_id }
        );
        // Seen there again: nothing new.
        assert_eq!(
            store.ingest(&seen(b, 10)).unwrap(),
            IngestOutcome::Duplicate { story_id }
        );
        let s = store.story(story_id).unwrap().unwrap();
        assert_eq!(s.appearances.len(), 2);
        assert_eq!(
            s.appearances[1].url_key.as_deref(),
            Some("https://wlox.com/2026/11/27/senate-bill")
        );
        assert_eq!(
            s.headline.as_deref(),
            Some("Senate passes bill"),
            "another place does not retitle"
        );
        assert_eq!(s.version, 1);
    }

    #[test]
    fn shared_canonical_url_still_records_each_station() {
        // Two stations declare the network's URL as canonical: one story, two appearances.
        let (_dir, mut store) = store();
        let mut a = incoming("kvia", Some("g1"), Some("https://kvia.com/a"), "H", BODY);
        a.article.canonical_url = Some("https://www.cnn.com/2026/11/27/politics/senate".into());
        let IngestOutcome::New { story_id } = store.ingest(&a).unwrap() else {
            panic!()
        };
        let mut b = incoming("wlox", Some("x"), Some("https://wlox.com/b"), "H", BODY_V2);
        b.article.canonical_url = a.article.canonical_url.clone();
        // Same canonical URL, changed text: a new version, seen at a new place.
        assert_eq!(
            store.ingest(&b).unwrap(),
            IngestOutcome::NewVersion {
                story_id,
                version: 2
            }
        );
        assert_eq!(store.story(story_id).unwrap().unwrap().appearances.len(), 2);
    }

    #[test]
    fn changed_text_at_a_known_place_is_a_new_version() {
        let (_dir, mut store) = store();
        let a = incoming(
            "kvia",
            Some("g1"),
            Some("https://kvia.com/a"),
            "Senate passes bill",
            BODY,
        );
        let IngestOutcome::New { story_id } = store.ingest(&a).unwrap() else {
            panic!()
        };
        let mut b = incoming(
            "kvia",
            Some("g1"),
            Some("https://kvia.com/a"),
            "Senate passes bill late Friday",
            BODY_V2,
        );
        b.article.credit = None;
        b.article.section = Some("Politics".into());
        let out = store.ingest(&seen(b, 45)).unwrap();
        assert_eq!(
            out,
            IngestOutcome::NewVersion {
                story_id,
                version: 2
            }
        );

        let s = store.story(story_id).unwrap().unwrap();
        assert_eq!(s.version, 2);
        assert_eq!(
            s.headline.as_deref(),
            Some("Senate passes bill late Friday")
        );
        assert_eq!(s.body_text, BODY_V2);
        assert_eq!(s.body_hash, dedupe::body_hash(BODY_V2));
        assert_eq!(s.updated_at.as_deref(), Some("2026-11-27T12:45:00Z"));
        assert_eq!(
            s.credit.as_deref(),
            Some("CNN Newsource"),
            "kept when the new page lacks it"
        );
        assert_eq!(
            s.section.as_deref(),
            Some("Politics"),
            "filled in when missing"
        );
        let versions: Vec<(i64, &str, &str)> = s
            .versions
            .iter()
            .map(|v| (v.version, v.body_text.as_str(), v.seen_at.as_str()))
            .collect();
        assert_eq!(
            versions,
            [
                (1, BODY, "2026-11-27T12:00:00Z"),
                (2, BODY_V2, "2026-11-27T12:45:00Z")
            ]
        );
        assert_eq!(s.appearances.len(), 1, "same place");

        // Another station still running version 1: an appearance of the same story, no new version.
        let c = incoming(
            "wlox",
            Some("w1"),
            Some("https://wlox.com/c"),
            "Senate passes bill",
            BODY,
        );
        assert_eq!(
            store.ingest(&c).unwrap(),
            IngestOutcome::NewAppearance { story_id }
        );
        // The first page flapping back to version 1 text does not make version 3.
        let back = incoming(
            "kvia",
            Some("g1"),
            Some("https://kvia.com/a"),
            "Senate passes bill",
            BODY,
        );
        assert_eq!(
            store.ingest(&seen(back, 50)).unwrap(),
            IngestOutcome::Duplicate { story_id }
        );
        assert_eq!(store.story(story_id).unwrap().unwrap().version, 2);
    }

    #[test]
    fn home_page_canonical_does_not_merge_different_stories() {
        // Regression guard: a site declaring its home page as every page's canonical URL.
        let (_dir, mut store) = store();
        let mut a = incoming("kvia", Some("1"), Some("https://kvia.com/a"), "A", BODY);
        a.article.canonical_url = Some("https://www.kvia.com/".into());
        let mut b = incoming("kvia", Some("2"), Some("https://kvia.com/b"), "B", BODY_V2);
        b.article.canonical_url = Some("https://www.kvia.com/".into());
        assert!(matches!(
            store.ingest(&a).unwrap(),
            IngestOutcome::New { .. }
        ));
        assert!(matches!(
            store.ingest(&b).unwrap(),
            IngestOutcome::New { .. }
        ));
        assert_eq!(store.counts().unwrap().stories, 2);
    }

    #[test]
    fn guid_finds_the_story_when_the_slug_changes() {
        let (_dir, mut store) = store();
        let a = incoming(
            "kvia",
            Some("post-123"),
            Some("https://kvia.com/senate-vote-expected"),
            "Vote expected",
            BODY,
        );
        let IngestOutcome::New { story_id } = store.ingest(&a).unwrap() else {
            panic!()
        };
        let b = incoming(
            "kvia",
            Some("post-123"),
            Some("https://kvia.com/senate-passes-bill"),
            "Senate passes bill",
            BODY_V2,
        );
        assert_eq!(
            store.ingest(&b).unwrap(),
            IngestOutcome::NewVersion {
                story_id,
                version: 2
            }
        );
        assert_eq!(
            store.story(story_id).unwrap().unwrap().appearances.len(),
            2,
            "the new URL is a new place"
        );
    }

    #[test]
    fn items_without_url_are_placed_by_feed_and_guid() {
        let (_dir, mut store) = store();
        let a = incoming("wire", Some("urn:ap:1"), None, "H", BODY);
        let IngestOutcome::New { story_id } = store.ingest(&a).unwrap() else {
            panic!()
        };
        assert_eq!(
            store.ingest(&a).unwrap(),
            IngestOutcome::Duplicate { story_id }
        );
        let b = incoming("wire", Some("urn:ap:2"), None, "H", BODY);
        assert_eq!(
            store.ingest(&b).unwrap(),
            IngestOutcome::NewAppearance { story_id }
        );
        let s = store.story(story_id).unwrap().unwrap();
        assert_eq!(s.appearances.len(), 2);
        assert!(
            s.appearances
                .iter()
                .all(|a| a.url.is_none() && a.url_key.is_none())
        );
    }

    #[test]
    fn empty_bodies_never_match_by_body() {
        let (_dir, mut store) = store();
        let a = incoming(
            "kvia",
            Some("1"),
            Some("https://kvia.com/video-1"),
            "Video one",
            "  ",
        );
        let b = incoming(
            "kvia",
            Some("2"),
            Some("https://kvia.com/video-2"),
            "Video two",
            "",
        );
        let IngestOutcome::New { story_id: s1 } = store.ingest(&a).unwrap() else {
            panic!()
        };
        let IngestOutcome::New { story_id: s2 } = store.ingest(&b).unwrap() else {
            panic!()
        };
        assert_ne!(s1, s2);
        // An empty extraction of a page that had text does not wipe the text.
        let c = incoming("wlox", Some("9"), Some("https://wlox.com/x"), "H", BODY);
        let IngestOutcome::New { story_id } = store.ingest(&c).unwrap() else {
            panic!()
        };
        let empty = incoming("wlox", Some("9"), Some("https://wlox.com/x"), "H", "");
        assert_eq!(
            store.ingest(&empty).unwrap(),
            IngestOutcome::Duplicate { story_id }
        );
        assert_eq!(store.story(story_id).unwrap().unwrap().body_text, BODY);
    }

    #[test]
    fn a_corrected_text_is_a_version_flagged_as_correction() {
        let (_dir, mut store) = store();
        let a = incoming("kvia", Some("g"), Some("https://kvia.com/a"), "H", BODY);
        let IngestOutcome::New { story_id } = store.ingest(&a).unwrap() else {
            panic!()
        };
        let fixed = format!(
            "{}\n\nCORRECTION: An earlier version of this story misstated the vote.",
            BODY.replace("51-49", "52-48")
        );
        let b = incoming("kvia", Some("g"), Some("https://kvia.com/a"), "H", &fixed);
        assert_eq!(
            store.ingest(&seen(b, 90)).unwrap(),
            IngestOutcome::NewVersion {
                story_id,
                version: 2
            }
        );
        let s = store.story(story_id).unwrap().unwrap();
        assert!(!s.versions[0].is_correction);
        assert!(s.versions[1].is_correction);
        assert_eq!(
            s.versions[1].changes,
            ChangeSummary {
                paragraphs_added: 1,
                paragraphs_removed: 0,
                paragraphs_changed: 1,
                headline_changed: false
            }
        );
    }

    #[test]
    fn bulk_ingest_files_like_single_ingest() {
        let (_dir, mut store) = store();
        let out = store
            .ingest_many(&[
                incoming("kvia", Some("1"), Some("https://kvia.com/a"), "H", BODY),
                incoming("wlox", Some("2"), Some("https://wlox.com/a"), "H", BODY),
                incoming(
                    "kvia",
                    Some("3"),
                    Some("https://kvia.com/b"),
                    "Other",
                    "A different story about a county fair and its prize-winning pumpkins.",
                ),
            ])
            .unwrap();
        assert_eq!(
            out,
            [
                IngestOutcome::New { story_id: 1 },
                IngestOutcome::NewAppearance { story_id: 1 },
                IngestOutcome::New { story_id: 2 }
            ]
        );
    }

    #[test]
    fn a_batch_files_like_single_ingests_and_a_failure_leaves_none_of_it() {
        let (_dir, mut store) = store();
        let fair = "A different story about a county fair and its prize-winning pumpkins.";
        let batch: Vec<Prepared> = [
            incoming("kvia", Some("1"), Some("https://kvia.com/a"), "H", BODY),
            incoming("wlox", Some("3"), Some("https://wlox.com/a"), "H", BODY),
            incoming("kvia", Some("1"), Some("https://kvia.com/a"), "H", BODY),
            incoming("kcbd", Some("4"), Some("https://kcbd.com/f"), "Fair", fair),
        ]
        .into_iter()
        .map(Prepared::new)
        .collect();
        assert_eq!(
            store.ingest_batch(&batch).unwrap(),
            [
                IngestOutcome::New { story_id: 1 },
                IngestOutcome::NewAppearance { story_id: 1 },
                IngestOutcome::Duplicate { story_id: 1 },
                IngestOutcome::New { story_id: 2 },
            ],
            "a later article sees the earlier ones of its batch"
        );

        store
            .conn
            .execute_batch(
                "CREATE TRIGGER boom BEFORE INSERT ON appearances WHEN NEW.feed = 'bad'
                 BEGIN SELECT RAISE(ABORT, 'boom'); END;",
            )
            .unwrap();
        let before = store.counts().unwrap();
        let batch: Vec<Prepared> = [
            incoming("wdam", Some("5"), Some("https://wdam.com/a"), "H", BODY),
            incoming(
                "bad",
                Some("2"),
                Some("https://bad.example/a"),
                "Other",
                BODY_V2,
            ),
        ]
        .into_iter()
        .map(Prepared::new)
        .collect();
        let err = store.ingest_batch(&batch).unwrap_err().to_string();
        assert!(
            err.contains("https://bad.example/a") && err.contains("insert appearance"),
            "{err}"
        );
        assert_eq!(
            store.counts().unwrap(),
            before,
            "nothing of the batch stays"
        );
        assert!(!store.seen_item("wdam", "5").unwrap());
    }

    #[test]
    fn every_lookup_uses_an_index() {
        let (_dir, store) = store();
        for sql in [
            BY_URL,
            BY_GUID,
            BY_BODY,
            PLACE_BY_URL,
            PLACE_BY_ITEM,
            neardup::POSTINGS,
            PLACE_TEXT_BY_URL,
            PLACE_TEXT_BY_ITEM,
            neardup::VERSION_FINGERPRINTS,
            neardup::LONGEST_VERSION,
            history::TEXTS,
            history::VERSION_HASHES,
            TEXT_TIME,
        ] {
            let mut stmt = store
                .conn
                .prepare(&format!("EXPLAIN QUERY PLAN {sql}"))
                .unwrap();
            let n = stmt.parameter_count();
            let plan: Vec<String> = stmt
                .query_map(rusqlite::params_from_iter(vec!["x"; n]), |r| r.get(3))
                .unwrap()
                .collect::<Result<_, _>>()
                .unwrap();
            let scans: Vec<&String> = plan
                .iter()
                .filter(|d| d.starts_with("SCAN ") && !d.contains("subquery"))
                .collect();
            assert!(scans.is_empty(), "{sql}\n{plan:#?}");
            assert!(
                plan.iter()
                    .any(|d| d.contains("INDEX") || d.contains("PRIMARY KEY")),
                "{plan:#?}"
            );
        }
    }

    #[test]
    fn a_failed_ingest_leaves_nothing_behind() {
        let (_dir, mut store) = store();
        // Make the appearance insert fail after the story insert: the transaction must roll back.
        store
            .conn
            .execute_batch(
                "CREATE TRIGGER boom BEFORE INSERT ON appearances BEGIN SELECT RAISE(ABORT, 'boom'); END;",
            )
            .unwrap();
        let err = store
            .ingest(&incoming(
                "kvia",
                Some("g"),
                Some("https://kvia.com/a"),
                "H",
                BODY,
            ))
            .unwrap_err();
        assert!(err.to_string().contains("https://kvia.com/a"), "{err}");
        assert!(err.to_string().contains("insert appearance"), "{err}");
        assert_eq!(store.counts().unwrap(), Counts::default());
        assert!(!store.seen_item("kvia", "g").unwrap());
        assert_eq!(store.search("senate", 10).unwrap(), []);
    }
}

#[cfg(test)]
mod order_tests {
    use super::super::testutil::*;
    use super::*;

    const P: [&str; 6] = [
        "DENVER (AP) — A wildfire pushed by strong gusts raced through dry grass in the foothills west of the city on Monday, forcing about 1,400 people from their homes and closing a stretch of state highway.",
        "The fire had burned roughly three square miles by late afternoon, according to the sheriff's office. No injuries were reported, but deputies went door to door in two subdivisions after the flames jumped a ridge.",
        "Air tankers were grounded for much of the day because the wind made low drops too dangerous, fire managers said, and crews cut lines with bulldozers along the eastern edge instead.",
        "Residents of one neighborhood described grabbing pets, photo albums and medications as smoke turned the sky a dull orange over the rooftops and the ridge beyond them.",
        "The cause of the fire was under investigation, and forecasters expect the wind to ease on Tuesday afternoon before another dry front arrives on Wednesday.",
        "A shelter opened at a high school gym in the next town, where volunteers handed out water, cots and blankets to families who had left with little more than their pets.",
    ];
    const UPDATE: &str = "Late Monday, the sheriff's office said winds had eased and the fire was 10% contained, though evacuation orders remained in effect overnight.";

    /// (name, station, headline, body, published minutes after 12:00).
    fn pages() -> Vec<(&'static str, &'static str, String, String, i64)> {
        let full = P.join("\n\n");
        vec![
            (
                "breaking",
                "kxyz",
                "BREAKING: Wildfire forces evacuations".into(),
                "DENVER (AP) — A wildfire pushed by strong gusts raced through dry grass in the foothills west of the city on Monday.\n\nNo injuries were reported.".into(),
                -30,
            ),
            ("full", "kvia", "Wildfire forces evacuations in foothills".into(), full.clone(), 0),
            ("copy", "wlox", "Wildfire forces evacuations in foothills".into(), full.clone(), 40),
            (
                "late-breaking",
                "kcbd",
                "BREAKING: Evacuations ordered".into(),
                "Air tankers were grounded for much of the day because the wind made low drops too dangerous.\n\nNo injuries were reported.".into(),
                20,
            ),
            ("cut", "wdam", "Fire in foothills".into(), P[..4].join("\n\n"), 30),
            (
                "edited",
                "kqtn",
                "Hundreds flee foothills fire".into(),
                full.replace("about 1,400", "roughly 1,400").replace("DENVER (AP) — ", ""),
                50,
            ),
            ("update", "wvrt", "Wildfire 10% contained".into(), format!("{full}\n\n{UPDATE}"), 240),
        ]
    }

    /// Every story's versions (body hash, oldest first) and cut appearances (by station).
    fn history(store: &Store) -> (Vec<Vec<String>>, Vec<String>, Vec<i64>) {
        let mut stmt = store
            .conn
            .prepare("SELECT story_id, body_hash FROM story_versions ORDER BY story_id, version")
            .unwrap();
        let mut by_story: std::collections::BTreeMap<i64, Vec<String>> = Default::default();
        for row in stmt
            .query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?)))
            .unwrap()
        {
            let (s, h) = row.unwrap();
            by_story.entry(s).or_default().push(h);
        }
        let mut versions: Vec<Vec<String>> = by_story.into_values().collect();
        versions.sort();
        let mut stmt = store
            .conn
            .prepare("SELECT feed FROM appearances WHERE is_cut = 1 ORDER BY feed")
            .unwrap();
        let cuts = stmt
            .query_map([], |r| r.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        let mut stmt = store
            .conn
            .prepare("SELECT version FROM story_versions ORDER BY story_id, version")
            .unwrap();
        let numbers = stmt
            .query_map([], |r| r.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        (versions, cuts, numbers)
    }

    fn ingest_in(order: &[usize]) -> (Vec<Vec<String>>, Vec<String>, Vec<i64>, i64) {
        let (_dir, mut store) = store();
        let pages = pages();
        for (n, &i) in order.iter().enumerate() {
            let (name, station, headline, body, published) = &pages[i];
            let mut a = incoming(
                station,
                Some(name),
                Some(&format!("https://{station}.com/{name}")),
                headline,
                body,
            );
            a.article.credit = Some("The Associated Press".into());
            a.article.published_at = Some((at(*published)).fixed_offset());
            a.seen_at = at(300 + n as i64);
            store.ingest(&a).unwrap();
        }
        let (v, c, numbers) = history(&store);
        (v, c, numbers, store.counts().unwrap().stories)
    }

    #[test]
    fn the_history_is_the_same_for_every_arrival_order() {
        let hash = |i: usize| dedupe::body_hash(&pages()[i].3);
        let want_versions = vec![vec![hash(0), hash(1), hash(6)]];
        let want_cuts: Vec<String> = vec!["kcbd".into(), "wdam".into()];
        let orders: [[usize; 7]; 5] = [
            [0, 1, 2, 3, 4, 5, 6],
            [6, 5, 4, 3, 2, 1, 0],
            [4, 3, 6, 0, 5, 2, 1],
            [5, 4, 3, 2, 0, 6, 1],
            [3, 6, 1, 5, 0, 4, 2],
        ];
        for order in orders {
            let (versions, cuts, numbers, stories) = ingest_in(&order);
            assert_eq!(stories, 1, "one story, order {order:?}");
            assert_eq!(versions, want_versions, "order {order:?}");
            assert_eq!(cuts, want_cuts, "order {order:?}");
            assert_eq!(numbers, [1, 2, 3], "order {order:?}");
        }
    }

    #[test]
    fn a_breaking_cut_sharing_one_sampled_hash_still_finds_the_full_story_after_it() {
        // A cut whose shingles include exactly one sampled hash: the full story arriving after
        // it shares only that one with it, below the usual two.
        let cut = P
            .iter()
            .flat_map(|p| {
                let words: Vec<&str> = p.split(' ').collect();
                (12..words.len().min(30)).map(move |n| format!("{}.", words[..n].join(" ")))
            })
            .find(|t| {
                let fp = Fingerprint::of(t);
                fp.sampled().count() == 1 && dedupe::short::is_short(&fp)
            })
            .expect("a cut with one sampled hash");
        let (_dir, mut store) = store();
        let mut b = incoming(
            "kxyz",
            Some("b"),
            Some("https://kxyz.com/b"),
            "BREAKING: Fire",
            &cut,
        );
        b.article.published_at = Some(at(-30).fixed_offset());
        let IngestOutcome::New { story_id } = store.ingest(&b).unwrap() else {
            panic!()
        };
        let full = P.join("\n\n");
        assert!(Fingerprint::of(&full).sampled().count() >= 8);
        let mut f = incoming(
            "kvia",
            Some("f"),
            Some("https://kvia.com/f"),
            "Wildfire",
            &full,
        );
        f.article.published_at = Some(at(0).fixed_offset());
        assert_eq!(
            store.ingest(&seen(f, 5)).unwrap(),
            IngestOutcome::NewVersion {
                story_id,
                version: 2
            },
            "{cut}"
        );
    }

    fn seen(mut i: Incoming, minutes: i64) -> Incoming {
        i.seen_at = at(minutes);
        i
    }

    #[test]
    fn a_rebuild_writes_a_history_change_and_the_full_story_replaces_its_cut() {
        let (_dir, mut store) = store();
        let pages = pages();
        let file = |store: &mut Store, i: usize, n: i64| {
            let (name, station, headline, body, published) = &pages[i];
            let mut a = incoming(
                station,
                Some(name),
                Some(&format!("https://{station}.com/{name}")),
                headline,
                body,
            );
            a.article.published_at = Some((at(*published)).fixed_offset());
            a.seen_at = at(300 + n);
            store.ingest(&a).unwrap()
        };
        // The cut (published 12:30) arrives first, then the full story (12:00) it was cut from.
        let IngestOutcome::New { story_id } = file(&mut store, 4, 0) else {
            panic!()
        };
        assert_eq!(
            file(&mut store, 1, 1),
            IngestOutcome::NewVersion {
                story_id,
                version: 1
            }
        );
        let s = store.story(story_id).unwrap().unwrap();
        assert_eq!(s.versions.len(), 1);
        assert_eq!(s.body_text, pages[1].3);
        assert!(s.appearances.iter().any(|a| a.feed == "wdam" && a.is_cut));
        assert_eq!(
            s.versions[0].published_at.as_deref(),
            Some("2026-11-27T12:00:00Z")
        );
        let kinds: Vec<String> = store
            .conn
            .prepare("SELECT kind FROM changes WHERE story_id = ?1 ORDER BY seq")
            .unwrap()
            .query_map([story_id], |r| r.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        assert_eq!(kinds, ["new", "history"]);
        // The early breaking cut (11:30) goes before it; the update after it.
        assert_eq!(
            file(&mut store, 0, 2),
            IngestOutcome::NewVersion {
                story_id,
                version: 1
            }
        );
        assert_eq!(
            file(&mut store, 6, 3),
            IngestOutcome::NewVersion {
                story_id,
                version: 3
            }
        );
        let s = store.story(story_id).unwrap().unwrap();
        let added: Vec<usize> = s
            .versions
            .iter()
            .map(|v| v.changes.paragraphs_added)
            .collect();
        assert!(added[0] == 0 && added[1] >= 4 && added[2] == 1, "{added:?}");
        assert_eq!(s.version, 3);
    }
}
