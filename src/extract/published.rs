//! Which date published the page: the candidates the page offers, by the evidence behind
//! each. Declared ones first (JSON-LD `datePublished`, the many publish-date meta names,
//! `<time>`/`itemprop`), then the URL path, the date a paragraph opens with, date-like
//! elements and visible text near the headline, in the languages of the pages ([`dates`]
//! reads them all). The date the page shows beside its headline is the date as presented,
//! with the metadata lending it its time of day; a date labelled "Updated"/"Aktualisiert"/
//! "Stand" stands only where the page declares no first publication, and the last edit is
//! the publication only when nothing else dates the page.

use chrono::{DateTime, FixedOffset};
use url::Url;

use super::{body, dates, dom, metadata};

/// The page's publication and last modification, as written (the offset kept).
pub(super) fn dates(
    w: &dom::Walk<'_>,
    src: &metadata::Sources,
    base: Option<&Url>,
    headline: Option<&str>,
    authors: &[String],
    paras: &[body::Para],
) -> (Option<DateTime<FixedOffset>>, Option<DateTime<FixedOffset>>) {
    let og_published = src
        .meta(&["article:published_time", "og:article:published_time"])
        .as_deref()
        .and_then(dates::parse);
    let declared = src
        .ld
        .published
        .as_deref()
        .and_then(dates::parse)
        // JSON-LD and the social card's time declaring one publication whole hours apart
        // (same minute and second): one of them wrote the local clock time with the UTC
        // designator. The card's time is the one sharing shows, and it is kept.
        .map(|ld| match og_published {
            Some(og) if whole_hours_apart(ld, og) => og,
            _ => ld,
        })
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
                "dc:date",
                "dc.date.created",
                "bepress_citation_date",
                "bepress_citation_online_date",
                "citation_online_date",
                "prism.publicationdate",
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
        // Site-specific names for the same thing: "published", "post-published-date",
        // "og:publish_date" (never the publisher, nor a modification). Of several, the
        // earliest: a later one stamps a republication or the page's rendering.
        .or_else(|| {
            src.meta
                .iter()
                .filter(|(k, _)| {
                    k.contains("publish")
                        && !["publisher", "modif", "updat"]
                            .iter()
                            .any(|x| k.contains(x))
                })
                .filter_map(|(_, v)| dates::parse(v))
                .min()
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
        .or_else(|| {
            // The first paragraph or the second: after a byline line or a standfirst.
            paras
                .iter()
                .take(2)
                .find_map(|p| dates::opening_date(&p.text))
        })
        .or_else(|| src.date_texts.iter().find_map(|t| dates::parse_text(t)));
    // Below the declared sources: a date the text under the headline mentions.
    let mentioned = visible_date(w, headline, &src.modified_stamps);
    let meta_published = declared
        .or(mentioned)
        .or_else(|| byline_date(w, authors))
        .or_else(|| labelled_date_anywhere(w, dates::Label::Published));
    let meta_modified = src
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
    // The date the page shows beside the headline is the article's date as presented; the
    // metadata date of the same local day lends it its time of day.
    // A numeric date such as 09.10.2024 reads either way round; when the metadata or the URL
    // holds the other reading, that settles it.
    let url_date = base.and_then(|u| dates::from_url(u.path()));
    let same_day = |shown: chrono::DateTime<chrono::FixedOffset>| {
        use chrono::Datelike as _;
        let day = shown.date_naive();
        let swapped = chrono::NaiveDate::from_ymd_opt(day.year(), day.day(), day.month());
        let known = [meta_published, meta_modified, url_date];
        // A <time> element showing this day whose datetime is the very instant of the
        // metadata's publication, written in another zone: one moment, and the metadata's
        // wording of it is the declared one, unless the URL files the story under the
        // shown day: then the site itself keeps its local day.
        let filed_local = url_date.is_some_and(|u| u.date_naive() == day);
        let same_instant = meta_published.filter(|_| !filed_local).filter(|p| {
            src.time_texts.iter().any(|(text, machine)| {
                dates::parse_text(text).is_some_and(|d| d.date_naive() == day)
                    && dates::parse(machine).is_some_and(|m| m == *p && m.offset() != p.offset())
            })
        });
        // A shown clock time without a zone that is the metadata's instant in another zone
        // (whole hours apart, same minute and second): one moment, declared by the metadata.
        let same_clock = meta_published.filter(|p| {
            let apart = p.naive_local() - shown.naive_local();
            !filled_by_midnight(shown)
                && apart.num_seconds() % 3600 == 0
                && apart.num_hours() != 0
                && apart.num_hours().abs() <= 14
                && !filed_local
        });
        same_instant
            .or(same_clock)
            .or_else(|| known.into_iter().flatten().find(|d| d.date_naive() == day))
            .or_else(|| {
                known
                    .into_iter()
                    .flatten()
                    .find(|d| Some(d.date_naive()) == swapped)
            })
            // Shown by a <time> element whose datetime names another date: the machine value
            // is authoritative over the display text a template formats. A day apart is only
            // the display's local time zone, and the local day stands.
            .or_else(|| {
                src.time_texts.iter().find_map(|(text, machine)| {
                    dates::parse_text(text)
                        .filter(|d| d.date_naive() == day)
                        .and_then(|_| dates::parse(machine))
                        .filter(|m| (m.date_naive() - day).num_days().abs() > 1)
                })
            })
            .or(Some(shown))
    };
    // A shown date after the datePublished that the page labels "Updated", or that falls on
    // the day of `dateModified`, is a refresh. The page presents its refresh as its date, and
    // that stands, unless the page declares its first publication for sharing too
    // (`article:published_time`, which social cards show): two declarations of the original
    // date outweigh one shown edit. An "Updated" date before datePublished is no refresh.
    let refresh = |shown: chrono::DateTime<chrono::FixedOffset>, labelled_updated: bool| {
        let day = shown.date_naive();
        meta_published.is_some_and(|p| p.date_naive() < day)
            && (labelled_updated || meta_modified.is_some_and(|m| m.date_naive() == day))
    };
    let declares_first_publication = og_published.is_some();
    let refreshed = |shown| {
        if declares_first_publication {
            meta_published
        } else {
            same_day(shown)
        }
    };
    let published_at = match shown_date(w, headline, &src.modified_stamps) {
        Some(Shown::Published(shown)) if refresh(shown, false) => refreshed(shown),
        Some(Shown::Updated(shown)) if refresh(shown, true) => refreshed(shown),
        Some(Shown::Published(shown)) => same_day(shown),
        Some(Shown::Updated(shown)) if meta_published.is_none() => same_day(shown),
        // A datePublished at the very instant of dateModified is a save stamp (the page
        // rendered or re-saved), not a publication: a "Published …" line the page prints
        // anywhere outranks it.
        None if meta_published.is_some() && meta_published == meta_modified => {
            labelled_date_anywhere(w, dates::Label::Published).or(meta_published)
        }
        // Nothing declared, nothing beside the headline, and the one date is one the text
        // mentions (a licence's version, the next meeting): the page's own "last changed"
        // line, when later, is the nearer date to its publication.
        None if declared.is_none() && meta_modified.is_none() && meta_published == mentioned => {
            labelled_date_anywhere(w, dates::Label::Updated)
                .filter(|u| meta_published.is_some_and(|m| u.date_naive() > m.date_naive()))
                .or(meta_published)
        }
        _ => meta_published,
    }
    // Nothing dates the publication: the last edit the page prints, else the one it
    // declares, is the nearest date to it there is.
    .or_else(|| labelled_date_anywhere(w, dates::Label::Updated))
    .or(meta_modified);
    (published_at, meta_modified)
}

/// The block where the article's own h1 starts (a logo or a promo may come first): the h1
/// holding the headline, else an h1 the headline holds (the title adds the site's name or
/// section), else a heading block reading as the headline (a page without an h1), else the
/// first h1 outside page chrome, else the first.
fn headline_block(w: &dom::Walk<'_>, headline: Option<&str>) -> Option<usize> {
    let fold = |s: &str| {
        s.split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .to_lowercase()
    };
    let headline = headline.map(fold).filter(|h| !h.is_empty());
    let first_block_of = |el: usize| {
        w.blocks
            .iter()
            .position(|b| b.owner != usize::MAX && b.owner >= el)
    };
    let h1_text = |i: usize| fold(&dom::node_text(w.els[i].node));
    let holds_headline = |t: &str| headline.as_ref().is_some_and(|h| t.contains(h.as_str()));
    let held_by_headline =
        |t: &str| t.chars().count() >= 15 && headline.as_ref().is_some_and(|h| h.contains(t));
    w.h1s
        .iter()
        .copied()
        .find(|&i| holds_headline(&h1_text(i)))
        .or_else(|| {
            w.h1s
                .iter()
                .copied()
                .find(|&i| held_by_headline(&h1_text(i)))
        })
        .and_then(first_block_of)
        .or_else(|| {
            w.blocks
                .iter()
                .position(|b| b.chars < 300 && headline.as_deref() == Some(fold(&b.text).as_str()))
        })
        .or_else(|| {
            let h1 = w.h1s.iter().copied().find(|&i| !w.els[i].chrome);
            h1.or_else(|| w.h1s.first().copied())
                .and_then(first_block_of)
        })
}

/// The date the page shows its readers beside the headline: in the short blocks just before
/// and after the first `h1`, up to the first long paragraph. A date labelled as the
/// publication date wins; else the first one shown, even when labelled "Updated" (it is
/// the date the page presents). `None` when the page shows no date there.
///
/// A `dateModified` element's machine stamp (`stamps`) is markup data, not a date shown to
/// readers, and is read past.
fn shown_date(w: &dom::Walk<'_>, headline: Option<&str>, stamps: &[String]) -> Option<Shown> {
    let at = headline_block(w, headline)?;
    let mut first = None;
    let mut updated = None;
    // Above the headline, a list of latest posts (list items, links) is not the article's date.
    let before = w.blocks[at.saturating_sub(SHOWN_DATE_BEFORE)..at]
        .iter()
        .filter(|b| b.list.is_none() && b.link_chars * 2 < b.chars);
    // The article text starts at the first long block; a long headline block (a kicker or
    // deck inside the h1) or one standfirst paragraph under it does not end the header yet,
    // though past a standfirst only a dateline-short block counts (not a sentence of text).
    let mut long = 0;
    let series = dated_series(w, at);
    let after = w.blocks[at..]
        .iter()
        .take(SHOWN_DATE_AFTER)
        .enumerate()
        .map(move |(i, b)| {
            if i > 0 && b.chars >= 200 {
                long += 1;
            }
            (long, i, b)
        })
        .take_while(|&(long, _, _)| long <= 1)
        .filter(|&(long, i, b)| {
            (long == 0 || b.chars < 80)
                && !series.contains(&(at + i))
                && !after_membership_label(w, at + i)
        })
        .map(|(_, _, b)| b);
    for b in after.chain(before.rev()).filter(|b| b.chars < 150) {
        let text = without_stamps(&b.text, stamps);
        for (label, d) in dates::labelled(&text) {
            match label {
                Some(dates::Label::Published) => return Some(Shown::Published(d)),
                Some(dates::Label::Updated) => {
                    updated.get_or_insert(d);
                }
                // A date inside a sentence (a standfirst recalling an event, a notice of
                // the next meeting) is something the article mentions, not its dateline.
                None if !dates::in_prose(&text) => {
                    first.get_or_insert(d);
                }
                None => {}
            }
        }
    }
    first.map(Shown::Published).or(updated.map(Shown::Updated))
}

/// The blocks after the headline (index `at`) that belong to a series of dated entries: three
/// or more alike blocks (items of one list, or blocks of one tag at one depth with the same
/// link-ness) holding unlabelled dates, at least two of them different. Such a run is a
/// list of other posts, teasers or a change log, and none of its dates is the article's.
fn dated_series(w: &dom::Walk<'_>, at: usize) -> Vec<usize> {
    let depth = |mut el: usize| {
        let mut d = 0;
        while el < w.els.len() {
            el = w.els[el].parent;
            d += 1;
        }
        d
    };
    // (shape, tag, block index, day) of each block opening with an unlabelled date.
    let mut dated = Vec::new();
    for (i, b) in w
        .blocks
        .iter()
        .enumerate()
        .skip(at)
        .take(SHOWN_DATE_AFTER * 2)
    {
        if b.chars >= 150 || b.owner == usize::MAX {
            continue;
        }
        let Some((None, d)) = dates::labelled(&b.text).into_iter().next() else {
            continue;
        };
        let shape = match b.list {
            Some(list) => (list, 0, false, false),
            None => (usize::MAX, depth(b.owner), b.chrome, b.link_chars > 0),
        };
        dated.push((shape, b.tag, i, d.date_naive()));
    }
    let mut out = Vec::new();
    for &(shape, tag, i, _) in &dated {
        let alike: Vec<_> = dated
            .iter()
            .filter(|(s, t, _, _)| *s == shape && *t == tag)
            .collect();
        let first_day = alike[0].3;
        if alike.len() >= 3 && alike.iter().any(|a| a.3 != first_day) {
            out.push(i);
        }
    }
    out
}

/// A block's text without the page's `dateModified` machine stamps (inline elements, they
/// share a block with what the reader sees).
fn without_stamps<'t>(text: &'t str, stamps: &[String]) -> std::borrow::Cow<'t, str> {
    let mut text = std::borrow::Cow::Borrowed(text);
    for s in stamps.iter().map(|s| s.trim()).filter(|s| !s.is_empty()) {
        if text.contains(s) {
            text = std::borrow::Cow::Owned(text.replace(s, " "));
        }
    }
    text
}

/// Whether block `i` follows a short block naming a member's sign-up ("Joined", then the date
/// in the next cell of a forum's profile box): its date is the member's, not the page's.
fn after_membership_label(w: &dom::Walk<'_>, i: usize) -> bool {
    i > 0 && w.blocks[i - 1].chars < 30 && dates::is_membership(&w.blocks[i - 1].text)
}

/// A date shown beside the headline, as the page labels it.
#[derive(Clone, Copy)]
enum Shown {
    /// Labelled as the publication date, or not labelled at all.
    Published(chrono::DateTime<chrono::FixedOffset>),
    /// Labelled "Updated" / "Last modified".
    Updated(chrono::DateTime<chrono::FixedOffset>),
}

/// How many blocks before the headline a shown date may sit (a "Last updated" line above it).
const SHOWN_DATE_BEFORE: usize = 6;
/// How many blocks after the headline (deck, byline, share buttons, date line).
const SHOWN_DATE_AFTER: usize = 25;

/// A date printed near the top of the article: the first short block after the article's
/// `h1` (or from the top) that holds a date, not a member's sign-up date.
fn visible_date(
    w: &dom::Walk<'_>,
    headline: Option<&str>,
    stamps: &[String],
) -> Option<chrono::DateTime<chrono::FixedOffset>> {
    let start = headline_block(w, headline).unwrap_or(0);
    (start..w.blocks.len())
        .take(60)
        .filter(|&i| w.blocks[i].chars < 150 && !after_membership_label(w, i))
        .find_map(|i| dates::parse_text(&without_stamps(&w.blocks[i].text, stamps)))
}

/// A date printed beside the byline ("Written by Ana Ruiz · April 8, 2024"), wherever the
/// byline sits: in the byline's own block or a short block right after it (or just before).
/// Not one labelled "Updated".
fn byline_date(
    w: &dom::Walk<'_>,
    authors: &[String],
) -> Option<chrono::DateTime<chrono::FixedOffset>> {
    let names: Vec<String> = authors
        .iter()
        .map(|a| a.to_lowercase())
        .filter(|a| a.len() > 3)
        .collect();
    if names.is_empty() {
        return None;
    }
    let short_date = |b: &dom::Block| {
        if b.chars >= 80 || b.list.is_some() {
            return None;
        }
        dates::labelled(&b.text)
            .into_iter()
            .find_map(|(label, d)| (label != Some(dates::Label::Updated)).then_some(d))
    };
    w.blocks.iter().enumerate().find_map(|(i, b)| {
        if b.chars >= 150 {
            return None;
        }
        let text = b.text.to_lowercase();
        if !names.iter().any(|n| text.contains(n.as_str())) {
            return None;
        }
        let near = w.blocks[i..].iter().take(3).chain(w.blocks[..i].last());
        near.into_iter().find_map(short_date)
    })
}

/// A date the page labels as its publication ("Posted on April 13, 2023"), or with
/// [`dates::Label::Updated`] as its last edit ("Last updated …"), in a short block anywhere on the
/// page (not a list of other posts): the last resort of a page whose header and metadata
/// carry no date.
fn labelled_date_anywhere(
    w: &dom::Walk<'_>,
    published: dates::Label,
) -> Option<chrono::DateTime<chrono::FixedOffset>> {
    w.blocks
        .iter()
        .filter(|b| b.chars < LABELLED_BLOCK && b.list.is_none() && b.link_chars * 2 < b.chars)
        .flat_map(|b| {
            if b.chars < 80 {
                dates::labelled(&b.text)
            } else {
                dates::labelled_near(&b.text)
            }
        })
        .find_map(|(label, d)| (label == Some(published)).then_some(d))
}

/// The longest block a labelled date is looked for in: a footer line or a post's meta
/// paragraph ("This entry was posted on … and filed under …"), not running text.
const LABELLED_BLOCK: usize = 300;

/// Whether two instants are a whole number of hours apart (1 to 14, a zone's width): the
/// same clock reading written with two different offsets.
fn whole_hours_apart(a: DateTime<FixedOffset>, b: DateTime<FixedOffset>) -> bool {
    let apart = (a - b).num_seconds().abs();
    apart != 0 && apart % 3600 == 0 && apart <= 14 * 3600
}

/// Whether a date carries no time of day (read as midnight): only a day was written.
fn filled_by_midnight(d: chrono::DateTime<chrono::FixedOffset>) -> bool {
    use chrono::Timelike as _;
    d.hour() == 0 && d.minute() == 0 && d.second() == 0
}
