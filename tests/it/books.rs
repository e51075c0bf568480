//! Every fixture book builds, passes EPUBCheck, and its XHTML is sound.

use crate::support::{Epub, assert_epubcheck_clean, built, fixture, parse_xml, repo};
use std::collections::{BTreeMap, BTreeSet};

/// The fixtures this module checks; a test below makes sure none is forgotten.
const FIXTURES: &[&str] = &[
    "article",
    "full-metadata",
    "lang-ar",
    "lang-de",
    "lang-fr",
    "lang-he",
    "lang-ja",
    "lang-ja-vertical",
    "lang-zh-hant",
    "layout",
    "markdown",
    "mdbook",
    "mdbook-epub",
    "mdbook-preprocessor",
    "minimal",
    "no-manifest-chapters",
    "pandoc-split",
    "shell-notes",
];

#[test]
fn every_fixture_folder_is_checked() {
    let mut found: Vec<String> = std::fs::read_dir(repo().join("tests/books"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    found.sort();
    assert_eq!(found, FIXTURES);
}

fn check_fixture(name: &str) {
    let built = built(&fixture(name));
    check_epub_structure(&built.epub);
    assert_epubcheck_clean(&built.epub.path);
}

#[test]
fn minimal_book_is_valid() {
    check_fixture("minimal");
}

#[test]
fn full_metadata_book_is_valid() {
    check_fixture("full-metadata");
}

#[test]
fn markdown_book_is_valid() {
    check_fixture("markdown");
}

#[test]
fn one_chapter_article_is_valid() {
    check_fixture("article");
}

#[test]
fn layout_book_is_valid() {
    check_fixture("layout");
}

#[test]
fn german_book_is_valid() {
    check_fixture("lang-de");
}

#[test]
fn french_book_is_valid() {
    check_fixture("lang-fr");
}

#[test]
fn japanese_book_is_valid() {
    check_fixture("lang-ja");
}

#[test]
fn vertical_japanese_book_is_valid() {
    check_fixture("lang-ja-vertical");
}

#[test]
fn traditional_chinese_book_is_valid() {
    check_fixture("lang-zh-hant");
}

#[test]
fn arabic_book_is_valid() {
    check_fixture("lang-ar");
}

#[test]
fn hebrew_book_is_valid() {
    check_fixture("lang-he");
}

#[test]
fn pandoc_document_split_into_chapters_is_valid() {
    check_fixture("pandoc-split");
}

#[test]
fn book_without_chapter_list_is_valid() {
    check_fixture("no-manifest-chapters");
}

#[test]
fn the_guide_at_the_repository_root_is_valid() {
    let built = built(&repo());
    check_epub_structure(&built.epub);
    assert!(!built.stderr.contains("warning"), "{}", built.stderr);
    assert_epubcheck_clean(&built.epub.path);
}

/// What every EPUB bindery writes must hold, whatever the book.
pub fn check_epub_structure(epub: &Epub) {
    // OCF: mimetype first, stored, exact bytes.
    assert_eq!(epub.names[0], "mimetype");
    assert_eq!(epub.files["mimetype"], b"application/epub+zip");
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(epub.bytes.clone())).unwrap();
    assert_eq!(
        archive.by_index(0).unwrap().compression(),
        zip::CompressionMethod::Stored
    );
    assert!(epub.files.contains_key("META-INF/container.xml"));

    let mut ids_by_file: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut links: Vec<(String, String)> = Vec::new();
    for name in epub.xhtml_names() {
        let text = epub.text(name);
        let doc = parse_xml(name, text);
        let html = doc.root_element();
        assert_eq!(html.tag_name().name(), "html", "{name}");
        let lang = html.attribute(("http://www.w3.org/XML/1998/namespace", "lang"));
        assert!(
            lang.is_some_and(|l| !l.is_empty()),
            "{name} has no xml:lang"
        );
        assert_eq!(
            html.attribute("lang"),
            lang,
            "{name}: lang and xml:lang differ"
        );

        let mut ids = BTreeSet::new();
        for node in doc.descendants().filter(|n| n.is_element()) {
            if let Some(id) = node.attribute("id") {
                assert!(
                    ids.insert(id.to_string()),
                    "{name}: id `{id}` is used twice"
                );
            }
            let reference = match node.tag_name().name() {
                "a" | "link" => node.attribute("href"),
                "img" => node.attribute("src"),
                _ => None,
            };
            if let Some(reference) = reference {
                links.push((name.to_string(), reference.to_string()));
            }
        }
        ids_by_file.insert(name.to_string(), ids);
    }
    for (from, reference) in links {
        if reference.contains(':') {
            continue; // https:, mailto:
        }
        let (path, fragment) = reference.split_once('#').unwrap_or((&reference, ""));
        let target = if path.is_empty() {
            from.clone()
        } else {
            resolve(&from, path)
        };
        assert!(
            epub.files.contains_key(&target),
            "{from}: `{reference}` points to missing {target}"
        );
        if !fragment.is_empty() {
            let ids = ids_by_file
                .get(&target)
                .unwrap_or_else(|| panic!("{from}: `{reference}` is not XHTML"));
            assert!(
                ids.contains(fragment),
                "{from}: `{reference}`: no id `{fragment}` in {target}"
            );
        }
    }
}

/// Resolves a relative reference against the file it is in.
fn resolve(from: &str, reference: &str) -> String {
    let mut parts: Vec<&str> = from.split('/').collect();
    parts.pop();
    for part in reference.split('/') {
        match part {
            ".." => {
                parts.pop();
            }
            "." | "" => {}
            other => parts.push(other),
        }
    }
    parts.join("/")
}
