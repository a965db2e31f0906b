//! Dates for pages and feeds alike, pure (no clock, no network): one parser for every way a
//! date is written ([`parse`]: machine values, feeds' RFC 822 variants, human-written text
//! in the languages of the pages), the words that label a date as the publication or an
//! update ([`labelled`]), and dates filed in a URL path ([`from_url`]).
//!
//! Every instant keeps the offset it was written with, so the local calendar day survives
//! (10 p.m. EST on the 5th is the 5th, though it is the 6th in UTC). A value without a zone
//! is read as UTC; a value without a whole date is rejected, never read as "now".

mod parse;
mod text;
mod url;
mod words;

pub use parse::{parse, parse_utc};
pub use text::{
    Label, in_prose, is_membership, label_of, labelled, labelled_near, opening_date, parse_text,
    parse_text_at, unglue,
};
pub use url::from_url;
pub use words::{month_alternation, month_number, zone_offset};
