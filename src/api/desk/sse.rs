//! `GET /events?after=SEQ`: the change feed as server-sent events, for the live wire page.
//!
//! The handler reads the store's `changes` (see docs/schema.md) every [`POLL`] and sends one
//! event per batch of new changes: its `id` is the last change's sequence number (a browser
//! that reconnects sends it back as `Last-Event-ID` and misses nothing), its data a JSON
//! array of `{seq, story_id, kind, headline}`. The stream ends when the server stops.

use std::convert::Infallible;
use std::time::Duration;

use axum::extract::{Query, State};
use axum::http::HeaderMap;
use axum::response::sse::{Event, KeepAlive, Sse};
use futures_util::Stream;
use futures_util::StreamExt as _;
use serde::Deserialize;
use serde_json::json;

use super::super::server::{ApiError, Served};

/// How often the store is asked for new changes.
const POLL: Duration = Duration::from_secs(2);
/// Changes read at most per poll (more wait for the next).
const BATCH: usize = 200;

#[derive(Debug, Deserialize)]
pub(super) struct EventsQuery {
    after: Option<i64>,
}

pub(super) async fn events(
    State(s): State<Served>,
    headers: HeaderMap,
    Query(q): Query<EventsQuery>,
) -> Sse<impl Stream<Item = Result<Event, Infallible>>> {
    let resumed = headers
        .get("last-event-id")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<i64>().ok());
    let after = resumed.or(q.after).unwrap_or(0).max(0);
    let readers = s.readers.clone();
    let stream = futures_util::stream::unfold(after, move |after| {
        let readers = readers.clone();
        async move {
            loop {
                tokio::time::sleep(POLL).await;
                let read = readers
                    .with(move |store| store.changes_after(after, BATCH).map_err(ApiError::store))
                    .await;
                match read {
                    Ok(rows) if rows.is_empty() => continue,
                    Ok(rows) => {
                        let last = rows.last().map_or(after, |c| c.seq);
                        let data: Vec<_> = rows
                            .iter()
                            .map(|c| {
                                json!({
                                    "seq": c.seq,
                                    "story_id": c.story_id,
                                    "kind": c.kind,
                                    "headline": c.headline,
                                })
                            })
                            .collect();
                        let event = Event::default()
                            .id(last.to_string())
                            .data(serde_json::Value::from(data).to_string());
                        return Some((Ok(event), last));
                    }
                    // Logged by the store error; the browser reconnects and resumes.
                    Err(_) => return None,
                }
            }
        }
    })
    .take_until(s.shutdown.clone().cancelled_owned());
    Sse::new(stream).keep_alive(KeepAlive::default())
}
