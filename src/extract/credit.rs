//! Bylines in, person authors and the wire credit out: "By Jane Doe and John Roe, CNN" gives
//! two authors and the credit "CNN"; "(AP)" and "Associated Press" give "The Associated
//! Press"; an author box that names only "CNN Newsource" gives a credit and no author. Also
//! finds the dateline that opens wire copy ("WASHINGTON (AP) —").

use std::sync::LazyLock;

use regex::{Regex, RegexSet};

use super::text::collapse;

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
static WIRES: LazyLock<[RegexSet; 2]> = LazyLock::new(|| {
    let set = |ascii: bool| {
        RegexSet::new(WIRE_PATTERNS.iter().map(|(p, _)| {
            if ascii {
                p.replace(r"\b", r"(?-u:\b)")
            } else {
                p.to_string()
            }
        }))
        .expect("valid regexes")
    };
    [set(true), set(false)]
});

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
        writers|reporters|correspondents|com|org|net|publishing|publications?|official|brand|marketing|blog)\b",
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
    Regex::new(r"(?i)^\s*(?:(?:written|posted|reported|compiled|story|words|text|photos?|edited|produced|reviewed|medically\s+reviewed|fact[-\s]checked)\s+(?:and\s+\w+\s+)?by|by|von|par|por|di|door|autor|author|reporter)\s*[:\-]?\s+")
        .expect("valid regex")
});

static ROLE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)\s*[,|\-–—]?\s*\b(senior|chief|staff|contributing|special|political|national|foreign|white\s+house|washington|business|sports|health|science|technology|tech|entertainment|investigative|digital|associate|deputy|managing|executive|news|guest|freelance)?\s*(writer|reporter|correspondent|editor|columnist|contributor|producer|journalist|analyst|photographer|intern|anchor|meteorologist|critic|blogger)s?\b.*$",
    )
    .expect("valid regex")
});

static SPLIT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\s*(?:;|\||,|&|\band\b|\bund\b|\bet\b|\by\b|\bwith\b|\n)\s*")
        .expect("valid regex")
});

static NOISE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(updated|published|posted|last\s+updated|on)\b.*$|\S+@\S+|https?://\S+|\d{1,2}:\d{2}.*$|\b(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+\d{1,2},?\s+\d{4}.*$|\d{4}-\d{2}-\d{2}.*$")
        .expect("valid regex")
});

/// A byline taken apart.
#[derive(Debug, Default, PartialEq)]
pub struct Byline {
    /// Person names.
    pub persons: Vec<String>,
    /// The wire credit, if a wire was named.
    pub credit: Option<String>,
    /// Other organisations named ("Everfit Team", "USA TODAY").
    pub orgs: Vec<String>,
}

/// Splits a byline into person names, the wire credit and other organisations.
pub fn split_byline(raw: &str) -> Byline {
    let mut persons = Vec::new();
    let mut orgs = Vec::new();
    let mut credit: Option<String> = wire(raw).map(str::to_string);
    let s = collapse(raw);
    let s = BY_PREFIX.replace(&s, "");
    let s = NOISE.replace(&s, "");
    for part in SPLIT.split(&s) {
        let mut p = BY_PREFIX.replace(part.trim(), "").trim().to_string();
        if p.is_empty() {
            continue;
        }
        if let Some(w) = wire(&p) {
            credit.get_or_insert_with(|| w.to_string());
            continue;
        }
        p = ROLE.replace(&p, "").trim().to_string();
        p = p
            .trim_matches(|c: char| !c.is_alphanumeric() && c != '.' && c != '\'' && c != '’')
            .to_string();
        let p = p.trim_end_matches('.').to_string();
        if p.is_empty() || !p.chars().next().is_some_and(char::is_alphabetic) {
            continue;
        }
        if is_organisation(&p) {
            orgs.push(p);
            continue;
        }
        if NOT_NAME.is_match(&p) {
            continue;
        }
        let words = p.split_whitespace().count();
        if !(1..=5).contains(&words) || p.len() > 60 {
            continue;
        }
        if !persons.iter().any(|x: &String| x.eq_ignore_ascii_case(&p)) {
            persons.push(p);
        }
    }
    Byline {
        persons,
        credit,
        orgs,
    }
}

/// Link and label text that sits where a name would ("More from this author", "Full Bio").
static NOT_NAME: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(more|from|this|author|authors|view|all|posts|profile|bio|articles|stories|read|follow|email|contact|name|about|see|latest|share|comments?|subscribe|editorial|guidelines|facebook|twitter|instagram|linkedin)\b|^(the\s+)?author$|^by$")
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
