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

/// Sends SIGHUP (reload the config).
fn hup(child: &Child) {
    let status = Command::new("kill")
        .arg("-HUP")
        .arg(child.id().to_string())
        .status()
        .unwrap();
    assert!(status.success());
}

/// SIGTERM, then waits for the daemon to exit.
fn stop(child: &mut Child) {
    let _ = Command::new("kill")
        .arg("-TERM")
        .arg(child.id().to_string())
        .status();
    let _ = child.wait();
}

/// Starts `wiredesk run` with its stderr collected line by line into the returned buffer.
fn spawn_run_logged(ws: &Workspace) -> (Child, std::sync::Arc<std::sync::Mutex<String>>) {
    let mut child = spawn_run(ws);
    let log = std::sync::Arc::new(std::sync::Mutex::new(String::new()));
    let stderr = child.stderr.take().unwrap();
    let sink = log.clone();
    std::thread::spawn(move || {
        use std::io::BufRead as _;
        for line in std::io::BufReader::new(stderr)
            .lines()
            .map_while(Result::ok)
        {
            let mut s = sink.lock().unwrap();
            s.push_str(&line);
            s.push('\n');
        }
    });
    (child, log)
}

fn wait_for_log(log: &std::sync::Mutex<String>, needle: &str) {
    let start = Instant::now();
    while !log.lock().unwrap().contains(needle) {
        assert!(
            start.elapsed() < Duration::from_secs(30),
            "{needle:?} not logged: {}",
            log.lock().unwrap()
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// SIGHUP swaps in the config's `[[sites]]` rules: a page fetched afterwards is extracted with
/// them. A config that no longer parses is reported and the rules in force are kept.
#[test]
fn sighup_reloads_site_rules_for_pages_fetched_afterwards() {
    let ws = Workspace::with_interval(&["kvia.rss"], 1);
    let feed = ws.fixture("feeds/kvia.rss");
    let full = std::fs::read_to_string(&feed).unwrap();
    let head = &full[..full.find("<item>").unwrap()];
    std::fs::write(&feed, format!("{head}</channel></rss>")).unwrap();
    let (mut child, log) = spawn_run_logged(&ws);
    wait_for(&ws, Duration::from_secs(30), |c| {
        c.query_row(
            "SELECT COUNT(*) FROM feeds WHERE last_polled_at IS NOT NULL",
            [],
            |r| r.get::<_, i64>(0),
        )
        .unwrap_or(0)
            == 1
    });
    // A broken config: reported, nothing changes.
    let config = std::fs::read_to_string(ws.config()).unwrap();
    std::fs::write(
        ws.config(),
        format!("{config}\n[[sites]]\nhost = \"127.0.0.1\"\nremove = [\"p[\"]\n"),
    )
    .unwrap();
    hup(&child);
    wait_for_log(&log, "config not reloaded");

    // The site's last body paragraph is, say, a promo the heuristics keep: a rule drops it.
    std::fs::write(
        ws.config(),
        format!("{config}\n[[sites]]\nhost = \"127.0.0.1\"\nremove = [\".entry-content > p:last-of-type\"]\n"),
    )
    .unwrap();
    hup(&child);
    wait_for_log(&log, "config reloaded");
    std::fs::write(&feed, &full).unwrap();
    wait_for(&ws, Duration::from_secs(60), |c| stories(c) >= 2);
    stop(&mut child);

    let seed = crate::common::seed_paragraphs();
    let body: String = ws
        .conn()
        .query_row(
            "SELECT body_text FROM stories WHERE body_text LIKE 'Secretary of State Antony Blinken%'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert!(
        !body.contains(seed.last().unwrap().as_str()),
        "the rule removed the last paragraph"
    );
    assert_eq!(body, seed[..seed.len() - 1].join("\n\n"));
}

/// SIGHUP re-reads the feeds: a feed added to the config is polled without a restart, and a
/// feed removed from it is polled no more.
#[test]
fn sighup_adds_and_removes_feeds_in_a_running_daemon() {
    let ws = Workspace::with_interval(&["kvia.rss"], 1);
    let (mut child, log) = spawn_run_logged(&ws);
    let polled_at = |c: &rusqlite::Connection, name: &str| -> Option<String> {
        c.query_row(
            "SELECT last_polled_at FROM feeds WHERE name = ?1",
            [name],
            |r| r.get(0),
        )
        .ok()
        .flatten()
    };
    wait_for(&ws, Duration::from_secs(30), |c| {
        polled_at(c, "kvia.rss").is_some()
    });

    let config = std::fs::read_to_string(ws.config()).unwrap();
    std::fs::write(ws.config(), config.replace("kvia.rss", "graytv.atom")).unwrap();
    hup(&child);
    wait_for_log(&log, "Feed removed from the config");
    wait_for_log(&log, "Feed added to the config");
    wait_for(&ws, Duration::from_secs(30), |c| {
        polled_at(c, "graytv.atom").is_some()
    });
    // The removed feed (interval 1 s) is not polled again.
    let before = polled_at(&ws.conn(), "kvia.rss");
    std::thread::sleep(Duration::from_secs(3));
    let after = polled_at(&ws.conn(), "kvia.rss");
    stop(&mut child);
    assert_eq!(before, after, "a removed feed was polled again");
    let added: i64 = ws
        .conn()
        .query_row(
            "SELECT COUNT(*) FROM appearances WHERE feed = 'graytv.atom'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert!(added > 0, "the added feed's items were stored");
}

/// `GET path` from the daemon's metrics listener: (status, body).
fn http_get(addr: std::net::SocketAddr, path: &str) -> Option<(u16, String)> {
    use std::io::{Read as _, Write as _};
    let mut stream = std::net::TcpStream::connect_timeout(&addr, Duration::from_secs(2)).ok()?;
    stream.set_read_timeout(Some(Duration::from_secs(5))).ok()?;
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
    )
    .ok()?;
    let mut text = String::new();
    stream.read_to_string(&mut text).ok()?;
    let status = text.split(' ').nth(1)?.parse().ok()?;
    let body = text.split_once("\r\n\r\n")?.1.to_string();
    Some((status, body))
}

/// The value of one series in a metrics text (a chunked body's framing lines never match).
fn series(text: &str, name: &str) -> Option<f64> {
    text.lines()
        .find_map(|l| l.strip_prefix(name)?.trim().parse().ok())
}

/// `[metrics] listen`: `/metrics` counters move with the polls, and `/healthz` turns 503 once
/// no feed poll has succeeded for `stale_after_secs` (here: the only feed starts failing).
#[test]
fn metrics_move_with_polls_and_healthz_turns_503_when_polls_stop_succeeding() {
    let ws = Workspace::with_interval(&["kvia.rss"], 1);
    let addr = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap();
    let mut toml = std::fs::read_to_string(ws.config()).unwrap();
    toml = toml.replacen(
        "\n[[feeds]]",
        &format!("\n[metrics]\nlisten = \"{addr}\"\nstale_after_secs = 3\n\n[[feeds]]"),
        1,
    );
    std::fs::write(ws.config(), toml).unwrap();
    let (mut child, log) = spawn_run_logged(&ws);
    wait_for_log(&log, "Serving /metrics");
    let (status, body) = http_get(addr, "/healthz").expect("healthz answers");
    assert_eq!(status, 200, "{body}");

    wait_for(&ws, Duration::from_secs(60), |c| stories(c) >= 2);
    // The feed's items are all in once its poll is recorded.
    wait_for(&ws, Duration::from_secs(30), |c| {
        c.query_row(
            "SELECT COUNT(*) FROM feeds WHERE last_success_at IS NOT NULL",
            [],
            |r| r.get::<_, i64>(0),
        )
        .unwrap_or(0)
            == 1
    });
    let (status, text) = http_get(addr, "/metrics").expect("metrics answer");
    assert_eq!(status, 200);
    let stored = stories(&ws.conn()) as f64;
    assert!(
        series(&text, r#"wiredesk_polls_total{outcome="fetched"}"#) >= Some(1.0),
        "{text}"
    );
    assert_eq!(
        series(&text, r#"wiredesk_stories_total{outcome="new"}"#),
        Some(stored),
        "{text}"
    );
    assert!(
        series(&text, r#"wiredesk_fetch_seconds_count{what="page"}"#) >= Some(stored),
        "{text}"
    );
    assert_eq!(series(&text, "wiredesk_feeds_failing"), Some(0.0), "{text}");

    // The feed disappears: its polls fail (404), and after 3 s without a success the daemon
    // is unhealthy.
    std::fs::remove_file(ws.fixture("feeds/kvia.rss")).unwrap();
    let start = Instant::now();
    let unhealthy = loop {
        let answer = http_get(addr, "/healthz");
        if let Some((503, body)) = answer {
            break body;
        }
        assert!(
            start.elapsed() < Duration::from_secs(30),
            "healthz never turned 503: {answer:?}"
        );
        std::thread::sleep(Duration::from_millis(200));
    };
    assert!(
        unhealthy.contains("no feed poll has succeeded"),
        "{unhealthy}"
    );
    let (_, text) = http_get(addr, "/metrics").unwrap();
    assert!(
        series(&text, r#"wiredesk_errors_total{kind="status_4xx"}"#) >= Some(1.0),
        "{text}"
    );
    assert_eq!(series(&text, "wiredesk_feeds_failing"), Some(1.0), "{text}");
    stop(&mut child);
}
