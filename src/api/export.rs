//! A whole set of stories in one format, streamed: the store hands one row at a time to an
//! [`Exporter`], which writes it and lets it go, so an export of a million stories holds one
//! story in memory.

use std::io::Write;

use crate::store::StoryRow;

/// The export formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// IPTC ninjs 2.1 objects, one per line.
    Ninjs,
    /// Our own columns (docs/schema.md), one JSON object per line.
    Jsonl,
    /// One Atom feed document.
    Atom,
    /// One JSON Feed 1.1 document.
    Jsonfeed,
}

/// Writes stories to `out` in one format: [`Exporter::begin`], then [`Exporter::story`] for
/// each, then [`Exporter::finish`].
pub struct Exporter<W: Write> {
    out: W,
    format: Format,
    written: u64,
}

impl<W: Write> Exporter<W> {
    /// Starts a document (Atom and JSON Feed have an envelope); `now` is the Atom feed's
    /// `updated` (RFC 3339).
    pub fn begin(mut out: W, format: Format, now: &str) -> std::io::Result<Self> {
        match format {
            Format::Atom => out.write_all(
                super::atom::head("urn:wiredesk:export", "wiredesk stories", now).as_bytes(),
            )?,
            Format::Jsonfeed => {
                out.write_all(super::jsonfeed::head("wiredesk stories").as_bytes())?
            }
            Format::Ninjs | Format::Jsonl => {}
        }
        Ok(Exporter {
            out,
            format,
            written: 0,
        })
    }

    /// Writes one story.
    pub fn story(&mut self, s: &StoryRow) -> std::io::Result<()> {
        match self.format {
            Format::Ninjs => {
                serde_json::to_writer(&mut self.out, &super::ninjs::story(s))?;
                self.out.write_all(b"\n")?;
            }
            Format::Jsonl => {
                serde_json::to_writer(&mut self.out, s)?;
                self.out.write_all(b"\n")?;
            }
            Format::Atom => self.out.write_all(super::atom::entry(s).as_bytes())?,
            Format::Jsonfeed => {
                if self.written > 0 {
                    self.out.write_all(b",\n")?;
                }
                serde_json::to_writer(&mut self.out, &super::jsonfeed::item(s))?;
            }
        }
        self.written += 1;
        Ok(())
    }

    /// Closes the document and flushes; returns the writer and the stories written.
    pub fn finish(mut self) -> std::io::Result<(W, u64)> {
        match self.format {
            Format::Atom => self.out.write_all(super::atom::TAIL.as_bytes())?,
            Format::Jsonfeed => self.out.write_all(super::jsonfeed::TAIL.as_bytes())?,
            Format::Ninjs | Format::Jsonl => {}
        }
        self.out.flush()?;
        Ok((self.out, self.written))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    pub(crate) fn row(id: i64) -> StoryRow {
        StoryRow {
            id,
            headline: Some(format!("Senate passes bill <{id}> & more")),
            body_text: "WASHINGTON (CNN) — The Senate passed the bill.\n\nThe vote was 51-49."
                .into(),
            body_html:
                "<p>WASHINGTON (CNN) — The Senate passed the bill.</p><p>The vote was 51-49.</p>"
                    .into(),
            credit: Some("CNN Newsource".into()),
            authors: vec!["Jane Roe".into(), "John Doe".into()],
            site_name: Some("KVIA".into()),
            published_at: Some("2026-11-27T11:30:00Z".into()),
            updated_at: Some("2026-11-27T12:45:00Z".into()),
            canonical_url: Some(format!("https://kvia.com/news/senate-bill-{id}/")),
            first_url: Some(format!(
                "https://kvia.com/news/senate-bill-{id}/?utm_source=rss"
            )),
            section: Some("National Politics".into()),
            topics: vec!["congress".into(), "budget".into()],
            language: Some("en".into()),
            dateline: Some("WASHINGTON (CNN) —".into()),
            description: Some("The vote was 51-49.".into()),
            image: Some("https://kvia.com/img/senate.jpg".into()),
            version: 2,
            body_hash: "af13".repeat(16),
            status: "usable".into(),
            embargoed_until: None,
            first_seen_at: "2026-11-27T12:00:00Z".into(),
            last_seen_at: "2026-11-27T18:20:00Z".into(),
            appearances: 3,
        }
    }

    fn export(format: Format, rows: &[StoryRow]) -> Vec<u8> {
        let mut e = Exporter::begin(Vec::new(), format, "2026-12-04T10:00:00Z").unwrap();
        for r in rows {
            e.story(r).unwrap();
        }
        let (out, n) = e.finish().unwrap();
        assert_eq!(n, rows.len() as u64);
        out
    }

    #[test]
    fn atom_parses_back_with_every_entry() {
        let mut untitled = row(3);
        (untitled.headline, untitled.authors, untitled.image) = (None, vec![], None);
        let out = export(Format::Atom, &[row(1), row(2), untitled]);
        let feed = feed_rs::parser::parse(&out[..]).unwrap();
        assert_eq!(feed.entries.len(), 3);
        let e = &feed.entries[0];
        assert_eq!(e.id, "urn:wiredesk:story:1");
        assert_eq!(
            e.title.as_ref().unwrap().content,
            "Senate passes bill <1> & more"
        );
        assert_eq!(e.links[0].href, "https://kvia.com/news/senate-bill-1/");
        let names: Vec<&str> = e.authors.iter().filter_map(|a| a.name.as_deref()).collect();
        assert_eq!(names, ["Jane Roe", "John Doe"]);
        assert!(
            e.content
                .as_ref()
                .unwrap()
                .body
                .as_deref()
                .unwrap()
                .contains("<p>The vote was 51-49.</p>")
        );
        assert_eq!(e.categories.len(), 2);
        assert_eq!(
            feed.entries[2].title.as_ref().unwrap().content,
            "(no headline)"
        );
    }

    #[test]
    fn json_feed_parses_back_with_every_item() {
        for rows in [vec![], vec![row(1)], vec![row(1), row(2)]] {
            let out = export(Format::Jsonfeed, &rows);
            let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
            assert_eq!(v["version"], "https://jsonfeed.org/version/1.1");
            let feed = feed_rs::parser::parse(&out[..]).unwrap();
            assert_eq!(feed.entries.len(), rows.len());
        }
        let out = export(Format::Jsonfeed, &[row(7)]);
        let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
        let item = &v["items"][0];
        assert_eq!(item["id"], "urn:wiredesk:story:7");
        assert_eq!(item["title"], "Senate passes bill <7> & more");
        assert_eq!(item["authors"][1]["name"], "John Doe");
        assert_eq!(item["date_published"], "2026-11-27T11:30:00Z");
    }

    #[test]
    fn ninjs_and_jsonl_write_one_object_per_line() {
        let out = String::from_utf8(export(Format::Ninjs, &[row(1), row(2)])).unwrap();
        let lines: Vec<serde_json::Value> = out
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        assert_eq!(lines.len(), 2);
        let n = &lines[1];
        assert_eq!(n["uri"], "urn:wiredesk:story:2");
        assert_eq!(n["version"], "2");
        assert_eq!(n["pubstatus"], "usable");
        assert_eq!(n["headlines"][0]["value"], "Senate passes bill <2> & more");
        assert_eq!(n["by"], "Jane Roe, John Doe");
        assert_eq!(n["located"], "WASHINGTON (CNN) —");
        // "WASHINGTON (CNN) — The Senate passed the bill. The vote was 51-49.": the dash is no word.
        assert_eq!(n["bodies"][1]["wordcount"], 11);
        assert_eq!(n["associations"][0]["name"], "featureimage");
        assert_eq!(
            n["subjects"][2],
            serde_json::json!({"name": "National Politics", "rel": "section"})
        );

        let out = String::from_utf8(export(Format::Jsonl, &[row(5)])).unwrap();
        let v: serde_json::Value = serde_json::from_str(out.trim_end()).unwrap();
        assert_eq!(v["id"], 5);
        assert_eq!(v["appearances"], 3);
        assert_eq!(v["topics"], serde_json::json!(["congress", "budget"]));
    }
}
