//! What the package document, the navigation document and the pages say.

use crate::support::{built, fixture, parse_xml};

const OPF: &str = "http://www.idpf.org/2007/opf";
const DC: &str = "http://purl.org/dc/elements/1.1/";
const XHTML: &str = "http://www.w3.org/1999/xhtml";
const OPS: &str = "http://www.idpf.org/2007/ops";

/// `(element or property, value)` of every metadata child.
type Elements = Vec<(String, String)>;
/// `(refines, property, value)` of every refinement.
type Refinements = Vec<(String, String, String)>;

fn metadata(opf: &str) -> (Elements, Refinements) {
    let doc = parse_xml("package.opf", opf);
    let metadata = doc
        .descendants()
        .find(|n| n.has_tag_name((OPF, "metadata")))
        .unwrap();
    let mut elements = Vec::new();
    let mut refines = Vec::new();
    for node in metadata.children().filter(|n| n.is_element()) {
        let text = node.text().unwrap_or("").to_string();
        match (node.tag_name().namespace(), node.attribute("refines")) {
            (Some(DC), _) => elements.push((format!("dc:{}", node.tag_name().name()), text)),
            (_, Some(target)) => refines.push((
                target.to_string(),
                node.attribute("property").unwrap().to_string(),
                text,
            )),
            _ => elements.push((
                node.attribute("property")
                    .or(node.attribute("name"))
                    .unwrap()
                    .to_string(),
                node.attribute("content").map_or(text, str::to_string),
            )),
        }
    }
    (elements, refines)
}

#[test]
fn full_metadata_maps_every_manifest_key() {
    let epub = &built(&fixture("full-metadata")).epub;
    let opf = epub.text("EPUB/package.opf");
    let doc = parse_xml("package.opf", opf);
    assert_eq!(
        doc.root_element().attribute("unique-identifier"),
        Some("pub-id")
    );
    assert_eq!(
        doc.root_element()
            .attribute(("http://www.w3.org/XML/1998/namespace", "lang")),
        Some("en")
    );
    let (elements, refines) = metadata(opf);
    let get = |name: &str| -> Vec<&str> {
        elements
            .iter()
            .filter(|(n, _)| n == name)
            .map(|(_, t)| t.as_str())
            .collect()
    };
    assert_eq!(
        get("dc:identifier"),
        [
            "urn:isbn:9780306406157",
            "urn:doi:10.5281/zenodo.1234567",
            "https://signature.example/books/binders-companion"
        ]
    );
    assert_eq!(get("belongs-to-collection"), ["Crafts of the Book"]);
    assert_eq!(get("calibre:series"), ["Crafts of the Book"]);
    assert_eq!(get("calibre:series_index"), ["3"]);
    // Accessibility, from what the book holds: images, all described.
    assert_eq!(get("schema:accessMode"), ["textual", "visual"]);
    assert_eq!(
        get("schema:accessModeSufficient"),
        ["textual", "textual,visual"]
    );
    assert_eq!(
        get("schema:accessibilityFeature"),
        [
            "tableOfContents",
            "readingOrder",
            "structuralNavigation",
            "alternativeText",
            "displayTransformability"
        ]
    );
    assert_eq!(get("schema:accessibilityHazard"), ["none"]);
    assert!(get("schema:accessibilitySummary")[0].contains("images have alt text"));
    assert_eq!(
        get("dcterms:conformsTo"),
        ["EPUB Accessibility 1.1 - WCAG 2.2 Level AA"]
    );
    assert_eq!(
        get("a11y:certifiedBy"),
        ["Signature Press accessibility team"]
    );
    assert_eq!(
        get("dc:title"),
        [
            "The Binder's Companion",
            "Notes on making books by hand and by machine"
        ]
    );
    assert_eq!(get("dc:language"), ["en"]);
    assert_eq!(get("dc:creator"), ["Margarethe Falz", "Tomás Ribeiro"]);
    assert_eq!(
        get("dc:contributor"),
        ["Ingrid Ålund", "Kenji Watanabe", "Élodie Marchand"]
    );
    assert_eq!(get("dc:publisher"), ["Signature Press"]);
    assert_eq!(get("dc:date"), ["2025-03-14"]);
    assert!(get("dc:description")[0].starts_with("A practical companion"));
    assert_eq!(
        get("dc:subject"),
        ["Bookbinding", "Typography", "Publishing"]
    );
    let rights = get("dc:rights");
    assert_eq!(
        rights[0],
        "© 2025 Margarethe Falz and Tomás Ribeiro. Some rights reserved."
    );
    assert!(
        rights[1].contains("Creative Commons Attribution-ShareAlike 4.0 International"),
        "{}",
        rights[1]
    );
    assert!(rights[1].contains("https://creativecommons.org/licenses/by-sa/4.0/"));
    // The manifest's date fixes the timestamp when SOURCE_DATE_EPOCH is not set.
    assert_eq!(get("dcterms:modified"), ["2025-03-14T00:00:00Z"]);
    assert_eq!(get("cover"), ["cover-image"]);

    let refined = |target: &str, property: &str| -> Option<String> {
        refines
            .iter()
            .find(|(t, p, _)| t == target && p == property)
            .map(|(_, _, v)| v.clone())
    };
    assert_eq!(refined("#title", "title-type").as_deref(), Some("main"));
    assert_eq!(
        refined("#series", "collection-type").as_deref(),
        Some("series")
    );
    assert_eq!(refined("#series", "group-position").as_deref(), Some("3"));
    assert_eq!(refined("#doi", "identifier-type").as_deref(), Some("06"));
    assert_eq!(
        refined("#subtitle", "title-type").as_deref(),
        Some("subtitle")
    );
    assert_eq!(refined("#creator-1", "role").as_deref(), Some("aut"));
    assert_eq!(refined("#contributor-1", "role").as_deref(), Some("edt"));
    assert_eq!(
        refined("#contributor-1", "file-as").as_deref(),
        Some("Ålund, Ingrid")
    );
    assert_eq!(refined("#contributor-2", "role").as_deref(), Some("trl"));
    assert_eq!(refined("#contributor-3", "role").as_deref(), Some("ill"));
}

#[test]
fn images_get_media_types_from_their_bytes_and_the_cover_its_property() {
    let epub = &built(&fixture("full-metadata")).epub;
    let opf = epub.text("EPUB/package.opf");
    let doc = parse_xml("package.opf", opf);
    let items: Vec<(String, String, Option<String>)> = doc
        .descendants()
        .filter(|n| n.has_tag_name((OPF, "item")))
        .map(|n| {
            (
                n.attribute("href").unwrap().to_string(),
                n.attribute("media-type").unwrap().to_string(),
                n.attribute("properties").map(str::to_string),
            )
        })
        .collect();
    let media_type = |href: &str| {
        items
            .iter()
            .find(|(h, _, _)| h == href)
            .map(|(_, m, _)| m.as_str())
    };
    assert_eq!(media_type("media/assets/cover.jpg"), Some("image/jpeg"));
    assert_eq!(
        media_type("media/chapters/figures/text-block.png"),
        Some("image/png")
    );
    assert_eq!(media_type("media/assets/press.jpg"), Some("image/jpeg"));
    assert_eq!(media_type("media/assets/ornament.gif"), Some("image/gif"));
    assert_eq!(media_type("media/assets/spine.svg"), Some("image/svg+xml"));
    let cover = items
        .iter()
        .find(|(_, _, p)| p.as_deref() == Some("cover-image"))
        .unwrap();
    assert_eq!(cover.0, "media/assets/cover.jpg");
    // Every item is in the zip.
    for (href, _, _) in &items {
        assert!(epub.files.contains_key(&format!("EPUB/{href}")), "{href}");
    }
    // Compressed images are stored, text is deflated.
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(epub.bytes.clone())).unwrap();
    let mut method = |name: &str| archive.by_name(name).unwrap().compression();
    assert_eq!(
        method("EPUB/media/assets/cover.jpg"),
        zip::CompressionMethod::Stored
    );
    assert_eq!(method("EPUB/package.opf"), zip::CompressionMethod::Deflated);
}

#[test]
fn the_copyright_page_holds_rights_licence_imprint_and_identifiers() {
    let epub = &built(&fixture("full-metadata")).epub;
    let page = epub.text("EPUB/text/copyright.xhtml");
    let doc = parse_xml("copyright.xhtml", page);
    let section = doc
        .descendants()
        .find(|n| n.has_tag_name((XHTML, "section")))
        .unwrap();
    assert_eq!(section.attribute((OPS, "type")), Some("copyright-page"));
    let lines: Vec<String> = section
        .children()
        .filter(|n| n.has_tag_name((XHTML, "p")))
        .map(|p| {
            p.descendants()
                .filter(|n| n.is_text())
                .map(|t| t.text().unwrap())
                .collect()
        })
        .collect();
    assert_eq!(
        lines,
        [
            "The Binder's Companion",
            "Notes on making books by hand and by machine",
            // The book's own rights statement, in place of bindery's.
            "© 2025 Margarethe Falz and Tomás Ribeiro. Some rights reserved.",
            "Creative Commons Attribution-ShareAlike 4.0 International (CC-BY-SA-4.0)",
            "Signature Press · March 14, 2025",
            "ISBN 9780306406157",
            "DOI 10.5281/zenodo.1234567",
            "https://signature.example/books/binders-companion",
        ]
    );
    assert!(page.contains(r#"<a href="https://creativecommons.org/licenses/by-sa/4.0/">"#));
    assert!(page.contains(r#"<a href="https://doi.org/10.5281/zenodo.1234567">"#));
    // A book that says none of these gets no copyright page.
    let minimal = &built(&fixture("minimal")).epub;
    assert!(!minimal.files.contains_key("EPUB/text/copyright.xhtml"));
}

#[test]
fn chapter_types_set_epub_type_role_and_matter() {
    let epub = &built(&fixture("full-metadata")).epub;
    let preface = epub.text("EPUB/text/001-00-preface.xhtml");
    assert!(preface.contains(r#"<body epub:type="frontmatter">"#));
    assert!(preface.contains(r#"<section epub:type="preface" role="doc-preface">"#));
    let glossary = epub.text("EPUB/text/006-99-glossary.xhtml");
    assert!(glossary.contains(r#"<body epub:type="backmatter">"#));
    assert!(glossary.contains(r#"<section epub:type="glossary" role="doc-glossary">"#));
}

#[test]
fn spine_starts_with_cover_then_title_page() {
    let epub = &built(&fixture("full-metadata")).epub;
    let doc = parse_xml("package.opf", epub.text("EPUB/package.opf"));
    let spine: Vec<&str> = doc
        .descendants()
        .filter(|n| n.has_tag_name((OPF, "itemref")))
        .map(|n| n.attribute("idref").unwrap())
        .collect();
    assert_eq!(
        &spine[..5],
        [
            "cover-page",
            "title-page",
            "copyright-page",
            "nav",
            "chapter-001"
        ]
    );
    assert_eq!(spine.len(), 4 + 6);
    let cover = epub.text("EPUB/text/cover.xhtml");
    assert!(cover.contains(r#"<img src="../media/assets/cover.jpg" alt="Cover of The Binder's Companion" role="doc-cover"/>"#));
}

fn landmarks(nav: &str) -> Vec<(String, String)> {
    let doc = parse_xml("nav.xhtml", nav);
    let landmarks = doc
        .descendants()
        .find(|n| n.has_tag_name((XHTML, "nav")) && n.attribute((OPS, "type")) == Some("landmarks"))
        .unwrap();
    landmarks
        .descendants()
        .filter(|n| n.has_tag_name((XHTML, "a")))
        .map(|a| {
            (
                a.attribute((OPS, "type")).unwrap().to_string(),
                a.attribute("href").unwrap().to_string(),
            )
        })
        .collect()
}

#[test]
fn landmarks_hold_cover_title_page_toc_and_start_of_reading() {
    let epub = &built(&fixture("full-metadata")).epub;
    assert_eq!(
        landmarks(epub.text("EPUB/nav.xhtml")),
        [
            ("cover".into(), "text/cover.xhtml".into()),
            ("titlepage".into(), "text/title.xhtml".into()),
            ("toc".into(), "nav.xhtml#toc".into()),
            // The preface is front matter: reading starts at the first body chapter.
            (
                "bodymatter".into(),
                "text/002-01-folding-and-sewing.xhtml".into()
            ),
            // A chapter of the type glossary is a landmark too.
            ("glossary".into(), "text/006-99-glossary.xhtml".into()),
        ]
    );
    let minimal = &built(&fixture("minimal")).epub;
    let marks: Vec<String> = landmarks(minimal.text("EPUB/nav.xhtml"))
        .into_iter()
        .map(|(t, _)| t)
        .collect();
    // A book without a cover image gets one drawn for it.
    assert_eq!(marks, ["cover", "titlepage", "toc", "bodymatter"]);
}

/// The table of contents as indented lines.
fn toc_outline(nav: &str) -> Vec<String> {
    let doc = parse_xml("nav.xhtml", nav);
    let toc = doc
        .descendants()
        .find(|n| n.has_tag_name((XHTML, "nav")) && n.attribute((OPS, "type")) == Some("toc"))
        .unwrap();
    toc.descendants()
        .filter(|n| n.has_tag_name((XHTML, "a")))
        .map(|a| {
            let depth = a
                .ancestors()
                .filter(|n| n.has_tag_name((XHTML, "ol")))
                .count();
            format!("{}{}", "  ".repeat(depth - 1), a.text().unwrap_or(""))
        })
        .collect()
}

#[test]
fn table_of_contents_nests_sections_to_the_configured_depth() {
    let epub = &built(&fixture("full-metadata")).epub;
    let outline = toc_outline(epub.text("EPUB/nav.xhtml"));
    let expected_start = [
        "Preface",
        "Folding and Sewing",
        "  Folding the Sheets",
        "    Example",
        "    Checking the Fold",
        "  Sewing the Signatures",
        "    Example",
        "    Before You Glue",
        "  What Comes Next",
        // The manifest's title replaces the chapter's heading.
        "Figures and Plates",
    ];
    assert_eq!(&outline[..expected_start.len()], expected_start);
    // depth = 3: the h4 "A Note on Bone Folders" is a fourth level, left out.
    assert!(!outline.iter().any(|l| l.contains("Bone Folders")));
    assert_eq!(
        outline.last().map(String::as_str),
        Some("  Further Reading")
    );

    // Default depth 2 on the minimal book: chapters and their sections.
    let nav = built(&fixture("no-manifest-chapters"))
        .epub
        .text("EPUB/nav.xhtml")
        .to_string();
    let outline = toc_outline(&nav);
    assert_eq!(outline[0], "First Things First");
    let ncx = built(&fixture("full-metadata"))
        .epub
        .text("EPUB/toc.ncx")
        .to_string();
    let ncx_doc = parse_xml("toc.ncx", &ncx);
    let uid = ncx_doc
        .descendants()
        .find(|n| n.attribute("name") == Some("dtb:uid"))
        .unwrap();
    assert_eq!(uid.attribute("content"), Some("urn:isbn:9780306406157"));
    let points = ncx_doc
        .descendants()
        .filter(|n| n.tag_name().name() == "navPoint")
        .count();
    assert_eq!(points, outline_len(&built(&fixture("full-metadata")).epub));
}

fn outline_len(epub: &crate::support::Epub) -> usize {
    toc_outline(epub.text("EPUB/nav.xhtml")).len()
}

#[test]
fn chapters_without_a_list_come_in_natural_order_with_titles_from_file_names() {
    let epub = &built(&fixture("no-manifest-chapters")).epub;
    let chapters: Vec<&str> = epub
        .names
        .iter()
        .filter(|n| n.starts_with("EPUB/text/0"))
        .map(String::as_str)
        .collect();
    assert_eq!(
        chapters,
        [
            "EPUB/text/001-1-a.xhtml",
            "EPUB/text/002-2-b.xhtml",
            "EPUB/text/003-10-c.xhtml"
        ]
    );
    let outline = toc_outline(epub.text("EPUB/nav.xhtml"));
    let top: Vec<&str> = outline
        .iter()
        .filter(|l| !l.starts_with(' '))
        .map(String::as_str)
        .collect();
    assert_eq!(top, ["First Things First", "The Second Step", "C"]);
    assert!(
        epub.text("EPUB/text/001-1-a.xhtml")
            .contains(r#"xml:lang="en-GB""#)
    );
}

#[test]
fn title_page_names_title_subtitle_authors_contributors_and_publisher() {
    let epub = &built(&fixture("full-metadata")).epub;
    let page = epub.text("EPUB/text/title.xhtml");
    let doc = parse_xml("title.xhtml", page);
    let texts: Vec<String> = doc
        .descendants()
        .filter(|n| n.has_tag_name((XHTML, "h1")) || n.has_tag_name((XHTML, "p")))
        .map(|n| n.text().unwrap_or("").to_string())
        .collect();
    assert_eq!(
        texts,
        [
            "The Binder's Companion",
            "Notes on making books by hand and by machine",
            "Margarethe Falz, Tomás Ribeiro",
            "Editor: Ingrid Ålund",
            "Translator: Kenji Watanabe",
            "Illustrator: Élodie Marchand",
            "Signature Press",
        ]
    );
}

#[test]
fn default_identifier_is_a_stable_uuid_from_title_and_authors() {
    let epub = &built(&fixture("minimal")).epub;
    let (elements, _) = metadata(epub.text("EPUB/package.opf"));
    let id = &elements
        .iter()
        .find(|(n, _)| n == "dc:identifier")
        .unwrap()
        .1;
    assert!(id.starts_with("urn:uuid:"), "{id}");
    // Version 5 (name-based): the version nibble is 5.
    assert_eq!(id.as_bytes()["urn:uuid:".len() + 14], b'5', "{id}");
    let modified = &elements
        .iter()
        .find(|(n, _)| n == "dcterms:modified")
        .unwrap()
        .1;
    assert_eq!(modified, "1980-01-01T00:00:00Z");
}

#[test]
fn footnotes_are_epub_footnotes_with_back_links() {
    let epub = &built(&fixture("full-metadata")).epub;
    let text = epub.text("EPUB/text/004-03-materials-and-tools.xhtml");
    let doc = parse_xml("chapter", text);
    let noterefs: Vec<_> = doc
        .descendants()
        .filter(|n| n.attribute((OPS, "type")) == Some("noteref"))
        .map(|n| (n.attribute("href").unwrap(), n.text().unwrap()))
        .collect();
    // "mills" is referred to twice and keeps its number.
    assert_eq!(
        noterefs,
        [
            ("#fn-board", "1"),
            ("#fn-mills", "2"),
            ("#fn-paring", "3"),
            ("#fn-mills", "2"),
            ("#fn-mix", "4")
        ]
    );
    let asides: Vec<_> = doc
        .descendants()
        .filter(|n| n.has_tag_name((XHTML, "aside")))
        .map(|n| {
            (
                n.attribute("id").unwrap(),
                n.attribute((OPS, "type")).unwrap(),
                n.attribute("role").unwrap(),
            )
        })
        .collect();
    assert_eq!(asides.len(), 4);
    assert!(
        asides
            .iter()
            .all(|(_, t, r)| *t == "footnote" && *r == "doc-footnote")
    );
    let mills = doc
        .descendants()
        .find(|n| n.attribute("id") == Some("fn-mills"))
        .unwrap();
    let backlinks: Vec<_> = mills
        .descendants()
        .filter(|n| n.attribute("role") == Some("doc-backlink"))
        .map(|n| n.attribute("href").unwrap())
        .collect();
    assert_eq!(backlinks.len(), 2);
}

#[test]
fn heading_ids_follow_github_and_links_between_chapters_are_rewritten() {
    let epub = &built(&fixture("full-metadata")).epub;
    let sewing = epub.text("EPUB/text/002-01-folding-and-sewing.xhtml");
    assert!(sewing.contains(r#"<h3 id="example">Example</h3>"#));
    assert!(sewing.contains(r#"<h3 id="example-1">Example</h3>"#));
    assert!(
        sewing.contains(r#"<h2 id="sewing-stations" class="technique">Sewing the Signatures</h2>"#)
    );
    assert!(sewing.contains(r##"<a href="#sewing-stations">Sewing the Signatures</a>"##));
    assert!(
        sewing.contains(r#"<a href="005-04-many-scripts.xhtml#ελληνικά">the Greek section</a>"#)
    );
    let glossary = epub.text("EPUB/text/006-99-glossary.xhtml");
    assert!(
        glossary.contains(r#"<a href="002-01-folding-and-sewing.xhtml#example">first example</a>"#)
    );
    assert!(glossary.contains(r#"<body epub:type="backmatter">"#));
    let preface = epub.text("EPUB/text/001-00-preface.xhtml");
    assert!(preface.contains(r#"<body epub:type="frontmatter">"#));
    assert!(preface.contains(
        r#"<a href="004-03-materials-and-tools.xhtml#paper-and-board">Paper and Board</a>"#
    ));
}

#[test]
fn images_keep_alt_text_and_titles() {
    let epub = &built(&fixture("full-metadata")).epub;
    let figures = epub.text("EPUB/text/003-02-figures.xhtml");
    let doc = parse_xml("figures", figures);
    let images: Vec<_> = doc
        .descendants()
        .filter(|n| n.has_tag_name((XHTML, "img")))
        .collect();
    assert_eq!(images.len(), 4);
    for img in &images {
        assert!(!img.attribute("alt").unwrap_or("").is_empty());
        assert!(img.attribute("src").unwrap().starts_with("../media/"));
    }
    // An image alone in its paragraph with a title is a figure, and the
    // title its caption.
    let captions: Vec<_> = doc
        .descendants()
        .filter(|n| n.has_tag_name((XHTML, "figcaption")))
        .map(|n| {
            let figure = n.parent().unwrap();
            assert!(figure.has_tag_name((XHTML, "figure")));
            assert!(figure.children().any(|c| c.has_tag_name((XHTML, "img"))));
            n.text().unwrap_or("")
        })
        .collect();
    assert_eq!(captions, ["The text block", "A rounded spine"]);
}

/// The full-metadata book's package document, navigation document, title
/// and copyright pages, compared with reviewed copies in `tests/golden/`
/// (bless with `BINDERY_BLESS=1` and review the diff).
#[test]
fn generated_documents_match_their_reviewed_copies() {
    let epub = &built(&fixture("full-metadata")).epub;
    let golden = crate::support::repo().join("tests/golden/full-metadata");
    let mut differ = Vec::new();
    for (name, file) in [
        ("EPUB/package.opf", "package.opf"),
        ("EPUB/nav.xhtml", "nav.xhtml"),
        ("EPUB/toc.ncx", "toc.ncx"),
        ("EPUB/text/title.xhtml", "title.xhtml"),
        ("EPUB/text/copyright.xhtml", "copyright.xhtml"),
    ] {
        let actual = epub.text(name);
        let path = golden.join(file);
        if std::env::var_os("BINDERY_BLESS").is_some() {
            std::fs::create_dir_all(&golden).unwrap();
            std::fs::write(&path, actual).unwrap();
        } else if std::fs::read_to_string(&path).unwrap_or_default() != actual {
            differ.push(format!("{name} differs from {}:\n{actual}", path.display()));
        }
    }
    assert!(differ.is_empty(), "{}", differ.join("\n\n"));
}
