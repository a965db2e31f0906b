//! Item-level `media:thumbnail` URLs, read directly from the XML.
//!
//! feed-rs 3.0 only emits a Media RSS object when the scope has a `media:content`, so a
//! thumbnail on its own — common for station feeds — is dropped. This pass finds the first
//! thumbnail of each `<item>` / `<entry>`, in document order (the order feed-rs keeps).

use quick_xml::events::Event;

/// The first `media:thumbnail url` of each item or entry, by item index.
pub fn item_thumbnails(text: &[u8]) -> Vec<Option<String>> {
    let mut reader = quick_xml::Reader::from_reader(text);
    let mut buf = Vec::new();
    let mut out: Vec<Option<String>> = Vec::new();
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
                    out.push(None);
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
                    out.push(None);
                }
            }
            Event::End(_) if depth_in_item > 0 => depth_in_item -= 1,
            _ => {}
        }
        buf.clear();
    }
    out
}

fn record_thumbnail(e: &quick_xml::events::BytesStart<'_>, out: &mut [Option<String>]) {
    let name = e.name();
    let qname: &str = name.as_ref();
    if !(qname == "media:thumbnail" || qname.ends_with(":thumbnail")) {
        return;
    }
    let Some(slot) = out.last_mut() else { return };
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
