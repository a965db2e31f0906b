//! The feed-recovery acceptance check, in process: on every corpus file where feedparser 6
//! found ≥ 1 entry, `wiredesk::feed::parse` (with the sidecar's content type and URL) finds at
//! least as many, and feedparser's non-null links are a sub-multiset of ours. Also checks the
//! wire formats (ninjs, NewsML-G2, sitemaps) against the generator's `truth`.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use serde_json::Value;
use url::Url;
use wiredesk::model::PubStatus;

/// Files that match feedparser: a floor that only ever goes up (328 is every counted file).
const FEEDPARSER_FLOOR: usize = 328;

fn corpus() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fixtures/feed-corpus")
}

fn read_json(path: &Path) -> Option<Value> {
    serde_json::from_slice(&std::fs::read(path).ok()?).ok()
}

fn parse_file(name: &str) -> (Result<wiredesk::model::ParsedFeed, String>, Value) {
    let files = corpus().join("files");
    let meta = read_json(&files.join(format!("{name}.meta.json"))).unwrap_or(Value::Null);
    let bytes = std::fs::read(files.join(name)).expect("corpus file");
    let ct = meta.get("content_type").and_then(Value::as_str);
    let base = meta
        .get("url")
        .and_then(Value::as_str)
        .and_then(|u| Url::parse(u).ok());
    let parsed = wiredesk::feed::parse(&bytes, ct, base.as_ref()).map_err(|e| e.to_string());
    (parsed, meta)
}

fn names() -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(corpus().join("files"))
        .expect("corpus")
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter(|n| !n.ends_with(".meta.json"))
        .collect();
    names.sort();
    names
}

#[test]
fn matches_feedparser_on_the_corpus() {
    let mut counted = 0;
    let mut ok = 0;
    let mut failures = Vec::new();
    for name in names() {
        let Some(exp) = read_json(&corpus().join("expected").join(format!("{name}.json"))) else {
            continue;
        };
        let want = exp["entries"].as_u64().unwrap_or(0) as usize;
        if want == 0 {
            continue;
        }
        counted += 1;
        let (parsed, _) = parse_file(&name);
        let feed = match parsed {
            Ok(f) => f,
            Err(e) => {
                failures.push(format!("{name}: {e}"));
                continue;
            }
        };
        let mut have: HashMap<String, usize> = HashMap::new();
        for item in &feed.items {
            if let Some(l) = &item.link {
                *have.entry(l.trim().to_string()).or_default() += 1;
            }
        }
        let mut missing = Vec::new();
        for link in exp["links"].as_array().into_iter().flatten() {
            // Like the Python comparison: empty links impose nothing.
            let Some(l) = link.as_str().filter(|l| !l.trim().is_empty()) else {
                continue;
            };
            match have.get_mut(l.trim()) {
                Some(n) if *n > 0 => *n -= 1,
                _ => missing.push(l.to_string()),
            }
        }
        if feed.items.len() >= want && missing.is_empty() {
            ok += 1;
        } else {
            failures.push(format!(
                "{name}: {} entries (feedparser {want}), missing {missing:?}",
                feed.items.len()
            ));
        }
    }
    assert_eq!(counted, 328, "the corpus changed");
    assert!(
        ok >= FEEDPARSER_FLOOR,
        "FEEDPARSER_FILES {counted} OK {ok}; failing:\n{}",
        failures.join("\n")
    );
}

fn status(s: &str) -> Option<PubStatus> {
    match s {
        "usable" => Some(PubStatus::Usable),
        "withheld" => Some(PubStatus::Withheld),
        "canceled" => Some(PubStatus::Canceled),
        _ => None,
    }
}

#[test]
fn wire_formats_match_the_generators_truth() {
    let mut checked = 0;
    for name in names() {
        let (parsed, meta) = parse_file(&name);
        let Some(truth) = meta.get("truth") else {
            continue;
        };
        let format = truth.get("format").and_then(Value::as_str).unwrap_or("");
        if !matches!(format, "ninjs" | "newsml-g2" | "google-news-sitemap") {
            continue;
        }
        let feed = parsed.unwrap_or_else(|e| panic!("{name}: {e}"));
        let want = truth["entries"].as_u64().unwrap() as usize;
        assert_eq!(feed.items.len(), want, "{name}");
        checked += 1;
        if let Some(links) = truth.get("links").and_then(Value::as_array) {
            let got: Vec<Option<&str>> = feed.items.iter().map(|i| i.link.as_deref()).collect();
            let want: Vec<Option<&str>> = links.iter().map(Value::as_str).collect();
            assert_eq!(got, want, "{name}");
            let titles: Vec<Option<&str>> = feed.items.iter().map(|i| i.title.as_deref()).collect();
            let want: Vec<Option<&str>> = truth["titles"]
                .as_array()
                .unwrap()
                .iter()
                .map(Value::as_str)
                .collect();
            assert_eq!(titles, want, "{name}");
        }
        for (i, t) in truth
            .get("refs")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .enumerate()
        {
            let it = &feed.items[i];
            assert_eq!(it.guid.as_deref(), t["id"].as_str(), "{name}");
            assert_eq!(it.title.as_deref(), t["headline"].as_str(), "{name}");
            assert_eq!(
                it.version.map(|v| v.to_string()).as_deref(),
                t["version"].as_str(),
                "{name}"
            );
        }
        for (i, t) in truth
            .get("items")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .enumerate()
        {
            let it = &feed.items[i];
            assert_eq!(it.guid.as_deref(), t["id"].as_str(), "{name} id");
            assert_eq!(
                it.title.as_deref(),
                t["headline"].as_str(),
                "{name} headline"
            );
            // A canceled item may carry no content at all, and so no link to find.
            if let Some(link) = t["link"].as_str()
                && std::fs::read_to_string(corpus().join("files").join(&name))
                    .is_ok_and(|doc| doc.contains(link))
            {
                assert_eq!(it.link.as_deref(), Some(link), "{name} link");
            }
            assert_eq!(
                it.version.map(|v| v.to_string()).as_deref(),
                t["version"].as_str(),
                "{name} version"
            );
            assert_eq!(
                it.pubstatus,
                t["pubstatus"].as_str().and_then(status),
                "{name} pubstatus"
            );
            for key in ["located", "dateline"] {
                if let Some(v) = t[key].as_str() {
                    let got = if key == "located" {
                        &it.located
                    } else {
                        &it.dateline
                    };
                    assert_eq!(got.as_deref(), Some(v), "{name} {key}");
                }
            }
            if let Some(by) = t["byline"].as_str() {
                let name_only = by.trim_start_matches("By ").trim();
                assert!(
                    it.authors.iter().any(|a| a == name_only),
                    "{name} byline {:?}",
                    it.authors
                );
            }
            if let Some(sig) = t["signal"].as_str() {
                assert!(
                    it.signals.iter().any(|s| s == sig),
                    "{name} signal {:?}",
                    it.signals
                );
            }
            if let Some(e) = t["embargoed"].as_str() {
                let want = chrono::DateTime::parse_from_rfc3339(e).unwrap().to_utc();
                assert_eq!(it.embargoed, Some(want), "{name} embargoed");
            }
            if let Some(v) = t["versioncreated"].as_str() {
                let want = chrono::DateTime::parse_from_rfc3339(v).unwrap().to_utc();
                assert_eq!(it.updated, Some(want), "{name} versioncreated");
            }
        }
    }
    assert!(checked >= 40, "only {checked} wire files checked");
}

#[test]
fn dates_match_the_generators_truth() {
    let mut checked = 0;
    for name in names().into_iter().filter(|n| n.starts_with("dates-")) {
        let (parsed, meta) = parse_file(&name);
        let Some(want) = meta
            .get("truth")
            .and_then(|t| t.get("published_utc"))
            .and_then(Value::as_array)
        else {
            continue;
        };
        let feed = parsed.unwrap_or_else(|e| panic!("{name}: {e}"));
        for (item, want) in feed.items.iter().zip(want) {
            let got = item
                .published
                .or(item.updated)
                .map(|d| d.to_rfc3339_opts(chrono::SecondsFormat::Secs, true));
            match want.as_str() {
                Some(w) => assert_eq!(got.as_deref(), Some(w), "{name}"),
                // Unreadable: nothing invented, the raw text kept.
                None => assert_eq!(got, None, "{name}"),
            }
            checked += 1;
        }
    }
    assert!(checked >= 100, "only {checked} dated items checked");
}
