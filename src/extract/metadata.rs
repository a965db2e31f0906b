//! Metadata from the walked page: JSON-LD (Article types, `@graph`, arrays), OpenGraph and
//! `article:*` meta, other meta (author, parsely-*, dc.*, sailthru.*), then the DOM (`h1`,
//! bylines, `<time>`). Each field takes the most trusted source that has it.

use serde_json::Value;
use url::Url;

use super::dom::{Walk, headline_text, node_text};
use super::text::{clean_meta, collapse, key};

/// Marks an author that JSON-LD gave only as an `@id` reference.
const ID_REF: &str = "\u{1}@id:";

/// What JSON-LD says about the article.
#[derive(Debug, Default, Clone)]
pub struct LdArticle {
    /// `headline` (or `name`).
    pub headline: Option<String>,
    /// Raw author names with whether JSON-LD typed them as an organisation.
    pub authors: Vec<(String, bool)>,
    /// `datePublished`.
    pub published: Option<String>,
    /// `dateModified`.
    pub modified: Option<String>,
    /// `articleSection`.
    pub section: Option<String>,
    /// `keywords`.
    pub keywords: Vec<String>,
    /// `description`.
    pub description: Option<String>,
    /// `image`.
    pub image: Option<String>,
    /// `publisher.name`.
    pub publisher: Option<String>,
    /// `articleBody`.
    pub body: Option<String>,
    /// `inLanguage`.
    pub language: Option<String>,
    /// `url` / `mainEntityOfPage`.
    pub url: Option<String>,
}

/// All metadata sources of one page.
#[derive(Debug, Default)]
pub struct Sources {
    /// The best JSON-LD article object.
    pub ld: LdArticle,
    /// JSON-LD `WebPage`/`WebSite` names and dates, a weaker fallback.
    pub ld_page: LdArticle,
    /// `(key, value)` for every meta element; key is the lower-cased property/name/itemprop.
    pub meta: Vec<(String, String)>,
    /// `<title>`.
    pub title: Option<String>,
    /// `h1` texts in document order (chrome flag beside).
    pub h1s: Vec<(String, bool)>,
    /// `<link rel=canonical>`.
    pub canonical: Option<String>,
    /// `<time datetime>` values: (value, itemprop or class says published, in chrome).
    pub times: Vec<(String, bool)>,
    /// Byline texts from the DOM (itemprop=author, rel=author, byline classes).
    pub bylines: Vec<String>,
    /// `<time>` elements with both: (display text, `datetime` value).
    pub time_texts: Vec<(String, String)>,
    /// Texts of date-like elements without a machine date.
    pub date_texts: Vec<String>,
    /// Texts of `dateModified` elements that carry their value as their text (no `datetime`
    /// or `content`): a machine stamp in the markup, not a date shown to readers.
    pub modified_stamps: Vec<String>,
    /// `<html lang>`.
    pub html_lang: Option<String>,
}

impl Sources {
    /// The first meta value for any of `keys`, in the order given.
    pub fn meta(&self, keys: &[&str]) -> Option<String> {
        for k in keys {
            if let Some((_, v)) = self
                .meta
                .iter()
                .find(|(mk, v)| mk == k && !v.trim().is_empty())
            {
                return Some(clean_meta(v));
            }
        }
        None
    }

    /// Every meta value for `key`.
    pub fn meta_all(&self, key: &str) -> Vec<String> {
        self.meta
            .iter()
            .filter(|(k, v)| k == key && !v.trim().is_empty())
            .map(|(_, v)| clean_meta(v))
            .collect()
    }
}

/// Collects every metadata source from the walk.
pub fn collect(w: &Walk<'_>, base: Option<&Url>) -> Sources {
    let mut s = Sources {
        title: w.title.as_deref().map(clean_meta),
        html_lang: w.html_lang.clone(),
        ..Default::default()
    };
    for &i in &w.metas {
        let e = w.els[i].elem;
        let v = e.attr("content").or_else(|| e.attr("value"));
        // Microdata keys live apart: `itemprop=keywords` is the story's, `name=keywords`
        // usually the site's.
        let named = e
            .attr("property")
            .or_else(|| e.attr("name"))
            .or_else(|| e.attr("http-equiv"));
        let k = match (named, e.attr("itemprop")) {
            (Some(k), _) => k.to_ascii_lowercase(),
            (None, Some(p)) => format!("itemprop:{}", p.to_ascii_lowercase()),
            (None, None) => continue,
        };
        if let Some(v) = v {
            for k in k.split_whitespace() {
                s.meta.push((k.to_string(), v.to_string()));
            }
        }
    }
    for &i in &w.links {
        let e = w.els[i].elem;
        if e.attr("rel").is_some_and(|r| {
            r.split_whitespace()
                .any(|r| r.eq_ignore_ascii_case("canonical"))
        }) && s.canonical.is_none()
        {
            s.canonical = e.attr("href").and_then(|h| absolute(h, base));
        }
        if e.attr("itemprop").is_some()
            && let (Some(k), Some(h)) = (e.attr("itemprop"), e.attr("href"))
        {
            s.meta.push((
                format!("itemprop:{}", k.to_ascii_lowercase()),
                h.to_string(),
            ));
        }
    }
    for &i in &w.h1s {
        let t = headline_text(w.els[i].node);
        if !t.is_empty() && t.len() < 400 {
            s.h1s.push((t, w.els[i].chrome));
        }
    }
    let mut best: Option<(usize, LdArticle)> = None;
    let mut names_by_id: std::collections::HashMap<String, (String, bool)> =
        std::collections::HashMap::new();
    // Some frameworks render the JSON-LD into a meta element ("script:ld+json") instead of
    // a script; its content reads the same.
    let meta_ld: Vec<String> = s
        .meta
        .iter()
        .filter(|(_, v)| v.trim_start().starts_with('{') && v.contains("\"@type\""))
        .map(|(_, v)| v.clone())
        .collect();
    for raw in w.json_ld.iter().chain(&meta_ld) {
        for obj in parse_json_ld(raw) {
            if let (Some(id), Some(name)) = (
                obj.get("@id").and_then(Value::as_str),
                obj.get("name").and_then(string_of),
            ) {
                let org = types(&obj).iter().any(|t| t.contains("Organization"));
                names_by_id.entry(id.to_string()).or_insert((name, org));
            }
            let (kind, art) = ld_article(obj);
            match kind {
                LdKind::Article => {
                    let score = art.headline.is_some() as usize * 4
                        + art.published.is_some() as usize * 2
                        + !art.authors.is_empty() as usize
                        + art.body.is_some() as usize;
                    if best.as_ref().is_none_or(|(b, _)| score > *b) {
                        best = Some((score, art));
                    }
                }
                LdKind::Page => {
                    if s.ld_page.headline.is_none() && s.ld_page.published.is_none() {
                        s.ld_page = art;
                    } else if s.ld_page.published.is_none() && art.published.is_some() {
                        s.ld_page.published = art.published;
                    }
                }
                LdKind::Other => {}
            }
        }
    }
    if let Some((_, mut a)) = best {
        a.authors = a
            .authors
            .into_iter()
            .filter_map(|(n, org)| match n.strip_prefix(ID_REF) {
                Some(id) => names_by_id.get(id).cloned(),
                None => Some((n, org)),
            })
            .collect();
        s.ld = a;
    }
    for &i in &w.marked {
        let el = &w.els[i];
        let e = el.elem;
        let name = e.name();
        let itemprop = e.attr("itemprop").unwrap_or("").to_ascii_lowercase();
        let class = format!(
            "{} {}",
            e.attr("class").unwrap_or(""),
            e.attr("id").unwrap_or("")
        )
        .to_ascii_lowercase();
        if name == "time" || itemprop.contains("datepublished") || itemprop.contains("datecreated")
        {
            let v = e
                .attr("datetime")
                .or_else(|| e.attr("content"))
                .map(str::to_string);
            let published = itemprop.contains("datepublished")
                || e.attr("pubdate").is_some()
                || class.contains("publish")
                || class.contains("posted")
                || class.contains("created");
            let modified =
                itemprop.contains("modified") || class.contains("updat") || class.contains("modif");
            if let Some(v) = v.as_ref().filter(|_| name == "time") {
                let t = node_text(el.node);
                if !t.is_empty() && t.len() < 120 {
                    s.time_texts.push((t, v.clone()));
                }
            }
            match v {
                Some(v) if !modified => s.times.push((v, published)),
                None if !modified && name == "time" => {
                    let t = node_text(el.node);
                    if t.len() < 120 {
                        s.times.push((t, published));
                    }
                }
                None if modified => {
                    let t = node_text(el.node);
                    if !t.is_empty() && t.len() < 120 {
                        s.modified_stamps.push(t);
                    }
                }
                _ => {}
            }
            continue;
        }
        let author_mark = itemprop == "author"
            || itemprop == "creator"
            || e.attr("rel").is_some_and(|r| r.contains("author"))
            || (name == "a" && e.attr("href").is_some_and(is_author_href));
        if author_mark && in_comments(w, i) {
            // A reader's name in the comment thread, marked up as a comment's author.
            continue;
        }
        if author_mark {
            // microdata author: prefer its name child
            let t = node_text(el.node);
            if !t.is_empty() && t.len() < 150 {
                s.bylines.push(t);
            }
            continue;
        }
        if itemprop.is_empty() && name != "time" {
            let t = || node_text(el.node);
            // "comment-author" names a reader, not the writer.
            // The writer's class in the page's language: author, auteur, autor(in), verfasser.
            let writer = ["author", "auteur", "autor", "verfasser"]
                .iter()
                .any(|w| class.contains(w));
            if (class.contains("byline")
                || (writer && !class.contains("bio") && !class.contains("avatar")))
                && !class.contains("comment")
                && !in_comments(w, i)
            {
                let t = t();
                if !t.is_empty() && t.len() < 150 {
                    s.bylines.push(t);
                }
            } else if class.contains("date")
                || class.contains("publish")
                || class.contains("posted")
                || class.contains("timestamp")
            {
                let t = t();
                if !t.is_empty() && t.len() < 150 && !class.contains("updat") {
                    s.date_texts.push(t);
                }
            }
        }
    }
    s
}

/// Whether an element sits inside a reader comment thread: an ancestor's class or id opens
/// with "comment" ("comments", "comment-body", "commentlist") or is the reply form's
/// "respond". Words that describe the article ("comments-open", "commentary") do not count.
fn in_comments(w: &Walk<'_>, i: usize) -> bool {
    let mut at = w.els[i].parent;
    for _ in 0..64 {
        let Some(el) = w.els.get(at) else {
            return false;
        };
        let e = el.elem;
        let words = e
            .attr("class")
            .unwrap_or("")
            .split_whitespace()
            .chain(e.attr("id"));
        for word in words {
            let word = word.to_ascii_lowercase();
            let thread = word.starts_with("comment")
                && !word.starts_with("commentary")
                && !word.ends_with("-open")
                && !word.ends_with("-closed")
                && !word.ends_with("count");
            if thread || word == "respond" || word == "disqus_thread" {
                return true;
            }
        }
        at = el.parent;
    }
    false
}

/// Whether a link points at an author page ("/authors/jane-doe/", "/people/jane-doe").
pub fn is_author_href(href: &str) -> bool {
    static AUTHOR_HREF: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
        regex::Regex::new(r"(?i)/(author|authors|autor|autoren|autores|auteur|auteurs|writer|writers|contributor|contributors|people|staff|profile|profiles|journalist|journalists|reporter|reporters|columnist|columnists|by)/([^/?#]+)/?(?:[?#].*)?$")
            .expect("valid regex")
    });
    // A dotted number after the word is a version ("/licenses/by/2.0/"), not a person.
    href.len() < 300
        && AUTHOR_HREF.captures(href).is_some_and(|c| {
            let slug = &c[2];
            !(slug.starts_with(|c: char| c.is_ascii_digit()) && slug.contains('.'))
        })
}

/// Makes `href` absolute against `base` (or checks it already is).
pub fn absolute(href: &str, base: Option<&Url>) -> Option<String> {
    let href = href.trim();
    if href.is_empty() || href.starts_with("javascript:") || href.starts_with("data:") {
        return None;
    }
    match base {
        Some(b) => b.join(href).ok().map(|u| u.to_string()),
        None => Url::parse(href).ok().map(|u| u.to_string()),
    }
}

/// Parses a JSON-LD script into its top-level values, tolerating the usual breakage
/// (raw newlines in strings, HTML comments, CDATA wrappers, trailing semicolons).
pub fn parse_json_ld(raw: &str) -> Vec<Value> {
    let t = raw
        .trim()
        .trim_start_matches("<!--")
        .trim_end_matches("-->")
        .trim();
    let t = t
        .trim_start_matches("//<![CDATA[")
        .trim_end_matches("//]]>")
        .trim()
        .trim_end_matches(';');
    let v: Value = match serde_json::from_str(t) {
        Ok(v) => v,
        Err(_) => {
            let fixed: String = t
                .chars()
                .map(|c| if c.is_control() { ' ' } else { c })
                .collect();
            match serde_json::from_str(&fixed) {
                Ok(v) => v,
                Err(_) => return Vec::new(),
            }
        }
    };
    // Flatten arrays and @graph without recursion.
    let mut out = Vec::new();
    let mut stack = vec![v];
    let mut seen = 0usize;
    while let Some(v) = stack.pop() {
        seen += 1;
        if seen > 10_000 {
            break;
        }
        match v {
            Value::Array(a) => stack.extend(a.into_iter().rev()),
            Value::Object(mut o) => {
                if let Some(g) = o.remove("@graph") {
                    stack.push(g);
                }
                if let Some(m) = o.get("mainEntity").cloned()
                    && (m.is_object() || m.is_array())
                {
                    stack.push(m);
                }
                out.push(Value::Object(o));
            }
            _ => {}
        }
    }
    out
}

enum LdKind {
    Article,
    Page,
    Other,
}

fn types(v: &Value) -> Vec<String> {
    match v.get("@type") {
        Some(Value::String(s)) => vec![s.clone()],
        Some(Value::Array(a)) => a
            .iter()
            .filter_map(|x| x.as_str().map(str::to_string))
            .collect(),
        _ => Vec::new(),
    }
}

fn string_of(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(clean_meta(s)).filter(|s| !s.is_empty()),
        Value::Array(a) => a.iter().find_map(string_of),
        Value::Object(o) => o
            .get("name")
            .or_else(|| o.get("@value"))
            .and_then(string_of),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

fn url_of(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.trim().to_string()).filter(|s| !s.is_empty()),
        Value::Array(a) => a.iter().find_map(url_of),
        Value::Object(o) => o
            .get("url")
            .or_else(|| o.get("contentUrl"))
            .or_else(|| o.get("@id"))
            .and_then(url_of),
        _ => None,
    }
}

fn ld_article(v: Value) -> (LdKind, LdArticle) {
    let ts = types(&v);
    let is_article = ts.iter().any(|t| {
        let t = t.rsplit('/').next().unwrap_or(t);
        t.ends_with("Article")
            || t.contains("BlogPosting")
            || t == "Report"
            || t == "LiveBlogPosting"
            || t == "SocialMediaPosting"
            || t == "Review"
            // Works with a writer that are not called articles: a recipe, a how-to, a
            // forum thread's opening post.
            || t == "Recipe"
            || t == "HowTo"
            || t == "DiscussionForumPosting"
    });
    let is_page = ts.iter().any(|t| t.ends_with("WebPage") || t == "ItemPage");
    let kind = if is_article {
        LdKind::Article
    } else if is_page {
        LdKind::Page
    } else {
        return (LdKind::Other, LdArticle::default());
    };
    let mut a = LdArticle {
        headline: v
            .get("headline")
            .or_else(|| v.get("name"))
            .and_then(string_of),
        published: v
            .get("datePublished")
            .or_else(|| v.get("dateCreated"))
            .and_then(string_of),
        modified: v.get("dateModified").and_then(string_of),
        section: v.get("articleSection").and_then(string_of),
        description: v.get("description").and_then(string_of),
        image: v
            .get("image")
            .or_else(|| v.get("thumbnailUrl"))
            .and_then(url_of),
        publisher: v.get("publisher").and_then(string_of),
        body: v
            .get("articleBody")
            .and_then(|b| b.as_str().map(str::to_string)),
        language: v.get("inLanguage").and_then(string_of),
        url: v.get("url").and_then(url_of),
        ..Default::default()
    };
    match v.get("keywords") {
        Some(Value::String(s)) => {
            a.keywords = s
                .split(',')
                .map(clean_meta)
                .filter(|s| !s.is_empty())
                .collect()
        }
        Some(Value::Array(x)) => a.keywords = x.iter().filter_map(string_of).collect(),
        _ => {}
    }
    let mut authors = Vec::new();
    if let Some(au) = v.get("author").or_else(|| v.get("creator")) {
        let list: Vec<&Value> = match au {
            Value::Array(x) => x.iter().collect(),
            other => vec![other],
        };
        for item in list {
            match item {
                Value::String(s) => authors.push((clean_meta(s), false)),
                Value::Object(_) => {
                    let org = types(item)
                        .iter()
                        .any(|t| t.contains("Organization") || t.contains("NewsMediaOrganization"));
                    if let Some(n) = item.get("name").and_then(string_of) {
                        authors.push((n, org));
                    } else if let Some(id) = item.get("@id").and_then(Value::as_str) {
                        // A reference into the @graph, resolved by the caller.
                        authors.push((format!("{ID_REF}{id}"), org));
                    }
                }
                _ => {}
            }
        }
    }
    a.authors = authors;
    (kind, a)
}

/// Separators between a headline and the site name in `<title>` / `og:title`.
const SEPARATORS: [&str; 9] = [
    " | ", " - ", " – ", " — ", " :: ", " · ", " • ", " / ", " » ",
];

/// Strips a site-name suffix (or prefix) from a title.
pub fn strip_site(title: &str, site: Option<&str>, host: Option<&str>) -> String {
    let title = collapse(title);
    let site_key = site.map(key).filter(|k| !k.is_empty());
    let host_key = host.map(|h| {
        let h = h.trim_start_matches("www.");
        key(h.split('.').next().unwrap_or(h))
    });
    let is_site = |part: &str| {
        let k = key(part);
        let squashed: String = k.chars().filter(|c| !c.is_whitespace()).collect();
        site_key.as_ref().is_some_and(|s| {
            let ss: String = s.chars().filter(|c| !c.is_whitespace()).collect();
            k == *s
                || squashed == ss
                || (ss.len() > 3 && squashed.contains(&ss))
                || (squashed.len() > 3 && ss.contains(&squashed))
        }) || host_key.as_ref().is_some_and(|h| {
            !h.is_empty() && (squashed == *h || (h.len() > 3 && squashed.contains(h.as_str())))
        })
    };
    for sep in SEPARATORS {
        if !title.contains(sep) {
            continue;
        }
        let parts: Vec<&str> = title.split(sep).collect();
        // Suffix: drop trailing parts that name the site or are short.
        if parts.len() >= 2 {
            let last = parts[parts.len() - 1];
            if is_site(last) {
                return strip_site(&parts[..parts.len() - 1].join(sep), site, host);
            }
            let first = parts[0];
            if is_site(first) {
                return parts[1..].join(sep);
            }
        }
    }
    // No site match: a short trailing part after " | " is almost always the site.
    for sep in [" | ", " - ", " – ", " — "] {
        if let Some(pos) = title.rfind(sep) {
            let (head, tail) = (&title[..pos], &title[pos + sep.len()..]);
            let tail_words = tail.split_whitespace().count();
            if tail_words <= 4
                && head.split_whitespace().count() >= 3
                && (site_key.is_none() || sep == " | ")
            {
                return head.trim().to_string();
            }
        }
    }
    title
}

/// The headline: the visible `h1` when another source confirms it, else the best meta title.
pub fn headline(s: &Sources, site: Option<&str>, host: Option<&str>) -> Option<String> {
    let og = s.meta(&[
        "og:title",
        "twitter:title",
        "parsely-title",
        "sailthru.title",
        "dc.title",
        "headline",
    ]);
    let ld = s.ld.headline.clone();
    let title = s.title.clone().filter(|t| !t.is_empty());
    let confirms: Vec<String> = [ld.as_deref(), og.as_deref(), title.as_deref()]
        .into_iter()
        .flatten()
        .map(key)
        .collect();
    // The titles with the site's name taken off, beside their keys.
    let stripped: Vec<(String, String)> = [ld.as_deref(), og.as_deref(), title.as_deref()]
        .into_iter()
        .flatten()
        .map(|t| strip_site(t, site, host))
        .map(|t| (key(&t), t))
        .collect();
    for (h, chrome) in &s.h1s {
        let k = key(h);
        if k.is_empty() {
            continue;
        }
        if confirms.iter().any(|c| {
            *c == k
                || (c.starts_with(&k) && k.len() > 15)
                || (k.starts_with(c.as_str()) && c.len() > 15 && c.len() * 10 > k.len() * 7)
        }) {
            let _ = chrome;
            return Some(h.clone());
        }
        // A kicker printed in the h1 before the headline ("Corona-Pandemie – „…“", "Patch
        // Notes Patchnotes 4.47"): the metadata's title is the h1's end, and the headline.
        if let Some(tail) = stripped.iter().find(|(c, _)| {
            c.len() > 15 && k.len() > c.len() && k.ends_with(c.as_str()) && {
                let kicker = k[..k.len() - c.len()].trim();
                (1..=4).contains(&kicker.split_whitespace().count())
            }
        }) {
            return Some(tail.1.clone());
        }
    }
    // A single visible h1 that is not the site's name is the headline as printed, even when
    // the meta titles were rewritten for search engines.
    let mut distinct: Vec<&String> = Vec::new();
    for (h, _) in &s.h1s {
        if !distinct.iter().any(|d| key(d) == key(h)) {
            distinct.push(h);
        }
    }
    if let [only] = distinct.as_slice() {
        let k = key(only);
        let words = only.split_whitespace().count();
        let is_site = site.is_some_and(|site| key(site) == k)
            || host.is_some_and(|h| h.contains(&k.replace(' ', "")));
        // A headline in a script written without spaces (Japanese, Chinese) is one "word".
        let long_enough = (2..=40).contains(&words)
            || (words == 1 && only.chars().count() >= 8 && !only.is_ascii());
        if long_enough && !is_site {
            return Some((*only).clone());
        }
    }
    if let Some(l) = ld.filter(|l| !l.ends_with("...") && !l.ends_with('…')) {
        return Some(strip_site(&l, site, host));
    }
    if let Some(o) = og {
        return Some(strip_site(&o, site, host));
    }
    if let Some(t) = title {
        return Some(strip_site(&t, site, host));
    }
    s.h1s
        .iter()
        .find(|(_, c)| !c)
        .or(s.h1s.first())
        .map(|(h, _)| h.clone())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_ld_graph_and_arrays_flatten() {
        let raw = r#"{"@context":"https://schema.org","@graph":[{"@type":"WebSite","name":"KVIA"},
            [{"@type":"NewsArticle","headline":"Blinken &amp; Austin to travel","author":[{"@type":"Person","name":"Jane Doe"},
            {"@type":"Organization","name":"CNN Newsource"}],"datePublished":"2021-03-05T22:30:00-05:00"}]]}"#;
        let objs = parse_json_ld(raw);
        let art = objs
            .into_iter()
            .map(ld_article)
            .find(|(k, _)| matches!(k, LdKind::Article))
            .unwrap()
            .1;
        assert_eq!(art.headline.as_deref(), Some("Blinken & Austin to travel"));
        assert_eq!(
            art.authors,
            vec![
                ("Jane Doe".to_string(), false),
                ("CNN Newsource".to_string(), true)
            ]
        );
        assert_eq!(art.published.as_deref(), Some("2021-03-05T22:30:00-05:00"));
    }

    #[test]
    fn author_links_are_profile_pages_not_licences() {
        assert!(is_author_href("https://example.com/author/jane-doe/"));
        assert!(is_author_href("/autoren/kathrin-weiss-6841"));
        assert!(is_author_href("/profile/12345"));
        assert!(!is_author_href("https://licences.example/licenses/by/2.0/"));
        assert!(!is_author_href("https://example.com/tags/budget/"));
    }

    /// A name in the comment thread is a reader's, however it is marked up; the writer's
    /// byline above the thread still counts.
    #[test]
    fn comment_thread_names_are_not_bylines() {
        let html = r#"<html><body><article><h1>Plum cake</h1><p class="byline">By Ines Falk</p><p>Text.</p></article>
            <div id="comments"><ol class="commentlist"><li><span class="author">Petra</span></li>
            <li><a rel="author" href="/author/rolf/">Rolf Brenner</a></li></ol></div></body></html>"#;
        let doc = scraper::Html::parse_document(html);
        let w = crate::extract::dom::walk(&doc);
        let s = collect(&w, None);
        assert_eq!(s.bylines, vec!["By Ines Falk".to_string()]);
    }

    #[test]
    fn json_ld_with_raw_newlines_still_parses() {
        let raw = "{\"@type\":\"Article\",\"headline\":\"Line one\nline two\"}";
        assert_eq!(parse_json_ld(raw).len(), 1);
    }

    #[test]
    fn single_h1_wins_over_rewritten_meta_title() {
        let s = Sources {
            h1s: vec![("Top 10 Health Trends to Watch".to_string(), false)],
            meta: vec![(
                "og:title".to_string(),
                "Health Trends For 2026 | Site".to_string(),
            )],
            ..Default::default()
        };
        assert_eq!(
            headline(&s, Some("Site"), None).as_deref(),
            Some("Top 10 Health Trends to Watch")
        );
        let logo = Sources {
            h1s: vec![("Site".to_string(), false)],
            meta: vec![(
                "og:title".to_string(),
                "Real Headline Here | Site".to_string(),
            )],
            ..Default::default()
        };
        assert_eq!(
            headline(&logo, Some("Site"), None).as_deref(),
            Some("Real Headline Here")
        );
    }

    /// The headline inside an h1 that also prints a kicker, a hidden site name or ruby
    /// readings: what the reader takes as the headline.
    #[test]
    fn kickers_hidden_text_and_ruby_readings_are_not_the_headline() {
        fn headline_of(h1: &str, og: &str) -> Option<String> {
            let html = format!(
                r#"<html><head><meta property="og:title" content="{og}"></head><body><h1>{h1}</h1><p>Text.</p></body></html>"#
            );
            let doc = scraper::Html::parse_document(&html);
            let w = crate::extract::dom::walk(&doc);
            headline(&collect(&w, None), Some("Nordblick"), None)
        }
        assert_eq!(
            headline_of(
                r#"<span class="dachzeile">Nach dem Sturm</span> <span class="headline">Fähren fahren wieder nach Plan</span>"#,
                "Nach dem Sturm: Fähren fahren wieder | Nordblick"
            )
            .as_deref(),
            Some("Fähren fahren wieder nach Plan")
        );
        assert_eq!(
            headline_of(
                r#"<small>Workout of the week</small><br>Ladder sets with a pull buoy"#,
                "Workout of the week | Ladder sets with a pull buoy - Nordblick"
            )
            .as_deref(),
            Some("Ladder sets with a pull buoy")
        );
        assert_eq!(
            headline_of(
                r#"Council approves the harbour budget<span class="element-invisible"> | Nordblick</span>"#,
                "Council approves the harbour budget"
            )
            .as_deref(),
            Some("Council approves the harbour budget")
        );
        assert_eq!(
            headline_of(
                "<ruby>新<rt>あたら</rt></ruby>しい<ruby>駅<rt>えき</rt></ruby>ができました",
                "Nordblick|新しい駅ができました"
            )
            .as_deref(),
            Some("新しい駅ができました")
        );
    }

    #[test]
    fn site_suffix_is_stripped() {
        assert_eq!(
            strip_site("Blinken to travel to Japan | KVIA", Some("KVIA"), None),
            "Blinken to travel to Japan"
        );
        assert_eq!(
            strip_site(
                "Blinken to travel to Japan - KVIA ABC 7",
                Some("KVIA"),
                None
            ),
            "Blinken to travel to Japan"
        );
        assert_eq!(
            strip_site(
                "Stocks rise - Harbor Wire",
                None,
                Some("www.harborwire.example")
            ),
            "Stocks rise"
        );
        assert_eq!(
            strip_site(
                "Spider-Man - a review of the new film",
                Some("Film Site"),
                None
            ),
            "Spider-Man - a review of the new film"
        );
    }
    #[test]
    fn json_ld_rendered_into_a_meta_element_is_read() {
        let html = r#"<html><head><meta name="script:ld+json" content="{&quot;@context&quot;:&quot;https://schema.org&quot;,&quot;@type&quot;:&quot;Article&quot;,&quot;headline&quot;:&quot;Bridge reopens&quot;,&quot;datePublished&quot;:&quot;2025-11-17T09:00:00-05:00&quot;}"></head><body><h1>Bridge reopens</h1></body></html>"#;
        let doc = scraper::Html::parse_document(html);
        let w = crate::extract::dom::walk(&doc);
        let s = collect(&w, None);
        assert_eq!(s.ld.published.as_deref(), Some("2025-11-17T09:00:00-05:00"));
    }
}
