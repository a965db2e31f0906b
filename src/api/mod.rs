//! How stories leave the store: the formats news systems read. [`ninjs`] (IPTC ninjs 2.1, what
//! wire systems and CMS importers speak), [`atom`] and [`jsonfeed`] (what any feed reader
//! subscribes to), and [`export`], which streams a whole filtered set in any of them (and in
//! JSON lines of our own columns) at constant memory.
//!
//! Each format maps one [`crate::store::StoryRow`] (plain data) to text; nothing here reads
//! the store or the network.

pub mod atom;
pub mod export;
pub mod jsonfeed;
pub mod ninjs;

/// A story's stable URI within this store: `urn:wiredesk:story:ID`.
pub fn story_uri(id: i64) -> String {
    format!("urn:wiredesk:story:{id}")
}
