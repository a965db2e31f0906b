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

/// A ninjs item first `withheld` under an embargo, then `usable` still embargoed, then usable
/// with the embargo lifted: the story follows each state, and `ready_stories` (what an
/// affiliate may publish now) shows it only at the end.
#[test]
fn withheld_and_embargoed_ninjs_item_is_held_until_released() {
    let ws = Workspace::new(&["wire.json"]);
    let canceled = std::fs::read_to_string(ws.fixture("feeds-cases/ninjs-canceled.json")).unwrap();
    let serve = |pubstatus: &str, embargoed: Option<&str>, version: u32| {
        let mut text = canceled
            .replace(
                "\"pubstatus\": \"canceled\"",
                &format!("\"pubstatus\": \"{pubstatus}\""),
            )
            .replace("\"version\": \"4\"", &format!("\"version\": \"{version}\""));
        if let Some(e) = embargoed {
            text = text.replacen(
                "\"type\": \"text\",",
                &format!("\"type\": \"text\",\n  \"embargoed\": \"{e}\","),
                1,
            );
        }
        std::fs::write(ws.fixture("feeds/wire.json"), text).unwrap();
        ws.cmd(&["poll"]).assert().success();
    };
    let conn = ws.conn();
    let state = || -> (String, Option<String>, i64) {
        conn.query_row(
            "SELECT status, embargoed_until, (SELECT COUNT(*) FROM ready_stories) FROM stories",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .unwrap()
    };
    let far = "2999-01-01T00:00:00Z";

    serve("withheld", Some(far), 1);
    assert_eq!(state(), ("withheld".into(), Some(far.into()), 0));
    serve("usable", Some(far), 2);
    assert_eq!(
        state(),
        ("usable".into(), Some(far.into()), 0),
        "usable but embargoed"
    );
    serve("usable", None, 3);
    assert_eq!(state(), ("usable".into(), None, 1), "released");
    assert_eq!(count(&conn, "stories"), 1);

    let shown = ws
        .cmd(&["stories", "show", "1"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    assert!(
        String::from_utf8(shown)
            .unwrap()
            .contains("status         usable")
    );
}
