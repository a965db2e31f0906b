//! Kept paragraphs in, minimal safe HTML out: p, h2–h4, ul/ol/li, blockquote, a[href], em,
//! strong, figure/img/figcaption, br; relative URLs made absolute against the page URL.
//! [`body_html`] writes that markup straight from the paragraphs (a second HTML parse per
//! page cost more than the rest of the body work); [`clean`] is the same allow-list as an
//! ammonia pass for arbitrary fragments, and the reference the direct path is tested against.

use std::collections::{HashMap, HashSet};

use ammonia::{Builder, UrlRelative};
use url::Url;

use super::body::Para;
use super::dom::Tag;

/// Builds the body HTML from paragraphs, emitting only allowed markup.
///
/// `Para::html` is the walk's inline markup: text with `<`, `>` and `&` escaped, plus `a`,
/// `em`, `strong`, `br` and `img` tags with double-quoted, escaped attribute values. It is
/// read back token by token rather than re-parsed: tags outside the allow-list and
/// attributes other than `a[href]`, `img[src]` and `img[alt]` are dropped, a `<` that starts
/// no tag is escaped, URLs keep only the http, https and mailto schemes (relative ones are
/// made absolute against `base`), and each paragraph's inline tags are balanced within it.
pub fn body_html(paras: &[Para], base: Option<&Url>) -> String {
    let mut out = String::with_capacity(paras.iter().map(|p| p.html.len() + 16).sum());
    let mut open_list: Option<(usize, &'static str)> = None;
    let mut in_quote = false;
    for p in paras {
        let list = if p.tag == Tag::Li { p.list } else { None };
        if open_list.is_some_and(|(l, _)| Some(l) != list) {
            out.push_str(if open_list.is_some_and(|o| o.1 == "ol") {
                "</ol>"
            } else {
                "</ul>"
            });
            open_list = None;
        }
        if p.quoted != in_quote {
            out.push_str(if p.quoted {
                "<blockquote>"
            } else {
                "</blockquote>"
            });
            in_quote = p.quoted;
        }
        let (open, close) = match p.tag {
            Tag::H(n) => match n.clamp(2, 4) {
                2 => ("<h2>", "</h2>"),
                3 => ("<h3>", "</h3>"),
                _ => ("<h4>", "</h4>"),
            },
            Tag::Li => {
                if open_list.is_none() {
                    let kind = if p.ordered { "ol" } else { "ul" };
                    out.push_str(if p.ordered { "<ol>" } else { "<ul>" });
                    open_list = Some((p.list.unwrap_or(usize::MAX), kind));
                }
                ("<li>", "</li>")
            }
            Tag::Figcaption => ("<figure><figcaption>", "</figcaption></figure>"),
            _ => ("<p>", "</p>"),
        };
        out.push_str(open);
        inline(&p.html, base, &mut out);
        out.push_str(close);
    }
    if let Some((_, kind)) = open_list {
        out.push_str(if kind == "ol" { "</ol>" } else { "</ul>" });
    }
    if in_quote {
        out.push_str("</blockquote>");
    }
    out
}

/// Inline elements kept in the body.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Inline {
    A,
    Em,
    Strong,
}

impl Inline {
    fn close(self) -> &'static str {
        match self {
            Inline::A => "</a>",
            Inline::Em => "</em>",
            Inline::Strong => "</strong>",
        }
    }
}

/// Copies one paragraph's inline markup into `out`, keeping only allowed tags (see
/// [`body_html`]) and closing what it opened.
fn inline(html: &str, base: Option<&Url>, out: &mut String) {
    let mut open: Vec<Inline> = Vec::new();
    let mut rest = html;
    while let Some(lt) = rest.find(['<', '>']) {
        push_text(&rest[..lt], out);
        rest = &rest[lt..];
        if rest.starts_with('>') {
            out.push_str("&gt;");
            rest = &rest[1..];
            continue;
        }
        let Some(tag) = Markup::parse(rest) else {
            out.push_str("&lt;");
            rest = &rest[1..];
            continue;
        };
        rest = &rest[tag.len..];
        match (tag.name, tag.closing) {
            ("a", false) => {
                out.push_str("<a");
                if let Some(href) = tag.attr("href").and_then(|h| url_attr(&h, base)) {
                    out.push_str(" href=\"");
                    escape_attr(&href, out);
                    out.push('"');
                }
                out.push('>');
                open.push(Inline::A);
            }
            ("em", false) => {
                out.push_str("<em>");
                open.push(Inline::Em);
            }
            ("strong", false) => {
                out.push_str("<strong>");
                open.push(Inline::Strong);
            }
            ("br", false) => out.push_str("<br>"),
            ("img", false) => {
                out.push_str("<img");
                if let Some(src) = tag.attr("src").and_then(|s| url_attr(&s, base)) {
                    out.push_str(" src=\"");
                    escape_attr(&src, out);
                    out.push('"');
                }
                if let Some(alt) = tag.attr("alt") {
                    out.push_str(" alt=\"");
                    escape_attr(&alt, out);
                    out.push('"');
                }
                out.push('>');
            }
            (name, true) => {
                let kind = match name {
                    "a" => Inline::A,
                    "em" => Inline::Em,
                    "strong" => Inline::Strong,
                    _ => continue,
                };
                // A close for an element opened in an earlier block (the walk splits inline
                // elements at block boundaries) has nothing to close here: dropped.
                if let Some(at) = open.iter().rposition(|&o| o == kind) {
                    for o in open.drain(at..).rev() {
                        out.push_str(o.close());
                    }
                }
            }
            _ => {}
        }
    }
    push_text(rest, out);
    for o in open.into_iter().rev() {
        out.push_str(o.close());
    }
}

/// Text as the HTML parser would keep it: it drops NUL characters.
fn push_text(text: &str, out: &mut String) {
    if text.contains('\0') {
        out.extend(text.chars().filter(|&c| c != '\0'));
    } else {
        out.push_str(text);
    }
}

/// One tag of the walk's inline markup.
struct Markup<'a> {
    name: &'a str,
    closing: bool,
    /// `(name, raw value)` pairs; values are still escaped.
    attrs: Vec<(&'a str, &'a str)>,
    /// Bytes from `<` to `>` inclusive.
    len: usize,
}

impl<'a> Markup<'a> {
    /// Reads `<name attr="value" …>` or `</name>` at the start of `s`.
    fn parse(s: &'a str) -> Option<Self> {
        let b = s.as_bytes();
        let mut i = 1;
        let closing = b.get(i) == Some(&b'/');
        if closing {
            i += 1;
        }
        let start = i;
        while b.get(i).is_some_and(u8::is_ascii_lowercase) {
            i += 1;
        }
        if i == start {
            return None;
        }
        let name = &s[start..i];
        let mut attrs = Vec::new();
        loop {
            match b.get(i)? {
                b'>' => break,
                b' ' if !closing => {
                    i += 1;
                    let a = i;
                    while b
                        .get(i)
                        .is_some_and(|c| c.is_ascii_lowercase() || *c == b'-')
                    {
                        i += 1;
                    }
                    if i == a || b.get(i..i + 2)? != b"=\"" {
                        return None;
                    }
                    let key = &s[a..i];
                    i += 2;
                    let v = i;
                    i += s[i..].find('"')?;
                    attrs.push((key, &s[v..i]));
                    i += 1;
                }
                _ => return None,
            }
        }
        Some(Markup {
            name,
            closing,
            attrs,
            len: i + 1,
        })
    }

    /// An attribute's value, unescaped.
    fn attr(&self, name: &str) -> Option<String> {
        let (_, v) = self.attrs.iter().find(|(k, _)| *k == name)?;
        Some(unescape(v))
    }
}

/// Undoes the walk's attribute escaping (and the few other entities a value may hold).
fn unescape(v: &str) -> String {
    if !v.contains('&') {
        return v.to_string();
    }
    v.replace("&quot;", "\"")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

/// The value a URL attribute keeps: absolute http(s)/mailto URLs as they are, relative ones
/// joined to `base` (or kept relative without one); anything else (javascript:, data:, …)
/// loses the attribute.
fn url_attr(v: &str, base: Option<&Url>) -> Option<String> {
    match Url::parse(v) {
        Ok(u) => matches!(u.scheme(), "http" | "https" | "mailto").then(|| v.to_string()),
        Err(url::ParseError::RelativeUrlWithoutBase) => match base {
            Some(b) => b.join(v).ok().map(String::from),
            None => Some(v.to_string()),
        },
        Err(_) => None,
    }
}

/// Escapes an attribute value as the HTML serialiser does.
fn escape_attr(v: &str, out: &mut String) {
    let mut rest = v;
    while let Some(i) = rest.find(['&', '"', '\u{a0}']) {
        out.push_str(&rest[..i]);
        let c = rest[i..].chars().next().unwrap_or('&');
        out.push_str(match c {
            '&' => "&amp;",
            '"' => "&quot;",
            _ => "&nbsp;",
        });
        rest = &rest[i + c.len_utf8()..];
    }
    out.push_str(rest);
}

/// The tags a stored body keeps (with `href` on `a`, `src` and `alt` on `img`).
pub const BODY_TAGS: [&str; 15] = [
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
];

/// Sanitises an HTML fragment with the body allow-list.
pub fn clean(raw: &str, base: Option<&Url>) -> String {
    let tags: HashSet<&str> = BODY_TAGS.into_iter().collect();
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

    fn para(html: &str) -> Para {
        Para {
            tag: Tag::P,
            text: String::new(),
            html: html.into(),
            list: None,
            quoted: false,
            ordered: false,
        }
    }

    /// The direct emitter and the ammonia pass agree on well-formed inline markup as the
    /// walk writes it: same tags, same attributes, same URL rewriting and escaping.
    #[test]
    fn direct_emission_matches_the_sanitiser() {
        let base = Url::parse("https://example.com/news/story.html").unwrap();
        let walked = walk_body(
            r#"<p>AT&amp;T &lt;b&gt; <a href="/a?x=1&amp;y=&quot;2&quot;">rel</a> <a href="javascript:alert(1)">js</a>
            <a href="mailto:a@b.c">m</a> <a href="ftp://x/y">ftp</a> <a>bare</a> <em>e <strong>s</strong></em><br>next
            <img src="pic.jpg" alt="A &quot;q&quot; &amp; b"> <img src="data:image/png;base64,xx" alt="d"> <a href="">self</a>
            <a href="http://[bad">bad</a> <i>i</i> <b>b</b> <span onclick="x()">sp</span></p><h5>Small</h5>"#,
        );
        for b in [Some(&base), None] {
            assert_eq!(body_html(&walked, b), clean(&raw_html(&walked), b));
        }
        let out = body_html(&walked, Some(&base));
        assert!(out.contains(r#"<a href="https://example.com/a?x=1&amp;y=%222%22"> rel</a>"#));
        assert!(
            out.contains("<a> js</a>")
                && out.contains("<a> ftp</a>")
                && out.contains("<a> bad</a>")
        );
        assert!(!out.contains("javascript") && !out.contains("onclick") && !out.contains("data:"));
    }

    /// Markup the walk never writes is not trusted either: unknown tags and attributes go
    /// (a script's text would stay, but the walk never keeps script text), stray angle
    /// brackets and malformed tags are escaped, and each paragraph closes what it opened.
    #[test]
    fn foreign_markup_in_a_paragraph_stays_inert() {
        let out = body_html(
            &[
                para(
                    r#"<script>alert(1)</script>x <a href="javascript:alert(1)" onclick="y">j</a> 1 < 2 > 0 <a  href="x">"#,
                ),
                para(
                    r#"<em>open</strong></a> <img src="https://e.com/i.png" onerror="z()"> <a href='x'>q</a>"#,
                ),
            ],
            None,
        );
        assert_eq!(
            out,
            r#"<p>alert(1)x <a>j</a> 1 &lt; 2 &gt; 0 &lt;a  href="x"&gt;</p><p><em>open <img src="https://e.com/i.png"> &lt;a href='x'&gt;q</em></p>"#
        );
    }

    /// An inline element the walk split over two blocks stays in its own paragraphs instead
    /// of being reopened in every later one.
    #[test]
    fn split_inline_elements_do_not_spill() {
        let out = body_html(
            &[
                para(r#"<a href="https://e.com/">one"#),
                para("two</a> three"),
                para("four"),
            ],
            None,
        );
        assert_eq!(
            out,
            r#"<p><a href="https://e.com/">one</a></p><p>two three</p><p>four</p>"#
        );
    }

    fn walk_body(html: &str) -> Vec<Para> {
        let doc = scraper::Html::parse_document(html);
        let w = crate::extract::dom::walk(&doc);
        w.blocks
            .iter()
            .map(|b| Para {
                tag: b.tag,
                text: b.text.clone(),
                html: b.html.clone(),
                list: b.list,
                quoted: b.quoted,
                ordered: false,
            })
            .collect()
    }

    /// The block HTML before sanitising, as the ammonia path built it.
    fn raw_html(paras: &[Para]) -> String {
        paras
            .iter()
            .map(|p| match p.tag {
                Tag::H(n) => {
                    let n = n.clamp(2, 4);
                    format!("<h{n}>{}</h{n}>", p.html)
                }
                _ => format!("<p>{}</p>", p.html),
            })
            .collect()
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
