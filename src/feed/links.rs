//! Entry links as the feed wrote them.
//!
//! An absolute link is kept as written (trimmed): a URL parser would lowercase the host, add a
//! trailing slash and re-encode the path, and then the stored link no longer matches what the
//! feed, feedparser, or a station's own records say. Only a relative link is resolved, against
//! the feed's base. Ids are never passed through here: an Atom id is compared character by
//! character (RFC 4287 §4.2.6.1) and normalised only in dedupe keys.

use url::Url;

/// `href` as written when it is absolute; else joined to `base` (or as written, without one).
pub fn resolve(href: &str, base: Option<&Url>) -> String {
    let href = href.trim();
    if is_absolute(href) {
        return href.to_string();
    }
    base.and_then(|b| b.join(href).ok())
        .map_or_else(|| href.to_string(), |u| u.to_string())
}

/// True when `href` parses as a URL on its own (a scheme and what follows it).
pub fn is_absolute(href: &str) -> bool {
    Url::parse(href).is_ok()
}

/// An id or guid that is an http(s) URL, as written: it stands in for a missing link.
pub fn http_url(s: &str) -> Option<String> {
    let s = s.trim();
    let url = Url::parse(s).ok()?;
    matches!(url.scheme(), "http" | "https").then(|| s.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn absolute_links_keep_their_case_and_form() {
        let base = Url::parse("https://station.example/feeds/").unwrap();
        assert_eq!(
            resolve(" http://www.EXAMPLE.org/News/A ", Some(&base)),
            "http://www.EXAMPLE.org/News/A"
        );
        assert_eq!(resolve("https://e.example", None), "https://e.example");
        assert_eq!(
            resolve("../news/a.html", Some(&base)),
            "https://station.example/news/a.html"
        );
        assert_eq!(resolve("news/a.html", None), "news/a.html");
    }

    #[test]
    fn only_http_ids_stand_in_for_links() {
        assert_eq!(
            http_url("HTTP://Www.Example.ORG/Thing").as_deref(),
            Some("HTTP://Www.Example.ORG/Thing")
        );
        assert_eq!(http_url("tag:e.example,2026:1"), None);
        assert_eq!(http_url("urn:uuid:1"), None);
    }
}
