//! The pages bindery writes itself: the cover page and the title page.

use super::nav::xhtml_head;
use super::opf::role_term;
use crate::layout;
use crate::load::{Asset, Book, BookRoot};
use crate::xml::XmlWriter;

/// A page that shows the cover image, scaled to the screen.
pub fn cover_page(cover: &Asset, root: &BookRoot, title: &str, language: &str) -> String {
    let mut w = XmlWriter::new();
    xhtml_head(
        &mut w,
        title,
        language,
        layout::STYLESHEET_FROM_TEXT,
        "frontmatter",
    );
    w.start("section", &[("epub:type", "cover"), ("class", "cover")]);
    w.newline();
    let src = format!("../{}", layout::asset_file(&root.display(&cover.path)));
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
        layout::STYLESHEET_FROM_TEXT,
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
    let authors: Vec<&str> = meta
        .contributors
        .iter()
        .filter(|c| c.is_author())
        .map(|c| c.name.as_str())
        .collect();
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
    if let Some(publisher) = &meta.publisher {
        w.element("p", &[("class", "publisher")], publisher);
        w.newline();
    }
    w.raw("</section>\n</body>\n</html>\n");
    w.finish()
}
