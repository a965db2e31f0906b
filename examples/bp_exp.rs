use std::io::Read as _;
use std::time::Instant;
fn main() {
    let dir = "/work/shared/bench/extraction/html";
    let mut texts = Vec::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        let bytes = std::fs::read(&p).unwrap();
        let mut out = Vec::new();
        flate2::read::GzDecoder::new(bytes.as_slice())
            .read_to_end(&mut out)
            .unwrap();
        let html = wiredesk::fetch::decode_html(&out, None);
        let doc = scraper::Html::parse_document(&html);
        let w = wiredesk::extract::dom::walk(&doc);
        for b in &w.blocks {
            texts.push(b.text.trim().to_string());
        }
    }
    let mut texts: Vec<String> = texts.into_iter().filter(|t| t.len() <= 400).collect();
    for extra in [
        "Photo by X / Getty Images",
        "Jane (AP Photo).",
        "© 2024 KXYZ",
        "We use cookies on this site",
        "this cooKies",
        "Community guidelines apply here",
        "KVIA is committed to providing a forum for civil talk",
        "x\ncopyright 2020",
    ] {
        texts.push(extra.into());
    }
    println!("{} texts", texts.len());
    let pat = std::fs::read_to_string("/tmp/bp_pattern.txt").unwrap();
    let old = regex::Regex::new(&pat).unwrap();
    let base: Vec<bool> = texts.iter().map(|t| old.is_match(t)).collect();
    let st = std::fs::read_to_string("/tmp/bp_start.txt").unwrap();
    let re = regex::RegexBuilder::new(&st)
        .dfa_size_limit(32 << 20)
        .build()
        .unwrap();
    for _ in 0..3 {
        let t0 = Instant::now();
        let n = texts.iter().filter(|t| re.is_match(t)).count();
        let t1 = Instant::now();
        let m = texts
            .iter()
            .filter(|t| {
                ["forum", "guidelines", "cookies", "(c)", "copyright"]
                    .iter()
                    .any(|w| {
                        t.as_bytes()
                            .windows(w.len())
                            .any(|x| x.eq_ignore_ascii_case(w.as_bytes()))
                    })
            })
            .count();
        println!(
            "start regex {:?} ({n}), gates {:?} ({m})",
            t1 - t0,
            t1.elapsed()
        );
    }
    let fl = [
        (
            "forum",
            r"(?i)^.{0,80}\bcommitted\s+to\s+providing\s+a\s+forum\b.*$",
        ),
        (
            "guidelines",
            r"(?i)^.{0,120}\bcommunity\s+guidelines\b.{0,80}$",
        ),
        (
            "cookies",
            r"(?i)^(?:.{0,200}\bwebsite\s+uses\s+cookies\b.*|.{0,200}\b(we|this\s+site)\s+use\s+cookies\b.*|.{0,100}\bcookies\s+(are|that\s+are)\s+(absolutely|categorized|necessary)\b.*)$",
        ),
        (
            "copyright",
            r"(?i)^.{0,120}(©|\(c\)|copyright)(\s*(©|copyright))?\s*\d{4}.{0,200}$",
        ),
        (
            "photo",
            r"(?i)^.{0,100}(getty\s+images|ap\s+photo|shutterstock|istock(photo)?|afp\s+photo|reuters\s+photo)\.?\)?$",
        ),
    ];
    for (w, p) in fl {
        let re = regex::Regex::new(p).unwrap();
        let gated: Vec<&String> = texts
            .iter()
            .filter(|t| {
                t.to_ascii_lowercase().contains(w)
                    || (w == "copyright" && (t.contains("(c)") || t.contains("©")))
            })
            .collect();
        let _ = gated.iter().filter(|t| re.is_match(t)).count();
        let t0 = Instant::now();
        let n = gated.iter().filter(|t| re.is_match(t)).count();
        println!("{w}: {} gated, {n} match, {:?}", gated.len(), t0.elapsed());
    }
    for _ in 0..12 {
        let t0 = Instant::now();
        let got: Vec<bool> = texts
            .iter()
            .map(|t| wiredesk::extract::chrome::is_boilerplate_line(t))
            .collect();
        let diff: Vec<_> = texts
            .iter()
            .zip(got.iter().zip(&base))
            .filter(|(_, (a, b))| a != b)
            .map(|(t, _)| t)
            .collect();
        println!(
            "new: {:?}, {} match, diff {:?}",
            t0.elapsed(),
            got.iter().filter(|x| **x).count(),
            diff
        );
    }
}
