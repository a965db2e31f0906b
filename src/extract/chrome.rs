//! Recognises page chrome: elements that are never article text (by tag, role, hidden-ness,
//! class and id words), and single lines of boilerplate ("Skip to content", "Jump to
//! comments", "Article Topic Follows: …", comment-policy blurbs, photo credits, "Read more").
//! Lines that carry metadata (the topic line) are read out by [`topic_line`].

use foldhash::HashMap;
use std::sync::LazyLock;

use html5ever::{local_name, ns};
use regex::bytes::{Regex as BytesRegex, RegexBuilder as BytesRegexBuilder};
use regex::{Regex, RegexSet};

use super::pattern::{utf8_dots, without_groups};
use scraper::node::Element;

/// The attributes the walk reads, gathered in one pass over an element's attribute list
/// (every `Element::attr` call interns the name and searches the list again).
#[derive(Debug, Default, Clone, Copy)]
pub struct Attrs<'a> {
    /// `class`
    pub class: Option<&'a str>,
    /// `id`
    pub id: Option<&'a str>,
    /// Hidden by the `hidden` attribute or by an inline style (`display: none`,
    /// `visibility: hidden`). Soft, not hard chrome: streamed server-rendered pages park the
    /// whole article in a hidden element until a script moves it.
    pub hidden: bool,
    /// `role`
    pub role: Option<&'a str>,
    /// `aria-hidden`
    pub aria_hidden: Option<&'a str>,
    /// `itemprop`
    pub itemprop: Option<&'a str>,
    /// `href`
    pub href: Option<&'a str>,
    /// `rel`
    pub rel: Option<&'a str>,
    /// `src`
    pub src: Option<&'a str>,
    /// `alt`
    pub alt: Option<&'a str>,
    /// `type`
    pub kind: Option<&'a str>,
    /// `lang`
    pub lang: Option<&'a str>,
    /// `xml:lang`
    pub xml_lang: Option<&'a str>,
}

impl<'a> Attrs<'a> {
    /// Reads the attributes of `elem` (plain, un-namespaced ones, as `Element::attr` does).
    pub fn of(elem: &'a Element) -> Self {
        let mut a = Attrs::default();
        for (q, v) in elem.attrs.iter() {
            if q.prefix.is_some() || q.ns != ns!() {
                continue;
            }
            let v: &'a str = v;
            // Interned names compare as integers; no string is looked at.
            let l = &q.local;
            if *l == local_name!("class") {
                a.class = Some(v);
            } else if *l == local_name!("id") {
                a.id = Some(v);
            } else if *l == local_name!("href") {
                a.href = Some(v);
            } else if *l == local_name!("style") {
                a.hidden |= style_hides(v);
            } else if *l == local_name!("src") {
                a.src = Some(v);
            } else if *l == local_name!("alt") {
                a.alt = Some(v);
            } else if *l == local_name!("rel") {
                a.rel = Some(v);
            } else if *l == local_name!("role") {
                a.role = Some(v);
            } else if *l == local_name!("itemprop") {
                a.itemprop = Some(v);
            } else if *l == local_name!("aria-hidden") {
                a.aria_hidden = Some(v);
            } else if *l == local_name!("hidden") {
                a.hidden = true;
            } else if *l == local_name!("type") {
                a.kind = Some(v);
            } else if *l == local_name!("lang") {
                a.lang = Some(v);
            } else if *l == local_name!("xml:lang") {
                a.xml_lang = Some(v);
            }
        }
        a
    }
}

/// Class/id words that always mean chrome. "testimonials" only in the plural: a wall of
/// readers' praise is the publisher's pitch, while one "testimonial" quote can be the story's.
const STRONG: &str = r"(?x)comment(s?\b|s?[-_]|list|form|area|box|thread|section|wrap|respond)|disqus|\bshare|sharing|social|related|recommend|newsletter|subscri|\bpromo|
        advert|sponsor|outbrain|taboola|recirc|trending|most-?read|most-?popular|mostpopular|mostread|
        breadcrumb|cookie|consent|popup|modal|signup|sign-up|paywall|skip-?link|visually-hidden|sr-only|
        screen-reader|donate|more-stories|read-?more|readnext|read-next|up-?next|whats-?next|jump-?to|
        author-?(bio|box|card|info|profile)|gdpr|\bcta\b|inline-?links|see-?also|also-?read|
        \bpartner|nativo|zergnet|bottom-?bar|rail\b|sidebar|masthead|site-?header|site-?footer|
        global-?nav|main-?nav|navbar|\bmenu|dropdown|toolbar|login|logout|\bfollow|testimonials";

/// Class/id words that mean chrome unless the same word also says content. Not "header":
/// a box's header ("card-header", "accordion-header") sits inside articles, and the page's
/// header says so by its tag or by a strong word ("site-header", "masthead").
const WEAK: &str = r"(?x)\bnav|footer|byline|\bauthor|dateline|timestamp|\bmeta\b|meta-|caption|credit|
        disclaimer|copyright|banner|teaser|excerpt|pagination|pager|\btags?\b|tag-?list|topics|keywords|
        widget|\bprint\b|print-|print_|utility|tools\b|video-?player|audio-?player|jwplayer|gallery|slideshow|carousel|video|podcast|\bsocial|
        hidden-|-hidden\b|\bhide\b|\bbio\b|headline|\btitle\b|kicker|eyebrow|category|label";

/// Class/id words that name article content.
const POSITIVE: &str = r"article|content|body|story|entry|post|text|main|blog|prose|rich|paragraph";

/// Class/id words of ad slots.
const AD_TOKEN: &str = r"^(ad|ads|adv|advert|dfp|gpt|adslot|adunit|ad-?slot|ad-?unit|ad-?container|ad-?wrapper)$|^ad[-_]|[-_]ad$|[-_]ad[-_]|[-_]ads$|^ads[-_]";

/// Class/id words of elements metadata may read (bylines, dates, credits, topics).
const MARK: &str = r"(?i)byline|author|date|time|publish|posted|credit|source|topic";

/// The word tests above in one pass; indexes into its matches.
static WORDS: LazyLock<RegexSet> = LazyLock::new(|| {
    RegexSet::new([STRONG, WEAK, POSITIVE, AD_TOKEN, MARK]).expect("valid regexes")
});
const W_STRONG: usize = 0;
const W_WEAK: usize = 1;
const W_POSITIVE: usize = 2;
const W_AD: usize = 3;
const W_MARK: usize = 4;

/// What one class token (or a whole id) says.
#[derive(Debug, Clone, Copy)]
struct Word {
    /// Makes the element chrome.
    chrome: bool,
    /// Makes it chrome by a strong or ad word (not only a weak one like "title").
    strong: bool,
    /// Names article content.
    positive: bool,
    /// Names a byline, date, credit or topic holder.
    marks: bool,
    /// A hover popup ("tooltip", "popover", …).
    popup: bool,
}

impl Word {
    fn of(token: &str) -> Word {
        let t = token.to_ascii_lowercase();
        let m = WORDS.matches(&t);
        let (strong, mut weak, pos) = (
            m.matched(W_STRONG),
            m.matched(W_WEAK),
            m.matched(W_POSITIVE),
        );
        // "hidden" that does not hide the element: "field--label-hidden" hides a CMS field's
        // label (themes put it on every field, the article body included), "overflow-hidden"
        // clips overflow, and a collapsed accordion panel is still page text.
        if weak && t.contains("hidden") && hidden_not_hiding(&t) {
            let rest = t
                .replace("label--hidden", "")
                .replace("label-hidden", "")
                .replace("hidden", "");
            weak = WEAK_RE.is_match(&rest);
        }
        // Embedded posts (tweets, Instagram) are quoted article content, not share bars; but
        // an embedded image's caption or credit ("imageEmbedCaption") is still a caption. An
        // embedded video's caption often tells the story and stays.
        let caption = (t.ends_with("caption") || t.ends_with("credit"))
            && ["image", "photo", "img", "picture"]
                .iter()
                .any(|w| t.contains(w));
        let considered = !t.is_empty()
            && t.len() <= 80
            && (caption || (!t.contains("embed") && !t.contains("tweet")));
        Word {
            // "article-body" with "share" in another token is content; a token that names
            // both ("article-share") is still a share bar.
            chrome: considered && (m.matched(W_AD) || strong || (weak && !pos)),
            strong: considered && (m.matched(W_AD) || strong),
            positive: considered && pos && !strong && !weak,
            marks: m.matched(W_MARK),
            popup: ["tooltip", "popover", "rollover", "hovercard"]
                .iter()
                .any(|p| t.starts_with(p)),
        }
    }
}

static WEAK_RE: LazyLock<Regex> = LazyLock::new(|| Regex::new(WEAK).expect("valid regex"));

/// Whether a token's "hidden" is about something other than the element being hidden: its
/// label ("field--label-hidden"), its overflow ("overflow-x-hidden"), or the collapsed state
/// of an accordion panel ("accordion-panel-hidden").
fn hidden_not_hiding(t: &str) -> bool {
    t.contains("label-hidden")
        || t.contains("label--hidden")
        || t.starts_with("overflow-")
        || t.contains("accordion")
        || t.contains("collapse")
}

/// Verdicts on class tokens and ids, kept for one page: the same class names repeat on
/// hundreds of elements, often as the very same class list. Hashed with foldhash, randomly
/// seeded per map: SipHash was a tenth of the extractor's own time here, and a page's
/// author cannot see the seed to craft colliding class names.
#[derive(Debug, Default)]
pub struct WordCache<'a> {
    words: HashMap<&'a str, Word>,
    lists: HashMap<&'a str, Words>,
}

/// What an element's class list and id say, each token judged once.
#[derive(Debug, Clone, Copy, Default)]
pub struct Words {
    /// A class token or the id makes the element chrome.
    chrome: bool,
    /// It does so by a strong or ad word.
    strong: bool,
    /// A class token or the id names article content.
    positive: bool,
    /// A class token names a byline, date, credit or topic holder (lists under 200 bytes).
    class_marks: bool,
    /// The id does (ids under 100 bytes).
    id_marks: bool,
    /// A class token names a hover popup.
    popup: bool,
}

impl<'a> WordCache<'a> {
    fn word(&mut self, token: &'a str) -> Word {
        *self.words.entry(token).or_insert_with(|| Word::of(token))
    }

    /// Judges the class list and id of an element.
    pub fn judge(&mut self, a: &Attrs<'a>) -> Words {
        let class = a.class.unwrap_or("");
        let mut w = match self.lists.get(class) {
            Some(w) => *w,
            None => {
                let mut w = Words::default();
                // A blog post's own element (hAtom's "hentry", WordPress's "type-post") lists
                // its taxonomy beside those marks: "category-social", "tag-video" name what
                // the post is filed under, not the element's role on the page.
                let entry = class
                    .split_ascii_whitespace()
                    .any(|t| matches!(t, "hentry" | "h-entry" | "type-post"));
                for t in class.split_ascii_whitespace() {
                    if entry && is_taxonomy_token(t) {
                        continue;
                    }
                    let t = self.word(t);
                    w.chrome |= t.chrome;
                    w.strong |= t.strong;
                    w.positive |= t.positive;
                    w.class_marks |= t.marks;
                    w.popup |= t.popup;
                }
                // The word tests need no whitespace, so a list marks when one token does.
                w.class_marks &= class.len() < 200;
                self.lists.insert(class, w);
                w
            }
        };
        if let Some(id) = a.id.filter(|id| !id.is_empty() && !is_text_slug(id)) {
            let t = self.word(id);
            w.chrome |= t.chrome;
            w.strong |= t.strong;
            w.positive |= t.positive;
            w.id_marks = id.len() < 100 && t.marks;
        }
        w
    }
}

/// Whether a class token names a taxonomy term: "category-news", "tag-election-2024",
/// "format-video", "status-publish".
fn is_taxonomy_token(t: &str) -> bool {
    ["category-", "tag-", "format-", "status-"]
        .iter()
        .any(|p| t.len() > p.len() && t[..p.len()].eq_ignore_ascii_case(p))
}

/// Whether an id is an anchor slug made from the element's own words
/// ("what-are-shared-services", "why-use-social-shopping"): four or more lowercase words
/// joined by hyphens. Its words are the heading's text, not the site's naming of a box, so
/// "shared" or "social" in it says nothing about chrome.
fn is_text_slug(id: &str) -> bool {
    let parts: Vec<&str> = id.split('-').collect();
    parts.len() >= 4
        && parts.iter().all(|p| {
            !p.is_empty()
                && p.bytes()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
        })
}

/// Elements whose content is never text (scripts, form controls, embedded media, popups).
pub fn is_hard_skip(name: &str, elem: &Element) -> bool {
    let a = Attrs::of(elem);
    is_hard_skip_with(name, &WordCache::default().judge(&a))
}

/// [`is_hard_skip`] on the element's judged class words.
pub fn is_hard_skip_with(name: &str, words: &Words) -> bool {
    match name {
        "script" | "style" | "noscript" | "template" | "svg" | "canvas" | "iframe" | "object"
        | "embed" | "button" | "select" | "textarea" | "input" | "option" | "head" | "title"
        | "math" | "video" | "audio" | "source" | "map" => true,
        // Ruby annotations: the reading printed over a word ("ぎゃくたい" over "虐待"), not
        // text of its own.
        "rt" | "rp" => true,
        // Hover popups inside paragraphs (a person's card over their name).
        _ => matches!(name, "span" | "div") && words.popup,
    }
}

/// Whether an inline style hides its element. Most styles say neither word; only those are
/// worth normalising.
fn style_hides(s: &str) -> bool {
    (contains_ci(s, "none") || contains_ci(s, "hidden")) && {
        let s = s.to_ascii_lowercase().replace(' ', "");
        s.contains("display:none") || s.contains("visibility:hidden")
    }
}

/// A disclosure panel (an accordion's or a tab's content): hidden until its button is
/// pressed, yet part of the page's text (FAQ answers, the steps of a guide).
fn is_panel(a: &Attrs<'_>) -> bool {
    a.role
        .is_some_and(|r| r.eq_ignore_ascii_case("region") || r.eq_ignore_ascii_case("tabpanel"))
}

/// How an element was recognised as soft chrome (text of the page, not of the article).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Soft {
    /// Not chrome.
    No,
    /// By its tag or ARIA role: sure.
    Tag,
    /// By class/id words: usually right, sometimes a site's naming fools it.
    Class,
}

/// Whether an element is soft chrome and whether its class/id names article content.
pub fn classify(name: &str, elem: &Element) -> (Soft, bool) {
    let a = Attrs::of(elem);
    classify_with(name, &a, &WordCache::default().judge(&a))
}

/// [`classify`] on attributes already read and the element's judged class words.
pub fn classify_with(name: &str, a: &Attrs<'_>, words: &Words) -> (Soft, bool) {
    if matches!(name, "html" | "body") {
        return (Soft::No, false);
    }
    if a.hidden && !is_panel(a) {
        return (Soft::Class, false);
    }
    if matches!(name, "nav" | "dialog" | "menu") {
        return (Soft::Tag, false);
    }
    // Site builders wrap whole articles in <header>, and unclosed <aside> banners swallow the
    // page: these tags are strong hints, not proof.
    if matches!(name, "aside" | "footer" | "header") {
        return (Soft::Class, false);
    }
    if let Some(role) = a.role {
        let role = role.to_ascii_lowercase();
        if matches!(
            role.as_str(),
            "navigation"
                | "banner"
                | "contentinfo"
                | "complementary"
                | "dialog"
                | "search"
                | "menu"
                | "menubar"
                | "alertdialog"
        ) {
            return (Soft::Tag, false);
        }
    }
    if a.aria_hidden
        .is_some_and(|v| v.eq_ignore_ascii_case("true"))
        && matches!(name, "div" | "section" | "ul" | "aside" | "span")
    {
        return (Soft::Class, false);
    }
    if a.itemprop.is_some_and(|p| p.contains("articleBody")) {
        return (Soft::No, true);
    }
    let (mut chrome, positive) = (words.chrome, words.positive);
    // A heading's class names its role in the layout ("listicle-header", "module-title"),
    // which weak words mistake for chrome; only strong words make a heading chrome.
    if matches!(name, "h2" | "h3" | "h4" | "h5" | "h6") {
        chrome = words.strong;
    }
    // An article's own class list names its taxonomy ("category-sports", "tag-video"): that
    // is not a role, so the article and main elements are never class chrome.
    let soft = if chrome
        && !matches!(
            name,
            "main" | "article" | "blockquote" | "tr" | "td" | "th" | "tbody" | "thead"
        ) {
        Soft::Class
    } else {
        Soft::No
    };
    (soft, positive)
}

/// Whether an element's own class list or id makes it chrome by a strong or ad word
/// ("share", "sidebar"), not only a weak one ("widget", "video").
pub fn strong_class_chrome(elem: &Element) -> bool {
    let a = Attrs::of(elem);
    WordCache::default().judge(&a).strong
}

/// Elements metadata may want to read later: `time`, microdata, byline and topic holders.
pub fn is_marked(name: &str, elem: &Element) -> bool {
    let a = Attrs::of(elem);
    is_marked_with(name, &a, &WordCache::default().judge(&a))
}

/// [`is_marked`] on attributes already read and the element's judged class words.
pub fn is_marked_with(name: &str, a: &Attrs<'_>, words: &Words) -> bool {
    if matches!(name, "time" | "address")
        || a.itemprop.is_some()
        || (name == "a" && a.href.is_some_and(super::metadata::is_author_href))
        || a.rel.is_some_and(|r| r.contains("author"))
    {
        return true;
    }
    if matches!(name, "script" | "style" | "meta" | "link" | "html" | "body") {
        return false;
    }
    words.class_marks || words.id_marks
}

/// Boilerplate lines recognised by how they open (anchored at both ends). Kept apart from
/// [`BOILERPLATE_ANYWHERE`]: a phrase that may sit anywhere in the first 100–200 characters
/// makes the automaton large, and run over every block that cost more than the parse. A line
/// opening "Lorem ipsum" is a template's placeholder left on the page, never the article;
/// so is a lazy loader's "Loading comments..." standing where a block was still to come.
///
/// Built as a byte regex with [`super::pattern::utf8_dots`]: the same matches, about a quarter
/// of the build time (the bounded tails are most of the pattern); and with its groups made
/// non-capturing ([`super::pattern::without_groups`]), which takes an 18 MB slot table out of
/// each thread's PikeVM cache (it is only asked whether a line matches).
static BOILERPLATE: LazyLock<BytesRegex> = LazyLock::new(|| {
    BytesRegexBuilder::new(&without_groups(&utf8_dots(
        r"(?ix)^(?:
        adverts?|advertisements?|advertisement\s*[-–—:]?\s*(scroll|continue).*|ad|sponsored(\s+content)?|
        story\s+continues(\s+below)?(\s+advertisement)?|continue\s+reading.{0,40}|
        (read|see)\s+(more|also|next)\b.{0,120}|related(\s+(stories|articles|content|coverage|links?|news|posts|reading))\s*:?.{0,120}|related\s*:.{0,120}|related|
        more\s+(from|on|about|stories)\b.{0,80}|
        share(\s+(this|the))?(\s+(article|story|post|page))?(\s+(on|via)\s+\w+)?\s*:?|\d*\s*shares?|sharing\s+is\s+caring!?|
        save\s+my\s+name\b.{0,120}|notify\s+me\b.{0,100}|you\s+(may|might)\s+also\s+like\s*(:|\.\.\.|…)?|
        share\s+on\s+.{0,30}|tweet|email|print|
        copy\s+link|link\s+copied|comments?|\d+\s+comments?|view\s+comments|leave\s+a\s+comment.{0,40}|
        jump\s+to\s+comments.{0,10}|skip\s+to\s+(main\s+)?(content|navigation|main).{0,10}|
        author\s+profile\s+photo|be\s+part\s+of\s+the\s+conversation|
        please\s+keep\s+your\s+comments\b.*|
        if\s+you\s+would\s+like\s+to\s+share\s+a\s+story\s+idea.*|
        (sign\s+up|subscribe)\b.{0,120}(newsletter|inbox|email|updates).{0,80}|subscribe(\s+(to|now|today)\b.{0,90})?|
        (get|receive)\s+(our|the)\s+.{0,60}newsletter.{0,80}|
        follow\s+(us|me)\s+on\b.{0,80}|click\s+here\b.{0,80}|
        (copyright|©|\(c\))\s*.{0,120}|all\s+rights\s+reserved.{0,40}|
        (photo|image|video|graphic|illustration)s?\s*(credit)?\s*:.{0,120}|(credits?|courtesy)\s*:.{1,80}|source\s*:.{1,60}|
        (ap|getty|reuters|afp|shutterstock|istock)\s*(photo|images)\b.{0,60}|
        loading(\s+[\w-]+){0,3}\s*(\.{2,}|…)|loading\.*|please\s+wait.*|enable\s+javascript.{0,80}|lorem\s+ipsum\b.*|
        this\s+(article|story|content)\s+(was|is|has\s+been)\s+(originally\s+)?(published|produced|provided|written)\b.{0,120}|
        download\s+the\s+.{0,40}app.{0,80}|watch(\s+(live|now|the\s+video|video))?\s*:.{0,60}|watch\s+(live|now|video)|listen\s*(now|to\s+this\s+article).{0,40}|
        (\d+\s+)?min(ute)?s?\s+read|updated\s*:?.{0,40}|published\s*:?.{0,40}|posted\s*:?.{0,40}|
        trending\s+(now|stories).{0,40}|most\s+(read|popular|viewed).{0,40}|top\s+stories|
        next\s+(article|story|up).{0,120}|previous\s+(article|story).{0,120}|
        tags?\s*:.{0,200}|topics?\s*:.{0,200}|filed\s+under\s*:?.{0,200}|
        article\s+topic\s+follows\s*:.{0,100}|
        (table\s+of\s+)?contents?(\s*\[?(show|hide|toggle)\]?)?\s*:?|in\s+this\s+(article|post|guide)\s*:?|on\s+this\s+page\s*:?|
        privacy\s+(policy|overview)|terms\s+(of\s+(use|service)|&\s+conditions).{0,80}|post\s+navigation|
        this\s+slideshow\s+requires\s+javascript\.?|tell\s+us\s+what\s+you\s+think.{0,10}|
        don'?t\s+miss\b.{0,60}(sign\s+up|subscribe|newsletter|email).{0,60}|(your\s+)?e-?mail(\s+address)?\s*\*?
        )$",
    )))
    // The anchored alternatives die within a few bytes on article text, so the lazy DFA
    // answers almost every line; give it room to keep its states instead of falling back to
    // the much slower PikeVM.
    .dfa_size_limit(32 << 20)
    .build()
    .expect("valid regex")
});

/// Boilerplate phrases that may sit anywhere near the start of the line, each with a word
/// the line must contain (ASCII case-insensitively) before the regex is worth running.
static BOILERPLATE_ANYWHERE: LazyLock<Vec<(&'static str, BytesRegex)>> = LazyLock::new(|| {
    [
        (
            "forum",
            r"(?i)^.{0,80}\bcommitted\s+to\s+providing\s+a\s+forum\b.*$",
        ),
        (
            "guidelines",
            r"(?i)^.{0,120}\bcommunity\s+guidelines\b.{0,80}$",
        ),
        (
            "cookies",
            r"(?i)^(?:.{0,200}\bwebsite\s+uses\s+cookies\b.*|.{0,200}\b(we|this\s+site)\s+use\s+cookies\b.*|.{0,100}\bcookies\s+(are|that\s+are)\s+(absolutely|categorized|necessary)\b.*)$",
        ),
        (
            "",
            r"(?i)^.{0,120}(©|\(c\)|copyright)(\s*(©|copyright))?\s*\d{4}.{0,200}$",
        ),
    ]
    .into_iter()
    .map(|(word, re)| {
        let re = without_groups(&utf8_dots(re));
        (word, BytesRegex::new(&re).expect("valid regex"))
    })
    .collect()
});

/// A photo agency's credit closing a short line ("… Getty Images", "… (AP Photo)").
static PHOTO_CREDIT_END: LazyLock<BytesRegex> = LazyLock::new(|| {
    BytesRegex::new(&without_groups(&utf8_dots(
        r"(?i)^.{0,100}(getty\s+images|ap\s+photo|shutterstock|istock(photo)?|afp\s+photo|reuters\s+photo)\.?\)?$",
    )))
    .expect("valid regex")
});

fn contains_ci(hay: &str, needle: &str) -> bool {
    hay.as_bytes()
        .windows(needle.len())
        .any(|w| w.eq_ignore_ascii_case(needle.as_bytes()))
}

/// Whether a whole block is boilerplate (a line of chrome that slipped into the content).
pub fn is_boilerplate_line(text: &str) -> bool {
    let t = text.trim();
    if t.len() > 400 {
        return false;
    }
    if BOILERPLATE.is_match(t.as_bytes()) {
        return true;
    }
    // Unicode case folding matches the Kelvin sign to `k` and the long s to `s`: a line
    // holding either skips the ASCII word tests and goes to the regexes.
    let folds = !t.is_ascii() && t.contains(['\u{212a}', '\u{17f}']);
    let ends_like_credit = {
        let end = t.trim_end_matches(')').trim_end_matches('.');
        let end = end.as_bytes();
        ["images", "photo", "shutterstock", "istock"]
            .iter()
            .any(|w| {
                end.len() >= w.len()
                    && end[end.len() - w.len()..].eq_ignore_ascii_case(w.as_bytes())
            })
    };
    if (folds || ends_like_credit) && PHOTO_CREDIT_END.is_match(t.as_bytes()) {
        return true;
    }
    if is_affiliate_disclosure(t) {
        return true;
    }
    // One literal search says whether any of the words below is there at all.
    static ANY_WORD: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)forum|guidelines|cookies|\(c\)|copyright|©").expect("valid regex")
    });
    if !folds && !ANY_WORD.is_match(t) {
        return false;
    }
    BOILERPLATE_ANYWHERE.iter().any(|(word, re)| {
        let gate = if word.is_empty() {
            t.contains('©') || contains_ci(t, "(c)") || contains_ci(t, "copyright")
        } else {
            contains_ci(t, word)
        };
        (folds || gate) && re.is_match(t.as_bytes())
    })
}

/// Whether a short line is the site's affiliate disclosure ("When you buy through our links
/// we may earn a commission"): it names links, a commission (or affiliate, compensation,
/// qualifying purchases) and the site speaking as "we"/"I". Such a notice is page furniture
/// set above or below the story, whatever element it sits in; an article *about* affiliate
/// links rarely packs all three into one short paragraph.
fn is_affiliate_disclosure(t: &str) -> bool {
    static LINKS: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"(?i)\blinks?\b").expect("valid regex"));
    static PAID: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)\b(commissions?|commissionable|compensat\w+|affiliate|qualifying\s+purchases|kickback)\b")
            .expect("valid regex")
    });
    static SPEAKER: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"(?i)\b(we|us|our|i|my|me)\b").expect("valid regex"));
    t.len() <= 400 && LINKS.is_match(t) && PAID.is_match(t) && SPEAKER.is_match(t)
}

static TOPIC: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^\s*(?:article\s+topic\s+follows|filed\s+under|posted\s+in|section)\s*:\s*([^,|;]{1,60}?)\s*$")
        .expect("valid regex")
});

/// The section named by a station's "Article Topic Follows: National Politics" (or
/// "Filed under: Weather") line.
pub fn topic_line(text: &str) -> Option<String> {
    TOPIC.captures(text).map(|c| c[1].to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_patterns_keep_no_capture_slots() {
        // Each group would add a slot per NFA state to every thread's PikeVM cache.
        assert_eq!(BOILERPLATE.captures_len(), 1);
        assert_eq!(PHOTO_CREDIT_END.captures_len(), 1);
        assert!(
            BOILERPLATE_ANYWHERE
                .iter()
                .all(|(_, re)| re.captures_len() == 1)
        );
    }

    #[test]
    fn station_chrome_lines_are_boilerplate() {
        for line in [
            "Skip to Content",
            "Advert",
            "SUBSCRIBE",
            "Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor incididunt.",
            "Subscribe to The Daily Bugle and stay smart with more of your favorite writers.",
            "You may also like...",
            "Skip to content",
            "Jump to comments ↓",
            "Article Topic Follows: National Politics",
            "Author Profile Photo",
            "BE PART OF THE CONVERSATION",
            "KVIA ABC 7 is committed to providing a forum for civil and constructive conversation.",
            "Please keep your comments respectful and relevant. You can review our Community Guidelines by clicking here",
            "If you would like to share a story idea, please submit it here.",
            "Advertisement",
            "Read more: Other story",
            "Table of Contents",
            "Table of contents [hide]",
            "In this article:",
            "Loading comments...",
            "Loading the gallery…",
            "Credit: Station 7 / Jane Doe",
            "Source: County Health Department",
        ] {
            assert!(is_boilerplate_line(line), "{line}");
        }
    }

    /// The phrases that may sit anywhere near the start of a line (checked apart from the
    /// anchored ones, behind a word test) still make the line boilerplate.
    #[test]
    fn phrases_inside_a_line_are_boilerplate() {
        for line in [
            "A firefighter at the scene. Jane Doe / Getty Images",
            "Crowds gathered on Monday. (AP Photo)",
            "KXYZ News 4 © 2024 All rights reserved",
            "Station Group Inc. Copyright 2023",
            "This website uses cookies to improve your experience.",
            "Hello! We use cookies so the site works.",
            "KVIA is committed to providing a forum for civil talk.",
            "Read our community guidelines before posting",
        ] {
            assert!(is_boilerplate_line(line), "{line}");
        }
        for line in [
            "Photographers from Getty Images covered the march, the agency said on Tuesday.",
            "The bakery said its cookies are sold out until the weekend.",
        ] {
            assert!(!is_boilerplate_line(line), "{line}");
        }
    }

    /// An affiliate notice is boilerplate; a sentence about affiliate links in general, or
    /// one that does not speak for the site, is not.
    #[test]
    fn affiliate_disclosures_are_boilerplate() {
        for line in [
            "We independently review everything we recommend. When you buy through our links, we may earn a commission.",
            "This post may contain affiliate links. Read more about this in my About page!",
            "Purchases made through links earn us a small commission, at no extra cost to you.",
        ] {
            assert!(is_boilerplate_line(line), "{line}");
        }
        for line in [
            "To measure the outcomes of these partnerships, implement affiliate links and UTM tracking.",
            "Agents earn a commission on every policy they sell, the report found.",
        ] {
            assert!(!is_boilerplate_line(line), "{line}");
        }
    }

    #[test]
    fn text_slugs_are_told_from_box_ids() {
        assert!(is_text_slug("what-are-hr-shared-services"));
        assert!(is_text_slug("why-use-social-shopping"));
        assert!(!is_text_slug("social-share-buttons"));
        assert!(!is_text_slug("Related-Posts-Box-Wrap"));
    }

    #[test]
    fn article_sentences_are_not_boilerplate() {
        for line in [
            "Reuters was first to report the date that Blinken would visit Japan.",
            "The trip, which will take place from March 14-18, could determine if further overseas travel is deemed safe.",
            "Share prices fell sharply on Monday after the announcement, traders said.",
            "Subscribers to the service will pay more from March, the company said.",
            "Designers call such filler text lorem ipsum, after a garbled passage by Cicero.",
            "Contents of the report were leaked to reporters on Friday.",
            "Loading the trucks took the crews most of the night...",
        ] {
            assert!(!is_boilerplate_line(line), "{line}");
        }
    }

    #[test]
    fn topic_line_gives_section() {
        assert_eq!(
            topic_line("Article Topic Follows: National Politics").as_deref(),
            Some("National Politics")
        );
        assert_eq!(
            topic_line("Filed under: Weather").as_deref(),
            Some("Weather")
        );
        assert_eq!(
            topic_line("Filed under: Weather").as_deref(),
            Some("Weather")
        );
        assert_eq!(topic_line("National Politics"), None);
    }

    fn elem(html: &str) -> (bool, bool) {
        let doc = scraper::Html::parse_fragment(html);
        let e = doc
            .root_element()
            .children()
            .find_map(scraper::ElementRef::wrap)
            .unwrap();
        let (soft, pos) = classify(e.value().name(), e.value());
        (soft != Soft::No, pos)
    }

    #[test]
    fn class_words_classify() {
        assert!(elem(r#"<div class="share-bar">x</div>"#).0);
        assert!(elem(r#"<div class="related-stories">x</div>"#).0);
        assert!(elem(r#"<div id="comments">x</div>"#).0);
        assert!(elem(r#"<div class="ad-slot">x</div>"#).0);
        assert!(!elem(r#"<div class="article-body">x</div>"#).0);
        assert!(elem(r#"<div class="article-body">x</div>"#).1);
        assert!(!elem(r#"<div class="commentary">x</div>"#).0);
        assert!(!elem(r#"<div class="shadow loaded">x</div>"#).0);
        assert!(elem(r#"<nav>x</nav>"#).0);
        assert!(!elem(r#"<div class="social-embed">x</div>"#).0);
        assert!(elem(r#"<div class="PageImage-imageEmbedCaption">x</div>"#).0);
        assert!(!elem(r#"<div class="embedVideoCaption">x</div>"#).0);
        assert!(!elem(r#"<article class="post category-news tag-video">x</article>"#).0);
    }

    #[test]
    fn a_posts_taxonomy_classes_do_not_make_it_chrome() {
        // The post element of a blog lists what it is filed under beside its marks.
        let post =
            r#"<div class="post-12 post type-post hentry category-social tag-video">x</div>"#;
        assert!(!elem(post).0);
        let section = r#"<section class="single-post-view hentry tag-berlin">x</section>"#;
        assert!(!elem(section).0);
        // Without those marks the same words still name a box of the page.
        assert!(elem(r#"<div class="category-social">x</div>"#).0);
        // And the marks do not excuse a real chrome word.
        assert!(elem(r#"<div class="hentry sidebar">x</div>"#).0);
    }

    #[test]
    fn header_class_names_a_box_header_not_the_page_header() {
        // "card-header", "accordion-header": the top of a box inside the article.
        assert!(!elem(r#"<div class="accordion-header">x</div>"#).0);
        assert!(!elem(r#"<div class="card-header">x</div>"#).0);
        // The page's own header says so by tag or by stronger words.
        assert!(elem(r#"<div class="site-header">x</div>"#).0);
        assert!(elem(r#"<div class="masthead">x</div>"#).0);
        assert!(elem(r#"<header>x</header>"#).0);
    }

    #[test]
    fn heading_is_chrome_only_by_strong_words() {
        assert!(!elem(r#"<h3 class="et_pb_module_header">x</h3>"#).0);
        assert!(!elem(r#"<h2 class="product-title">x</h2>"#).0);
        assert!(elem(r#"<div class="product-title">x</div>"#).0);
        assert!(elem(r#"<h3 class="related-title">x</h3>"#).0);
    }

    #[test]
    fn collapsed_accordion_panel_is_not_chrome() {
        assert!(!elem(r#"<div role="region" style="display:none;">x</div>"#).0);
        assert!(!elem(r#"<div role="tabpanel" hidden>x</div>"#).0);
        assert!(elem(r#"<div style="display:none;">x</div>"#).0);
    }

    #[test]
    fn hidden_label_does_not_hide_the_field() {
        assert!(!elem(r#"<div class="field field--name-body field--label-hidden">x</div>"#).0);
        assert!(!elem(r#"<div class="field-label-hidden">x</div>"#).0);
        assert!(elem(r#"<div class="is-hidden">x</div>"#).0);
        assert!(elem(r#"<div class="field--label-hidden nav-footer">x</div>"#).0);
        assert!(!elem(r#"<div class="grid overflow-hidden transition-all">x</div>"#).0);
        assert!(!elem(r#"<div class="overflow-x-hidden">x</div>"#).0);
        assert!(!elem(r#"<div class="syndicate printMw0">x</div>"#).0);
        assert!(elem(r#"<div class="btn-print">x</div>"#).0);
        assert!(elem(r#"<div class="print-links">x</div>"#).0);
        assert!(!elem(r#"<div class="accordion-panel accordion-panel-hidden">x</div>"#).0);
    }
}
