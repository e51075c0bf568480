//! What a bindery book shares with mdBooks and pandoc books
//! (`tests/books/shell-notes`): dollar signs read as pandoc reads them,
//! `{{#include}}` with the same confinement, and `--root` for a book
//! taken out of its repository.

use crate::books::check_epub_structure;
use crate::support::{
    Built, assert_epubcheck_clean, bindery, built, copy_dir, fixture, parse_xml, run_in,
};

fn notes() -> &'static Built {
    built(&fixture("shell-notes"))
}

/// The text of a chapter, and the XML it is in.
fn chapter_text(built: &Built, name: &str) -> String {
    let file = built
        .epub
        .xhtml_names()
        .into_iter()
        .find(|n| n.ends_with(name))
        .unwrap();
    let doc = parse_xml(file, built.epub.text(file));
    doc.descendants()
        .filter(|n| n.is_text() && !n.ancestors().any(|a| a.has_tag_name("math")))
        .filter_map(|n| n.text())
        .collect()
}

#[test]
fn the_shell_notes_fixture_is_valid() {
    let built = notes();
    check_epub_structure(&built.epub);
    assert_epubcheck_clean(&built.epub.path);
}

#[test]
fn prices_and_shell_variables_stay_text_and_only_the_formula_is_math() {
    let built = notes();
    let text = chapter_text(built, "01-dollars.xhtml");
    for expected in [
        "A course costs $5 and a book $10, or $12 for both; a year of updates\nruns from $20,000 to$30,000 for a whole school.",
        "Programs go to $HOME/.local/bin. Make sure your $PATH holds it:\nexport PATH=$HOME/.local/bin:$PATH. The variables $HOME and $USER are\nset when you log in.",
        "a price is not a formula: $3$4\nstays as written.",
    ] {
        assert!(text.contains(expected), "{expected}\nin\n{text}");
    }
    let xhtml = built.epub.text("EPUB/text/001-01-dollars.xhtml");
    assert_eq!(xhtml.matches("<math").count(), 1, "{xhtml}");
    assert!(xhtml.contains("alttext=\"E = mc^2\""), "{xhtml}");
    // Only the chapter with the formula claims MathML.
    let opf = built.epub.text("EPUB/package.opf");
    assert!(
        opf.contains("href=\"text/001-01-dollars.xhtml\" media-type=\"application/xhtml+xml\" properties=\"mathml\""),
        "{opf}"
    );
    assert!(
        !opf.contains("href=\"text/002-02-scripts.xhtml\" media-type=\"application/xhtml+xml\" properties=\"mathml\""),
        "{opf}"
    );
}

#[test]
fn includes_work_in_a_bindery_book_and_a_code_span_keeps_its_directive() {
    let built = notes();
    let text = chapter_text(built, "02-scripts.xhtml");
    assert!(
        text.contains("#!/bin/sh\n# ANCHOR: loop\nfor name in \"$@\"; do"),
        "{text}"
    );
    // The anchor's lines alone, the second time.
    assert_eq!(text.matches("for name in").count(), 2, "{text}");
    assert_eq!(text.matches("#!/bin/sh").count(), 1, "{text}");
    assert!(
        text.contains("The same directive in a code span, {{#include ../scripts/greet.sh}},"),
        "{text}"
    );
    assert!(
        text.contains("pub fn turns_per_minute(flow: f64)"),
        "{text}"
    );
    assert!(!text.contains("ANCHOR: speed"), "{text}");
}

/// The fixture and the listing it includes from outside its folder, in a
/// temporary folder without `.git`, as a source archive unpacks.
fn unpacked() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(
        &fixture("shell-notes"),
        &dir.path().join("project/books/shell-notes"),
    );
    copy_dir(
        &fixture("mdbook").join("listings"),
        &dir.path().join("project/books/mdbook/listings"),
    );
    dir
}

#[test]
fn a_book_from_a_source_archive_is_told_about_root_and_builds_with_it() {
    let dir = unpacked();
    let book = dir.path().join("project/books/shell-notes");
    let refused = run_in(&book, &["build", "-o", "out.epub"]);
    assert_eq!(refused.code, Some(1), "{}", refused.stderr);
    assert!(
        refused.stderr.contains(
            "error[B170]: cannot include `../../mdbook/listings/wheel.rs`: the path leads outside \
             the book's root (its git repository, else its folder)\n"
        ),
        "{}",
        refused.stderr
    );
    assert!(
        refused.stderr.contains(
            "for a book from a source archive (no `.git`), build with `--root DIR` naming the project's folder"
        ),
        "{}",
        refused.stderr
    );
    assert!(!book.join("out.epub").exists());

    let allowed = run_in(&book, &["build", "-o", "out.epub", "--root", "../.."]);
    assert_eq!(allowed.code, Some(0), "{}", allowed.stderr);
    assert!(book.join("out.epub").is_file());
}

#[test]
fn the_root_must_hold_the_book_and_confines_it_still() {
    let dir = unpacked();
    let book = dir.path().join("project/books/shell-notes");
    let elsewhere = tempfile::tempdir().unwrap();
    let output = bindery()
        .args(["build", "-o", "out.epub", "--root"])
        .arg(elsewhere.path())
        .current_dir(&book)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("the root given with --root does not hold the book folder"),
        "{stderr}"
    );
    // Inside the root named, a path that leaves it is refused as before.
    std::fs::write(dir.path().join("secret.txt"), "secret").unwrap();
    std::fs::write(
        book.join("chapters/03-leak.md"),
        "# Leak\n\n{{#include ../../../../secret.txt}}\n",
    )
    .unwrap();
    let leak = run_in(&book, &["build", "-o", "out.epub", "--root", "../.."]);
    assert_eq!(leak.code, Some(1), "{}", leak.stderr);
    assert!(
        leak.stderr.contains(
            "cannot include `../../../../secret.txt`: the path leads outside the book's root"
        ),
        "{}",
        leak.stderr
    );
}
