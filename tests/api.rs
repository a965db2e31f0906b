//! `wiredesk serve` and `wiredesk tokens`: the real binary serving a polled store, read with a
//! real HTTP client.

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::common::{Workspace, count, serve, token};

#[test]
fn the_read_api_pages_filters_caches_and_checks_tokens() {
    let ws = Workspace::new(&["kvia.rss", "graytv.atom", "nexstar.json"]);
    assert!(ws.cmd(&["poll"]).output().unwrap().status.success());
    let stories = count(&ws.conn(), "stories") as usize;
    assert!(stories >= 5, "{stories}");
    let token = token(&ws, "kvia-cms");
    let server = serve(&ws);
    let rt = tokio::runtime::Runtime::new().unwrap();
    let client = reqwest::Client::builder().no_gzip().build().unwrap();
    let get = |path: &str, token: Option<&str>, headers: &[(&str, &str)]| {
        let mut req = client.get(format!("{}{path}", server.base));
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        for (k, v) in headers {
            req = req.header(*k, *v);
        }
        rt.block_on(async {
            let resp = req.send().await.unwrap();
            let status = resp.status().as_u16();
            let headers = resp.headers().clone();
            let body = resp.bytes().await.unwrap().to_vec();
            (status, headers, body)
        })
    };
    let json = |body: &[u8]| serde_json::from_slice::<serde_json::Value>(body).unwrap();

    // No token, a wrong one: 401 with a JSON message.
    let (status, _, body) = get("/v1/stories", None, &[]);
    assert_eq!(status, 401);
    assert!(json(&body)["error"].as_str().unwrap().contains("Bearer"));
    assert_eq!(get("/v1/stories", Some("nope"), &[]).0, 401);

    // Pages of 2 while a writer adds stories between them: every story stored before the
    // first page is seen exactly once; the new ones are newer and wait at the top.
    let mut seen = Vec::new();
    let mut next = Some("/v1/stories?limit=2".to_string());
    let mut pages = 0;
    while let Some(path) = next {
        let (status, _, body) = get(&path, Some(&token), &[]);
        assert_eq!(status, 200, "{}", String::from_utf8_lossy(&body));
        let v = json(&body);
        for s in v["stories"].as_array().unwrap() {
            seen.push(s["uri"].as_str().unwrap().to_string());
        }
        next = v["next"].as_str().map(str::to_string);
        pages += 1;
        if pages == 1 {
            let mut toml = std::fs::read_to_string(ws.config()).unwrap();
            toml.push_str(&format!(
                "\n[[feeds]]\nname = \"plain.rss\"\nurl = \"{}/feeds/plain.rss\"\n",
                ws.server.base_url()
            ));
            std::fs::write(ws.config(), toml).unwrap();
            assert!(ws.cmd(&["poll"]).output().unwrap().status.success());
            assert!(
                count(&ws.conn(), "stories") as usize > stories,
                "the writer added stories"
            );
        }
    }
    let mut unique = seen.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), seen.len(), "a story repeated: {seen:?}");
    assert_eq!(seen.len(), stories, "{seen:?}");

    // Filters: a credit, a bad status, a full-text syntax error (400, not 500).
    let (status, _, body) = get("/v1/stories?status=usable&limit=500", Some(&token), &[]);
    assert_eq!(status, 200);
    assert_eq!(
        json(&body)["stories"].as_array().unwrap().len(),
        count(&ws.conn(), "stories") as usize
    );
    let (status, _, body) = get("/v1/stories?status=gone", Some(&token), &[]);
    assert_eq!(status, 400, "{}", String::from_utf8_lossy(&body));
    let (status, _, body) = get("/v1/stories?q=%22unbalanced", Some(&token), &[]);
    assert_eq!(status, 400, "{}", String::from_utf8_lossy(&body));
    assert!(
        json(&body)["error"]
            .as_str()
            .unwrap()
            .contains("unbalanced")
    );
    let word: String = ws
        .conn()
        .query_row(
            "SELECT headline FROM stories ORDER BY id LIMIT 1",
            [],
            |r| r.get(0),
        )
        .unwrap();
    let word = word
        .split_whitespace()
        .find(|w| w.len() > 4 && w.chars().all(char::is_alphabetic))
        .unwrap()
        .to_string();
    let (status, _, body) = get(&format!("/v1/stories?q={word}"), Some(&token), &[]);
    assert_eq!(status, 200);
    assert!(
        !json(&body)["stories"].as_array().unwrap().is_empty(),
        "{word}"
    );

    // ETag and 304; gzip on request.
    let (status, headers, body) = get(
        "/v1/stories?limit=5",
        Some(&token),
        &[("accept-encoding", "gzip")],
    );
    assert_eq!(status, 200);
    assert_eq!(headers["content-encoding"], "gzip");
    let mut unzipped = String::new();
    std::io::Read::read_to_string(&mut flate2::read::GzDecoder::new(&body[..]), &mut unzipped)
        .unwrap();
    assert_eq!(
        json(unzipped.as_bytes())["stories"]
            .as_array()
            .unwrap()
            .len(),
        5
    );
    let etag = headers["etag"].to_str().unwrap().to_string();
    let (status, _, body) = get(
        "/v1/stories?limit=5",
        Some(&token),
        &[("if-none-match", &etag)],
    );
    assert_eq!((status, body.len()), (304, 0));

    // One story with its versions and appearances; a missing one is a JSON 404.
    let (status, _, body) = get("/v1/stories/1", Some(&token), &[]);
    assert_eq!(status, 200);
    let v = json(&body);
    assert_eq!(v["story"]["uri"], "urn:wiredesk:story:1");
    assert!(!v["versions"].as_array().unwrap().is_empty());
    assert!(!v["appearances"].as_array().unwrap().is_empty());
    let (status, _, body) = get("/v1/stories/999999", Some(&token), &[]);
    assert_eq!(status, 404);
    assert!(json(&body)["error"].is_string());

    // The change feed: every story entered once as new, in sequence order; paging by `after`.
    let (status, _, body) = get("/v1/changes?after=0&limit=500", Some(&token), &[]);
    assert_eq!(status, 200);
    let v = json(&body);
    let changes = v["changes"].as_array().unwrap();
    let new = changes.iter().filter(|c| c["kind"] == "new").count();
    assert_eq!(new, count(&ws.conn(), "stories") as usize);
    let seqs: Vec<i64> = changes.iter().map(|c| c["seq"].as_i64().unwrap()).collect();
    assert!(seqs.windows(2).all(|w| w[0] < w[1]));
    let (_, _, body) = get(v["next"].as_str().unwrap(), Some(&token), &[]);
    assert!(json(&body)["changes"].as_array().unwrap().is_empty());
    let (_, _, body) = get(&format!("/v1/changes?after={}", seqs[2]), Some(&token), &[]);
    assert_eq!(json(&body)["changes"][0]["seq"].as_i64(), Some(seqs[3]));

    // The feeds parse back.
    for path in ["/v1/feed.atom?limit=4", "/v1/feed.json?limit=4"] {
        let (status, _, body) = get(path, Some(&token), &[]);
        assert_eq!(status, 200, "{path}");
        let feed = feed_rs::parser::parse(&body[..]).unwrap();
        assert_eq!(feed.entries.len(), 4, "{path}");
    }

    // Revoked: 401 from then on.
    assert!(
        ws.cmd(&["tokens", "revoke", "kvia-cms"])
            .output()
            .unwrap()
            .status
            .success()
    );
    assert_eq!(get("/v1/stories", Some(&token), &[]).0, 401);
    let listed = ws.cmd(&["tokens", "list"]).output().unwrap();
    let listed = String::from_utf8(listed.stdout).unwrap();
    assert!(
        listed.contains("kvia-cms") && !listed.contains(&token),
        "{listed}"
    );
}

/// Eight readers — four through the API, four on the SQLite file — run while the daemon
/// ingests every station feed: not one read fails, and every reader sees stories arrive.
#[test]
fn eight_concurrent_readers_beside_the_ingesting_daemon_see_no_errors() {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

    let ws = Workspace::new(crate::common::STATION_FEEDS);
    let token = token(&ws, "reader");
    let server = serve(&ws);
    let mut daemon = Command::new(assert_cmd::cargo::cargo_bin("wiredesk"))
        .arg("--config")
        .arg(ws.config())
        .arg("run")
        .env_remove("WIREDESK_CONFIG")
        .env("WIREDESK_LOG", "warn")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let done = Arc::new(AtomicBool::new(false));
    let errors = Arc::new(std::sync::Mutex::new(Vec::<String>::new()));
    let reads = Arc::new(AtomicUsize::new(0));
    let mut readers = Vec::new();
    for i in 0..4 {
        let (done, errors, reads) = (done.clone(), errors.clone(), reads.clone());
        let (base, token) = (server.base.clone(), token.clone());
        readers.push(std::thread::spawn(move || {
            let rt = tokio::runtime::Runtime::new().unwrap();
            let client = reqwest::Client::new();
            let paths = [
                "/v1/stories?limit=5",
                "/v1/changes?after=0",
                "/v1/feed.json",
                "/v1/stories?q=the",
            ];
            let mut max_seen = 0;
            while !done.load(Ordering::SeqCst) {
                let path = paths[(i + reads.load(Ordering::Relaxed)) % paths.len()];
                let result = rt.block_on(async {
                    let r = client
                        .get(format!("{base}{path}"))
                        .bearer_auth(&token)
                        .send()
                        .await?;
                    let status = r.status();
                    let body = r.text().await?;
                    Ok::<_, reqwest::Error>((status, body))
                });
                match result {
                    Ok((s, body)) if s.is_success() => {
                        if path.starts_with("/v1/changes") {
                            let v: serde_json::Value = serde_json::from_str(&body).unwrap();
                            max_seen = max_seen.max(v["changes"].as_array().unwrap().len());
                        }
                    }
                    Ok((s, body)) => errors.lock().unwrap().push(format!("{path}: {s} {body}")),
                    Err(e) => errors.lock().unwrap().push(format!("{path}: {e}")),
                }
                reads.fetch_add(1, Ordering::Relaxed);
            }
            max_seen
        }));
    }
    for _ in 0..4 {
        let (done, errors, reads) = (done.clone(), errors.clone(), reads.clone());
        let db = ws.db();
        readers.push(std::thread::spawn(move || {
            let conn = rusqlite::Connection::open_with_flags(
                &db,
                rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY,
            )
            .unwrap();
            conn.busy_timeout(Duration::from_secs(5)).unwrap();
            let mut max_seen = 0;
            while !done.load(Ordering::SeqCst) {
                let result = conn
                    .query_row("SELECT count(*) FROM latest_stories", [], |r| {
                        r.get::<_, i64>(0)
                    })
                    .and_then(|n| {
                        conn.query_row("SELECT count(*) FROM story_changes", [], |r| {
                            r.get::<_, i64>(0)
                        })?;
                        conn.query_row(
                            "SELECT count(*) FROM story_search WHERE query MATCH 'the'",
                            [],
                            |r| r.get::<_, i64>(0),
                        )?;
                        Ok(n)
                    });
                match result {
                    Ok(n) => max_seen = max_seen.max(n as usize),
                    Err(e) => errors.lock().unwrap().push(format!("sqlite: {e}")),
                }
                reads.fetch_add(1, Ordering::Relaxed);
            }
            max_seen
        }));
    }
    // Until the daemon has stored the stations' stories.
    let start = Instant::now();
    loop {
        let n = rusqlite::Connection::open(ws.db())
            .and_then(|c| c.query_row("SELECT count(*) FROM stories", [], |r| r.get::<_, i64>(0)))
            .unwrap_or(0);
        if n >= 10 {
            break;
        }
        assert!(
            start.elapsed() < Duration::from_secs(90),
            "the daemon stored {n} stories"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    std::thread::sleep(Duration::from_millis(500));
    done.store(true, Ordering::SeqCst);
    let seen: Vec<usize> = readers.into_iter().map(|r| r.join().unwrap()).collect();
    let _ = daemon.kill();
    let _ = daemon.wait();
    let errors = errors.lock().unwrap();
    assert!(
        errors.is_empty(),
        "{} failed reads: {:?}",
        errors.len(),
        &errors[..errors.len().min(5)]
    );
    assert!(
        reads.load(Ordering::Relaxed) >= 80,
        "{} reads",
        reads.load(Ordering::Relaxed)
    );
    assert!(
        seen.iter().all(|&n| n > 0),
        "every reader saw stories: {seen:?}"
    );
}

/// The change feed over the API carries what revisits find, in order: a new version (a
/// write-through), then a withdrawal (the page answers 410: its only appearance is gone) and a
/// kill (a removal notice in place of the other story).
#[test]
fn the_change_feed_carries_a_version_a_withdrawal_and_a_cancel_in_order() {
    const PAGE: &str = "pages/kvia/council-approves-east-side-street-repairs.html";
    const SEED: &str = "pages/kvia/blinken-austin-asia-trip.html";
    let ws = Workspace::new(&["kvia.rss"]);
    std::fs::copy(
        ws.fixture("versions/brush-fire-quinton-evacuations.v1.html"),
        ws.fixture(PAGE),
    )
    .unwrap();
    assert!(ws.cmd(&["poll"]).output().unwrap().status.success());
    let token = token(&ws, "sync");
    let server = serve(&ws);
    let rt = tokio::runtime::Runtime::new().unwrap();
    let changes = |after: i64| -> Vec<serde_json::Value> {
        rt.block_on(async {
            let text = reqwest::Client::new()
                .get(format!("{}/v1/changes?after={after}", server.base))
                .bearer_auth(&token)
                .send()
                .await
                .unwrap()
                .text()
                .await
                .unwrap();
            let v: serde_json::Value = serde_json::from_str(&text).unwrap();
            v["changes"].as_array().unwrap().clone()
        })
    };
    let first = changes(0);
    assert_eq!(
        first.iter().filter(|c| c["kind"] == "new").count(),
        2,
        "{first:?}"
    );
    let last = first.last().unwrap()["seq"].as_i64().unwrap();

    let revisit = || {
        let out = ws.cmd(&["revisit", "--all"]).output().unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        // Due again at once, for the next step.
        ws.conn()
            .execute(
                "UPDATE appearances SET revisits = 0, next_revisit_at = seen_at",
                [],
            )
            .unwrap();
    };
    std::fs::copy(
        ws.fixture("versions/brush-fire-quinton-evacuations.v2.html"),
        ws.fixture(PAGE),
    )
    .unwrap();
    revisit();
    std::fs::remove_file(ws.fixture(PAGE)).unwrap();
    std::fs::write(ws.fixture(&format!("{PAGE}.410")), "").unwrap();
    revisit();
    std::fs::write(
        ws.fixture(SEED),
        "<!DOCTYPE html><html><head><title>Story removed | KVIA</title></head><body>\
         <main><article><h1>Story removed</h1>\
         <p>This story has been removed. It is no longer available on KVIA.com.</p>\
         </article></main></body></html>",
    )
    .unwrap();
    revisit();

    let later = changes(last);
    let kinds: Vec<(&str, i64)> = later
        .iter()
        .map(|c| (c["kind"].as_str().unwrap(), c["version"].as_i64().unwrap()))
        .collect();
    assert_eq!(
        kinds,
        [("version", 2), ("withheld", 2), ("canceled", 1)],
        "{later:?}"
    );
    let quinton = later[0]["story_id"].clone();
    assert_eq!(
        later[1]["story_id"], quinton,
        "the revised story is the one withdrawn"
    );
    assert_ne!(later[2]["story_id"], quinton);
    assert!(
        later
            .windows(2)
            .all(|w| w[0]["seq"].as_i64() < w[1]["seq"].as_i64())
    );
}
