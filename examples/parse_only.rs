//! The floor `wiredesk extract` is measured against, as a whole process:
//! `cargo run --release --example parse_only -- PATH...` reads the same files the CLI would
//! (`.html`, `.htm`, `.html.gz`, folders sorted), gunzips, decodes the charset the same way,
//! parses each page with html5ever (scraper) and visits its text nodes, printing one line per
//! page (the page's text length). No extraction: what is left of `extract`'s time over this
//! is the extractor's own. `scripts/bench_extract_cli.py` runs it beside `wiredesk extract`.

use std::io::{Read as _, Write as _};
use std::path::{Path, PathBuf};

fn main() {
    let mut files = Vec::new();
    for arg in std::env::args_os().skip(1) {
        files.extend(html_files(Path::new(&arg)));
    }
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    for path in files {
        let mut bytes = std::fs::read(&path).expect("readable page");
        if path.extension().is_some_and(|e| e == "gz") {
            let mut raw = Vec::new();
            flate2::read::GzDecoder::new(bytes.as_slice())
                .read_to_end(&mut raw)
                .expect("gzip");
            bytes = raw;
        }
        let html = wiredesk::charset::decode_html(&bytes, None);
        let doc = scraper::Html::parse_document(&html);
        let text: usize = doc
            .tree
            .nodes()
            .filter_map(|n| n.value().as_text())
            .map(|t| t.len())
            .sum();
        writeln!(out, "{}\t{text}", path.display()).expect("stdout");
    }
    out.flush().expect("stdout");
}

/// A file itself, or a folder's `.html` / `.htm` / `.html.gz` files, sorted (as the CLI does).
fn html_files(path: &Path) -> Vec<PathBuf> {
    if !path.is_dir() {
        return vec![path.to_path_buf()];
    }
    let mut files: Vec<PathBuf> = std::fs::read_dir(path)
        .expect("readable folder")
        .filter_map(|e| Some(e.ok()?.path()))
        .filter(|p| {
            let name = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
            p.is_file()
                && (name.ends_with(".html") || name.ends_with(".html.gz") || name.ends_with(".htm"))
        })
        .collect();
    files.sort();
    files
}
