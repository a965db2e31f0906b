//! Kept paragraphs in, minimal safe HTML out: p, h2–h4, ul/ol/li, blockquote, a[href], em,
//! strong, figure/img/figcaption, br; relative URLs made absolute against the page URL.

use std::collections::{HashMap, HashSet};

use ammonia::{Builder, UrlRelative};
use url::Url;

use super::body::Para;
use super::dom::Tag;

/// Builds the body HTML from paragraphs and sanitises it.
pub fn body_html(paras: &[Para], base: Option<&Url>) -> String {
    let mut raw = String::new();
    let mut open_list: Option<(usize, &'static str)> = None;
    let mut in_quote = false;
    for p in paras {
        let list = if p.tag == Tag::Li { p.list } else { None };
        if open_list.is_some_and(|(l, _)| Some(l) != list) {
            raw.push_str(&format!("</{}>", open_list.map_or("ul", |o| o.1)));
            open_list = None;
        }
        if p.quoted != in_quote {
            raw.push_str(if p.quoted {
                "<blockquote>"
            } else {
                "</blockquote>"
            });
            in_quote = p.quoted;
        }
        match p.tag {
            Tag::H(n) => {
                let n = n.clamp(2, 4);
                raw.push_str(&format!("<h{n}>{}</h{n}>", p.html));
            }
            Tag::Li => {
                if open_list.is_none() {
                    let kind = if p.ordered { "ol" } else { "ul" };
                    raw.push_str(&format!("<{kind}>"));
                    open_list = Some((p.list.unwrap_or(usize::MAX), kind));
                }
                raw.push_str(&format!("<li>{}</li>", p.html));
            }
            Tag::Figcaption => raw.push_str(&format!(
                "<figure><figcaption>{}</figcaption></figure>",
                p.html
            )),
            _ => raw.push_str(&format!("<p>{}</p>", p.html)),
        }
    }
    if let Some((_, kind)) = open_list {
        raw.push_str(&format!("</{kind}>"));
    }
    if in_quote {
        raw.push_str("</blockquote>");
    }
    clean(&raw, base)
}

/// Sanitises an HTML fragment with the body allow-list.
pub fn clean(raw: &str, base: Option<&Url>) -> String {
    let tags: HashSet<&str> = [
        "p",
        "h2",
        "h3",
        "h4",
        "ul",
        "ol",
        "li",
        "blockquote",
        "a",
        "em",
        "strong",
        "figure",
        "img",
        "figcaption",
        "br",
    ]
    .into_iter()
    .collect();
    let mut attrs: HashMap<&str, HashSet<&str>> = HashMap::new();
    attrs.insert("a", ["href"].into_iter().collect());
    attrs.insert("img", ["src", "alt"].into_iter().collect());
    let mut b = Builder::default();
    b.tags(tags)
        .tag_attributes(attrs)
        .generic_attributes(HashSet::new())
        .link_rel(None)
        .url_schemes(["http", "https", "mailto"].into_iter().collect());
    match base {
        Some(u) => {
            b.url_relative(UrlRelative::RewriteWithBase(u.clone()));
        }
        None => {
            b.url_relative(UrlRelative::PassThrough);
        }
    }
    b.clean(raw).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn allow_list_keeps_only_minimal_markup() {
        let base = Url::parse("https://example.com/news/story.html").unwrap();
        let out = clean(
            r#"<p class="x" onclick="evil()">Hi <a href="/a" target="_blank">link</a> <span>s</span><script>alert(1)</script><em>e</em></p><h2>H</h2><h5>h5</h5><img src="pic.jpg" alt="A" width="3"><a href="javascript:alert(1)">j</a>"#,
            Some(&base),
        );
        assert_eq!(
            out,
            r#"<p>Hi <a href="https://example.com/a">link</a> s<em>e</em></p><h2>H</h2>h5<img src="https://example.com/news/pic.jpg" alt="A"><a>j</a>"#
        );
    }

    #[test]
    fn lists_and_quotes_are_grouped() {
        let p = |tag, text: &str, list, quoted| Para {
            tag,
            text: text.into(),
            html: text.into(),
            list,
            quoted,
            ordered: false,
        };
        let paras = vec![
            p(Tag::P, "a", None, false),
            p(Tag::Li, "b", Some(3), false),
            p(Tag::Li, "c", Some(3), false),
            p(Tag::P, "d", None, true),
        ];
        assert_eq!(
            body_html(&paras, None),
            "<p>a</p><ul><li>b</li><li>c</li></ul><blockquote><p>d</p></blockquote>"
        );
    }
}
