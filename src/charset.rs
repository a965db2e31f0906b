//! Charset decoding: raw bytes plus the `Content-Type` header (when there is one) in, UTF-8
//! text out.
//!
//! Pure code, used by `fetch` (pages), `feed` (non-UTF-8 feeds) and `wiredesk extract`
//! (files on disk). The order follows the WHATWG encoding sniffing algorithm: BOM, then the
//! transport charset, then what the document declares about itself, then detection.
//!
//! Detection is the costly step (chardetng scores every candidate encoding on every byte), and
//! most undeclared pages are plain UTF-8, so it is split in two. Bytes that are valid UTF-8 are
//! UTF-8: one validity check, and the answer chardetng would give (it keeps UTF-8 as long as no
//! byte contradicts it, and prefers it then). Only bytes that are not UTF-8 go to chardetng,
//! and it sees a bounded window of them ([`DETECT_WINDOW`]) starting where the text stops being
//! UTF-8, where the legacy encoding's own bytes are.

use std::ops::Range;

use chardetng::{EncodingDetector, Iso2022JpDetection, Utf8Detection};
use encoding_rs::{Encoding, UTF_8, WINDOWS_1252};

/// How many bytes the `<meta charset>` prescan looks at (the HTML standard's limit).
const PRESCAN_BYTES: usize = 1024;

/// At most this many bytes are fed to the detector: tens of kilobytes of text settle the
/// encoding as well as the whole document does, and the time spent stays bounded however large
/// the page is.
pub const DETECT_WINDOW: usize = 64 * 1024;

/// How far before the first byte that is not UTF-8 the detection window may start, to begin
/// at a word boundary (the detector scores letters by their neighbours).
const WINDOW_LEAD: usize = 256;

/// How the encoding of a document was chosen, in the order the steps are tried.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Chosen {
    /// A byte-order mark.
    Bom,
    /// The `charset` of the `Content-Type` header.
    Header,
    /// The document's own `<meta charset>` / `<?xml encoding?>`.
    Declared,
    /// Nothing declared it, and the bytes are valid UTF-8: no detection ran.
    Utf8,
    /// Nothing declared it, the bytes are not UTF-8, and the detector chose from the bytes in
    /// `window`.
    Detected {
        /// The byte range the detector was fed (at most [`DETECT_WINDOW`] long).
        window: Range<usize>,
    },
}

/// An encoding, how it was chosen, and the bytes to decode with it (after any BOM).
#[derive(Debug, Clone)]
pub struct Sniffed<'a> {
    /// The encoding.
    pub encoding: &'static Encoding,
    /// How it was chosen.
    pub chosen: Chosen,
    /// The document's bytes after the BOM, if there was one.
    pub body: &'a [u8],
}

impl Sniffed<'_> {
    /// The document as UTF-8 text (malformed bytes become U+FFFD).
    pub fn decode(&self) -> String {
        decode_body(self.encoding, self.body)
    }
}

/// Decodes an HTML document to UTF-8: BOM, then the `Content-Type` charset, then `<meta>`,
/// then detection.
pub fn decode_html(bytes: &[u8], content_type: Option<&str>) -> String {
    decode_html_with_tld(bytes, content_type, None)
}

/// Like [`decode_html`], with the top-level domain of the page's host (`b"de"`) as a hint for
/// detection when nothing is declared.
pub fn decode_html_with_tld(
    bytes: &[u8],
    content_type: Option<&str>,
    tld: Option<&[u8]>,
) -> String {
    html_encoding(bytes, content_type, tld).decode()
}

/// Decodes an XML document (a feed) to UTF-8: BOM, then the `Content-Type` charset, then the
/// `<?xml encoding="…"?>` declaration, then detection.
///
/// The XML declaration of the result says `encoding="UTF-8"` (if it named an encoding at all),
/// so the text can be handed to an XML parser as UTF-8 bytes.
///
/// Bytes labelled UTF-8 (or unlabelled) that are not valid UTF-8 are detected instead
/// (undeclared Latin-1 / cp1252 is common in feeds).
pub fn decode_xml(bytes: &[u8], content_type: Option<&str>) -> String {
    let Sniffed {
        mut encoding, body, ..
    } = xml_encoding(bytes, content_type);
    if Encoding::for_bom(bytes).is_none()
        && encoding == UTF_8
        && let Err(e) = std::str::from_utf8(body)
    {
        // Labelled UTF-8 but not UTF-8: Latin-1/cp1252 in practice.
        let guess = detect(body, e.valid_up_to(), None).0;
        encoding = if guess == UTF_8 { WINDOWS_1252 } else { guess };
    }
    rewrite_xml_declaration(decode_body(encoding, body))
}

/// The encoding an XML document is in, and how it was chosen.
pub fn xml_encoding<'a>(bytes: &'a [u8], content_type: Option<&str>) -> Sniffed<'a> {
    if let Some((encoding, len)) = Encoding::for_bom(bytes) {
        return sniffed(encoding, Chosen::Bom, &bytes[len..]);
    }
    if let Some(enc) = content_type.and_then(charset_from_content_type) {
        return sniffed(ascii_compatible(enc), Chosen::Header, bytes);
    }
    if let Some(enc) = xml_declared_encoding(bytes) {
        return sniffed(ascii_compatible(enc), Chosen::Declared, bytes);
    }
    undeclared(bytes, None)
}

/// The encoding an HTML document is in, and how it was chosen; `tld` as in
/// [`decode_html_with_tld`].
pub fn html_encoding<'a>(
    bytes: &'a [u8],
    content_type: Option<&str>,
    tld: Option<&[u8]>,
) -> Sniffed<'a> {
    if let Some((encoding, len)) = Encoding::for_bom(bytes) {
        return sniffed(encoding, Chosen::Bom, &bytes[len..]);
    }
    if let Some(enc) = content_type.and_then(charset_from_content_type) {
        return sniffed(enc, Chosen::Header, bytes);
    }
    if let Some(enc) = meta_prescan(&bytes[..bytes.len().min(PRESCAN_BYTES)]) {
        return sniffed(enc, Chosen::Declared, bytes);
    }
    undeclared(bytes, tld)
}

fn sniffed<'a>(encoding: &'static Encoding, chosen: Chosen, body: &'a [u8]) -> Sniffed<'a> {
    Sniffed {
        encoding,
        chosen,
        body,
    }
}

/// Nothing declares the encoding: UTF-8 if the bytes are UTF-8, else detected.
fn undeclared<'a>(bytes: &'a [u8], tld: Option<&[u8]>) -> Sniffed<'a> {
    match std::str::from_utf8(bytes) {
        Ok(_) => sniffed(UTF_8, Chosen::Utf8, bytes),
        Err(e) => {
            let (encoding, window) = detect(bytes, e.valid_up_to(), tld);
            sniffed(encoding, Chosen::Detected { window }, bytes)
        }
    }
}

fn decode_body(encoding: &'static Encoding, body: &[u8]) -> String {
    let (text, _had_errors) = encoding.decode_without_bom_handling(body);
    text.into_owned()
}

/// chardetng's guess for bytes that are not UTF-8, the first offending byte at `bad`, and the
/// window of bytes it was fed.
fn detect(bytes: &[u8], bad: usize, tld: Option<&[u8]>) -> (&'static Encoding, Range<usize>) {
    let window = detection_window(bytes, bad);
    let mut detector = EncodingDetector::new(Iso2022JpDetection::Deny);
    detector.feed(&bytes[window.clone()], true);
    // The whole document is known not to be UTF-8, even if the window happens to be.
    (detector.guess(tld, Utf8Detection::Deny), window)
}

/// The bytes the detector sees: at most [`DETECT_WINDOW`] of them, from a little before the
/// first byte that is not UTF-8 (`bad`), where the legacy encoding's bytes start. Both ends
/// are cut at a `<`, `>` or ASCII whitespace, which no multi-byte encoding uses inside a
/// character (their trail bytes are 0x40 and up), so no character is split.
pub(crate) fn detection_window(bytes: &[u8], bad: usize) -> Range<usize> {
    let is_cut = |b: &u8| b.is_ascii_whitespace() || matches!(b, b'<' | b'>');
    let floor = bad.saturating_sub(WINDOW_LEAD);
    let start = bytes[floor..bad]
        .iter()
        .rposition(is_cut)
        .map_or(floor, |p| floor + p);
    let end = start.saturating_add(DETECT_WINDOW);
    if end >= bytes.len() {
        return start..bytes.len();
    }
    let end = bytes[start..end]
        .iter()
        .rposition(is_cut)
        .map_or(end, |p| start + p);
    start..end
}

/// A document that declares itself UTF-16 in ASCII text cannot be UTF-16 (the declaration
/// would not have been readable): the standard says to treat that as UTF-8.
fn ascii_compatible(enc: &'static Encoding) -> &'static Encoding {
    if enc.is_ascii_compatible() {
        enc
    } else {
        UTF_8
    }
}

/// The `charset` parameter of a `Content-Type` value, if it names a known encoding.
pub fn charset_from_content_type(content_type: &str) -> Option<&'static Encoding> {
    content_type.split(';').skip(1).find_map(|param| {
        let (name, value) = param.split_once('=')?;
        if !name.trim().eq_ignore_ascii_case("charset") {
            return None;
        }
        let value = value.trim().trim_matches(|c| c == '"' || c == '\'');
        Encoding::for_label(value.as_bytes())
    })
}

/// The encoding named by the XML declaration at the start of the document.
fn xml_declared_encoding(bytes: &[u8]) -> Option<&'static Encoding> {
    let head = &bytes[..bytes.len().min(PRESCAN_BYTES)];
    let start = skip_ascii_whitespace(head, 0);
    if !head[start..].starts_with(b"<?xml") {
        return None;
    }
    let end = find(head, b"?>", start)?;
    let decl = &head[start + 5..end];
    let value = attribute_in(decl, b"encoding")?;
    Encoding::for_label(value)
}

/// Rewrites `encoding="…"` in a leading XML declaration to UTF-8, the encoding of the text now.
fn rewrite_xml_declaration(text: String) -> String {
    let start = text.len() - text.trim_start().len();
    if !text[start..].starts_with("<?xml") {
        return text;
    }
    let Some(rel_end) = text[start..].find("?>") else {
        return text;
    };
    let end = start + rel_end;
    let decl = &text[start..end];
    let Some(pos) = decl.find("encoding") else {
        return text;
    };
    let after = &decl[pos + "encoding".len()..];
    let eq = after.len() - after.trim_start().len();
    let after_eq = &after[eq..];
    if !after_eq.starts_with('=') {
        return text;
    }
    let value_part = &after_eq[1..];
    let ws = value_part.len() - value_part.trim_start().len();
    let quoted = &value_part[ws..];
    let Some(quote) = quoted.chars().next().filter(|c| *c == '"' || *c == '\'') else {
        return text;
    };
    let Some(close) = quoted[1..].find(quote) else {
        return text;
    };
    let value_start = start + pos + "encoding".len() + eq + 1 + ws + 1;
    let value_end = value_start + close;
    let mut out = String::with_capacity(text.len());
    out.push_str(&text[..value_start]);
    out.push_str("UTF-8");
    out.push_str(&text[value_end..]);
    out
}

/// The HTML standard's `<meta>` prescan, simplified: the first `<meta charset>` or
/// `<meta http-equiv="content-type" content="…charset=…">` wins; comments are skipped.
fn meta_prescan(head: &[u8]) -> Option<&'static Encoding> {
    let mut i = 0;
    while i < head.len() {
        if head[i..].starts_with(b"<!--") {
            i = find(head, b"-->", i + 4).map_or(head.len(), |e| e + 3);
            continue;
        }
        if head[i] == b'<' && starts_with_ignore_case(&head[i + 1..], b"meta") {
            let after = i + 5;
            if head
                .get(after)
                .is_some_and(|b| b.is_ascii_whitespace() || *b == b'/')
            {
                let end = head[after..]
                    .iter()
                    .position(|b| *b == b'>')
                    .map_or(head.len(), |p| after + p);
                if let Some(enc) = meta_tag_encoding(&head[after..end]) {
                    // UTF-16 in an ASCII <meta> is a lie (the standard maps it to UTF-8), and
                    // x-user-defined means windows-1252.
                    let enc = if !enc.is_ascii_compatible() {
                        UTF_8
                    } else if enc == encoding_rs::X_USER_DEFINED {
                        WINDOWS_1252
                    } else {
                        enc
                    };
                    return Some(enc);
                }
                i = end;
                continue;
            }
        }
        i += 1;
    }
    None
}

fn meta_tag_encoding(attrs: &[u8]) -> Option<&'static Encoding> {
    if let Some(value) = attribute_in(attrs, b"charset") {
        return Encoding::for_label(value);
    }
    let http_equiv = attribute_in(attrs, b"http-equiv")?;
    if !http_equiv.eq_ignore_ascii_case(b"content-type") {
        return None;
    }
    let content = attribute_in(attrs, b"content")?;
    let content = std::str::from_utf8(content).ok()?;
    let lower = content.to_ascii_lowercase();
    let pos = lower.find("charset")?;
    let rest = content[pos + "charset".len()..].trim_start();
    let rest = rest.strip_prefix('=')?.trim_start();
    let rest = rest.trim_start_matches(['"', '\'']);
    let value: &str = rest.split([';', '"', '\'', ' ']).next()?;
    Encoding::for_label(value.as_bytes())
}

/// The value of attribute `name` in the attribute text of a tag (quoted or not).
fn attribute_in<'a>(attrs: &'a [u8], name: &[u8]) -> Option<&'a [u8]> {
    let mut i = 0;
    while i < attrs.len() {
        i = skip_ascii_whitespace(attrs, i);
        let name_start = i;
        while i < attrs.len()
            && !attrs[i].is_ascii_whitespace()
            && attrs[i] != b'='
            && attrs[i] != b'/'
        {
            i += 1;
        }
        let this_name = &attrs[name_start..i];
        i = skip_ascii_whitespace(attrs, i);
        let mut value: &[u8] = b"";
        if attrs.get(i) == Some(&b'=') {
            i = skip_ascii_whitespace(attrs, i + 1);
            match attrs.get(i) {
                Some(&q) if q == b'"' || q == b'\'' => {
                    let end = attrs[i + 1..]
                        .iter()
                        .position(|b| *b == q)
                        .map_or(attrs.len(), |p| i + 1 + p);
                    value = &attrs[i + 1..end];
                    i = end + 1;
                }
                _ => {
                    let start = i;
                    while i < attrs.len() && !attrs[i].is_ascii_whitespace() {
                        i += 1;
                    }
                    value = &attrs[start..i];
                }
            }
        }
        if !this_name.is_empty() && this_name.eq_ignore_ascii_case(name) {
            return Some(trim_ascii(value));
        }
        if this_name.is_empty() {
            i += 1;
        }
    }
    None
}

fn skip_ascii_whitespace(bytes: &[u8], mut i: usize) -> usize {
    while i < bytes.len() && bytes[i].is_ascii_whitespace() {
        i += 1;
    }
    i
}

fn trim_ascii(bytes: &[u8]) -> &[u8] {
    bytes.trim_ascii()
}

fn starts_with_ignore_case(bytes: &[u8], prefix: &[u8]) -> bool {
    bytes.len() >= prefix.len() && bytes[..prefix.len()].eq_ignore_ascii_case(prefix)
}

fn find(haystack: &[u8], needle: &[u8], from: usize) -> Option<usize> {
    if from > haystack.len() {
        return None;
    }
    haystack[from..]
        .windows(needle.len())
        .position(|w| w == needle)
        .map(|p| from + p)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixture(name: &str) -> Vec<u8> {
        let path = format!("{}/fixtures/charset/{name}", env!("CARGO_MANIFEST_DIR"));
        std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
    }

    #[test]
    fn meta_charset_iso_8859_1_is_honoured() {
        let html = decode_html(&fixture("iso-8859-1-meta.html"), None);
        assert!(html.contains("Caf\u{e9} cr\u{e8}me"), "{html}");
    }

    #[test]
    fn http_equiv_content_type_is_honoured() {
        let html = decode_html(&fixture("windows-1251-http-equiv.html"), None);
        assert!(
            html.contains("\u{41d}\u{43e}\u{432}\u{43e}\u{441}\u{442}\u{438}"),
            "{html}"
        );
    }

    #[test]
    fn header_charset_alone_decodes_windows_1252() {
        let bytes = fixture("windows-1252-header-only.html");
        let html = decode_html(&bytes, Some("text/html; charset=windows-1252"));
        // 0x93/0x94 are curly quotes and 0x97 an em dash only in windows-1252.
        assert!(
            html.contains("\u{201c}Quoted\u{201d} \u{2014} na\u{ef}ve"),
            "{html}"
        );
    }

    #[test]
    fn header_charset_beats_meta() {
        let bytes = fixture("iso-8859-1-meta.html");
        // Told UTF-8 by the header, the Latin-1 bytes are invalid and become U+FFFD.
        let html = decode_html(&bytes, Some("text/html; charset=\"utf-8\""));
        assert!(html.contains('\u{fffd}'), "{html}");
    }

    #[test]
    fn bom_beats_header_and_is_stripped() {
        let bytes = fixture("utf8-bom.html");
        let html = decode_html(&bytes, Some("text/html; charset=iso-8859-1"));
        assert!(!html.starts_with('\u{feff}'));
        assert!(
            html.contains("\u{e9}t\u{e9} \u{2014} \u{201c}ok\u{201d}"),
            "{html}"
        );
    }

    #[test]
    fn meta_after_1024_bytes_is_ignored_and_detection_runs() {
        let bytes = fixture("iso-8859-1-meta-after-1024.html");
        let html = decode_html(&bytes, None);
        // Detection still finds a Latin encoding (not UTF-8, which would give U+FFFD).
        assert!(html.contains("d\u{e9}j\u{e0} vu"), "{html}");
    }

    #[test]
    fn undeclared_latin1_is_detected() {
        let html = decode_html(
            "<p>Le caf\u{e9} de la r\u{e9}publique, d\u{e9}j\u{e0} ferm\u{e9}.</p>"
                .chars()
                .map(|c| c as u32 as u8)
                .collect::<Vec<_>>()
                .as_slice(),
            None,
        );
        assert!(html.contains("r\u{e9}publique"), "{html}");
    }

    #[test]
    fn xml_declaration_encoding_is_used_and_rewritten() {
        let bytes = fixture("iso-8859-1-decl.rss");
        let xml = decode_xml(&bytes, None);
        assert!(
            xml.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>"),
            "{xml}"
        );
        assert!(xml.contains("Caf\u{e9}"), "{xml}");
    }

    #[test]
    fn undeclared_latin1_xml_is_detected() {
        let xml = decode_xml(&fixture("latin1-undeclared.rss"), None);
        assert!(xml.contains("\u{e9}l\u{e8}ve"), "{xml}");
    }

    #[test]
    fn xml_header_charset_beats_declaration() {
        let xml = decode_xml(
            b"<?xml version='1.0' encoding='utf-8'?><a>\xe9</a>",
            Some("application/rss+xml; charset=ISO-8859-1"),
        );
        assert_eq!(xml, "<?xml version='1.0' encoding='UTF-8'?><a>\u{e9}</a>");
    }

    #[test]
    fn xml_without_encoding_is_left_alone() {
        let xml = decode_xml(b"<?xml version=\"1.0\"?><a>x</a>", None);
        assert_eq!(xml, "<?xml version=\"1.0\"?><a>x</a>");
    }

    #[test]
    fn utf16_xml_with_bom_becomes_utf8_text() {
        let mut bytes = vec![0xff, 0xfe];
        for unit in "<?xml version=\"1.0\" encoding=\"UTF-16\"?><t>\u{fc}</t>".encode_utf16() {
            bytes.extend_from_slice(&unit.to_le_bytes());
        }
        assert_eq!(
            decode_xml(&bytes, None),
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?><t>\u{fc}</t>"
        );
    }

    #[test]
    fn undeclared_utf8_is_detected_as_utf8() {
        let text =
            "<?xml version=\"1.0\"?><t>M\u{fc}nchen \u{2014} \u{201e}Stra\u{df}e\u{201c}</t>";
        assert_eq!(decode_xml(text.as_bytes(), None), text);
        let html = "<p>M\u{fc}nchen \u{2014} caf\u{e9}</p>";
        assert_eq!(decode_html(html.as_bytes(), None), html);
    }

    /// A long article page in the style of a station site, `paragraphs` paragraphs of `para`.
    fn long_page(head: &str, para: &str, paragraphs: usize) -> String {
        let mut page =
            format!("<!doctype html><html><head>{head}<title>Council vote</title></head><body>");
        for _ in 0..paragraphs {
            page.push_str("<p>");
            page.push_str(para);
            page.push_str("</p>\n");
        }
        page.push_str("</body></html>");
        page
    }

    #[test]
    fn large_undeclared_utf8_is_decided_without_detection() {
        let page = long_page(
            "",
            "The caf\u{e9} on Main Street \u{2014} \u{201c}open late\u{201d}, the owner said.",
            20_000,
        );
        assert!(page.len() > 1_000_000);
        let sniffed = html_encoding(page.as_bytes(), None, None);
        assert_eq!(sniffed.chosen, Chosen::Utf8);
        assert_eq!(sniffed.encoding, UTF_8);
        assert_eq!(sniffed.decode(), page);
        // Pure ASCII decodes the same in any ASCII-compatible encoding; it is called UTF-8.
        let ascii = long_page("", "Plain words only.", 10);
        assert_eq!(
            html_encoding(ascii.as_bytes(), None, None).chosen,
            Chosen::Utf8
        );
    }

    #[test]
    fn declared_charset_is_reported_as_declared() {
        let bytes = fixture("iso-8859-1-meta.html");
        let sniffed = html_encoding(&bytes, None, None);
        assert_eq!(sniffed.chosen, Chosen::Declared);
        assert_eq!(sniffed.encoding, WINDOWS_1252);
        let header = html_encoding(&bytes, Some("text/html; charset=utf-8"), None);
        assert_eq!(header.chosen, Chosen::Header);
        assert_eq!(
            html_encoding(&fixture("utf8-bom.html"), None, None).chosen,
            Chosen::Bom
        );
    }

    #[test]
    fn detection_sees_a_bounded_window_of_a_large_page() {
        let text = long_page(
            "",
            "Le caf\u{e9} de la r\u{e9}publique a d\u{e9}j\u{e0} ferm\u{e9} ses portes, \u{e0} l'\u{e9}t\u{e9}.",
            20_000,
        );
        let (bytes, _, _) = WINDOWS_1252.encode(&text);
        assert!(bytes.len() > 16 * DETECT_WINDOW);
        let sniffed = html_encoding(&bytes, None, None);
        let Chosen::Detected { window } = &sniffed.chosen else {
            panic!("expected detection, got {:?}", sniffed.chosen);
        };
        assert!(window.len() <= DETECT_WINDOW, "{window:?}");
        assert!(window.len() > DETECT_WINDOW / 2, "{window:?}");
        assert_eq!(sniffed.encoding, WINDOWS_1252);
        assert_eq!(sniffed.decode(), text);
    }

    #[test]
    fn detection_window_starts_where_the_text_stops_being_utf8() {
        // 200 KiB of markup and script before the first legacy byte: a window at the start of
        // the page would see only ASCII and guess blindly.
        let filler = "<script>var slots = [1, 2, 3]; function show(a) { return a + 1; }</script>\n";
        let head = filler.repeat(200 * 1024 / filler.len());
        let text = long_page(
            &head,
            "\u{41d}\u{43e}\u{432}\u{43e}\u{441}\u{442}\u{438} \u{433}\u{43e}\u{440}\u{43e}\u{434}\u{430}: \u{441}\u{43e}\u{432}\u{435}\u{442} \u{43f}\u{440}\u{438}\u{43d}\u{44f}\u{43b} \u{431}\u{44e}\u{434}\u{436}\u{435}\u{442}.",
            200,
        );
        let (bytes, _, _) = encoding_rs::WINDOWS_1251.encode(&text);
        let first_legacy = bytes.iter().position(|b| !b.is_ascii()).unwrap();
        assert!(first_legacy > 200 * 1024 - filler.len());
        let sniffed = html_encoding(&bytes, None, None);
        let Chosen::Detected { window } = &sniffed.chosen else {
            panic!("expected detection, got {:?}", sniffed.chosen);
        };
        assert!(window.start <= first_legacy, "{window:?}");
        assert!(first_legacy - window.start <= WINDOW_LEAD, "{window:?}");
        assert_eq!(sniffed.encoding, encoding_rs::WINDOWS_1251);
        assert_eq!(sniffed.decode(), text);
    }

    #[test]
    fn detection_window_ends_between_characters() {
        // Two-byte Shift_JIS text with no spaces: the window must not end inside a character.
        let text = "\u{65e5}\u{672c}\u{8a9e}<br>".repeat(30_000);
        let (bytes, _, _) = encoding_rs::SHIFT_JIS.encode(&text);
        let window = detection_window(&bytes, 0);
        assert!(window.len() <= DETECT_WINDOW);
        assert!(matches!(bytes[window.end], b'<' | b'>'));
        let (_, had_errors) = encoding_rs::SHIFT_JIS.decode_without_bom_handling(&bytes[window]);
        assert!(!had_errors);
    }

    #[test]
    fn content_type_charset_parsing() {
        assert_eq!(
            charset_from_content_type("text/html;charset=ISO-8859-1"),
            Some(WINDOWS_1252)
        );
        assert_eq!(
            charset_from_content_type("text/html; Charset='utf-8'"),
            Some(UTF_8)
        );
        assert_eq!(charset_from_content_type("text/html"), None);
        assert_eq!(charset_from_content_type("text/html; charset=bogus"), None);
    }
}
