//! What a store's profile changes in the EPUB: Kobo's KEPUB, Apple's
//! display options; both still pass EPUBCheck.

use crate::support::{Epub, TempBook, assert_epubcheck_clean, fixture, parse_xml};

/// The text of a document's body, tags left out.
fn body_text(name: &str, xhtml: &str) -> String {
    let doc = parse_xml(name, xhtml);
    let body = doc
        .descendants()
        .find(|n| n.has_tag_name(("http://www.w3.org/1999/xhtml", "body")))
        .unwrap();
    body.descendants()
        .filter(|n| n.is_text())
        .filter_map(|n| n.text())
        .collect()
}

#[test]
fn kobo_gets_a_kepub_with_a_span_around_each_sentence_and_the_same_text() {
    let book = TempBook::copy_of(&fixture("markdown"));
    let output = book.build(&["--profile", "kobo"]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    let written: Vec<_> = std::fs::read_dir(book.path().join("build"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(written.len(), 1, "{written:?}");
    assert!(written[0].ends_with(".kepub.epub"), "{written:?}");
    let kepub = Epub::open(&book.path().join("build").join(&written[0]));

    let generic = book.build(&["-o", "../generic.epub"]);
    assert!(generic.status.success());
    let generic = Epub::open(&book.dir.path().join("generic.epub"));

    let mut spans = 0;
    for name in kepub.xhtml_names() {
        let marked = kepub.text(name);
        let plain = generic.text(name);
        if !name.starts_with("EPUB/text/") {
            assert_eq!(marked, plain, "{name} is left as it was");
            continue;
        }
        // Nothing but the spans and the two wrapping divs is added.
        assert_eq!(body_text(name, marked), body_text(name, plain), "{name}");
        assert!(
            marked.contains("<div id=\"book-columns\"><div id=\"book-inner\">"),
            "{name}"
        );
        let doc = parse_xml(name, marked);
        let ids: Vec<&str> = doc
            .descendants()
            .filter(|n| n.attribute("class") == Some("koboSpan"))
            .map(|n| n.attribute("id").unwrap())
            .collect();
        let unique: std::collections::BTreeSet<&&str> = ids.iter().collect();
        assert_eq!(unique.len(), ids.len(), "{name}: ids used twice");
        assert!(ids.iter().all(|id| {
            let mut parts = id.strip_prefix("kobo.").unwrap().split('.');
            parts.next().unwrap().parse::<u32>().is_ok()
                && parts.next().unwrap().parse::<u32>().is_ok()
        }));
        spans += ids.len();
        // Code is left as it was.
        for pre in doc
            .descendants()
            .filter(|n| n.has_tag_name(("http://www.w3.org/1999/xhtml", "pre")))
        {
            assert!(
                !pre.descendants()
                    .any(|n| n.attribute("class") == Some("koboSpan"))
            );
        }
    }
    assert!(spans > 50, "{spans} spans");
    assert_epubcheck_clean(&kepub.path);
}

#[test]
fn apple_gets_the_display_options_that_let_it_use_the_books_fonts() {
    let book = TempBook::copy_of(&fixture("full-metadata"));
    let output = book.build(&["--profile", "apple", "-o", "../apple.epub"]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    let epub = Epub::open(&book.dir.path().join("apple.epub"));
    assert_eq!(
        epub.names[..3],
        [
            "mimetype",
            "META-INF/container.xml",
            "META-INF/com.apple.ibooks.display-options.xml"
        ]
    );
    let options = epub.text("META-INF/com.apple.ibooks.display-options.xml");
    let doc = parse_xml("display-options.xml", options);
    let option = doc
        .descendants()
        .find(|n| n.has_tag_name("option"))
        .unwrap();
    assert_eq!(option.attribute("name"), Some("specified-fonts"));
    assert_eq!(option.text(), Some("true"));
    assert_eq!(
        option.parent().unwrap().attribute("name"),
        Some("*"),
        "every Apple device"
    );
    assert_epubcheck_clean(&epub.path);

    // Other profiles write no such file.
    let output = book.build(&["--profile", "kdp", "-o", "../kdp.epub"]);
    assert!(output.status.success());
    let kdp = Epub::open(&book.dir.path().join("kdp.epub"));
    assert!(!kdp.names.iter().any(|n| n.contains("com.apple")));
}
