//! URL → dedupe key. In: any absolute URL string. Out: a canonical key string, or `None` when
//! the URL is not an absolute http(s) URL.
//!
//! The key is only ever compared, never fetched: it may drop things a server would care about
//! (`www.`, `http` vs `https`), because two stations' links that differ only in those are the
//! same place for dedupe purposes.
//!
//! Rules, in order:
//! - only `http` and `https` URLs have a key; `http` is folded to `https` (stations serve both);
//! - the host is lowercased (the `url` crate does that) and leading `www.` labels are dropped;
//! - user info, the default port and the fragment are dropped (a non-default port is kept);
//! - tracking parameters and AMP switches (see [`is_tracking_param`]) are dropped and the remaining query pairs
//!   are sorted, so `?b=2&a=1` and `?a=1&b=2` key the same; an empty query leaves no `?`;
//! - one trailing `/` is dropped from a non-root path, and the root path becomes empty.

use url::Url;

/// Query parameter names dropped from the key, compared case-insensitively. Prefixes ending in
/// `_` / `*` are handled in [`is_tracking_param`].
const TRACKING_PARAMS: &[&str] = &[
    "fbclid",
    "gclid",
    "gclsrc",
    "dclid",
    "msclkid",
    "yclid",
    "twclid",
    "ttclid",
    "igshid",
    "li_fat_id",
    "mc_cid",
    "mc_eid",
    "_ga",
    "_gl",
    "_hsenc",
    "_hsmi",
    "mkt_tok",
    "ocid",
    "cmpid",
    "ito",
    "ref",
    "ref_src",
    "ref_url",
    "smid",
    "smtyp",
    "taid",
    "ncid",
    "sr_share",
    "s_cid",
    "oly_anon_id",
    "oly_enc_id",
    "rb_clickid",
    "vero_id",
    "wickedid",
    "__twitter_impression",
    // Not tracking but presentation: the same article rendered for AMP (Arc XP stations use
    // `?outputType=amp`).
    "outputtype",
    "amp",
];

/// Prefixes of tracking parameter families (`utm_source`, `at_medium`, `pk_campaign`…).
const TRACKING_PREFIXES: &[&str] = &["utm_", "at_", "pk_", "mtm_", "hsa_"];

/// True for query parameters that only say how the reader got here, not what the page is.
pub fn is_tracking_param(name: &str) -> bool {
    let name = name.to_ascii_lowercase();
    TRACKING_PARAMS.contains(&name.as_str())
        || TRACKING_PREFIXES.iter().any(|p| name.starts_with(p))
}

/// The dedupe key of `raw`, or `None` when it is not an absolute http(s) URL.
pub fn url_key(raw: &str) -> Option<String> {
    let url = Url::parse(raw.trim()).ok()?;
    if !matches!(url.scheme(), "http" | "https") {
        return None;
    }
    let host = url.host_str()?;
    let mut host = host;
    // Repeated so that the key of a key is the key (`www.www.` exists in the wild).
    while let Some(rest) = host.strip_prefix("www.") {
        host = rest;
    }
    if host.is_empty() {
        return None;
    }

    let mut key = String::with_capacity(raw.len());
    key.push_str("https://");
    key.push_str(host);
    // `Url::port` is already `None` for the scheme's default port; `:80` on an http URL that
    // is folded to https stays dropped, which is what we want.
    if let Some(port) = url.port()
        && !(url.scheme() == "http" && port == 80)
    {
        key.push(':');
        key.push_str(&port.to_string());
    }

    let path = url.path();
    let path = if path == "/" {
        ""
    } else {
        path.strip_suffix('/').unwrap_or(path)
    };
    key.push_str(path);

    let mut pairs: Vec<(String, String)> = url
        .query_pairs()
        .filter(|(k, _)| !k.is_empty() && !is_tracking_param(k))
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    if !pairs.is_empty() {
        pairs.sort();
        let query = url::form_urlencoded::Serializer::new(String::new())
            .extend_pairs(pairs)
            .finish();
        key.push('?');
        key.push_str(&query);
    }
    Some(key)
}

/// The URL that names the article: the page's declared canonical URL, unless it is missing or
/// only a site root (some sites declare their home page as every article's canonical URL, which
/// would make every article "the same place"), else the URL the page was seen at.
pub fn identity_url<'a>(canonical: Option<&'a str>, seen_at: Option<&'a str>) -> Option<&'a str> {
    let usable = |u: &&str| url_key(u).is_some_and(|k| !is_site_root_key(&k));
    canonical.filter(usable).or(seen_at)
}

/// True for the key of a site's root (`https://kvia.com`, any query ignored).
fn is_site_root_key(key: &str) -> bool {
    let rest = key.strip_prefix("https://").unwrap_or(key);
    let rest = rest.split('?').next().unwrap_or(rest);
    !rest.contains('/')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_of_equivalent_urls() {
        let cases: &[(&str, &str)] = &[
            (
                "https://www.kvia.com/news/story/?utm_source=rss&utm_medium=feed",
                "https://kvia.com/news/story",
            ),
            (
                "HTTP://WWW.KVIA.COM/News/Story",
                "https://kvia.com/News/Story",
            ),
            ("https://kvia.com:443/a/b/#comments", "https://kvia.com/a/b"),
            ("http://kvia.com:80/a", "https://kvia.com/a"),
            ("https://kvia.com:8443/a", "https://kvia.com:8443/a"),
            ("https://kvia.com/", "https://kvia.com"),
            ("https://kvia.com", "https://kvia.com"),
            ("https://user:pw@kvia.com/a", "https://kvia.com/a"),
            (
                "https://kvia.com/a?id=7&fbclid=XYZ&gclid=1&mc_cid=2&mc_eid=3&_ga=4",
                "https://kvia.com/a?id=7",
            ),
            (
                "https://kvia.com/a?ocid=x&cmpid=y&ito=z&ref=tw&ref_src=t&smid=s&taid=t&at_medium=m",
                "https://kvia.com/a",
            ),
            (
                "https://kvia.com/a?UTM_Source=x&Fbclid=1",
                "https://kvia.com/a",
            ),
        ];
        for (input, want) in cases {
            assert_eq!(url_key(input).as_deref(), Some(*want), "input {input}");
        }
    }

    #[test]
    fn query_order_does_not_matter() {
        let a = url_key("https://kvia.com/story?b=2&a=1&c=3").unwrap();
        let b = url_key("https://kvia.com/story?c=3&a=1&b=2&utm_campaign=x").unwrap();
        assert_eq!(a, b);
        assert_eq!(a, "https://kvia.com/story?a=1&b=2&c=3");
    }

    #[test]
    fn meaningful_params_and_path_case_are_kept() {
        assert_ne!(
            url_key("https://x.com/story?id=1"),
            url_key("https://x.com/story?id=2")
        );
        assert_ne!(
            url_key("https://x.com/Story"),
            url_key("https://x.com/story")
        );
        // Only the leading `www.` goes; other subdomains are other sites.
        assert_ne!(url_key("https://news.x.com/a"), url_key("https://x.com/a"));
    }

    #[test]
    fn non_web_urls_have_no_key() {
        for input in [
            "",
            "not a url",
            "/relative/path",
            "mailto:desk@kvia.com",
            "ftp://x.com/a",
        ] {
            assert_eq!(url_key(input), None, "input {input:?}");
        }
    }

    #[test]
    fn key_is_idempotent() {
        let inputs = [
            "https://www.kvia.com/news/story/?utm_source=rss&b=2&a=1#top",
            "http://Example.COM:80/a%20b/?q=caf%C3%A9&x=",
            "https://example.com/?a=1&a=0",
            "https://example.com/path/with/slash/",
            "https://example.com:8080/?z=1&utm_x=2",
            "https://www.www.example.com/a",
        ];
        for input in inputs {
            let once = url_key(input).unwrap();
            assert_eq!(
                url_key(&once).as_deref(),
                Some(once.as_str()),
                "input {input}"
            );
        }
    }

    #[test]
    fn identity_url_skips_home_page_canonicals() {
        let page = Some("https://kvia.com/news/a");
        assert_eq!(
            identity_url(Some("https://cnn.com/2026/a"), page),
            Some("https://cnn.com/2026/a")
        );
        assert_eq!(identity_url(Some("https://www.kvia.com/"), page), page);
        assert_eq!(
            identity_url(Some("https://kvia.com/?utm_source=x"), page),
            page
        );
        assert_eq!(identity_url(Some("not a url"), page), page);
        assert_eq!(identity_url(None, page), page);
        assert_eq!(identity_url(None, None), None);
    }

    #[test]
    fn tracking_param_classification() {
        for name in [
            "utm_source",
            "utm_whatever",
            "fbclid",
            "at_campaign",
            "_ga",
            "REF",
        ] {
            assert!(is_tracking_param(name), "{name}");
        }
        for name in ["id", "page", "story", "p", "article_id", "reference"] {
            assert!(!is_tracking_param(name), "{name}");
        }
    }
}
