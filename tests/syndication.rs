//! Syndication dedupe end to end: the fixture set in fixtures/syndication (59 wire stories on
//! 174 pages of six station templates: verbatim and edited copies, truncated cuts, updates,
//! follow-ups, briefs pages, same-headline twins) polled through the real pipeline from the
//! loopback server, then scored pairwise against truth.json like score.py does.

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
    assert_eq!(predicted.len(), 174, "every page is an appearance");
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
        p >= 0.995,
        "precision {p:.4} (recall {r:.4}); merged: {mixed:?}"
    );
    assert!(r >= 0.99, "recall {r:.4} (precision {p:.4})");
    assert_eq!(
        count(&ws.conn(), "stories"),
        59,
        "one story per truth label"
    );
}

#[test]
fn updates_become_versions_and_copies_do_not() {
    let truth = truth();
    let (ws, predicted) = ingest_all();
    let conn = ws.conn();
    // Every story stored with more than one version got it from a text that grew: an update
    // page (one new final paragraph) or, when an affiliate's truncated cut happened to be the
    // first copy seen (`poll` takes feeds concurrently, so arrival order varies), the full
    // text arriving after it. Never from an edited copy alone or a chrome difference, and a
    // version never loses paragraphs.
    let mut stmt = conn
        .prepare(
            "SELECT story_id, version, paragraphs_added, paragraphs_removed, paragraphs_changed
             FROM story_versions WHERE version > 1 ORDER BY story_id, version",
        )
        .unwrap();
    let versions: Vec<(i64, i64, i64, i64, i64)> = stmt
        .query_map([], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
        })
        .unwrap()
        .map(Result::unwrap)
        .collect();
    let stories_with = |variant: &str| -> std::collections::BTreeSet<i64> {
        predicted
            .iter()
            .filter(|(path, _)| truth.variant[*path] == variant)
            .map(|(_, id)| *id)
            .collect()
    };
    let stories_with_update = stories_with("updated");
    let stories_with_cut = stories_with("truncated");
    assert!(
        !versions.is_empty(),
        "updates arriving after the first copy make versions"
    );
    for (story, version, added, removed, changed) in &versions {
        let pages: Vec<String> = predicted
            .iter()
            .filter(|(_, id)| *id == story)
            .map(|(p, _)| format!("{}:{}", truth.label[p], truth.variant[p]))
            .collect();
        assert!(
            stories_with_update.contains(story) || stories_with_cut.contains(story),
            "story {story} v{version} (+{added} -{removed} ~{changed}) has no update page or cut: {pages:?}"
        );
        assert!(
            *added >= 1 && *removed == 0,
            "story {story} v{version}: +{added} -{removed} ~{changed}"
        );
    }
    // The story's current text is its newest, fullest version: an update's final paragraph is
    // in it whenever an update page was seen.
    for story in &stories_with_update {
        let (version, n): (i64, i64) = conn
            .query_row(
                "SELECT version, (SELECT count(*) FROM story_versions WHERE story_id = ?1) FROM stories WHERE id = ?1",
                [story],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .unwrap();
        assert_eq!(version, n, "current version is the newest");
    }
    // Every update page was stored as an appearance of its story.
    let updates: i64 = conn
        .query_row(
            "SELECT count(*) FROM appearances WHERE url LIKE '%/syndication/pages/%'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(updates, 174);
    let update_pages = predicted
        .keys()
        .filter(|p| truth.variant[*p] == "updated")
        .count();
    assert_eq!(update_pages, 35);
}
