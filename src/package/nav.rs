//! The navigation document (EPUB 3.3, section 7) and the NCX for EPUB 2
//! reading systems.

use crate::epub_paths;
use crate::locale::{Label, Locale, isolate};
use crate::outline::{Landmark, TocEntry};
use crate::xml::XmlWriter;

/// An XHTML document's opening, up to and including `<body>`, in the
/// book's language and direction.
pub fn xhtml_head(
    w: &mut XmlWriter,
    title: &str,
    locale: &Locale,
    stylesheet: &str,
    body_type: &str,
) {
    let dir = Some(locale.direction().as_str());
    w.xhtml_start(title, locale.tag(), dir, stylesheet, body_type);
}

pub fn nav_document(
    toc: &[TocEntry],
    landmarks: &[Landmark],
    pages: &[(String, String)],
    title: &str,
    locale: &Locale,
) -> String {
    let mut w = XmlWriter::new();
    xhtml_head(&mut w, title, locale, epub_paths::STYLESHEET, "frontmatter");
    w.start(
        "nav",
        &[("epub:type", "toc"), ("id", "toc"), ("role", "doc-toc")],
    );
    w.newline();
    w.element("h1", &[], title);
    w.newline();
    entries(&mut w, toc, locale);
    w.raw("</nav>\n");
    w.start(
        "nav",
        &[
            ("epub:type", "landmarks"),
            ("id", "landmarks"),
            ("hidden", "hidden"),
        ],
    );
    w.newline();
    w.element("h2", &[], &locale.label(Label::Landmarks));
    w.raw("\n<ol>\n");
    for landmark in landmarks {
        w.start("li", &[]);
        w.element(
            "a",
            &[("epub:type", landmark.epub_type), ("href", &landmark.href)],
            &landmark.title,
        );
        w.raw("</li>\n");
    }
    w.raw("</ol>\n</nav>\n");
    if !pages.is_empty() {
        // The print edition's pages, for "go to page" and citations.
        w.start(
            "nav",
            &[
                ("epub:type", "page-list"),
                ("id", "page-list"),
                ("hidden", "hidden"),
            ],
        );
        w.newline();
        w.element("h2", &[], &locale.label(Label::Pages));
        w.raw("\n<ol>\n");
        for (href, label) in pages {
            w.start("li", &[]);
            w.element("a", &[("href", href)], label);
            w.raw("</li>\n");
        }
        w.raw("</ol>\n</nav>\n");
    }
    w.raw("</body>\n</html>\n");
    w.finish()
}

fn entries(w: &mut XmlWriter, list: &[TocEntry], locale: &Locale) {
    w.raw("<ol>\n");
    for entry in list {
        w.start("li", &[]);
        // A title in the other direction than the book's is laid out on
        // its own.
        let mut attributes = vec![("href", entry.href.as_str())];
        if let Some(dir) = isolate(&entry.title, locale.direction()) {
            attributes.push(("dir", dir.as_str()));
        }
        w.element("a", &attributes, &entry.title);
        if !entry.children.is_empty() {
            w.newline();
            entries(w, &entry.children, locale);
        }
        w.raw("</li>\n");
    }
    w.raw("</ol>\n");
}

pub fn ncx(toc: &[TocEntry], identifier: &str, title: &str, language: &str) -> String {
    fn depth(list: &[TocEntry]) -> usize {
        list.iter()
            .map(|e| 1 + depth(&e.children))
            .max()
            .unwrap_or(0)
    }
    fn points(w: &mut XmlWriter, list: &[TocEntry], order: &mut usize, indent: usize) {
        for entry in list {
            *order += 1;
            let id = format!("nav-{order}");
            let play_order = order.to_string();
            w.raw(&" ".repeat(indent));
            w.start("navPoint", &[("id", &id), ("playOrder", &play_order)]);
            w.start("navLabel", &[]);
            w.element("text", &[], &entry.title);
            w.end("navLabel");
            w.empty("content", &[("src", &entry.href)]);
            w.newline();
            points(w, &entry.children, order, indent + 2);
            w.raw(&" ".repeat(indent));
            w.end("navPoint");
            w.newline();
        }
    }
    let mut w = XmlWriter::new();
    w.start(
        "ncx",
        &[
            ("xmlns", "http://www.daisy.org/z3986/2005/ncx/"),
            ("version", "2005-1"),
            ("xml:lang", language),
        ],
    );
    w.raw("\n<head>\n");
    let depth = depth(toc).max(1).to_string();
    for (name, content) in [
        ("dtb:uid", identifier),
        ("dtb:depth", &depth),
        ("dtb:totalPageCount", "0"),
        ("dtb:maxPageNumber", "0"),
    ] {
        w.empty("meta", &[("name", name), ("content", content)]);
        w.newline();
    }
    w.raw("</head>\n<docTitle>");
    w.element("text", &[], title);
    w.raw("</docTitle>\n<navMap>\n");
    points(&mut w, toc, &mut 0, 2);
    w.raw("</navMap>\n</ncx>\n");
    w.finish()
}
