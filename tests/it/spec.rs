//! The CommonMark spec's examples, and the GFM spec's extension examples,
//! as books: every example is one chapter. Each chapter's XHTML must parse
//! as XML, each book must pass EPUBCheck, and each example's output must
//! match the spec's HTML up to serialization, except for the examples
//! listed below with the reason bindery differs. Every listed difference
//! is raw HTML that EPUB 3 cannot hold as written, or a GFM extension
//! that changes a CommonMark example.
//!
//! "Up to serialization" means: both sides are parsed with an HTML5 parser
//! and compared as trees, with attributes in any order, white space
//! collapsed, and the differences bindery makes on purpose undone: heading
//! ids and link and image addresses are ignored (bindery rewrites or, with
//! `broken-links = "warn"`, drops addresses that lead nowhere in the book),
//! smart punctuation is turned back into ASCII, table alignment classes
//! become `align` attributes, and an image whose file is missing (shown as
//! its alt text) counts as the image.

use crate::books::check_epub_structure;
use crate::support::{Epub, assert_epubcheck_clean, bindery, repo};
use html5ever::tendril::TendrilSink;
use markup5ever_rcdom::{Handle, NodeData, RcDom};
use std::fmt::Write;

struct Example {
    number: usize,
    section: String,
    markdown: String,
    html: String,
    extension: bool,
}

fn examples(spec: &str) -> Vec<Example> {
    const FENCE: &str = "````````````````````````````````";
    let mut out = Vec::new();
    let mut section = String::new();
    let mut lines = spec.lines();
    while let Some(line) = lines.next() {
        if let Some(rest) = line
            .strip_prefix(FENCE)
            .and_then(|r| r.strip_prefix(" example"))
        {
            // cmark-gfm marks the examples its own test run skips.
            let disabled = rest.trim() == "disabled";
            let mut markdown = String::new();
            for line in lines.by_ref() {
                if line == "." {
                    break;
                }
                markdown.push_str(line);
                markdown.push('\n');
            }
            let mut html = String::new();
            for line in lines.by_ref() {
                if line.starts_with(FENCE) {
                    break;
                }
                html.push_str(line);
                html.push('\n');
            }
            if disabled {
                continue;
            }
            out.push(Example {
                number: out.len() + 1,
                section: section.clone(),
                markdown: markdown.replace('→', "\t"),
                html: html.replace('→', "\t"),
                extension: !rest.trim().is_empty() || section.contains("(extension)"),
            });
        } else if let Some(title) = line.strip_prefix("## ").or_else(|| line.strip_prefix("# ")) {
            section = title.to_string();
        }
    }
    out
}

/// A canonical text form of an HTML fragment's tree.
fn canonical(html: &str) -> String {
    let dom = html5ever::parse_fragment(
        RcDom::default(),
        Default::default(),
        html5ever::QualName::new(
            None,
            html5ever::ns!(html),
            html5ever::LocalName::from("body"),
        ),
        vec![],
        false,
    )
    .one(html);
    let mut out = String::new();
    for root in dom.document.children.borrow().iter() {
        write_children(&mut out, root, false);
    }
    out
}

/// Writes children, joining runs of text (a dropped comment splits a
/// text node in two without changing what the reader sees).
fn write_children(out: &mut String, node: &Handle, in_pre: bool) {
    let mut text = String::new();
    let flush = |out: &mut String, text: &mut String| {
        let run = unsmart(text);
        if in_pre {
            out.push_str(&run);
        } else {
            let collapsed = run.split_whitespace().collect::<Vec<_>>().join(" ");
            if !collapsed.is_empty() {
                out.push_str(&collapsed);
                out.push('|');
            }
        }
        text.clear();
    };
    for child in node.children.borrow().iter() {
        match &child.data {
            NodeData::Text { contents } => text.push_str(&contents.borrow()),
            NodeData::Comment { .. } => {}
            _ => {
                flush(out, &mut text);
                write_node(out, child, in_pre);
            }
        }
    }
    flush(out, &mut text);
}

fn write_node(out: &mut String, node: &Handle, in_pre: bool) {
    let NodeData::Element { name, attrs, .. } = &node.data else {
        return;
    };
    // bindery writes a lone image with a title as a figure whose caption
    // is the title; titles are not compared (see below).
    if &*name.local == "figure" {
        out.push_str("<p>");
        for child in node.children.borrow().iter() {
            let caption = matches!(&child.data, NodeData::Element { name, .. } if &*name.local == "figcaption");
            if !caption {
                write_node(out, child, in_pre);
            }
        }
        out.push_str("</p>");
        return;
    }
    // Highlighted code: the colours are bindery's addition, the text must
    // match; so are the box around a table and the span that keeps a
    // hyphenated word of code on one line.
    let added = |attr: &html5ever::Attribute| {
        &*attr.name.local == "class"
            && (attr.value.starts_with("hl-")
                || &*attr.value == "nobreak"
                || (&*attr.value == "table" && &*name.local == "div"))
    };
    if attrs.borrow().iter().any(added) {
        write_children(out, node, in_pre);
        return;
    }
    let mut element = name.local.to_string();
    let mut attributes: Vec<(String, String)> = Vec::new();
    let mut is_missing_image = false;
    for attr in attrs.borrow().iter() {
        let key = attr.name.local.to_string();
        let value = attr.value.to_string();
        match key.as_str() {
            "id" | "href" | "src" | "title" | "aria-label" | "role" => {}
            "class" if value == "missing-image" => is_missing_image = true,
            "class" if value.starts_with("align-") => {
                attributes.push(("align".into(), value["align-".len()..].to_string()))
            }
            "disabled" | "checked" => attributes.push((key, String::new())),
            _ => attributes.push((key, value)),
        }
    }
    if is_missing_image {
        element = "img".into();
        let mut alt = String::new();
        for child in node.children.borrow().iter() {
            if let NodeData::Text { contents } = &child.data {
                alt.push_str(&contents.borrow());
            }
        }
        attributes.push(("alt".into(), unsmart(&alt)));
    }
    if element == "img" {
        // bindery gives an image without alt text `alt=""`.
        attributes.retain(|(key, value)| key != "alt" || !value.is_empty());
        for (key, value) in attributes.iter_mut() {
            if key == "alt" {
                *value = unsmart(value);
            }
        }
    }
    attributes.sort();
    let _ = write!(out, "<{element}");
    for (key, value) in &attributes {
        let _ = write!(out, " {key}={value:?}");
    }
    out.push('>');
    if !is_missing_image {
        write_children(out, node, in_pre || element == "pre");
    }
    let _ = write!(out, "</{element}>");
}

/// Smart punctuation undone, so bindery's typography compares with the
/// spec's ASCII.
fn unsmart(text: &str) -> String {
    text.replace(['‘', '’'], "'")
        .replace(['“', '”'], "\"")
        .replace('—', "---")
        .replace('–', "--")
        .replace('…', "...")
}

/// The inside of a chapter's `<section>`.
fn section_body(xhtml: &str) -> &str {
    let start = xhtml
        .find("<section")
        .and_then(|i| xhtml[i..].find('>').map(|j| i + j + 1))
        .unwrap_or(0);
    let end = xhtml.rfind("</section>").unwrap_or(xhtml.len());
    &xhtml[start..end]
}

/// Builds the examples as a book and returns the numbers of those whose
/// output differs from the spec's, with a report of each.
fn run(name: &str, examples: &[&Example]) -> (Vec<usize>, String) {
    let dir = tempfile::tempdir().unwrap();
    let book = dir.path().join(name);
    std::fs::create_dir_all(book.join("chapters")).unwrap();
    std::fs::write(
        book.join("book.toml"),
        format!("[book]\ntitle = \"{name} examples\"\nlanguage = \"en\"\n\n[markdown]\nbroken-links = \"warn\"\n"),
    )
    .unwrap();
    for example in examples {
        std::fs::write(
            book.join(format!("chapters/{:04}.md", example.number)),
            &example.markdown,
        )
        .unwrap();
    }
    let out = dir.path().join("book.epub");
    let output = bindery()
        .arg("build")
        .arg(&book)
        .arg("-o")
        .arg(&out)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let epub = Epub::open(&out);
    check_epub_structure(&epub);
    assert_epubcheck_clean(&out);

    let mut failing = Vec::new();
    let mut report = String::new();
    for example in examples {
        let file = epub
            .names
            .iter()
            .find(|n| n.ends_with(&format!("-{:04}.xhtml", example.number)))
            .unwrap_or_else(|| panic!("no chapter for example {}", example.number));
        let ours = canonical(section_body(epub.text(file)));
        let theirs = canonical(&example.html);
        if ours != theirs {
            failing.push(example.number);
            let _ = writeln!(
                report,
                "example {} ({}):\n  markdown: {:?}\n  expected: {theirs}\n  bindery:  {ours}",
                example.number, example.section, example.markdown
            );
        }
    }
    (failing, report)
}

const UNKNOWN_ELEMENT: &str =
    "an element EPUB 3 does not have: its tag is left out, its content kept";
const SCRIPT_OR_STYLE: &str = "scripts, styles and form fields are left out with their content";
const ATTRIBUTES: &str = "attributes EPUB 3 does not allow are left out";
const GFM_AUTOLINK: &str =
    "bindery follows GFM, whose extended autolinks make a bare address a link";
const CLOSED_AT_BLOCK_END: &str = "an element inline HTML leaves open is closed at the end of its \
     paragraph, where a browser would open it again, empty, after the paragraph";

/// Examples where bindery differs from CommonMark on purpose, with why.
/// Every one is raw HTML that EPUB 3's XHTML cannot hold as it is, or
/// that bindery keeps inside its Markdown block.
const COMMONMARK_DIFFERENCES: &[(usize, &str)] = &[
    (
        148,
        "a `<p>` inside `<pre>` is not allowed: the paragraph's tag is left out, its text kept",
    ),
    (150, UNKNOWN_ELEMENT),
    (164, UNKNOWN_ELEMENT),
    (189, CLOSED_AT_BLOCK_END),
    (171, ATTRIBUTES),
    (172, SCRIPT_OR_STYLE),
    (173, SCRIPT_OR_STYLE),
    (174, SCRIPT_OR_STYLE),
    (175, SCRIPT_OR_STYLE),
    (178, SCRIPT_OR_STYLE),
    (180, SCRIPT_OR_STYLE),
    (203, UNKNOWN_ELEMENT),
    (346, CLOSED_AT_BLOCK_END),
    (478, CLOSED_AT_BLOCK_END),
    (479, CLOSED_AT_BLOCK_END),
    (493, UNKNOWN_ELEMENT),
    (496, CLOSED_AT_BLOCK_END),
    (526, UNKNOWN_ELEMENT),
    (538, UNKNOWN_ELEMENT),
    (608, GFM_AUTOLINK),
    (610, GFM_AUTOLINK),
    (613, GFM_AUTOLINK),
    (614, GFM_AUTOLINK),
    (615, UNKNOWN_ELEMENT),
    (616, UNKNOWN_ELEMENT),
    (617, UNKNOWN_ELEMENT),
    (618, ATTRIBUTES),
    (619, UNKNOWN_ELEMENT),
    (632, CLOSED_AT_BLOCK_END),
    (633, CLOSED_AT_BLOCK_END),
    (645, CLOSED_AT_BLOCK_END),
    (646, CLOSED_AT_BLOCK_END),
];

/// GFM extension examples where bindery differs, with why.
const GFM_DIFFERENCES: &[(usize, &str)] = &[(
    651,
    "`<title>` and `<style>` are left out with their content rather than shown as text, and a block inside an unclosed inline element loses its tag",
)];

fn assert_differences(name: &str, failing: &[usize], known: &[(usize, &str)], report: &str) {
    let known: Vec<usize> = known.iter().map(|(n, _)| *n).collect();
    let unexpected: Vec<usize> = failing
        .iter()
        .copied()
        .filter(|n| !known.contains(n))
        .collect();
    let fixed: Vec<usize> = known
        .iter()
        .copied()
        .filter(|n| !failing.contains(n))
        .collect();
    assert!(
        unexpected.is_empty() && fixed.is_empty(),
        "{name}: examples that differ and are not listed: {unexpected:?}\nlisted but now matching: {fixed:?}\n\n{report}"
    );
}

#[test]
fn commonmark_examples_survive_into_valid_xhtml() {
    let spec = std::fs::read_to_string(repo().join("tests/corpora/commonmark/spec.txt")).unwrap();
    let all = examples(&spec);
    assert_eq!(all.len(), 655);
    let refs: Vec<&Example> = all.iter().collect();
    let (failing, report) = run("commonmark", &refs);
    assert_differences("CommonMark", &failing, COMMONMARK_DIFFERENCES, &report);
}

#[test]
fn gfm_extension_examples_survive_into_valid_xhtml() {
    let spec = std::fs::read_to_string(repo().join("tests/corpora/gfm/spec.txt")).unwrap();
    let all = examples(&spec);
    let extensions: Vec<&Example> = all.iter().filter(|e| e.extension).collect();
    assert!(extensions.len() >= 20, "{}", extensions.len());
    let (failing, report) = run("gfm", &extensions);
    assert_differences("GFM", &failing, GFM_DIFFERENCES, &report);
}
