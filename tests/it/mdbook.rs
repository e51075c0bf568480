//! mdBook projects build as they are: SUMMARY.md, includes, hidden lines,
//! links as mdBook's HTML has them, preprocessors when asked.

use crate::books::check_epub_structure;
use crate::support::{Epub, TempBook, assert_epubcheck_clean, bindery, built, fixture, parse_xml};

/// The nav's table of contents as (depth, text, href) in document order.
fn toc_entries(epub: &Epub) -> Vec<(usize, String, String)> {
    let nav = epub.text("EPUB/nav.xhtml");
    let doc = parse_xml("nav.xhtml", nav);
    let toc = doc
        .descendants()
        .find(|n| n.has_tag_name("nav") && n.attribute("id") == Some("toc"))
        .expect("a toc nav");
    toc.descendants()
        .filter(|n| n.has_tag_name("a"))
        .map(|a| {
            let depth = a.ancestors().filter(|n| n.has_tag_name("ol")).count();
            let text: String = a
                .descendants()
                .filter(|n| n.is_text())
                .filter_map(|n| n.text())
                .collect::<String>();
            (depth, text, a.attribute("href").unwrap_or("").to_string())
        })
        .collect()
}

fn body_text(epub: &Epub, name: &str) -> String {
    let text = epub.text(name);
    let doc = parse_xml(name, text);
    doc.descendants()
        .filter(|n| n.is_text())
        .filter_map(|n| n.text())
        .collect::<Vec<_>>()
        .join("")
}

#[test]
fn the_mdbook_fixture_is_valid() {
    let built = built(&fixture("mdbook"));
    check_epub_structure(&built.epub);
    assert_epubcheck_clean(&built.epub.path);
}

#[test]
fn the_nav_nests_as_the_summary_does() {
    let built = built(&fixture("mdbook"));
    let toc: Vec<(usize, String)> = toc_entries(&built.epub)
        .into_iter()
        .map(|(depth, text, _)| (depth, text))
        .collect();
    let expected: Vec<(usize, String)> = [
        (1, "Introduction"),
        (1, "Basics"),
        (2, "1. Getting started"),
        (3, "1.1. Installation"),
        (4, "1.1.1. On Linux"),
        (3, "1.2. First run"),
        (2, "2. Listings"),
        // The draft `Maintenance` is left out; its chapter moves up.
        (2, "3.1. Greasing"),
        (1, "Advanced"),
        (2, "4. Mathematics"),
        (1, "Contributors"),
    ]
    .into_iter()
    .map(|(d, t)| (d, t.to_string()))
    .collect();
    assert_eq!(toc, expected);
    assert!(
        built
            .stderr
            .contains("note[B176]: the draft chapter `Maintenance` is left out"),
        "{}",
        built.stderr
    );
    assert!(
        built.stderr.contains("src/SUMMARY.md:12:3"),
        "{}",
        built.stderr
    );
}

#[test]
fn prefix_and_suffix_chapters_are_front_and_back_matter() {
    let built = built(&fixture("mdbook"));
    let intro = built.epub.text("EPUB/text/001-readme.xhtml");
    assert!(intro.contains("epub:type=\"frontmatter\""), "{intro}");
    let last = built.epub.text("EPUB/text/009-contributors.xhtml");
    assert!(last.contains("epub:type=\"backmatter\""), "{last}");
}

#[test]
fn includes_anchors_and_hidden_lines_are_resolved() {
    let built = built(&fixture("mdbook"));
    let text = body_text(&built.epub, "EPUB/text/006-listings.xhtml");
    // {{#include …:main_loop}}: the anchor's lines, without the markers.
    assert!(text.contains("std::thread::sleep(tick);"), "{text}");
    // {{#rustdoc_include …:setup}}: the anchor shown, the rest hidden.
    assert!(text.contains("Duration::from_secs(3)"), "{text}");
    // {{#include …:1:3}}
    assert!(text.contains("// The mill's controller."), "{text}");
    assert!(!text.contains("ANCHOR"), "{text}");
    // `# fn helper() {}` is a hidden line in a Rust block.
    assert!(!text.contains("helper"), "{text}");
    assert!(text.contains("fn shown() {}"), "{text}");
    // An escaped directive stays as text.
    assert!(
        text.contains("Not an include: {{#include ../listings/mill.rs}}"),
        "{text}"
    );
    // The rustdoc include hides `fn main` (outside its anchor) rather than
    // showing it twice: it appears once, from the main_loop include.
    assert_eq!(text.matches("fn main()").count(), 1, "{text}");
    // `[output.html.code.hidelines] python = "~"`.
    let linux = body_text(&built.epub, "EPUB/text/004-linux.xhtml");
    assert!(!linux.contains("import os"), "{linux}");
    assert!(linux.contains("print(\"installed\")"), "{linux}");
}

#[test]
fn links_lead_where_mdbooks_html_leads() {
    let built = built(&fixture("mdbook"));
    let intro = built.epub.text("EPUB/text/001-readme.xhtml");
    assert!(
        intro.contains(r#"<a href="002-getting-started.xhtml">"#),
        "{intro}"
    );
    // `./listings.html#the-main-loop`: the chapter listings.md.
    assert!(
        intro.contains(r#"<a href="006-listings.xhtml#the-main-loop">"#),
        "{intro}"
    );
    let started = built.epub.text("EPUB/text/002-getting-started.xhtml");
    // `<getting-started/first run.md>`: a path with a space.
    assert!(
        started.contains(r#"<a href="005-first-run.xhtml">"#),
        "{started}"
    );
    // `../std/index.html` leaves the book: with a site address, a web link.
    assert!(
        started.contains(r#"<a href="https://example.org/std/index.html">a sibling book</a>"#),
        "{started}"
    );
    // `unlisted.md` is not in SUMMARY.md: text, and a warning.
    assert!(started.contains("<a>drafts</a>"), "{started}");
    assert!(
        built.stderr.contains(
            "warning[B179]: link to `unlisted.md`, which SUMMARY.md leaves out of the book"
        ),
        "{}",
        built.stderr
    );
    // `../index.html` from a nested chapter is README.md.
    let install = built.epub.text("EPUB/text/003-installation.xhtml");
    assert!(
        install.contains(r#"<a href="001-readme.xhtml">"#),
        "{install}"
    );
    let linux = built.epub.text("EPUB/text/004-linux.xhtml");
    assert!(
        linux.contains(r#"<a href="001-readme.xhtml#introduction">"#),
        "{linux}"
    );
}

#[test]
fn images_captions_math_and_extra_css_carry_over() {
    let built = built(&fixture("mdbook"));
    let started = built.epub.text("EPUB/text/002-getting-started.xhtml");
    assert!(started.contains("alt=\"The mill wheel\""), "{started}");
    assert!(started.contains(r#"<span class="caption">The wheel, seen from the race.</span>"#));
    let math = built.epub.text("EPUB/text/008-math.xhtml");
    assert!(math.contains("<math"), "{math}");
    assert!(math.contains("display=\"block\""), "{math}");
    let intro = built.epub.text("EPUB/text/001-readme.xhtml");
    assert!(intro.contains("<math"), "{intro}");
    assert!(!intro.contains("\\("), "{intro}");
    let opf = built.epub.text("EPUB/package.opf");
    assert!(opf.contains("properties=\"mathml\""), "{opf}");
    let css = built.epub.text("EPUB/css/book.css");
    assert!(css.contains("span.caption"), "{css}");
    assert!(opf.contains("Tidewater Handbook"));
    assert!(opf.contains("urn:uuid:6f1c2a4e-7d38-4b9e-9a51-0c2f3b8d9e17"));
}

#[test]
fn without_a_site_address_links_out_of_the_book_become_text() {
    let book = TempBook::copy_of(&fixture("mdbook"));
    let manifest = book.path().join("book.toml");
    let text = std::fs::read_to_string(&manifest).unwrap();
    std::fs::write(
        &manifest,
        text.replace("site-url = \"https://example.org/handbook/\"\n", ""),
    )
    .unwrap();
    let output = book.build(&["-o", "out.epub"]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    assert!(
        stderr.contains("warning[B180]: link to `../std/index.html`, which is outside the book"),
        "{stderr}"
    );
    assert!(stderr.contains("src/getting-started.md:10:42"), "{stderr}");
    let epub = Epub::open(&book.path().join("out.epub"));
    let started = epub.text("EPUB/text/002-getting-started.xhtml");
    assert!(started.contains("<a>a sibling book</a>"), "{started}");
}

#[test]
fn a_problem_in_an_included_file_points_at_that_file() {
    let book = TempBook::copy_of(&fixture("mdbook"));
    std::fs::write(
        book.path().join("src/part.md"),
        "Some text.\n\nA [broken link](nowhere.md).\n",
    )
    .unwrap();
    let greasing = book.path().join("src/greasing.md");
    std::fs::write(&greasing, "# Greasing\n\n{{#include part.md}}\n").unwrap();
    let output = book.build(&["-o", "out.epub"]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("error[B200]: link to `nowhere.md`"),
        "{stderr}"
    );
    assert!(stderr.contains("--> src/part.md:3:3"), "{stderr}");
    assert!(!book.path().join("out.epub").exists());
}

#[test]
fn a_missing_include_and_a_cycle_are_errors_with_their_line() {
    let book = TempBook::copy_of(&fixture("mdbook"));
    std::fs::write(
        book.path().join("src/greasing.md"),
        "# Greasing\n\n{{#include missing.rs}}\n\n{{#include greasing.md}}\n",
    )
    .unwrap();
    let output = book.build(&["-o", "out.epub"]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("src/greasing.md:3:1"), "{stderr}");
    assert!(stderr.contains("missing.rs"), "{stderr}");
    assert!(stderr.contains("src/greasing.md:5:1"), "{stderr}");
}

#[test]
fn an_include_may_not_leave_the_books_root() {
    let book = TempBook::copy_of(&fixture("mdbook"));
    std::fs::write(
        book.path().join("src/greasing.md"),
        "# Greasing\n\n{{#include ../../../../etc/passwd}}\n",
    )
    .unwrap();
    let output = book.build(&["-o", "out.epub"]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("outside the book"), "{stderr}");
    assert!(!stderr.contains("root:"), "{stderr}");
}

#[test]
fn a_broken_summary_is_reported_at_its_line() {
    let book = TempBook::copy_of(&fixture("mdbook"));
    std::fs::write(
        book.path().join("src/SUMMARY.md"),
        "# Summary\n\n- [One](greasing.md)\n- [Two](greasing.md)\n",
    )
    .unwrap();
    let output = book.build(&["-o", "out.epub"]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("--> src/SUMMARY.md:4:3"), "{stderr}");
}

#[test]
fn section_numbers_follow_no_section_label() {
    let book = TempBook::copy_of(&fixture("mdbook"));
    let manifest = book.path().join("book.toml");
    let text = std::fs::read_to_string(&manifest).unwrap();
    std::fs::write(
        &manifest,
        text.replace(
            "mathjax-support = true",
            "mathjax-support = true\nno-section-label = true",
        ),
    )
    .unwrap();
    let output = book.build(&["-o", "out.epub"]);
    assert!(output.status.success());
    let epub = Epub::open(&book.path().join("out.epub"));
    let titles: Vec<String> = toc_entries(&epub).into_iter().map(|(_, t, _)| t).collect();
    assert!(titles.contains(&"Installation".to_string()), "{titles:?}");
    assert!(!titles.iter().any(|t| t.starts_with("1.")), "{titles:?}");
}

#[test]
fn preprocessors_run_only_when_asked() {
    let fixture = fixture("mdbook-preprocessor");
    // Not asked: a warning naming it, and its directives stay.
    let quiet = built(&fixture);
    assert!(
        quiet
            .stderr
            .contains("warning[B177]: the preprocessor `shout` is not run"),
        "{}",
        quiet.stderr
    );
    let text = quiet.epub.text("EPUB/text/001-announcements.xhtml");
    assert!(text.contains("{{shout the mill is open}}"), "{text}");
    // A custom element a preprocessor would have replaced: tag dropped,
    // content kept, a warning.
    assert!(text.contains("<p>Hello, miller.</p>"), "{text}");
    assert!(
        !text.contains("<listing") && !text.contains("<pre>"),
        "{text}"
    );
    assert!(
        quiet
            .stderr
            .contains("`<listing>` is not an element EPUB 3 allows here")
    );
    check_epub_structure(&quiet.epub);
    assert_epubcheck_clean(&quiet.epub.path);

    // Asked: the book goes through it, nested chapters too.
    let book = TempBook::copy_of(&fixture);
    let output = book.build(&["--preprocessors", "-o", "out.epub"]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    assert!(!stderr.contains("B177"), "{stderr}");
    let epub = Epub::open(&book.path().join("out.epub"));
    let text = epub.text("EPUB/text/001-announcements.xhtml");
    assert!(text.contains("Hear ye: THE MILL IS OPEN."), "{text}");
    let details = epub.text("EPUB/text/002-details.xhtml");
    assert!(details.contains("Open from DAWN to dusk."), "{details}");
    assert_epubcheck_clean(&epub.path);
}

#[test]
fn a_failing_preprocessor_stops_the_build() {
    let book = TempBook::copy_of(&fixture("mdbook-preprocessor"));
    std::fs::write(
        book.path().join("shout.py"),
        "import sys\nif sys.argv[1:] == ['supports', 'epub']:\n    sys.exit(0)\nsys.stderr.write('cannot shout\\n')\nsys.exit(3)\n",
    )
    .unwrap();
    std::fs::write(book.path().join("build-marker.epub"), b"old").unwrap();
    let output = book.build(&["--preprocessors", "-o", "build-marker.epub"]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("error[B178]: the preprocessor `shout` failed"),
        "{stderr}"
    );
    assert!(stderr.contains("cannot shout"), "{stderr}");
    assert_eq!(
        std::fs::read(book.path().join("build-marker.epub")).unwrap(),
        b"old"
    );
}

#[test]
fn an_mdbook_builds_the_same_bytes_twice() {
    let book = TempBook::copy_of(&fixture("mdbook"));
    let first = book.build(&["-o", "a.epub"]);
    assert!(first.status.success());
    let second = bindery()
        .args(["build", "-o", "b.epub"])
        .current_dir(book.path())
        .output()
        .unwrap();
    assert!(second.status.success());
    assert_eq!(
        std::fs::read(book.path().join("a.epub")).unwrap(),
        std::fs::read(book.path().join("b.epub")).unwrap()
    );
}
