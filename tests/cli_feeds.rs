//! `wiredesk feeds`: feed health read from the store after real polls.

use crate::common::Workspace;

#[test]
fn feeds_shows_success_errors_and_recent_items() {
    let ws = Workspace::new(&["kvia.rss", "no-such-feed.rss"]);
    // The missing feed fails (404), so `poll` exits non-zero; the health is what matters here.
    let _ = ws.cmd(&["poll"]).output().unwrap();

    let out = ws.cmd(&["feeds", "--json"]).output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let feeds: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).unwrap();
    let by_name = |n: &str| {
        feeds
            .iter()
            .find(|f| f["name"] == n)
            .unwrap_or_else(|| panic!("{n} missing from {feeds:?}"))
    };
    let good = by_name("kvia.rss");
    assert_eq!(good["consecutive_errors"], 0);
    assert!(good["last_success_at"].is_string(), "{good}");
    assert_eq!(good["last_success_at"], good["last_polled_at"]);
    assert!(good["items_24h"].as_i64().unwrap() >= 2, "{good}");
    assert!(good["next_poll_at"].is_string());
    let bad = by_name("no-such-feed.rss");
    assert_eq!(bad["consecutive_errors"], 1);
    assert!(bad["last_success_at"].is_null(), "{bad}");
    assert!(bad["last_error"].as_str().unwrap().contains("404"), "{bad}");
    assert_eq!(bad["items_24h"], 0);

    let table = ws.cmd(&["feeds"]).output().unwrap();
    let table = String::from_utf8(table.stdout).unwrap();
    assert!(table.starts_with("FEED"), "{table}");
    let bad_line = table
        .lines()
        .position(|l| l.starts_with("no-such-feed.rss"))
        .unwrap();
    let next = table.lines().nth(bad_line + 1).unwrap();
    assert!(
        next.contains("last error:") && next.contains("404"),
        "{table}"
    );
}
