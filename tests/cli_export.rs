//! `wiredesk export`: a polled store written out in each format, read back by a feed parser
//! or as JSON, with filters; a failed export leaves no file behind.

use crate::common::{STATION_FEEDS, Workspace, count};

fn export(ws: &Workspace, args: &[&str]) -> std::process::Output {
    let mut all = vec!["export"];
    all.extend_from_slice(args);
    ws.cmd(&all).output().unwrap()
}

#[test]
fn export_writes_every_story_in_each_format_and_filters() {
    let ws = Workspace::new(STATION_FEEDS);
    let polled = ws.cmd(&["poll"]).output().unwrap();
    assert!(
        polled.status.success(),
        "{}",
        String::from_utf8_lossy(&polled.stderr)
    );
    let stories = count(&ws.conn(), "stories") as usize;
    assert!(stories >= 10, "{stories}");

    // Atom and JSON Feed, to files, parse back with every story.
    for format in ["atom", "jsonfeed"] {
        let file = ws.dir.path().join(format!("out.{format}"));
        let out = export(&ws, &["--format", format, "--out", file.to_str().unwrap()]);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(
            String::from_utf8_lossy(&out.stderr).contains(&format!("exported {stories} stories")),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let feed = feed_rs::parser::parse(std::fs::File::open(&file).unwrap()).unwrap();
        assert_eq!(feed.entries.len(), stories, "{format}");
        assert!(
            feed.entries
                .iter()
                .all(|e| e.id.starts_with("urn:wiredesk:story:"))
        );
        assert!(!ws.dir.path().join(format!("out.{format}.partial")).exists());
    }

    // ninjs to stdout: one object a line, with the stored headline and credit.
    let out = export(&ws, &["--format", "ninjs"]);
    assert!(out.status.success());
    let lines: Vec<serde_json::Value> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), stories);
    let (headline, credit): (String, Option<String>) = ws
        .conn()
        .query_row(
            "SELECT headline, credit FROM stories ORDER BY first_seen_at, id LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!(lines[0]["headlines"][0]["value"], headline.as_str());
    assert_eq!(
        lines[0]["infosources"][0]["name"].as_str(),
        credit.as_deref()
    );

    // Filters: no canceled story, nothing stored in the future, everything stored since 2000.
    for (args, want) in [
        (vec!["--status", "canceled"], 0),
        (vec!["--since", "2999-01-01"], 0),
        (vec!["--since", "2000-01-01", "--status", "usable"], stories),
        (vec!["--until", "2000-01-01"], 0),
    ] {
        let mut all = vec!["--format", "jsonl"];
        all.extend(args.iter().copied());
        let out = export(&ws, &all);
        assert!(out.status.success(), "{args:?}");
        assert_eq!(
            String::from_utf8(out.stdout).unwrap().lines().count(),
            want,
            "{args:?}"
        );
    }
}

#[test]
fn export_to_an_unwritable_place_names_it_and_leaves_nothing() {
    let ws = Workspace::new(&["kvia.rss"]);
    assert!(ws.cmd(&["poll"]).output().unwrap().status.success());
    let target = ws.dir.path().join("no-such-dir").join("out.atom");
    let out = export(
        &ws,
        &["--format", "atom", "--out", target.to_str().unwrap()],
    );
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("no-such-dir"), "{err}");
    assert!(!target.exists());
    // A bad day is a usage error naming what is wanted.
    let out = export(&ws, &["--format", "atom", "--since", "yesterday"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("YYYY-MM-DD"));
}

/// The ninjs the export writes (the API writes the same objects) validates against the IPTC
/// ninjs 2.1 schema in fixtures/schemas, formats included (`uri`, `date-time`), and a broken
/// object does not.
#[test]
fn ninjs_output_validates_against_the_iptc_schema() {
    let ws = Workspace::new(STATION_FEEDS);
    assert!(ws.cmd(&["poll"]).output().unwrap().status.success());
    let out = export(&ws, &["--format", "ninjs"]);
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();

    let schema: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(crate::common::fixtures().join("schemas/ninjs-schema_2.1.json"))
            .unwrap(),
    )
    .unwrap();
    let mut schemas = boon::Schemas::new();
    let mut compiler = boon::Compiler::new();
    compiler.enable_format_assertions();
    // The schema's one remote reference (GeoJSON for places, which we never write) is stood
    // in for by an empty schema: nothing is downloaded.
    compiler
        .add_resource(
            "https://geojson.org/schema/GeoJSON.json",
            serde_json::json!({}),
        )
        .unwrap();
    let id = "http://www.iptc.org/std/ninjs/ninjs-schema_2.1.json";
    compiler.add_resource(id, schema).unwrap();
    let ninjs = compiler.compile(id, &mut schemas).unwrap();

    let mut n = 0;
    for line in text.lines() {
        let story: serde_json::Value = serde_json::from_str(line).unwrap();
        if let Err(e) = schemas.validate(&story, ninjs) {
            panic!("{}: {e:#}", story["uri"]);
        }
        n += 1;
    }
    assert_eq!(n, count(&ws.conn(), "stories"));
    let mut broken: serde_json::Value = serde_json::from_str(text.lines().next().unwrap()).unwrap();
    broken["pubstatus"] = "gone".into();
    assert!(schemas.validate(&broken, ninjs).is_err());
    broken["pubstatus"] = "usable".into();
    broken["firstcreated"] = "yesterday".into();
    assert!(
        schemas.validate(&broken, ninjs).is_err(),
        "date-time format checked"
    );
    broken["firstcreated"] = "2026-11-27T12:00:00Z".into();
    broken["extra"] = "x".into();
    assert!(
        schemas.validate(&broken, ninjs).is_err(),
        "unknown properties refused"
    );
}
