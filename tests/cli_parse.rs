//! `wiredesk parse` over the fixture feeds agrees with the expected parse beside each.

use crate::common::{STATION_FEEDS, fixtures, wiredesk};

#[test]
fn fixture_feeds_parse_to_their_expected_entries() {
    for feed in STATION_FEEDS {
        let path = fixtures().join("feeds").join(feed);
        let stem = feed.rsplit_once('.').unwrap().0;
        let expected: serde_json::Value = serde_json::from_str(
            &std::fs::read_to_string(
                fixtures()
                    .join("feeds")
                    .join(format!("{stem}.expected.json")),
            )
            .unwrap(),
        )
        .unwrap();
        let out = wiredesk()
            .arg("parse")
            .arg(&path)
            .assert()
            .success()
            .get_output()
            .stdout
            .clone();
        let got: serde_json::Value = serde_json::from_slice(&out).unwrap();
        assert_eq!(got["format"], expected["format"], "{feed}");
        let (got_entries, want_entries) = (
            got["entries"].as_array().unwrap(),
            expected["entries"].as_array().unwrap(),
        );
        assert_eq!(got_entries.len(), want_entries.len(), "{feed}");
        for (g, w) in got_entries.iter().zip(want_entries) {
            assert_eq!(g["id"], w["id"], "{feed}");
            assert_eq!(g["title"], w["title"], "{feed}");
            assert_eq!(g["link"], w["link"], "{feed}");
        }
    }
}

#[test]
fn parse_is_stable_across_runs() {
    let path = fixtures().join("feeds/wire-fulltext.rss");
    let a = wiredesk()
        .arg("parse")
        .arg(&path)
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let b = wiredesk()
        .arg("parse")
        .arg(&path)
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    assert_eq!(a, b);
}

#[test]
fn a_file_that_is_not_a_feed_reports_an_error_naming_it() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("not-a-feed.xml");
    std::fs::write(&bad, "<html><body>hello</body></html>").unwrap();
    let out = wiredesk()
        .arg("parse")
        .arg(&bad)
        .assert()
        .code(1)
        .get_output()
        .stdout
        .clone();
    let got: serde_json::Value = serde_json::from_slice(&out).unwrap();
    assert!(got["path"].as_str().unwrap().ends_with("not-a-feed.xml"));
    assert!(got["error"].as_str().is_some_and(|e| !e.is_empty()));
}
