//! Markdown as a reader meets it in the EPUB: every construct bindery
//! supports, from the `markdown` fixture book, and from small books written
//! at test time for what that book cannot hold (endnotes, warnings).

use crate::books::check_epub_structure;
use crate::support::{Epub, assert_epubcheck_clean, bindery, built, fixture, parse_xml};
use roxmltree::{Document, Node};
use std::collections::BTreeSet;
use std::sync::OnceLock;

const XHTML: &str = "http://www.w3.org/1999/xhtml";
const OPS: &str = "http://www.idpf.org/2007/ops";
const OPF: &str = "http://www.idpf.org/2007/opf";
const MATHML: &str = "http://www.w3.org/1998/Math/MathML";
const SVG: &str = "http://www.w3.org/2000/svg";
const XML: &str = "http://www.w3.org/XML/1998/namespace";

// The fixture's chapters, as they are named in `EPUB/text/`.
const FOREWORD: &str = "001-00-foreword.xhtml";
const EXTENSIONS: &str = "002-01-extensions.xhtml";
const OTHER: &str = "003-02-other.xhtml";
const LINKS: &str = "004-my-chapter.xhtml";
const CODE: &str = "005-04-code.xhtml";
const IMAGES: &str = "006-05-images.xhtml";
const GERMAN: &str = "007-06-deutsch.xhtml";
const ARABIC: &str = "008-07-arabic.xhtml";
const HEBREW: &str = "009-08-hebrew.xhtml";
const CHAPTERS: [&str; 9] = [
    FOREWORD, EXTENSIONS, OTHER, LINKS, CODE, IMAGES, GERMAN, ARABIC, HEBREW,
];

fn epub() -> &'static Epub {
    &built(&fixture("markdown")).epub
}

/// A page of `EPUB/text/`, parsed.
fn page<'a>(epub: &'a Epub, file: &str) -> Document<'a> {
    let name = format!("EPUB/text/{file}");
    parse_xml(&name, epub.text(&name))
}

/// A page's source text.
fn source<'a>(epub: &'a Epub, file: &str) -> &'a str {
    epub.text(&format!("EPUB/text/{file}"))
}

/// All the text inside a node.
fn text_of(node: Node) -> String {
    node.descendants()
        .filter(|n| n.is_text())
        .filter_map(|n| n.text())
        .collect()
}

/// The text directly inside a node, trimmed (without nested elements).
fn own_text(node: Node) -> String {
    node.children()
        .filter(|n| n.is_text())
        .filter_map(|n| n.text())
        .collect::<String>()
        .trim()
        .to_string()
}

fn elements<'a, 'i>(doc: &'a Document<'i>, name: &str) -> Vec<Node<'a, 'i>> {
    doc.descendants()
        .filter(|n| n.has_tag_name((XHTML, name)))
        .collect()
}

fn has_class(node: Node, class: &str) -> bool {
    node.attribute("class")
        .is_some_and(|c| c.split_whitespace().any(|c| c == class))
}

fn by_id<'a, 'i>(doc: &'a Document<'i>, id: &str) -> Node<'a, 'i> {
    doc.descendants()
        .find(|n| n.attribute("id") == Some(id))
        .unwrap_or_else(|| panic!("no element with id `{id}`"))
}

/// The `<a>` whose text is `text`.
fn link<'a, 'i>(doc: &'a Document<'i>, text: &str) -> Node<'a, 'i> {
    elements(doc, "a")
        .into_iter()
        .find(|a| text_of(*a) == text)
        .unwrap_or_else(|| panic!("no link `{text}`"))
}

/// Whether a string can be an XML id (an NCName), for the characters
/// Markdown headings give.
fn is_xml_id(id: &str) -> bool {
    let mut chars = id.chars();
    chars.next().is_some_and(|c| c.is_alphabetic() || c == '_')
        && chars.all(|c| c.is_alphanumeric() || "-_.".contains(c))
}

/// The `(media-type, properties)` of the manifest item with this href.
fn manifest_item(epub: &Epub, href: &str) -> (String, Option<String>) {
    let doc = parse_xml("package.opf", epub.text("EPUB/package.opf"));
    let item = doc
        .descendants()
        .find(|n| n.has_tag_name((OPF, "item")) && n.attribute("href") == Some(href))
        .unwrap_or_else(|| panic!("no manifest item {href}"));
    (
        item.attribute("media-type").unwrap().to_string(),
        item.attribute("properties").map(str::to_string),
    )
}

/// The manifest properties of a chapter, split.
fn properties(epub: &Epub, file: &str) -> Vec<String> {
    manifest_item(epub, &format!("text/{file}"))
        .1
        .unwrap_or_default()
        .split_whitespace()
        .map(str::to_string)
        .collect()
}

/// The zip entry and fragment that a reference in `EPUB/text/<from>`
/// leads to.
fn resolve(from: &str, href: &str) -> (String, String) {
    let (path, fragment) = href.split_once('#').unwrap_or((href, ""));
    let file = if path.is_empty() {
        format!("EPUB/text/{from}")
    } else if let Some(rest) = path.strip_prefix("../") {
        format!("EPUB/{rest}")
    } else {
        format!("EPUB/text/{path}")
    };
    (file, fragment.to_string())
}

/// Asserts that `href`, in `EPUB/text/<from>`, leads to an element, and
/// returns that element's `(tag, epub:type)`.
fn target_of(epub: &Epub, from: &str, href: &str) -> (String, Option<String>) {
    let (file, fragment) = resolve(from, href);
    let doc = parse_xml(&file, epub.text(&file));
    let node = doc
        .descendants()
        .find(|n| n.attribute("id") == Some(&fragment))
        .unwrap_or_else(|| panic!("{from}: `{href}`: no id `{fragment}` in {file}"));
    (
        node.tag_name().name().to_string(),
        node.attribute((OPS, "type")).map(str::to_string),
    )
}

/// Asserts that every noteref in these pages leads to a footnote and every
/// back-link to a noteref; returns how many noterefs there are.
fn assert_notes_resolve(epub: &Epub, files: &[&str]) -> usize {
    let mut noterefs = 0;
    for file in files {
        let doc = page(epub, file);
        for a in elements(&doc, "a") {
            let href = a.attribute("href").unwrap_or("");
            if a.attribute((OPS, "type")) == Some("noteref") {
                noterefs += 1;
                assert_eq!(a.attribute("role"), Some("doc-noteref"), "{file}: {href}");
                let (tag, kind) = target_of(epub, file, href);
                assert_eq!(
                    (tag.as_str(), kind.as_deref()),
                    ("aside", Some("footnote")),
                    "{file}: {href}"
                );
            }
            if a.attribute("role") == Some("doc-backlink") {
                let (tag, kind) = target_of(epub, file, href);
                assert_eq!(
                    (tag.as_str(), kind.as_deref()),
                    ("a", Some("noteref")),
                    "{file}: {href}"
                );
            }
        }
    }
    noterefs
}

/// A book written into a temporary folder and built.
struct TempBuilt {
    epub: Epub,
    stderr: String,
    _dir: tempfile::TempDir,
}

fn build_book(files: &[(&str, &str)]) -> TempBuilt {
    let dir = tempfile::tempdir().unwrap();
    let book = dir.path().join("book");
    for (path, content) in files {
        let path = book.join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, content).unwrap();
    }
    let out = dir.path().join("book.epub");
    let output = bindery()
        .arg("build")
        .arg(&book)
        .arg("-o")
        .arg(&out)
        .output()
        .unwrap();
    // Files named from the book's folder, as when bindery runs there.
    let stderr =
        String::from_utf8_lossy(&output.stderr).replace(&format!("{}/", book.display()), "");
    assert!(output.status.success(), "building failed:\n{stderr}");
    TempBuilt {
        epub: Epub::open(&out),
        stderr,
        _dir: dir,
    }
}

#[test]
fn the_fixture_builds_without_warnings() {
    let built = built(&fixture("markdown"));
    assert!(!built.stderr.contains("warning"), "{}", built.stderr);
    for file in CHAPTERS {
        assert!(built.epub.files.contains_key(&format!("EPUB/text/{file}")));
    }
}

// 1. Tables, strikethrough, task lists, definition lists, smart
// punctuation, nested lists.

/// Each row of a table as `tag.class text` strings.
fn table_rows(table: Node) -> Vec<Vec<String>> {
    table
        .descendants()
        .filter(|n| n.has_tag_name((XHTML, "tr")))
        .map(|tr| {
            tr.children()
                .filter(|c| c.is_element())
                .map(|cell| {
                    let class = cell
                        .attribute("class")
                        .map(|c| format!(".{c}"))
                        .unwrap_or_default();
                    format!("{}{class} {}", cell.tag_name().name(), text_of(cell))
                })
                .collect()
        })
        .collect()
}

#[test]
fn tables_get_alignment_classes() {
    let doc = page(epub(), EXTENSIONS);
    let table = elements(&doc, "table")[0];
    assert_eq!(
        table_rows(table),
        [
            [
                "th.align-left Left",
                "th.align-center Centre",
                "th.align-right Right",
                "th Plain"
            ],
            [
                "td.align-left a",
                "td.align-center b",
                "td.align-right c",
                "td d"
            ],
            [
                "td.align-left old new",
                "td.align-center x1",
                "td.align-right 1,200",
                "td with a note1"
            ],
        ]
    );
    // The header row is in thead, the others in tbody.
    for th in elements(&doc, "th") {
        assert!(th.ancestors().any(|n| n.has_tag_name((XHTML, "thead"))));
    }
    for td in elements(&doc, "td") {
        assert!(td.ancestors().any(|n| n.has_tag_name((XHTML, "tbody"))));
    }
    // A second table, in another chapter.
    let german = page(epub(), GERMAN);
    assert_eq!(
        table_rows(elements(&german, "table")[0]),
        [
            ["th.align-left Wort", "th.align-right Zahl"],
            ["td.align-left eins", "td.align-right 1"],
            ["td.align-left zwei", "td.align-right 2"],
        ]
    );
}

#[test]
fn strikethrough_becomes_del() {
    let doc = page(epub(), EXTENSIONS);
    let struck: Vec<String> = elements(&doc, "del").into_iter().map(text_of).collect();
    // `~~old~~` in a table cell, `~~wrong~~`, `~~this~~`, `~~final~~`;
    // a single `~` is a subscript, as in pandoc.
    assert_eq!(struck, ["old", "wrong", "this", "final"]);
    assert!(source(epub(), EXTENSIONS).contains(
        "<p>This is <del>wrong</del> right, and <del>this</del> is gone too; water is H<sub>2</sub>O.</p>"
    ));
    assert!(!source(epub(), EXTENSIONS).contains('~'));
}

#[test]
fn task_lists_become_disabled_checkboxes() {
    let doc = page(epub(), EXTENSIONS);
    let boxes: Vec<(bool, String, usize)> = elements(&doc, "input")
        .into_iter()
        .map(|input| {
            assert_eq!(input.attribute("type"), Some("checkbox"));
            assert_eq!(input.attribute("disabled"), Some("disabled"));
            let checked = match input.attribute("checked") {
                Some("checked") => true,
                None => false,
                Some(other) => panic!("checked=\"{other}\""),
            };
            let li = input.parent_element().unwrap();
            assert!(li.has_tag_name((XHTML, "li")));
            let depth = li
                .ancestors()
                .filter(|n| n.has_tag_name((XHTML, "ul")) || n.has_tag_name((XHTML, "ol")))
                .count();
            (checked, own_text(li), depth)
        })
        .collect();
    assert_eq!(
        boxes,
        [
            (true, "write the chapters".to_string(), 1),
            (false, "choose a cover".to_string(), 1),
            (true, "draw a sketch".to_string(), 2),
            (false, "pick a colour".to_string(), 2),
            (true, "a task in a nested list".to_string(), 2),
        ]
    );
}

#[test]
fn definition_lists_become_dl_dt_dd() {
    let doc = page(epub(), EXTENSIONS);
    let dl = elements(&doc, "dl")[0];
    let items: Vec<(&str, String)> = dl
        .children()
        .filter(|n| n.is_element())
        .map(|n| (n.tag_name().name(), text_of(n)))
        .collect();
    assert_eq!(
        items,
        [
            ("dt", "Signature".to_string()),
            ("dd", "A folded sheet of pages.".to_string()),
            ("dt", "Text block".to_string()),
            ("dd", "The signatures sewn together.".to_string()),
            ("dd", "Also called the book block.".to_string()),
        ]
    );
}

#[test]
fn smart_punctuation_curls_quotes_and_dashes_but_not_in_code() {
    let epub = epub();
    let doc = page(epub, EXTENSIONS);
    let heading = by_id(&doc, "smart-punctuation");
    let paragraph = heading.next_sibling_element().unwrap();
    assert_eq!(
        text_of(paragraph),
        "She said \u{201c}this is the draft\u{201d} \u{2013} and it\u{2019}s final nearly final\u{2026} Pages 10\u{2013}12; wait \u{2014} what?"
    );
    let code = paragraph.next_sibling_element().unwrap();
    assert_eq!(
        text_of(code),
        "Code keeps its quotes: \"raw\" -- 'text'..., and so does a block:"
    );
    let pre = code.next_sibling_element().unwrap();
    assert_eq!(text_of(pre), "\"straight\" -- 'quotes' ...\n");

    let foreword = page(epub, FOREWORD);
    let first = elements(&foreword, "p")[0];
    assert!(text_of(first).contains(
        "\u{201c}Double quotes\u{201d}, \u{2018}single quotes\u{2019}, it\u{2019}s \u{2013} here an en dash,\nthere an em dash \u{2014} and an ellipsis\u{2026} all"
    ), "{}", text_of(first));
    assert_eq!(
        text_of(elements(&foreword, "code")[0]),
        "\"straight\" -- 'quotes'..."
    );
    // Outside code, no straight quote, double hyphen or three dots is left.
    for (file, doc) in [(EXTENSIONS, &doc), (FOREWORD, &foreword)] {
        for text in doc.descendants().filter(|n| n.is_text()) {
            if text
                .ancestors()
                .any(|n| n.has_tag_name((XHTML, "code")) || n.has_tag_name((XHTML, "head")))
            {
                continue;
            }
            let text = text.text().unwrap();
            assert!(
                !text.contains(['"', '\'']) && !text.contains("--") && !text.contains("..."),
                "{file}: {text:?}"
            );
        }
    }
}

#[test]
fn nested_lists_keep_their_nesting() {
    let doc = page(epub(), EXTENSIONS);
    let list = by_id(&doc, "nested-lists").next_sibling_element().unwrap();
    assert!(list.has_tag_name((XHTML, "ol")));
    let outline: Vec<String> = list
        .descendants()
        .filter(|n| n.has_tag_name((XHTML, "li")))
        .map(|li| {
            let parent = li.parent_element().unwrap();
            let depth = li
                .ancestors()
                .filter(|n| n.has_tag_name((XHTML, "ul")) || n.has_tag_name((XHTML, "ol")))
                .count();
            format!(
                "{}{} {}",
                "  ".repeat(depth - 1),
                parent.tag_name().name(),
                own_text(li)
            )
        })
        .collect();
    assert_eq!(
        outline,
        [
            "ol First",
            "  ul a bullet",
            "    ol deep one",
            "    ol deep two",
            "  ul another bullet",
            "ol Second",
            "  ul a task in a nested list",
        ]
    );
}

// 2. Footnotes.

#[test]
fn footnotes_are_noterefs_and_asides_at_the_chapter_end() {
    let doc = page(epub(), EXTENSIONS);
    let noterefs: Vec<(&str, &str, String)> = doc
        .descendants()
        .filter(|n| n.attribute((OPS, "type")) == Some("noteref"))
        .map(|a| {
            assert!(a.has_tag_name((XHTML, "a")));
            assert_eq!(a.attribute("role"), Some("doc-noteref"));
            assert!(a.parent_element().unwrap().has_tag_name((XHTML, "sup")));
            (
                a.attribute("id").unwrap(),
                a.attribute("href").unwrap(),
                text_of(a),
            )
        })
        .collect();
    // Numbered in the order they are first referred to: the table comes first.
    assert_eq!(
        noterefs,
        [
            ("fnref-cell", "#fn-cell", "1".to_string()),
            ("fnref-plain", "#fn-plain", "2".to_string()),
            ("fnref-twice", "#fn-twice", "3".to_string()),
            ("fnref-twice-1", "#fn-twice", "3".to_string()),
            ("fnref-long", "#fn-long", "4".to_string()),
        ]
    );
    assert!(source(epub(), EXTENSIONS).contains(
        r##"<sup><a epub:type="noteref" role="doc-noteref" id="fnref-plain" href="#fn-plain">2</a></sup>"##
    ));
    // The notes: one div at the end of the chapter's section, a rule and
    // a numbered list with a note in each item.
    let section = elements(&doc, "section")[0];
    let footnotes = section.last_element_child().unwrap();
    assert!(footnotes.has_tag_name((XHTML, "div")));
    assert_eq!(footnotes.attribute("class"), Some("footnotes"));
    let children: Vec<_> = footnotes.children().filter(|n| n.is_element()).collect();
    assert_eq!(children.len(), 2);
    assert!(children[0].has_tag_name((XHTML, "hr")));
    assert!(children[1].has_tag_name((XHTML, "ol")));
    let asides: Vec<(&str, &str, &str)> = children[1]
        .children()
        .filter(|n| n.is_element())
        .map(|li| {
            assert!(li.has_tag_name((XHTML, "li")));
            let aside = li.first_element_child().unwrap();
            assert!(aside.has_tag_name((XHTML, "aside")));
            (
                aside.attribute("id").unwrap(),
                aside.attribute((OPS, "type")).unwrap(),
                aside.attribute("role").unwrap(),
            )
        })
        .collect();
    assert_eq!(
        asides,
        [
            ("fn-cell", "footnote", "doc-footnote"),
            ("fn-plain", "footnote", "doc-footnote"),
            ("fn-twice", "footnote", "doc-footnote"),
            ("fn-long", "footnote", "doc-footnote"),
        ]
    );
    // No aside is left anywhere else.
    assert_eq!(elements(&doc, "aside").len(), 4);
    let plain = by_id(&doc, "fn-plain");
    let backlinks: Vec<&str> = plain
        .descendants()
        .filter(|n| n.attribute("role") == Some("doc-backlink"))
        .map(|a| a.attribute("href").unwrap())
        .collect();
    assert_eq!(backlinks, ["#fnref-plain"]);
}

#[test]
fn a_footnote_referred_to_twice_gets_two_back_links() {
    let doc = page(epub(), EXTENSIONS);
    let twice = by_id(&doc, "fn-twice");
    let backlinks: Vec<(&str, String)> = twice
        .descendants()
        .filter(|n| n.attribute("role") == Some("doc-backlink"))
        .map(|a| (a.attribute("href").unwrap(), text_of(a)))
        .collect();
    assert_eq!(
        backlinks,
        [
            ("#fnref-twice", "↩\u{fe0e}".to_string()),
            ("#fnref-twice-1", "↩\u{fe0e}2".to_string())
        ]
    );
}

#[test]
fn a_footnote_referred_to_from_a_table_cell_works() {
    let doc = page(epub(), EXTENSIONS);
    let noteref = by_id(&doc, "fnref-cell");
    assert!(noteref.ancestors().any(|n| n.has_tag_name((XHTML, "td"))));
    assert_eq!(noteref.attribute("href"), Some("#fn-cell"));
    assert_eq!(
        text_of(by_id(&doc, "fn-cell")).trim(),
        "Referred to from a table cell.\u{a0}↩\u{fe0e}"
    );
}

#[test]
fn a_multi_paragraph_footnote_keeps_all_paragraphs() {
    let doc = page(epub(), EXTENSIONS);
    let long = by_id(&doc, "fn-long");
    let paragraphs: Vec<String> = long
        .children()
        .filter(|n| n.has_tag_name((XHTML, "p")))
        .map(text_of)
        .collect();
    assert_eq!(
        paragraphs,
        [
            "The first paragraph of a long note.",
            "The second paragraph, indented.",
            "The third, with code.\u{a0}↩\u{fe0e}"
        ]
    );
}

#[test]
fn every_noteref_and_back_link_resolves() {
    let epub = epub();
    assert_eq!(assert_notes_resolve(epub, &CHAPTERS), 9);
    // Footnotes in several chapters, each with its notes at its end.
    for file in [FOREWORD, EXTENSIONS, OTHER, GERMAN, ARABIC] {
        let doc = page(epub, file);
        assert!(
            elements(&doc, "div")
                .iter()
                .any(|d| has_class(*d, "footnotes")),
            "{file}"
        );
    }
    // A link in a note is rewritten like any other.
    let foreword = page(epub, FOREWORD);
    assert_eq!(
        link(&foreword, "the tables").attribute("href"),
        Some("002-01-extensions.xhtml#tables")
    );
    let other = page(epub, OTHER);
    assert_eq!(
        link(&other, "link to the first greeting").attribute("href"),
        Some("#hello-world")
    );
}

// 3. Endnotes: `[notes] placement = "book"`.

const NOTES_BOOK: &[(&str, &str)] = &[
    (
        "book.toml",
        "[book]\ntitle = \"Endnotes\"\nlanguage = \"en\"\n\n[notes]\nplacement = \"book\"\n",
    ),
    (
        "chapters/01-first.md",
        "# First\n\n## Section One\n\n\
         A note[^a], the same note again[^a], and another[^b].\n\n\
         [^a]: The first note, referred to twice.\n\n    Its second paragraph.\n\n\
         [^b]: Back to [Section One](#section-one), or on to \
         [the second chapter](02-second.md#second).\n",
    ),
    (
        "chapters/02-second.md",
        "# Second\n\nThe same label in another chapter[^a].\n\n\
         [^a]: The second chapter's note.\n\n\
         <center>An old-fashioned centred line.</center>\n",
    ),
    ("chapters/03-third.md", "# Third\n\nNo notes here.\n"),
];

/// The endnotes book, built once.
fn notes_book() -> &'static TempBuilt {
    static BOOK: OnceLock<TempBuilt> = OnceLock::new();
    BOOK.get_or_init(|| build_book(NOTES_BOOK))
}

#[test]
fn book_placement_gathers_all_notes_in_one_chapter() {
    let epub = &notes_book().epub;
    let doc = page(epub, "notes.xhtml");
    let endnotes = elements(&doc, "section")[0];
    assert_eq!(endnotes.attribute((OPS, "type")), Some("endnotes"));
    assert_eq!(endnotes.attribute("role"), Some("doc-endnotes"));
    // One section per chapter with notes, headed by a link to the chapter.
    let sections: Vec<(&str, &str, String, Vec<&str>)> = endnotes
        .children()
        .filter(|n| n.has_tag_name((XHTML, "section")))
        .map(|section| {
            let h2 = section.first_element_child().unwrap();
            assert!(h2.has_tag_name((XHTML, "h2")));
            let a = h2.first_element_child().unwrap();
            let list = section
                .children()
                .find(|n| n.has_tag_name((XHTML, "ol")))
                .unwrap();
            let asides = list
                .children()
                .filter_map(|li| li.first_element_child())
                .map(|aside| {
                    assert_eq!(aside.attribute((OPS, "type")), Some("footnote"));
                    assert_eq!(aside.attribute("role"), Some("doc-footnote"));
                    aside.attribute("id").unwrap()
                })
                .collect();
            (
                section.attribute("id").unwrap(),
                a.attribute("href").unwrap(),
                text_of(a),
                asides,
            )
        })
        .collect();
    assert_eq!(
        sections,
        [
            (
                "notes-c1",
                "001-01-first.xhtml",
                "First".to_string(),
                vec!["c1-fn-a", "c1-fn-b"]
            ),
            (
                "notes-c2",
                "002-02-second.xhtml",
                "Second".to_string(),
                vec!["c2-fn-a"]
            ),
        ]
    );
    // The notes keep all their paragraphs.
    let paragraphs: Vec<String> = by_id(&doc, "c1-fn-a")
        .children()
        .filter(|n| n.has_tag_name((XHTML, "p")))
        .map(text_of)
        .collect();
    assert_eq!(
        paragraphs,
        [
            "The first note, referred to twice.",
            "Its second paragraph.\u{a0}↩\u{fe0e} ↩\u{fe0e}2"
        ]
    );
    // The chapters keep no notes of their own.
    for file in ["001-01-first.xhtml", "002-02-second.xhtml"] {
        let chapter = page(epub, file);
        assert!(elements(&chapter, "aside").is_empty(), "{file}");
        assert!(
            !elements(&chapter, "div")
                .iter()
                .any(|d| has_class(*d, "footnotes"))
        );
    }
    // The notes chapter is in the spine and the table of contents.
    let (media_type, _) = manifest_item(epub, "text/notes.xhtml");
    assert_eq!(media_type, "application/xhtml+xml");
    assert!(
        epub.text("EPUB/nav.xhtml")
            .contains(r#"<a href="text/notes.xhtml">Notes</a>"#)
    );
}

#[test]
fn book_placement_noterefs_and_back_links_cross_files() {
    let epub = &notes_book().epub;
    let first = page(epub, "001-01-first.xhtml");
    let noterefs: Vec<(&str, &str)> = first
        .descendants()
        .filter(|n| n.attribute((OPS, "type")) == Some("noteref"))
        .map(|a| (a.attribute("id").unwrap(), a.attribute("href").unwrap()))
        .collect();
    assert_eq!(
        noterefs,
        [
            ("fnref-a", "notes.xhtml#c1-fn-a"),
            ("fnref-a-1", "notes.xhtml#c1-fn-a"),
            ("fnref-b", "notes.xhtml#c1-fn-b"),
        ]
    );
    let second = page(epub, "002-02-second.xhtml");
    assert_eq!(
        by_id(&second, "fnref-a").attribute("href"),
        Some("notes.xhtml#c2-fn-a")
    );
    let notes = page(epub, "notes.xhtml");
    let backlinks = |id: &str| -> Vec<String> {
        by_id(&notes, id)
            .descendants()
            .filter(|n| n.attribute("role") == Some("doc-backlink"))
            .map(|a| a.attribute("href").unwrap().to_string())
            .collect()
    };
    assert_eq!(
        backlinks("c1-fn-a"),
        ["001-01-first.xhtml#fnref-a", "001-01-first.xhtml#fnref-a-1"]
    );
    assert_eq!(backlinks("c1-fn-b"), ["001-01-first.xhtml#fnref-b"]);
    assert_eq!(backlinks("c2-fn-a"), ["002-02-second.xhtml#fnref-a"]);
    assert_eq!(
        assert_notes_resolve(
            epub,
            &[
                "001-01-first.xhtml",
                "002-02-second.xhtml",
                "003-03-third.xhtml",
                "notes.xhtml"
            ]
        ),
        4
    );
}

#[test]
fn book_placement_rewrites_same_chapter_links_inside_notes() {
    let epub = &notes_book().epub;
    let notes = page(epub, "notes.xhtml");
    assert_eq!(
        link(&notes, "Section One").attribute("href"),
        Some("001-01-first.xhtml#section-one")
    );
    assert_eq!(
        link(&notes, "the second chapter").attribute("href"),
        Some("002-02-second.xhtml#second")
    );
}

#[test]
fn book_placement_gives_a_valid_epub() {
    let built = notes_book();
    check_epub_structure(&built.epub);
    assert_epubcheck_clean(&built.epub.path);
}

#[test]
fn book_placement_handles_a_note_that_refers_to_another_note() {
    let built = build_book(&[
        (
            "book.toml",
            "[book]\ntitle = \"Nested\"\nlanguage = \"en\"\n\n[notes]\nplacement = \"book\"\n",
        ),
        (
            "chapters/01-a.md",
            "# A\n\nText[^m] and more[^nest].\n\n[^m]: Note m.\n\n[^nest]: Refers to[^m].\n",
        ),
    ]);
    assert_notes_resolve(&built.epub, &["001-01-a.xhtml", "notes.xhtml"]);
    assert_epubcheck_clean(&built.epub.path);
}

#[test]
fn book_placement_follows_links_to_a_footnote_id() {
    let built = build_book(&[
        (
            "book.toml",
            "[book]\ntitle = \"Linked\"\nlanguage = \"en\"\n\n[notes]\nplacement = \"book\"\n",
        ),
        (
            "chapters/01-a.md",
            "# A\n\nText[^m]. See [the note](#fn-m).\n\n[^m]: Note m.\n",
        ),
    ]);
    let doc = page(&built.epub, "001-01-a.xhtml");
    let href = link(&doc, "the note").attribute("href").unwrap();
    assert_eq!(target_of(&built.epub, "001-01-a.xhtml", href).0, "aside");
    assert_epubcheck_clean(&built.epub.path);
}

// 4. TeX math.

#[test]
fn tex_math_becomes_mathml_and_marks_the_page() {
    let epub = epub();
    let doc = page(epub, EXTENSIONS);
    let formulas: Vec<(&str, Option<&str>)> = doc
        .descendants()
        .filter(|n| n.has_tag_name((MATHML, "math")))
        .map(|m| (m.attribute("alttext").unwrap(), m.attribute("display")))
        .collect();
    assert_eq!(
        formulas,
        [
            ("x_1", None),
            ("x^2", None),
            (r"\sum_{i=1}^{n} i = \frac{n(n+1)}{2}", Some("block")),
        ]
    );
    let text = source(epub, EXTENSIONS);
    assert!(text.contains(
        r#"<math xmlns="http://www.w3.org/1998/Math/MathML" alttext="x^2"><msup><mi>x</mi><mn>2</mn></msup></math>"#
    ));
    assert!(text.contains(r#"<math xmlns="http://www.w3.org/1998/Math/MathML" display="block" alttext="\sum_{i=1}^{n} i = \frac{n(n+1)}{2}"><munderover>"#));
    // Dollar signs followed by digits and a space are no math.
    let prices = elements(&doc, "p")
        .into_iter()
        .find(|p| text_of(*p).starts_with("Prices"))
        .unwrap();
    assert_eq!(text_of(prices), "Prices such as $5 and $10 stay text.");
    assert!(prices.children().all(|n| n.is_text()));
    // Math in a second chapter.
    let other = page(epub, OTHER);
    let alpha = other
        .descendants()
        .find(|n| n.has_tag_name((MATHML, "math")))
        .unwrap();
    assert_eq!(alpha.attribute("alttext"), Some(r"\alpha + \beta"));
    assert_eq!(text_of(alpha), "α+β");
    // The pages with math, and only those, are marked.
    for file in CHAPTERS {
        let marked = properties(epub, file).contains(&"mathml".to_string());
        assert_eq!(marked, [EXTENSIONS, OTHER].contains(&file), "{file}");
    }
}

// 5. Code highlighting.

/// The fenced code blocks of a Markdown file: (info string, code).
fn fenced_blocks(markdown: &str) -> Vec<(String, String)> {
    let mut blocks = Vec::new();
    let mut open: Option<(String, String)> = None;
    for line in markdown.split_inclusive('\n') {
        match open.take() {
            None => {
                if let Some(info) = line.strip_prefix("```") {
                    open = Some((info.trim().to_string(), String::new()));
                }
            }
            Some((info, code)) if line.trim_end() == "```" => blocks.push((info, code)),
            Some((info, mut code)) => {
                code.push_str(line);
                open = Some((info, code));
            }
        }
    }
    blocks
}

#[test]
fn code_in_known_languages_is_highlighted_and_keeps_its_text() {
    let epub = epub();
    let markdown =
        std::fs::read_to_string(fixture("markdown").join("chapters/04-code.md")).unwrap();
    let blocks = fenced_blocks(&markdown);
    let doc = page(epub, CODE);
    let codes: Vec<Node> = elements(&doc, "code")
        .into_iter()
        .filter(|c| c.parent_element().unwrap().has_tag_name((XHTML, "pre")))
        .collect();
    // Every fenced block, then the indented one.
    assert_eq!(codes.len(), blocks.len() + 1);
    // (language, has keywords, has comments)
    let expected = [
        ("rust", true, true),
        ("python", true, true),
        ("js", true, true),
        ("c", true, true),
        ("go", true, true),
        ("bash", true, true),
        ("json", false, false),
        ("toml", false, true),
        ("yaml", false, true),
        ("html", true, false),
        ("css", true, true),
        ("sql", true, true),
        ("java", true, true),
        ("ruby", true, true),
    ];
    assert_eq!(blocks.len(), expected.len() + 1, "and klingon");
    for ((language, keywords, comments), ((info, code), element)) in
        expected.iter().zip(blocks.iter().zip(&codes))
    {
        assert_eq!(info, language);
        let class = format!("language-{language}");
        assert_eq!(element.attribute("class"), Some(class.as_str()));
        assert_eq!(&text_of(*element), code, "{language}: the text changed");
        let marks: BTreeSet<(&str, &str)> = element
            .descendants()
            .filter(|n| n.is_element() && *n != *element)
            .map(|n| (n.tag_name().name(), n.attribute("class").unwrap_or("")))
            .collect();
        for (tag, class) in &marks {
            match *tag {
                "b" => assert_eq!(*class, "hl-keyword", "{language}"),
                "i" => assert_eq!(*class, "hl-comment", "{language}"),
                "span" => assert!(class.starts_with("hl-"), "{language}: {class}"),
                other => panic!("{language}: <{other}> in highlighted code"),
            }
        }
        assert!(
            marks.iter().any(|(tag, _)| *tag == "span"),
            "{language}: {marks:?}"
        );
        assert_eq!(
            marks.contains(&("b", "hl-keyword")),
            *keywords,
            "{language}: keywords {marks:?}"
        );
        assert_eq!(
            marks.contains(&("i", "hl-comment")),
            *comments,
            "{language}: comments {marks:?}"
        );
    }
    assert!(source(epub, CODE).contains(
        "<pre><code class=\"language-rust\"><i class=\"hl-comment\">/// The area of a circle.</i>\n\
         <b class=\"hl-keyword\">fn</b> <span class=\"hl-function\">area</span>("
    ));
    // Highlighted blocks in other chapters, too.
    for (file, language) in [(OTHER, "python"), (LINKS, "json"), (GERMAN, "bash")] {
        let doc = page(epub, file);
        let code = elements(&doc, "code")
            .into_iter()
            .find(|c| c.attribute("class") == Some(&format!("language-{language}")))
            .unwrap_or_else(|| panic!("{file}: no {language} block"));
        assert!(code.children().any(|n| n.is_element()), "{file}");
    }
}

#[test]
fn code_in_an_unknown_language_or_indented_stays_plain() {
    let doc = page(epub(), CODE);
    let codes: Vec<Node> = elements(&doc, "code")
        .into_iter()
        .filter(|c| c.parent_element().unwrap().has_tag_name((XHTML, "pre")))
        .collect();
    let klingon = codes[codes.len() - 2];
    assert_eq!(klingon.attribute("class"), Some("language-klingon"));
    assert!(klingon.children().all(|n| n.is_text()));
    assert_eq!(text_of(klingon), "Qapla' \"batlh\" <Daqawlu'taH> & 'ej\n");
    let indented = codes[codes.len() - 1];
    assert_eq!(indented.attribute("class"), None);
    assert!(indented.children().all(|n| n.is_text()));
    assert_eq!(
        text_of(indented),
        "fn main() { println!(\"indented <code> & \\\"quotes\\\"\"); }\n"
    );
    // A `text` block in another chapter is plain too.
    let extensions = page(epub(), EXTENSIONS);
    let text = elements(&extensions, "code")
        .into_iter()
        .find(|c| c.attribute("class") == Some("language-text"))
        .unwrap();
    assert!(text.children().all(|n| n.is_text()));
}

#[test]
fn the_stylesheet_colours_highlighted_code() {
    let css = epub().text("EPUB/css/book.css");
    for class in ["hl-keyword", "hl-comment", "hl-string", "hl-function"] {
        assert!(css.contains(&format!(".{class} {{")), "{class}");
    }
}

// 6. Images.

#[test]
fn images_keep_alt_text_and_titles() {
    let doc = page(epub(), IMAGES);
    let images: Vec<(&str, Option<&str>)> = elements(&doc, "img")
        .into_iter()
        .map(|img| (img.attribute("alt").unwrap(), img.attribute("title")))
        .collect();
    assert_eq!(
        images,
        [
            ("A red square", Some("A square in red")),
            ("The red square again", None),
            ("A circle inside a square", Some("Circle and square")),
            ("The diagram again", None),
        ]
    );
}

#[test]
fn an_image_path_with_spaces_and_accents_works() {
    let epub = epub();
    let doc = page(epub, IMAGES);
    let images = elements(&doc, "img");
    // Written as `<../assets/my figure é.png>` and percent-encoded.
    let src = images[0].attribute("src").unwrap();
    assert_eq!(images[1].attribute("src"), Some(src));
    assert!(src.starts_with("../media/"), "{src}");
    let (file, _) = resolve(IMAGES, src);
    let original = std::fs::read(fixture("markdown").join("assets/my figure é.png")).unwrap();
    assert_eq!(epub.files.get(&file), Some(&original), "{file}");
    let (media_type, _) = manifest_item(epub, file.strip_prefix("EPUB/").unwrap());
    assert_eq!(media_type, "image/png");
    // The file is in the EPUB once.
    assert_eq!(
        epub.files
            .values()
            .filter(|data| **data == original)
            .count(),
        1
    );
}

#[test]
fn svg_images_and_inline_svg_work() {
    let epub = epub();
    let doc = page(epub, IMAGES);
    let src = elements(&doc, "img")[2].attribute("src").unwrap();
    assert_eq!(src, "../media/assets/diagram.svg");
    let (file, _) = resolve(IMAGES, src);
    let original = std::fs::read(fixture("markdown").join("assets/diagram.svg")).unwrap();
    assert_eq!(epub.files.get(&file), Some(&original));
    let (media_type, _) = manifest_item(epub, "media/assets/diagram.svg");
    assert_eq!(media_type, "image/svg+xml");
    // Inline SVG keeps its namespace and marks the page.
    let svg = doc
        .descendants()
        .find(|n| n.has_tag_name((SVG, "svg")))
        .unwrap();
    assert_eq!(svg.attribute("aria-label"), Some("A dot"));
    assert!(svg.children().any(|n| n.has_tag_name((SVG, "circle"))));
    for file in CHAPTERS {
        let marked = properties(epub, file).contains(&"svg".to_string());
        // An SVG file in an <img>, as in OTHER, does not count.
        assert_eq!(marked, file == IMAGES, "{file}");
    }
}

// 7. Heading ids.

#[test]
fn heading_ids_follow_github() {
    let doc = page(epub(), OTHER);
    let headings: Vec<(&str, Option<&str>, String)> = elements(&doc, "h2")
        .into_iter()
        .map(|h| (h.attribute("id").unwrap(), h.attribute("class"), text_of(h)))
        .collect();
    assert_eq!(
        headings,
        [
            ("hello-world", None, "Hello, World!".to_string()),
            ("hello-world-1", None, "Hello, World!".to_string()),
            ("hello-world-2", None, "Hello, World!".to_string()),
            ("ελληνικά", None, "Ελληνικά".to_string()),
            ("中文标题", None, "中文标题".to_string()),
            ("my-id", Some("cls"), "Custom heading".to_string()),
            ("h-1984", None, "1984".to_string()),
        ]
    );
    for (id, _, _) in &headings {
        assert!(is_xml_id(id), "{id}");
    }
    assert!(source(epub(), OTHER).contains(r#"<h2 id="my-id" class="cls">Custom heading</h2>"#));
}

#[test]
fn links_from_another_chapter_reach_heading_ids() {
    let epub = epub();
    let doc = page(epub, LINKS);
    for (text, href) in [
        ("up and back", "003-02-other.xhtml#hello-world"),
        ("second greeting", "003-02-other.xhtml#hello-world-1"),
        ("third greeting", "003-02-other.xhtml#hello-world-2"),
        ("Greek", "003-02-other.xhtml#ελληνικά"),
        ("Greek, percent-encoded", "003-02-other.xhtml#ελληνικά"),
        ("Chinese", "003-02-other.xhtml#中文标题"),
        ("explicit id", "003-02-other.xhtml#my-id"),
    ] {
        assert_eq!(link(&doc, text).attribute("href"), Some(href), "{text}");
        let (tag, _) = target_of(epub, LINKS, href);
        assert_eq!(tag, "h2", "{text}");
    }
}

#[test]
fn a_github_id_that_is_no_xml_id_is_mapped_and_links_follow() {
    let epub = epub();
    let other = page(epub, OTHER);
    let heading = elements(&other, "h2")
        .into_iter()
        .find(|h| text_of(*h) == "1984")
        .unwrap();
    // GitHub's id, `1984`, cannot start an XML id: bindery writes `h-1984`.
    let id = heading.attribute("id").unwrap();
    assert_eq!(id, "h-1984");
    assert!(is_xml_id(id));
    // Links written against `#1984`, from the same chapter and from others.
    assert_eq!(
        link(&other, "the year").attribute("href"),
        Some(format!("#{id}").as_str())
    );
    let expected = format!("{OTHER}#{id}");
    for file in [LINKS, FOREWORD] {
        let doc = page(epub, file);
        let text = if file == LINKS { "a year" } else { "the year" };
        assert_eq!(
            link(&doc, text).attribute("href"),
            Some(expected.as_str()),
            "{file}"
        );
    }
}

// 8. Links.

#[test]
fn every_link_form_is_rewritten() {
    let epub = epub();
    let doc = page(epub, LINKS);
    let list = by_id(&doc, "link-forms").next_sibling_element().unwrap();
    let links: Vec<(String, &str)> = list
        .descendants()
        .filter(|n| n.has_tag_name((XHTML, "a")))
        .map(|a| (text_of(a), a.attribute("href").unwrap()))
        .collect();
    let expected = [
        ("relative", "003-02-other.xhtml"),
        ("dot slash", "003-02-other.xhtml"),
        ("up and back", "003-02-other.xhtml#hello-world"),
        ("second greeting", "003-02-other.xhtml#hello-world-1"),
        ("third greeting", "003-02-other.xhtml#hello-world-2"),
        ("Greek", "003-02-other.xhtml#ελληνικά"),
        ("Greek, percent-encoded", "003-02-other.xhtml#ελληνικά"),
        ("Chinese", "003-02-other.xhtml#中文标题"),
        ("explicit id", "003-02-other.xhtml#my-id"),
        ("a year", "003-02-other.xhtml#h-1984"),
        ("raw anchor", "003-02-other.xhtml#anchor"),
        ("raw span", "003-02-other.xhtml#span-target"),
        // `my%20chapter.md` and `<my chapter.md#target>` are this chapter.
        ("percent-encoded file", "004-my-chapter.xhtml"),
        ("angle brackets", "#target"),
        ("local", "#link-forms"),
        ("web", "https://example.org/path?q=1"),
        ("mail", "mailto:someone@example.org"),
        ("raw HTML link", "003-02-other.xhtml#anchor"),
        (
            "raw HTML link to a heading",
            "002-01-extensions.xhtml#footnotes",
        ),
    ];
    let expected: Vec<(String, &str)> = expected.iter().map(|(t, h)| (t.to_string(), *h)).collect();
    assert_eq!(links, expected);
    // The same file names from another chapter.
    let other = page(epub, OTHER);
    assert_eq!(
        link(&other, "one file away").attribute("href"),
        Some("004-my-chapter.xhtml")
    );
    assert_eq!(
        link(&other, "its target").attribute("href"),
        Some("004-my-chapter.xhtml#target")
    );
    assert_eq!(link(&doc, "jump there").attribute("href"), Some("#here"));
    // Every internal link leads to a page, and its fragment to an element;
    // raw HTML ids are targets too.
    for (_, href) in &links {
        if href.contains(':') {
            continue;
        }
        let (file, fragment) = resolve(LINKS, href);
        assert!(epub.files.contains_key(&file), "{href}");
        if !fragment.is_empty() {
            target_of(epub, LINKS, href);
        }
    }
    assert_eq!(target_of(epub, LINKS, "003-02-other.xhtml#anchor").0, "a");
    assert_eq!(
        target_of(epub, LINKS, "003-02-other.xhtml#span-target").0,
        "span"
    );
    assert_eq!(target_of(epub, LINKS, "#here").0, "span");
}

// 9. Admonitions.

/// Each admonition as (class, role, title, text after the title).
fn admonitions(doc: &Document) -> Vec<(String, String, String, String)> {
    elements(doc, "aside")
        .into_iter()
        .filter(|a| has_class(*a, "admonition"))
        .map(|aside| {
            let title = aside.first_element_child().unwrap();
            assert!(title.has_tag_name((XHTML, "p")));
            assert_eq!(title.attribute("class"), Some("admonition-title"));
            let body = title
                .next_sibling_element()
                .map(text_of)
                .unwrap_or_default();
            (
                aside.attribute("class").unwrap().to_string(),
                aside.attribute("role").unwrap().to_string(),
                text_of(title),
                body,
            )
        })
        .collect()
}

fn strings<const N: usize>(rows: [[&str; 4]; N]) -> Vec<(String, String, String, String)> {
    rows.iter()
        .map(|r| (r[0].into(), r[1].into(), r[2].into(), r[3].into()))
        .collect()
}

#[test]
fn admonitions_become_asides_with_a_title() {
    let doc = page(epub(), OTHER);
    assert_eq!(
        admonitions(&doc),
        strings([
            ["admonition note", "note", "Note", "Useful information."],
            ["admonition tip", "doc-tip", "Tip", "Helpful advice."],
            [
                "admonition important",
                "note",
                "Important",
                "Key information."
            ],
            [
                "admonition warning",
                "note",
                "Warning",
                "Urgent information."
            ],
            ["admonition caution", "note", "Caution", "Risky outcomes."],
        ])
    );
    assert!(source(epub(), OTHER).contains(
        "<aside class=\"admonition note\" role=\"note\">\n<p class=\"admonition-title\">Note</p>\n<p>Useful information.</p>\n</aside>"
    ));
    // No block quote is left of them.
    assert!(elements(&doc, "blockquote").is_empty());
}

#[test]
fn admonitions_in_a_german_chapter_have_german_titles() {
    let doc = page(epub(), GERMAN);
    assert_eq!(
        admonitions(&doc),
        strings([
            ["admonition note", "note", "Hinweis", "Ein Hinweis."],
            ["admonition tip", "doc-tip", "Tipp", "Ein Tipp."],
            [
                "admonition important",
                "note",
                "Wichtig",
                "Etwas Wichtiges."
            ],
            ["admonition warning", "note", "Warnung", "Eine Warnung."],
            ["admonition caution", "note", "Vorsicht", "Vorsicht."],
        ])
    );
    // And in Arabic, Arabic ones.
    let arabic = page(epub(), ARABIC);
    assert_eq!(
        admonitions(&arabic),
        strings([["admonition note", "note", "ملاحظة", "ملاحظة."]])
    );
}

// 10. Chapter front matter.

/// The top entries of the table of contents: (href, text).
fn toc_entries(epub: &Epub) -> Vec<(String, String)> {
    let doc = parse_xml("nav.xhtml", epub.text("EPUB/nav.xhtml"));
    let toc = doc
        .descendants()
        .find(|n| n.has_tag_name((XHTML, "nav")) && n.attribute((OPS, "type")) == Some("toc"))
        .unwrap();
    let list = toc
        .children()
        .find(|n| n.has_tag_name((XHTML, "ol")))
        .unwrap();
    list.children()
        .filter(|n| n.has_tag_name((XHTML, "li")))
        .map(|li| {
            let a = li.first_element_child().unwrap();
            (a.attribute("href").unwrap().to_string(), text_of(a))
        })
        .collect()
}

/// `(xml:lang, lang, dir, body epub:type, title)` of a page.
fn page_facts(epub: &Epub, file: &str) -> [Option<String>; 5] {
    let doc = page(epub, file);
    let html = doc.root_element();
    let body = elements(&doc, "body")[0];
    let title = elements(&doc, "title")[0];
    [
        html.attribute((XML, "lang")).map(str::to_string),
        html.attribute("lang").map(str::to_string),
        html.attribute("dir").map(str::to_string),
        body.attribute((OPS, "type")).map(str::to_string),
        Some(text_of(title)),
    ]
}

fn facts(values: [Option<&str>; 5]) -> [Option<String>; 5] {
    values.map(|v| v.map(str::to_string))
}

#[test]
fn front_matter_sets_title_language_direction_and_matter() {
    let epub = epub();
    let toc = toc_entries(epub);
    let titles: Vec<(&str, &str)> = toc.iter().map(|(h, t)| (h.as_str(), t.as_str())).collect();
    assert_eq!(
        titles,
        [
            // The front matter's title, not the heading `Foreword`.
            ("text/001-00-foreword.xhtml", "A Word Before"),
            ("text/002-01-extensions.xhtml", "Extensions"),
            ("text/003-02-other.xhtml", "Other Things"),
            ("text/004-my-chapter.xhtml", "Links Everywhere"),
            ("text/005-04-code.xhtml", "Code"),
            ("text/006-05-images.xhtml", "Pictures"),
            ("text/007-06-deutsch.xhtml", "Auf Deutsch"),
            // The front matter's title, not the heading `المصادر`.
            ("text/008-07-arabic.xhtml", "مصادر"),
            ("text/009-08-hebrew.xhtml", "The Manifest's Title"),
        ]
    );
    assert_eq!(
        page_facts(epub, FOREWORD),
        facts([
            Some("en"),
            Some("en"),
            Some("ltr"),
            Some("frontmatter"),
            Some("A Word Before")
        ])
    );
    assert_eq!(
        page_facts(epub, EXTENSIONS),
        facts([
            Some("en"),
            Some("en"),
            Some("ltr"),
            Some("bodymatter"),
            Some("Extensions")
        ])
    );
    assert_eq!(
        page_facts(epub, GERMAN),
        facts([
            Some("de"),
            Some("de"),
            Some("ltr"),
            Some("bodymatter"),
            Some("Auf Deutsch")
        ])
    );
    // Every page says its direction; Arabic is written from right to
    // left without being told.
    assert_eq!(
        page_facts(epub, ARABIC),
        facts([
            Some("ar"),
            Some("ar"),
            Some("rtl"),
            Some("backmatter"),
            Some("مصادر")
        ])
    );
    assert!(source(epub, ARABIC).contains(r#" xml:lang="ar" lang="ar" dir="rtl">"#));
    // `dir = "ltr"` wins over Hebrew's direction.
    assert_eq!(
        page_facts(epub, HEBREW),
        facts([
            Some("he"),
            Some("he"),
            Some("ltr"),
            Some("backmatter"),
            Some("The Manifest's Title")
        ])
    );
    // The front matter is not shown.
    assert!(!source(epub, FOREWORD).contains("+++"));
    assert!(!source(epub, FOREWORD).contains("matter ="));
}

#[test]
fn the_manifest_title_wins_over_the_front_matter_title() {
    let epub = epub();
    assert!(toc_entries(epub).contains(&(
        "text/009-08-hebrew.xhtml".into(),
        "The Manifest's Title".into()
    )));
    let text = source(epub, HEBREW);
    assert!(
        text.contains("<title>The Manifest's Title</title>"),
        "{text}"
    );
    assert!(!text.contains("Front Matter"));
}

// 11. Raw HTML.

#[test]
fn raw_html_is_written_as_xhtml() {
    let epub = epub();
    let other = source(epub, OTHER);
    // `<br>`, `<img …>` without a slash, `&nbsp;` and a `<p>` left open.
    assert!(other.contains(
        "<p>An unclosed paragraph with a line<br/>break, a non-breaking\u{a0}space and an image \
         <img src=\"../media/assets/diagram.svg\" alt=\"A small diagram\"/> without a slash.\n</p>"
    ), "{other}");
    let doc = page(epub, OTHER);
    let br = elements(&doc, "br")[0];
    let paragraph = br.parent_element().unwrap();
    assert!(paragraph.has_tag_name((XHTML, "p")));
    // The open paragraph ends where the next block starts.
    let next = paragraph.next_sibling_element().unwrap();
    assert!(next.has_tag_name((XHTML, "aside")) && has_class(next, "note"));
    let images = source(epub, IMAGES);
    assert!(images.contains(
        "<p>A raw image<br/>after a line break: \
         <img src=\"../media/assets/diagram.svg\" alt=\"The diagram again\"/></p>"
    ));
    assert!(images.contains("<p>A last unclosed paragraph\u{a0}here\n</p>"));
    assert!(!other.contains("&nbsp;") && !images.contains("&nbsp;"));
}

#[test]
fn center_becomes_a_div_with_a_warning() {
    let built = notes_book();
    let warning = "warning[B253]: `<center>` is not allowed in EPUB 3; it becomes `<div>`\n";
    let at = built
        .stderr
        .find(warning)
        .unwrap_or_else(|| panic!("{}", built.stderr));
    let location = built.stderr[at + warning.len()..].lines().next().unwrap();
    assert_eq!(location.trim(), "--> chapters/02-second.md:7:1");
    assert!(
        source(&built.epub, "002-02-second.xhtml")
            .contains(r#"<div class="center">An old-fashioned centred line.</div>"#)
    );
}

#[test]
fn an_unclosed_inline_tag_keeps_the_blocks_after_it() {
    let built = build_book(&[
        ("book.toml", "[book]\ntitle = \"Open\"\nlanguage = \"en\"\n"),
        (
            "chapters/01-a.md",
            "# A\n\nText with <b>bold\n\n## Heading\n\nNext paragraph.\n\n- item\n",
        ),
    ]);
    let doc = page(&built.epub, "001-01-a.xhtml");
    assert_eq!(by_id(&doc, "heading").tag_name().name(), "h2");
    for li in elements(&doc, "li") {
        let parent = li.parent_element().unwrap();
        assert!(
            parent.has_tag_name((XHTML, "ul")) || parent.has_tag_name((XHTML, "ol")),
            "<li> inside <{}>",
            parent.tag_name().name()
        );
    }
    assert!(
        elements(&doc, "p")
            .iter()
            .any(|p| text_of(*p).contains("Next paragraph."))
    );
    check_epub_structure(&built.epub);
    assert_epubcheck_clean(&built.epub.path);
}
