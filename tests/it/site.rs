//! `bindery site`, the catalogue and the release options of `build`, as a
//! user and a browser meet them.

use crate::support::{TempBook, bindery, chromium, copy_dir, fixture, parse_xml};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

const DOWNLOAD: &str = r#"
[download]
url = "https://signature.example/books/binders-companion/"
donation-url = "https://signature.example/donate"
donation-text = "Signature Press publishes open-access books. <Help> us & keep them free."
donation-label = "Support Signature Press"

[[download.formats]]
name = "PDF"
url = "https://signature.example/books/binders-companion.pdf"
"#;

/// A copy of a fixture with text added to its book.toml.
fn book_with(fixture_name: &str, extra: &str) -> TempBook {
    let book = TempBook::copy_of(&fixture(fixture_name));
    let manifest = book.path().join("book.toml");
    let mut text = std::fs::read_to_string(&manifest).unwrap();
    text.push_str(extra);
    std::fs::write(&manifest, text).unwrap();
    book
}

fn run(args: &[&str], dir: &Path) -> Output {
    bindery().args(args).current_dir(dir).output().unwrap()
}

fn succeeded(output: &Output) -> String {
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    assert!(output.status.success(), "{stderr}");
    stderr
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The elements of a parsed page named `name`.
fn elements<'a, 'i>(
    doc: &'a roxmltree::Document<'i>,
    name: &'a str,
) -> impl Iterator<Item = roxmltree::Node<'a, 'i>> + 'a {
    doc.descendants()
        .filter(move |n| n.is_element() && n.tag_name().name() == name)
}

fn text_of(node: roxmltree::Node<'_, '_>) -> String {
    node.descendants()
        .filter(|n| n.is_text())
        .map(|n| n.text().unwrap_or(""))
        .collect()
}

fn by_class<'a, 'i>(doc: &'a roxmltree::Document<'i>, class: &str) -> roxmltree::Node<'a, 'i> {
    doc.descendants()
        .find(|n| n.attribute("class") == Some(class))
        .unwrap_or_else(|| panic!("no element of class {class}"))
}

fn meta<'a>(doc: &'a roxmltree::Document<'_>, key: &str) -> Option<&'a str> {
    elements(doc, "meta")
        .find(|m| m.attribute("property") == Some(key) || m.attribute("name") == Some(key))
        .and_then(|m| m.attribute("content"))
}

#[test]
fn site_page_shows_the_book_and_its_download() {
    let book = book_with("full-metadata", &format!("version = \"2.1\"\n{DOWNLOAD}"));
    // `version` must sit in [book]: put it right after the header.
    let manifest = book.path().join("book.toml");
    let text = read(&manifest).replacen("version = \"2.1\"\n", "", 1);
    std::fs::write(
        &manifest,
        text.replacen("[book]\n", "[book]\nversion = \"2.1\"\n", 1),
    )
    .unwrap();
    let stderr = succeeded(&run(&["site"], &book.path()));
    let site = book.path().join("build/site");
    assert!(
        stderr.contains("wrote ./build/site/index.html (the-binder-s-companion.epub"),
        "{stderr}"
    );
    let mut names: Vec<String> = std::fs::read_dir(&site)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(
        names,
        [
            "SHA256SUMS",
            "cover.jpg",
            "index.html",
            "style.css",
            "the-binder-s-companion.epub"
        ]
    );

    let html = read(&site.join("index.html"));
    assert!(html.starts_with("<!DOCTYPE html>\n"));
    let doc = parse_xml("index.html", &html);
    let root = doc.root_element();
    assert_eq!(root.attribute("lang"), Some("en"));
    for landmark in ["header", "main", "footer"] {
        assert_eq!(elements(&doc, landmark).count(), 1, "{landmark}");
    }
    assert_eq!(elements(&doc, "script").count(), 1, "only the JSON-LD");
    assert_eq!(
        meta(&doc, "viewport"),
        Some("width=device-width, initial-scale=1")
    );
    let h1: Vec<String> = elements(&doc, "h1").map(text_of).collect();
    assert_eq!(h1, ["The Binder's Companion"]);
    assert_eq!(
        text_of(by_class(&doc, "subtitle")),
        "Notes on making books by hand and by machine"
    );
    assert_eq!(
        text_of(by_class(&doc, "authors")),
        "By Margarethe Falz and Tomás Ribeiro"
    );
    // Other roles are named as on the title page.
    assert_eq!(text_of(by_class(&doc, "editors")), "Editor: Ingrid Ålund");
    assert!(text_of(by_class(&doc, "description")).starts_with("A practical companion"));
    let img = elements(&doc, "img").next().unwrap();
    assert_eq!(
        img.attribute("alt"),
        Some("Cover of The Binder's Companion")
    );
    assert_eq!(img.attribute("src"), Some("cover.jpg"));

    // The "About this edition" list.
    let rows: Vec<(String, String)> = elements(&doc, "dt")
        .map(|dt| {
            let dd = dt.next_sibling_element().unwrap();
            (text_of(dt), text_of(dd))
        })
        .collect();
    let row = |term: &str| {
        rows.iter()
            .find(|(t, _)| t == term)
            .map(|(_, d)| d.as_str())
            .unwrap_or_else(|| panic!("no {term} in {rows:?}"))
    };
    assert_eq!(row("Publisher"), "Signature Press");
    // CLDR's long date in English.
    assert_eq!(row("Published"), "March 14, 2025");
    assert_eq!(row("Version"), "2.1");
    assert_eq!(row("Identifier"), "urn:isbn:9780306406157");
    assert_eq!(row("Language"), "English");
    assert_eq!(
        row("Licence"),
        "Creative Commons Attribution-ShareAlike 4.0 International"
    );
    let licence = elements(&doc, "a")
        .find(|a| a.attribute("rel") == Some("license"))
        .unwrap();
    assert_eq!(
        licence.attribute("href"),
        Some("https://creativecommons.org/licenses/by-sa/4.0/")
    );

    // The download: the file, its size and checksum, the other formats.
    let epub = std::fs::read(site.join("the-binder-s-companion.epub")).unwrap();
    let digest = bindery::release::sha256_hex(&epub);
    assert_eq!(
        read(&site.join("SHA256SUMS")),
        format!("{digest}  the-binder-s-companion.epub\n")
    );
    let button = elements(&doc, "a")
        .find(|a| a.attribute("id") == Some("download"))
        .unwrap();
    assert_eq!(
        button.attribute("href"),
        Some("the-binder-s-companion.epub")
    );
    assert_eq!(button.attribute("type"), Some("application/epub+zip"));
    // The size in bytes, grouped in thousands as English writes numbers.
    let grouped =
        bindery::locale::Locale::new("en", Default::default()).number(epub.len() as u64, 0);
    assert!(grouped.contains(','), "{grouped}");
    assert!(text_of(by_class(&doc, "file")).contains(&format!("({grouped} bytes)")));
    assert_eq!(
        text_of(by_class(&doc, "checksum")),
        format!("SHA-256: {digest} (SHA256SUMS)")
    );
    assert_eq!(text_of(by_class(&doc, "formats")), "Also available as PDF.");
    let donation = by_class(&doc, "donation");
    assert!(text_of(donation).contains("<Help> us & keep them free."));
    assert!(text_of(donation).contains("not need to donate"));
    assert!(donation.range().end < button.range().start);

    // Web metadata.
    let canonical = elements(&doc, "link")
        .find(|l| l.attribute("rel") == Some("canonical"))
        .unwrap();
    assert_eq!(
        canonical.attribute("href"),
        Some("https://signature.example/books/binders-companion/")
    );
    assert_eq!(meta(&doc, "og:type"), Some("book"));
    assert_eq!(
        meta(&doc, "og:image"),
        Some("https://signature.example/books/binders-companion/cover.jpg")
    );
    assert_eq!(meta(&doc, "twitter:card"), Some("summary_large_image"));
    assert_eq!(meta(&doc, "book:isbn"), Some("9780306406157"));

    let script = elements(&doc, "script").next().unwrap();
    assert_eq!(script.attribute("type"), Some("application/ld+json"));
    let ld: serde_json::Value = serde_json::from_str(&text_of(script)).unwrap();
    assert_eq!(ld["@type"], "Book");
    assert_eq!(ld["name"], "The Binder's Companion");
    assert_eq!(ld["author"][1]["name"], "Tomás Ribeiro");
    assert_eq!(ld["editor"][0]["name"], "Ingrid Ålund");
    assert_eq!(
        ld["license"],
        "https://creativecommons.org/licenses/by-sa/4.0/"
    );
    assert_eq!(
        ld["url"],
        "https://signature.example/books/binders-companion/"
    );
    assert_eq!(ld["isAccessibleForFree"], serde_json::Value::Bool(true));
    let edition = &ld["workExample"][0];
    assert_eq!(edition["@type"], "Book");
    assert_eq!(edition["bookFormat"], "https://schema.org/EBook");
    assert_eq!(edition["isbn"], "9780306406157");
    assert_eq!(edition["bookEdition"], "2.1");
    let file = &edition["encoding"];
    assert_eq!(file["@type"], "MediaObject");
    assert_eq!(file["encodingFormat"], "application/epub+zip");
    assert_eq!(file["sha256"], digest.as_str());
    assert_eq!(file["contentSize"], format!("{} bytes", epub.len()));
    assert_eq!(
        file["contentUrl"],
        "https://signature.example/books/binders-companion/the-binder-s-companion.epub"
    );
    assert_eq!(edition["accessibilityHazard"][0], "none");
    assert!(edition["accessibilityFeature"].as_array().unwrap().len() > 2);
    assert!(edition["accessibilitySummary"].as_str().unwrap().len() > 20);
}

#[test]
fn site_output_is_the_same_bytes_every_time() {
    let book = book_with("minimal", DOWNLOAD);
    succeeded(&run(&["site", "-o", "one"], &book.path()));
    succeeded(&run(&["site", "-o", "two"], &book.path()));
    let one = book.path().join("one");
    let mut names: Vec<_> = std::fs::read_dir(&one)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    names.sort();
    // A book without a cover image gets bindery's drawn one, and its thumbnail.
    let shown: Vec<_> = names.iter().map(|n| n.to_string_lossy()).collect();
    assert_eq!(
        shown,
        [
            "SHA256SUMS",
            "a-minimal-book.epub",
            "cover-thumbnail.png",
            "cover.png",
            "index.html",
            "style.css"
        ]
    );
    for name in names {
        assert_eq!(
            std::fs::read(one.join(&name)).unwrap(),
            std::fs::read(book.path().join("two").join(&name)).unwrap(),
            "{name:?} differs between two runs"
        );
    }
}

#[test]
fn a_bad_download_table_is_an_error_with_its_place() {
    let book = book_with(
        "minimal",
        "[download]\ndonation_url = \"https://example.org\"\nurl = \"example.org\"\n",
    );
    let output = run(&["site"], &book.path());
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains(
            "error[B003]: unknown key `donation_url` in [download]\n --> book.toml:5:1\n"
        ),
        "{stderr}"
    );
    assert!(
        stderr.contains("= help: did you mean `donation-url`?"),
        "{stderr}"
    );
    assert!(
        stderr.contains("error[B017]: `example.org` is not a web address\n --> book.toml:6:7\n"),
        "{stderr}"
    );
    assert!(!book.path().join("build/site/index.html").exists());
}

#[test]
fn several_books_get_a_catalogue_and_an_opds_feed() {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&fixture("minimal"), &dir.path().join("old"));
    copy_dir(&fixture("full-metadata"), &dir.path().join("companion"));
    copy_dir(&fixture("minimal"), &dir.path().join("new"));
    std::fs::write(
        dir.path().join("new/book.toml"),
        "[book]\ntitle = \"A Newer Book\"\nlanguage = \"de\"\ndate = \"2026-01-01\"\nauthors = [\"Neu & Co\"]\n",
    )
    .unwrap();
    let stderr = succeeded(&run(
        &[
            "site",
            "old",
            "companion",
            "new",
            "-o",
            "out",
            "--title",
            "Signature & Friends",
        ],
        dir.path(),
    ));
    assert!(
        stderr.contains("wrote out/index.html and catalog.xml (3 books)"),
        "{stderr}"
    );
    let out = dir.path().join("out");
    for file in [
        "a-minimal-book/index.html",
        "a-minimal-book/a-minimal-book.epub",
        "a-minimal-book/cover-thumbnail.png",
        "the-binder-s-companion/SHA256SUMS",
        "a-newer-book/index.html",
        "style.css",
    ] {
        assert!(out.join(file).is_file(), "{file}");
    }

    // The page lists the books newest first; a book without a date comes last.
    let html = read(&out.join("index.html"));
    let doc = parse_xml("index.html", &html);
    let links: Vec<(String, String)> = elements(&doc, "h2")
        .filter_map(|h| h.first_element_child())
        .map(|a| (a.attribute("href").unwrap().to_string(), text_of(a)))
        .collect();
    assert_eq!(
        links,
        [
            (
                "a-newer-book/index.html".to_string(),
                "A Newer Book".to_string()
            ),
            (
                "the-binder-s-companion/index.html".into(),
                "The Binder's Companion".into()
            ),
            ("a-minimal-book/index.html".into(), "A Minimal Book".into()),
        ]
    );
    for (href, _) in &links {
        assert!(out.join(href).is_file());
    }
    // Each book page links back to the catalogue.
    let page = read(&out.join("a-newer-book/index.html"));
    let page = parse_xml("a-newer-book/index.html", &page);
    let back = elements(&page, "header")
        .flat_map(|h| h.descendants())
        .find(|n| n.tag_name().name() == "a")
        .expect("a link in the header");
    assert_eq!(back.attribute("href"), Some("../index.html"));
    // In the language of the book the page is for.
    assert_eq!(text_of(back), "Alle Bücher");

    // The OPDS 1.2 acquisition feed.
    let feed = read(&out.join("catalog.xml"));
    let doc = parse_xml("catalog.xml", &feed);
    let atom = "http://www.w3.org/2005/Atom";
    let root = doc.root_element();
    assert_eq!(root.tag_name().namespace(), Some(atom));
    assert_eq!(root.tag_name().name(), "feed");
    let child_text = |node: roxmltree::Node<'_, '_>, name: &str| {
        node.children()
            .find(|c| c.tag_name().name() == name && c.tag_name().namespace() == Some(atom))
            .and_then(|c| c.text())
            .map(str::to_string)
    };
    assert_eq!(
        child_text(root, "title").as_deref(),
        Some("Signature & Friends")
    );
    assert!(child_text(root, "id").unwrap().starts_with("urn:uuid:"));
    assert_eq!(
        child_text(root, "updated").as_deref(),
        Some("2026-01-01T00:00:00Z")
    );
    // Atom wants an author for a feed whose entries may have none.
    let authors: Vec<String> = root
        .children()
        .filter(|c| c.tag_name().name() == "author" && c.tag_name().namespace() == Some(atom))
        .map(|a| child_text(a, "name").unwrap())
        .collect();
    assert_eq!(authors, ["Signature & Friends"]);
    // OPDS 1.2 section 3.3: `self` is the feed, `start` the catalogue's root.
    for rel in ["self", "start"] {
        let link = root
            .children()
            .find(|c| c.tag_name().name() == "link" && c.attribute("rel") == Some(rel))
            .unwrap_or_else(|| panic!("no {rel} link"));
        assert_eq!(link.attribute("href"), Some("catalog.xml"), "{rel}");
        assert_eq!(
            link.attribute("type"),
            Some("application/atom+xml;profile=opds-catalog;kind=acquisition"),
            "{rel}"
        );
    }
    let entries: Vec<_> = root
        .children()
        .filter(|c| c.tag_name().name() == "entry")
        .collect();
    assert_eq!(entries.len(), 3);
    let titles: Vec<String> = entries
        .iter()
        .map(|e| child_text(*e, "title").unwrap())
        .collect();
    assert_eq!(
        titles,
        ["A Newer Book", "The Binder's Companion", "A Minimal Book"]
    );
    for entry in &entries {
        assert!(child_text(*entry, "id").is_some());
        assert!(child_text(*entry, "updated").is_some());
        let link = |rel: &str| {
            entry
                .children()
                .find(|c| c.tag_name().name() == "link" && c.attribute("rel") == Some(rel))
                .unwrap_or_else(|| panic!("no {rel} link"))
        };
        let acquisition = link("http://opds-spec.org/acquisition/open-access");
        assert_eq!(acquisition.attribute("type"), Some("application/epub+zip"));
        let epub = out.join(acquisition.attribute("href").unwrap());
        assert_eq!(
            acquisition.attribute("length").unwrap(),
            std::fs::metadata(&epub).unwrap().len().to_string()
        );
        for rel in [
            "http://opds-spec.org/image",
            "http://opds-spec.org/image/thumbnail",
        ] {
            assert!(
                out.join(link(rel).attribute("href").unwrap()).is_file(),
                "{rel}"
            );
        }
    }
    assert_eq!(
        child_text(entries[1], "id").as_deref(),
        Some("urn:isbn:9780306406157")
    );

    // A second run writes the same catalogue.
    succeeded(&run(
        &[
            "site",
            "old",
            "companion",
            "new",
            "-o",
            "again",
            "--title",
            "Signature & Friends",
        ],
        dir.path(),
    ));
    for file in ["index.html", "catalog.xml", "a-newer-book/index.html"] {
        assert_eq!(
            read(&out.join(file)),
            read(&dir.path().join("again").join(file)),
            "{file}"
        );
    }
}

#[test]
fn books_with_the_same_identifier_get_no_catalogue() {
    let dir = tempfile::tempdir().unwrap();
    // Same title, same author, no identifier: the same UUID.
    copy_dir(&fixture("minimal"), &dir.path().join("first"));
    copy_dir(&fixture("full-metadata"), &dir.path().join("other"));
    copy_dir(&fixture("minimal"), &dir.path().join("copy"));
    let output = run(&["site", "first", "other", "copy", "-o", "out"], dir.path());
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    let id = {
        let page = read(&dir.path().join("out/a-minimal-book/index.html"));
        let doc = parse_xml("index.html", &page);
        let script = elements(&doc, "script").next().unwrap();
        let ld: serde_json::Value = serde_json::from_str(&text_of(script)).unwrap();
        ld["identifier"].as_str().unwrap().to_string()
    };
    assert!(id.starts_with("urn:uuid:"), "{id}");
    assert!(
        stderr.ends_with(&format!(
            "error[B410]: `first` and `copy` have the same identifier `{id}`\n  \
             = help: give each book its own `identifier` (or `isbn`) in [book]: \
             reading apps take books with one identifier for one book\n\
             error: could not write the catalogue (1 error)\n"
        )),
        "{stderr}"
    );
    // The books' pages are there; the catalogue and its feed are not.
    let out = dir.path().join("out");
    for page in [
        "a-minimal-book",
        "a-minimal-book-2",
        "the-binder-s-companion",
    ] {
        assert!(out.join(page).join("index.html").is_file(), "{page}");
    }
    assert!(!out.join("catalog.xml").exists());
    assert!(!out.join("index.html").exists());

    // Given an identifier of its own, the copy joins the catalogue.
    let manifest = dir.path().join("copy/book.toml");
    let text = read(&manifest).replacen(
        "[book]\n",
        "[book]\nidentifier = \"urn:uuid:0f1e2d3c-4b5a-4978-8695-a4b3c2d1e0f9\"\n",
        1,
    );
    std::fs::write(&manifest, text).unwrap();
    succeeded(&run(
        &["site", "first", "other", "copy", "-o", "out"],
        dir.path(),
    ));
    let feed = read(&out.join("catalog.xml"));
    let doc = parse_xml("catalog.xml", &feed);
    let ids: Vec<&str> = doc
        .root_element()
        .children()
        .filter(|c| c.tag_name().name() == "entry")
        .filter_map(|e| e.children().find(|c| c.tag_name().name() == "id"))
        .filter_map(|i| i.text())
        .collect();
    assert_eq!(ids.len(), 3, "{ids:?}");
    assert!(ids.contains(&"urn:uuid:0f1e2d3c-4b5a-4978-8695-a4b3c2d1e0f9"));
    assert!(ids.contains(&id.as_str()));
}

#[test]
fn site_runs_preprocessors_when_asked() {
    let book = TempBook::copy_of(&fixture("mdbook-preprocessor"));
    let epub_text = |dir: &str| {
        crate::support::Epub::open(&book.path().join(dir).join("loud-notes.epub"))
            .text("EPUB/text/001-announcements.xhtml")
            .to_string()
    };
    let stderr = succeeded(&run(&["site", "-o", "quiet"], &book.path()));
    assert!(
        stderr.contains("warning[B177]: the preprocessor `shout` is not run"),
        "{stderr}"
    );
    assert!(epub_text("quiet").contains("{{shout the mill is open}}"));

    let stderr = succeeded(&run(
        &["site", "--preprocessors", "-o", "loud"],
        &book.path(),
    ));
    assert!(!stderr.contains("B177"), "{stderr}");
    let text = epub_text("loud");
    assert!(text.contains("Hear ye: THE MILL IS OPEN."), "{text}");
    // The page offers the EPUB the preprocessor went into.
    let epub = std::fs::read(book.path().join("loud/loud-notes.epub")).unwrap();
    assert_eq!(
        read(&book.path().join("loud/SHA256SUMS")),
        format!("{}  loud-notes.epub\n", bindery::release::sha256_hex(&epub))
    );
}

/// `bindery site` with a stand-in for EPUBCheck that prints `report`, and
/// no EPUBCheck from the environment.
#[cfg(unix)]
fn site_with_epubcheck(book: &Path, report: &str) -> Output {
    use std::os::unix::fs::PermissionsExt;
    let script = book.join("fake-epubcheck");
    std::fs::write(
        &script,
        format!("#!/bin/sh\ncat <<'JSON'\n{report}\nJSON\n"),
    )
    .unwrap();
    std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).unwrap();
    bindery()
        .args(["site", "--epubcheck", "-o", "out"])
        .current_dir(book)
        .env_remove("BINDERY_EPUBCHECK_JAR")
        .env("BINDERY_EPUBCHECK", &script)
        .output()
        .unwrap()
}

#[cfg(unix)]
#[test]
fn site_runs_epubcheck_when_asked() {
    // EPUBCheck finds an error: the EPUB is written, the page is not.
    let book = TempBook::copy_of(&fixture("minimal"));
    let output = site_with_epubcheck(
        &book.path(),
        r#"{"messages":[{"ID":"RSC-012","severity":"ERROR","message":"Fragment identifier is not defined.","locations":[{"path":"EPUB/text/001-01-only.xhtml","line":9,"column":5}]}]}"#,
    );
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(
        stderr,
        "error[B399]: fragment identifier is not defined (in `EPUB/text/001-01-only.xhtml`, line 9) (EPUBCheck RSC-012)\n --> chapters/01-only.md\n\
         error: wrote out/a-minimal-book.epub, but EPUBCheck finds 1 error: no page for `.`\n\
         error: 1 of 1 book could not be published\n"
    );
    let out = book.path().join("out");
    assert!(out.join("a-minimal-book.epub").is_file());
    assert!(!out.join("index.html").exists());

    // A warning from EPUBCheck is shown, and with `--deny warnings` stops the page.
    let warning = r#"{"messages":[{"ID":"ACC-999","severity":"WARNING","message":"Something to look at.","locations":[]}]}"#;
    let book = TempBook::copy_of(&fixture("minimal"));
    let stderr = succeeded(&site_with_epubcheck(&book.path(), warning));
    assert!(
        stderr.starts_with("warning[B399]: something to look at (EPUBCheck ACC-999)\n"),
        "{stderr}"
    );
    assert!(book.path().join("out/index.html").is_file());

    // Not installed: a warning that says how to install it, as `build
    // --epubcheck` gives, and the site is written unchecked.
    let book = TempBook::copy_of(&fixture("minimal"));
    let empty = tempfile::tempdir().unwrap();
    let output = bindery()
        .args(["site", "--epubcheck"])
        .current_dir(book.path())
        .env_remove("BINDERY_EPUBCHECK")
        .env_remove("BINDERY_EPUBCHECK_JAR")
        .env("PATH", empty.path())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(0), "{stderr}");
    assert!(
        stderr.starts_with("warning[B397]: EPUBCheck is not installed\n"),
        "{stderr}"
    );
    assert!(book.path().join("build/site/index.html").is_file());
}

#[test]
fn site_names_the_epub_from_the_template() {
    let book = TempBook::copy_of(&fixture("minimal"));
    std::fs::write(
        book.path().join("book.toml"),
        "[book]\ntitle = \"A Minimal Book\"\nlanguage = \"en\"\nversion = \"1.0.0\"\n",
    )
    .unwrap();
    let stderr = succeeded(&run(
        &[
            "site",
            "--name-template",
            "{slug}-{version}.epub",
            "-o",
            "out",
        ],
        &book.path(),
    ));
    assert!(
        stderr.contains("wrote out/index.html (a-minimal-book-1.0.0.epub, "),
        "{stderr}"
    );
    let out = book.path().join("out");
    assert!(!out.join("a-minimal-book.epub").exists());
    let epub = std::fs::read(out.join("a-minimal-book-1.0.0.epub")).unwrap();
    assert_eq!(
        read(&out.join("SHA256SUMS")),
        format!(
            "{}  a-minimal-book-1.0.0.epub\n",
            bindery::release::sha256_hex(&epub)
        )
    );
    let html = read(&out.join("index.html"));
    let doc = parse_xml("index.html", &html);
    let button = elements(&doc, "a")
        .find(|a| a.attribute("id") == Some("download"))
        .unwrap();
    assert_eq!(button.attribute("href"), Some("a-minimal-book-1.0.0.epub"));
    assert_eq!(
        button.attribute("download"),
        Some("a-minimal-book-1.0.0.epub")
    );
    let script = elements(&doc, "script").next().unwrap();
    let ld: serde_json::Value = serde_json::from_str(&text_of(script)).unwrap();
    assert_eq!(
        ld["workExample"][0]["encoding"]["contentUrl"],
        "a-minimal-book-1.0.0.epub"
    );
}

#[test]
fn build_names_files_from_a_template_and_writes_checksums() {
    let book = TempBook::copy_of(&fixture("minimal"));
    std::fs::write(
        book.path().join("book.toml"),
        "[book]\ntitle = \"A Minimal Book\"\nlanguage = \"en\"\nversion = \"1.0.0\"\n",
    )
    .unwrap();
    let args = [
        "build",
        "--out-dir",
        "dist",
        "--name-template",
        "{slug}-{version}.epub",
        "--checksums",
    ];
    let stderr = succeeded(&run(&args, &book.path()));
    assert!(
        stderr.starts_with("wrote dist/a-minimal-book-1.0.0.epub (1 chapter, "),
        "{stderr}"
    );
    let epub = std::fs::read(book.path().join("dist/a-minimal-book-1.0.0.epub")).unwrap();
    let line = format!(
        "{}  a-minimal-book-1.0.0.epub\n",
        bindery::release::sha256_hex(&epub)
    );
    assert_eq!(read(&book.path().join("dist/SHA256SUMS")), line);
    // A second EPUB in the same folder joins the file; the first line stays.
    let other = [
        "build",
        "--out-dir",
        "dist",
        "--name-template",
        "{slug}-{language}.epub",
        "--checksums",
    ];
    succeeded(&run(&other, &book.path()));
    let sums = read(&book.path().join("dist/SHA256SUMS"));
    assert_eq!(sums.lines().count(), 2, "{sums}");
    assert!(sums.starts_with(&line), "{sums}");

    // `sha256sum -c` agrees, where it is installed.
    if let Ok(check) = Command::new("sha256sum")
        .args(["-c", "SHA256SUMS"])
        .current_dir(book.path().join("dist"))
        .output()
    {
        assert!(
            check.status.success(),
            "{}",
            String::from_utf8_lossy(&check.stdout)
        );
    }
}

#[test]
fn name_template_mistakes_are_explained() {
    let book = TempBook::copy_of(&fixture("minimal"));
    let output = run(
        &["build", "--name-template", "{slug}-{verison}.epub"],
        &book.path(),
    );
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains(
            "unknown placeholder `{verison}` in the name template; did you mean `{version}`?"
        ),
        "{stderr}"
    );

    let output = run(
        &["build", "--name-template", "{slug}-{version}.epub"],
        &book.path(),
    );
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.starts_with(
            "error[B027]: the name template uses `{version}`, but [book] has no `version`\n"
        ),
        "{stderr}"
    );
}

#[test]
fn completions_and_man_page_are_generated() {
    let dir = tempfile::tempdir().unwrap();
    let output = run(&["completions", "bash"], dir.path());
    let script = String::from_utf8(output.stdout).unwrap();
    assert!(output.status.success());
    assert!(
        script.contains("_bindery()") && script.contains("--name-template"),
        "{script}"
    );
    let output = run(&["man"], dir.path());
    let page = String::from_utf8(output.stdout).unwrap();
    assert!(page.contains(".TH bindery 1"), "{page}");
    assert!(page.contains("site"), "{page}");
    succeeded(&run(&["man", "-o", "man"], dir.path()));
    for file in ["bindery.1", "bindery-build.1", "bindery-site.1"] {
        assert!(dir.path().join("man").join(file).is_file(), "{file}");
    }
}

/// Runs headless Chromium on `page` with `args`, giving up after a minute.
fn headless(browser: &Path, page: &Path, args: &[&str]) -> String {
    let profile = tempfile::tempdir().unwrap();
    let mut child = Command::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .args(args)
        .arg(format!("file://{}", page.display()))
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut stdout = child.stdout.take().unwrap();
    let reader = std::thread::spawn(move || {
        let mut out = String::new();
        std::io::Read::read_to_string(&mut stdout, &mut out).ok();
        out
    });
    let start = Instant::now();
    loop {
        if child.try_wait().unwrap().is_some() {
            break;
        }
        if start.elapsed() > Duration::from_secs(60) {
            child.kill().ok();
            child.wait().ok();
            panic!("chromium did not finish within a minute");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    reader.join().unwrap()
}

/// An element as the browser has it: tag, attributes and text content.
type Rendered = (String, Vec<(String, String)>, String);

/// The elements of an HTML document in document order.
fn rendered_elements(html: &str) -> Vec<Rendered> {
    use html5ever::tendril::TendrilSink;
    use markup5ever_rcdom::{Handle, NodeData, RcDom};
    fn text(node: &Handle, out: &mut String) {
        if let NodeData::Text { contents } = &node.data {
            out.push_str(&contents.borrow());
        }
        for child in node.children.borrow().iter() {
            text(child, out);
        }
    }
    fn walk(node: &Handle, out: &mut Vec<Rendered>) {
        if let NodeData::Element { name, attrs, .. } = &node.data {
            let attrs = attrs
                .borrow()
                .iter()
                .map(|a| (a.name.local.to_string(), a.value.to_string()))
                .collect();
            let mut content = String::new();
            text(node, &mut content);
            out.push((name.local.to_string(), attrs, content));
        }
        for child in node.children.borrow().iter() {
            walk(child, out);
        }
    }
    let dom = html5ever::parse_document(RcDom::default(), Default::default()).one(html);
    let mut out = Vec::new();
    walk(&dom.document, &mut out);
    out
}

fn attr<'a>(attrs: &'a [(String, String)], name: &str) -> Option<&'a str> {
    attrs
        .iter()
        .find(|(n, _)| n == name)
        .map(|(_, v)| v.as_str())
}

#[test]
fn a_browser_renders_the_page_with_a_working_download() {
    let Some(browser) = chromium() else {
        eprintln!("chromium not installed: the browser test is skipped");
        return;
    };
    for (extra, donation) in [(DOWNLOAD, true), ("", false)] {
        let book = book_with("minimal", extra);
        succeeded(&run(&["site"], &book.path()));
        let site = book.path().join("build/site");
        let page = site.join("index.html");
        let dom = headless(&browser, &page, &["--dump-dom"]);
        let elements = rendered_elements(&dom);
        assert!(
            elements
                .iter()
                .any(|(tag, _, text)| tag == "h1" && text == "A Minimal Book"),
            "the browser did not render the page:\n{dom}"
        );
        let download = elements
            .iter()
            .position(|(tag, attrs, _)| tag == "a" && attr(attrs, "id") == Some("download"))
            .expect("a download link");
        let href = attr(&elements[download].1, "href").unwrap();
        let file = site.join(href);
        let bytes = std::fs::read(&file).unwrap_or_else(|e| panic!("{href}: {e}"));
        let sums = read(&site.join("SHA256SUMS"));
        assert_eq!(
            sums,
            format!("{}  {href}\n", bindery::release::sha256_hex(&bytes))
        );
        let prompt = elements
            .iter()
            .position(|(_, attrs, _)| attr(attrs, "class") == Some("donation"));
        if donation {
            let prompt = prompt.expect("the donation prompt");
            assert!(prompt < download, "the prompt comes before the link");
            let text = &elements[prompt].2;
            assert!(text.contains("<Help> us & keep them free."), "{text}");
            assert!(text.contains("Donating is voluntary"), "{text}");
        } else {
            assert_eq!(prompt, None, "no prompt without [download] donation-url");
        }

        let screenshot = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!(
            "site-{}.png",
            if donation { "donation" } else { "plain" }
        ));
        std::fs::remove_file(&screenshot).ok();
        headless(
            &browser,
            &page,
            &[
                &format!("--screenshot={}", screenshot.display()),
                "--window-size=412,900",
                "--hide-scrollbars",
            ],
        );
        let png = std::fs::read(&screenshot).expect("chromium saved a screenshot");
        assert!(png.starts_with(b"\x89PNG\r\n\x1a\n") && png.len() > 1000);
        // The PNG's header holds its size: the phone-sized window.
        assert_eq!(&png[16..24], &[0, 0, 1, 156, 0, 0, 3, 132]);
    }
}

/// A download table with a donation link but no words of its own, and
/// two other formats: every word about them is the page's.
const DOWNLOAD_WITHOUT_WORDS: &str = r#"
[download]
url = "https://example.org/b/"
donation-url = "https://example.org/give"

[[download.formats]]
name = "PDF"
url = "https://example.org/b.pdf"

[[download.formats]]
name = "HTML"
url = "https://example.org/b/html/"
"#;

/// `bindery site` on a copy of a fixture with `extra` added to its
/// manifest: the page, parsed, and the EPUB's size.
fn language_page(fixture_name: &str, extra: &str) -> (String, u64) {
    let book = book_with(fixture_name, extra);
    succeeded(&run(&["site"], &book.path()));
    let site = book.path().join("build/site");
    let epub = std::fs::read_dir(&site)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.extension().is_some_and(|e| e == "epub"))
        .expect("the EPUB beside the page");
    let size = std::fs::metadata(&epub).unwrap().len();
    (read(&site.join("index.html")), size)
}

/// The page's "about this edition" list as (term, text) pairs.
fn edition_rows(doc: &roxmltree::Document<'_>) -> Vec<(String, String)> {
    elements(doc, "dt")
        .map(|dt| (text_of(dt), text_of(dt.next_sibling_element().unwrap())))
        .collect()
}

/// `n` with `separator` between groups of three digits.
fn grouped(n: u64, separator: &str) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push_str(separator);
        }
        out.push(digit);
    }
    out
}

/// A size in KiB to a tenth, with `decimal` as the decimal separator.
fn kib(bytes: u64, decimal: &str) -> String {
    let tenths = (bytes * 10 + 512) / 1024;
    format!("{}{decimal}{} KiB", tenths / 10, tenths % 10)
}

#[test]
fn a_german_books_download_page_says_everything_in_german() {
    let extra =
        format!("{DOWNLOAD_WITHOUT_WORDS}\n[labels]\nsite-made-with = \"Gebunden mit bindery.\"\n");
    let (html, size) = language_page("lang-de", &extra);
    let doc = parse_xml("index.html", &html);
    let root = doc.root_element();
    assert_eq!(root.attribute("lang"), Some("de"));
    assert_eq!(
        root.attribute(("http://www.w3.org/XML/1998/namespace", "lang")),
        Some("de")
    );
    assert_eq!(root.attribute("dir"), Some("ltr"));

    let title: Vec<String> = elements(&doc, "title").map(text_of).collect();
    assert_eq!(title, ["Über das Binden von Büchern: Ein Handbuch"]);
    assert_eq!(
        meta(&doc, "description"),
        Some(
            "Über das Binden von Büchern: Ein Handbuch von Margarethe Falz: ein kostenloses E-Book (EPUB)."
        )
    );
    assert_eq!(
        elements(&doc, "img").next().unwrap().attribute("alt"),
        Some("Umschlag: Über das Binden von Büchern")
    );
    assert_eq!(text_of(by_class(&doc, "authors")), "Von Margarethe Falz");
    assert_eq!(
        text_of(by_class(&doc, "editors")),
        "Herausgeber: Ingrid Ålund"
    );
    let headings: Vec<String> = elements(&doc, "h2").map(text_of).collect();
    assert_eq!(headings, ["Herunterladen", "Über diese Ausgabe"]);
    let donation: Vec<String> = by_class(&doc, "donation").children().map(text_of).collect();
    assert_eq!(
        donation,
        [
            "Wenn Ihnen dieses Buch nützt, unterstützen Sie bitte seinen Verlag.",
            "Spenden",
            "Spenden ist freiwillig. Das E-Book ist kostenlos, und Sie müssen nicht spenden, um es herunterzuladen."
        ]
    );
    let button = elements(&doc, "a")
        .find(|a| a.attribute("id") == Some("download"))
        .unwrap();
    assert_eq!(text_of(button), "EPUB herunterladen");
    // Sizes as German writes numbers: a decimal comma, points between
    // thousands.
    assert_eq!(
        text_of(by_class(&doc, "file")),
        format!(
            "E-Book im Format EPUB 3, {} ({} Byte)",
            kib(size, ","),
            grouped(size, ".")
        )
    );
    assert_eq!(
        text_of(by_class(&doc, "formats")),
        "Auch erhältlich als PDF und HTML."
    );
    let rows = edition_rows(&doc);
    let terms: Vec<&str> = rows.iter().map(|(t, _)| t.as_str()).collect();
    assert_eq!(
        terms,
        [
            "Verlag",
            "Erschienen",
            "Kennung",
            "Sprache",
            "Lizenz",
            "Barrierefreiheit"
        ]
    );
    assert_eq!(rows[1].1, "27. November 2026");
    assert_eq!(rows[3].1, "Deutsch");
    assert!(
        rows[5]
            .1
            .starts_with("Diese Publikation hat ein Inhaltsverzeichnis"),
        "{}",
        rows[5].1
    );
    // The book's `[labels]` win over the language's.
    let footer: Vec<String> = elements(&doc, "footer").map(text_of).collect();
    assert_eq!(
        footer,
        ["Veröffentlicht von Signatur Verlag. Gebunden mit bindery."]
    );
    // Nothing English is left in what the page shows.
    let body = elements(&doc, "body").map(text_of).collect::<String>();
    for english in [
        "Download",
        "About",
        "Published",
        "Donat",
        "voluntary",
        "By ",
        "Cover",
    ] {
        assert!(!body.contains(english), "{english} in {body}");
    }
}

#[test]
fn an_arabic_books_download_page_is_in_arabic_and_right_to_left() {
    let (html, size) = language_page("lang-ar", DOWNLOAD_WITHOUT_WORDS);
    let doc = parse_xml("index.html", &html);
    let root = doc.root_element();
    assert_eq!(root.attribute("lang"), Some("ar"));
    assert_eq!(root.attribute("dir"), Some("rtl"));

    // Arabic joins the last name of a list with "و", and says "by" before them.
    assert_eq!(
        text_of(by_class(&doc, "authors")),
        "تأليف ليلى حداد وTomás Ribeiro"
    );
    assert_eq!(text_of(by_class(&doc, "editors")), "تحرير: Ingrid Ålund");
    let headings: Vec<String> = elements(&doc, "h2").map(text_of).collect();
    assert_eq!(headings, ["التنزيل", "عن هذه الطبعة"]);
    let button = elements(&doc, "a")
        .find(|a| a.attribute("id") == Some("download"))
        .unwrap();
    assert_eq!(text_of(button), "نزّل ملف EPUB");
    assert_eq!(text_of(by_class(&doc, "donate")), "تبرّع");
    // The word for bytes takes the form CLDR's Arabic plural rules give
    // the count: 3 to 10 modulo 100 "few", 11 to 99 "many", else "other"
    // (an EPUB is never 0, 1 or 2 bytes).
    let bytes = match size % 100 {
        3..=10 => "بايتات",
        11..=99 => "بايتًا",
        _ => "بايت",
    };
    assert_eq!(
        text_of(by_class(&doc, "file")),
        format!(
            "كتاب إلكتروني بصيغة EPUB 3، {} ({} {bytes})",
            kib(size, "."),
            grouped(size, ",")
        )
    );
    assert_eq!(
        text_of(by_class(&doc, "formats")),
        "متاح أيضًا بصيغة PDF وHTML."
    );
    let rows = edition_rows(&doc);
    let terms: Vec<&str> = rows.iter().map(|(t, _)| t.as_str()).collect();
    assert_eq!(
        terms,
        [
            "الناشر",
            "تاريخ النشر",
            "المعرّف",
            "اللغة",
            "الرخصة",
            "إمكانية الوصول"
        ]
    );
    assert_eq!(rows[1].1, "27 نوفمبر 2026");
    assert_eq!(rows[3].1, "العربية");
    let footer: Vec<String> = elements(&doc, "footer").map(text_of).collect();
    assert_eq!(footer, ["الناشر: دار التوقيع. صُنع باستخدام bindery."]);
}

#[test]
fn a_catalogue_speaks_the_language_most_of_its_books_are_in() {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&fixture("lang-de"), &dir.path().join("binden"));
    copy_dir(&fixture("lang-ar"), &dir.path().join("tajlid"));
    copy_dir(&fixture("lang-de"), &dir.path().join("falzen"));
    let manifest = dir.path().join("falzen/book.toml");
    let text = read(&manifest)
        .replace("Über das Binden von Büchern", "Falzen und Heften")
        .replace("2026-11-27", "2025-03-01");
    std::fs::write(&manifest, text).unwrap();
    succeeded(&run(
        &["site", "binden", "tajlid", "falzen", "-o", "out"],
        dir.path(),
    ));
    let out = dir.path().join("out");

    let html = read(&out.join("index.html"));
    let doc = parse_xml("index.html", &html);
    let root = doc.root_element();
    assert_eq!(root.attribute("lang"), Some("de"));
    assert_eq!(root.attribute("dir"), Some("ltr"));
    let h1: Vec<String> = elements(&doc, "h1").map(text_of).collect();
    assert_eq!(h1, ["Bücher"]);
    assert_eq!(
        meta(&doc, "description"),
        Some("Bücher: kostenlose E-Books zum Herunterladen")
    );
    // Each book speaks its own language, in its own direction.
    let books: Vec<(Option<&str>, Option<&str>, String, String)> = elements(&doc, "li")
        .map(|li| {
            let authors = li
                .children()
                .find(|c| c.attribute("class") == Some("authors"))
                .map(text_of)
                .unwrap();
            let date = li
                .children()
                .find(|c| c.attribute("class") == Some("date"))
                .map(text_of)
                .unwrap();
            (li.attribute("lang"), li.attribute("dir"), authors, date)
        })
        .collect();
    assert_eq!(
        books,
        [
            (
                Some("de"),
                None,
                "Von Margarethe Falz".to_string(),
                "27. November 2026".to_string()
            ),
            (
                Some("ar"),
                Some("rtl"),
                "تأليف ليلى حداد وTomás Ribeiro".into(),
                "27 نوفمبر 2026".into()
            ),
            (
                Some("de"),
                None,
                "Von Margarethe Falz".into(),
                "1. März 2025".into()
            ),
        ]
    );
    let footer: Vec<String> = elements(&doc, "footer").map(text_of).collect();
    assert_eq!(
        footer,
        ["Erstellt mit bindery. OPDS-Katalog für E-Reader-Apps"]
    );

    // The feed says its language, and an entry in another says its own.
    let feed = read(&out.join("catalog.xml"));
    let feed = parse_xml("catalog.xml", &feed);
    let xml_lang = ("http://www.w3.org/XML/1998/namespace", "lang");
    assert_eq!(feed.root_element().attribute(xml_lang), Some("de"));
    let entries: Vec<Option<&str>> = feed
        .root_element()
        .children()
        .filter(|c| c.tag_name().name() == "entry")
        .map(|e| e.attribute(xml_lang))
        .collect();
    assert_eq!(entries, [None, Some("ar"), None]);

    // Each book's own page speaks its book's language, back link and all.
    for (folder, back) in [
        ("فن-تجليد-الكتب", "كل الكتب"),
        ("falzen-und-heften", "Alle Bücher"),
    ] {
        let page = read(&out.join(folder).join("index.html"));
        let page = parse_xml("index.html", &page);
        let header: Vec<String> = elements(&page, "header").map(text_of).collect();
        assert_eq!(header, [back], "{folder}");
    }
}
