//! The hand-off types between stages: `feed` gives [`FeedItem`]s, `fetch` gives [`Page`]s,
//! `extract` gives an [`Article`], `dedupe` and `store` turn articles into stories.
//!
//! These are plain data: no stage keeps a handle into another stage's internals, so each stage
//! can be tested with values written by hand.

use chrono::{DateTime, FixedOffset, Utc};
use serde::{Deserialize, Serialize};

/// The syndication formats `feed::parse` recognises.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FeedFormat {
    /// RSS 0.90 / 0.91 / 0.92 / 2.0.
    Rss,
    /// RSS 1.0 (RDF).
    Rss1,
    /// Atom 1.0 (or 0.3).
    Atom,
    /// JSON Feed 1.x.
    JsonFeed,
    /// IPTC ninjs 1.x / 2.x / 3.x (one item, or an array of items).
    Ninjs,
    /// IPTC NewsML-G2 (`newsItem`, `packageItem`, or a `newsMessage` of them).
    NewsMlG2,
    /// A Google News sitemap (`<urlset>` with `news:news`).
    Sitemap,
}

impl FeedFormat {
    /// A short stable name, as printed by `wiredesk parse` and stored in the database.
    pub fn as_str(self) -> &'static str {
        match self {
            FeedFormat::Rss => "rss",
            FeedFormat::Rss1 => "rss1",
            FeedFormat::Atom => "atom",
            FeedFormat::JsonFeed => "json_feed",
            FeedFormat::Ninjs => "ninjs",
            FeedFormat::NewsMlG2 => "newsml_g2",
            FeedFormat::Sitemap => "sitemap",
        }
    }
}

/// A whole parsed feed document.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ParsedFeed {
    /// Which syndication format the document was.
    pub format: FeedFormat,
    /// The feed's own title.
    pub title: Option<String>,
    /// The feed's declared language (`<language>`, `xml:lang`), if any.
    pub language: Option<String>,
    /// The entries, in document order.
    pub items: Vec<FeedItem>,
    /// What had to be repaired before the document could be read, in the order applied
    /// (e.g. "escaped bare &", "lenient scanner"); empty for a clean document.
    #[serde(default)]
    pub repairs: Vec<String>,
    /// RSS `<ttl>`: minutes the feed may be cached before it is asked again.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ttl_minutes: Option<u32>,
}

/// The IPTC publishing status of a wire item (ninjs `pubstatus`, NewsML-G2 `pubStatus`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum PubStatus {
    /// May be published.
    Usable,
    /// Must not be published for now (may become usable again).
    Withheld,
    /// Killed: must not be published, and copies already published must be removed.
    Canceled,
}

/// One entry of a feed, before its page is fetched.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct FeedItem {
    /// An id that is stable across polls of the same feed: the guid/atom id when present, else
    /// the link, else a fixed hash of the title, date and text (never a random id).
    pub id: String,
    /// The guid / Atom id / JSON Feed id exactly as the feed gave it.
    pub guid: Option<String>,
    /// The article's URL (absolute).
    pub link: Option<String>,
    /// The entry's title.
    pub title: Option<String>,
    /// Short description / summary (HTML as given).
    pub summary: Option<String>,
    /// Full text when the feed carries it (content:encoded, Atom content, JSON `content_html`).
    pub content_html: Option<String>,
    /// dc:creator / author names.
    pub authors: Vec<String>,
    /// Categories / tags.
    pub categories: Vec<String>,
    /// Publication time, UTC.
    pub published: Option<DateTime<Utc>>,
    /// Last update time, UTC.
    pub updated: Option<DateTime<Utc>>,
    /// Lead image (media:content, media:thumbnail, enclosure image, JSON `image`).
    pub image: Option<String>,
    /// The publication date exactly as the feed wrote it, whether or not it could be read
    /// (an unreadable date leaves `published` empty and is kept only here).
    #[serde(default)]
    pub published_raw: Option<String>,
    /// Wire formats: the publishing status (a canceled item kills the story).
    #[serde(default)]
    pub pubstatus: Option<PubStatus>,
    /// Wire formats: the item's version (higher supersedes lower for the same guid).
    #[serde(default)]
    pub version: Option<u32>,
    /// Wire formats: the dateline as written ("GRANITE BAY (Example Wire) —").
    #[serde(default)]
    pub dateline: Option<String>,
    /// Wire formats: where the story was filed ("Granite Bay").
    #[serde(default)]
    pub located: Option<String>,
    /// Wire formats: editorial signals such as "update" or "correction".
    #[serde(default)]
    pub signals: Vec<String>,
    /// Wire formats: not to be published before this time.
    #[serde(default)]
    pub embargoed: Option<DateTime<Utc>>,
}

/// A fetched article page, already decoded to UTF-8.
#[derive(Debug, Clone, PartialEq)]
pub struct Page {
    /// The URL that was asked for.
    pub requested_url: String,
    /// The URL after redirects: the base for relative links.
    pub final_url: String,
    /// The page's HTML, decoded to UTF-8.
    pub html: String,
}

/// What extraction makes of one page: the article's metadata and body.
///
/// Every field is optional because real pages omit any of them; an absent value is `None` or
/// empty, never a guess.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Article {
    /// The article's headline, without the site-name suffix.
    pub headline: Option<String>,
    /// Person authors (no "By", no roles, no organisations).
    pub authors: Vec<String>,
    /// The wire credit: "CNN Newsource", "The Associated Press", "Reuters".
    pub credit: Option<String>,
    /// The publishing site's name ("KVIA").
    pub site_name: Option<String>,
    /// The article's date as the page presents it, with the offset the page wrote (its local
    /// calendar day is the newsroom's; the store keeps the UTC instant).
    pub published_at: Option<DateTime<FixedOffset>>,
    /// Last modification time, with the offset the page wrote.
    pub modified_at: Option<DateTime<FixedOffset>>,
    /// The section ("National Politics").
    pub section: Option<String>,
    /// Topics / keywords.
    pub topics: Vec<String>,
    /// The canonical URL the page declares (absolute).
    pub canonical_url: Option<String>,
    /// The page's description / standfirst.
    pub description: Option<String>,
    /// The lead image URL (absolute).
    pub image: Option<String>,
    /// BCP 47 language tag, declared or detected ("en", "pt-BR").
    pub language: Option<String>,
    /// The dateline as printed ("WASHINGTON (AP) —").
    pub dateline: Option<String>,
    /// The body as plain text, paragraphs separated by one blank line.
    pub body_text: String,
    /// The body as sanitized minimal HTML.
    pub body_html: String,
}
