//! What feed-rs drops from each item, read directly from the XML in one pass.
//!
//! - feed-rs 3.0 only emits a Media RSS object when the scope has a `media:content`, so a
//!   thumbnail on its own — common for station feeds — is dropped: we keep the first
//!   `media:thumbnail` of each `<item>` / `<entry>`.
//! - An RSS 1.0 item's identity is its `rdf:about`, which feed-rs does not expose.
//!
//! Items are listed in document order (the order feed-rs keeps).

use quick_xml::events::{BytesStart, Event};

/// Per-item facts feed-rs does not keep.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ItemExtras {
    /// The first `media:thumbnail url`.
    pub thumbnail: Option<String>,
    /// The item's `rdf:about` (RSS 1.0).
    pub about: Option<String>,
}

/// The first `media:thumbnail url` of each item or entry, by item index.
#[cfg(test)]
pub fn item_thumbnails(text: &[u8]) -> Vec<Option<String>> {
    item_extras(text).into_iter().map(|x| x.thumbnail).collect()
}

/// The extras of each item or entry, by item index.
pub fn item_extras(text: &[u8]) -> Vec<ItemExtras> {
    let mut reader = quick_xml::Reader::from_reader(text);
    let mut buf = Vec::new();
    let mut out: Vec<ItemExtras> = Vec::new();
    let mut depth_in_item = 0usize;
    loop {
        let event = match reader.read_event_into(&mut buf) {
            Ok(Event::Eof) | Err(_) => break,
            Ok(e) => e,
        };
        match event {
            Event::Start(e) => {
                let local = e.local_name().as_ref().to_owned();
                if depth_in_item == 0 && (local == "item" || local == "entry") {
                    out.push(ItemExtras {
                        thumbnail: None,
                        about: rdf_about(&e),
                    });
                    depth_in_item = 1;
                } else if depth_in_item > 0 {
                    depth_in_item += 1;
                    record_thumbnail(&e, &mut out);
                }
            }
            Event::Empty(e) => {
                if depth_in_item > 0 {
                    record_thumbnail(&e, &mut out);
                } else if matches!(e.local_name().as_ref(), "item" | "entry") {
                    out.push(ItemExtras {
                        thumbnail: None,
                        about: rdf_about(&e),
                    });
                }
            }
            Event::End(_) if depth_in_item > 0 => depth_in_item -= 1,
            _ => {}
        }
        buf.clear();
    }
    out
}

fn rdf_about(e: &BytesStart<'_>) -> Option<String> {
    let attr = e.try_get_attribute("rdf:about").ok()??;
    let about = attr
        .normalized_value(quick_xml::XmlVersion::Implicit1_0)
        .ok()?
        .trim()
        .to_string();
    (!about.is_empty()).then_some(about)
}

fn record_thumbnail(e: &BytesStart<'_>, out: &mut [ItemExtras]) {
    let name = e.name();
    let qname: &str = name.as_ref();
    if !(qname == "media:thumbnail" || qname.ends_with(":thumbnail")) {
        return;
    }
    let Some(slot) = out.last_mut().map(|x| &mut x.thumbnail) else {
        return;
    };
    if slot.is_none()
        && let Ok(Some(attr)) = e.try_get_attribute("url")
    {
        let url = attr.value.trim().to_string();
        if !url.is_empty() {
            *slot = Some(url);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_first_thumbnail_per_item() {
        let xml = br#"<rss xmlns:media="http://search.yahoo.com/mrss/"><channel><media:thumbnail url="chan.jpg"/>
            <item><title>a</title><media:thumbnail url="a1.jpg"/><media:thumbnail url="a2.jpg"/></item>
            <item><title>b</title></item>
            <item><media:group><media:thumbnail url="c.jpg"/></media:group></item></channel></rss>"#;
        assert_eq!(
            item_thumbnails(xml),
            vec![Some("a1.jpg".to_string()), None, Some("c.jpg".to_string())]
        );
    }
}
