//! Signals to cancellation: the first SIGINT or SIGTERM cancels the token; tasks stop taking
//! new work and finish what they are writing.

use std::time::Duration;

use tokio_util::sync::CancellationToken;

/// How long in-flight work may take to finish after a stop signal; keep below systemd's
/// `TimeoutStopSec`.
pub const DRAIN_TIMEOUT: Duration = Duration::from_secs(30);

/// Cancels `token` on the first SIGINT or SIGTERM.
pub fn on_signal(token: CancellationToken) -> std::io::Result<()> {
    use tokio::signal::unix::{SignalKind, signal};
    let mut term = signal(SignalKind::terminate())?;
    let mut int = signal(SignalKind::interrupt())?;
    tokio::spawn(async move {
        let which = tokio::select! {
            _ = term.recv() => "SIGTERM",
            _ = int.recv() => "SIGINT",
        };
        tracing::info!(signal = which, "Stopping: finishing in-flight writes.");
        token.cancel();
    });
    Ok(())
}
