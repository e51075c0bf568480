//! An mdBook as it comes from a project that made its EPUB with
//! mdbook-epub (`tests/books/mdbook-epub`): it builds as its author left
//! it, and reads as mdBook's HTML reads.

use crate::books::check_epub_structure;
use crate::support::{Built, assert_epubcheck_clean, built, fixture, parse_xml};

fn migrated() -> &'static Built {
    built(&fixture("mdbook-epub"))
}

/// The chapter whose file name ends with `name`, as XML text.
fn chapter<'a>(built: &'a Built, name: &str) -> &'a str {
    let file = built
        .epub
        .xhtml_names()
        .into_iter()
        .find(|n| n.ends_with(name))
        .unwrap_or_else(|| panic!("no {name} in {:?}", built.epub.xhtml_names()));
    built.epub.text(file)
}

#[test]
fn the_migrated_fixture_is_valid() {
    let built = migrated();
    check_epub_structure(&built.epub);
    assert_epubcheck_clean(&built.epub.path);
}

#[test]
fn a_summary_line_swallowed_by_the_item_above_is_warned_at_that_line() {
    let stderr = &migrated().stderr;
    assert!(
        stderr.contains(
            "warning[B167]: `Glossary` is read as more text of the chapter above, not as a chapter\n \
             --> src/SUMMARY.md:7:1\n"
        ),
        "{stderr}"
    );
    assert!(
        stderr.contains(
            "= help: a line right under a list item continues that item: put a blank line before it"
        ),
        "{stderr}"
    );
    assert_eq!(stderr.matches("B167").count(), 1, "{stderr}");
}

#[test]
fn every_word_of_an_info_string_is_a_class_and_failing_code_says_so() {
    let built = migrated();
    let xhtml = chapter(built, "ownership.xhtml");
    let doc = parse_xml("ownership.xhtml", xhtml);
    let classes: Vec<&str> = doc
        .descendants()
        .filter(|n| n.has_tag_name("code"))
        .filter_map(|n| n.attribute("class"))
        .collect();
    assert_eq!(
        classes,
        [
            "language-rust ignore does_not_compile",
            "language-rust panics",
            "language-rust not_desired_behavior",
            "language-rust should_panic",
            "language-rust compile_fail",
            "language-rust editable",
            "language-rust no_run",
        ]
    );
    let labels: Vec<String> = doc
        .descendants()
        .filter(|n| {
            n.has_tag_name("p")
                && n.attribute("class")
                    .is_some_and(|c| c.starts_with("code-label"))
        })
        .map(|n| n.text().unwrap_or_default().to_string())
        .collect();
    assert_eq!(
        labels,
        [
            "Does not compile",
            "Panics",
            "Does not do what it should",
            "Panics",
            "Does not compile"
        ]
    );
    // Each label stands right above its block.
    let label = doc
        .descendants()
        .find(|n| n.attribute("class") == Some("code-label does-not-compile"))
        .unwrap();
    let next = label.next_sibling_element().unwrap();
    assert_eq!(next.tag_name().name(), "pre");
    assert_eq!(next.attribute("class"), Some("does-not-compile"));
}

#[test]
fn dollar_signs_in_an_mdbook_are_text_and_no_mathml_is_claimed() {
    let built = migrated();
    let xhtml = chapter(built, "ownership.xhtml");
    let doc = parse_xml("ownership.xhtml", xhtml);
    let text: String = doc
        .descendants()
        .filter(|n| n.is_text())
        .filter_map(|n| n.text())
        .collect();
    assert!(
        text.contains("Cargo installs programs to $HOME/.cargo/bin. Make sure your $PATH\nholds that folder: export PATH=$HOME/.cargo/bin:$PATH."),
        "{text}"
    );
    assert!(
        text.contains("A course costs\n$30 and a book $45, or $60 for both."),
        "{text}"
    );
    let code: Vec<&str> = doc
        .descendants()
        .filter(|n| n.has_tag_name("code") && n.attribute("class").is_none())
        .filter_map(|n| n.text())
        .collect();
    assert_eq!(code, ["$PATH", "export PATH=$HOME/.cargo/bin:$PATH"]);
    for name in built.epub.xhtml_names() {
        assert!(!built.epub.text(name).contains("<math"), "{name}");
    }
    let opf = built.epub.text("EPUB/package.opf");
    assert!(!opf.contains("MathML") && !opf.contains("mathml"), "{opf}");
}

#[test]
fn a_custom_element_keeps_its_name_and_attributes_for_the_stylesheet() {
    let built = migrated();
    let xhtml = chapter(built, "listings.xhtml");
    let doc = parse_xml("listings.xhtml", xhtml);
    let listing = doc
        .descendants()
        .find(|n| n.has_tag_name("div") && n.attribute("class") == Some("listing"))
        .unwrap_or_else(|| panic!("{xhtml}"));
    let attributes: Vec<(&str, &str)> = listing
        .attributes()
        .map(|a| (a.name(), a.value()))
        .collect();
    assert_eq!(
        attributes,
        [
            ("class", "listing"),
            ("data-number", "1-1"),
            ("data-file-name", "src/main.rs"),
            ("data-caption", "Code that asks for a guess"),
        ]
    );
    // The code block it holds is inside it.
    let code = listing
        .descendants()
        .find(|n| n.has_tag_name("code"))
        .unwrap();
    assert_eq!(code.attribute("class"), Some("language-rust"));
    // In a line of text, a custom element is a span.
    let span = doc
        .descendants()
        .find(|n| n.attribute("class") == Some("ferris-says"))
        .unwrap();
    assert_eq!(span.tag_name().name(), "span");
    assert_eq!(span.attribute("data-mood"), Some("proud"));
    assert_eq!(span.text(), Some("the file the\ncaption names"));
    // The event handler is left out, and said so.
    assert!(!xhtml.contains("steal()"), "{xhtml}");
    assert!(
        built
            .stderr
            .contains("warning[B254]: event handler `onclick` is left out"),
        "{}",
        built.stderr
    );
}

#[test]
fn mdbook_epubs_cover_and_stylesheet_are_used_and_what_is_not_followed_is_warned() {
    let built = migrated();
    let cover = std::fs::read(fixture("mdbook-epub").join("src/cover.png")).unwrap();
    let stored: Vec<&String> = built
        .epub
        .files
        .iter()
        .filter(|(_, bytes)| **bytes == cover)
        .map(|(name, _)| name)
        .collect();
    assert_eq!(stored.len(), 1, "{:?}", built.epub.names);
    let opf = built.epub.text("EPUB/package.opf");
    let href = stored[0].trim_start_matches("EPUB/");
    assert!(
        opf.contains(&format!(
            "href=\"{href}\" media-type=\"image/png\" properties=\"cover-image\""
        )),
        "{opf}"
    );
    // The book's stylesheet follows bindery's.
    let css = std::fs::read_to_string(fixture("mdbook-epub").join("theme/epub.css")).unwrap();
    let book_css = built.epub.text("EPUB/css/book.css");
    assert!(
        book_css.contains(&format!("/* theme/epub.css */\n{css}")),
        "{book_css}"
    );
    let stderr = &built.stderr;
    assert!(
        stderr.contains(
            "warning[B184]: `use-default-css = false` in [output.epub] is not followed\n  \
             --> book.toml:19:1\n"
        ),
        "{stderr}"
    );
    // What bindery does anyway is read without a word.
    assert_eq!(stderr.matches("B184").count(), 1, "{stderr}");
}
