//! The pages bindery writes itself: the cover page and the title page.

use super::nav::xhtml_head;
use crate::epub_paths;
use crate::load::{Asset, Book, BookRoot};
use crate::locale::{Label, Locale, isolate};
use crate::xml::XmlWriter;

/// A page that shows the cover image, scaled to the screen.
pub fn cover_page(cover: &Asset, root: &BookRoot, title: &str, locale: &Locale) -> String {
    let mut w = XmlWriter::new();
    xhtml_head(
        &mut w,
        title,
        locale,
        epub_paths::STYLESHEET_FROM_TEXT,
        "frontmatter",
    );
    w.start("section", &[("epub:type", "cover"), ("class", "cover")]);
    w.newline();
    let src = format!("../{}", epub_paths::asset_file(&root.display(&cover.path)));
    let alt = locale.format(Label::CoverAlt, &[("title", title)]);
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
    let locale = &book.locale;
    let mut w = XmlWriter::new();
    xhtml_head(
        &mut w,
        &meta.title,
        locale,
        epub_paths::STYLESHEET_FROM_TEXT,
        "frontmatter",
    );
    w.start(
        "section",
        &[("epub:type", "titlepage"), ("class", "titlepage")],
    );
    w.newline();
    isolated(&mut w, "h1", "title", &meta.title, locale);
    if let Some(subtitle) = &meta.subtitle {
        isolated(&mut w, "p", "subtitle", subtitle, locale);
    }
    let authors: Vec<&str> = meta.authors().collect();
    if !authors.is_empty() {
        w.start("p", &[("class", "authors")]);
        names(&mut w, &authors, locale);
        w.end("p");
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
        w.start("p", &[("class", "contributors")]);
        // A role without a label is named by the relator list's term.
        let term = locale.role(role).unwrap_or_else(|| {
            crate::manifest::relators::term(role)
                .unwrap_or("Contributor")
                .to_string()
        });
        w.text(&locale.term(&term, ""));
        self::names(&mut w, &names, locale);
        w.end("p");
        w.newline();
    }
    // A publisher that is also an author is named once, as the author.
    if let Some(publisher) = meta.publisher_apart_from_authors() {
        isolated(&mut w, "p", "publisher", publisher, locale);
    }
    w.raw("</section>\n</body>\n</html>\n");
    w.finish()
}

/// An element holding one piece of the book's metadata, with its own
/// direction when that is not the book's.
fn isolated(w: &mut XmlWriter, name: &str, class: &str, text: &str, locale: &Locale) {
    let mut attributes = vec![("class", class)];
    if let Some(dir) = isolate(text, locale.direction()) {
        attributes.push(("dir", dir.as_str()));
    }
    w.element(name, &attributes, text);
    w.newline();
}

/// Names joined with commas, each in a `bdi` of its own direction when
/// that is not the book's, so that a Latin name among Hebrew ones keeps
/// its place and its punctuation.
fn names(w: &mut XmlWriter, names: &[&str], locale: &Locale) {
    for (i, name) in names.iter().enumerate() {
        if i > 0 {
            w.text(", ");
        }
        match isolate(name, locale.direction()) {
            Some(dir) => w.element("bdi", &[("dir", dir.as_str())], name),
            None => w.text(name),
        }
    }
}

/// The copyright page: rights, licence with a link to its text, publisher,
/// date and identifiers. `None` when the manifest says none of these.
/// `at_the_back` when it follows the text, as in a short work.
pub fn copyright_page(book: &Book, at_the_back: bool) -> Option<String> {
    let meta = &book.manifest.book;
    let locale = &book.locale;
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
        locale,
        epub_paths::STYLESHEET_FROM_TEXT,
        if at_the_back {
            "backmatter"
        } else {
            "frontmatter"
        },
    );
    w.start(
        "section",
        &[("epub:type", "copyright-page"), ("class", "copyright")],
    );
    w.newline();
    // The title and the subtitle each on a line of their own: run together
    // with a colon they read wrong when the title ends in a question mark
    // or the subtitle starts a sentence.
    isolated(&mut w, "p", "book-title", &meta.title, locale);
    if let Some(subtitle) = &meta.subtitle {
        isolated(&mut w, "p", "book-subtitle", subtitle, locale);
    }
    match &meta.rights {
        Some(rights) => {
            w.element("p", &[], rights);
            w.newline();
        }
        // Who holds the rights, named as the licence's attribution asks:
        // the authors (or, without them, the publisher), with the year.
        None if !meta.license.as_ref().is_some_and(|l| l.is_public_domain()) => {
            let holders: Vec<&str> = match meta.authors().collect::<Vec<_>>() {
                authors if authors.is_empty() => meta.publisher.as_deref().into_iter().collect(),
                authors => authors,
            };
            if !holders.is_empty() {
                w.start("p", &[("class", "rights-holder")]);
                match meta.date {
                    Some(date) => w.text(&format!("© {} ", date.year)),
                    None => w.text("© "),
                }
                names(&mut w, &holders, locale);
                w.end("p");
                w.newline();
            }
        }
        None => {}
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
        meta.date.map(|date| {
            locale
                .date(date.year, date.month, date.day)
                .unwrap_or_else(|| date.to_string())
        }),
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
