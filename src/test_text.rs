//! Text for property tests of the scanners: arbitrary UTF-8, mixed with
//! the marks the scanners look for and with characters of two, three and
//! four bytes next to them, so that an index counted in bytes lands
//! inside a character as often as it can.
//!
//! It imports nothing of the crate, so that the unit tests of any module
//! may use it; the integration tests include this same file for the
//! scanners the crate makes public (`tests/it/properties.rs`).

use proptest::prelude::*;

/// The marks bindery's scanners look for: CSS, Markdown, mdBook
/// directives, TOML, HTML, TeX, templates.
const MARKS: &[&str] = &[
    "url(",
    "URL(",
    "@import",
    "@IMPORT",
    "/*",
    "*/",
    "\"",
    "'",
    "\\",
    "(",
    ")",
    ";",
    "{{#include ",
    "{{#rustdoc_include ",
    "{{#playground ",
    "{{#title ",
    "{{",
    "}}",
    ":",
    "::",
    "ANCHOR: a",
    "ANCHOR_END: a",
    "+++",
    "---",
    "\n",
    "\r\n",
    "\r",
    "\t",
    " ",
    "#",
    "# ",
    "=",
    "[",
    "]",
    "<",
    ">",
    "</",
    "&",
    "&amp;",
    "&#",
    ";",
    "$",
    "$$",
    "\\(",
    "\\)",
    "\\[",
    "\\]",
    "\\\\",
    "```",
    "~~~",
    "`",
    "*",
    "_",
    "@",
    "www.",
    "http://",
    "https://",
    "mailto:",
    ".",
    "/",
    "..",
    "%",
    "%2e",
    "-",
    "x",
    "a1",
    "{slug}",
    "{",
    "}",
];

/// Characters of every UTF-8 length, and a few that are special:
/// combining marks, a right-to-left override, a byte-order mark.
const CHARACTERS: &[&str] = &[
    "é",
    "»",
    "«",
    "ß",
    "Ω",
    "日",
    "本",
    "€",
    "\u{0301}",
    "\u{202E}",
    "\u{FEFF}",
    "\u{00A0}",
    "😀",
    "𝒳",
    "\u{10FFFF}",
    "\u{7F}",
    "\u{0}",
];

/// Any text, with marks and multi-byte characters mixed in.
pub(crate) fn any_text() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        4 => prop::sample::select(MARKS).prop_map(str::to_string),
        3 => prop::sample::select(CHARACTERS).prop_map(str::to_string),
        2 => any::<String>(),
        1 => "[a-zA-Z0-9]{1,6}",
    ];
    prop::collection::vec(piece, 0..48).prop_map(|pieces| pieces.concat())
}
