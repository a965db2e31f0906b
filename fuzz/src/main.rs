//! Bounded random-mutation fuzzer for `wiredesk::feed::parse` and `wiredesk::extract::extract`.
//!
//! `wiredesk-fuzz SECONDS [SEED]`: mutates the feed corpus and the page fixtures (byte flips,
//! truncation, splices between files, deep nesting, dangerous tokens), runs each input
//! under `catch_unwind`, writes every input that panics to `fuzz/crashes/`, and prints the
//! iteration and crash counts. Deterministic for a given seed (apart from the time box).

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// xorshift64*: no dependency, reproducible.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next() % n as u64) as usize
        }
    }
}

const TOKENS: [&[u8]; 24] = [
    b"<![CDATA[",
    b"]]>",
    b"&",
    b"&amp;",
    b"&#x0;",
    b"&#99999999;",
    b"&nbsp;",
    b"<item>",
    b"</item>",
    b"<entry>",
    b"</channel>",
    b"<rss>",
    b"<?xml version=\"1.0\" encoding=\"utf-16\"?>",
    b"\x00",
    b"\xff\xfe",
    b"\xef\xbb\xbf",
    b"<!DOCTYPE x [<!ENTITY a \"&a;&a;\">]>",
    b"&a;",
    b"<pubDate>Sat, 99 Dec 2023 99:99:99 XYZ</pubDate>",
    b"xmlns=\"\"",
    b"<newsItem>",
    b"{\"uri\":",
    b"<body>",
    b"</",
];

fn load(dir: &Path, out: &mut Vec<Vec<u8>>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            load(&p, out);
        } else if p.metadata().map(|m| m.len() < 400_000).unwrap_or(false)
            && !p.to_string_lossy().ends_with(".meta.json")
            && let Ok(b) = std::fs::read(&p)
        {
            out.push(b);
        }
    }
}

fn mutate(rng: &mut Rng, seeds: &[Vec<u8>], input: &[u8]) -> Vec<u8> {
    let mut v = input.to_vec();
    for _ in 0..1 + rng.below(4) {
        match rng.below(8) {
            0 if !v.is_empty() => {
                for _ in 0..1 + rng.below(16) {
                    let i = rng.below(v.len());
                    v[i] ^= 1 << rng.below(8);
                }
            }
            1 if !v.is_empty() => {
                let cut = rng.below(v.len());
                v.truncate(cut);
            }
            2 => {
                let other = &seeds[rng.below(seeds.len())];
                if !other.is_empty() {
                    let a = rng.below(other.len());
                    let b = a + rng.below(other.len() - a);
                    let at = rng.below(v.len() + 1);
                    v.splice(at..at, other[a..b].iter().copied());
                }
            }
            3 => {
                let depth = 1 + rng.below(5000);
                let tag: &[u8] = [b"<a>".as_slice(), b"<item>", b"<div>", b"<p>"][rng.below(4)];
                let at = rng.below(v.len() + 1);
                let nest: Vec<u8> = tag.repeat(depth);
                v.splice(at..at, nest);
            }
            4 => {
                let t = TOKENS[rng.below(TOKENS.len())];
                let at = rng.below(v.len() + 1);
                v.splice(at..at, t.iter().copied());
            }
            5 if v.len() > 2 => {
                let a = rng.below(v.len());
                let b = a + rng.below(v.len() - a);
                v.drain(a..b);
            }
            6 if !v.is_empty() => {
                let a = rng.below(v.len());
                let b = (a + rng.below(64)).min(v.len());
                let chunk = v[a..b].to_vec();
                for _ in 0..rng.below(50) {
                    v.splice(b..b, chunk.iter().copied());
                }
            }
            _ => {
                let i = rng.below(v.len() + 1);
                v.insert(i, rng.next() as u8);
            }
        }
    }
    v
}

/// An input slower than this is kept for a look.
const SLOW: Duration = Duration::from_secs(1);

fn main() {
    let mut args = std::env::args().skip(1);
    let secs: u64 = args.next().and_then(|s| s.parse().ok()).unwrap_or(60);
    let seed: u64 = args
        .next()
        .and_then(|s| s.parse().ok())
        .unwrap_or(0x9E37_79B9_7F4A_7C15);
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut seeds = Vec::new();
    load(&root.join("fixtures"), &mut seeds);
    assert!(!seeds.is_empty(), "no fixtures found");
    let crashes = root.join("fuzz/crashes");
    // The input under test is on disk before it runs, so a hang (which never returns to be
    // recorded) leaves its input behind; inputs slower than SLOW are kept in fuzz/slow/.
    let in_flight = root.join("fuzz/in-flight.bin");
    let slow_dir = root.join("fuzz/slow");
    std::panic::set_hook(Box::new(|_| {}));
    let mut rng = Rng(seed | 1);
    let base = url::Url::parse("https://station.example/feed/").expect("valid url");
    let start = Instant::now();
    let limit = Duration::from_secs(secs);
    let (mut iterations, mut found) = (0u64, 0u64);
    let mut slowest = Duration::ZERO;
    while start.elapsed() < limit {
        let pick = rng.below(seeds.len());
        let input = mutate(&mut rng, &seeds, &seeds[pick]);
        let _ = std::fs::write(&in_flight, &input);
        let t = Instant::now();
        let ct = [
            "application/rss+xml; charset=iso-8859-1",
            "text/xml",
            "application/json",
        ]
        .get(rng.below(6))
        .copied();
        let feed = catch_unwind(AssertUnwindSafe(|| {
            let _ = wiredesk::feed::parse(&input, ct, Some(&base));
        }));
        let text = String::from_utf8_lossy(&input);
        let page = catch_unwind(AssertUnwindSafe(|| {
            let opts = wiredesk::extract::ExtractOptions {
                url: Some(&base),
                ..Default::default()
            };
            let _ = wiredesk::extract::extract(&text, &opts);
        }));
        let took = t.elapsed();
        slowest = slowest.max(took);
        iterations += 1;
        if took > SLOW {
            let _ = std::fs::create_dir_all(&slow_dir);
            let name = format!("{seed:x}-{iterations}-{}ms.bin", took.as_millis());
            let _ = std::fs::write(slow_dir.join(&name), &input);
            eprintln!("slow input ({} ms): fuzz/slow/{name}", took.as_millis());
        }
        for (what, r) in [("feed", feed), ("extract", page)] {
            if r.is_err() {
                found += 1;
                let _ = std::fs::create_dir_all(&crashes);
                let name = format!("{what}-{seed:x}-{iterations}.bin");
                let _ = std::fs::write(crashes.join(&name), &input);
                eprintln!("crash in {what}: fuzz/crashes/{name}");
            }
        }
    }
    println!(
        "seconds {} iterations {iterations} crashes {found} slowest_input_ms {}",
        start.elapsed().as_secs(),
        slowest.as_millis()
    );
}
