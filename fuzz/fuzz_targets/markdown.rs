//! Any Markdown, rendered as both chapters of a book (so that links such
//! as `b.md#x` lead into the other chapter): the renderer must not panic,
//! every document it writes must parse as XML, and no marker for a link
//! into another chapter may be left in an href.

#![no_main]

use bindery::load::Book;
use bindery::manifest;
use bindery::render;
use libfuzzer_sys::fuzz_target;

/// With `broken-links = "warn"` a link to nowhere is a warning rather than
/// an error, so that the chapter is still written and its XHTML checked.
const MANIFEST: &str =
    "[book]\ntitle = \"T\"\nlanguage = \"en\"\n[markdown]\nbroken-links = \"warn\"\n";

fn book_of(markdown: &str) -> Book {
    let manifest = manifest::parse(MANIFEST, &mut Vec::new()).expect("the fixed manifest parses");
    Book::in_memory(
        manifest,
        &[("chapters/a.md", markdown), ("chapters/b.md", markdown)],
    )
}

fuzz_target!(|markdown: &str| {
    let book = book_of(markdown);
    // Errors (a reported problem) are fine; a panic or bad XML is not.
    let Ok(chapters) = render::render_book(&book, &mut Vec::new()) else {
        return;
    };
    for chapter in &chapters {
        let options = roxmltree::ParsingOptions {
            allow_dtd: true,
            ..Default::default()
        };
        if let Err(e) = roxmltree::Document::parse_with_options(&chapter.xhtml, options) {
            panic!("{} is not XML: {e}\n{}", chapter.file, chapter.xhtml);
        }
        // A marker is an href that starts with U+FDD0; none may be left.
        if chapter.xhtml.contains(" href=\"\u{FDD0}") {
            panic!("{} keeps a link marker:\n{}", chapter.file, chapter.xhtml);
        }
    }
});
