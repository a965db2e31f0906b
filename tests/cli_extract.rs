//! `wiredesk extract` over the station fixture pages: the seed story in every template.

use std::collections::BTreeMap;

use crate::common::{SEED_CHROME, fixtures, seed_paragraphs, wiredesk};

#[test]
fn seed_story_extracts_clean_from_every_station_template() {
    let pages = fixtures().join("pages");
    let mut templates: Vec<_> = std::fs::read_dir(&pages)
        .unwrap()
        .map(|e| e.unwrap().path().join("blinken-austin-asia-trip.html"))
        .filter(|p| p.exists())
        .collect();
    templates.sort();
    assert!(templates.len() >= 6, "{templates:?}");
    let out = wiredesk()
        .arg("extract")
        .args(&templates)
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let lines: Vec<BTreeMap<String, serde_json::Value>> = String::from_utf8(out)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), templates.len());
    let want = seed_paragraphs().join("\n\n");
    for line in &lines {
        let path = line["path"].as_str().unwrap();
        let body = line["body_text"].as_str().unwrap();
        assert_eq!(body, want, "body of {path}");
        for chrome in SEED_CHROME {
            assert!(!body.contains(chrome), "{chrome:?} in {path}");
        }
        assert_eq!(line["section"], "National Politics", "{path}");
        assert_eq!(line["credit"], "CNN Newsource", "{path}");
        assert_eq!(
            line["headline"],
            "Blinken and Austin will travel to Japan and South Korea later this month",
            "{path}"
        );
    }
}

#[test]
fn one_bad_file_is_reported_on_its_line_and_the_rest_go_on() {
    let good = fixtures().join("pages/kvia/blinken-austin-asia-trip.html");
    let out = wiredesk()
        .arg("extract")
        .arg("/nonexistent/page.html")
        .arg(&good)
        .assert()
        .code(1)
        .get_output()
        .stdout
        .clone();
    let text = String::from_utf8(out).unwrap();
    let lines: Vec<serde_json::Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 2);
    assert!(
        lines[0]["error"]
            .as_str()
            .unwrap()
            .contains("/nonexistent/page.html")
    );
    assert!(
        lines[1]["body_text"]
            .as_str()
            .unwrap()
            .starts_with("Secretary of State")
    );
}

#[test]
fn manifest_line_with_bad_url_fails_alone() {
    let dir = tempfile::tempdir().unwrap();
    let page = fixtures().join("pages/graytv/blinken-austin-asia-trip.html");
    let manifest = dir.path().join("m.jsonl");
    std::fs::write(
        &manifest,
        format!(
            "{{\"path\": {p:?}, \"url\": \"not a url\"}}\n{{\"path\": {p:?}, \"url\": \"\"}}\n{{\"path\": {p:?}, \"url\": \"https://www.wvrt10.com/a/\"}}\n",
            p = page
        ),
    )
    .unwrap();
    let out = wiredesk()
        .arg("extract")
        .arg("--manifest")
        .arg(&manifest)
        .assert()
        .code(1)
        .get_output()
        .stdout
        .clone();
    let lines: Vec<serde_json::Value> = String::from_utf8(out)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 3);
    assert!(
        lines[0]["error"].as_str().unwrap().contains("line 1"),
        "{}",
        lines[0]
    );
    assert!(
        lines[1]["body_text"]
            .as_str()
            .unwrap()
            .starts_with("Secretary of State")
    );
    assert!(
        lines[2]["body_text"]
            .as_str()
            .unwrap()
            .starts_with("Secretary of State")
    );
}

/// Pages extracted on several threads come out in the order given, each line the same as a
/// single thread writes it.
#[test]
fn parallel_extraction_keeps_the_input_order_and_output() {
    let pages = fixtures().join("pages");
    let run = |jobs: &str| {
        let out = wiredesk()
            .args(["extract", "--jobs", jobs])
            .arg(pages.join("kvia"))
            .arg(pages.join("graytv"))
            .arg(pages.join("radio"))
            .arg(pages.join("nexstar"))
            .assert()
            .success()
            .get_output()
            .stdout
            .clone();
        String::from_utf8(out).unwrap()
    };
    let one = run("1");
    let three = run("3");
    assert_eq!(one.lines().count(), 10);
    assert_eq!(one, three);
    let paths: Vec<String> = one
        .lines()
        .map(|l| {
            serde_json::from_str::<serde_json::Value>(l).unwrap()["path"]
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect();
    assert!(
        paths[0].contains("kvia") && paths[9].contains("nexstar"),
        "{paths:?}"
    );
}
