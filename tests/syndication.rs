//! Syndication dedupe end to end: the fixture set in fixtures/syndication (61 wire stories on
//! 194 pages of six station templates: verbatim and edited copies, truncated cuts, updates,
//! newsroom edits — early and late breaking cuts, local ledes, local paragraphs, rewrites,
//! retitled cuts — follow-ups, quotes, briefs pages, same-headline twins) polled through the
//! real pipeline from the loopback server, then scored pairwise against truth.json like
//! score.py does; the version history is checked against truth.json and for being the same
//! in every arrival order.

use std::collections::{BTreeMap, HashMap};

use crate::common::{Workspace, count, fixtures};

const FEEDS: &[&str] = &[
    "syndication/feeds/kvia.rss",
    "syndication/feeds/graytv.rss",
    "syndication/feeds/nexstar.rss",
    "syndication/feeds/plain.rss",
    "syndication/feeds/amp.rss",
    "syndication/feeds/radio.rss",
];

/// A URL's path ("/syndication/pages/kvia/x.html"), whatever its base.
fn path_of(url: &str) -> String {
    let url = url.replace("{{BASE}}", "http://base");
    let after_scheme = url.split_once("://").map_or(url.as_str(), |(_, rest)| rest);
    let path = after_scheme.find('/').map_or("/", |i| &after_scheme[i..]);
    path.split(['?', '#']).next().unwrap_or(path).to_string()
}

struct Truth {
    /// Page path → truth story label.
    label: HashMap<String, String>,
    /// Page path → variant.
    variant: HashMap<String, String>,
}

fn truth() -> Truth {
    let t: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(fixtures().join("syndication/truth.json")).unwrap(),
    )
    .unwrap();
    let mut label = HashMap::new();
    let mut variant = HashMap::new();
    for a in t["appearances"].as_array().unwrap() {
        let path = path_of(a["url"].as_str().unwrap());
        label.insert(path.clone(), a["story"].as_str().unwrap().to_string());
        variant.insert(path, a["variant"].as_str().unwrap().to_string());
    }
    Truth { label, variant }
}

/// Pairwise precision and recall of `predicted` (path → story id) against the truth; a page
/// missing from the prediction is a story of its own (as in score.py).
fn pairwise(truth: &Truth, predicted: &HashMap<String, i64>) -> (f64, f64, usize, usize) {
    let paths: Vec<&String> = {
        let mut p: Vec<&String> = truth.label.keys().collect();
        p.sort();
        p
    };
    let (mut tp, mut pred_same, mut true_same) = (0usize, 0usize, 0usize);
    for (i, a) in paths.iter().enumerate() {
        for b in &paths[i + 1..] {
            let t = truth.label[*a] == truth.label[*b];
            let p = matches!((predicted.get(*a), predicted.get(*b)), (Some(x), Some(y)) if x == y);
            true_same += usize::from(t);
            pred_same += usize::from(p);
            tp += usize::from(t && p);
        }
    }
    let precision = if pred_same == 0 {
        1.0
    } else {
        tp as f64 / pred_same as f64
    };
    let recall = tp as f64 / true_same as f64;
    (precision, recall, pred_same - tp, true_same - tp)
}

fn ingest_all() -> (Workspace, HashMap<String, i64>) {
    let ws = Workspace::with_feed_paths(FEEDS);
    let out = ws
        .cmd(&["poll"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let out = String::from_utf8_lossy(&out);
    assert!(out.contains("0 of 6 feeds failed"), "{out}");
    let conn = ws.conn();
    let mut predicted = HashMap::new();
    let mut stmt = conn
        .prepare("SELECT url, story_id FROM appearances ORDER BY id")
        .unwrap();
    let rows = stmt
        .query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?)))
        .unwrap();
    for row in rows {
        let (url, story) = row.unwrap();
        predicted.entry(path_of(&url)).or_insert(story);
    }
    drop(stmt);
    drop(conn);
    (ws, predicted)
}

#[test]
fn syndication_fixtures_group_into_wire_stories() {
    let truth = truth();
    let (ws, predicted) = ingest_all();
    assert_eq!(predicted.len(), 194, "every page is an appearance");
    let (p, r, false_pairs, missed_pairs) = pairwise(&truth, &predicted);
    // Explain failures by truth label and variant.
    let mut by_story: BTreeMap<i64, Vec<String>> = BTreeMap::new();
    for (path, id) in &predicted {
        by_story
            .entry(*id)
            .or_default()
            .push(format!("{}:{}", truth.label[path], truth.variant[path]));
    }
    let mixed: Vec<&Vec<String>> = by_story
        .values()
        .filter(|v| {
            let first = v[0].split(':').next();
            v.iter().any(|x| x.split(':').next() != first)
        })
        .collect();
    eprintln!(
        "PAIRWISE_P {p:.6} PAIRWISE_R {r:.6} false pairs {false_pairs} missed pairs {missed_pairs}"
    );
    assert!(
        p == 1.0,
        "precision {p:.4} (recall {r:.4}); merged: {mixed:?}"
    );
    assert!(r == 1.0, "recall {r:.4} (precision {p:.4})");
    assert_eq!(
        count(&ws.conn(), "stories"),
        61,
        "one story per truth label"
    );
}

/// Every story's versions, as body hashes oldest first, and which pages are cuts, keyed by the
/// truth label of the story's pages (a story whose pages carry several labels is keyed by
/// all of them: such a merge fails the grouping test anyway).
type Histories = BTreeMap<String, (Vec<String>, Vec<String>)>;

fn histories(conn: &rusqlite::Connection, truth: &Truth) -> Histories {
    let mut pages: BTreeMap<i64, Vec<(String, bool)>> = BTreeMap::new();
    let mut stmt = conn
        .prepare("SELECT story_id, url, is_cut FROM appearances ORDER BY url")
        .unwrap();
    for row in stmt
        .query_map([], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, bool>(2)?,
            ))
        })
        .unwrap()
    {
        let (story, url, cut) = row.unwrap();
        pages.entry(story).or_default().push((path_of(&url), cut));
    }
    let mut out = Histories::new();
    for (story, pages) in pages {
        let mut labels: Vec<&str> = pages.iter().map(|(p, _)| truth.label[p].as_str()).collect();
        labels.sort();
        labels.dedup();
        let versions: Vec<String> = conn
            .prepare("SELECT body_hash FROM story_versions WHERE story_id = ?1 ORDER BY version")
            .unwrap()
            .query_map([story], |r| r.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        let cuts: Vec<String> = pages
            .iter()
            .filter(|(_, cut)| *cut)
            .map(|(p, _)| p.clone())
            .collect();
        out.insert(labels.join("+"), (versions, cuts));
    }
    out
}

/// The versions truth.json expects, by the variant of the pages carrying each.
fn expected_versions() -> BTreeMap<String, Vec<String>> {
    let t: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(fixtures().join("syndication/truth.json")).unwrap(),
    )
    .unwrap();
    t["stories"]
        .as_object()
        .unwrap()
        .iter()
        .map(|(label, s)| {
            let vs = s["versions"]
                .as_array()
                .unwrap()
                .iter()
                .map(|v| v.as_str().unwrap().to_string())
                .collect();
            (label.clone(), vs)
        })
        .collect()
}

/// Variants whose page text is a cut of a fuller text published no later.
const CUT_VARIANTS: &[&str] = &["truncated", "breaking-cut", "retitled-cut"];

#[test]
fn versions_follow_publication_time_and_cuts_are_marked() {
    let truth = truth();
    let (ws, _) = ingest_all();
    let conn = ws.conn();
    let histories = histories(&conn, &truth);
    // Body hash of the text each page was stored with → the variants of those pages.
    let mut variants_of: HashMap<String, Vec<String>> = HashMap::new();
    let mut stmt = conn
        .prepare("SELECT url, body_hash FROM appearances")
        .unwrap();
    for row in stmt
        .query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))
        .unwrap()
    {
        let (url, hash) = row.unwrap();
        variants_of
            .entry(hash)
            .or_default()
            .push(truth.variant[&path_of(&url)].clone());
    }
    let expected = expected_versions();
    assert_eq!(histories.len(), expected.len());
    for (label, (versions, cuts)) in &histories {
        let want = &expected[label];
        let got: Vec<&Vec<String>> = versions.iter().map(|h| &variants_of[h]).collect();
        assert_eq!(
            versions.len(),
            want.len(),
            "{label}: {got:?}, want {want:?}"
        );
        for (have, want) in got.iter().zip(want) {
            assert!(have.contains(want), "{label}: {got:?}, want {want:?}");
        }
        for cut in cuts {
            assert!(
                CUT_VARIANTS.contains(&truth.variant[cut].as_str()),
                "{label}: {cut} ({}) marked as a cut",
                truth.variant[cut]
            );
        }
    }
    let cut_pages: usize = histories.values().map(|(_, c)| c.len()).sum();
    let want_cuts = truth
        .variant
        .values()
        .filter(|v| CUT_VARIANTS.contains(&v.as_str()))
        .count();
    assert_eq!(cut_pages, want_cuts, "every cut page is marked");
}

/// Extracts every syndication page (as the pipeline would) once.
fn extracted_pages() -> Vec<(String, wiredesk::model::Article)> {
    let truth = truth();
    let mut paths: Vec<&String> = truth.label.keys().collect();
    paths.sort();
    paths
        .into_iter()
        .map(|path| {
            let html =
                std::fs::read_to_string(fixtures().join(path.trim_start_matches('/'))).unwrap();
            let url = url::Url::parse(&format!("http://127.0.0.1:8000{path}")).unwrap();
            let options = wiredesk::extract::ExtractOptions {
                url: Some(&url),
                feed_html: None,
                rule: None,
            };
            let article = wiredesk::extract::extract(&html, &options).unwrap();
            (path.clone(), article)
        })
        .collect()
}

fn ingest_in_order(pages: &[(String, wiredesk::model::Article)], order: &[usize]) -> Histories {
    use wiredesk::store::{BodySource, Incoming, Store};
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("w.db")).unwrap();
    let start = chrono::DateTime::parse_from_rfc3339("2021-06-30T00:00:00Z")
        .unwrap()
        .to_utc();
    for (n, &i) in order.iter().enumerate() {
        let (path, article) = &pages[i];
        let template = path.split('/').nth(3).unwrap().to_string();
        store
            .ingest(&Incoming {
                article: article.clone(),
                feed: template,
                guid: Some(path.clone()),
                url: Some(format!("http://127.0.0.1:8000{path}")),
                seen_at: start + chrono::Duration::minutes(n as i64),
                wire: None,
                body_source: BodySource::Page,
            })
            .unwrap();
    }
    drop(store);
    let conn = rusqlite::Connection::open(dir.path().join("w.db")).unwrap();
    histories(&conn, &truth())
}

#[test]
fn the_history_reads_the_same_for_every_arrival_order() {
    let pages = extracted_pages();
    let n = pages.len();
    assert_eq!(n, 194);
    let forward: Vec<usize> = (0..n).collect();
    let backward: Vec<usize> = (0..n).rev().collect();
    // Latest publication first: every full story after its cuts and copies.
    let mut newest_first = forward.clone();
    newest_first.sort_by(|&a, &b| {
        pages[b]
            .1
            .published_at
            .cmp(&pages[a].1.published_at)
            .then(b.cmp(&a))
    });
    // A fixed shuffle (multiplicative stride, coprime with n).
    let shuffled: Vec<usize> = (0..n).map(|i| (i * 89 + 13) % n).collect();
    let mut sorted = shuffled.clone();
    sorted.sort();
    assert_eq!(sorted, forward, "the shuffle is a permutation");

    let first = ingest_in_order(&pages, &forward);
    assert_eq!(
        first.len(),
        61,
        "one story per truth label: {:?}",
        first.keys()
    );
    let rebuilt = first.values().filter(|(v, _)| v.len() > 1).count();
    assert!(
        rebuilt >= 35,
        "updates, breaking cuts and local inserts make versions"
    );
    for (name, order) in [
        ("backward", &backward),
        ("newest first", &newest_first),
        ("shuffled", &shuffled),
    ] {
        let other = ingest_in_order(&pages, order);
        assert_eq!(other, first, "{name} order");
    }
}
