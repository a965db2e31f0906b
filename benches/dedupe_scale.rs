//! Cost of ingesting one story into a store of 10k stories vs 1M stories: the near-duplicate
//! candidate index must keep it (nearly) flat.
//!
//! Generates each store through the store API (`Store::ingest_many`, 10k articles per
//! transaction; deterministic bodies from a fixed word list), then times `Store::ingest` — the
//! real single-article path, one transaction each — of new stories and of near-duplicates
//! (truncated cuts, edited copies, updates) of stored ones. The stores are open side by side
//! and the probes alternate between them, so load on a shared machine hits every size alike.
//! Prints the medians and the ratio.
//!
//! `cargo bench --bench dedupe_scale` (sizes: `WIREDESK_BENCH_SIZES=10000,1000000`, the default).
//!
//! Generating 1M stories takes a quarter of an hour; with `WIREDESK_BENCH_CACHE=DIR` each
//! generated store is kept in DIR (named for its size, body shape and schema/fingerprint
//! versions) and later runs time a fresh copy of it. Generation time is not what is measured,
//! so a cached store gives the same figures.

use std::time::Instant;

use std::path::{Path, PathBuf};

use chrono::{TimeZone, Utc};
use wiredesk::dedupe::FINGERPRINT_VERSION;
use wiredesk::model::Article;
use wiredesk::store::{BodySource, Incoming, IngestOutcome, SCHEMA_VERSION, Store};

/// xorshift64*: deterministic, good enough to pick words.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
}

fn vocabulary() -> Vec<String> {
    // 4096 pronounceable made-up words: syllable combinations.
    let syl = [
        "ka", "lo", "mi", "ten", "ras", "vo", "pel", "du", "shi", "gar", "no", "bre", "fi", "tu",
        "zan", "wel",
    ];
    let mut out = Vec::new();
    for a in syl {
        for b in syl {
            for c in syl {
                out.push(format!("{a}{b}{c}"));
            }
        }
    }
    out
}

/// The body of story `n`: `paragraphs` paragraphs of `words` words.
fn body(vocab: &[String], n: u64, paragraphs: usize, words: usize) -> Vec<String> {
    let mut rng = Rng(n.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1);
    (0..paragraphs)
        .map(|_| {
            (0..words)
                .map(|_| vocab[(rng.next() % vocab.len() as u64) as usize].as_str())
                .collect::<Vec<_>>()
                .join(" ")
                + "."
        })
        .collect()
}

fn article(n: u64, paragraphs: Vec<String>, site: &str) -> Incoming {
    let text = paragraphs.join("\n\n");
    Incoming {
        article: Article {
            headline: Some(format!("Story {n}")),
            body_html: format!("<p>{}</p>", paragraphs.join("</p><p>")),
            body_text: text,
            ..Article::default()
        },
        feed: site.to_owned(),
        guid: Some(format!("{site}-{n}")),
        url: Some(format!("https://{site}.example/news/{n}")),
        seen_at: Utc.with_ymd_and_hms(2026, 11, 27, 12, 0, 0).unwrap(),
        wire: None,
        body_source: BodySource::Page,
    }
}

/// Paragraphs and words per paragraph of the generated stores' stories
/// (`WIREDESK_BENCH_BODY=4x25`, the default; smaller bodies generate faster).
fn store_body() -> (usize, usize) {
    let spec = std::env::var("WIREDESK_BENCH_BODY").unwrap_or_else(|_| "4x25".into());
    let (p, w) = spec.split_once('x').expect("PxW");
    (p.parse().expect("paragraphs"), w.parse().expect("words"))
}
const PROBES: u64 = 1000;

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

/// Writes a store of `size` generated stories at `path`.
fn generate(path: &Path, size: u64, vocab: &[String]) {
    let (store_paragraphs, store_words) = store_body();
    let mut store = Store::open(path).expect("open");
    let started = Instant::now();
    let batch = 10_000u64;
    let mut n = 0;
    while n < size {
        let items: Vec<Incoming> = (n..(n + batch).min(size))
            .map(|i| article(i, body(vocab, i, store_paragraphs, store_words), "gen"))
            .collect();
        store.ingest_many(&items).expect("bulk ingest");
        n += batch;
    }
    eprintln!(
        "  generated {size} stories in {:.1} s",
        started.elapsed().as_secs_f64()
    );
}

/// The store to time, at `dir/bench.db`: generated, or copied from `WIREDESK_BENCH_CACHE`.
fn prepare(dir: &Path, size: u64, vocab: &[String]) -> PathBuf {
    let path = dir.join("bench.db");
    let Some(cache) = std::env::var_os("WIREDESK_BENCH_CACHE").map(PathBuf::from) else {
        generate(&path, size, vocab);
        return path;
    };
    let (p, w) = store_body();
    let cached = cache.join(format!(
        "store-{size}-{p}x{w}-schema{SCHEMA_VERSION}-fp{FINGERPRINT_VERSION}.db"
    ));
    if !cached.exists() {
        generate(&path, size, vocab);
        // Closing the store checkpoints the WAL into the main file, which is all there is to copy.
        std::fs::create_dir_all(&cache).expect("cache dir");
        let partial = cached.with_extension("partial");
        std::fs::copy(&path, &partial).expect("copy to cache");
        std::fs::rename(&partial, &cached).expect("cache");
    } else {
        std::fs::copy(&cached, &path).expect("copy from cache");
        eprintln!("  copied from {}", cached.display());
    }
    // Let the copy (or the generation) reach the disk first: gigabytes of dirty pages being
    // written back would otherwise be timed as ingest cost.
    std::fs::File::open(&path)
        .and_then(|f| f.sync_all())
        .expect("sync store");
    path
}

/// A store under test and its timings.
struct Subject {
    size: u64,
    store: Store,
    new: Vec<f64>,
    near: Vec<f64>,
    _dir: tempfile::TempDir,
}

/// The `p`th new story (8 paragraphs of 40 words: a full wire story) for a store of `size`.
fn new_probe(vocab: &[String], size: u64, p: u64) -> Incoming {
    let i = size + 1_000_000 + p;
    article(i, body(vocab, i, 8, 40), "probe")
}

/// The `p`th near-duplicate of a stored story, spread over the store: a cut, an edit, an update.
fn near_probe(vocab: &[String], size: u64, p: u64) -> (u64, Incoming) {
    let (store_paragraphs, store_words) = store_body();
    let i = (p * 7919) % size;
    let mut paragraphs = body(vocab, i, store_paragraphs, store_words);
    match p % 3 {
        0 => paragraphs.truncate(paragraphs.len() - 1),
        1 => paragraphs[1] = paragraphs[1].replacen(' ', " also ", 1),
        _ => paragraphs.push(body(vocab, i + 7_000_000, 1, 30).remove(0)),
    }
    let mut a = article(i, paragraphs, "near");
    a.article.published_at = Some(
        Utc.with_ymd_and_hms(2026, 11, 28, 0, 0, 0)
            .unwrap()
            .fixed_offset(),
    );
    (i, a)
}

fn timed(store: &mut Store, a: &Incoming) -> (f64, IngestOutcome) {
    let t = Instant::now();
    let out = store.ingest(a).expect("ingest");
    (t.elapsed().as_secs_f64() * 1e6, out)
}

fn main() {
    let sizes: Vec<u64> = std::env::var("WIREDESK_BENCH_SIZES")
        .unwrap_or_else(|_| "10000,1000000".into())
        .split(',')
        .map(|s| s.trim().parse().expect("size"))
        .collect();
    let vocab = vocabulary();
    let mut subjects: Vec<Subject> = sizes
        .iter()
        .map(|&size| {
            eprintln!("store of {size} stories:");
            let dir = tempfile::tempdir().expect("tempdir");
            let path = prepare(dir.path(), size, &vocab);
            Subject {
                size,
                store: Store::open(&path).expect("open"),
                new: Vec::new(),
                near: Vec::new(),
                _dir: dir,
            }
        })
        .collect();
    // Probes alternate between the stores, so a burst of load on a shared machine lands on
    // every size alike and the ratio stays honest.
    for p in 0..PROBES {
        for s in &mut subjects {
            let (us, out) = timed(&mut s.store, &new_probe(&vocab, s.size, p));
            assert!(matches!(out, IngestOutcome::New { .. }), "{out:?}");
            s.new.push(us);
        }
    }
    for p in 0..PROBES {
        for s in &mut subjects {
            let (i, a) = near_probe(&vocab, s.size, p);
            let (us, out) = timed(&mut s.store, &a);
            assert_eq!(
                out.story_id(),
                i as i64 + 1,
                "near-duplicate of story {i} filed as {out:?}"
            );
            s.near.push(us);
        }
    }
    let results: Vec<(u64, f64, f64)> = subjects
        .into_iter()
        .map(|s| (s.size, median(s.new), median(s.near)))
        .collect();
    for (size, new, near) in &results {
        println!(
            "{size:>9} stories: new story {new:8.1} µs, near-duplicate {near:8.1} µs (medians of {PROBES}, interleaved)"
        );
    }
    if let (Some(first), Some(last)) = (results.first(), results.last())
        && results.len() > 1
    {
        println!(
            "ratio {} / {}: new story {:.2}x, near-duplicate {:.2}x",
            last.0,
            first.0,
            last.1 / first.1,
            last.2 / first.2
        );
    }
}
