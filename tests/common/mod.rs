//! Shared test helpers: a fixture server, a temp workspace with a config, the binary, the DB.

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use rusqlite::Connection;
use wiredesk::fixture_server::FixtureServer;

/// The source tree's fixtures folder.
pub fn fixtures() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fixtures")
}

/// The station feeds in fixtures/feeds (each lists pages of one or two templates).
pub const STATION_FEEDS: &[&str] = &[
    "kvia.rss",
    "graytv.atom",
    "nexstar.json",
    "plain.rss",
    "amp-radio.rss",
    "wire-fulltext.rss",
];

/// A temp folder holding a config that points at a fixture server and a store inside it.
pub struct Workspace {
    /// Kept alive for the test's duration.
    pub dir: tempfile::TempDir,
    /// The server (over a copy of fixtures/ that tests may edit).
    pub server: FixtureServer,
}

impl Workspace {
    /// Copies fixtures/ into a temp folder, serves it, writes `wiredesk.toml` listing `feeds`.
    pub fn new(feeds: &[&str]) -> Workspace {
        Self::with_interval(feeds, 300)
    }

    /// Feeds given as paths under fixtures/ (`"syndication/feeds/kvia.rss"`), each named by
    /// its path from fixtures/feeds/.
    pub fn with_feed_paths(paths: &[&str]) -> Workspace {
        let rel: Vec<String> = paths.iter().map(|p| format!("../{p}")).collect();
        let rel: Vec<&str> = rel.iter().map(String::as_str).collect();
        Self::with_interval(&rel, 300)
    }

    /// Same, with a poll interval for every feed.
    pub fn with_interval(feeds: &[&str], interval_secs: u64) -> Workspace {
        let dir = tempfile::tempdir().expect("tempdir");
        copy_dir(&fixtures(), &dir.path().join("fixtures"));
        let server = FixtureServer::start(dir.path().join("fixtures")).expect("fixture server");
        let mut toml = format!(
            "[store]\npath = {:?}\n\n[fetch]\nallow_private = [{:?}]\ntimeout_secs = 10\nper_host_interval_ms = 0\n",
            dir.path().join("wiredesk.db"),
            server.host_port()
        );
        for feed in feeds {
            toml.push_str(&format!(
                "\n[[feeds]]\nname = {feed:?}\nurl = \"{}/feeds/{feed}\"\ninterval_secs = {interval_secs}\n",
                server.base_url()
            ));
        }
        std::fs::write(dir.path().join("wiredesk.toml"), toml).expect("write config");
        Workspace { dir, server }
    }

    /// The config file.
    pub fn config(&self) -> PathBuf {
        self.dir.path().join("wiredesk.toml")
    }

    /// The database file.
    pub fn db(&self) -> PathBuf {
        self.dir.path().join("wiredesk.db")
    }

    /// A file in the served copy of fixtures/.
    pub fn fixture(&self, rel: &str) -> PathBuf {
        self.dir.path().join("fixtures").join(rel)
    }

    /// `wiredesk --config <this config> ARGS`.
    pub fn cmd(&self, args: &[&str]) -> Command {
        let mut cmd = wiredesk();
        cmd.arg("--config").arg(self.config()).args(args);
        cmd
    }

    /// Opens the database.
    pub fn conn(&self) -> Connection {
        Connection::open(self.db()).expect("open db")
    }
}

/// The binary under test, isolated from the caller's environment.
pub fn wiredesk() -> Command {
    let mut cmd = Command::cargo_bin("wiredesk").expect("binary");
    cmd.env_remove("WIREDESK_CONFIG")
        .env("WIREDESK_LOG", "warn")
        .timeout(std::time::Duration::from_secs(120));
    cmd
}

/// `SELECT COUNT(*) FROM table`.
pub fn count(conn: &Connection, table: &str) -> i64 {
    conn.query_row(&format!("SELECT COUNT(*) FROM {table}"), [], |r| r.get(0))
        .expect("count")
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("mkdir");
    for entry in std::fs::read_dir(from).expect("read_dir") {
        let entry = entry.expect("entry");
        let target = to.join(entry.file_name());
        if entry.file_type().expect("type").is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).expect("copy");
        }
    }
}

/// The seed story's headline, as every station template prints it.
pub const SEED_HEADLINE: &str =
    "Blinken and Austin will travel to Japan and South Korea later this month";

/// Chrome strings of the seed page that must never reach a body.
pub const SEED_CHROME: &[&str] = &[
    "Skip to Content",
    "Article Topic Follows",
    "Jump to comments",
    "BE PART OF THE CONVERSATION",
    "Author Profile Photo",
    "Community Guidelines",
    "committed to providing a forum",
    "share a story idea",
];

/// The seed story's body paragraphs.
pub fn seed_paragraphs() -> Vec<String> {
    let expected: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(
            fixtures().join("pages/kvia/blinken-austin-asia-trip.expected.json"),
        )
        .unwrap(),
    )
    .unwrap();
    expected["body_paragraphs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p.as_str().unwrap().to_string())
        .collect()
}

/// `wiredesk serve` on a free loopback port, killed when dropped.
pub struct Server {
    child: std::process::Child,
    /// `http://127.0.0.1:PORT`.
    pub base: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts `wiredesk serve` over the workspace's store and waits until it listens.
pub fn serve(ws: &Workspace) -> Server {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let addr = format!("127.0.0.1:{port}");
    let child = std::process::Command::new(assert_cmd::cargo::cargo_bin("wiredesk"))
        .arg("--config")
        .arg(ws.config())
        .args(["serve", "--listen", &addr])
        .env_remove("WIREDESK_CONFIG")
        .env("WIREDESK_LOG", "warn")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let start = std::time::Instant::now();
    while std::net::TcpStream::connect(&addr).is_err() {
        assert!(
            start.elapsed() < std::time::Duration::from_secs(30),
            "serve did not listen"
        );
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    Server {
        child,
        base: format!("http://{addr}"),
    }
}

/// `wiredesk tokens create NAME`: the new token.
pub fn token(ws: &Workspace, name: &str) -> String {
    let out = ws.cmd(&["tokens", "create", name]).output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    text.split_whitespace().last().unwrap().to_string()
}
