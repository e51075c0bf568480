//! The Markdown bindery reads: one set of pulldown-cmark extensions for
//! every place that parses a chapter.
//!
//! `render` writes chapters with these events, and `load` (mdBook
//! chapters), `mdbook` (hidden lines) and `check` read chapters with the
//! same ones, so that all of them see the same structure in the same text.

use pulldown_cmark::{Options, Parser};

/// The Markdown extensions bindery turns on.
pub fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_SMART_PUNCTUATION
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_DEFINITION_LIST
        | Options::ENABLE_MATH
        | Options::ENABLE_GFM
}

/// The events of a chapter's text, each with its byte range.
pub fn events(text: &str) -> pulldown_cmark::OffsetIter<'_> {
    Parser::new_ext(text, options()).into_offset_iter()
}
