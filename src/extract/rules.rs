//! Per-site extraction rules: data from the config (`[[sites]]`), for the rare site the
//! heuristics miss. A rule names a host and CSS selectors: `body` (the element that holds the
//! article) and `remove` (elements to drop before anything is read). The heuristics still run
//! on what the rule leaves, so a rule only narrows; it never has to describe a whole page.
//!
//! In: the rules and a page URL (to pick the rule), a parsed document (to apply it). Out: the
//! document without the removed elements, and the body element's HTML when the rule has one
//! and it matches.

use std::fmt;

use scraper::{Html, Selector};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use url::Url;

/// A CSS selector, checked when the config is read (a typo is a config error naming the line,
/// not a rule that silently matches nothing).
#[derive(Clone)]
pub struct CssSelector {
    source: String,
    selector: Selector,
}

impl CssSelector {
    /// Parses a selector.
    pub fn parse(source: &str) -> Result<Self, String> {
        let selector =
            Selector::parse(source).map_err(|e| format!("invalid CSS selector {source:?}: {e}"))?;
        Ok(CssSelector {
            source: source.to_owned(),
            selector,
        })
    }

    /// The selector as written.
    pub fn as_str(&self) -> &str {
        &self.source
    }
}

impl fmt::Debug for CssSelector {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "CssSelector({:?})", self.source)
    }
}

impl PartialEq for CssSelector {
    fn eq(&self, other: &Self) -> bool {
        self.source == other.source
    }
}

impl<'de> Deserialize<'de> for CssSelector {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        CssSelector::parse(&s).map_err(serde::de::Error::custom)
    }
}

impl Serialize for CssSelector {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.source)
    }
}

/// A site's host name: lowercase, without scheme, port or path; `www.` is dropped, so a rule
/// for `kvia.com` covers `www.kvia.com` and `m.kvia.com` too.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SiteHost(String);

impl SiteHost {
    /// Checks and normalizes a host name.
    pub fn parse(s: &str) -> Result<Self, String> {
        let host = s.trim().to_ascii_lowercase();
        let host = host.strip_prefix("www.").unwrap_or(&host);
        let ok = !host.is_empty()
            && host
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-');
        if ok {
            Ok(SiteHost(host.to_owned()))
        } else {
            Err(format!(
                "host {s:?} is not a host name (write \"kvia.com\", without scheme, port or path)"
            ))
        }
    }

    /// The host as normalized.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Whether `host` is this host or one of its subdomains.
    pub fn covers(&self, host: &str) -> bool {
        let host = host.to_ascii_lowercase();
        host == self.0
            || host
                .strip_suffix(self.0.as_str())
                .is_some_and(|sub| sub.ends_with('.'))
    }
}

impl<'de> Deserialize<'de> for SiteHost {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        SiteHost::parse(&s).map_err(serde::de::Error::custom)
    }
}

impl Serialize for SiteHost {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0)
    }
}

/// `[[sites]]`: extraction rules for one site.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SiteRule {
    /// The site's host (its subdomains included).
    pub host: SiteHost,
    /// The element holding the article body; when it matches, the body is read from it alone.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body: Option<CssSelector>,
    /// Elements dropped from the page before extraction (related links, promos, polls).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub remove: Vec<CssSelector>,
}

/// The rule for a page: the one with the longest host that covers the page's host.
pub fn rule_for<'a>(rules: &'a [SiteRule], url: Option<&Url>) -> Option<&'a SiteRule> {
    let host = url?.host_str()?;
    rules
        .iter()
        .filter(|r| r.host.covers(host))
        .max_by_key(|r| r.host.0.len())
}

/// Drops every element a `remove` selector matches.
pub fn remove(doc: &mut Html, rule: &SiteRule) {
    let ids: Vec<_> = rule
        .remove
        .iter()
        .flat_map(|s| doc.select(&s.selector).map(|e| e.id()).collect::<Vec<_>>())
        .collect();
    for id in ids {
        if let Some(mut node) = doc.tree.get_mut(id) {
            node.detach();
        }
    }
}

/// The HTML of the rule's body element (the first match), if the rule has one and it matches.
pub fn body_html(doc: &Html, rule: &SiteRule) -> Option<String> {
    let selector = &rule.body.as_ref()?.selector;
    doc.select(selector).next().map(|e| e.html())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rule(toml_text: &str) -> SiteRule {
        toml::from_str(toml_text).unwrap()
    }

    #[test]
    fn hosts_cover_their_subdomains_only() {
        let h = SiteHost::parse("WWW.KVIA.com").unwrap();
        assert!(h.covers("kvia.com"));
        assert!(h.covers("www.kvia.com"));
        assert!(h.covers("m.kvia.com"));
        assert!(!h.covers("notkvia.com"));
        assert!(!h.covers("kvia.com.evil.example"));
        for bad in ["https://kvia.com", "kvia.com/news", "kvia.com:443", ""] {
            assert!(SiteHost::parse(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn the_longest_matching_host_wins() {
        let rules = vec![
            rule(r#"host = "example.com""#),
            rule(
                r#"host = "news.example.com"
                    remove = [".promo"]"#,
            ),
        ];
        let url = Url::parse("https://news.example.com/story").unwrap();
        assert_eq!(rule_for(&rules, Some(&url)).unwrap().remove.len(), 1);
        let url = Url::parse("https://example.com/story").unwrap();
        assert!(rule_for(&rules, Some(&url)).unwrap().remove.is_empty());
        let url = Url::parse("https://other.org/story").unwrap();
        assert!(rule_for(&rules, Some(&url)).is_none());
        assert!(rule_for(&rules, None).is_none());
    }

    #[test]
    fn a_bad_selector_is_an_error_naming_it() {
        let e = toml::from_str::<SiteRule>(
            r#"host = "kvia.com"
               remove = [".ok", "div:no-such-pseudo"]"#,
        )
        .unwrap_err()
        .to_string();
        assert!(e.contains("div:no-such-pseudo"), "{e}");
        assert!(e.contains("line 2"), "{e}");
    }

    #[test]
    fn removal_and_body_selection() {
        let r = rule(
            r##"host = "kvia.com"
               body = "#story-text"
               remove = [".poll", "aside"]"##,
        );
        let mut doc = Html::parse_document(
            r#"<div id="story-text"><p>Kept.</p><div class="poll">Vote now</div></div><aside>Related</aside>"#,
        );
        remove(&mut doc, &r);
        assert!(!doc.html().contains("Vote now"));
        assert!(!doc.html().contains("Related"));
        let body = body_html(&doc, &r).unwrap();
        assert_eq!(body, r#"<div id="story-text"><p>Kept.</p></div>"#);
    }
}
