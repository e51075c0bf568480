//! The pages bindery writes itself: the cover page and the title page.

use super::nav::xhtml_head;
use super::opf::role_term;
use crate::epub_paths;
use crate::load::{Asset, Book, BookRoot};
use crate::xml::XmlWriter;

/// A page that shows the cover image, scaled to the screen.
pub fn cover_page(cover: &Asset, root: &BookRoot, title: &str, language: &str) -> String {
    let mut w = XmlWriter::new();
    xhtml_head(
        &mut w,
        title,
        language,
        epub_paths::STYLESHEET_FROM_TEXT,
        "frontmatter",
    );
    w.start("section", &[("epub:type", "cover"), ("class", "cover")]);
    w.newline();
    let src = format!("../{}", epub_paths::asset_file(&root.display(&cover.path)));
    let alt = format!("Cover of {title}");
    w.empty(
        "img",
        &[("src", &src), ("alt", &alt), ("role", "doc-cover")],
    );
    w.raw("\n</section>\n</body>\n</html>\n");
    w.finish()
}

/// The title page: title, subtitle, authors, other contributors by role,
/// and the publisher.
pub fn title_page(book: &Book) -> String {
    let meta = &book.manifest.book;
    let mut w = XmlWriter::new();
    xhtml_head(
        &mut w,
        &meta.title,
        &meta.language,
        epub_paths::STYLESHEET_FROM_TEXT,
        "frontmatter",
    );
    w.start(
        "section",
        &[("epub:type", "titlepage"), ("class", "titlepage")],
    );
    w.newline();
    w.element("h1", &[("class", "title")], &meta.title);
    w.newline();
    if let Some(subtitle) = &meta.subtitle {
        w.element("p", &[("class", "subtitle")], subtitle);
        w.newline();
    }
    let authors: Vec<&str> = meta.authors().collect();
    if !authors.is_empty() {
        w.element("p", &[("class", "authors")], &authors.join(", "));
        w.newline();
    }
    // Other contributors, grouped by role in the order roles first appear.
    let mut roles: Vec<&str> = Vec::new();
    for person in meta.contributors.iter().filter(|c| !c.is_author()) {
        if !roles.contains(&person.role.as_str()) {
            roles.push(&person.role);
        }
    }
    for role in roles {
        let names: Vec<&str> = meta
            .contributors
            .iter()
            .filter(|c| c.role == role)
            .map(|c| c.name.as_str())
            .collect();
        w.element(
            "p",
            &[("class", "contributors")],
            &format!("{}: {}", role_term(role), names.join(", ")),
        );
        w.newline();
    }
    // A publisher that is also an author is named once, as the author.
    if let Some(publisher) = meta.publisher_apart_from_authors() {
        w.element("p", &[("class", "publisher")], publisher);
        w.newline();
    }
    w.raw("</section>\n</body>\n</html>\n");
    w.finish()
}

/// The copyright page: rights, licence with a link to its text, publisher,
/// date and identifiers. `None` when the manifest says none of these.
pub fn copyright_page(book: &Book) -> Option<String> {
    let meta = &book.manifest.book;
    let has_something = meta.rights.is_some()
        || meta
            .identifier
            .as_deref()
            .is_some_and(|id| id.trim().starts_with("urn:isbn:"))
        || meta.license.is_some()
        || meta.publisher.is_some()
        || meta.date.is_some()
        || meta.isbn.is_some()
        || meta.doi.is_some()
        || meta.url.is_some();
    if !has_something {
        return None;
    }
    let mut w = XmlWriter::new();
    xhtml_head(
        &mut w,
        &meta.title,
        &meta.language,
        epub_paths::STYLESHEET_FROM_TEXT,
        "frontmatter",
    );
    w.start(
        "section",
        &[("epub:type", "copyright-page"), ("class", "copyright")],
    );
    w.newline();
    let title = match &meta.subtitle {
        Some(subtitle) => format!("{}: {subtitle}", meta.title),
        None => meta.title.clone(),
    };
    w.element("p", &[("class", "book-title")], &title);
    w.newline();
    if let Some(rights) = &meta.rights {
        w.element("p", &[], rights);
        w.newline();
    }
    if let Some(license) = &meta.license {
        w.start("p", &[("class", "license")]);
        match license.known {
            Some(known) => {
                w.element("a", &[("href", known.url)], known.name);
                w.text(&format!(" ({})", known.id));
            }
            None => w.text(&license.spdx),
        }
        w.end("p");
        w.newline();
    }
    let imprint: Vec<String> = [
        meta.publisher.clone(),
        meta.date.as_ref().map(ToString::to_string),
    ]
    .into_iter()
    .flatten()
    .collect();
    if !imprint.is_empty() {
        w.element("p", &[("class", "imprint")], &imprint.join(" · "));
        w.newline();
    }
    // An ISBN given as the identifier is shown as well.
    let isbn = meta
        .isbn
        .as_ref()
        .map(|isbn| isbn.written.clone())
        .or_else(|| {
            meta.identifier
                .as_deref()
                .and_then(|id| id.trim().strip_prefix("urn:isbn:"))
                .map(str::to_string)
        });
    if let Some(isbn) = isbn {
        w.element("p", &[("class", "identifier")], &format!("ISBN {isbn}"));
        w.newline();
    }
    if let Some(doi) = &meta.doi {
        let href = format!("https://doi.org/{}", crate::url::encode_url(doi));
        w.start("p", &[("class", "identifier")]);
        w.text("DOI ");
        w.element("a", &[("href", &href)], doi);
        w.end("p");
        w.newline();
    }
    if let Some(url) = &meta.url {
        w.start("p", &[("class", "identifier")]);
        w.element("a", &[("href", &crate::url::encode_url(url))], url);
        w.end("p");
        w.newline();
    }
    w.raw("</section>\n</body>\n</html>\n");
    Some(w.finish())
}
