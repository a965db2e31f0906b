//! `[metrics] listen`: a small HTTP listener for the engineer's monitoring. `/metrics` gives
//! the pipeline's counters in the OpenMetrics text format Prometheus scrapes; `/healthz`
//! answers 200 while some feed poll succeeded within `[metrics] stale_after_secs`, else 503,
//! so a load balancer, a probe or a watchdog script can tell a daemon that runs but ingests
//! nothing.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context as _;
use axum::Router;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use chrono::Utc;
use tokio_util::sync::CancellationToken;

use crate::metrics::Health;
use crate::pipeline::Pipeline;

/// The content type of the OpenMetrics text format.
const OPENMETRICS: &str = "application/openmetrics-text; version=1.0.0; charset=utf-8";

#[derive(Clone)]
struct Served {
    pipeline: Arc<Pipeline>,
    stale_after: Duration,
}

/// Binds `addr` now (so a taken port fails the start, naming it) and serves `/metrics` and
/// `/healthz` until `cancel`.
pub async fn serve(
    addr: SocketAddr,
    pipeline: Arc<Pipeline>,
    stale_after: Duration,
    cancel: CancellationToken,
) -> anyhow::Result<SocketAddr> {
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .with_context(|| format!("[metrics] listen: cannot listen on {addr}"))?;
    let bound = listener.local_addr()?;
    let app = Router::new()
        .route("/metrics", get(metrics))
        .route("/healthz", get(healthz))
        .with_state(Served {
            pipeline,
            stale_after,
        });
    tokio::spawn(async move {
        let stopped = axum::serve(listener, app)
            .with_graceful_shutdown(async move { cancel.cancelled().await })
            .await;
        if let Err(e) = stopped {
            tracing::error!(error = %e, "Metrics listener failed.");
        }
    });
    tracing::info!(%bound, "Serving /metrics and /healthz.");
    Ok(bound)
}

async fn metrics(State(s): State<Served>) -> Response {
    let text = s.pipeline.metrics().render(s.pipeline.pages_in_flight());
    ([(header::CONTENT_TYPE, OPENMETRICS)], text).into_response()
}

async fn healthz(State(s): State<Served>) -> Response {
    match s.pipeline.metrics().health(s.stale_after, Utc::now()) {
        Health::Ok { since } => (
            StatusCode::OK,
            format!("ok: last successful poll {} s ago\n", since.as_secs()),
        )
            .into_response(),
        Health::Stale { since } => (
            StatusCode::SERVICE_UNAVAILABLE,
            format!(
                "stale: no feed poll has succeeded for {} s (limit {} s)\n",
                since.as_secs(),
                s.stale_after.as_secs()
            ),
        )
            .into_response(),
    }
}
