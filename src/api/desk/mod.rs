//! The wire desk: HTML pages served by `wiredesk serve` beside the read API, for producers who
//! watch the wire and engineers who check the feeds.
//!
//! - `/`: the incoming wire, newest first, with filters (credit, section, status, time) and
//!   full-text search in the API's syntax; live through server-sent events (`/events`), and a
//!   meta refresh without JavaScript.
//! - `/stories/{id}`: one story as stored, every version with a diff against the one before
//!   ([`diff`]), every appearance.
//! - `/feeds`: feed health, items per day over 14 days, hosts being backed off.
//! - `/login` (GET: the form; POST: checks the token and sets an HttpOnly, SameSite=Strict
//!   cookie), `/logout` (POST), `/desk.css`.
//!
//! Pages are rendered on the server by maud (compiled templates, every value escaped); the
//! story body, sanitized at ingest, is sanitized again on output. Errors are HTML pages (a
//! bad query is a 400 with its message, an unknown story a 404), never JSON. Tokens are
//! checked by the server's `authorise` layer, the same as for the API.

pub mod diff;
mod pages;
mod sse;

use axum::Router;
use axum::extract::{Form, Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use chrono::Utc;
use serde::Deserialize;

use super::server::{ApiError, ListParams, Served, check_token, encode_cursor};
use crate::store::{PageKey, StoreError};

/// The cookie that carries a desk user's token.
const COOKIE: &str = "wiredesk_token";
/// Stories on the wire page when `limit` is not given.
pub const DEFAULT_ROWS: usize = 100;
/// The most stories the wire page lists at once.
pub const MAX_ROWS: usize = 1000;
/// Days in the feeds page's item chart.
pub const CHART_DAYS: u32 = 14;
/// Seconds between refreshes of the wire page without JavaScript.
const REFRESH_SECS: u32 = 60;

/// The desk's routes (merged into the server's router, under its token check).
pub(crate) fn routes() -> Router<Served> {
    Router::new()
        .route("/", get(wire))
        .route("/stories/{id}", get(story))
        .route("/feeds", get(feeds))
        .route("/events", get(sse::events))
        .route("/login", get(login_form).post(login))
        .route("/logout", post(logout))
        .route("/desk.css", get(stylesheet))
}

/// Paths served without a token: the login form and the stylesheet it uses.
pub(crate) fn is_open(path: &str) -> bool {
    matches!(path, "/login" | "/desk.css")
}

/// The token in the desk's cookie, if any.
pub(crate) fn cookie_token(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == COOKIE)
        .map(|(_, value)| {
            url::form_urlencoded::parse(format!("t={value}").as_bytes())
                .next()
                .map(|(_, v)| v.into_owned())
                .unwrap_or_default()
        })
        .filter(|t| !t.is_empty())
}

/// The answer to a desk request the token check refused: the login page (with why, when a
/// token was sent), or an error page when the check itself failed.
pub(crate) fn refused(e: &ApiError, uri: &Uri) -> Response {
    if e.status != StatusCode::UNAUTHORIZED {
        return error_page(e.status, &e.message);
    }
    let message = (!e.message.starts_with("missing token"))
        .then_some("That token is unknown or has been revoked. Log in with a live token.");
    let next = uri.path_and_query().map_or("/", |p| p.as_str()).to_owned();
    html(
        StatusCode::UNAUTHORIZED,
        pages::login(message, &next).into_string(),
    )
}

/// A 404 page.
pub(crate) fn not_found(message: &str) -> Response {
    error_page(StatusCode::NOT_FOUND, message)
}

fn error_page(status: StatusCode, message: &str) -> Response {
    html(status, pages::error(status, message).into_string())
}

fn html(status: StatusCode, body: String) -> Response {
    (
        status,
        [
            (header::CONTENT_TYPE, "text/html; charset=utf-8"),
            (header::CACHE_CONTROL, "no-cache"),
        ],
        body,
    )
        .into_response()
}

/// A desk page's error: an HTML page with the status and message.
struct DeskError(StatusCode, String);

impl From<ApiError> for DeskError {
    fn from(e: ApiError) -> Self {
        DeskError(e.status, e.message)
    }
}

impl IntoResponse for DeskError {
    fn into_response(self) -> Response {
        error_page(self.0, &self.1)
    }
}

/// The wire page's query string (all optional; blank fields are no filter).
#[derive(Debug, Default, Clone, Deserialize)]
pub(crate) struct WireParams {
    pub q: Option<String>,
    pub credit: Option<String>,
    pub section: Option<String>,
    pub status: Option<String>,
    pub since: Option<String>,
    pub until: Option<String>,
    pub limit: Option<String>,
    pub cursor: Option<String>,
}

impl WireParams {
    fn get(&self, name: &str) -> Option<&str> {
        let v = match name {
            "q" => &self.q,
            "credit" => &self.credit,
            "section" => &self.section,
            "status" => &self.status,
            "since" => &self.since,
            "until" => &self.until,
            "limit" => &self.limit,
            _ => &self.cursor,
        };
        v.as_deref().map(str::trim).filter(|v| !v.is_empty())
    }

    /// The rows asked for: [`DEFAULT_ROWS`], or `limit` within 1 ..= [`MAX_ROWS`].
    fn limit(&self) -> Result<usize, String> {
        match self.get("limit") {
            None => Ok(DEFAULT_ROWS),
            Some(l) => l
                .parse::<usize>()
                .ok()
                .filter(|n| (1..=MAX_ROWS).contains(n))
                .ok_or_else(|| format!("limit: {l:?} is not a number from 1 to {MAX_ROWS}")),
        }
    }

    /// The API's parameters for these filters (their checks and messages are the API's).
    fn list(&self) -> ListParams {
        let own = |name| self.get(name).map(str::to_owned);
        ListParams {
            since: own("since"),
            until: own("until"),
            q: own("q"),
            credit: own("credit"),
            section: own("section"),
            status: own("status"),
            limit: None,
            cursor: own("cursor"),
        }
    }

    /// `/?…` with these filters, the page size, and `cursor` when given.
    pub(crate) fn href(&self, cursor: Option<&str>) -> String {
        let mut pairs = url::form_urlencoded::Serializer::new(String::new());
        for name in [
            "q", "credit", "section", "status", "since", "until", "limit",
        ] {
            if let Some(v) = self.get(name) {
                pairs.append_pair(name, v);
            }
        }
        if let Some(c) = cursor {
            pairs.append_pair("cursor", c);
        }
        let query = pairs.finish();
        if query.is_empty() {
            "/".to_owned()
        } else {
            format!("/?{query}")
        }
    }

    /// These filters from `since` on (until now), from the first page.
    pub(crate) fn with_since(&self, since: &str) -> WireParams {
        WireParams {
            since: Some(since.to_owned()),
            until: None,
            cursor: None,
            ..self.clone()
        }
    }

    /// True when only the newest stories are shown (a live page).
    fn is_first_page(&self) -> bool {
        self.get("cursor").is_none()
    }
}

/// What the wire page shows.
pub(crate) struct WireView {
    pub params: WireParams,
    pub rows: Vec<crate::store::WireRow>,
    /// The older stories' page, when this one is full.
    pub older: Option<String>,
    /// Why the query could not run (a bad search, a bad date…).
    pub error: Option<String>,
    /// The change feed's last sequence number when the page was read (live pages only).
    pub live_after: Option<i64>,
    pub now: chrono::DateTime<Utc>,
}

async fn wire(
    State(s): State<Served>,
    params: Result<Query<WireParams>, axum::extract::rejection::QueryRejection>,
) -> Result<Response, DeskError> {
    let params = params
        .map(|Query(p)| p)
        .map_err(|e| DeskError(StatusCode::BAD_REQUEST, e.body_text()))?;
    let mut view = WireView {
        params: params.clone(),
        rows: Vec::new(),
        older: None,
        error: None,
        live_after: None,
        now: Utc::now(),
    };
    let list = params.list();
    let checked = params.limit().and_then(|limit| {
        let query = list.query().map_err(|e| e.message)?;
        let after = list.cursor().map_err(|e| e.message)?;
        Ok((query, limit, after))
    });
    let (query, limit, after) = match checked {
        Ok(c) => c,
        Err(message) => {
            view.error = Some(message);
            return Ok(html(
                StatusCode::BAD_REQUEST,
                pages::wire(&view).into_string(),
            ));
        }
    };
    let live = params.is_first_page();
    let read = s
        .readers
        .with(move |store| {
            let seq = if live {
                Some(store.last_change_seq().map_err(ApiError::store)?)
            } else {
                None
            };
            Ok((store.wire_page(&query, limit, after.as_ref()), seq))
        })
        .await?;
    match read {
        (Ok(rows), seq) => {
            view.older = (rows.len() == limit).then(|| {
                let last = rows.last().expect("a full page is not empty");
                params.href(Some(&encode_cursor(&PageKey {
                    first_seen_at: last.first_seen_at.clone(),
                    id: last.id,
                })))
            });
            view.rows = rows;
            view.live_after = seq;
            Ok(html(StatusCode::OK, pages::wire(&view).into_string()))
        }
        (Err(StoreError::Search { query, source, .. }), _) => {
            view.error = Some(search_message(&query, &source));
            Ok(html(
                StatusCode::BAD_REQUEST,
                pages::wire(&view).into_string(),
            ))
        }
        (Err(e), _) => Err(ApiError::store(e).into()),
    }
}

/// A failed full-text query, as the desk explains it: the query, SQLite's reason, the syntax.
fn search_message(query: &str, source: &rusqlite::Error) -> String {
    let reason = match source {
        rusqlite::Error::SqliteFailure(_, Some(m)) => m.clone(),
        other => other.to_string(),
    };
    format!(
        "The search \u{201c}{query}\u{201d} could not run: {reason}. Search takes words, \
         \"exact phrases\", AND / OR / NOT, prefix*, and headline: before a word to search \
         headlines only."
    )
}

async fn story(State(s): State<Served>, Path(id): Path<String>) -> Result<Response, DeskError> {
    let Ok(id) = id.parse::<i64>() else {
        return Ok(not_found(&format!(
            "There is no story {id:?}: story ids are numbers."
        )));
    };
    let detail = s
        .readers
        .with(move |store| store.story(id).map_err(ApiError::store))
        .await?;
    match detail {
        Some(d) => Ok(html(
            StatusCode::OK,
            pages::story(&d, Utc::now()).into_string(),
        )),
        None => Ok(not_found(&format!("There is no story {id}."))),
    }
}

async fn feeds(State(s): State<Served>) -> Result<Response, DeskError> {
    let now = Utc::now();
    let (health, days) = s
        .readers
        .with(move |store| {
            Ok((
                store.feed_health(now).map_err(ApiError::store)?,
                store
                    .feed_items_per_day(now, CHART_DAYS)
                    .map_err(ApiError::store)?,
            ))
        })
        .await?;
    Ok(html(
        StatusCode::OK,
        pages::feeds(&health, &days, now).into_string(),
    ))
}

#[derive(Debug, Deserialize)]
struct LoginQuery {
    next: Option<String>,
}

async fn login_form(Query(q): Query<LoginQuery>) -> Response {
    let next = safe_next(q.next.as_deref());
    html(StatusCode::OK, pages::login(None, next).into_string())
}

#[derive(Debug, Deserialize)]
struct LoginForm {
    token: String,
    next: Option<String>,
}

/// Checks the token like the API does; a live one is set as an HttpOnly, SameSite=Strict
/// cookie and the browser goes on to the page it asked for.
async fn login(State(s): State<Served>, Form(f): Form<LoginForm>) -> Response {
    let next = safe_next(f.next.as_deref()).to_owned();
    let token = f.token.trim().to_owned();
    if token.is_empty() {
        return html(
            StatusCode::UNAUTHORIZED,
            pages::login(Some("Enter a token."), &next).into_string(),
        );
    }
    match check_token(&s.readers, Some(token.clone())).await {
        Ok(_) => {
            let value: String = url::form_urlencoded::byte_serialize(token.as_bytes()).collect();
            let cookie = format!("{COOKIE}={value}; Path=/; HttpOnly; SameSite=Strict");
            redirect(&next, &cookie)
        }
        Err(e) if e.status == StatusCode::UNAUTHORIZED => html(
            StatusCode::UNAUTHORIZED,
            pages::login(Some("That token is unknown or has been revoked."), &next).into_string(),
        ),
        Err(e) => error_page(e.status, &e.message),
    }
}

/// Clears the cookie and shows the login form.
async fn logout() -> Response {
    redirect(
        "/login",
        &format!("{COOKIE}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0"),
    )
}

fn redirect(to: &str, cookie: &str) -> Response {
    let mut r = (StatusCode::SEE_OTHER, [(header::LOCATION, to.to_owned())]).into_response();
    if let Ok(v) = HeaderValue::from_str(cookie) {
        r.headers_mut().insert(header::SET_COOKIE, v);
    }
    r
}

/// Where to go after logging in: a path on this server, never another site.
fn safe_next(next: Option<&str>) -> &str {
    match next {
        Some(n) if n.starts_with('/') && !n.starts_with("//") && !n.contains('\\') => n,
        _ => "/",
    }
}

async fn stylesheet() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, "max-age=3600"),
        ],
        pages::CSS,
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cookie_is_found_among_others_and_decoded() {
        let mut h = HeaderMap::new();
        h.insert(
            header::COOKIE,
            HeaderValue::from_static("a=1; wiredesk_token=ab%2Bcd; b=2"),
        );
        assert_eq!(cookie_token(&h).as_deref(), Some("ab+cd"));
        h.insert(header::COOKIE, HeaderValue::from_static("wiredesk_token="));
        assert_eq!(cookie_token(&h), None);
        assert_eq!(cookie_token(&HeaderMap::new()), None);
    }

    #[test]
    fn after_login_only_paths_here_are_followed() {
        assert_eq!(safe_next(Some("/stories/3?x=1")), "/stories/3?x=1");
        assert_eq!(safe_next(Some("//evil.example/")), "/");
        assert_eq!(safe_next(Some("https://evil.example/")), "/");
        assert_eq!(safe_next(Some("/\\evil.example")), "/");
        assert_eq!(safe_next(None), "/");
    }

    #[test]
    fn wire_links_keep_the_filters_and_drop_blanks() {
        let p = WireParams {
            q: Some("storm AND coast".into()),
            credit: Some(" ".into()),
            status: Some("usable".into()),
            limit: Some("1000".into()),
            ..WireParams::default()
        };
        assert_eq!(p.href(None), "/?q=storm+AND+coast&status=usable&limit=1000");
        assert_eq!(p.limit(), Ok(1000));
        assert!(p.list().credit.is_none());
        assert_eq!(WireParams::default().href(None), "/");
        let too_many = WireParams {
            limit: Some("5000".into()),
            ..WireParams::default()
        };
        assert!(too_many.limit().unwrap_err().contains("1 to 1000"));
    }
}
