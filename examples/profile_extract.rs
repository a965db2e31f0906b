//! Profiling loop: `cargo run --release --example profile_extract -- DIR ROUNDS [parse]`
//! extracts every page of DIR (plain or .gz) ROUNDS times, for `perf record`; with `parse`
//! it only parses and visits the text nodes, as the bench's baseline does (compare the two
//! with `perf stat -e instructions:u`, which load on the machine does not disturb).

use std::io::Read as _;

fn main() {
    let mut args = std::env::args().skip(1);
    let dir = args
        .next()
        .unwrap_or_else(|| "/work/shared/bench/extraction/html".into());
    let rounds: usize = args.next().and_then(|r| r.parse().ok()).unwrap_or(10);
    let parse_only = args.next().is_some_and(|a| a == "parse");
    let mut pages = Vec::new();
    let mut paths: Vec<_> = std::fs::read_dir(&dir)
        .expect("readable dir")
        .filter_map(|e| Some(e.ok()?.path()))
        .collect();
    paths.sort();
    for p in paths {
        let bytes = std::fs::read(&p).expect("readable page");
        let bytes = if p.extension().is_some_and(|e| e == "gz") {
            let mut out = Vec::new();
            flate2::read::GzDecoder::new(bytes.as_slice())
                .read_to_end(&mut out)
                .expect("gzip");
            out
        } else {
            bytes
        };
        pages.push(wiredesk::charset::decode_html(&bytes, None));
    }
    let mut total = 0usize;
    for _ in 0..rounds {
        for html in &pages {
            if parse_only {
                let doc = scraper::Html::parse_document(html);
                total += doc
                    .tree
                    .nodes()
                    .filter_map(|n| n.value().as_text())
                    .map(|t| t.len())
                    .sum::<usize>();
                continue;
            }
            if let Ok(a) = wiredesk::extract::extract(html, &Default::default()) {
                total += a.body_text.len() + a.body_html.len();
            }
        }
    }
    println!("{total}");
}
