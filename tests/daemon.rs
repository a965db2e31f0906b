//! `wiredesk run`: the daemon stops cleanly on SIGTERM, and survives kill -9.

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::common::{STATION_FEEDS, Workspace, count};

fn spawn_run(ws: &Workspace) -> Child {
    Command::new(assert_cmd::cargo::cargo_bin("wiredesk"))
        .arg("--config")
        .arg(ws.config())
        .arg("run")
        .env_remove("WIREDESK_CONFIG")
        .env("WIREDESK_LOG", "info")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn wiredesk run")
}

/// Waits until `cond` holds on the database, or panics after `limit`.
fn wait_for(ws: &Workspace, limit: Duration, cond: impl Fn(&rusqlite::Connection) -> bool) {
    let start = Instant::now();
    while start.elapsed() < limit {
        if ws.db().exists()
            && let Ok(conn) = rusqlite::Connection::open(ws.db())
            && conn.busy_timeout(Duration::from_secs(1)).is_ok()
            && cond(&conn)
        {
            return;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    panic!("condition not met within {limit:?}");
}

fn stories(conn: &rusqlite::Connection) -> i64 {
    conn.query_row("SELECT COUNT(*) FROM stories", [], |r| r.get(0))
        .unwrap_or(0)
}

#[test]
fn run_polls_then_stops_cleanly_on_sigterm() {
    let ws = Workspace::new(STATION_FEEDS);
    let mut child = spawn_run(&ws);
    wait_for(&ws, Duration::from_secs(60), |c| stories(c) == 10);
    let status = Command::new("kill")
        .arg("-TERM")
        .arg(child.id().to_string())
        .status()
        .unwrap();
    assert!(status.success());
    let start = Instant::now();
    let exit = loop {
        if let Some(exit) = child.try_wait().unwrap() {
            break exit;
        }
        assert!(
            start.elapsed() < Duration::from_secs(40),
            "daemon did not stop on SIGTERM"
        );
        std::thread::sleep(Duration::from_millis(50));
    };
    let mut stderr = String::new();
    std::io::Read::read_to_string(child.stderr.as_mut().unwrap(), &mut stderr).unwrap();
    assert!(exit.success(), "exit {exit:?}: {stderr}");
    assert!(stderr.contains("Daemon stopped"), "{stderr}");
    let conn = ws.conn();
    assert_eq!(count(&conn, "stories"), 10);
    let polled: i64 = conn
        .query_row("SELECT COUNT(*) FROM feeds WHERE last_polled_at IS NOT NULL AND next_poll_at > last_polled_at", [], |r| r.get(0))
        .unwrap();
    assert_eq!(polled, STATION_FEEDS.len() as i64);
}

#[test]
fn kill_9_during_run_leaves_an_intact_store_without_duplicates() {
    let ws = Workspace::new(STATION_FEEDS);
    let mut child = spawn_run(&ws);
    // Kill as soon as the first stories are committed, while others are being written.
    wait_for(&ws, Duration::from_secs(60), |c| stories(c) >= 1);
    child.kill().expect("SIGKILL");
    child.wait().unwrap();

    let conn = ws.conn();
    let check: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(check, "ok");
    drop(conn);
    // Restart and finish the work: every story once.
    ws.cmd(&["poll"]).assert().success();
    let conn = ws.conn();
    let check: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(check, "ok");
    assert_eq!(count(&conn, "stories"), 10);
    let dupes: i64 = conn
        .query_row(
            "SELECT COUNT(*) FROM (SELECT body_hash FROM stories GROUP BY body_hash HAVING COUNT(*) > 1)",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(dupes, 0);
    let orphan_versions: i64 = conn
        .query_row("SELECT COUNT(*) FROM stories s WHERE NOT EXISTS (SELECT 1 FROM story_versions v WHERE v.story_id = s.id)", [], |r| r.get(0))
        .unwrap();
    assert_eq!(
        orphan_versions, 0,
        "a story and its first version commit together"
    );
}
