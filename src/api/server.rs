//! `wiredesk serve`: the affiliates' read API over the store, beside the daemon.
//!
//! Every request reads through a read-only SQLite connection (WAL: readers never block the
//! daemon's writer, and see only committed stories). Listings page by a keyset cursor, so a
//! page never shifts while the daemon writes. Every 200 carries an `ETag` (a hash of the body)
//! and honours `If-None-Match`; bodies are gzipped for clients that accept it; errors are JSON
//! with a message. Unless `[api] public = true`, a request needs `Authorization: Bearer TOKEN`
//! with a live token (`wiredesk tokens`). One log line per request: method, path, status,
//! milliseconds, token name.
//!
//! The same router serves the wire desk's HTML pages outside `/v1/` ([`super::desk`]): the
//! same token check, with the token from the desk's login cookie, HTML errors instead of JSON,
//! and no ETag buffering for its event stream.

use std::io::Write as _;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Instant;

use anyhow::Context as _;
use axum::Router;
use axum::extract::{Path, Query, Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use chrono::Utc;
use serde::Deserialize;
use serde_json::{Value, json};
use tokio_util::sync::CancellationToken;

use crate::store::{PageKey, Store, StoreError, StoryFilter, StoryQuery, StoryRow};

/// Stories per page when `limit` is not given.
pub const DEFAULT_LIMIT: usize = 50;
/// The most stories one page holds.
pub const MAX_LIMIT: usize = 500;
/// Bodies shorter than this are sent uncompressed (gzip would not pay).
const GZIP_FROM: usize = 1024;

/// Read-only connections, reused across requests.
#[derive(Clone)]
pub(crate) struct Readers {
    db: PathBuf,
    idle: Arc<Mutex<Vec<Store>>>,
}

impl Readers {
    /// Runs `f` on a read connection, on a blocking thread.
    pub(crate) async fn with<T: Send + 'static>(
        &self,
        f: impl FnOnce(&Store) -> Result<T, ApiError> + Send + 'static,
    ) -> Result<T, ApiError> {
        let readers = self.clone();
        tokio::task::spawn_blocking(move || {
            let taken = readers.idle.lock().unwrap_or_else(|e| e.into_inner()).pop();
            let store = match taken {
                Some(s) => s,
                None => Store::open_read_only(&readers.db).map_err(ApiError::store)?,
            };
            let result = f(&store);
            let mut idle = readers.idle.lock().unwrap_or_else(|e| e.into_inner());
            if idle.len() < 16 {
                idle.push(store);
            }
            result
        })
        .await
        .map_err(|e| ApiError::internal(format!("request task failed: {e}")))?
    }
}

/// What every handler shares: the read connections, whether reads need a token, and the
/// server's shutdown (live streams end on it, so a graceful stop does not wait on them).
#[derive(Clone)]
pub(crate) struct Served {
    pub(crate) readers: Readers,
    pub(crate) public: bool,
    pub(crate) shutdown: CancellationToken,
}

/// An error answer: a status and a message, sent as `{"error": message}`.
#[derive(Debug)]
pub struct ApiError {
    pub(crate) status: StatusCode,
    pub(crate) message: String,
}

impl ApiError {
    pub(crate) fn new(status: StatusCode, message: impl Into<String>) -> Self {
        ApiError {
            status,
            message: message.into(),
        }
    }

    pub(crate) fn bad_request(message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, message)
    }

    fn internal(message: impl Into<String>) -> Self {
        Self::new(StatusCode::INTERNAL_SERVER_ERROR, message)
    }

    /// A store error: a bad search is the client's (400), anything else ours (500, logged).
    pub(crate) fn store(e: StoreError) -> Self {
        match e {
            StoreError::Search { .. } => Self::bad_request(e.to_string()),
            other => {
                tracing::error!(error = %other, "Store read failed.");
                Self::internal("the store could not be read")
            }
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        (
            self.status,
            [(header::CONTENT_TYPE, "application/json")],
            json!({ "error": self.message }).to_string(),
        )
            .into_response()
    }
}

/// The routes over the store at `db`: the API under `/v1/` and the desk's pages (see
/// [`super::desk`]); live streams end when `shutdown` is cancelled.
pub fn router(db: PathBuf, public: bool, shutdown: CancellationToken) -> Router {
    let state = Served {
        readers: Readers {
            db,
            idle: Arc::default(),
        },
        public,
        shutdown,
    };
    Router::new()
        .route("/v1/stories", get(stories))
        .route("/v1/stories/{id}", get(story))
        .route("/v1/changes", get(changes))
        .route("/v1/feed.atom", get(feed_atom))
        .route("/v1/feed.json", get(feed_json))
        .merge(super::desk::routes())
        .fallback(|uri: axum::http::Uri| async move {
            if is_api(uri.path()) {
                ApiError::new(StatusCode::NOT_FOUND, "no such resource").into_response()
            } else {
                super::desk::not_found("There is no such page.")
            }
        })
        .layer(middleware::from_fn(finish))
        .layer(middleware::from_fn_with_state(state.clone(), authorise))
        .with_state(state)
}

/// Binds `addr` (a taken port fails naming it) and serves until `cancel`.
pub async fn serve(
    addr: SocketAddr,
    db: PathBuf,
    public: bool,
    cancel: CancellationToken,
) -> anyhow::Result<()> {
    // Fail at start, not at the first request, when the store cannot be read.
    Store::open_read_only(&db).with_context(|| format!("cannot open store {}", db.display()))?;
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .with_context(|| format!("[api] listen: cannot listen on {addr}"))?;
    tracing::info!(addr = %listener.local_addr()?, public, "Serving the read API.");
    let stop = cancel.clone();
    axum::serve(listener, router(db, public, cancel))
        .with_graceful_shutdown(async move { stop.cancelled().await })
        .await
        .context("the read API stopped")
}

/// True for the API's paths (JSON answers), false for the desk's (HTML pages).
fn is_api(path: &str) -> bool {
    path == "/v1" || path.starts_with("/v1/")
}

/// Checks the token (unless the API is public), then logs the request's line. The API takes
/// it from `Authorization: Bearer` and refuses with JSON; the desk takes it from its login
/// cookie (or the header) and answers with the login page, except for the login form itself
/// and the stylesheet.
async fn authorise(State(s): State<Served>, req: Request, next: Next) -> Response {
    let started = Instant::now();
    let (method, path) = (req.method().clone(), req.uri().path().to_string());
    let api = is_api(&path);
    let caller = if s.public || (!api && super::desk::is_open(&path)) {
        Ok(None)
    } else if api {
        check_token(&s.readers, bearer(req.headers())).await
    } else {
        let token = super::desk::cookie_token(req.headers()).or_else(|| bearer(req.headers()));
        check_token(&s.readers, token).await
    };
    let (response, caller) = match caller {
        Ok(name) => (next.run(req).await, name),
        Err(e) if api => (e.into_response(), None),
        Err(e) => (super::desk::refused(&e, req.uri()), None),
    };
    log_request(
        &method,
        &path,
        response.status(),
        started,
        caller.as_deref(),
    );
    response
}

fn log_request(
    method: &Method,
    path: &str,
    status: StatusCode,
    started: Instant,
    token: Option<&str>,
) {
    let ms = started.elapsed().as_secs_f64() * 1000.0;
    tracing::info!(%method, path, status = status.as_u16(), ms = format!("{ms:.1}"), token = token.unwrap_or("-"), "API request.");
}

/// The token of an `Authorization: Bearer TOKEN` header.
fn bearer(headers: &HeaderMap) -> Option<String> {
    headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(|t| t.trim().to_owned())
}

/// The live token's name; 401 when `token` is missing (the message says how to send one),
/// unknown or revoked.
pub(crate) async fn check_token(
    readers: &Readers,
    token: Option<String>,
) -> Result<Option<String>, ApiError> {
    let unauthorised = |m: &str| ApiError::new(StatusCode::UNAUTHORIZED, m);
    let token =
        token.ok_or_else(|| unauthorised("missing token: send Authorization: Bearer TOKEN"))?;
    let hash = token_hash(&token);
    let name = readers
        .with(move |store| store.token_name(&hash).map_err(ApiError::store))
        .await?;
    match name {
        Some(name) => Ok(Some(name)),
        None => Err(unauthorised("unknown or revoked token")),
    }
}

/// The stored form of a token: hex BLAKE3 of its text.
pub fn token_hash(token: &str) -> String {
    blake3::hash(token.as_bytes()).to_hex().to_string()
}

/// On every 200: `ETag` from the body, `304` for a matching `If-None-Match`, gzip when the
/// client accepts it.
async fn finish(req: Request, next: Next) -> Response {
    let if_none_match = req.headers().get(header::IF_NONE_MATCH).cloned();
    let gzip_ok = req
        .headers()
        .get(header::ACCEPT_ENCODING)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|e| e.trim().starts_with("gzip")));
    let response = next.run(req).await;
    let streaming = response
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|v| v.as_bytes().starts_with(b"text/event-stream"));
    if response.status() != StatusCode::OK || streaming {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, usize::MAX).await else {
        return ApiError::internal("response body failed").into_response();
    };
    let etag = format!("\"{}\"", &blake3::hash(&bytes).to_hex()[..32]);
    let etag_value = HeaderValue::from_str(&etag).expect("hex is a valid header value");
    if if_none_match
        .as_ref()
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|t| t.trim() == etag || t.trim() == "*"))
    {
        return (StatusCode::NOT_MODIFIED, [(header::ETAG, etag_value)]).into_response();
    }
    parts.headers.insert(header::ETAG, etag_value);
    parts
        .headers
        .insert(header::VARY, HeaderValue::from_static("accept-encoding"));
    if gzip_ok && bytes.len() >= GZIP_FROM {
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        if gz.write_all(&bytes).is_ok()
            && let Ok(zipped) = gz.finish()
        {
            parts
                .headers
                .insert(header::CONTENT_ENCODING, HeaderValue::from_static("gzip"));
            parts.headers.remove(header::CONTENT_LENGTH);
            return Response::from_parts(parts, axum::body::Body::from(zipped));
        }
    }
    Response::from_parts(parts, axum::body::Body::from(bytes))
}

/// The query string of listings and feeds.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ListParams {
    pub(crate) since: Option<String>,
    pub(crate) until: Option<String>,
    pub(crate) q: Option<String>,
    pub(crate) credit: Option<String>,
    pub(crate) section: Option<String>,
    pub(crate) status: Option<String>,
    pub(crate) limit: Option<usize>,
    pub(crate) cursor: Option<String>,
}

impl ListParams {
    pub(crate) fn query(&self) -> Result<StoryQuery, ApiError> {
        type Parse = fn(&str) -> Result<chrono::DateTime<Utc>, String>;
        let time = |v: &Option<String>, name: &str, parse: Parse| {
            v.as_deref()
                .map(|t| parse(t).map_err(|e| ApiError::bad_request(format!("{name}: {e}"))))
                .transpose()
        };
        if let Some(s) = &self.status
            && !matches!(s.as_str(), "usable" | "withheld" | "canceled")
        {
            return Err(ApiError::bad_request(format!(
                "status: {s:?} is not usable, withheld or canceled"
            )));
        }
        let blank = |v: &Option<String>| v.clone().filter(|s| !s.trim().is_empty());
        Ok(StoryQuery {
            filter: StoryFilter {
                since: time(&self.since, "since", super::parse_since)?,
                until: time(&self.until, "until", super::parse_until)?,
                status: self.status.clone(),
            },
            credit: blank(&self.credit),
            section: blank(&self.section),
            q: blank(&self.q),
        })
    }

    fn limit(&self) -> Result<usize, ApiError> {
        page_limit(self.limit, DEFAULT_LIMIT)
    }

    pub(crate) fn cursor(&self) -> Result<Option<PageKey>, ApiError> {
        self.cursor
            .as_deref()
            .map(|c| {
                decode_cursor(c)
                    .ok_or_else(|| ApiError::bad_request("cursor: not a cursor this API gave"))
            })
            .transpose()
    }

    /// This query string with `cursor` replaced.
    pub(crate) fn with_cursor(&self, cursor: &str) -> String {
        let mut pairs = url::form_urlencoded::Serializer::new(String::new());
        for (k, v) in [
            ("since", &self.since),
            ("until", &self.until),
            ("q", &self.q),
            ("credit", &self.credit),
            ("section", &self.section),
            ("status", &self.status),
        ] {
            if let Some(v) = v {
                pairs.append_pair(k, v);
            }
        }
        if let Some(l) = self.limit {
            pairs.append_pair("limit", &l.to_string());
        }
        pairs.append_pair("cursor", cursor);
        pairs.finish()
    }
}

/// A `limit` parameter: `default` when absent, else 1 ..= [`MAX_LIMIT`].
fn page_limit(limit: Option<usize>, default: usize) -> Result<usize, ApiError> {
    match limit {
        None => Ok(default),
        Some(n) if (1..=MAX_LIMIT).contains(&n) => Ok(n),
        Some(n) => Err(ApiError::bad_request(format!(
            "limit: {n} is not between 1 and {MAX_LIMIT}"
        ))),
    }
}

/// An opaque cursor: the page key's JSON, hex-encoded.
pub(crate) fn encode_cursor(key: &PageKey) -> String {
    let json = serde_json::to_vec(key).expect("a page key serializes");
    json.iter().map(|b| format!("{b:02x}")).collect()
}

fn decode_cursor(text: &str) -> Option<PageKey> {
    if !text.len().is_multiple_of(2) || text.len() > 512 {
        return None;
    }
    let bytes: Option<Vec<u8>> = (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(text.get(i..i + 2)?, 16).ok())
        .collect();
    serde_json::from_slice(&bytes?).ok()
}

type Params = Result<Query<ListParams>, axum::extract::rejection::QueryRejection>;

fn params(p: Params) -> Result<ListParams, ApiError> {
    p.map(|Query(p)| p)
        .map_err(|e| ApiError::bad_request(e.body_text()))
}

/// A page of stories for these parameters, and the key after its last story when the page
/// is full.
async fn page(s: &Served, p: &ListParams) -> Result<(Vec<StoryRow>, Option<PageKey>), ApiError> {
    let (query, limit, after) = (p.query()?, p.limit()?, p.cursor()?);
    let rows = s
        .readers
        .with(move |store| {
            store
                .stories_page(&query, limit, after.as_ref())
                .map_err(ApiError::store)
        })
        .await?;
    let next = (rows.len() == limit).then(|| {
        let last = rows.last().expect("a full page is not empty");
        PageKey {
            first_seen_at: last.first_seen_at.clone(),
            id: last.id,
        }
    });
    Ok((rows, next))
}

fn json_response(v: &Value) -> Response {
    ([(header::CONTENT_TYPE, "application/json")], v.to_string()).into_response()
}

async fn stories(State(s): State<Served>, p: Params) -> Result<Response, ApiError> {
    let p = params(p)?;
    let (rows, next) = page(&s, &p).await?;
    let next = next.map(|k| format!("/v1/stories?{}", p.with_cursor(&encode_cursor(&k))));
    let stories: Vec<Value> = rows.iter().map(super::ninjs::story).collect();
    Ok(json_response(&json!({ "stories": stories, "next": next })))
}

async fn story(State(s): State<Served>, Path(id): Path<String>) -> Result<Response, ApiError> {
    let id: i64 = id
        .parse()
        .map_err(|_| ApiError::bad_request(format!("story id {id:?} is not a number")))?;
    let found = s
        .readers
        .with(move |store| {
            let row = store.story_row_by_id(id).map_err(ApiError::store)?;
            let detail = store.story(id).map_err(ApiError::store)?;
            Ok(row.zip(detail))
        })
        .await?;
    let Some((row, detail)) = found else {
        return Err(ApiError::new(
            StatusCode::NOT_FOUND,
            format!("no story {id}"),
        ));
    };
    Ok(json_response(&json!({
        "story": super::ninjs::story(&row),
        "versions": detail.versions,
        "appearances": detail.appearances,
    })))
}

/// The query string of the change feed.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct ChangeParams {
    after: Option<i64>,
    limit: Option<usize>,
}

/// `GET /v1/changes?after=SEQ&limit=`: changes after `after` (0: from the start), oldest
/// first, each with its story's URI; `next` asks for the ones after the last.
async fn changes(
    State(s): State<Served>,
    p: Result<Query<ChangeParams>, axum::extract::rejection::QueryRejection>,
) -> Result<Response, ApiError> {
    let Query(p) = p.map_err(|e| ApiError::bad_request(e.body_text()))?;
    let after = p.after.unwrap_or(0);
    let limit = page_limit(p.limit, MAX_LIMIT)?;
    let rows = s
        .readers
        .with(move |store| store.changes_after(after, limit).map_err(ApiError::store))
        .await?;
    let last = rows.last().map_or(after, |c| c.seq);
    let changes: Vec<Value> = rows
        .iter()
        .map(|c| {
            let mut v = serde_json::to_value(c).expect("a change serializes");
            v["uri"] = json!(super::story_uri(c.story_id));
            v
        })
        .collect();
    Ok(json_response(&json!({
        "changes": changes,
        "next": format!("/v1/changes?after={last}"),
    })))
}

async fn feed_atom(State(s): State<Served>, p: Params) -> Result<Response, ApiError> {
    let p = params(p)?;
    let (rows, _) = page(&s, &p).await?;
    let updated = rows
        .first()
        .map(|r| {
            r.updated_at
                .clone()
                .unwrap_or_else(|| r.first_seen_at.clone())
        })
        .unwrap_or_else(|| crate::store::time_text(Utc::now()));
    let mut text = super::atom::head("urn:wiredesk:feed", "wiredesk stories", &updated);
    for r in &rows {
        text.push_str(&super::atom::entry(r));
    }
    text.push_str(super::atom::TAIL);
    Ok(([(header::CONTENT_TYPE, "application/atom+xml")], text).into_response())
}

async fn feed_json(State(s): State<Served>, p: Params) -> Result<Response, ApiError> {
    let p = params(p)?;
    let (rows, _) = page(&s, &p).await?;
    let mut feed = super::jsonfeed::envelope("wiredesk stories");
    feed["items"] = rows.iter().map(super::jsonfeed::item).collect();
    Ok((
        [(header::CONTENT_TYPE, "application/feed+json")],
        feed.to_string(),
    )
        .into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_round_trip_and_junk_is_refused() {
        let key = PageKey {
            first_seen_at: "2026-11-27T12:00:00Z".into(),
            id: 42,
        };
        assert_eq!(decode_cursor(&encode_cursor(&key)), Some(key));
        assert_eq!(decode_cursor("zz"), None);
        assert_eq!(decode_cursor("abc"), None);
        assert_eq!(decode_cursor(""), None);
    }
}
