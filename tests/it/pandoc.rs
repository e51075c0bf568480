//! Books made from one long pandoc document split into chapters: links
//! `#id` between the chapters, and pandoc's own Markdown.

use crate::support::{bindery, build_into, write_file};
use serde_json::Value;

/// A document split in two, whose introduction links to a heading that is
/// now in the second chapter.
fn split_document(dir: &std::path::Path) {
    write_file(
        &dir.join("book.toml"),
        b"[book]\ntitle = \"Split\"\nlanguage = \"en\"\n",
    );
    write_file(
        &dir.join("chapters/01-introduction.md"),
        b"# Introduction\n\nThe [method](#method) comes next.\n",
    );
    write_file(
        &dir.join("chapters/02-method.md"),
        b"# Study\n\n## Method\n\nWe counted.\n",
    );
}

#[test]
fn a_link_to_a_heading_of_another_chapter_leads_there_and_check_notes_it() {
    let dir = tempfile::tempdir().unwrap();
    let book = dir.path().join("book");
    split_document(&book);
    let (epub, stderr) = build_into(&book, &dir.path().join("out.epub"));
    assert_eq!(
        stderr.lines().count(),
        1,
        "only the line that says it wrote: {stderr}"
    );
    let intro = epub.text("EPUB/text/001-01-introduction.xhtml");
    assert!(
        intro.contains("The <a href=\"002-02-method.xhtml#method\">method</a> comes next."),
        "{intro}"
    );
    crate::support::assert_epubcheck_clean(&epub.path);

    let output = bindery()
        .args(["check", "--message-format", "json"])
        .arg(&book)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0));
    let notes: Vec<Value> = String::from_utf8_lossy(&output.stdout)
        .lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect();
    assert_eq!(notes.len(), 1, "{notes:?}");
    let note = &notes[0];
    assert_eq!(
        (
            &note["severity"],
            &note["code"],
            &note["file"],
            &note["line"],
            &note["column"]
        ),
        (
            &Value::from("note"),
            &Value::from("B216"),
            &Value::from("chapters/01-introduction.md"),
            &Value::from(3),
            &Value::from(5)
        )
    );
    assert_eq!(
        note["message"],
        "link to `#method` leads to `chapters/02-method.md`"
    );
}
