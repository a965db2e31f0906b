//! rs-trafilatura 0.2 as a whole process, the yardstick for `wiredesk extract DIR`:
//! `cargo run --release --manifest-path bench-compare/Cargo.toml --example trafilatura_extract
//! -- PATH...` reads the same files as the CLI (`.html`, `.htm`, `.html.gz`, folders sorted),
//! gunzips and decodes them the same way, extracts each with `rs_trafilatura::extract` and
//! prints one line per page (its text length: cheaper than our JSON lines, so the comparison
//! does not flatter wiredesk). `scripts/bench_extract_cli.py` runs it beside the CLI.

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
        let text = rs_trafilatura::extract(&html).map_or(0, |r| r.content_text.len());
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
