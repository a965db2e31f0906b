//! Plain-text fields (titles, names, categories) as people read them.
//!
//! Feeds often carry HTML named entities (`&nbsp;`, `&rsquo;`) that XML does not define;
//! feed-rs then leaves them as written. They are decoded here with html5ever's entity table,
//! only in fields that are text, never in summaries or content (which are HTML).

use std::borrow::Cow;

/// `s` with HTML named references decoded and no-break spaces made plain spaces.
pub fn clean_text(s: &str) -> Cow<'_, str> {
    if !s.contains('&') && !s.contains('\u{a0}') {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(pos) = rest.find('&') {
        out.push_str(&rest[..pos]);
        rest = &rest[pos..];
        match decode_reference(rest) {
            Some((decoded, len)) => {
                out.push_str(&decoded);
                rest = &rest[len..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    Cow::Owned(out.replace('\u{a0}', " "))
}

/// The text of a quick-xml name or value (quick-xml 0.42 gives `str`s).
pub(super) fn owned_str<S: AsRef<str> + ?Sized>(s: &S) -> String {
    s.as_ref().to_string()
}

/// The offset of the first `;` among the first `limit` bytes of `s`. Bounded so that a run
/// of `&` without any `;` costs linear, not quadratic, time.
pub(super) fn semicolon_within(s: &str, limit: usize) -> Option<usize> {
    s.as_bytes().iter().take(limit).position(|b| *b == b';')
}

/// The text of the named reference at the start of `s` and its length in bytes.
fn decode_reference(s: &str) -> Option<(String, usize)> {
    let end = semicolon_within(s.get(1..)?, 33)? + 1;
    let name = &s[1..end];
    if name.is_empty() || name.len() > 32 || !name.chars().all(|c| c.is_ascii_alphanumeric()) {
        return None;
    }
    let key = format!("{name};");
    let &(first, second) = html5ever::data::NAMED_ENTITIES.get(key.as_str())?;
    let mut decoded: String = char::from_u32(first)?.to_string();
    if second != 0 {
        decoded.push(char::from_u32(second)?);
    }
    Some((decoded, end + 1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_html_named_entities_left_by_the_xml_parser() {
        assert_eq!(
            clean_text("Storm&rsquo;s path&nbsp;&mdash; update"),
            "Storm\u{2019}s path \u{2014} update"
        );
        assert_eq!(clean_text("AT&T &bogus; & more"), "AT&T &bogus; & more");
        assert!(matches!(clean_text("plain"), Cow::Borrowed(_)));
    }
}
