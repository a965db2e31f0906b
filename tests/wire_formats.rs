//! Wire formats end to end: ninjs and NewsML-G2 items ingest from their own body (no page
//! fetch), and a later canceled item kills the story it carried.

use crate::common::{Workspace, count};

/// Polls `file` served as `name` first as a usable earlier version, then as given (canceled).
fn usable_then_canceled(name: &str, file: &str, usable: impl Fn(&str) -> String) {
    let ws = Workspace::new(&[name]);
    let canceled = std::fs::read_to_string(ws.fixture(&format!("feeds-cases/{file}"))).unwrap();
    std::fs::write(ws.fixture(&format!("feeds/{name}")), usable(&canceled)).unwrap();
    ws.cmd(&["poll"]).assert().success();
    let conn = ws.conn();
    let (status, body): (String, String) = conn
        .query_row("SELECT status, body_text FROM stories", [], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .expect("one story from the wire item");
    assert_eq!(status, "usable");
    assert!(body.len() > 100, "the item's own body is stored: {body:?}");
    // Only the feed was fetched: the item's link (on another host) was not.
    assert!(
        ws.server.hits().iter().all(|h| h.path.ends_with(name)),
        "{:?}",
        ws.server.hits()
    );

    std::fs::write(ws.fixture(&format!("feeds/{name}")), &canceled).unwrap();
    ws.cmd(&["poll"]).assert().success();
    let status: String = conn
        .query_row("SELECT status FROM stories", [], |r| r.get(0))
        .unwrap();
    assert_eq!(
        status, "canceled",
        "a canceled {name} item cancels the story"
    );
    assert_eq!(
        count(&conn, "stories"),
        1,
        "the kill is not a story of its own"
    );
    let withdrawn: i64 = conn
        .query_row(
            "SELECT COUNT(*) FROM appearances WHERE withdrawn_at IS NOT NULL",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(withdrawn, 1);
}

#[test]
fn canceled_ninjs_item_cancels_its_story() {
    usable_then_canceled("wire.json", "ninjs-canceled.json", |text| {
        text.replace("\"pubstatus\": \"canceled\"", "\"pubstatus\": \"usable\"")
            .replace("\"version\": \"4\"", "\"version\": \"3\"")
    });
}

#[test]
fn canceled_newsml_g2_item_cancels_its_story() {
    usable_then_canceled("wire-g2.xml", "newsml-g2-canceled.xml", |text| {
        text.replace("stat:canceled", "stat:usable")
            .replace("version=\"4\"", "version=\"3\"")
    });
}
