//! A static HTTP server over a folder (normally `fixtures/`) on 127.0.0.1, for `wiredesk demo`
//! and the tests.
//!
//! Files are served as written, except that the placeholder `{{BASE}}` becomes the server's
//! base URL (`http://127.0.0.1:PORT`), so feeds can link to pages on a port chosen at run time.
//! Responses carry an `ETag` and `Last-Modified` and honour `If-None-Match` /
//! `If-Modified-Since` with a 304, like a real feed host. A missing file answers 404, or 410 Gone
//! when a marker `NAME.410` stands in its place (a page taken down for good). Every request is
//! logged in memory so a test can see what was asked for and what was answered.

use std::net::SocketAddr;
use std::path::{Component, Path, PathBuf};
use std::sync::{Arc, Mutex};

use axum::Router;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};

/// The placeholder replaced by the server's base URL in every served file.
pub const BASE_PLACEHOLDER: &str = "{{BASE}}";

/// One request as the server saw it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hit {
    /// The request path.
    pub path: String,
    /// The status answered.
    pub status: u16,
}

#[derive(Debug)]
struct Shared {
    root: PathBuf,
    base: String,
    hits: Mutex<Vec<Hit>>,
}

/// A running fixture server; it stops when dropped.
#[derive(Debug)]
pub struct FixtureServer {
    addr: SocketAddr,
    shared: Arc<Shared>,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl FixtureServer {
    /// Serves `root` on a free port of 127.0.0.1, from a thread of its own.
    pub fn start(root: impl Into<PathBuf>) -> std::io::Result<FixtureServer> {
        Self::start_on(root.into(), 0)
    }

    /// Serves on `port` if it is free, else on any free port.
    pub fn start_preferring(root: impl Into<PathBuf>, port: u16) -> std::io::Result<FixtureServer> {
        let root = root.into();
        Self::start_on(root.clone(), port).or_else(|_| Self::start_on(root, 0))
    }

    fn start_on(root: PathBuf, port: u16) -> std::io::Result<FixtureServer> {
        if !root.is_dir() {
            return Err(std::io::Error::new(
                std::io::ErrorKind::NotFound,
                format!("fixture folder {} does not exist", root.display()),
            ));
        }
        let listener = std::net::TcpListener::bind(("127.0.0.1", port))?;
        listener.set_nonblocking(true)?;
        let addr = listener.local_addr()?;
        let shared = Arc::new(Shared {
            root,
            base: format!("http://{addr}"),
            hits: Mutex::new(Vec::new()),
        });
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let state = shared.clone();
        let thread = std::thread::Builder::new()
            .name("fixture-server".into())
            .spawn(move || {
                let rt = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                    .expect("fixture server runtime");
                rt.block_on(async move {
                    let listener =
                        tokio::net::TcpListener::from_std(listener).expect("fixture listener");
                    let app = Router::new().fallback(serve_file).with_state(state);
                    let _ = axum::serve(listener, app)
                        .with_graceful_shutdown(async {
                            let _ = stopped.await;
                        })
                        .await;
                });
            })?;
        Ok(FixtureServer {
            addr,
            shared,
            stop: Some(stop),
            thread: Some(thread),
        })
    }

    /// `http://127.0.0.1:PORT`, without a trailing slash.
    pub fn base_url(&self) -> &str {
        &self.shared.base
    }

    /// The bound address.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `host:port` as `[fetch] allow_private` wants it.
    pub fn host_port(&self) -> String {
        self.addr.to_string()
    }

    /// Every request so far, in order.
    pub fn hits(&self) -> Vec<Hit> {
        self.shared.hits.lock().expect("hits lock").clone()
    }

    /// Forgets the requests seen so far.
    pub fn clear_hits(&self) {
        self.shared.hits.lock().expect("hits lock").clear();
    }
}

impl Drop for FixtureServer {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// Whether a `.410` marker stands for the file at `path`.
fn gone(root: &Path, path: &str) -> bool {
    resolve(root, &format!("{path}.410")).is_some()
}

async fn serve_file(State(shared): State<Arc<Shared>>, uri: Uri, headers: HeaderMap) -> Response {
    let path = uri.path().to_string();
    let response = match resolve(&shared.root, &path) {
        Some(file) => match tokio::fs::read(&file).await {
            Ok(bytes) => respond(&shared.base, &file, bytes, &headers).await,
            Err(_) => StatusCode::NOT_FOUND.into_response(),
        },
        None if gone(&shared.root, &path) => StatusCode::GONE.into_response(),
        None => StatusCode::NOT_FOUND.into_response(),
    };
    shared.hits.lock().expect("hits lock").push(Hit {
        path,
        status: response.status().as_u16(),
    });
    response
}

/// Maps a request path to a file under `root`, refusing anything that climbs out of it.
fn resolve(root: &Path, request_path: &str) -> Option<PathBuf> {
    let rel = Path::new(request_path.trim_start_matches('/'));
    if rel.components().any(|c| !matches!(c, Component::Normal(_))) {
        return None;
    }
    let file = root.join(rel);
    file.is_file().then_some(file)
}

async fn respond(base: &str, file: &Path, bytes: Vec<u8>, headers: &HeaderMap) -> Response {
    let bytes = substitute(bytes, base);
    let etag = format!("\"{}\"", &blake3::hash(&bytes).to_hex()[..20]);
    let modified = tokio::fs::metadata(file)
        .await
        .and_then(|m| m.modified())
        .ok()
        .map(|t| {
            chrono::DateTime::<chrono::Utc>::from(t)
                .format("%a, %d %b %Y %H:%M:%S GMT")
                .to_string()
        });
    let not_modified = match headers.get(header::IF_NONE_MATCH) {
        Some(inm) => inm
            .to_str()
            .is_ok_and(|v| v.split(',').any(|t| t.trim() == etag)),
        None => match (&modified, headers.get(header::IF_MODIFIED_SINCE)) {
            (Some(m), Some(ims)) => ims.to_str().is_ok_and(|v| v == m),
            _ => false,
        },
    };
    let mut out = if not_modified {
        StatusCode::NOT_MODIFIED.into_response()
    } else {
        let mut r = bytes.into_response();
        r.headers_mut().insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static(content_type(file)),
        );
        r
    };
    let h = out.headers_mut();
    h.insert(
        header::ETAG,
        HeaderValue::from_str(&etag).expect("etag is ascii"),
    );
    if let Some(m) = modified.and_then(|m| HeaderValue::from_str(&m).ok()) {
        h.insert(header::LAST_MODIFIED, m);
    }
    out
}

fn substitute(bytes: Vec<u8>, base: &str) -> Vec<u8> {
    match String::from_utf8(bytes) {
        Ok(text) if text.contains(BASE_PLACEHOLDER) => {
            text.replace(BASE_PLACEHOLDER, base).into_bytes()
        }
        Ok(text) => text.into_bytes(),
        Err(e) => e.into_bytes(),
    }
}

fn content_type(file: &Path) -> &'static str {
    let name = file.file_name().and_then(|n| n.to_str()).unwrap_or("");
    let ext = name.rsplit('.').next().unwrap_or("");
    match ext {
        "html" | "htm" => "text/html; charset=utf-8",
        "rss" => "application/rss+xml",
        "atom" => "application/atom+xml",
        "rdf" => "application/rdf+xml",
        "xml" => "application/xml",
        "json" => "application/feed+json",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolve_refuses_parent_components() {
        let root = Path::new("/tmp");
        assert_eq!(resolve(root, "/../etc/passwd"), None);
        assert_eq!(resolve(root, "/a/../../etc/passwd"), None);
    }

    #[test]
    fn placeholder_becomes_base() {
        let out = substitute(
            b"<link>{{BASE}}/pages/a.html</link>".to_vec(),
            "http://127.0.0.1:9",
        );
        assert_eq!(out, b"<link>http://127.0.0.1:9/pages/a.html</link>");
    }

    #[test]
    fn content_types_follow_extension() {
        assert_eq!(content_type(Path::new("x.rss")), "application/rss+xml");
        assert_eq!(
            content_type(Path::new("x.html")),
            "text/html; charset=utf-8"
        );
        assert_eq!(content_type(Path::new("x.json")), "application/feed+json");
    }
}
