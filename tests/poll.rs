//! `wiredesk poll` end to end: fixture feeds over loopback HTTP into a real SQLite file.

use crate::common::{SEED_CHROME, SEED_HEADLINE, STATION_FEEDS, Workspace, count, seed_paragraphs};

#[test]
fn same_wire_story_from_three_stations_is_one_story_with_three_appearances() {
    let ws = Workspace::new(&["kvia.rss", "graytv.atom", "nexstar.json"]);
    ws.cmd(&["poll"]).assert().success();
    let conn = ws.conn();
    let (id, n): (i64, i64) = conn
        .query_row(
            "SELECT id, (SELECT COUNT(*) FROM stories s2 WHERE s2.headline = s.headline) FROM stories s WHERE headline = ?1",
            [SEED_HEADLINE],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .expect("seed story stored");
    assert_eq!(n, 1, "the seed story is stored once");
    let appearances: Vec<(String, String)> = conn
        .prepare("SELECT feed, url FROM appearances WHERE story_id = ?1 ORDER BY feed")
        .unwrap()
        .query_map([id], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    let feeds: Vec<&str> = appearances.iter().map(|(f, _)| f.as_str()).collect();
    assert_eq!(
        feeds,
        ["graytv.atom", "kvia.rss", "nexstar.json"],
        "{appearances:?}"
    );
}

#[test]
fn poll_stores_every_fixture_story_with_clean_body_and_wire_metadata() {
    let ws = Workspace::new(STATION_FEEDS);
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
    // Nine stories on pages (the seed on six templates counts once) and one wire item that has
    // no page, only full text in the feed.
    assert_eq!(count(&conn, "stories"), 10);
    let (body, credit, section): (String, Option<String>, Option<String>) = conn
        .query_row(
            "SELECT body_text, credit, section FROM stories WHERE headline = ?1",
            [SEED_HEADLINE],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .unwrap();
    assert_eq!(body, seed_paragraphs().join("\n\n"));
    for chrome in SEED_CHROME {
        assert!(!body.contains(chrome), "{chrome:?} leaked into the body");
    }
    assert_eq!(credit.as_deref(), Some("CNN Newsource"));
    assert_eq!(section.as_deref(), Some("National Politics"));
    let seed_appearances: i64 = conn
        .query_row(
            "SELECT COUNT(*) FROM appearances a JOIN stories s ON s.id = a.story_id WHERE s.headline = ?1",
            [SEED_HEADLINE],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(seed_appearances, 6, "one appearance per station template");
    // The link-less wire item is stored from the feed's full text.
    let fed: String = conn
        .query_row(
            "SELECT body_text FROM stories WHERE headline LIKE '%Fed%'",
            [],
            |r| r.get(0),
        )
        .expect("the feed-only story is stored");
    assert!(fed.len() > 200, "{fed}");
    // Every story has its first version.
    assert_eq!(count(&conn, "story_versions"), 10);
}

#[test]
fn second_poll_of_unchanged_server_is_answered_by_304_and_writes_no_story() {
    let ws = Workspace::new(STATION_FEEDS);
    ws.cmd(&["poll"]).assert().success();
    let conn = ws.conn();
    let before = (
        count(&conn, "stories"),
        count(&conn, "story_versions"),
        count(&conn, "appearances"),
    );
    let last_seen: String = conn
        .query_row("SELECT MAX(last_seen_at) FROM stories", [], |r| r.get(0))
        .unwrap();
    ws.server.clear_hits();

    let out = ws
        .cmd(&["poll"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let out = String::from_utf8_lossy(&out);
    let hits = ws.server.hits();
    assert_eq!(
        hits.len(),
        STATION_FEEDS.len(),
        "only the feeds are asked for: {hits:?}"
    );
    assert!(hits.iter().all(|h| h.status == 304), "{hits:?}");
    assert_eq!(
        out.matches("not modified").count(),
        STATION_FEEDS.len(),
        "{out}"
    );
    let after = (
        count(&conn, "stories"),
        count(&conn, "story_versions"),
        count(&conn, "appearances"),
    );
    assert_eq!(before, after);
    let last_seen_after: String = conn
        .query_row("SELECT MAX(last_seen_at) FROM stories", [], |r| r.get(0))
        .unwrap();
    assert_eq!(last_seen, last_seen_after, "no story row was touched");
}

#[test]
fn changed_page_at_known_url_becomes_a_new_version() {
    let ws = Workspace::new(&["kvia.rss"]);
    // Serve the brush-fire story's first version from a page the feed lists.
    let page = ws.fixture("pages/kvia/council-approves-east-side-street-repairs.html");
    std::fs::copy(
        ws.fixture("versions/brush-fire-quinton-evacuations.v1.html"),
        &page,
    )
    .unwrap();
    ws.cmd(&["poll"]).assert().success();
    std::fs::copy(
        ws.fixture("versions/brush-fire-quinton-evacuations.v2.html"),
        &page,
    )
    .unwrap();
    // A backfill fetches every item again (a poll would skip items it has stored).
    ws.cmd(&[
        "backfill",
        "--feed",
        &format!("{}/feeds/kvia.rss", ws.server.base_url()),
    ])
    .assert()
    .success();
    let conn = ws.conn();
    let (version, versions): (i64, i64) = conn
        .query_row(
            "SELECT s.version, (SELECT COUNT(*) FROM story_versions v WHERE v.story_id = s.id) FROM stories s WHERE body_text LIKE '%Quinton%'",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!((version, versions), (2, 2));
    assert_eq!(count(&conn, "stories"), 2);
}

#[test]
fn chrome_only_change_is_not_a_new_version() {
    let ws = Workspace::new(&["kvia.rss"]);
    let page = ws.fixture("pages/kvia/council-approves-east-side-street-repairs.html");
    std::fs::copy(
        ws.fixture("versions/brush-fire-quinton-evacuations.v1.html"),
        &page,
    )
    .unwrap();
    ws.cmd(&["poll"]).assert().success();
    std::fs::copy(
        ws.fixture("versions/brush-fire-quinton-evacuations.chrome-only.html"),
        &page,
    )
    .unwrap();
    let out = ws
        .cmd(&[
            "backfill",
            "--feed",
            &format!("{}/feeds/kvia.rss", ws.server.base_url()),
        ])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let out = String::from_utf8_lossy(&out);
    assert!(out.contains("0 new, 0 updated"), "{out}");
    assert_eq!(count(&ws.conn(), "story_versions"), 2);
}

#[test]
fn dead_feed_is_reported_by_url_and_keeps_stored_stories() {
    let ws = Workspace::new(&["kvia.rss", "missing.rss"]);
    let out = ws
        .cmd(&["poll"])
        .assert()
        .code(1)
        .get_output()
        .stdout
        .clone();
    let out = String::from_utf8_lossy(&out);
    assert!(out.contains("missing.rss") && out.contains("404"), "{out}");
    let conn = ws.conn();
    assert_eq!(
        count(&conn, "stories"),
        2,
        "the good feed still stored its stories"
    );
    let (errors, last_error): (i64, String) = conn
        .query_row(
            "SELECT consecutive_errors, last_error FROM feeds WHERE url LIKE '%missing.rss'",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!(errors, 1);
    assert!(last_error.contains("404"), "{last_error}");
}
