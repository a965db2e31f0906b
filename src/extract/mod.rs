//! A page's HTML in, an [`Article`] out: metadata, body as text and sanitized HTML, with the
//! page chrome stripped. Pure: no network, no clock.
//!
//! One parse per page: [`dom::walk`] visits the tree once (iteratively, so hostile nesting
//! cannot overflow the stack) and everything else works on its flat output: [`metadata`]
//! reads JSON-LD, meta and DOM hints, [`body`] scores the text blocks, [`chrome`] knows page
//! furniture, [`credit`] splits bylines and finds the wire, [`dates`] parses dates,
//! [`sanitize`] renders the body HTML and [`lang`] names the language.

pub mod body;
pub mod chrome;
pub mod credit;
pub mod dates;
pub mod dom;
pub mod lang;
pub mod metadata;
pub mod sanitize;
pub mod text;

#[cfg(test)]
mod fixture_tests;

use scraper::Html;
use url::Url;

use crate::model::Article;

/// Pages larger than this are cut before parsing: the bound on time and memory.
pub const MAX_HTML_BYTES: usize = 64 * 1024 * 1024;

/// What the caller knows besides the HTML.
#[derive(Debug, Clone, Copy, Default)]
pub struct ExtractOptions<'a> {
    /// The page's URL: base for relative links, and a source of dates and sections.
    pub url: Option<&'a Url>,
    /// The feed's full text for this item (content:encoded), a candidate body.
    pub feed_html: Option<&'a str>,
}

/// Why a page yielded no article.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ExtractError {
    /// The page has neither a headline nor any body text.
    #[error("no article found in {url}")]
    NoArticle {
        /// The page's URL, or "(no url)".
        url: String,
    },
}

/// Bylines printed as text blocks: "By Jane Doe" / "Written by Jane Doe", or a "Written by"
/// label followed by the name in the next block.
fn byline_blocks(w: &dom::Walk<'_>) -> Vec<String> {
    let mut out = Vec::new();
    for (i, b) in w.blocks.iter().enumerate() {
        if b.chars > 120 {
            continue;
        }
        let t = b.text.trim();
        let label = t.trim_end_matches(':').trim().to_lowercase();
        if matches!(
            label.as_str(),
            "by" | "written by" | "author" | "authors" | "posted by" | "words by" | "story by"
        ) {
            if let Some(next) = w.blocks.get(i + 1).filter(|n| n.chars < 80) {
                out.push(next.text.clone());
            }
            continue;
        }
        if body::is_byline(t) {
            out.push(t.to_string());
        }
        if out.len() >= 3 {
            break;
        }
    }
    out
}

/// A date printed near the top of the article: the first short block after the first `h1`
/// (or from the top) that holds a date.
fn visible_date(w: &dom::Walk<'_>) -> Option<chrono::DateTime<chrono::Utc>> {
    let start = w.h1s.first().map_or(0, |&h| {
        w.blocks
            .iter()
            .position(|b| b.owner != usize::MAX && b.owner >= h)
            .unwrap_or(0)
    });
    w.blocks[start..]
        .iter()
        .take(60)
        .filter(|b| b.chars < 150)
        .find_map(|b| dates::parse_text(&b.text))
}

fn url_name(u: Option<&Url>) -> String {
    u.map_or_else(|| "(no url)".to_string(), |u| u.to_string())
}

/// Extracts the article from a page.
pub fn extract(html: &str, options: &ExtractOptions<'_>) -> Result<Article, ExtractError> {
    let html = if html.len() > MAX_HTML_BYTES {
        let mut cut = MAX_HTML_BYTES;
        while !html.is_char_boundary(cut) {
            cut -= 1;
        }
        &html[..cut]
    } else {
        html
    };
    let html = dom::limit_depth(html);
    let doc = Html::parse_document(&html);
    let w = dom::walk(&doc);
    let base = options.url;
    let src = metadata::collect(&w, base);

    let site_name = src
        .meta(&[
            "og:site_name",
            "application-name",
            "al:android:app_name",
            "twitter:site",
        ])
        .map(|s| s.trim_start_matches('@').to_string())
        .or_else(|| src.ld.publisher.clone())
        .filter(|s| !s.is_empty());
    let host = base.and_then(|u| u.host_str());
    let headline = metadata::headline(&src, site_name.as_deref(), host);

    let feed_doc = options.feed_html.map(Html::parse_fragment);
    let feed_walk = feed_doc.as_ref().map(dom::walk);
    let body = body::extract(
        &w,
        headline.as_deref(),
        src.ld.body.as_deref(),
        feed_walk.as_ref(),
    );

    let body_text = body
        .paras
        .iter()
        .map(|p| p.text.as_str())
        .collect::<Vec<_>>()
        .join("\n\n");
    let body_html = sanitize::body_html(&body.paras, base);

    // Authors and credit: the first source that names a person wins; wires go to the credit;
    // a byline naming only an organisation (not a wire) is kept as the author.
    let mut sources: Vec<(String, bool)> = src.ld.authors.clone();
    let ld_count = sources.len();
    for k in [
        "author",
        "article:author",
        "parsely-author",
        "sailthru.author",
        "dc.creator",
        "dcterms.creator",
        "byl",
        "byline",
        "cxenseparse:author",
        "itemprop:author",
    ] {
        for v in src.meta_all(k) {
            if !v.starts_with("http") {
                sources.push((v, false));
            }
        }
    }
    // Yoast's reading card: twitter:label1 "Written by", twitter:data1 the name.
    if src
        .meta(&["twitter:label1"])
        .is_some_and(|l| l.eq_ignore_ascii_case("written by"))
    {
        if let Some(v) = src.meta(&["twitter:data1"]) {
            sources.push((v, false));
        }
    }
    let meta_count = sources.len();
    sources.extend(src.bylines.iter().map(|b| (b.clone(), false)));
    sources.extend(byline_blocks(&w).into_iter().map(|b| (b, false)));
    let mut authors: Vec<String> = Vec::new();
    let mut credit: Option<String> = None;
    let mut first_org: Option<String> = None;
    // Sources come in tiers (JSON-LD, meta, DOM); a tier that names persons ends the search.
    let tiers = [
        (0, ld_count),
        (ld_count, meta_count),
        (meta_count, sources.len()),
    ];
    for (lo, hi) in tiers {
        for (raw, org) in &sources[lo..hi] {
            if *org {
                match credit::wire(raw) {
                    Some(wire) => {
                        credit.get_or_insert_with(|| wire.to_string());
                    }
                    None => {
                        first_org.get_or_insert_with(|| text::collapse(raw));
                    }
                }
                continue;
            }
            let split = credit::split_byline(raw);
            for a in split.persons {
                if !authors.iter().any(|x| x.eq_ignore_ascii_case(&a)) {
                    authors.push(a);
                }
            }
            if credit.is_none() {
                credit = split.credit;
            }
            if first_org.is_none() {
                first_org = split.orgs.into_iter().next();
            }
            if lo >= meta_count && !authors.is_empty() {
                // DOM bylines: the first one that names someone is the byline.
                break;
            }
        }
        if !authors.is_empty() {
            break;
        }
    }
    if authors.is_empty() {
        if let Some(org) =
            first_org.filter(|o| credit::wire(o).is_none() && o.split_whitespace().count() <= 6)
        {
            authors.push(org);
        }
    }
    let dateline = body.paras.first().and_then(|p| credit::dateline(&p.text));
    if credit.is_none() {
        credit = dateline
            .as_deref()
            .and_then(credit::wire)
            .map(str::to_string);
    }
    if credit.is_none() {
        // An author box in the chrome ("Author Profile Photo / CNN Newsource").
        credit = body
            .chrome_lines
            .iter()
            .filter(|l| l.len() < 60)
            .find_map(|l| credit::wire(l))
            .map(str::to_string);
    }
    if credit.is_none() {
        credit = src
            .bylines
            .iter()
            .find_map(|b| credit::wire(b))
            .map(str::to_string);
    }

    // Dates.
    let published_at = src
        .ld
        .published
        .as_deref()
        .and_then(dates::parse)
        .or_else(|| {
            src.meta(&[
                "article:published_time",
                "og:article:published_time",
                "article:published",
                "itemprop:datepublished",
                "parsely-pub-date",
                "sailthru.date",
                "publish-date",
                "publish_date",
                "publishdate",
                "pubdate",
                "publication_date",
                "article.published",
                "date",
                "dc.date",
                "dc.date.issued",
                "dcterms.created",
                "dcterms.issued",
                "dcterms.date",
                "citation_publication_date",
                "citation_date",
                "og:published_time",
                "published_time",
                "article_date_original",
                "date_published",
                "itemprop:datecreated",
                "cxenseparse:recs:publishtime",
            ])
            .as_deref()
            .and_then(dates::parse)
        })
        .or_else(|| {
            src.times
                .iter()
                .filter(|(_, p)| *p)
                .find_map(|(v, _)| dates::parse(v))
        })
        .or_else(|| src.times.iter().find_map(|(v, _)| dates::parse(v)))
        .or_else(|| src.ld_page.published.as_deref().and_then(dates::parse))
        .or_else(|| base.and_then(|u| dates::from_url(u.path())))
        .or_else(|| src.date_texts.iter().find_map(|t| dates::parse_text(t)))
        .or_else(|| visible_date(&w));
    let modified_at = src
        .ld
        .modified
        .as_deref()
        .and_then(dates::parse)
        .or_else(|| {
            src.meta(&[
                "article:modified_time",
                "og:updated_time",
                "itemprop:datemodified",
                "last-modified",
                "dcterms.modified",
                "article:modified",
            ])
            .as_deref()
            .and_then(dates::parse)
        });

    // Section and topics.
    let topic = body
        .chrome_lines
        .iter()
        .find_map(|l| chrome::topic_line(l))
        .or_else(|| {
            w.blocks
                .iter()
                .filter(|b| b.chars < 100)
                .find_map(|b| chrome::topic_line(&b.text))
        });
    let section = topic
        .or_else(|| src.ld.section.clone())
        .or_else(|| {
            src.meta(&[
                "article:section",
                "itemprop:articlesection",
                "parsely-section",
                "section",
                "sailthru.section",
                "og:article:section",
            ])
        })
        .filter(|s| !s.is_empty() && s.len() < 100);
    let mut topics: Vec<String> = src.ld.keywords.clone();
    if topics.is_empty() {
        topics = src.meta_all("article:tag");
    }
    if topics.is_empty() {
        if let Some(v) = src.meta(&["itemprop:keywords"]) {
            topics = v
                .split(',')
                .map(|s| s.trim().to_string())
                .filter(|s| !s.is_empty())
                .collect();
        }
    }
    if topics.is_empty() {
        // Plain `keywords` is usually the site's own list, not the story's topics.
        for k in ["news_keywords", "parsely-tags", "sailthru.tags"] {
            if let Some(v) = src.meta(&[k]) {
                topics = v
                    .split(',')
                    .map(|s| s.trim().to_string())
                    .filter(|s| !s.is_empty())
                    .collect();
                break;
            }
        }
    }
    topics.dedup();

    let canonical_url = src
        .canonical
        .clone()
        .or_else(|| {
            src.meta(&["og:url"])
                .and_then(|u| metadata::absolute(&u, base))
        })
        .or_else(|| {
            src.ld
                .url
                .as_deref()
                .and_then(|u| metadata::absolute(u, base))
        });
    let description = src
        .meta(&[
            "og:description",
            "description",
            "twitter:description",
            "dc.description",
        ])
        .or_else(|| src.ld.description.clone());
    let image = src
        .meta(&[
            "og:image",
            "og:image:url",
            "og:image:secure_url",
            "twitter:image",
            "twitter:image:src",
            "itemprop:thumbnailurl",
            "itemprop:image",
        ])
        .or_else(|| src.ld.image.clone())
        .and_then(|i| metadata::absolute(&i, base));
    let language = src
        .html_lang
        .as_deref()
        .and_then(lang::normalize)
        .or_else(|| {
            src.meta(&["content-language", "og:locale", "language", "dc.language"])
                .as_deref()
                .and_then(lang::normalize)
        })
        .or_else(|| src.ld.language.as_deref().and_then(lang::normalize))
        .or_else(|| lang::detect(&body_text));

    if headline.is_none() && body_text.is_empty() {
        return Err(ExtractError::NoArticle {
            url: url_name(base),
        });
    }
    Ok(Article {
        headline,
        authors,
        credit,
        site_name,
        published_at,
        modified_at,
        section,
        topics,
        canonical_url,
        description,
        image,
        language,
        dateline,
        body_text,
        body_html,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deep_nesting_does_not_overflow() {
        let depth = 100_000;
        let mut html = String::with_capacity(depth * 12);
        html.push_str("<html><body>");
        for _ in 0..depth {
            html.push_str("<div>");
        }
        html.push_str("<p>Deep inside there is one paragraph with enough words to be the article body text.</p>");
        for _ in 0..depth {
            html.push_str("</div>");
        }
        let a = extract(&html, &ExtractOptions::default()).expect("best effort");
        assert!(a.body_text.contains("Deep inside"));
    }

    /// Inputs the fuzz harness found slow or hanging, kept in `fixtures/hostile/`. Each must
    /// return (a result or an error); the one that hung still has an article to find.
    #[test]
    fn fuzz_found_pages_return() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/hostile");
        let mut seen = 0;
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            let html = String::from_utf8_lossy(&std::fs::read(&path).unwrap()).into_owned();
            let got = extract(&html, &ExtractOptions::default());
            if path.ends_with("fuzz-date-recursion.html") {
                let a = got.expect("the mutated station page still has its article");
                assert!(a.body_text.split_whitespace().count() > 100, "{path:?}");
            }
            seen += 1;
        }
        assert!(seen >= 1);
    }

    #[test]
    fn depth_limit_keeps_ordinary_pages_untouched() {
        let html = "<div><p>a<p>b<ul><li>c<li>d</ul></div><script>if (a<b) {}</script>";
        assert!(matches!(
            dom::limit_depth(html),
            std::borrow::Cow::Borrowed(_)
        ));
        let deep = "<div>".repeat(dom::MAX_PARSE_DEPTH + 10)
            + "x"
            + &"</div>".repeat(dom::MAX_PARSE_DEPTH + 10);
        let cut = dom::limit_depth(&deep);
        assert_eq!(cut.matches("<div>").count(), dom::MAX_PARSE_DEPTH);
        assert_eq!(cut.matches("</div>").count(), dom::MAX_PARSE_DEPTH);
        // A `>` inside a quoted value does not end the tag; markup inside a script (closed in
        // upper case) is not counted and stays.
        let quoted = format!(
            "<script>var s = '<div><div>';</SCRIPT>{}x",
            "<div title=\"a>b\" class='c>d'>".repeat(dom::MAX_PARSE_DEPTH + 10)
        );
        let cut = dom::limit_depth(&quoted);
        assert_eq!(cut.matches("<div").count(), dom::MAX_PARSE_DEPTH + 2);
        assert!(cut.starts_with("<script>var s = '<div><div>';</SCRIPT>"));
    }

    #[test]
    fn empty_page_is_an_error_naming_the_url() {
        let u = Url::parse("https://example.com/x").unwrap();
        let e = extract(
            "<html></html>",
            &ExtractOptions {
                url: Some(&u),
                feed_html: None,
            },
        )
        .unwrap_err();
        assert_eq!(e.to_string(), "no article found in https://example.com/x");
    }
}
