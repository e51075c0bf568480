//! mdBook projects: the parts of mdBook's book format that bindery reads
//! so that a folder with `book.toml` and `src/SUMMARY.md` builds as it
//! does with mdBook.
//!
//! Three pure functions, text in and structure out; the loader reads the
//! files and calls them:
//!
//! - [`parse_summary`] reads `SUMMARY.md` into prefix chapters, parts,
//!   numbered chapters (nested, with mdBook's section numbers), drafts,
//!   separators and suffix chapters.
//! - [`expand`] runs mdBook's link preprocessor on a chapter:
//!   `{{#include}}` with line ranges and anchors, `{{#rustdoc_include}}`,
//!   `{{#playground}}`, `{{#title}}` and escapes, reading files through a
//!   callback, and maps every offset of the result back to its file.
//! - [`strip_hidden_lines`] drops the lines mdBook hides in Rust code
//!   blocks (`# …`), which an EPUB cannot unfold. It runs after
//!   [`expand`], since `{{#rustdoc_include}}` writes such lines.
//!
//! In each, where mdBook would quietly drop content or accept something
//! that cannot make a valid EPUB, bindery reports an error with a span
//! instead; the module docs list the cases.

mod hidden;
mod include;
mod summary;

pub use hidden::{strip_hidden_lines, strip_hidden_lines_with};
pub use include::{
    Expanded, IncludeError, IncludeErrorKind, Included, MAX_DEPTH, MAX_EXPANDED, Segment, expand,
    expand_outside,
};
pub use summary::{
    Summary, SummaryChapter, SummaryError, SummaryErrorKind, SummaryItem, parse_summary,
};
