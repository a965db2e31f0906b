//! systemd notification: a no-op when not started by systemd (`NOTIFY_SOCKET` unset).

use std::time::Duration;

use sd_notify::NotifyState;

/// Tells systemd the service is up.
pub fn ready(feeds: usize) {
    send(&[
        NotifyState::Ready,
        NotifyState::Status(&format!("polling {feeds} feeds")),
    ]);
}

/// Tells systemd what the service is doing.
pub fn status(text: &str) {
    send(&[NotifyState::Status(text)]);
}

/// Tells systemd the service is stopping.
pub fn stopping() {
    send(&[
        NotifyState::Stopping,
        NotifyState::Status("draining in-flight writes"),
    ]);
}

/// Pings the watchdog.
pub fn watchdog() {
    send(&[NotifyState::Watchdog]);
}

/// Half the watchdog interval systemd asked for, if it asked.
pub fn watchdog_period() -> Option<Duration> {
    sd_notify::watchdog_enabled().map(|d| d / 2)
}

fn send(states: &[NotifyState<'_>]) {
    if let Err(e) = sd_notify::notify(states) {
        tracing::debug!(error = %e, "Cannot notify systemd.");
    }
}
