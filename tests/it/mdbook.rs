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
    // An anchor's markers go; a whole file keeps them, as in mdBook 0.5.
    assert_eq!(text.matches("ANCHOR").count(), 2, "{text}");
    assert!(
        text.contains("// ANCHOR: speed\n/// The wheel's speed"),
        "{text}"
    );
    assert!(text.contains("// ANCHOR_END: speed"), "{text}");
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
    // A custom element a preprocessor would have replaced: kept as a
    // div of its name, its attributes as data-*, its content inside.
    assert!(
        text.contains("<div class=\"listing\" data-number=\"1-1\" data-caption=\"A greeting\">"),
        "{text}"
    );
    assert!(text.contains("<p>Hello, miller.</p>"), "{text}");
    assert!(
        !text.contains("<listing") && !text.contains("<pre>"),
        "{text}"
    );
    assert!(!quiet.stderr.contains("`<listing>`"), "{}", quiet.stderr);
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

/// `book.toml` of a copied fixture, with `edit` applied.
fn edit_manifest(book: &TempBook, edit: impl FnOnce(String) -> String) {
    let manifest = book.path().join("book.toml");
    let text = std::fs::read_to_string(&manifest).unwrap();
    std::fs::write(&manifest, edit(text)).unwrap();
}

fn stderr_of(output: &std::process::Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

#[test]
fn whole_files_and_nested_includes_are_expanded() {
    let built = built(&fixture("mdbook"));
    // {{#include ../listings/wheel.rs}}: the whole file.
    let listings = body_text(&built.epub, "EPUB/text/006-listings.xhtml");
    assert!(
        listings.contains("pub fn turns_per_minute(flow: f64) -> f64 {"),
        "{listings}"
    );
    assert!(listings.contains("flow * 1.5"), "{listings}");
    // greasing.md includes parts/schedule.md, which includes
    // ../../listings/schedule.txt, relative to itself.
    let greasing = built.epub.text("EPUB/text/007-greasing.xhtml");
    assert!(
        greasing.contains("The schedule, kept beside the listings:"),
        "{greasing}"
    );
    assert!(
        greasing.contains("<li>Thursday: the sluice gate.</li>"),
        "{greasing}"
    );
    assert!(!greasing.contains("{{#include"), "{greasing}");
}

#[test]
fn a_title_directive_names_the_page_not_its_entry() {
    let built = built(&fixture("mdbook"));
    let math = built.epub.text("EPUB/text/008-math.xhtml");
    assert!(
        math.contains("<title>Mathematics of the Mill</title>"),
        "{math}"
    );
    assert!(!math.contains("{{#title"), "{math}");
    let toc = toc_entries(&built.epub);
    assert!(
        toc.contains(&(2, "4. Mathematics".into(), "text/008-math.xhtml".into())),
        "{toc:?}"
    );
    // Without the directive, the page keeps the chapter's title.
    let greasing = built.epub.text("EPUB/text/007-greasing.xhtml");
    assert!(
        greasing.contains("<title>3.1. Greasing</title>"),
        "{greasing}"
    );
}

#[test]
fn a_summary_link_with_percent_20_names_a_file_with_a_space() {
    let built = built(&fixture("mdbook"));
    // SUMMARY.md: `- [First run](getting-started/first%20run.md)`.
    let toc = toc_entries(&built.epub);
    assert!(
        toc.contains(&(
            3,
            "1.2. First run".into(),
            "text/005-first-run.xhtml".into()
        )),
        "{toc:?}"
    );
    let first_run = body_text(&built.epub, "EPUB/text/005-first-run.xhtml");
    assert!(first_run.contains("The first run takes a while."));
}

#[test]
fn an_include_may_reach_into_the_enclosing_repository() {
    let repo = tempfile::tempdir().unwrap();
    std::fs::create_dir(repo.path().join(".git")).unwrap();
    let book = repo.path().join("guide");
    crate::support::copy_dir(&fixture("mdbook"), &book);
    std::fs::create_dir_all(repo.path().join("examples")).unwrap();
    std::fs::write(
        repo.path().join("examples/grease.rs"),
        "fn grease(gear: &mut Gear) {\n    gear.oil += 1;\n}\n",
    )
    .unwrap();
    // From guide/src/greasing.md, two folders up is the repository.
    std::fs::write(
        book.join("src/greasing.md"),
        "# Greasing\n\n```rust\n{{#include ../../examples/grease.rs}}\n```\n",
    )
    .unwrap();
    let out = repo.path().join("out.epub");
    let output = bindery()
        .arg("build")
        .arg("-o")
        .arg(&out)
        .current_dir(&book)
        .output()
        .unwrap();
    let stderr = stderr_of(&output);
    assert!(output.status.success(), "{stderr}");
    let epub = Epub::open(&out);
    let greasing = body_text(&epub, "EPUB/text/007-greasing.xhtml");
    assert!(greasing.contains("gear.oil += 1;"), "{greasing}");
    assert_epubcheck_clean(&out);
}

#[test]
fn section_numbers_false_in_output_bindery_turns_them_off() {
    let book = TempBook::copy_of(&fixture("mdbook"));
    // The fixture's last table is [output.bindery].
    edit_manifest(&book, |text| text + "section-numbers = false\n");
    let output = book.build(&["-o", "out.epub"]);
    assert!(output.status.success(), "{}", stderr_of(&output));
    let epub = Epub::open(&book.path().join("out.epub"));
    let titles: Vec<String> = toc_entries(&epub).into_iter().map(|(_, t, _)| t).collect();
    assert!(titles.contains(&"Installation".to_string()), "{titles:?}");
    assert!(titles.contains(&"Greasing".to_string()), "{titles:?}");
    assert!(
        !titles.iter().any(|t| t.starts_with(char::is_numeric)),
        "{titles:?}"
    );
}

#[test]
fn binderys_tables_are_read_under_output_bindery_and_only_there() {
    let book = TempBook::copy_of(&fixture("mdbook"));
    std::fs::write(
        book.path().join("theme/extra.css"),
        "p.extra-rule { margin: 0; }\n",
    )
    .unwrap();
    edit_manifest(&book, |text| {
        text + "\n[output.bindery.toc]\ndepth = 2\ntitle = \"Table of Contents\"\n\
                \n[output.bindery.style]\ncss = [\"theme/extra.css\"]\n\
                \n[notes]\ntitle = \"Endnotes\"\n"
    });
    let output = book.build(&["-o", "out.epub"]);
    let stderr = stderr_of(&output);
    assert!(output.status.success(), "{stderr}");
    // [output.bindery.toc] depth = 2: the sections of each chapter too.
    let epub = Epub::open(&book.path().join("out.epub"));
    let toc = toc_entries(&epub);
    assert!(
        toc.iter().any(|(_, text, href)| text == "The main loop"
            && href == "text/006-listings.xhtml#the-main-loop"),
        "{toc:?}"
    );
    assert!(epub.text("EPUB/nav.xhtml").contains("Table of Contents"));
    // [output.bindery.style]: after mdBook's additional-css.
    let css = epub.text("EPUB/css/book.css");
    let (caption, extra) = (css.find("span.caption"), css.find("p.extra-rule"));
    assert!(
        caption.is_some() && extra.is_some() && caption < extra,
        "{css}"
    );
    // [notes] at the top level: a warning, pointing to its place.
    assert!(
        stderr.contains("warning[B175]: the table [notes] is not read in an mdBook project"),
        "{stderr}"
    );
    assert!(
        stderr.contains("= help: move it to [output.bindery.notes]"),
        "{stderr}"
    );
    assert_epubcheck_clean(&epub.path);
}

#[test]
fn links_in_the_source_folder_that_are_not_chapters_are_reported_as_in_any_book() {
    let book = TempBook::copy_of(&fixture("mdbook"));
    edit_manifest(&book, |text| {
        text.replace("site-url = \"https://example.org/handbook/\"\n", "")
    });
    std::fs::write(book.path().join("src/map.pdf"), b"%PDF-1.4\n").unwrap();
    std::fs::write(
        book.path().join("src/greasing.md"),
        "# Greasing\n\nSee [the map](map.pdf), [the old page](vanished-page.html) \
         and [the standard library](../std/index.html).\n",
    )
    .unwrap();
    let output = book.build(&["-o", "out.epub"]);
    let stderr = stderr_of(&output);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains(
            "error[B202]: link to `map.pdf`, which is not a chapter (EPUBCheck RSC-007)\n --> src/greasing.md:3:5"
        ),
        "{stderr}"
    );
    assert!(
        stderr.contains(
            "error[B200]: link to `vanished-page.html`, which is not a chapter of this book"
        ),
        "{stderr}"
    );
    assert!(
        stderr.contains("= help: link to a chapter listed in SUMMARY.md, relative to this file"),
        "{stderr}"
    );
    // Out of the source folder is out of the book, as before.
    assert!(
        stderr.contains("warning[B180]: link to `../std/index.html`, which is outside the book"),
        "{stderr}"
    );
    assert!(!stderr.contains("`map.pdf`, which is outside"), "{stderr}");
}

#[test]
fn a_preprocessor_not_installed_or_not_for_epub_is_a_warning() {
    let book = TempBook::copy_of(&fixture("mdbook-preprocessor"));
    std::fs::write(
        book.path().join("html-only.py"),
        "import sys\nif sys.argv[1:2] == ['supports']:\n    sys.exit(0 if sys.argv[2] == 'html' else 1)\n",
    )
    .unwrap();
    edit_manifest(&book, |text| {
        text + "\n[preprocessor.absent]\ncommand = \"bindery-test-no-such-program --x\"\n\
                \n[preprocessor.pages]\ncommand = \"python3 html-only.py\"\n"
    });
    let output = book.build(&["--preprocessors", "-o", "out.epub"]);
    let stderr = stderr_of(&output);
    assert!(output.status.success(), "{stderr}");
    assert!(
        stderr.contains(
            "warning[B177]: the preprocessor `absent` is not installed: what it would change stays in the chapters as written, \
             such as `{{shout the mill is open}}` in `src/announcements.md` and directives in 1 more chapter\n  --> book.toml:11:1"
        ),
        "{stderr}"
    );
    assert!(
        stderr.contains("= help: install `bindery-test-no-such-program`, or remove its table"),
        "{stderr}"
    );
    assert!(
        stderr.contains(
            "warning[B177]: the preprocessor `pages` does not support EPUB: what it would change stays in the chapters as written, \
             such as `{{shout the mill is open}}` in `src/announcements.md` and directives in 1 more chapter\n  --> book.toml:14:1"
        ),
        "{stderr}"
    );
    assert!(stderr.contains("`renderers = [\"html\"]`"), "{stderr}");
    // The one that is installed and supports EPUB still ran.
    let epub = Epub::open(&book.path().join("out.epub"));
    let text = epub.text("EPUB/text/001-announcements.xhtml");
    assert!(text.contains("THE MILL IS OPEN"), "{text}");
}

/// A preprocessor that logs its name, and whether the includes were
/// expanded when it ran, to `order.log`, and changes nothing.
const LOGGING_PREPROCESSOR: &str = r#"
import json
import sys

name = sys.argv[1]
if sys.argv[2:3] == ["supports"]:
    sys.exit(0)
context, book = json.load(sys.stdin)


def chapters(items):
    for item in items:
        if isinstance(item, dict) and "Chapter" in item:
            yield item["Chapter"]
            yield from chapters(item["Chapter"]["sub_items"])


text = "".join(c["content"] for c in chapters(book["sections"]))
with open("order.log", "a") as log:
    log.write(name + (" raw" if "{{#include" in text else " expanded") + "\n")
json.dump(book, sys.stdout)
"#;

/// The preprocessor fixture with an include, and logging preprocessors
/// `a`, `b` (after `a`), `c` and `admonish` besides its `shout`.
fn book_with_logging_preprocessors() -> TempBook {
    let book = TempBook::copy_of(&fixture("mdbook-preprocessor"));
    std::fs::write(book.path().join("log.py"), LOGGING_PREPROCESSOR).unwrap();
    std::fs::write(
        book.path().join("src/details.md"),
        "{{#title Opening Hours}}\n# Details\n\nOpen from {{shout dawn}} to dusk.\n\n{{#include hours.txt}}\n",
    )
    .unwrap();
    std::fs::write(
        book.path().join("src/hours.txt"),
        "Closed on {{shout sundays}}.\n",
    )
    .unwrap();
    edit_manifest(&book, |text| {
        text + "\n[preprocessor.c]\ncommand = \"python3 log.py c\"\n\
                \n[preprocessor.b]\ncommand = \"python3 log.py b\"\nafter = [\"a\"]\n\
                \n[preprocessor.a]\ncommand = \"python3 log.py a\"\n\
                \n[preprocessor.admonish]\ncommand = \"python3 log.py admonish\"\n"
    });
    book
}

#[test]
fn preprocessors_and_includes_run_in_mdbooks_order() {
    let book = book_with_logging_preprocessors();
    let output = book.build(&["--preprocessors", "-o", "out.epub"]);
    let stderr = stderr_of(&output);
    assert!(output.status.success(), "{stderr}");
    // First the batch of those that wait for nothing, by name: a,
    // admonish, c, index, links, shout; then b, which waited for a. So
    // a, admonish and c see the includes as written, b sees them
    // expanded, and c runs before b although b was free once a had run.
    let log = std::fs::read_to_string(book.path().join("order.log")).unwrap();
    assert_eq!(log, "a raw\nadmonish raw\nc raw\nb expanded\n");
    // `shout` ran after `links`: it shouted the included text too.
    let epub = Epub::open(&book.path().join("out.epub"));
    let details = body_text(&epub, "EPUB/text/002-details.xhtml");
    assert!(details.contains("Open from DAWN to dusk."), "{details}");
    assert!(details.contains("Closed on SUNDAYS."), "{details}");
    // The `{{#title}}` that `links` read after `a`, `admonish` and `c`
    // still names the page after `shout` rewrote it.
    let page = epub.text("EPUB/text/002-details.xhtml");
    assert!(page.contains("<title>Opening Hours</title>"), "{page}");
    assert_epubcheck_clean(&epub.path);
}

#[test]
fn includes_are_expanded_in_their_turn_even_when_no_preprocessor_runs() {
    let book = book_with_logging_preprocessors();
    let output = book.build(&["-o", "out.epub"]);
    let stderr = stderr_of(&output);
    assert!(output.status.success(), "{stderr}");
    assert!(!book.path().join("order.log").exists());
    assert_eq!(stderr.matches("warning[B177]").count(), 5, "{stderr}");
    let epub = Epub::open(&book.path().join("out.epub"));
    let details = body_text(&epub, "EPUB/text/002-details.xhtml");
    assert!(
        details.contains("Closed on {{shout sundays}}."),
        "{details}"
    );
    assert!(!details.contains("{{#include"), "{details}");
}

#[test]
fn an_include_expanded_after_a_preprocessor_is_reported_at_its_line() {
    let book = book_with_logging_preprocessors();
    std::fs::remove_file(book.path().join("src/hours.txt")).unwrap();
    let output = book.build(&["--preprocessors", "-o", "out.epub"]);
    let stderr = stderr_of(&output);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("error[B170]: cannot include `hours.txt`: there is no such file"),
        "{stderr}"
    );
    assert!(stderr.contains(" --> src/details.md:6:1"), "{stderr}");
    // The preprocessors before `links` ran; the later ones did not.
    let log = std::fs::read_to_string(book.path().join("order.log")).unwrap();
    assert_eq!(log, "a raw\nadmonish raw\nc raw\n");
    assert!(!book.path().join("out.epub").exists());
}

#[test]
fn a_cycle_of_preprocessors_is_an_error_in_book_toml() {
    let book = TempBook::copy_of(&fixture("mdbook-preprocessor"));
    edit_manifest(&book, |text| {
        text.replace(
            "command = \"python3 shout.py\"\n",
            "command = \"python3 shout.py\"\nbefore = [\"links\"]\n\n[preprocessor.links]\nbefore = [\"shout\"]\n",
        )
    });
    let output = book.build(&["--preprocessors", "-o", "out.epub"]);
    let stderr = stderr_of(&output);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.starts_with(
            "error[B181]: the preprocessors cannot be put in order: `links` runs before `shout`, and `shout` before `links`\n  --> book.toml:13:11\n"
        ),
        "{stderr}"
    );
    assert!(
        stderr
            .contains("= help: remove one of the `before` or `after` entries that make the circle"),
        "{stderr}"
    );
    assert!(!book.path().join("out.epub").exists());
}

/// An mdBook 0.5 preprocessor: it reads `items` and answers with `items`
/// alone.
const MDBOOK_0_5_PREPROCESSOR: &str = r#"
import json
import re
import sys

if len(sys.argv) > 1 and sys.argv[1] == "supports":
    sys.exit(0)
context, book = json.load(sys.stdin)


def visit(items):
    for item in items:
        if isinstance(item, dict) and "Chapter" in item:
            chapter = item["Chapter"]
            chapter["content"] = re.sub(
                r"\{\{shout ([^}]*)\}\}", lambda m: m.group(1).upper() + "!", chapter["content"]
            )
            visit(chapter["sub_items"])


visit(book["items"])
json.dump({"items": book["items"]}, sys.stdout)
"#;

#[test]
fn a_preprocessor_for_mdbook_0_5_reads_and_answers_items() {
    let book = TempBook::copy_of(&fixture("mdbook-preprocessor"));
    std::fs::write(book.path().join("shout.py"), MDBOOK_0_5_PREPROCESSOR).unwrap();
    let output = book.build(&["--preprocessors", "-o", "out.epub"]);
    let stderr = stderr_of(&output);
    assert!(output.status.success(), "{stderr}");
    let epub = Epub::open(&book.path().join("out.epub"));
    let text = epub.text("EPUB/text/001-announcements.xhtml");
    assert!(text.contains("Hear ye: THE MILL IS OPEN!."), "{text}");
    let details = epub.text("EPUB/text/002-details.xhtml");
    assert!(details.contains("Open from DAWN! to dusk."), "{details}");
}
