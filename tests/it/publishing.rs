//! What a publisher adds: identifiers, series, direction, and
//! accessibility metadata that follows from the content.

use crate::books::check_epub_structure;
use crate::support::{Epub, assert_epubcheck_clean, bindery, build_into, built, fixture};
use std::path::Path;

/// Writes a book into a temporary folder and builds it; returns the EPUB
/// and what bindery printed.
fn build(manifest: &str, chapter: &str) -> (Epub, String, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let book = dir.path().join("book");
    std::fs::create_dir_all(book.join("chapters")).unwrap();
    std::fs::write(book.join("book.toml"), manifest).unwrap();
    std::fs::write(book.join("chapters/01-text.md"), chapter).unwrap();
    std::fs::copy(
        fixture("full-metadata").join("chapters/figures/text-block.png"),
        book.join("chapters/figure.png"),
    )
    .unwrap();
    let out = dir.path().join("book.epub");
    let output = bindery()
        .arg("build")
        .arg("-o")
        .arg(&out)
        .current_dir(&book)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    assert!(output.status.success(), "{stderr}");
    (Epub::open(&out), stderr, dir)
}

fn metas<'a>(opf: &'a str, property: &str) -> Vec<&'a str> {
    let open = format!("<meta property=\"{property}\">");
    opf.match_indices(&open)
        .map(|(at, _)| {
            let rest = &opf[at + open.len()..];
            &rest[..rest.find('<').unwrap()]
        })
        .collect()
}

#[test]
fn a_claimed_conformance_is_left_out_when_an_image_has_no_alt_text() {
    let manifest = "[book]\ntitle = \"Claims\"\nlanguage = \"en\"\n\n\
                    [accessibility]\nconformance = \"wcag-2.2-aa\"\n";
    let (epub, stderr, _dir) = build(manifest, "# Text\n\n![](figure.png)\n");
    let opf = epub.text("EPUB/package.opf");
    assert!(metas(opf, "dcterms:conformsTo").is_empty(), "{opf}");
    assert!(
        !metas(opf, "schema:accessibilityFeature").contains(&"alternativeText"),
        "{opf}"
    );
    assert_eq!(
        metas(opf, "schema:accessModeSufficient"),
        ["textual,visual"]
    );
    assert!(metas(opf, "schema:accessibilitySummary")[0].contains("1 of 1 images has no alt text"));
    assert!(stderr.contains("warning[B060]: the book does not meet EPUB Accessibility 1.1 - WCAG 2.2 Level AA: 1 image without alt text"), "{stderr}");
    assert!(stderr.contains("--> book.toml:6:15"), "{stderr}");
    check_epub_structure(&epub);
    assert_epubcheck_clean(&epub.path);
}

#[test]
fn a_claimed_conformance_is_checked_for_headings_and_tables() {
    let manifest = "[book]\ntitle = \"Claims\"\nlanguage = \"en\"\n\n\
                    [accessibility]\nconformance = \"wcag-2.1-aa\"\n";
    let chapter = "# Text\n\n### Too deep\n\n<table><tr><td>no header</td></tr></table>\n";
    let (epub, stderr, _dir) = build(manifest, chapter);
    assert!(metas(epub.text("EPUB/package.opf"), "dcterms:conformsTo").is_empty());
    assert!(
        stderr.contains(
            "headings that skip a level in 1 chapter (first: Text); 1 table without header cells"
        ),
        "{stderr}"
    );
}

#[test]
fn without_images_the_book_is_textual_and_claims_what_it_checks() {
    let manifest = "[book]\ntitle = \"Plain\"\nlanguage = \"en\"\nisbn = \"0-306-40615-2\"\n\
                    direction = \"rtl\"\n\n[accessibility]\nconformance = \"wcag-2.2-aa\"\n\
                    hazards = [\"noFlashingHazard\", \"noSoundHazard\"]\nexemption = \"eaa-microenterprise\"\n";
    let (epub, stderr, _dir) = build(manifest, "# Text\n\nWords and $x^2$.\n");
    assert!(!stderr.contains("warning"), "{stderr}");
    let opf = epub.text("EPUB/package.opf");
    assert_eq!(metas(opf, "schema:accessMode"), ["textual"]);
    assert_eq!(metas(opf, "schema:accessModeSufficient"), ["textual"]);
    assert_eq!(
        metas(opf, "schema:accessibilityFeature"),
        [
            "tableOfContents",
            "readingOrder",
            "structuralNavigation",
            "MathML",
            "displayTransformability"
        ]
    );
    assert_eq!(
        metas(opf, "schema:accessibilityHazard"),
        ["noFlashingHazard", "noSoundHazard"]
    );
    assert_eq!(
        metas(opf, "dcterms:conformsTo"),
        ["EPUB Accessibility 1.1 - WCAG 2.2 Level AA"]
    );
    assert_eq!(metas(opf, "a11y:exemption"), ["eaa-microenterprise"]);
    // The ISBN-10 is the unique identifier, as an ISBN-13 URN.
    assert!(opf.contains("<dc:identifier id=\"pub-id\">urn:isbn:9780306406157</dc:identifier>"));
    assert!(opf.contains("<spine toc=\"ncx\" page-progression-direction=\"rtl\">"));
    assert_epubcheck_clean(&epub.path);
}

#[test]
fn bad_publishing_keys_are_errors_with_their_line() {
    let dir = tempfile::tempdir().unwrap();
    let book = dir.path();
    std::fs::create_dir_all(book.join("chapters")).unwrap();
    std::fs::write(book.join("chapters/01.md"), "# One\n").unwrap();
    std::fs::write(
        book.join("book.toml"),
        "[book]\ntitle = \"T\"\nlanguage = \"en\"\nisbn = \"978-3-16-148410-1\"\ndoi = \"11.1/x\"\n\
         url = \"example.org\"\nseries = { name = \"S\", position = -1 }\ndirection = \"up\"\n\n\
         [accessibility]\nconformance = \"wcag-3\"\nhazards = [\"loud\"]\n",
    )
    .unwrap();
    let output = bindery().arg("build").current_dir(book).output().unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    for expected in [
        "error[B015]: `978-3-16-148410-1` is not a valid ISBN: its check digit is wrong\n --> book.toml:4:8",
        "error[B016]: `11.1/x` is not a DOI\n --> book.toml:5:7",
        "error[B017]: `example.org` is not a web address\n --> book.toml:6:7",
        "error[B018]: `-1` is not a position in a series",
        "error[B013]: `up` is not a text direction",
        "error[B019]: `wcag-3` is not a conformance level bindery knows",
        "error[B019]: `loud` is not a schema.org accessibility hazard",
    ] {
        assert!(
            stderr.contains(expected),
            "missing {expected:?} in\n{stderr}"
        );
    }
    assert!(!Path::new(&book.join("build")).exists());
}

#[test]
fn print_page_markers_give_a_page_list_and_their_metadata() {
    let manifest = "[book]\ntitle = \"Pages\"\nlanguage = \"en\"\n\n\
                    [accessibility]\npage-source = \"urn:isbn:9780306406157\"\n";
    let (epub, stderr, _dir) = build(
        manifest,
        "# Text\n\nThe end of page one {{page 2}} and the start of two.\n\n{{page 3}}\n",
    );
    assert!(!stderr.contains("warning"), "{stderr}");
    let nav = epub.text("EPUB/nav.xhtml");
    assert!(nav.contains(
        "<nav epub:type=\"page-list\" id=\"page-list\" hidden=\"hidden\">\n<h2>Pages</h2>\n<ol>\n\
         <li><a href=\"text/001-01-text.xhtml#page-2\">2</a></li>\n\
         <li><a href=\"text/001-01-text.xhtml#page-3\">3</a></li>\n</ol>\n</nav>"
    ), "{nav}");
    let opf = epub.text("EPUB/package.opf");
    assert_eq!(metas(opf, "pageBreakSource"), ["urn:isbn:9780306406157"]);
    let features = metas(opf, "schema:accessibilityFeature");
    for feature in ["pageBreakMarkers", "pageNavigation", "printPageNumbers"] {
        assert!(features.contains(&feature), "{features:?}");
    }
    check_epub_structure(&epub);
    assert_epubcheck_clean(&epub.path);
}

#[test]
fn the_contents_page_can_stay_out_of_the_reading_order() {
    let manifest =
        "[book]\ntitle = \"No contents page\"\nlanguage = \"en\"\n\n[toc]\nin-book = false\n";
    let (epub, _, _dir) = build(manifest, "# Text\n\nWords.\n");
    let opf = epub.text("EPUB/package.opf");
    assert!(
        opf.contains("<itemref idref=\"nav\" linear=\"no\"/>"),
        "{opf}"
    );
    assert!(opf.contains("properties=\"nav\""));
    assert_epubcheck_clean(&epub.path);
}

#[test]
fn a_one_chapter_work_can_ask_for_its_contents_page() {
    let manifest = "[book]\ntitle = \"Short\"\nlanguage = \"en\"\nlicense = \"CC-BY-4.0\"\n\n[toc]\nin-book = true\n";
    let (epub, _, _dir) = build(manifest, "# Text\n\nWords.\n");
    let opf = epub.text("EPUB/package.opf");
    let spine = &opf[opf.find("<spine").unwrap()..];
    let order: Vec<&str> = spine
        .split("idref=\"")
        .skip(1)
        .map(|rest| &rest[..rest.find('"').unwrap()])
        .collect();
    // The licence page still follows the text of a short work.
    assert_eq!(
        order,
        [
            "cover-page",
            "title-page",
            "nav",
            "chapter-001",
            "copyright-page"
        ],
        "{opf}"
    );
    assert!(!opf.contains("linear=\"no\""), "{opf}");
    assert_epubcheck_clean(&epub.path);
}

#[test]
fn the_licence_page_names_who_holds_the_rights_unless_the_work_is_public_domain() {
    let licensed = "[book]\ntitle = \"Held\"\nlanguage = \"en\"\nauthors = [\"A. Writer\", \"B. Writer\"]\n\
                    license = \"CC-BY-4.0\"\n";
    let (epub, _, _dir) = build(licensed, "# Text\n\nWords.\n");
    let page = epub.text("EPUB/text/copyright.xhtml");
    // No date: no year.
    assert!(
        page.contains("<p class=\"rights-holder\">© A. Writer, B. Writer</p>"),
        "{page}"
    );
    let public = "[book]\ntitle = \"Free\"\nlanguage = \"en\"\nauthors = [\"A. Writer\"]\n\
                  license = \"CC0-1.0\"\ndate = \"2026-01-02\"\n";
    let (epub, _, _dir) = build(public, "# Text\n\nWords.\n");
    let page = epub.text("EPUB/text/copyright.xhtml");
    assert!(!page.contains("©"), "{page}");
    assert_epubcheck_clean(&epub.path);
}

/// Builds a book of one chapter with extra files beside it (paths from the
/// book folder); returns its package document.
fn package_of(chapter: &str, css: Option<&str>, files: &[(&str, &[u8])]) -> String {
    let dir = tempfile::tempdir().unwrap();
    let book = dir.path().join("book");
    std::fs::create_dir_all(book.join("chapters")).unwrap();
    let mut manifest = "[book]\ntitle = \"Claims\"\nlanguage = \"en\"\n".to_string();
    if let Some(css) = css {
        manifest.push_str("\n[style]\ncss = [\"book.css\"]\n");
        std::fs::write(book.join("book.css"), css).unwrap();
    }
    std::fs::write(book.join("book.toml"), manifest).unwrap();
    std::fs::write(book.join("chapters/01-text.md"), chapter).unwrap();
    for (name, bytes) in files {
        std::fs::write(book.join(name), bytes).unwrap();
    }
    let (epub, _) = build_into(&book, &dir.path().join("book.epub"));
    assert_epubcheck_clean(&epub.path);
    epub.text("EPUB/package.opf").to_string()
}

const RESTYLE: &str =
    "The text can be resized and restyled by the reader: no fonts or colours are forced.";

#[test]
fn the_summary_says_no_fonts_or_colours_are_forced_only_when_none_are() {
    let chapter = "# Text\n\nWords.\n";
    for (css, forced) in [
        (None, false),
        (Some("h1 { margin-top: 3em; color: inherit; }"), false),
        (Some("h1 { color: #336699; }"), true),
        (Some("body { font-family: Georgia, serif; }"), true),
    ] {
        let opf = package_of(chapter, css, &[]);
        let summary = metas(&opf, "schema:accessibilitySummary")[0];
        assert_eq!(!summary.contains(RESTYLE), forced, "{css:?}: {summary}");
    }
}

/// A GIF of one pixel with `frames` frames.
fn gif(frames: usize) -> Vec<u8> {
    let mut b = b"GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff".to_vec();
    b.extend(b"\x21\xff\x0bNETSCAPE2.0\x03\x01\x00\x00\x00");
    for _ in 0..frames {
        b.extend(b"\x21\xf9\x04\x00\x32\x00\x00\x00");
        b.extend(b"\x2c\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02\x44\x01\x00");
    }
    b.push(0x3B);
    b
}

#[test]
fn an_image_that_moves_makes_the_hazards_unknown() {
    let chapter = "# Text\n\n![A dot](../dot.gif)\n";
    let still = package_of(chapter, None, &[("dot.gif", &gif(1))]);
    assert_eq!(metas(&still, "schema:accessibilityHazard"), ["none"]);
    // bindery cannot tell whether an animation flashes.
    let moving = package_of(chapter, None, &[("dot.gif", &gif(2))]);
    assert_eq!(metas(&moving, "schema:accessibilityHazard"), ["unknown"]);
    let css = package_of(
        "# Text\n\nWords.\n",
        Some("@keyframes pulse { from { opacity: 1 } to { opacity: 0 } }"),
        &[],
    );
    assert_eq!(metas(&css, "schema:accessibilityHazard"), ["unknown"]);
}

#[test]
fn a_chapter_type_in_front_matter_sets_its_semantics() {
    let manifest = "[book]\ntitle = \"Types\"\nlanguage = \"en\"\n";
    let (epub, _, _dir) = build(manifest, "+++\ntype = \"dedication\"\n+++\n\nFor M.\n");
    let page = epub.text("EPUB/text/001-01-text.xhtml");
    assert!(page.contains("<body epub:type=\"frontmatter\">"), "{page}");
    assert!(
        page.contains("<section epub:type=\"dedication\" role=\"doc-dedication\">"),
        "{page}"
    );
    assert_epubcheck_clean(&epub.path);
}

#[test]
fn a_small_cover_draws_a_warning_quoting_store_guidance() {
    let manifest =
        "[book]\ntitle = \"Small cover\"\nlanguage = \"en\"\ncover = \"chapters/figure.png\"\n";
    let (epub, stderr, _dir) = build(manifest, "# Text\n\nWords.\n");
    assert!(
        stderr.contains("warning[B150]: the cover is 64 × 48 pixels, smaller than stores accept\n --> book.toml:4:9"),
        "{stderr}"
    );
    assert!(
        stderr.contains("at least 1400 pixels on its long side"),
        "{stderr}"
    );
    assert!(epub.files.contains_key("EPUB/text/cover.xhtml"));
}

/// A book with the author's stylesheet, a font and an image the CSS uses.
fn styled_book(css: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let book = dir.path();
    for folder in ["chapters", "styles/img", "fonts"] {
        std::fs::create_dir_all(book.join(folder)).unwrap();
    }
    std::fs::write(
        book.join("book.toml"),
        "[book]\ntitle = \"Styled\"\nlanguage = \"en\"\n\n[style]\ncss = [\"styles/book.css\"]\n\
         fonts = [{ file = \"fonts/Body.woff2\", family = \"Body\" },\n  \
         { file = \"fonts/Body-Bold.ttf\", family = \"Body\", weight = 700 }]\n",
    )
    .unwrap();
    std::fs::write(book.join("chapters/01.md"), "# Styled\n\nText.\n").unwrap();
    // Only the first bytes of a font are read; EPUBCheck does not open them.
    std::fs::write(book.join("fonts/Body.woff2"), b"wOF2\0\x01\0\0font data").unwrap();
    std::fs::write(book.join("fonts/Body-Bold.ttf"), b"\0\x01\0\0\0\0font data").unwrap();
    std::fs::copy(
        fixture("full-metadata").join("assets/ornament.gif"),
        book.join("styles/img/ornament.gif"),
    )
    .unwrap();
    std::fs::write(book.join("styles/book.css"), css).unwrap();
    dir
}

#[test]
fn the_authors_stylesheet_and_fonts_are_embedded() {
    let dir = styled_book(
        "body { font-family: \"Body\", serif; }\nhr { background: url('img/ornament.gif'); }\n",
    );
    let (epub, _) = build_into(dir.path(), &dir.path().join("out.epub"));
    let css = epub.text("EPUB/css/book.css");
    assert!(css.contains(
        "@font-face {\n  font-family: \"Body\";\n  src: url(\"../media/fonts/Body.woff2\") format(\"woff2\");\n  font-weight: 400;\n  font-style: normal;\n}"
    ), "{css}");
    assert!(css.contains(
        "src: url(\"../media/fonts/Body-Bold.ttf\") format(\"truetype\");\n  font-weight: 700;"
    ));
    // The author's rules come last, with their addresses rewritten.
    assert!(css.ends_with(
        "/* styles/book.css */\nbody { font-family: \"Body\", serif; }\nhr { background: url(\"../media/styles/img/ornament.gif\"); }\n\n"
    ), "{css}");
    let opf = epub.text("EPUB/package.opf");
    assert!(
        opf.contains(
            "<item id=\"font-001\" href=\"media/fonts/Body.woff2\" media-type=\"font/woff2\"/>"
        ),
        "{opf}"
    );
    assert!(opf.contains(
        "<item id=\"font-002\" href=\"media/fonts/Body-Bold.ttf\" media-type=\"font/ttf\"/>"
    ));
    assert!(opf.contains("href=\"media/styles/img/ornament.gif\" media-type=\"image/gif\""));
    // The author's stylesheet may force fonts: no displayTransformability claim.
    assert!(!metas(opf, "schema:accessibilityFeature").contains(&"displayTransformability"));
    // Fonts are deflated, WOFF 2 is stored.
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(epub.bytes.clone())).unwrap();
    assert_eq!(
        archive
            .by_name("EPUB/media/fonts/Body.woff2")
            .unwrap()
            .compression(),
        zip::CompressionMethod::Stored
    );
    assert_eq!(
        archive
            .by_name("EPUB/media/fonts/Body-Bold.ttf")
            .unwrap()
            .compression(),
        zip::CompressionMethod::Deflated
    );
    assert_epubcheck_clean(&epub.path);
}

#[test]
fn imports_and_remote_resources_in_a_stylesheet_are_errors() {
    let dir = styled_book(
        "@import \"other.css\";\nbody { background: url(https://example.org/paper.png); }\np { background: url(missing.png); }\n",
    );
    let output = bindery()
        .arg("build")
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    for expected in [
        "error[B111]: `@import` is not supported\n --> styles/book.css:1:1",
        "error[B111]: remote resource `https://example.org/paper.png` (EPUBCheck RSC-006)\n --> styles/book.css:2:20",
        "error[B102]: file not found: `styles/missing.png` (EPUBCheck RSC-007)\n --> styles/book.css:3:17",
    ] {
        assert!(
            stderr.contains(expected),
            "missing {expected:?} in\n{stderr}"
        );
    }
}

#[test]
fn chapters_of_a_part_get_a_part_page_and_nest_in_the_contents() {
    let dir = tempfile::tempdir().unwrap();
    let book = dir.path().join("book");
    std::fs::create_dir_all(book.join("chapters")).unwrap();
    std::fs::write(
        book.join("book.toml"),
        "[book]\ntitle = \"Parts\"\nlanguage = \"en\"\n\n\
         [[chapters]]\nfile = \"chapters/1.md\"\npart = \"Paper\"\n\n\
         [[chapters]]\nfile = \"chapters/2.md\"\npart = \"Paper\"\n\n\
         [[chapters]]\nfile = \"chapters/3.md\"\n",
    )
    .unwrap();
    for (n, text) in [
        (1, "# Folding\n"),
        (2, "# Cutting\n"),
        // A part may be named in the chapter's front matter, too.
        (3, "+++\npart = \"Thread\"\n+++\n\n# Sewing\n"),
    ] {
        std::fs::write(book.join(format!("chapters/{n}.md")), text).unwrap();
    }
    let out = dir.path().join("book.epub");
    let output = bindery()
        .arg("build")
        .arg(&book)
        .arg("-o")
        .arg(&out)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    assert!(stderr.contains("(3 chapters,"), "{stderr}");
    let epub = Epub::open(&out);
    let part = epub.text("EPUB/text/part-01.xhtml");
    assert!(
        part.contains(
            "<section epub:type=\"part\" role=\"doc-part\">\n<h1 class=\"part-title\">Paper</h1>"
        ),
        "{part}"
    );
    assert!(epub.files.contains_key("EPUB/text/part-02.xhtml"));
    let nav = epub.text("EPUB/nav.xhtml");
    assert!(nav.contains(
        "<li><a href=\"text/part-01.xhtml\">Paper</a>\n<ol>\n<li><a href=\"text/001-1.xhtml\">Folding</a></li>\n\
         <li><a href=\"text/002-2.xhtml\">Cutting</a></li>\n</ol>\n</li>\n\
         <li><a href=\"text/part-02.xhtml\">Thread</a>\n<ol>\n<li><a href=\"text/003-3.xhtml\">Sewing</a></li>\n</ol>\n</li>"
    ), "{nav}");
    let opf = epub.text("EPUB/package.opf");
    let part_first = opf.find("text/part-01.xhtml").unwrap();
    assert!(part_first < opf.find("text/001-1.xhtml").unwrap());
    check_epub_structure(&epub);
    assert_epubcheck_clean(&epub.path);
}

#[test]
fn store_profiles_warn_about_what_the_store_asks() {
    let dir = tempfile::tempdir().unwrap();
    let book = dir.path();
    std::fs::create_dir_all(book.join("chapters")).unwrap();
    std::fs::write(book.join("chapters/01.md"), "# One\n\nText.\n").unwrap();
    std::fs::copy(
        fixture("full-metadata").join("assets/cover.jpg"),
        book.join("cover.jpg"),
    )
    .unwrap();
    std::fs::write(
        book.join("book.toml"),
        "[book]\ntitle = \"Stores\"\nlanguage = \"en\"\ncover = \"cover.jpg\"\n",
    )
    .unwrap();
    let build = |profile: &str| {
        let output = bindery()
            .args(["build", "--profile", profile, "-o"])
            .arg(book.join(format!("{profile}.epub")))
            .arg(book)
            .output()
            .unwrap();
        (
            output.status.code(),
            String::from_utf8_lossy(&output.stderr).into_owned(),
        )
    };
    // The 1600 × 2400 cover suits every store.
    for profile in ["generic", "kdp", "apple", "kobo"] {
        let (code, stderr) = build(profile);
        assert_eq!(code, Some(0), "{stderr}");
        assert!(!stderr.contains("warning[B070]"), "{profile}: {stderr}");
    }
    // A small one does not.
    std::fs::copy(
        fixture("full-metadata").join("assets/press.jpg"),
        book.join("cover.jpg"),
    )
    .unwrap();
    let (_, stderr) = build("apple");
    assert!(stderr.contains("warning[B070]: Apple Books asks for a cover at least 1400 pixels on its shorter side; this one is 64 × 48"), "{stderr}");
    let (_, stderr) = build("kdp");
    assert!(
        stderr.contains("warning[B070]: KDP refuses covers under 625 × 1000 pixels"),
        "{stderr}"
    );
    let (code, stderr) = build("nook");
    assert_eq!(code, Some(2), "{stderr}");
}

#[test]
fn a_book_without_a_cover_image_gets_a_drawn_one() {
    let epub = &crate::support::built(&fixture("minimal")).epub;
    let png = &epub.files["EPUB/media/bindery-cover/cover.png"];
    assert!(png.starts_with(b"\x89PNG\r\n\x1a\n"));
    // IHDR: width and height, big-endian.
    assert_eq!(&png[16..24], &[0, 0, 6, 64, 0, 0, 10, 0]);
    let svg = epub.text("EPUB/media/bindery-cover/cover.svg");
    let doc = crate::support::parse_xml("cover.svg", svg);
    let title = doc
        .descendants()
        .find(|n| n.has_tag_name(("http://www.w3.org/2000/svg", "title")))
        .and_then(|n| n.text());
    assert_eq!(title, Some("A Minimal Book"));
    assert!(!svg.contains("<text"), "letters are outlines");
    let opf = epub.text("EPUB/package.opf");
    assert!(opf.contains(
        "<item id=\"cover-image\" href=\"media/bindery-cover/cover.png\" media-type=\"image/png\" properties=\"cover-image\"/>"
    ), "{opf}");
    let page = epub.text("EPUB/text/cover.xhtml");
    assert!(page.contains("<img src=\"../media/bindery-cover/cover.svg\" alt=\"Cover of A Minimal Book\" role=\"doc-cover\"/>"), "{page}");
}

/// The stylesheet's files are streamed from disk into the EPUB as they
/// are; an SVG is known by its root element even after a long comment.
#[test]
fn the_stylesheets_files_go_into_the_epub_byte_for_byte() {
    let dir = styled_book("hr { background: url('img/rule.svg'); }\n");
    let book = dir.path();
    let svg = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"no\"?>\n<!-- Created with Inkscape (http://www.inkscape.org/) {} -->\n\
         <svg xmlns=\"http://www.w3.org/2000/svg\" width=\"10\" height=\"1\"><rect width=\"10\" height=\"1\"/></svg>\n",
        "x".repeat(300)
    );
    std::fs::write(book.join("styles/img/rule.svg"), &svg).unwrap();
    let epub = &built(book).epub;
    assert_eq!(epub.text("EPUB/media/styles/img/rule.svg"), svg);
    for font in ["fonts/Body.woff2", "fonts/Body-Bold.ttf"] {
        assert_eq!(
            epub.files[&format!("EPUB/media/{font}")],
            std::fs::read(book.join(font)).unwrap(),
            "{font}"
        );
    }
}
