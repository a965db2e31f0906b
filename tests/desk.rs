//! The wire desk (`wiredesk serve`'s HTML pages) over a store filled from the fixtures through
//! the real binary: a story revised to version 2 by a revisit, and one broken feed. Read with
//! an HTTP client (statuses, content types, login cookie, live events), then in a real
//! headless Chromium through chromedriver (see `browser`).

use std::sync::OnceLock;
use std::time::{Duration, Instant};

use crate::common::{Server, Workspace, serve, token};

const PAGE: &str = "pages/kvia/council-approves-east-side-street-repairs.html";

/// A store with the kvia and graytv stories, one of them at version 2, and a feed that
/// answers 404 (its error is on `/feeds`); returns the workspace, a token and the id and
/// version-2 headline of the revised story.
fn desk_store() -> (Workspace, String, i64, String) {
    let ws = Workspace::new(&["kvia.rss", "graytv.atom", "missing.rss"]);
    std::fs::copy(
        ws.fixture("versions/brush-fire-quinton-evacuations.v1.html"),
        ws.fixture(PAGE),
    )
    .unwrap();
    let out = ws.cmd(&["poll"]).output().unwrap();
    assert_eq!(
        out.status.code(),
        Some(1),
        "the missing feed fails the poll: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    std::fs::copy(
        ws.fixture("versions/brush-fire-quinton-evacuations.v2.html"),
        ws.fixture(PAGE),
    )
    .unwrap();
    let out = ws.cmd(&["revisit", "--all"]).output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let (id, headline): (i64, String) = ws
        .conn()
        .query_row(
            "SELECT id, headline FROM stories WHERE version = 2",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .expect("the revisit made a version 2");
    let token = token(&ws, "desk");
    (ws, token, id, headline)
}

struct Answer {
    status: u16,
    headers: reqwest::header::HeaderMap,
    body: String,
}

fn rt() -> &'static tokio::runtime::Runtime {
    static RT: OnceLock<tokio::runtime::Runtime> = OnceLock::new();
    RT.get_or_init(|| tokio::runtime::Runtime::new().unwrap())
}

fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

fn get(server: &Server, path: &str, cookie: Option<&str>) -> Answer {
    let mut req = client().get(format!("{}{path}", server.base));
    if let Some(c) = cookie {
        req = req.header("cookie", c);
    }
    answer(req)
}

fn answer(req: reqwest::RequestBuilder) -> Answer {
    rt().block_on(async {
        let r = req.send().await.unwrap();
        Answer {
            status: r.status().as_u16(),
            headers: r.headers().clone(),
            body: r.text().await.unwrap(),
        }
    })
}

fn login(server: &Server, token: &str) -> Answer {
    answer(
        client()
            .post(format!("{}/login", server.base))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(
                url::form_urlencoded::Serializer::new(String::new())
                    .append_pair("token", token)
                    .append_pair("next", "/feeds")
                    .finish(),
            ),
    )
}

/// A page that loads nothing from elsewhere: one stylesheet of ours, no scripts or images
/// from any URL.
fn assert_self_contained(page: &str, html: &str) {
    for needle in [" src=", "<img", "@import", "url("] {
        assert!(!html.contains(needle), "{page}: {needle:?} in the page");
    }
    let links: Vec<&str> = html
        .match_indices("<link ")
        .map(|(i, _)| &html[i..])
        .collect();
    assert!(
        links
            .iter()
            .all(|l| l.starts_with("<link rel=\"stylesheet\" href=\"/desk.css\"")),
        "{page}: a link to something else"
    );
}

#[test]
fn the_desk_pages_answer_html_check_tokens_and_never_500() {
    let (ws, token, revised, headline) = desk_store();
    let server = serve(&ws);

    // Without a token: the login page (401, HTML), and the API still answers JSON.
    let a = get(&server, "/", None);
    assert_eq!(a.status, 401);
    assert!(
        a.headers["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/html")
    );
    assert!(a.body.contains("action=\"/login\""), "{}", a.body);
    assert!(!a.body.contains("unknown"), "no token sent, no complaint");
    let a = get(&server, "/v1/stories", None);
    assert_eq!(a.status, 401);
    assert!(a.body.starts_with("{\"error\""), "{}", a.body);
    assert_eq!(get(&server, "/desk.css", None).status, 200);

    // A bad token is refused with a message; a good one sets the cookie and goes on.
    let a = login(&server, "not-a-token");
    assert_eq!(a.status, 401);
    assert!(a.body.contains("unknown or has been revoked"), "{}", a.body);
    let a = login(&server, &token);
    assert_eq!(a.status, 303, "{}", a.body);
    assert_eq!(a.headers["location"], "/feeds");
    let set = a.headers["set-cookie"].to_str().unwrap().to_string();
    assert!(
        set.contains("HttpOnly") && set.contains("SameSite=Strict"),
        "{set}"
    );
    let cookie = set.split(';').next().unwrap().to_string();
    let bad_cookie = "wiredesk_token=revoked-or-never";
    let a = get(&server, "/feeds", Some(bad_cookie));
    assert_eq!(a.status, 401);
    assert!(a.body.contains("unknown or has been revoked"), "{}", a.body);
    // The cookie opens the desk, not the API (which wants its bearer header).
    assert_eq!(get(&server, "/v1/stories", Some(&cookie)).status, 401);

    // The pages.
    let c = Some(cookie.as_str());
    let a = get(&server, "/", c);
    assert_eq!(a.status, 200, "{}", a.body);
    assert!(
        a.headers["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/html")
    );
    assert!(a.body.contains(&format!("href=\"/stories/{revised}\"")));
    assert!(a.body.contains(">updated</span>"), "the version-2 badge");
    assert!(a.body.contains("<noscript><meta http-equiv=\"refresh\""));
    assert!(a.body.contains("new EventSource("));
    assert_self_contained("/", &a.body);

    // The quick time links keep the other filters and give a window that holds the stories.
    let a = get(&server, "/?credit=CNN+Newsource", c);
    let quick = a
        .body
        .split("aria-label=\"Time\"")
        .nth(1)
        .and_then(|s| s.split("href=\"").nth(3))
        .and_then(|s| s.split('"').next())
        .unwrap()
        .replace("&amp;", "&");
    assert!(quick.contains("credit=CNN+Newsource&since="), "{quick}");
    let a = get(&server, &quick, c);
    assert_eq!(a.status, 200, "{quick}: {}", a.body);
    assert!(a.body.contains("Blinken"), "{quick}");
    let a = get(&server, "/?q=Quinton&limit=1000", c);
    assert_eq!(a.status, 200);
    assert!(a.body.contains(&format!("href=\"/stories/{revised}\"")));
    let a = get(&server, "/?q=%22unbalanced", c);
    assert_eq!(a.status, 400, "a bad query is the reader's, not a 500");
    assert!(a.body.contains("could not run"), "{}", a.body);
    assert!(a.body.contains("“&quot;unbalanced”"), "{}", a.body);
    for (path, says) in [
        ("/?limit=5000", "1 to 1000"),
        ("/?status=gone", "not usable, withheld or canceled"),
        ("/?since=yesterday", "since:"),
        ("/?cursor=zz", "cursor"),
    ] {
        let a = get(&server, path, c);
        assert_eq!(a.status, 400, "{path}");
        assert!(a.body.contains(says), "{path}: {}", a.body);
    }

    let a = get(&server, &format!("/stories/{revised}"), c);
    assert_eq!(a.status, 200);
    assert!(a.body.contains("Version 2"), "{}", a.body);
    assert!(a.body.contains("<ins>") || a.body.contains("class=\"added\""));
    assert!(a.body.contains(&maud_escape(&headline)));
    assert!(a.body.contains("Appearances (1)"));
    assert_self_contained("/stories/ID", &a.body);
    for path in ["/stories/999999", "/stories/abc", "/no/such/page"] {
        let a = get(&server, path, c);
        assert_eq!(a.status, 404, "{path}");
        assert!(
            a.headers["content-type"]
                .to_str()
                .unwrap()
                .starts_with("text/html")
        );
        assert!(a.body.contains("Not Found"), "{path}: {}", a.body);
    }

    let a = get(&server, "/feeds", c);
    assert_eq!(a.status, 200);
    assert!(
        a.body.contains("missing.rss") && a.body.contains("404"),
        "{}",
        a.body
    );
    assert!(a.body.contains("<svg"), "the items chart");
    assert!(a.body.contains(">failing</span>"));
    assert_self_contained("/feeds", &a.body);

    // Live: the change feed as server-sent events, from the sequence asked for.
    let got = rt().block_on(async {
        let mut r = client()
            .get(format!("{}/events?after=0", server.base))
            .header("cookie", &cookie)
            .timeout(Duration::from_secs(20))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200);
        assert_eq!(r.headers()["content-type"], "text/event-stream");
        let mut got = String::new();
        let started = Instant::now();
        while !got.contains("\n\n") && started.elapsed() < Duration::from_secs(15) {
            match r.chunk().await.unwrap() {
                Some(bytes) => got.push_str(&String::from_utf8_lossy(&bytes)),
                None => break,
            }
        }
        got
    });
    assert!(
        got.contains("id: ") && got.contains("\"kind\":\"version\""),
        "{got}"
    );

    // Logging out clears the cookie.
    let a = answer(
        client()
            .post(format!("{}/logout", server.base))
            .header("cookie", &cookie),
    );
    assert_eq!(a.status, 303);
    assert!(
        a.headers["set-cookie"]
            .to_str()
            .unwrap()
            .contains("Max-Age=0")
    );

    // `[api] public = true` opens the desk without a token.
    drop(server);
    let mut toml = std::fs::read_to_string(ws.config()).unwrap();
    toml.push_str("\n[api]\npublic = true\n");
    std::fs::write(ws.config(), toml).unwrap();
    let server = serve(&ws);
    assert_eq!(get(&server, "/", None).status, 200);
    assert_eq!(get(&server, "/feeds", None).status, 200);
}

/// Text as maud escapes it.
fn maud_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

mod browser {
    //! The desk in a real headless Chromium, driven through chromedriver (WebDriver). Needs
    //! Debian's `chromium` and `chromium-driver`; without them the test prints SKIP and passes,
    //! unless `WIREDESK_BROWSER_TESTS=required` (as `.ci/run` sets), when it fails.

    use std::path::PathBuf;
    use std::process::{Child, Command, Stdio};
    use std::time::{Duration, Instant};

    use fantoccini::key::Key;
    use fantoccini::{Client, ClientBuilder, Locator};

    use super::desk_store;
    use crate::common::serve;

    struct Driver(Child);

    impl Drop for Driver {
        fn drop(&mut self) {
            let _ = self.0.kill();
            let _ = self.0.wait();
        }
    }

    fn find_program(names: &[&str]) -> Option<PathBuf> {
        let path = std::env::var_os("PATH")?;
        names.iter().find_map(|n| {
            std::env::split_paths(&path)
                .map(|d| d.join(n))
                .find(|p| p.is_file())
        })
    }

    /// Where the screenshots go: `desk-screenshots/` in the target directory.
    fn screenshot_dir() -> PathBuf {
        // The test binary is TARGET/debug/deps/tests-HASH.
        let exe = std::env::current_exe().unwrap();
        let target = exe.ancestors().nth(3).unwrap().to_path_buf();
        let dir = target.join("desk-screenshots");
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    async fn shot(c: &Client, name: &str) {
        let png = c.screenshot().await.unwrap();
        assert!(
            png.len() > 1000 && png.starts_with(b"\x89PNG\r\n\x1a\n"),
            "{name}: not a PNG ({} bytes)",
            png.len()
        );
        let path = screenshot_dir().join(name);
        std::fs::write(&path, &png).unwrap();
        eprintln!("screenshot: {}", path.display());
    }

    async fn wait_for_text(c: &Client, text: &str) -> String {
        let started = Instant::now();
        loop {
            let src = c.source().await.unwrap();
            if src.contains(text) {
                return src;
            }
            assert!(
                started.elapsed() < Duration::from_secs(15),
                "{text:?} never appeared: {src}"
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    async fn active(c: &Client) -> (Option<String>, Option<String>) {
        let e = c.active_element().await.unwrap();
        (e.attr("id").await.unwrap(), e.attr("href").await.unwrap())
    }

    #[test]
    fn the_desk_in_a_real_browser() {
        let required = std::env::var("WIREDESK_BROWSER_TESTS").as_deref() == Ok("required");
        let chromium = find_program(&["chromium", "chromium-browser", "google-chrome"]);
        let driver = find_program(&["chromedriver"]);
        let (Some(chromium), Some(driver)) = (chromium, driver) else {
            assert!(
                !required,
                "WIREDESK_BROWSER_TESTS=required but chromium or chromedriver is not on PATH"
            );
            eprintln!(
                "SKIP the_desk_in_a_real_browser: chromium and chromedriver are not installed \
                 (apt-get install chromium chromium-driver; .ci/run does)"
            );
            return;
        };
        let (ws, token, revised, headline) = desk_store();
        let server = serve(&ws);
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let _driver = Driver(
            Command::new(&driver)
                .arg(format!("--port={port}"))
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .unwrap(),
        );
        let profile = tempfile::tempdir().unwrap();
        let rt = tokio::runtime::Runtime::new().unwrap();
        rt.block_on(async {
            let mut caps = serde_json::Map::new();
            caps.insert(
                "goog:chromeOptions".into(),
                serde_json::json!({
                    "binary": chromium,
                    "args": [
                        "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                        "--no-first-run", "--disable-background-networking",
                        "--disable-component-update", "--disable-sync",
                        "--disable-dev-shm-usage", "--window-size=1280,900",
                        format!("--user-data-dir={}", profile.path().display()),
                    ],
                }),
            );
            let webdriver = format!("http://127.0.0.1:{port}");
            let started = Instant::now();
            let c = loop {
                let connector = hyper_util::client::legacy::connect::HttpConnector::new();
                match ClientBuilder::new(connector)
                    .capabilities(caps.clone())
                    .connect(&webdriver)
                    .await
                {
                    Ok(c) => break c,
                    Err(e) => {
                        assert!(
                            started.elapsed() < Duration::from_secs(30),
                            "chromedriver: {e}"
                        );
                        tokio::time::sleep(Duration::from_millis(200)).await;
                    }
                }
            };
            let base = &server.base;

            // No token: the login page; a wrong token is refused with a message.
            c.goto(&format!("{base}/")).await.unwrap();
            wait_for_text(&c, "action=\"/login\"").await;
            shot(&c, "login.png").await;
            let field = c.find(Locator::Id("token")).await.unwrap();
            field.send_keys("wrong-token").await.unwrap();
            field
                .send_keys(&char::from(Key::Enter).to_string())
                .await
                .unwrap();
            wait_for_text(&c, "unknown or has been revoked").await;
            shot(&c, "login-refused.png").await;

            // The right token: the wire.
            let field = c.find(Locator::Id("token")).await.unwrap();
            field.send_keys(&token).await.unwrap();
            field
                .send_keys(&char::from(Key::Enter).to_string())
                .await
                .unwrap();
            wait_for_text(&c, "id=\"wire\"").await;
            assert_eq!(c.current_url().await.unwrap().path(), "/");
            shot(&c, "wire.png").await;

            // Live: stories stored while the page is open appear in it without a reload.
            let before = c
                .find_all(Locator::Css("#wire tbody tr"))
                .await
                .unwrap()
                .len();
            c.execute("window.stillHere = true", vec![]).await.unwrap();
            let mut toml = std::fs::read_to_string(ws.config()).unwrap();
            toml.push_str(&format!(
                "\n[[feeds]]\nname = \"plain.rss\"\nurl = \"{}/feeds/plain.rss\"\n",
                ws.server.base_url()
            ));
            std::fs::write(ws.config(), toml).unwrap();
            ws.cmd(&["poll"]).output().unwrap();
            let started = Instant::now();
            loop {
                let live = c.find(Locator::Id("live")).await.unwrap();
                if live.text().await.unwrap().starts_with("Updated at") {
                    break;
                }
                assert!(
                    started.elapsed() < Duration::from_secs(15),
                    "the open page never updated"
                );
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
            let after = c
                .find_all(Locator::Css("#wire tbody tr"))
                .await
                .unwrap()
                .len();
            assert!(after > before, "{before} rows, then {after}");
            assert_eq!(
                c.execute("return window.stillHere === true", vec![])
                    .await
                    .unwrap(),
                serde_json::json!(true),
                "the list was swapped in, the page not reloaded"
            );

            // Search by typing and Enter; then Tab from the search box reaches the next
            // filter, and further Tabs the first story link, which Enter opens.
            let q = c.find(Locator::Id("q")).await.unwrap();
            q.click().await.unwrap();
            q.send_keys("Quinton").await.unwrap();
            q.send_keys(&char::from(Key::Enter).to_string())
                .await
                .unwrap();
            wait_for_text(&c, "value=\"Quinton\"").await;
            let rows = c.find_all(Locator::Css("#wire tbody a")).await.unwrap();
            assert_eq!(rows.len(), 1, "one story mentions Quinton");
            shot(&c, "search.png").await;
            let q = c.find(Locator::Id("q")).await.unwrap();
            q.click().await.unwrap();
            let tab = char::from(Key::Tab).to_string();
            c.active_element()
                .await
                .unwrap()
                .send_keys(&tab)
                .await
                .unwrap();
            assert_eq!(
                active(&c).await.0.as_deref(),
                Some("credit"),
                "Tab from search"
            );
            let mut reached = None;
            for _ in 0..20 {
                c.active_element()
                    .await
                    .unwrap()
                    .send_keys(&tab)
                    .await
                    .unwrap();
                if let (_, Some(href)) = active(&c).await
                    && href.starts_with("/stories/")
                {
                    reached = Some(href);
                    break;
                }
            }
            assert_eq!(
                reached,
                Some(format!("/stories/{revised}")),
                "a story link by Tab"
            );
            c.active_element()
                .await
                .unwrap()
                .send_keys(&char::from(Key::Enter).to_string())
                .await
                .unwrap();
            wait_for_text(&c, "id=\"versions-h\"").await;
            assert_eq!(
                c.current_url().await.unwrap().path(),
                format!("/stories/{revised}")
            );

            // A bad full-text query: the message, on the page.
            c.goto(&format!("{base}/?q=%22unbalanced")).await.unwrap();
            let src = wait_for_text(&c, "could not run").await;
            assert!(src.contains("role=\"alert\""));
            shot(&c, "search-error.png").await;

            // Open the revised story from the list by clicking; see its version diff.
            c.goto(&format!("{base}/")).await.unwrap();
            let link = c
                .find(Locator::Css(&format!("#wire a[href='/stories/{revised}']")))
                .await
                .unwrap();
            assert_eq!(link.text().await.unwrap(), headline);
            link.click().await.unwrap();
            wait_for_text(&c, "id=\"versions-h\"").await;
            let diff = c
                .find(Locator::Css("details.version[open] .diff"))
                .await
                .unwrap();
            let marked = diff
                .find_all(Locator::Css(
                    "p.added, p.removed, p.changed, .headline-change",
                ))
                .await
                .unwrap();
            assert!(!marked.is_empty(), "the diff marks what changed");
            assert!(diff.text().await.unwrap().contains("against version 1"));
            shot(&c, "story.png").await;
            c.execute(
                "document.getElementById('versions').scrollIntoView()",
                vec![],
            )
            .await
            .unwrap();
            shot(&c, "story-diff.png").await;

            // The broken feed's error on /feeds.
            c.goto(&format!("{base}/feeds")).await.unwrap();
            wait_for_text(&c, "id=\"feeds\"").await;
            let failing = c.find(Locator::Css("#feeds tr.failing")).await.unwrap();
            let text = failing.text().await.unwrap();
            assert!(
                text.contains("missing.rss") && text.contains("404"),
                "{text}"
            );
            shot(&c, "feeds.png").await;

            // Log out: the desk asks for the token again.
            c.find(Locator::Css("form.logout button"))
                .await
                .unwrap()
                .click()
                .await
                .unwrap();
            wait_for_text(&c, "action=\"/login\"").await;
            c.goto(&format!("{base}/feeds")).await.unwrap();
            wait_for_text(&c, "action=\"/login\"").await;
            c.close().await.unwrap();
        });
    }
}
