//! `cargo bench --bench extract`: per-page cost of the whole extraction against parsing alone.
//!
//! For every page of the extraction dev set (`../shared/bench/extraction/html`, or the folder in
//! `WIREDESK_BENCH_PAGES`) it times, in the same run and interleaved page by page:
//! - parse-only: `scraper::Html::parse_document` plus a walk over every text node;
//! - extract: `wiredesk::extract::extract` (metadata, body text and body HTML).
//!
//! Each page runs `ROUNDS` times per method; a page's time is its median round, and the figure
//! reported is the median over pages. A plain harness (no criterion) keeps the build light; the
//! ratio is what matters, and both sides are measured under the same load.

use std::hint::black_box;
use std::io::Read as _;
use std::path::PathBuf;
use std::time::{Duration, Instant};

const ROUNDS: usize = 7;

fn main() {
    let dir = std::env::var_os("WIREDESK_BENCH_PAGES")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/bench/extraction/html")
        });
    let pages = load_pages(&dir);
    if pages.is_empty() {
        eprintln!("no pages in {} (set WIREDESK_BENCH_PAGES)", dir.display());
        return;
    }
    let mut parse = Vec::new();
    let mut extract = Vec::new();
    for html in &pages {
        let mut p = Vec::with_capacity(ROUNDS);
        let mut e = Vec::with_capacity(ROUNDS);
        for _ in 0..ROUNDS {
            p.push(time(|| parse_only(html)));
            e.push(time(|| {
                let a = wiredesk::extract::extract(html, &Default::default());
                a.map(|a| a.body_text.len() + a.body_html.len())
                    .unwrap_or(0)
            }));
        }
        parse.push(median(&mut p));
        extract.push(median(&mut e));
    }
    let (mp, me) = (median(&mut parse.clone()), median(&mut extract.clone()));
    let total = |v: &[Duration]| v.iter().sum::<Duration>();
    println!("pages: {} from {}", pages.len(), dir.display());
    println!(
        "parse-only  median per page {:>8.3} ms   total {:>8.1} ms",
        ms(mp),
        ms(total(&parse))
    );
    println!(
        "extract     median per page {:>8.3} ms   total {:>8.1} ms",
        ms(me),
        ms(total(&extract))
    );
    println!(
        "ratio extract / parse-only: median {:.2}x, total {:.2}x",
        ms(me) / ms(mp),
        ms(total(&extract)) / ms(total(&parse))
    );
}

/// What any extractor must at least do: build the DOM and visit its text.
fn parse_only(html: &str) -> usize {
    let doc = scraper::Html::parse_document(html);
    doc.tree
        .nodes()
        .filter_map(|n| n.value().as_text())
        .map(|t| t.len())
        .sum()
}

fn time<T>(f: impl FnOnce() -> T) -> Duration {
    let start = Instant::now();
    black_box(f());
    start.elapsed()
}

fn median(v: &mut [Duration]) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn load_pages(dir: &std::path::Path) -> Vec<String> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut paths: Vec<PathBuf> = entries.filter_map(|e| Some(e.ok()?.path())).collect();
    paths.sort();
    paths
        .into_iter()
        .filter_map(|p| {
            let bytes = std::fs::read(&p).ok()?;
            let bytes = if p.extension().is_some_and(|e| e == "gz") {
                let mut out = Vec::new();
                flate2::read::GzDecoder::new(bytes.as_slice())
                    .read_to_end(&mut out)
                    .ok()?;
                out
            } else {
                bytes
            };
            Some(wiredesk::charset::decode_html(&bytes, None))
        })
        .collect()
}
