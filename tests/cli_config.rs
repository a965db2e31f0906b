//! Config errors: exit code 2 and a message naming the key and line.

use predicates::prelude::*;

use crate::common::wiredesk;

#[test]
fn unknown_key_is_a_usage_error_naming_key_and_line() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bad.toml");
    std::fs::write(&path, "[fetch]\nuser_agent = \"x\"\nconcurency = 4\n").unwrap();
    wiredesk()
        .arg("--config")
        .arg(&path)
        .arg("check-config")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("concurency").and(predicate::str::contains("line 3")));
}

#[test]
fn missing_named_config_is_a_usage_error_naming_the_path() {
    wiredesk()
        .args(["--config", "/nonexistent/wiredesk.toml", "poll"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("/nonexistent/wiredesk.toml"));
}

#[test]
fn check_config_prints_effective_settings_with_db_override() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("ok.toml");
    std::fs::write(
        &path,
        "[[feeds]]\nname = \"a\"\nurl = \"https://example.com/rss\"\n",
    )
    .unwrap();
    wiredesk()
        .arg("--config")
        .arg(&path)
        .args(["--db", "/srv/x.db", "check-config"])
        .assert()
        .success()
        .stdout(
            predicate::str::contains("path = \"/srv/x.db\"")
                .and(predicate::str::contains("interval_secs = 300"))
                .and(predicate::str::contains("1 feeds")),
        );
}

#[test]
fn shipped_example_config_is_valid() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("config/wiredesk.toml");
    wiredesk()
        .arg("--config")
        .arg(&path)
        .arg("check-config")
        .assert()
        .success();
}

#[test]
fn env_var_names_the_config() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("env.toml");
    std::fs::write(&path, "[store]\npath = \"/tmp/from-env.db\"\n").unwrap();
    wiredesk()
        .env("WIREDESK_CONFIG", &path)
        .arg("check-config")
        .assert()
        .success()
        .stdout(predicate::str::contains("/tmp/from-env.db"));
}
