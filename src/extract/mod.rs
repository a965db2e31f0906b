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
pub mod dom;
pub mod lang;
pub mod metadata;
pub mod mojibake;
pub mod pattern;
mod published;
pub mod rules;
pub mod sanitize;
pub mod text;

/// Dates are one module shared with feeds ([`crate::dates`]).
pub use crate::dates;

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
    /// The configured rule for this page's site (see [`rules::rule_for`]), if any.
    pub rule: Option<&'a rules::SiteRule>,
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

/// A block that is only this label has the byline in the next block ("Autor:" / "Anna Roth"),
/// in the languages of the pages we read.
const BYLINE_LABELS: [&str; 23] = [
    "by",
    "written by",
    "author",
    "authors",
    "author(s)",
    "posted by",
    "words by",
    "story by",
    "von",
    "autor",
    "autorin",
    "autoren",
    "autor(in)",
    "verfasst von",
    "geschrieben von",
    "eingestellt von",
    "text",
    "par",
    "auteur",
    "auteurs",
    "auteur(s)",
    "por",
    "door",
];

/// Bylines printed as text blocks: "By Jane Doe" / "Written by Jane Doe", or a "Written by"
/// label followed by the name in the next block.
fn byline_blocks(w: &dom::Walk<'_>) -> Vec<String> {
    let mut out = Vec::new();
    // The line of facts printed next to the headline may name the writer without a label.
    let h1 = |chrome_ok: bool| {
        w.blocks
            .iter()
            .position(|b| b.tag == dom::Tag::H(1) && (chrome_ok || !b.chrome))
    };
    if let Some(h) = h1(false).or_else(|| h1(true)) {
        let near = &w.blocks[h.saturating_sub(2)..w.blocks.len().min(h + 4)];
        if let Some(name) = near
            .iter()
            .filter(|b| b.chars <= 100)
            .find_map(|b| credit::name_among_facts(&b.text))
        {
            out.push(name);
        }
    }
    for (i, b) in w.blocks.iter().enumerate() {
        if b.chars > 120 {
            continue;
        }
        let t = b.text.trim();
        let label = t.trim_end_matches(':').trim().to_lowercase();
        if BYLINE_LABELS.contains(&label.as_str()) {
            if let Some(next) = w.blocks.get(i + 1).filter(|n| n.chars < 80) {
                // A list under the label names one writer per item; a label that is itself
                // a menu item (an "Autoren" link among the site's other sections) heads no list.
                let heading = b.list.is_none() && b.link_chars * 2 < b.chars;
                let names: Vec<&str> = match next.list.filter(|_| heading) {
                    Some(list) => w.blocks[i + 1..]
                        .iter()
                        .take(8)
                        .take_while(|b| b.list == Some(list) && b.chars < 80)
                        .map(|b| b.text.as_str())
                        .collect(),
                    None => vec![next.text.as_str()],
                };
                out.push(names.join(", "));
            }
            continue;
        }
        // A rule or a bullet may open the line ("---- by Jane Doe").
        let t = t.trim_start_matches(['-', '–', '—', '*', '·', '•', ' ']);
        // The label in an element of its own loses the space before the name ("ByJane Doe").
        let spaced;
        let t = match t.strip_prefix("By") {
            Some(rest) if rest.starts_with(char::is_uppercase) => {
                spaced = format!("By {rest}");
                spaced.as_str()
            }
            _ => t,
        };
        if body::is_byline(t) {
            out.push(t.to_string());
        }
        if out.len() >= 3 {
            break;
        }
    }
    out
}

/// The names a site goes by: its `og:site_name` (and the part before a tagline), the
/// publisher, and its host's own label ("netvex7" for www.netvex7.com).
fn own_names(site: Option<&str>, publisher: Option<&str>, host: Option<&str>) -> credit::SiteNames {
    let mut names: Vec<String> = Vec::new();
    for n in [site, publisher].into_iter().flatten() {
        names.push(n.to_string());
        for sep in [" | ", " - ", " – ", " — ", ": "] {
            if let Some((head, _)) = n.split_once(sep) {
                names.push(head.to_string());
            }
        }
    }
    let host_label = host.and_then(|h| {
        let labels: Vec<&str> = h.trim_start_matches("www.").split('.').collect();
        // "example.co.uk": the label before a two-part suffix.
        let own = match labels.as_slice() {
            [.., own, sld, _] if ["co", "com", "org", "net", "ac", "gov"].contains(sld) => *own,
            [.., own, _] => *own,
            _ => return None,
        };
        (own.len() >= 3).then(|| own.to_string())
    });
    credit::SiteNames { names, host_label }
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
    let html = dom::limit_markup(html);
    let mut doc = Html::parse_document(&html);
    if let Some(rule) = options.rule {
        rules::remove(&mut doc, rule);
    }
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

    // The feed's own HTML for the item is as untrusted as the page, and under the same limits.
    let feed_doc = options
        .feed_html
        .map(|h| Html::parse_fragment(&dom::limit_markup(h)));
    let feed_walk = feed_doc.as_ref().map(dom::walk);
    // A site rule's body element, when it matches, is the only place the body is read from.
    let ruled_doc = options
        .rule
        .and_then(|r| rules::body_html(&doc, r))
        .map(|h| Html::parse_document(&h));
    let ruled_walk = ruled_doc.as_ref().map(dom::walk);
    // The page's own site, for telling its own links from others': its address, else its
    // canonical link.
    let site = host.map(str::to_string).or_else(|| {
        let c = src.canonical.as_deref()?;
        Some(url::Url::parse(c).ok()?.host_str()?.to_string())
    });
    let mut body = match &ruled_walk {
        Some(ruled) => body::extract(ruled, site.as_deref(), headline.as_deref(), None, None),
        None => body::extract(
            &w,
            site.as_deref(),
            headline.as_deref(),
            src.ld.body.as_deref(),
            feed_walk.as_ref(),
        ),
    };

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
    // Scholarly pages list each writer in a `citation_author` tag (the Highwire Press
    // tags), often as "Last, First".
    for v in src.meta_all("citation_author") {
        sources.push((credit::first_name_first(&v), false));
    }
    // An SEO plugin's reading card: twitter:label1 "Written by", twitter:data1 the name.
    if src
        .meta(&["twitter:label1"])
        .is_some_and(|l| l.eq_ignore_ascii_case("written by"))
        && let Some(v) = src.meta(&["twitter:data1"])
    {
        sources.push((v, false));
    }
    let meta_count = sources.len();
    sources.extend(src.bylines.iter().map(|b| (b.clone(), false)));
    sources.extend(byline_blocks(&w).into_iter().map(|b| (b, false)));
    let site_names = own_names(site_name.as_deref(), src.ld.publisher.as_deref(), host);
    let mut authors: Vec<String> = Vec::new();
    let mut credit: Option<String> = None;
    let mut first_org: Option<String> = None;
    let mut site_persons: Vec<String> = Vec::new();
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
            if lo >= meta_count && raw.chars().count() > 100 {
                // A teaser card or an author bio, not a byline.
                continue;
            }
            if lo >= meta_count && !site_persons.is_empty() && !credit::has_by_label(raw) {
                // The site's own name stands unless a printed byline names someone else.
                continue;
            }
            let split = credit::split_byline_for(raw, &site_names);
            if lo < meta_count {
                site_persons.extend(split.site_persons);
            } else if first_org.is_none() {
                first_org = split.site_persons.into_iter().next();
            }
            let mut persons = split.persons;
            // Initials alone ("mh") stand where the page declares its writer: structured
            // data, an author tag, a labelled byline.
            if persons.is_empty() && (lo < meta_count || credit::has_by_label(raw)) {
                persons = split.initials;
            }
            for a in persons {
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
    // A user name ("jane_doe") in the metadata, and the same name printed in full in a
    // byline ("Jane Doé"): the printed one is the name.
    if let [only] = authors.as_mut_slice()
        && credit::is_handle(only)
        && let Some(full) = sources[meta_count..]
            .iter()
            .flat_map(|(raw, _)| credit::split_byline_for(raw, &site_names).persons)
            .find(|p| p.contains(' ') && credit::same_letters(only, p))
    {
        *only = full;
    }
    // Nobody named as writer or publisher: a person holding the page's copyright is the
    // one who wrote it (a personal site's footer, a signed piece's closing line). Photo
    // credits in captions do not count.
    if authors.is_empty()
        && site_persons.is_empty()
        && first_org.is_none()
        && let Some(holder) = w
            .blocks
            .iter()
            .filter(|b| !matches!(b.tag, dom::Tag::Figure | dom::Tag::Figcaption))
            .find_map(|b| credit::copyright_person(&b.text))
    {
        authors.push(holder);
    }
    if authors.is_empty() && !site_persons.is_empty() {
        authors.push(site_persons.swap_remove(0));
    }
    if authors.is_empty()
        && let Some(org) =
            first_org.filter(|o| credit::wire(o).is_none() && o.split_whitespace().count() <= 6)
    {
        authors.push(org);
    }
    // The byline's names find the author's bio closing the body.
    body::drop_author_bio(&mut body.paras, &authors);
    let body_text = body
        .paras
        .iter()
        .map(|p| p.text.as_str())
        .collect::<Vec<_>>()
        .join("\n\n");
    let body_html = sanitize::body_html(&body.paras, base);
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

    let (published_at, modified_at) =
        published::dates(&w, &src, base, headline.as_deref(), &authors, &body.paras);

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
    if topics.is_empty()
        && let Some(v) = src.meta(&["itemprop:keywords"])
    {
        topics = v
            .split(',')
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
            .collect();
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
    let mut article = Article {
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
    };
    repair_mojibake(&mut article);
    Ok(article)
}

/// Repairs double-encoded UTF-8 ("donâ€™t") in every text field of a finished article.
///
/// Done here, on the output, because this is the one place that sees every field after all
/// its sources are merged and decoded: headline and authors come from JSON-LD, meta
/// attributes or the DOM, the body from text nodes or the feed, and mojibake arrives as raw
/// characters, HTML entities ("&acirc;&euro;&trade;") or JSON escapes alike. The byte-level
/// decoder in `fetch` sees only the first of those. The page is judged once, on headline,
/// description and body together, so a lone quoted example does not switch repair on.
fn repair_mojibake(a: &mut Article) {
    let probe = [a.headline.as_deref(), a.description.as_deref()]
        .into_iter()
        .flatten()
        .chain(std::iter::once(a.body_text.as_str()));
    if !mojibake::page_has_mojibake(probe) {
        return;
    }
    let fix = |s: &mut String| {
        if let std::borrow::Cow::Owned(r) = mojibake::repair(s) {
            *s = r;
        }
    };
    for s in [
        &mut a.headline,
        &mut a.credit,
        &mut a.site_name,
        &mut a.section,
        &mut a.description,
        &mut a.dateline,
    ]
    .into_iter()
    .flatten()
    {
        fix(s);
    }
    a.authors.iter_mut().for_each(fix);
    a.topics.iter_mut().for_each(fix);
    fix(&mut a.body_text);
    fix(&mut a.body_html);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(head: &str, body: &str) -> String {
        let para = "<p>The city council voted on Tuesday to repair the streets on the east side, \
            a project residents have asked for since the flooding two winters ago.</p>";
        format!(
            "<html><head>{head}</head><body><article><h1>Council approves street repairs</h1>\
             {body}{para}{para}{para}</article></body></html>"
        )
    }

    fn authors_of(html: &str, url: &str) -> (Vec<String>, Option<String>) {
        let url = Url::parse(url).unwrap();
        let a = extract(
            html,
            &ExtractOptions {
                url: Some(&url),
                ..ExtractOptions::default()
            },
        )
        .unwrap();
        (a.authors, a.credit)
    }

    /// The writer's element named in the page's language ("auteurs", "autorin") holds the
    /// byline as surely as an "author" class does; a German "von" line that is a sentence is
    /// no byline.
    #[test]
    fn bylines_marked_or_printed_in_other_languages() {
        let para = "<p>Le conseil municipal a voté mardi soir un budget en hausse pour les écoles de la ville et les transports.</p>";
        let html = page(
            "",
            &format!(
                r#"<h1>Un budget pour les écoles</h1><div class="dates_auteurs">par <span class="auteurs">Odile Marchand</span>, 21 juin 2018</div>{para}{para}"#
            ),
        );
        assert_eq!(
            authors_of(&html, "https://exemple.fr/a").0,
            ["Odile Marchand"]
        );
        let html = page(
            "",
            &format!(r#"<h1>Neue Buslinie</h1><p>von <em>Jonas Albrecht</em></p>{para}{para}"#),
        );
        assert_eq!(
            authors_of(&html, "https://beispiel.de/a").0,
            ["Jonas Albrecht"]
        );
        assert!(!body::is_byline("Von Montag bis Freitag geöffnet."));
        assert!(body::is_byline("Von Lena Voss und Karl Heim, 3. Mai 2021"));
    }

    /// A recipe's or a forum thread's structured data names its writer as an article's does.
    #[test]
    fn recipes_and_forum_posts_name_their_writer_in_structured_data() {
        let para = "<p>Mix the flour and the butter, then fold in the plums and bake for forty minutes until golden.</p>";
        let html = page(
            r#"<script type="application/ld+json">{"@context":"https://schema.org","@type":"Recipe","name":"Plum crumble cake","author":{"@type":"Person","name":"bakingbea"}}</script>"#,
            &format!("<h1>Plum crumble cake</h1>{para}{para}"),
        );
        assert_eq!(
            authors_of(&html, "https://recipes.example/plum").0,
            ["bakingbea"]
        );
    }

    /// A reference entry signed "— by Name" below a credit for the volume's editors: the
    /// signed name is the writer, the edition is not a person.
    #[test]
    fn a_signature_after_a_rule_is_a_byline() {
        let html = page(
            "",
            r#"<p><span class="author">Second Edition Edited by Ada Pell</span></p><p><em>— by Kenji Moro</em></p>"#,
        );
        assert_eq!(
            authors_of(&html, "https://glossary.example/terms/tidal-range").0,
            ["Kenji Moro"]
        );
    }

    /// "By" in an element of its own, glued to the name by the text walk.
    #[test]
    fn a_by_label_in_its_own_element_still_opens_the_byline() {
        let html = page(
            "",
            r#"<div class="writer"><span class="label">By</span><span>Dara Quist</span></div>"#,
        );
        assert_eq!(
            authors_of(&html, "https://news.example/a").0,
            ["Dara Quist"]
        );
    }

    #[test]
    fn meta_author_naming_the_brand_yields_to_the_visible_byline() {
        let html = page(
            r#"<meta property="og:site_name" content="Netvex7"><meta name="author" content="Netvex7">"#,
            r#"<div class="byline">By Spencer Mack</div>"#,
        );
        let (authors, credit) = authors_of(&html, "https://www.netvex7.com/blog/post/x/");
        assert_eq!(authors, vec!["Spencer Mack"]);
        assert_eq!(credit, None);
    }

    #[test]
    fn brand_stays_the_author_when_no_person_is_named() {
        let html = page(
            r#"<meta property="og:site_name" content="Plivex"><meta name="author" content="Plivex">"#,
            r#"<nav><a class="author-filter">By Event Type</a></nav>"#,
        );
        let (authors, _) = authors_of(&html, "https://plivex.events/blog/x/");
        assert_eq!(authors, vec!["Plivex"]);
    }

    #[test]
    fn blog_named_for_its_writer_keeps_the_writer() {
        let html = page(
            r#"<meta property="og:site_name" content="Mara Vinton"><meta name="author" content="Mara Vinton">"#,
            r#"<div class="comments"><span class="comment-author">Lori Camp says</span></div>"#,
        );
        let (authors, _) = authors_of(&html, "https://maravinton.com/2025/x/");
        assert_eq!(authors, vec!["Mara Vinton"]);
    }

    #[test]
    fn printed_byline_beats_a_brand_that_looks_like_a_name() {
        let html = page(
            r#"<meta property="og:site_name" content="Green Tree Fund"><meta name="author" content="Green Tree Fund">"#,
            r#"<a class="author-link" href="/team/">Our Team</a><p class="byline">by Meg Weedon ● December 23, 2025 ● 6 min read</p>"#,
        );
        let (authors, _) = authors_of(&html, "https://greentreefund.org/blog/x/");
        assert_eq!(authors, vec!["Meg Weedon"]);
    }

    #[test]
    fn reader_comments_and_teaser_cards_name_no_author() {
        let html = page(
            "",
            r#"<div class="related"><div class="post-author">Introducing the Growth Collective: A New Way to Earn, Grow, and Make an Impact Stacy Edge December 4, 2025</div></div>
               <ol><li><span class="comment-author vcard">Corine Mills</span></li></ol>"#,
        );
        let (authors, _) = authors_of(&html, "https://example.com/blog/x/");
        assert!(authors.is_empty(), "{authors:?}");
    }

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

    /// A page with `ld` published/modified dates and `header` lines printed under its headline.
    fn dated_page(ld: &str, header: &str) -> String {
        let para = "<p>The county commission voted on Tuesday to repave forty miles of rural roads \
                    this summer, paying for the work with money left over from last year's budget.</p>";
        format!(
            r#"<html><head><script type="application/ld+json">{{"@type":"NewsArticle",{ld}}}</script></head>
            <body><header><nav>Home | News | Weather</nav></header><article><h1>Commission votes to repave rural roads</h1>
            {header}{}</article></body></html>"#,
            para.repeat(4)
        )
    }

    fn published(html: &str) -> String {
        let a = extract(html, &ExtractOptions::default()).unwrap();
        a.published_at.map(|d| d.to_rfc3339()).unwrap_or_default()
    }

    #[test]
    fn the_date_shown_under_the_headline_is_the_articles_date() {
        // Shown and confirmed by metadata of the same day: the metadata lends the time.
        let ld = r#""datePublished":"2021-03-04T22:45:00-05:00","dateModified":"2021-03-09T08:00:00-05:00""#;
        let page = dated_page(ld, "<p class=\"meta\">March 4, 2021</p>");
        assert_eq!(published(&page), "2021-03-04T22:45:00-05:00");
        // Shown but not in the metadata: the page's own date wins over a stale datePublished.
        let page = dated_page(ld, "<p>Posted March 6, 2021</p>");
        assert_eq!(published(&page), "2021-03-06T00:00:00+00:00");
        // Labelled "Updated" but dated before datePublished: no refresh, the publication stays.
        let page = dated_page(ld, "<p>Updated March 2, 2021</p>");
        assert_eq!(published(&page), "2021-03-04T22:45:00-05:00");
        // ...unless nothing else dates the page.
        let page = dated_page(r#""headline":"x""#, "<p>Updated March 9, 2021</p>");
        assert_eq!(published(&page), "2021-03-09T00:00:00+00:00");
        // A page without an h1: the block reading as the headline anchors the search.
        let page = dated_page(
            r#""headline":"Commission votes to repave rural roads","datePublished":"2021-03-04""#,
            "<p>March 6, 2021</p>",
        )
        .replace("<h1>", "<div class=\"title\">")
        .replace("</h1>", "</div>");
        assert_eq!(published(&page), "2021-03-06T00:00:00+00:00");
    }

    #[test]
    fn a_shown_last_edit_is_the_date_unless_the_first_publication_is_declared_for_sharing() {
        let ld = r#""datePublished":"2021-03-04T22:45:00-05:00","dateModified":"2021-03-09T08:00:00-05:00""#;
        // Only the refresh is shown, and only JSON-LD knows the first date: the shown one stands.
        for header in [
            "<p>Updated March 9, 2021</p>",
            "<p class=\"meta\">March 9, 2021</p>",
        ] {
            let page = dated_page(ld, header);
            assert_eq!(published(&page), "2021-03-09T08:00:00-05:00", "{header}");
        }
        // An "Updated" date between the two is a refresh too (dateModified moved on since).
        let page = dated_page(ld, "<p>Updated March 8, 2021</p>");
        assert_eq!(published(&page), "2021-03-08T00:00:00+00:00");
        // The page also declares article:published_time: the original publication wins.
        for header in [
            "<p>Updated March 9, 2021</p>",
            "<p>Updated March 8, 2021</p>",
            "<p class=\"meta\">March 9, 2021</p>",
        ] {
            let page = dated_page(ld, header).replace(
                "<head>",
                r#"<head><meta property="article:published_time" content="2021-03-04T22:45:00-05:00">"#,
            );
            assert_eq!(published(&page), "2021-03-04T22:45:00-05:00", "{header}");
        }
    }

    #[test]
    fn a_series_of_dated_entries_after_the_headline_dates_no_page() {
        let ld = r#""datePublished":"2021-03-04T22:45:00-05:00""#;
        // A "More stories" rail laid out between the headline and the text.
        let rail = r#"<aside><div class="teaser"><a href="/a">Pool reopens</a> | March 20, 2021</div>
            <div class="teaser"><a href="/b">Mill closes</a> | March 18, 2021</div>
            <div class="teaser"><a href="/c">Fair returns</a> | March 11, 2021</div></aside>"#;
        assert_eq!(
            published(&dated_page(ld, rail)),
            "2021-03-04T22:45:00-05:00"
        );
        // A change log under an "Updates" heading: edits, not the publication.
        let log = "<h2>Updates</h2><ul><li>2021-04-02 Added the bid figures.</li>\
            <li>2021-05-09 Corrected the mileage.</li><li>2021-06-30 Linked the final vote.</li></ul>";
        assert_eq!(published(&dated_page(ld, log)), "2021-03-04T22:45:00-05:00");
        // One shown date before such a rail is still the page's date.
        let header = format!("<p class=\"meta\">March 6, 2021</p>{rail}");
        assert_eq!(
            published(&dated_page(ld, &header)),
            "2021-03-06T00:00:00+00:00"
        );
    }

    #[test]
    fn a_publication_stamped_at_the_instant_of_the_last_save_yields_to_a_printed_published_line() {
        // The header shows no date; the "Published" line sits past the article text.
        let long = "<p>The county commission voted on Tuesday to repave forty miles of rural roads \
                    this summer, paying for the work with money left over from last year's budget \
                    and a state grant that the county engineer applied for in the spring. Work \
                    starts on the northern routes in June and ends before the first frost.</p>";
        let page = |ld: &str| {
            dated_page(ld, &long.repeat(3)).replace(
                "</article>",
                "</article><footer><p>Published August 13, 2025</p></footer>",
            )
        };
        let ld = r#""datePublished":"2025-11-29T12:28:31-05:00","dateModified":"2025-11-29T12:28:31-05:00""#;
        assert_eq!(published(&page(ld)), "2025-08-13T00:00:00+00:00");
        // A datePublished before the last save is a real publication and stands.
        let ld = r#""datePublished":"2025-08-12T09:00:00-05:00","dateModified":"2025-11-29T12:28:31-05:00""#;
        assert_eq!(published(&page(ld)), "2025-08-12T09:00:00-05:00");
    }

    #[test]
    fn a_label_names_the_date_after_it_not_every_date_in_the_line() {
        let ld = r#""headline":"x""#;
        // Published date first, the edit after it, glued together by inline spans.
        let header = r#"<div class="dateline"><span>Transportation</span><span>MAY 2, 2022</span><span>Updated: JUNE 3, 2023</span></div>"#;
        assert_eq!(
            published(&dated_page(ld, header)),
            "2022-05-02T00:00:00+00:00"
        );
        let header = "<p>Updated June 3, 2023 · Published May 2, 2022</p>";
        assert_eq!(
            published(&dated_page(ld, header)),
            "2022-05-02T00:00:00+00:00"
        );
        let labels: Vec<_> = dates::labelled("June 3, 2023 (updated)")
            .into_iter()
            .map(|(l, _)| l)
            .collect();
        assert_eq!(labels, [Some(dates::Label::Updated)]);
        let history =
            dates::labelled("Received 2022 Oct 12; Accepted 2023 Jan 7; Published 2023 Feb 1");
        assert_eq!(history.len(), 1);
        assert_eq!(history[0].0, Some(dates::Label::Published));
        assert_eq!(history[0].1.to_rfc3339(), "2023-02-01T00:00:00+00:00");
    }

    #[test]
    fn a_local_clock_time_written_as_utc_in_json_ld_yields_to_the_social_card() {
        // The same clock reading ten hours apart: JSON-LD wrote local time with "Z".
        let ld = r#""datePublished":"2021-05-08T06:30:00Z""#;
        let page = dated_page(ld, "").replace(
            "<head>",
            r#"<head><meta property="article:published_time" content="2021-05-07T20:30:00+00:00">"#,
        );
        assert_eq!(published(&page), "2021-05-07T20:30:00+00:00");
        // The same instant in two zones is one declaration: JSON-LD's wording stands.
        let ld = r#""datePublished":"2021-05-08T06:30:00+10:00""#;
        let page = dated_page(ld, "").replace(
            "<head>",
            r#"<head><meta property="article:published_time" content="2021-05-07T20:30:00+00:00">"#,
        );
        assert_eq!(published(&page), "2021-05-08T06:30:00+10:00");
        // Minutes apart: two different moments, not one clock misread; JSON-LD stands.
        let ld = r#""datePublished":"2021-05-08T06:31:00Z""#;
        let page = dated_page(ld, "").replace(
            "<head>",
            r#"<head><meta property="article:published_time" content="2021-05-07T20:30:00+00:00">"#,
        );
        assert_eq!(published(&page), "2021-05-08T06:31:00+00:00");
    }

    #[test]
    fn a_site_named_publication_meta_dates_the_page() {
        let page = dated_page(r#""headline":"x""#, "").replace(
            "<head>",
            r#"<head><meta name="article:publisher" content="2020-01-01"><meta name="x-published-date" content="2023-05-27T06:03:43Z">"#,
        );
        assert_eq!(published(&page), "2023-05-27T06:03:43+00:00");
        let page = dated_page(r#""headline":"x""#, "").replace(
            "<head>",
            r#"<head><meta name="published-time" content="2026-03-09T08:45:32Z"><meta name="published-date" content="2021-02-16">"#,
        );
        assert_eq!(published(&page), "2021-02-16T00:00:00+00:00");
    }

    #[test]
    fn a_numeric_date_read_the_wrong_way_round_is_settled_by_the_metadata() {
        // 09.10.2021 is 9 October in Europe, September 10 in the US; datePublished says which.
        let ld = r#""datePublished":"2021-09-10T16:07:00Z""#;
        let page = dated_page(ld, r#"<p class="post-date">09.10.2021</p>"#);
        assert_eq!(published(&page), "2021-09-10T16:07:00+00:00");
        // Without metadata the page's reading stands.
        let page = dated_page(
            r#""headline":"x""#,
            r#"<p class="post-date">09.10.2021</p>"#,
        );
        assert_eq!(published(&page), "2021-10-09T00:00:00+00:00");
    }

    #[test]
    fn a_standfirst_under_the_headline_does_not_hide_the_dateline() {
        let deck = "<p class=\"deck\">Forty miles of gravel and patched asphalt will be rebuilt before \
                    school starts, the first large repair since the county took over the old state \
                    routes, and drivers should expect lane closures on weekdays through the whole \
                    of July and the first half of August.</p>";
        let page = dated_page(
            r#""headline":"x""#,
            &format!("{deck}<p>By Ana Ruiz</p><p>March 6, 2021</p>"),
        );
        assert_eq!(published(&page), "2021-03-06T00:00:00+00:00");
        // Past the standfirst, a sentence that mentions a date is text, not a dateline.
        let sentence = "<p>The deadline for most filers is April 15, 2021, the county clerk told \
                        commissioners on Monday morning.</p>";
        let page = dated_page(
            r#""datePublished":"2021-03-04T22:45:00-05:00""#,
            &format!("{deck}{sentence}"),
        );
        assert_eq!(published(&page), "2021-03-04T22:45:00-05:00");
    }

    #[test]
    fn a_publication_label_far_down_the_page_dates_an_otherwise_undated_page() {
        let filler = "<p>The county commission voted on Tuesday to repave forty miles of rural \
                      roads this summer, paying for the work with money left over.</p>"
            .repeat(70);
        let page = |line: &str| {
            format!(
                "<html><body><article><h1>Commission votes to repave rural roads</h1>{filler}\
                 <footer><p>{line}</p></footer></article></body></html>"
            )
        };
        assert_eq!(
            published(&page("Posted on April 13, 2023")),
            "2023-04-13T00:00:00+00:00"
        );
        // A "Posted" line outranks a "Last updated" one wherever they sit.
        assert_eq!(
            published(&page(
                "Last updated May 2, 2023</p><p>Posted on April 13, 2023"
            )),
            "2023-04-13T00:00:00+00:00"
        );
    }

    #[test]
    fn the_last_edit_dates_a_page_that_shows_and_declares_nothing_else() {
        let filler = "<p>The county commission voted on Tuesday to repave forty miles of rural \
                      roads this summer, paying for the work with money left over.</p>"
            .repeat(70);
        let page = |head: &str, line: &str| {
            format!(
                "<html><head>{head}</head><body><article><h1>Commission votes to repave rural \
                 roads</h1>{filler}<footer><p>{line}</p></footer></article></body></html>"
            )
        };
        // A lone printed "Last updated" line far down the page.
        assert_eq!(
            published(&page("", "Last updated April 13, 2023")),
            "2023-04-13T00:00:00+00:00"
        );
        // Only the declared modification: it dates the page, after a printed one.
        let modified = r#"<meta property="article:modified_time" content="2023-06-12T10:39:42Z">"#;
        assert_eq!(
            published(&page(modified, "Thanks for reading")),
            "2023-06-12T10:39:42+00:00"
        );
        assert_eq!(
            published(&page(modified, "Last updated April 13, 2023")),
            "2023-04-13T00:00:00+00:00"
        );
        // A page with no date at all stays undated.
        assert_eq!(published(&page("", "Thanks for reading")), "");
    }

    #[test]
    fn the_dateline_under_the_headline_beats_a_date_above_it() {
        let page = dated_page(r#""headline":"x""#, "<p>03/01/2017 by Ana Ruiz</p>").replace(
            "<article>",
            r#"<div class="events"><div class="event-date">12/17/2025</div></div><article>"#,
        );
        assert_eq!(published(&page), "2017-03-01T00:00:00+00:00");
    }

    #[test]
    fn a_date_beside_the_byline_dates_the_page_when_the_header_has_none() {
        let filler = "<p>The county commission voted on Tuesday to repave forty miles of rural \
                      roads this summer, paying for the work with money left over.</p>"
            .repeat(70);
        let html = format!(
            r#"<html><head><meta name="author" content="Ana Ruiz"></head><body><article>
            <h1>Commission votes to repave rural roads</h1>{filler}
            <div class="about"><p>Written by Ana Ruiz</p><p>April 8, 2024</p></div></article></body></html>"#
        );
        assert_eq!(published(&html), "2024-04-08T00:00:00+00:00");
        // An "Updated" line by the byline is no publication date: a "Posted" line elsewhere
        // outranks it, and it is only the last resort.
        let html = html.replace("<p>April 8, 2024</p>", "<p>Updated April 8, 2024</p>");
        let posted = html.replace("</article>", "<p>Posted March 2, 2024</p></article>");
        assert_eq!(published(&posted), "2024-03-02T00:00:00+00:00");
        assert_eq!(published(&html), "2024-04-08T00:00:00+00:00");
    }

    #[test]
    fn a_time_elements_datetime_outranks_its_display_text() {
        let page = dated_page(
            r#""headline":"x""#,
            r#"<div class="meta"><time datetime="2024-12-20T10:00:00-05:00">August 28, 2024</time></div>"#,
        );
        assert_eq!(published(&page), "2024-12-20T10:00:00-05:00");
        // A UTC instant the next day is the same moment; the local day shown stands.
        let page = dated_page(
            r#""headline":"x""#,
            r#"<div class="meta"><time datetime="2024-08-29T02:30:00Z">August 28, 2024</time></div>"#,
        );
        assert_eq!(published(&page), "2024-08-28T00:00:00+00:00");
    }

    #[test]
    fn a_time_element_at_the_metadatas_instant_takes_the_metadatas_wording() {
        let ld = r#""datePublished":"2025-07-05T00:04:00+00:00""#;
        let header = r#"<div class="meta"><time datetime="2025-07-04T20:04:00-04:00">July 4, 2025</time></div>"#;
        let page = dated_page(ld, header);
        assert_eq!(published(&page), "2025-07-05T00:04:00+00:00");
        // A different instant on the shown day: the shown day stands.
        let other = header.replace("20:04:00", "09:00:00");
        assert_eq!(
            published(&dated_page(ld, &other)),
            "2025-07-04T00:00:00+00:00"
        );
        // The URL files the story under the shown day: the site keeps its local day.
        let url = Url::parse("https://example.org/2025/07/04/roads/").unwrap();
        let a = extract(
            &page,
            &ExtractOptions {
                url: Some(&url),
                ..Default::default()
            },
        )
        .unwrap();
        assert_eq!(
            a.published_at.map(|d| d.date_naive().to_string()),
            Some("2025-07-04".to_string())
        );
    }

    #[test]
    fn a_site_rule_picks_the_body_element_and_drops_what_it_removes() {
        let long = |s: &str| format!("<p>{}</p>", format!("{s} ").repeat(30));
        let html = format!(
            r#"<html><body><h1>Council approves repairs</h1>
            <div class="teasers">{}{}</div>
            <div id="story">{}<div class="promo">{}</div>{}</div></body></html>"#,
            long("Teaser text about another story entirely."),
            long("More teaser text about other stories."),
            long("The city council approved the street repairs."),
            long("Subscribe to our newsletter for more."),
            long("Work begins in May."),
        );
        let rule: rules::SiteRule = toml::from_str(
            r##"host = "kvia.com"
                body = "#story"
                remove = [".promo"]"##,
        )
        .unwrap();
        let url = Url::parse("https://www.kvia.com/news/repairs").unwrap();
        let a = extract(
            &html,
            &ExtractOptions {
                url: Some(&url),
                rule: Some(&rule),
                ..ExtractOptions::default()
            },
        )
        .unwrap();
        assert!(
            a.body_text.starts_with("The city council approved"),
            "{}",
            a.body_text
        );
        assert!(
            a.body_text.ends_with("Work begins in May."),
            "{}",
            a.body_text
        );
        assert!(!a.body_text.contains("Teaser") && !a.body_text.contains("Subscribe"));
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
            dom::limit_markup(html),
            std::borrow::Cow::Borrowed(_)
        ));
        let deep = "<div>".repeat(dom::MAX_PARSE_DEPTH + 10)
            + "x"
            + &"</div>".repeat(dom::MAX_PARSE_DEPTH + 10);
        let cut = dom::limit_markup(&deep);
        assert_eq!(cut.matches("<div>").count(), dom::MAX_PARSE_DEPTH);
        assert_eq!(cut.matches("</div>").count(), dom::MAX_PARSE_DEPTH);
        // A `>` inside a quoted value does not end the tag; markup inside a script (closed in
        // upper case) is not counted and stays.
        let quoted = format!(
            "<script>var s = '<div><div>';</SCRIPT>{}x",
            "<div title=\"a>b\" class='c>d'>".repeat(dom::MAX_PARSE_DEPTH + 10)
        );
        let cut = dom::limit_markup(&quoted);
        assert_eq!(cut.matches("<div").count(), dom::MAX_PARSE_DEPTH + 2);
        assert!(cut.starts_with("<script>var s = '<div><div>';</SCRIPT>"));
    }

    #[test]
    fn element_budget_cuts_a_flood_of_tiny_elements() {
        // Up to the budget a page is untouched; it is cut before the element after it.
        let at = "<br>".repeat(dom::MAX_PARSE_ELEMENTS);
        assert!(matches!(
            dom::limit_markup(&at),
            std::borrow::Cow::Borrowed(_)
        ));
        let over = "<br>".repeat(dom::MAX_PARSE_ELEMENTS + 1);
        assert_eq!(dom::limit_markup(&over).len(), at.len());
        // Stray `</p>`s make elements too, and count.
        let stray = "</p>".repeat(2 * dom::MAX_PARSE_ELEMENTS);
        assert_eq!(dom::limit_markup(&stray).len(), 4 * dom::MAX_PARSE_ELEMENTS);

        // An article, then a flood of tiny elements (a 10 MiB page of them gzips to 14 kB and
        // passes the body cap; extracting it whole took 600 MB), then more.
        let para = "<p>The county commission voted on Tuesday to repave forty miles of rural \
                    roads this summer, paying for the work with money left over.</p>";
        let page = format!(
            "<html><head><title>Roads</title></head><body><article><h1>Commission votes</h1>{}{}\
             <p>Last words of the page.</p><!-- note --></article></body></html>",
            para.repeat(4),
            "<p>a</p>".repeat(4 * dom::MAX_PARSE_ELEMENTS)
        );
        let cut = dom::limit_markup(&page);
        assert!(
            cut.len() < page.len() / 3,
            "{} of {}",
            cut.len(),
            page.len()
        );
        assert!(!cut.contains("Last words") && !cut.contains("note"));
        let doc = Html::parse_document(&cut);
        let elements = doc.tree.nodes().filter(|n| n.value().is_element()).count();
        let nodes = doc.tree.nodes().count();
        // html5ever adds html/head/body when they are missing; nothing else is made.
        assert!(
            elements <= dom::MAX_PARSE_ELEMENTS + 3,
            "{elements} elements"
        );
        assert!(nodes <= 2 * dom::MAX_PARSE_ELEMENTS + 4, "{nodes} nodes");
        let a = extract(&page, &ExtractOptions::default()).expect("article");
        assert!(
            a.body_text.starts_with("The county commission voted"),
            "{}",
            &a.body_text[..200.min(a.body_text.len())]
        );
        assert_eq!(a.headline.as_deref(), Some("Commission votes"));
    }

    #[test]
    fn empty_page_is_an_error_naming_the_url() {
        let u = Url::parse("https://example.com/x").unwrap();
        let e = extract(
            "<html></html>",
            &ExtractOptions {
                url: Some(&u),
                ..ExtractOptions::default()
            },
        )
        .unwrap_err();
        assert_eq!(e.to_string(), "no article found in https://example.com/x");
    }
}
