//! Charset decoding: raw bytes plus the `Content-Type` header in, UTF-8 text out.
//!
//! Pure code, shared by `fetch` (pages) and `feed` (non-UTF-8 feeds). The order follows the
//! WHATWG encoding sniffing algorithm: BOM, then the transport charset, then what the document
//! declares about itself, then statistical detection (chardetng).

use chardetng::{EncodingDetector, Iso2022JpDetection, Utf8Detection};
use encoding_rs::{Encoding, UTF_8, WINDOWS_1252};

/// How many bytes the `<meta charset>` prescan looks at (the HTML standard's limit).
const PRESCAN_BYTES: usize = 1024;

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
    let (encoding, body) = html_encoding(bytes, content_type, tld);
    decode_body(encoding, body)
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
    decode_xml_reporting(bytes, content_type).0
}

/// Like [`decode_xml`], and also says how the charset was chosen when that is worth
/// reporting: the header alone named it, or the declared/served UTF-8 was not UTF-8 and the
/// charset was detected instead (e.g. `"charset:iso-8859-1 from header"`).
fn decode_xml_reporting(bytes: &[u8], content_type: Option<&str>) -> (String, Option<String>) {
    let (mut encoding, body) = xml_encoding(bytes, content_type);
    let header = content_type.and_then(charset_from_content_type);
    let declared = xml_declared_encoding(bytes);
    let mut note = None;
    if Encoding::for_bom(bytes).is_none() {
        if encoding == UTF_8 && std::str::from_utf8(body).is_err() {
            // Labelled (or defaulted) UTF-8 but not UTF-8: Latin-1/cp1252 in practice.
            let guess = detect(body, None);
            let guess = if guess == UTF_8 { WINDOWS_1252 } else { guess };
            note = Some(format!(
                "charset:{} detected (bytes are not the UTF-8 {})",
                guess.name().to_ascii_lowercase(),
                if header.is_some() || declared.is_some() {
                    "declared"
                } else {
                    "default"
                }
            ));
            encoding = guess;
        } else if header.is_some() && declared.is_none_or(|d| d != encoding) {
            note = Some(format!(
                "charset:{} from header",
                encoding.name().to_ascii_lowercase()
            ));
        }
    }
    let text = decode_body(encoding, body);
    (rewrite_xml_declaration(text), note)
}

/// The encoding an XML document is in, and the bytes after any BOM.
pub(crate) fn xml_encoding<'a>(
    bytes: &'a [u8],
    content_type: Option<&str>,
) -> (&'static Encoding, &'a [u8]) {
    if let Some((enc, len)) = Encoding::for_bom(bytes) {
        return (enc, &bytes[len..]);
    }
    if let Some(enc) = content_type.and_then(charset_from_content_type) {
        return (ascii_compatible(enc), bytes);
    }
    if let Some(enc) = xml_declared_encoding(bytes) {
        return (ascii_compatible(enc), bytes);
    }
    (detect(bytes, None), bytes)
}

fn html_encoding<'a>(
    bytes: &'a [u8],
    content_type: Option<&str>,
    tld: Option<&[u8]>,
) -> (&'static Encoding, &'a [u8]) {
    if let Some((enc, len)) = Encoding::for_bom(bytes) {
        return (enc, &bytes[len..]);
    }
    if let Some(enc) = content_type.and_then(charset_from_content_type) {
        return (enc, bytes);
    }
    if let Some(enc) = meta_prescan(&bytes[..bytes.len().min(PRESCAN_BYTES)]) {
        return (enc, bytes);
    }
    (detect(bytes, tld), bytes)
}

fn decode_body(encoding: &'static Encoding, body: &[u8]) -> String {
    let (text, _had_errors) = encoding.decode_without_bom_handling(body);
    text.into_owned()
}

fn detect(bytes: &[u8], tld: Option<&[u8]>) -> &'static Encoding {
    let mut detector = EncodingDetector::new(Iso2022JpDetection::Deny);
    detector.feed(bytes, true);
    detector.guess(tld, Utf8Detection::Allow)
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
pub(crate) fn charset_from_content_type(content_type: &str) -> Option<&'static Encoding> {
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
