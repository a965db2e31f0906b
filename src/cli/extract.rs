//! `wiredesk extract`: HTML files in, one JSON article per line out. No network, no store.

use std::io::{BufRead, Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::atomic::{AtomicUsize, Ordering};

use anyhow::Context as _;
use clap::Args;
use serde::{Deserialize, Serialize};
use url::Url;

use crate::extract::rules::{self, SiteRule};
use crate::extract::{self, ExtractOptions};
use crate::model::Article;

/// Arguments of `wiredesk extract`.
#[derive(Debug, Args)]
pub struct ExtractArgs {
    /// The pages' URL (base for relative links); applies to every PATH.
    #[arg(long)]
    pub url: Option<Url>,
    /// JSON lines `{"path": …, "url": …}`; relative paths are taken from the manifest's folder.
    #[arg(long, value_name = "FILE")]
    pub manifest: Option<PathBuf>,
    /// Pages extracted at once (default: one per core); the output order is the input's.
    #[arg(long, value_name = "N")]
    pub jobs: Option<std::num::NonZeroUsize>,
    /// `.html` / `.html.gz` files, or folders holding them.
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,
}

#[derive(Debug, Deserialize)]
struct ManifestLine {
    path: PathBuf,
    url: Option<String>,
}

#[derive(Serialize)]
struct Line<'a> {
    path: String,
    #[serde(flatten)]
    article: &'a Article,
}

#[derive(Serialize)]
struct ErrorLine {
    path: String,
    error: String,
}

/// Runs the command; `sites` are the config's `[[sites]]` rules.
pub fn run(args: &ExtractArgs, sites: &[SiteRule]) -> anyhow::Result<ExitCode> {
    let mut jobs: Vec<Job> = Vec::new();
    for path in &args.paths {
        for file in html_files(path)? {
            jobs.push((file, Ok(args.url.clone())));
        }
    }
    if let Some(manifest) = &args.manifest {
        jobs.extend(read_manifest(manifest)?);
    }
    if jobs.is_empty() {
        return Err(super::UsageError(anyhow::anyhow!(
            "no input: give HTML files, folders or --manifest"
        ))
        .into());
    }
    let workers = args
        .jobs
        .or_else(|| std::thread::available_parallelism().ok())
        .map_or(1, std::num::NonZeroUsize::get);
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let mut failed = 0usize;
    // Pages are extracted on `workers` long-lived threads (each keeps its warm regex caches
    // for the whole run) and printed in input order, so the output is one thread's.
    let next = AtomicUsize::new(0);
    let written = AtomicUsize::new(0);
    std::thread::scope(|scope| -> anyhow::Result<()> {
        let (tx, rx) = std::sync::mpsc::sync_channel(2 * workers);
        for _ in 0..workers.min(jobs.len()) {
            let tx = tx.clone();
            let (jobs, next, written) = (&jobs, &next, &written);
            scope.spawn(move || {
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some((path, url)) = jobs.get(i) else {
                        break;
                    };
                    // A slow page holds the printing back: run at most AHEAD pages past it.
                    while i > written.load(Ordering::Acquire) + AHEAD {
                        std::thread::sleep(std::time::Duration::from_millis(1));
                    }
                    if tx.send((i, extract_one(path, url, sites))).is_err() {
                        break;
                    }
                }
            });
        }
        drop(tx);
        let mut pending = std::collections::BTreeMap::new();
        let mut at = 0usize;
        let printed = (|| -> anyhow::Result<()> {
            for (i, done) in rx {
                pending.insert(i, done);
                while let Some((line, ok)) = pending.remove(&at) {
                    failed += usize::from(!ok);
                    writeln!(out, "{}", line?)?;
                    at += 1;
                    written.store(at, Ordering::Release);
                }
            }
            Ok(())
        })();
        // On a write error the receiver is gone: release any worker waiting to run ahead, so
        // its next send fails and it stops.
        written.store(usize::MAX / 2, Ordering::Release);
        printed
    })?;
    out.flush()?;
    Ok(if failed > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// How far past the oldest unprinted page the workers may run: the bound on articles held
/// for printing while one slow page is extracted.
const AHEAD: usize = 256;

/// One page's JSON line: its article, or the error that names the file.
fn extract_one(
    path: &Path,
    url: &Result<Option<Url>, String>,
    sites: &[SiteRule],
) -> (serde_json::Result<String>, bool) {
    let shown = path.display().to_string();
    let result = url.clone().map_err(anyhow::Error::msg).and_then(|url| {
        let html = read_html(path)?;
        let options = ExtractOptions {
            url: url.as_ref(),
            rule: rules::rule_for(sites, url.as_ref()),
            ..Default::default()
        };
        extract::extract(&html, &options).with_context(|| format!("cannot extract {shown}"))
    });
    match result {
        Ok(article) => (
            serde_json::to_string(&Line {
                path: shown,
                article: &article,
            }),
            true,
        ),
        Err(e) => (
            serde_json::to_string(&ErrorLine {
                path: shown,
                error: format!("{e:#}"),
            }),
            false,
        ),
    }
}

/// The HTML files at `path`: the file itself, or a folder's `.html`/`.html.gz` files, sorted.
fn html_files(path: &Path) -> anyhow::Result<Vec<PathBuf>> {
    if !path.is_dir() {
        return Ok(vec![path.to_path_buf()]);
    }
    let mut files = Vec::new();
    for entry in
        std::fs::read_dir(path).with_context(|| format!("cannot list {}", path.display()))?
    {
        let p = entry?.path();
        let name = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
        if p.is_file()
            && (name.ends_with(".html") || name.ends_with(".html.gz") || name.ends_with(".htm"))
        {
            files.push(p);
        }
    }
    files.sort();
    Ok(files)
}

/// A file to extract and its URL (or why the manifest's URL for it is unusable).
type Job = (PathBuf, Result<Option<Url>, String>);

fn read_manifest(manifest: &Path) -> anyhow::Result<Vec<Job>> {
    let file = std::fs::File::open(manifest)
        .with_context(|| format!("cannot open manifest {}", manifest.display()))?;
    let dir = manifest.parent().unwrap_or(Path::new("."));
    let mut jobs = Vec::new();
    for (n, line) in std::io::BufReader::new(file).lines().enumerate() {
        let line = line.with_context(|| format!("cannot read manifest {}", manifest.display()))?;
        if line.trim().is_empty() {
            continue;
        }
        let entry: ManifestLine = serde_json::from_str(&line).map_err(|e| {
            super::UsageError(anyhow::anyhow!(
                "manifest {} line {}: {e}",
                manifest.display(),
                n + 1
            ))
        })?;
        // A bad URL spoils only its own line: reported there, the rest go on.
        let url = match entry.url.as_deref().map(str::trim) {
            None | Some("") => Ok(None),
            Some(u) => Url::parse(u).map(Some).map_err(|e| {
                format!(
                    "manifest {} line {}: bad url {u:?}: {e}",
                    manifest.display(),
                    n + 1
                )
            }),
        };
        let path = if entry.path.is_absolute() {
            entry.path
        } else {
            dir.join(entry.path)
        };
        jobs.push((path, url));
    }
    Ok(jobs)
}

/// Reads a page, gunzipping `.gz`, decoding its charset (declared, else detected).
fn read_html(path: &Path) -> anyhow::Result<String> {
    let mut bytes =
        std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
    if path.extension().is_some_and(|e| e == "gz") {
        let mut raw = Vec::new();
        flate2::read::GzDecoder::new(bytes.as_slice())
            .read_to_end(&mut raw)
            .with_context(|| format!("cannot gunzip {}", path.display()))?;
        bytes = raw;
    }
    Ok(crate::charset::decode_html(&bytes, None))
}
