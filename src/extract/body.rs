//! The article body: text blocks from the walk in, the article's paragraphs out.
//!
//! Every element gets the characters of "good" text below it (paragraph-like blocks with few
//! links) and of "junk" text (short or link-heavy blocks); the element maximising
//! good − ½·junk is the article container. Inside it, blocks are kept or dropped one by one
//! (chrome, boilerplate lines, link lists, the headline, bylines, leading and trailing
//! fragments). JSON-LD `articleBody` and feed full text are cross-checked candidates used
//! only when the page's own extraction is clearly short of them.

use super::chrome;
use super::dom::{Block, Tag, Walk};
use regex::Regex;
use std::cell::OnceCell;
use std::sync::LazyLock;

use super::text::{ends_like_sentence, key, key_eq, word_count, words};

/// One kept paragraph of the body.
#[derive(Debug, Clone, PartialEq)]
pub struct Para {
    /// Block kind (paragraph, heading, list item, …).
    pub tag: Tag,
    /// Plain text.
    pub text: String,
    /// Inline HTML (unsanitized).
    pub html: String,
    /// The list element for list items, to group them.
    pub list: Option<usize>,
    /// Inside a blockquote.
    pub quoted: bool,
    /// The list is ordered (`ol`).
    pub ordered: bool,
}

/// The body plus the chrome lines met on the way (they may carry metadata).
#[derive(Debug, Default)]
pub struct Body {
    /// Kept paragraphs, in order.
    pub paras: Vec<Para>,
    /// Chrome and boilerplate lines (topic lines, author boxes).
    pub chrome_lines: Vec<String>,
}

fn is_texty(tag: Tag) -> bool {
    matches!(
        tag,
        Tag::P
            | Tag::Div
            | Tag::Blockquote
            | Tag::Pre
            | Tag::Cell
            | Tag::Dd
            | Tag::Li
            | Tag::Article
            | Tag::Main
    )
}

/// What a page's walk tells once for every container `select` tries (it runs up to four
/// times a page): whether each block is a boilerplate line, judged at most once per block,
/// and the make-up of every list.
struct Boiler {
    lines: Vec<OnceCell<bool>>,
    lists: foldhash::HashMap<usize, ListStats>,
    /// The page's own host, as its links tell it.
    own: Option<String>,
    /// Per element, whether it lies in a comment thread ([`under_comments`]).
    comments: Vec<bool>,
}

impl Boiler {
    /// `site` is the page's own host when known (its address or canonical link); else the
    /// host most of its links name stands in.
    fn new(w: &Walk<'_>, site: Option<&str>) -> Self {
        // Link density per list, so a list of links goes as a whole; and how many of its items
        // are teasers (a linked title and a cut-off summary), so a ticker of them goes too.
        let mut lists: foldhash::HashMap<usize, ListStats> = foldhash::HashMap::default();
        for b in &w.blocks {
            if let Some(l) = b.list {
                let e = lists.entry(l).or_default();
                e.chars += b.chars;
                e.links += b.link_chars;
                e.items += 1;
                e.teasers += usize::from(b.link_chars > 0 && looks_truncated(&b.text));
                e.titles += usize::from(b.link_chars * 10 >= b.chars * 9 && is_title_like(&b.text));
            }
        }
        // Where each list's links lead: a list of links to other sites (sources, resources,
        // the products a guide names) is the article's; one of links within the site (related
        // posts, categories) or within the page (a table of contents) is not.
        let own = site.map(bare_host).or_else(|| own_host(w));
        for (&l, st) in lists.iter_mut() {
            [st.anchors, st.inside, st.outside] = count_links(w, l, own);
        }
        Boiler {
            lines: vec![OnceCell::new(); w.blocks.len()],
            lists,
            own: own.map(str::to_string),
            comments: under_comments(w),
        }
    }

    fn is(&self, i: usize, b: &Block) -> bool {
        *self.lines[i].get_or_init(|| chrome::is_boilerplate_line(&b.text))
    }

    /// Whether the links under an element lead mostly to other sites (a product's shop, a
    /// source), not within this site or page (a related post, a section).
    fn leads_out(&self, w: &Walk<'_>, el: usize) -> bool {
        let [page, site, out] = count_links(w, el, self.own.as_deref());
        out > page + site
    }
}

fn good_chars(b: &Block, boilerplate: impl FnOnce() -> bool) -> f64 {
    if !is_texty(b.tag) || b.chars < 25 {
        return 0.0;
    }
    if b.link_chars * 10 >= b.chars * 4 {
        return 0.0;
    }
    if boilerplate() {
        return 0.0;
    }
    let base = (b.chars - b.link_chars) as f64;
    let w = match b.tag {
        Tag::P | Tag::Blockquote | Tag::Pre => 1.0,
        Tag::Li | Tag::Cell | Tag::Dd => 0.6,
        _ => {
            if ends_like_sentence(&b.text) || b.chars > 150 {
                0.9
            } else {
                0.3
            }
        }
    };
    base * w
}

/// Picks the container element; `None` when the page has no good text at all.
fn container(
    w: &Walk<'_>,
    boiler: &Boiler,
    chrome: &[bool],
    respect_chrome: bool,
) -> Option<usize> {
    let n = w.els.len();
    let mut good = vec![0f64; n];
    let mut junk = vec![0f64; n];
    for (i, b) in w.blocks.iter().enumerate() {
        if b.owner == usize::MAX
            || b.tag_chrome
            || (respect_chrome && chrome[b.owner])
            || boiler.comments[b.owner]
        {
            continue;
        }
        let g = good_chars(b, || boiler.is(i, b));
        good[b.owner] += g;
        // Table rows and list items without links are data (a spec table, a list of
        // features), neither evidence for nor against: menus are lists of links.
        if !(matches!(b.tag, Tag::Cell | Tag::Li | Tag::H(_)) && b.link_chars * 5 < b.chars) {
            junk[b.owner] += (b.chars as f64 - g).max(0.0);
        }
    }
    for i in (0..n).rev() {
        let p = w.els[i].parent;
        if p != usize::MAX {
            good[p] += good[i];
            junk[p] += junk[i];
        }
    }
    let mut best: Option<(f64, usize)> = None;
    for i in 0..n {
        let el = &w.els[i];
        if el.tag_chrome
            || (respect_chrome && chrome[i])
            || boiler.comments[i]
            || !el.tag.is_block()
            || good[i] <= 0.0
        {
            continue;
        }
        let mut score = good[i] - 0.5 * junk[i];
        if el.positive || matches!(el.tag, Tag::Article) {
            score *= 1.02;
        }
        if best.is_none_or(|(s, _)| score >= s) {
            best = Some((score, i));
        }
    }
    best.map(|(_, i)| i)
}

/// Per-element chrome with class chrome lifted from wrappers: elements whose own class/id
/// says chrome but whose subtree holds at least half the page's good text (a sidebar cannot
/// hold most of the article; a layout box named for its sidebar can). Text under a comment
/// thread's class/id is not counted: a long thread outweighs the short story it hangs under,
/// yet is no part of it. `None` when no element is such a wrapper.
fn lift_wrappers(w: &Walk<'_>, boiler: &Boiler) -> Option<Vec<bool>> {
    let n = w.els.len();
    let comments = &boiler.comments;
    let mut good = vec![0f64; n];
    let mut total = 0.0;
    for (i, b) in w.blocks.iter().enumerate() {
        if b.owner == usize::MAX || b.tag_chrome || comments[b.owner] {
            continue;
        }
        let g = good_chars(b, || boiler.is(i, b));
        good[b.owner] += g;
        total += g;
    }
    // Text the element holds itself: a wrapper holds its text in child elements, while one
    // big hidden block (a raw-markdown copy of the page) is a single element's text.
    let own = good.clone();
    if total <= 0.0 {
        return None;
    }
    for i in (0..n).rev() {
        let p = w.els[i].parent;
        if p != usize::MAX {
            good[p] += good[i];
        }
    }
    let mut lifted = false;
    let mut eff = vec![false; n];
    for i in 0..n {
        let el = &w.els[i];
        let wrapper =
            el.own_chrome && !el.tag_chrome && good[i] * 2.0 >= total && own[i] * 2.0 < good[i];
        lifted |= wrapper;
        let inherited = el.parent != usize::MAX && eff[el.parent];
        eff[i] = inherited || (el.own_chrome && !wrapper);
    }
    lifted.then_some(eff)
}

/// The article split across sibling boxes: the container's siblings with its tag and class
/// list (`<div class="post-text">` twice, a box of links or an ad between them), each with a
/// paragraph's worth of good text of its own, are read with it. Returns the element range
/// to read: from the first such box to the end of the last. Stories (`<article>`) side by
/// side are separate stories, not parts of one.
fn merge_siblings(w: &Walk<'_>, boiler: &Boiler, chrome: &[bool], root: usize) -> (usize, usize) {
    let el = &w.els[root];
    let (lo, hi) = (root, el.end);
    let name = el.elem.name();
    let Some(class) = el.elem.attr("class").filter(|c| !c.trim().is_empty()) else {
        return (lo, hi);
    };
    if el.parent == usize::MAX || matches!(name, "article" | "main" | "body" | "li" | "tr") {
        return (lo, hi);
    }
    let p = el.parent;
    let mut same = Vec::new();
    let mut c = p + 1;
    while c < w.els[p].end {
        let e = &w.els[c];
        if c != root && !e.chrome && e.elem.name() == name && e.elem.attr("class") == Some(class) {
            same.push(c);
        }
        c = e.end;
    }
    if same.is_empty() {
        return (lo, hi);
    }
    // Good text per sibling, in one pass (siblings are disjoint and in document order).
    let mut good = vec![0f64; same.len()];
    let mut k = 0;
    for (i, b) in w.blocks.iter().enumerate() {
        if b.owner == usize::MAX || b.owner < same[0] {
            continue;
        }
        while k < same.len() && w.els[same[k]].end <= b.owner {
            k += 1;
        }
        if k == same.len() {
            break;
        }
        if b.owner < same[k] || b.tag_chrome || chrome[b.owner] || boiler.comments[b.owner] {
            continue;
        }
        good[k] += good_chars(b, || boiler.is(i, b));
    }
    let (mut lo2, mut hi2) = (lo, hi);
    for (k, &s) in same.iter().enumerate() {
        if good[k] >= 150.0 {
            lo2 = lo2.min(s);
            hi2 = hi2.max(w.els[s].end);
        }
    }
    (lo2, hi2)
}

/// The story itself when the container holds several: an endless scroll or a feed page
/// sets two or more `<article>` elements side by side, each with 500 characters of good
/// text, each after the first opening with its own title. The first, when it holds the
/// headline, is the page's story (the next one is appended below it as the reader
/// scrolls); otherwise `root`.
fn one_article(w: &Walk<'_>, boiler: &Boiler, root: usize, head_key: &str) -> usize {
    // Outermost <article> elements below the root, in document order.
    let mut arts: Vec<usize> = Vec::new();
    let mut i = root + 1;
    while i < w.els[root].end {
        if w.els[i].tag == Tag::Article {
            arts.push(i);
            i = w.els[i].end;
        } else {
            i += 1;
        }
    }
    if arts.len() < 2 {
        return root;
    }
    let mut good = vec![0f64; arts.len()];
    // Per article, whether its first block is a heading of its own (a story's title).
    let mut titled = vec![None::<bool>; arts.len()];
    let mut head = None;
    let mut k = 0;
    for (bi, b) in w.blocks.iter().enumerate() {
        if b.owner == usize::MAX || b.owner <= root || b.owner >= w.els[root].end {
            continue;
        }
        while k < arts.len() && w.els[arts[k]].end <= b.owner {
            k += 1;
        }
        if k == arts.len() {
            break;
        }
        if b.owner < arts[k] || b.tag_chrome || boiler.comments[b.owner] {
            continue;
        }
        titled[k].get_or_insert(matches!(b.tag, Tag::H(1..=3)));
        if head.is_none() && !head_key.is_empty() && b.chars < 300 && key_eq(&b.text, head_key) {
            head = Some(k);
        }
        good[k] += good_chars(b, || boiler.is(bi, b));
    }
    let full: Vec<usize> = (0..arts.len()).filter(|&k| good[k] >= 500.0).collect();
    if full.len() < 2 {
        return root;
    }
    // The story is the first full one, and every full one after it opens with its own
    // title: stories appended one below the other, not a story split into parts.
    match head {
        Some(k) if k == full[0] && full[1..].iter().all(|&j| titled[j] == Some(true)) => arts[k],
        _ => root,
    }
}

/// Per element, whether it or an ancestor is a comment thread: by its class/id
/// ("comments", "commentlist", "disqus_thread"), or by its structure (see [`reply_threads`]).
/// A box that never holds the article, whatever its size, and whichever way the container
/// is chosen.
fn under_comments(w: &Walk<'_>) -> Vec<bool> {
    let mut out = vec![false; w.els.len()];
    for t in reply_threads(w) {
        out[t] = true;
    }
    for (i, el) in w.els.iter().enumerate() {
        let inherited = el.parent != usize::MAX && out[el.parent];
        out[i] |= inherited || (el.own_chrome && names_comments(el.elem));
    }
    out
}

/// Words of the link under each reader's comment that answers it.
const REPLY_WORDS: [&str; 14] = [
    "reply",
    "antworten",
    "antwort",
    "répondre",
    "responder",
    "responda",
    "rispondi",
    "beantwoorden",
    "reageer",
    "odpowiedz",
    "ответить",
    "返信",
    "回复",
    "답글",
];

/// Comment threads told by structure, whatever they are named: two or more "Reply" links
/// (each its own short block) under one element. Of the element holding them all, the
/// children from the first one holding a reply link on are the thread: the article, when
/// it shares that element, comes before its readers' replies.
fn reply_threads(w: &Walk<'_>) -> Vec<usize> {
    let replies: Vec<usize> = w
        .blocks
        .iter()
        .filter(|b| {
            b.owner != usize::MAX && b.chars <= 15 && b.link_chars * 2 >= b.chars && {
                let t = b.text.trim().trim_matches(|c: char| !c.is_alphanumeric());
                REPLY_WORDS
                    .iter()
                    .any(|r| t.eq_ignore_ascii_case(r) || t.to_lowercase() == *r)
            }
        })
        .map(|b| b.owner)
        .collect();
    let (Some(&first), Some(&last)) = (replies.first(), replies.last()) else {
        return Vec::new();
    };
    if replies.len() < 2 || first == last {
        return Vec::new();
    }
    // The lowest element holding both the first and the last reply link.
    let mut top = first;
    while top != usize::MAX && w.els[top].end <= last {
        top = w.els[top].parent;
    }
    if top == usize::MAX {
        return Vec::new();
    }
    // Its children from the one holding the first reply link on.
    let mut out = Vec::new();
    let mut c = top + 1;
    while c < w.els[top].end {
        if w.els[c].end > first {
            out.push(c);
        }
        c = w.els[c].end;
    }
    // Replies answer something above them: a thread with no prose before it is the page
    // itself (a forum's posts, each with its own reply link).
    let start = out.first().copied().unwrap_or(first);
    let before: usize = w
        .blocks
        .iter()
        .take_while(|b| b.owner == usize::MAX || b.owner < start)
        .filter(|b| !b.chrome && b.chars >= 80 && b.link_chars * 4 < b.chars)
        .map(|b| b.chars)
        .sum();
    if before < 400 {
        return Vec::new();
    }
    out
}

/// Whether an element's class or id names comments and is strong chrome for it.
fn names_comments(elem: &scraper::node::Element) -> bool {
    let named = [elem.attr("class"), elem.attr("id")]
        .iter()
        .flatten()
        .any(|v| {
            let v = v.to_ascii_lowercase();
            v.contains("comment") || v.contains("disqus")
        });
    named && chrome::strong_class_chrome(elem)
}

/// Whether a short line is a byline ("By Jane Doe"), not a sentence starting with "By".
pub fn is_byline(text: &str) -> bool {
    let t = text.trim();
    if t.len() >= 100 {
        return false;
    }
    let english = [
        "By ",
        "BY ",
        "by ",
        "By: ",
        "by: ",
        "Written by ",
        "Written by: ",
        "Posted by ",
    ]
    .iter()
    .find_map(|p| t.strip_prefix(p));
    // "By phone at the county hotline" is a sentence; a byline names someone.
    if english.is_some_and(|r| r.chars().next().is_some_and(char::is_uppercase)) {
        return true;
    }
    // Other languages' labels also open ordinary sentences ("Von Montag an gilt …"), so
    // what follows them must read as names only.
    [
        "Von ",
        "VON ",
        "von ",
        "Von: ",
        "Par ",
        "PAR ",
        "par ",
        "Por ",
        "POR ",
        "por ",
        "Door ",
        "door ",
        "Autor: ",
        "Autorin: ",
        "Auteur : ",
        "Auteur: ",
        "Text: ",
    ]
    .iter()
    .find_map(|p| t.strip_prefix(p))
    .is_some_and(names_only)
}

/// Whether a line reads as a list of names, perhaps with a date or place after a comma or a
/// bar ("Anna Roth und Jan Berg, 3. Mai 2021"): capitalised words and the particles and
/// connectives that join names, no sentence.
fn names_only(line: &str) -> bool {
    const JOINERS: [&str; 16] = [
        "und", "and", "et", "y", "e", "en", "von", "van", "de", "der", "den", "di", "da", "du",
        "le", "la",
    ];
    let head = line
        .split([',', '|', '•', '·', '–', '—'])
        .next()
        .unwrap_or("");
    let head = head.split(" am ").next().unwrap_or(head).trim();
    let words: Vec<&str> = head.split_whitespace().collect();
    (1..=8).contains(&words.len())
        && words
            .first()
            .is_some_and(|w| w.chars().next().is_some_and(char::is_uppercase))
        && words.iter().all(|w| {
            JOINERS.contains(w)
                || (w.chars().next().is_some_and(char::is_uppercase)
                    && !w.ends_with(['.', '!', '?', ':'])
                    || w.len() <= 3 && w.ends_with('.'))
        })
}

fn is_date_line(text: &str) -> bool {
    let t = text.trim();
    t.len() < 70 && words(t) <= 10 && super::dates::parse_text(t).is_some()
}

fn substantial(p: &Para) -> bool {
    let chars = p.text.chars().count();
    matches!(
        p.tag,
        Tag::P
            | Tag::Div
            | Tag::Blockquote
            | Tag::Pre
            | Tag::Li
            | Tag::Cell
            | Tag::Dd
            | Tag::Article
            | Tag::Main
    ) && (chars >= 100 || (chars >= 40 && ends_like_sentence(&p.text) && words(&p.text) >= 7))
}

#[allow(clippy::too_many_arguments)]
fn select(
    w: &Walk<'_>,
    boiler: &Boiler,
    chrome: &[bool],
    headline: Option<&str>,
    choose_respecting_chrome: bool,
    respect_chrome: bool,
    chrome_lines: &mut Vec<String>,
) -> Vec<Para> {
    let Some(root) = container(w, boiler, chrome, choose_respecting_chrome) else {
        return Vec::new();
    };
    let head_key = headline.map(key).unwrap_or_default();
    let root = one_article(w, boiler, root, &head_key);
    let (lo, hi) = merge_siblings(w, boiler, chrome, root);
    let list_stats = &boiler.lists;
    // The last paragraph of prose in the container: a list of the site's own links after it
    // is further reading; between paragraphs it is the article's (a checklist, a roundup).
    // A short closing paragraph of two sentences counts: the list above it is the story's.
    let last_prose = w.blocks.iter().rposition(|b| {
        b.owner != usize::MAX
            && b.owner >= lo
            && b.owner < hi
            && b.list.is_none()
            && (b.chars >= 150
                || (b.chars >= 80 && ends_like_sentence(&b.text) && words(&b.text) >= 12))
            && b.link_chars * 4 < b.chars
            && !chrome[b.owner]
    });
    let captions = alt_captions(w);
    // All text and link text per subtree (chrome included): the teaser-card test needs the
    // title link that sits in a card's header.
    let n = w.els.len();
    let mut all = vec![0usize; n];
    let mut links = vec![0usize; n];
    let mut count = vec![0u32; n];
    for b in &w.blocks {
        if b.owner != usize::MAX {
            all[b.owner] += b.chars;
            links[b.owner] += b.link_chars;
            count[b.owner] += 1;
        }
    }
    for i in (lo + 1..hi).rev() {
        let p = w.els[i].parent;
        if p != usize::MAX && p >= lo {
            all[p] += all[i];
            links[p] += links[i];
            count[p] += count[i];
        }
    }
    let is_teaser = |b: &Block| teaser_card(w, boiler, &all, &links, &count, b, lo);
    let chrome_here = content_widgets(w, boiler, chrome, lo, hi);
    let chrome: &[bool] = chrome_here.as_deref().unwrap_or(chrome);
    let in_form = nested_forms(w, lo, hi);
    let mut out: Vec<Para> = Vec::new();
    // Positions in `out` where a tail section ("Related", "About the author") opens.
    let mut tails: Vec<usize> = Vec::new();
    for (i, b) in w.blocks.iter().enumerate() {
        if b.owner == usize::MAX || b.owner < lo || b.owner >= hi {
            if b.chrome && b.chars < 300 {
                chrome_lines.push(b.text.clone());
            }
            continue;
        }
        if b.tag_chrome || (respect_chrome && chrome[b.owner]) || boiler.comments[b.owner] {
            if b.chars < 300 {
                chrome_lines.push(b.text.clone());
            }
            continue;
        }
        if in_form[b.owner - lo] {
            continue;
        }
        // The schema.org summary above an article is its standfirst, not its text (unless
        // the container itself is the marked element).
        if w.els[b.owner].summary && !w.els[root].summary {
            chrome_lines.push(b.text.clone());
            continue;
        }
        if b.chars < 40 && !b.quoted && is_tail_heading(&b.text) {
            tails.push(out.len());
        }
        if boiler.is(i, b) {
            chrome_lines.push(b.text.clone());
            continue;
        }
        let list = b.list.and_then(|l| list_stats.get(&l));
        let closing = last_prose.is_none_or(|p| i > p);
        // An item that is all link stays when its list is the article's (sources, products).
        let article_list = list.is_some_and(|st| !st.is_furniture(closing));
        let link_line =
            b.link_chars * 2 > b.chars && !(b.quoted && b.link_chars * 10 < b.chars * 8);
        // A linked heading or sentence that leads to a shop or a source is the guide's own
        // entry or citation; a button to the shop is not.
        let shop_heading = || {
            (matches!(b.tag, Tag::H(_)) || (word_count(&b.text) >= 5 && !is_button_text(&b.text)))
                && boiler.leads_out(w, b.owner)
        };
        if link_line && !(article_list || shop_heading() || heads_section(w, i, lo, hi, &is_teaser))
        {
            continue;
        }
        if let Some(st) = list
            && ((st.links * 10 > st.chars * 4 && st.is_furniture(closing)) || st.is_ticker())
        {
            continue;
        }
        if matches!(b.tag, Tag::Figcaption) || is_credited_caption(&b.text) || captions.contains(&i)
        {
            continue;
        }
        if !head_key.is_empty() && key_eq(&b.text, &head_key) {
            // Everything before the headline is page header, unless article text came
            // before it (the title repeated in a footer or a share box).
            if !out.iter().any(substantial) {
                out.clear();
            }
            continue;
        }
        if is_teaser(b) {
            continue;
        }
        // A date in a table row or list is data (a price history, an events calendar).
        let data = matches!(b.tag, Tag::Cell | Tag::Li);
        if !b.quoted && (is_byline(&b.text) || (!data && is_date_line(&b.text))) {
            chrome_lines.push(b.text.clone());
            continue;
        }
        let text = tidy(&b.text);
        if text.is_empty() {
            continue;
        }
        let ordered = b.list.is_some_and(|l| w.els[l].tag == Tag::Ol);
        out.push(Para {
            tag: b.tag,
            text,
            html: b.html.clone(),
            list: b.list,
            quoted: b.quoted,
            ordered,
        });
    }
    cut_tail(&mut out, &tails);
    cut_repeat(&mut out);
    // Trim leading and trailing fragments around the substantial run.
    let first = out.iter().position(substantial);
    let last = out.iter().rposition(substantial);
    let (Some(first), Some(last)) = (first, last) else {
        return out;
    };
    // A short heading right above the first real paragraph opens the article's first section
    // ("What is a land trust?", "Introduction"); a long one there is a standfirst.
    let opener =
        first > 0 && matches!(out[first - 1].tag, Tag::H(_)) && words(&out[first - 1].text) <= 8;
    let mut kept: Vec<Para> = Vec::with_capacity(out.len());
    for (i, p) in out.into_iter().enumerate() {
        if i < first {
            // Before the first real paragraph only a list intro, a lead or the first
            // section's heading can be article text.
            if (opener && i + 1 == first) || (ends_like_sentence(&p.text) && words(&p.text) >= 8) {
                kept.push(p);
            }
            continue;
        }
        if i > last {
            let sentence =
                (ends_like_sentence(&p.text) && words(&p.text) >= 4) || p.tag == Tag::Cell;
            if !sentence || matches!(p.tag, Tag::H(_)) {
                continue;
            }
        }
        kept.push(p);
    }
    kept
}

/// Whether block `b` is a teaser's blurb: plain text in a small card (within four levels up,
/// at most 700 characters and five blocks) whose other text is mostly links (a linked title,
/// "Read more"), below element `lo`. `all`, `links` and `count` are per element the
/// characters, link characters and blocks of its subtree.
fn teaser_card(
    w: &Walk<'_>,
    boiler: &Boiler,
    all: &[usize],
    links: &[usize],
    count: &[u32],
    b: &Block,
    lo: usize,
) -> bool {
    // A teaser's blurb is a plain sentence or two, or a longer excerpt cut off mid-sentence;
    // a listicle entry under a linked heading runs longer or links inside its own text.
    let limit = if ends_like_sentence(&b.text) {
        300
    } else {
        600
    };
    if b.chars >= limit || b.link_chars > 0 {
        return false;
    }
    let mut a = b.owner;
    for _ in 0..4 {
        a = w.els[a].parent;
        if a == usize::MAX || a <= lo {
            return false;
        }
        if all[a] > 700 {
            return false;
        }
        let other = all[a].saturating_sub(b.chars);
        let other_links = links[a].saturating_sub(b.link_chars);
        if other_links >= 15 && other_links * 10 >= other * 6 && count[a] <= 5 {
            // A card that leads to a shop or a source is the guide's own entry.
            return !boiler.leads_out(w, a);
        }
    }
    false
}

/// Whether block `i` is a linked heading over a section of its own text: a listicle entry's
/// title ("3. The Corner Bistro" linking to the place) followed by a plain paragraph that is
/// no teaser blurb. Such a heading is article text however link-dense; a heading over a
/// short blurb, or over more links, stays a teaser or a menu.
fn heads_section(
    w: &Walk<'_>,
    i: usize,
    lo: usize,
    hi: usize,
    is_teaser: &impl Fn(&Block) -> bool,
) -> bool {
    let b = &w.blocks[i];
    if !matches!(b.tag, Tag::H(_)) || b.chars > 120 {
        return false;
    }
    // Short plain facts may sit between the title and the entry's text ("Rating: 4.9").
    let Some(next) = w.blocks[i + 1..]
        .iter()
        .take(3)
        .find(|n| n.chars >= 40 || n.link_chars > 0 || matches!(n.tag, Tag::H(_)))
    else {
        return false;
    };
    next.owner >= lo
        && next.owner < hi
        && !next.chrome
        && matches!(next.tag, Tag::P | Tag::Div)
        && next.chars >= 40
        && next.link_chars * 5 < next.chars
        && !is_teaser(next)
}

/// Per element of the container `lo..hi`, whether it sits inside a `<form>` nested in the
/// container: a signup, contact or comment form between or after the paragraphs. A form
/// wrapping the whole page (or the container itself) says nothing.
fn nested_forms(w: &Walk<'_>, lo: usize, hi: usize) -> Vec<bool> {
    let mut out = vec![false; hi - lo];
    for i in lo + 1..hi {
        let p = w.els[i].parent;
        let inherited = p != usize::MAX && p > lo && out[p - lo];
        out[i - lo] = inherited || w.els[i].elem.name() == "form";
    }
    out
}

/// Class chrome lifted from boxes inside the container that hold the article's prose: a
/// product "widget" or a section whose anchor id happens to hold a weak chrome word, with
/// a full paragraph and 400 characters of good text in all. Strong words (share, comments, sidebar) and tag chrome stay.
/// `None` when nothing is lifted.
fn content_widgets(
    w: &Walk<'_>,
    boiler: &Boiler,
    chrome: &[bool],
    lo: usize,
    hi: usize,
) -> Option<Vec<bool>> {
    let n = hi - lo;
    let mut good = vec![0f64; n];
    let mut paras = vec![0u32; n];
    let mut any = false;
    // The last element holding a full paragraph of the article proper: a box after it is a
    // disclaimer or a bio, not the middle of the article.
    let mut last_prose = 0;
    for (i, b) in w.blocks.iter().enumerate() {
        if b.owner == usize::MAX || b.owner < lo || b.owner >= hi {
            continue;
        }
        if !chrome[b.owner] {
            if b.chars >= 150 && good_chars(b, || boiler.is(i, b)) >= 150.0 {
                last_prose = b.owner;
            }
            continue;
        }
        any = true;
        let g = good_chars(b, || boiler.is(i, b));
        good[b.owner - lo] += g;
        if g >= 150.0 && ends_like_sentence(&b.text) {
            paras[b.owner - lo] += 1;
        }
    }
    if !any {
        return None;
    }
    for i in (lo + 1..hi).rev() {
        let p = w.els[i].parent;
        if p != usize::MAX && p >= lo {
            good[p - lo] += good[i - lo];
            paras[p - lo] += paras[i - lo];
        }
    }
    let mut out = chrome.to_vec();
    let mut lifted = false;
    let mut keep = vec![false; n];
    for i in lo..hi {
        let el = &w.els[i];
        let p = el.parent;
        let parent_kept = p != usize::MAX && p >= lo && keep[p - lo];
        let parent_clear = p == usize::MAX || p < lo || !chrome[p] || parent_kept;
        let lift = parent_clear
            && el.own_chrome
            && !el.tag_chrome
            && matches!(el.elem.name(), "div" | "section" | "span")
            && paras[i - lo] >= 1
            && el.end <= last_prose
            && good[i - lo] >= 400.0
            && !chrome::strong_class_chrome(el.elem);
        if lift {
            keep[i - lo] = true;
            lifted = true;
            out[i] = false;
        } else if parent_kept && !el.own_chrome {
            keep[i - lo] = true;
            out[i] = false;
        }
    }
    lifted.then_some(out)
}

/// What a list holds: all and linked characters, items, and teaser items (a link and text
/// cut off with an ellipsis).
#[derive(Default)]
struct ListStats {
    chars: usize,
    links: usize,
    items: usize,
    teasers: usize,
    /// Links to other sites.
    outside: usize,
    /// Links within the site.
    inside: usize,
    /// Links within the page.
    anchors: usize,
    /// Items that are one linked title ("How to Read a Radar Map", "Guide to the County Fair").
    titles: usize,
}

/// Where a link leads, seen from the page (the discriminant indexes [`count_links`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum LinkKind {
    /// Another place on the same page ("#section-2"), a script, or a share button: what
    /// a list of these holds is the page's furniture.
    Page = 0,
    /// The page's own site (a relative path, or the page's host).
    Site = 1,
    /// Another site.
    Outside = 2,
}

/// How many links under element `el` lead within the page, within the site (`own`), and
/// to other sites, in that order.
fn count_links(w: &Walk<'_>, el: usize, own: Option<&str>) -> [usize; 3] {
    let mut n = [0; 3];
    for e in &w.els[el..w.els[el].end] {
        if e.tag == Tag::A
            && let Some(h) = e.elem.attr("href")
        {
            n[link_kind(h, own) as usize] += 1;
        }
    }
    n
}

/// The host of an absolute link, without "www.".
fn link_host(href: &str) -> Option<&str> {
    let rest = href
        .strip_prefix("https://")
        .or_else(|| href.strip_prefix("http://"))
        .or_else(|| href.strip_prefix("//"))?;
    rest.split(['/', '?', '#', ':']).next().map(bare_host)
}

/// A host without its "www.".
fn bare_host(host: &str) -> &str {
    host.strip_prefix("www.").unwrap_or(host)
}

/// Hosts whose links in a list are share or follow buttons.
const SOCIAL_HOSTS: [&str; 11] = [
    "facebook.com",
    "twitter.com",
    "x.com",
    "pinterest.com",
    "instagram.com",
    "youtube.com",
    "tiktok.com",
    "reddit.com",
    "threads.net",
    "wa.me",
    "t.me",
];

/// Whether `host` is `domain` or one of its subdomains, ASCII case aside.
fn on_domain(host: &str, domain: &str) -> bool {
    let (h, d) = (host.as_bytes(), domain.as_bytes());
    h.eq_ignore_ascii_case(d)
        || (h.len() > d.len()
            && h[h.len() - d.len()..].eq_ignore_ascii_case(d)
            && h[h.len() - d.len() - 1] == b'.')
}

fn link_kind(href: &str, own: Option<&str>) -> LinkKind {
    let h = href.trim();
    // A fragment names a place in a page, this one as a rule (tables of contents give the
    // page's full address as often as the bare "#section").
    if h.is_empty()
        || h.starts_with("javascript:")
        || h.split_once('#').is_some_and(|(_, f)| !f.is_empty())
        || h.starts_with('#')
    {
        return LinkKind::Page;
    }
    match link_host(h) {
        None => LinkKind::Site,
        Some(host) if own.is_some_and(|o| host.eq_ignore_ascii_case(o)) => LinkKind::Site,
        Some(host) if SOCIAL_HOSTS.iter().any(|d| on_domain(host, d)) => LinkKind::Page,
        Some(_) => LinkKind::Outside,
    }
}

/// The page's own host, as its links tell it: the host most of its absolute links name
/// (menus, footers and related lists all point home). Pages do not always know their URL.
fn own_host<'a>(w: &Walk<'a>) -> Option<&'a str> {
    let mut counts: foldhash::HashMap<&'a str, usize> = foldhash::HashMap::default();
    for e in &w.els {
        if e.tag == Tag::A
            && let Some(h) = e.elem.attr("href").and_then(link_host)
        {
            *counts.entry(h).or_default() += 1;
        }
    }
    // Ties go to the first host in name order, so the answer does not depend on hashing.
    counts
        .into_iter()
        .max_by(|a, b| a.1.cmp(&b.1).then_with(|| b.0.cmp(a.0)))
        .map(|(h, _)| h)
}

impl ListStats {
    /// A list the page furnishes rather than the article gives: one whose links mostly stay
    /// on the page (a table of contents, share buttons), or, after the article's last
    /// paragraph, mostly on the site (related posts, the site's sections). Lists that lead
    /// to other sites are sources and resources wherever they stand.
    fn is_furniture(&self, closing: bool) -> bool {
        let all = self.outside + self.inside + self.anchors;
        let site = self.inside >= self.outside;
        self.anchors * 2 >= all
            || (site && closing)
            || (site && self.items >= 3 && self.titles * 3 >= self.items * 2)
    }

    /// A ticker of other stories: three or more items, at least two thirds of them teasers.
    /// An article's own list items are not cut off mid-sentence.
    fn is_ticker(&self) -> bool {
        self.items >= 3 && self.teasers * 3 >= self.items * 2
    }
}

/// Blocks that repeat the alt text of an image right beside them: captions written out
/// twice, once for the image and once under it, without a `<figcaption>`.
fn alt_captions(w: &Walk<'_>) -> foldhash::HashSet<usize> {
    let mut out = foldhash::HashSet::default();
    for (at, alt) in &w.alts {
        let k = key(alt);
        if !k.contains(' ') {
            continue;
        }
        // Below the image, in a plain box: a heading or list item naming the pictured
        // product ("Snake Plant" under its photo) is article structure.
        let hi = (at + 2).min(w.blocks.len());
        for i in *at..hi {
            let b = &w.blocks[i];
            if matches!(b.tag, Tag::P | Tag::Div) && b.chars < 400 && key_eq(&b.text, &k) {
                out.insert(i);
            }
        }
    }
    out
}

/// Openings of the sections that follow an article: related links, the author's bio,
/// comments, a blog's sidebar widgets, the sources list, feedback prompts and the
/// publisher's own pitch. Not "Subscribe" or "Read more": those promos sit inside articles
/// too; nor "References" or "FAQ", which readers' copies keep as often as not. The same
/// openings in the other languages of the pages we read, in their ordinary words.
const TAIL_HEADINGS: [&str; 31] = [
    "related",
    "more from",
    "more great",
    "more stories",
    "more on this",
    "about the author",
    "about me",
    "about us",
    "comments",
    "leave a reply",
    "leave a comment",
    "popular posts",
    "recent posts",
    "you may also like",
    "you might also like",
    "join the conversation",
    "article sources",
    "sources",
    "how we reviewed",
    "explore more",
    "work with us",
    "recent articles",
    "connect with us",
    "thanks for reading",
    "was this page helpful",
    "was this helpful",
    "was this article helpful",
    "recommended reading",
    "meet your guide",
    "share this",
    "rate this",
];

/// [`TAIL_HEADINGS`] in German, French, Spanish, Portuguese, Italian, Dutch, Polish,
/// Russian, Japanese and Chinese.
const TAIL_HEADINGS_INTL: [&str; 72] = [
    // German
    "ähnliche beiträge",
    "ähnliche artikel",
    "ähnliche themen",
    "verwandte artikel",
    "verwandte beiträge",
    "das könnte sie auch interessieren",
    "das könnte dich auch interessieren",
    "das könnte ihnen auch gefallen",
    "das könnte dir auch gefallen",
    "auch interessant",
    "weitere artikel",
    "weitere beiträge",
    "weitere nachrichten",
    "mehr zum thema",
    "lesen sie auch",
    "lies auch",
    "zum weiterlesen",
    "neueste artikel",
    "neueste beiträge",
    "beliebte beiträge",
    "meistgelesen",
    "über den autor",
    "über die autorin",
    "kommentare",
    "kommentieren",
    "schreibe einen kommentar",
    "hinterlasse einen kommentar",
    "leserkommentare",
    // French
    "vous aimerez aussi",
    "vous aimerez peut-être aussi",
    "à lire aussi",
    "a lire aussi",
    "lire aussi",
    "articles similaires",
    "articles liés",
    "sur le même sujet",
    "dans la même rubrique",
    "les plus lus",
    "commentaires",
    "laisser un commentaire",
    "à propos de l'auteur",
    // Spanish
    "artículos relacionados",
    "noticias relacionadas",
    "te puede interesar",
    "también te puede interesar",
    "comentarios",
    "deja un comentario",
    "lo más leído",
    "sobre el autor",
    // Portuguese
    "leia também",
    "veja também",
    "notícias relacionadas",
    "artigos relacionados",
    "comentários",
    "deixe um comentário",
    "mais lidas",
    // Italian
    "articoli correlati",
    "potrebbe interessarti",
    "leggi anche",
    "commenti",
    "lascia un commento",
    // Dutch
    "gerelateerde artikelen",
    "lees ook",
    "reacties",
    // Polish
    "komentarze",
    "czytaj także",
    "zobacz także",
    // Russian
    "читайте также",
    "похожие статьи",
    "комментарии",
    // Japanese and Chinese
    "関連記事",
    "相关文章",
];

/// Whether a short line opens a tail section: a heading-like line (no sentence end, few
/// words) starting with one of [`TAIL_HEADINGS`], after a count ("3 Kommentare").
fn is_tail_heading(text: &str) -> bool {
    let t = text.trim();
    if t.is_empty() || t.len() > 60 || words(t) > 6 || t.ends_with('.') {
        return false;
    }
    let lower = t.to_lowercase();
    let lower = lower.trim_start_matches(|c: char| c.is_ascii_digit() || c == ' ');
    TAIL_HEADINGS
        .iter()
        .chain(TAIL_HEADINGS_INTL.iter())
        .any(|h| {
            lower
                .strip_prefix(h)
                .is_some_and(|r| r.chars().next().is_none_or(|c| !c.is_alphanumeric()))
        })
}

/// Drops everything from the first tail-section opening that comes after most of the text
/// (at least 70% of the characters): past the article, such a heading leads only chrome.
fn cut_tail(out: &mut Vec<Para>, tails: &[usize]) {
    let total = total_chars(out);
    if total == 0 {
        return;
    }
    let mut before = 0;
    let mut at = 0;
    for &t in tails {
        before += total_chars(&out[at..t.min(out.len())]);
        at = t.min(out.len());
        if before * 10 >= total * 7 && before < total {
            out.truncate(at);
            return;
        }
    }
}

/// Drops a second copy of the article: everything from the first paragraph on which at least
/// four fifths of the remaining text repeats paragraphs given before it word for word, among
/// them 1000 characters of prose (paragraphs ending like sentences). Pages park a print,
/// mobile or tabbed copy of the story after it; a repeated pull quote, table row or recurring
/// note is the article's own, and so are the labels a plan repeats in each of its sections.
fn cut_repeat(out: &mut Vec<Para>) {
    let n = out.len();
    let len: Vec<usize> = out.iter().map(|p| p.text.chars().count()).collect();
    // Index of each paragraph's first occurrence.
    let mut first_at: foldhash::HashMap<&str, usize> = foldhash::HashMap::default();
    let first: Vec<usize> = out
        .iter()
        .enumerate()
        .map(|(i, p)| *first_at.entry(p.text.as_str()).or_insert(i))
        .collect();
    // What a repeat weighs (lines of some length), and what it weighs as prose; per first
    // occurrence, the weights of its later repeats (copies once the cut passes it).
    let line = |i: usize| if len[i] >= 20 { len[i] } else { 0 };
    let prose = |i: usize| {
        if ends_like_sentence(&out[i].text) {
            line(i)
        } else {
            0
        }
    };
    let mut repeats_of = vec![(0usize, 0usize); n];
    for i in 0..n {
        if first[i] < i {
            repeats_of[first[i]].0 += line(i);
            repeats_of[first[i]].1 += prose(i);
        }
    }
    let mut rest: usize = len.iter().sum();
    // Text from `j` on that repeats paragraphs given before `j`, kept up to date as `j` moves.
    let (mut repeated, mut repeated_prose) = (0, 0);
    for j in 1..n {
        rest -= len[j - 1];
        if first[j - 1] < j - 1 {
            repeated -= line(j - 1);
            repeated_prose -= prose(j - 1);
        }
        repeated += repeats_of[j - 1].0;
        repeated_prose += repeats_of[j - 1].1;
        if repeated_prose >= 1000 && repeated * 5 >= rest * 4 {
            // The copy starts at its first repeated paragraph, not at the original's last.
            let start = (j..n).find(|&i| first[i] < i).unwrap_or(j);
            out.truncate(start);
            return;
        }
    }
}

/// Whether a line is a photo caption outside `<figcaption>`: it ends in a credit such as
/// "(Image: GETTY )" or "(Photo: AP)". Checked without a regex: most lines fail at the `)`.
fn is_credited_caption(text: &str) -> bool {
    let t = text.trim_end();
    if !t.ends_with(')') || t.len() > 400 {
        return false;
    }
    let Some(open) = t.rfind('(') else {
        return false;
    };
    let inner = t[open + 1..t.len() - 1].trim_start().to_ascii_lowercase();
    if inner.len() > 60 {
        return false;
    }
    ["image", "photo", "picture", "pic", "credit", "photograph"]
        .iter()
        .any(|w| {
            inner.strip_prefix(w).is_some_and(|r| {
                let r = r.strip_prefix('s').unwrap_or(r);
                r.trim_start().starts_with(':')
            })
        })
}

/// Single newlines stay (they were `<br>`), runs collapse to one.
fn tidy(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for line in s.split('\n') {
        let l = line.trim();
        if l.is_empty() {
            continue;
        }
        if !out.is_empty() {
            out.push('\n');
        }
        out.push_str(l);
    }
    out
}

fn total_chars(p: &[Para]) -> usize {
    p.iter().map(|p| p.text.chars().count()).sum()
}

/// Splits a plain-text candidate (JSON-LD `articleBody`) into paragraphs.
fn text_paras(s: &str) -> Vec<Para> {
    let s = super::text::decode_entities(&super::text::strip_tags(s));
    s.split('\n')
        .map(super::text::collapse)
        .filter(|l| !l.is_empty())
        .map(|text| Para {
            tag: Tag::P,
            html: escape(&text),
            text,
            list: None,
            quoted: false,
            ordered: false,
        })
        .collect()
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

fn looks_truncated(s: &str) -> bool {
    let t = s.trim_end();
    t.ends_with("...") || t.ends_with('…') || t.ends_with("[…]") || t.ends_with("[...]")
}

/// Word-4-gram overlap of `a` inside `b` (share of a's shingles found in b).
fn containment(a: &str, b: &str) -> f64 {
    let words = |s: &str| -> Vec<String> {
        s.split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .map(str::to_lowercase)
            .collect()
    };
    let (wa, wb) = (words(a), words(b));
    if wa.len() < 4 || wb.len() < 4 {
        return 0.0;
    }
    let sb: std::collections::HashSet<&[String]> = wb.windows(4).collect();
    let hits = wa.windows(4).filter(|s| sb.contains(s)).count();
    hits as f64 / (wa.len() - 3) as f64
}

/// Extracts the body from the walked page. `ld_body` is JSON-LD `articleBody`; `feed` the
/// feed's full text already walked.
pub fn extract(
    w: &Walk<'_>,
    site: Option<&str>,
    headline: Option<&str>,
    ld_body: Option<&str>,
    feed: Option<&Walk<'_>>,
) -> Body {
    let mut chrome_lines = Vec::new();
    let boiler = Boiler::new(w, site);
    let base: Vec<bool> = w.els.iter().map(|e| e.chrome).collect();
    let mut paras = select(w, &boiler, &base, headline, true, true, &mut chrome_lines);
    let mut n = total_chars(&paras);
    // A layout wrapper named for its sidebar ("container penci_sidebar") or a newsletter
    // archive's "newsletter-content" holds the article: lift class chrome from the wrappers
    // only, so the bio, comments and widgets inside stay chrome. Such a wrapper holds half
    // the page's good text, so half as much again as the first choice is enough evidence.
    if let Some(lifted) = lift_wrappers(w, &boiler) {
        let mut ignore = Vec::new();
        let alt = select(w, &boiler, &lifted, headline, true, true, &mut ignore);
        let need = if n < 300 { 2 * n.max(100) } else { 3 * n / 2 };
        if total_chars(&alt) > need {
            paras = alt;
            n = total_chars(&paras);
            chrome_lines.append(&mut ignore);
        }
    }
    // A site whose class names fool the chrome test: choose the container without them,
    // still dropping class chrome inside it, and only then ignore them altogether.
    for respect in [true, false] {
        if n >= 1500 {
            break;
        }
        let mut ignore = Vec::new();
        let loose = select(w, &boiler, &base, headline, false, respect, &mut ignore);
        let need = if n < 300 { 2 * n.max(100) } else { 3 * n };
        if total_chars(&loose) > need {
            paras = loose;
            n = total_chars(&paras);
        }
    }
    let page_text: String = paras
        .iter()
        .map(|p| p.text.as_str())
        .collect::<Vec<_>>()
        .join("\n");
    // Candidates: feed full text, then JSON-LD body; used only when longer and in agreement.
    if let Some(f) = feed {
        let mut ignore = Vec::new();
        let fbase: Vec<bool> = f.els.iter().map(|e| e.chrome).collect();
        let fp: Vec<Para> = select(
            f,
            &Boiler::new(f, site),
            &fbase,
            headline,
            false,
            false,
            &mut ignore,
        );
        let fnc = total_chars(&fp);
        let joined: String = fp
            .iter()
            .map(|p| p.text.as_str())
            .collect::<Vec<_>>()
            .join("\n");
        if fnc > n * 3 / 2
            && fnc > 200
            && !looks_truncated(&joined)
            && (n < 200 || containment(&page_text, &joined) > 0.5)
        {
            paras = fp;
            n = fnc;
        }
    }
    if let Some(ld) = ld_body {
        let lp = text_paras(ld);
        let lnc = total_chars(&lp);
        let joined: String = lp
            .iter()
            .map(|p| p.text.as_str())
            .collect::<Vec<_>>()
            .join("\n");
        if lnc > n * 3 / 2
            && lnc > 300
            && !looks_truncated(&joined)
            && (n < 200 || containment(&page_text, &joined) > 0.6)
        {
            paras = lp;
        } else {
            trim_to_ld(&mut paras, &joined);
        }
    }
    trim_edge_promos(&mut paras);
    drop_bio_boxes(&mut paras);
    // A paragraph printed twice in a row is a layout's double (a desktop and a mobile copy
    // of a box, a caption under its own alt text); table rows may repeat.
    paras.dedup_by(|b, a| {
        a.text == b.text && a.text.chars().count() >= 20 && !matches!(a.tag, Tag::Cell)
    });
    Body {
        paras,
        chrome_lines,
    }
}

/// Whether a line reads as a button: an imperative to buy, book or go ("Buy now at …",
/// "Check today's fares", "See it at the store", ">> Get started: …") or a price tag ("$49
/// at the co-op"), at most twenty words.
fn is_button_text(text: &str) -> bool {
    let t =
        text.trim_start_matches(|c: char| !c.is_alphanumeric() && c != '$' && c != '£' && c != '€');
    if t.starts_with(['$', '£', '€']) {
        return true;
    }
    let first = t
        .split(|c: char| !c.is_alphanumeric())
        .next()
        .unwrap_or("")
        .to_ascii_lowercase();
    word_count(t) <= 20
        && matches!(
            first.as_str(),
            "buy"
                | "shop"
                | "see"
                | "check"
                | "compare"
                | "view"
                | "add"
                | "get"
                | "book"
                | "order"
                | "learn"
                | "read"
                | "try"
                | "visit"
                | "download"
                | "sign"
                | "join"
                | "register"
                | "start"
                | "find"
                | "click"
                | "watch"
                | "listen"
                | "subscribe"
                | "apply"
                | "explore"
                | "discover"
                | "go"
                | "talk"
                | "help"
                | "contact"
                | "call"
        )
}

/// Whether a line reads as a headline: four to fourteen words, most of the longer ones
/// capitalised, no sentence end.
fn is_title_like(text: &str) -> bool {
    let t = text.trim();
    let n = word_count(t);
    if !(4..=14).contains(&n) || t.ends_with('.') {
        return false;
    }
    let long: Vec<&str> = t
        .split_whitespace()
        .filter(|w| w.chars().count() > 3)
        .collect();
    let caps = long
        .iter()
        .filter(|w| w.chars().next().is_some_and(char::is_uppercase))
        .count();
    !long.is_empty() && caps * 4 >= long.len() * 3
}

/// Headings of the boxes that present a page's people rather than its story.
const BIO_HEADINGS: [&str; 9] = [
    "about the author",
    "about the authors",
    "about the reviewer",
    "about the writer",
    "about the expert",
    "meet the author",
    "author bio",
    "written by",
    "reviewed by",
];

/// Drops author and reviewer boxes wherever the article's container holds them: a heading
/// that only says "About the author" or "Written by", with the name and bio lines under it
/// (up to two short paragraphs, up to the next heading). A box closing the article is
/// also cut by the tail rule; these sit above it, between sections, or before a reviewer's.
fn drop_bio_boxes(paras: &mut Vec<Para>) {
    let is_bio_heading = |p: &Para| {
        let t = p.text.trim().trim_end_matches(':').trim();
        t.len() < 30 && BIO_HEADINGS.iter().any(|h| t.eq_ignore_ascii_case(h))
    };
    let total = total_chars(paras);
    let mut keep = vec![true; paras.len()];
    let mut i = 0;
    while i < paras.len() {
        if !is_bio_heading(&paras[i]) {
            i += 1;
            continue;
        }
        let mut j = i + 1;
        while j < paras.len()
            && j - i <= 2
            && !is_heading(&paras[j])
            && !is_bio_heading(&paras[j])
            && paras[j].text.len() < 700
        {
            j += 1;
        }
        // A box: a name under the heading ("Jane Doe, Senior Reporter", "Jane Doe is a
        // reporter"), and far less than the article. A "Reviewed by" label whose name
        // the page left out heads the article's own text.
        let named = paras.get(i + 1).is_some_and(|p| {
            let mut words = p.text.split_whitespace();
            let capital = |w: Option<&str>| {
                w.and_then(|w| w.chars().next())
                    .is_some_and(char::is_uppercase)
            };
            capital(words.next()) && capital(words.next())
        });
        let cut = total_chars(&paras[i..j]);
        if j > i + 1 && named && cut * 4 < total {
            keep[i..j].iter_mut().for_each(|k| *k = false);
        }
        i = j;
    }
    let mut k = keep.into_iter();
    paras.retain(|_| k.next().unwrap_or(true));
}

fn lower_words(s: &str) -> Vec<String> {
    s.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

/// Trims the edges of the page's body to JSON-LD `articleBody` when the two agree: leading
/// and trailing paragraphs the publisher left out of its own copy (a share line, a promo, a
/// bio) go. Only when `articleBody` is the whole article, not a teaser (at least 60% of the
/// page's word 4-grams, not cut off with an ellipsis), mostly found on the page (80% of its
/// 4-grams), and only up to a tenth of the page's words: the structure stays the page's.
fn trim_to_ld(paras: &mut Vec<Para>, ld: &str) {
    if paras.len() < 3 || looks_truncated(ld) {
        return;
    }
    let ld_words = lower_words(ld);
    if ld_words.len() < 4 {
        return;
    }
    let ld_set: std::collections::HashSet<&[String]> = ld_words.windows(4).collect();
    let words: Vec<Vec<String>> = paras.iter().map(|p| lower_words(&p.text)).collect();
    let page_grams: usize = words.iter().map(|w| w.len().saturating_sub(3)).sum();
    let page_words: usize = words.iter().map(Vec::len).sum();
    if (ld_words.len() - 3) * 10 < page_grams * 6 {
        return;
    }
    let page_set: std::collections::HashSet<&[String]> =
        words.iter().flat_map(|w| w.windows(4)).collect();
    let found = ld_words.windows(4).filter(|g| page_set.contains(g)).count();
    if found * 10 < (ld_words.len() - 3) * 8 {
        return;
    }
    let ld_lower = ld.to_lowercase();
    let in_ld = |w: &Vec<String>| {
        if w.len() < 4 {
            return w.is_empty() || ld_lower.contains(&w.join(" "));
        }
        let hits = w.windows(4).filter(|g| ld_set.contains(g)).count();
        hits * 2 >= w.len() - 3
    };
    let mut a = 0;
    while a < words.len() && !in_ld(&words[a]) {
        a += 1;
    }
    let mut b = words.len();
    while b > a && !in_ld(&words[b - 1]) {
        b -= 1;
    }
    let cut: usize = words[..a].iter().chain(&words[b..]).map(Vec::len).sum();
    if b <= a || cut == 0 || cut * 10 > page_words {
        return;
    }
    paras.truncate(b);
    paras.drain(..a);
}

/// Drops an author bio closing the article: a short paragraph among the last two that opens
/// with a byline name and goes on like a bio ("Jane Doe is a reporter…", "Jane has covered…",
/// "Jane Doe's new book…"), with whatever short text follows it; not one under a heading.
pub fn drop_author_bio(paras: &mut Vec<Para>, authors: &[String]) {
    if paras.len() < 4 {
        return;
    }
    let from = paras.len() - 2;
    let Some(j) = (from..paras.len()).find(|&j| {
        let t = paras[j].text.trim();
        // Under its own heading ("Why trust us") the bio is a section the article gives.
        let titled = is_heading(&paras[j - 1]) && !bio_heading(&paras[j - 1].text, authors);
        !titled && t.len() < 500 && authors.iter().any(|a| opens_bio(t, a))
    }) else {
        return;
    };
    if paras[j..].iter().all(|p| p.text.len() < 500) {
        // A heading that only names the author or draws a rule goes with the bio.
        let j = if is_heading(&paras[j - 1]) { j - 1 } else { j };
        paras.truncate(j);
    }
}

fn is_heading(p: &Para) -> bool {
    matches!(p.tag, Tag::H(_))
}

/// A heading that belongs to an author box: a drawn rule ("_____") or the author's name.
fn bio_heading(text: &str, authors: &[String]) -> bool {
    word_count(text.trim_matches('_')) == 0 || authors.iter().any(|a| key_eq(text, &key(a)))
}

/// Whether `text` opens with the person `name` (the full name, or the first name of a full
/// name) followed by a bio's verb or a possessive.
fn opens_bio(text: &str, name: &str) -> bool {
    let words: Vec<&str> = name.split_whitespace().collect();
    let Some(first) = words.first() else {
        return false;
    };
    // Names only: "The Russian", "admin" or a news desk cannot be told from sentence openers.
    let person = words.len() <= 4
        && words
            .iter()
            .all(|w| w.chars().next().is_some_and(char::is_uppercase))
        && !matches!(*first, "The" | "A" | "An" | "This" | "Our");
    if !person {
        return false;
    }
    let full = words.join(" ");
    let mut openers = vec![full.as_str()];
    if words.len() >= 2 && first.chars().count() >= 3 {
        openers.push(first);
    }
    openers.iter().any(|o| {
        text.strip_prefix(o).is_some_and(|rest| {
            [
                " is a ", " is an ", " is the ", " has ", " was a ", " writes ", " covers ",
                " lives ", " joined ", "'s ", "’s ",
            ]
            .iter()
            .any(|v| rest.starts_with(v))
        })
    })
}

/// Calls to action that open or close an article but are no part of it: follow us, sign up
/// for the newsletter, join our forums, write to the reporter. Not affiliate-link notices:
/// readers' copies of an article keep those as often as they drop them.
static PROMO: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?ix)\bfollow\s+(us|him|her|me|them|the\b.{1,40}?)\s+(on|at)\s+(twitter|facebook|instagram)\b|
        \bsign\s+up\b.{0,80}\b(newsletter|inbox)|
        \bget\s+.{1,60}\bdelivered\s+(to|through)\s+your\s+(inbox|door|letterbox|mailbox)|
        \b(may|can)\s+be\s+(reached|contacted)\s+at\b|\bhave\s+a\s+(news\s+)?tip\s*\?|
        \bjoin\s+our\s+(\w+\s+){0,2}(forums?|community|newsletter|mailing\s+list)\b|
        \bshare\s+it\s+with\s+a\s+friend\b",
    )
    .expect("valid regex")
});

/// Whether a paragraph is a short call to action (see [`PROMO`]).
fn is_promo(p: &Para) -> bool {
    p.text.len() < 400 && PROMO.is_match(&p.text)
}

/// Drops calls to action at the article's edges: one of the first two paragraphs, and the
/// last paragraphs from the first promo among the last three on (what follows a closing
/// "Follow him on Twitter" is more of the same). Only short paragraphs go: inside the
/// article, or in a long closing paragraph, the same words can be the story.
fn trim_edge_promos(paras: &mut Vec<Para>) {
    if paras.len() < 4 {
        return;
    }
    let from = paras.len() - 3;
    if let Some(j) = (from..paras.len()).find(|&j| is_promo(&paras[j]))
        && paras[j..].iter().all(|p| p.text.len() < 400)
    {
        paras.truncate(j);
    }
    let mut i = 0;
    let mut seen = 0;
    while i < paras.len() && seen < 2 {
        seen += 1;
        if is_promo(&paras[i]) {
            paras.remove(i);
        } else {
            i += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::dom::walk;
    use scraper::Html;

    fn body_of(html: &str) -> String {
        body_at(html, None)
    }

    /// The body of a page served from `site`.
    fn body_at(html: &str, site: Option<&str>) -> String {
        let doc = Html::parse_document(html);
        let w = walk(&doc);
        let b = extract(&w, site, Some("The headline"), None, None);
        b.paras
            .iter()
            .map(|p| p.text.as_str())
            .collect::<Vec<_>>()
            .join("\n\n")
    }

    const P1: &str =
        "The first paragraph of the story has enough words to count as real article text, clearly.";
    const P2: &str = "A second paragraph follows it, also long enough to be counted as part of the article body.";

    /// `n` distinct paragraphs of about 90 characters.
    fn story(n: usize) -> Vec<String> {
        (0..n)
            .map(|i| format!("Paragraph {i} of the story tells readers something new about the council and its vote."))
            .collect()
    }

    #[test]
    fn picks_article_over_link_lists() {
        let html = format!(
            r#"<html><body><div class="menu"><a href="/a">Home</a> <a href="/b">News</a></div>
            <div id="main"><h1>The headline</h1><p>By Jane Doe</p><p>{P1}</p><p>{P2}</p>
            <ul><li><a href="/x">Some related story with a long title here</a></li><li><a href="/y">Another related story title</a></li></ul></div>
            <div class="sidebar"><p>Sidebar text that is long enough to be a paragraph but sits in chrome.</p></div></body></html>"#
        );
        assert_eq!(body_of(&html), format!("{P1}\n\n{P2}"));
    }

    #[test]
    fn invisible_characters_inside_words_are_dropped() {
        let html = format!(
            "<article><h2>H\u{feff}ow the new l&#8203;evy works</h2><p>{P1}</p><p>{P2}</p></article>"
        );
        assert_eq!(
            body_of(&html),
            format!("How the new levy works\n\n{P1}\n\n{P2}")
        );
    }

    #[test]
    fn keeps_headings_and_lists_inside_article() {
        let html = format!(
            r#"<article><p>{P1}</p><h2>What happens next</h2><ul><li>One item of the list, written out.</li><li>Two items of the list, written out.</li></ul><p>{P2}</p></article>"#
        );
        assert_eq!(
            body_of(&html),
            format!(
                "{P1}\n\nWhat happens next\n\nOne item of the list, written out.\n\nTwo items of the list, written out.\n\n{P2}"
            )
        );
    }

    #[test]
    fn drops_station_chrome_lines() {
        let html = format!(
            r##"<body><a href="#c">Skip to Content</a><article><p>{P1}</p><p>{P2}</p><p>Article Topic Follows: National Politics</p>
            <p>Jump to comments ↓</p></article><div class="author"><img alt="Author Profile Photo"><p>CNN Newsource</p></div>
            <section><h3>BE PART OF THE CONVERSATION</h3><p>KVIA ABC 7 is committed to providing a forum for civil and constructive conversation.</p></section></body>"##
        );
        assert_eq!(body_of(&html), format!("{P1}\n\n{P2}"));
    }

    #[test]
    fn form_inside_the_article_is_dropped_but_a_page_wide_form_is_not() {
        let inner = format!(
            r#"<article><p>{P1}</p><form action="/subscribe"><p>Get the Daily Bugle in your inbox every morning before your coffee is ready.</p><label>First Name</label><input name="n"><p>Email address</p></form><p>{P2}</p></article>"#
        );
        assert_eq!(body_of(&inner), format!("{P1}\n\n{P2}"));
        let outer = format!(
            r#"<body><form id="page" action="/postback"><article><p>{P1}</p><p>{P2}</p></article></form></body>"#
        );
        assert_eq!(body_of(&outer), format!("{P1}\n\n{P2}"));
    }

    /// Eight long paragraphs: enough article that the container choice never falls back to
    /// ignoring class chrome.
    const LONG: &str = "<p>The council met on Tuesday night to hear the budget, and the first speaker was the treasurer, who said the town had spent more on roads than planned.</p>
        <p>Residents asked why the library hours had been cut again, and the mayor said the county had not yet paid the grant it promised in the spring of last year.</p>
        <p>The fire chief asked for two new trucks, pointing out that the oldest one in the station had been bought before most of the council members were born.</p>
        <p>A vote on the trucks was put off until the next meeting, when the treasurer will bring figures on what a loan would cost over ten or fifteen years.</p>
        <p>The first paragraph of the story has enough words to count as real article text, clearly.</p>
        <p>A second paragraph follows it, also long enough to be counted as part of the article body.</p>
        <p>Several parents spoke in favour of a crossing guard at the school on Elm Street, where two children were nearly hit by a delivery van last month.</p>
        <p>The meeting ended shortly before eleven, after the council agreed to hold a public hearing on the school crossing before the end of the month, with the date to be set by the clerk once the school board has agreed to lend its hall for the night.</p>";

    #[test]
    fn product_widget_inside_the_article_is_kept_but_a_closing_disclaimer_widget_is_not() {
        let card = "The Daily Bugle Laptop Nine keeps its fans quiet under load and its battery lasts through a full working day, which no rival at its price managed in our tests, and it did so while running the same video call for six hours on a single charge.";
        let card2 = "Its keyboard is firm and its screen bright enough for a sunny train ride, though the speakers sound thin and the webcam struggles in dim rooms at night, so anyone who calls from a dark kitchen should budget for a small desk lamp as well.";
        let disc = "Daily Bugle Advisers LLC is a registered adviser and nothing on this page is investment advice, tax advice or legal advice of any kind at all for anyone.";
        let disc2 = "Past performance does not guarantee future results and every reader should consult a qualified professional before acting on anything written on this page.";
        let more = LONG.replace(" the ", " this ");
        let html = format!(
            r#"<article>{LONG}<div class="product-widget"><ul><li>Price: $900</li></ul><p>{card}</p><p>{card2}</p><p>{P1}</p></div>
            {more}<div class="disclaimer-widget"><p>{disc}</p><p>{disc2}</p></div></article>"#
        );
        let body = body_of(&html);
        assert!(body.contains(card) && body.contains(card2), "{body}");
        assert!(body.contains(P2));
        assert!(!body.contains(disc) && !body.contains(disc2), "{body}");
    }

    #[test]
    fn one_long_paragraph_in_a_widget_box_is_enough() {
        let card = "The Daily Bugle Kettle Two boils a full litre in under three minutes, switches itself off when the water is gone, and keeps its handle cool enough to hold bare-handed, which is more than the cheaper models we tried could say for themselves after a week of use in a busy office kitchen. Its filter lifts out for rinsing, its cord wraps neatly under the base, and the lid opens with one thumb, so even the sleepiest reporter on the morning shift can make the first pot of tea without spilling a drop on the desk.";
        let more = LONG.replace(" the ", " this ");
        let html = format!(
            r#"<article>{LONG}<div class="product-widget"><ul><li>Price: $40</li><li>Weight: 1 kg</li></ul><p>{card}</p><p>Capacity: 1.7 litres, plenty for a family.</p></div>{more}</article>"#
        );
        let body = body_of(&html);
        assert!(body.contains(card), "{body}");
    }

    #[test]
    fn share_box_with_long_text_inside_the_article_stays_chrome() {
        let long = "Share this story with everyone you know, because the more people who read the Daily Bugle the more stories like this one we are able to report for you.";
        let long2 = "Sharing helps our reporters keep working on the stories that matter in your town, and it costs you nothing at all but a click on one of the buttons.";
        let more = LONG.replace(" the ", " this ");
        let html = format!(
            r#"<article>{LONG}<div class="share-box"><p>{long}</p><p>{long2}</p></div>{more}</article>"#
        );
        let body = body_of(&html);
        assert!(body.contains(P2));
        assert!(!body.contains(long) && !body.contains(long2), "{body}");
    }

    #[test]
    fn layout_wrapper_named_sidebar_keeps_article_and_drops_bio_and_widgets() {
        let html = format!(
            r#"<body><div class="container container-single site_sidebar"><div id="main"><div class="stickySidebar">
            <article class="post"><h1>The headline</h1><div class="entry-content"><p>{P1}</p><p>{P2}</p><p>{P1}</p><p>{P2}</p></div>
            <div class="author-bio"><h5>Jane</h5><p>Jane is a writer who lives in the valley with her two dogs and a cat, and loves hiking.</p></div>
            <div class="comments-area"><p>I tried this myself and it worked really well, thanks so much for writing it up for us.</p></div></article></div></div>
            <div id="sidebar"><div class="stickySidebar"><div class="widget"><h4>About me</h4>
            <p>Thank you for stopping by! I write about family travel, recipes and books from my home.</p></div></div></div></div></body>"#
        );
        assert_eq!(body_of(&html), format!("{P1}\n\n{P2}\n\n{P1}\n\n{P2}"));
    }

    #[test]
    fn newsletter_named_wrapper_holding_the_article_beats_a_long_promo() {
        let promo = "Join our readers to get regular emails on science and tools, and a curated collection of our best issues";
        let article: Vec<&str> = [P1, P2].repeat(5);
        let paras: String = article.iter().map(|p| format!("<p>{p}</p>")).collect();
        let html = format!(
            r#"<body><main><section class="newsletter-hero"><article class="newsletter-content">
            <h1>The headline</h1><div class="rich-text">{paras}</div></article></section>
            <section><div>{promo}</div><div>{promo}</div><div>{promo}</div></section></main></body>"#
        );
        assert_eq!(body_of(&html), article.join("\n\n"));
    }

    #[test]
    fn hidden_raw_copy_of_the_page_is_not_lifted() {
        let article: Vec<&str> = [P1, P2].repeat(6);
        let raw = [P1, P2].repeat(8).join(" ");
        let paras: String = article.iter().map(|p| format!("<p>{p}</p>")).collect();
        let html = format!(
            r#"<body><main><article><h1>The headline</h1>{paras}</article>
            <pre class="raw" hidden>{raw}</pre></main></body>"#
        );
        assert_eq!(body_of(&html), article.join("\n\n"));
    }

    #[test]
    fn layout_wrapper_is_lifted_when_only_a_comment_thread_outweighs_it() {
        let comment = "I have been saying this for years and nobody listens, but here we are again with the same story.";
        let comments: String = (0..24)
            .map(|i| format!(r#"<li class="comment" id="c{i}"><p>Reply {i}: {comment}</p></li>"#))
            .collect();
        let article = story(18);
        let paras: String = article.iter().map(|p| format!("<p>{p}</p>")).collect();
        let html = format!(
            r#"<body><div class="main-wrap has-rail-right"><article><h1>The headline</h1>
            <div class="body">{paras}</div></article></div>
            <ul id="commentlisting">{comments}</ul></body>"#
        );
        assert_eq!(body_of(&html), article.join("\n\n"));
    }

    #[test]
    fn testimonials_collection_is_chrome_but_one_testimonial_quote_is_not() {
        let quote =
            "You can turn a small job into a big quote when you keep upselling, every single time.";
        let praise = "I literally cannot stop listening to this show, it changed the way I think about sleep.";
        let cards: String = (0..6)
            .map(|_| format!(r#"<div class="testimonial-card"><blockquote>{praise}</blockquote><p>Jane</p></div>"#))
            .collect();
        let article = story(18);
        let paras: String = article.iter().map(|p| format!("<p>{p}</p>")).collect();
        let html = format!(
            r#"<body><article><h1>The headline</h1><p>{P1}</p>
            <blockquote class="pullquote-testimonial__quote"><p>{quote}</p></blockquote>{paras}</article>
            <div class="testimonials-wrapper">{cards}</div></body>"#
        );
        assert_eq!(
            body_of(&html),
            format!("{P1}\n\n{quote}\n\n{}", article.join("\n\n"))
        );
    }

    #[test]
    fn second_copy_of_the_article_is_dropped() {
        let article = story(14);
        let paras: String = article.iter().map(|p| format!("<p>{p}</p>")).collect();
        let html = format!(
            r#"<body><main><h1>The headline</h1><div class="tab">{paras}</div>
            <div class="tab">{paras}</div></main></body>"#
        );
        assert_eq!(body_of(&html), article.join("\n\n"));
    }

    #[test]
    fn second_copy_counts_its_headings_too() {
        let article = story(12);
        let sections: String = article
            .iter()
            .enumerate()
            .map(|(i, p)| {
                format!("<h2>Section {i} covers what the council decided about the roads budget</h2><p>{p}</p>")
            })
            .collect();
        let html = format!(
            r#"<body><main><h1>The headline</h1><div class="tab">{sections}</div>
            <div class="tab">{sections}</div></main></body>"#
        );
        let body = body_of(&html);
        assert_eq!(body.matches(article[0].as_str()).count(), 1, "{body}");
        assert!(body.ends_with(article[11].as_str()), "{body}");
    }

    #[test]
    fn sections_repeating_their_labels_are_not_a_copy() {
        let section = "<p>Eat 60 to 90 minutes before your workout</p>\
            <p>Asparagus and eggs [1 cup asparagus, 2 poached eggs, half a cup of sweet potato or a slice of whole-wheat toast]</p>\
            <p>Chicken zoodles [1 cup zucchini noodles, 4 oz. cooked chicken, 1 tsp. sesame oil, 1 tbsp. soy sauce]</p>";
        let plans: String = (0..8)
            .map(|i| format!("<h2>Plan {i}</h2>{section}"))
            .collect();
        let html = format!(
            r#"<body><article><h1>The headline</h1><p>{P1}</p><p>{P2}</p>{plans}</article></body>"#
        );
        assert_eq!(body_of(&html).matches("Chicken zoodles").count(), 8);
    }

    #[test]
    fn short_plain_list_items_and_headings_do_not_count_against_the_article() {
        let items: String = (0..30)
            .map(|i| format!("<li>organic cotton {i}</li>"))
            .collect();
        let links: String = (0..12)
            .map(|i| format!(r#"<li><a href="/s{i}">Another story title {i}</a></li>"#))
            .collect();
        let other = "A lone paragraph elsewhere on the page that is long enough to count as good text, and then some more.";
        let html = format!(
            r#"<body><div class="post"><p>{P1}</p><h2>Brand one</h2><ul>{items}</ul><h2>Brand two</h2><p>{P2}</p></div>
            <div class="box"><p>{other}</p><ul>{links}</ul></div></body>"#
        );
        let body = body_of(&html);
        assert!(body.starts_with(P1), "{body}");
        assert!(body.contains("organic cotton 29"), "{body}");
        assert!(body.ends_with(P2), "{body}");
    }

    #[test]
    fn teaser_cards_go_but_listicle_entries_under_linked_headings_stay() {
        let teaser = "A short blurb about another story on the site, one sentence long.";
        let entry = "The trail runs for miles along the bayou and offers views of the skyline, with <a href=\"/parks\">several parks</a> on the way.";
        let html = format!(
            r#"<article><h1>The headline</h1><p>{P1}</p><p>{P2}</p>
            <section><h3><a href="https://example.org/trail">The Long Bayou Trail</a></h3><p>{entry}</p></section>
            <p>{P1}</p>
            <div class="card"><h3><a href="/other-story">Another story from our site today</a></h3><p>{teaser}</p></div></article>"#
        );
        let body = body_of(&html);
        assert!(body.contains("The trail runs for miles"), "{body}");
        assert!(!body.contains("A short blurb"), "{body}");
    }

    /// A listicle entry's linked title stays over its own paragraph; a linked heading over
    /// another link-heavy line (a menu) goes.
    #[test]
    fn linked_headings_over_their_own_section_stay() {
        let entry = "The dining room seats forty and the kitchen stays open late, serving small plates built around whatever the market had that morning, and the wine list leans on growers from the valley.";
        let html = format!(
            r#"<article><h1>The headline</h1><p>{P1}</p><p>{P2}</p>
            <h3><a href="https://example.org/bistro">1. The Corner Bistro</a></h3><p>{entry}</p>
            <h3><a href="/topics">More topics</a></h3><p><a href="/a">Food</a> <a href="/b">Drink</a> <a href="/c">Travel</a></p>
            <p>{P1}</p></article>"#
        );
        let body = body_of(&html);
        assert!(
            body.contains("1. The Corner Bistro\n\nThe dining room"),
            "{body}"
        );
        assert!(!body.contains("More topics"), "{body}");
    }

    /// Short facts between a linked title and its entry's text do not hide the entry; a
    /// linked heading over short facts and then links still goes.
    #[test]
    fn linked_heading_over_short_facts_and_text_stays() {
        let entry = "A family-owned firm with fifteen years of moving homes across the city and a fleet of its own trucks.";
        let html = format!(
            r#"<article><h1>The headline</h1><p>{P1}</p><p>{P2}</p>
            <h2><a href="https://example.org/movers">1. Corner Movers</a></h2><p>Rating: 4.9</p><p>{entry}</p>
            <h2><a href="/elsewhere">See all our picks</a></h2><p>Rating: 4.2</p>
            <p><a href="/a">Movers near you</a> <a href="/b">Storage units</a></p><p>{P1}</p></article>"#
        );
        let body = body_of(&html);
        assert!(
            body.contains("1. Corner Movers\n\nRating: 4.9\n\nA family-owned"),
            "{body}"
        );
        assert!(!body.contains("See all our picks"), "{body}");
    }

    /// A heading's anchor slug ("what-are-shared-services") does not make it chrome by the
    /// words it happens to hold; a box named by a short id ("share-bar") still goes.
    #[test]
    fn heading_with_a_slug_id_stays() {
        let html = format!(
            r#"<article><h1>The headline</h1><p>{P1}</p>
            <h2 id="what-are-shared-services">What are shared services?</h2><p>{P2}</p>
            <div id="share-bar">Share this with your friends and family today</div><p>{P1}</p></article>"#
        );
        let body = body_of(&html);
        assert!(body.contains("What are shared services?"), "{body}");
        assert!(!body.contains("Share this with"), "{body}");
    }

    #[test]
    fn tail_section_after_the_article_is_cut() {
        let html = format!(
            r#"<article><h1>The headline</h1><p>{P1}</p><p>{P2}</p><p>{P1}</p><p>{P2}</p><h3>More Great Station Stories</h3>
            <p>Our reporter covers the county government and schools, and has lived here for twenty years.</p></article>"#
        );
        assert_eq!(body_of(&html), format!("{P1}\n\n{P2}\n\n{P1}\n\n{P2}"));
    }

    #[test]
    fn sources_list_and_feedback_prompt_after_the_article_are_cut() {
        let html = format!(
            r#"<article><h1>The headline</h1><p>{P1}</p><p>{P2}</p><p>{P1}</p><p>{P2}</p><h3>Article Sources</h3>
            <p>Daily Bugle archive. "County budget hearings, 2019 to 2024." Retrieved in March.</p>
            <p>Was this page helpful?</p></article>"#
        );
        assert_eq!(body_of(&html), format!("{P1}\n\n{P2}\n\n{P1}\n\n{P2}"));
    }

    #[test]
    fn short_heading_opening_the_first_section_is_kept_but_earlier_fragments_are_not() {
        let html = format!(
            r#"<article><h1>The headline</h1><p>Share</p><h2>Table of contents</h2><h2>What is a land trust?</h2><p>{P1}</p><p>{P2}</p></article>"#
        );
        assert_eq!(
            body_of(&html),
            format!("What is a land trust?\n\n{P1}\n\n{P2}")
        );
        // A long heading there is the standfirst, not a section title.
        let html = format!(
            r#"<article><h1>The headline</h1><h2>Council members spent the night arguing over the budget and left without a vote</h2><p>{P1}</p><p>{P2}</p></article>"#
        );
        assert_eq!(body_of(&html), format!("{P1}\n\n{P2}"));
    }

    #[test]
    fn dated_table_rows_and_list_items_are_data_but_a_loose_date_line_is_not() {
        let html = format!(
            r#"<article><p>{P1}</p><p>March 3, 2024</p><table><tr><td>3/1/2015</td><td>+7.5%</td></tr><tr><td>4/1/2015</td><td>+6.1%</td></tr></table>
            <ul><li>May 21, 2026</li><li>June 2, 2026</li></ul><p>{P2}</p></article>"#
        );
        let body = body_of(&html);
        assert!(body.contains("3/1/2015 +7.5%"), "{body}");
        assert!(body.contains("May 21, 2026"), "{body}");
        assert!(!body.contains("March 3, 2024"), "{body}");
    }

    #[test]
    fn json_ld_article_body_trims_the_page_edges_it_leaves_out() {
        let story = [
            "The council met on Tuesday night to hear the budget, and the treasurer said roads cost more than planned.",
            "Residents asked why the library hours had been cut again, and the mayor blamed the county grant.",
            "The fire chief asked for two new trucks, saying the oldest one was bought before he was born.",
            "A vote on the trucks was put off until the next meeting, when the treasurer will bring figures.",
            "Several parents spoke in favour of a crossing guard at the school on Elm Street after a near miss.",
            "The meeting ended shortly before eleven, after the council agreed to hold a public hearing soon.",
        ];
        let share = "Share this Daily Bugle story with your friends";
        let promo =
            "Get the Daily Bugle morning briefing in your inbox every day before breakfast, free.";
        // Three times over: the trimmed edges must stay under a tenth of the page.
        let story: Vec<&str> = story.iter().cycle().take(18).copied().collect();
        let ld = story.join("\n");
        let page = |ps: &[&str]| -> Vec<Para> {
            ps.iter()
                .map(|t| Para {
                    tag: Tag::P,
                    text: t.to_string(),
                    html: t.to_string(),
                    list: None,
                    quoted: false,
                    ordered: false,
                })
                .collect()
        };
        let mut all = vec![share];
        all.extend(story.iter().copied());
        all.push(promo);
        let mut paras = page(&all);
        trim_to_ld(&mut paras, &ld);
        let texts: Vec<&str> = paras.iter().map(|p| p.text.as_str()).collect();
        assert_eq!(texts, story);
        // A teaser articleBody (a sixth of the story, or cut off) trims nothing.
        let mut paras = page(&all);
        trim_to_ld(&mut paras, &story[..3].join("\n"));
        assert_eq!(paras.len(), all.len());
        let mut paras = page(&all);
        trim_to_ld(&mut paras, &format!("{ld} The rest…"));
        assert_eq!(paras.len(), all.len());
    }

    #[test]
    fn tail_heading_early_in_the_article_is_kept() {
        let html = format!(
            r#"<article><h1>The headline</h1><p>{P1}</p><h2>Related concerns among parents</h2><p>{P2}</p><p>{P1}</p></article>"#
        );
        assert_eq!(
            body_of(&html),
            format!("{P1}\n\nRelated concerns among parents\n\n{P2}\n\n{P1}")
        );
    }

    #[test]
    fn tail_headings_in_other_languages_and_after_a_count() {
        for t in [
            "Ähnliche Beiträge",
            "Das könnte Sie auch interessieren!",
            "3 Kommentare",
            "Vous aimerez aussi",
            "Artículos relacionados",
            "Leia também:",
            "関連記事",
        ] {
            assert!(is_tail_heading(t), "{t}");
        }
        for t in [
            "Kommentarlos ging die Sitzung zu Ende",
            "Die Kommentare der Woche sind kurz.",
        ] {
            assert!(!is_tail_heading(t), "{t}");
        }
    }

    #[test]
    fn japanese_sentences_have_words() {
        assert!(words("子どもへの体罰を禁止する法律ができました。") >= 8);
        assert_eq!(words("The county ferry runs."), 4);
    }

    #[test]
    fn tail_heading_needs_a_word_boundary() {
        assert!(is_tail_heading("About the Author"));
        assert!(is_tail_heading("Comments (3)"));
        assert!(!is_tail_heading("Relatedness of the two cases"));
        assert!(!is_tail_heading("Comments were closed, officials said."));
        assert!(is_tail_heading("Article Sources"));
        assert!(is_tail_heading("Was this page helpful?"));
        assert!(is_tail_heading("Share this:"));
        assert!(!is_tail_heading("Sourcesville mayor resigns"));
        assert!(!is_tail_heading("Sources say the deal is off."));
    }

    #[test]
    fn credited_caption_line_is_dropped() {
        let html = format!(
            r#"<article><p>{P1}</p><div class="img"><img src="a.jpg"><span>Crowds gathered outside the court on Monday (Image: GETTY )</span></div><p>{P2}</p></article>"#
        );
        assert_eq!(body_of(&html), format!("{P1}\n\n{P2}"));
        assert!(!is_credited_caption(
            "The mayor spoke for an hour (and took questions: three of them)"
        ));
        assert!(is_credited_caption(
            "Firefighters at the scene (Photos: AP)"
        ));
    }

    #[test]
    fn ticker_of_cut_off_teasers_is_dropped() {
        let item = |n: u32| {
            format!(
                r#"<li><a href="/s{n}">Story number {n} in the ticker</a> <span>CITY: Officials said on Monday that the plan would go ahead as soon as the council...</span></li>"#
            )
        };
        let html = format!(
            r#"<div id="main"><ul>{}{}{}{}</ul><h1>The headline</h1><p>{P1}</p><p>{P2}</p></div>"#,
            item(1),
            item(2),
            item(3),
            item(4)
        );
        assert_eq!(body_of(&html), format!("{P1}\n\n{P2}"));
        // A list whose items end in full sentences stays, links and all.
        let html = format!(
            r#"<article><p>{P1}</p><ul><li>The <a href="/a">first step</a> is to call the county office.</li><li>The <a href="/b">second step</a> is to fill in the form...</li><li>The third step is to wait for the letter to arrive.</li></ul><p>{P2}</p></article>"#
        );
        assert!(body_of(&html).contains("second step"));
    }

    #[test]
    fn caption_repeating_the_image_alt_is_dropped() {
        let html = format!(
            r#"<article><p>{P1}</p><div><img src="a.jpg" alt="A plume of vapour over the moon's surface."><div class="text">A plume of vapour over the moon's surface.</div></div><p>{P2}</p></article>"#
        );
        assert_eq!(body_of(&html), format!("{P1}\n\n{P2}"));
        // The same words far from the image are article text.
        let html = format!(
            r#"<article><img src="a.jpg" alt="The river rose overnight."><p>{P1}</p><p>{P2}</p><p>{P1} {P2}</p><p>The river rose overnight.</p></article>"#
        );
        assert!(body_of(&html).ends_with("The river rose overnight."));
    }

    #[test]
    fn calls_to_action_at_the_edges_are_dropped() {
        let html = format!(
            r#"<article><p>Welcome to the morning briefing, your daily catch-up. Follow us on Twitter @briefing.</p><p>{P1}</p><p>{P2}</p><p>Families may be reached at the shelter on Main Street.</p><p>{P1}</p><p>{P2}</p>
            <p>Jane Doe's book about rivers is out now. Follow her on Twitter @jane.</p><p>Join our reader forums to keep talking about the news.</p></article>"#
        );
        assert_eq!(
            body_of(&html),
            format!(
                "{P1}\n\n{P2}\n\nFamilies may be reached at the shelter on Main Street.\n\n{P1}\n\n{P2}"
            )
        );
        // A closing sentence that only mentions social media stays.
        let html = format!(
            r#"<article><p>{P1}</p><p>{P2}</p><p>{P1}</p><p>The county posted the new rules on Facebook and Twitter on Monday.</p></article>"#
        );
        assert!(body_of(&html).ends_with("on Monday."));
    }

    #[test]
    fn a_roundup_card_that_leads_to_a_shop_is_the_guide_s_own() {
        let menu = r#"<nav><a href="https://station.example/">Home</a><a href="https://station.example/news/">News</a><a href="https://station.example/deals/">Deals</a></nav>"#;
        let card = |name: &str, href: &str| {
            format!(
                r#"<div class="roundup-item"><div class="roundup-content"><h2 class="roundup-title"><a href="{href}">{name}</a></h2><p class="roundup-description">A mixer with a big bowl for a small price.</p><div class="roundup-button"><a href="{href}">Read more</a></div></div></div>"#
            )
        };
        let cards = |href: &str| {
            [
                "Riverside 500 Stand Mixer",
                "Harbor Pro Blender",
                "Summit Kettle Two",
            ]
            .iter()
            .map(|n| card(n, href))
            .collect::<String>()
        };
        let page = |href: &str| {
            format!(
                "{menu}<article><p>{P1}</p>{}<p>{P2}</p></article>",
                cards(href)
            )
        };
        let site = Some("www.station.example");
        assert!(body_at(&page("https://shop.example/mixers"), site).contains("Harbor Pro Blender"));
        // Cards that lead to the site's own pages are its teasers.
        assert!(!body_at(&page("/deals/mixers"), site).contains("Harbor Pro Blender"));
    }

    #[test]
    fn a_linked_line_to_another_site_stays_but_its_buy_button_goes() {
        let html = format!(
            r#"<article><p>{P1}</p><p><a href="https://floodmaps.example/">The county flood map, where residents can look up their street</a></p><p><a href="https://shop.example/x">Buy now at Corner Electronics</a></p><p>{P2}</p></article>"#
        );
        let body = body_at(&html, Some("station.example"));
        assert!(body.contains("The county flood map"), "{body}");
        assert!(!body.contains("Buy now"), "{body}");
    }

    #[test]
    fn buttons_are_told_from_sentences() {
        for t in [
            "Buy now at Main Street Hardware",
            "Check today's fares and seats",
            ">> Get started: Weekend Photography Course",
            "$49 at the co-op",
            "See it at Corner Electronics",
        ] {
            assert!(is_button_text(t), "{t}");
        }
        for t in [
            "The county flood map, where residents can look up their street",
            "The council must publish its minutes within a week",
            "Riverside 500 Stand Mixer",
        ] {
            assert!(!is_button_text(t), "{t}");
        }
    }

    #[test]
    fn headline_lists_of_the_site_s_own_pages_are_further_reading() {
        assert!(is_title_like("Guide to Parking at the County Fair"));
        assert!(is_title_like("How to Read a Radar Map"));
        assert!(!is_title_like("Batteries"));
        assert!(!is_title_like(
            "Pack the radio and the batteries before the storm comes in."
        ));
        let items = |titles: &[&str]| {
            titles
                .iter()
                .map(|t| format!(r#"<li><a href="/guides/{}">{t}</a></li>"#, t.len()))
                .collect::<String>()
        };
        let reading = items(&[
            "Five Storms That Shaped the Valley",
            "Guide to Parking at the County Fair",
            "What the New Bus Routes Mean for Riders",
        ]);
        let checklist = items(&[
            "Batteries for the weather radio",
            "a gallon of water per person",
            "copies of your documents",
        ]);
        let page = |list: &str| {
            format!("<article><p>{P1}</p><ul>{list}</ul><p>{P2} {P1} {P2}</p><p>{P1}</p></article>")
        };
        let site = Some("station.example");
        assert!(!body_at(&page(&reading), site).contains("Five Storms"));
        let b = body_at(&page(&checklist), site);
        assert!(b.contains("a gallon of water per person"), "{b}");
    }

    #[test]
    fn a_paragraph_printed_twice_in_a_row_is_kept_once() {
        let html = format!(
            "<article><p>{P1}</p><p>Tap here for the live radar and storm alerts.</p><p>Tap here for the live radar and storm alerts.</p><p>{P2}</p><p>{P1}</p></article>"
        );
        assert_eq!(
            body_of(&html),
            format!("{P1}\n\nTap here for the live radar and storm alerts.\n\n{P2}\n\n{P1}")
        );
    }

    #[test]
    fn link_kinds() {
        let own = Some("kvia.com");
        assert_eq!(link_kind("#section-2", own), LinkKind::Page);
        assert_eq!(
            link_kind("https://kvia.com/story/#more", own),
            LinkKind::Page
        );
        assert_eq!(link_kind("javascript:void(0)", own), LinkKind::Page);
        assert_eq!(
            link_kind("https://www.facebook.com/sharer.php?u=x", own),
            LinkKind::Page
        );
        assert_eq!(link_kind("/news/local/", own), LinkKind::Site);
        assert_eq!(link_kind("https://www.KVIA.com/news/", own), LinkKind::Site);
        assert_eq!(
            link_kind("https://records.county.example/123/", own),
            LinkKind::Outside
        );
        // "notfacebook.com" is not Facebook.
        assert_eq!(
            link_kind("https://notfacebook.com/a", own),
            LinkKind::Outside
        );
    }

    #[test]
    fn link_lists_stay_when_they_lead_out_and_go_when_they_furnish_the_page() {
        let menu = r#"<nav><a href="https://station.example/">Home</a><a href="https://station.example/news/">News</a><a href="https://station.example/weather/">Weather</a></nav>"#;
        // Sources between paragraphs: links to other sites are the article's.
        let html = format!(
            r#"{menu}<article><p>{P1}</p><ul><li><a href="https://www.weather.gov/safety/flood">Weather service flood safety</a></li><li><a href="https://www.ready.gov/floods">Federal flood checklist</a></li></ul><p>{P2}</p></article>"#
        );
        let body = body_of(&html);
        assert!(
            body.contains("Weather service flood safety")
                && body.contains("Federal flood checklist"),
            "{body}"
        );
        // A table of contents, and the site's own links after the last paragraph, are not.
        let html = format!(
            r##"{menu}<article><ul><li><a href="#one">What happened first</a></li><li><a href="#two">What comes next</a></li></ul><p>{P1}</p><p>{P2}</p><ul><li><a href="https://station.example/news/a">Another story from the desk</a></li><li><a href="/news/b">And one more story to read</a></li></ul></article>"##
        );
        let body = body_of(&html);
        assert_eq!(body, format!("{P1}\n\n{P2}"));
    }

    #[test]
    fn hidden_inline_data_is_not_text() {
        let html = format!(
            r#"<article><p>{P1}</p><div class="product"><span hidden="">{{"widget":3,"label":"Order"}}</span><a href="/p">Stand mixer, five quarts</a><span style="display: none">Tooltip data for the widget</span></div><p>{P2}</p></article>"#
        );
        let body = body_of(&html);
        assert!(!body.contains("\"label\""), "{body}");
        assert!(!body.contains("Tooltip"), "{body}");
        assert!(body.contains(P2));
    }

    #[test]
    fn author_and_reviewer_boxes_are_dropped_but_not_a_label_without_a_name() {
        let html = format!(
            "<article><p>{P1}</p><p>{P2}</p><h3>About the Author</h3>\
             <p>Jane Doe, Senior Reporter, Station 7</p><p>Jane Doe covers the county courts and lives in the Upper Valley.</p>\
             <h3>About the Reviewer</h3><p>John Roe, Weather Editor</p><p>John Roe has forecast for the valley since 2009.</p>\
             <p>{P1}</p><p>{P2}</p><p>{P1}</p><p>{P2}</p><p>{P1} Closing words.</p></article>"
        );
        assert_eq!(
            body_of(&html),
            format!("{P1}\n\n{P2}\n\n{P1}\n\n{P2}\n\n{P1}\n\n{P2}\n\n{P1} Closing words.")
        );
        // "Reviewed by" with the name left out: what follows is the article's own text.
        let html = format!(
            "<article><p>{P1}</p><p>Reviewed by</p><p>Key takeaways:</p><p>{P2}</p></article>"
        );
        assert!(body_of(&html).contains(P2));
    }

    #[test]
    fn closing_author_bio_is_dropped() {
        let para = |t: &str| Para {
            tag: Tag::P,
            text: t.to_string(),
            html: t.to_string(),
            list: None,
            quoted: false,
            ordered: false,
        };
        let story = [P1, P2, P1, "Jane Doe said the vote would come in May."];
        let mut paras: Vec<Para> = story.iter().map(|t| para(t)).collect();
        paras.push(para(
            "Jane Doe is a reporter who covers the county, and lives by the river with two cats.",
        ));
        drop_author_bio(&mut paras, &["Jane Doe".to_string()]);
        assert_eq!(paras.len(), 4);
        // A quote from someone sharing the name is article text; so is a desk name.
        let mut paras: Vec<Para> = story.iter().map(|t| para(t)).collect();
        drop_author_bio(&mut paras, &["Jane Doe".to_string()]);
        assert_eq!(paras.len(), 4);
        paras.push(para(
            "The Russian is a ministry reply to the question, officials said.",
        ));
        drop_author_bio(&mut paras, &["The Russian".to_string()]);
        assert_eq!(paras.len(), 5);
        // Under a heading of its own the bio is part of the article.
        let mut heading = para("Why trust us");
        heading.tag = Tag::H(2);
        paras.push(heading);
        paras.push(para(
            "Jane Doe has tested kettles for ten years in her own kitchen.",
        ));
        drop_author_bio(&mut paras, &["Jane Doe".to_string()]);
        assert_eq!(paras.len(), 7);
        // A heading that only names her is the author box's.
        paras[5].text = "Jane Doe".to_string();
        drop_author_bio(&mut paras, &["Jane Doe".to_string()]);
        assert_eq!(paras.len(), 5);
    }

    #[test]
    fn schema_summary_above_the_article_is_dropped() {
        let html = format!(
            r#"<article><div itemprop="description" class="lead"><p>What the story is about, told in one long sentence for the page's summary box.</p></div><div itemprop="articleBody"><p>{P1}</p><p>{P2}</p></div></article>"#
        );
        assert_eq!(body_of(&html), format!("{P1}\n\n{P2}"));
        // A page that marks its whole text as the description keeps it.
        let html =
            format!(r#"<div><div itemprop="description"><p>{P1}</p><p>{P2}</p></div></div>"#);
        assert_eq!(body_of(&html), format!("{P1}\n\n{P2}"));
    }

    #[test]
    fn double_br_splits_paragraphs() {
        let html = format!(r#"<div class="entry">{P1}<br><br>{P2}</div>"#);
        assert_eq!(body_of(&html), format!("{P1}\n\n{P2}"));
    }
}
