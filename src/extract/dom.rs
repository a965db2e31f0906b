//! One iterative walk over the parsed DOM: the elements in document order with their parents
//! and chrome flags, the text blocks (paragraph-like runs of text, with inline markup kept for
//! the HTML body), and the handful of elements metadata needs (meta, link, JSON-LD, title, h1,
//! time, byline candidates). Nothing here recurses, so nesting depth cannot overflow the stack.

use ego_tree::NodeRef;
use ego_tree::iter::Edge;
use scraper::node::Element;
use scraper::{Html, Node};

use super::chrome;
use super::text::{is_invisible, is_space};

/// The element kinds the extractor tells apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tag {
    /// `<p>`
    P,
    /// `<h1>`…`<h6>` with its level.
    H(u8),
    /// `<li>`
    Li,
    /// `<ul>`
    Ul,
    /// `<ol>`
    Ol,
    /// `<blockquote>`
    Blockquote,
    /// `<pre>`
    Pre,
    /// `<figure>`
    Figure,
    /// `<figcaption>`
    Figcaption,
    /// `<tr>`: a table row is one block, its cells inline.
    Cell,
    /// `<table>`
    Table,
    /// `<a>`
    A,
    /// `<em>`/`<i>`
    Em,
    /// `<strong>`/`<b>`
    Strong,
    /// `<br>`
    Br,
    /// `<img>`
    Img,
    /// `<dt>`/`<dd>`
    Dd,
    /// Other block containers (div, section, article, main, …).
    Div,
    /// `<article>`
    Article,
    /// `<main>`
    Main,
    /// Any other inline element.
    Inline,
}

impl Tag {
    fn of(name: &str) -> Tag {
        match name {
            "p" => Tag::P,
            "h1" => Tag::H(1),
            "h2" => Tag::H(2),
            "h3" => Tag::H(3),
            "h4" => Tag::H(4),
            "h5" => Tag::H(5),
            "h6" => Tag::H(6),
            "li" => Tag::Li,
            "ul" | "menu" => Tag::Ul,
            "ol" => Tag::Ol,
            "blockquote" => Tag::Blockquote,
            "pre" => Tag::Pre,
            "figure" => Tag::Figure,
            "figcaption" => Tag::Figcaption,
            "tr" => Tag::Cell,
            "table" => Tag::Table,
            "a" => Tag::A,
            "em" | "i" => Tag::Em,
            "strong" | "b" => Tag::Strong,
            "br" => Tag::Br,
            "img" => Tag::Img,
            "dt" | "dd" => Tag::Dd,
            "article" => Tag::Article,
            "main" => Tag::Main,
            "div" | "section" | "header" | "footer" | "nav" | "aside" | "form" | "dl"
            | "address" | "center" | "details" | "summary" | "body" | "html" | "tbody"
            | "thead" | "tfoot" | "hr" | "fieldset" | "hgroup" | "caption" | "dialog"
            | "picture" | "video" | "audio" | "time-block" => Tag::Div,
            _ => Tag::Inline,
        }
    }

    /// Whether the element starts a new text block.
    pub fn is_block(self) -> bool {
        !matches!(
            self,
            Tag::A | Tag::Em | Tag::Strong | Tag::Br | Tag::Img | Tag::Inline
        )
    }
}

/// Past this depth elements are treated as inline: the walk stays linear and the output sane.
const MAX_BLOCK_DEPTH: usize = 2_000;

/// One element of the page, in document order.
pub struct El<'a> {
    /// The element itself.
    pub elem: &'a Element,
    /// Its tree node (for text look-ups by metadata).
    pub node: NodeRef<'a, Node>,
    /// Its kind.
    pub tag: Tag,
    /// Index of the parent element, `usize::MAX` for the root.
    pub parent: usize,
    /// Index one past its last descendant.
    pub end: usize,
    /// Inside page chrome recognised by tag, class, id, role or hidden-ness.
    pub chrome: bool,
    /// Inside page chrome recognised by tag or role alone (the surer kind).
    pub tag_chrome: bool,
    /// Its own class/id says it is article content.
    pub positive: bool,
    /// Its own tag, class, id, role or hidden-ness makes it chrome (not only an ancestor's).
    pub own_chrome: bool,
    /// Inside an element marked `itemprop="description"` (schema.org's summary, not the
    /// article body).
    pub summary: bool,
}

/// A paragraph-like run of text.
#[derive(Debug, Clone)]
pub struct Block {
    /// The innermost block element that holds the text.
    pub owner: usize,
    /// Its kind (that of the owner, `Div` for loose text).
    pub tag: Tag,
    /// Whitespace-folded text (single `\n` where a `<br>` was).
    pub text: String,
    /// Inline HTML (escaped text with a, em, strong, br, img).
    pub html: String,
    /// Non-space characters.
    pub chars: usize,
    /// Non-space characters inside links.
    pub link_chars: usize,
    /// Inside page chrome.
    pub chrome: bool,
    /// Inside page chrome recognised by tag or role alone.
    pub tag_chrome: bool,
    /// Inside a `<blockquote>`.
    pub quoted: bool,
    /// The enclosing list element for `li` blocks.
    pub list: Option<usize>,
}

/// The walk's result.
pub struct Walk<'a> {
    /// Every element, in document order.
    pub els: Vec<El<'a>>,
    /// Every text block, in document order.
    pub blocks: Vec<Block>,
    /// `<meta>` elements.
    pub metas: Vec<usize>,
    /// `<link>` elements.
    pub links: Vec<usize>,
    /// Raw JSON-LD script contents.
    pub json_ld: Vec<String>,
    /// `<title>` text.
    pub title: Option<String>,
    /// `<h1>` elements.
    pub h1s: Vec<usize>,
    /// `<time>` elements and elements with `itemprop` or byline-like class names.
    pub marked: Vec<usize>,
    /// `<html lang>`.
    pub html_lang: Option<String>,
    /// Image alt texts of two words or more, each with the number of blocks flushed before
    /// the image (a caption repeating the alt sits next to it).
    pub alts: Vec<(usize, String)>,
}

struct Builder {
    text: String,
    html: String,
    chars: usize,
    link_chars: usize,
    /// Characters inside links whose `href` runs a script.
    script_chars: usize,
    space: bool,
}

impl Builder {
    fn new() -> Self {
        Builder {
            text: String::new(),
            html: String::new(),
            chars: 0,
            link_chars: 0,
            script_chars: 0,
            space: false,
        }
    }

    /// Appends a text node: whitespace runs fold to one space (none at the start of a line),
    /// and the HTML side gets the text escaped. Works a word at a time.
    fn push_text(&mut self, s: &str, in_link: bool, in_script: bool) {
        let mut rest = s;
        loop {
            let word_start = rest.find(|c: char| !is_space(c)).unwrap_or(rest.len());
            if word_start > 0 {
                self.space = true;
                rest = &rest[word_start..];
            }
            if rest.is_empty() {
                break;
            }
            let word_end = rest.find(is_space).unwrap_or(rest.len());
            let raw = &rest[..word_end];
            rest = &rest[word_end..];
            let cleaned;
            let word = if raw.contains(is_invisible) {
                cleaned = raw.replace(is_invisible, "");
                if cleaned.is_empty() {
                    continue;
                }
                cleaned.as_str()
            } else {
                raw
            };
            if self.space && !self.text.is_empty() && !self.text.ends_with('\n') {
                self.text.push(' ');
                self.html.push(' ');
            }
            self.space = false;
            self.text.push_str(word);
            let mut w = word;
            while let Some(i) = w.find(['<', '>', '&']) {
                self.html.push_str(&w[..i]);
                self.html.push_str(match w.as_bytes()[i] {
                    b'<' => "&lt;",
                    b'>' => "&gt;",
                    _ => "&amp;",
                });
                w = &w[i + 1..];
            }
            self.html.push_str(w);
            let n = word.chars().count();
            self.chars += n;
            if in_link {
                self.link_chars += n;
            } else if in_script {
                self.script_chars += n;
            }
        }
    }
}

fn escape_attr(s: &str, out: &mut String) {
    let mut rest = s;
    while let Some(i) = rest.find(['&', '"', '<']) {
        out.push_str(&rest[..i]);
        out.push_str(match rest.as_bytes()[i] {
            b'&' => "&amp;",
            b'"' => "&quot;",
            _ => "&lt;",
        });
        rest = &rest[i + 1..];
    }
    out.push_str(rest);
}

/// Where `trim(s)` (a sub-slice of `s`) starts, and its length.
fn span(s: &str, trim: impl FnOnce(&str) -> &str) -> (usize, usize) {
    let t = trim(s);
    (t.as_ptr() as usize - s.as_ptr() as usize, t.len())
}

/// Takes `s[start..start + len]` out of `s`, without a copy when it is a prefix.
fn take_span(s: &mut String, start: usize, len: usize) -> String {
    if start == 0 {
        s.truncate(len);
        std::mem::take(s)
    } else {
        s[start..start + len].to_string()
    }
}

/// Open-element depth past which further start tags are dropped before parsing. The HTML
/// parser's scope checks walk the stack of open elements, so unbounded nesting would make
/// parsing quadratic; real pages stay far below this.
pub const MAX_PARSE_DEPTH: usize = 400;

/// Elements and comments parsed (start tags, and `</p>` and `</br>`, which make an element
/// when nothing is open to close); the page is cut before the next one, as if it ended there
/// (html5ever closes what is open). The parsed tree and the walk cost about 500 bytes per
/// element, so a page of a million `<p>a</p>` under the body cap (9.5 MB that gzips to 14 kB)
/// took 600 MB to extract; this keeps one page under about 25 MB. The largest of the 1,881
/// pages of the shared dev sets has about 10,000 tags.
pub const MAX_PARSE_ELEMENTS: usize = 50_000;

fn is_void_or_implied(name: &[u8]) -> bool {
    matches!(
        name,
        b"area"
            | b"base"
            | b"br"
            | b"col"
            | b"embed"
            | b"hr"
            | b"img"
            | b"input"
            | b"link"
            | b"meta"
            | b"param"
            | b"source"
            | b"track"
            | b"wbr"
            | b"p"
            | b"li"
            | b"dt"
            | b"dd"
            | b"option"
            | b"tr"
            | b"td"
            | b"th"
            | b"thead"
            | b"tbody"
            | b"tfoot"
            | b"colgroup"
            | b"optgroup"
            | b"rb"
            | b"rt"
            | b"rp"
            | b"keygen"
            | b"frame"
            | b"basefont"
            | b"bgsound"
            | b"image"
            | b"menuitem"
    )
}

/// Drops start (and matching end) tags nested deeper than [`MAX_PARSE_DEPTH`], and cuts the
/// page before its element or comment number [`MAX_PARSE_ELEMENTS`] + 1, counting with a
/// linear tag scan. Returns the input untouched when it stays within both limits. (Cutting
/// rather than dropping the later tags: their text, run together into one block, would look
/// like the longest paragraph of the page.)
pub fn limit_markup(html: &str) -> std::borrow::Cow<'_, str> {
    let bytes = html.as_bytes();
    // (position, length) of tags to drop, in order.
    let mut drops: Vec<(usize, usize)> = Vec::new();
    let mut depth = 0usize;
    // Elements and comments kept so far, and where the page is cut.
    let mut kept = 0usize;
    let mut cut = html.len();
    let mut i = 0usize;
    let mut name = Vec::with_capacity(16);
    while let Some(off) = memchr::memchr(b'<', &bytes[i..]) {
        let start = i + off;
        if bytes[start..].starts_with(b"<!--") {
            let Some(close) = memchr::memmem::find(&bytes[start + 4..], b"-->") else {
                break;
            };
            if kept >= MAX_PARSE_ELEMENTS {
                cut = start;
                break;
            }
            kept += 1;
            i = start + 4 + close + 3;
            continue;
        }
        let mut j = start + 1;
        let closing = bytes.get(j) == Some(&b'/');
        if closing {
            j += 1;
        }
        name.clear();
        while let Some(&c) = bytes.get(j) {
            if c.is_ascii_alphanumeric() || c == b'-' || c == b':' {
                name.push(c.to_ascii_lowercase());
                j += 1;
            } else {
                break;
            }
        }
        if name.is_empty() || !name[0].is_ascii_alphabetic() {
            i = start + 1;
            continue;
        }
        // Find the tag's end, honouring quoted attribute values.
        let mut end = None;
        let mut k = j;
        while let Some(off) = memchr::memchr3(b'>', b'"', b'\'', &bytes[k..]) {
            let c = bytes[k + off];
            if c == b'>' {
                end = Some(k + off);
                break;
            }
            match memchr::memchr(c, &bytes[k + off + 1..]) {
                Some(close) => k += off + 1 + close + 1,
                None => break,
            }
        }
        let Some(end) = end else { break };
        let self_closing = end > 0 && bytes[end - 1] == b'/';
        let opens = !is_void_or_implied(&name) && !self_closing;
        // `</p>` and `</br>` with nothing to close make an element of their own.
        let makes_element = !closing || matches!(name.as_slice(), b"p" | b"br");
        if makes_element && kept >= MAX_PARSE_ELEMENTS {
            cut = start;
            break;
        }
        if opens {
            if closing {
                if depth > MAX_PARSE_DEPTH {
                    drops.push((start, end + 1 - start));
                }
                depth = depth.saturating_sub(1);
            } else {
                depth += 1;
                if depth > MAX_PARSE_DEPTH {
                    drops.push((start, end + 1 - start));
                } else {
                    kept += 1;
                }
            }
        } else if makes_element {
            kept += 1;
        }
        i = end + 1;
        // Raw-text elements: skip to their end tag so markup-like text inside is not counted.
        if !closing
            && matches!(
                name.as_slice(),
                b"script" | b"style" | b"textarea" | b"title" | b"xmp"
            )
        {
            let close = format!("</{}", String::from_utf8_lossy(&name));
            match find_ci(&bytes[i..], close.as_bytes()) {
                Some(p) => i += p,
                None => break,
            }
        }
    }
    let html = &html[..cut];
    if drops.is_empty() {
        return std::borrow::Cow::Borrowed(html);
    }
    let mut out = String::with_capacity(html.len());
    let mut last = 0;
    for (pos, len) in drops {
        out.push_str(&html[last..pos]);
        last = pos + len;
    }
    out.push_str(&html[last..]);
    std::borrow::Cow::Owned(out)
}

/// ASCII case-insensitive search for `needle`, which starts with a byte that has no case.
fn find_ci(hay: &[u8], needle: &[u8]) -> Option<usize> {
    let (&first, _) = needle.split_first()?;
    let mut i = 0;
    while let Some(off) = memchr::memchr(first, &hay[i..]) {
        let at = i + off;
        if hay.len() - at < needle.len() {
            return None;
        }
        if hay[at..at + needle.len()].eq_ignore_ascii_case(needle) {
            return Some(at);
        }
        i = at + 1;
    }
    None
}

/// Whether an `href` runs a script rather than leading anywhere (`javascript:void(0)`).
fn is_script_href(h: &str) -> bool {
    let h = h.trim_start().as_bytes();
    h.len() >= 11 && h[..11].eq_ignore_ascii_case(b"javascript:")
}

/// Walks the document once.
pub fn walk(doc: &Html) -> Walk<'_> {
    let mut w = Walk {
        els: Vec::new(),
        blocks: Vec::new(),
        metas: Vec::new(),
        links: Vec::new(),
        json_ld: Vec::new(),
        title: None,
        h1s: Vec::new(),
        marked: Vec::new(),
        html_lang: None,
        alts: Vec::new(),
    };
    // Open elements: (element index, is_block, starts a hard skip).
    let mut stack: Vec<(usize, bool, bool)> = Vec::new();
    let mut block_stack: Vec<usize> = Vec::new();
    let mut hard_skip = 0usize;
    let mut link_depth = 0usize;
    // Per open `<a>`, whether its `href` runs a script (see `script_chars`).
    let mut anchors: Vec<bool> = Vec::new();
    let mut script_depth = 0usize;
    let mut quote_depth = 0usize;
    let mut b = Builder::new();
    let mut pending_br = false;
    let mut words = chrome::WordCache::default();

    let flush = |w: &mut Walk<'_>, b: &mut Builder, owner: Option<usize>, quote_depth: usize| {
        let (start, len) = span(&b.text, |t| {
            t.trim_matches(|c: char| is_space(c) || c == '\n')
        });
        if b.chars > 0 && len > 0 {
            let text = take_span(&mut b.text, start, len);
            let (owner, tag, chrome, tag_chrome) = match owner {
                Some(o) => (o, w.els[o].tag, w.els[o].chrome, w.els[o].tag_chrome),
                None => (usize::MAX, Tag::Div, false, false),
            };
            let list = if tag == Tag::Li && owner != usize::MAX {
                let mut p = w.els[owner].parent;
                while p != usize::MAX && !matches!(w.els[p].tag, Tag::Ul | Tag::Ol) {
                    p = w.els[p].parent;
                    if p != usize::MAX && w.els[p].tag == Tag::Li {
                        break;
                    }
                }
                (p != usize::MAX).then_some(p)
            } else {
                None
            };
            // Script links are buttons ("Give us feedback") on a short line; inside a
            // sentence of a dozen words they are popups on its words (a dictionary's card
            // over every other word), and the text is the paragraph's own.
            let script = if b.script_chars > 0 && super::text::words(&text) < 12 {
                b.script_chars
            } else {
                0
            };
            let (start, len) = span(&b.html, |h| h.trim().trim_end_matches("<br>").trim());
            let html = take_span(&mut b.html, start, len);
            w.blocks.push(Block {
                owner,
                tag,
                text,
                html,
                chars: b.chars,
                link_chars: b.link_chars + script,
                chrome,
                tag_chrome,
                quoted: quote_depth > 0,
                list,
            });
        }
        *b = Builder::new();
    };

    for edge in doc.tree.root().traverse() {
        match edge {
            Edge::Open(node) => match node.value() {
                Node::Element(elem) => {
                    let name = elem.name();
                    let idx = w.els.len();
                    let parent = stack.last().map_or(usize::MAX, |s| s.0);
                    let parent_chrome = parent != usize::MAX && w.els[parent].chrome;
                    let parent_tag_chrome = parent != usize::MAX && w.els[parent].tag_chrome;
                    let parent_summary = parent != usize::MAX && w.els[parent].summary;
                    let attrs = chrome::Attrs::of(elem);
                    let judged = words.judge(&attrs);
                    let mut tag = Tag::of(name);
                    // A hidden inline element (the `hidden` attribute, `display: none`) holds
                    // data a script reads (a product widget's JSON) or a tooltip, never text a
                    // reader sees in the paragraph. Hidden blocks stay soft chrome: pages hide
                    // the rest of an article behind a "Read more" toggle.
                    let hard = chrome::is_hard_skip_with(name, &judged)
                        || (attrs.hidden && !tag.is_block());
                    if block_stack.len() > MAX_BLOCK_DEPTH && tag.is_block() {
                        tag = Tag::Inline;
                    }
                    let (soft, positive) = if hard {
                        (chrome::Soft::No, false)
                    } else {
                        chrome::classify_with(name, &attrs, &judged)
                    };
                    w.els.push(El {
                        elem,
                        node,
                        tag,
                        parent,
                        end: idx + 1,
                        chrome: parent_chrome || soft != chrome::Soft::No,
                        tag_chrome: parent_tag_chrome || soft == chrome::Soft::Tag,
                        positive,
                        own_chrome: soft != chrome::Soft::No,
                        summary: parent_summary
                            || attrs
                                .itemprop
                                .is_some_and(|p| p.trim().eq_ignore_ascii_case("description")),
                    });
                    match name {
                        "meta" => w.metas.push(idx),
                        "link" => w.links.push(idx),
                        "h1" => w.h1s.push(idx),
                        "html" => w.html_lang = attrs.lang.or(attrs.xml_lang).map(str::to_string),
                        "title" if w.title.is_none() => {
                            let t: String = node
                                .children()
                                .filter_map(|c| c.value().as_text().map(|t| t.to_string()))
                                .collect();
                            w.title = Some(t);
                        }
                        "script"
                            if attrs.kind.is_some_and(|t| {
                                t.trim().eq_ignore_ascii_case("application/ld+json")
                            }) =>
                        {
                            let t: String = node
                                .children()
                                .filter_map(|c| c.value().as_text().map(|t| t.to_string()))
                                .collect();
                            w.json_ld.push(t);
                        }
                        _ => {}
                    }
                    if chrome::is_marked_with(name, &attrs, &judged) {
                        w.marked.push(idx);
                    }
                    let is_block = tag.is_block();
                    stack.push((idx, is_block, hard));
                    if hard {
                        hard_skip += 1;
                    }
                    if hard_skip > 0 {
                        continue;
                    }
                    if is_block {
                        flush(&mut w, &mut b, block_stack.last().copied(), quote_depth);
                        block_stack.push(idx);
                        pending_br = false;
                        if tag == Tag::Blockquote {
                            quote_depth += 1;
                        }
                    } else {
                        match tag {
                            Tag::A => match attrs.href {
                                Some(h) if !is_script_href(h) => {
                                    link_depth += 1;
                                    anchors.push(false);
                                    b.html.push_str("<a href=\"");
                                    escape_attr(h.trim(), &mut b.html);
                                    b.html.push_str("\">");
                                }
                                Some(_) => {
                                    script_depth += 1;
                                    anchors.push(true);
                                    b.html.push_str("<a>");
                                }
                                None => {
                                    link_depth += 1;
                                    anchors.push(false);
                                    b.html.push_str("<a>");
                                }
                            },
                            Tag::Em => b.html.push_str("<em>"),
                            Tag::Strong => b.html.push_str("<strong>"),
                            Tag::Inline if matches!(name, "td" | "th") => b.space = true,
                            Tag::Br => {
                                if pending_br {
                                    flush(&mut w, &mut b, block_stack.last().copied(), quote_depth);
                                    pending_br = false;
                                } else if !b.text.is_empty() {
                                    b.text.push('\n');
                                    b.html.push_str("<br>");
                                    b.space = false;
                                    pending_br = true;
                                }
                            }
                            Tag::Img => {
                                if let Some(alt) = attrs.alt.filter(|a| a.trim().contains(' ')) {
                                    w.alts.push((w.blocks.len(), alt.to_string()));
                                }
                                if let Some(src) = attrs.src.filter(|s| !s.starts_with("data:")) {
                                    b.html.push_str("<img src=\"");
                                    escape_attr(src, &mut b.html);
                                    b.html.push_str("\" alt=\"");
                                    escape_attr(attrs.alt.unwrap_or(""), &mut b.html);
                                    b.html.push_str("\">");
                                }
                            }
                            _ => {}
                        }
                    }
                }
                Node::Text(t) => {
                    if hard_skip > 0 {
                        continue;
                    }
                    if pending_br && t.chars().any(|c| !is_space(c)) {
                        pending_br = false;
                    }
                    b.push_text(t, link_depth > 0, script_depth > 0);
                }
                _ => {}
            },
            Edge::Close(node) => {
                if !node.value().is_element() {
                    continue;
                }
                let Some((idx, is_block, hard)) = stack.pop() else {
                    continue;
                };
                w.els[idx].end = w.els.len();
                if hard {
                    hard_skip -= 1;
                    continue;
                }
                if hard_skip > 0 {
                    continue;
                }
                if is_block {
                    flush(&mut w, &mut b, Some(idx), quote_depth);
                    block_stack.pop();
                    if w.els[idx].tag == Tag::Blockquote {
                        quote_depth = quote_depth.saturating_sub(1);
                    }
                } else {
                    match w.els[idx].tag {
                        Tag::A => {
                            if anchors.pop().unwrap_or(false) {
                                script_depth = script_depth.saturating_sub(1);
                            } else {
                                link_depth = link_depth.saturating_sub(1);
                            }
                            b.html.push_str("</a>");
                        }
                        Tag::Em => b.html.push_str("</em>"),
                        Tag::Strong => b.html.push_str("</strong>"),
                        _ => {}
                    }
                }
            }
        }
    }
    flush(&mut w, &mut b, None, 0);
    w
}

/// The text of a node's subtree, whitespace-folded, without script/style content or ruby
/// readings.
pub fn node_text(node: NodeRef<'_, Node>) -> String {
    text_without(node, |_| false)
}

/// A headline element's text as the reader takes it: without a kicker printed inside it
/// ("<span class=kicker>Pandemie</span> The headline", "<small>Workout of the week</small>"),
/// and without text hidden for screen readers (" | Site Name").
pub fn headline_text(node: NodeRef<'_, Node>) -> String {
    const ASIDE: [&str; 12] = [
        "kicker",
        "dachzeile",
        "topline",
        "overline",
        "eyebrow",
        "roofline",
        "spitzmarke",
        "visually-hidden",
        "element-invisible",
        "sr-only",
        "screen-reader",
        "aural",
    ];
    text_without(node, |e| {
        e.name() == "small"
            || e.attrs().any(|(k, v)| {
                (k == "class" || k == "id") && {
                    let v = v.to_ascii_lowercase();
                    ASIDE.iter().any(|w| v.contains(w))
                        || v.split_whitespace().any(|c| c == "label")
                }
            })
    })
}

/// The text under `node`, leaving out scripts and every element `aside` says to.
fn text_without(
    node: NodeRef<'_, Node>,
    aside: impl Fn(&scraper::node::Element) -> bool,
) -> String {
    let mut out = String::new();
    let mut skip = 0usize;
    for edge in node.traverse() {
        match edge {
            Edge::Open(n) => match n.value() {
                Node::Element(e) => {
                    if matches!(
                        e.name(),
                        "script" | "style" | "noscript" | "template" | "rt" | "rp"
                    ) || aside(e)
                    {
                        skip += 1;
                    } else if skip == 0 && (e.name() == "br" || Tag::of(e.name()).is_block()) {
                        out.push(' ');
                    }
                }
                Node::Text(t) if skip == 0 => out.push_str(t),
                _ => {}
            },
            Edge::Close(n) => {
                if let Node::Element(e) = n.value() {
                    if matches!(
                        e.name(),
                        "script" | "style" | "noscript" | "template" | "rt" | "rp"
                    ) || aside(e)
                    {
                        skip -= 1;
                    } else if Tag::of(e.name()).is_block() {
                        out.push(' ');
                    }
                }
            }
        }
        if out.len() > 100_000 {
            break;
        }
    }
    super::text::collapse(&out)
}
