//! Times, per page and in one run: parse-only (scraper + text walk), wiredesk's `extract`, and
//! rs-trafilatura 0.2's `extract`, over the extraction dev pages (or `WIREDESK_BENCH_PAGES`).
//! Each page runs every method `ROUNDS` times, interleaved; a page's time is its median round;
//! the figures are medians over pages.

use std::hint::black_box;
use std::io::Read as _;
use std::path::PathBuf;
use std::time::{Duration, Instant};

const ROUNDS: usize = 5;

fn main() {
    let dir = std::env::var_os("WIREDESK_BENCH_PAGES")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/bench/extraction/html"));
    let pages = load_pages(&dir);
    assert!(!pages.is_empty(), "no pages in {}", dir.display());
    let mut times: [Vec<Duration>; 3] = Default::default();
    for html in &pages {
        let mut rounds: [Vec<Duration>; 3] = Default::default();
        for _ in 0..ROUNDS {
            rounds[0].push(time(|| parse_only(html)));
            rounds[1].push(time(|| {
                wiredesk::extract::extract(html, &Default::default()).map(|a| a.body_text.len()).unwrap_or(0)
            }));
            rounds[2].push(time(|| rs_trafilatura::extract(html).map(|r| r.content_text.len()).unwrap_or(0)));
        }
        for (t, r) in times.iter_mut().zip(rounds.iter_mut()) {
            t.push(median(r));
        }
    }
    let names = ["parse-only", "wiredesk extract", "rs-trafilatura 0.2"];
    println!("pages: {} from {}", pages.len(), dir.display());
    let medians: Vec<f64> = times.iter_mut().map(|t| ms(median(t))).collect();
    for (name, m) in names.iter().zip(&medians) {
        println!("{name:<20} median per page {m:>8.3} ms");
    }
    println!("wiredesk / parse-only: {:.2}x", medians[1] / medians[0]);
    println!("rs-trafilatura / wiredesk: {:.2}x (wiredesk is that many times faster)", medians[2] / medians[1]);
}

fn parse_only(html: &str) -> usize {
    let doc = scraper::Html::parse_document(html);
    doc.tree.nodes().filter_map(|n| n.value().as_text()).map(|t| t.len()).sum()
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
    let mut paths: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|e| e.filter_map(|e| Some(e.ok()?.path())).collect())
        .unwrap_or_default();
    paths.sort();
    paths
        .into_iter()
        .filter_map(|p| {
            let mut bytes = std::fs::read(&p).ok()?;
            if p.extension().is_some_and(|e| e == "gz") {
                let mut out = Vec::new();
                flate2::read::GzDecoder::new(bytes.as_slice()).read_to_end(&mut out).ok()?;
                bytes = out;
            }
            Some(wiredesk::charset::decode_html(&bytes, None))
        })
        .collect()
}
