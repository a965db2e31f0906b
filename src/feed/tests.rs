//! Fixture-based tests: one file per case in `fixtures/feeds-cases/`.

use chrono::{DateTime, Utc};
use url::Url;

use super::ids::HASH_ID_PREFIX;
use super::*;
use crate::model::FeedFormat;

fn fixture(name: &str) -> Vec<u8> {
    let path = format!("{}/fixtures/feeds-cases/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn utc(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
}

#[test]
fn rss2_without_guid_or_link_gets_stable_hash_ids_and_keeps_text() {
    let bytes = fixture("rss2-no-guid-no-link.xml");
    let a = parse(&bytes, None, None).unwrap();
    let b = parse(&bytes, None, None).unwrap();
    assert_eq!(a.format, FeedFormat::Rss);
    assert_eq!(a.title.as_deref(), Some("Wire Desk Bulletins"));
    assert_eq!(a.language.as_deref(), Some("en-us"));
    assert_eq!(a.items.len(), 2);
    let ids: Vec<_> = a.items.iter().map(|i| i.id.clone()).collect();
    assert_eq!(
        ids,
        b.items.iter().map(|i| i.id.clone()).collect::<Vec<_>>(),
        "ids must not change between parses"
    );
    assert!(
        ids.iter().all(|id| id.starts_with(HASH_ID_PREFIX)),
        "{ids:?}"
    );
    assert_ne!(ids[0], ids[1]);
    // Pinned: a change to the hash input or algorithm would orphan every stored hash id.
    assert_eq!(ids[0], "wiredesk:blake3:8a85b17739fe07fa613bc5cae4904a3d");
    let first = &a.items[0];
    assert_eq!(first.guid, None);
    assert_eq!(first.link, None);
    assert_eq!(first.title.as_deref(), Some("Storm warning for the coast"));
    assert_eq!(first.authors, vec!["Jane Reporter".to_string()]);
    assert_eq!(
        first.summary.as_deref(),
        Some("Short summary of the storm.")
    );
    assert_eq!(
        first.content_html.as_deref(),
        Some("<p>The full text of the storm warning.</p><p>Second paragraph.</p>")
    );
    assert_eq!(first.published, Some(utc("2026-11-27T10:00:00Z")));
    assert_eq!(a.items[1].published, Some(utc("2026-11-27T16:30:00Z")));
}

#[test]
fn rss2_media_authors_categories_and_guid() {
    let feed = parse(&fixture("rss2-media-and-authors.xml"), None, None).unwrap();
    let item = &feed.items[0];
    assert_eq!(item.id, "kxyz-12345");
    assert_eq!(item.guid.as_deref(), Some("kxyz-12345"));
    assert_eq!(
        item.link.as_deref(),
        Some("https://kxyz.example/news/senate-passes-bill")
    );
    assert_eq!(
        item.authors,
        vec!["Sam Writer".to_string(), "CNN Newsource".to_string()]
    );
    assert_eq!(
        item.categories,
        vec!["National Politics".to_string(), "Congress".to_string()]
    );
    assert_eq!(
        item.summary.as_deref(),
        Some("<p>The Senate passed the bill.</p>")
    );
    assert_eq!(
        item.image.as_deref(),
        Some("https://cdn.kxyz.example/img/senate.jpg")
    );
    assert_eq!(item.published, Some(utc("2026-11-26T18:45:00Z")));
    assert_eq!(
        feed.items[1].image.as_deref(),
        Some("https://cdn.kxyz.example/img/thumb-only.jpg")
    );
    assert_eq!(
        feed.items[2].image.as_deref(),
        Some("https://cdn.kxyz.example/img/enclosure.png")
    );
    // No guid: the link is the id.
    assert_eq!(feed.items[2].id, "https://kxyz.example/news/enclosure");
    assert_eq!(feed.items[2].guid, None);
}

#[test]
fn atom_relative_links_resolve_against_base() {
    let base = Url::parse("https://station.example/feeds/atom.xml").unwrap();
    let feed = parse(
        &fixture("atom-relative-links.atom"),
        Some("application/atom+xml"),
        Some(&base),
    )
    .unwrap();
    assert_eq!(feed.format, FeedFormat::Atom);
    assert_eq!(feed.title.as_deref(), Some("Station Atom Feed"));
    assert_eq!(feed.language.as_deref(), Some("en"));
    let first = &feed.items[0];
    assert_eq!(first.id, "tag:station.example,2026:entry-1");
    assert_eq!(
        first.link.as_deref(),
        Some("https://station.example/news/2026/11/27/relative-entry")
    );
    assert_eq!(
        first.authors,
        vec!["Alex Anchor".to_string(), "Pat Producer".to_string()]
    );
    assert_eq!(
        first.content_html.as_deref(),
        Some("<p>Full <b>HTML</b> body.</p>")
    );
    assert_eq!(first.summary.as_deref(), Some("Summary text."));
    assert_eq!(first.categories, vec!["Local News".to_string()]);
    assert_eq!(first.published, Some(utc("2026-11-27T14:15:00Z")));
    assert_eq!(first.updated, Some(utc("2026-11-27T10:00:00Z")));
    let second = &feed.items[1];
    assert_eq!(
        second.link.as_deref(),
        Some("https://station.example/feeds/story-2")
    );
    // Plain-text content is escaped into HTML, not passed through as markup.
    assert_eq!(
        second.content_html.as_deref(),
        Some("<p>Plain text with &lt;angle&gt; brackets &amp; ampersand.</p>")
    );
}

#[test]
fn json_feed_content_html_image_and_numeric_id() {
    let base = Url::parse("https://station.example/feed.json").unwrap();
    let feed = parse(
        &fixture("jsonfeed-content-html.json"),
        Some("application/feed+json"),
        Some(&base),
    )
    .unwrap();
    assert_eq!(feed.format, FeedFormat::JsonFeed);
    assert_eq!(feed.title.as_deref(), Some("Station JSON Feed"));
    assert_eq!(feed.language.as_deref(), Some("en-US"));
    let first = &feed.items[0];
    assert_eq!(first.id, "1001");
    assert_eq!(
        first.link.as_deref(),
        Some("https://station.example/news/json-story")
    );
    assert_eq!(
        first.content_html.as_deref(),
        Some("<p>JSON <em>full</em> text.</p>")
    );
    assert_eq!(first.summary.as_deref(), Some("JSON summary."));
    assert_eq!(first.authors, vec!["Jo Journalist".to_string()]);
    assert_eq!(
        first.categories,
        vec!["Weather".to_string(), "Local".to_string()]
    );
    assert_eq!(
        first.image.as_deref(),
        Some("https://station.example/img/json.jpg")
    );
    assert_eq!(first.published, Some(utc("2026-11-27T08:00:00Z")));
    assert_eq!(first.updated, Some(utc("2026-11-27T08:00:00Z")));
    let second = &feed.items[1];
    assert_eq!(second.id, "no-url-item");
    assert_eq!(second.link, None);
    assert_eq!(
        second.content_html.as_deref(),
        Some("<p>Plain &amp; simple.</p>")
    );
}

#[test]
fn rss2_url_guid_stands_in_for_a_missing_link() {
    let feed = parse(&fixture("rss2-guid-permalink-no-link.xml"), None, None).unwrap();
    assert_eq!(feed.items[0].id, "https://perma.example/news/guid-story");
    assert_eq!(
        feed.items[0].link.as_deref(),
        Some("https://perma.example/news/guid-story")
    );
    assert_eq!(feed.items[1].id, "perma-42");
    assert_eq!(feed.items[1].link, None);
}

#[test]
fn versionless_rss_root_is_read_as_rss2() {
    let feed = parse(&fixture("rss-versionless.xml"), None, None).unwrap();
    assert_eq!(feed.format, FeedFormat::Rss);
    assert_eq!(feed.title.as_deref(), Some("Versionless RSS"));
    assert_eq!(feed.items[0].id, "old-1");
    assert_eq!(
        feed.items[0].link.as_deref(),
        Some("https://old.example/story/1")
    );
    assert_eq!(feed.items[0].published, Some(utc("2026-11-25T07:00:00Z")));
}

#[test]
fn rss1_rdf() {
    let feed = parse(&fixture("rss1-rdf.rdf"), None, None).unwrap();
    assert_eq!(feed.format, FeedFormat::Rss1);
    assert_eq!(feed.title.as_deref(), Some("RDF Station"));
    assert_eq!(feed.language.as_deref(), Some("de"));
    let item = &feed.items[0];
    assert_eq!(item.title.as_deref(), Some("RDF item"));
    assert_eq!(item.link.as_deref(), Some("https://rdf.example/a"));
    assert_eq!(item.authors, vec!["Rita Redakteurin".to_string()]);
    assert_eq!(item.published, Some(utc("2026-11-24T15:20:00Z")));
}

/// Regression: an RSS 1.0 item is named by its `rdf:about`, not by its `<link>` (which may
/// point somewhere else, such as a mobile or syndication copy).
#[test]
fn rss1_item_id_is_its_rdf_about() {
    let xml = br#"<?xml version="1.0"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/">
  <channel rdf:about="https://st.example/"><title>S</title><link>https://st.example/</link><description>d</description></channel>
  <item rdf:about="https://st.example/story/1"><title>One</title><link>https://m.st.example/1.html</link></item>
  <item rdf:about="https://st.example/story/2"><title>Two</title><link>https://m.st.example/2.html</link></item>
</rdf:RDF>"#;
    let feed = parse(xml, None, None).unwrap();
    let ids: Vec<&str> = feed.items.iter().map(|i| i.id.as_str()).collect();
    assert_eq!(
        ids,
        ["https://st.example/story/1", "https://st.example/story/2"]
    );
    assert_eq!(
        feed.items[1].link.as_deref(),
        Some("https://m.st.example/2.html")
    );
}

#[test]
fn latin1_feed_with_charset_only_in_header() {
    let bytes = fixture("latin1-header-only.rss");
    let feed = parse(
        &bytes,
        Some("application/rss+xml; charset=ISO-8859-1"),
        None,
    )
    .unwrap();
    assert_eq!(feed.title.as_deref(), Some("\u{dc}ber die Br\u{fc}cke"));
    assert_eq!(
        feed.items[0].title.as_deref(),
        Some("M\u{fc}nchen: Gr\u{f6}\u{df}e Stra\u{df}e gesperrt")
    );
    // Without the header, detection still reads it as Latin-1 rather than failing.
    let guessed = parse(&bytes, None, None).unwrap();
    assert_eq!(guessed.title.as_deref(), Some("\u{dc}ber die Br\u{fc}cke"));
}

#[test]
fn bare_ampersands_are_recovered_and_html_entities_decoded_in_titles() {
    let feed = parse(
        &fixture("rss2-bare-ampersand-html-entities.xml"),
        None,
        None,
    )
    .unwrap();
    assert_eq!(feed.title.as_deref(), Some("News & Weather"));
    let item = &feed.items[0];
    assert_eq!(
        item.title.as_deref(),
        Some("AT&T outage \u{2014} what\u{2019}s known")
    );
    assert_eq!(
        item.link.as_deref(),
        Some("https://amp.example/news/att-outage?id=1&ref=rss")
    );
    assert_eq!(item.authors, vec!["Lee & Kim".to_string()]);
    // CDATA was not touched by the escaping.
    assert_eq!(item.summary.as_deref(), Some("<p>R&D teams & crews</p>"));
}

#[test]
fn unclosed_item_child_is_recovered_by_the_scanner() {
    let feed = parse(&fixture("malformed-unclosed.xml"), None, None).unwrap();
    assert_eq!(feed.items.len(), 1);
    assert_eq!(feed.items[0].title.as_deref(), Some("Unclosed"));
    assert_eq!(
        feed.repairs.last().map(String::as_str),
        Some("lenient scanner")
    );
}

#[test]
fn malformed_xml_error_has_line_and_column() {
    // Broken and without a single item: nothing to recover, so the error names the place.
    let xml = b"<?xml version=\"1.0\"?>\n<rss version=\"2.0\">\n<channel>\n<title>Broken</title>\n<!-- never closed\n</channel></rss>";
    let err = parse(xml, None, None).unwrap_err();
    match &err {
        FeedError::Xml { line, .. } => assert_eq!(*line, 5, "{err}"),
        other => panic!("expected an XML error, got {other:?}"),
    }
    assert!(err.to_string().contains("line 5"), "{err}");
}

#[test]
fn html_document_is_not_a_feed() {
    let err = parse(&fixture("not-a-feed.html"), None, None).unwrap_err();
    assert!(
        matches!(&err, FeedError::NotAFeed { root, .. } if root == "html"),
        "{err:?}"
    );
    assert!(err.to_string().contains("<html>"), "{err}");
}

#[test]
fn empty_and_broken_json_are_errors() {
    assert!(matches!(parse(b"  \n", None, None), Err(FeedError::Empty)));
    let err = parse(b"{\"version\": ", None, None).unwrap_err();
    assert!(matches!(err, FeedError::Json(_)), "{err:?}");
    assert!(err.to_string().contains("line 1"), "{err}");
}

#[test]
fn a_long_run_of_bare_ampersands_is_linear() {
    // Found by the fuzz harness: every `&` searched to the next `;`, quadratic in the run.
    let mut xml = String::from("<rss version=\"2.0\"><channel><title>T</title><item><title>");
    xml.push_str(&"&".repeat(100_000));
    xml.push_str("</title><link>https://e.example/a</link></item></channel></rss>");
    let start = std::time::Instant::now();
    let feed = parse(xml.as_bytes(), None, None).unwrap();
    assert_eq!(feed.items[0].link.as_deref(), Some("https://e.example/a"));
    assert!(
        feed.repairs.iter().any(|r| r == "escaped bare &"),
        "{:?}",
        feed.repairs
    );
    assert!(
        start.elapsed() < std::time::Duration::from_secs(3),
        "{:?}",
        start.elapsed()
    );
}

#[test]
fn canceled_wire_items_carry_status_and_version() {
    use crate::model::{FeedFormat, PubStatus};
    let feed = parse(
        &fixture("ninjs-canceled.json"),
        Some("application/json"),
        None,
    )
    .unwrap();
    assert_eq!(feed.format, FeedFormat::Ninjs);
    let item = &feed.items[0];
    assert_eq!(item.pubstatus, Some(PubStatus::Canceled));
    assert_eq!(item.version, Some(4));
    assert_eq!(
        item.guid.as_deref(),
        Some("urn:newsml:wire.example:20231029:school-board-fund-wildfire-fuel-breaks-289253")
    );

    let feed = parse(&fixture("newsml-g2-canceled.xml"), None, None).unwrap();
    assert_eq!(feed.format, FeedFormat::NewsMlG2);
    let item = &feed.items[0];
    assert_eq!(item.pubstatus, Some(PubStatus::Canceled));
    assert_eq!(item.version, Some(4));
    assert_eq!(item.located.as_deref(), Some("Cedar Mesa"));
    assert_eq!(
        item.dateline.as_deref(),
        Some("CEDAR MESA (Example Wire) —")
    );
    assert_eq!(
        item.title.as_deref(),
        Some("Library trustees restore downtown parking rules")
    );
}

#[test]
fn ninjs_1x_without_uri_is_ninjs_with_the_guid_as_id() {
    let feed = parse(&fixture("ninjs1-guid-without-uri.json"), None, None).unwrap();
    assert_eq!(feed.format, FeedFormat::Ninjs);
    let item = &feed.items[0];
    assert_eq!(item.id, "urn:newsml:wire.example:20261130:wx-storm-0412");
    assert_eq!(item.guid.as_deref(), Some(item.id.as_str()));
    assert_eq!(
        item.title.as_deref(),
        Some("Ice storm knocks out power to 40,000 across the plains")
    );
    assert_eq!(item.version, Some(2));
    assert_eq!(item.published, Some(utc("2026-11-30T14:05:00Z")));
    assert!(
        item.content_html
            .as_deref()
            .is_some_and(|b| b.contains("Crews from three states"))
    );
}

#[test]
fn ninjs_ids_fall_back_from_guid_to_altids() {
    let feed = parse(&fixture("ninjs1-list-altids-only.json"), None, None).unwrap();
    assert_eq!(feed.format, FeedFormat::Ninjs);
    let ids: Vec<&str> = feed.items.iter().map(|i| i.id.as_str()).collect();
    // No uri and no guid: the first altid, named, so two systems' numbers cannot collide.
    assert_eq!(ids, ["cms:a91f2", "desk:metro-7732"]);
    assert_eq!(
        feed.items[1].content_html.as_deref(),
        Some("<p>Buses in the district will run two hours late on Tuesday.</p>")
    );
}

#[test]
fn json_that_is_neither_feed_nor_ninjs_says_what_it_lacked() {
    let err = parse(&fixture("json-neither-feed-nor-ninjs.json"), None, None).unwrap_err();
    let msg = err.to_string();
    assert!(msg.contains("neither a JSON Feed"), "{msg}");
    assert!(msg.contains("nor ninjs"), "{msg}");
    assert!(msg.contains("count, results, status"), "{msg}");
}

#[test]
fn a_json_feed_is_known_by_its_version_url() {
    let feed = parse(
        &fixture("jsonfeed-version-without-items-title.json"),
        None,
        None,
    )
    .unwrap();
    assert_eq!(feed.format, FeedFormat::JsonFeed);
    assert_eq!(feed.title.as_deref(), Some("KQRT Headlines"));
    assert_eq!(
        feed.items[0].link.as_deref(),
        Some("https://kqrt.example/news/bridge-reopens")
    );
}

#[test]
fn a_gzip_feed_file_is_unpacked_and_says_so() {
    let bytes = fixture("rss2-gzip-file.xml.gz");
    assert_eq!(
        &bytes[..2],
        [0x1f, 0x8b],
        "the fixture must stay compressed"
    );
    let feed = parse(&bytes, None, None).unwrap();
    assert_eq!(feed.format, FeedFormat::Rss);
    assert_eq!(feed.title.as_deref(), Some("KBRN Archive"));
    let ids: Vec<&str> = feed.items.iter().map(|i| i.id.as_str()).collect();
    assert_eq!(ids, ["kbrn-20261128-levee", "kbrn-20261129-library"]);
    assert_eq!(
        feed.repairs.first().map(String::as_str),
        Some("gzip unpacked")
    );
    // A cut-off file is an error that says it is broken gzip, not an XML complaint.
    let err = parse(&bytes[..bytes.len() / 2], None, None).unwrap_err();
    assert!(
        err.to_string().contains("gzip data does not unpack"),
        "{err}"
    );
}

/// (id, title, link) of every entry, for the link-rule cases below.
fn entries(feed: &crate::model::ParsedFeed) -> Vec<(&str, Option<&str>, Option<&str>)> {
    feed.items
        .iter()
        .map(|i| (i.id.as_str(), i.title.as_deref(), i.link.as_deref()))
        .collect()
}

#[test]
fn items_nested_in_items_are_separate_entries_with_their_own_fields() {
    let feed = parse(&fixture("rss2-nested-items.xml"), None, None).unwrap();
    assert_eq!(
        entries(&feed),
        vec![
            // The outer item's link, guid and date come after its nested items: still its own.
            (
                "wnvr-1001",
                Some("Council delays vote on transit plan"),
                Some("https://wnvr.example/news/council-delays-transit-vote")
            ),
            (
                "wnvr-1002",
                Some("Snow emergency declared for Tuesday"),
                Some("https://wnvr.example/news/snow-emergency-tuesday")
            ),
            (
                "wnvr-1003",
                Some("High school wins state robotics title"),
                Some("https://wnvr.example/news/robotics-state-title")
            ),
            (
                "wnvr-1004",
                Some("Food bank sets holiday drive record"),
                Some("https://wnvr.example/news/food-bank-record")
            ),
        ]
    );
    assert_eq!(feed.items[0].published, Some(utc("2026-11-30T13:00:00Z")));
    assert_eq!(feed.items[2].published, Some(utc("2026-11-30T15:15:00Z")));
}

#[test]
fn cdf_items_take_their_link_from_the_href_attribute() {
    let feed = parse(&fixture("cdf-item-href.cdf"), None, None).unwrap();
    assert_eq!(feed.title.as_deref(), Some("KCDF Channel"));
    let links: Vec<_> = feed.items.iter().map(|i| i.link.as_deref()).collect();
    assert_eq!(
        links,
        [
            Some("https://kcdf.example/news/bridge-inspection.html"),
            Some("https://kcdf.example/news/market-reopens.html")
        ]
    );
    // The link is the id (CDF has no guid), and LASTMOD is when the item last changed.
    assert_eq!(
        feed.items[0].id,
        "https://kcdf.example/news/bridge-inspection.html"
    );
    assert_eq!(
        feed.items[0].summary.as_deref(),
        Some("Inspectors found worn bearings on the river bridge.")
    );
    assert_eq!(feed.items[1].updated, Some(utc("2026-11-30T11:00:00Z")));
}

#[test]
fn atom_links_alternate_first_and_ids_verbatim() {
    let feed = parse(&fixture("atom-links-precedence.atom"), None, None).unwrap();
    assert_eq!(
        entries(&feed),
        vec![
            // An enclosure link without href is no link; the alternate one is.
            (
                "tag:kplx.example,2026:newscast-1130",
                Some("Morning newscast, Nov. 30"),
                Some("https://kplx.example/audio/newscast-1130")
            ),
            // No rel means alternate (RFC 4287 §4.2.7.2), ahead of related, enclosure, self.
            (
                "tag:kplx.example,2026:fire-chief",
                Some("City names new fire chief"),
                Some("https://kplx.example/news/new-fire-chief")
            ),
            // Atom ids are compared character by character (§4.2.6.1): case kept as written.
            (
                "http://www.KPLX.example/News/Parade-Closures",
                Some("Road closures for the parade"),
                Some("https://kplx.example/news/parade-closures")
            ),
            // A foreign-namespace attribute on <id> does not lose the id.
            (
                "tag:kplx.example,2026:water-main",
                Some("Water main break on Elm"),
                Some("https://kplx.example/news/water-main-elm")
            ),
            // No alternate link (the enclosure has no href): an http id stands in, as written.
            (
                "HTTP://Www.KPLX.example/Audio/Newscast-1130-PM",
                Some("Evening newscast, Nov. 30"),
                Some("HTTP://Www.KPLX.example/Audio/Newscast-1130-PM")
            ),
        ]
    );
    assert_eq!(
        feed.items[2].guid.as_deref(),
        Some("http://www.KPLX.example/News/Parade-Closures")
    );
}

#[test]
fn rss_links_follow_feedparser_precedence() {
    let feed = parse(&fixture("rss2-item-image-and-links.xml"), None, None).unwrap();
    assert_eq!(
        entries(&feed),
        vec![
            // <image><link> before the item's own <link> ...
            (
                "kdsn-501",
                Some("Hospital opens new wing"),
                Some("https://kdsn.example/news/hospital-new-wing")
            ),
            // ... and after it: neither bleeds into the item's link.
            (
                "kdsn-502",
                Some("Transit fares to rise in March"),
                Some("https://kdsn.example/news/transit-fares-march")
            ),
            (
                "kdsn-503",
                Some("Zoo welcomes two red pandas"),
                Some("https://kdsn.example/news/zoo-red-pandas")
            ),
            // Two <link>s: the later one, as feedparser reads it.
            (
                "kdsn-504",
                Some("Polls open at 7 a.m."),
                Some("https://kdsn.example/news/polls-open")
            ),
            // An href beats the element's own text ...
            (
                "kdsn-505",
                Some("Storm shelters open tonight"),
                Some("https://kdsn.example/news/storm-shelters")
            ),
            // ... and a later href link beats an earlier text one.
            (
                "kdsn-506",
                Some("Vote count to finish Friday"),
                Some("https://kdsn.example/news/vote-count-friday")
            ),
        ]
    );
}
