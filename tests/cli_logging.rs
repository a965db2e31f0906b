//! Log lines as an engineer reads them: the journal's priority prefixes under systemd, JSON
//! with the feed's span, and third-party noise kept out unless asked for.

use std::os::unix::fs::MetadataExt as _;
use std::process::{Command, Stdio};

use crate::common::wiredesk;

/// A feed the SSRF guard refuses before any connection: a warning without a server.
const BLOCKED_FEED: &str = "http://127.0.0.1:9/feed.xml";

/// A page whose `<p>` inside a `<table>` makes html5ever warn about foster parenting.
const FOSTER_PAGE: &str = "<html><body><table><p>stray</p><tr><td>x</td></tr></table>\
    <article><h1>Head</h1><p>Body text of the article, long enough to be the body.</p>\
    </article></body></html>";

fn stderr_of(args: &[&str]) -> String {
    let out = wiredesk()
        .env_remove("WIREDESK_LOG")
        .args(args)
        .output()
        .expect("run");
    String::from_utf8(out.stderr).expect("utf-8")
}

#[test]
fn third_party_warnings_are_hidden_until_vv() {
    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join("page.html");
    std::fs::write(&page, FOSTER_PAGE).unwrap();
    let page = page.to_str().unwrap();
    let quiet = stderr_of(&["-v", "extract", page]);
    assert!(!quiet.contains("foster parenting"), "{quiet}");
    let loud = stderr_of(&["-vv", "extract", page]);
    assert!(
        loud.contains("foster parenting"),
        "-vv must show it: {loud}"
    );
}

#[test]
fn json_lines_carry_fields_and_the_feed_span() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("w.db");
    let err = stderr_of(&[
        "--log-format",
        "json",
        "--db",
        db.to_str().unwrap(),
        "backfill",
        "--feed",
        BLOCKED_FEED,
    ]);
    let lines: Vec<serde_json::Value> = err
        .lines()
        .filter(|l| l.starts_with('{'))
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect();
    let failed = lines
        .iter()
        .find(|l| l["message"] == "Feed failed.")
        .unwrap_or_else(|| panic!("no 'Feed failed.' line in {err}"));
    assert_eq!(failed["level"], "WARN");
    assert!(
        failed["error"].as_str().unwrap().contains("blocked"),
        "{failed}"
    );
    assert_eq!(failed["spans"][0]["name"], "feed", "{failed}");
    assert_eq!(failed["spans"][0]["feed"], "127.0.0.1/feed.xml", "{failed}");
}

#[test]
fn under_the_journal_lines_have_a_priority_and_no_timestamp() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("w.db");
    let log_path = dir.path().join("journal.log");
    let log = std::fs::File::create(&log_path).unwrap();
    let meta = log.metadata().unwrap();
    let bin = assert_cmd::cargo::cargo_bin("wiredesk");
    let run = |stream: String, log: std::fs::File| {
        Command::new(&bin)
            .env_remove("WIREDESK_CONFIG")
            .env_remove("WIREDESK_LOG")
            .env("JOURNAL_STREAM", stream)
            .args([
                "--db",
                db.to_str().unwrap(),
                "backfill",
                "--feed",
                BLOCKED_FEED,
            ])
            .stdout(Stdio::null())
            .stderr(Stdio::from(log))
            .status()
            .expect("run");
    };
    // stderr is the stream systemd named: journal lines.
    run(format!("{}:{}", meta.dev(), meta.ino()), log);
    let text = std::fs::read_to_string(&log_path).unwrap();
    let line = text
        .lines()
        .find(|l| l.contains("Feed failed."))
        .unwrap_or_else(|| panic!("{text}"));
    assert!(line.starts_with("<4>"), "{line}");
    assert!(!line.contains("WARN"), "{line}");
    assert!(
        line.starts_with("<4>wiredesk::") || line.starts_with("<4>feed{"),
        "no timestamp, no level: {line}"
    );
    // An inherited JOURNAL_STREAM that is not our stderr (it names the first file, which still
    // exists, while stderr is another): human lines, with a timestamp.
    let other = std::fs::File::create(dir.path().join("other.log")).unwrap();
    run(format!("{}:{}", meta.dev(), meta.ino()), other);
    let text = std::fs::read_to_string(dir.path().join("other.log")).unwrap();
    let line = text.lines().find(|l| l.contains("Feed failed.")).unwrap();
    assert!(line.contains("WARN") && !line.starts_with('<'), "{line}");
}
