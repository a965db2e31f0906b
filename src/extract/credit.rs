//! Bylines in, person authors and the wire credit out: "By Jane Doe and John Roe, CNN" gives
//! two authors and the credit "CNN"; "(AP)" and "Associated Press" give "The Associated
//! Press"; an author box that names only "CNN Newsource" gives a credit and no author. Also
//! finds the dateline that opens wire copy ("WASHINGTON (AP) —").

use std::sync::LazyLock;

use regex::{Regex, RegexSet};

use super::text::{collapse, key};

/// Known wires: (pattern, the credit as we print it); the first that matches names the wire.
const WIRE_PATTERNS: [(&str, &str); 12] = [
    (r"(?i)\bcnn\s+newsource\b", "CNN Newsource"),
    (r"(?i)\bcnn\s+wire\b", "CNN Newsource"),
    (
        r"(?i)\b(the\s+)?associated\s+press\b|\(ap\)|^ap$",
        "The Associated Press",
    ),
    (r"(?i)\breuters\b", "Reuters"),
    (r"(?i)\bagence\s+france[-\s]presse\b|\(afp\)|^afp$", "AFP"),
    (
        r"(?i)\bunited\s+press\s+international\b|\(upi\)|^upi$",
        "UPI",
    ),
    (r"(?i)^bloomberg(\s+news)?$", "Bloomberg"),
    (r"(?i)^cnn$|\(cnn\)", "CNN"),
    (r"(?i)\bgray\s+(news|media)\b", "Gray News"),
    (r"(?i)\bkff\s+health\s+news\b", "KFF Health News"),
    (r"(?i)\bstates\s+newsroom\b", "States Newsroom"),
    (
        r"(?i)\btribune\s+(news|content)\s+(service|agency)\b",
        "Tribune News Service",
    ),
];

/// [`WIRE_PATTERNS`] as one set, and again with ASCII word boundaries: the two agree on ASCII
/// text, and only the ASCII form runs in the fast automaton (a Unicode `\b` sends every
/// line with a curly quote or a dash to the slow engine).
static WIRES: [LazyLock<RegexSet>; 2] = [
    LazyLock::new(|| wire_set(true)),
    LazyLock::new(|| wire_set(false)),
];

/// Each form of [`WIRES`] is built on first use: a page whose lines are all ASCII (or none
/// is) never builds the other (about 8 M instructions at start-up).
fn wire_set(ascii: bool) -> RegexSet {
    RegexSet::new(WIRE_PATTERNS.iter().map(|(p, _)| {
        if ascii {
            p.replace(r"\b", r"(?-u:\b)")
        } else {
            p.to_string()
        }
    }))
    .expect("valid regexes")
}

/// The wire named in a byline, credit line or dateline, as we print it.
pub fn wire(text: &str) -> Option<&'static str> {
    let t = text.trim();
    if t.is_empty() || t.len() > 300 {
        return None;
    }
    // A word every pattern needs: most lines name no wire, and one literal search (Unicode
    // case folding included) settles that.
    static ANY_WIRE: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(
            r"(?i)cnn|associated|\(ap\)|reuters|agence|afp|united|upi|bloomberg|gray|kff|newsroom|tribune",
        )
        .expect("valid regex")
    });
    if !t.eq_ignore_ascii_case("ap") && !ANY_WIRE.is_match(t) {
        return None;
    }
    let set = &WIRES[usize::from(!t.is_ascii())];
    set.matches(t).iter().next().map(|i| WIRE_PATTERNS[i].1)
}

static ORG_WORDS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?ix)\b(staff|news|newsroom|press|team|desk|editors|editorial|editor|media|inc|llc|ltd|agency|wire|service|
        services|reports?|associated|channel|tv|radio|network|group|magazine|times|journal|daily|herald|tribune|gazette|
        online|digital|studio|studios|partners?|company|corp|foundation|institute|university|council|department|
        association|society|admin|administrator|webmaster|contributors?|guest|sponsored|content|newsdesk|bureau|
        writers|reporters|correspondents|com|org|net|publishing|publications?|official|brand|marketing|blog|edition)\b",
    )
    .expect("valid regex")
});

/// Whether a credited name is an organisation rather than a person.
pub fn is_organisation(name: &str) -> bool {
    let t = name.trim();
    if wire(t).is_some() {
        return true;
    }
    let words: Vec<&str> = t.split_whitespace().collect();
    // Call letters ("KVIA", "WSB-TV") and other all-capital short names.
    if words.len() == 1
        && t.len() >= 3
        && t.chars()
            .all(|c| c.is_ascii_uppercase() || c == '-' || c.is_ascii_digit())
    {
        return true;
    }
    if t.contains('.') && !t.contains(' ') && t.len() > 4 {
        return true;
    }
    ORG_WORDS.is_match(&t.replace('\n', " "))
}

static BY_PREFIX: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^\s*(?:(?:written|posted|reported|compiled|story|words|text|authored|article|recipe|post)\s+(?:and\s+\w+\s+)?by|(?:eingestellt|verfasst|geschrieben|veröffentlicht|erstellt|gepostet)\s+von|(?:publié|écrit|rédigé)\s+par|(?:escrito|publicado)\s+por|(?:scritto|pubblicato)\s+da|(?:geschreven|geplaatst)\s+door|by|von|vom|par|por|di|door|autor(?:in|en)?|auteurs?|autore|authors?|reporter|text|texte|interview|redaktion)\s*(?:\(\w+\))?\s*[:\-]?\s+")
        .expect("valid regex")
});

/// A writer's label anywhere in a line ("This post was written by Jane Doe", "Jun 2 Written
/// By", "Eingestellt von", "Posted on [date] by", "Alle Beiträge von"): what follows it is the
/// byline. The languages are those our stations' pages and the wires' partners print.
static BY_LABEL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:(?:written|posted|authored|reported|compiled)\s+(?:and\s+\w+\s+)?by|(?:eingestellt|verfasst|geschrieben|veröffentlicht|erstellt|gepostet)\s+von|(?:publié|écrit|rédigé)\s+par|(?:escrito|publicado)\s+por|(?:scritto|pubblicato)\s+da|(?:geschreven|geplaatst)\s+door|(?:posted|published)\s+on\b[^\n]{0,40}?\bby|all\s+(?:posts|articles|stories)\s+by|alle\s+(?:beiträge|artikel)\s+von|(?:mehr|alles)\s+von|tous\s+les\s+articles\s+de)\b\s*:?|\b(?:autor(?:in)?|author|auteur|von)\s*:")
        .expect("valid regex")
});

/// Credits for someone other than the writer: a byline is cut where one starts, and a line
/// that opens with one names no author ("Reviewed by Jane Doe", "Photos by John Roe").
static NOT_WRITER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:(?:medically\s+)?reviewed|fact[-\s]?checked|edited|copy[-\s]?edited|photos?|photographs?|photography|illustrations?|illustrated|graphics|video|images?|designed|produced|translated|narrated|sponsored|presented)\s+by\b")
        .expect("valid regex")
});

/// Newsroom roles, stripped wherever they follow a name ("Jane Doe Staff Writer").
static ROLE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)\s*[,|\-–—]?\s*\b(?:(senior|sr\.?|junior|chief|staff|contributing|special|political|national|foreign|white\s+house|washington|business|sports|health|science|technology|tech|entertainment|investigative|digital|associate|assistant|deputy|managing|executive|news|guest|freelance|former|lead)(?:\s+[\w&]+){0,2}?\s+)?(writer|reporter|correspondent|editor|columnist|contributor|producer|journalist|analyst|photographer|intern|anchor|meteorologist|critic|blogger|(?:chef)?redakteur(?:in)?|korrespondent(?:in)?|journalistin|volontär(?:in)?|fotograf(?:in)?|journaliste|rédact(?:eur|rice)(?:\s+en\s+chef)?|correspondant(?:e)?|periodista|redactor(?:a)?|corresponsal|redatt(?:ore|rice)|giornalista)s?\b.*$",
    )
    .expect("valid regex")
});

/// Whether [`ROLE`] could match `s`: each of its role words holds one of these stems, which
/// have no `k` or `s` (the ASCII letters that Unicode case folding also matches to a
/// non-ASCII character, checked apart). A false answer is never wrong; it spares building the
/// regex (10 M instructions) for bylines that are only names.
fn may_name_role(s: &str) -> bool {
    const STEMS: [&str; 22] = [
        "writer",
        "reporter",
        "orre",
        "editor",
        "column",
        "contributor",
        "producer",
        "journal",
        "anal",
        "photograph",
        "intern",
        "anchor",
        "meteorolog",
        "critic",
        "blogger",
        "reda",
        "dact",
        "volont",
        "fotograf",
        "periodi",
        "redatt",
        "giornali",
    ];
    s.contains(['\u{212a}', '\u{17f}'])
        || STEMS.iter().any(|w| {
            s.as_bytes()
                .windows(w.len())
                .any(|b| b.eq_ignore_ascii_case(w.as_bytes()))
        })
}

/// Job titles that describe a named person in the entry after the name ("Jane Doe, Head of
/// Marketing", "John Roe | Co-Founder"): the entry is dropped.
static TITLE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)\b(founder|co-?founder|ceo|cto|coo|cmo|director|manager|consultant|expert|specialist|marketer|strategist|attorney|lawyer|educators?|officer|president|researcher|professor|head\s+of|dietitian|nutritionist|coach|trainer)\b",
    )
    .expect("valid regex")
});

/// Role words glued to the name by markup that lost its spacing ("Jane DoeFounder"): they
/// were an element of their own, so they become an entry of their own.
static GLUED_ROLE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(\p{Ll})((?:Co-?)?Founder|CEO|Editor|Writer|Reporter|Contributor|Author\b)")
        .expect("valid regex")
});

/// Separators between the entries of a byline list; a role or credential may follow a name
/// in the next entry.
static STRONG_SPLIT: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\s*(?:[;|,·•/\n]|\s[-–—]\s)\s*").expect("valid regex"));

/// Separators between names inside one entry ("Jane Doe and John Roe").
static WEAK_SPLIT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\s*(?:&|\band\b|\bund\b|\bet\b|\by\b|\bwith\b)\s*").expect("valid regex")
});

/// Dates and times printed beside a name; only the date itself goes.
static DATE_NOISE: LazyLock<Regex> = LazyLock::new(|| {
    // Month names in every language the date module reads: a byline prints its date in the
    // page's language.
    let month = crate::dates::month_alternation();
    Regex::new(&format!(
        r"(?i)\b(?:mon|tues?|wed(?:nes)?|thu(?:rs?)?|fri|sat(?:ur)?|sun)(?:day)?\.?,\s*|\b{month}\.?\s+\d{{1,2}}(?:st|nd|rd|th)?\b(?:,?\s*\d{{4}})?|\b\d{{1,2}}(?:st|nd|rd|th|\.)?\s+(?:de\s+)?{month}\b\.?,?(?:\s+(?:de\s+)?\d{{4}})?|\d{{4}}-\d{{2}}-\d{{2}}T[\d:.]+(?:Z|[+-]\d{{2}}:?\d{{2}})?|\d{{4}}[-/.]\d{{1,2}}[-/.]\d{{1,2}}|\d{{1,2}}[/.]\d{{1,2}}[/.]\d{{2,4}}"
    ))
    .expect("valid regex")
});

static NOISE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(updated?|published|posted|last\s+updated?)\b.*$|\s(?-i:on)(?:\s.*)?$|\s(?-i:am|um|le|el|il|op)(?:\s+\S*\d.*)?$|\s+\p{Lu}\p{Ll}+\s?:(?:\s.*)?$|\S+@\S+|https?://\S+|@?\d{1,2}:\d{2}.*$|\b\d+\s*(?:min(?:ute)?s?|hrs?|hours?)\b.*$")
        .expect("valid regex")
});

/// Labels for jobs other than writing, or for page furniture ("design: Jane Doe",
/// "Categories: News").
static OTHER_LABEL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(?:content|design|code|photos?|photography|video|images?|illustrations?|graphics|editing|editors?|edited|source|sources|via|credits?|tags?|categories|category|filed\s+under|topics?|section|series|updated|published|posted|date|datum|quelle|fotos?|bilder?|kategorien?|schlagw(?:ö|o)rte|stichw(?:ö|o)rter|rubrik|stand|aktualisiert|veröffentlicht|lesezeit|catégories?|étiquettes|mots-clés|fuente|etiquetas|categorías?|fecha)\s*:")
        .expect("valid regex")
});

/// Words that may stand in lower case inside a person's name.
const PARTICLES: [&str; 22] = [
    "van", "von", "der", "den", "de", "del", "della", "da", "das", "dos", "du", "la", "le", "di",
    "bin", "ibn", "al", "el", "ter", "ten", "zu", "af",
];

/// Professional credentials that follow a name ("Jane Doe, MD, RD").
static CREDENTIAL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^(?:M\.?D\.?|D\.?O\.?|Ph\.?\s?D\.?|Psy\.?D\.?|Ed\.?D\.?|Pharm\.?D\.?|DVM|VMD|DDS|DMD|DPT|DC|RN|BSN|MSN|NP|PA-C|APRN|LPN|RD|RDN|LD|LDN|CDCES|CDE|IBCLC|MS|MSc|MA|MBA|MPH|MEd|BA|BS|BSc|JD|Esq\.?|LLM|CPA|CFP|CFA|CEPF|ChFC|CLU|EA|CPP|PSP|CISSP|LCSW|LPC|LMFT|CSCS|CPT|NASM-CPT|ACE-CPT|LMT|ATC|OTR/L|LVT|VTS(?:\s*\(\w+\))?|CVT|FAND|FACLM|FOMA|DABOM|FAAP|FACP|FACC|FACS|FACOG|FAAD|DACVB|DACVIM|E-RYT(?:\s+\d+)?|RYT(?:\s+\d+)?|NBC-HWC|CNS|CHES)®?$",
    )
    .expect("valid regex")
});

/// Whether an entry lists only credentials ("MD", "M.D. FACLM", "BA, LVT").
fn is_credentials(s: &str) -> bool {
    let t = s.trim();
    !t.is_empty()
        && (CREDENTIAL.is_match(t) || t.split_whitespace().all(|w| CREDENTIAL.is_match(w)))
}

/// A byline taken apart.
#[derive(Debug, Default, PartialEq)]
pub struct Byline {
    /// Person names.
    pub persons: Vec<String>,
    /// The wire credit, if a wire was named.
    pub credit: Option<String>,
    /// Other organisations named ("Brightloop Team", "PLAINS TODAY").
    pub orgs: Vec<String>,
    /// Names that are the site's own and read like a person's: a blog named for its
    /// writer ("Mara Vinton"), or a brand that looks like a name ("Lakeside Clinic").
    pub site_persons: Vec<String>,
    /// Two-letter initials standing alone ("mh", "LD"): a writer's mark where the page
    /// declares a writer, but too short to tell from a label elsewhere.
    pub initials: Vec<String>,
}

/// The names a site goes by, for telling its brand from its writers.
#[derive(Debug, Default, Clone)]
pub struct SiteNames {
    /// `og:site_name`, the publisher and their heads before a tagline ("PLAINS TODAY").
    pub names: Vec<String>,
    /// The host's own label ("netvex7" for www.netvex7.com).
    pub host_label: Option<String>,
}

/// Splits a byline into person names, the wire credit and other organisations.
pub fn split_byline(raw: &str) -> Byline {
    split_byline_for(raw, &SiteNames::default())
}

/// [`split_byline`], knowing the site's own names: a byline that names the site's brand
/// ("Netvex7", "PLAINS TODAY") names no person, though a blog named for its writer ("Jane Doe")
/// still does; and a site name printed after a name ("Jane Doe PLAINS TODAY") is not part of it.
pub fn split_byline_for(raw: &str, site: &SiteNames) -> Byline {
    let mut persons: Vec<String> = Vec::new();
    let mut orgs = Vec::new();
    let mut credit: Option<String> = wire(raw).map(str::to_string);
    let s = collapse(raw);
    let s = GLUED_ROLE.replace_all(&s, "$1 | $2");
    // Reviewers, photographers and sponsors are credited but did not write the piece.
    let s = match NOT_WRITER.find(&s) {
        Some(m) => &s[..m.start()],
        None => &s[..],
    };
    // The writer's label first: a date before it ("Posted on May 2, 2020 by …", "Datum:
    // 19.11.2021 Autor: …") is not one that ends a name.
    let s = match BY_LABEL.find_iter(s).last() {
        Some(m) => &s[m.end()..],
        None => s,
    };
    let s = strip_dates(s);
    let s = BY_PREFIX.replace(s.trim(), "");
    let s = NOISE.replace(&s, "");
    let squash = |t: &str| {
        let k = key(t);
        k.strip_prefix("the ").unwrap_or(&k).replace(' ', "")
    };
    let site_keys: Vec<String> = site
        .names
        .iter()
        .chain(site.host_label.iter())
        .map(|n| squash(n))
        .filter(|k| k.len() >= 3)
        .collect();
    let suffix_keys: Vec<String> = site
        .names
        .iter()
        .map(|n| key(n))
        .filter(|k| k.len() >= 3)
        .collect();
    // Whether a person was named already: a later entry may be their title or credentials.
    let mut named = false;
    let mut lone_entries: Vec<String> = Vec::new();
    let mut site_persons: Vec<String> = Vec::new();
    let mut initials: Vec<String> = Vec::new();
    for entry in STRONG_SPLIT.split(&s) {
        let entry = BY_PREFIX.replace(entry.trim(), "");
        let entry = entry.trim();
        if entry.is_empty() || OTHER_LABEL.is_match(entry) {
            continue;
        }
        if !named && is_credentials(entry) {
            // Letters alone where no name came before: initials, not credentials.
            if entry.chars().count() == 2 && entry.chars().all(char::is_alphabetic) {
                initials.push(entry.to_string());
            }
            continue;
        }
        if is_credentials(entry) || is_credentials(entry.trim_end_matches('.')) {
            if let Some(last) = persons.last_mut().filter(|_| named) {
                last.push_str(", ");
                last.push_str(if is_credentials(entry) {
                    entry
                } else {
                    entry.trim_end_matches('.')
                });
            }
            continue;
        }
        if let Some(w) = wire(entry) {
            credit.get_or_insert_with(|| w.to_string());
            continue;
        }
        if named && TITLE.is_match(entry) {
            continue;
        }
        let mut entry = entry.to_string();
        if may_name_role(&entry)
            && let Some(m) = ROLE.find(&entry)
        {
            let prefix = entry[..m.start()]
                .trim_matches(|c: char| !c.is_alphanumeric())
                .to_string();
            let glued = !m
                .as_str()
                .trim_start()
                .starts_with([',', '|', '-', '–', '—']);
            let first = prefix.split_whitespace().next().unwrap_or("");
            if prefix.is_empty() {
                // The entry is a role. A qualified one names the desk that wrote the piece
                // ("By Staff Writer"); a bare one ("Reporter") labels a name elsewhere.
                if m.as_str().len() + 2 >= entry.len()
                    && ROLE.captures(&entry).is_some_and(|c| {
                        c.get(1)
                            .is_some_and(|q| q.as_str().eq_ignore_ascii_case("staff"))
                    })
                {
                    orgs.push(trim_name(&entry).to_string());
                }
                continue;
            }
            if glued && named {
                // A description after a name ("Jane Doe, Health Reporter").
                continue;
            }
            if glued
                && (prefix.split_whitespace().count() == 1
                    || ["the", "our"].contains(&first.to_lowercase().as_str()))
            {
                // A desk, not a person with a role: "Our Editors", "Community Editor".
                orgs.push(entry.trim_end_matches('.').to_string());
                continue;
            }
            entry = prefix;
        }
        let parts: Vec<&str> = WEAK_SPLIT.split(&entry).collect();
        let org_mark = orgs.len();
        let person_mark = persons.len();
        for part in &parts {
            let p = BY_PREFIX.replace(part.trim(), "");
            let p = trim_final_period(trim_name(&p));
            if p.is_empty() {
                continue;
            }
            if let Some(w) = wire(p) {
                credit.get_or_insert_with(|| w.to_string());
                continue;
            }
            if site_keys.contains(&squash(p)) {
                if person_like(p) {
                    site_persons.push(p.to_string());
                } else {
                    orgs.push(p.to_string());
                }
                continue;
            }
            let p = cut_at_lower_case(&strip_site_suffix(p, &suffix_keys));
            let p = trim_name(&p).to_string();
            if !p.chars().next().is_some_and(char::is_alphabetic) {
                continue;
            }
            if is_placeholder(&p) {
                continue;
            }
            if is_organisation(&p) || CONNECTED.is_match(&p) {
                orgs.push(p);
                continue;
            }
            if NOT_NAME.is_match(&p) {
                continue;
            }
            if !plausible_name(&p) {
                if p.chars().count() == 2 && p.chars().all(char::is_alphabetic) {
                    initials.push(p);
                }
                continue;
            }
            if !persons.iter().any(|x: &String| x.eq_ignore_ascii_case(&p)) {
                if p.split_whitespace().count() == 1 && part.trim().len() + 2 >= entry.len() {
                    lone_entries.push(p.clone());
                }
                persons.push(p);
                named = true;
            }
        }
        // "Research & Development" or "Center for Water Quality and Research" joins the
        // words of one name; "Jane and John Doe" has a full name beside the lone one.
        if parts.len() > 1
            && (orgs.len() > org_mark || persons.len() > person_mark)
            && !persons[person_mark..]
                .iter()
                .any(|p| p.split_whitespace().count() > 1)
        {
            persons.truncate(person_mark);
            named = !persons.is_empty();
            orgs.insert(org_mark, trim_name(&entry).to_string());
        }
    }
    // Beside full names, a lone word in its own entry is a section or a label ("Jane Doe,
    // Hardware").
    if persons.iter().any(|p| p.split_whitespace().count() > 1) {
        persons.retain(|p| !lone_entries.contains(p));
    }
    Byline {
        persons,
        credit,
        orgs,
        site_persons,
        initials,
    }
}

/// "Doe, Jane" as "Jane Doe": a name written last name first, as citation tags write it.
/// Anything else comes back as it was.
pub fn first_name_first(name: &str) -> String {
    let t = name.trim();
    match t.split_once(',') {
        Some((last, first))
            if !first.contains(',')
                && (1..=3).contains(&last.split_whitespace().count())
                && (1..=3).contains(&first.split_whitespace().count())
                && !is_credentials(first.trim()) =>
        {
            format!("{} {}", first.trim(), last.trim())
        }
        _ => t.to_string(),
    }
}

/// Whether a name is a user name rather than a name as printed: one token, written with
/// `_`, `-` or `.` between its parts or all in lower case ("jane_doe", "jdoe").
pub fn is_handle(name: &str) -> bool {
    let t = name.trim();
    !t.is_empty()
        && !t.contains(char::is_whitespace)
        && (t.contains(['_', '-', '.']) || !t.chars().any(char::is_uppercase))
}

/// Whether a user name spells the same letters as a printed name, accents and case aside
/// ("lenja_moreau" and "Lénja Moreau", "moritz.oelze" and "Moritz Ölze").
pub fn same_letters(handle: &str, name: &str) -> bool {
    let h = letters(handle, false);
    h.len() >= 4 && (h == letters(name, false) || h == letters(name, true))
}

/// The letters and digits of a name in lower case, accents dropped; `umlaut_e` writes
/// "ä" as "ae", the way German names are spelled without umlauts.
fn letters(s: &str, umlaut_e: bool) -> String {
    let mut out = String::new();
    for c in s.chars().flat_map(char::to_lowercase) {
        let plain = match c {
            'ä' | 'ö' | 'ü' if umlaut_e => {
                out.push(match c {
                    'ä' => 'a',
                    'ö' => 'o',
                    _ => 'u',
                });
                'e'
            }
            'ß' => {
                out.push('s');
                's'
            }
            'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'ā' | 'ă' | 'ą' => 'a',
            'ç' | 'ć' | 'č' => 'c',
            'ď' | 'đ' => 'd',
            'è' | 'é' | 'ê' | 'ë' | 'ē' | 'ę' | 'ě' => 'e',
            'ğ' => 'g',
            'ì' | 'í' | 'î' | 'ï' | 'ī' | 'ı' => 'i',
            'ł' => 'l',
            'ñ' | 'ń' | 'ň' => 'n',
            'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'ō' | 'ő' => 'o',
            'ř' => 'r',
            'ś' | 'š' | 'ş' => 's',
            'ť' | 'ţ' => 't',
            'ù' | 'ú' | 'û' | 'ü' | 'ū' | 'ů' | 'ű' => 'u',
            'ý' | 'ÿ' => 'y',
            'ź' | 'ż' | 'ž' => 'z',
            c if c.is_alphanumeric() => c,
            _ => continue,
        };
        out.push(plain);
    }
    out
}

/// Parts of a line of facts: bars, middle dots, bullets, dashes between spaces.
static FACT_SPLIT: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\s*[|·•]\s*|\s+[-–—]\s+").expect("valid regex"));

/// A clock time as a fact of its own ("08:45 Uhr", "9.30 h", "7:15 PM").
static CLOCK: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^\d{1,2}[:.]\d{2}(?:\s*(?:uhr|h|am|pm|a\.m\.|p\.m\.))?$").expect("valid regex")
});

/// The writer in a line of facts printed by the headline, without a label: "Jane Doe |
/// Senior Writer | March 9, 2024", "17.11.2023 | 08:45 Uhr | Ilka Vormann". The line is
/// dated, every other part is a date, a time or a role, and the part left reads as a
/// person's name.
pub fn name_among_facts(line: &str) -> Option<String> {
    let line = collapse(line);
    if line.chars().count() > 100 {
        return None;
    }
    let parts: Vec<&str> = FACT_SPLIT
        .split(&line)
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .collect();
    if parts.len() < 2 {
        return None;
    }
    let mut name = None;
    let mut dated = false;
    for p in parts {
        let date = DATE_NOISE
            .find(p)
            .is_some_and(|m| m.as_str().trim().len() * 3 >= p.len() * 2);
        if date || CLOCK.is_match(p) {
            dated |= date;
            continue;
        }
        if ROLE.find(p).is_some_and(|m| m.start() == 0) {
            continue;
        }
        if name.replace(p).is_some() {
            return None;
        }
    }
    let name = trim_name(name?);
    (dated && person_like(name) && !NOT_NAME.is_match(name)).then(|| name.to_string())
}

/// A dated copyright line naming its holder ("© 2021 Jane Doe", "Copyright © 2015-2023 Jane Doe.
/// All rights reserved."); an undated "© Jane Doe" is usually a photo credit.
static COPYRIGHT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(?:^|\s)(?:©|\(c\)|copyright)(?:\s*(?:©|\(c\)))?\s*\d{4}(?:\s*[-–]\s*(?:\d{4})?)?\s*(?:by\s+)?((?-i:\p{Lu}[\p{L}'’\-]+(?:\s+\p{Lu}[\p{L}'’\-.]*){1,2}))\s*(?:[.,|]|$)")
        .expect("valid regex")
});

/// The person holding a page's copyright, where the line names one: on a page that names
/// no writer and no organisation, the holder is the one who wrote it.
pub fn copyright_person(line: &str) -> Option<String> {
    let line = collapse(line);
    if line.chars().count() > 160 {
        return None;
    }
    let name = COPYRIGHT.captures(&line)?.get(1)?.as_str().trim();
    let name = trim_final_period(name);
    (person_like(name) && !NOT_NAME.is_match(name) && wire(name).is_none())
        .then(|| name.to_string())
}

/// Account names a publishing system fills in when nobody is named: no writer and no
/// organisation.
fn is_placeholder(p: &str) -> bool {
    let k = p.trim().to_lowercase();
    [
        "admin",
        "administrator",
        "wordpressadmin",
        "webmaster",
        "user",
    ]
    .contains(&k.as_str())
}

/// Whether a byline opens with a writer's label ("By", "Written by"): a printed byline
/// rather than a link or a label that happens to carry a name.
pub fn has_by_label(raw: &str) -> bool {
    BY_PREFIX.is_match(raw.trim()) || BY_LABEL.is_match(raw)
}

/// Removes the dates printed with a byline: one before the name goes alone ("Dec 17, 2025
/// Jane Doe"), one after it ends the byline ("Jane Doe Jul 18, 2025 7 min read").
fn strip_dates(s: &str) -> String {
    // Every form of [`DATE_NOISE`] holds a digit (`\d`, which `is_numeric` covers) or, for a
    // weekday, a comma: without either there is nothing to strip, and the regex (21 M
    // instructions to build) is not built for it.
    if !s.contains(',') && !s.chars().any(char::is_numeric) {
        return s.to_string();
    }
    let mut out = s.to_string();
    while let Some(m) = DATE_NOISE.find(&out) {
        let before = out[..m.start()].trim_matches(|c: char| !c.is_alphanumeric());
        if before.is_empty() || before.ends_with(|c: char| c.is_ascii_digit()) {
            out.replace_range(m.range(), " ");
        } else {
            out.truncate(m.start());
        }
    }
    out
}

/// Drops a sentence's closing period after a name, not an initial's ("Jane Doe." → "Jane
/// Doe", "R. R." stays).
fn trim_final_period(p: &str) -> &str {
    let last = p.rsplit(' ').next().unwrap_or(p);
    let initial = last.len() <= 3 && last.chars().filter(|c| c.is_alphabetic()).count() == 1;
    if initial && p.contains(' ') {
        p
    } else {
        p.trim_end_matches('.')
    }
}

/// Trims the punctuation around a name, keeping a closing parenthesis that has its opening
/// one ("Jean Roux (Example)").
fn trim_name(p: &str) -> &str {
    let t = p.trim_matches(|c: char| !c.is_alphanumeric() && !matches!(c, '.' | '\'' | '’' | ')'));
    if t.contains('(') {
        t
    } else {
        t.trim_end_matches(|c: char| !c.is_alphanumeric() && !matches!(c, '.' | '\'' | '’'))
    }
}

/// Capitalised words joined by a lower-case connective: the name of a body, not a person
/// ("Center for Water Quality", "Ask the Gardeners").
static CONNECTED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\p{Lu}\S*(?:\s+\p{Lu}\S*)*\s+(?:of|for|the|to|on)\s+\p{Lu}").expect("valid regex")
});

/// Whether a name reads like a person's: two to four capitalised words (particles aside),
/// not all in capitals, no organisation words.
pub fn person_like(p: &str) -> bool {
    let words: Vec<&str> = p.split_whitespace().collect();
    (2..=4).contains(&words.len())
        && !words[0].eq_ignore_ascii_case("the")
        && words
            .iter()
            .all(|w| PARTICLES.contains(w) || w.chars().next().is_some_and(char::is_uppercase))
        && p.chars().any(char::is_lowercase)
        && !is_organisation(p)
}

/// Drops the site's name printed after a person's ("Jane Doe PLAINS TODAY" → "Jane Doe").
fn strip_site_suffix(p: &str, suffix_keys: &[String]) -> String {
    let words: Vec<&str> = p.split_whitespace().collect();
    for k in suffix_keys {
        let n = k.split(' ').count();
        if words.len() >= n + 2 && key(&words[words.len() - n..].join(" ")) == *k {
            return words[..words.len() - n].join(" ");
        }
    }
    p.to_string()
}

/// Ends a capitalised name where a lower-case "at" or "in" starts what follows it
/// ("David at Example" → "David", "Jane Doe in Features" → "Jane Doe").
fn cut_at_lower_case(p: &str) -> String {
    if !p.chars().next().is_some_and(char::is_uppercase) {
        return p.to_string();
    }
    let words: Vec<&str> = p.split_whitespace().collect();
    match words.iter().position(|w| *w == "at" || *w == "in") {
        Some(cut) if cut > 0 => words[..cut].join(" "),
        _ => p.to_string(),
    }
}

/// Whether a cleaned entry can be a person's name (or a handle): a few words, not two
/// capital letters, not a string of digits.
fn plausible_name(p: &str) -> bool {
    let capitalised = p.chars().next().is_some_and(char::is_uppercase);
    // "Personal finance": a capitalised name has no lower-case words but particles.
    if capitalised
        && p.split_whitespace().skip(1).any(|w| {
            w.chars().next().is_some_and(char::is_lowercase)
                && !PARTICLES.contains(&w)
                && !w.contains(['\'', '’'])
        })
    {
        return false;
    }
    if p.contains('(') != p.contains(')') {
        return false;
    }
    let words = p.split_whitespace().count();
    let digits = p.chars().filter(char::is_ascii_digit).count();
    (1..=5).contains(&words)
        && p.len() <= 60
        && digits < 2
        && !(words == 1 && p.chars().count() <= 2)
}

/// Link and label text that sits where a name would ("More from this author", "Full Bio").
static NOT_NAME: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(more|from|this|author|authors|view|all|posts|profile|bio|articles|stories|read|follow|email|contact|name|about|see|latest|share|comments?|subscribe|editorial|guidelines|facebook|twitter|instagram|linkedin|bluesky|threads|mastodon|youtube|tiktok|pinterest|reddit|rss|whatsapp|sign\s+in|sign\s+up|log\s?in|login|logout|says|said|menu|search|newsletter|podcast|type|industry|category|topic|size|role|location|region|solutions?|products?|use\s+case)\b|^(?:bluesky|facebook|twitter|x|instagram|linkedin|threads|mastodon|youtube|tiktok|pinterest|reddit|rss|email)+$|^(the\s+)?author$|^by$")
        .expect("valid regex")
});

static DATELINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^((?:[A-Z][A-Za-z.'’\-]*\s+){0,4}[A-Z][A-Za-z.'’\-]*(?:,\s*[A-Z][A-Za-z.'’\s]{1,25})?\s*\([A-Z][A-Za-z0-9 .&\-]{1,24}\)\s*[—–\-]{1,2}|\((?:AP|Reuters|AFP|CNN|UPI)\)\s*[—–\-]{1,2}|[A-Z][A-Z.'’\-]+(?:\s+[A-Z][A-Z.'’\-]+){0,3}(?:,\s*[A-Z][A-Za-z.'’\s]{1,25})?\s*[—–]{1,2})",
    )
    .expect("valid regex")
});

/// The dateline that opens a body ("WASHINGTON (AP) —"), as printed.
pub fn dateline(first_paragraph: &str) -> Option<String> {
    let m = DATELINE.find(first_paragraph)?;
    let d = m.as_str().trim();
    (d.len() <= 80 && first_paragraph.len() > d.len() + 10).then(|| d.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn role_gate_never_refuses_a_role() {
        for entry in [
            "Jane Doe Staff Writer",
            "Jane Doe, Senior Correspondent",
            "Max Muster, Chefredakteur",
            "Marie Dupont, rédactrice en chef",
            "Ana Pérez, periodista",
            "Jo Roe | COLUMNIST",
            "Jo Roe, Meteorologist",
            "Jo Roe, Korrespondentin",
            "Jo Roe, Volontärin",
            "Jo Roe, columniſt",
            "Jane Doe",
        ] {
            if ROLE.is_match(entry) {
                assert!(may_name_role(entry), "{entry:?}");
            }
        }
        assert!(ROLE.is_match("Jo Roe, columniſt") && ROLE.is_match("Max Muster, Chefredakteur"));
        assert!(!may_name_role("Jane Doe") && !ROLE.is_match("Jane Doe"));
    }

    #[test]
    fn splits_persons_and_keeps_wire_as_credit() {
        let Byline {
            persons: p,
            credit: c,
            ..
        } = split_byline("By Jane Doe and John Roe, CNN");
        assert_eq!(p, vec!["Jane Doe", "John Roe"]);
        assert_eq!(c.as_deref(), Some("CNN"));
    }

    #[test]
    fn roles_and_dates_are_stripped() {
        let Byline { persons: p, .. } =
            split_byline("By MARY SMITH, Staff Writer Updated Nov 19, 2019");
        assert_eq!(p, vec!["MARY SMITH"]);
        let Byline { persons: p, .. } = split_byline("Written by: Ann Lee | Senior Reporter");
        assert_eq!(p, vec!["Ann Lee"]);
    }

    #[test]
    fn organisation_only_gives_no_author() {
        let Byline {
            persons: p,
            credit: c,
            ..
        } = split_byline("CNN Newsource");
        assert!(p.is_empty());
        assert_eq!(c.as_deref(), Some("CNN Newsource"));
        let Byline {
            persons: p,
            credit: c,
            ..
        } = split_byline("By The Associated Press");
        assert!(p.is_empty());
        assert_eq!(c.as_deref(), Some("The Associated Press"));
        let Byline { persons: p, .. } = split_byline("KVIA");
        assert!(p.is_empty());
    }

    #[test]
    fn link_labels_are_not_names() {
        assert!(split_byline("More from this author").persons.is_empty());
        assert!(split_byline("Full Bio").persons.is_empty());
    }

    /// Bylines as German, French, Spanish and Dutch pages print them: the label, the names,
    /// and the date or place after them, which is not part of a name.
    #[test]
    fn bylines_in_other_languages() {
        assert_eq!(persons("Von Lena Voss"), ["Lena Voss"]);
        assert_eq!(
            persons("VON TILO BRANDT am 21. April 2020"),
            ["TILO BRANDT"]
        );
        assert_eq!(persons("Eingestellt von Karl Heim um 10:12"), ["Karl Heim"]);
        assert_eq!(persons("Verfasst von: Ines Falk"), ["Ines Falk"]);
        assert_eq!(persons("Von R. R. am 3. März 2014"), ["R. R."]);
        assert_eq!(
            persons("par Odile Marchand, 21 juin 2018"),
            ["Odile Marchand"]
        );
        assert_eq!(
            persons("Publié par Odile Marchand le 2 mai 2019"),
            ["Odile Marchand"]
        );
        assert_eq!(
            persons("Por Marta Gil y Luis Soto"),
            ["Marta Gil", "Luis Soto"]
        );
        assert_eq!(persons("Door Bram de Wit"), ["Bram de Wit"]);
        assert_eq!(persons("Text: Uwe Lindner"), ["Uwe Lindner"]);
        assert_eq!(
            persons("Posted on September 21, 2020 by Noa Ben Ami"),
            ["Noa Ben Ami"]
        );
        assert_eq!(persons("Alle Beiträge von Jana Koch"), ["Jana Koch"]);
    }

    /// A role printed after the name, in the page's language, is not part of the name.
    #[test]
    fn roles_in_other_languages_are_not_names() {
        assert_eq!(persons("Peter Lang Chefredakteur"), ["Peter Lang"]);
        assert_eq!(persons("Anna Berg, Redakteurin"), ["Anna Berg"]);
        assert_eq!(persons("Claire Dumas, journaliste"), ["Claire Dumas"]);
    }

    /// A block of labelled facts ("Datum: … Autor: … Quelle: …") gives the name after the
    /// author's label and nothing from the other labels.
    #[test]
    fn the_author_label_inside_a_block_of_labelled_facts() {
        assert_eq!(
            persons("Datum: 19.11.2021 Autor: Emil Sutter Quelle: Wochenblatt"),
            ["Emil Sutter"]
        );
        assert_eq!(persons("Autor: Emil Sutter/Pressedienst"), ["Emil Sutter"]);
    }

    fn persons(raw: &str) -> Vec<String> {
        split_byline(raw).persons
    }

    #[test]
    fn reviewers_and_photographers_are_not_authors() {
        assert!(persons("Reviewed by Margaret Chen").is_empty());
        assert!(persons("Medically reviewed by Dr. Ann Lee").is_empty());
        assert_eq!(
            persons("By Shelby Moss, DVM. Reviewed by Molly Park"),
            vec!["Shelby Moss, DVM"]
        );
        assert_eq!(
            persons("Story by Tom Hale | Photos by Rita Diaz"),
            vec!["Tom Hale"]
        );
    }

    #[test]
    fn credentials_stay_with_the_name() {
        assert_eq!(
            persons("Dana Bright, MS, RD, FAND"),
            vec!["Dana Bright, MS, RD, FAND"]
        );
        assert_eq!(persons("By Matt Ford, CFP"), vec!["Matt Ford, CFP"]);
        // Call letters after a name are the station, not a credential.
        assert_eq!(persons("By Jane Doe, KVIA"), vec!["Jane Doe"]);
    }

    #[test]
    fn titles_after_a_name_are_dropped() {
        assert_eq!(
            persons(
                "This post was written by Dana Pruitt, Head of Marketing and Community Development"
            ),
            vec!["Dana Pruitt"]
        );
        assert_eq!(
            persons("By Brett Cole, Privacy and Digital Security Expert"),
            vec!["Brett Cole"]
        );
        assert_eq!(
            persons("& Zack Cuevas Writer, Hardware"),
            vec!["Zack Cuevas"]
        );
        assert_eq!(persons("Eliz - Product marketer"), vec!["Eliz"]);
        assert_eq!(
            persons("Article by: Cara Dune, Certified Pediatric Sleep Consultant"),
            vec!["Cara Dune"]
        );
    }

    #[test]
    fn desks_named_by_a_role_are_kept_whole() {
        for desk in ["Our Editors", "Community Editor", "The Ledger editors"] {
            let b = split_byline(desk);
            assert!(b.persons.is_empty(), "{desk}");
            assert_eq!(b.orgs, vec![desk.to_string()]);
        }
    }

    #[test]
    fn dates_beside_the_name_go() {
        assert_eq!(persons("FieldHarbor November 26th"), vec!["FieldHarbor"]);
        assert_eq!(persons("Andy Gerrand 4 August 2010"), vec!["Andy Gerrand"]);
        assert_eq!(persons("Yucy3/4/2025"), vec!["Yucy"]);
        assert_eq!(
            persons("Dec 17, 2025Julian K. Arnott"),
            vec!["Julian K. Arnott"]
        );
        assert_eq!(
            persons("Dec. 19, 2025 · Niko Matts on behalf of the Vision Doc group"),
            vec!["Niko Matts"]
        );
        assert_eq!(
            persons("Oleg Parsh Jul 18, 2025 7 min read"),
            vec!["Oleg Parsh"]
        );
        assert_eq!(
            persons("Nick van Meer 2022-11-23T08:10+02:00"),
            vec!["Nick van Meer"]
        );
        assert!(persons("Sat, 20 Dec, 2025 - 06:36").is_empty());
        assert!(persons("Jun 2 Written By").is_empty());
        // "On" in a name is not the "on <date>" that follows one.
        assert_eq!(persons("Turntable On"), vec!["Turntable On"]);
        assert_eq!(persons("Posted by BeauHD on Friday"), vec!["BeauHD"]);
    }

    #[test]
    fn labels_and_links_are_not_names() {
        assert!(persons("Bluesky").is_empty());
        assert!(persons("Sign In").is_empty());
        assert!(persons("By Event Type").is_empty());
        assert!(persons("CP").is_empty());
        assert!(persons("fullysecret1dbb6551f4").is_empty());
        assert_eq!(
            persons("content: Sherpa, design: Scott Dale, code: Steve Berg"),
            Vec::<String>::new()
        );
        assert_eq!(persons("David at"), vec!["David"]);
        assert_eq!(persons("Mixmaster in Workshop"), vec!["Mixmaster"]);
    }

    #[test]
    fn site_brand_is_no_person_but_a_blog_named_for_its_writer_is() {
        let site = SiteNames {
            names: vec!["PLAINS TODAY".into()],
            host_label: Some("netvex7".into()),
        };
        let b = split_byline_for(", PLAINS TODAY", &site);
        assert!(b.persons.is_empty());
        assert_eq!(b.orgs, vec!["PLAINS TODAY"]);
        assert!(split_byline_for("Netvex7", &site).persons.is_empty());
        assert_eq!(
            split_byline_for("Nora Pell PLAINS TODAY", &site).persons,
            vec!["Nora Pell"]
        );
        let blog = SiteNames {
            names: vec!["Dan Davis".into()],
            host_label: Some("dandavis".into()),
        };
        let b = split_byline_for("Dan Davis", &blog);
        assert!(b.persons.is_empty());
        assert_eq!(b.site_persons, vec!["Dan Davis"]);
        // "The" before the brand is still the brand.
        let paper = SiteNames {
            names: vec![],
            host_label: Some("valleyherald".into()),
        };
        assert_eq!(
            split_byline_for("Manoj Jain and Jag Chhat, The Valley Herald", &paper).persons,
            vec!["Manoj Jain", "Jag Chhat"]
        );
        // A desk that starts with the site's name keeps it.
        let tandem = SiteNames {
            names: vec!["Tandem".into()],
            host_label: None,
        };
        assert_eq!(
            split_byline_for("Tandem Staff", &tandem).orgs,
            vec!["Tandem Staff"]
        );
    }

    #[test]
    fn names_of_bodies_are_kept_whole_as_organisations() {
        let b = split_byline("Center for Water Quality and Research");
        assert!(b.persons.is_empty());
        assert_eq!(b.orgs[0], "Center for Water Quality and Research");
        let b = split_byline("Research & Development");
        assert!(b.persons.is_empty());
        assert_eq!(b.orgs, vec!["Research & Development"]);
        assert_eq!(
            split_byline("Ask the Gardeners").orgs,
            vec!["Ask the Gardeners"]
        );
        // Two people, one of them by first name only, are still two people.
        assert_eq!(persons("By Ann and Bill Dodge"), vec!["Ann", "Bill Dodge"]);
    }

    #[test]
    fn beats_and_glued_titles_are_not_part_of_the_name() {
        assert_eq!(
            persons("By Keith Barr Senior Autos Reporter Updated March 11, 2026"),
            vec!["Keith Barr"]
        );
        assert_eq!(
            persons("Mateusz HabernFounder at Oakwood"),
            vec!["Mateusz Habern"]
        );
        assert!(persons("Personal finance").is_empty());
    }

    #[test]
    fn social_icons_and_parentheses() {
        assert!(persons("BlueskyBluesky").is_empty());
        assert!(persons("By Use Case").is_empty());
        assert_eq!(
            persons("Jean-Luc Aufrey (CNXSoft)"),
            vec!["Jean-Luc Aufrey (CNXSoft)"]
        );
        assert!(persons("Jeff Call (Data").is_empty());
    }

    /// Two letters alone are a writer's initials, kept apart from names (the caller decides
    /// whether the source declares a writer), and not a credential when no name came first.
    #[test]
    fn initials_are_kept_apart() {
        for raw in ["mh", "by LD", "LD"] {
            let b = split_byline(raw);
            assert!(b.persons.is_empty(), "{raw}");
            assert_eq!(b.initials.len(), 1, "{raw}");
        }
        assert_eq!(persons("Dana Bright, RD"), vec!["Dana Bright, RD"]);
        assert!(split_byline("Dana Bright, RD").initials.is_empty());
    }

    #[test]
    fn a_desk_named_by_a_qualified_role_is_an_organisation() {
        let b = split_byline("By Staff Writer");
        assert!(b.persons.is_empty());
        assert_eq!(b.orgs, vec!["Staff Writer"]);
        assert!(split_byline("Reporter").orgs.is_empty());
    }

    #[test]
    fn account_placeholders_name_nobody() {
        for raw in ["admin", "By admin", "wordpressadmin"] {
            let b = split_byline(raw);
            assert!(b.persons.is_empty() && b.orgs.is_empty(), "{raw}");
        }
    }

    #[test]
    fn names_written_last_name_first() {
        assert_eq!(first_name_first("Okafor, Adaeze"), "Adaeze Okafor");
        assert_eq!(
            first_name_first("Marin Castro, Elena"),
            "Elena Marin Castro"
        );
        assert_eq!(first_name_first("Jane Doe"), "Jane Doe");
        assert_eq!(first_name_first("Dana Bright, MS"), "Dana Bright, MS");
        assert_eq!(
            first_name_first("Ann Lee, Bo Park, Cy Roe"),
            "Ann Lee, Bo Park, Cy Roe"
        );
    }

    #[test]
    fn user_names_match_the_printed_name() {
        assert!(is_handle("lenja_moreau"));
        assert!(is_handle("jdoe"));
        assert!(!is_handle("Jane Doe"));
        assert!(same_letters("lenja_moreau", "Lénja Moreau"));
        assert!(same_letters("moritz.oelze", "Moritz Ölze"));
        assert!(same_letters("anais-brule", "Anaïs Brûlé"));
        assert!(!same_letters("lenja_moreau", "Lena Moreau"));
    }

    #[test]
    fn the_name_in_a_line_of_facts_by_the_headline() {
        assert_eq!(
            name_among_facts("Corin Hale | Senior Writer | March 9, 2024").as_deref(),
            Some("Corin Hale")
        );
        assert_eq!(
            name_among_facts("17.11.2023 | 08:45 Uhr | Ilka Vormann").as_deref(),
            Some("Ilka Vormann")
        );
        // Undated, or two candidates, or no name: nothing.
        assert_eq!(name_among_facts("Corin Hale | Senior Writer"), None);
        assert_eq!(
            name_among_facts("17.11.2023 | Ilka Vormann | Karl Heim"),
            None
        );
        assert_eq!(name_among_facts("17.11.2023 | Sport"), None);
        assert_eq!(name_among_facts("17.11.2023 | Mehr lesen"), None);
    }

    #[test]
    fn copyright_holders_who_are_people() {
        assert_eq!(
            copyright_person("© 2021 Jonas Ekberg").as_deref(),
            Some("Jonas Ekberg")
        );
        assert_eq!(
            copyright_person(
                "Copyright © 2015-2023 Liv Aamot. All rights reserved. Theme by Studio"
            )
            .as_deref(),
            Some("Liv Aamot")
        );
        assert_eq!(copyright_person("© 2024 Harbor Media Group"), None);
        assert_eq!(copyright_person("© 2012 APA/AP"), None);
        assert_eq!(copyright_person("Jane Doe wrote this"), None);
        assert_eq!(copyright_person("Foto: © Marta Ruiz"), None);
    }

    #[test]
    fn wire_names() {
        assert_eq!(wire("WASHINGTON (AP) —"), Some("The Associated Press"));
        assert_eq!(wire("Thomson Reuters"), Some("Reuters"));
        assert_eq!(wire("Jane Doe"), None);
    }

    #[test]
    fn datelines() {
        assert_eq!(
            dateline("WASHINGTON (AP) — The Senate voted on Tuesday.").as_deref(),
            Some("WASHINGTON (AP) —")
        );
        assert_eq!(
            dateline("NEW YORK — Stocks rose on Monday, lifted by banks.").as_deref(),
            Some("NEW YORK —")
        );
        assert_eq!(
            dateline("(Reuters) - The New York State Attorney General is investigating.")
                .as_deref(),
            Some("(Reuters) -")
        );
        assert_eq!(
            dateline("Secretary of State Antony Blinken will travel to Japan."),
            None
        );
    }
}
