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

/// A chapter of the `pandoc-split` fixture, as XHTML.
fn chapter(file: &str) -> &'static str {
    let built = crate::support::built(&crate::support::fixture("pandoc-split"));
    built.epub.text(&format!("EPUB/text/{file}"))
}

#[test]
fn the_split_document_builds_without_a_warning_and_its_links_cross_chapters() {
    let built = crate::support::built(&crate::support::fixture("pandoc-split"));
    assert!(!built.stderr.contains("warning"), "{}", built.stderr);
    let intro = chapter("001-01-introduction.xhtml");
    for link in [
        "<a href=\"002-02-materials.xhtml#materials\">materials</a>",
        "<a href=\"003-03-sewing.xhtml#sewing-the-text-block\">sewing the text block</a>",
        "<a href=\"004-04-covers.xhtml#glossary\">glossary</a>",
    ] {
        assert!(intro.contains(link), "{link} in {intro}");
    }
    // To an id given in a fenced div's attributes, in another chapter.
    assert!(
        chapter("004-04-covers.xhtml")
            .contains("<a href=\"002-02-materials.xhtml#warning-glue\">warning about glue</a>")
    );
}

#[test]
fn pandoc_markdown_is_written_as_pandoc_writes_it() {
    let intro = chapter("001-01-introduction.xhtml");
    let materials = chapter("002-02-materials.xhtml");
    let sewing = chapter("003-03-sewing.xhtml");
    let covers = chapter("004-04-covers.xhtml");
    let expected = [
        (intro, "<div class=\"note\">\n<p>Read the chapter"),
        (intro, "<span class=\"smallcaps\">signatures</span>"),
        (intro, "2<sup>3</sup> = 8"),
        (
            intro,
            "<h2 id=\"how-to-read-this-guide\" class=\"unnumbered\">",
        ),
        (
            intro,
            "<div class=\"line-block\">Fold the sheet, then fold again;<br/>\nsew the fold and pull the thread;<br/>\n\u{a0}\u{a0}\u{a0}\u{a0}the book will open flat and plain<br/>\nwhen the glue is dry.</div>",
        ),
        (materials, "g/m<sup>2</sup>"),
        (
            materials,
            "(C<sub>4</sub>H<sub>6</sub>O<sub>2</sub>)<sub>n</sub>",
        ),
        (materials, "<div id=\"warning-glue\" class=\"warning\">"),
        (materials, "<dt>Grain</dt>\n<dd>The direction"),
        (
            sewing,
            "<img src=\"../media/chapters/images/text-block.png\" alt=\"A text block sewn on three stations\" id=\"fig-text-block\" style=\"width:60%;\"/>",
        ),
        (sewing, "<div class=\"steps\">\n<ol>"),
        (sewing, "</ol>\n<div class=\"tip\">"),
        (sewing, "the stations.</p>\n</div>\n</div>\n<p>When every"),
        (sewing, "<a href=\"#fig-text-block\">1</a>"),
        (covers, "<span lang=\"en-GB\">Edinburgh</span>"),
        (covers, "H<sub>2</sub>O-free"),
    ];
    for (page, text) in expected {
        assert!(page.contains(text), "{text:?} is not in\n{page}");
    }
    for page in [intro, materials, sewing, covers] {
        for literal in [":::", "]{", "^", "~", "{width", "| "] {
            assert!(!page.contains(literal), "{literal} left in\n{page}");
        }
    }
}

#[test]
fn an_mdbook_is_read_as_mdbook_reads_it_not_as_pandoc() {
    let dir = tempfile::tempdir().unwrap();
    let book = dir.path().join("book");
    write_file(&book.join("book.toml"), b"[book]\ntitle = \"Plain\"\n");
    write_file(
        &book.join("src/SUMMARY.md"),
        b"# Summary\n\n- [One](one.md)\n",
    );
    write_file(
        &book.join("src/one.md"),
        b"# One\n\nWater is H~2~O, 2^10^ is [large]{.big}.\n",
    );
    let (epub, _) = build_into(&book, &dir.path().join("out.epub"));
    let name = epub
        .xhtml_names()
        .into_iter()
        .find(|n| n.ends_with("one.xhtml"))
        .unwrap()
        .to_string();
    let page = epub.text(&name);
    assert!(
        page.contains("Water is H~2~O, 2^10^ is [large]{.big}."),
        "{page}"
    );
}
