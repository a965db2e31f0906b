//! The desk's HTML, as maud templates (compiled into the binary; every value is escaped unless
//! wrapped in `PreEscaped`, which only the re-sanitized story body and the fixed script are).
//! One stylesheet (`desk.css`, served at `/desk.css`), a few lines of script on the live wire
//! page; nothing is loaded from another site (story images are linked, not shown).

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, Utc};
use maud::{DOCTYPE, Markup, PreEscaped, html};

use super::diff::{Para, Word, diff};
use super::{CHART_DAYS, MAX_ROWS, REFRESH_SECS, WireView};
use crate::store::{AppearanceRow, FeedDay, FeedHealth, StoryDetail};

/// The desk's stylesheet.
pub(super) const CSS: &str = include_str!("desk.css");

/// The live wire page's script: on a change event, fetch this page again and swap its list
/// in (focus stays where it was unless it was inside the list).
const LIVE_JS: &str = r#"(function(){var t=document.getElementById('wire');if(!t||!window.EventSource)return;
var es=new EventSource('/events?after='+t.dataset.after),w=null,s=document.getElementById('live');
es.onmessage=function(){clearTimeout(w);w=setTimeout(function(){fetch(location.href,{credentials:'same-origin'}).then(function(r){return r.text()}).then(function(h){
var n=new DOMParser().parseFromString(h,'text/html').getElementById('wire');if(!n)return;t.replaceChild(n.tBodies[0],t.tBodies[0]);
s.textContent='Updated at '+new Date().toLocaleTimeString()+'.'})},300)};
s.textContent='Live: new stories appear here as they come in.'})();"#;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Nav {
    Wire,
    Feeds,
    Story,
    Login,
}

fn layout(title: &str, nav: Nav, head: Markup, body: Markup) -> Markup {
    let current = |n: Nav| (nav == n).then_some("page");
    html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) " · wiredesk" }
                link rel="stylesheet" href="/desk.css";
                (head)
            }
            body {
                a.skip href="#main" { "Skip to content" }
                header.top {
                    span.brand { "wiredesk" }
                    @if nav != Nav::Login {
                        nav aria-label="Desk" {
                            a href="/" aria-current=[current(Nav::Wire)] { "Wire" }
                            a href="/feeds" aria-current=[current(Nav::Feeds)] { "Feeds" }
                        }
                        form.logout method="post" action="/logout" {
                            button type="submit" { "Log out" }
                        }
                    }
                }
                main #main tabindex="-1" { (body) }
            }
        }
    }
}

/// `2026-11-27 12:00` (UTC) in a `<time>`, or the text as stored when it is not RFC 3339.
fn when(t: Option<&str>) -> Markup {
    match t {
        None => html! { span.none { "—" } },
        Some(t) => {
            let short = DateTime::parse_from_rfc3339(t)
                .map(|d| d.with_timezone(&Utc).format("%Y-%m-%d %H:%M").to_string())
                .unwrap_or_else(|_| t.to_owned());
            html! { time datetime=(t) title=(t) { (short) } }
        }
    }
}

fn is_future(t: Option<&str>, now: DateTime<Utc>) -> bool {
    t.and_then(|t| DateTime::parse_from_rfc3339(t).ok())
        .is_some_and(|t| t > now)
}

/// The state badges of a story: updated, corrected, withheld, canceled, embargoed.
fn badges(
    version: i64,
    corrected: bool,
    status: &str,
    embargoed_until: Option<&str>,
    now: DateTime<Utc>,
) -> Markup {
    html! {
        @if version > 1 {
            " " span.badge.updated title={ "version " (version) } { "updated" }
        }
        @if corrected {
            " " span.badge.corrected { "corrected" }
        }
        @if status == "withheld" {
            " " span.badge.withheld title="every page that ran it is gone" { "withheld" }
        }
        @if status == "canceled" {
            " " span.badge.canceled title="the wire killed it" { "canceled" }
        }
        @if is_future(embargoed_until, now) {
            " " span.badge.embargoed title={ "not before " (embargoed_until.unwrap_or_default()) } { "embargoed" }
        }
    }
}

/// The wire: filters, search, the list (live on its first page).
pub(super) fn wire(v: &WireView) -> Markup {
    let p = &v.params;
    let value = |name: &str| p.get(name).unwrap_or_default().to_owned();
    let status = value("status");
    let limit = p.limit().unwrap_or(super::DEFAULT_ROWS);
    let credits: BTreeSet<&str> = v.rows.iter().filter_map(|r| r.credit.as_deref()).collect();
    let sections: BTreeSet<&str> = v.rows.iter().filter_map(|r| r.section.as_deref()).collect();
    let filtered = ["q", "credit", "section", "status", "since", "until"]
        .iter()
        .any(|n| p.get(n).is_some());
    let head = html! {
        @if v.live_after.is_some() {
            noscript { meta http-equiv="refresh" content=(REFRESH_SECS); }
        }
    };
    let body = html! {
        h1 { "Wire" }
        form.filters method="get" action="/" role="search" {
            div.field.wide {
                label for="q" { "Search" }
                input #q type="search" name="q" value=(value("q"))
                    placeholder="words, \"a phrase\", AND / OR / NOT, prefix*"
                    aria-describedby="q-help";
                small #q-help { "Full text of headline and body, as the API's q=." }
            }
            div.field {
                label for="credit" { "Credit" }
                input #credit name="credit" list="credits" value=(value("credit"));
                datalist #credits { @for c in &credits { option value=(c); } }
            }
            div.field {
                label for="section" { "Section" }
                input #section name="section" list="sections" value=(value("section"));
                datalist #sections { @for s in &sections { option value=(s); } }
            }
            div.field {
                label for="status" { "Status" }
                select #status name="status" {
                    option value="" selected[status.is_empty()] { "any" }
                    @for s in ["usable", "withheld", "canceled"] {
                        option value=(s) selected[status == s] { (s) }
                    }
                }
            }
            div.field {
                label for="since" { "Since" }
                input #since name="since" value=(value("since")) placeholder="YYYY-MM-DD";
            }
            div.field {
                label for="until" { "Until" }
                input #until name="until" value=(value("until")) placeholder="YYYY-MM-DD";
            }
            div.field {
                label for="limit" { "Show" }
                select #limit name="limit" {
                    @for n in [50, 100, 500, MAX_ROWS] {
                        option value=(n) selected[limit == n] { (n) }
                    }
                }
            }
            div.actions {
                button type="submit" { "Filter" }
                @if filtered { " " a href="/" { "Clear" } }
            }
        }
        nav.quick aria-label="Time" {
            "Since: "
            @for (label, hours) in [("last hour", 1), ("6 hours", 6), ("24 hours", 24), ("7 days", 24 * 7)] {
                @let since = (v.now - chrono::Duration::hours(hours)).format("%Y-%m-%dT%H:%M:%SZ").to_string();
                a href=(p.with_since(&since).href(None)) { (label) } " "
            }
        }
        @if let Some(e) = &v.error {
            p.error role="alert" { (e) }
        }
        @if v.error.is_none() {
            p #live.status aria-live="polite" {
                @if v.live_after.is_some() { "Refreshes every " (REFRESH_SECS) " s." }
                @else { "Older stories." }
            }
            table #wire data-after=[v.live_after] {
                caption.visually-hidden { "Stories, newest first" }
                thead {
                    tr {
                        th scope="col" { "Headline" }
                        th scope="col" { "Credit" }
                        th scope="col" { "Section" }
                        th scope="col" { "First seen" }
                        th scope="col" { abbr title="Stations that ran it" { "Ran" } }
                    }
                }
                tbody {
                    @for r in &v.rows {
                        tr.(r.status) {
                            td.headline {
                                a href={ "/stories/" (r.id) } {
                                    (r.headline.as_deref().unwrap_or("(no headline)"))
                                }
                                (badges(r.version, r.corrected, &r.status, r.embargoed_until.as_deref(), v.now))
                            }
                            td { (r.credit.as_deref().unwrap_or("")) }
                            td { (r.section.as_deref().unwrap_or("")) }
                            td.time { (when(Some(&r.first_seen_at))) }
                            td.num { (r.appearances) }
                        }
                    }
                    @if v.rows.is_empty() {
                        tr { td.empty colspan="5" { "No stories match." } }
                    }
                }
            }
            @if let Some(older) = &v.older {
                p.pager { a href=(older) rel="next" { "Older stories →" } }
            }
            @if v.live_after.is_some() {
                script { (PreEscaped(LIVE_JS)) }
            }
        }
    };
    layout("Wire", Nav::Wire, head, body)
}

/// The story body's HTML, sanitized again for output: the ingest's allow-list without images
/// (a desk page loads nothing from other sites), links marked as leaving.
fn body_html(raw: &str) -> String {
    let tags: Vec<&str> = crate::extract::sanitize::BODY_TAGS
        .into_iter()
        .filter(|t| *t != "img")
        .collect();
    ammonia::Builder::empty()
        .add_tags(&tags)
        .add_tag_attributes("a", &["href"])
        .add_url_schemes(&["http", "https", "mailto"])
        .link_rel(Some("noopener noreferrer nofollow"))
        .clean(raw)
        .to_string()
}

/// One story: metadata, the body, every version with its diff, every appearance.
pub(super) fn story(s: &StoryDetail, now: DateTime<Utc>) -> Markup {
    let headline = s.headline.as_deref().unwrap_or("(no headline)");
    let corrected = s.versions.iter().any(|v| v.is_correction);
    let meta: Vec<(&str, Markup)> = [
        ("Credit", s.credit.as_deref().map(|c| html! { (c) })),
        ("Section", s.section.as_deref().map(|c| html! { (c) })),
        (
            "Byline",
            (!s.authors.is_empty()).then(|| html! { (s.authors.join(", ")) }),
        ),
        ("First site", s.site_name.as_deref().map(|c| html! { (c) })),
        ("Dateline", s.dateline.as_deref().map(|c| html! { (c) })),
        (
            "Published",
            s.published_at.as_deref().map(|t| when(Some(t))),
        ),
        ("Updated", s.updated_at.as_deref().map(|t| when(Some(t)))),
        ("First seen", Some(when(Some(&s.first_seen_at)))),
        ("Last seen", Some(when(Some(&s.last_seen_at)))),
        ("Status", Some(html! { (s.status) })),
        (
            "Embargoed until",
            s.embargoed_until.as_deref().map(|t| when(Some(t))),
        ),
        ("Version", Some(html! { (s.version) })),
        (
            "Canonical URL",
            s.canonical_url
                .as_deref()
                .map(|u| html! { a href=(u) rel="noopener noreferrer nofollow" { (u) } }),
        ),
        (
            "Topics",
            (!s.topics.is_empty()).then(|| html! { (s.topics.join(", ")) }),
        ),
        ("Language", s.language.as_deref().map(|c| html! { (c) })),
        (
            "Lead image",
            s.image
                .as_deref()
                .map(|u| html! { a href=(u) rel="noopener noreferrer nofollow" { "link" } }),
        ),
    ]
    .into_iter()
    .filter_map(|(k, v)| v.map(|v| (k, v)))
    .collect();
    let body = html! {
        p.crumbs { a href="/" { "← Wire" } }
        article.story {
            h1 { (headline) }
            p.badges { (badges(s.version, corrected, &s.status, s.embargoed_until.as_deref(), now)) }
            dl.meta {
                @for (k, v) in &meta { div { dt { (k) } dd { (v) } } }
            }
            @if let Some(d) = &s.description { p.standfirst { (d) } }
            section.body aria-labelledby="text-h" {
                h2 #text-h { "Text (version " (s.version) ")" }
                (PreEscaped(body_html(&s.body_html)))
            }
        }
        section #versions aria-labelledby="versions-h" {
            h2 #versions-h { "Versions (" (s.versions.len()) ")" }
            @for (i, v) in s.versions.iter().enumerate().rev() {
                details.version open[i + 1 == s.versions.len()] {
                    summary {
                        "Version " (v.version) " · seen " (when(Some(&v.seen_at)))
                        @if i > 0 { " · " (v.changes.describe()) }
                        @else { " · first text" }
                        @if v.is_correction { " " span.badge.corrected { "correction" } }
                    }
                    @if i == 0 {
                        p.note { "The text as first seen: " (crate::dedupe::fingerprint::split_paragraphs(&v.body_text).len()) " paragraphs." }
                    } @else {
                        (version_diff(&s.versions[i - 1], v))
                    }
                }
            }
        }
        section #appearances aria-labelledby="appearances-h" {
            h2 #appearances-h { "Appearances (" (s.appearances.len()) ")" }
            table {
                thead { tr {
                    th scope="col" { "Station" }
                    th scope="col" { "Page" }
                    th scope="col" { "First seen" }
                    th scope="col" { "Last seen" }
                    th scope="col" { "Withdrawn" }
                } }
                tbody {
                    @for a in &s.appearances {
                        tr.withdrawn[a.withdrawn_at.is_some()] {
                            td { (a.site.as_deref().unwrap_or(&a.feed)) (cut_badge(a)) br; small { "feed " (a.feed) } }
                            td.url { @if let Some(u) = &a.url { a href=(u) rel="noopener noreferrer nofollow" { (u) } } }
                            td.time { (when(Some(&a.seen_at))) }
                            td.time { (when(Some(&a.last_seen_at))) }
                            td.time { @if a.withdrawn_at.is_some() { (when(a.withdrawn_at.as_deref())) } @else { "no" } }
                        }
                    }
                }
            }
        }
    };
    layout(headline, Nav::Story, html! {}, body)
}

fn version_diff(old: &crate::store::VersionRow, new: &crate::store::VersionRow) -> Markup {
    let d = diff(
        (old.headline.as_deref(), &old.body_text),
        (new.headline.as_deref(), &new.body_text),
    );
    let (added, removed, changed) = d.counts();
    html! {
        div.diff {
            @if let Some((was, now)) = &d.headline {
                p.headline-change {
                    strong { "Headline: " }
                    del { (was.as_deref().unwrap_or("(none)")) }
                    " → "
                    ins { (now.as_deref().unwrap_or("(none)")) }
                }
            }
            p.legend {
                span.added { (added) " added" } " · "
                span.removed { (removed) " removed" } " · "
                span.changed { (changed) " changed" }
                " against version " (old.version) "."
            }
            @for p in &d.paragraphs {
                @match p {
                    Para::Same(t) => p.same { (t) },
                    Para::Added(t) => p.added { span.visually-hidden { "Added: " } ins { (t) } },
                    Para::Removed(t) => p.removed { span.visually-hidden { "Removed: " } del { (t) } },
                    Para::Changed(words) => p.changed {
                        span.visually-hidden { "Changed: " }
                        @for (k, w) in words.iter().enumerate() {
                            @if k > 0 { " " }
                            @match w {
                                Word::Same(t) => (t),
                                Word::Added(t) => ins { (t) },
                                Word::Removed(t) => del { (t) },
                            }
                        }
                    },
                }
            }
        }
    }
}

/// A small bar chart of items per day (oldest left), with each day's count as its title.
fn chart(days: &[(String, i64)]) -> Markup {
    const BAR: usize = 7;
    const HEIGHT: i64 = 24;
    let max = days.iter().map(|d| d.1).max().unwrap_or(0).max(1);
    let total: i64 = days.iter().map(|d| d.1).sum();
    let width = days.len() * BAR;
    let label = format!("{total} items in {} days", days.len());
    html! {
        svg.chart width=(width) height=(HEIGHT)
            viewBox={ "0 0 " (width) " " (HEIGHT) } role="img" aria-label=(label) {
            @for (i, (day, n)) in days.iter().enumerate() {
                @let h = if *n == 0 { 1 } else { (n * (HEIGHT - 2) / max).max(2) };
                rect x=(i * BAR) y=(HEIGHT - h) width=(BAR - 1) height=(h) class=[(*n == 0).then_some("zero")] {
                    title { (day) ": " (n) }
                }
            }
        }
    }
}

/// The host of a URL, for grouping feeds.
fn host(url: &str) -> String {
    url::Url::parse(url)
        .ok()
        .and_then(|u| u.host_str().map(str::to_owned))
        .unwrap_or_else(|| url.to_owned())
}

/// Feed health: state, polls, errors, next poll, items per day; hosts being backed off.
pub(super) fn feeds(health: &[FeedHealth], days: &[FeedDay], now: DateTime<Utc>) -> Markup {
    let day_list: Vec<String> = (0..CHART_DAYS)
        .rev()
        .map(|back| {
            (now - chrono::Duration::days(i64::from(back)))
                .format("%Y-%m-%d")
                .to_string()
        })
        .collect();
    let mut counts: BTreeMap<(&str, &str), i64> = BTreeMap::new();
    for d in days {
        counts.insert((d.feed.as_str(), d.day.as_str()), d.items);
    }
    let series = |feed: &str| -> Vec<(String, i64)> {
        day_list
            .iter()
            .map(|d| {
                (
                    d.clone(),
                    counts.get(&(feed, d.as_str())).copied().unwrap_or(0),
                )
            })
            .collect()
    };
    let failing = health.iter().filter(|f| f.consecutive_errors > 0).count();
    // Hosts with a feed in an error streak: each such feed's next poll is put off.
    let mut hosts: BTreeMap<String, Vec<&FeedHealth>> = BTreeMap::new();
    for f in health.iter().filter(|f| f.consecutive_errors > 0) {
        hosts
            .entry(host(f.moved_to.as_deref().unwrap_or(&f.url)))
            .or_default()
            .push(f);
    }
    let body = html! {
        h1 { "Feeds" }
        p.status { (health.len()) " feeds, " (failing) " failing. Times are UTC." }
        table #feeds {
            thead { tr {
                th scope="col" { "Feed" }
                th scope="col" { "State" }
                th scope="col" { "Last poll" }
                th scope="col" { "Last success" }
                th scope="col" { abbr title="Failed polls in a row" { "Errors" } }
                th scope="col" { "Last error" }
                th scope="col" { "Next poll" }
                th scope="col" { "Items, " (CHART_DAYS) " days" }
                th scope="col" { "24 h" }
            } }
            tbody {
                @for f in health {
                    tr.failing[f.consecutive_errors > 0] {
                        td { strong { (f.name) } br; small.url { (f.url) } }
                        td {
                            @if f.gone_at.is_some() { span.badge.canceled { "gone" } }
                            @else if f.consecutive_errors > 0 { span.badge.withheld { "failing" } }
                            @else if f.last_polled_at.is_none() { span.badge { "not polled" } }
                            @else { span.badge.ok { "ok" } }
                            @if let Some(m) = &f.moved_to { " " span.badge.updated title={ "now polled at " (m) } { "moved" } }
                        }
                        td.time { (when(f.last_polled_at.as_deref())) }
                        td.time { (when(f.last_success_at.as_deref())) }
                        td.num { (f.consecutive_errors) }
                        td.error-text { (f.last_error.as_deref().unwrap_or("")) }
                        td.time { (when(f.next_poll_at.as_deref())) }
                        td { (chart(&series(&f.name))) }
                        td.num { (f.items_24h) }
                    }
                }
                @if health.is_empty() {
                    tr { td.empty colspan="9" { "No feeds have been polled into this store yet." } }
                }
            }
        }
        section #backoff aria-labelledby="backoff-h" {
            h2 #backoff-h { "Hosts backed off" }
            p.note {
                "Hosts with a feed in an error streak: each failure doubles that feed's interval "
                "(up to 6 h), so its next poll is put off. The daemon's short per-host pauses "
                "(a 429 or 503 with Retry-After) live in its memory and are not shown here."
            }
            @if hosts.is_empty() {
                p { "None: every feed's last poll succeeded." }
            } @else {
                ul {
                    @for (h, fs) in &hosts {
                        @let next = fs.iter().filter_map(|f| f.next_poll_at.as_deref()).max();
                        li {
                            strong { (h) } ": "
                            (fs.iter().map(|f| format!("{} ({} in a row)", f.name, f.consecutive_errors)).collect::<Vec<_>>().join(", "))
                            "; next poll " (when(next))
                        }
                    }
                }
            }
        }
    };
    layout("Feeds", Nav::Feeds, html! {}, body)
}

/// The login form; `message` says why a token was refused.
pub(super) fn login(message: Option<&str>, next: &str) -> Markup {
    let body = html! {
        h1 { "Log in" }
        p { "Enter a read token (made with " code { "wiredesk tokens create NAME" } ")." }
        @if let Some(m) = message { p.error role="alert" { (m) } }
        form.login method="post" action="/login" {
            input type="hidden" name="next" value=(next);
            label for="token" { "Token" }
            input #token type="password" name="token" autocomplete="current-password" required autofocus;
            button type="submit" { "Log in" }
        }
    };
    layout("Log in", Nav::Login, html! {}, body)
}

/// An error page: the status and what went wrong.
pub(super) fn error(status: axum::http::StatusCode, message: &str) -> Markup {
    let title = status.canonical_reason().unwrap_or("Error");
    let body = html! {
        h1 { (title) }
        p.error role="alert" { (message) }
        p { a href="/" { "Back to the wire" } }
    };
    layout(title, Nav::Story, html! {}, body)
}

/// A "cut" badge for an appearance whose text is a shorter cut of a fuller text of the story
/// published no later (it made no version).
fn cut_badge(a: &AppearanceRow) -> Markup {
    html! {
        @if a.is_cut {
            " " span.badge.cut title="a shorter cut of the story, published with or after a fuller text: no version of its own" { "cut" }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::WireRow;

    fn now() -> DateTime<Utc> {
        DateTime::parse_from_rfc3339("2026-11-27T12:00:00Z")
            .unwrap()
            .with_timezone(&Utc)
    }

    fn row(id: i64, status: &str) -> WireRow {
        WireRow {
            id,
            headline: Some(format!("Story <{id}> & \"more\"")),
            credit: Some("CNN Newsource".into()),
            section: Some("Politics".into()),
            first_seen_at: "2026-11-27T11:00:00Z".into(),
            version: 1,
            status: status.into(),
            embargoed_until: None,
            appearances: 3,
            corrected: false,
        }
    }

    fn view(rows: Vec<WireRow>) -> WireView {
        WireView {
            params: super::super::WireParams::default(),
            rows,
            older: None,
            error: None,
            live_after: Some(7),
            now: now(),
        }
    }

    #[test]
    fn wire_rows_carry_each_badge_and_escape_headlines() {
        let mut updated = row(1, "usable");
        updated.version = 3;
        updated.corrected = true;
        let mut embargoed = row(4, "usable");
        embargoed.embargoed_until = Some("2026-11-27T13:00:00Z".into());
        let mut lifted = row(5, "usable");
        lifted.embargoed_until = Some("2026-11-27T11:30:00Z".into());
        let html = wire(&view(vec![
            updated,
            row(2, "withheld"),
            row(3, "canceled"),
            embargoed,
            lifted,
        ]))
        .into_string();
        for badge in ["updated", "corrected", "withheld", "canceled", "embargoed"] {
            assert_eq!(
                html.matches(&format!(">{badge}</span>")).count(),
                1,
                "{badge}"
            );
        }
        assert!(html.contains("Story &lt;1&gt; &amp; &quot;more&quot;"));
        assert!(!html.contains("<1>"));
        assert!(html.contains("data-after=\"7\""), "a live page");
        assert!(html.contains("<noscript><meta http-equiv=\"refresh\""));
    }

    #[test]
    fn an_older_page_is_not_live() {
        let mut v = view(vec![row(1, "usable")]);
        v.live_after = None;
        let html = wire(&v).into_string();
        assert!(!html.contains("EventSource") && !html.contains("http-equiv"));
    }

    #[test]
    fn story_bodies_are_sanitized_again_without_images_or_scripts() {
        let clean = body_html(
            "<p onclick=\"x()\">Text <a href=\"javascript:alert(1)\">bad</a> \
             <a href=\"https://kvia.com/a\">good</a></p><script>alert(1)</script>\
             <figure><img src=\"https://kvia.com/i.jpg\"><figcaption>Cap</figcaption></figure>",
        );
        assert!(
            !clean.contains("script") && !clean.contains("onclick"),
            "{clean}"
        );
        assert!(
            !clean.contains("<img") && !clean.contains("javascript:"),
            "{clean}"
        );
        assert!(clean.contains("href=\"https://kvia.com/a\""), "{clean}");
        assert!(clean.contains("<figcaption>Cap</figcaption>"), "{clean}");
    }

    #[test]
    fn a_cut_appearance_is_marked_and_others_are_not() {
        let mut a = AppearanceRow {
            id: 1,
            url: Some("https://kvia.com/a".into()),
            url_key: None,
            feed: "kvia".into(),
            guid: None,
            site: Some("KVIA".into()),
            seen_at: "2026-11-14T10:00:00Z".into(),
            last_seen_at: "2026-11-14T10:00:00Z".into(),
            withdrawn_at: None,
            is_cut: false,
        };
        assert_eq!(cut_badge(&a).into_string(), "");
        a.is_cut = true;
        assert!(cut_badge(&a).into_string().contains("badge cut"));
    }

    #[test]
    fn the_chart_has_a_bar_per_day_scaled_to_the_busiest() {
        let days: Vec<(String, i64)> = (1..=14)
            .map(|d| (format!("2026-11-{d:02}"), if d == 14 { 10 } else { d % 2 }))
            .collect();
        let svg = chart(&days).into_string();
        assert_eq!(svg.matches("<rect").count(), 14);
        assert!(svg.contains("aria-label=\"17 items in 14 days\""), "{svg}");
        assert!(
            svg.contains("height=\"22\""),
            "the busiest day fills the chart: {svg}"
        );
        assert!(svg.contains("<title>2026-11-14: 10</title>"));
    }
}
