//! `wiredesk revisit` end to end: pages fetched again with conditional GET after a poll; a
//! changed page becomes a version with its change summary, a chrome-only change does not, a page
//! that is gone withdraws its appearance (all withdrawn → story `withheld`), and a removal
//! notice in place of the story cancels it.

use crate::common::{Workspace, count};

const PAGE: &str = "pages/kvia/council-approves-east-side-street-repairs.html";
const SEED: &str = "pages/kvia/blinken-austin-asia-trip.html";

fn status_of(ws: &Workspace, like: &str) -> (i64, String, i64) {
    ws.conn()
        .query_row(
            "SELECT id, status, version FROM stories WHERE body_text LIKE ?1",
            [like],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .unwrap()
}

fn revisit(ws: &Workspace) -> String {
    let out = ws
        .cmd(&["revisit", "--all"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    String::from_utf8_lossy(&out).into_owned()
}

#[test]
fn revisit_turns_a_write_through_into_a_version_and_ignores_chrome() {
    let ws = Workspace::new(&["kvia.rss"]);
    std::fs::copy(
        ws.fixture("versions/brush-fire-quinton-evacuations.v1.html"),
        ws.fixture(PAGE),
    )
    .unwrap();
    ws.cmd(&["poll"]).assert().success();

    // Unchanged pages: every revisit is answered 304 from the stored validators after the first.
    let out = revisit(&ws);
    assert!(out.contains("2 unchanged, 0 updated"), "{out}");
    ws.server.clear_hits();
    let out = revisit(&ws);
    assert!(out.contains("0 updated, 0 withdrawn"), "{out}");
    // Each run asks the host's robots.txt once (none here: 404); every page answers 304.
    assert!(
        ws.server
            .hits()
            .iter()
            .all(|h| h.status == 304 || (h.path == "/robots.txt" && h.status == 404)),
        "{:?}",
        ws.server.hits()
    );

    // Chrome-only change: fetched again, no version.
    std::fs::copy(
        ws.fixture("versions/brush-fire-quinton-evacuations.chrome-only.html"),
        ws.fixture(PAGE),
    )
    .unwrap();
    // Three revisits per appearance at most: the first two were used above, so reset the
    // schedule as a new day's appearance would have it.
    ws.conn()
        .execute(
            "UPDATE appearances SET revisits = 0, next_revisit_at = seen_at",
            [],
        )
        .unwrap();
    let out = revisit(&ws);
    assert!(out.contains("0 updated"), "{out}");
    assert_eq!(status_of(&ws, "%Quinton%").2, 1);

    // The write-through: one paragraph added and a new headline.
    std::fs::copy(
        ws.fixture("versions/brush-fire-quinton-evacuations.v2.html"),
        ws.fixture(PAGE),
    )
    .unwrap();
    let out = revisit(&ws);
    assert!(out.contains("1 updated"), "{out}");
    let (id, status, version) = status_of(&ws, "%Quinton%");
    assert_eq!((status.as_str(), version), ("usable", 2));
    let (added, removed, changed, headline): (i64, i64, i64, bool) = ws
        .conn()
        .query_row(
            "SELECT paragraphs_added, paragraphs_removed, paragraphs_changed, headline_changed
             FROM story_versions WHERE story_id = ?1 AND version = 2",
            [id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )
        .unwrap();
    assert_eq!((added, removed, changed, headline), (1, 0, 0, true));
    let show = ws
        .cmd(&["stories", "show", &id.to_string()])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let show = String::from_utf8_lossy(&show);
    assert!(
        show.contains("[1 paragraph added, headline changed]"),
        "{show}"
    );
    assert!(show.contains("[first seen]"), "{show}");
}

#[test]
fn gone_page_withdraws_and_withholds_removal_notice_cancels() {
    let ws = Workspace::new(&["kvia.rss"]);
    ws.cmd(&["poll"]).assert().success();
    assert_eq!(count(&ws.conn(), "stories"), 2);

    // Taken down for good: the server answers 410 Gone.
    std::fs::remove_file(ws.fixture(PAGE)).unwrap();
    std::fs::write(ws.fixture(&format!("{PAGE}.410")), "").unwrap();
    std::fs::write(
        ws.fixture(SEED),
        "<!DOCTYPE html><html><head><title>Story removed | KVIA</title></head><body>\
         <main><article><h1>Story removed</h1>\
         <p>This story has been removed. It is no longer available on KVIA.com.</p>\
         </article></main></body></html>",
    )
    .unwrap();
    let out = revisit(&ws);
    assert!(out.contains("1 withdrawn, 1 canceled"), "{out}");
    assert!(
        ws.server.hits().iter().any(|h| h.status == 410),
        "{:?}",
        ws.server.hits()
    );

    let (id, status, _) = status_of(&ws, "%East Side%");
    assert_eq!(status, "withheld", "its only appearance is gone");
    let withdrawn: Option<String> = ws
        .conn()
        .query_row(
            "SELECT withdrawn_at FROM appearances WHERE story_id = ?1",
            [id],
            |r| r.get(0),
        )
        .unwrap();
    assert!(withdrawn.is_some());
    let (_, status, version) = status_of(&ws, "%Blinken%");
    assert_eq!(
        (status.as_str(), version),
        ("canceled", 1),
        "the notice is not a version; the text is kept"
    );
    assert_eq!(count(&ws.conn(), "stories"), 2, "nothing is deleted");
    let show = ws
        .cmd(&["stories", "show", &id.to_string()])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let show = String::from_utf8_lossy(&show);
    assert!(
        show.contains("status         withheld") && show.contains("withdrawn="),
        "{show}"
    );
}
