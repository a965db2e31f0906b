//! XML sitemaps for backfills: bytes in, the listed URLs (with a date and a title when the
//! sitemap gives them) out. Pure: no network, no clock.
//!
//! Reads a `<urlset>` (plain, or a Google News sitemap whose `<news:news>` carries
//! `news:publication_date` and `news:title`) and a `<sitemapindex>` (whose entries are child
//! sitemaps, fetched by the caller). An entry's date is its `news:publication_date`, else its
//! `<lastmod>`. Gzip or zlib bytes (`.xml.gz`) are unpacked first, up to the default body cap.
//! Relative `<loc>`s are resolved against the sitemap's own URL; a `<loc>` that is not an
//! http(s) URL is not listed but counted in [`Sitemap::invalid`].
//!
//! Unlike feeds, a sitemap is read strictly: malformed XML (mismatched or unclosed elements) is
//! an error naming the line and column, since a half-read sitemap would silently backfill half
//! an archive.

use chrono::{DateTime, Utc};
use quick_xml::Reader;
use quick_xml::events::Event;
use url::Url;

use super::text::owned_str;

/// What kind of sitemap a document is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SitemapKind {
    /// `<urlset>`: its entries are pages.
    UrlSet,
    /// `<sitemapindex>`: its entries are child sitemaps.
    Index,
}

/// One `<url>` or `<sitemap>` entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SitemapEntry {
    /// The absolute URL (`<loc>`).
    pub url: Url,
    /// `news:publication_date`, else `<lastmod>`, when readable.
    pub date: Option<DateTime<Utc>>,
    /// `news:title`, when given.
    pub title: Option<String>,
}

/// A parsed sitemap.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sitemap {
    /// A URL set or an index.
    pub kind: SitemapKind,
    /// The entries, in document order.
    pub entries: Vec<SitemapEntry>,
    /// `<loc>` values that are not http(s) URLs (not listed in `entries`).
    pub invalid: Vec<String>,
}

/// Why a document could not be read as a sitemap.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SitemapError {
    /// Gzip/zlib data that does not unpack, or unpacks past the cap.
    #[error("not a readable sitemap: {0}")]
    Compressed(#[from] crate::compression::UnpackError),
    /// The document is empty or only whitespace.
    #[error("not a readable sitemap: the document is empty")]
    Empty,
    /// The XML is not well-formed.
    #[error("not a readable sitemap: XML error at line {line}, column {column}: {message}")]
    Xml {
        /// 1-based line.
        line: usize,
        /// 1-based column (in characters).
        column: usize,
        /// What is wrong.
        message: String,
    },
    /// Well-formed XML whose root is neither `<urlset>` nor `<sitemapindex>`.
    #[error("not a readable sitemap: root element <{0}> is not urlset or sitemapindex")]
    NotASitemap(String),
}

/// The fields of the entry being read.
#[derive(Debug, Default)]
struct Partial {
    loc: Option<String>,
    lastmod: Option<String>,
    published: Option<String>,
    title: Option<String>,
}

/// Parses a sitemap or sitemap index; `base` (the sitemap's URL) resolves relative `<loc>`s.
pub fn parse(bytes: &[u8], base: Option<&Url>) -> Result<Sitemap, SitemapError> {
    let unpacked = crate::compression::unpack(bytes, crate::config::DEFAULT_MAX_BODY_BYTES)?;
    if unpacked.iter().all(u8::is_ascii_whitespace) {
        return Err(SitemapError::Empty);
    }
    let text = crate::charset::decode_xml(&unpacked, None);
    let mut reader = Reader::from_str(&text);
    let xml_error = |reader: &Reader<&[u8]>, message: String| {
        let (line, column) =
            super::error::line_column(text.as_bytes(), reader.error_position() as usize);
        SitemapError::Xml {
            line,
            column,
            message,
        }
    };
    // Local names of the open elements, root first.
    let mut open: Vec<String> = Vec::new();
    let mut kind = None;
    let mut entry: Option<Partial> = None;
    let mut text_buf = String::new();
    let mut entries = Vec::new();
    let mut invalid = Vec::new();
    loop {
        let event = reader
            .read_event()
            .map_err(|e| xml_error(&reader, e.to_string()))?;
        match event {
            Event::Start(e) => {
                let name = owned_str(e.local_name().as_ref());
                if open.is_empty() {
                    kind = Some(root_kind(&name)?);
                } else if open.len() == 1 && matches!(name.as_str(), "url" | "sitemap") {
                    entry = Some(Partial::default());
                }
                text_buf.clear();
                open.push(name);
            }
            Event::Empty(e) => {
                let name = owned_str(e.local_name().as_ref());
                if open.is_empty() {
                    kind = Some(root_kind(&name)?);
                    break;
                }
            }
            Event::End(_) => {
                let Some(name) = open.pop() else {
                    return Err(xml_error(&reader, "closing tag with nothing open".into()));
                };
                if let Some(partial) = entry.as_mut() {
                    let value = text_buf.trim();
                    let value = (!value.is_empty()).then(|| value.to_string());
                    // Fields are read where the protocols put them: `<loc>`/`<lastmod>` directly
                    // under the entry, the news fields under its `<news:news>`.
                    match (open.len(), name.as_str()) {
                        (2, "loc") => partial.loc = value,
                        (2, "lastmod") => partial.lastmod = value,
                        (3, "publication_date") if open[2] == "news" => partial.published = value,
                        (3, "title") if open[2] == "news" => partial.title = value,
                        (1, _) => {
                            let done = entry.take().unwrap_or_default();
                            finish(done, base, &mut entries, &mut invalid);
                        }
                        _ => {}
                    }
                }
                text_buf.clear();
            }
            Event::Text(t) => text_buf.push_str(&t.xml10_content()),
            Event::CData(c) => text_buf.push_str(&owned_str(&c.into_inner())),
            Event::GeneralRef(r) => {
                let s = match r.resolve_char_ref() {
                    Ok(Some(c)) => c.to_string(),
                    _ => match &*r.xml10_content() {
                        "amp" => "&".into(),
                        "lt" => "<".into(),
                        "gt" => ">".into(),
                        "quot" => "\"".into(),
                        "apos" => "'".into(),
                        other => {
                            return Err(xml_error(&reader, format!("unknown entity &{other};")));
                        }
                    },
                };
                text_buf.push_str(&s);
            }
            Event::Eof => break,
            _ => {}
        }
    }
    if let Some(name) = open.last() {
        let (line, column) = super::error::line_column(text.as_bytes(), text.len());
        return Err(SitemapError::Xml {
            line,
            column,
            message: format!("the document ends inside <{name}>"),
        });
    }
    let Some(kind) = kind else {
        return Err(SitemapError::Empty);
    };
    Ok(Sitemap {
        kind,
        entries,
        invalid,
    })
}

fn root_kind(name: &str) -> Result<SitemapKind, SitemapError> {
    match name {
        "urlset" => Ok(SitemapKind::UrlSet),
        "sitemapindex" => Ok(SitemapKind::Index),
        other => Err(SitemapError::NotASitemap(other.to_string())),
    }
}

/// Adds a finished entry: its URL resolved and checked, its date read.
fn finish(
    partial: Partial,
    base: Option<&Url>,
    entries: &mut Vec<SitemapEntry>,
    invalid: &mut Vec<String>,
) {
    let Some(loc) = partial.loc else {
        invalid.push(String::new());
        return;
    };
    let url = match base {
        Some(b) => b.join(&loc),
        None => Url::parse(&loc),
    };
    match url {
        Ok(url) if matches!(url.scheme(), "http" | "https") && url.host().is_some() => {
            let date = partial
                .published
                .as_deref()
                .and_then(super::parse_date)
                .or_else(|| partial.lastmod.as_deref().and_then(super::parse_date));
            entries.push(SitemapEntry {
                url,
                date,
                title: partial.title,
            });
        }
        _ => invalid.push(loc),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn base() -> Url {
        Url::parse("https://kvia.com/sitemap.xml").unwrap()
    }

    fn date(s: &str) -> Option<DateTime<Utc>> {
        Some(DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc))
    }

    #[test]
    fn urlset_with_lastmod() {
        let xml = br#"<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
  <url><loc>https://kvia.com/news/a</loc><lastmod>2024-03-05T10:00:00+01:00</lastmod></url>
  <url><loc>/news/b?x=1&amp;y=2</loc><changefreq>daily</changefreq></url>
  <url><loc> https://kvia.com/news/c </loc><lastmod>2024-03-06</lastmod></url>
</urlset>"#;
        let map = parse(xml, Some(&base())).unwrap();
        assert_eq!(map.kind, SitemapKind::UrlSet);
        let urls: Vec<&str> = map.entries.iter().map(|e| e.url.as_str()).collect();
        assert_eq!(
            urls,
            [
                "https://kvia.com/news/a",
                "https://kvia.com/news/b?x=1&y=2",
                "https://kvia.com/news/c"
            ]
        );
        assert_eq!(map.entries[0].date, date("2024-03-05T09:00:00Z"));
        assert_eq!(map.entries[1].date, None);
        assert_eq!(map.entries[2].date, date("2024-03-06T00:00:00Z"));
        assert!(map.invalid.is_empty());
    }

    #[test]
    fn index_lists_child_sitemaps() {
        let xml = br#"<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
  <sitemap><loc>https://kvia.com/sitemap-news.xml</loc><lastmod>2024-03-05</lastmod></sitemap>
  <sitemap><loc>https://kvia.com/sitemap-2023.xml.gz</loc></sitemap>
</sitemapindex>"#;
        let map = parse(xml, None).unwrap();
        assert_eq!(map.kind, SitemapKind::Index);
        assert_eq!(map.entries.len(), 2);
        assert_eq!(map.entries[0].date, date("2024-03-05T00:00:00Z"));
        assert_eq!(
            map.entries[1].url.as_str(),
            "https://kvia.com/sitemap-2023.xml.gz"
        );
    }

    #[test]
    fn news_sitemap_gives_publication_date_over_lastmod_and_title() {
        let xml = br#"<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"
        xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">
  <url>
    <loc>https://kvia.com/news/blinken</loc>
    <lastmod>2024-03-09T00:00:00Z</lastmod>
    <news:news>
      <news:publication><news:name>KVIA</news:name><news:language>en</news:language></news:publication>
      <news:publication_date>2024-03-08T14:30:00-05:00</news:publication_date>
      <news:title><![CDATA[Blinken & Austin travel to Japan]]></news:title>
    </news:news>
  </url>
</urlset>"#;
        let map = parse(xml, None).unwrap();
        assert_eq!(map.entries.len(), 1);
        let e = &map.entries[0];
        assert_eq!(e.date, date("2024-03-08T19:30:00Z"));
        assert_eq!(e.title.as_deref(), Some("Blinken & Austin travel to Japan"));
    }

    #[test]
    fn gzip_sitemap_is_unpacked() {
        use std::io::Write as _;
        let xml = b"<urlset><url><loc>https://kvia.com/a</loc></url></urlset>";
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        gz.write_all(xml).unwrap();
        let map = parse(&gz.finish().unwrap(), None).unwrap();
        assert_eq!(map.entries[0].url.as_str(), "https://kvia.com/a");
    }

    #[test]
    fn bad_locs_are_counted_not_listed() {
        let xml = b"<urlset><url><loc>javascript:alert(1)</loc></url><url><lastmod>2024-01-01</lastmod></url>\
                    <url><loc>https://kvia.com/ok</loc></url></urlset>";
        let map = parse(xml, None).unwrap();
        assert_eq!(map.entries.len(), 1);
        assert_eq!(map.invalid, ["javascript:alert(1)", ""]);
    }

    #[test]
    fn malformed_xml_names_line_and_column() {
        let xml = b"<urlset>\n  <url><loc>https://kvia.com/a</loc></url>\n  <url><loc>https://kvia.com/b</url>\n</urlset>";
        let err = parse(xml, None).unwrap_err();
        let SitemapError::Xml { line, message, .. } = &err else {
            panic!("{err:?}");
        };
        assert_eq!(*line, 3, "{err}");
        assert!(err.to_string().contains("line 3"), "{err}");
        assert!(!message.is_empty());
    }

    #[test]
    fn truncated_sitemap_is_an_error() {
        let err = parse(b"<urlset><url><loc>https://kvia.com/a</loc></url>", None).unwrap_err();
        assert!(err.to_string().contains("ends inside <urlset>"), "{err}");
    }

    #[test]
    fn other_documents_are_not_sitemaps() {
        let err = parse(b"<rss version=\"2.0\"><channel/></rss>", None).unwrap_err();
        assert!(
            matches!(err, SitemapError::NotASitemap(ref r) if r == "rss"),
            "{err}"
        );
        assert!(matches!(parse(b"  \n", None), Err(SitemapError::Empty)));
        assert!(matches!(
            parse(b"<html><body>not found</body></html>", None),
            Err(SitemapError::NotASitemap(_))
        ));
    }
}
