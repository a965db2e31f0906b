//! Where log lines go and what they look like.
//!
//! One subscriber, three formats, chosen by `--log-format` (default `auto`):
//! - `human`: timestamps, level, spans; colours only on a terminal.
//! - `journal`: for systemd's journal, which stamps each line itself and reads a syslog
//!   priority from a `<N>` prefix (sd-daemon(3)): no timestamp, no colours, `<3>` error, `<4>`
//!   warning, `<6>` info, `<7>` debug. `auto` picks it when stderr is the stream systemd named
//!   in `JOURNAL_STREAM` (device and inode compared, as systemd.exec(5) advises, so a child
//!   whose stderr was redirected does not inherit it by mistake).
//! - `json`: one object per line with the fields and the spans (feed, item), for log shippers.
//!
//! Third-party crates log at ERROR only unless `-vv`: html5ever's "foster parenting not
//! implemented" and the like are warnings about the page, not about the daemon, and would bury
//! its own warnings. `WIREDESK_LOG` (EnvFilter syntax) overrides everything.

use std::io::IsTerminal as _;

use tracing::{Event, Level, Subscriber};
use tracing_subscriber::EnvFilter;
use tracing_subscriber::fmt::format::{self, FormatEvent, FormatFields};
use tracing_subscriber::fmt::{FmtContext, format::Writer};
use tracing_subscriber::registry::LookupSpan;

/// The log line format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum LogFormat {
    /// `journal` under systemd (stderr is `JOURNAL_STREAM`), else `human`.
    Auto,
    /// Timestamped lines for a person.
    Human,
    /// Priority-prefixed lines without timestamps, for the journal.
    Journal,
    /// One JSON object per line.
    Json,
}

/// How much to log.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Verbosity {
    /// `-v` count.
    pub verbose: u8,
    /// `-q`: errors only.
    pub quiet: bool,
    /// The command reports on its own (one-shot commands): warnings only unless asked.
    pub quiet_default: bool,
}

/// The filter directives for a verbosity: ours at the asked level, everyone else's at ERROR
/// until `-vv`.
pub fn directives(v: Verbosity) -> String {
    let ours = match (v.quiet, v.verbose) {
        (true, _) => "error",
        (false, 0) if v.quiet_default => "warn",
        (false, 0) => "info",
        (false, 1) => "debug",
        (false, _) => return "trace".to_string(),
    };
    format!("error,wiredesk={ours}")
}

/// The format `auto` stands for, given the environment.
pub fn resolve(format: LogFormat) -> LogFormat {
    match format {
        LogFormat::Auto if stderr_is_journal() => LogFormat::Journal,
        LogFormat::Auto => LogFormat::Human,
        other => other,
    }
}

/// True when stderr is the journal stream systemd set up (`JOURNAL_STREAM=DEV:INODE`).
fn stderr_is_journal() -> bool {
    use std::os::unix::fs::MetadataExt as _;
    let Some(stream) = std::env::var_os("JOURNAL_STREAM") else {
        return false;
    };
    let Some((dev, ino)) = stream
        .to_str()
        .and_then(|s| s.split_once(':'))
        .and_then(|(d, i)| Some((d.parse::<u64>().ok()?, i.parse::<u64>().ok()?)))
    else {
        return false;
    };
    std::fs::metadata("/proc/self/fd/2").is_ok_and(|m| m.dev() == dev && m.ino() == ino)
}

/// Installs the subscriber (once; later calls do nothing).
pub fn init(verbosity: Verbosity, format: LogFormat) {
    let filter = EnvFilter::try_from_env("WIREDESK_LOG")
        .unwrap_or_else(|_| EnvFilter::new(directives(verbosity)));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    let _ = match resolve(format) {
        LogFormat::Journal => builder
            .with_ansi(false)
            .event_format(Journal::default())
            .try_init(),
        LogFormat::Json => builder
            .json()
            .flatten_event(true)
            .with_current_span(false)
            .with_span_list(true)
            .try_init(),
        LogFormat::Human | LogFormat::Auto => builder
            .with_ansi(std::io::stderr().is_terminal())
            .try_init(),
    };
}

/// The journal's line: a syslog priority prefix, then the usual line without time or level.
struct Journal {
    inner: format::Format<format::Full, ()>,
}

impl Default for Journal {
    fn default() -> Self {
        Journal {
            inner: format::format()
                .without_time()
                .with_level(false)
                .with_ansi(false),
        }
    }
}

/// The syslog priority of a level (RFC 5424 severities).
fn priority(level: Level) -> u8 {
    match level {
        Level::ERROR => 3,
        Level::WARN => 4,
        Level::INFO => 6,
        _ => 7,
    }
}

impl<S, N> FormatEvent<S, N> for Journal
where
    S: Subscriber + for<'a> LookupSpan<'a>,
    N: for<'a> FormatFields<'a> + 'static,
{
    fn format_event(
        &self,
        ctx: &FmtContext<'_, S, N>,
        mut writer: Writer<'_>,
        event: &Event<'_>,
    ) -> std::fmt::Result {
        write!(writer, "<{}>", priority(*event.metadata().level()))?;
        self.inner.format_event(ctx, writer, event)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(verbose: u8, quiet: bool, quiet_default: bool) -> Verbosity {
        Verbosity {
            verbose,
            quiet,
            quiet_default,
        }
    }

    #[test]
    fn other_crates_stay_at_error_until_vv() {
        assert_eq!(directives(v(0, false, false)), "error,wiredesk=info");
        assert_eq!(directives(v(0, false, true)), "error,wiredesk=warn");
        assert_eq!(directives(v(1, false, true)), "error,wiredesk=debug");
        assert_eq!(directives(v(0, true, false)), "error,wiredesk=error");
        assert_eq!(directives(v(2, false, false)), "trace");
    }

    #[test]
    fn priorities_follow_syslog() {
        assert_eq!(priority(Level::ERROR), 3);
        assert_eq!(priority(Level::WARN), 4);
        assert_eq!(priority(Level::INFO), 6);
        assert_eq!(priority(Level::DEBUG), 7);
        assert_eq!(priority(Level::TRACE), 7);
    }
}
