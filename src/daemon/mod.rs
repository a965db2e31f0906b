//! The long-running service (`wiredesk run`): one task per feed polls it when due, a signal
//! handler turns SIGINT/SIGTERM into a cancellation that lets in-flight writes finish, and
//! systemd hears READY, STATUS, WATCHDOG and STOPPING. SIGHUP reloads the site rules and the
//! feeds. With `[metrics] listen`, `/metrics` and `/healthz` report what it does.

mod health;
mod notify;
mod reload;
mod scheduler;
mod shutdown;

pub use scheduler::run;
pub use shutdown::{DRAIN_TIMEOUT, on_signal as stop_on_signal};
