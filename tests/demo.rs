//! `wiredesk demo`: fixtures in, stories out, no internet.

use crate::common::{SEED_HEADLINE, wiredesk};

#[test]
fn demo_ingests_fixtures_and_prints_the_stories() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("demo.db");
    let out = wiredesk()
        .current_dir(dir.path())
        .arg("--db")
        .arg(&db)
        .arg("demo")
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let out = String::from_utf8(out).unwrap();
    assert!(out.contains("10 stories stored"), "{out}");
    let seed_line = out
        .lines()
        .find(|l| l.contains(SEED_HEADLINE))
        .expect("seed story listed");
    assert!(
        seed_line.contains("6 appearances") && seed_line.contains("CNN Newsource"),
        "{seed_line}"
    );
    assert!(db.exists());
}
