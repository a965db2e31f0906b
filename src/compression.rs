//! Bodies compressed without saying so: gzip and zlib data recognised by their magic bytes.
//!
//! A feed file saved as `.xml.gz`, or a server that gzips a feed without a
//! `Content-Encoding` header (or gzips it twice), hands us compressed bytes where a parser
//! expects text. Both formats announce themselves in their first bytes (RFC 1952 §2.3.1: `1f 8b`
//! and method 8; RFC 1950 §2.2: a deflate `CMF` byte whose header checksum divides by 31), so
//! they are unpacked here, before any parser sees them, and under the same size cap as any body:
//! a small bomb cannot unpack past it. Raw deflate has no magic and is not guessed at. Pure: bytes
//! in, bytes out; used by `fetch` (bodies) and `feed` (files given to `parse`).

use std::borrow::Cow;
use std::io::Read;

/// A compression format recognised by its first bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Packing {
    /// RFC 1952 (one or more members).
    Gzip,
    /// RFC 1950, what HTTP calls `deflate`.
    Zlib,
}

impl Packing {
    /// The format's name, for messages.
    pub fn name(self) -> &'static str {
        match self {
            Packing::Gzip => "gzip",
            Packing::Zlib => "zlib",
        }
    }
}

/// Why compressed bytes could not be unpacked.
#[derive(Debug, thiserror::Error)]
pub enum UnpackError {
    /// The unpacked data would pass the cap.
    #[error("{} data unpacks to more than {limit} bytes", .packing.name())]
    TooLarge {
        /// The format.
        packing: Packing,
        /// The cap.
        limit: u64,
    },
    /// The data starts like gzip but is not valid gzip (truncated, bad checksum).
    #[error("{} data does not unpack: {source}", .packing.name())]
    Corrupt {
        /// The format.
        packing: Packing,
        /// The decoder's error.
        #[source]
        source: std::io::Error,
    },
}

/// The format `bytes` start with, if any. zlib is taken only with the header a zlib encoder
/// writes (`78` and one of its four level flags), because any two bytes whose value divides by
/// 31 pass the RFC's own check, text like "x " among them.
pub fn sniff(bytes: &[u8]) -> Option<Packing> {
    match bytes {
        [0x1f, 0x8b, 0x08, ..] => Some(Packing::Gzip),
        [0x78, 0x01 | 0x5e | 0x9c | 0xda, _, ..] => Some(Packing::Zlib),
        _ => None,
    }
}

/// `bytes` unpacked when they are gzip or zlib, else as they are. At most `limit` bytes come
/// out. zlib that does not decode is returned as it was (its two-byte header is weak evidence);
/// gzip that does not decode is an error (its magic is not).
pub fn unpack(bytes: &[u8], limit: u64) -> Result<Cow<'_, [u8]>, UnpackError> {
    let Some(packing) = sniff(bytes) else {
        return Ok(Cow::Borrowed(bytes));
    };
    let read = |reader: &mut dyn Read| -> Result<Vec<u8>, UnpackError> {
        let mut out = Vec::new();
        reader
            .take(limit.saturating_add(1))
            .read_to_end(&mut out)
            .map_err(|source| UnpackError::Corrupt { packing, source })?;
        if out.len() as u64 > limit {
            return Err(UnpackError::TooLarge { packing, limit });
        }
        Ok(out)
    };
    match packing {
        Packing::Gzip => read(&mut flate2::read::MultiGzDecoder::new(bytes)).map(Cow::Owned),
        Packing::Zlib => match read(&mut flate2::read::ZlibDecoder::new(bytes)) {
            Ok(out) => Ok(Cow::Owned(out)),
            Err(UnpackError::Corrupt { .. }) => Ok(Cow::Borrowed(bytes)),
            Err(e) => Err(e),
        },
    }
}

#[cfg(test)]
mod tests {
    use std::io::Write;

    use super::*;

    fn gzip(data: &[u8]) -> Vec<u8> {
        let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        enc.write_all(data).unwrap();
        enc.finish().unwrap()
    }

    fn zlib(data: &[u8]) -> Vec<u8> {
        let mut enc = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
        enc.write_all(data).unwrap();
        enc.finish().unwrap()
    }

    #[test]
    fn gzip_and_zlib_unpack_and_text_passes_through() {
        let feed = b"<?xml version=\"1.0\"?><rss version=\"2.0\"></rss>";
        assert_eq!(unpack(&gzip(feed), 1 << 20).unwrap().as_ref(), feed);
        assert_eq!(unpack(&zlib(feed), 1 << 20).unwrap().as_ref(), feed);
        assert!(matches!(unpack(feed, 1 << 20).unwrap(), Cow::Borrowed(_)));
        // Two gzip members (`cat a.gz b.gz`) are one stream.
        let mut two = gzip(b"<rss>");
        two.extend(gzip(b"</rss>"));
        assert_eq!(unpack(&two, 1 << 20).unwrap().as_ref(), b"<rss></rss>");
    }

    #[test]
    fn text_that_passes_the_zlib_checksum_is_not_taken_for_zlib() {
        // 0x7820 % 31 == 0: "x " is a valid zlib header by RFC 1950's check alone.
        assert_eq!(sniff(b"x marks the spot"), None);
        assert_eq!(sniff(b"{\"version\": 1}"), None);
        // And a zlib-looking start that does not decode is left alone.
        let odd = [0x78, 0x9c, b'<', b'r', b's', b's', b'>'];
        assert_eq!(unpack(&odd, 100).unwrap().as_ref(), &odd);
    }

    #[test]
    fn a_bomb_stops_at_the_cap() {
        let bomb = gzip(&vec![b' '; 4 << 20]);
        assert!(bomb.len() < 64 * 1024, "{}", bomb.len());
        let err = unpack(&bomb, 1 << 20).unwrap_err();
        assert!(matches!(
            err,
            UnpackError::TooLarge {
                packing: Packing::Gzip,
                limit: 1048576
            }
        ));
        assert_eq!(
            err.to_string(),
            "gzip data unpacks to more than 1048576 bytes"
        );
    }

    #[test]
    fn truncated_gzip_is_an_error_naming_gzip() {
        let data = gzip(&b"<rss version=\"2.0\"><channel></channel></rss>".repeat(50));
        let err = unpack(&data[..data.len() / 2], 1 << 20).unwrap_err();
        assert!(
            err.to_string().starts_with("gzip data does not unpack"),
            "{err}"
        );
    }
}
